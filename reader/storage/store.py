"""The SQLite store (sqlite-utils): articles, paragraphs, sentences, translation cache, hand edits.

CONTRACT (implemented in this module; the CLI, jobs and GUI program against exactly these names).
One ``Store`` per thread: a worker thread opens its own ``Store(path)`` on the same file (WAL mode).

Safety rules kept here:

* A file is only ever written after it was recognised as ours (``meta.app == "visavis"``) or as an empty
  database. A file that is not SQLite, or an SQLite database of another program, is refused with a
  ``StorageError`` and left byte-identical. Nothing here deletes or overwrites a user's file.
* Every write runs in a ``BEGIN IMMEDIATE`` transaction (a failure leaves nothing half-written), in WAL
  mode with ``synchronous = FULL`` and a busy timeout, so a second instance or a worker thread waits for
  the lock instead of failing, and a crash or kill loses no committed write.
* SQLite errors raised by the public methods become ``StorageError`` with one sentence naming the file
  (disk full, read-only, locked for too long, damaged). Programming errors (closed store, wrong thread)
  are left as they are.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from reader.core.errors import NotFoundError, StorageError
from reader.core.model import Article, Paragraph, ParagraphKind, Sentence, Span, SpanKind
from reader.storage.alignments import AlignmentStoreMixin
from reader.storage.annotations import AnnotationStoreMixin
from reader.storage.glossary import GlossaryStoreMixin
from reader.storage.schema import APP_ID, MIGRATIONS, SQLITE_APPLICATION_ID


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the library list."""

    id: int
    title: str
    source: str | None
    author: str | None
    published: str | None  # as written
    published_iso: str | None
    added: str  # ISO timestamp of import
    n_paragraphs: int
    n_sentences: int
    n_translated: int  # sentences with a translation for the given model id (or a hand edit)
    place: str | None = None  # the dateline's place (« Moscou »)


@dataclass(frozen=True)
class ReplaceResult:
    """What ``Store.replace_article`` did with the article's hand edits."""

    kept_edits: int  # kept at their place or moved with their sentence's text
    dropped_edits: int  # their French sentence no longer exists (or is no longer unique)


@dataclass(frozen=True)
class SentenceTranslation:
    """The English side of one sentence."""

    machine: str | None  # cached machine translation for the model id, or None
    edited: str | None  # the user's hand edit, or None

    @property
    def text(self) -> str | None:
        """What to show: the hand edit if any, else the machine output."""
        return self.edited if self.edited is not None else self.machine


#: How long a connection waits for another one's write lock before giving up (seconds).
BUSY_TIMEOUT = 15.0
#: Bound parameters per ``IN (...)`` query (SQLite's historical limit is 999).
CHUNK = 500
#: At most this many words of a search are used.
MAX_QUERY_TOKENS = 32

_SQLITE_MAGIC = b"SQLite format 3\x00"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_WORD = re.compile(r"[^\W_]+")

# Files whose integrity was already checked by this process, keyed by (path, size, mtime): a worker
# thread opening its own Store on an unchanged file does not pay for ``PRAGMA quick_check`` again.
_checked_paths: set[tuple[str, int, int]] = set()
_checked_lock = threading.Lock()


