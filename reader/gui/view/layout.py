"""Laid-out rows of the parallel view: fonts and colours (:class:`Style`), text pieces and rows.

A row (one paragraph) is a list of :class:`Piece` — one laid-out ``QTextLayout`` each, placed at a
position relative to the row's top-left. Side by side a row has two pieces (French cell, English
cell); interlinear it has two per sentence. Everything the widget paints or hit-tests goes through
pieces, so both modes share one code path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)

from reader.core.model import ParagraphKind, SpanKind
from reader.gui.view.text import Drawn

Kind = ParagraphKind
LINE_EXTRA = 0.32  # extra space between lines, as a fraction of the line height
_SAMPLE = (
    "Le secrétaire d’État américain et le ministre russe des Affaires étrangères se sont rencontrés "
    "The Secretary of State and the Russian Foreign Minister met briefly on Thursday in New Delhi."
)


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved toward ``b`` by ``t`` (0 = a, 1 = b)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def with_alpha(c: QColor, alpha: int) -> QColor:
    out = QColor(c)
    out.setAlpha(alpha)
    return out


class Style:
    """Fonts, colours and metrics derived from the widget's font, point size and palette."""

    def __init__(self, font: QFont, point_size: float, palette: QPalette) -> None:
        base = QFont(font)
        base.setPointSizeF(point_size)
        self.base = base
        self.fonts: dict[Kind, QFont] = {}
        for kind in Kind:
            f = QFont(base)
            if kind is Kind.HEADING:
                f.setPointSizeF(point_size * 1.2)
                f.setBold(True)
            elif kind is Kind.CAPTION:
                f.setPointSizeF(point_size * 0.9)
                f.setItalic(True)
            self.fonts[kind] = f
        self.inter_en: dict[Kind, QFont] = {}
        for kind, f in self.fonts.items():
            g = QFont(f)
            g.setPointSizeF(f.pointSizeF() * 0.92)
            self.inter_en[kind] = g
        self.title = QFont(base)
        self.title.setPointSizeF(point_size * 1.55)
        self.title.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(point_size * 0.88)
        fm = QFontMetricsF(base)
        self.em = fm.height()
        self.margin = max(16.0, round(self.em * 1.3))
        self.gutter = max(24.0, round(self.em * 2.0))
        # a line's tint reaches half the line spacing above and below it: rows start that far down
        self.inset = math.ceil(QFontMetricsF(self.fonts[Kind.HEADING]).height() * LINE_EXTRA / 2)
        self.para_gap = round(self.em * 0.75)
        self.inter_para_gap = round(self.em * 1.15)
        self.heading_pad = round(self.em * 0.5)
        self.quote_indent = round(self.em * 1.1)
        self.sentence_gap = round(self.em * 0.55)
        self.pair_gap = math.ceil(self.em * LINE_EXTRA)  # French sentence → its English (estimates)

        pal = palette
        self.text = pal.color(QPalette.ColorRole.Text)
        self.bg = pal.color(QPalette.ColorRole.Base)
        self.muted = blend(self.text, self.bg, 0.45)
        self.secondary = blend(self.text, self.bg, 0.25)
        self.rule = blend(self.text, self.bg, 0.75)
        self.link = pal.color(QPalette.ColorRole.Link)
        hl = pal.color(QPalette.ColorRole.Highlight)
        dark = self.bg.lightness() < 128
        # hover and the selected pair: a neutral wash of the text colour, never a hue a highlight uses
        # (a blue highlight stays blue in the selected pair)
        self.hover = with_alpha(self.text, 22 if dark else 14)
        self.pair = with_alpha(self.text, 44 if dark else 30)
        self.selection_bg = pal.color(QPalette.ColorRole.Highlight)
        self.selection_fg = pal.color(QPalette.ColorRole.HighlightedText)
        self.edited = with_alpha(hl, 200)
        self.highlight_alpha = 150 if dark else 140  # for opaque decoration colours
        self.bar_alpha = 230 if dark else 255  # the counterpart bar of a highlight, in its colour
        # word-alignment hover: the highlight colour, from faint (weak link) to clear (strong link)
        self.word = blend(hl, self.text, 0.35) if dark else hl
        self.word_alpha = (60, 150) if dark else (40, 120)
        self.box = pal.color(QPalette.ColorRole.AlternateBase)
        self._avg: dict[tuple[str, float, bool, bool], tuple[float, float]] = {}

    def metrics(self, font: QFont) -> tuple[float, float]:
        """(average character width, line pitch) of *font*, for height estimates."""
        key = (font.family(), font.pointSizeF(), font.bold(), font.italic())
        got = self._avg.get(key)
        if got is None:
            fm = QFontMetricsF(font)
            got = (fm.horizontalAdvance(_SAMPLE) / len(_SAMPLE), fm.height() * (1 + LINE_EXTRA))
            self._avg[key] = got
        return got

    def estimate(self, chars: int, font: QFont, width: float) -> int:
        """Estimated height of *chars* characters of *font* wrapped at *width*."""
        avg, pitch = self.metrics(font)
        per_line = max(1.0, width / avg)
        lines = max(1, math.ceil(chars * 1.04 / per_line + 0.25))
        return math.ceil(lines * pitch - pitch * LINE_EXTRA / (1 + LINE_EXTRA))


# ---------------------------------------------------------------------------------------------------
# pieces
# ---------------------------------------------------------------------------------------------------


