"""The parallel view: a French article and its English translation, paragraph facing paragraph.

A virtualised painter on a ``QAbstractScrollArea``. Nothing is a child widget: each paragraph is a
*row* whose cells are laid out with ``QTextLayout`` only when the row comes near the viewport, kept in
a small LRU cache, and painted directly.

Geometry: ``_heights[p]`` holds every row's height — exact once the row has been laid out at the
current width and font (``_exact[p]``), an estimate from its character count otherwise. ``_tops`` is
their running sum (below the header). Whenever heights change, the scroll position is re-anchored on
the row at the top of the viewport (same row, same pixel offset into it), or kept at the very bottom if
it was there, so rows being measured as they approach never make the text jump.

Offsets: every offset in the API is *paragraph-local* into the side's **cell text** — the French
paragraph text, or the English translations of its sentences joined by one space (the same strings as
``reader.core.sides``). Speaker labels and « … » placeholders are drawn but are not part of it.

The widget takes plain data (an ``Article`` and a list of translations); it knows nothing of storage
or translation engines.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from reader.core.model import Article, ParagraphKind
from reader.gui.pv_layout import Piece, Row, Style, make_piece, make_plain, with_alpha
from reader.gui.pv_text import (
    PLACEHOLDER,
    Decoration,
    EnglishCell,
    drawn_english,
    drawn_english_sentence,
    drawn_french,
    drawn_french_sentence,
    english_cell,
    speaker_labels,
)

__all__ = ["Decoration", "ParallelView"]


Kind = ParagraphKind
CACHE_ROWS = 240  # laid-out rows kept (LRU); a screenful is ~10-40
DEFAULT_POINT_SIZE = 12
PARAGRAPH_SEPARATOR = "\n\n"  # between paragraphs in selected_text(), as in reader.core.sides
_WORD = re.compile(r"\w+(?:[-’']\w+)*")  # a word for double-click selection


class ParallelView(QAbstractScrollArea):
    """French left, English right (or interlinear), one row per paragraph, one scroll bar."""

    pairSelected = Signal(int, int)
    pairHovered = Signal(int, int)  # (-1, -1) when the mouse leaves every sentence
    editRequested = Signal(int, int)
    selectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Parallel text")
        self.setAccessibleDescription("French text with its English translation, paragraph by paragraph")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        vp = self.viewport()
        vp.setBackgroundRole(QPalette.ColorRole.Base)
        vp.setAutoFillBackground(True)
        vp.setMouseTracking(True)
        vp.setCursor(Qt.CursorShape.IBeamCursor)

        self._pt = DEFAULT_POINT_SIZE
        self._mode = "side"
        self._style = Style(self.font(), self._pt, self.palette())
        self._article: Article | None = None
        self._trans: list[list[str | None]] = []
        self._edited: set[tuple[int, int]] = set()
        self._en: list[EnglishCell] = []
        self._message: str | None = None
        self._english_title: str | None = None
        self._decos: dict[tuple[str, int], list[Decoration]] = {}
        self._all_decos: list[Decoration] = []
        # marks computed per paragraph when first needed (see set_decorations), and those computed so far
        self._lazy_decos: Callable[[str, int], list[Decoration]] | None = None
        self._lazy_done: dict[tuple[str, int], list[Decoration]] = {}

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

        self._hover: tuple[int, int] | None = None
        self._selected: tuple[int, int] | None = None
        self._sel_anchor: tuple[str, int, int] | None = None  # (side, paragraph, offset)
        self._sel_cursor: tuple[str, int, int] | None = None
        self._press: QPoint | None = None
        self._press_side = "fr"
        self._dragging = False
        self._last_mouse = QPoint()
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._on_autoscroll)
        self._in_layout = False

    # =============================================================================================
    # public API: content
    # =============================================================================================
    def set_article(self, article: Article, translations: list[list[str | None]],
                    edited: set[tuple[int, int]] | frozenset = frozenset()) -> None:
        """Show *article*; ``translations[p][s]`` is the English of sentence s of paragraph p (or None)."""
        self._article = article
        self._english_title = None
        self._trans = []
        for p, para in enumerate(article.paragraphs):
            row = list(translations[p]) if p < len(translations) else []
            n = len(para.sentences)
            row = (row + [None] * n)[:n]
            self._trans.append(row)
        self._edited = set(edited)
        self._en = [english_cell(t) for t in self._trans]
        self._hover = None
        self._selected = None
        self._sel_anchor = self._sel_cursor = None
        self._decos, self._all_decos = {}, []
        self._lazy_decos, self._lazy_done = None, {}
        self._reset_geometry()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def clear(self) -> None:
        """Show nothing."""
        had_selection = self.text_selection() is not None
        self._article = None
        self._english_title = None
        self._trans, self._en, self._edited = [], [], set()
        self._hover = self._selected = None
        self._sel_anchor = self._sel_cursor = None
        self._decos, self._all_decos = {}, []
        self._lazy_decos, self._lazy_done = None, {}
        self._reset_geometry()
        self.viewport().update()
        if had_selection:
            self.selectionChanged.emit()

    def set_translation(self, p: int, s: int, text: str | None, edited: bool = False) -> None:
        """Fill (or replace) one English sentence; only row *p* is laid out again."""
        if self._article is None or not 0 <= p < len(self._trans) or not 0 <= s < len(self._trans[p]):
            return
        self._trans[p][s] = text
        (self._edited.add if edited else self._edited.discard)((p, s))
        self._en[p] = english_cell(self._trans[p])
        self._cache.pop(p, None)
        if p < len(self._exact):
            self._exact[p] = 0  # the old height stays as the estimate until the row is laid out again
        if self._sel_side_touches("en", p):
            self._clamp_selection()
        self.viewport().update()

    def set_english_message(self, text: str | None) -> None:
        """Replace the whole English column by *text* (None: show the translations again)."""
        text = text or None
        if text == self._message:
            return
        self._message = text
        self._msg_piece = None
        self._relayout(estimate=True)

    def english_message(self) -> str | None:
        return self._message

    def set_english_title(self, text: str | None) -> None:
        """The title's translation, shown under the French title (None: none)."""
        text = (text or "").strip() or None
        if text == self._english_title:
            return
        self._english_title = text
        self._relayout(estimate=True)

    def english_title(self) -> str | None:
        return self._english_title

    def set_decorations(self, decorations: list[Decoration],
                        lazy: Callable[[str, int], list[Decoration]] | None = None) -> None:
        """Marks drawn under (highlight, tint) or below (underline) the text, in cell offsets.

        ``lazy(side, p)``, if given, gives more marks of one paragraph; it is called when that paragraph
        is first painted or hovered (or by :meth:`decorations`), so that marks which are costly to find
        (glossary terms in a 300-page book) cost nothing for the paragraphs never shown."""
        self._all_decos = list(decorations)
        self._decos = {}
        for d in self._all_decos:
            self._decos.setdefault((d.side, d.paragraph), []).append(d)
        self._lazy_decos, self._lazy_done = lazy, {}
        self.viewport().update()

    def decorations(self) -> list[Decoration]:
        """Every mark: those given, then the lazy ones paragraph by paragraph (all computed now)."""
        out = list(self._all_decos)
        if self._lazy_decos is not None and self._article is not None:
            for p in range(len(self._article.paragraphs)):
                for side in ("fr", "en"):
                    out += self._lazy_for(side, p)
        return out

    def _lazy_for(self, side: str, p: int) -> list[Decoration]:
        key = (side, p)
        done = self._lazy_done.get(key)
        if done is None:
            done = self._lazy_done[key] = list(self._lazy_decos(side, p)) if self._lazy_decos is not None else []
        return done

    def _decos_at(self, side: str, p: int) -> list[Decoration] | tuple:
        """The marks of one cell: those given, then its lazy ones."""
        given = self._decos.get((side, p), ())
        if self._lazy_decos is None:
            return given
        extra = self._lazy_for(side, p)
        return [*given, *extra] if extra else given

    # =============================================================================================
    # public API: presentation
    # =============================================================================================
    def set_layout_mode(self, mode: str) -> None:
        """``"side"`` (French left, English right) or ``"interlinear"`` (English under each sentence)."""
        mode = "interlinear" if mode == "interlinear" else "side"
        if mode != self._mode:
            self._mode = mode
            self._relayout(estimate=True)

    def layout_mode(self) -> str:
        return self._mode

    def set_font_point_size(self, pt: int) -> None:
        pt = max(6, min(48, int(pt)))
        if pt != self._pt:
            self._pt = pt
            self._style = Style(self.font(), self._pt, self.palette())
            self._relayout(estimate=True)

    def font_point_size(self) -> int:
        return self._pt

    # =============================================================================================
    # public API: selection and position
    # =============================================================================================
    def select_pair(self, p: int, s: int, ensure_visible: bool = True) -> None:
        """Select sentence *s* of paragraph *p* and its translation (emits pairSelected if it changed)."""
        self._select(p, s, ensure_visible, None)

    def _select(self, p: int, s: int, ensure_visible: bool, show_side: str | None) -> None:
        if not self._valid_pair(p, s):
            return
        changed = self._selected != (p, s)
        self._selected = (p, s)
        if ensure_visible:
            self._ensure_pair_visible(p, s, show_side)
        self.viewport().update()
        if changed:
            self.pairSelected.emit(p, s)

    def clear_pair_selection(self) -> None:
        self._selected = None
        self.viewport().update()

    def selected_pair(self) -> tuple[int, int] | None:
        return self._selected

    def hovered_pair(self) -> tuple[int, int] | None:
        return self._hover

    def scroll_to_paragraph(self, p: int) -> None:
        """Put paragraph *p* at the top of the viewport (as far as the scroll range allows)."""
        if self._article is None or not self._heights:
            return
        p = max(0, min(int(p), len(self._heights) - 1))
        self._row(p)
        self._fresh_tops()
        self.verticalScrollBar().setValue(self._tops[p])
        self._ensure_laid_out()

    def first_visible_paragraph(self) -> int:
        """The paragraph at the top of the viewport (0 when the header is there or nothing is shown)."""
        if not self._heights:
            return 0
        self._ensure_laid_out()
        return max(0, self._row_at(self.verticalScrollBar().value()))

    def row_count(self) -> int:
        return len(self._heights)

    def row_rect(self, p: int) -> QRect:
        """Row *p* in viewport coordinates (lays it out if needed)."""
        self._ensure_laid_out()
        self._row(p)
        self._fresh_tops()
        v = self.verticalScrollBar().value()
        return QRect(0, self._tops[p] - v, self.viewport().width(), self._heights[p])

    def cell_rect(self, side: str, p: int) -> QRect:
        """The text of one side of row *p* (union of its pieces) in viewport coordinates."""
        self._ensure_laid_out()
        row = self._row(p)
        self._fresh_tops()
        oy = self._tops[p] - self.verticalScrollBar().value()
        rect = QRectF()
        for pc in row.side_pieces(side):
            rect = rect.united(pc.rect())
        return rect.translated(0, oy).toAlignedRect() if not rect.isNull() else QRect()

    def sentence_rects(self, side: str, p: int, s: int) -> list[QRect]:
        """One rectangle per line of sentence *s* of paragraph *p* on *side*, in viewport coordinates."""
        if not self._valid_pair(p, s):
            return []
        self._ensure_laid_out()
        row = self._row(p)
        self._fresh_tops()
        oy = self._tops[p] - self.verticalScrollBar().value()
        out = []
        for pc in row.side_pieces(side):
            for si, a, b in pc.drawn.sentences:
                if si == s:
                    out += [r.translated(0, oy).toAlignedRect() for r in pc.range_rects(a, b)]
        return out

    def cell_text(self, side: str, p: int) -> str:
        """The text offsets refer to: the French paragraph, or its English sentences joined by a space."""
        if self._article is None:
            return ""
        return self._article.paragraphs[p].text if side == "fr" else self._en[p].text

    def english_sentence_range(self, p: int, s: int) -> tuple[int, int]:
        """Where sentence *s*'s translation lies in ``cell_text("en", p)`` (empty if untranslated)."""
        return self._en[p].ranges[s]

    # --- text selection ---------------------------------------------------------------------------
    def text_selection(self) -> tuple[str, int, int, int, int] | None:
        """``(side, start_paragraph, start_offset, end_paragraph, end_offset)`` or None."""
        a, b = self._sel_anchor, self._sel_cursor
        if a is None or b is None or a[0] != b[0] or a[1:] == b[1:]:
            return None
        (p1, o1), (p2, o2) = sorted([a[1:], b[1:]])
        return a[0], p1, o1, p2, o2

    def selected_text(self) -> str:
        sel = self.text_selection()
        if sel is None:
            return ""
        side, p1, o1, p2, o2 = sel
        parts = []
        for p in range(p1, p2 + 1):
            text = self.cell_text(side, p)
            a = o1 if p == p1 else 0
            b = o2 if p == p2 else len(text)
            parts.append(text[a:b])
        return PARAGRAPH_SEPARATOR.join(parts)

    def set_text_selection(self, side: str, start_p: int, start: int, end_p: int, end: int) -> None:
        """Select text programmatically (paragraph-local cell offsets)."""
        self._set_selection((side, start_p, start), (side, end_p, end))

    def clear_text_selection(self) -> None:
        self._set_selection(None, None)

    # =============================================================================================
    # geometry: heights, tops, anchoring
    # =============================================================================================
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
        """A row's height from character counts (corrected once it is laid out)."""
        st = self._style
        para = self._article.paragraphs[p]
        font = st.fonts[para.kind]
        indent = st.quote_indent if para.kind is Kind.QUOTE else 0
        top = st.inset + (st.heading_pad if para.kind is Kind.HEADING and p > 0 else 0)
        label = len(para.speaker) + 3 if para.kind is Kind.TURN and para.speaker else 0
        trans = self._trans[p]
        if self._mode == "side":
            _, _, col_w, _ = self._columns()
            h = st.estimate(len(para.text) + label, font, col_w - indent)
            if self._message is None and trans:
                n = sum(len(t) if t else len(PLACEHOLDER) for t in trans) + len(trans) - 1 + label
                h = max(h, st.estimate(n, font, col_w - indent))
            return top + h + st.para_gap
        x, w = self._interlinear_column()
        w -= indent
        ranges = [(s.start, s.end) for s in para.sentences] or [(0, len(para.text))]
        en_font = st.inter_en[para.kind]
        h = 0
        for s, (a, b) in enumerate(ranges):
            h += st.estimate(b - a + label, font, w)
            if self._message is None and s < len(trans):
                h += st.pair_gap + st.estimate(len(trans[s] or PLACEHOLDER), en_font, w)
            h += st.sentence_gap
        return top + h - st.sentence_gap + st.inter_para_gap

    # --- columns ------------------------------------------------------------------------------------
    def _columns(self) -> tuple[float, float, float, float]:
        """Side by side: (french x, english x, column width, gutter centre x)."""
        st = self._style
        vw = self.viewport().width()
        col_w = max(60.0, (vw - 2 * st.margin - st.gutter) / 2)
        fr_x = st.margin
        en_x = fr_x + col_w + st.gutter
        return fr_x, en_x, col_w, fr_x + col_w + st.gutter / 2

    def _interlinear_column(self) -> tuple[float, float]:
        st = self._style
        vw = self.viewport().width()
        avg, _ = st.metrics(st.base)
        w = max(120.0, min(vw - 2 * st.margin, avg * 92))
        return max(st.margin, (vw - w) / 2), w

    # =============================================================================================
    # laying out rows
    # =============================================================================================
    def _row(self, p: int, changes: dict[int, int] | None = None) -> Row:
        """Row *p* laid out (cached); a new exact height is applied (or recorded in *changes*)."""
        row = self._cache.get(p)
        if row is not None:
            self._cache.move_to_end(p)
            return row
        row = self._build_row(p)
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

    def _build_row(self, p: int) -> Row:
        st = self._style
        para = self._article.paragraphs[p]
        kind = para.kind
        font = st.fonts[kind]
        pen = st.secondary if kind is Kind.CAPTION else st.text
        top = st.inset + (st.heading_pad if kind is Kind.HEADING and p > 0 else 0)
        indent = st.quote_indent if kind is Kind.QUOTE else 0
        fr_label, en_label = speaker_labels(para.speaker) if kind is Kind.TURN else ("", "")
        fr_ranges = [(s.start, s.end) for s in para.sentences]
        pieces: list[Piece] = []
        rules = []
        rule_x = round(indent * 0.25)
        if self._mode == "side":
            fr_x, en_x, col_w, _ = self._columns()
            fr = make_piece("fr", drawn_french(para.text, fr_ranges, fr_label), font, fr_x + indent, top,
                            col_w - indent, pen, st, kind, para.spans)
            pieces.append(fr)
            if self._message is None:
                pieces.append(make_piece("en", drawn_english(self._trans[p], en_label), font,
                                         en_x + indent, top, col_w - indent, pen, st, kind))
            body = max(pc.h for pc in pieces)
            if indent:
                rules = [(pc.x - indent + rule_x, top, top + pc.h) for pc in pieces]
            return Row(p, int(top + body + st.para_gap), pieces, rules)
        x, w = self._interlinear_column()
        x += indent
        w -= indent
        en_font = st.inter_en[kind]
        y = top
        ranges = fr_ranges or [(0, len(para.text))]
        en_ranges = self._en[p].ranges
        for s, rng in enumerate(ranges):
            label = fr_label if s == 0 else ""
            if fr_ranges:
                drawn = drawn_french_sentence(para.text, s, rng, label)
            else:
                drawn = drawn_french(para.text, [], label)
            fr = make_piece("fr", drawn, font, x, y, w, pen, st, kind, para.spans)
            pieces.append(fr)
            y += fr.h
            if self._message is None and fr_ranges:
                en = make_piece("en", drawn_english_sentence(
                    self._trans[p][s], s, en_ranges[s], en_label if s == 0 else ""),
                    en_font, x, y, w, st.secondary, st, kind)
                # the English reads as the next line: one line spacing, tints touching, never overlapping
                y += math.ceil(fr.extra / 2 + en.extra / 2)
                en.y = y
                pieces.append(en)
                y += en.h
            y += st.sentence_gap
        y -= st.sentence_gap
        if indent:
            rules = [(x - indent + rule_x, top, y)]
        return Row(p, int(y + st.inter_para_gap), pieces, rules)

    def _build_header(self) -> None:
        """Title, metadata line, and (side by side) the column labels."""
        self._header = None
        self._hr_y = 0.0
        if self._article is None:
            self._header_h = 0
            return
        st = self._style
        a = self._article
        if self._mode == "side":
            fr_x, en_x, col_w, _ = self._columns()
            x, w = fr_x, en_x + col_w - fr_x
        else:
            x, w = self._interlinear_column()
        y = st.margin
        pieces = []
        if a.title:
            t = make_plain(a.title, st.title, x, y, w, st.text)
            pieces.append(t)
            y += t.h + round(st.em * 0.35)
        if self._english_title:
            et = make_plain(self._english_title, st.base, x, y, w, st.muted)
            pieces.append(et)
            y += et.h + round(st.em * 0.35)
        date = a.published or a.published_iso
        if date and a.place:
            date = f"{a.place}, {date}"
        meta = " · ".join(m for m in (a.author, date or a.place, a.source) if m)
        if meta:
            m = make_plain(meta, st.small, x, y, w, st.muted)
            pieces.append(m)
            y += m.h
        y += round(st.em * 0.6)
        self._hr_y = y
        y += round(st.em * 0.6)
        if self._mode == "side":
            fr_x, en_x, col_w, _ = self._columns()
            lf = make_plain("Français", st.small, fr_x, y, col_w, st.muted)
            le = make_plain("English", st.small, en_x, y, col_w, st.muted)
            pieces += [lf, le]
            y += max(lf.h, le.h) + round(st.em * 0.5)
        elif self._message:
            msg = make_plain(self._message, st.base, x + st.em * 0.6, y + st.em * 0.4, w - st.em * 1.2,
                             st.muted)
            pieces.append(msg)
            y += msg.h + st.em * 0.8 + round(st.em * 0.8)
        self._header = Row(-1, int(y), pieces)
        old = self._header_h
        self._header_h = int(y)
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

    # =============================================================================================
    # painting
    # =============================================================================================
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
                if d.style in ("highlight", "tint"):
                    color = QColor(d.color)
                    if color.alpha() == 255:
                        color.setAlpha(st.tint_alpha if d.style == "tint" else st.highlight_alpha)
                    for a, b in pc.drawn.omap.to_drawn_ranges(d.start, d.end):
                        for r in pc.range_rects(a, b):
                            painter.fillRect(r.translated(origin), color)
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
                    pen.setStyle(Qt.PenStyle.DotLine)
                    for a, b in pc.drawn.omap.to_drawn_ranges(d.start, d.end):
                        self._underline(painter, pc, a, b, oy, pen)
            if pc.side == "en" and self._edited:
                pen = QPen(st.edited, max(1.0, st.em / 14))
                pen.setStyle(Qt.PenStyle.DashLine)
                for si, a, b in pc.drawn.sentences:
                    if (p, si) in self._edited:
                        self._underline(painter, pc, a, b, oy, pen)

    def _underline(self, painter: QPainter, pc: Piece, a: int, b: int, oy: float, pen: QPen) -> None:
        painter.setPen(pen)
        half = pc.extra / 2
        for r in pc.range_rects(a, b):
            y = oy + r.bottom() - half - 1
            painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))

    # =============================================================================================
    # hit testing
    # =============================================================================================
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
        hit = self._piece_at(pos)
        if hit is None:
            return None
        r, pc, lx, ly = hit
        ch = pc.char_at(lx, ly)
        if ch is None:
            return None
        s = pc.sentence_at(ch)
        return None if s is None else (pc.side, r, s)

    def _offset_at(self, pos: QPoint) -> tuple[str, int, int] | None:
        """(side, paragraph, cell offset) of the character under *pos* (for tooltips)."""
        hit = self._piece_at(pos)
        if hit is None:
            return None
        r, pc, lx, ly = hit
        ch = pc.char_at(lx, ly)
        if ch is None or pc.drawn is None:
            return None
        for cs, ds, n in pc.drawn.omap.runs:
            if ds <= ch < ds + n:
                return pc.side, r, cs + ch - ds
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

    # =============================================================================================
    # mouse
    # =============================================================================================
    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._article is not None:
            self._press = event.position().toPoint()
            self._press_side = self._side_at(self._press)
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        pos = event.position().toPoint()
        self._last_mouse = pos
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press).manhattanLength() >= QApplication.startDragDistance():
                self._dragging = True
                p, off = self._cursor_at(self._press, self._press_side)
                self._sel_anchor = (self._press_side, p, off)
            if self._dragging:
                self._drag_to(pos)
                inside = 0 <= pos.y() < self.viewport().height()
                if inside:
                    self._autoscroll.stop()
                elif not self._autoscroll.isActive():
                    self._autoscroll.start()
            return
        self._update_hover(pos)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        self._autoscroll.stop()
        pos = event.position().toPoint()
        if not self._dragging:
            self.clear_text_selection()
            hit = self._pair_at(pos)
            if hit is not None:  # the clicked sentence is in view: make sure its counterpart is too
                self._select(hit[1], hit[2], True, "en" if hit[0] == "fr" else "fr")
        self._press = None
        self._dragging = False
        self._update_hover(pos)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        hit = self._pair_at(pos)
        if hit is not None and hit[0] == "en":
            self.select_pair(hit[1], hit[2], ensure_visible=False)
            self.editRequested.emit(hit[1], hit[2])
            return
        at = self._offset_at(pos)
        if at is not None:  # select the word under the mouse
            side, p, off = at
            for m in _WORD.finditer(self.cell_text(side, p)):
                if m.start() <= off < m.end():
                    self._set_selection((side, p, m.start()), (side, p, m.end()))
                    break
        self._press = None  # the release that follows is not a click

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._set_hover(None)
        super().leaveEvent(event)

    def _drag_to(self, pos: QPoint) -> None:
        side = self._sel_anchor[0]
        p, off = self._cursor_at(pos, side)
        self._set_selection(self._sel_anchor, (side, p, off))

    def _on_autoscroll(self) -> None:
        pos = self._last_mouse
        vh = self.viewport().height()
        dy = pos.y() if pos.y() < 0 else pos.y() - vh if pos.y() >= vh else 0
        if dy == 0 or not self._dragging:
            self._autoscroll.stop()
            return
        sb = self.verticalScrollBar()
        sb.setValue(sb.value() + max(-80, min(80, dy)))
        self._ensure_laid_out()
        self._drag_to(pos)

    def _update_hover(self, pos: QPoint) -> None:
        hit = self._pair_at(pos)
        self._set_hover((hit[1], hit[2]) if hit else None)

    def _set_hover(self, pair: tuple[int, int] | None) -> None:
        if pair != self._hover:
            self._hover = pair
            self.viewport().update()
            self.pairHovered.emit(*(pair or (-1, -1)))

    def _set_selection(self, anchor, cursor) -> None:
        before = self.text_selection()
        self._sel_anchor, self._sel_cursor = anchor, cursor
        if self.text_selection() != before:
            self.viewport().update()
            self.selectionChanged.emit()

    def _sel_side_touches(self, side: str, p: int) -> bool:
        sel = self.text_selection()
        return sel is not None and sel[0] == side and sel[1] <= p <= sel[3]

    def _clamp_selection(self) -> None:
        def clamp(point):
            side, p, off = point
            return side, p, min(off, len(self.cell_text(side, p)))

        self._set_selection(clamp(self._sel_anchor), clamp(self._sel_cursor))

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            tip = self._tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip_at(self, pos: QPoint) -> str | None:
        at = self._offset_at(pos)
        if at is None:
            return None
        side, p, off = at
        tips = [d.tooltip for d in self._decos_at(side, p) if d.tooltip and d.start <= off < d.end]
        if side == "fr" and self._article is not None:
            for sp in self._article.paragraphs[p].spans:
                if sp.href and sp.start <= off < sp.end:
                    tips.append(sp.href)
        if side == "en":
            for s, (a, b) in enumerate(self._en[p].ranges):
                if a <= off < b and (p, s) in self._edited:
                    tips.append("Translation edited by hand")
        return "\n".join(tips) or None

    # =============================================================================================
    # keyboard
    # =============================================================================================
    def event(self, event) -> bool:
        # Ctrl+C copies a text selection here; without one, the window's "copy pair" action runs.
        if event.type() == QEvent.Type.ShortcutOverride and event.matches(QKeySequence.StandardKey.Copy):
            if self.text_selection() is not None:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            if self.text_selection() is not None:
                QGuiApplication.clipboard().setText(self.selected_text())
                return
            event.ignore()
            return
        key = event.key()
        sb = self.verticalScrollBar()
        if key == Qt.Key.Key_Down:
            self._step_pair(1)
        elif key == Qt.Key.Key_Up:
            self._step_pair(-1)
        elif key == Qt.Key.Key_PageDown:
            sb.triggerAction(sb.SliderAction.SliderPageStepAdd)
        elif key == Qt.Key.Key_PageUp:
            sb.triggerAction(sb.SliderAction.SliderPageStepSub)
        elif key == Qt.Key.Key_Home:
            sb.setValue(0)
        elif key == Qt.Key.Key_End:
            sb.setValue(sb.maximum())
            self._ensure_laid_out()
        elif key == Qt.Key.Key_Escape and self.text_selection() is not None:
            self.clear_text_selection()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _step_pair(self, delta: int) -> None:
        if self._article is None:
            return
        paras = self._article.paragraphs
        if self._selected is None:
            p = self.first_visible_paragraph()
            while p < len(paras) and not paras[p].sentences:
                p += 1
            if p < len(paras):
                self.select_pair(p, 0)
            return
        p, s = self._selected
        s += delta
        while not 0 <= s < len(paras[p].sentences):
            p += delta
            if not 0 <= p < len(paras):
                self._ensure_pair_visible(*self._selected)
                return
            s = 0 if delta > 0 else len(paras[p].sentences) - 1
        self.select_pair(p, s)

    # =============================================================================================
    # scrolling helpers
    # =============================================================================================
    def _valid_pair(self, p: int, s: int) -> bool:
        return self._article is not None and 0 <= p < len(self._trans) and 0 <= s < len(self._trans[p])

    def _ensure_pair_visible(self, p: int, s: int, show_side: str | None = None) -> None:
        """Scroll as little as possible so both sentences of the pair are in view. When they cannot
        both fit, *show_side*'s sentence wins (the counterpart of a click), else the pair's top."""
        sb = self.verticalScrollBar()
        pad = round(self._style.em * 0.5)
        for _ in range(4):
            self._ensure_laid_out()
            row = self._row(p)
            self._fresh_tops()
            v, vh = sb.value(), self.viewport().height()
            base = self._tops[p]

            def extent(sides):
                rects = [r for pc in row.pieces if pc.side in sides
                         for si, a, b in pc.drawn.sentences if si == s for r in pc.range_rects(a, b)]
                if not rects:
                    return None
                return base + min(r.top() for r in rects), base + max(r.bottom() for r in rects)

            span = extent(("fr", "en")) or (base, base + self._heights[p])
            if span[1] - span[0] + 2 * pad > vh and show_side is not None:
                span = extent((show_side,)) or span
            top, bottom = span
            if bottom - top + 2 * pad > vh or top - pad < v:
                target = top - pad
            elif bottom + pad > v + vh:
                target = bottom + pad - vh
            else:
                return
            target = max(0, min(sb.maximum(), round(target)))
            if target == v:
                return
            sb.setValue(target)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        self.viewport().update()
        # the text moved under a still mouse (wheel, keys): hover what is under it now
        if dy and not self._in_layout and self._press is None and self.viewport().underMouse():
            QTimer.singleShot(0, self._refresh_hover)

    def _refresh_hover(self) -> None:
        if self._article is not None and self.viewport().underMouse():
            self._update_hover(self.viewport().mapFromGlobal(QCursor.pos()))

    # =============================================================================================
    # Qt events
    # =============================================================================================
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._article is None:
            return
        if self.viewport().width() != self._width_key:
            self._relayout(estimate=True)
        else:
            self._fresh_tops()
            anchor = self._anchor()
            self._restore(anchor)

    def changeEvent(self, event) -> None:  # noqa: N802
        t = event.type()
        if t in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.ApplicationFontChange):
            self._style = Style(self.font(), self._pt, self.palette())
            self._relayout(estimate=t != QEvent.Type.PaletteChange)
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 600)

