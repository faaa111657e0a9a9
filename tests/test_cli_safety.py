"""The command line under hostile input and failures (issue 13 §3): every failure ends with one clear
line, text from articles, notes and tags cannot drive the terminal, and deleting asks for ``--yes``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_cli import ROOT, assert_one_clear_line, visavis

from reader.storage.store import Store

HUGE = "99999999999999999999999"  # beyond SQLite's int64


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# --- the translate worker cannot open the database ------------------------------------------------------

# Runs ``visavis translate`` with the worker thread's connection failing to open (the main thread's opens
# fine), and an engine that is never reached.
WORKER_CANNOT_OPEN = textwrap.dedent("""
    import sys, threading
    import reader.storage.store as st
    import reader.translation.argos_engine as ae
    from reader.core.errors import StorageError

    class WorkerCannotOpen(st.Store):
        def __init__(self, path):
            if threading.current_thread() is not threading.main_thread():
                raise StorageError(f"Cannot open the database {path}: the disk is full.")
            super().__init__(path)

    class NeverUsed:
        model_id = "test-model"
        def translate(self, *args, **kwargs):
            raise AssertionError("the engine was called without a store")

    st.Store = WorkerCannotOpen
    ae.load_default_engine = NeverUsed
    from reader.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_translate_ends_with_one_line_when_the_worker_cannot_open_the_database(tmp_path):
    db = tmp_path / "lib.db"
    first = json.loads(ok(visavis("list", "--format", "json", db=db)))[0]["id"]
    # Before the fix the worker died before it could say it had finished, and this never returned
    # (the timeout is only the guard against that hang).
    proc = subprocess.run(
        [sys.executable, "-c", WORKER_CANNOT_OPEN, "--db", str(db), "translate", str(first)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert_one_clear_line(proc, "Cannot open the database", "disk is full")


# --- ids ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ["show", HUGE],
    ["annotate", HUGE, "--side", "fr", "--quote", "Lavrov"],
    ["annotations", HUGE],
    ["translate", "1", HUGE],
    ["export", HUGE, "-o", "out.md"],
    ["delete", HUGE, "--yes"],
    ["show", "-3"],
    ["show", "douze"],
])
def test_an_id_out_of_range_is_one_clear_line(tmp_path, command):
    proc = visavis(*command, db=tmp_path / "lib.db")
    assert_one_clear_line(proc, "is not an article id")
    assert proc.returncode == 2
    assert not (tmp_path / "out.md").exists()


def test_the_largest_id_sqlite_holds_is_just_not_found(tmp_path):
    assert_one_clear_line(visavis("show", str(2**63 - 1), db=tmp_path / "lib.db"), "9223372036854775807")


# --- terminal control characters ----------------------------------------------------------------------------

ESC_TITLE = "\x1b]0;pwned\x07"  # would set the terminal's title
CLEAR = "\x1b[2J\x1b[H"  # would clear the screen
CSI = "\x9b31m"  # the one-character C1 form of ESC [


def _raw_controls(text: str) -> list[str]:
    return re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


@pytest.fixture
def hostile(tmp_path) -> tuple[Path, int]:
    """A library holding an article whose title and text carry escape sequences, annotated and glossed
    with more of them."""
    db = tmp_path / "lib.db"
    body = " ".join(["Le ministre est arrivé à Paris hier soir pour une réunion."] * 8)
    src = tmp_path / "piege.txt"
    src.write_text(f"Titre {ESC_TITLE} piégé\n\nIl pleut{CLEAR} à Paris. Deux {CSI}mots rouges. {body}\n",
                   encoding="utf-8")
    article_id = int(ok(visavis("import", str(src), db=db)).split()[-1])
    ok(visavis("annotate", str(article_id), "--side", "fr", "--quote", "Paris", "--note",
               f"note {CLEAR}\nseconde ligne {ESC_TITLE}", "--tag", f"tag{CSI}", db=db))
    ok(visavis("glossary", "add", f"ministre{CLEAR}", f"minister{ESC_TITLE}", "--note", f"n{CSI}",
               "--tag", "t\x1b[5m", db=db))
    return db, article_id


