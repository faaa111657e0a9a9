"""The text of each side of an article, as one string with exact offsets.

A *side* is what the reader sees in one column: the French paragraphs, or their English translation.
Annotations anchor into ``SideText.text`` (W3C TextPositionSelector / TextQuoteSelector), so this module
is the single definition of that string:

- paragraphs are joined by ``"\\n\\n"`` (``PARAGRAPH_SEPARATOR``);
- the French text of paragraph *p* is ``article.paragraphs[p].text`` verbatim, its sentences are the
  segmenter's ranges;
- the English text of paragraph *p* is its sentences' translations, used verbatim, joined by a single
  space. A missing translation (``None``, or ``""``) contributes an empty string **and no separator**:
  the sentence gets an empty range at the place it would be, so ``(p, s)`` indexes stay the same on both
  sides, and the text does not grow stray double spaces while a job is still translating.

All offsets are Python ``str`` indexes (Unicode code points), as W3C selectors require.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from reader.core.model import Article

PARAGRAPH_SEPARATOR = "\n\n"
SENTENCE_SEPARATOR = " "

Range = tuple[int, int]


@dataclass(frozen=True)
class SideText:
    """One side of an article: its whole text and where each paragraph and sentence lies in it.

    Build it with :func:`french_side` or :func:`english_side` (or :meth:`from_parts` for tests).
    ``sentences[p][s]`` are *local* ranges (offsets into ``paragraph_text(p)``).
    """

    side: str  # "fr" | "en"
    paragraphs: tuple[str, ...]
    sentences: tuple[tuple[Range, ...], ...]

    def __post_init__(self) -> None:
        if len(self.paragraphs) != len(self.sentences):
            raise ValueError("one list of sentence ranges is needed per paragraph")
        starts = []
        pos = 0
        for i, para in enumerate(self.paragraphs):
            starts.append(pos)
            for start, end in self.sentences[i]:
                if not 0 <= start <= end <= len(para):
                    raise ValueError(f"sentence range {start}..{end} outside paragraph {i}")
            pos += len(para) + len(PARAGRAPH_SEPARATOR)
        object.__setattr__(self, "_starts", tuple(starts))
        object.__setattr__(self, "text", PARAGRAPH_SEPARATOR.join(self.paragraphs))
        # Flattened, non-empty sentences in reading order (global ranges) for bisecting.
        flat = [
            (starts[p] + a, starts[p] + b, p, s)
            for p, ranges in enumerate(self.sentences)
            for s, (a, b) in enumerate(ranges)
            if b > a
        ]
        object.__setattr__(self, "_flat", tuple(flat))
        object.__setattr__(self, "_flat_starts", tuple(f[0] for f in flat))
        object.__setattr__(self, "_flat_ends", tuple(f[1] for f in flat))

    text: str = field(default="", init=False, compare=False)  # set by __post_init__

    # -- construction ------------------------------------------------------------------------------

    @classmethod
    def from_parts(
        cls, side: str, paragraphs: Sequence[str], sentences: Sequence[Sequence[Range]]
    ) -> SideText:
        return cls(side, tuple(paragraphs), tuple(tuple(tuple(r) for r in rs) for rs in sentences))

    # -- size and pieces ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.text)

    @property
    def paragraph_count(self) -> int:
        return len(self.paragraphs)

    def paragraph_text(self, p: int) -> str:
        return self.paragraphs[p]

    def sentence_text(self, p: int, s: int) -> str:
        a, b = self.sentences[p][s]
        return self.paragraphs[p][a:b]

    # -- ranges in the whole-side text -------------------------------------------------------------

    def paragraph_range(self, p: int) -> Range:
        """``(start, end)`` of paragraph *p* in :attr:`text`."""
        start = self._starts[p]  # type: ignore[attr-defined]
        return start, start + len(self.paragraphs[p])

    def sentence_range(self, p: int, s: int) -> Range:
        """``(start, end)`` of sentence *s* of paragraph *p* in :attr:`text` (empty if untranslated)."""
        a, b = self.sentences[p][s]
        start = self._starts[p]  # type: ignore[attr-defined]
        return start + a, start + b

    # -- offset conversions ------------------------------------------------------------------------

    def to_local(self, offset: int) -> tuple[int, int]:
        """Whole-side offset → ``(paragraph, offset in that paragraph)``.

        An offset inside a paragraph separator maps to the end of the paragraph before it (a selection
        that runs over the blank line ends there). ``len(text)`` maps to the end of the last paragraph.
        """
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside the text (0..{len(self.text)})")
        if not self.paragraphs:
            raise ValueError("this side has no paragraphs")
        p = bisect_right(self._starts, offset) - 1  # type: ignore[attr-defined]
        local = offset - self._starts[p]  # type: ignore[attr-defined]
        return p, min(local, len(self.paragraphs[p]))

    def to_global(self, p: int, local: int) -> int:
        """``(paragraph, offset in that paragraph)`` → whole-side offset."""
        if not 0 <= p < len(self.paragraphs):
            raise ValueError(f"no paragraph {p}")
        if not 0 <= local <= len(self.paragraphs[p]):
            raise ValueError(f"offset {local} outside paragraph {p} (0..{len(self.paragraphs[p])})")
        return self._starts[p] + local  # type: ignore[attr-defined]

    def split_range(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """A whole-side range cut per paragraph: ``[(p, local_start, local_end), ...]``, non-empty parts
        only (what a per-paragraph view paints)."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range {start}..{end} outside the text (0..{len(self.text)})")
        out = []
        for p in range(len(self.paragraphs)):
            pa, pb = self.paragraph_range(p)
            a, b = max(start, pa), min(end, pb)
            if a < b:
                out.append((p, a - pa, b - pa))
            if pa >= end:
                break
        return out

    # -- sentence look-ups -------------------------------------------------------------------------

    def locate(self, offset: int) -> tuple[int, int] | None:
        """The ``(paragraph, sentence)`` whose range contains *offset* (half-open), or ``None`` when
        the offset falls between sentences, in a separator, or outside the text."""
        i = bisect_right(self._flat_starts, offset) - 1  # type: ignore[attr-defined]
        if i >= 0:
            a, b, p, s = self._flat[i]  # type: ignore[attr-defined]
            if a <= offset < b:
                return p, s
        return None

    def sentences_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """Every ``(paragraph, sentence)`` sharing at least one character with ``[start, end)``, in
        reading order. An empty range (a caret) gives the sentence containing it, if any. Untranslated
        (empty) sentences never overlap anything."""
        if end < start:
            start, end = end, start
        if start == end:
            hit = self.locate(start)
            return [hit] if hit else []
        # first sentence whose end is after start, up to the last whose start is before end
        lo = bisect_right(self._flat_ends, start)  # type: ignore[attr-defined]
        hi = bisect_left(self._flat_starts, end)  # type: ignore[attr-defined]
        return [(f[2], f[3]) for f in self._flat[lo:hi]]  # type: ignore[attr-defined]


