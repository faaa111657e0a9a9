"""Text boxes and pagination for the PDF export (QtGui only: safe headless and off the GUI thread).

Units are the PDF writer's device units (:data:`RESOLUTION` dots per inch, origin at the page's top-left
corner, y down). :class:`TextBox` lays one paragraph out with :class:`QTextLayout` in a given width and
knows its lines, the rectangles of any character range, and where its note markers are.
:class:`Paginator` places :class:`Block` s (a row of the bilingual table, a title, a glossary row…) on
pages: a block that fits is never split; one taller than a page continues on the next page with every
column cut at its own line boundary (never through a line); footnotes take space at the bottom of the
page of their marker, so a block whose footnotes do not fit moves to the next page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

from reader.export.bundle import ExportError, Note

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

    def marker_rect(self, index: int) -> tuple[int, QRectF] | None:
        """The line and rectangle of the ``index``-th marker (for checks)."""
        st = [s for s in self.styles if s.marker]
        if index >= len(st):
            return None
        r = self.rects(st[index].start, st[index].end)
        return r[0] if r else None


# -- blocks and pages -------------------------------------------------------------------------------


@dataclass
class Piece:
    box: TextBox
    x: float  # page x of the box's origin
    dy: float = 0.0  # offset of the box inside the block
    key: object = None  # what the painter needs to know about it (e.g. the Cell)
    markers: list[tuple[Note, int]] = field(default_factory=list)  # (note, layout offset)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (text start, end, URI)

    def line_top(self, i: int) -> float:
        return self.dy + self.box.lines[i].y

    def line_bottom(self, i: int) -> float:
        return self.dy + self.box.lines[i].bottom


@dataclass
class Block:
    kind: str
    pieces: list[Piece]
    gap: float = 0.0  # space above it, unless it starts a page
    keep_with_next: bool = False
    page_break_before: bool = False
    row: tuple[int, int] | None = None  # (article, paragraph) for the layout report
    min_height: float = 0.0  # for blocks drawn entirely by ``decorate``
    decorate: Callable[..., None] | None = None  # (painter, frag, page) → None
    article: int | None = None

    @property
    def height(self) -> float:
        h = self.min_height
        for p in self.pieces:
            if p.box.lines:
                h = max(h, p.dy + p.box.height)
        return h

    def first_line_height(self) -> float:
        hs = [p.line_bottom(0) for p in self.pieces if p.box.lines]
        return min(hs) if hs else self.min_height


@dataclass
class Frag:
    block: Block
    y: float  # page y of the block's top for this fragment
    ranges: list[tuple[int, int]]  # per piece: lines [first, last)
    height: float
    first: bool  # the block's first fragment
    last: bool

    def origin_y(self, k: int) -> float:
        """Page y of piece ``k``'s box origin in this fragment."""
        piece = self.block.pieces[k]
        first, last = self.ranges[k]
        if self.first or first >= len(piece.box.lines):
            return self.y + piece.dy
        return self.y - piece.box.lines[first].y


@dataclass
class Page:
    article: int | None
    frags: list[Frag] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    y: float = 0.0  # next free y


