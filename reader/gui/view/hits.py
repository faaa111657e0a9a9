"""Hit-testing in the parallel view: which piece, sentence, character or cursor lies under a point.

A mixin of :class:`~reader.gui.parallel_view.ParallelView`; every point is in viewport coordinates,
every offset returned is paragraph-local into the side's cell text.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint

from reader.gui.view.layout import Piece


class HitTestMixin:
    """Viewport point → piece / sentence / cell offset / selection cursor."""

    def _piece_at(self, pos: QPoint) -> tuple[int, Piece, float, float] | None:
        """(row, piece, row-local x, y) of the piece under viewport *pos*."""
        if self._article is None or not self._heights:
            return None
        self._fresh_tops()
        y = pos.y() + self.verticalScrollBar().value()
        r = self._row_at(y)
        if r < 0 or y >= self._tops[-1]:
            return None
        row = self._row(r)
        self._fresh_tops()
        ly = pos.y() + self.verticalScrollBar().value() - self._tops[r]
        for pc in row.pieces:
            half = pc.extra / 2
            if pc.x <= pos.x() <= pc.x + pc.w and pc.y - half <= ly < pc.y + pc.h + half:
                return r, pc, pos.x(), ly
        return None

    def _pair_at(self, pos: QPoint) -> tuple[str, int, int] | None:
        """(side, paragraph, sentence) of the sentence under *pos*."""
        hit = self._char_at(pos)
        if hit is None:
            return None
        r, pc, ch = hit
        s = pc.sentence_at(ch)
        return None if s is None else (pc.side, r, s)

    def _char_at(self, pos: QPoint) -> tuple[int, Piece, int] | None:
        """(row, piece, drawn position) of the character under *pos*."""
        hit = self._piece_at(pos)
        if hit is None:
            return None
        r, pc, lx, ly = hit
        ch = pc.char_at(lx, ly)
        return None if ch is None else (r, pc, ch)

    def _offset_at(self, pos: QPoint) -> tuple[str, int, int] | None:
        """(side, paragraph, cell offset) of the character under *pos* (for tooltips)."""
        hit = self._char_at(pos)
        if hit is None:
            return None
        r, pc, ch = hit
        off = self._cell_offset(pc, ch)
        return None if off is None else (pc.side, r, off)

    @staticmethod
    def _cell_offset(pc: Piece, ch: int) -> int | None:
        """The cell offset of drawn position *ch* of *pc* (None on a label or placeholder)."""
        if pc.drawn is None:
            return None
        for cs, ds, n in pc.drawn.omap.runs:
            if ds <= ch < ds + n:
                return cs + ch - ds
        return None

    def _side_at(self, pos: QPoint) -> str:
        if self._mode == "side":
            _, _, _, cx = self._columns()
            return "fr" if pos.x() < cx else "en"
        hit = self._piece_at(pos)
        return hit[1].side if hit is not None else "fr"

    def _cursor_at(self, pos: QPoint, side: str) -> tuple[int, int]:
        """(paragraph, cell offset) nearest *pos* on *side* (for text selection)."""
        self._fresh_tops()
        n = len(self._heights)
        y = pos.y() + self.verticalScrollBar().value()
        if y < self._header_h:
            return 0, 0
        if y >= self._tops[-1]:
            return n - 1, len(self.cell_text(side, n - 1))
        r = self._row_at(y)
        row = self._row(r)
        self._fresh_tops()
        ly = pos.y() + self.verticalScrollBar().value() - self._tops[r]
        pcs = row.side_pieces(side)
        if not pcs:
            return r, 0
        chosen = pcs[0]
        for pc in pcs:
            if pc.y - pc.extra / 2 <= ly:
                chosen = pc
        return r, chosen.drawn.omap.to_cell(chosen.cursor_at(pos.x(), ly))
