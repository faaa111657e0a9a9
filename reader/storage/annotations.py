"""Annotations in the store: a mixin of :class:`reader.storage.store.Store` (schema: migration 2).

A row holds one :class:`reader.core.annotations.Annotation`. Besides the row, each write keeps two
indexes in the same ``BEGIN IMMEDIATE`` transaction:

* ``annotations_fts`` (FTS5, rowid = ``annotations.rid``): note, quote and tags, folded like the article
  index (NFC, « œ » → « oe »; the tokenizer drops accents and case). The delete trigger removes the row,
  also when deleting an article cascades to its annotations.
* ``annotation_tags``: one row per tag, keyed by the case-folded tag, for tag filters and the tag list.

The ``Annotation`` objects returned are new objects; the store never keeps references to them.

Rows are written with raw SQL, for speed: ``add_annotations`` takes thousands at once (a W3C import,
``bench/annotations.py``'s 100,000), and one sqlite-utils ``insert`` costs about 16 times a raw one
(``bench/store_writes.py``: ``single_insert_sqlite_utils_us`` 49 against ``single_insert_raw_us`` 3).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from reader.core.annotations import PALETTE, SIDES, STATUSES, Annotation
from reader.core.errors import NotFoundError, ReaderError
from reader.storage.connection import StoreConnection
from reader.storage.errors import guarded
from reader.storage.search import fts_match_expression, write_fts

__all__ = ["AnnotationStoreMixin", "DuplicateAnnotationError"]


class DuplicateAnnotationError(ReaderError):
    """An annotation with this id is already stored."""


_COLUMNS = (
    'rid, id, article_id, side, start, "end", exact, prefix, suffix, note, color, tags, created, modified, status'
)


def _tag_key(tag: str) -> str:
    return " ".join(tag.split()).casefold()


def _row_to_annotation(row: tuple) -> Annotation:
    (_rid, aid, article_id, side, start, end, exact, prefix, suffix, note, color, tags, created, modified, status) = row
    return Annotation(
        id=aid,
        article_id=article_id,
        side=side,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        note=note,
        color=color,
        tags=json.loads(tags) if tags else [],
        created=created,
        modified=modified,
        status=status,
    )


def _check(a: Annotation) -> int:
    """The annotation's article id as an int; ValueError-free checks of what the dataclass allows."""
    if not isinstance(a, Annotation):
        raise TypeError(f"expected an Annotation, got {type(a).__name__}")
    article_id = a.article_id
    if isinstance(article_id, str) and article_id.strip().isdigit():
        article_id = int(article_id)
    if not isinstance(article_id, int) or isinstance(article_id, bool):
        raise NotFoundError(f"The annotation {a.id} is not attached to a stored article (article id {a.article_id!r}).")
    if a.side not in SIDES or a.color not in PALETTE or a.status not in STATUSES:
        raise ReaderError(f"The annotation {a.id} has an invalid side, colour or status.")
    return article_id