class Paginator:
    """Places blocks on pages of a given body box; footnotes fill the page bottom up."""

    def __init__(self, top: float, bottom: float, footnote_height: Callable[[Sequence[Note]], float]):
        self.top = top
        self.bottom = bottom
        self.fn_height = footnote_height
        self.pages: list[Page] = []
        self.repeat: Block | None = None  # placed at the top of every new page (column labels)
        self.article: int | None = None

    @property
    def body_height(self) -> float:
        return self.bottom - self.top

    def new_page(self, article: int | None = None) -> Page:
        page = Page(self.article if article is None else article, y=self.top)
        self.pages.append(page)
        if self.repeat is not None:
            self._put(page, self.repeat, [(0, len(p.box.lines)) for p in self.repeat.pieces],
                      self.repeat.height, True, True)
        return page

    @property
    def page(self) -> Page:
        return self.pages[-1] if self.pages else self.new_page()

    def _is_fresh(self, page: Page) -> bool:
        return all(f.block is self.repeat for f in page.frags)

    def _put(self, page, block, ranges, height, first, last) -> Frag:
        gap = block.gap if (first and not self._is_fresh(page)) else 0.0
        frag = Frag(block, page.y + gap, ranges, height, first, last)
        page.frags.append(frag)
        page.y = frag.y + height
        for k, piece in enumerate(block.pieces):
            a, b = ranges[k]
            for note, pos in piece.markers:
                li = piece.box.line_of(pos)
                if a <= li < b:
                    page.notes.append(note)
        return frag

    def _notes_in(self, block: Block, ranges) -> list[Note]:
        out = []
        for k, piece in enumerate(block.pieces):
            a, b = ranges[k]
            for note, pos in piece.markers:
                if a <= piece.box.line_of(pos) < b:
                    out.append(note)
        return out

    def _fn_extra(self, page: Page, notes: list[Note]) -> float:
        if not notes:
            return 0.0
        return self.fn_height(page.notes + notes) - self.fn_height(page.notes)

    def place(self, block: Block, next_block: Block | None = None) -> list[Frag]:
        if block.page_break_before and not self._is_fresh(self.page):
            self.new_page()
        page = self.page
        full = [(0, len(p.box.lines)) for p in block.pieces]
        notes = self._notes_in(block, full)
        h = block.height

        def need(pg: Page) -> float:
            gap = 0.0 if self._is_fresh(pg) else block.gap
            extra = 0.0
            if block.keep_with_next and next_block is not None:
                extra = next_block.gap + min(next_block.height, max(next_block.first_line_height() * 3, 1))
            return gap + h + self.fn_height(pg.notes + notes) + extra

        if page.y + need(page) <= self.bottom + 0.5:
            return [self._put(page, block, full, h, True, True)]
        fits_alone = h + self.fn_height(notes) <= self.bottom - self.top - self._repeat_h()
        if not self._is_fresh(page) and fits_alone:
            page = self.new_page()
            return [self._put(page, block, full, h, True, True)]
        if fits_alone:  # fresh page but keep_with_next could not be met: place anyway
            return [self._put(page, block, full, h, True, True)]
        return self._split(block)

    def _repeat_h(self) -> float:
        return self.repeat.height if self.repeat is not None else 0.0

    def _split(self, block: Block) -> list[Frag]:
        """Cut a block taller than a page: each piece at its own line boundary, all pieces together."""
        pieces = block.pieces
        starts = [0] * len(pieces)
        frags: list[Frag] = []
        first = True
        while any(starts[k] < len(p.box.lines) for k, p in enumerate(pieces)):
            page = self.page
            gap = 0.0 if (self._is_fresh(page) or not first) else block.gap
            avail = self.bottom - page.y - gap - self.fn_height(page.notes)
            limit = avail
            chosen = None
            for _ in range(50):
                ends = []
                for k, p in enumerate(pieces):
                    s = starts[k]
                    e = s
                    if s < len(p.box.lines):
                        top = 0.0 if first else p.line_top(s)
                        while e < len(p.box.lines) and p.line_bottom(e) - top <= limit + 0.5:
                            e += 1
                    ends.append(e)
                ranges = list(zip(starts, ends, strict=True))
                if ends == starts:
                    break
                extra = self._fn_extra(page, self._notes_in(block, ranges))
                used = self._frag_height(block, ranges, first)
                if used + extra <= avail + 0.5:
                    chosen = (ranges, used)
                    break
                limit = avail - extra
                if limit <= 0:
                    break
            if chosen is None:
                if not self._is_fresh(page):
                    self.new_page()
                    continue
                # Not even one line fits on an empty page (giant footnotes): force one line each.
                ranges = [(s, min(s + 1, len(p.box.lines))) for s, p in zip(starts, pieces, strict=True)]
                chosen = (ranges, self._frag_height(block, ranges, first))
            ranges, used = chosen
            ends = [b for _, b in ranges]
            done = all(ends[k] >= len(p.box.lines) for k, p in enumerate(pieces))
            frags.append(self._put(page, block, ranges, used, first, done))
            first = False
            starts = ends
            if not done:
                self.new_page()
        return frags

    @staticmethod
    def _frag_height(block: Block, ranges, first: bool) -> float:
        h = 0.0
        for k, p in enumerate(block.pieces):
            a, b = ranges[k]
            if b > a:
                top = 0.0 if first else p.line_top(a)
                h = max(h, p.line_bottom(b - 1) - top)
        if first:
            h = max(h, block.min_height)
        return h
