"""`visavis translate` enforces the glossary; `glossary add/remove` re-enforce; `show --format json` tells
which entries were applied and where (synthetic model, end to end)."""

from __future__ import annotations

import json
import re

from test_cli import visavis


def test_translate_enforces_glossary_add_and_remove_reenforce(tmp_path, installed_synthetic_model):
    db = tmp_path / "lib.db"
    env = {"VISAVIS_MAX_DECODING_LENGTH": "6"}
    rows = json.loads(visavis("list", "--format", "json", db=db).stdout)
    short = min(rows, key=lambda r: r["n_sentences"])
    aid = str(short["id"])
    doc = json.loads(visavis("show", aid, "--format", "json", db=db).stdout)
    words = sorted({w for p in doc["pairs"] for w in re.findall(r"[^\W\d_]{8,}", p["fr"])})
    first, second = words[0], words[1]
    assert visavis("glossary", "add", first, "Zorblax Quintet", db=db).returncode == 0
    proc = visavis("translate", aid, db=db, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "glossary enforced in" in proc.stderr
    doc = json.loads(visavis("show", aid, "--format", "json", db=db, env=env).stdout)
    hits = [p for p in doc["pairs"] if first in p["fr"]]
    assert hits and all(p["enforced"] for p in hits)
    for p in hits:
        assert p["enforced"]["applied"]
        for applied in p["enforced"]["applied"]:
            assert applied["rendering"] == "Zorblax Quintet" and applied["term"] == first
            assert p["enforced"]["en"][applied["start"]:applied["end"]] == "Zorblax Quintet"
        assert "Zorblax" not in p["en"]  # the machine output is kept apart
    others = [p for p in doc["pairs"] if first not in p["fr"] and second not in p["fr"]]
    assert all(p["enforced"] is None for p in others)

    added = visavis("glossary", "add", second, "vurpmods", db=db, env=env)
    assert added.returncode == 0 and "glossary enforced again in" in added.stderr, added.stderr
    doc = json.loads(visavis("show", aid, "--format", "json", db=db, env=env).stdout)
    assert all("vurpmods" in p["enforced"]["en"] for p in doc["pairs"] if second in p["fr"])

    removed = visavis("glossary", "remove", first, db=db, env=env)
    assert removed.returncode == 0
    doc = json.loads(visavis("show", aid, "--format", "json", db=db, env=env).stdout)
    assert all(p["enforced"] is None for p in doc["pairs"] if first in p["fr"] and second not in p["fr"])
    text = visavis("show", aid, db=db, env=env).stdout
    assert "Zorblax" not in text and "vurpmods" in text


def test_no_glossary_keeps_the_machine_english(tmp_path, installed_synthetic_model):
    db = tmp_path / "lib.db"
    env = {"VISAVIS_MAX_DECODING_LENGTH": "4"}
    rows = json.loads(visavis("list", "--format", "json", db=db).stdout)
    short = min(rows, key=lambda r: r["n_sentences"])
    aid = str(short["id"])
    doc = json.loads(visavis("show", aid, "--format", "json", db=db).stdout)
    word = sorted({w for p in doc["pairs"] for w in re.findall(r"[^\W\d_]{8,}", p["fr"])})[0]
    visavis("glossary", "add", word, "Zorblax", db=db)
    proc = visavis("translate", aid, "--no-glossary", db=db, env=env)
    assert proc.returncode == 0 and "glossary" not in proc.stderr
    doc = json.loads(visavis("show", aid, "--format", "json", db=db, env=env).stdout)
    assert all(p["enforced"] is None for p in doc["pairs"])
