"""Full-text search: how text is folded and queried, and the one way FTS rows are written.

Each FTS5 table (``articles_fts``, ``annotations_fts``, ``glossary_fts``; schema in ``schema.py``) is a
plain FTS5 table whose rowid is the row of its source table. Rows are written from Python, in the same
transaction as the source row, with :func:`write_fts`; the delete triggers remove them.

Why not ``sqlite-utils``' ``enable_fts(..., create_triggers=True)``: it builds an external-content
index of raw columns kept by SQL triggers, and ours are not raw columns — the text is folded first
(« cœur » indexed as « coeur », which FTS5's ``remove_diacritics`` does not do), ``articles_fts.body``
joins every paragraph of the article, and annotations index their tags. Triggers could only fold with
an application-defined SQL function, which would make every write from the ``sqlite-utils`` command or
Datasette fail with « no such function ».
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from reader.core.model import Article
from reader.storage.connection import StoreConnection
from reader.storage.errors import guarded

__all__ = ["MAX_QUERY_TOKENS", "SearchStoreMixin", "fold", "fts_match_expression", "write_fts"]

#: At most this many words of a search are used.
MAX_QUERY_TOKENS = 32

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Text as indexed and searched: NFC, ligatures spelled out (« cœur » ↔ « coeur »)."""
    return unicodedata.normalize("NFC", text).translate(_LIGATURES)


def fts_match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for what the user typed, or None if it holds no word.

    Every word becomes a quoted prefix token (``"dipl"*``), ANDed together, so FTS syntax characters
    (quotes, ``-``, ``*``, ``:``, parentheses, AND/OR/NOT/NEAR) are never interpreted.
    """
    words = _WORD.findall(fold(query))[:MAX_QUERY_TOKENS]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def write_fts(
    conn: sqlite3.Connection, table: str, rowid: int, values: dict[str, str], *, new: bool = False, raw: tuple = ()
) -> None:
    """(Re)write the FTS row ``rowid`` of ``table``: each value is folded, except the columns named in
    ``raw`` (already normalised, e.g. the glossary's lemma key). ``new``: the row cannot exist yet, so
    the delete is skipped. ``table`` is one of our FTS tables, never user input."""
    if not new:
        conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    conn.execute(
        f"INSERT INTO {table} (rowid, {columns}) VALUES (?, {marks})",
        (rowid, *(v if c in raw else fold(v) for c, v in values.items())),
    )


def write_article_fts(conn: sqlite3.Connection, article_id: int, article: Article, *, new: bool = False) -> None:
    """The search row of an article: its title and all its paragraphs."""
    body = "\n".join(p.text for p in article.paragraphs)
    write_fts(conn, "articles_fts", article_id, {"title": article.title, "body": body}, new=new)


class SearchStoreMixin(StoreConnection):
    """Search-index maintenance of ``Store``."""

    @guarded
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
                [(aid, fold(title), fold(body)) for aid, title, body in rows],
            )
