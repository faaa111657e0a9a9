"""Exporting stored articles (no Qt widgets): gather them from a ``Store`` and write PDF, Markdown, HTML
or W3C annotations.

Like :mod:`reader.ops.translate`, these are plain functions: the CLI calls them with a terminal progress bar, the
GUI runs :func:`run_export` in a worker thread that opens its own ``Store`` on the same database file.

What is exported, per article (:func:`collect_export_articles`):

- the French paragraphs and, per sentence, the English shown in the window: the machine translation by
  ``model_id`` with the user's hand edits on top (``Store.article_translations(...).text``). ``model_id``
  ``None`` picks it per article with :func:`reader.ops.annotate.resolve_model_id` (the rule annotations are
  placed with, so English highlights land on the text they were made on);
- every annotation that is placed (anchored or moved), cut per paragraph with
  :meth:`~reader.core.sides.SideText.split_range` into :class:`ExportHighlight` s with paragraph-local
  offsets. A highlight spanning several paragraphs becomes one piece per paragraph; the note and tags go
  on the last piece (where its footnote marker belongs). Orphaned annotations, and any whose range no
  longer fits the side's text, are left out and counted (:attr:`ExportCollection.skipped`);
- the glossary entries whose term occurs in the French text (inflections included, as the glossary panel
  finds them), in glossary order, each with the number of sentences its rendering was enforced in.

The English is the one the reader gets: the hand edit, else the glossary-enforced English
(:func:`reader.ops.enforce.shown_english`), else the machine output. Annotations on the English were
placed on the machine output (or the edit); :func:`remap_english_highlights` moves them onto the
enforced text word by word.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from reader.core.annotations import PALETTE, Annotation, collection_to_w3c
from reader.core.errors import NotFoundError
from reader.core.glossary import GlossaryMatcher
from reader.core.progress import Progress
from reader.core.retarget import word_opcodes  # public here too: the window maps highlights with it
from reader.core.sides import SideText, english_side, french_side, join_english
from reader.export.bundle import (
    ExportArticle,
    ExportError,
    ExportGlossaryEntry,
    ExportHighlight,
    ExportOptions,
    ExportReport,
    atomic_text_file,
    give_usual_mode,
)
from reader.ops.enforce import GlossaryPlan, count_applied, shown_english
from reader.storage.store import Store

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "ExportCollection",
    "collect_export_articles",
    "format_for_path",
    "highlights_of",
    "run_export",
]

#: Format key → the file suffix it is written with by default.
FORMATS: dict[str, str] = {"pdf": ".pdf", "md": ".md", "html": ".html", "w3c": ".jsonld"}
FORMAT_NAMES: dict[str, str] = {
    "pdf": "PDF",
    "md": "Markdown",
    "html": "HTML",
    "w3c": "W3C annotations (JSON-LD)",
}
_SUFFIXES = {
    ".pdf": "pdf",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonld": "w3c",
    ".json": "w3c",
}


def format_for_path(path: str | Path) -> str | None:
    """The export format a file name asks for (``report.pdf`` → ``"pdf"``), or ``None``."""
    return _SUFFIXES.get(Path(path).suffix.lower())


class ExportCollection(list):
    """A ``list[ExportArticle]`` that also says which annotations could not be placed (orphaned, or
    out of range of the current text) and were left out: :attr:`skipped_ids`, :attr:`skipped`."""

    def __init__(self, items: Iterable[ExportArticle] = ()) -> None:
        super().__init__(items)
        self.skipped_ids: list[str] = []

    @property
    def skipped(self) -> int:
        return len(self.skipped_ids)

    @property
    def highlight_count(self) -> int:
        """Annotations exported (a highlight spanning paragraphs counts once)."""
        return len({h.id.split("#p")[0] for ea in self for h in ea.highlights})


def highlights_of(
    annotations: Iterable[Annotation], fr: SideText, en: SideText
) -> tuple[list[ExportHighlight], list[str]]:
    """Annotations (whole-side offsets) → paragraph-local highlights, and the ids left out."""
    out: list[ExportHighlight] = []
    skipped: list[str] = []
    for a in annotations:
        side = fr if a.side == "fr" else en
        if a.status == "orphaned" or not 0 <= a.start < a.end <= len(side.text):
            skipped.append(a.id)
            continue
        pieces = side.split_range(a.start, a.end)
        if not pieces:
            skipped.append(a.id)
            continue
        color = PALETTE.get(a.color, PALETTE["yellow"])
        for k, (p, start, end) in enumerate(pieces):
            last = k == len(pieces) - 1
            out.append(
                ExportHighlight(
                    id=a.id if len(pieces) == 1 else f"{a.id}#p{k + 1}",
                    side=a.side,
                    paragraph=p,
                    start=start,
                    end=end,
                    color=color,
                    note=a.note if last else "",
                    tags=list(a.tags) if last else [],
                    modified=a.modified,
                )
            )
    return out, skipped


def remap_english_highlights(
    highlights: list[ExportHighlight], before: list[list[str | None]], after: list[list[str | None]]
) -> list[ExportHighlight]:
    """English highlights placed on one English (the machine output) moved onto another (the
    glossary-enforced one), paragraph by paragraph, word by word: offsets in words both share map
    exactly, an offset inside a changed stretch goes to that stretch's edge (a highlight on a replaced
    term covers its rendering)."""
    maps: dict[int, list[tuple[str, int, int, int, int]]] = {}
    for p, (b, a) in enumerate(zip(before, after)):
        if b != a:
            maps[p] = word_opcodes(join_english(b)[0], join_english(a)[0])

    def move(p: int, offset: int, end: bool) -> int:
        for tag, i1, i2, j1, j2 in maps[p]:
            if i1 <= offset < i2 or offset == i2 and end:
                return j1 + (offset - i1) if tag == "equal" else (j2 if end else j1)
        return maps[p][-1][4] if maps[p] else offset

    out = []
    for h in highlights:
        if h.side == "en" and h.paragraph in maps:
            start, stop = move(h.paragraph, h.start, False), move(h.paragraph, h.end, True)
            h = replace(h, start=start, end=max(stop, start + 1))
        out.append(h)
    return out


def _resolve(store: Store, article_id: int, model_id: str | None) -> str:
    if model_id is not None:
        return model_id
    from reader.ops.annotate import resolve_model_id

    return resolve_model_id(store, article_id)


def collect_export_articles(
    store: Store,
    article_ids: Sequence[int],
    model_id: str | None = None,
    progress: Progress | None = None,
) -> ExportCollection:
    """The :class:`ExportArticle` s of ``article_ids`` (in that order) read from ``store``.

    ``NotFoundError`` (a :class:`~reader.core.errors.ReaderError`) for an id that is not in the library.
    """
    if not article_ids:
        raise ExportError("There is nothing to export: no article was chosen.")
    entries = store.glossary()
    matcher = GlossaryMatcher(entries) if entries else None
    plan = GlossaryPlan(entries)
    out = ExportCollection()
    for article_id in article_ids:
        if progress is not None:
            progress.check()
        if not store.article_exists(article_id):
            raise NotFoundError(f"No article with id {article_id}.")
        article = store.get_article(article_id)
        mid = _resolve(store, article_id, model_id)
        rows = store.article_translations(article_id, mid)
        shown = shown_english(store, article_id, mid, plan=plan) if mid else []
        english: list[list[str | None]] = []
        annotated: list[list[str | None]] = []  # the English the annotations were placed on
        for p, para in enumerate(article.paragraphs):
            row = [t.text for t in rows[p]] if p < len(rows) else []
            annotated.append((row + [None] * len(para.sentences))[: len(para.sentences)])
            row = [t.text for t in shown[p]] if p < len(shown) else row
            english.append((row + [None] * len(para.sentences))[: len(para.sentences)])
        fr = french_side(article)
        en = english_side(article, annotated)
        highlights, skipped = highlights_of(store.annotations(article_id=article_id), fr, en)
        if english != annotated:  # the glossary-enforced English: English highlights follow the text
            highlights = remap_english_highlights(highlights, annotated, english)
        out.skipped_ids.extend(skipped)
        glossary: list[ExportGlossaryEntry] = []
        if matcher is not None:
            found = {m.entry_id for para in article.paragraphs for m in matcher.find(para.text)}
            counts = count_applied(shown)
            glossary = [ExportGlossaryEntry(e.term, e.translation, e.note, counts.get(e.id, 0))
                        for e in entries if e.id in found]
        english_title = None
        if mid and article.title:
            english_title = store.cached_translations(mid, [article.title]).get(article.title)
        alignments = None
        if mid:
            alignments = [[a.alignment() if a is not None else None for a in row]
                          for row in store.article_alignments(article_id, mid)]
        out.append(ExportArticle(article, english, highlights, glossary, english_title=english_title,
                                 alignments=alignments))
        if progress is not None:
            progress.advance(1, f"Read « {article.title[:40]} »")
    return out


def _write_w3c(store: Store, article_ids: Sequence[int], path: Path) -> int:
    annotations: list[Annotation] = []
    for article_id in article_ids:
        if not store.article_exists(article_id):
            raise NotFoundError(f"No article with id {article_id}.")
        annotations += store.annotations(article_id=article_id)
    if len(article_ids) == 1:
        label = f"Vis-à-vis annotations of article {article_ids[0]}"
        iri = f"urn:visavis:article:{article_ids[0]}:annotations"
    else:
        label, iri = f"Vis-à-vis annotations of {len(article_ids)} articles", "urn:visavis:annotations"
    doc = collection_to_w3c(annotations, collection_id=iri, label=label)
    with atomic_text_file(path) as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)  # type: ignore[arg-type]
        fh.write("\n")  # type: ignore[attr-defined]
    return len(annotations)


def run_export(
    store: Store,
    article_ids: Sequence[int],
    path: str | Path,
    fmt: str | None = None,
    options: ExportOptions | None = None,
    model_id: str | None = None,
    progress: Progress | None = None,
    stats: dict | None = None,
) -> ExportReport | Path:
    """Export ``article_ids`` to ``path`` as ``fmt`` (``pdf``, ``md``, ``html``, ``w3c``; ``None``: from
    the file name). PDF returns the :class:`ExportReport` (pages, highlights…), the others the path.
    Every file is written atomically. ``stats``, when given, is filled with ``articles``, ``highlights``
    (annotations exported) and ``skipped`` (annotations left out: orphaned or not placeable).
    Failures are :class:`ExportError` / ``NotFoundError`` with one sentence; ``Cancelled`` passes."""
    path = Path(path)
    fmt = fmt or format_for_path(path)
    if fmt not in FORMATS:
        raise ExportError(
            f"Cannot tell the export format of « {path.name} »: name it .pdf, .md, .html or .jsonld, "
            "or choose the format."
        )
    options = options or ExportOptions()
    options.validate()
    ids = list(dict.fromkeys(int(i) for i in article_ids))
    if not ids:
        raise ExportError("There is nothing to export: no article was chosen.")
    if stats is None:
        stats = {}
    if fmt == "w3c":
        if progress is not None:
            progress.start(1, "Writing annotations")
        n = _write_w3c(store, ids, path)
        give_usual_mode(path)
        stats.update(articles=len(ids), highlights=n, skipped=0)
        if progress is not None:
            progress.advance(1, "Done")
        return path

    if progress is not None:
        progress.start(len(ids), "Reading the library")
    articles = collect_export_articles(store, ids, model_id, progress)
    stats.update(articles=len(articles), highlights=articles.highlight_count, skipped=articles.skipped)
    if fmt == "pdf":
        from reader.export.pdf import export_pdf

        report = export_pdf(list(articles), path, options, progress)
        give_usual_mode(path)
        return report
    if progress is not None:
        progress.start(1, "Writing")
    if fmt == "md":
        from reader.export.markdown import export_markdown

        result = export_markdown(list(articles), path, options)
    else:
        from reader.export.html import export_html

        result = export_html(list(articles), path, options)
    give_usual_mode(path)
    if progress is not None:
        progress.advance(1, "Done")
    return Path(result)

