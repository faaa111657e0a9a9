"""End to end through the `visavis` command: import, list, show, errors as one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def visavis(*args: str, db: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, VISAVIS_DB=str(db))
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "reader.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=timeout,
    )


def assert_one_clear_line(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("visavis: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_first_use_imports_the_samples_and_lists_them(tmp_path):
    db = tmp_path / "lib.db"
    proc = visavis("list", "--format", "json", db=db)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 5
    titles = {r["title"] for r in rows}
    assert "Rencontre Lavrov-Blinken au G-20." in titles
    assert all(r["n_sentences"] > 0 for r in rows)


def test_import_prints_new_ids_and_show_gives_aligned_pairs(tmp_path):
    db = tmp_path / "lib.db"
    src = tmp_path / "note.txt"
    src.write_text("Mon titre\n\nM. Dupont est arrivé. Il pleut à Paris.\n", encoding="cp1252")
    proc = visavis("import", str(src), db=db)
    assert proc.returncode == 0, proc.stderr
    new_id = int(proc.stdout.strip().splitlines()[-1])
    proc = visavis("show", str(new_id), "--format", "json", db=db)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["title"] == "Mon titre"
    assert [p["fr"] for p in doc["pairs"]] == ["M. Dupont est arrivé.", "Il pleut à Paris."]
    assert all(p["en"] is None for p in doc["pairs"])
    text = visavis("show", str(new_id), db=db)
    assert "FR  M. Dupont est arrivé." in text.stdout
    assert "(not translated)" in text.stdout


def test_list_search_uses_full_text(tmp_path):
    db = tmp_path / "lib.db"
    proc = visavis("list", "--search", "Tillerson", "--format", "json", db=db)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 1 and "Tillerson" in rows[0]["title"]


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("missing.txt", None, "missing.txt"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 200, "binary.txt"),
        ("empty.txt", b"   \n\n", "empty.txt"),
    ],
)
def test_import_errors_are_one_clear_line(tmp_path, name, content, needle):
    db = tmp_path / "lib.db"
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert_one_clear_line(visavis("import", str(path), db=db), needle)


def test_import_refuses_a_huge_file_without_reading_it(tmp_path):
    db = tmp_path / "lib.db"
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(60 * 1024 * 1024)
    assert_one_clear_line(visavis("import", str(path), db=db), "huge.txt")


def test_unknown_article_id(tmp_path):
    db = tmp_path / "lib.db"
    assert_one_clear_line(visavis("show", "999", db=db), "999")
    assert_one_clear_line(visavis("translate", "999", db=db), "999")


def test_translate_without_a_model_says_so(tmp_path):
    db = tmp_path / "lib.db"
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "no-packages")}
    assert_one_clear_line(visavis("translate", "1", db=db, env=env), "model")


def test_a_database_that_is_not_ours_is_refused_and_untouched(tmp_path):
    import sqlite3

    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("create table people (name text)")
    con.execute("insert into people values ('x')")
    con.commit()
    con.close()
    before = db.read_bytes()
    assert_one_clear_line(visavis("list", db=db), str(db.name))
    assert db.read_bytes() == before


def test_a_corrupt_database_is_refused(tmp_path):
    db = tmp_path / "broken.db"
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    assert_one_clear_line(visavis("list", db=db), "broken.db")


def test_a_corrupt_model_file_is_refused(tmp_path):
    db = tmp_path / "lib.db"
    bad = tmp_path / "translate-fr_en.argosmodel"
    bad.write_bytes(b"PK\x03\x04 definitely not a complete zip")
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    assert_one_clear_line(visavis("model", "install", str(bad), db=db, env=env), "argosmodel")
    assert not any((tmp_path / "packages").glob("*")) if (tmp_path / "packages").exists() else True


@pytest.mark.slow
def test_translate_and_show_with_the_synthetic_model(tmp_path, installed_synthetic_model):
    """The whole CLI path on a real .argosmodel: model status, translate with progress, cache, show."""
    db = tmp_path / "lib.db"
    env = {"VISAVIS_MAX_DECODING_LENGTH": "6"}
    status = visavis("model", "status", db=db, env=env)
    assert status.returncode == 0 and "installed" in status.stdout and "1.9" in status.stdout
    rows = json.loads(visavis("list", "--format", "json", db=db).stdout)
    short = min(rows, key=lambda r: r["n_sentences"])
    proc = visavis("translate", str(short["id"]), db=db, env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"{short['n_sentences']}" in proc.stderr  # the progress bar reached the total
    doc = json.loads(visavis("show", str(short["id"]), "--format", "json", db=db, env=env).stdout)
    assert doc["model"].startswith("argos:fr-en:")
    assert all(p["en"] for p in doc["pairs"])
    listed = {r["id"]: r for r in json.loads(visavis("list", "--format", "json", db=db).stdout)}
    assert listed[short["id"]]["n_translated"] == short["n_sentences"]
    # A second run finds everything cached and translates nothing.
    again = visavis("translate", str(short["id"]), db=db, env=env)
    assert again.returncode == 0 and "0 sentences translated" in again.stderr


def test_import_epub_as_one_article_or_per_chapter(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "importers"))
    from test_epub_import import build_epub

    book = build_epub(tmp_path / "livre.epub")
    db = tmp_path / "lib.db"
    one = visavis("import", str(book), db=db)
    assert one.returncode == 0, one.stderr
    assert len(one.stdout.split()) == 1
    per_chapter = visavis("import", "--epub-chapters", str(book), db=db)
    assert per_chapter.returncode == 0, per_chapter.stderr
    assert len(per_chapter.stdout.split()) > 1


def _stored_translations(db) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM translations").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_ctrl_c_cancels_translation_cleanly_and_keeps_finished_sentences(tmp_path, installed_synthetic_model):
    import signal
    import time

    db = tmp_path / "lib.db"
    rows = json.loads(visavis("list", "--format", "json", db=db).stdout)
    longest = max(rows, key=lambda r: r["n_sentences"])
    env = dict(os.environ, VISAVIS_DB=str(db), VISAVIS_MAX_DECODING_LENGTH="96")
    # A terminal's Ctrl-C: Python's own SIGINT handler, also under a runner that ignores SIGINT (an
    # ignored signal is inherited, and Python then installs no handler). Set in the child itself: no
    # preexec_fn, which is unsafe in a process with threads.
    start = (
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        f"sys.argv = ['visavis', 'translate', '{longest['id']}']; "
        "runpy.run_module('reader.cli', run_name='__main__', alter_sys=True)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", start],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    # Press Ctrl-C once the first translated sentences are stored (the whole article takes many more
    # batches at this decoding length): wait for that event, not for a guessed time.
    deadline = time.monotonic() + 300
    while _stored_translations(db) == 0:
        assert proc.poll() is None, f"the translation ended before Ctrl-C: {proc.stderr.read()}"
        assert time.monotonic() < deadline, "no sentence was translated"
        time.sleep(0.05)
    assert proc.poll() is None, "the translation ended before Ctrl-C"
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "cancelled" in err and "kept" in err
    listed = {r["id"]: r for r in json.loads(visavis("list", "--format", "json", db=db).stdout)}
    kept = listed[longest["id"]]["n_translated"]
    assert kept < longest["n_sentences"]
    assert f"cancelled; {kept} translated sentences" in err  # what it says is what the cache holds
    # Translating again finishes the rest and nothing more.
    again = visavis("translate", str(longest["id"]), db=db, env={"VISAVIS_MAX_DECODING_LENGTH": "8"})
    assert again.returncode == 0, again.stderr
    listed = {r["id"]: r for r in json.loads(visavis("list", "--format", "json", db=db).stdout)}
    assert listed[longest["id"]]["n_translated"] == longest["n_sentences"]

