"""Opening the library file: checks, permissions, pragmas, schema migrations, transactions.

Safety rules kept here:

* A file is only ever written after it was recognised as ours (``meta.app == "visavis"``) or as an empty
  database. A file that is not SQLite, or an SQLite database of another program, is refused with a
  ``StorageError`` and left byte-identical. Nothing here deletes or overwrites a user's file.
* A new library is private: the file (and so its ``-wal``/``-shm`` companions, which SQLite creates with
  the file's mode) is created 0600, every folder we create for it 0700.
* Every write runs in a ``BEGIN IMMEDIATE`` transaction (a failure leaves nothing half-written), in WAL
  mode with ``synchronous = FULL`` and a busy timeout, so a second instance or a worker thread waits for
  the lock instead of failing, and a crash or kill loses no committed write.
* SQLite and file-system errors become ``StorageError`` with one sentence naming the file
  (``reader.storage.errors``).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

from reader.core.errors import NotFoundError, StorageError
from reader.storage import schema
from reader.storage.errors import guarded, mapped, os_storage_error, storage_error

#: How long a connection waits for another one's write lock before giving up (seconds).
BUSY_TIMEOUT = 15.0


# Files whose integrity was already checked by this process, keyed by (path, size, mtime): a worker
# thread opening its own Store on an unchanged file does not pay for ``PRAGMA quick_check`` again.
_checked_paths: set[tuple[str, int, int]] = set()
_checked_lock = threading.Lock()


def now() -> str:
    """The current time as stored (ISO 8601, UTC, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each 0700 (folders that exist are left as they are)."""
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass


def default_db_path() -> Path:
    """``$VISAVIS_DB`` if set, else ``visavis.db`` in the user's data folder (platformdirs).

    The data folder is ours: it is created 0700, and made 0700 if an older version left it readable by
    others (the library holds private notes)."""
    env = os.environ.get("VISAVIS_DB", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    folder = Path(platformdirs.user_data_dir("visavis", appauthor=False))
    try:
        make_private_dirs(folder)
        st = folder.stat()
        if stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.geteuid():
            folder.chmod(0o700)
    except OSError as exc:
        raise os_storage_error(folder, exc, f"Cannot create the data folder {folder}") from exc
    return folder / "visavis.db"


class _Foreign(Exception):
    """Internal: the file is an SQLite database that is not ours."""


class StoreConnection:
    """Opens (creating or migrating) the database at ``path``; the base of every table family.

    Raises ``reader.core.errors.StorageError`` with one clear sentence for: a file that is not SQLite,
    a SQLite database that is not ours, a corrupt database, a database written by a newer version, a
    full disk. One instance per thread: a worker opens its own on the same file (WAL mode).

    ``optimize``: run ``PRAGMA optimize`` on closing (the window's own Store, closed when the app quits).
    Off by default, for the workers' Stores above all: its ANALYZE changes the schema for every other
    connection open on the library (their statements are prepared again), and SQLite 3.40 then failed
    the window's next write, now and then, with « no such table: annotations ».
    """

    def __init__(self, path: str | Path, *, optimize: bool = False) -> None:
        memory = str(path) == ":memory:"
        self.path = Path(":memory:") if memory else Path(path).expanduser()
        self._optimize = optimize
        self._closed = False
        if not memory:
            self._check_location()
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise storage_error(self.path, exc) from exc
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._open(check_integrity=not memory)
        except StorageError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise storage_error(self.path, exc) from exc
        except BaseException:
            conn.close()
            raise

    # --- opening ------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        """The same connection through sqlite-utils (schema changes, inserts and upserts).

        Made on first use: importing sqlite-utils also imports numpy (~150 ms), which opening an
        existing library to read it does not need (bench/gui_start.py ``cold_start_ms``)."""
        db = self.__dict__.get("_db")
        if db is None:
            import sqlite_utils

            db = self.__dict__["_db"] = sqlite_utils.Database(self._conn, execute_plugins=False)
        return db

    def _check_location(self) -> None:
        path = self.path
        if path.is_dir():
            raise StorageError(f"Cannot use {path} as the database: it is a folder, not a file.")
        parent = path.parent
        if not parent.exists():
            try:
                make_private_dirs(parent)
            except OSError as exc:
                raise os_storage_error(
                    path, exc, f"Cannot create the database {path}: the folder cannot be created"
                ) from exc
        elif not parent.is_dir():
            raise StorageError(f"Cannot create the database {path}: {parent} is not a folder.")
        if path.exists():
            # The file is never opened here, only by SQLite: closing any descriptor of a file drops every
            # POSIX lock this process holds on it, those of the Stores already open on it included (the
            # window's, when a worker opens its own), and another process could then checkpoint and
            # delete the WAL under them. SQLite itself refuses a file that is not a database (SQLITE_NOTADB,
            # « not an SQLite file ») before writing anything.
            if not os.access(path, os.R_OK):
                raise StorageError(f"Cannot read the database {path} (permission denied).")
            if not os.access(path, os.W_OK):
                raise StorageError(f"Cannot use the database {path}: the file is read-only.")
            return
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StorageError(f"Cannot create the database {path}: the folder {parent} is not writable.")
        # Create the (empty) file ourselves, private: SQLite would make it 0644.
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass  # another instance was quicker: the checks of the open come next
        except OSError as exc:
            raise os_storage_error(path, exc, f"Cannot create the database {path}") from exc

    def _foreign_error(self) -> StorageError:
        return StorageError(
            f"{self.path} is an SQLite database of another program, not a Vis-à-vis library; "
            "it was left untouched (choose another file)."
        )

    def _newer_error(self, version: int) -> StorageError:
        return StorageError(
            f"The database {self.path} was created by a newer version of Vis-à-vis (schema {version}, "
            f"this version knows up to {len(schema.MIGRATIONS)}); please update Vis-à-vis."
        )

    def _read_version(self) -> int | None:
        """Our schema version, None for an empty database; raises ``_Foreign`` for someone else's."""
        conn = self._conn
        objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id not in (0, schema.SQLITE_APPLICATION_ID):
            raise _Foreign
        if not objects:
            return None
        if "meta" not in {name for kind, name in objects if kind == "table"}:
            raise _Foreign
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:  # a "meta" table with other columns
            raise _Foreign from exc
        if meta.get("app") != schema.APP_ID:
            raise _Foreign
        try:
            return int(meta.get("schema_version", 0))
        except (TypeError, ValueError):
            raise StorageError(
                f"The database {self.path} is damaged (its schema version is unreadable); "
                "move it away or restore a backup."
            ) from None

    def _open(self, check_integrity: bool) -> None:
        conn = self._conn
        # Read-only checks first: nothing is written before the file is known to be ours.
        try:
            version = self._read_version()
        except _Foreign:
            raise self._foreign_error() from None
        if version is not None and version > len(schema.MIGRATIONS):
            raise self._newer_error(version)
        if version is not None and check_integrity:
            st = self.path.stat()
            key = (str(self.path.resolve()), st.st_size, st.st_mtime_ns)
            with _checked_lock:
                done = key in _checked_paths
            if not done:
                result = conn.execute("PRAGMA quick_check").fetchone()
                if not result or result[0] != "ok":
                    detail = result[0] if result else "no answer"
                    raise StorageError(
                        f"The database {self.path} is damaged ({detail}); move it away or restore a "
                        "backup, and Vis-à-vis will start a new one."
                    )
                with _checked_lock:
                    _checked_paths.add(key)
        # Ours (or empty): from here on we may write.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        if version is None or version < len(schema.MIGRATIONS):
            self._migrate()

    def _migrate(self) -> None:
        """Create the schema or bring it up to date: every missing migration and the new version in
        one transaction. Foreign keys are off meanwhile (a migration may rebuild a table that others
        reference: dropping the old one must not cascade) and checked before the commit."""
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before BEGIN
        try:
            with self._transaction():
                self._apply_migrations()
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _apply_migrations(self) -> None:
        conn = self._conn
        migrations = schema.MIGRATIONS
        # Re-read under the write lock: another instance may have created or upgraded it meanwhile.
        try:
            version = self._read_version()
        except _Foreign:
            raise self._foreign_error() from None
        if version is None:
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            # ``samples``: the sample articles are offered once, on the very first run (reader.ops.library).
            self.db.table("meta").insert_all(
                {"key": key, "value": value}
                for key, value in (("app", schema.APP_ID), ("created", now()), ("samples", "pending"))
            )
            version = 0
        if version > len(migrations):
            raise self._newer_error(version)
        for number in range(version + 1, len(migrations) + 1):
            try:
                migrations[number - 1](self.db)
            except sqlite3.DatabaseError:
                raise
            except Exception as exc:
                raise StorageError(
                    f"Could not upgrade the database {self.path} to schema version {number} ({exc}); "
                    "it was left unchanged."
                ) from exc
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise StorageError(
                f"Could not upgrade the database {self.path}: a row of {broken[0]} lost its reference to "
                f"{broken[2]}; it was left unchanged."
            )
        self._set_meta("schema_version", str(len(migrations)))

    # --- meta ---------------------------------------------------------------------------------
    def _get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._upsert("meta", [{"key": key, "value": value}], ("key",))

    def _upsert(self, table: str, rows: Iterable[dict], pk: tuple[str, ...]) -> None:
        """Insert ``rows`` (dicts with the same keys) into our ``table``, updating the other columns of a
        row whose primary key ``pk`` exists. Not sqlite-utils' ``upsert``: to learn whether SQLite has
        ``ON CONFLICT`` it creates and drops a table in the library, once per connection — a schema
        change under every other connection (every worker's first write did it), and ~2× slower."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        columns = list(first)
        names = ", ".join(f'"{c}"' for c in columns)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in pk)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        sql = (f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))}) '
               f'ON CONFLICT ({", ".join(pk)}) {action}')
        self._conn.executemany(sql, ([row[c] for c in columns] for row in itertools.chain((first,), rows)))

    @property
    def schema_version(self) -> int:
        value = self._get_meta("schema_version")
        return int(value) if value else 0

    # --- transactions -------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction (``BEGIN IMMEDIATE``: takes the write lock up front, waiting if busy)."""
        conn = self._conn
        if conn.in_transaction:  # nested: a savepoint
            conn.execute("SAVEPOINT visavis_nested")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO visavis_nested")
                    conn.execute("RELEASE visavis_nested")
                raise
            conn.execute("RELEASE visavis_nested")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A read transaction: several SELECTs see one consistent state."""
        conn = self._conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One write transaction around several Store calls (they nest as savepoints): everything
        inside is stored, or nothing. Used by ``reader.ops`` (e.g. a hand edit and the re-anchoring of
        the English side's annotations)."""
        with mapped(self.path), self._transaction():
            yield

    # --- shared checks --------------------------------------------------------------------------
    @guarded
    def article_exists(self, article_id: int) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def _require_article(self, article_id: int) -> None:
        if not self.article_exists(article_id):
            raise NotFoundError(f"No article with id {article_id}.")

    # --- the samples offered on the first run -------------------------------------------------
    @guarded
    def samples_pending(self) -> bool:
        """True until the sample articles were offered once (set when the library file is created;
        libraries created before this flag existed count as offered)."""
        return self._get_meta("samples") == "pending"

    @guarded
    def mark_samples_offered(self) -> None:
        with self._transaction():
            self._set_meta("samples", "offered")

    # --- maintenance --------------------------------------------------------------------------
    @guarded
    def stats(self) -> dict[str, Any]:
        """Counts and facts for an « About » box or ``visavis doctor``."""
        conn = self._conn
        with self._snapshot():
            counts = {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "paragraphs", "sentences", "translations", "edits")
            }
            models = dict(conn.execute("SELECT model_id, count(*) FROM translations GROUP BY model_id"))
        size = 0
        if str(self.path) != ":memory:":
            for suffix in ("", "-wal"):
                try:
                    size += os.path.getsize(str(self.path) + suffix)
                except OSError:
                    pass
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
            "size_bytes": size,
            "translations_by_model": models,
            **counts,
        }

    # --- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._optimize and not self._conn.in_transaction:
                self._conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"
