"""Pages of the PDF export: their geometry, the blocks placed on them, and the paginator.

Units are the PDF writer's device units (:data:`~reader.export.pdf_layout.RESOLUTION` dots per inch, origin
at the page's top-left corner, y down). :class:`Paginator` places :class:`Block` s (a row of the bilingual
table, a title, a glossary row…) on pages: a block that fits is never split; one taller than a page
continues on the next page with every column cut at its own line boundary (never through a line);
footnotes take space at the bottom of the page of their marker, so a block whose footnotes do not fit
moves to the next page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QPageSize

from reader.export.bundle import Note
from reader.export.pdf_layout import MM, PT, TextBox

# -- page geometry -------------------------------------------------------------------------------------


@dataclass
class Geometry:
    width: float
    height: float
    left: float
    right: float  # x of the right margin edge
    top: float
    bottom: float
    header_y: float
    footer_y: float
    gutter: float

    @property
    def body_width(self) -> float:
        return self.right - self.left

    @property
    def col_width(self) -> float:
        return (self.body_width - self.gutter) / 2

    def col_x(self, k: int) -> float:
        return self.left + k * (self.col_width + self.gutter)


def page_geometry(paper: str) -> tuple[Geometry, QPageSize]:
    size = QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4)
    pts = size.sizePoints()  # what Qt writes as the MediaBox (whole points)
    w, h = pts.width() * PT, pts.height() * PT
    margin = 17 * MM
    return Geometry(
        width=w,
        height=h,
        left=margin,
        right=w - margin,
        top=22 * MM,
        bottom=h - 18 * MM,
        header_y=11 * MM,
        footer_y=h - 10 * MM,
        gutter=9 * MM,
    ), size


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
    decorate: tuple | None = None  # what the painter draws besides the text: (kind, *args), see pdf_paint
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