def french_side(article: Article) -> SideText:
    """The French side: paragraph texts verbatim, sentences as segmented."""
    return SideText.from_parts(
        "fr",
        [p.text for p in article.paragraphs],
        [[(s.start, s.end) for s in p.sentences] for p in article.paragraphs],
    )


def line_breaks_before(text: str, sentences: Sequence[Range]) -> set[int]:
    """The sentences of a paragraph that start a new line of it (a line break since the previous one:
    an embedded tweet, a verse), so the English can break where the French does."""
    return {s for s in range(1, len(sentences)) if "\n" in text[sentences[s - 1][1]:sentences[s][0]]}


def join_english(translations: Sequence[str | None], breaks: Collection[int] = ()) -> tuple[str, list[Range]]:
    """The English text of one paragraph and each sentence's range in it: the translations joined by
    ``SENTENCE_SEPARATOR``; a missing translation adds no text and no separator (an empty range at its
    place, so ``(p, s)`` indexes match the French side). The one rule the view and exports share.
    The exports pass ``breaks`` (:func:`line_breaks_before` of the French): the separator before those
    sentences is a line break instead (same length: the offsets are the same)."""
    pieces: list[str] = []
    ranges: list[Range] = []
    pos = 0
    for t in translations:
        if not t:
            ranges.append((pos, pos))
            continue
        if pieces:
            pieces.append("\n" if len(ranges) in breaks else SENTENCE_SEPARATOR)
            pos += len(SENTENCE_SEPARATOR)
        pieces.append(t)
        ranges.append((pos, pos + len(t)))
        pos += len(t)
    return "".join(pieces), ranges


def english_side(article: Article, translations: Sequence[Sequence[str | None]]) -> SideText:
    """The English side from ``translations[p][s]`` (the shown text: a hand edit if there is one,
    else the machine output, else ``None``). Sentences are joined by one space; a missing translation
    contributes nothing (no text, no separator) and gets an empty range."""
    if len(translations) != len(article.paragraphs):
        raise ValueError(
            f"translations cover {len(translations)} paragraphs, the article has {len(article.paragraphs)}"
        )
    paragraphs: list[str] = []
    sentences: list[list[Range]] = []
    for p, (para, trans) in enumerate(zip(article.paragraphs, translations, strict=True)):
        if len(trans) != len(para.sentences):
            raise ValueError(
                f"paragraph {p}: {len(trans)} translations for {len(para.sentences)} sentences"
            )
        text, ranges = join_english(trans)
        paragraphs.append(text)
        sentences.append(ranges)
    return SideText.from_parts("en", paragraphs, sentences)
