"""Keyboard-only reading and selecting in the parallel view, and the visible keyboard focus.

The keyboard has a *current sentence*: the selected pair (Up / Down move it, see
:mod:`reader.gui.view.interaction`) on the *current side* (French or English):

- Left / Right: the French / the English sentence of the pair (a click sets the side it was on);
- Shift+Right / Shift+Left: select from the start of the current sentence, a word more / less;
- Shift+Down / Shift+Up: select whole sentences, one more / one less (the pair follows);
- Escape: clear the selection (then highlight, note, glossary commands act on what is selected).

When the view has focus, the current sentence is outlined (or, with no pair selected, the viewport),
in the palette's highlight colour, in light and dark themes alike.

A mixin of :class:`~reader.gui.parallel_view.ParallelView`.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPalette, QPen

from reader.gui.view.accessible_text import sentence_span

_WORD_END = re.compile(r"\w+(?:[-’']\w+)*")
SIDES = ("fr", "en")


class KeyboardMixin:
    """The current side, keyboard selection, the focus outline."""

    def _init_keyboard(self) -> None:
        self._key_side = "fr"

    # --- public API ---------------------------------------------------------------------------------
    def current_side(self) -> str:
        """The side of the keyboard's current sentence: ``"fr"`` or ``"en"``."""
        return self._key_side

    def set_current_side(self, side: str) -> None:
        side = "en" if side == "en" else "fr"
        if side != self._key_side:
            self._key_side = side
            if self._selected is not None:
                self._ensure_pair_visible(*self._selected, side)
            self.viewport().update()
            self._a11y.current_changed()

    # --- keys ---------------------------------------------------------------------------------------
    def _keyboard_key(self, event) -> bool:
        """Handle the keys of this module; True if *event* was one of them."""
        if self._article is None:
            return False
        key, mods = event.key(), event.modifiers()
        shift = mods == Qt.KeyboardModifier.ShiftModifier
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            if self._selected is None:
                self._step_pair(1)
            self.set_current_side("fr" if key == Qt.Key.Key_Left else "en")
            return True
        if shift and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            if self._selected is None:
                self._step_pair(1)
                if self._selected is None:
                    return True
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                self._extend_by_word(1 if key == Qt.Key.Key_Right else -1)
            else:
                self._extend_by_sentence(1 if key == Qt.Key.Key_Down else -1)
            return True
        return False

    def _keyboard_anchor(self) -> tuple[str, int, int] | None:
        """The selection's anchor, or the start of the current sentence (selection started now)."""
        side = self._key_side
        if self._sel_anchor is not None and self._sel_cursor is not None and self._sel_anchor[0] == side:
            return self._sel_anchor
        p, s = self._selected
        span = self._sentence_span(side, p, s)
        return None if span is None else (side, p, span[0])

    def _sentence_span(self, side: str, p: int, s: int) -> tuple[int, int] | None:
        return sentence_span(self, side, p, s)

    def _extend_by_word(self, delta: int) -> None:
        anchor = self._keyboard_anchor()
        if anchor is None:
            return
        side, ap, aoff = anchor
        cur = self._sel_cursor if self._sel_anchor == anchor and self._sel_cursor else anchor
        _, p, off = cur
        if delta > 0:
            nxt = next((e for e in self._word_ends(side, p) if e > off), None)
            if nxt is None and p + 1 < len(self._heights):  # on into the next paragraph
                p += 1
                nxt = next(iter(self._word_ends(side, p)), 0)
            if nxt is not None:
                off = nxt
        else:  # back a word, into the previous paragraph if need be, never before the anchor
            while True:
                prev = [e for e in self._word_ends(side, p) if e < off and (p, e) > (ap, aoff)]
                if prev:
                    off = prev[-1]
                    break
                if p <= ap:
                    p, off = ap, aoff
                    break
                p -= 1
                off = len(self.cell_text(side, p)) + 1
        self._set_selection(anchor, (side, p, off))
        self._follow_cursor(side, p, off)

    def _word_ends(self, side: str, p: int) -> list[int]:
        return [m.end() for m in _WORD_END.finditer(self.cell_text(side, p))]

    def _extend_by_sentence(self, delta: int) -> None:
        anchor = self._keyboard_anchor()
        if anchor is None:
            return
        side = anchor[0]
        if self.text_selection() is None:  # the first step selects the current sentence
            p, s = self._selected
            span = self._sentence_span(side, p, s)
            if span is not None and delta > 0:
                self._set_selection(anchor, (side, p, span[1]))
            return
        p, s = self._selected
        paras = self._article.paragraphs
        s += delta
        while not 0 <= s < len(paras[p].sentences):
            p += delta
            if not 0 <= p < len(paras):
                return
            s = 0 if delta > 0 else len(paras[p].sentences) - 1
        span = self._sentence_span(side, p, s)
        if span is None or (p, span[1]) <= anchor[1:]:
            return  # not before the anchor's sentence
        self._set_selection(anchor, (side, p, span[1]))
        self._select(p, s, True, side)

    def _follow_cursor(self, side: str, p: int, off: int) -> None:
        """The pair follows the selection's end (so the outline and the screen reader follow it)."""
        for s in range(len(self._trans[p])):
            span = self._sentence_span(side, p, s)
            if span is not None and span[0] < off <= span[1]:
                self._select(p, s, True, side)
                return

    # --- focus outline ------------------------------------------------------------------------------
    def _paint_focus(self, painter: QPainter) -> None:
        if not self.hasFocus() or self._article is None:
            return
        color = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        pen = QPen(color, max(2.0, self._style.em / 8))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rects = []
        if self._selected is not None:
            rects = self.sentence_rects(self._key_side, *self._selected)
            if not rects and self._key_side == "en":  # no English shown: the French one
                rects = self.sentence_rects("fr", *self._selected)
        if rects:  # the sentence's lines as one outline
            pad = self._style.em * 0.2
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)  # overlapping lines merge into one shape
            for r in rects:
                path.addRect(QRectF(r).adjusted(-pad, -pad / 2, pad, pad / 2))
            painter.drawPath(path.simplified())
        else:
            w = pen.widthF()
            painter.drawRect(QRectF(self.viewport().rect()).adjusted(w / 2, w / 2, -w / 2, -w / 2))

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.viewport().update()
        self._a11y.current_changed()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.viewport().update()
