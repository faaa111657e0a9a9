"""Bad database files, unwritable places, disk full, schema migrations."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from storage_samples import sample_article, simple_article

from reader.core.errors import StorageError
from reader.storage import schema
from reader.storage.store import Store


def refused(path: Path, *words: str) -> str:
    with pytest.raises(StorageError) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message, message
    assert "\n" not in message
    for word in words:
        assert word in message, message
    return message


def make_library(path: Path, n: int = 30) -> None:
    with Store(path) as s:
        for i in range(n):
            s.add_article(sample_article(f"Article {i}"))
        s.store_translations("m", {f"phrase {i} " * 20: "x" * 200 for i in range(300)})
    assert not Path(str(path) + "-wal").exists()  # checkpointed on close: all data is in the main file


# --- files that are not ours -------------------------------------------------------------------


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Ceci n'est pas une base de données.\n" * 10, encoding="utf-8")
    before = path.read_bytes()
    refused(path, "not an SQLite file")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_random_bytes_are_refused_untouched(tmp_path):
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    refused(path)
    assert path.read_bytes() == before


def test_tiny_file_is_refused(tmp_path):
    path = tmp_path / "tiny.db"
    path.write_bytes(b"SQL")
    refused(path)
    assert path.read_bytes() == b"SQL"


def test_sqlite_header_with_garbage_is_refused(tmp_path):
    path = tmp_path / "fake.db"
    data = b"SQLite format 3\x00" + os.urandom(4096 - 16)
    path.write_bytes(data)
    refused(path)
    assert path.read_bytes() == data


def _foreign_db(path: Path, ddl: list[str]) -> bytes:
    conn = sqlite3.connect(path)
    for sql in ddl:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    "ddl",
    [
        ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('x')"],
        ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)", "INSERT INTO meta VALUES ('app', 'firefox')"],
        ["CREATE TABLE meta (name TEXT, version INTEGER)"],
        ["CREATE VIEW v AS SELECT 1"],
        ["PRAGMA application_id = 1234"],  # an empty database that another program claimed
        ["PRAGMA user_version = 7", "CREATE TABLE articles (id INTEGER PRIMARY KEY)"],
    ],
    ids=["other-tables", "other-meta", "meta-other-columns", "only-a-view", "other-application-id", "same-names"],
)
def test_someone_elses_database_is_refused_untouched(tmp_path, ddl):
    path = tmp_path / "other.sqlite"
    before = _foreign_db(path, ddl)
    refused(path, "another program", "untouched")
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


# --- damaged files -------------------------------------------------------------------------------


def test_truncated_database_is_refused(tmp_path):
    path = tmp_path / "lib.db"
    make_library(path)
    data = path.read_bytes()
    assert len(data) > 16 * 4096
    path.write_bytes(data[: len(data) // 2])
    refused(path, "damaged")
    assert path.stat().st_size == len(data) // 2  # not repaired, not replaced


def test_overwritten_pages_are_refused(tmp_path):
    path = tmp_path / "lib.db"
    make_library(path)
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(3, len(data) // page - 1, 2):  # scribble over every other page's header
        data[n * page : n * page + 64] = os.urandom(64)
    path.write_bytes(bytes(data))
    refused(path, "damaged")
    assert path.read_bytes() == bytes(data)


def test_unreadable_schema_version_is_refused(tmp_path):
    path = tmp_path / "lib.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'banana' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    refused(path, "damaged")


# --- places we cannot write --------------------------------------------------------------------


def test_folder_instead_of_file(tmp_path):
    refused(tmp_path, "folder")


def test_parent_is_a_file(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    refused(blocker / "lib.db")
    refused(blocker / "sub" / "lib.db")
    assert blocker.read_text() == "x"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        refused(folder / "lib.db", "not writable")
    finally:
        folder.chmod(0o700)


def test_empty_file_becomes_a_library(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as s:
        assert s.is_empty() and s.schema_version == schema.latest_version()


def test_disk_full_is_a_storage_error_and_leaves_nothing(tmp_path):
    path = tmp_path / "lib.db"
    with Store(path) as s:
        s.add_article(simple_article("Petit", "Un."))
        pages = s._conn.execute("PRAGMA page_count").fetchone()[0]
        s._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the « disk » is now almost full
        big = simple_article("Énorme", *[f"Phrase {i} " * 200 + "." for i in range(200)])
        with pytest.raises(StorageError) as info:
            s.add_article(big)
        assert "disk is full" in str(info.value) and str(path) in str(info.value)
        assert big.id is None
        assert [r.title for r in s.list_articles()] == ["Petit"]
        with pytest.raises(StorageError, match="disk is full"):
            s.store_translations("m", {f"phrase {i} " * 50: "y" * 500 for i in range(500)})
        assert s.stats()["translations"] == 0
        # The store is still usable for small writes and reads afterwards.
        s._conn.execute("PRAGMA max_page_count = 1073741823")
        s.add_article(simple_article("Après", "Deux."))
        assert len(s.list_articles()) == 2


# --- schema versions and migrations ------------------------------------------------------------


def test_new_database_has_schema_and_settings(tmp_path):
    path = tmp_path / "lib.db"
    with Store(path) as s:
        meta = dict(s._conn.execute("SELECT key, value FROM meta"))
        assert meta["app"] == "visavis" and meta["schema_version"] == str(schema.latest_version())
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert s._conn.execute("PRAGMA application_id").fetchone()[0] == schema.SQLITE_APPLICATION_ID
        tables = {r[0] for r in s._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"articles", "paragraphs", "sentences", "translations", "edits", "meta", "articles_fts"} <= tables


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "lib.db"
    make_library(path, n=2)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    refused(path, "newer version of Vis-à-vis")
    assert path.read_bytes() == before


def test_migration_from_version_0(tmp_path):
    """A database stamped as ours at version 0 (e.g. an interrupted first start) is brought up to date."""
    path = tmp_path / "lib.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [("app", "visavis"), ("schema_version", "0")])
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.schema_version == schema.latest_version()
        article = sample_article()
        s.add_article(article)
        assert s.get_article(article.id) == article


# The tests below append made-up migrations after the real ones (a table named « extras »).
N = schema.latest_version()


def _add_extras(db) -> None:
    db.execute(
        "CREATE TABLE extras (id INTEGER PRIMARY KEY, "
        "article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE, note TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX extras_by_article ON extras (article_id)")


def test_future_migration_is_applied_once_and_keeps_data(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    make_library(path, n=2)
    calls = []

    def migration_next(db) -> None:
        calls.append(N + 1)
        _add_extras(db)

    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", [*schema.MIGRATIONS, migration_next])
    with Store(path) as s:
        assert s.schema_version == N + 1
        assert len(s.list_articles()) == 2
        s._conn.execute("INSERT INTO extras (article_id, note) VALUES (1, 'à revoir')")
        s.delete_article(1)
        assert s._conn.execute("SELECT count(*) FROM extras").fetchone()[0] == 0  # cascades
    with Store(path) as s:  # already at N + 1: not applied again
        assert s.schema_version == N + 1
    assert calls == [N + 1]
    monkeypatch.undo()
    refused(path, "newer version")  # the older app refuses the upgraded file


def test_failed_migration_leaves_the_database_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    make_library(path, n=2)

    def migration_next(db) -> None:
        _add_extras(db)
        raise RuntimeError("boom")

    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", [*schema.MIGRATIONS, migration_next])
    message = refused(path, "Could not upgrade", "boom", "unchanged")
    assert f"version {N + 1}" in message
    monkeypatch.undo()
    with Store(path) as s:
        assert s.schema_version == N
        assert s._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'extras'").fetchone() is None
        assert len(s.list_articles()) == 2


def test_several_migrations_apply_in_order(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    order = []
    migrations = [*schema.MIGRATIONS]
    migrations.append(lambda db: (order.append(N + 1), _add_extras(db)))
    migrations.append(lambda db: (order.append(N + 2), db.execute("ALTER TABLE extras ADD COLUMN color TEXT")))
    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", migrations)
    with Store(path) as s:
        assert s.schema_version == N + 2
        s._conn.execute("INSERT INTO articles (title, added, content_hash) VALUES ('t', 'now', 'h')")
        s._conn.execute("INSERT INTO extras (article_id, note, color) VALUES (1, 'n', 'jaune')")
    assert order == [N + 1, N + 2]


def test_a_table_added_as_schema_py_says(tmp_path, monkeypatch):
    """The recipe in ``schema.py``'s docstring: a migration made with sqlite-utils (a table whose rows
    hang on a sentence, with a cascading compound foreign key, and an index), applied to an existing
    library inside the upgrade transaction."""
    path = tmp_path / "lib.db"
    make_library(path, n=2)

    def migration_next(db) -> None:
        db.table("word_alignments").create(
            {"article_id": int, "paragraph": int, "sentence": int, "model_id": str, "links": str},
            pk=("article_id", "paragraph", "sentence", "model_id"),
            not_null={"links"},
            foreign_keys=[
                schema.cascade(
                    "word_alignments", ("article_id", "paragraph", "sentence"),
                    "sentences", ("article_id", "paragraph", "idx"),
                )
            ],
        )
        db.table("word_alignments").create_index(["model_id"])

    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", [*schema.MIGRATIONS, migration_next])
    with Store(path) as s:
        assert s.schema_version == N + 1
        alignments = s.db.table("word_alignments")
        alignments.insert({"article_id": 1, "paragraph": 0, "sentence": 0, "model_id": "m", "links": "[[0, 0]]"})
        alignments.insert({"article_id": 2, "paragraph": 0, "sentence": 0, "model_id": "m", "links": "[]"})
        with pytest.raises(sqlite3.IntegrityError):  # no such sentence
            alignments.insert({"article_id": 2, "paragraph": 99, "sentence": 0, "model_id": "m", "links": "[]"})
        s.delete_article(1)
        assert [r["article_id"] for r in alignments.rows] == [2]


# --- private files ------------------------------------------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    """The usual umask, whatever the test runner has (restored after)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_library_is_private(tmp_path, umask_022):
    """Private notes: the database and its WAL files 0600, the folders we create 0700."""
    path = tmp_path / "new" / "deeper" / "lib.db"
    before = _mode(tmp_path)
    with Store(path) as s:
        s.add_article(simple_article("Secret", "Ma note."))
        for name in ("lib.db", "lib.db-wal", "lib.db-shm"):
            assert _mode(path.parent / name) == 0o600, name
    assert _mode(tmp_path / "new") == _mode(tmp_path / "new" / "deeper") == 0o700
    assert _mode(tmp_path) == before  # a folder we did not create is left as it is


