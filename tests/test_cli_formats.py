"""`visavis annotations import` (W3C JSON-LD back into the library) and `visavis glossary export` formats
and file modes. (Issue #12, items 11 and 12.)"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from test_cli import assert_one_clear_line, visavis
from test_cli_annotations import M, library, ok  # noqa: F401 - the module-scoped library fixture

from reader.storage.store import Store


def _fresh(library, tmp_path: Path, name: str) -> Path:  # noqa: F811
    copy = tmp_path / name
    shutil.copy(library[0], copy)
    return copy


def _rows(db: Path, *args: str) -> list[dict]:
    return sorted(json.loads(ok(visavis("annotations", *args, "--format", "json", db=db))), key=lambda r: r["id"])


def test_a_w3c_export_reimports_losslessly(library, tmp_path):  # noqa: F811
    db = _fresh(library, tmp_path, "a.db")
    _, aid, other = library
    ok(visavis("annotate", str(aid), "--side", "fr", "--quote", "Blinken", "--occurrence", "2", "--note",
               "premier paragraphe\n\nsecond paragraphe", "--color", "green", "--tag", "personnes", db=db))
    ok(visavis("annotate", str(aid), "--side", "en", "--quote", "Sentence 1.0 in English", "--color", "purple",
               db=db))
    ok(visavis("annotate", str(other), "--side", "fr", "--quote", "Lavrov", "--note", "autre", db=db))
    out = tmp_path / "notes.jsonld"
    ok(visavis("export", str(aid), str(other), "-o", str(out), db=db))
    before = _rows(db)

    target = _fresh(library, tmp_path, "b.db")  # the same library without the annotations
    assert _rows(target) == []
    report = ok(visavis("annotations", "import", str(out), db=target))
    assert "3 added, 0 updated, 0 unchanged" in report
    assert _rows(target) == before  # ids, offsets, quotes, notes, colours, tags, dates, statuses

    again = ok(visavis("annotations", "import", str(out), db=target))
    assert "0 added, 0 updated, 3 unchanged" in again
    assert _rows(target) == before


def test_import_into_another_article_and_bad_files(library, tmp_path):  # noqa: F811
    db = _fresh(library, tmp_path, "a.db")
    _, aid, other = library
    ann = ok(visavis("annotate", str(aid), "--side", "fr", "--quote", "Lavrov", "--note", "n", db=db)).strip()
    doc = tmp_path / "one.jsonld"
    doc.write_text(ok(visavis("annotations", str(aid), "--format", "w3c", db=db)), encoding="utf-8")

    target = _fresh(library, tmp_path, "b.db")
    with Store(target) as s:
        s.delete_article(aid)
    assert_one_clear_line(visavis("annotations", "import", str(doc), db=target), "not in the library",
                          "--article")
    assert _rows(target) == []  # nothing imported
    ok(visavis("annotations", "import", str(doc), "--article", str(other), db=target))
    rows = _rows(target)
    assert [(r["id"], r["article"], r["exact"]) for r in rows] == [(ann, other, "Lavrov")]
    assert rows[0]["status"] in ("anchored", "moved")  # placed again in the other article's text

    bad = tmp_path / "bad.jsonld"
    bad.write_text("{not json", encoding="utf-8")
    assert_one_clear_line(visavis("annotations", "import", str(bad), db=target), "not a JSON-LD")
    bad.write_text('{"type": "Note"}', encoding="utf-8")
    assert_one_clear_line(visavis("annotations", "import", str(bad), db=target), "not a W3C annotation file")
    assert_one_clear_line(visavis("annotations", "import", str(tmp_path / "nope.jsonld"), db=target), "Cannot read")
    assert_one_clear_line(visavis("annotations", "import", db=target), "give the file")
    proc = visavis("annotations", "x12", db=target)  # an argparse usage error, like any bad argument
    assert proc.returncode == 2 and "not an article id" in proc.stderr and "Traceback" not in proc.stderr


def test_glossary_export_tbx2_and_usual_mode(library, tmp_path):  # noqa: F811
    db = _fresh(library, tmp_path, "a.db")
    ok(visavis("glossary", "add", "délégation", "delegation", "--note", "=1+1", db=db))
    old = os.umask(0o022)
    try:
        for name, fmt in (("g.csv", None), ("g.tbx", None), ("g2.tbx", "tbx2"), ("g.apkg", None)):
            args = ["glossary", "export", str(tmp_path / name)] + (["--format", fmt] if fmt else [])
            assert "1 entries written" in ok(visavis(*args, db=db))
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    finally:
        os.umask(old)
    assert (tmp_path / "g2.tbx").read_text(encoding="utf-8").count("<termEntry") == 1
    assert "'=1+1" in (tmp_path / "g.csv").read_text(encoding="utf-8-sig")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left
    other = _fresh(library, tmp_path, "b.db")
    assert "1 added" in ok(visavis("glossary", "import", str(tmp_path / "g.csv"), db=other))
    entries = json.loads(ok(visavis("glossary", "list", "--format", "json", db=other)))
    assert [(e["term"], e["note"]) for e in entries] == [("délégation", "=1+1")]
