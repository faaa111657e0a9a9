"""Importing annotations from a W3C Web Annotation file (JSON-LD), for the CLI and the window (no Qt).

:func:`import_annotations` reads what ``visavis export --format w3c`` / ``visavis annotations --format
w3c`` write (an ``AnnotationCollection``; also an ``AnnotationPage``, one ``Annotation`` or a JSON list of
them) with :func:`reader.core.annotations.collection_from_w3c`, and stores it in one transaction:

- an annotation whose id is not in the library is added; one that is stored identically is left alone;
  one that differs replaces the stored one unless the stored one was modified later (then it is kept).
  Ids, notes, tags, colours, dates and statuses are kept as written, so re-importing an export restores
  exactly what was exported;
- each annotation goes to the article its ``visavis:article`` names, or to ``article_id`` when given (an
  annotation file from another library or another tool). An article that is not in the library refuses
  the whole file with one sentence: nothing is imported;
- where the text changed since the export (the quote is no longer at its offsets), that side of the article
  is re-anchored (:func:`reader.ops.annotate.reanchor_article`): the annotation is found again or kept as
  orphaned, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.core.annotations import Annotation, collection_from_w3c
from reader.core.errors import NotFoundError, ReaderError
from reader.ops.annotate import reanchor_article, resolve_model_id, side_text_for
from reader.ops.changes import OpChanges
from reader.storage.store import Store

__all__ = ["AnnotationImport", "UnknownArticlesError", "import_annotations", "read_annotation_file"]


class UnknownArticlesError(NotFoundError):
    """The file's annotations name articles that are not in the library (or none): give ``article_id``."""


@dataclass
class AnnotationImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # the library's copy was modified after the file's: kept
    reanchored: int = 0  # imported annotations whose text had changed: placed again (or orphaned)
    articles: list[int] = field(default_factory=list)

    @property
    def changes(self) -> OpChanges:
        """The articles whose annotations the import wrote (for the window's one refresh signal)."""
        return OpChanges(annotations=self.articles if (self.added or self.updated or self.reanchored) else ())

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.kept:
            parts.append(f"{self.kept} kept (changed in the library since)")
        if self.reanchored:
            parts.append(f"{self.reanchored} placed again in changed text")
        return ", ".join(parts)


def read_annotation_file(path: str | Path) -> list[Annotation]:
    """The annotations of a W3C JSON-LD file; :class:`ReaderError` with one sentence for a bad file."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ReaderError(f"Cannot read « {path} »: {(exc.strerror or str(exc)).lower()}.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReaderError(f"« {path.name} » is not a JSON-LD annotation file ({exc}).") from None
    try:
        return collection_from_w3c(data)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ReaderError(f"« {path.name} » is not a W3C annotation file: {exc}.") from None


def _article_of(a: Annotation) -> int | None:
    v = a.article_id
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def import_annotations(
    store: Store,
    path: str | Path,
    article_id: int | None = None,
    installed_model_id: str | None = None,
) -> AnnotationImport:
    """Import the annotations of ``path`` into ``store`` (see the module doc); all or nothing."""
    incoming = list({a.id: a for a in read_annotation_file(path)}.values())  # one per id, the last wins
    if article_id is not None:
        if not store.article_exists(article_id):
            raise NotFoundError(f"No article with id {article_id} (see 'visavis list').")
        incoming = [replace(a, article_id=article_id) for a in incoming]
    else:
        if any(_article_of(a) is None for a in incoming):
            raise UnknownArticlesError(
                f"« {Path(path).name} » has annotations that name no Vis-à-vis article (from another tool?); "
                "nothing was imported. Choose the article to import them into."
            )
        missing = sorted({_article_of(a) for a in incoming if not store.article_exists(_article_of(a))})
        if missing:
            raise UnknownArticlesError(
                f"« {Path(path).name} » has annotations of articles that are not in the library "
                f"(#{', #'.join(map(str, missing[:5]))}{'…' if len(missing) > 5 else ''}); nothing was "
                "imported. Choose the article to import them into."
            )
        incoming = [replace(a, article_id=_article_of(a)) for a in incoming]
    report = AnnotationImport()
    texts: dict[tuple[int, str], str] = {}
    to_place: dict[tuple[int, str], set[str]] = {}
    with store.atomic():
        for a in incoming:
            try:
                old = store.get_annotation(a.id)
            except NotFoundError:
                old = None
            if old is None:
                store.add_annotation(a)
                report.added += 1
            elif old == a:
                report.unchanged += 1
                continue
            elif old.modified > a.modified:
                report.kept += 1
                continue
            else:
                store.update_annotation(a)
                report.updated += 1
            key = (int(a.article_id), a.side)
            if key not in texts:
                model_id = resolve_model_id(store, key[0], installed_model_id) if a.side == "en" else None
                texts[key] = side_text_for(store, key[0], a.side, model_id).text
            if a.status != "orphaned" and texts[key][a.start : a.end] != a.exact:
                to_place.setdefault(key, set()).add(a.id)
        for (aid, side), ids in to_place.items():
            model_id = resolve_model_id(store, aid, installed_model_id) if side == "en" else None
            reanchor_article(store, aid, side, model_id)
            report.reanchored += len(ids)
    report.articles = sorted({int(a.article_id) for a in incoming})
    return report
