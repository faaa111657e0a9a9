"""SQLite and file-system errors → one clear ``StorageError`` sentence naming the database file.

The lowest module of ``reader.storage``: every table family uses :func:`guarded` (or :func:`mapped`),
and the connection uses :func:`storage_error` / :func:`os_storage_error` while opening. Programming
errors (closed store, wrong thread, constraint violations the code checks for) pass through unchanged.
"""

from __future__ import annotations

import errno
import functools
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.core.errors import StorageError

__all__ = ["disk_is_full", "guarded", "mapped", "os_storage_error", "storage_error"]

# SQLite primary result codes (``sqlite_errorcode & 0xFF``).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

#: Below this many free bytes on the database's disk, an input/output error is reported as a full disk
#: (SQLite reports ENOSPC while growing the WAL index ``-shm`` file as SQLITE_IOERR_SHMSIZE, "disk I/O
#: error", not as SQLITE_FULL: that is what a full disk says at open).
LOW_SPACE_BYTES = 1 << 20

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _full_message(path: Path | str) -> str:
    return f"Could not write to the database {path}: the disk is full (free some space and try again)."


def disk_is_full(path: Path | str) -> bool:
    """True when the disk that holds ``path`` (or its nearest existing folder) has almost no free space."""
    probe = Path(path)
    try:
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        return shutil.disk_usage(probe).free < LOW_SPACE_BYTES
    except OSError:
        return False


def storage_error(path: Path | str, exc: sqlite3.Error) -> StorageError:
    """One clear sentence for an SQLite error on ``path``."""
    code = _primary_code(exc)
    text = str(exc)
    low = text.lower()
    if code == SQLITE_FULL or "disk is full" in low:
        msg = _full_message(path)
    elif code == SQLITE_READONLY or "readonly" in low or "read-only" in low:
        msg = f"Could not write to the database {path}: it is read-only."
    elif code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in low:
        msg = (
            f"The database {path} stayed locked by another program or window for too long; "
            "try again in a moment."
        )
    elif code == SQLITE_NOTADB or "not a database" in low:
        msg = f"{path} is not a Vis-à-vis database (it is not an SQLite file); it was left untouched."
    elif code == SQLITE_CORRUPT or "malformed" in low:
        msg = (
            f"The database {path} is damaged ({text}); move it away or restore a backup, "
            "and Vis-à-vis will start a new one."
        )
    elif (code in (SQLITE_IOERR, SQLITE_CANTOPEN) or "disk i/o" in low or "unable to open" in low) and disk_is_full(
        path
    ):
        msg = _full_message(path)
    elif code == SQLITE_CANTOPEN or "unable to open" in low:
        msg = f"Could not open the database {path} (check that the folder exists and is writable)."
    elif code == SQLITE_IOERR or "disk i/o" in low:
        msg = f"Could not read or write the database {path}: input/output error ({text})."
    else:
        msg = f"Database error on {path}: {text}."
    return StorageError(msg)


def os_storage_error(path: Path | str, exc: OSError, doing: str) -> StorageError:
    """One sentence for a file-system error while ``doing`` something to the database (``doing`` reads
    like « Cannot create the database X: the folder cannot be created »)."""
    if exc.errno in _NO_SPACE:
        return StorageError(_full_message(path))
    return StorageError(f"{doing} ({exc.strerror or exc}).")


def _passes_through(exc: BaseException) -> bool:
    return isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.IntegrityError))


@contextmanager
def mapped(path: Path | str) -> Iterator[None]:
    """Inside: SQLite errors become ``StorageError`` for ``path`` (programming errors pass through)."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if _passes_through(exc):
            raise
        raise storage_error(path, exc) from exc


def guarded(method):
    """Turn SQLite errors of a public method into ``StorageError`` (uses ``self.path``)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if _passes_through(exc):
                raise
            raise storage_error(self.path, exc) from exc

    return wrapper
