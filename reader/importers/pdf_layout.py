"""Reading order and paragraphs from the positioned text lines of PDF pages (no PDF library in here).

The PDF importer (:mod:`reader.importers.pdf`) turns each page into :class:`Line` objects (box in PDF
points, y growing upward; dominant font size; share of bold characters; text with its superscript
ranges). This module then:

1. drops the page furniture (:func:`drop_furniture`): running headers and footers — the same text, digits
   aside, at the same height in the top or bottom band of most pages — and page numbers;
2. finds the reading order of a page (:func:`reading_order`): a vertical gutter that no narrow line
   crosses makes a two-column page; lines that cross it (title, abstract, wide captions) cut the page into
   bands, and each band is read left column first, then right column;
3. groups lines into blocks (:func:`build_blocks`) from line spacing, first-line indents, list markers,
   font size and weight; a paragraph continues across a column or page break when its last line does not
   end a sentence; footnotes (small type at the foot of a column, starting with a marker) go to the end;
4. joins the lines of a block (:func:`join_lines`), undoing end-of-line hyphenation only where the joined
   word is a word (:func:`drop_hyphen`): « gouver-/nement » → « gouvernement », « porte-/parole » stays.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Line:
    """One line of text on a page, as the PDF places it."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # dominant font size (points)
    bold: float  # share of bold characters, 0..1
    text: str  # whitespace collapsed, stripped
    sup: list[tuple[int, int]] = field(default_factory=list)  # superscript ranges of ``text``

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Block:
    """Lines that make one paragraph: ``kind`` is "heading", "body" or "note" (a footnote)."""

    kind: str
    lines: list[Line]


# --- 1. page furniture -----------------------------------------------------------------------------

_MARGIN = 0.12  # top and bottom bands of the page where running headers, footers and folios live
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+|p\.\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?(?:\s*(?:/|sur|of|de)\s*\d{1,4})?$",
    re.IGNORECASE,
)


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))


def drop_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """The pages without running headers/footers (same text modulo numbers, same height, on at least
    two pages and 40 % of them) and without page numbers in the top or bottom band."""

    def in_margin(line: Line) -> bool:
        h = heights[line.page]
        return line.y0 > h * (1 - _MARGIN) or line.y1 < h * _MARGIN

    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for lines in pages:
        for line in lines:
            if in_margin(line):
                seen[_furniture_key(line)].append((line.page, line.y0))
    need = max(2, 0.4 * len(pages))

    def repeated(line: Line) -> bool:
        places = seen.get(_furniture_key(line), ())
        return len({p for p, y in places if abs(y - line.y0) <= 4}) >= need

    return [
        [ln for ln in lines if not (in_margin(ln) and (_PAGE_NUMBER.match(ln.text) or repeated(ln)))]
        for lines in pages
    ]


# --- 2. reading order ------------------------------------------------------------------------------


def _top_down(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (-ln.y0, ln.x0))


