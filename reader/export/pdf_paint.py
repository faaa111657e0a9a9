"""Painting of the PDF export's pages with :class:`QPainter` (on a :class:`QPdfWriter` or a preview image).

Running header, page numbers « 3 / 12 », highlight rectangles (lighter tints on counterpart sentences),
the text as glyph runs (real, selectable text; left cell fully before right cell so extraction keeps each
column's reading order), note markers, footnotes, and each block's decoration (``Block.decorate``). The
line rectangles of every highlight and link are recorded as they are painted, for
:mod:`reader.export.pdf_annots` to turn into annotation objects.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintDevice, QPen

from reader.export.bundle import TINT_AMOUNT, Cell, lighten, parse_color
from reader.export.pdf_annots import HighlightSpec, LinkSpec
from reader.export.pdf_blocks import Layout
from reader.export.pdf_layout import MM, MUTED, PT, RESOLUTION, RULE, SERIF, TEXT, make_font
from reader.export.pdf_paginate import Frag, Geometry, Page, Piece

HIGHLIGHT_AMOUNT = 0.55  # page-content fill: the colour this much over white (the annotation adds to it)


def pdf_rect(geo: Geometry, r: QRectF) -> tuple[float, float, float, float]:
    """A page rectangle in device units → ``(left, bottom, right, top)`` in PDF points, y up."""
    k = 72.0 / RESOLUTION
    ph = geo.height * k
    return (r.left() * k, ph - r.bottom() * k, r.right() * k, ph - r.top() * k)


class PagePainter:
    """Paints the pages a :class:`~reader.export.pdf_blocks.Layout` has paginated."""

    def __init__(self, layout: Layout, device: QPaintDevice):
        self.layout = layout
        self.device = device
        self.geo = layout.geo
        self.options = layout.options
        self.progress = layout.progress
        self.highlights: list[HighlightSpec] = []
        self.links: list[LinkSpec] = []
        self.toc_links: list[tuple[int, QRectF, int]] = []  # (page, rect, article index)
        self.section_pages: dict[tuple[int, str], int] = {}

    def paint(self, painter: QPainter, new_page) -> None:
        """Every page; ``new_page()`` starts the next one (the PDF writer's ``newPage``)."""
        pages = self.layout.paginator.pages
        total = len(pages)
        for i, page in enumerate(pages):
            if self.progress is not None:
                self.progress.check()
            if i:
                new_page()
            self.paint_page(painter, page, i, total)
            if self.progress is not None:
                self.progress.advance(1, f"Page {i + 1} / {total}")

    def paint_page(self, painter: QPainter, page: Page, i: int, total: int) -> None:
        """Everything on one page (the PDF export and the preview both paint with this)."""
        self.paint_chrome(painter, page, i, total)
        self.paint_gutter(painter, page)
        for frag in page.frags:
            self.paint_frag(painter, frag, i)
        if self.options.notes == "footnotes":
            self.paint_footnotes(painter, page)

    def paint_chrome(self, painter: QPainter, page: Page, i: int, total: int) -> None:
        geo = self.geo
        lay = self.layout
        painter.save()
        painter.setFont(lay.f_small)
        painter.setPen(MUTED)
        fm = QFontMetricsF(lay.f_small, self.device)
        if page.article is not None:
            title = lay.titles.get(page.article, "")
            y = geo.header_y
            half = geo.body_width / 2 - 6 * PT
            left = fm.elidedText(lay.pack_title, Qt.TextElideMode.ElideRight, half)
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
            kind, *args = block.decorate
            getattr(self, f"deco_{kind}")(painter, frag, page_i, *args)

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
        pdf_quads = [pdf_rect(self.geo, r) for r in quads]
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
                self.links.append(LinkSpec(page_i, pdf_rect(self.geo, rr), uri=href))

    def paint_footnotes(self, painter: QPainter, page: Page) -> None:
        notes = sorted(page.notes, key=lambda n: n.number)
        if not notes:
            return
        geo = self.geo
        lay = self.layout
        y = geo.bottom - lay.footnote_height(notes)
        painter.save()
        painter.setPen(QPen(RULE, 0.6 * PT))
        painter.drawLine(QPointF(geo.left, y + 4 * PT), QPointF(geo.left + 45 * MM, y + 4 * PT))
        painter.restore()
        y += lay.fn_sep
        s = 5 * PT
        for note in notes:
            box = lay.footnote_box(note)
            painter.fillRect(QRectF(geo.left, y + 1.6 * PT, s, s), QColor(lighten(note.highlight.color, 0.8)))
            box.draw(painter, QPointF(geo.left + 9 * PT, y))
            y += box.height + lay.fn_gap

    # -- decorations (Block.decorate) ---------------------------------------------------------------

    def deco_quote(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        painter.save()
        painter.setPen(QPen(RULE, 1.6 * PT))
        for piece in frag.block.pieces:
            x = piece.x - 6 * PT
            painter.drawLine(QPointF(x, frag.y + 1 * PT), QPointF(x, frag.y + frag.height - 1 * PT))
        painter.restore()

    def deco_label(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        painter.save()
        painter.setPen(QPen(RULE, 0.6 * PT))
        y = frag.y + frag.block.pieces[0].box.height + 3 * PT
        for k in range(2):
            x = self.geo.col_x(k)
            painter.drawLine(QPointF(x, y), QPointF(x + self.geo.col_width, y))
        painter.restore()

    def deco_swatch(self, painter: QPainter, frag: Frag, page_i: int, color: str) -> None:
        if not frag.first:
            return
        s = 5 * PT
        painter.fillRect(QRectF(self.geo.left, frag.y + 2.2 * PT, s, s), QColor(lighten(color, 0.8)))

    def deco_section(self, painter: QPainter, frag: Frag, page_i: int, article: int, section: str) -> None:
        self.section_pages.setdefault((article, section), page_i)

    def deco_grid(self, painter: QPainter, frag: Frag, page_i: int) -> None:
        painter.save()
        painter.setPen(QPen(RULE, 0.5 * PT))
        y = frag.y + frag.height + 2.5 * PT
        painter.drawLine(QPointF(self.geo.left, y), QPointF(self.geo.right, y))
        painter.restore()

    def deco_toc(self, painter: QPainter, frag: Frag, page_i: int, index: int, num_w: float) -> None:
        page_no = self.layout.article_first_page.get(index, 0) + 1
        painter.save()
        painter.setFont(make_font(SERIF, self.layout.fs * 1.05, bold=True))
        painter.setPen(TEXT)
        r = QRectF(self.geo.right - num_w, frag.y, num_w, frag.block.pieces[0].box.lines[0].height)
        painter.drawText(r, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(page_no))
        painter.restore()
        self.toc_links.append((page_i, QRectF(self.geo.left, frag.y, self.geo.body_width, frag.height), index))
