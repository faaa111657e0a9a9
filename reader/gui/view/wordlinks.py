"""Word alignment in the parallel view: which word is hovered or pinned, and which words it lights.

The view does not compute alignments; it asks an *alignment provider* for the
:class:`~reader.core.wordalign.WordAlignment` of one sentence pair, the first time that pair is
hovered, and keeps the answer until the text changes::

    provider(paragraph, sentence, french, english) -> WordAlignment | None

``french`` is the French sentence as segmented, ``english`` the English sentence as shown (a hand edit
if there is one); the alignment's spans are ``str`` offsets into exactly these two strings. ``None``
means "no alignment" (the sentence hover works as before). An alignment whose spans do not fit the
texts (stale data) counts as none. The provider runs on the GUI thread: a dict look-up or one indexed
query, never a model call.

This module holds that state without any widget code; the view maps sentence-local spans to its
paragraph-local cell offsets through the ``texts`` callback it gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from reader.core.wordalign import Span, WordAlignment

AlignmentProvider = Callable[[int, int, str, str], "WordAlignment | None"]
WordKey = tuple[str, int, int, int]  # (side, paragraph, sentence, word index)
# (French cell start, French sentence, English cell start, English sentence) of a pair, or None
SentenceTexts = Callable[[int, int], "tuple[int, str, int, str] | None"]


class WordMark(NamedTuple):
    """A word decorated by the word-alignment hover, in the view's paragraph-local cell offsets."""

    side: str  # "fr" | "en"
    paragraph: int
    sentence: int
    span: Span  # (start, end) into cell_text(side, paragraph), inside the sentence
    weight: float  # the link's score (0 < weight <= 1); 1 for the hovered word itself
    source: bool = False  # the hovered (or pinned) word itself


def _fits(words: tuple[Span, ...], length: int) -> bool:
    return all(0 <= a < b <= length for a, b in words)


class WordLinks:
    """Provider, per-sentence alignment cache, hovered and pinned word, and the marks they give."""

    def __init__(self, texts: SentenceTexts) -> None:
        self._texts = texts
        self.enabled = True
        self._provider: AlignmentProvider | None = None
        self._cache: dict[tuple[int, int], WordAlignment | None] = {}
        self.hover: WordKey | None = None
        self.pin: WordKey | None = None
        self._marks_key: WordKey | None = None
        self._marks: list[WordMark] = []
        self._by_cell: dict[tuple[str, int], list[WordMark]] = {}

    # --- data -----------------------------------------------------------------------------------------
    def set_provider(self, provider: AlignmentProvider | None) -> None:
        self._provider = provider
        self.forget()

    def forget(self, p: int | None = None, s: int | None = None) -> None:
        """Drop cached alignments (all, or one pair's): the texts or the stored alignments changed."""
        if p is None:
            self._cache.clear()
            self.hover = self.pin = None
        else:
            self._cache.pop((p, s), None)
            if self.hover is not None and self.hover[1:3] == (p, s):
                self.hover = None
            if self.pin is not None and self.pin[1:3] == (p, s):
                self.pin = None
        self._marks_key, self._marks, self._by_cell = None, [], {}

    def alignment(self, p: int, s: int) -> WordAlignment | None:
        """The alignment of pair (p, s) as the provider gives it (cached), or None."""
        key = (p, s)
        if key in self._cache:
            return self._cache[key]
        al = None
        texts = self._texts(p, s)
        if self._provider is not None and texts is not None:
            _, fr, _, en = texts
            al = self._provider(p, s, fr, en)
            if al is not None and not (_fits(al.fr_words, len(fr)) and _fits(al.en_words, len(en))):
                al = None
        self._cache[key] = al
        return al

    # --- hover and pin ------------------------------------------------------------------------------
    def word_at(self, side: str, p: int, s: int, offset: int) -> WordKey | None:
        """The linked word at cell *offset* of sentence (p, s) on *side*, or None."""
        if not self.enabled:
            return None
        al = self.alignment(p, s)
        if al is None:
            return None
        fr_start, _, en_start, _ = self._texts(p, s)
        words, start = (al.fr_words, fr_start) if side == "fr" else (al.en_words, en_start)
        i = WordAlignment.word_at(words, offset - start)
        if i is None or not (al.en_for_fr(i) if side == "fr" else al.fr_for_en(i)):
            return None  # a word linked to nothing lights nothing
        return side, p, s, i

    def active(self) -> WordKey | None:
        """The word whose links are shown: the pinned one, else the hovered one."""
        if not self.enabled:
            return None
        return self.pin if self.pin is not None else self.hover

    def marks(self) -> list[WordMark]:
        """The decorated words: the active word (``source``) and the words linked to it."""
        key = self.active()
        if key != self._marks_key:
            self._marks_key = key
            self._marks = self._compute(key) if key is not None else []
            self._by_cell = {}
            for m in self._marks:
                self._by_cell.setdefault((m.side, m.paragraph), []).append(m)
        return self._marks

    def marks_at(self, side: str, p: int) -> list[WordMark]:
        """The decorated words of one cell."""
        self.marks()
        return self._by_cell.get((side, p), [])

    def _compute(self, key: WordKey) -> list[WordMark]:
        side, p, s, i = key
        al = self.alignment(p, s)
        texts = self._texts(p, s)
        if al is None or texts is None:
            return []
        fr_start, _, en_start, _ = texts
        if side == "fr":
            own, own_start, other, other_start, other_side = al.fr_words, fr_start, al.en_words, en_start, "en"
            links = al.en_for_fr(i)
        else:
            own, own_start, other, other_start, other_side = al.en_words, en_start, al.fr_words, fr_start, "fr"
            links = al.fr_for_en(i)
        if not 0 <= i < len(own):
            return []
        a, b = own[i]
        out = [WordMark(side, p, s, (own_start + a, own_start + b), 1.0, True)]
        for j, score in links:
            if 0 <= j < len(other):
                a, b = other[j]
                out.append(WordMark(other_side, p, s, (other_start + a, other_start + b), float(score)))
        return out