def find_gutter(lines: list[Line]) -> float | None:
    """The x of the gap between two columns, or None for a one-column page.

    Only "narrow" lines (under 60 % of the text width) count: at least four on each side and a fifth
    of them on each side, with few of them crossing the gap (a centred title block, an author line);
    a line that only pokes past the gap by a character or two (a formula's fragment) does not cross."""
    if len(lines) < 8:
        return None
    left_edge, right_edge = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    width = right_edge - left_edge
    narrow = [ln for ln in lines if ln.width < 0.6 * width]
    if width < 100 or len(narrow) < 8:
        return None
    tolerance = max(2, len(narrow) // 10)
    best: tuple[int, int, float] | None = None
    x = left_edge + 0.3 * width
    while x <= left_edge + 0.7 * width:
        sides = [ln for ln in narrow if ln.x1 <= x or ln.x0 >= x]
        if len(sides) >= 8:
            top, bottom = max(ln.y1 for ln in sides), min(ln.y0 for ln in sides)
            # lines above or below the columns (a title block, a signature) do not count
            crossing = sum(1 for ln in narrow if _crosses(ln, x) and bottom < (ln.y0 + ln.y1) / 2 < top)
            if crossing <= tolerance:
                left = sum(1 for ln in sides if ln.x1 <= x)
                score = (min(left, len(sides) - left), -crossing, x)
                if best is None or score[:2] > best[:2]:
                    best = score
        x += 2.0
    if best is None or best[0] < 4 or best[0] < 0.2 * len(narrow):
        return None
    x = best[2]
    left_end = max((ln.x1 for ln in narrow if ln.x1 <= x), default=x)
    right_start = min((ln.x0 for ln in narrow if ln.x0 >= x), default=x)
    return (left_end + right_start) / 2


def _crosses(line: Line, x: float) -> bool:
    """Does the line reach well into both sides of x (1.5 em or more each)?"""
    return line.x0 < x - 1.5 * line.size and line.x1 > x + 1.5 * line.size


def reading_order(lines: list[Line]) -> list[list[Line]]:
    """The page's lines as column segments in reading order (each segment read top to bottom)."""
    if not lines:
        return []
    gutter = find_gutter(lines)
    if gutter is None:
        return [_top_down(lines)]
    spanning = [ln for ln in lines if _crosses(ln, gutter)]
    span_ids = {id(ln) for ln in spanning}
    remaining = [ln for ln in lines if id(ln) not in span_ids]
    segments: list[list[Line]] = []
    run: list[Line] = []
    for wide in _top_down(spanning):
        middle = (wide.y0 + wide.y1) / 2
        above = [ln for ln in remaining if (ln.y0 + ln.y1) / 2 > middle]
        if above:
            if run:
                segments.append(run)
                run = []
            segments.extend(_columns(above, gutter))
            ids = {id(ln) for ln in above}
            remaining = [ln for ln in remaining if id(ln) not in ids]
        run.append(wide)
    if run:
        segments.append(run)
    segments.extend(_columns(remaining, gutter))
    return segments


def _columns(lines: list[Line], gutter: float) -> list[list[Line]]:
    left = [ln for ln in lines if ln.x0 + ln.x1 < 2 * gutter]  # by the side most of the line is on
    right = [ln for ln in lines if ln.x0 + ln.x1 >= 2 * gutter]
    return [_top_down(col) for col in (left, right) if col]


def merge_rows(segment: list[Line]) -> list[Line]:
    """Join the pieces of one printed line (a wide justified space can split it) into one Line."""
    rows: list[list[Line]] = []
    for line in _top_down(segment):
        if rows and abs(rows[-1][0].y0 - line.y0) < 0.35 * max(line.size, rows[-1][0].size):
            rows[-1].append(line)
        else:
            rows.append([line])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        merged = [row[0]]
        for piece in row[1:]:
            last = merged[-1]
            if -1 <= piece.x0 - last.x1 < 1.5 * max(piece.size, last.size):
                merged[-1] = _merge(last, piece)
            else:
                merged.append(piece)
        out.extend(merged)
    return out


def _merge(a: Line, b: Line) -> Line:
    gap = "" if a.text.endswith(" ") or not a.text else " "
    offset = len(a.text) + len(gap)
    na, nb = max(len(a.text), 1), max(len(b.text), 1)
    return Line(
        a.page, min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), max(a.y1, b.y1),
        a.size if na >= nb else b.size, (a.bold * na + b.bold * nb) / (na + nb),
        a.text + gap + b.text, a.sup + [(s + offset, e + offset) for s, e in b.sup],
    )


# --- 3. blocks ---------------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[•▪◦●■□►‣∙·*]|[-–—](?=\s))")
# « [12] », « 3. », « b) »: an item only after a line that ends a sentence (else a reference in the text)
_NUMBERED = re.compile(r"^(?:\[\d{1,3}\]|\(?\d{1,2}[.)]|\(?[a-z][.)])(?=\s)")
_SENTENCE_END = re.compile(r"[.!?:;…»]$")
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§])")


def body_size(lines: list[Line]) -> float:
    """The font size most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def line_style(line: Line, body: float) -> str:
    if line.size >= 1.15 * body or (line.bold >= 0.85 and len(line.text) <= 100):
        return "heading"
    if line.size < 0.88 * body:
        return "small"
    return "body"


def _ends_sentence(line: Line) -> bool:
    text = line.text
    for start, end in reversed(line.sup):  # a footnote call after the full stop does not count
        if end == len(text):
            text = text[:start]
    return bool(_SENTENCE_END.search(text.rstrip()))


def _split_footnotes(segment: list[Line], body: float) -> tuple[list[Line], list[Line]]:
    k = len(segment)
    while k > 0 and line_style(segment[k - 1], body) == "small":
        k -= 1
    if k == 0 or k == len(segment):
        return segment, []
    notes = segment[k:]
    if not _FOOTNOTE_MARK.match(notes[0].text):
        return segment, []
    return segment[:k], notes


def _note_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if not blocks or (_FOOTNOTE_MARK.match(line.text) and line.x0 <= blocks[-1].lines[0].x0 + 1):
            blocks.append(Block("note", [line]))
        else:
            blocks[-1].lines.append(line)
    return blocks


def _margins(segment: list[Line]) -> tuple[float, float]:
    """The column's left edge (the leftmost x where lines often start) and right edge."""
    lefts = Counter(round(ln.x0) for ln in segment)
    rights = Counter(round(ln.x1) for ln in segment)
    often = max(2, 0.15 * len(segment))
    left = min((x for x, n in lefts.items() if n >= often), default=lefts.most_common(1)[0][0])
    right = max((x for x, n in rights.items() if n >= often), default=rights.most_common(1)[0][0])
    return float(left), float(right)


