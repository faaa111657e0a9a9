"""The annotated bilingual PDF: Qt's PDF writer lays the pages out, pypdf adds real annotations.

:func:`export_pdf` works in three passes:

1. **Layout** (:mod:`~reader.export.pdf_blocks`, text boxes in :mod:`~reader.export.pdf_layout`) — every
   paragraph becomes a *row* :class:`~reader.export.pdf_paginate.Block` of two
   :class:`~reader.export.pdf_layout.TextBox` es (French and English, side by side, top-aligned), laid out
   with :class:`QTextLayout` in the bundled DejaVu fonts; the
   :class:`~reader.export.pdf_paginate.Paginator` places rows (plus title blocks, endnotes and the glossary
   appendix) on pages, reserving room for the footnotes of each page's markers.
2. **Paint** (:mod:`~reader.export.pdf_paint`) — with :class:`QPdfWriter` + :class:`QPainter`: running
   header, page numbers « 3 / 12 », highlight rectangles, the text as glyph runs, note markers and
   footnotes. The line rectangles of every highlight are recorded as they are painted.
3. **Write** — pypdf adds a ``/Highlight`` annotation per highlight (and per page it spans), links,
   the outline (one bookmark per article), metadata and ``/Lang``
   (:mod:`reader.export.pdf_annots`).

The file is written to a temp file beside the target and renamed over it at the end; on any failure no
partial file is left and an :class:`~reader.export.bundle.ExportError` says why in one sentence.

Headless use: Qt needs a :class:`QGuiApplication` for fonts. :func:`ensure_gui_app` creates one on the
``offscreen`` platform when the process has none (CLI, tests); call it from the main thread before
starting a worker thread — :func:`export_pdf` itself may then run on any thread (it only uses QtGui
classes that are documented as usable outside the GUI thread: QPdfWriter, QPainter, QTextLayout, QFont).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageLayout, QPainter, QPdfWriter

from reader.core.progress import Cancelled, Progress
from reader.export.bundle import (
    ExportArticle,
    ExportError,
    ExportOptions,
    ExportReport,
    PreparedArticle,
    check_target,
    prepare,
    replace_into,
    temp_path_beside,
)
from reader.export.pdf_annots import LinkSpec, OutlineItem, finish_pdf
from reader.export.pdf_blocks import Layout
from reader.export.pdf_layout import RESOLUTION, ensure_fonts
from reader.export.pdf_paginate import page_geometry
from reader.export.pdf_paint import PagePainter, pdf_rect

__all__ = ["export_pdf", "lay_out", "render_first_page", "ensure_gui_app", "ExportError", "ExportReport"]

_app_ref: QGuiApplication | None = None
_app_lock = threading.Lock()


def ensure_gui_app() -> QGuiApplication:
    """The process's :class:`QGuiApplication`, created on the ``offscreen`` platform if there is none.

    Qt's font database (and so any text layout) needs a QGuiApplication. The GUI already has one; a
    headless process (the ``visavis export`` command, a test, a script) gets an offscreen one, which
    needs no display. Must be first called on the main thread (Qt's rule for the application object).
    """
    global _app_ref
    with _app_lock:
        app = QGuiApplication.instance()
        if app is None:
            if threading.current_thread() is not threading.main_thread():
                raise ExportError(
                    "The PDF export needs Qt to be started on the main thread first (call ensure_gui_app())."
                )
            argv0 = sys.argv[0] if sys.argv and sys.argv[0] else "visavis"
            # A QApplication when QtWidgets is there: a later widget (the GUI, a pytest-qt test in the
            # same process) needs one, and Qt allows a single application object per process.
            try:
                from PySide6.QtWidgets import QApplication as _App
            except ImportError:  # pragma: no cover - QtGui-only installation
                _App = QGuiApplication
            app = _App([argv0, "-platform", "offscreen"])
            _app_ref = app
        elif not isinstance(app, QGuiApplication):
            raise ExportError("The PDF export needs a Qt GUI application, but only a core one is running.")
        return app


# -- entry point ----------------------------------------------------------------------------------------


def export_pdf(
    articles: list[ExportArticle],
    path: Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the annotated bilingual PDF of ``articles`` to ``path`` (atomically) and report on it."""
    options = options or ExportOptions()
    options.validate()
    if not articles:
        raise ExportError("There is nothing to export: no article was given.")
    path = check_target(Path(path))
    ensure_gui_app()
    ensure_fonts()
    preps = [prepare(ea, options, i) for i, ea in enumerate(articles)]
    geo, page_size = page_geometry(options.paper)

    qt_tmp = temp_path_beside(path, ".qt.part")
    out_tmp: Path | None = None
    try:
        writer = QPdfWriter(str(qt_tmp))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(QPageLayout(page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        writer.setCreator("Vis-à-vis")
        lay = Layout(writer, geo, options, progress)
        lay.titles = {p.index: p.article.title for p in preps}
        lay.pack_title = _pack_title(options, preps)
        writer.setTitle(_doc_title(options, preps))
        n_rows = sum(len(p.rows) for p in preps)
        if progress is not None:
            progress.start(n_rows * 2 + 2, "Laying out")
        lay.paginate(preps)
        if progress is not None:
            progress.start(n_rows + len(lay.paginator.pages) + 1, "Painting")
            progress.advance(n_rows)
        b = PagePainter(lay, writer)
        painter = QPainter()
        if not painter.begin(writer):
            raise ExportError(f"Cannot write the PDF in « {path.parent} ».")
        try:
            b.paint(painter, writer.newPage)
        finally:
            painter.end()
        del painter
        del writer
        if not qt_tmp.exists() or qt_tmp.stat().st_size == 0:
            raise ExportError(f"Cannot write the PDF « {path} » (nothing was written; is the disk full?).")
        out_tmp = temp_path_beside(path, ".pdf.part")
        bilingual = any(p.translated for p in preps)
        outline = []
        for p in preps:
            first = lay.article_first_page.get(p.index, 0)
            children = []
            if (p.index, "notes") in b.section_pages:
                children.append(OutlineItem("Notes", b.section_pages[(p.index, "notes")]))
            if (p.index, "glossary") in b.section_pages:
                children.append(OutlineItem("Glossaire · Glossary", b.section_pages[(p.index, "glossary")]))
            outline.append(OutlineItem(p.article.title, first, children))
        # the French text's web links (checked by safe_href), then the table of contents' page links
        links = b.links + [
            LinkSpec(pg, pdf_rect(geo, r), target_page=lay.article_first_page.get(idx, 0))
            for pg, r, idx in b.toc_links
        ]
        try:
            finish_pdf(
                qt_tmp, out_tmp,
                highlights=b.highlights,
                links=links,
                outline=outline,
                metadata=_metadata(options, preps),
                lang=None if bilingual else "fr",
                lang_spans=b.lang_spans if bilingual else None,
                authors=_authors(options, preps),
                languages=["fr", "en"] if bilingual else ["fr"],
            )
        except OSError:
            raise
        except Exception as exc:  # pypdf could not read what Qt wrote: a truncated file (disk full)
            raise ExportError(f"Cannot write the PDF « {path} »: the file came out damaged ({exc}).") from exc
        if progress is not None:
            progress.advance(1, "Done")
        replace_into(out_tmp, path)
        out_tmp = None
        report = ExportReport(
            pages=len(lay.paginator.pages),
            highlights=len(b.highlights),
            path=path,
            rows=[(a, p, [x + 1 for x in pages]) for (a, p), pages in lay.row_pages.items()],
            notes=[
                (prep.index, n.number, lay.marker_pages.get(id(n), -1) + 1, b.footnote_pages.get(id(n), -1) + 1)
                for prep in preps for n in prep.notes
            ],
            article_pages=[lay.article_first_page.get(p.index, 0) + 1 for p in preps],
        )
        return report
    except Cancelled:
        raise
    except ExportError:
        raise
    except OSError as exc:
        from reader.export.bundle import _reason

        raise ExportError(f"Cannot write the PDF « {path} »: {_reason(exc)}.") from exc
    finally:
        for tmp in (qt_tmp, out_tmp):
            if tmp is not None and tmp.exists():
                try:
                    tmp.unlink()
                except OSError:
                    pass


def _pack_title(options: ExportOptions, preps: list[PreparedArticle]) -> str:
    """The running header's left part (and the cover title of a pack)."""
    if options.title:
        return options.title
    if len(preps) == 1:
        return "Vis-à-vis · français – English"
    return f"Vis-à-vis · {len(preps)} articles"


def lay_out(articles: list[ExportArticle], options: ExportOptions | None = None) -> Layout:
    """The paginated layout :func:`export_pdf` would paint, without painting (for a preview, checks and
    the benchmark): the text is laid out on an image device at :data:`RESOLUTION` dpi. Needs a
    QGuiApplication (:func:`ensure_gui_app`); any thread after that."""
    options = options or ExportOptions()
    options.validate()
    ensure_gui_app()
    ensure_fonts()
    preps = [prepare(ea, options, i) for i, ea in enumerate(articles)]
    geo, _size = page_geometry(options.paper)
    device = QImage(1, 1, QImage.Format.Format_ARGB32)  # only its resolution matters (font metrics)
    dpm = round(RESOLUTION / 0.0254)
    device.setDotsPerMeterX(dpm)
    device.setDotsPerMeterY(dpm)
    lay = Layout(device, geo, options, None)
    lay.titles = {p.index: p.article.title for p in preps}
    lay.pack_title = _pack_title(options, preps)
    lay.paginate(preps)
    return lay


def render_first_page(
    articles: list[ExportArticle], options: ExportOptions | None = None, width_px: int = 600
) -> QImage:
    """Page 1 of what :func:`export_pdf` would write, painted onto a white ``QImage`` ``width_px`` wide
    (height from the paper's proportions), for a preview. The same layout, pagination and paint code as
    the PDF; the text is laid out on an image device at :data:`RESOLUTION` dpi instead of the PDF writer
    (no file, no pypdf). Needs a QGuiApplication (:func:`ensure_gui_app`); any thread after that."""
    if not articles:
        raise ExportError("There is nothing to preview: no article was given.")
    width_px = max(16, int(width_px))
    lay = lay_out(articles, options)
    geo, device = lay.geo, lay.device
    dpm = device.dotsPerMeterX()
    pages = lay.paginator.pages
    scale = width_px / geo.width
    image = QImage(width_px, max(16, round(geo.height * scale)), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    # Fonts set on the painter (header, page numbers) resolve against the target's dpi: give it the
    # layout's while painting in device units, then the preview's real one.
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    if pages:
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.scale(scale, scale)
            PagePainter(lay, device, preview=True).paint_page(painter, pages[0], 0, len(pages))
        finally:
            painter.end()
    preview_dpm = max(1, round(dpm * scale))
    image.setDotsPerMeterX(preview_dpm)
    image.setDotsPerMeterY(preview_dpm)
    image.setText("pages", str(len(pages)))
    return image


def _doc_title(options: ExportOptions, preps: list[PreparedArticle]) -> str:
    if options.title:
        return options.title
    if len(preps) == 1:
        return preps[0].article.title
    return f"{len(preps)} articles — Vis-à-vis"


def _authors(options: ExportOptions, preps: list[PreparedArticle]) -> list[str]:
    """Who wrote it: the ``author`` option, else the article's author, else for a pack every article's
    author when each has one (naming some of them would credit them with the others' work)."""
    if options.author:
        return [options.author]
    names = [p.article.author.strip() for p in preps if (p.article.author or "").strip()]
    if len(names) < len(preps):
        return []
    return list(dict.fromkeys(names))


def _metadata(options: ExportOptions, preps: list[PreparedArticle]) -> dict[str, str]:
    titles = "; ".join(p.article.title for p in preps)
    if any(p.translated for p in preps):
        subject = f"Bilingual French–English edition with annotations: {titles}"
        keywords = "français; English; bilingual; annotations"
    else:
        subject = f"French text with annotations (not translated yet): {titles}"
        keywords = "français; annotations"
    return {
        "/Title": _doc_title(options, preps),
        "/Author": "; ".join(_authors(options, preps)),
        "/Subject": subject,
        "/Creator": "Vis-à-vis",
        "/Keywords": keywords,
    }
