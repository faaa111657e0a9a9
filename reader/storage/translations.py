"""The English side: the machine-translation cache and the user's hand edits.

A mixin of :class:`reader.storage.store.Store` (schema: migration 1). ``translations`` is keyed by
(model id, exact source sentence), shared by every article; ``edits`` by (article, paragraph, sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reader.core.errors import NotFoundError
from reader.storage.connection import StoreConnection, now
from reader.storage.errors import guarded

__all__ = ["SentenceTranslation", "TranslationStoreMixin"]

#: Bound parameters per ``IN (...)`` query (SQLite's historical limit is 999).
CHUNK = 500


@dataclass(frozen=True)
class SentenceTranslation:
    """The English side of one sentence."""

    machine: str | None  # cached machine translation for the model id, or None
    edited: str | None  # the user's hand edit, or None

    @property
    def text(self) -> str | None:
        """What to show: the hand edit if any, else the machine output."""
        return self.edited if self.edited is not None else self.machine


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class TranslationStoreMixin(StoreConnection):
    """Translation-cache and hand-edit methods of ``Store``."""

    @guarded
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
    @guarded
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

    @guarded
    def store_translations(self, model_id: str, pairs: dict[str, str]) -> None:
        """Cache machine translations (source sentence → English) for ``model_id``."""
        if not pairs:
            return
        created = now()
        rows = ({"model_id": model_id, "source": s, "target": t, "created": created} for s, t in pairs.items())
        with self._transaction():
            self._upsert("translations", rows, ("model_id", "source"))

    @guarded
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

    @guarded
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
                self._upsert(
                    "edits",
                    [{"article_id": article_id, "paragraph": paragraph, "sentence": sentence, "text": text,
                      "modified": now()}],
                    ("article_id", "paragraph", "sentence"),
                )

    @guarded
    def translation_model_ids(self) -> list[str]:
        """The model ids that have machine translations in the cache."""
        return [m for (m,) in self._conn.execute("SELECT DISTINCT model_id FROM translations ORDER BY model_id")]

    @guarded
    def most_used_translation_model(self) -> str | None:
        """The model id with the most cached translations (what the library counts with when no model
        is installed), or None when the cache is empty."""
        row = self._conn.execute(
            "SELECT model_id FROM translations GROUP BY model_id ORDER BY count(*) DESC, model_id LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    @guarded
    def translation_coverage(self, article_id: int) -> dict[str, int]:
        """Model id → how many of the article's sentences have a cached machine translation by it
        (tells which model an English side was read with when no model is installed)."""
        conn = self._conn
        with self._snapshot():
            self._require_article(article_id)
            models = [m for (m,) in conn.execute("SELECT DISTINCT model_id FROM translations")]
            out: dict[str, int] = {}
            for model in models:
                (n,) = conn.execute(
                    """
                    SELECT count(*) FROM sentences s
                     WHERE s.article_id = ?
                       AND EXISTS (SELECT 1 FROM translations t WHERE t.model_id = ? AND t.source = s.text)
                    """,
                    (article_id, model),
                ).fetchone()
                if n:
                    out[model] = n
        return out
