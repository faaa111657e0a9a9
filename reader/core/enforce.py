"""Glossary enforcement in the machine translation (pure Python, no model).

For one sentence: the glossary matches in the French (``GlossaryMatcher.find``) and the word alignment
of its English tell, for each term occurrence, where the term went in the English — the *hull* of the
English words linked to the term's French words. This module decides what to do there:

- the span already says the rendering (case- and inflection-tolerant) → nothing to do;
- otherwise the engine re-decodes the sentence through the rendering (``ArgosEngine.enforce``), or, as the
  fallback, :func:`replace_spans` puts the rendering in place of the span's text;
- where the alignment links no English word to the term, :func:`target_span` gives an empty span at the
  place the term's neighbours went (the rendering is inserted there);
- :func:`check` is the final test: every rendering occurs (as a whole word, at distinct places) exactly as
  often as its term occurs in the French — never missing, never enforced twice.

The result, :class:`Enforced`, records which entries were applied and where (``str`` spans into the
enforced English), so the view and the exports can mark the renderings like the French terms.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.core.wordalign import Span, WordAlignment

#: Version of the enforcement method; stored with every enforced sentence (recomputed when it changes).
ENFORCE_VERSION = 1


@dataclass(frozen=True)
class Term:
    """One occurrence of a glossary entry in a French sentence."""

    entry_id: str | int
    fr_start: int
    fr_end: int
    rendering: str


@dataclass(frozen=True)
class Applied:
    """An entry applied in the enforced English: its rendering occupies ``text[start:end]``; the French
    term occurrence it renders is ``french[fr_start:fr_end]`` of the sentence (-1, -1: not recorded —
    rows stored before it was; :func:`french_spans` finds them again)."""

    entry_id: str | int
    start: int
    end: int
    how: str  # "kept" (already there), "decoded" (re-decoded through it), "replaced" (text fallback)
    fr_start: int = field(default=-1, compare=False)
    fr_end: int = field(default=-1, compare=False)

    @classmethod
    def of(cls, term: Term, start: int, end: int, how: str) -> Applied:
        return cls(term.entry_id, start, end, how, term.fr_start, term.fr_end)


@dataclass(frozen=True)
class Enforced:
    text: str
    applied: tuple[Applied, ...]
    ok: bool = True  # the final check passed

    def as_json(self) -> list[dict]:
        out = []
        for a in self.applied:
            d = {"entry_id": a.entry_id, "start": a.start, "end": a.end, "how": a.how}
            if a.fr_start >= 0:
                d.update(fr_start=a.fr_start, fr_end=a.fr_end)
            out.append(d)
        return out


@dataclass(frozen=True)
class EnforceJob:
    """One sentence to enforce: the French, its machine English, their word alignment (None: to be
    computed) and the term occurrences (:func:`sentence_terms`)."""

    french: str
    english: str
    alignment: WordAlignment | None
    terms: tuple[Term, ...]


def with_french_spans(enforced: Enforced, terms: Sequence[Term]) -> Enforced:
    """``enforced`` with the French span of every applied entry recorded: where it is missing (a row
    stored before spans were), the k-th application of an entry (in English order) is given the k-th
    occurrence of its term (in French order)."""
    if all(a.fr_start >= 0 for a in enforced.applied):
        return enforced
    by_entry: dict = {}
    for t in sorted(terms, key=lambda t: t.fr_start):
        by_entry.setdefault(t.entry_id, []).append(t)
    out = []
    for a in enforced.applied:
        if a.fr_start < 0 and by_entry.get(a.entry_id):
            t = by_entry[a.entry_id].pop(0)
            a = Applied(a.entry_id, a.start, a.end, a.how, t.fr_start, t.fr_end)
        elif a.fr_start >= 0 and by_entry.get(a.entry_id):
            by_entry[a.entry_id] = [t for t in by_entry[a.entry_id] if t.fr_start != a.fr_start]
        out.append(a)
    return Enforced(enforced.text, tuple(out), enforced.ok)


# -- which terms, keyed how ------------------------------------------------------------------------------


def sentence_terms(matches: Iterable, renderings: dict) -> list[Term]:
    """The occurrences to enforce from a sentence's glossary matches (``Match(start, end, entry_id)``,
    overlapping allowed): leftmost-longest, non-overlapping, only entries with a non-empty rendering in
    ``renderings`` (entry id → English)."""
    out: list[Term] = []
    end = -1
    for m in sorted(matches, key=lambda mt: (mt.start, -mt.end, str(mt.entry_id))):
        rendering = (renderings.get(m.entry_id) or "").strip()
        if rendering and m.start >= end:
            out.append(Term(m.entry_id, m.start, m.end, rendering))
            end = m.end
    return out


def entries_key(pairs: Iterable[tuple[str, str]]) -> str:
    """The key of the exact set of (term, rendering) pairs applied to a sentence: changing, adding or
    removing one of them changes the key of exactly the sentences holding that term."""
    blob = json.dumps(sorted(set(pairs)), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


# -- where the term went -----------------------------------------------------------------------------------


def _fr_indices(alignment: WordAlignment, start: int, end: int) -> list[int]:
    return [i for i, (s, e) in enumerate(alignment.fr_words) if s < end and e > start]


def english_hull(alignment: WordAlignment, fr_start: int, fr_end: int, after: int = 0) -> Span | None:
    """The span covering the English words linked to the French words of ``[fr_start, fr_end)`` (only
    words starting at or after ``after``); None when no such word is linked."""
    linked = {j for i in _fr_indices(alignment, fr_start, fr_end) for j, _ in alignment.en_for_fr(i)}
    spans = [alignment.en_words[j] for j in linked if alignment.en_words[j][0] >= after]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def insertion_point(alignment: WordAlignment, fr_start: int, fr_end: int, en_len: int, after: int = 0) -> int:
    """Where to put a rendering whose term has no linked English word: after the English of the nearest
    linked French word on the left, else before that of the nearest on the right, else at the place
    proportional to the term's place in the French; never before ``after``."""
    fr = alignment.fr_words
    idx = _fr_indices(alignment, fr_start, fr_end)
    first = idx[0] if idx else sum(1 for s, _ in fr if s < fr_start)
    last = idx[-1] if idx else first - 1
    for i in range(first - 1, -1, -1):
        ends = [alignment.en_words[j][1] for j, _ in alignment.en_for_fr(i)]
        ends = [e for e in ends if e >= after]
        if ends:
            return max(ends)
    for i in range(last + 1, len(fr)):
        starts = [alignment.en_words[j][0] for j, _ in alignment.en_for_fr(i)]
        starts = [s for s in starts if s >= after]
        if starts:
            return min(starts)
    if not fr:
        return max(after, en_len)
    ratio = first / len(fr)
    # the start of the English word nearest to that proportion (or the end)
    target = round(ratio * en_len)
    cands = [s for s, _ in alignment.en_words if s >= after] + [en_len]
    return min(cands, key=lambda s: (abs(s - target), s))