class AnnotationStoreMixin(StoreConnection):
    """Annotation methods of ``Store``."""

    # --- internal writes --------------------------------------------------------------------------
    def _write_annotation_indexes(self, rid: int, a: Annotation, new: bool = False) -> None:
        conn = self._conn
        if not new:
            conn.execute("DELETE FROM annotation_tags WHERE rid = ?", (rid,))
        write_fts(conn, "annotations_fts", rid, {"note": a.note, "exact": a.exact, "tags": " ".join(a.tags)}, new=new)
        seen: set[str] = set()
        rows = []
        for tag in a.tags:
            key = _tag_key(tag)
            if key and key not in seen:
                seen.add(key)
                rows.append((rid, key, tag))
        conn.executemany("INSERT INTO annotation_tags (rid, key, tag) VALUES (?, ?, ?)", rows)

    def _values(self, a: Annotation, article_id: int) -> tuple:
        return (
            a.id,
            article_id,
            a.side,
            a.start,
            a.end,
            a.exact,
            a.prefix,
            a.suffix,
            a.note,
            a.color,
            json.dumps(list(a.tags), ensure_ascii=False),
            a.created,
            a.modified,
            a.status,
        )

    def _insert_annotation(self, a: Annotation) -> None:
        article_id = _check(a)
        conn = self._conn
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            raise NotFoundError(f"No article with id {article_id}.")
        if conn.execute("SELECT 1 FROM annotations WHERE id = ?", (a.id,)).fetchone() is not None:
            raise DuplicateAnnotationError(f"An annotation with id {a.id} is already stored.")
        cur = conn.execute(
            """
            INSERT INTO annotations (id, article_id, side, start, "end", exact, prefix, suffix, note, color,
                                     tags, created, modified, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            self._values(a, article_id),
        )
        self._write_annotation_indexes(int(cur.lastrowid), a, new=True)

    def _update_annotation(self, a: Annotation) -> None:
        article_id = _check(a)
        conn = self._conn
        row = conn.execute("SELECT rid, article_id FROM annotations WHERE id = ?", (a.id,)).fetchone()
        if row is None:
            raise NotFoundError(f"No annotation with id {a.id}.")
        rid, old_article = row
        if old_article != article_id and conn.execute(
            "SELECT 1 FROM articles WHERE id = ?", (article_id,)
        ).fetchone() is None:
            raise NotFoundError(f"No article with id {article_id}.")
        conn.execute(
            """
            UPDATE annotations
               SET id = ?, article_id = ?, side = ?, start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?,
                   note = ?, color = ?, tags = ?, created = ?, modified = ?, status = ?
             WHERE rid = ?
            """,
            (*self._values(a, article_id), rid),
        )
        self._write_annotation_indexes(rid, a)

    # --- public writes ----------------------------------------------------------------------------
    @guarded
    def add_annotation(self, annotation: Annotation) -> str:
        """Store a new annotation; return its id. ``NotFoundError`` if its article does not exist,
        ``DuplicateAnnotationError`` if its id is already stored."""
        with self._transaction():  # type: ignore[attr-defined]
            self._insert_annotation(annotation)
        return annotation.id

    @guarded
    def add_annotations(self, annotations: Iterable[Annotation]) -> list[str]:
        """Store several new annotations in one transaction (all or none)."""
        items = list(annotations)
        with self._transaction():  # type: ignore[attr-defined]
            for a in items:
                self._insert_annotation(a)
        return [a.id for a in items]

    @guarded
    def update_annotation(self, annotation: Annotation) -> None:
        """Replace the stored annotation with the same id (``NotFoundError`` if there is none).
        ``modified`` is stored as given: the caller stamps user edits."""
        with self._transaction():  # type: ignore[attr-defined]
            self._update_annotation(annotation)

    @guarded
    def update_annotations(self, annotations: Iterable[Annotation]) -> None:
        """Replace several annotations in one transaction (all or none)."""
        items = list(annotations)
        if not items:
            return
        with self._transaction():  # type: ignore[attr-defined]
            for a in items:
                self._update_annotation(a)

    @guarded
    def delete_annotation(self, annotation_id: str) -> None:
        """Delete one annotation (``NotFoundError`` if there is none)."""
        with self._transaction():  # type: ignore[attr-defined]
            cur = self._conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"No annotation with id {annotation_id}.")

    # --- reads ------------------------------------------------------------------------------------
    @guarded
    def get_annotation(self, annotation_id: str) -> Annotation:
        """The annotation with this id (``NotFoundError`` if there is none)."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"No annotation with id {annotation_id}.")
        return _row_to_annotation(row)

    @guarded
    def annotations(
        self,
        article_id: int | None = None,
        color: str | None = None,
        tag: str | None = None,
        query: str | None = None,
        status: str | None = None,
        side: str | None = None,
        limit: int | None = None,
    ) -> list[Annotation]:
        """Annotations matching every filter given, in reading order (article, side fr → en, start).

        ``query`` is what the user typed, searched with FTS5 over note, quote and tags (every word a
        prefix, accents, case and « œ »/« oe » ignored); a query without any word filters nothing.
        ``tag`` matches case-insensitively. ``NotFoundError`` for an ``article_id`` that does not exist.
        """
        where: list[str] = []
        params: dict[str, Any] = {}
        if article_id is not None:
            where.append("a.article_id = :article")
            params["article"] = article_id
        if side is not None:
            where.append("a.side = :side")
            params["side"] = side
        if color is not None:
            where.append("a.color = :color")
            params["color"] = color
        if status is not None:
            where.append("a.status = :status")
            params["status"] = status
        if tag is not None:
            where.append("a.rid IN (SELECT rid FROM annotation_tags WHERE key = :tag)")
            params["tag"] = _tag_key(tag)
        match = fts_match_expression(query) if query else None
        if match is not None:
            where.append("a.rid IN (SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH :match)")
            params["match"] = match
        sql = f"SELECT {', '.join('a.' + c.strip() for c in _COLUMNS.split(','))} FROM annotations a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY a.article_id, a.side DESC, a.start, a."end", a.rid'  # 'fr' > 'en': French first
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = int(limit)
        with self._snapshot():  # type: ignore[attr-defined]
            if article_id is not None and not self.article_exists(article_id):  # type: ignore[attr-defined]
                raise NotFoundError(f"No article with id {article_id}.")
            rows = self._conn.execute(sql, params).fetchall()
        return [_row_to_annotation(r) for r in rows]

    @guarded
    def annotation_tags(self, article_id: int | None = None) -> dict[str, int]:
        """Every tag in use (as first written) → number of annotations carrying it, by name."""
        sql = "SELECT min(t.tag), count(*) FROM annotation_tags t"
        params: tuple = ()
        if article_id is not None:
            sql += " JOIN annotations a ON a.rid = t.rid WHERE a.article_id = ?"
            params = (article_id,)
        sql += " GROUP BY t.key ORDER BY t.key"
        return dict(self._conn.execute(sql, params).fetchall())

    @guarded
    def annotation_counts(self) -> dict[int, int]:
        """Article id → number of annotations (articles without any are left out)."""
        return dict(self._conn.execute("SELECT article_id, count(*) FROM annotations GROUP BY article_id"))
