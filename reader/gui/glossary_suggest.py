"""What "Add to Glossary" proposes for a French selection: the term without its leading elided clitics,
and the English words of the counterpart sentence that look most like it."""

from __future__ import annotations

import difflib
import re

from reader.core.glossary import fold, tokenize

_EN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def strip_elision(text: str) -> str:
    """« l'Assemblée générale » → « Assemblée générale »: leading elided clitics and white space off."""
    text = " ".join(text.split())
    toks = tokenize(text)
    i = 0
    while i < len(toks) - 1 and toks[i].clitic:
        i += 1
    return text[toks[i].start:].strip(" ,.;:!?«»\"“”()") if toks else text.strip()


def guess_translation(term: str, english: str) -> str:
    """The English words that look most like the French term (cognates: « délégations » → « delegations »,
    « Assemblée générale » → « General Assembly »), else the whole English text for the user to trim."""
    english = " ".join(english.split())
    words = [fold(t.text) for t in tokenize(term) if not t.clitic]
    if not words or not english:
        return english
    en = [(m.start(), m.end(), fold(m.group())) for m in _EN_WORD.finditer(english)]
    best, best_score = None, 0.0
    n = len(words)
    for size in {max(1, n - 1), n, n + 1}:
        for i in range(0, len(en) - size + 1):
            cand = en[i : i + size]
            score = sum(max(difflib.SequenceMatcher(None, w, c[2]).ratio() for c in cand) for w in words) / n
            score -= 0.08 * abs(size - n)
            if score > best_score:
                best, best_score = (cand[0][0], cand[-1][1]), score
    if best is not None and best_score >= 0.72:
        return english[best[0] : best[1]]
    return english


def aligned_english(alignment, start: int, end: int, english: str) -> str:
    """The English words the word *alignment* links to the French words overlapping ``[start, end)`` of
    the sentence, from the first to the last (« huis clos » → « behind closed doors »); "" if none.
    *alignment* is a :class:`~reader.core.wordalign.WordAlignment` over this sentence and *english*."""
    linked: set[int] = set()
    for i, (a, b) in enumerate(alignment.fr_words):
        if a < end and b > start:
            linked.update(j for j, _score in alignment.en_for_fr(i))
    spans = [alignment.en_words[j] for j in sorted(linked) if 0 <= j < len(alignment.en_words)]
    if not spans:
        return ""
    return english[spans[0][0] : spans[-1][1]].strip(" ,.;:!?\"“”()")


def prefill(term: str, english: str, aligned: str = "") -> str:
    """What the English field starts with: the aligned words when the alignment gives some, else the
    look-alike words (:func:`guess_translation`), else nothing (the sentence is shown beside it)."""
    if aligned:
        return aligned
    guess = guess_translation(term, english)
    return "" if guess == " ".join(english.split()) else guess