def target_span(alignment: WordAlignment, term: Term, en_len: int, after: int = 0) -> Span:
    """The English span a term occurrence should become: the hull, or an empty span where to insert."""
    hull = english_hull(alignment, term.fr_start, term.fr_end, after)
    if hull is not None:
        return hull
    p = insertion_point(alignment, term.fr_start, term.fr_end, en_len, after)
    return p, p


# -- does the English already say it -----------------------------------------------------------------------


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.casefold().replace("’", "'"))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


_EN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _stem(word: str) -> str:
    """Simple English inflection folded: -ies/-ied → -y, -es, -s, -ed (a doubled consonant before -ed
    undone), and a final -e dropped so "delegate" and "delegated" meet."""
    w = _fold(word)
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "aeiouls":
            w = w[:-1]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def _stems(text: str) -> list[str]:
    return [_stem(m.group()) for m in _EN_WORD.finditer(text)]


def matches_rendering(english: str, rendering: str) -> bool:
    """True when ``english`` (an aligned span) says ``rendering``: the same words up to case, accents and
    simple inflection (« General Assembly » ≈ "general assemblies")."""
    a, b = _stems(english), _stems(rendering)
    return bool(b) and a == b


def find_rendering(text: str, rendering: str) -> list[Span]:
    """The non-overlapping places where ``rendering`` occurs in ``text`` as whole words (case-, accent- and
    inflection-tolerant), left to right."""
    want = _stems(rendering)
    if not want:
        return []
    toks = [(m.start(), m.end(), _stem(m.group())) for m in _EN_WORD.finditer(text)]
    out: list[Span] = []
    k, n = 0, len(want)
    while k + n <= len(toks):
        if [t[2] for t in toks[k:k + n]] == want:
            out.append((toks[k][0], toks[k + n - 1][1]))
            k += n
        else:
            k += 1
    return out


