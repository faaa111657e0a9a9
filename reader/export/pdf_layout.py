"""Fonts and text boxes for the PDF export (QtGui only: safe headless and off the GUI thread).

Units are the PDF writer's device units (:data:`RESOLUTION` dots per inch, origin at the page's top-left
corner, y down). :class:`TextBox` lays one paragraph out with :class:`QTextLayout` in a given width and
knows its lines, the rectangles of any character range, and where its note markers are. Pages, blocks
and pagination are in :mod:`reader.export.pdf_paginate`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPainterPath,
    QPaintDevice,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from reader.export.bundle import ExportError

RESOLUTION = 1200  # device units per inch
PT = RESOLUTION / 72.0  # device units per point
MM = RESOLUTION / 25.4

SERIF = "DejaVu Serif"
SANS = "DejaVu Sans"
FONT_FILES = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
)

_fonts_lock = threading.Lock()
_fonts_loaded = False

TEXT = QColor("#1a1a1a")
MUTED = QColor("#6b6b6b")
RULE = QColor("#c8c8c8")
LINK = QColor("#1f4e8c")
MARKER = QColor("#b03a2e")


def fonts_dir() -> Path:
    """The bundled DejaVu fonts: ``reader/_resources/fonts`` in a wheel, ``resources/fonts`` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_resources" / "fonts", here.parent / "resources" / "fonts"):
        if (candidate / FONT_FILES[0]).is_file():
            return candidate
    raise ExportError("The PDF fonts are missing from this installation (resources/fonts).")


def ensure_fonts() -> None:
    """Register the bundled fonts with Qt once (needs a QGuiApplication; see ``pdf.ensure_gui_app``)."""
    global _fonts_loaded
    with _fonts_lock:
        if _fonts_loaded:
            return
        folder = fonts_dir()
        for name in FONT_FILES:
            if QFontDatabase.addApplicationFont(str(folder / name)) < 0:
                raise ExportError(f"The PDF font « {name} » could not be loaded.")
        _fonts_loaded = True


