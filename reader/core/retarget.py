"""Carrying what belongs to one English text over to another, word by word (pure Python).

The glossary-enforced English (``reader.core.enforce``) differs from the machine output it was made from
in a few stretches: the rendering, and what the model said after it. :func:`word_opcodes` tells which
stretches are equal; :func:`enforced_alignment` moves the machine English's word alignment onto the
enforced English through them — the words both share keep their links, the words of a changed stretch
are linked to the French words the replaced stretch was linked to, and each applied rendering to its
French term's words. No model is needed, so the window can do it when a sentence is first hovered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from reader.core.wordalign import Span, WordAlignment, words

_TOKENS = re.compile(r"\w+|\W+")


def word_opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher`` opcodes over words and the runs between them, as character offsets."""

    def tokens(text: str) -> tuple[list[str], list[int]]:
        parts = _TOKENS.findall(text)
        starts, pos = [], 0
        for t in parts:
            starts.append(pos)
            pos += len(t)
        return parts, starts + [pos]

    a, sa = tokens(old)
    b, sb = tokens(new)
    return [(tag, sa[i1], sa[i2], sb[j1], sb[j2])
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]


def _inside(words_: Sequence[Span], a: int, b: int) -> list[int]:
    return [k for k, (s, e) in enumerate(words_) if s < b and e > a]


def enforced_alignment(alignment: WordAlignment, machine: str, enforced: str,
                       applied: Sequence = ()) -> WordAlignment:
    """``alignment`` (of the French sentence and ``machine``) moved onto ``enforced``; ``applied``: the
    enforced sentence's ``reader.core.enforce.Applied`` (English span, French term span)."""
    en_words: list[Span] = []
    links: dict[tuple[int, int], float] = {}
    for tag, i1, i2, j1, j2 in word_opcodes(machine, enforced):
        old = _inside(alignment.en_words, i1, i2)
        if tag == "equal":
            for k in old:
                s, e = alignment.en_words[k]
                if i1 <= s and e <= i2:
                    j = len(en_words)
                    en_words.append((s - i1 + j1, e - i1 + j1))
                    for f, score in alignment.fr_for_en(k):
                        links[(f, j)] = score
            continue
        # a changed stretch: its new words take the links of the words it replaced
        linked: dict[int, float] = {}
        for k in old:
            for f, score in alignment.fr_for_en(k):
                linked[f] = max(score, linked.get(f, 0.0))
        for s, e in words(enforced[j1:j2], "en"):
            j = len(en_words)
            en_words.append((s + j1, e + j1))
            for f, score in linked.items():
                links[(f, j)] = score
    # an equal stretch may end inside a word the next stretch changes: keep the words apart and in order
    order = sorted(range(len(en_words)), key=lambda j: en_words[j])
    kept: list[int] = []
    for j in order:
        if not kept or en_words[j][0] >= en_words[kept[-1]][1]:
            kept.append(j)
    index = {old: new for new, old in enumerate(kept)}
    final_words = tuple(en_words[j] for j in kept)
    final: dict[tuple[int, int], float] = {(f, index[j]): v for (f, j), v in links.items() if j in index}
    # each rendering is linked to its French term's words, and to nothing else
    for a in applied:
        if getattr(a, "fr_start", -1) < 0:
            continue
        term_fr = _inside(alignment.fr_words, a.fr_start, a.fr_end)
        for j in _inside(final_words, a.start, a.end):
            for key in [key for key in final if key[1] == j]:
                del final[key]
            for f in term_fr:
                final[(f, j)] = 1.0
    return WordAlignment(alignment.fr_words, final_words,
                         tuple(sorted((f, j, v) for (f, j), v in final.items())))