@pytest.mark.parametrize("command", [
    ["show", "{id}"],
    ["list"],
    ["list", "--search", "pleut"],
    ["annotations"],
    ["annotations", "{id}"],
    ["glossary", "list"],
])
def test_terminal_controls_from_the_library_are_shown_not_obeyed(hostile, command):
    db, article_id = hostile
    out = ok(visavis(*[c.format(id=article_id) for c in command], db=db))
    assert not _raw_controls(out), out
    assert "\\x1b" in out or "\\x9b" in out  # visible, so the reader sees something is there


def test_show_prints_the_escapes_where_they_were(hostile):
    db, article_id = hostile
    out = ok(visavis("show", str(article_id), db=db))
    assert out.splitlines()[0] == "Titre \\x1b]0;pwned\\x07 piégé"
    assert "Il pleut\\x1b[2J\\x1b[H à Paris." in out


@pytest.mark.parametrize("command", [
    ["show", "{id}", "--format", "json"],
    ["list", "--format", "json"],
    ["annotations", "--format", "json"],
    ["annotations", "{id}", "--format", "w3c"],
    ["glossary", "list", "--format", "json"],
])
def test_json_output_escapes_controls_and_keeps_the_text(hostile, command):
    db, article_id = hostile
    out = ok(visavis(*[c.format(id=article_id) for c in command], db=db))
    assert not _raw_controls(out), out
    assert "\\u001b" in out  # escaped, and the text itself is kept:
    assert any("\x1b" in text for text in _strings(json.loads(out)))


def _strings(doc):
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for value in doc.values():
            yield from _strings(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _strings(value)


def test_json_escapes_the_c1_controls_that_json_itself_leaves_raw(hostile):
    db, article_id = hostile
    out = ok(visavis("show", str(article_id), "--format", "json", db=db))
    assert "Deux \\u009b31mmots" in out or "Deux \\u009b31m" in out
    assert any(CSI in pair["fr"] for pair in json.loads(out)["pairs"])


def test_error_messages_escape_controls_too(tmp_path):
    proc = visavis("glossary", "remove", f"inconnu{CLEAR}", db=tmp_path / "lib.db")
    assert_one_clear_line(proc, "inconnu\\x1b[2J")
    assert not _raw_controls(proc.stderr)


# --- delete ------------------------------------------------------------------------------------------------


def _ids(db: Path) -> list[int]:
    return [r["id"] for r in json.loads(ok(visavis("list", "--format", "json", db=db)))]


def test_delete_without_yes_says_what_it_would_delete_and_deletes_nothing(tmp_path):
    db = tmp_path / "lib.db"
    ids = _ids(db)
    ok(visavis("annotate", str(ids[0]), "--side", "fr", "--quote", "Lavrov", db=db))
    with Store(db) as store:
        title = store.get_article(ids[0]).title
    proc = visavis("delete", str(ids[0]), str(ids[1]), db=db)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert f"would delete « {title} » (#{ids[0]}, 1 highlight)" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("visavis: error: nothing deleted")
    assert "--yes" in proc.stderr
    assert _ids(db) == ids


def test_delete_with_yes_removes_the_articles_and_their_annotations(tmp_path):
    db = tmp_path / "lib.db"
    ids = _ids(db)
    gone, kept = ids[0], ids[1]
    ok(visavis("annotate", str(gone), "--side", "fr", "--quote", "Lavrov", db=db))
    ok(visavis("annotate", str(kept), "--side", "fr", "--quote", "Lavrov", db=db))
    with Store(db) as store:
        title = store.get_article(gone).title
    out = ok(visavis("delete", str(gone), str(gone), "--yes", db=db))
    assert out.splitlines() == [f"deleted « {title} » (#{gone}, 1 highlight)"]
    assert _ids(db) == [i for i in ids if i != gone]
    notes = json.loads(ok(visavis("annotations", "--format", "json", db=db)))
    assert [a["article"] for a in notes] == [kept]
    assert_one_clear_line(visavis("show", str(gone), db=db), str(gone))


def test_delete_checks_every_id_before_deleting_any(tmp_path):
    db = tmp_path / "lib.db"
    ids = _ids(db)
    assert_one_clear_line(visavis("delete", str(ids[0]), "424242", "--yes", db=db), "424242")
    assert _ids(db) == ids
