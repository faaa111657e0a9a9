"""Several connections on one file (worker threads, a second instance) and crash safety."""

from __future__ import annotations

import subprocess
import sys
import threading
import textwrap
from pathlib import Path

from storage_samples import sample_article, simple_article

from reader.storage.schema import latest_version
from reader.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run_threads(target, n: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def wrapped(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted on
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_second_store_sees_committed_data(tmp_path):
    path = tmp_path / "lib.db"
    with Store(path) as main:
        article = sample_article()
        main.add_article(article)
        seen = {}

        def worker() -> None:
            with Store(path) as mine:  # its own connection, as a worker thread does
                seen["article"] = mine.get_article(article.id)
                mine.store_translations("m", {"Oui.": "Yes."})

        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert seen["article"] == article
        # ... and the main connection sees the worker's writes at once.
        assert main.cached_translations("m", ["Oui."]) == {"Oui.": "Yes."}
        assert main.list_articles(model_id="m")[0].n_translated == 1


def test_concurrent_writers_wait_instead_of_failing(tmp_path):
    path = tmp_path / "lib.db"
    Store(path).close()

    def writer(i: int) -> None:
        with Store(path) as s:
            for j in range(40):
                s.store_translations("m", {f"w{i} s{j} #{k}": f"t{k}" for k in range(20)})
                if j % 10 == 0:
                    article_id = s.add_article(simple_article(f"w{i}-{j}", "Un. Deux. Trois."))
                    s.set_edited_translation(article_id, 0, 1, "Two.")
                s.list_articles(model_id="m")  # readers interleave with writers

    errors = run_threads(writer, 4)
    assert errors == []
    with Store(path) as s:
        assert s.stats()["translations"] == 4 * 40 * 20
        assert len(s.list_articles()) == 4 * 4
        assert all(r.n_translated == 1 for r in s.list_articles())


def test_many_first_opens_at_once_create_one_schema(tmp_path):
    path = tmp_path / "new.db"

    def opener(i: int) -> None:
        with Store(path) as s:
            s.add_article(simple_article(f"a{i}", "x."))

    assert run_threads(opener, 6) == []
    with Store(path) as s:
        assert len(s.list_articles()) == 6
        assert s.schema_version == latest_version()


def test_a_killed_process_loses_no_committed_write(tmp_path):
    path = tmp_path / "lib.db"
    child = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from reader.core.model import Article, Paragraph, Sentence
        from reader.storage.store import Store
        s = Store({str(path)!r})
        s.add_article(Article("Gardé", [Paragraph("Un.", sentences=[Sentence(0, 3)])]))
        s.store_translations("m", {{"Un.": "One."}})
        # A write in progress when the process dies: never committed.
        s._conn.execute("BEGIN IMMEDIATE")
        s._conn.execute("INSERT INTO articles (title, added, content_hash) VALUES ('Perdu', 'now', 'h')")
        s._conn.executemany("INSERT INTO translations VALUES ('m', ?, 'x', 'now')",
                            [(f"src {{i}}",) for i in range(5000)])
        os._exit(9)
        """
    )
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert result.returncode == 9, result.stderr
    with Store(path) as s:
        assert [r.title for r in s.list_articles(model_id="m")] == ["Gardé"]
        assert s.list_articles(model_id="m")[0].n_translated == 1
        assert s.stats()["translations"] == 1
        assert s._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_reader_is_not_blocked_by_an_open_write(tmp_path):
    path = tmp_path / "lib.db"
    with Store(path) as a, Store(path) as b:
        a.add_article(simple_article("x", "Un."))
        a._conn.execute("BEGIN IMMEDIATE")
        a._conn.execute("INSERT INTO translations VALUES ('m', 'Un.', 'One.', 'now')")
        # WAL: the other connection reads the last committed state meanwhile.
        assert b.list_articles(model_id="m")[0].n_translated == 0
        a._conn.execute("COMMIT")
        assert b.list_articles(model_id="m")[0].n_translated == 1


def test_lock_held_too_long_is_a_storage_error(tmp_path, monkeypatch):
    import pytest

    from reader.core.errors import StorageError
    from reader.storage import connection as connection_module

    monkeypatch.setattr(connection_module, "BUSY_TIMEOUT", 0.2)
    path = tmp_path / "lib.db"
    with Store(path) as a, Store(path) as b:
        a._conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageError, match="locked"):
            b.store_translations("m", {"Un.": "One."})
        a._conn.execute("ROLLBACK")
        b.store_translations("m", {"Un.": "One."})  # fine once the lock is released


def test_a_workers_store_leaves_the_schema_alone_when_it_closes(tmp_path):
    """``PRAGMA optimize`` (an ANALYZE) on closing a worker's Store changed the schema under the window's
    connection; SQLite 3.40 then failed the window's next write, now and then, with « no such table:
    annotations » (tests/gui/test_changes.py, under load). Only the app's own Store optimizes, at quit.
    Likewise sqlite-utils' upsert, which created and dropped a probe table on every connection's first."""
    from storage_samples import sample_article

    db = tmp_path / "visavis.db"
    with Store(db, optimize=True) as window:
        article_id = window.add_article(sample_article())
        cookie = window._conn.execute("PRAGMA schema_version").fetchone()[0]
        for _ in range(3):
            with Store(db) as worker:
                worker.article_sentences(article_id)
                worker.untranslated_sentences(article_id, "m")
                worker.store_translations("m", {"M. Lavrov a parlé de sécurité.": "Mr Lavrov spoke of security."})
                worker.set_edited_translation(article_id, 1, 0, "Mr Lavrov talked about security.")
            assert window._conn.execute("PRAGMA schema_version").fetchone()[0] == cookie
        window.article_sentences(article_id)
        window.untranslated_sentences(article_id, "m")
    with Store(db) as again:  # the app's Store did optimize when it closed
        assert again._conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() == (1,)
