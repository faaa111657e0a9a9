"""Application-level library operations shared by the CLI and the GUI (no Qt)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.annotations import Annotation
from reader.core.model import Article
from reader.storage.store import Store

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # reader/


def sample_articles_dir() -> Path | None:
    """The bundled sample articles: inside the installed wheel, or ``articles/`` of a source checkout."""
    for candidate in (_PACKAGE_DIR / "_samples", _PACKAGE_DIR.parent / "articles"):
        if candidate.is_dir() and any(candidate.glob("*.md")):
            return candidate
    return None


def resources_dir() -> Path | None:
    """The bundled resources (icons, fonts): in the wheel or ``resources/`` of a source checkout."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return None


def ensure_samples(store: Store) -> list[int]:
    """On the very first run (a library just created) import the sample articles; return their ids.

    Offered once: a library that was emptied by its user stays empty, and one that already holds
    articles (or was made before this flag existed) counts as offered."""
    if not store.samples_pending():
        return []
    if not store.is_empty():
        store.mark_samples_offered()
        return []
    folder = sample_articles_dir()
    if folder is None:
        return []
    from reader.importers import import_file

    articles = [import_file(path) for path in sorted(folder.glob("*.md"))]
    with store.atomic():  # the samples and the flag together: a crash in between offers them again
        ids = store.add_articles(articles)
        store.mark_samples_offered()
    return ids


# --- importing into the library -------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What importing one article did.

    ``status``: ``"added"`` (new article), ``"unchanged"`` (the same text is already in the library as
    ``article_id``; nothing added), ``"updated"`` (an article imported from the same file was replaced
    in place, its annotations re-placed), ``"copy"`` (added although an article from the same file
    exists, ``existing_id``). ``moved`` / ``orphaned``: annotations of an updated article that moved
    with the text / could not be placed (kept as orphans). ``dropped_edits``: hand edits whose French
    sentence no longer exists.
    """

    article_id: int
    status: str
    moved: int = 0
    orphaned: int = 0
    origin: str | None = None
    existing_id: int | None = None
    dropped_edits: int = 0


def import_into_library(store: Store, articles: Iterable[Article], update: bool = False) -> list[ImportOutcome]:
    """Store imported articles, detecting re-imports (see :class:`ImportOutcome`).

    An article whose text (``content_hash``) is already stored is not added again. With ``update``, an
    article whose origin (file name) matches a stored article replaces the newest such article in place
    (same id; hand edits and annotations kept, annotations of both sides re-anchored, one transaction per
    article). When one file gives several articles (an EPUB split into chapters), a stored article is
    only updated by the one with the same title, and no stored article is updated twice.
    """
    from reader.ops.annotate import reanchor_article, resolve_model_id
    from reader.storage.store import content_hash

    articles = list(articles)
    per_origin = Counter(a.origin for a in articles)
    updated: set[int] = set()
    out: list[ImportOutcome] = []
    for article in articles:
        same = store.find_by_hash(content_hash(article))
        if same is not None:
            article.id = same
            out.append(ImportOutcome(same, "unchanged", origin=article.origin, existing_id=same))
            continue
        existing = None
        if article.origin:
            title = article.title if per_origin[article.origin] > 1 else None
            existing = store.find_by_origin(article.origin, title)
        if update and existing is not None and existing not in updated:
            with store.atomic():
                before = {a.id: (a.start, a.end, a.status) for a in store.annotations(article_id=existing)}
                result = store.replace_article(existing, article)
                model_id = resolve_model_id(store, existing)
                placed = reanchor_article(store, existing, "fr") + reanchor_article(store, existing, "en", model_id)
            updated.add(existing)
            moved = sum(
                1 for a in placed if a.status != "orphaned" and before.get(a.id, (None,))[:2] != (a.start, a.end)
            )
            orphaned = sum(1 for a in placed if a.status == "orphaned")
            out.append(
                ImportOutcome(
                    existing, "updated", moved, orphaned, article.origin, existing, result.dropped_edits
                )
            )
            continue
        new_id = store.add_article(article)
        status = "copy" if existing is not None else "added"
        out.append(ImportOutcome(new_id, status, origin=article.origin, existing_id=existing))
    return out


def describe_outcome(outcome: ImportOutcome, name: str | None = None) -> str | None:
    """One sentence for a re-import (None for a plain "added"), for the CLI and the window."""
    name = name or outcome.origin or "The article"
    if outcome.status == "unchanged":
        return f"{name} is already in the library as #{outcome.article_id}"
    if outcome.status == "copy":
        return (
            f"{name} was imported as a new copy #{outcome.article_id} "
            f"(an earlier version is #{outcome.existing_id}; use --update to update it in place)"
        )
    if outcome.status == "updated":
        parts = [
            f"{outcome.moved} highlight{'s' if outcome.moved != 1 else ''} moved",
            f"{outcome.orphaned} orphaned",
        ]
        if outcome.dropped_edits:
            parts.append(
                f"{outcome.dropped_edits} hand edit{'s' if outcome.dropped_edits != 1 else ''} dropped"
            )
        return f"updated #{outcome.article_id} from {name}: {', '.join(parts)}"
    return None


# --- deleting ---------------------------------------------------------------------------------------


@dataclass
class ArticleSnapshot:
    """What deleting an article removes: its content, the user's hand edits ``(paragraph, sentence,
    text)`` and its annotations (every status). The machine translations are a cache keyed by sentence
    text and stay. Enough to put the article back (:func:`restore_article`)."""

    article: Article
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)


def article_snapshot(store: Store, article_id: int) -> ArticleSnapshot:
    """The article with its hand edits and annotations (``NotFoundError`` if there is none)."""
    article = store.get_article(article_id)
    known = store.article_translations(article_id, "")
    edits = [(p, s, t.edited) for p, row in enumerate(known) for s, t in enumerate(row) if t.edited is not None]
    return ArticleSnapshot(article, edits, list(store.annotations(article_id=article_id)))


def delete_article(store: Store, article_id: int) -> ArticleSnapshot:
    """Delete an article with its hand edits and annotations, in one transaction; return what was
    deleted (for an undo). ``NotFoundError`` if there is none."""
    with store.atomic():
        snapshot = article_snapshot(store, article_id)
        store.delete_article(article_id)
    return snapshot


def delete_articles(store: Store, article_ids: Iterable[int]) -> list[ArticleSnapshot]:
    """Delete several articles, all or none (``NotFoundError`` naming the first missing id)."""
    with store.atomic():
        return [delete_article(store, article_id) for article_id in dict.fromkeys(article_ids)]


def restore_article(store: Store, snapshot: ArticleSnapshot) -> int:
    """Put a deleted article back with its hand edits and annotations (same annotation ids), in one
    transaction; return its id (a new one: the store hands out article ids)."""
    with store.atomic():
        new_id = store.add_article(dataclasses.replace(snapshot.article, id=None))
        for p, s, text in snapshot.edits:
            store.set_edited_translation(new_id, p, s, text)
        if snapshot.annotations:
            store.add_annotations([dataclasses.replace(a, article_id=new_id) for a in snapshot.annotations])
    return new_id