class Piece:
    """One laid-out string at (x, y) in its row; ``side`` is "fr", "en" or "" (header text)."""

    __slots__ = ("side", "layout", "x", "y", "w", "h", "drawn", "extra", "pen")

    def __init__(self, side: str, layout: QTextLayout, x: float, y: float, w: float, h: float,
                 drawn: Drawn | None, extra: float, pen: QColor) -> None:
        self.side, self.layout, self.x, self.y, self.w, self.h = side, layout, x, y, w, h
        self.drawn, self.extra, self.pen = drawn, extra, pen

    def lines(self) -> list[QTextLine]:
        lay = self.layout
        return [lay.lineAt(i) for i in range(lay.lineCount())]

    def range_rects(self, a: int, b: int) -> list[QRectF]:
        """Row-local rectangles (one per line) covering drawn positions ``[a, b)``."""
        out = []
        half = self.extra / 2
        for line in self.lines():
            ls = line.textStart()
            le = ls + line.textLength()
            lo, hi = max(a, ls), min(b, le)
            if lo >= hi:
                continue
            # do not paint a trailing space that ends a wrapped line
            text = self.layout.text()
            while hi > lo and hi == le and text[hi - 1] == " ":
                hi -= 1
            if lo >= hi:
                continue
            x1 = line.cursorToX(lo)[0]
            x2 = line.cursorToX(hi)[0]
            out.append(QRectF(self.x + min(x1, x2), self.y + line.y() - half, abs(x2 - x1),
                              line.height() + self.extra))
        return out

    def line_at(self, ly: float) -> QTextLine | None:
        """The line at row-local *ly* (clamped to the first/last line), or None if empty."""
        lines = self.lines()
        if not lines:
            return None
        half = self.extra / 2
        for line in lines:
            if ly < self.y + line.y() + line.height() + half:
                return line
        return lines[-1]

    def char_at(self, lx: float, ly: float) -> int | None:
        """The drawn position of the character under row-local (lx, ly), or None."""
        if not (self.y - self.extra / 2 <= ly < self.y + self.h + self.extra / 2):
            return None
        line = self.line_at(ly)
        if line is None:
            return None
        x = lx - self.x
        if not (line.x() <= x <= line.x() + line.naturalTextWidth()):
            return None
        pos = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        return min(pos, line.textStart() + max(0, line.textLength() - 1))

    def cursor_at(self, lx: float, ly: float) -> int:
        """The drawn cursor position nearest row-local (lx, ly) (for text selection)."""
        if ly < self.y:
            return 0
        if ly >= self.y + self.h + self.extra / 2:
            return len(self.layout.text())
        line = self.line_at(ly)
        if line is None:
            return 0
        return line.xToCursor(lx - self.x, QTextLine.CursorPosition.CursorBetweenCharacters)

    def sentence_at(self, pos: int) -> int | None:
        if self.drawn is None:
            return None
        for s, a, b in self.drawn.sentences:
            if a <= pos < b:
                return s
        return None

    def rect(self) -> QRectF:
        return QRectF(self.x, self.y, self.w, self.h)


@dataclass
class Row:
    """A laid-out paragraph: its pieces, quote rules and total height (including spacing)."""

    p: int
    height: int
    pieces: list[Piece]
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)

    def side_pieces(self, side: str) -> list[Piece]:
        return [pc for pc in self.pieces if pc.side == side]


def lay_out(text: str, font: QFont, width: float, formats: list[QTextLayout.FormatRange] | None = None
            ) -> tuple[QTextLayout, float, float]:
    """Wrap *text* at *width*; returns (layout, height, extra line spacing)."""
    layout = QTextLayout(text, font)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(opt)
    layout.setCacheEnabled(True)
    if formats:
        layout.setFormats(formats)
    width = max(8.0, width)
    extra = math.ceil(QFontMetricsF(font).height() * LINE_EXTRA)
    y = 0.0
    layout.beginLayout()
    first = True
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        if not first:
            y += extra
        line.setPosition(QPointF(0, y))
        y += line.height()
        first = False
    layout.endLayout()
    return layout, math.ceil(y), extra


def _range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    fr = QTextLayout.FormatRange()
    fr.start, fr.length, fr.format = start, length, fmt
    return fr


def formats_for(drawn: Drawn, spans, style: Style, kind: Kind) -> list[QTextLayout.FormatRange]:
    """Char formats: the bold speaker label, inline spans (French), muted placeholders (English)."""
    out = []
    if drawn.label:
        f = QTextCharFormat()
        f.setFontWeight(QFont.Weight.Bold)
        out.append(_range(0, drawn.label, f))
    for sp in spans or ():
        for a, b in drawn.omap.to_drawn_ranges(sp.start, sp.end):
            f = QTextCharFormat()
            if sp.kind is SpanKind.BOLD:
                f.setFontWeight(QFont.Weight.Bold)
            elif sp.kind is SpanKind.ITALIC:
                f.setFontItalic(True)
            elif sp.kind is SpanKind.SUPERSCRIPT:
                f.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
            elif sp.kind is SpanKind.LINK:
                f.setFontUnderline(True)
                f.setForeground(style.link)
                if sp.href:
                    f.setAnchorHref(sp.href)
            out.append(_range(a, b - a, f))
    for a, b in drawn.placeholders or ():
        f = QTextCharFormat()
        f.setForeground(style.muted)
        out.append(_range(a, b - a, f))
    return out


def make_piece(side: str, drawn: Drawn, font: QFont, x: float, y: float, width: float, pen: QColor,
               style: Style, kind: Kind, spans=None) -> Piece:
    layout, h, extra = lay_out(drawn.text, font, width, formats_for(drawn, spans, style, kind))
    return Piece(side, layout, x, y, width, h, drawn, extra, pen)


def make_plain(text: str, font: QFont, x: float, y: float, width: float, pen: QColor) -> Piece:
    layout, h, extra = lay_out(text, font, width)
    return Piece("", layout, x, y, width, h, None, extra, pen)
