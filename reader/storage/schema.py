"""The database schema as a list of forward migrations.

``MIGRATIONS[n - 1]`` brings a database from schema version ``n - 1`` to ``n``. ``Store`` applies the
missing ones in order, all inside one ``BEGIN IMMEDIATE`` transaction together with the update of
``meta.schema_version``, so an upgrade either happens completely or not at all.

To change the schema later (annotations, glossary, …) append a function here; never edit a migration
that has shipped. A migration receives the ``sqlite_utils.Database`` with the transaction already open and
must not commit (use ``db.execute`` / ``db.conn.execute`` per statement, never ``sqlite3``'s
``executescript``, which commits).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

#: The value of ``meta.app`` that marks a database as ours.
APP_ID = "visavis"
#: ``PRAGMA application_id`` (header bytes 68-71): "VsVs". A second, cheap marker for tools like ``file``.
SQLITE_APPLICATION_ID = 0x56735673

#: The FTS5 tokenizer: case-folding, accent-insensitive (« securite » matches « sécurité »).
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


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
            f"PRAGMA application_id = {SQLITE_APPLICATION_ID}",
        ],
    )


#: Forward migrations, in order. Version n is reached by applying ``MIGRATIONS[:n]``.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    migration_1,
]


def latest_version() -> int:
    return len(MIGRATIONS)
