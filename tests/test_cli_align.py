"""`visavis show --format json` carries each sentence's words and links; `visavis align` fills what is
missing (synthetic model)."""

from __future__ import annotations

import json
import sqlite3

from test_cli import visavis


def test_show_json_has_words_and_links_and_align_fills_the_gaps(tmp_path, installed_synthetic_model):
    db = tmp_path / "lib.db"
    env = {"VISAVIS_MAX_DECODING_LENGTH": "6"}
    rows = json.loads(visavis("list", "--format", "json", db=db).stdout)
    short = min(rows, key=lambda r: r["n_sentences"])
    doc = json.loads(visavis("show", str(short["id"]), "--format", "json", db=db, env=env).stdout)
    assert all(p["alignment"] is None for p in doc["pairs"])  # not translated yet

    assert visavis("translate", str(short["id"]), db=db, env=env).returncode == 0
    doc = json.loads(visavis("show", str(short["id"]), "--format", "json", db=db, env=env).stdout)
    for pair in doc["pairs"]:
        a = pair["alignment"]
        assert a is not None and a["links"]
        for s, e in a["fr_words"]:
            assert pair["fr"][s:e].strip() and pair["fr"][s:e] in pair["fr"]
        for s, e in a["en_words"]:
            assert pair["en"][s:e].strip()
        for f, e, score in a["links"]:
            assert 0 <= f < len(a["fr_words"]) and 0 <= e < len(a["en_words"]) and 0 < score <= 1

    # Alignments lost (or of an older method): `align` computes them again, with progress.
    with sqlite3.connect(db) as conn:
        n = conn.execute("DELETE FROM alignments").rowcount
    assert n > 0
    proc = visavis("align", str(short["id"]), db=db, env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"#{short['id']}: {short['n_sentences']} sentences aligned" in proc.stderr
    again = json.loads(visavis("show", str(short["id"]), "--format", "json", db=db, env=env).stdout)
    for before, after in zip(doc["pairs"], again["pairs"]):
        # same words; the scores differ a little: the English is now forced through as re-tokenised
        # text, not as the pieces the model produced
        assert after["alignment"]["fr_words"] == before["alignment"]["fr_words"]
        assert after["alignment"]["en_words"] == before["alignment"]["en_words"]
        assert after["alignment"]["links"]

    # --all: nothing left for the translated one; the others say they need translating first.
    proc = visavis("align", "--all", db=db, env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"#{short['id']}: 0 sentences aligned" in proc.stderr
    assert "not translated yet" in proc.stderr
    bad = visavis("align", db=db, env=env)
    assert bad.returncode != 0 and "give article ids or --all" in bad.stderr
