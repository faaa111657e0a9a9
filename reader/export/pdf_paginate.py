"""Pages of the PDF export: their geometry, the blocks placed on them, and the paginator.

Units are the PDF writer's device units (:data:`~reader.export.pdf_layout.RESOLUTION` dots per inch, origin
at the page's top-left corner, y down). :class:`Paginator` places :class:`Block` s (a row of the bilingual
table, a title, a glossary row…) on pages. A row that does not fit at the bottom of a page is cut
between lines to fill it and continues on the next page, every column cut at its own line boundary but at
the same height (the columns continue together), with two lines at least on each side of the cut;
headings, titles and column labels stay with two lines of what follows; footnotes take space at the bottom
of the page of their marker, recomputed for every candidate cut. A page may be given a higher bottom
(``Paginator.shrink``) so that it hands its last lines on to the next one, and pagination can be rewound
to a :class:`Mark`: the layout uses both to share the blank a heading leaves at a page bottom
(:meth:`reader.export.pdf_blocks.Layout._share_the_gap`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QPageSize

from reader.export.bundle import Note
from reader.export.pdf_layout import MM, PT, TextBox

MIN_LINES = 2  # lines of a column kept together on each side of a page break

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
    lang: str | None = None  # the language of its text ("fr" | "en"), marked in the PDF

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
    splittable: bool = False  # a row of text: may be cut between lines to fill a page

    @property
    def height(self) -> float:
        h = self.min_height
        for p in self.pieces:
            if p.box.lines:
                h = max(h, p.dy + p.box.height)
        return h


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
    bottom: float = 0.0  # where its text must end (the body's bottom, higher on a page that gives lines on)


@dataclass(frozen=True)
class Mark:
    """Where pagination stood (only the last page is ever added to): :meth:`Paginator.rewind` goes back."""

    pages: int
    frags: int
    notes: int
    y: float
    repeat: Block | None
    article: int | None


class Paginator:
    """Places blocks on pages of a given body box; footnotes fill the page bottom up."""

    def __init__(self, top: float, bottom: float, footnote_height: Callable[[Sequence[Note]], float]):
        self.top = top
        self.bottom = bottom
        self.fn_height = footnote_height
        self.pages: list[Page] = []
        self.repeat: Block | None = None  # placed at the top of every new page (column labels)
        self.article: int | None = None
        self.shrink: dict[int, float] = {}  # page index → text room given up to the next page

    def mark(self) -> Mark:
        last = self.pages[-1] if self.pages else None
        return Mark(len(self.pages), len(last.frags) if last else 0, len(last.notes) if last else 0,
                    last.y if last else 0.0, self.repeat, self.article)

    def rewind(self, mark: Mark) -> None:
        """Back to ``mark``: the pages and fragments placed since are dropped."""
        del self.pages[mark.pages:]
        if self.pages:
            last = self.pages[-1]
            del last.frags[mark.frags:]
            del last.notes[mark.notes:]
            last.y = mark.y
        self.repeat, self.article = mark.repeat, mark.article

    def new_page(self, article: int | None = None) -> Page:
        page = Page(self.article if article is None else article, y=self.top,
                    bottom=self.bottom - self.shrink.get(len(self.pages), 0.0))
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

    def follow_need(self, follow: Sequence[Block]) -> tuple[float, list[Note]]:
        """Room that must follow a block kept with what comes next: the blocks of the chain kept
        together (title → meta line → column labels → heading) and two lines of the first that is not,
        with the footnotes of their markers."""
        h, notes = 0.0, []
        for blk in follow:
            if blk.keep_with_next and blk is not follow[-1]:
                ranges = [(0, len(p.box.lines)) for p in blk.pieces]
                h += blk.gap + blk.height
            else:
                ranges = [(0, min(MIN_LINES, len(p.box.lines))) for p in blk.pieces]
                h += blk.gap + self._frag_height(blk, ranges, True)
            notes += self._notes_in(blk, ranges)
            if not blk.keep_with_next:
                break
        return h, notes

    def place(self, block: Block, follow: Sequence[Block] = ()) -> list[Frag]:
        """Put ``block`` on the current page, split at line boundaries to fill it when it is a row,
        or on the next page. ``follow`` (for a block kept with the next) is what must fit after it."""
        if block.page_break_before and not self._is_fresh(self.page):
            self.new_page()
        page = self.page
        full = [(0, len(p.box.lines)) for p in block.pieces]
        notes = self._notes_in(block, full)
        h = block.height
        after, after_notes = self.follow_need(follow) if block.keep_with_next and follow else (0.0, [])
        gap = 0.0 if self._is_fresh(page) else block.gap
        if page.y + gap + h + after + self.fn_height(page.notes + notes + after_notes) <= page.bottom + 0.5:
            return [self._put(page, block, full, h, True, True)]
        if block.splittable:
            return self._split(block)
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
        """Place a block over as many pages as needed, filling each: every piece is cut at one of its
        own line boundaries, all pieces at the same height (the columns continue together), at least
        two lines of a piece on each side of a cut, no hyphenated word across the page turn where it
        can be helped, and the footnotes of the markers above the cut on the same page."""
        pieces = block.pieces
        starts = [0] * len(pieces)
        frags: list[Frag] = []
        first = True
        while any(starts[k] < len(p.box.lines) for k, p in enumerate(pieces)):
            page = self.page
            fresh = self._is_fresh(page)
            gap = 0.0 if (fresh or not first) else block.gap
            avail = page.bottom - page.y - gap
            chosen = self._best_cut(block, starts, first, page, avail, strict=True)
            if chosen is None and fresh:
                chosen = self._best_cut(block, starts, first, page, avail, strict=False)
            if chosen is None:
                if not fresh:
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

    def _best_cut(self, block: Block, starts: list[int], first: bool, page: Page, avail: float,
                  strict: bool) -> tuple[list[tuple[int, int]], float] | None:
        """The fullest cut of ``block`` from ``starts`` that fits in ``avail`` with the page's footnotes
        (recomputed for each candidate cut). ``strict``: two lines at least on each side of the cut."""
        pieces = block.pieces
        tops = [0.0 if first or s >= len(p.box.lines) else p.line_top(s) for s, p in zip(starts, pieces, strict=True)]
        limits = sorted({p.line_bottom(e) - top
                         for s, p, top in zip(starts, pieces, tops, strict=True)
                         for e in range(s, len(p.box.lines))
                         if p.line_bottom(e) - top <= avail + 0.5}, reverse=True)
        tried = set()
        for limit in limits:
            ends = []
            for s, p, top in zip(starts, pieces, tops, strict=True):
                n = len(p.box.lines)
                e = s
                while e < n and p.line_bottom(e) - top <= limit + 0.5:
                    e += 1
                if strict and e < n:
                    if n - e < MIN_LINES:  # widow: leave two lines at least for the next page
                        e = max(s, n - MIN_LINES)
                    back = e
                    while back - s > MIN_LINES and back > e - 3 and p.box.ends_hyphenated(back - 1):
                        back -= 1  # no word hyphenated across the page turn (when a line or two helps)
                    if not p.box.ends_hyphenated(back - 1):
                        e = back
                    if e - s < MIN_LINES:  # orphan: two lines at least before the cut
                        e = s
                ends.append(e)
            key = tuple(ends)
            if key in tried or ends == starts:
                continue
            tried.add(key)
            if strict and first and any(e == s < len(p.box.lines) for s, e, p in zip(starts, ends, pieces, strict=True)):
                continue  # a row starts with every column on this page
            ranges = list(zip(starts, ends, strict=True))
            used = self._frag_height(block, ranges, first)
            if used + self.fn_height(page.notes + self._notes_in(block, ranges)) <= avail + 0.5:
                return ranges, used
        return None

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