def test_an_existing_folder_keeps_its_mode(tmp_path, umask_022):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    Store(folder / "lib.db").close()
    assert _mode(folder) == 0o755
    assert _mode(folder / "lib.db") == 0o600


def test_the_data_folder_is_private(monkeypatch, tmp_path, umask_022):
    from reader.storage.store import default_db_path

    monkeypatch.delenv("VISAVIS_DB", raising=False)
    folder = tmp_path / "data" / "visavis"
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(folder))
    assert default_db_path() == folder / "visavis.db"
    assert _mode(folder) == 0o700
    folder.chmod(0o755)  # as an older version left it: ours, so made private again
    default_db_path()
    assert _mode(folder) == 0o700


# --- a full disk ---------------------------------------------------------------------------------


class _ShmCannotGrow(sqlite3.Connection):
    """A connection on a full disk: SQLite cannot grow the WAL index (``-shm``) file when it enters
    WAL mode, and says « disk I/O error » (SQLITE_IOERR_SHMSIZE), not « disk is full »."""

    def execute(self, sql, *args):
        if "journal_mode" in sql:
            exc = sqlite3.OperationalError("disk I/O error")
            exc.sqlite_errorcode = 10 | (19 << 8)  # SQLITE_IOERR_SHMSIZE
            exc.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
            raise exc
        return super().execute(sql, *args)


