"""`visavis import` of a file already in the library: detected, updated in place with --update, or copied."""

from __future__ import annotations

import json

from test_cli import ROOT, visavis

V1 = "# Livre\n\nLe chat dort sur le canapé. Il fait beau.\n\nLa réunion a lieu demain matin.\n"
V2 = "# Livre\n\nLe chat dort sur le canapé. Il fait beau.\n\nLa réunion aura lieu demain soir.\n"


def _import(db, *args):
    proc = visavis("import", *map(str, args), db=db)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_reimport_identical_file_is_detected(tmp_path):
    db, src = tmp_path / "lib.db", tmp_path / "livre.md"
    src.write_text(V1, encoding="utf-8")
    first = int(_import(db, src).stdout.split()[-1])
    proc = _import(db, src)
    assert proc.stdout.split() == [str(first)]
    assert f"livre.md is already in the library as #{first}" in proc.stderr
    rows = visavis("list", db=db).stdout
    assert rows.count("Livre") == 1


def test_reimport_changed_file_update_keeps_id_and_reanchors(tmp_path):
    db, src = tmp_path / "lib.db", tmp_path / "livre.md"
    src.write_text(V1, encoding="utf-8")
    first = int(_import(db, src).stdout.split()[-1])
    for quote in ("canapé", "demain matin"):
        assert visavis("annotate", str(first), "--side", "fr", "--quote", quote, db=db).returncode == 0
    src.write_text(V2, encoding="utf-8")
    proc = _import(db, src, "--update")
    assert proc.stdout.split() == [str(first)]
    assert f"updated #{first} from livre.md: 0 highlights moved, 1 orphaned" in proc.stderr
    listing = visavis("annotations", str(first), "--format", "json", db=db)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.count('"orphaned"') == 1 and "canapé" in listing.stdout


def test_reimport_changed_file_without_update_adds_a_copy(tmp_path):
    db, src = tmp_path / "lib.db", tmp_path / "livre.md"
    src.write_text(V1, encoding="utf-8")
    first = int(_import(db, src).stdout.split()[-1])
    src.write_text(V2, encoding="utf-8")
    proc = _import(db, src)
    second = int(proc.stdout.split()[-1])
    assert second != first
    assert f"new copy #{second}" in proc.stderr and f"#{first}" in proc.stderr


def test_reimport_never_anchors_a_highlight_silently_on_another_copy(tmp_path):
    # issue #13: « ministère russe » --occurrence 2, then « ministère » deleted at that place; the only
    # exact copy left is the first one, a paragraph away: it must not be taken silently (status anchored).
    sample = ROOT / "articles" / "blinken-lavrov-premiere-reunion-g20.md"
    db, src = tmp_path / "lib.db", tmp_path / sample.name
    text = sample.read_text(encoding="utf-8")
    src.write_text(text, encoding="utf-8")
    first = int(_import(db, src).stdout.split()[-1])
    made = visavis("annotate", str(first), "--side", "fr", "--quote", "ministère russe", "--occurrence", "2", db=db)
    assert made.returncode == 0, made.stderr
    second = text.index("ministère russe", text.index("ministère russe") + 1)
    src.write_text(text[:second] + text[second + len("ministère ") :], encoding="utf-8")
    proc = _import(db, src, "--update")
    listing = visavis("annotations", str(first), "--format", "json", db=db)
    (ann,) = json.loads(listing.stdout)
    assert ann["status"] in ("moved", "orphaned")
    shown = visavis("annotations", str(first), db=db).stdout
    assert f"({ann['status']})" in shown  # the CLI flags it
    if ann["status"] == "moved":
        assert "moved" in proc.stderr