def default_db_path() -> Path:
    """``$VISAVIS_DB`` if set, else ``visavis.db`` in the user's data folder (platformdirs)."""
    env = os.environ.get("VISAVIS_DB", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    folder = Path(platformdirs.user_data_dir("visavis", appauthor=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the data folder {folder}: {exc.strerror or exc}.") from exc
    return folder / "visavis.db"


# --- helpers ------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fold(text: str) -> str:
    """Text as indexed and searched: NFC, ligatures spelled out (« cœur » ↔ « coeur »)."""
    return unicodedata.normalize("NFC", text).translate(_LIGATURES)


def fts_match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for what the user typed, or None if it holds no word.

    Every word becomes a quoted prefix token (``"dipl"*``), ANDed together, so FTS syntax characters
    (quotes, ``-``, ``*``, ``:``, parentheses, AND/OR/NOT/NEAR) are never interpreted.
    """
    words = _WORD.findall(_fold(query))[:MAX_QUERY_TOKENS]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def content_hash(article: Article) -> str:
    """A stable fingerprint of an article's French text (title, kinds, speakers, paragraph texts)."""
    payload = [article.title, [[ParagraphKind(p.kind).value, p.speaker, p.text] for p in article.paragraphs]]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _spans_to_json(spans: list[Span]) -> str:
    return json.dumps(
        [[s.start, s.end, SpanKind(s.kind).value, s.href] for s in spans],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _spans_from_json(data: str | None) -> list[Span]:
    if not data:
        return []
    return [Span(int(s), int(e), SpanKind(k), href) for s, e, k, href in json.loads(data)]


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# SQLite primary result codes.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _storage_error(path: Path | str, exc: sqlite3.Error) -> StorageError:
    """One clear sentence for an SQLite error on ``path``."""
    code = _primary_code(exc)
    text = str(exc)
    low = text.lower()
    if code == _SQLITE_FULL or "disk is full" in low:
        msg = f"Could not write to the database {path}: the disk is full (free some space and try again)."
    elif code == _SQLITE_READONLY or "readonly" in low or "read-only" in low:
        msg = f"Could not write to the database {path}: it is read-only."
    elif code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in low:
        msg = (
            f"The database {path} stayed locked by another program or window for too long; "
            "try again in a moment."
        )
    elif code == _SQLITE_NOTADB or "not a database" in low:
        msg = f"{path} is not a Vis-à-vis database (it is not an SQLite file); it was left untouched."
    elif code == _SQLITE_CORRUPT or "malformed" in low:
        msg = (
            f"The database {path} is damaged ({text}); move it away or restore a backup, "
            "and Vis-à-vis will start a new one."
        )
    elif code == _SQLITE_CANTOPEN or "unable to open" in low:
        msg = f"Could not open the database {path} (check that the folder exists and is writable)."
    elif code == _SQLITE_IOERR or "disk i/o" in low:
        msg = f"Could not read or write the database {path}: input/output error ({text})."
    else:
        msg = f"Database error on {path}: {text}."
    return StorageError(msg)


def _guarded(method):
    """Turn SQLite errors of a public method into ``StorageError`` (programming errors pass through)."""

    @functools.wraps(method)
    def wrapper(self: Store, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.IntegrityError):
            raise
        except sqlite3.DatabaseError as exc:
            raise _storage_error(self.path, exc) from exc

    return wrapper


class _Foreign(Exception):
    """Internal: the file is an SQLite database that is not ours."""


# --- the store ----------------------------------------------------------------------------------



#: The article columns written from the model, on insert and on replace (``content_hash`` follows
#: them; ``added`` is set once, on insert).
_ARTICLE_META = ("title", "author", "published", "published_iso", "source", "source_url", "origin",
                 "source_lang", "target_lang", "place")


def _article_meta(article: Article) -> tuple:
    """Values for ``_ARTICLE_META`` then ``content_hash``."""
    return (*(getattr(article, c) for c in _ARTICLE_META), content_hash(article))

class Store(AnnotationStoreMixin, GlossaryStoreMixin, AlignmentStoreMixin):
    """Opens (creating or migrating) the database at ``path``.

    Raises ``reader.core.errors.StorageError`` with one clear sentence for: a file that is not SQLite,
    a SQLite database that is not ours, a corrupt database, a database written by a newer version.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser() if str(path) != ":memory:" else Path(":memory:")
        self._closed = False
        memory = str(path) == ":memory:"
        if not memory:
            self._check_location()
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc
        self._conn = conn
        try:
            self.db = sqlite_utils.Database(conn, execute_plugins=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._open(check_integrity=not memory)
        except StorageError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _storage_error(self.path, exc) from exc
        except BaseException:
            conn.close()
            raise

    # --- opening ------------------------------------------------------------------------------
    def _check_location(self) -> None:
        path = self.path
        if path.is_dir():
            raise StorageError(f"Cannot use {path} as the database: it is a folder, not a file.")
        parent = path.parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create the database {path}: the folder cannot be created ({exc.strerror or exc})."
                ) from exc
        elif not parent.is_dir():
            raise StorageError(f"Cannot create the database {path}: {parent} is not a folder.")
        if path.exists():
            try:
                with open(path, "rb") as fh:
                    head = fh.read(len(_SQLITE_MAGIC))
            except OSError as exc:
                raise StorageError(f"Cannot read the database {path}: {exc.strerror or exc}.") from exc
            if head and head != _SQLITE_MAGIC:
                raise StorageError(
                    f"{path} is not a Vis-à-vis database (it is not an SQLite file); it was left untouched."
                )
            if not os.access(path, os.W_OK):
                raise StorageError(f"Cannot use the database {path}: the file is read-only.")
        elif not os.access(parent, os.W_OK | os.X_OK):
            raise StorageError(f"Cannot create the database {path}: the folder {parent} is not writable.")

    def _foreign_error(self) -> StorageError:
        return StorageError(
            f"{self.path} is an SQLite database of another program, not a Vis-à-vis library; "
            "it was left untouched (choose another file)."
        )

    def _newer_error(self, version: int) -> StorageError:
        return StorageError(
            f"The database {self.path} was created by a newer version of Vis-à-vis (schema {version}, "
            f"this version knows up to {len(MIGRATIONS)}); please update Vis-à-vis."
        )

    def _read_version(self) -> int | None:
        """Our schema version, None for an empty database; raises ``_Foreign`` for someone else's."""
        conn = self._conn
        objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id not in (0, SQLITE_APPLICATION_ID):
            raise _Foreign
        if not objects:
            return None
        if "meta" not in {name for kind, name in objects if kind == "table"}:
            raise _Foreign
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:  # a "meta" table with other columns
            raise _Foreign from exc
        if meta.get("app") != APP_ID:
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
        if version is not None and version > len(MIGRATIONS):
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
        if version is None or version < len(MIGRATIONS):
            self._migrate()

    def _migrate(self) -> None:
        """Create the schema or bring it up to date, atomically."""
        conn = self._conn
        with self._transaction():
            # Re-read under the write lock: another instance may have created or upgraded it meanwhile.
            try:
                version = self._read_version()
            except _Foreign:
                raise self._foreign_error() from None
            if version is None:
                conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("INSERT INTO meta (key, value) VALUES ('app', ?)", (APP_ID,))
                conn.execute("INSERT INTO meta (key, value) VALUES ('created', ?)", (_now(),))
                version = 0
            if version > len(MIGRATIONS):
                raise self._newer_error(version)
            for number in range(version + 1, len(MIGRATIONS) + 1):
                try:
                    MIGRATIONS[number - 1](self.db)
                except sqlite3.DatabaseError:
                    raise
                except Exception as exc:
                    raise StorageError(
                        f"Could not upgrade the database {self.path} to schema version {number} ({exc}); "
                        "it was left unchanged."
                    ) from exc
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(len(MIGRATIONS)),),
            )

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

    # --- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if not self._conn.in_transaction:
                self._conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def schema_version(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    # --- articles -----------------------------------------------------------------------------
    @_guarded
    def is_empty(self) -> bool:
        """True when the library holds no article."""
        return self._conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

    @_guarded
    def article_exists(self, article_id: int) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def _require_article(self, article_id: int) -> None:
        if not self.article_exists(article_id):
            raise NotFoundError(f"No article with id {article_id}.")

    def _insert_article(self, article: Article) -> int:
        conn = self._conn
        columns = (*_ARTICLE_META, "content_hash", "added")
        cur = conn.execute(
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            (*_article_meta(article), _now()),
        )
        article_id = int(cur.lastrowid)
        self._insert_body(article_id, article)
        self._insert_fts(article_id, article)
        return article_id

    def _insert_body(self, article_id: int, article: Article) -> None:
        """Insert the paragraphs and sentences of ``article`` under ``article_id``."""
        conn = self._conn
        conn.executemany(
            "INSERT INTO paragraphs (article_id, idx, kind, speaker, text, spans) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (article_id, pi, ParagraphKind(p.kind).value, p.speaker, p.text, _spans_to_json(p.spans))
                for pi, p in enumerate(article.paragraphs)
            ],
        )
        conn.executemany(
            'INSERT INTO sentences (article_id, paragraph, idx, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (article_id, pi, si, s.start, s.end, s.text_in(p.text))
                for pi, p in enumerate(article.paragraphs)
                for si, s in enumerate(p.sentences)
            ],
        )

    def _insert_fts(self, article_id: int, article: Article) -> None:
        body = "\n".join(p.text for p in article.paragraphs)
        self._conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (article_id, _fold(article.title), _fold(body)),
        )

    @_guarded
    def add_article(self, article: Article) -> int:
        """Store a segmented article (paragraphs, spans, sentences) in one transaction; return its id."""
        with self._transaction():
            article_id = self._insert_article(article)
        article.id = article_id
        return article_id

    @_guarded
    def add_articles(self, articles: Iterable[Article]) -> list[int]:
        """Store several articles in one transaction (all or none); set and return their ids."""
        articles = list(articles)
        with self._transaction():
            ids = [self._insert_article(a) for a in articles]
        for article, article_id in zip(articles, ids):
            article.id = article_id
        return ids

    @_guarded
    def replace_article(self, article_id: int, article: Article) -> ReplaceResult:
        """Replace an article's metadata, paragraphs, sentences and search row by ``article``'s, in one
        transaction, keeping its id, ``added`` date, annotations and the translation cache.

        Hand edits are keyed by (paragraph, sentence): an edit stays where the sentence at its place has
        the same French text as before; otherwise it follows its text to its new place if that text occurs
        exactly once in the new article; otherwise it is dropped (counted in ``dropped_edits``).
        Annotations are not re-placed here: see ``reader.ops.annotate.reanchor_article``.
        ``NotFoundError`` if there is no such article.
        """
        conn = self._conn
        with self._transaction():
            self._require_article(article_id)
            old_text = {
                (p, s): text
                for p, s, text in conn.execute(
                    "SELECT paragraph, idx, text FROM sentences WHERE article_id = ?", (article_id,)
                )
            }
            edits = conn.execute(
                "SELECT paragraph, sentence, text, modified FROM edits WHERE article_id = ? "
                "ORDER BY paragraph, sentence",
                (article_id,),
            ).fetchall()
            new_text: dict[tuple[int, int], str] = {
                (pi, si): s.text_in(p.text)
                for pi, p in enumerate(article.paragraphs)
                for si, s in enumerate(p.sentences)
            }
            places: dict[str, list[tuple[int, int]]] = {}
            for key, text in new_text.items():
                places.setdefault(text, []).append(key)
            kept: dict[tuple[int, int], tuple[str, str]] = {}
            pending = []
            for p, s, text, modified in edits:  # first: edits whose sentence is unchanged in place
                french = old_text.get((p, s))
                if french is not None and new_text.get((p, s)) == french:
                    kept[(p, s)] = (text, modified)
                else:
                    pending.append((french, text, modified))
            dropped = 0
            for french, text, modified in pending:  # then: edits that follow their sentence's text
                where = places.get(french, []) if french is not None else []
                if len(where) == 1 and where[0] not in kept:
                    kept[where[0]] = (text, modified)
                else:
                    dropped += 1
            conn.execute("DELETE FROM edits WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM paragraphs WHERE article_id = ?", (article_id,))
            assignments = ", ".join(f"{c} = ?" for c in (*_ARTICLE_META, "content_hash"))
            conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*_article_meta(article), article_id))
            self._insert_body(article_id, article)
            conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
            self._insert_fts(article_id, article)
            conn.executemany(
                "INSERT INTO edits (article_id, paragraph, sentence, text, modified) VALUES (?, ?, ?, ?, ?)",
                [(article_id, p, s, text, modified) for (p, s), (text, modified) in sorted(kept.items())],
            )
        article.id = article_id
        return ReplaceResult(kept_edits=len(kept), dropped_edits=dropped)

    @_guarded
    def find_by_origin(self, origin: str, title: str | None = None) -> int | None:
        """The id of the newest article imported from a file named ``origin`` (and titled ``title`` when
        given), or None."""
        if not origin:
            return None
        sql, params = "SELECT id FROM articles WHERE origin = ?", [origin]
        if title is not None:
            sql += " AND title = ?"
            params.append(title)
        row = self._conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return int(row[0]) if row else None

    @_guarded
    def find_by_hash(self, digest: str) -> int | None:
        """The id of the newest article whose ``content_hash`` is ``digest`` (see ``content_hash()``)."""
        row = self._conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY id DESC LIMIT 1", (digest,)
        ).fetchone()
        return int(row[0]) if row else None

    @_guarded
    def get_article(self, article_id: int) -> Article:
        """The article with paragraphs, spans and sentences. ``NotFoundError`` if there is none."""
        conn = self._conn
        with self._snapshot():
            row = conn.execute(
                """
                SELECT id, title, author, published, published_iso, source, source_url, origin,
                       source_lang, target_lang, place
                  FROM articles WHERE id = ?
                """,
                (article_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"No article with id {article_id}.")
            paragraphs = [
                Paragraph(
                    text=text,
                    kind=ParagraphKind(kind),
                    speaker=speaker,
                    spans=_spans_from_json(spans),
                )
                for text, kind, speaker, spans in conn.execute(
                    "SELECT text, kind, speaker, spans FROM paragraphs WHERE article_id = ? ORDER BY idx",
                    (article_id,),
                )
            ]
            for pi, start, end in conn.execute(
                'SELECT paragraph, start, "end" FROM sentences WHERE article_id = ? ORDER BY paragraph, idx',
                (article_id,),
            ):
                paragraphs[pi].sentences.append(Sentence(start, end))
        (aid, title, author, published, published_iso, source, source_url, origin, src, tgt, place) = row
        return Article(
            title=title,
            paragraphs=paragraphs,
            author=author,
            published=published,
            published_iso=published_iso,
            source=source,
            source_url=source_url,
            origin=origin,
            source_lang=src,
            target_lang=tgt,
            id=aid,
            place=place,
        )

    @_guarded
    def list_articles(self, model_id: str | None = None, query: str | None = None) -> list[ArticleSummary]:
        """All articles (newest first); ``query`` filters with FTS5 over title and text.

        ``query`` is what the user typed: every word matches as a prefix, accents and case ignored
        (« dipl securite » finds « diplomatie … sécurité »); a query without any word lists everything.
        ``n_translated`` counts sentences with a machine translation for ``model_id`` or a hand edit
        (only hand edits when ``model_id`` is None).
        """
        where = ""
        params: dict[str, Any] = {"model": model_id}
        match = fts_match_expression(query) if query else None
        if match is not None:
            where = "WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match)"
            params["match"] = match
        sql = f"""
            SELECT a.id, a.title, a.source, a.author, a.published, a.published_iso, a.added,
                   (SELECT count(*) FROM paragraphs p WHERE p.article_id = a.id),
                   (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),
                   (SELECT count(*) FROM sentences s
                     WHERE s.article_id = a.id
                       AND (EXISTS (SELECT 1 FROM translations t
                                     WHERE t.model_id = :model AND t.source = s.text)
                            OR EXISTS (SELECT 1 FROM edits e
                                        WHERE e.article_id = s.article_id AND e.paragraph = s.paragraph
                                          AND e.sentence = s.idx))),
                   a.place
              FROM articles a
              {where}
             ORDER BY a.added DESC, a.id DESC
        """
        with self._snapshot():
            rows = self._conn.execute(sql, params).fetchall()
        return [ArticleSummary(*row) for row in rows]

    @_guarded
    def delete_article(self, article_id: int) -> None:
        """Delete an article with its paragraphs, sentences and hand edits (the cache is kept).

        ``NotFoundError`` if there is none.
        """
        with self._transaction():
            cur = self._conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"No article with id {article_id}.")

    @_guarded
    def article_sentences(self, article_id: int) -> list[tuple[int, int, str]]:
        """(paragraph index, sentence index, text) of every sentence, in reading order."""
        with self._snapshot():
            self._require_article(article_id)
            return [
                (p, s, text)
                for p, s, text in self._conn.execute(
                    "SELECT paragraph, idx, text FROM sentences WHERE article_id = ? ORDER BY paragraph, idx",
                    (article_id,),
                )
            ]

    @_guarded
    def untranslated_sentences(self, article_id: int, model_id: str) -> list[str]:
        """Distinct sentence texts of the article with no machine translation for ``model_id``.

        In reading order of their first occurrence. Hand edits do not count (the machine output is
        still wanted for the « machine » view).
        """
        with self._snapshot():
            self._require_article(article_id)
            rows = self._conn.execute(
                """
                SELECT s.text FROM sentences s
                 WHERE s.article_id = ?
                   AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.model_id = ? AND t.source = s.text)
                 ORDER BY s.paragraph, s.idx
                """,
                (article_id, model_id),
            ).fetchall()
        return list(dict.fromkeys(text for (text,) in rows))

    # --- translations -------------------------------------------------------------------------
    @_guarded
    def cached_translations(self, model_id: str, sources: Iterable[str]) -> dict[str, str]:
        """Machine translations already cached for these exact source sentences."""
        unique = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        with self._snapshot():
            for chunk in _chunks(unique):
                marks = ",".join("?" * len(chunk))
                found.update(
                    self._conn.execute(
                        f"SELECT source, target FROM translations WHERE model_id = ? AND source IN ({marks})",
                        [model_id, *chunk],
                    ).fetchall()
                )
        return found

    @_guarded
    def store_translations(self, model_id: str, pairs: dict[str, str]) -> None:
        """Cache machine translations (source sentence → English) for ``model_id``."""
        if not pairs:
            return
        created = _now()
        with self._transaction():
            self._conn.executemany(
                """
                INSERT INTO translations (model_id, source, target, created) VALUES (?, ?, ?, ?)
                ON CONFLICT (model_id, source) DO UPDATE SET target = excluded.target, created = excluded.created
                """,
                [(model_id, source, target, created) for source, target in pairs.items()],
            )

    @_guarded
    def article_translations(self, article_id: int, model_id: str) -> list[list[SentenceTranslation]]:
        """Per paragraph, per sentence: the English side (machine for ``model_id`` and/or hand edit)."""
        conn = self._conn
        with self._snapshot():
            self._require_article(article_id)
            (n_paragraphs,) = conn.execute(
                "SELECT count(*) FROM paragraphs WHERE article_id = ?", (article_id,)
            ).fetchone()
            result: list[list[SentenceTranslation]] = [[] for _ in range(n_paragraphs)]
            for p, machine, edited in conn.execute(
                """
                SELECT s.paragraph, t.target, e.text
                  FROM sentences s
                  LEFT JOIN translations t ON t.model_id = ? AND t.source = s.text
                  LEFT JOIN edits e
                         ON e.article_id = s.article_id AND e.paragraph = s.paragraph AND e.sentence = s.idx
                 WHERE s.article_id = ?
                 ORDER BY s.paragraph, s.idx
                """,
                (model_id, article_id),
            ):
                result[p].append(SentenceTranslation(machine=machine, edited=edited))
        return result

    @_guarded
    def set_edited_translation(self, article_id: int, paragraph: int, sentence: int, text: str | None) -> None:
        """Store the user's hand edit of one sentence's English (``None`` reverts to the machine output)."""
        conn = self._conn
        with self._transaction():
            exists = conn.execute(
                "SELECT 1 FROM sentences WHERE article_id = ? AND paragraph = ? AND idx = ?",
                (article_id, paragraph, sentence),
            ).fetchone()
            if exists is None:
                if not self.article_exists(article_id):
                    raise NotFoundError(f"No article with id {article_id}.")
                raise NotFoundError(f"Article {article_id} has no sentence {sentence} in paragraph {paragraph}.")
            if text is None:
                conn.execute(
                    "DELETE FROM edits WHERE article_id = ? AND paragraph = ? AND sentence = ?",
                    (article_id, paragraph, sentence),
                )
            else:
                conn.execute(
                    """
                    INSERT INTO edits (article_id, paragraph, sentence, text, modified) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (article_id, paragraph, sentence)
                    DO UPDATE SET text = excluded.text, modified = excluded.modified
                    """,
                    (article_id, paragraph, sentence, text, _now()),
                )

    # --- maintenance --------------------------------------------------------------------------
    @_guarded
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

    @_guarded
    def rebuild_search_index(self) -> None:
        """Refill the full-text index from the articles (after a migration or a manual repair)."""
        conn = self._conn
        with self._transaction():
            conn.execute("DELETE FROM articles_fts")
            rows = conn.execute(
                """
                SELECT a.id, a.title, coalesce(group_concat(p.text, char(10)), '')
                  FROM articles a
                  LEFT JOIN (SELECT article_id, text FROM paragraphs ORDER BY article_id, idx) p
                         ON p.article_id = a.id
                 GROUP BY a.id
                """
            ).fetchall()
            conn.executemany(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                [(aid, _fold(title), _fold(body)) for aid, title, body in rows],
            )
