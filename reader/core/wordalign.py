"""Word alignment between a French sentence and its English translation (pure Python, no model).

The engine turns the model's alignment attention into a :class:`WordAlignment`; the view, the exports
and the glossary enforcement only read this structure. Offsets are ``str`` indices (code points) into
the exact sentence texts the reader shows: the French sentence as segmented, the English sentence as
displayed (after detokenisation).
"""

from __future__ import annotations

import bisect
import re
import struct
from collections.abc import Sequence
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


# -- from the model's attention to words and links ---------------------------------------------------------

#: Version of the method below (word rules, scores, links). Stored with every alignment; an alignment
#: computed by another version is recomputed.
METHOD_VERSION = 1

#: A French word is linked to an English word when it holds at least this share of the English word's
#: attention (besides the English word's best French word, always linked).
LINK_THRESHOLD = 0.3

_APOSTROPHES = "'’ʼ"
#: French clitics written with an elided vowel: « l’Assemblée » is two words, « l’ » and « Assemblée ».
#: (« aujourd’hui », « presqu’île », « O’Brien » are single words.)
_ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
# A word: letters/digits (« 80e », « XXIe »), joined by hyphens (« peut-être », « a-t-il »), apostrophes
# (« aujourd’hui », split below when elided) or a decimal mark between digits (« 2,5 », « 1.000 »); or a
# symbol that is translated (« % », « € »). Punctuation and quotes (« » “ ” …) are never words.
_WORD = re.compile(r"[^\W_]+(?:(?:[-‐‑'’ʼ]|(?<=\d)[.,](?=\d))[^\W_]+)*|[%€$£°§&@+=]")


def words(text: str, lang: str = "fr") -> tuple[Span, ...]:
    """The words of ``text`` as ``(start, end)`` spans (``str`` indices), in order; French elided clitics
    (« l’ », « d’ », « qu’ », « jusqu’ »…) are words of their own, apostrophe included."""
    out: list[Span] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        if lang == "fr":
            while True:
                cut = next((i for i in range(start, end) if text[i] in _APOSTROPHES), None)
                if cut is None or cut + 1 >= end or text[start:cut].casefold() not in _ELISIONS:
                    break
                out.append((start, cut + 1))
                start = cut + 1
        out.append((start, end))
    return tuple(out)


def char_spans_from_byte_spans(text: str, byte_spans: Sequence[tuple[int, int]]) -> list[Span]:
    """UTF-8 byte offsets (what SentencePiece reports) → ``str`` indices into ``text``."""
    index = [0] * (len(text.encode("utf-8")) + 1)
    b = 0
    for i, ch in enumerate(text):
        n = len(ch.encode("utf-8"))
        for k in range(n):
            index[b + k] = i
        b += n
    index[b] = len(text)
    return [(index[min(s, b)], index[min(e, b)] if e < b else len(text)) for s, e in byte_spans]


def spans_by_surface(text: str, pieces: Sequence[str]) -> list[Span | None]:
    """Where each SentencePiece piece of a decoded sentence lies in ``text`` (the displayed sentence).

    Decoding only changes whitespace (``▁`` → space, one leading space dropped, and Argos turns ``_``
    into a space too), so the non-space characters of the pieces are matched in order against those of
    the text. A piece of spaces only, or one that cannot be placed, gets ``None``."""
    spans: list[Span | None] = []
    pos, n = 0, len(text)
    for piece in pieces:
        surface = "⁇" if piece == "<unk>" else piece
        chars = [c for c in surface if not c.isspace() and c not in "▁_"]
        if not chars:
            spans.append(None)
            continue
        p, start = pos, None
        for c in chars:
            while p < n and text[p].isspace():
                p += 1
            if p >= n or text[p] != c:
                start = None
                break
            start = p if start is None else start
            p += 1
        if start is None:
            spans.append(None)
        else:
            spans.append((start, p))
            pos = p
    return spans


def _weights(piece_spans: Sequence[Span | None], word_spans: Sequence[Span]) -> list[list[tuple[int, float]]]:
    """For each piece, the words it overlaps with the share of its word characters in each."""
    starts = [s for s, _ in word_spans]
    out: list[list[tuple[int, float]]] = []
    for span in piece_spans:
        row: list[tuple[int, float]] = []
        if span is not None:
            ps, pe = span
            k = max(0, bisect.bisect_right(starts, ps) - 1)
            while k < len(word_spans) and word_spans[k][0] < pe:
                ws, we = word_spans[k]
                overlap = min(pe, we) - max(ps, ws)
                if overlap > 0:
                    row.append((k, float(overlap)))
                k += 1
            total = sum(w for _, w in row)
            row = [(k, w / total) for k, w in row]
        out.append(row)
    return out


