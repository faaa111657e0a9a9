"""Plain text pieces of the parallel view: cell texts, offset maps and decorations (no widget code).

A *cell* is what one side shows for one paragraph. Its **cell text** is the ground truth for offsets
(the same string as ``reader.core.sides``: the French paragraph verbatim, or the English translations of
its sentences joined by one space, a missing one contributing nothing). What is *drawn* may differ: a
speaker label (« Question : ») is drawn before it, and each untranslated sentence is drawn as « … ».
An :class:`OffsetMap` translates between the two.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from PySide6.QtGui import QColor

from reader.core.sides import SENTENCE_SEPARATOR, join_english, line_breaks_before  # noqa: F401 (re-exported)

PLACEHOLDER = "…"
Range = tuple[int, int]

#: Qt's line break inside a paragraph (QTextLayout does not break at "\n"): a paragraph's own line
#: breaks (an embedded tweet, a verse) are drawn with it, one character for one, so offsets still match.
LINE_SEPARATOR = "\u2028"


def drawn_breaks(text: str) -> str:
    """*text* with its line breaks as Qt draws them (same length)."""
    return text.replace("\r\n", " " + LINE_SEPARATOR).replace("\n", LINE_SEPARATOR).replace("\r", LINE_SEPARATOR)


@dataclass(frozen=True)
class Decoration:
    """A mark over ``cell_text(side, paragraph)[start:end]``.

    ``style``: ``"highlight"`` (a coloured fill under the text), ``"tint"`` (the counterpart of a
    highlight: a bar in its colour in the margin beside those lines, never a fill that would read as a
    highlight) or ``"underline"`` (a subtle line under the text, e.g. glossary terms).
    ``link``: marks of one row sharing a link key hover-link — hovering one lights them all (a French
    glossary term and its rendering enforced in the English); None: no link.
    """

    side: str  # "fr" | "en"
    paragraph: int
    start: int
    end: int
    color: QColor
    style: str = "highlight"
    tooltip: str | None = None
    link: object = None


class OffsetMap:
    """Maps cell-text offsets ↔ positions in a drawn string, as runs of identical text.

    ``runs`` are ``(cell_start, drawn_start, length)`` in increasing order; drawn text outside every run
    (labels, placeholders, extra separators) has no cell offset.
    """

    __slots__ = ("runs", "_drawn_starts")

    def __init__(self, runs: list[tuple[int, int, int]]) -> None:
        self.runs = runs
        self._drawn_starts = [r[1] for r in runs]

    def to_drawn_ranges(self, start: int, end: int) -> list[Range]:
        """The drawn ranges showing cell text ``[start, end)``."""
        out: list[Range] = []
        for cs, ds, n in self.runs:
            a, b = max(start, cs), min(end, cs + n)
            if a < b:
                out.append((ds + a - cs, ds + b - cs))
        return out

    def to_cell(self, pos: int) -> int:
        """The cell offset at drawn position *pos* (snapped to the nearest run boundary outside runs)."""
        if not self.runs:
            return 0
        i = bisect_right(self._drawn_starts, pos) - 1
        if i < 0:
            return self.runs[0][0]
        cs, ds, n = self.runs[i]
        return cs + min(pos - ds, n)


@dataclass
class EnglishCell:
    """The English side of one paragraph: cell text and each sentence's cell range."""

    text: str
    ranges: list[Range]


def english_cell(translations: list[str | None]) -> EnglishCell:
    """The English cell of one paragraph (``reader.core.sides.join_english``)."""
    return EnglishCell(*join_english(translations))


@dataclass
class Drawn:
    """A string to lay out, with its offset map, per-sentence drawn ranges and muted ranges."""

    text: str
    omap: OffsetMap
    sentences: list[tuple[int, int, int]]  # (sentence index, drawn start, drawn end)
    label: int = 0  # length of the bold speaker label at the start (0 = none)
    placeholders: list[Range] | None = None


def drawn_french(text: str, sentences: list[Range], label: str = "") -> Drawn:
    """The whole French cell (side-by-side mode)."""
    k = len(label)
    return Drawn(
        label + drawn_breaks(text),
        OffsetMap([(0, k, len(text))] if text else []),
        [(i, a + k, b + k) for i, (a, b) in enumerate(sentences)],
        label=k,
    )


def drawn_french_sentence(text: str, s: int, rng: Range, label: str = "") -> Drawn:
    """One French sentence (interlinear mode)."""
    a, b = rng
    k = len(label)
    return Drawn(label + drawn_breaks(text[a:b]), OffsetMap([(a, k, b - a)]), [(s, k, k + b - a)], label=k)


def drawn_english(translations: list[str | None], label: str = "", breaks: set[int] | frozenset = frozenset()) -> Drawn:
    """The whole English cell with « … » for every untranslated sentence (side-by-side mode); the
    sentences in *breaks* start a new line, as their French does (:func:`line_breaks_before`)."""
    parts = [label]
    dpos = len(label)
    cpos = 0
    has_prev = False
    runs: list[tuple[int, int, int]] = []
    sents: list[tuple[int, int, int]] = []
    holders: list[Range] = []
    for s, t in enumerate(translations):
        if s > 0:
            if t and has_prev:
                runs.append((cpos, dpos, len(SENTENCE_SEPARATOR)))
                cpos += len(SENTENCE_SEPARATOR)
            parts.append(LINE_SEPARATOR if s in breaks else SENTENCE_SEPARATOR)
            dpos += len(SENTENCE_SEPARATOR)
        if t:
            runs.append((cpos, dpos, len(t)))
            sents.append((s, dpos, dpos + len(t)))
            parts.append(t)
            dpos += len(t)
            cpos += len(t)
            has_prev = True
        else:
            sents.append((s, dpos, dpos + len(PLACEHOLDER)))
            holders.append((dpos, dpos + len(PLACEHOLDER)))
            parts.append(PLACEHOLDER)
            dpos += len(PLACEHOLDER)
    return Drawn("".join(parts), OffsetMap(runs), sents, label=len(label), placeholders=holders)


def drawn_english_sentence(text: str | None, s: int, rng: Range, label: str = "") -> Drawn:
    """One English sentence (interlinear mode); *rng* is its range in the English cell text."""
    k = len(label)
    if text:
        return Drawn(label + drawn_breaks(text), OffsetMap([(rng[0], k, len(text))]), [(s, k, k + len(text))], label=k)
    return Drawn(
        label + PLACEHOLDER,
        OffsetMap([]),
        [(s, k, k + len(PLACEHOLDER))],
        label=k,
        placeholders=[(k, k + len(PLACEHOLDER))],
    )


def speaker_labels(speaker: str | None) -> tuple[str, str]:
    """The drawn speaker labels (French, English): « Question : » / « Question: » (not translated)."""
    if not speaker:
        return "", ""
    return f"{speaker}\u00a0: ", f"{speaker}: "
