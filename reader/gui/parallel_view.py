"""The parallel view: a French article and its English translation, paragraph facing paragraph.

A virtualised painter on a ``QAbstractScrollArea``. Nothing is a child widget: each paragraph is a
*row* whose cells are laid out with ``QTextLayout`` only when the row comes near the viewport, kept in
a small LRU cache, and painted directly.

Offsets: every offset in the API is *paragraph-local* into the side's **cell text** — the French
paragraph text, or the English translations of its sentences joined by one space (the same strings as
``reader.core.sides``). Speaker labels and « … » placeholders are drawn but are not part of it.

The widget takes plain data (an ``Article`` and a list of translations); it knows nothing of storage
or translation engines. This module holds its state and public API; the work is done in
``reader.gui.view``:

- ``text``        cell texts, drawn strings and the offset maps between them; ``Decoration``
- ``layout``      fonts and colours (``Style``), laid-out pieces and rows
- ``rows``        laying out one row or the header from plain data
- ``geometry``    heights, tops, the row cache, scroll anchoring (mixin)
- ``painting``    ``paintEvent`` (mixin)
- ``hits``        point → piece / sentence / offset (mixin)
- ``interaction`` mouse, hover, selection, tooltips, keys, autoscroll (mixin)
- ``wordlinks``   the word-alignment hover: provider, hovered / pinned word, the words it lights
- ``keyboard``    the current side, keyboard selection, the focus outline (mixin)
- ``accessible``  the view for screen readers: sentence pairs through Qt's accessibility interfaces
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from reader.core.model import Article
from reader.core.wordalign import WordAlignment
from reader.gui.view.geometry import GeometryMixin
from reader.gui.view.hits import HitTestMixin
from reader.gui.view.accessible import ViewAccessibility
from reader.gui.view.accessible import install as install_accessibility
from reader.gui.view.interaction import InteractionMixin
from reader.gui.view.keyboard import KeyboardMixin
from reader.gui.view.layout import Style
from reader.gui.view.rows import fitting_mode
from reader.gui.view.painting import PaintingMixin
from reader.gui.view.text import Decoration, EnglishCell, english_cell
from reader.gui.view.wordlinks import AlignmentProvider, WordKey, WordLinks, WordMark

__all__ = ["AlignmentProvider", "Decoration", "ParallelView", "WordMark"]


DEFAULT_POINT_SIZE = 12
PARAGRAPH_SEPARATOR = "\n\n"  # between paragraphs in selected_text(), as in reader.core.sides


class ParallelView(KeyboardMixin, InteractionMixin, HitTestMixin, PaintingMixin, GeometryMixin, QAbstractScrollArea):
    """French left, English right (or interlinear), one row per paragraph, one scroll bar."""

    pairSelected = Signal(int, int)
    pairHovered = Signal(int, int)  # (-1, -1) when the mouse leaves every sentence
    editRequested = Signal(int, int)
    selectionChanged = Signal()
    layoutModeChanged = Signal(str)  # the layout shown changed (asked for, or the width switched it)

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
        self._mode = "side"  # shown
        self._requested_mode = "side"  # asked for (set_layout_mode)
        self._min_column_chars: float | None = None
        self._style = Style(self.font(), self._pt, self.palette())
        self._article: Article | None = None
        self._trans: list[list[str | None]] = []
        self._edited: set[tuple[int, int]] = set()
        self._older: dict[tuple[int, int], str] = {}  # sentences showing another model's English → tooltip
        self._note: str | None = None
        self._en: list[EnglishCell] = []
        self._message: str | None = None
        self._english_title: str | None = None
        self._decos: dict[tuple[str, int], list[Decoration]] = {}
        self._all_decos: list[Decoration] = []
        # marks computed per paragraph when first needed (see set_decorations), and those computed so far
        self._lazy_decos: Callable[[str, int], list[Decoration]] | None = None
        self._lazy_done: dict[tuple[str, int], list[Decoration]] = {}

        self._words = WordLinks(self._sentence_texts)
        self._init_geometry()
        self._init_interaction()
        self._init_keyboard()
        self._a11y = ViewAccessibility(self)
        install_accessibility()
        self.pairSelected.connect(self._a11y.current_changed)

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
        self._older = {}
        self._en = [english_cell(t) for t in self._trans]
        self._hover = self._link_hover = None
        self._selected = None
        self._sel_anchor = self._sel_cursor = None
        self._decos, self._all_decos = {}, []
        self._lazy_decos, self._lazy_done = None, {}
        self._words.forget()
        self._reset_geometry()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()
        self._a11y.reset()

    def clear(self) -> None:
        """Show nothing."""
        had_selection = self.text_selection() is not None
        self._article = None
        self._english_title = None
        self._trans, self._en, self._edited, self._older = [], [], set(), {}
        self._note = None
        self._hover = self._selected = self._link_hover = None
        self._sel_anchor = self._sel_cursor = None
        self._decos, self._all_decos = {}, []
        self._lazy_decos, self._lazy_done = None, {}
        self._words.forget()
        self._reset_geometry()
        self.viewport().update()
        self._a11y.reset()
        if had_selection:
            self.selectionChanged.emit()

    def set_translation(self, p: int, s: int, text: str | None, edited: bool = False) -> None:
        """Fill (or replace) one English sentence; only row *p* is laid out again (no longer marked as
        another model's English: see :meth:`set_older`)."""
        if self._article is None or not 0 <= p < len(self._trans) or not 0 <= s < len(self._trans[p]):
            return
        self._trans[p][s] = text
        (self._edited.add if edited else self._edited.discard)((p, s))
        self._older.pop((p, s), None)
        self._en[p] = english_cell(self._trans[p])
        self._forget_row(p)
        self._words.forget(p, s)  # its alignment was for the old text
        if self._sel_side_touches("en", p):
            self._clamp_selection()
        self.viewport().update()
        self._a11y.text_changed(p, s)

    def set_english_message(self, text: str | None) -> None:
        """Replace the whole English column by *text* (None: show the translations again)."""
        text = text or None
        if text == self._message:
            return
        self._message = text
        self._msg_piece = None
        self._words.forget()
        self._relayout(estimate=True)

    def english_message(self) -> str | None:
        return self._message

    def set_english_note(self, text: str | None) -> None:
        """A line under the English column label: where the English comes from, what to do for the rest."""
        text = text or None
        if text == self._note:
            return
        self._note = text
        self._relayout(estimate=True)

    def english_note(self) -> str | None:
        return self._note

    def set_older(self, older: dict[tuple[int, int], str]) -> None:
        """Mark the sentences showing another model's English (→ their tooltip): dotted underline."""
        if older != self._older:
            self._older = dict(older)
            self.viewport().update()

    def older_sentences(self) -> dict[tuple[int, int], str]:
        """The sentences showing another model's English → their tooltip."""
        return dict(self._older)

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
        self._link_hover = None
        self.viewport().update()
        self._a11y.marks_changed()

    def linked_marks(self) -> list[Decoration]:
        """The marks lit by the hovered linked mark (it and its partners, e.g. a French glossary term and
        its rendering in the enforced English), or none."""
        if self._link_hover is None or self._article is None:
            return []
        p, link = self._link_hover
        return [d for side in ("fr", "en") for d in self._decos_at(side, p) if d.link == link]

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
    # public API: word alignment
    # =============================================================================================
    def set_alignment_provider(self, provider: AlignmentProvider | None) -> None:
        """Where word alignments come from: ``provider(p, s, french, english) -> WordAlignment | None``
        for sentence *s* of paragraph *p* of the open article, *french* being the sentence as segmented
        and *english* its shown translation (see :mod:`reader.gui.view.wordlinks`). Called on the GUI
        thread the first time a pair is hovered, the answer kept until its text changes or
        :meth:`refresh_alignments`. The provider stays across articles; None: no word alignment."""
        self._words.set_provider(provider)
        self.viewport().update()

    def set_alignments(self, alignments: dict[tuple[int, int], WordAlignment]) -> None:
        """The alignments of the open article by ``(paragraph, sentence)`` (a provider over a dict);
        call again after each :meth:`set_article`."""
        self.set_alignment_provider(lambda p, s, _fr, _en: alignments.get((p, s)))

    def refresh_alignments(self, p: int | None = None, s: int | None = None) -> None:
        """Ask the provider again (for every pair, or pair (p, s)): new alignments were stored. Painted
        again only if word links were showing (a book's alignments landing repaint nothing)."""
        showing = bool(self._words.marks())
        self._words.forget(p, s)
        if showing:
            self.viewport().update()

    def set_word_alignment_enabled(self, on: bool) -> None:
        """Turn the word-alignment hover on or off (off: sentence hover only, as without alignments)."""
        on = bool(on)
        if on != self._words.enabled:
            self._words.enabled = on
            self._words.hover = self._words.pin = None
            self.viewport().update()
            if on:
                self._refresh_hover()  # the word already under the mouse

    def word_alignment_enabled(self) -> bool:
        return self._words.enabled

    def word_links(self) -> list[WordMark]:
        """The words decorated now: the hovered (or pinned) word, ``source=True``, and the words of the
        other side linked to it, with their score as ``weight``; spans are cell offsets."""
        return list(self._words.marks())

    def hovered_word(self) -> WordKey | None:
        """``(side, paragraph, sentence, word index)`` of the linked word under the mouse, or None."""
        return self._words.hover if self._words.enabled else None

    def pinned_word(self) -> WordKey | None:
        return self._words.pin if self._words.enabled else None

    def clear_word_pin(self) -> None:
        if self._words.pin is not None:
            before = self._words.active()
            self._words.pin = None
            self._word_links_moved(before)

    def _sentence_texts(self, p: int, s: int) -> tuple[int, str, int, str] | None:
        """(French cell start, French sentence, English cell start, English sentence) of a translated pair."""
        if not self._valid_pair(p, s) or not self._trans[p][s] or self._message is not None:
            return None  # untranslated, or the English column shows a message instead
        para = self._article.paragraphs[p]
        sent = para.sentences[s]
        return sent.start, para.text[sent.start:sent.end], self._en[p].ranges[s][0], self._trans[p][s]

    # =============================================================================================
    # public API: presentation
    # =============================================================================================
    def set_layout_mode(self, mode: str) -> None:
        """``"side"`` (French left, English right) or ``"interlinear"`` (English under each sentence)."""
        self._requested_mode = "interlinear" if mode == "interlinear" else "side"
        self._fit_mode()

    def layout_mode(self) -> str:
        """The layout shown (interlinear when side by side was asked for but the columns are too narrow)."""
        return self._mode

    def requested_layout_mode(self) -> str:
        return self._requested_mode

    def set_min_column_chars(self, chars: float | None) -> None:
        """Below this many characters per side-by-side column the view shows the interlinear layout
        instead, and back when the width allows (None, the default: never switch)."""
        self._min_column_chars = chars
        self._fit_mode()

    def _fit_mode(self) -> bool:
        """Show the layout the width allows; True if it changed (and the rows were laid out again)."""
        mode = fitting_mode(self._style, self.viewport().width(), self._requested_mode, self._min_column_chars)
        if mode == self._mode:
            return False
        self._mode = mode
        self._relayout(estimate=True)
        self.layoutModeChanged.emit(mode)
        return True

    def set_font_point_size(self, pt: int) -> None:
        pt = max(6, min(48, int(pt)))
        if pt != self._pt:
            self._pt = pt
            self._style = Style(self.font(), self._pt, self.palette())
            if not self._fit_mode():
                self._relayout(estimate=True)

    def font_point_size(self) -> int:
        return self._pt

    # =============================================================================================
    # public API: selection and position
    # =============================================================================================
    def select_pair(self, p: int, s: int, ensure_visible: bool = True) -> None:
        """Select sentence *s* of paragraph *p* and its translation (emits pairSelected if it changed)."""
        self._select(p, s, ensure_visible, None)

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

    def visible_paragraphs(self) -> tuple[int, int] | None:
        """The first and last paragraphs in the viewport (the header counts as paragraph 0), or None
        when nothing is shown."""
        if not self._heights:
            return None
        self._ensure_laid_out()
        v = self.verticalScrollBar().value()
        first = max(0, self._row_at(v))
        return first, max(first, self._row_at(v + max(0, self.viewport().height() - 1)))

    def row_count(self) -> int:
        return len(self._heights)

    def row_rect(self, p: int) -> QRect:
        """Row *p* in viewport coordinates (lays it out if needed)."""
        _, oy = self._laid_out_row(p)
        return QRect(0, oy, self.viewport().width(), self._heights[p])

    def cell_rect(self, side: str, p: int) -> QRect:
        """The text of one side of row *p* (union of its pieces) in viewport coordinates."""
        row, oy = self._laid_out_row(p)
        rect = QRectF()
        for pc in row.side_pieces(side):
            rect = rect.united(pc.rect())
        return rect.translated(0, oy).toAlignedRect() if not rect.isNull() else QRect()

    def sentence_rects(self, side: str, p: int, s: int) -> list[QRect]:
        """One rectangle per line of sentence *s* of paragraph *p* on *side*, in viewport coordinates."""
        if not self._valid_pair(p, s):
            return []
        row, oy = self._laid_out_row(p)
        out = []
        for pc in row.side_pieces(side):
            for si, a, b in pc.drawn.sentences:
                if si == s:
                    out += [r.translated(0, oy).toAlignedRect() for r in pc.range_rects(a, b)]
        return out

    def text_rects(self, side: str, p: int, start: int, end: int) -> list[QRect]:
        """One rectangle per line of ``cell_text(side, p)[start:end]``, in viewport coordinates."""
        if self._article is None or not 0 <= p < len(self._heights):
            return []
        row, oy = self._laid_out_row(p)
        return [r.translated(0, oy).toAlignedRect() for pc in row.side_pieces(side)
                for a, b in pc.drawn.omap.to_drawn_ranges(start, end) for r in pc.range_rects(a, b)]

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

    def _valid_pair(self, p: int, s: int) -> bool:
        return self._article is not None and 0 <= p < len(self._trans) and 0 <= s < len(self._trans[p])

    # =============================================================================================
    # Qt events
    # =============================================================================================
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._fit_mode() or self._article is None:
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