def build_blocks(segments: list[list[Line]], body: float) -> list[Block]:
    """Group the lines of the column segments (in reading order) into blocks; footnotes last."""
    blocks: list[Block] = []
    notes: list[Block] = []
    for raw in segments:
        segment, foot = _split_footnotes(merge_rows(raw), body)
        notes.extend(_note_blocks(foot))
        if not segment:
            continue
        left, right = _margins(segment)
        for i, line in enumerate(segment):
            style = line_style(line, body)
            if i == 0:
                new = not _continues(blocks, line, style, left, body)
            else:
                new = _breaks(blocks[-1], line, style, left, right, body)
            if new:
                blocks.append(Block("heading" if style == "heading" else "body", [line]))
            else:
                blocks[-1].lines.append(line)
    return blocks + notes


def _continues(blocks: list[Block], line: Line, style: str, left: float, body: float) -> bool:
    """Does the first line of a column segment carry on the paragraph the previous segment ended?"""
    if not blocks or blocks[-1].kind != "body" or style != "body":
        return False
    prev = blocks[-1].lines[-1]
    if line_style(prev, body) != "body" or _ends_sentence(prev) or _BULLET.match(line.text):
        return False
    return line.x0 <= left + 0.5 * line.size


def _breaks(block: Block, line: Line, style: str, left: float, right: float, body: float) -> bool:
    prev = block.lines[-1]
    size = max(prev.size, line.size)
    if style != line_style(prev, body) or abs(prev.size - line.size) > 0.12 * body:
        return True
    pitch = prev.y0 - line.y0
    if pitch <= 0 or pitch > 1.5 * size:
        return True
    if style == "heading":
        return False
    if _BULLET.match(line.text):
        return True
    if _NUMBERED.match(line.text) and _ends_sentence(prev):
        return True
    short = prev.x1 < right - 2.5 * size
    first = block.lines[0]
    if _BULLET.match(first.text) or _NUMBERED.match(first.text):  # a list item
        hanging = line.x0 > first.x0 + 0.3 * size
        return not hanging and short and _ends_sentence(prev)
    indented = line.x0 > left + 0.5 * size
    if indented and line.x0 > prev.x0 + 0.5 * size:
        return True  # first-line indent (or a centred line)
    return short and (indented or _ends_sentence(prev))  # a paragraph's short last line


# --- 4. joining lines --------------------------------------------------------------------------------

_WORD_END = re.compile(r"(\w+)[-\u2010]$")
_WORD_START = re.compile(r"[^\W\d_]+|\d+")
_URL_END = re.compile(r"(?:https?://|www\.)\S*/$")


def drop_hyphen(left: str, right: str, known: Callable[[str], bool], seen: set[str] | None = None) -> bool:
    """Is « left-␤right » a word broken at the line end (drop the hyphen) rather than a compound?

    ``seen``: the lower-cased words (hyphenated compounds included) found elsewhere in the document,
    which win over the lexicon. Then: the joined word is a known word → drop; both halves are words on
    their own (« porte-parole », « vis-à-vis ») → keep; otherwise (« exponen-tiellement ») → drop."""
    if left.isdigit() or right.isdigit():
        return False  # « 2005-850 »
    joined, compound = (left + right).lower(), f"{left}-{right}".lower()
    if seen:
        if compound in seen:
            return False
        if joined in seen:
            return True  # « Code-/Carbon » when « CodeCarbon » is written elsewhere
    if not right[:1].islower():
        return False  # « Jean-Pierre », « Annecy-le-Vieux »
    if known(joined):
        return True
    return not (known(left.lower()) and known(right.lower()))


def join_lines(lines: list[Line], known: Callable[[str], bool], seen: set[str] | None = None
               ) -> tuple[str, list[tuple[int, int]]]:
    """The text of a block's lines joined into one paragraph, with its superscript ranges."""
    text = ""
    sup: list[tuple[int, int]] = []
    for line in lines:
        part = line.text
        if not part:
            continue
        glue = " "
        if not text:
            glue = ""
        elif text.endswith("\u00ad"):
            text, glue = text[:-1], ""
        elif _URL_END.search(text):
            glue = ""
        else:
            m = _WORD_END.search(text)
            start = _WORD_START.match(part)
            if m and start and not text.endswith(" -"):
                glue = ""
                if drop_hyphen(m.group(1), start.group(0), known, seen):
                    text = text[:-1]
                    sup = [(s, min(e, len(text))) for s, e in sup if s < len(text)]
        offset = len(text) + len(glue)
        text += glue + part
        sup.extend((s + offset, e + offset) for s, e in line.sup)
    if text.endswith("\u00ad"):
        text = text[:-1]
        sup = [(s, min(e, len(text))) for s, e in sup if s < len(text)]
    return text, sup


def document_words(lines: list[Line]) -> set[str]:
    """Lower-cased words and hyphenated compounds written out on one line somewhere in the document."""
    words: set[str] = set()
    for line in lines:
        words.update(re.findall(r"\w+(?:-\w+)*", line.text.lower()))
    return words
