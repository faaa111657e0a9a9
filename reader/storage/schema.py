"""The database schema as an ordered list of forward migrations.

``MIGRATIONS[n - 1]`` brings a database from schema version ``n - 1`` to ``n``; a new library runs them
all. ``StoreConnection`` applies the missing ones in order, all inside one ``BEGIN IMMEDIATE``
transaction together with the update of ``meta.schema_version`` (an upgrade happens completely or not
at all), with foreign keys off meanwhile and checked (``PRAGMA foreign_key_check``) before the commit,
so a migration may rebuild a table that others reference.

Adding a migration (never edit one that has shipped — user libraries were made by it):

1. write ``def migration_N(db: sqlite_utils.Database) -> None`` below, with sqlite-utils where it
   fits: ``db.table("x").create({...}, pk=..., not_null=..., defaults=..., foreign_keys=[...])`` (a
   cascading foreign key: :func:`cascade`), ``.create_index([...])``, ``.add_column(...)``,
   ``.transform(...)`` (it loses the table's triggers: make them again); plain ``db.execute(sql)`` for what sqlite-utils cannot say (``WITHOUT ROWID``,
   ``CHECK``, partial indexes, triggers, FTS5 tables with our folded text — see ``search.py``);
2. append it to ``MIGRATIONS``;
3. run ``tests/storage/test_storage_upgrade.py``: it builds a library of every earlier version, fills
   it, upgrades it and checks that every row survives and that the schema equals a new library's. If
   the new table holds user data, add rows for it to ``fill`` there (``if version >= N``), so that the
   migrations after yours are checked against them.

The migration runs inside the open transaction and must not commit (sqlite-utils 4 joins an open
transaction; never call ``sqlite3``'s ``executescript``, which commits).
"""

from __future__ import annotations

from collections.abc import Callable

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: sqlite-utils imports numpy (~150 ms), opening a library needs neither
    import sqlite_utils
    from sqlite_utils.db import ForeignKey

#: The value of ``meta.app`` that marks a database as ours.
APP_ID = "visavis"
#: ``PRAGMA application_id`` (header bytes 68-71): "VsVs". A second, cheap marker for tools like ``file``.
SQLITE_APPLICATION_ID = 0x56735673

#: The FTS5 tokenizer: case-folding, accent-insensitive (« securite » matches « sécurité »).
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


#: The triggers that keep ``articles_fts`` in step with ``articles`` (created by migration 1, again by
#: migration 4 after the rebuild of ``articles``).
_ARTICLES_FTS_TRIGGERS = [
    """
            CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
                DELETE FROM articles_fts WHERE rowid = old.id;
            END
            """,
    """
            CREATE TRIGGER IF NOT EXISTS articles_fts_title AFTER UPDATE OF title ON articles BEGIN
                UPDATE articles_fts
                   SET title = replace(replace(replace(replace(new.title, 'œ', 'oe'), 'Œ', 'OE'),
                                               'æ', 'ae'), 'Æ', 'AE')
                 WHERE rowid = new.id;
            END
            """,
]


def cascade(table: str, columns: tuple[str, ...], other_table: str, other_columns: tuple[str, ...]) -> ForeignKey:
    from sqlite_utils.db import ForeignKey

    """A foreign key of ``table`` (one or more columns) whose rows go when their ``other_table`` row
    is deleted, for ``Table.create(..., foreign_keys=[...])``."""
    if len(columns) == 1:
        return ForeignKey(table, columns[0], other_table, other_columns[0], on_delete="CASCADE")
    return ForeignKey(
        table, None, other_table, None, columns=columns, other_columns=other_columns, is_compound=True,
        on_delete="CASCADE",
    )


def _execute_all(db: sqlite_utils.Database, statements: list[str]) -> None:
    for sql in statements:
        db.conn.execute(sql)


