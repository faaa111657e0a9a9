"""The SQLite store (sqlite-utils): articles, paragraphs, sentences, translation cache, hand edits.

CONTRACT (implemented in this module; the CLI, jobs and GUI program against exactly these names).
One ``Store`` per thread: a worker thread opens its own ``Store(path)`` on the same file (WAL mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable

from reader.core.model import Article


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


@dataclass(frozen=True)
class SentenceTranslation:
    """The English side of one sentence."""

    machine: str | None  # cached machine translation for the model id, or None
    edited: str | None  # the user's hand edit, or None

    @property
    def text(self) -> str | None:
        """What to show: the hand edit if any, else the machine output."""
        return self.edited if self.edited is not None else self.machine


def default_db_path() -> Path:
    """``$VISAVIS_DB`` if set, else ``visavis.db`` in the user's data folder (platformdirs)."""
    raise NotImplementedError


class Store:
    """Opens (creating or migrating) the database at ``path``.

    Raises ``reader.core.errors.StorageError`` with one clear sentence for: a file that is not SQLite,
    a SQLite database that is not ours, a corrupt database, a database written by a newer version.
    """

    def __init__(self, path: str | Path) -> None:
        raise NotImplementedError

    def close(self) -> None: ...

    # --- articles -----------------------------------------------------------------------------
    def is_empty(self) -> bool:
        """True when the library holds no article."""
        raise NotImplementedError

    def add_article(self, article: Article) -> int:
        """Store a segmented article (paragraphs, spans, sentences) in one transaction; return its id."""
        raise NotImplementedError

    def get_article(self, article_id: int) -> Article:
        """The article with paragraphs, spans and sentences. ``NotFoundError`` if there is none."""
        raise NotImplementedError

    def list_articles(self, model_id: str | None = None, query: str | None = None) -> list[ArticleSummary]:
        """All articles (newest first); ``query`` filters with FTS5 over title and text."""
        raise NotImplementedError

    def delete_article(self, article_id: int) -> None:
        raise NotImplementedError

    # --- translations -------------------------------------------------------------------------
    def cached_translations(self, model_id: str, sources: Iterable[str]) -> dict[str, str]:
        """Machine translations already cached for these exact source sentences."""
        raise NotImplementedError

    def store_translations(self, model_id: str, pairs: dict[str, str]) -> None:
        """Cache machine translations (source sentence → English) for ``model_id``."""
        raise NotImplementedError

    def article_translations(self, article_id: int, model_id: str) -> list[list[SentenceTranslation]]:
        """Per paragraph, per sentence: the English side (machine for ``model_id`` and/or hand edit)."""
        raise NotImplementedError

    def set_edited_translation(self, article_id: int, paragraph: int, sentence: int, text: str | None) -> None:
        """Store the user's hand edit of one sentence's English (``None`` reverts to the machine output)."""
        raise NotImplementedError
