"""The glossary in the store: a mixin of :class:`reader.storage.store.Store` (schema: migration 2).

One row per :class:`reader.core.glossary.GlossaryEntry`, with an integer ``id`` (set on the entry when
it is added) and ``key = normalise_term(term)``, UNIQUE: « Délégations » and « délégation » are one
entry, and a second one is refused (:class:`DuplicateEntryError`) instead of silently doubling. Imports
go through :func:`reader.core.glossary.merge_entries` and :meth:`GlossaryStoreMixin.save_glossary_entries`
(one transaction).

``glossary_fts`` (rowid = ``glossary.id``) indexes term, translation, note and the lemma key, folded like
the article index; a search for « délégations » also finds the entry « délégation » through the key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from reader.core.errors import NotFoundError, ReaderError
from reader.core.glossary import GlossaryEntry, fold, normalise_term
from reader.storage.connection import StoreConnection
from reader.storage.errors import guarded
from reader.storage.search import fts_match_expression, write_fts

__all__ = ["GlossaryStoreMixin", "DuplicateEntryError", "EmptyTermError"]


class DuplicateEntryError(ReaderError):
    """The glossary already has an entry for this term (same lemma key)."""


class EmptyTermError(ReaderError):
    """A glossary term without any word."""


_COLUMNS = "id, term, translation, note, tags, created, modified, enforce"


def _row_to_entry(row: tuple) -> GlossaryEntry:
    gid, term, translation, note, tags, created, modified, enforce = row
    return GlossaryEntry(
        enforce=bool(enforce),
        term=term,
        translation=translation,
        note=note,
        tags=json.loads(tags) if tags else [],
        id=gid,
        created=created,
        modified=modified,
    )


def _key_of(entry: GlossaryEntry) -> str:
    term = " ".join(str(entry.term).split())
    key = normalise_term(term) if term else ""
    if not key:
        raise EmptyTermError(f"The glossary term {entry.term!r} has no word in it.")
    return key


def _sort_key(entry: GlossaryEntry) -> tuple[str, str]:
    return fold(entry.term), entry.term


class GlossaryStoreMixin(StoreConnection):
    """Glossary methods of ``Store``."""

    # --- internal writes --------------------------------------------------------------------------
    def _glossary_fts(self, gid: int, e: GlossaryEntry, key: str) -> None:
        values = {"term": e.term, "translation": e.translation, "note": e.note, "key": key}
        write_fts(self._conn, "glossary_fts", gid, values, raw=("key",))

    def _existing_for_key(self, key: str) -> tuple[int, str] | None:
        return self._conn.execute("SELECT id, term FROM glossary WHERE key = ?", (key,)).fetchone()

    def _insert_entry(self, e: GlossaryEntry, keep_id: bool = False) -> int:
        key = _key_of(e)
        clash = self._existing_for_key(key)
        if clash is not None:
            raise DuplicateEntryError(
                f"« {e.term} » is already in the glossary (as « {clash[1]} », entry {clash[0]})."
            )
        if keep_id:
            if not isinstance(e.id, int):
                raise NotFoundError(f"Glossary entry « {e.term} » has no id to restore.")
            if self._conn.execute("SELECT 1 FROM glossary WHERE id = ?", (e.id,)).fetchone():
                raise DuplicateEntryError(f"Glossary entry id {e.id} is taken: « {e.term} » cannot be restored.")
        cur = self._conn.execute(
            "INSERT INTO glossary (id, term, translation, note, tags, key, created, modified, enforce)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.id if keep_id else None,
                " ".join(e.term.split()),
                e.translation,
                e.note,
                json.dumps(list(e.tags), ensure_ascii=False),
                key,
                e.created,
                e.modified,
                int(bool(e.enforce)),
            ),
        )
        gid = int(cur.lastrowid)
        self._glossary_fts(gid, e, key)
        return gid

    def _update_entry(self, e: GlossaryEntry) -> None:
        key = _key_of(e)
        gid = e.id
        exists = isinstance(gid, int) and self._conn.execute("SELECT 1 FROM glossary WHERE id = ?", (gid,)).fetchone()
        if not exists:
            raise NotFoundError(f"No glossary entry with id {gid}.")
        clash = self._existing_for_key(key)
        if clash is not None and clash[0] != gid:
            raise DuplicateEntryError(
                f"« {e.term} » is already in the glossary (as « {clash[1]} », entry {clash[0]})."
            )
        self._conn.execute(
            """
            UPDATE glossary SET term = ?, translation = ?, note = ?, tags = ?, key = ?, created = ?, modified = ?,
                   enforce = ?
             WHERE id = ?
            """,
            (
                " ".join(e.term.split()),
                e.translation,
                e.note,
                json.dumps(list(e.tags), ensure_ascii=False),
                key,
                e.created,
                e.modified,
                int(bool(e.enforce)),
                gid,
            ),
        )
        self._glossary_fts(gid, e, key)

    # --- public writes ----------------------------------------------------------------------------
    @guarded
    def add_glossary_entry(self, entry: GlossaryEntry) -> int:
        """Store a new entry; set and return its integer id. ``DuplicateEntryError`` when an entry with
        the same lemma key exists, ``EmptyTermError`` for a term without a word."""
        with self._transaction():  # type: ignore[attr-defined]
            gid = self._insert_entry(entry)
        entry.id = gid
        return gid

    @guarded
    def restore_glossary_entry(self, entry: GlossaryEntry) -> None:
        """Store a deleted entry back under its own id (undo of a delete, redo of an add), so that
        everything holding that id (other undo commands) still finds it. ``DuplicateEntryError`` when
        the id or the term's key is taken meanwhile."""
        with self._transaction():  # type: ignore[attr-defined]
            self._insert_entry(entry, keep_id=True)

    @guarded
    def update_glossary_entry(self, entry: GlossaryEntry) -> None:
        """Replace the entry with ``entry.id`` (``NotFoundError`` if none; ``DuplicateEntryError`` if the
        changed term now has the key of another entry). ``modified`` is stored as given."""
        with self._transaction():  # type: ignore[attr-defined]
            self._update_entry(entry)

    @guarded
    def save_glossary_entries(
        self, add: Iterable[GlossaryEntry] = (), update: Iterable[GlossaryEntry] = (), keep_ids: bool = False
    ) -> list[int]:
        """Add and update entries in one transaction (all or none), e.g. the result of
        ``merge_entries``; sets the ids of the added entries and returns them. ``keep_ids`` stores the
        added entries under the ids they carry (a redo, see :meth:`restore_glossary_entry`)."""
        add, update = list(add), list(update)
        with self._transaction():  # type: ignore[attr-defined]
            for e in update:
                self._update_entry(e)
            ids = [self._insert_entry(e, keep_id=keep_ids) for e in add]
        for e, gid in zip(add, ids):
            e.id = gid
        return ids

    @guarded
    def delete_glossary_entry(self, entry_id: int) -> None:
        """Delete an entry (``NotFoundError`` if there is none)."""
        with self._transaction():  # type: ignore[attr-defined]
            cur = self._conn.execute("DELETE FROM glossary WHERE id = ?", (entry_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"No glossary entry with id {entry_id}.")

    # --- reads ------------------------------------------------------------------------------------
    @guarded
    def get_glossary_entry(self, entry_id: int) -> GlossaryEntry:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM glossary WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"No glossary entry with id {entry_id}.")
        return _row_to_entry(row)

    @guarded
    def glossary_by_key(self, key: str) -> GlossaryEntry | None:
        """The entry whose lemma key is ``key`` (``normalise_term`` of a term), or None."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM glossary WHERE key = ?", (key,)).fetchone()
        return _row_to_entry(row) if row else None

    def find_glossary_term(self, term: str) -> GlossaryEntry | None:
        """The entry for ``term`` in any inflection or case (« Délégations » finds « délégation »)."""
        key = normalise_term(term) if term.strip() else ""
        return self.glossary_by_key(key) if key else None

    @guarded
    def glossary(self, query: str | None = None, tag: str | None = None) -> list[GlossaryEntry]:
        """Every entry, sorted by term (accents and case ignored). ``query`` searches term, translation,
        note and the lemma key (every word a prefix, accents ignored); ``tag`` keeps entries with that
        tag (case-insensitive)."""
        sql = f"SELECT {_COLUMNS} FROM glossary"
        params: dict[str, Any] = {}
        if query:
            parts = []
            plain = fts_match_expression(query)
            if plain is not None:
                parts.append(f"({plain})")
            key = normalise_term(query)
            lemma = fts_match_expression(key) if key else None
            if lemma is not None:
                parts.append(f"(key : ({lemma}))")
            if parts:
                sql += " WHERE id IN (SELECT rowid FROM glossary_fts WHERE glossary_fts MATCH :match)"
                params["match"] = " OR ".join(parts)
        entries = [_row_to_entry(r) for r in self._conn.execute(sql, params)]
        if tag is not None:
            wanted = " ".join(tag.split()).casefold()
            entries = [e for e in entries if any(t.casefold() == wanted for t in e.tags)]
        entries.sort(key=_sort_key)
        return entries

    @guarded
    def glossary_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM glossary").fetchone()[0]

    # --- the library's French text, for counting and finding glossary terms ----------------------
    @guarded
    def library_paragraphs(self) -> list[tuple[int, int, str]]:
        """(article id, paragraph index, text) of every non-empty paragraph, in article-id order."""
        with self._snapshot():  # type: ignore[attr-defined]
            return self._conn.execute(
                "SELECT article_id, idx, text FROM paragraphs WHERE text != '' ORDER BY article_id, idx"
            ).fetchall()

    def library_sentences(self) -> Iterator[tuple[int, int, int, str]]:
        """(article id, paragraph, sentence, text) of every sentence, in article-id and reading order.
        A generator (one read transaction per batch of articles) so a caller can stop early."""
        conn = self._conn
        ids = [aid for (aid,) in conn.execute("SELECT id FROM articles ORDER BY id")]
        for i in range(0, len(ids), 50):
            chunk = ids[i : i + 50]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT article_id, paragraph, idx, text FROM sentences WHERE article_id IN ({marks}) "
                "ORDER BY article_id, paragraph, idx",
                chunk,
            ).fetchall()
            yield from rows
