"""Painting of the PDF export's pages with :class:`QPainter` (on a :class:`QPdfWriter` or a preview image).

Running header, page numbers « 3 / 12 », highlight rectangles (lighter tints on counterpart sentences),
the text as glyph runs (real, selectable text; left cell fully before right cell so extraction keeps each
column's reading order), note markers, footnotes, and each block's decoration (``Block.decorate``). The
line rectangles of every highlight and link are recorded as they are painted, for
:mod:`reader.export.pdf_annots` to turn into annotation objects.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintDevice, QPen

from reader.export.bundle import Cell, lighten, parse_color
from reader.export.pdf_annots import HIGHLIGHT_OPACITY, HighlightSpec, LinkSpec
from reader.export.pdf_blocks import Layout
from reader.export.pdf_layout import MM, MUTED, PT, RESOLUTION, RULE, SERIF, TEXT, make_font
from reader.export.pdf_paginate import Frag, Geometry, Page, Piece

HIGHLIGHT_AMOUNT = HIGHLIGHT_OPACITY  # a flattened (or previewed) highlight looks like the annotation
TINT_AMOUNT = 0.12  # counterpart sentences (optional): a wash lighter than the editor's


def pdf_rect(geo: Geometry, r: QRectF) -> tuple[float, float, float, float]:
    """A page rectangle in device units → ``(left, bottom, right, top)`` in PDF points, y up."""
    k = 72.0 / RESOLUTION
    ph = geo.height * k
    return (r.left() * k, ph - r.bottom() * k, r.right() * k, ph - r.top() * k)


class PagePainter:
    """Paints the pages a :class:`~reader.export.pdf_blocks.Layout` has paginated."""

    def __init__(self, layout: Layout, device: QPaintDevice, preview: bool = False):
        """``preview``: paint highlights into the page as the annotations will show them (an image has
        no annotation layer)."""
        self.layout = layout
        self.preview = preview
        self.device = device
        self.geo = layout.geo
        self.options = layout.options
        self.progress = layout.progress
        self.highlights: list[HighlightSpec] = []
        self.links: list[LinkSpec] = []
        self.toc_links: list[tuple[int, QRectF, int]] = []  # (page, rect, article index)
        self.section_pages: dict[tuple[int, str], int] = {}
        self._parts: dict[str, list[HighlightSpec]] = {}  # highlight id → its annotation per page
        self.footnote_pages: dict[int, int] = {}  # id(note) → page its footnote was painted on
        self.lang_spans: dict[int, list[tuple]] = {}  # page → (left, top, right, bottom, lang), device units

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
            self.paint_footnotes(painter, page, i)

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
        rows = [f for f in page.frags if f.block.kind in ("row", "label", "gap")]
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
            if piece.lang:
                lines = piece.box.lines
                self.lang_spans.setdefault(page_i, []).append(
                    (piece.x, origin.y() + lines[a].y, piece.x + piece.box.width, origin.y() + lines[b - 1].bottom,
                     piece.lang))
            if cell is not None and cell.side == "fr":
                self.record_links(piece, cell, origin, a, b, page_i)
        if block.decorate is not None:
            kind, *args = block.decorate
            getattr(self, f"deco_{kind}")(painter, frag, page_i, *args)

    def paint_marks(self, painter, piece: Piece, cell: Cell, origin: QPointF, a: int, b: int, page_i: int) -> None:
        """Highlights are drawn once: by their annotation's own appearance (added by ``pdf_annots``), so
        deleting the annotation in a viewer removes the colour; painted into the page only when the
        options ask to flatten them. Counterpart tints are painted when asked for."""
        box = piece.box
        pad = 0.6 * PT
        opts = self.options
        for mark in cell.marks:
            if mark.tint and not opts.counterpart_tint:
                continue
            la, lb = box.map_start(mark.start), box.map_end(mark.end)
            rects = box.rects(la, lb, a, b)
            if not rects:
                continue
            paint = mark.tint or opts.flatten_highlights or self.preview
            fill = QColor(lighten(mark.color, TINT_AMOUNT if mark.tint else HIGHLIGHT_AMOUNT))
            quads = []
            for _, r in rects:
                rr = QRectF(origin.x() + r.x() - pad, origin.y() + r.y(), r.width() + 2 * pad, r.height())
                if paint:
                    painter.fillRect(rr, fill)
                quads.append(rr)
            if not mark.tint and mark.highlight is not None:
                self.add_highlight(page_i, mark, quads)

    def add_highlight(self, page_i: int, mark, quads: list[QRectF]) -> None:
        """Record a highlight's rectangles on a page: one annotation per highlight and page. A highlight
        split across pages carries its note on every part; later parts point to the first (/IRT)."""
        h = mark.highlight
        pdf_quads = [pdf_rect(self.geo, r) for r in quads]
        parts = self._parts.setdefault(h.id, [])
        for spec in parts:
            if spec.page == page_i:
                spec.quads.extend(pdf_quads)
                return
        name = h.id if not parts else f"{h.id}#{len(parts) + 1}"
        contents = h.note_text() if self.options.show_notes else ""
        spec = HighlightSpec(page_i, pdf_quads, parse_color(h.color), contents, h.author, h.modified, name,
                             in_reply_to=parts[0].name if parts else "",
                             flattened=self.options.flatten_highlights)
        parts.append(spec)
        self.highlights.append(spec)

    def record_links(self, piece: Piece, cell: Cell, origin: QPointF, a: int, b: int, page_i: int) -> None:
        for start, end, href in piece.links:
            for _, r in piece.box.rects(piece.box.map_start(start), piece.box.map_end(end), a, b):
                rr = QRectF(origin.x() + r.x(), origin.y() + r.y(), r.width(), r.height())
                self.links.append(LinkSpec(page_i, pdf_rect(self.geo, rr), uri=href))

    def paint_footnotes(self, painter: QPainter, page: Page, page_i: int) -> None:
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
        s = lay.swatch
        for note in notes:
            self.footnote_pages[id(note)] = page_i
            box = lay.footnote_box(note)
            top = y + (box.lines[0].height - s) / 2 if box.lines else y
            painter.fillRect(QRectF(geo.left, top, s, s), QColor(lighten(note.highlight.color, 0.8)))
            box.draw(painter, QPointF(geo.left + lay.fn_indent, y))
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

    def deco_number(self, painter: QPainter, frag: Frag, page_i: int, number: int) -> None:
        """The paragraph's number in the left margin (study sheets, where paragraphs are left out).
        Drawn as outlines, not text: a number beside the first line would otherwise join that line in
        text extraction (poppler) and break the column's reading order."""
        if not frag.first:
            return
        lay = self.layout
        piece = frag.block.pieces[0]
        if not piece.box.lines:
            return
        font = QFont(lay.f_small)
        font.setPixelSize(max(1, round(lay.f_small.pointSizeF() * PT)))  # a path has no device: pixels
        label = f"¶ {number}"
        base = frag.origin_y(0) + piece.box.lines[0].ascent
        path = QPainterPath()
        path.addText(QPointF(0, 0), font, label)
        path.translate(self.geo.left - 4 * PT - path.boundingRect().right(), base)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MUTED)
        painter.drawPath(path)
        painter.restore()

    def deco_swatch(self, painter: QPainter, frag: Frag, page_i: int, color: str) -> None:
        if not frag.first:
            return
        s = self.layout.swatch
        lines = frag.block.pieces[0].box.lines
        top = frag.y + (lines[0].height - s) / 2 if lines else frag.y
        painter.fillRect(QRectF(self.geo.left, top, s, s), QColor(lighten(color, 0.8)))

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
