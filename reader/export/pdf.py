"""The annotated bilingual PDF: Qt's PDF writer lays the pages out, pypdf adds real annotations.

:func:`export_pdf` works in three passes:

1. **Layout** — every paragraph becomes a *row* :class:`~reader.export.pdf_layout.Block` of two
   :class:`~reader.export.pdf_layout.TextBox` es (French and English, side by side, top-aligned), laid out
   with :class:`QTextLayout` in the bundled DejaVu fonts; the
   :class:`~reader.export.pdf_layout.Paginator` places rows (plus title blocks, endnotes and the glossary
   appendix) on pages, reserving room for the footnotes of each page's markers.
2. **Paint** — with :class:`QPdfWriter` + :class:`QPainter`: running header, page numbers « 3 / 12 »,
   highlight rectangles (lighter tints on counterpart sentences), the text as glyph runs (real, selectable
   text; left cell fully before right cell so extraction keeps each column's reading order), note markers
   and footnotes. The line rectangles of every highlight are recorded as they are painted.
3. **Annotate** — pypdf adds a ``/Highlight`` annotation per highlight (and per page it spans), links,
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from reader.core.model import ParagraphKind, SpanKind
from reader.core.progress import Cancelled, Progress
from reader.export.bundle import (
    NOT_TRANSLATED,
    TINT_AMOUNT,
    Cell,
    ExportArticle,
    ExportError,
    ExportOptions,
    ExportReport,
    Note,
    PreparedArticle,
    Row,
    article_meta_line,
    check_target,
    lighten,
    parse_color,
    prepare,
    replace_into,
    speaker_prefix,
    temp_path_beside,
)
from reader.export.pdf_annots import HighlightSpec, LinkSpec, OutlineItem, finish_pdf
from reader.export.pdf_layout import (
    LINK,
    MM,
    MUTED,
    PT,
    RESOLUTION,
    RULE,
    SANS,
    SERIF,
    TEXT,
    Block,
    Frag,
    Page,
    Paginator,
    Piece,
    Style,
    TextBox,
    ensure_fonts,
    make_font,
)

__all__ = ["export_pdf", "render_first_page", "ensure_gui_app", "ExportError", "ExportReport"]

HIGHLIGHT_AMOUNT = 0.55  # page-content fill: the colour this much over white (the annotation adds to it)
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


# -- page geometry -------------------------------------------------------------------------------------


@dataclass
class Geometry:
    width: float
    height: float
    left: float
    right: float  # x of the right margin edge
    top: float
    bottom: float
    header_y: float
    footer_y: float
    gutter: float

    @property
    def body_width(self) -> float:
        return self.right - self.left

    @property
    def col_width(self) -> float:
        return (self.body_width - self.gutter) / 2

    def col_x(self, k: int) -> float:
        return self.left + k * (self.col_width + self.gutter)


def _geometry(paper: str) -> tuple[Geometry, QPageSize]:
    size = QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4)
    pts = size.sizePoints()  # what Qt writes as the MediaBox (whole points)
    w, h = pts.width() * PT, pts.height() * PT
    margin = 17 * MM
    return Geometry(
        width=w,
        height=h,
        left=margin,
        right=w - margin,
        top=22 * MM,
        bottom=h - 18 * MM,
        header_y=11 * MM,
        footer_y=h - 10 * MM,
        gutter=9 * MM,
    ), size


# -- layout -----------------------------------------------------------------------------------------


class _Builder:
    """Turns prepared articles into blocks, paginates them, and paints the pages."""

    def __init__(self, writer: QPdfWriter, geo: Geometry, options: ExportOptions, progress: Progress | None):
        self.writer = writer
        self.geo = geo
        self.options = options
        self.progress = progress
        fs = float(options.font_size)
        self.fs = fs
        self.f_body = make_font(SERIF, fs)
        self.f_caption = make_font(SERIF, fs * 0.92, italic=True)
        self.f_heading = make_font(SERIF, fs * 1.12, bold=True)
        self.f_title = make_font(SERIF, fs * 1.45, bold=True)
        self.f_title_en = make_font(SERIF, fs * 1.45, italic=True)
        self.f_meta = make_font(SANS, fs * 0.8)
        self.f_label = make_font(SANS, fs * 0.72, bold=True)
        self.f_note = make_font(SANS, fs * 0.78)
        self.f_small = make_font(SANS, fs * 0.72)
        self.f_gloss_head = make_font(SANS, fs * 1.15, bold=True)
        self.f_cover = make_font(SANS, fs * 2.1, bold=True)
        self.fn_boxes: dict[int, TextBox] = {}
        self.fn_gap = 2.5 * PT
        self.fn_sep = 9 * PT
        self.paginator = Paginator(geo.top, geo.bottom, self.footnote_height)
        self.highlights: list[HighlightSpec] = []
        self.links: list[LinkSpec] = []
        self.toc_links: list[tuple[int, QRectF, int]] = []  # (page, rect, article index)
        self.article_first_page: dict[int, int] = {}
        self.section_pages: dict[tuple[int, str], int] = {}
        self.row_pages: dict[tuple[int, int], list[int]] = {}
        self.note_pages: dict[int, tuple[int, int]] = {}  # id(note) → (article, number)
        self.marker_pages: dict[int, int] = {}
        self.hl_count = 0
        self.titles: dict[int, str] = {}
        self.pack_title = ""

    # -- boxes -------------------------------------------------------------------------------------

    def box(self, text: str, font: QFont, width: float, **kw) -> TextBox:
        return TextBox(self.writer, text, font, width, **kw)

    def footnote_box(self, note: Note) -> TextBox:
        key = id(note)
        box = self.fn_boxes.get(key)
        if box is None:
            label = str(note.number)
            text = f"{label}\u2002{note.highlight.note_text()}"
            box = self.box(
                text, self.f_note, self.geo.body_width - 9 * PT,
                styles=[Style(0, len(label), bold=True)], leading=0.12,
            )
            self.fn_boxes[key] = box
        return box

    def footnote_height(self, notes: Sequence[Note]) -> float:
        if not notes or self.options.notes != "footnotes":
            return 0.0
        return self.fn_sep + sum(self.footnote_box(n).height + self.fn_gap for n in notes)

    # -- blocks ------------------------------------------------------------------------------------

    def cell_piece(self, prep: PreparedArticle, row: Row, cell: Cell, x: float, width: float) -> Piece:
        para = row.para
        kind = para.kind
        font = self.f_body
        color = TEXT
        if kind == ParagraphKind.HEADING:
            font = self.f_heading
        elif kind == ParagraphKind.CAPTION:
            font = self.f_caption
            color = MUTED
        indent = 0.0
        if kind == ParagraphKind.QUOTE:
            indent = 11 * PT
        styles: list[Style] = []
        links: list[tuple[int, int, str]] = []
        if cell.side == "fr":
            for sp in para.spans:
                if sp.end > len(cell.text):
                    continue
                if sp.kind == SpanKind.BOLD:
                    styles.append(Style(sp.start, sp.end, bold=True))
                elif sp.kind == SpanKind.ITALIC:
                    styles.append(Style(sp.start, sp.end, italic=True))
                elif sp.kind == SpanKind.SUPERSCRIPT:
                    styles.append(Style(sp.start, sp.end, sup=True))
                elif sp.kind == SpanKind.LINK:
                    styles.append(Style(sp.start, sp.end, color=LINK, underline=bool(sp.href)))
                    if sp.href and sp.href.lower().startswith(("http://", "https://", "mailto:")):
                        links.append((sp.start, sp.end, sp.href))
        prefix = speaker_prefix(para, cell.side) if kind == ParagraphKind.TURN else ""
        text = cell.text
        if cell.untranslated:
            text = ""
        groups: dict[int, list[Note]] = {}
        for note in cell.notes:
            groups.setdefault(note.at, []).append(note)
        markers = [(at, ",".join(str(n.number) for n in ns)) for at, ns in sorted(groups.items())]
        if cell.untranslated and row_is_placeholder(prep, cell):
            box = self.box(f"({NOT_TRANSLATED.lower()})", self.f_caption, width - indent, color=MUTED)
            return Piece(box, x + indent, key=None)
        box = self.box(text, font, width - indent, styles=styles, prefix=prefix, markers=markers, color=color)
        piece = Piece(box, x + indent, key=cell, links=links)
        for at, ns in sorted(groups.items()):
            pos = box.map_end(at)
            for n in ns:
                piece.markers.append((n, pos))
        return piece

    def row_block(self, prep: PreparedArticle, row: Row) -> Block:
        geo = self.geo
        pieces = []
        for k, side in enumerate((self.options.left, self.options.right)):
            pieces.append(self.cell_piece(prep, row, row.cells[side], geo.col_x(k), geo.col_width))
        kind = row.para.kind
        gap = self.fs * PT * (1.3 if kind == ParagraphKind.HEADING else 0.75)
        block = Block("row", pieces, gap=gap, keep_with_next=kind == ParagraphKind.HEADING,
                      row=(prep.index, row.paragraph), article=prep.index)
        if kind == ParagraphKind.QUOTE:
            block.decorate = self._quote_rule
        return block

    def _quote_rule(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        painter.save()
        painter.setPen(QPen(RULE, 1.6 * PT))
        for k, piece in enumerate(frag.block.pieces):
            x = piece.x - 6 * PT
            painter.drawLine(QPointF(x, frag.y + 1 * PT), QPointF(x, frag.y + frag.height - 1 * PT))
        painter.restore()

    def title_blocks(self, prep: PreparedArticle) -> list[Block]:
        geo = self.geo
        ea = prep.source
        art = prep.article
        titles = {"fr": art.title, "en": ea.english_title}
        pieces = []
        for k, side in enumerate((self.options.left, self.options.right)):
            t = titles[side]
            x = geo.col_x(k)
            if side == "en" and not t:
                if not prep.translated:
                    box = self.box(
                        f"{NOT_TRANSLATED}.\u2028This article has no English translation: only the French "
                        "text is exported.",
                        self.f_caption, geo.col_width, color=MUTED,
                        styles=[Style(0, len(NOT_TRANSLATED) + 1, bold=True)],
                    )
                    pieces.append(Piece(box, x))
                continue
            font = self.f_title if side == "fr" else self.f_title_en
            pieces.append(Piece(self.box(t, font, geo.col_width, leading=0.1), x))
        title = Block("title", pieces, page_break_before=True, keep_with_next=True, article=prep.index)
        blocks = [title]
        meta = article_meta_line(art)
        if meta:
            blocks.append(Block("meta", [Piece(self.box(meta, self.f_meta, geo.body_width, color=MUTED),
                                               geo.left)], gap=5 * PT, keep_with_next=True, article=prep.index))
        return blocks

    def label_block(self, prep: PreparedArticle) -> Block:
        geo = self.geo
        names = {"fr": "FRANÇAIS", "en": "ENGLISH"}
        pieces = [
            Piece(self.box(names[side], self.f_label, geo.col_width, color=MUTED), geo.col_x(k))
            for k, side in enumerate((self.options.left, self.options.right))
        ]
        block = Block("label", pieces, gap=10 * PT, keep_with_next=True, article=prep.index)
        block.min_height = pieces[0].box.height + 9 * PT  # room under the rule for the first row
        block.decorate = self._label_rule
        return block

    def _label_rule(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        painter.save()
        painter.setPen(QPen(RULE, 0.6 * PT))
        y = frag.y + frag.block.pieces[0].box.height + 3 * PT
        for k in range(2):
            x = self.geo.col_x(k)
            painter.drawLine(QPointF(x, y), QPointF(x + self.geo.col_width, y))
        painter.restore()

    def endnote_blocks(self, prep: PreparedArticle) -> list[Block]:
        geo = self.geo
        blocks = [self.heading_block("Notes", prep.index, "notes")]
        for note in prep.notes:
            h = note.highlight
            quote = prep.rows and _passage(prep, note)
            label = f"{note.number}."
            body = note.highlight.note_text()
            text = f"{label} « {quote} » — {body}" if quote else f"{label} {body}"
            box = self.box(text, self.f_note, geo.body_width - 9 * PT,
                           styles=[Style(0, len(label), bold=True)], leading=0.12)
            blk = Block("endnote", [Piece(box, geo.left + 9 * PT)], gap=4 * PT, article=prep.index)
            blk.decorate = self._swatch(h.color)
            blocks.append(blk)
        return blocks

    def _swatch(self, color: str):
        def draw(painter: QPainter, frag: Frag, page_i: int) -> None:
            if not frag.first:
                return
            s = 5 * PT
            painter.fillRect(QRectF(self.geo.left, frag.y + 2.2 * PT, s, s), QColor(lighten(color, 0.8)))
        return draw

    def heading_block(self, text: str, article: int, section: str) -> Block:
        box = self.box(text, self.f_gloss_head, self.geo.body_width)
        blk = Block("section", [Piece(box, self.geo.left)], gap=18 * PT, keep_with_next=True, article=article)
        blk.row = None
        blk.decorate = self._section_mark(article, section)
        return blk

    def _section_mark(self, article: int, section: str):
        def mark(painter: QPainter, frag: Frag, page_i: int) -> None:
            self.section_pages.setdefault((article, section), page_i)
        return mark

    def glossary_blocks(self, prep: PreparedArticle) -> list[Block]:
        geo = self.geo
        gap = 8 * PT
        widths = [geo.body_width * 0.28, geo.body_width * 0.28]
        widths.append(geo.body_width - sum(widths) - 2 * gap)
        xs = [geo.left, geo.left + widths[0] + gap, geo.left + widths[0] + widths[1] + 2 * gap]
        blocks = [self.heading_block("Glossaire · Glossary", prep.index, "glossary")]
        head = Block("gloss", [
            Piece(self.box(t, self.f_label, w, color=MUTED), x)
            for t, w, x in zip(("FRANÇAIS", "ENGLISH", "NOTE"), widths, xs, strict=True)
        ], gap=8 * PT, keep_with_next=True, article=prep.index)
        head.decorate = self._grid_line
        blocks.append(head)
        for e in prep.source.glossary:
            pieces = [
                Piece(self.box(e.term, make_font(SERIF, self.fs * 0.95, bold=True), widths[0]), xs[0]),
                Piece(self.box(e.translation, make_font(SERIF, self.fs * 0.95), widths[1]), xs[1]),
                Piece(self.box(e.note or "", self.f_note, widths[2], color=MUTED), xs[2]),
            ]
            blk = Block("gloss", pieces, gap=5 * PT, article=prep.index)
            blk.decorate = self._grid_line
            blocks.append(blk)
        return blocks

    def _grid_line(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        painter.save()
        painter.setPen(QPen(RULE, 0.5 * PT))
        y = frag.y + frag.height + 2.5 * PT
        painter.drawLine(QPointF(self.geo.left, y), QPointF(self.geo.right, y))
        painter.restore()

    def cover_blocks(self, preps: list[PreparedArticle]) -> list[Block]:
        geo = self.geo
        blocks = [Block("cover", [Piece(self.box(self.pack_title, self.f_cover, geo.body_width), geo.left)])]
        sub = " · ".join(x for x in (self.options.author or "", f"{len(preps)} articles",
                                     "français – English") if x)
        blocks.append(Block("cover", [Piece(self.box(sub, self.f_meta, geo.body_width, color=MUTED), geo.left)],
                            gap=6 * PT))
        blocks.append(Block("section", [Piece(self.box("Sommaire · Contents", self.f_gloss_head,
                                                       geo.body_width), geo.left)], gap=28 * PT))
        num_w = 30 * PT
        for prep in preps:
            w = geo.body_width - num_w - 8 * PT
            pieces = [Piece(self.box(prep.article.title, make_font(SERIF, self.fs * 1.05, bold=True), w), geo.left)]
            en = prep.source.english_title
            if en:
                pieces.append(Piece(self.box(en, make_font(SERIF, self.fs * 0.95, italic=True), w, color=MUTED),
                                    geo.left, dy=pieces[0].box.height + 2 * PT))
            meta = article_meta_line(prep.article)
            if meta:
                dy = max(p.dy + p.box.height for p in pieces) + 2 * PT
                pieces.append(Piece(self.box(meta, self.f_small, w, color=MUTED), geo.left, dy=dy))
            blk = Block("toc", pieces, gap=9 * PT)
            blk.decorate = self._toc_number(prep.index, num_w)
            blocks.append(blk)
        return blocks

    def _toc_number(self, index: int, num_w: float):
        def draw(painter: QPainter, frag: Frag, page_i: int) -> None:
            page_no = self.article_first_page.get(index, 0) + 1
            painter.save()
            painter.setFont(make_font(SERIF, self.fs * 1.05, bold=True))
            painter.setPen(TEXT)
            r = QRectF(self.geo.right - num_w, frag.y, num_w, frag.block.pieces[0].box.lines[0].height)
            painter.drawText(r, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(page_no))
            painter.restore()
            self.toc_links.append((page_i, QRectF(self.geo.left, frag.y, self.geo.body_width, frag.height),
                                   index))
        return draw

    # -- paginate ----------------------------------------------------------------------------------

    def paginate(self, preps: list[PreparedArticle]) -> None:
        pg = self.paginator
        streams: list[tuple[int | None, list[Block]]] = []
        if len(preps) > 1:
            streams.append((None, self.cover_blocks(preps)))
        for prep in preps:
            blocks = self.title_blocks(prep)
            label = self.label_block(prep)
            blocks.append(label)
            rows = []
            for row in prep.rows:
                rows.append(self.row_block(prep, row))
                if self.progress is not None:
                    self.progress.check()
                    self.progress.advance(1, "Laying out")
            if not rows:
                msg = "No annotated paragraph." if self.options.only_annotated else "No text."
                rows.append(Block("row", [Piece(self.box(msg, self.f_caption, self.geo.col_width, color=MUTED),
                                                self.geo.col_x(0))], gap=6 * PT, article=prep.index))
            tail = []
            if self.options.show_notes and self.options.notes == "endnotes" and prep.notes:
                tail += self.endnote_blocks(prep)
            if prep.source.glossary:
                tail += self.glossary_blocks(prep)
            streams.append((prep.index, blocks + rows + tail))
        for article, blocks in streams:
            pg.article = article
            pg.repeat = None
            for i, blk in enumerate(blocks):
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if blk.kind == "title":
                    pg.repeat = None
                    pg.article = article
                in_rows = blk.kind == "row"
                if not in_rows and pg.repeat is not None:
                    pg.repeat = None
                frags = pg.place(blk, nxt)
                if blk.kind == "title" and article is not None:
                    self.article_first_page[article] = len(pg.pages) - 1
                if blk.kind == "label":
                    pg.repeat = blk
                if blk.row is not None:
                    pages = sorted({self._page_of(f) for f in frags})
                    self.row_pages[blk.row] = pages
                if self.progress is not None:
                    self.progress.check()
        for i, page in enumerate(pg.pages):
            for note in page.notes:
                self.marker_pages[id(note)] = i

    def _page_of(self, frag: Frag) -> int:
        for i in range(len(self.paginator.pages) - 1, -1, -1):
            if any(f is frag for f in self.paginator.pages[i].frags):
                return i
        return -1

    # -- paint -------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, preps: list[PreparedArticle]) -> None:
        pages = self.paginator.pages
        total = len(pages)
        by_index = {p.index: p for p in preps}
        for i, page in enumerate(pages):
            if self.progress is not None:
                self.progress.check()
            if i:
                self.writer.newPage()
            self.paint_page(painter, page, i, total, by_index)
            if self.progress is not None:
                self.progress.advance(1, f"Page {i + 1} / {total}")

    def paint_page(self, painter: QPainter, page: Page, i: int, total: int, by_index) -> None:
        """Everything on one page (the PDF export and :func:`render_first_page` both paint with this)."""
        self.paint_chrome(painter, page, i, total, by_index)
        self.paint_gutter(painter, page)
        for frag in page.frags:
            self.paint_frag(painter, frag, i)
        if self.options.notes == "footnotes":
            self.paint_footnotes(painter, page)

    def paint_chrome(self, painter: QPainter, page: Page, i: int, total: int, by_index) -> None:
        geo = self.geo
        painter.save()
        painter.setFont(self.f_small)
        painter.setPen(MUTED)
        fm = QFontMetricsF(self.f_small, self.writer)
        if page.article is not None:
            title = self.titles.get(page.article, "")
            y = geo.header_y
            half = geo.body_width / 2 - 6 * PT
            left = fm.elidedText(self.pack_title, Qt.TextElideMode.ElideRight, half)
            right = fm.elidedText(title, Qt.TextElideMode.ElideRight, half)
            painter.drawText(QPointF(geo.left, y), left)
            painter.drawText(QPointF(geo.right - fm.horizontalAdvance(right), y), right)
            painter.setPen(QPen(RULE, 0.5 * PT))
            painter.drawLine(QPointF(geo.left, y + 3.5 * PT), QPointF(geo.right, y + 3.5 * PT))
        painter.setPen(MUTED)
        label = f"{i + 1} / {total}"
        painter.drawText(QPointF((geo.left + geo.right) / 2 - fm.horizontalAdvance(label) / 2, geo.footer_y), label)
        painter.restore()

    def paint_gutter(self, painter: QPainter, page: Page) -> None:
        rows = [f for f in page.frags if f.block.kind in ("row", "label")]
        if not rows:
            return
        top = min(f.y for f in rows)
        bottom = max(f.y + f.height for f in rows)
        x = self.geo.col_x(1) - self.geo.gutter / 2
        painter.save()
        painter.setPen(QPen(QColor("#e2e2e2"), 0.5 * PT))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.restore()

    def paint_frag(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        block = frag.block
        for k, piece in enumerate(block.pieces):
            a, b = frag.ranges[k]
            if b <= a:
                continue
            origin = QPointF(piece.x, frag.origin_y(k))
            cell = piece.key if isinstance(piece.key, Cell) else None
            if cell is not None and cell.marks:
                self.paint_marks(painter, piece, cell, origin, a, b, page_i)
            piece.box.draw(painter, origin, a, b)
            if cell is not None and cell.side == "fr":
                self.record_links(piece, cell, origin, a, b, page_i)
        if block.decorate is not None:
            block.decorate(painter, frag, page_i)

    def paint_marks(self, painter, piece: Piece, cell: Cell, origin: QPointF, a: int, b: int, page_i: int) -> None:
        box = piece.box
        pad = 0.6 * PT
        for mark in cell.marks:
            la, lb = box.map_start(mark.start), box.map_end(mark.end)
            rects = box.rects(la, lb, a, b)
            if not rects:
                continue
            fill = QColor(lighten(mark.color, TINT_AMOUNT if mark.tint else HIGHLIGHT_AMOUNT))
            quads = []
            for _, r in rects:
                rr = QRectF(origin.x() + r.x() - pad, origin.y() + r.y(), r.width() + 2 * pad, r.height())
                painter.fillRect(rr, fill)
                quads.append(rr)
            if not mark.tint and mark.highlight is not None:
                self.add_highlight(page_i, mark, quads)

    def add_highlight(self, page_i: int, mark, quads: list[QRectF]) -> None:
        h = mark.highlight
        k = 72.0 / RESOLUTION
        ph = self.geo.height * k
        pdf_quads = [(r.left() * k, ph - r.bottom() * k, r.right() * k, ph - r.top() * k) for r in quads]
        if self.highlights and self.highlights[-1].page == page_i and self.highlights[-1].name == h.id:
            self.highlights[-1].quads.extend(pdf_quads)
            return
        same = [s for s in self.highlights if s.name.split("#")[0] == h.id]
        name = h.id if not same else f"{h.id}#{len(same) + 1}"
        contents = h.note_text() if self.options.show_notes else ""
        self.highlights.append(HighlightSpec(page_i, pdf_quads, parse_color(h.color), contents,
                                             h.author, h.modified, name))

    def record_links(self, piece: Piece, cell: Cell, origin: QPointF, a: int, b: int, page_i: int) -> None:
        for start, end, href in piece.links:
            for _, r in piece.box.rects(piece.box.map_start(start), piece.box.map_end(end), a, b):
                rr = QRectF(origin.x() + r.x(), origin.y() + r.y(), r.width(), r.height())
                self.links.append(LinkSpec(page_i, _pdf_rect(self.geo, rr), uri=href))

    def paint_footnotes(self, painter: QPainter, page: Page) -> None:
        notes = sorted(page.notes, key=lambda n: n.number)
        if not notes:
            return
        geo = self.geo
        y = geo.bottom - self.footnote_height(notes)
        painter.save()
        painter.setPen(QPen(RULE, 0.6 * PT))
        painter.drawLine(QPointF(geo.left, y + 4 * PT), QPointF(geo.left + 45 * MM, y + 4 * PT))
        painter.restore()
        y += self.fn_sep
        s = 5 * PT
        for note in notes:
            box = self.footnote_box(note)
            painter.fillRect(QRectF(geo.left, y + 1.6 * PT, s, s), QColor(lighten(note.highlight.color, 0.8)))
            box.draw(painter, QPointF(geo.left + 9 * PT, y))
            y += box.height + self.fn_gap


def row_is_placeholder(prep: PreparedArticle, cell: Cell) -> bool:
    """An empty English cell shows « (not translated yet) », unless the whole article is untranslated
    (then the note under the title says it once)."""
    return cell.side == "en" and prep.translated


def _passage(prep: PreparedArticle, note: Note, limit: int = 90) -> str:
    h = note.highlight
    for row in prep.rows:
        if row.paragraph == h.paragraph:
            text = row.cells[h.side].text[h.start : h.end].strip()
            text = " ".join(text.split())
            return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ""


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
    geo, page_size = _geometry(options.paper)

    qt_tmp = temp_path_beside(path, ".qt.part")
    out_tmp: Path | None = None
    try:
        writer = QPdfWriter(str(qt_tmp))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(QPageLayout(page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        writer.setCreator("Vis-à-vis")
        b = _Builder(writer, geo, options, progress)
        b.titles = {p.index: p.article.title for p in preps}
        b.pack_title = _pack_title(options, preps)
        writer.setTitle(_doc_title(options, preps))
        n_rows = sum(len(p.rows) for p in preps)
        if progress is not None:
            progress.start(n_rows * 2 + 2, "Laying out")
        b.paginate(preps)
        if progress is not None:
            progress.start(n_rows + len(b.paginator.pages) + 1, "Painting")
            progress.advance(n_rows)
        painter = QPainter()
        if not painter.begin(writer):
            raise ExportError(f"Cannot write the PDF in « {path.parent} ».")
        try:
            b.paint(painter, preps)
        finally:
            painter.end()
        del painter
        del writer
        if not qt_tmp.exists() or qt_tmp.stat().st_size == 0:
            raise ExportError(f"Cannot write the PDF « {path} » (nothing was written; is the disk full?).")
        out_tmp = temp_path_beside(path, ".pdf.part")
        outline = []
        for p in preps:
            first = b.article_first_page.get(p.index, 0)
            children = []
            if (p.index, "notes") in b.section_pages:
                children.append(OutlineItem("Notes", b.section_pages[(p.index, "notes")]))
            if (p.index, "glossary") in b.section_pages:
                children.append(OutlineItem("Glossaire · Glossary", b.section_pages[(p.index, "glossary")]))
            outline.append(OutlineItem(p.article.title, first, children))
        links = [
            LinkSpec(pg, _pdf_rect(geo, r), target_page=b.article_first_page.get(idx, 0))
            for pg, r, idx in b.toc_links
        ]
        try:
            finish_pdf(
                qt_tmp, out_tmp,
                highlights=b.highlights,
                links=links,
                outline=outline,
                metadata=_metadata(options, preps),
                lang=options.left,
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
            pages=len(b.paginator.pages),
            highlights=len(b.highlights),
            path=path,
            rows=[(a, p, [x + 1 for x in pages]) for (a, p), pages in b.row_pages.items()],
            notes=[
                (prep.index, n.number, b.marker_pages.get(id(n), -1) + 1, b.marker_pages.get(id(n), -1) + 1)
                for prep in preps for n in prep.notes
            ],
            article_pages=[b.article_first_page.get(p.index, 0) + 1 for p in preps],
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


def render_first_page(
    articles: list[ExportArticle], options: ExportOptions | None = None, width_px: int = 600
) -> QImage:
    """Page 1 of what :func:`export_pdf` would write, painted onto a white ``QImage`` ``width_px`` wide
    (height from the paper's proportions), for a preview. The same layout, pagination and paint code as
    the PDF; the text is laid out on an image device at :data:`RESOLUTION` dpi instead of the PDF writer
    (no file, no pypdf). Needs a QGuiApplication (:func:`ensure_gui_app`); any thread after that."""
    options = options or ExportOptions()
    options.validate()
    if not articles:
        raise ExportError("There is nothing to preview: no article was given.")
    width_px = max(16, int(width_px))
    ensure_gui_app()
    ensure_fonts()
    preps = [prepare(ea, options, i) for i, ea in enumerate(articles)]
    geo, _size = _geometry(options.paper)
    device = QImage(1, 1, QImage.Format.Format_ARGB32)  # only its resolution matters (font metrics)
    dpm = round(RESOLUTION / 0.0254)
    device.setDotsPerMeterX(dpm)
    device.setDotsPerMeterY(dpm)
    b = _Builder(device, geo, options, None)  # type: ignore[arg-type]  (a paint device is all it needs)
    b.titles = {p.index: p.article.title for p in preps}
    b.pack_title = _pack_title(options, preps)
    b.paginate(preps)
    pages = b.paginator.pages
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
            b.paint_page(painter, pages[0], 0, len(pages), {p.index: p for p in preps})
        finally:
            painter.end()
    preview_dpm = max(1, round(dpm * scale))
    image.setDotsPerMeterX(preview_dpm)
    image.setDotsPerMeterY(preview_dpm)
    image.setText("pages", str(len(pages)))
    return image


def _pdf_rect(geo: Geometry, r: QRectF) -> tuple[float, float, float, float]:
    k = 72.0 / RESOLUTION
    ph = geo.height * k
    return (r.left() * k, ph - r.bottom() * k, r.right() * k, ph - r.top() * k)


def _doc_title(options: ExportOptions, preps: list[PreparedArticle]) -> str:
    if options.title:
        return options.title
    if len(preps) == 1:
        return preps[0].article.title
    return f"{len(preps)} articles — Vis-à-vis"


def _metadata(options: ExportOptions, preps: list[PreparedArticle]) -> dict[str, str]:
    authors = options.author or "; ".join(dict.fromkeys(p.article.author for p in preps if p.article.author))
    subject = "Bilingual French–English edition with annotations: " + "; ".join(p.article.title for p in preps)
    return {
        "/Title": _doc_title(options, preps),
        "/Author": authors,
        "/Subject": subject,
        "/Creator": "Vis-à-vis",
        "/Keywords": "français; English; bilingual; annotations",
    }