def make_font(family: str, size_pt: float, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    font.setItalic(italic)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(True)
    # No ligatures: « fi » must extract as two letters, not U+FB01.
    font.setFeature(QFont.Tag("liga"), 0)
    font.setFeature(QFont.Tag("clig"), 0)
    return font


# -- text boxes -------------------------------------------------------------------------------------


@dataclass
class Style:
    """Inline style of a range of a text box (layout offsets)."""

    start: int
    end: int
    bold: bool = False
    italic: bool = False
    sup: bool = False
    color: QColor | None = None
    underline: bool = False
    marker: bool = False  # reserved space for a note marker: drawn as a path, never as text


@dataclass
class Line:
    y: float  # top, relative to the box
    height: float
    ascent: float
    start: int
    length: int

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def end(self) -> int:
        return self.start + self.length


class TextBox:
    """One paragraph of text laid out in ``width`` device units.

    ``text`` is the cell text; ``prefix`` (bold, e.g. « Sergey Lavrov : ») goes before it and ``markers``
    (``(offset in text, label)``) are inserted as superscripts after the given offsets. Offsets into
    ``text`` map to layout offsets with :meth:`map_start` / :meth:`map_end`.
    """

    def __init__(
        self,
        device: QPaintDevice,
        text: str,
        font: QFont,
        width: float,
        *,
        styles: Sequence[Style] = (),
        prefix: str = "",
        markers: Sequence[tuple[int, str]] = (),
        color: QColor = TEXT,
        leading: float = 0.22,
        align_right: bool = False,
    ) -> None:
        self.font = font
        self.color = color
        self.width = width
        self.prefix_len = len(prefix)
        markers = sorted(markers)
        self._marker_at = [m[0] for m in markers]
        self._marker_len = [len(m[1]) for m in markers]
        # Assemble the layout text: prefix + text with marker labels inserted.
        shifted: list[Style] = []
        if prefix:
            shifted.append(Style(0, len(prefix), bold=True))
        for st in styles:
            a, b = self.map_start(st.start), self.map_end(st.end)
            if b > a:
                shifted.append(Style(a, b, st.bold, st.italic, st.sup, st.color, st.underline))
        # insert labels
        out = [prefix]
        pos = 0
        for at, label in markers:
            out.append(text[pos:at])
            lay_at = len("".join(out))
            out.append(label)
            shifted.append(Style(lay_at, lay_at + len(label), sup=True, marker=True))
            pos = at
        out.append(text[pos:])
        self.layout_text = "".join(out).replace("\n", "\u2028")
        self.styles = shifted
        layout = QTextLayout(self.layout_text, font, device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if align_right:
            option.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.setTextOption(option)
        ranges = []
        for st in shifted:
            fr = QTextLayout.FormatRange()
            fr.start = st.start
            fr.length = st.end - st.start
            cf = QTextCharFormat()
            if st.bold:
                cf.setFontWeight(QFont.Weight.Bold)
            if st.italic:
                cf.setFontItalic(True)
            if st.sup:
                cf.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
            fr.format = cf
            ranges.append(fr)
        if ranges:
            layout.setFormats(ranges)
        self.layout = layout
        self.lines: list[Line] = []
        layout.beginLayout()
        y = 0.0
        extra = font.pointSizeF() * PT * leading
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            self.lines.append(Line(y, line.height(), line.ascent(), line.textStart(), line.textLength()))
            y += line.height() + extra
        layout.endLayout()
        self.height = (self.lines[-1].bottom if self.lines else 0.0)
        self._line_starts = [ln.start for ln in self.lines]
        # Segment boundaries that need special drawing (superscripts, colours, markers).
        self._special = [st for st in shifted if st.sup or st.color is not None or st.underline]

    # -- offsets -----------------------------------------------------------------------------------

    def _inserted_before(self, offset: int, inclusive: bool) -> int:
        n = 0
        for at, ln in zip(self._marker_at, self._marker_len, strict=True):
            if at < offset or (inclusive and at == offset):
                n += ln
            else:
                break
        return n

    def map_start(self, offset: int) -> int:
        """Layout offset of the start of a range beginning at ``offset`` of the text (after a marker
        placed there)."""
        return self.prefix_len + offset + self._inserted_before(offset, True)

    def map_end(self, offset: int) -> int:
        """Layout offset of the end of a range ending at ``offset`` (before a marker placed there)."""
        return self.prefix_len + offset + self._inserted_before(offset, False)

    def line_of(self, layout_offset: int) -> int:
        from bisect import bisect_right

        return max(0, bisect_right(self._line_starts, layout_offset) - 1)

    # -- geometry ----------------------------------------------------------------------------------

    def rects(self, a: int, b: int, first: int = 0, last: int | None = None) -> list[tuple[int, QRectF]]:
        """``(line index, rect)`` covering layout range ``[a, b)`` on each line from ``first`` to
        ``last`` (box coordinates), trailing spaces at a line end left out."""
        out = []
        last = len(self.lines) if last is None else last
        text = self.layout_text
        for i in range(max(first, self.line_of(a)), last):
            ln = self.lines[i]
            if ln.start >= b:
                break
            s, e = max(a, ln.start), min(b, ln.end)
            while e > s and text[e - 1] in " \u00a0\u2028\t":
                e -= 1
            if e <= s:
                continue
            qline = self.layout.lineAt(i)
            x1 = qline.cursorToX(s)[0]
            x2 = qline.cursorToX(e)[0]
            if x2 < x1:
                x1, x2 = x2, x1
            out.append((i, QRectF(x1, ln.y, x2 - x1, ln.height)))
        return out

    # -- drawing -----------------------------------------------------------------------------------

    def draw(self, painter: QPainter, origin: QPointF, first: int = 0, last: int | None = None) -> None:
        """Draw lines ``first..last`` with the box's origin at ``origin`` (page coordinates).

        Text is drawn as glyph runs, so it is real, selectable text; note markers are drawn as paths so
        they do not break the words around them in extracted text.
        """
        last = len(self.lines) if last is None else last
        for i in range(first, last):
            ln = self.lines[i]
            qline = self.layout.lineAt(i)
            cuts = {ln.start, ln.end}
            for st in self._special:
                if st.end > ln.start and st.start < ln.end:
                    cuts.add(max(st.start, ln.start))
                    cuts.add(min(st.end, ln.end))
            bounds = sorted(cuts)
            for a, b in zip(bounds, bounds[1:], strict=False):
                if b <= a:
                    continue
                st = next((s for s in self._special if s.start <= a and b <= s.end), None)
                color = st.color if st is not None and st.color is not None else self.color
                shift = -ln.ascent * 0.33 if st is not None and st.sup else 0.0
                if st is not None and st.marker:
                    self._draw_marker(painter, origin, qline, ln, a, b, shift)
                    continue
                painter.setPen(color)
                at = QPointF(origin.x(), origin.y() + shift)
                for run in qline.glyphRuns(a, b - a):
                    painter.drawGlyphRun(at, run)
                if st is not None and st.underline:
                    x1 = qline.cursorToX(a)[0]
                    x2 = qline.cursorToX(b)[0]
                    base = origin.y() + ln.y + ln.ascent + 1.2 * PT
                    painter.save()
                    painter.setPen(color)
                    painter.drawLine(QPointF(origin.x() + x1, base), QPointF(origin.x() + x2, base))
                    painter.restore()

    def _draw_marker(self, painter, origin, qline, ln, a, b, shift) -> None:
        label = self.layout_text[a:b]
        x = qline.cursorToX(a)[0]
        font = QFont(self.font)
        # QPainterPath has no device: size the font in device pixels, not points.
        font.setPixelSize(max(1, round(self.font.pointSizeF() * 0.66 * PT)))
        font.setBold(True)
        path = QPainterPath()
        path.addText(QPointF(origin.x() + x, origin.y() + ln.y + ln.ascent + shift), font, label)
        painter.save()
        painter.setPen(QColor(0, 0, 0, 0))
        painter.setBrush(MARKER)
        painter.drawPath(path)
        painter.restore()
