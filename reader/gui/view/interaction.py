"""Interaction in the parallel view: mouse (click, drag-select, double-click), hover, tooltips, keys,
autoscroll while dragging, and scrolling a pair into view.

A mixin of :class:`~reader.gui.parallel_view.ParallelView`; it owns the pointer state (press, drag,
autoscroll timer) and changes the hover, the selected pair and the text selection through the view.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QToolTip

_WORD = re.compile(r"\w+(?:[-’']\w+)*")  # a word for double-click selection


class InteractionMixin:
    """Qt input events and what they change."""

    def _init_interaction(self) -> None:
        self._hover: tuple[int, int] | None = None
        self._link_hover: tuple[int, object] | None = None  # (paragraph, link key) of the hovered linked mark
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

    # --- mouse --------------------------------------------------------------------------------------
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
                same_pair, self._key_side = self._selected == hit[1:], hit[0]  # the keyboard's side
                self._select(hit[1], hit[2], True, "en" if hit[0] == "fr" else "fr")
                if same_pair:
                    self._a11y.current_changed()
            self._pin_word_at(pos)
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
        self._set_word_hover(None)
        self._set_link_hover(None)
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

    # --- hover and selection state ------------------------------------------------------------------
    def _update_hover(self, pos: QPoint) -> None:
        pair, word = self._sentence_and_word_at(pos)
        self._set_hover(pair)
        self._set_word_hover(word)
        self._set_link_hover(self._link_at(pos) if pair is not None else None)

    def _link_at(self, pos: QPoint) -> tuple[int, object] | None:
        """(paragraph, link key) of the linked mark under *pos* that has a partner in its row, or None."""
        at = self._offset_at(pos)
        if at is None:
            return None
        side, p, off = at
        for d in self._decos_at(side, p):
            if d.link is not None and d.start <= off < d.end:
                if sum(1 for other in ("fr", "en") for e in self._decos_at(other, p) if e.link == d.link) > 1:
                    return p, d.link
        return None

    def _set_link_hover(self, link: tuple[int, object] | None) -> None:
        if link != self._link_hover:
            old, self._link_hover = self._link_hover, link
            self._update_rows(old, link)

    def _sentence_and_word_at(self, pos: QPoint):
        """((paragraph, sentence), linked word key) under *pos*, each or both None."""
        hit = self._char_at(pos)
        if hit is None:
            return None, None
        r, pc, ch = hit
        s = pc.sentence_at(ch)
        if s is None:
            return None, None
        word = None
        if self._words.enabled:
            off = self._cell_offset(pc, ch)
            word = None if off is None else self._words.word_at(pc.side, r, s, off)
        return (r, s), word

    def _set_hover(self, pair: tuple[int, int] | None) -> None:
        if pair != self._hover:
            old, self._hover = self._hover, pair
            self._update_rows(old, pair)  # the sentence tints live in their own rows
            self.pairHovered.emit(*(pair or (-1, -1)))

    def _set_word_hover(self, word) -> None:
        words = self._words
        if word != words.hover:
            before = words.active()
            words.hover = word
            self._word_links_moved(before)

    def _pin_word_at(self, pos: QPoint) -> None:
        """A click pins the links of the word under it (a second click on it, or one elsewhere, unpins)."""
        words = self._words
        _, word = self._sentence_and_word_at(pos)
        before = words.active()
        words.pin = None if word == words.pin else word
        self._word_links_moved(before)

    def _word_links_moved(self, before) -> None:
        after = self._words.active()
        if after != before:
            self._update_rows(before, after)

    def _update_rows(self, *keys) -> None:
        """Repaint the rows of these (paragraph, …) or (side, paragraph, …) keys, only them."""
        if self._article is None:
            return
        self._fresh_tops()
        v = self.verticalScrollBar().value()
        w = self.viewport().width()
        for key in keys:
            if key is None:
                continue
            p = key[0] if isinstance(key[0], int) else key[1]
            if 0 <= p < len(self._heights):
                self.viewport().update(0, self._tops[p] - v, w, self._heights[p])

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

    # --- tooltips -----------------------------------------------------------------------------------
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
                if a <= off < b and (p, s) in self._older:
                    tips.append(self._older[(p, s)])
        return "\n".join(tips) or None

    # --- keyboard -----------------------------------------------------------------------------------
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
        if self._keyboard_key(event):  # sides and keyboard selection: reader.gui.view.keyboard
            event.accept()
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
        elif key == Qt.Key.Key_Escape and self._words.pin is not None:
            self.clear_word_pin()
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

    # --- scrolling ----------------------------------------------------------------------------------
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
