"""Virtual geometry of the parallel view: row heights, their running sum, the row cache, anchoring.

``_heights[p]`` holds every row's height — exact once the row has been laid out at the current width
and font (``_exact[p]``), an estimate from its character count otherwise. ``_tops`` is their running
sum (below the header). Whenever heights change, the scroll position is re-anchored on the row at the
top of the viewport (same row, same pixel offset into it), or kept at the very bottom if it was there,
so rows being measured as they approach never make the text jump.

A mixin of :class:`~reader.gui.parallel_view.ParallelView`: it owns the geometry state below and
reads the content (``_article``, ``_trans``, ``_en``, ``_message``, ``_english_title``, ``_mode``,
``_style``) that the widget keeps.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate

from reader.gui.view.layout import Piece, Row, Style
from reader.gui.view.rows import build_header, build_row, estimate_height, interlinear_column, side_columns

CACHE_ROWS = 240  # laid-out rows kept (LRU); a screenful is ~10-40


class GeometryMixin:
    """Heights, tops, the laid-out row cache and the scroll anchor."""

    def _init_geometry(self) -> None:
        self._heights: list[int] = []
        self._exact = bytearray()
        self._tops: list[int] = [0]
        self._tops_dirty = False
        self._header: Row | None = None
        self._header_h = 0
        self._hr_y = 0.0
        self._cache: OrderedDict[int, Row] = OrderedDict()
        self._width_key = -1
        self._msg_piece: Piece | None = None
        self._in_layout = False

    def _reset_geometry(self) -> None:
        self._cache.clear()
        self._msg_piece = None
        self._style = Style(self.font(), self._pt, self.palette())
        self._width_key = self.viewport().width()
        n = len(self._article.paragraphs) if self._article else 0
        self._heights = [self._estimate(p) for p in range(n)]
        self._exact = bytearray(n)
        self._build_header()
        self._tops_dirty = True
        self._fresh_tops()
        self._update_range()

    def _relayout(self, estimate: bool) -> None:
        """Drop laid-out rows (and re-estimate heights if they may change), keeping the top row still."""
        if self._article is None:
            self._cache.clear()
            self.viewport().update()
            return
        self._fresh_tops()
        anchor = self._anchor()
        self._cache.clear()
        self._msg_piece = None
        self._width_key = self.viewport().width()
        if estimate:
            self._heights = [self._estimate(p) for p in range(len(self._heights))]
            self._exact = bytearray(len(self._heights))
            self._tops_dirty = True
        self._build_header()
        self._restore(anchor)
        self.viewport().update()

    def _forget_row(self, p: int) -> None:
        """Row *p*'s text changed: lay it out again when next needed (its old height stays as estimate)."""
        self._cache.pop(p, None)
        if p < len(self._exact):
            self._exact[p] = 0

    def _fresh_tops(self) -> None:
        if self._tops_dirty:
            self._tops = list(accumulate(self._heights, initial=self._header_h))
            self._tops_dirty = False

    def _content_height(self) -> int:
        return self._tops[-1] + (round(self._style.margin) if self._heights else 0)

    def _update_range(self) -> None:
        sb = self.verticalScrollBar()
        vh = self.viewport().height()
        sb.setRange(0, max(0, self._content_height() - vh))
        sb.setPageStep(max(1, vh - round(self._style.em * 2)))
        sb.setSingleStep(max(1, round(self._style.em * 1.2)))

    def _row_at(self, y: float) -> int:
        """The row at content *y* (-1 in the header; clamped to the last row)."""
        if y < self._header_h or not self._heights:
            return -1
        return min(len(self._heights) - 1, bisect_right(self._tops, y) - 1)

    def _anchor(self) -> tuple[int, int] | None:
        """(row at the top, pixel offset into it), or None when scrolled to the very bottom."""
        sb = self.verticalScrollBar()
        v = sb.value()
        if sb.maximum() > 0 and v >= sb.maximum():
            return None
        r = self._row_at(v)
        return r, v - (self._tops[r] if r >= 0 else 0)

    def _restore(self, anchor: tuple[int, int] | None) -> None:
        self._fresh_tops()
        self._update_range()
        sb = self.verticalScrollBar()
        if anchor is None:
            sb.setValue(sb.maximum())
            return
        r, off = anchor
        if r >= 0 and r < len(self._heights):
            sb.setValue(self._tops[r] + min(off, max(0, self._heights[r] - 1)))
        else:
            sb.setValue(min(off, self._header_h))

    def _set_heights(self, changes: dict[int, int]) -> None:
        if not changes:
            return
        self._fresh_tops()
        anchor = self._anchor()
        for p, h in changes.items():
            self._heights[p] = h
        self._tops_dirty = True
        self._restore(anchor)

    def _estimate(self, p: int) -> int:
        return estimate_height(self._style, p, self._article.paragraphs[p], self._trans[p], self._mode,
                               self._message is None, self.viewport().width())

    def _columns(self) -> tuple[float, float, float, float]:
        """Side by side: (french x, english x, column width, gutter centre x)."""
        return side_columns(self._style, self.viewport().width())

    def _interlinear_column(self) -> tuple[float, float]:
        return interlinear_column(self._style, self.viewport().width())

    # --- laying out rows ----------------------------------------------------------------------------
    def _row(self, p: int, changes: dict[int, int] | None = None) -> Row:
        """Row *p* laid out (cached); a new exact height is applied (or recorded in *changes*)."""
        row = self._cache.get(p)
        if row is not None:
            self._cache.move_to_end(p)
            return row
        row = build_row(self._style, p, self._article.paragraphs[p], self._trans[p], self._en[p].ranges,
                        self._mode, self._message is None, self.viewport().width())
        self._cache[p] = row
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        if not self._exact[p] or self._heights[p] != row.height:
            self._exact[p] = 1
            if self._heights[p] != row.height:
                if changes is None:
                    self._set_heights({p: row.height})
                else:
                    changes[p] = row.height
        return row

    def _build_header(self) -> None:
        """Title, metadata line, and (side by side) the column labels."""
        self._header = None
        self._hr_y = 0.0
        if self._article is None:
            self._header_h = 0
            return
        self._header, self._hr_y = build_header(self._style, self._article, self._english_title,
                                                self._message, self._mode, self.viewport().width(),
                                                note=self._note)
        old = self._header_h
        self._header_h = self._header.height
        if old != self._header_h:
            self._tops_dirty = True

    def _ensure_laid_out(self) -> None:
        """Lay out every row in and near the viewport, correcting heights without moving the top row."""
        if self._article is None or not self._heights or self._in_layout:
            return
        if self.viewport().width() != self._width_key:
            self._relayout(estimate=True)
        self._in_layout = True
        try:
            sb = self.verticalScrollBar()
            for _ in range(10):
                self._fresh_tops()
                v = sb.value()
                vh = self.viewport().height()
                pre = vh // 2
                r0 = max(0, self._row_at(v - pre))
                r1 = max(0, self._row_at(v + vh + pre))
                changes: dict[int, int] = {}
                for r in range(r0, r1 + 1):
                    self._row(r, changes)
                if not changes:
                    break
                self._set_heights(changes)
        finally:
            self._in_layout = False

    def _laid_out_row(self, p: int) -> tuple[Row, int]:
        """Row *p* laid out, with its top in viewport coordinates (rows near the viewport laid out too)."""
        self._ensure_laid_out()
        row = self._row(p)
        self._fresh_tops()
        return row, self._tops[p] - self.verticalScrollBar().value()