def migration_1(db: sqlite_utils.Database) -> None:
    """Articles, paragraphs, sentences, the translation cache, hand edits and full-text search."""
    _execute_all(
        db,
        [
            """
            CREATE TABLE IF NOT EXISTS articles (
                id            INTEGER PRIMARY KEY,
                title         TEXT NOT NULL,
                author        TEXT,
                published     TEXT,
                published_iso TEXT,
                source        TEXT,
                source_url    TEXT,
                origin        TEXT,
                source_lang   TEXT NOT NULL DEFAULT 'fr',
                target_lang   TEXT NOT NULL DEFAULT 'en',
                added         TEXT NOT NULL,
                content_hash  TEXT NOT NULL
            )
            """,
            "CREATE INDEX IF NOT EXISTS articles_by_added ON articles (added DESC, id DESC)",
            "CREATE INDEX IF NOT EXISTS articles_by_hash ON articles (content_hash)",
            """
            CREATE TABLE IF NOT EXISTS paragraphs (
                article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                idx        INTEGER NOT NULL,
                kind       TEXT NOT NULL DEFAULT 'body',
                speaker    TEXT,
                text       TEXT NOT NULL,
                spans      TEXT NOT NULL DEFAULT '[]',  -- JSON: [[start, end, kind, href], ...]
                PRIMARY KEY (article_id, idx)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS sentences (
                article_id INTEGER NOT NULL,
                paragraph  INTEGER NOT NULL,
                idx        INTEGER NOT NULL,
                start      INTEGER NOT NULL,
                "end"      INTEGER NOT NULL,
                text       TEXT NOT NULL,  -- paragraph.text[start:end], denormalised for the cache join
                PRIMARY KEY (article_id, paragraph, idx),
                FOREIGN KEY (article_id, paragraph)
                    REFERENCES paragraphs (article_id, idx) ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS translations (
                model_id TEXT NOT NULL,
                source   TEXT NOT NULL,
                target   TEXT NOT NULL,
                created  TEXT NOT NULL,
                PRIMARY KEY (model_id, source)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE IF NOT EXISTS edits (
                article_id INTEGER NOT NULL,
                paragraph  INTEGER NOT NULL,
                sentence   INTEGER NOT NULL,
                text       TEXT NOT NULL,
                modified   TEXT NOT NULL,
                PRIMARY KEY (article_id, paragraph, sentence),
                FOREIGN KEY (article_id, paragraph, sentence)
                    REFERENCES sentences (article_id, paragraph, idx) ON DELETE CASCADE
            )
            """,
            # One row per article (rowid = articles.id): the title and all paragraph texts, folded
            # (NFC, œ → oe, æ → ae). Filled by Store.add_article in the same transaction; kept in sync on
            # delete and title change by the triggers below.
            f"""
            CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts
                USING fts5 (title, body, tokenize = '{FTS_TOKENIZE}')
            """,
            *_ARTICLES_FTS_TRIGGERS,
            f"PRAGMA application_id = {SQLITE_APPLICATION_ID}",
        ],
    )