def word_scores(
    attention: Sequence[Sequence[float]],
    src_spans: Sequence[Span | None],
    tgt_spans: Sequence[Span | None],
    fr_words: Sequence[Span],
    en_words: Sequence[Span],
) -> list[list[float]]:
    """``scores[e][f]``: the attention of English word ``e`` on French word ``f`` — summed over the French
    word's source pieces, averaged over the English word's target pieces. ``attention[t][s]``: one row
    per target piece, one value per source piece (pieces shared by two words count for each by share)."""
    src_w = _weights(src_spans, fr_words)
    tgt_w = _weights(tgt_spans, en_words)
    scores = [[0.0] * len(fr_words) for _ in en_words]
    mass = [0.0] * len(en_words)
    for t, row_w in enumerate(tgt_w):
        if not row_w or t >= len(attention):
            continue
        on_fr = [0.0] * len(fr_words)
        for s, value in enumerate(attention[t]):
            if s < len(src_w):
                for f, w in src_w[s]:
                    on_fr[f] += value * w
        for e, w in row_w:
            mass[e] += w
            row = scores[e]
            for f, v in enumerate(on_fr):
                row[f] += w * v
    for e, m in enumerate(mass):
        if m > 0:
            scores[e] = [v / m for v in scores[e]]
    return scores


def links_from_scores(scores: Sequence[Sequence[float]], threshold: float = LINK_THRESHOLD) -> tuple[tuple[int, int, float], ...]:
    """Each English word to its best French word, plus every French word at or above ``threshold``."""
    links: dict[tuple[int, int], float] = {}
    for e, row in enumerate(scores):
        if not row:
            continue
        best = max(range(len(row)), key=row.__getitem__)
        for f, v in enumerate(row):
            if v > 0 and (f == best or v >= threshold):
                links[(f, e)] = min(1.0, float(v))
    return tuple((f, e, v) for (f, e), v in sorted(links.items()))


def pack_scores(scores: Sequence[Sequence[float]]) -> bytes:
    """The score matrix as little-endian float16 bytes, row-major (English rows, French columns)."""
    flat = [min(max(float(v), 0.0), 65504.0) for row in scores for v in row]
    return struct.pack(f"<{len(flat)}e", *flat)


def unpack_scores(blob: bytes, n_en: int, n_fr: int) -> list[list[float]]:
    if len(blob) != 2 * n_en * n_fr:
        raise ValueError(f"an alignment matrix of {n_en}×{n_fr} needs {2 * n_en * n_fr} bytes, not {len(blob)}")
    flat = struct.unpack(f"<{n_en * n_fr}e", blob)
    return [list(flat[e * n_fr:(e + 1) * n_fr]) for e in range(n_en)]


@dataclass(frozen=True)
class ScoredAlignment:
    """What is stored for one sentence pair: both word lists and the word score matrix (float16), so
    links can be drawn again at another threshold without running the model."""

    fr_words: tuple[Span, ...]
    en_words: tuple[Span, ...]
    matrix: bytes  # pack_scores(scores), len(en_words) × len(fr_words)
    method: int = METHOD_VERSION

    def scores(self) -> list[list[float]]:
        return unpack_scores(self.matrix, len(self.en_words), len(self.fr_words))

    def alignment(self, threshold: float = LINK_THRESHOLD) -> WordAlignment:
        return WordAlignment(self.fr_words, self.en_words, links_from_scores(self.scores(), threshold))


def score_alignment(
    fr_text: str,
    en_text: str,
    attention: Sequence[Sequence[float]],
    src_spans: Sequence[Span | None],
    tgt_spans: Sequence[Span | None],
    fr_words: Sequence[Span] | None = None,
    en_words: Sequence[Span] | None = None,
) -> ScoredAlignment:
    """From one sentence's attention (target pieces × source pieces) and the pieces' spans in the French
    sentence and the displayed English sentence to its stored alignment. The words are found by
    :func:`words` unless given (a gold set's own tokens)."""
    fr_words = words(fr_text, "fr") if fr_words is None else tuple(fr_words)
    en_words = words(en_text, "en") if en_words is None else tuple(en_words)
    scores = word_scores(attention, src_spans, tgt_spans, fr_words, en_words)
    return ScoredAlignment(fr_words, en_words, pack_scores(scores))


def alignment_json(alignment: WordAlignment) -> dict:
    """The alignment as plain data (``visavis show --format json``, exports): word spans as
    ``[start, end]`` ``str`` offsets into each sentence, links as ``[fr_index, en_index, score]``."""
    return {
        "fr_words": [list(w) for w in alignment.fr_words],
        "en_words": [list(w) for w in alignment.en_words],
        "links": [[f, e, round(score, 3)] for f, e, score in alignment.links],
    }
