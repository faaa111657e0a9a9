"""Word alignment between a French sentence and its English translation (pure Python, no model).

The engine turns the model's alignment attention into a :class:`WordAlignment`; the view, the exports
and the glossary enforcement only read this structure. Offsets are ``str`` indices (code points) into
the exact sentence texts the reader shows: the French sentence as segmented, the English sentence as
displayed (after detokenisation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class WordAlignment:
    """Words of both sentences and the scored links between them.

    ``fr_words``/``en_words``: ``(start, end)`` character spans, in text order, never overlapping.
    ``links``: ``(fr_index, en_index, score)`` with ``0 < score <= 1``, at most one per pair.
    """

    fr_words: tuple[Span, ...]
    en_words: tuple[Span, ...]
    links: tuple[tuple[int, int, float], ...]
    _by_fr: dict[int, tuple[tuple[int, float], ...]] = field(init=False, repr=False, compare=False)
    _by_en: dict[int, tuple[tuple[int, float], ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_fr: dict[int, list[tuple[int, float]]] = {}
        by_en: dict[int, list[tuple[int, float]]] = {}
        for i, j, score in self.links:
            by_fr.setdefault(i, []).append((j, score))
            by_en.setdefault(j, []).append((i, score))
        object.__setattr__(self, "_by_fr", {k: tuple(sorted(v)) for k, v in by_fr.items()})
        object.__setattr__(self, "_by_en", {k: tuple(sorted(v)) for k, v in by_en.items()})

    def en_for_fr(self, fr_index: int) -> tuple[tuple[int, float], ...]:
        """The English words linked to French word ``fr_index``: ``(en_index, score)`` in text order."""
        return self._by_fr.get(fr_index, ())

    def fr_for_en(self, en_index: int) -> tuple[tuple[int, float], ...]:
        """The French words linked to English word ``en_index``: ``(fr_index, score)`` in text order."""
        return self._by_en.get(en_index, ())

    @staticmethod
    def word_at(words: tuple[Span, ...], offset: int) -> int | None:
        """Index of the word whose span contains character ``offset``, or None."""
        lo, hi = 0, len(words)
        while lo < hi:
            mid = (lo + hi) // 2
            start, end = words[mid]
            if offset < start:
                hi = mid
            elif offset >= end:
                lo = mid + 1
            else:
                return mid
        return None