# -- the fallback and the check ------------------------------------------------------------------------------

_CLOSERS = ".,;:!?)]»”’'"


def replace_spans(text: str, edits: Sequence[tuple[Term, Span]]) -> Enforced:
    """Put each term's rendering in place of its English span (an empty span inserts it, with a space
    where words would touch). A span that already says the rendering is kept as it is. Spans must not
    overlap; they are applied in text order and the recorded spans are those in the returned text."""
    out: list[str] = []
    applied: list[Applied] = []
    pos = 0
    for term, (s, e) in sorted(edits, key=lambda te: (te[1][0], te[1][1])):
        s, e = max(s, pos), max(e, pos)
        out.append(text[pos:s])
        base = sum(len(p) for p in out)
        if s < e and matches_rendering(text[s:e], term.rendering):
            out.append(text[s:e])
            applied.append(Applied.of(term, base, base + e - s, "kept"))
        else:
            lead = trail = ""
            if s == e:  # an insertion: a space on the side(s) where words would touch
                lead = " " if s > 0 and not text[s - 1].isspace() else ""
                trail = " " if e < len(text) and not text[e].isspace() and text[e] not in _CLOSERS else ""
            out.append(lead + term.rendering + trail)
            start = base + len(lead)
            applied.append(Applied.of(term, start, start + len(term.rendering), "replaced"))
        pos = e
    out.append(text[pos:])
    result = "".join(out)
    return Enforced(result, tuple(applied))


def check(text: str, terms: Sequence[Term]) -> bool:
    """The final check: each rendering occurs in ``text`` exactly as often as its entry's occurrences
    (renderings of different entries that contain one another are counted together)."""
    expected: dict[str, int] = {}
    for t in terms:
        key = " ".join(_stems(t.rendering))
        expected[key] = expected.get(key, 0) + 1
    for key, count in expected.items():
        found = len(find_rendering(text, key))
        # a longer rendering that contains this one (both expected) accounts for its extra occurrences
        contained = sum(c for k, c in expected.items() if k != key and f" {key} " in f" {k} ")
        if found != count + contained:
            return False
    return True


def enforce_by_replacement(text: str, alignment: WordAlignment | None, terms: Sequence[Term]) -> Enforced:
    """The text-only path: each occurrence's English span (from the alignment; without one, the end of
    the sentence) replaced by its rendering, left to right in the English; then the final check."""
    if not terms:
        return Enforced(text, ())
    result = replace_spans(text, replacement_edits(text, alignment, terms))
    return Enforced(result.text, result.applied, check(result.text, terms))


def rerender(enforced: Enforced, renderings: dict, terms: Sequence[Term]) -> Enforced | None:
    """An enforced sentence after some entries' renderings changed (``renderings``: entry id → the new
    one): each of their applied spans holds the new rendering instead, the rest of the text and the other
    applications as they were (offsets shifted). None when that does not pass :func:`check` with the new
    ``terms`` (the engine then enforces the sentence again)."""
    out: list[str] = []
    applied: list[Applied] = []
    pos = shift = 0
    text = enforced.text
    for a in sorted(enforced.applied, key=lambda x: (x.start, x.end)):
        new = renderings.get(a.entry_id)
        if new is None:
            applied.append(Applied(a.entry_id, a.start + shift, a.end + shift, a.how, a.fr_start, a.fr_end))
            continue
        out += [text[pos:a.start], new]
        applied.append(Applied(a.entry_id, a.start + shift, a.start + shift + len(new), "replaced", a.fr_start, a.fr_end))
        shift += len(new) - (a.end - a.start)
        pos = a.end
    out.append(text[pos:])
    result = "".join(out)
    return Enforced(result, tuple(applied), True) if check(result, terms) else None


def replacement_edits(text: str, alignment: WordAlignment | None, terms: Sequence[Term]) -> list[tuple[Term, Span]]:
    """Each occurrence's English span for :func:`replace_spans` (from the alignment; without one, the end
    of the sentence), overlapping hulls moved apart (the later one inserted after the earlier)."""
    edits: list[tuple[Term, Span]] = []
    taken: list[Span] = []
    for term in terms:
        if alignment is None:
            span = (len(text), len(text))
        else:
            span = target_span(alignment, term, len(text))
        for s, e in taken:
            if span[0] < e and span[1] > s or span[0] == span[1] and s < span[0] < e:
                span = (e, e)
        taken.append(span)
        edits.append((term, span))
    return edits
