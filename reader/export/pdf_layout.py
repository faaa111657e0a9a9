"""Fonts and text boxes for the PDF export (QtGui only: safe headless and off the GUI thread).

Units are the PDF writer's device units (:data:`RESOLUTION` dots per inch, origin at the page's top-left
corner, y down). :class:`TextBox` lays one paragraph out with :class:`QTextLayout` in a given width and
knows its lines, the rectangles of any character range, and where its note markers are. Pages, blocks
and pagination are in :mod:`reader.export.pdf_paginate`.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
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
    marker: bool = False  # a note marker (superscript digits)


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


SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SHY = "\u00ad"  # a hyphenation point: drawn as a hyphen only where a line breaks there
NB_HYPHEN = "\u2011"  # laid out in place of a hyphen inside a compound, drawn with the hyphen's glyph


class TextBox:
    """One paragraph of text laid out in ``width`` device units.

    ``text`` is the cell text; ``prefix`` (bold, e.g. « Sergey Lavrov : ») goes before it and ``markers``
    (``(offset in text, label)``) are inserted after the given offsets as superscript digits (real text:
    copying « point final¹. » gives exactly that). ``hyphenate`` (text → offsets) adds soft hyphens,
    drawn only at a line end (their glyph copies as U+00AD, which copy-paste drops). Offsets into
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
        hyphenate: Callable[[str], Sequence[int]] | None = None,
        justify: bool = False,
    ) -> None:
        self.font = font
        self.color = color
        self.width = width
        self.prefix_len = len(prefix)
        inserts: list[tuple[int, int, str]] = [(at, 0, label.translate(SUPERSCRIPT_DIGITS)) for at, label in markers]
        if hyphenate is not None and text:
            inserts.extend((at, 1, SHY) for at in hyphenate(text))
        inserts.sort()
        self._ins_at = [i[0] for i in inserts]
        self._ins_cum = list(accumulate(len(i[2]) for i in inserts))
        # Assemble the layout text: prefix + text with marker labels and break controls inserted.
        shifted: list[Style] = []
        if prefix:
            shifted.append(Style(0, len(prefix), bold=True))
        for st in styles:
            a, b = self.map_start(st.start), self.map_end(st.end)
            if b > a:
                shifted.append(Style(a, b, st.bold, st.italic, st.sup, st.color, st.underline))
        out = [prefix]
        lay_at = len(prefix)
        pos = 0
        for at, kind, label in inserts:
            out.append(text[pos:at])
            lay_at += at - pos
            out.append(label)
            if kind == 0:
                shifted.append(Style(lay_at, lay_at + len(label), bold=True, color=MARKER, marker=True))
            lay_at += len(label)
            pos = at
        out.append(text[pos:])
        # A compound « États-Unis » never breaks at its hyphen: poppler and others take a hyphen ending
        # a line for a hyphenation and drop it on copy.
        self.layout_text = _COMPOUND_HYPHEN.sub(NB_HYPHEN, "".join(out).replace("\n", "\u2028"))
        self._nb_hyphens = NB_HYPHEN in self.layout_text
        self.styles = shifted
        layout = QTextLayout(self.layout_text, font, device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if align_right:
            option.setAlignment(Qt.AlignmentFlag.AlignRight)
        elif justify:
            option.setAlignment(Qt.AlignmentFlag.AlignJustify)
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
        k = bisect_right(self._ins_at, offset) if inclusive else bisect_left(self._ins_at, offset)
        return self._ins_cum[k - 1] if k else 0

    def map_start(self, offset: int) -> int:
        """Layout offset of the start of a range beginning at ``offset`` of the text (after a marker
        placed there)."""
        return self.prefix_len + offset + self._inserted_before(offset, True)

    def map_end(self, offset: int) -> int:
        """Layout offset of the end of a range ending at ``offset`` (before a marker placed there)."""
        return self.prefix_len + offset + self._inserted_before(offset, False)

    def breaks_inside_a_word(self) -> bool:
        """Whether a line had to be broken inside a word with no hyphen (a word wider than the box)."""
        t = self.layout_text
        return any(0 < ln.end < len(t) and (t[ln.end - 1].isalnum() and t[ln.end].isalnum())
                   for ln in self.lines[:-1])

    def ends_hyphenated(self, i: int) -> bool:
        """Whether line ``i`` ends with a hyphenation point (a word continued on the next line)."""
        ln = self.lines[i]
        return ln.length > 0 and self.layout_text[ln.end - 1] == SHY

    def line_of(self, layout_offset: int) -> int:
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

        Text is drawn as glyph runs, so it is real, selectable text. Soft hyphens are not drawn, except one
        ending a line (the visible hyphen of a hyphenated word).
        """
        last = len(self.lines) if last is None else last
        for i in range(first, last):
            ln = self.lines[i]
            qline = self.layout.lineAt(i)
            cuts = {ln.start, ln.end}
            hyphenated = ln.length > 0 and self.layout_text[ln.end - 1] == SHY
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
                painter.setPen(color)
                at = QPointF(origin.x(), origin.y() + shift)
                runs = qline.glyphRuns(a, b - a)
                if hyphenated and b == ln.end and runs:
                    _soft_hyphen_glyph(runs[-1])
                if self._nb_hyphens and NB_HYPHEN in self.layout_text[a:b]:
                    for run in runs:
                        _hyphen_glyphs(run)
                for run in runs:
                    painter.drawGlyphRun(at, run)
                if st is not None and st.underline:
                    x1 = qline.cursorToX(a)[0]
                    x2 = qline.cursorToX(b)[0]
                    base = origin.y() + ln.y + ln.ascent + 1.2 * PT
                    painter.save()
                    painter.setPen(color)
                    painter.drawLine(QPointF(origin.x() + x1, base), QPointF(origin.x() + x2, base))
                    painter.restore()


def _soft_hyphen_glyph(run) -> None:
    """Qt draws a line-ending soft hyphen with the font's hyphen glyph, which copies as a real « - »;
    give it the font's own soft-hyphen glyph instead (same shape in DejaVu), which maps back to U+00AD,
    so copy-paste and text extraction undo the hyphenation."""
    glyphs = list(run.glyphIndexes())
    shy = run.rawFont().glyphIndexesForString(SHY)
    if glyphs and shy and shy[0]:
        glyphs[-1] = shy[0]
        run.setGlyphIndexes(glyphs)


_COMPOUND_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def _hyphen_glyphs(run) -> None:
    """Draw the non-breaking hyphens of the layout with the plain hyphen's glyph (copies as « - »)."""
    raw = run.rawFont()
    nb = raw.glyphIndexesForString(NB_HYPHEN)
    hy = raw.glyphIndexesForString("-")
    if not nb or not hy:
        return
    glyphs = list(run.glyphIndexes())
    if nb[0] in glyphs:
        run.setGlyphIndexes([hy[0] if g == nb[0] else g for g in glyphs])