@pytest.fixture
def full_disk_at_open(monkeypatch):
    """Call it with the free space to report: from then on, opening fails as on a full disk."""
    connect = sqlite3.connect

    def make(bytes_free: int) -> None:
        usage = shutil._ntuple_diskusage(10**12, 10**12 - bytes_free, bytes_free)
        monkeypatch.setattr(shutil, "disk_usage", lambda folder: usage)
        monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: connect(*a, factory=_ShmCannotGrow, **k))

    return make


def test_a_full_disk_at_open_says_the_disk_is_full(tmp_path, full_disk_at_open):
    path = tmp_path / "lib.db"
    Store(path).close()
    full_disk_at_open(0)
    message = refused(path, "disk is full")
    assert "input/output" not in message


def test_an_io_error_with_free_space_is_not_called_a_full_disk(tmp_path, full_disk_at_open):
    path = tmp_path / "lib.db"
    Store(path).close()
    full_disk_at_open(50 * 2**30)
    message = refused(path, "input/output error")
    assert "full" not in message


def test_no_space_for_the_folder_or_the_file_says_the_disk_is_full(tmp_path, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "mkdir", no_space)
    refused(tmp_path / "sub" / "lib.db", "disk is full")
    monkeypatch.undo()
    monkeypatch.setattr(os, "open", no_space)
    refused(tmp_path / "lib.db", "disk is full")


# --- locks ------------------------------------------------------------------------------------------


def test_opening_a_second_store_keeps_the_first_ones_locks(tmp_path):
    """Closing any descriptor of a file drops every POSIX lock the process holds on it. The open used to
    read the file's first bytes itself: a worker opening its Store dropped the window's locks, and the
    next program to close the library (the CLI) took itself for the last one, checkpointed and deleted
    the WAL the window was still writing to."""
    import subprocess
    import sys

    db = tmp_path / "visavis.db"
    wal = Path(str(db) + "-wal")
    with Store(db) as window:
        window.store_translations("m", {"une phrase": "a sentence"})
        assert wal.exists()
        Store(db).close()  # a worker's Store, in this process
        other = (f"import sqlite3; c = sqlite3.connect({str(db)!r}); "
                 "c.execute('SELECT count(*) FROM meta').fetchall(); c.close()")
        subprocess.run([sys.executable, "-c", other], check=True, timeout=120)
        assert wal.exists(), "another program deleted the WAL of an open library"
        window.store_translations("m", {"une autre": "another"})
    with Store(db) as again:
        assert again.cached_translations("m", ["une phrase", "une autre"]) == {
            "une phrase": "a sentence", "une autre": "another"}
