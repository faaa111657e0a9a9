"""Word alignments in the store: a mixin of :class:`reader.storage.store.Store` (schema: migration 5).

An alignment belongs to a translation: the key is the translation's (model id and version, exact source
sentence) plus the exact English it aligns — the machine output, or the user's hand edit, which gets an
alignment of its own. Each row records the method version (``reader.core.wordalign.METHOD_VERSION``);
rows of another version count as missing, so they are computed again and overwritten. The word score
matrix is kept (float16) so links can be drawn at another threshold without the model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from reader.core.wordalign import METHOD_VERSION, ScoredAlignment
from reader.storage.connection import StoreConnection, now
from reader.storage.errors import guarded

__all__ = ["AlignmentStoreMixin", "StoredAlignments"]

_CHUNK = 300


def _spans(data: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(s), int(e)) for s, e in json.loads(data))


def _row_to_alignment(fr_words: str, en_words: str, matrix: bytes, method: int) -> ScoredAlignment:
    return ScoredAlignment(_spans(fr_words), _spans(en_words), bytes(matrix), method)


class StoredAlignments:
    """The alignments stored for one article's sentences, keyed by the exact (French sentence, English)
    pair they align — machine output and hand edits alike, so whatever English is shown finds its own.
    Read in one query (:meth:`AlignmentStoreMixin.stored_alignments`); a row's words and scores are
    parsed only when first asked for (a book has thousands of rows, a reader hovers a few). Plain data:
    it may be read in a worker and handed to the GUI thread."""

    def __init__(self, rows: dict[tuple[str, str], tuple[str, str, bytes, int]] | None = None) -> None:
        self._rows = rows or {}
        self._parsed: dict[tuple[str, str], ScoredAlignment] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def get(self, source: str, english: str) -> ScoredAlignment | None:
        """The alignment of this exact pair, or None."""
        key = (source, english)
        found = self._parsed.get(key)
        if found is None:
            row = self._rows.get(key)
            if row is None:
                return None
            found = self._parsed[key] = _row_to_alignment(*row)
        return found


class AlignmentStoreMixin(StoreConnection):
    """Word-alignment methods of ``Store`` (``article_alignments`` also uses the translation mixin's
    ``article_translations`` and the article mixin's ``article_sentences``)."""

    @guarded
    def store_alignments(self, model_id: str, items: Iterable[tuple[str, str, ScoredAlignment]]) -> None:
        """Keep the alignments of (source sentence, English) pairs computed with ``model_id``."""
        created = now()
        rows = [
            (model_id, source, target, a.method, json.dumps(a.fr_words), json.dumps(a.en_words), a.matrix, created)
            for source, target, a in items
        ]
        if not rows:
            return
        with self._transaction():
            self._conn.executemany(
                """
                INSERT INTO alignments (model_id, source, target, method, fr_words, en_words, matrix, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model_id, source, target) DO UPDATE SET
                    method = excluded.method, fr_words = excluded.fr_words, en_words = excluded.en_words,
                    matrix = excluded.matrix, created = excluded.created
                """,
                rows,
            )

    @guarded
    def cached_alignments(
        self, model_id: str, pairs: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], ScoredAlignment]:
        """The current-method alignments stored for these (source, English) pairs."""
        wanted = list(dict.fromkeys(pairs))
        found: dict[tuple[str, str], ScoredAlignment] = {}
        with self._snapshot():
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                sources = list(dict.fromkeys(s for s, _ in chunk))
                marks = ",".join("?" * len(sources))
                keys = set(chunk)
                for source, target, method, fr, en, matrix in self._conn.execute(
                    f"""SELECT source, target, method, fr_words, en_words, matrix FROM alignments
                         WHERE model_id = ? AND method = ? AND source IN ({marks})""",
                    [model_id, METHOD_VERSION, *sources],
                ):
                    if (source, target) in keys:
                        found[(source, target)] = _row_to_alignment(fr, en, matrix, method)
        return found

    @guarded
    def article_alignment_pairs(self, article_id: int, model_id: str) -> list[tuple[str, str]]:
        """Distinct (source, English) pairs of the article that an alignment is wanted for: each sentence
        with its machine translation for ``model_id`` and, when edited by hand, with its edit."""
        with self._snapshot():
            self._require_article(article_id)
            rows = self._conn.execute(
                """
                SELECT s.text, t.target, e.text
                  FROM sentences s
                  LEFT JOIN translations t ON t.model_id = ? AND t.source = s.text
                  LEFT JOIN edits e
                         ON e.article_id = s.article_id AND e.paragraph = s.paragraph AND e.sentence = s.idx
                 WHERE s.article_id = ?
                 ORDER BY s.paragraph, s.idx
                """,
                (model_id, article_id),
            ).fetchall()
        pairs: dict[tuple[str, str], None] = {}
        for source, machine, edited in rows:
            for english in (machine, edited):
                if english and english.strip() and source.strip():
                    pairs[(source, english)] = None
        return list(pairs)

    def missing_alignments(self, article_id: int, model_id: str) -> list[tuple[str, str]]:
        """The pairs of :meth:`article_alignment_pairs` with no current-method alignment stored."""
        pairs = self.article_alignment_pairs(article_id, model_id)
        have = self.cached_alignments(model_id, pairs)
        return [p for p in pairs if p not in have]

    @guarded
    def article_alignments(
        self, article_id: int, model_id: str, *, edited: bool = True
    ) -> list[list[ScoredAlignment | None]]:
        """Per paragraph, per sentence: the alignment of the English shown (the hand edit when there is
        one and ``edited``, else the machine output), or None when none is stored yet."""
        translations = self.article_translations(article_id, model_id)  # type: ignore[attr-defined]
        sentences = self.article_sentences(article_id)  # type: ignore[attr-defined]
        shown: list[tuple[int, str, str | None]] = []
        k = 0
        for p, row in enumerate(translations):
            for t in row:
                source = sentences[k][2]
                english = t.text if edited else t.machine
                shown.append((p, source, english))
                k += 1
        have = self.cached_alignments(model_id, [(s, e) for _, s, e in shown if e])
        result: list[list[ScoredAlignment | None]] = [[] for _ in translations]
        for p, source, english in shown:
            result[p].append(have.get((source, english)) if english else None)
        return result

    @guarded
    def has_alignments(self, model_id: str) -> bool:
        """Whether any current-method alignment is stored for ``model_id`` (one index probe)."""
        with self._snapshot():
            return self._conn.execute(
                "SELECT 1 FROM alignments WHERE model_id = ? AND method = ? LIMIT 1", (model_id, METHOD_VERSION)
            ).fetchone() is not None

    @guarded
    def stored_alignments(self, article_id: int, model_id: str) -> StoredAlignments:
        """Every current-method alignment stored for ``model_id`` of the article's French sentences (with
        the machine English, a hand edit, an earlier edit), in one indexed query; rows parsed lazily."""
        with self._snapshot():
            rows = self._conn.execute(
                """SELECT source, target, fr_words, en_words, matrix, method FROM alignments
                    WHERE model_id = ? AND method = ?
                      AND source IN (SELECT text FROM sentences WHERE article_id = ?)""",
                (model_id, METHOD_VERSION, article_id),
            )
            return StoredAlignments({(s, t): (fr, en, matrix, method) for s, t, fr, en, matrix, method in rows})
