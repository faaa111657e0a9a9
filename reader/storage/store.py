"""The SQLite store: one ``Store`` object composing the table families.

CONTRACT: the CLI, the operations and the GUI program against ``Store`` and the names re-exported here.
One ``Store`` per thread: a worker thread opens its own ``Store(path)`` on the same file (WAL mode).

Where things live:

* ``connection``   — opening (checks, permissions, pragmas), migrations, transactions, meta, stats;
* ``schema``       — the schema as an ordered list of forward migrations;
* ``errors``       — SQLite / file-system errors → one-sentence ``StorageError``;
* ``search``       — folding, FTS5 queries, the one FTS row writer, search-index rebuild;
* ``articles``     — articles, paragraphs, sentences;
* ``translations`` — the machine-translation cache and hand edits;
* ``annotations``, ``glossary`` — highlights and notes; the personal glossary;
* ``alignments``   — word alignments of translations and hand edits;
* ``enforced``     — the glossary-enforced English, a layer beside the machine output.
"""

from __future__ import annotations

from reader.storage.alignments import AlignmentStoreMixin
from reader.storage.annotations import AnnotationStoreMixin
from reader.storage.articles import ArticleStoreMixin, ArticleSummary, ReplaceResult, content_hash
from reader.storage.connection import BUSY_TIMEOUT, StoreConnection, default_db_path
from reader.storage.enforced import EnforcedStoreMixin
from reader.storage.glossary import GlossaryStoreMixin
from reader.storage.search import SearchStoreMixin, fts_match_expression
from reader.storage.translations import SentenceTranslation, TranslationStoreMixin

__all__ = [
    "BUSY_TIMEOUT",
    "ArticleSummary",
    "ReplaceResult",
    "SentenceTranslation",
    "Store",
    "content_hash",
    "default_db_path",
    "fts_match_expression",
]


class Store(
    ArticleStoreMixin,
    TranslationStoreMixin,
    AnnotationStoreMixin,
    GlossaryStoreMixin,
    SearchStoreMixin,
    AlignmentStoreMixin,
    EnforcedStoreMixin,
    StoreConnection,
):
    """Opens (creating or migrating) the library database at ``path`` (see ``StoreConnection``)."""

    def __enter__(self) -> Store:
        return self