def migration_2(db: sqlite_utils.Database) -> None:
    """Annotations (highlights and notes) and the glossary, each with its full-text index.

    Annotations: the public key is the ``urn:uuid:`` IRI in ``id`` (NOT NULL UNIQUE); ``rid`` is an
    explicit ``INTEGER PRIMARY KEY`` only because an implicit rowid may be renumbered by ``VACUUM``, and
    the FTS rows and the tag index hang on it. ``tags`` (JSON list) is the truth; ``annotation_tags`` is
    an index of it (one row per tag, ``key`` case-folded) kept by ``reader.storage.annotations`` in the
    same transaction, for fast tag filters and the tag list.

    FTS rows are written from Python (text folded like ``articles_fts``: NFC, œ → oe) in the same
    transaction as the row; the delete triggers remove them, also when an article delete cascades.
    """
    _execute_all(
        db,
        [
            """
            CREATE TABLE IF NOT EXISTS annotations (
                rid        INTEGER PRIMARY KEY,
                id         TEXT NOT NULL UNIQUE,  -- urn:uuid:…
                article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                side       TEXT NOT NULL CHECK (side IN ('fr', 'en')),
                start      INTEGER NOT NULL,
                "end"      INTEGER NOT NULL,
                exact      TEXT NOT NULL,
                prefix     TEXT NOT NULL DEFAULT '',
                suffix     TEXT NOT NULL DEFAULT '',
                note       TEXT NOT NULL DEFAULT '',
                color      TEXT NOT NULL,
                tags       TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
                created    TEXT NOT NULL,
                modified   TEXT NOT NULL,
                status     TEXT NOT NULL DEFAULT 'anchored'
            )
            """,
            # Opening an article: its annotations in reading order per side.
            'CREATE INDEX IF NOT EXISTS annotations_by_article ON annotations (article_id, side, start, "end")',
            "CREATE INDEX IF NOT EXISTS annotations_by_color ON annotations (color, article_id)",
            "CREATE INDEX IF NOT EXISTS annotations_by_status ON annotations (status) WHERE status != 'anchored'",
            """
            CREATE TABLE IF NOT EXISTS annotation_tags (
                rid INTEGER NOT NULL REFERENCES annotations (rid) ON DELETE CASCADE,
                key TEXT NOT NULL,  -- casefold(tag)
                tag TEXT NOT NULL,  -- as written
                PRIMARY KEY (key, rid)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX IF NOT EXISTS annotation_tags_by_rid ON annotation_tags (rid)",
            f"""
            CREATE VIRTUAL TABLE IF NOT EXISTS annotations_fts
                USING fts5 (note, exact, tags, tokenize = '{FTS_TOKENIZE}')
            """,
            """
            CREATE TRIGGER IF NOT EXISTS annotations_fts_delete AFTER DELETE ON annotations BEGIN
                DELETE FROM annotations_fts WHERE rowid = old.rid;
                DELETE FROM annotation_tags WHERE rid = old.rid;  -- also without foreign_keys = ON
            END
            """,
            """
            CREATE TABLE IF NOT EXISTS glossary (
                id          INTEGER PRIMARY KEY,
                term        TEXT NOT NULL,
                translation TEXT NOT NULL DEFAULT '',
                note        TEXT NOT NULL DEFAULT '',
                tags        TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
                key         TEXT NOT NULL UNIQUE,        -- reader.core.glossary.normalise_term(term)
                created     TEXT NOT NULL,
                modified    TEXT NOT NULL
            )
            """,
            "CREATE INDEX IF NOT EXISTS glossary_by_term ON glossary (term COLLATE NOCASE)",
            f"""
            CREATE VIRTUAL TABLE IF NOT EXISTS glossary_fts
                USING fts5 (term, translation, note, key, tokenize = '{FTS_TOKENIZE}')
            """,
            """
            CREATE TRIGGER IF NOT EXISTS glossary_fts_delete AFTER DELETE ON glossary BEGIN
                DELETE FROM glossary_fts WHERE rowid = old.id;
            END
            """,
        ],
    )


def migration_3(db: sqlite_utils.Database) -> None:
    """``articles.place``: the dateline's place (« Moscou » in « Moscou, 26 octobre 2025 »), nullable.

    ``ADD COLUMN`` has no ``IF NOT EXISTS``; the column is only added when missing. (Written with raw
    ``ALTER TABLE`` when it shipped; sqlite-utils' ``add_column`` adds the same column, and migration 4
    rebuilds the table anyway: ``test_storage_upgrade.py`` shows a version-3 library ends identical.)
    """
    articles = db.table("articles")
    if "place" not in articles.columns_dict:
        articles.add_column("place", str)


#: The ``articles`` table from schema 4 on: ids are ``AUTOINCREMENT`` (never given twice). sqlite-utils
#: has no public way to say AUTOINCREMENT, hence the DDL.
_ARTICLES_V4 = """
    CREATE TABLE articles_v4 (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        title         TEXT NOT NULL,
        author        TEXT,
        published     TEXT,
        published_iso TEXT,
        source        TEXT,
        source_url    TEXT,
        origin        TEXT,
        source_lang   TEXT NOT NULL DEFAULT 'fr',
        target_lang   TEXT NOT NULL DEFAULT 'en',
        added         TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        place         TEXT
    )
"""


def migration_4(db: sqlite_utils.Database) -> None:
    """Article ids are never reused: ``articles`` is rebuilt with ``AUTOINCREMENT`` (create, copy with
    the same ids, drop, rename), so deleting the last article and importing another does not give the
    new one the old id (« last article », undo and exports name articles by id).

    The ids are kept, so ``articles_fts`` (rowid = id) and the rows that reference an article
    (paragraphs, sentences, edits, annotations) stay valid; the runner has foreign keys off (dropping
    the old table must not cascade) and checks them before the commit. Indexes and triggers went with
    the old table and are made again.
    """
    columns = ", ".join(f'"{c}"' for c in db.table("articles").columns_dict)
    db.execute(_ARTICLES_V4)
    db.execute(f"INSERT INTO articles_v4 ({columns}) SELECT {columns} FROM articles")
    db.execute("DROP TABLE articles")
    db.execute("ALTER TABLE articles_v4 RENAME TO articles")
    articles = db.table("articles")
    from sqlite_utils.db import DescIndex

    articles.create_index([DescIndex("added"), DescIndex("id")], index_name="articles_by_added")
    articles.create_index(["content_hash"], index_name="articles_by_hash")
    _execute_all(db, _ARTICLES_FTS_TRIGGERS)


def migration_5(db: sqlite_utils.Database) -> None:
    """Word alignments (``reader.storage.alignments``): one row per (model id, source sentence, English
    aligned: the machine output or a hand edit), with the method version and the float16 score matrix."""
    db.execute(  # plain SQL: sqlite-utils cannot say WITHOUT ROWID
        """
        CREATE TABLE IF NOT EXISTS alignments (
            model_id TEXT NOT NULL,
            source   TEXT NOT NULL,
            target   TEXT NOT NULL,     -- the English aligned, exactly as shown
            method   INTEGER NOT NULL,  -- reader.core.wordalign.METHOD_VERSION
            fr_words TEXT NOT NULL,     -- JSON [[start, end], ...], str offsets into source
            en_words TEXT NOT NULL,     -- JSON [[start, end], ...], str offsets into target
            matrix   BLOB NOT NULL,     -- float16 little-endian, len(en_words) × len(fr_words)
            created  TEXT NOT NULL,
            PRIMARY KEY (model_id, source, target)
        ) WITHOUT ROWID
        """
    )


def migration_6(db: sqlite_utils.Database) -> None:
    """Glossary enforcement (``reader.storage.enforced``): ``glossary.enforce`` (the entry's "enforce in
    the translation", on by default) and the ``enforced`` layer: one row per (model id, source sentence,
    key of the exact set of (term, rendering) pairs applied), beside the untouched machine output."""
    glossary = db.table("glossary")
    if "enforce" not in glossary.columns_dict:
        glossary.add_column("enforce", int, not_null_default=1)
    db.execute(  # plain SQL: sqlite-utils cannot say WITHOUT ROWID
        """
        CREATE TABLE IF NOT EXISTS enforced (
            model_id TEXT NOT NULL,
            source   TEXT NOT NULL,
            entries  TEXT NOT NULL,     -- reader.core.enforce.entries_key of the (term, rendering) pairs
            method   INTEGER NOT NULL,  -- reader.core.enforce.ENFORCE_VERSION
            machine  TEXT NOT NULL,     -- the machine English it was enforced in
            text     TEXT NOT NULL,     -- the enforced English
            applied  TEXT NOT NULL,     -- JSON [{"entry_id", "start", "end", "how"}, ...]
            ok       INTEGER NOT NULL,  -- the final check passed
            created  TEXT NOT NULL,
            PRIMARY KEY (model_id, source, entries)
        ) WITHOUT ROWID
        """
    )


#: Forward migrations, in order. Version n is reached by applying ``MIGRATIONS[:n]``.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
    migration_6,
]


def latest_version() -> int:
    return len(MIGRATIONS)
