"""Painting the parallel view: header, rows (tints, decorations, selection, text, underlines), gutter.

A mixin of :class:`~reader.gui.parallel_view.ParallelView`. It reads the view's state (geometry,
hover, selected pair, text selection, decorations, word links) and changes none of it, apart from
laying out the rows it is about to paint.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextCharFormat, QTextLayout

from reader.gui.view.layout import Piece, Row, make_plain, with_alpha


class PaintingMixin:
    """``paintEvent`` and its helpers."""

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        st = self._style
        if self._article is None:
            painter.setPen(st.muted)
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, "No article open")
            return
        self._ensure_laid_out()
        self._fresh_tops()
        v = self.verticalScrollBar().value()
        vh = self.viewport().height()
        clip = QRectF(event.rect())
        if v < self._header_h and self._header is not None:
            self._paint_header(painter, -v)
        if self._heights:
            r = max(0, self._row_at(v))
            while r < len(self._heights) and self._tops[r] - v < vh:
                top = self._tops[r] - v
                if top + self._heights[r] >= clip.top() and top <= clip.bottom():
                    self._paint_row(painter, self._row(r), top)
                r += 1
        if self._mode == "side":
            self._paint_gutter(painter, v)
            if self._message:
                self._paint_message(painter, v)
        self._paint_focus(painter)  # reader.gui.view.keyboard

    def _paint_header(self, painter: QPainter, oy: float) -> None:
        st = self._style
        for pc in self._header.pieces:
            painter.setPen(pc.pen)
            pc.layout.draw(painter, QPointF(pc.x, oy + pc.y))
        x0 = st.margin
        x1 = self.viewport().width() - st.margin
        if self._mode == "interlinear":
            x0, w = self._interlinear_column()
            x1 = x0 + w
            if self._message:
                msg = self._header.pieces[-1]
                box = msg.rect().adjusted(-st.em * 0.6, -st.em * 0.4, st.em * 0.6, st.em * 0.4)
                self._paint_box(painter, box.translated(0, oy))
                painter.setPen(msg.pen)
                msg.layout.draw(painter, QPointF(msg.x, oy + msg.y))
        painter.setPen(QPen(st.rule, 1))
        painter.drawLine(QPointF(x0, oy + self._hr_y + 0.5), QPointF(x1, oy + self._hr_y + 0.5))

    def _paint_gutter(self, painter: QPainter, v: int) -> None:
        """A faint rule between the columns, from under the header to the end of the text."""
        _, _, _, cx = self._columns()
        y0 = max(0, self._header_h - v)
        y1 = min(self.viewport().height(), self._tops[-1] - v)
        if y1 > y0:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.fillRect(QRectF(round(cx), y0, 1, y1 - y0), with_alpha(self._style.rule, 120))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    def _paint_box(self, painter: QPainter, rect: QRectF) -> None:
        st = self._style
        painter.setPen(QPen(st.rule, 1))
        painter.setBrush(st.box)
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_message(self, painter: QPainter, v: int) -> None:
        """The English-column message, kept in view while scrolling."""
        st = self._style
        _, en_x, col_w, _ = self._columns()
        pad = st.em * 0.7
        if self._msg_piece is None:
            self._msg_piece = make_plain(self._message, st.base, 0, 0, col_w - 2 * pad, st.muted)
        pc = self._msg_piece
        y = max(st.margin * 0.5, self._header_h - v)
        box = QRectF(en_x, y, col_w, pc.h + 2 * pad)
        self._paint_box(painter, box)
        painter.setPen(st.text)
        pc.layout.draw(painter, QPointF(en_x + pad, y + pad))

    def _paint_row(self, painter: QPainter, row: Row, oy: float) -> None:
        st = self._style
        p = row.p
        for x, y0, y1 in row.rules:
            painter.fillRect(QRectF(x, oy + y0, max(2.0, st.em * 0.14), y1 - y0), st.rule)
        sel = self.text_selection()
        linking = self._words.active() is not None
        lit = self._link_hover[1] if self._link_hover is not None and self._link_hover[0] == p else None
        for pc in row.pieces:
            origin = QPointF(0, oy)
            decos = self._decos_at(pc.side, p)
            # fills under the text: hovered / selected sentence tints, then decorations on top
            for pair, color in ((self._hover, st.hover), (self._selected, st.pair)):
                if pair is None or pair[0] != p or (pair is self._hover and pair == self._selected):
                    continue
                for si, a, b in pc.drawn.sentences:
                    if si == pair[1]:
                        for r in pc.range_rects(a, b):
                            painter.fillRect(r.translated(origin), color)
            for d in decos:
                if d.style == "highlight":
                    color = QColor(d.color)
                    if color.alpha() == 255:
                        color.setAlpha(st.highlight_alpha)
                    for a, b in pc.drawn.omap.to_drawn_ranges(d.start, d.end):
                        for r in pc.range_rects(a, b):
                            painter.fillRect(r.translated(origin), color)
                elif d.style == "tint":
                    self._paint_counterpart_bar(painter, pc, d, origin)
                elif lit is not None and d.link == lit:  # a hovered linked mark and its partner(s)
                    self._fill_marked(painter, pc, d, with_alpha(d.color, sum(st.word_alpha) // 2), origin)
            if linking:
                self._paint_word_marks(painter, pc, p, origin)
            selections = []
            if sel is not None and sel[0] == pc.side and sel[1] <= p <= sel[3]:
                text = self.cell_text(pc.side, p)
                a = sel[2] if p == sel[1] else 0
                b = sel[4] if p == sel[3] else len(text)
                fmt = QTextCharFormat()
                fmt.setBackground(st.selection_bg)
                fmt.setForeground(st.selection_fg)
                for da, db in pc.drawn.omap.to_drawn_ranges(a, b):
                    # fill the whole line pitch (no stripes between lines), then let the layout
                    # draw the selected glyphs in the highlighted-text colour
                    for r in pc.range_rects(da, db):
                        painter.fillRect(r.translated(origin), st.selection_bg)
                    fr = QTextLayout.FormatRange()
                    fr.start, fr.length, fr.format = da, db - da, fmt
                    selections.append(fr)
            painter.setPen(pc.pen)
            pc.layout.draw(painter, QPointF(pc.x, oy + pc.y), selections)
            # marks below the text: glossary underlines, hand-edited translations
            for d in decos:
                if d.style == "underline":
                    pen = QPen(d.color, max(1.0, st.em / 12))
                    pen.setStyle(Qt.PenStyle.SolidLine if lit is not None and d.link == lit else Qt.PenStyle.DotLine)
                    for a, b in pc.drawn.omap.to_drawn_ranges(d.start, d.end):
                        self._underline(painter, pc, a, b, oy, pen)
            if pc.side == "en" and self._edited:
                pen = QPen(st.edited, max(1.0, st.em / 14))
                pen.setStyle(Qt.PenStyle.DashLine)
                for si, a, b in pc.drawn.sentences:
                    if (p, si) in self._edited:
                        self._underline(painter, pc, a, b, oy, pen)
            if pc.side == "en" and self._older:  # another model's English, until translated again
                pen = QPen(st.muted, max(1.0, st.em / 14))
                pen.setStyle(Qt.PenStyle.DotLine)
                for si, a, b in pc.drawn.sentences:
                    if (p, si) in self._older:
                        self._underline(painter, pc, a, b, oy, pen)

    def _paint_counterpart_bar(self, painter: QPainter, pc: Piece, d, origin: QPointF) -> None:
        """The counterpart of a highlight (the sentences it overlaps, on the other side): a bar in its
        colour in the margin beside those lines — never a fill, which would read as a highlight."""
        ys = [(r.top(), r.bottom()) for a, b in pc.drawn.omap.to_drawn_ranges(d.start, d.end)
              for r in pc.range_rects(a, b)]
        if not ys:
            return
        st = self._style
        w = max(3.0, round(st.em * 0.2))
        if self._mode == "side" and pc.side == "en":  # in the gutter, between its rule and the English
            x = self._columns()[1] - st.gutter / 4 - w / 2
        else:
            x = (self._columns()[0] if self._mode == "side" else self._interlinear_column()[0])
            x -= (st.margin + w) / 2
        color = QColor(d.color)
        if color.alpha() == 255:
            color.setAlpha(st.bar_alpha)
        top, bottom = min(y for y, _ in ys), max(y for _, y in ys)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(x, top + 2, w, bottom - top - 4).translated(origin), w / 2, w / 2)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_word_marks(self, painter: QPainter, pc: Piece, p: int, origin: QPointF) -> None:
        """The word-alignment hover: the linked words (and the hovered one), tinted by link score, over
        the sentence tints and highlights (translucent, so both still show) and under the text."""
        marks = self._words.marks_at(pc.side, p)
        if not marks:
            return
        st = self._style
        lo, hi = st.word_alpha
        inset = pc.extra / 2  # the glyph line only, not the spacing the sentence tint fills
        painter.setPen(Qt.PenStyle.NoPen)
        for m in marks:
            painter.setBrush(with_alpha(st.word, round(lo + (hi - lo) * m.weight)))
            for a, b in pc.drawn.omap.to_drawn_ranges(*m.span):
                for r in pc.range_rects(a, b):
                    painter.drawRoundedRect(r.translated(origin).adjusted(-1, inset, 1, -inset), 3, 3)
            if m.source:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(with_alpha(st.word, hi), 1))
                for a, b in pc.drawn.omap.to_drawn_ranges(*m.span):
                    for r in pc.range_rects(a, b):
                        painter.drawRoundedRect(r.translated(origin).adjusted(-0.5, inset + 0.5, 0.5, -inset - 0.5),
                                                3, 3)
                painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _fill_marked(self, painter: QPainter, pc: Piece, d, color: QColor, origin: QPointF) -> None:
        inset = pc.extra / 2  # the glyph line only, like the word links
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for a, b in pc.drawn.omap.to_drawn_ranges(d.start, d.end):
            for r in pc.range_rects(a, b):
                painter.drawRoundedRect(r.translated(origin).adjusted(-1, inset, 1, -inset), 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _underline(self, painter: QPainter, pc: Piece, a: int, b: int, oy: float, pen: QPen) -> None:
        painter.setPen(pen)
        half = pc.extra / 2
        for r in pc.range_rects(a, b):
            y = oy + r.bottom() - half - 1
            painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
