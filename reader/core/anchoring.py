"""Find an annotation's passage again after its side's text changed.

Order of attempts (Hypothesis's, with the minimum score Hypothesis lacks — field notes, h #2634, #2798):

1. **Position** — ``text[start:end] == exact``: ``anchored`` at the same place.
2. **Exact quote** — every occurrence of ``exact``, scored on how well the text before/after matches the
   stored prefix/suffix and on closeness to the old position. The best one is taken: ``anchored`` when it is
   the only copy or its context agrees (the text merely shifted), ``moved`` when several copies exist and
   the context does not tell them apart.
   Exception (#2798): when a passage exists twice and the user edited the annotated copy, the only
   exact occurrence is the *other* copy, far away. Before accepting a far exact occurrence we look for a
   close fuzzy match around the old position with matching context; if there is one it wins (``moved``).
3. **Fuzzy** — rapidfuzz's ``partial_ratio_alignment`` over overlapping windows of the text gives candidate
   places; each is refined to the best span boundaries and scored on quote similarity, context similarity
   and position. A candidate is accepted (``moved``) only above a minimum quote similarity that is
   stricter for short quotes, and short quotes also need their context to agree: « Linus » never lands on
   « chines ».
4. Otherwise ``orphaned``: the annotation keeps its old range and its quote, untouched, for the user to see
   in the orphans list. Nothing is ever dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reader.core.annotations import Annotation, quote_context

#: Minimum normalised similarity (0..1) between the stored quote and a fuzzy candidate.
MIN_QUOTE_SIMILARITY = 0.75
#: Stricter minimum for short quotes (fewer than SHORT_QUOTE characters), which also need context.
SHORT_QUOTE = 24
MIN_SHORT_QUOTE_SIMILARITY = 0.85
MIN_SHORT_CONTEXT_SIMILARITY = 0.6
#: An exact occurrence this far (in characters) from the old place, while a good fuzzy match sits at
#: the old place, is taken to be another copy of the passage (h #2798).
FAR = 64


@dataclass(frozen=True)
class AnchorResult:
    start: int
    end: int
    status: str  # "anchored" | "moved" | "orphaned"
    score: float  # 0..1; 1.0 for an unchanged position

    def apply(self, annotation: Annotation) -> Annotation:
        """A copy of *annotation* placed here. Placed annotations get the new range, quote and context
        are kept as they were stored (the user's words); orphans keep everything but the status."""
        if self.status == "orphaned":
            return replace(annotation, status="orphaned")
        return replace(annotation, start=self.start, end=self.end, status=self.status)


def _sim(a: str, b: str) -> float:
    """Normalised Indel similarity in 0..1 (1.0 for two empty strings)."""
    if not a and not b:
        return 1.0
    return Indel.normalized_similarity(a, b)


def _context_similarity(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around ``[start, end)`` agrees with the stored prefix and suffix (0..1).
    Stored context shorter than 32 characters (the passage was at the very start/end) compares with the
    same length here."""
    parts = []
    if prefix or start == 0:
        parts.append(_sim(prefix, text[max(0, start - len(prefix)) : start]) if prefix else float(start == 0))
    if suffix or end == len(text):
        parts.append(_sim(suffix, text[end : end + len(suffix)]) if suffix else float(end == len(text)))
    return sum(parts) / len(parts) if parts else 0.5


def _context_exact(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    return text[max(0, start - len(prefix)) : start] == prefix and text[end : end + len(suffix)] == suffix


def _closeness(pos: int, old: int, length: int) -> float:
    return 1.0 - min(1.0, abs(pos - old) / max(1, length))


def _occurrences(text: str, needle: str) -> list[int]:
    out = []
    i = text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    quote: float
    context: float
    score: float


def _refine(text: str, a: Annotation, start: int, end: int) -> _Candidate:
    """Best boundaries near ``[start, end)`` for the quote (an edit may change the length, and the
    aligner proposes a span of the quote's length). Coordinate search: move the start, then the end,
    twice, within ``k`` characters."""
    q = a.exact
    k = max(8, min(40, len(q) // 4))

    def score(s: int, e: int) -> _Candidate:
        qs = _sim(q, text[s:e])
        cs = _context_similarity(text, s, e, a.prefix, a.suffix)
        return _Candidate(s, e, qs, cs, 0.8 * qs + 0.2 * cs)

    best = score(start, end)
    for _ in range(2):
        s0, e0 = best.start, best.end
        for s in range(max(0, s0 - k), min(e0 - 1, s0 + k) + 1):
            c = score(s, e0)
            if c.score > best.score:
                best = c
        s0 = best.start
        for e in range(max(s0 + 1, e0 - k), min(len(text), e0 + k) + 1):
            c = score(s0, e)
            if c.score > best.score:
                best = c
    return best


def _fuzzy_candidates(
    text: str, a: Annotation, lo: int = 0, hi: int | None = None, keep: int = 6
) -> list[_Candidate]:
    """Refined fuzzy candidates found in ``text[lo:hi]``, best first.

    The range is scanned in windows of about 4 quote lengths, half overlapping; each window's best
    alignment is a raw candidate. Only the *keep* best raw candidates, plus the one nearest to the old
    position, are refined (refining is the costly part)."""
    q = a.exact
    hi = len(text) if hi is None else hi
    if not q or hi - lo <= 0:
        return []
    width = max(4 * len(q), 64)
    step = max(1, width // 2)
    raw: dict[tuple[int, int], float] = {}
    pos = lo
    while True:
        chunk = text[pos : min(hi, pos + width)]
        al = fuzz.partial_ratio_alignment(q, chunk, score_cutoff=100 * MIN_QUOTE_SIMILARITY * 0.9)
        if al is not None and al.score:
            raw[(pos + al.dest_start, pos + al.dest_end)] = al.score
        if pos + width >= hi:
            break
        pos += step
    if not raw:
        return []
    picked = sorted(raw, key=raw.__getitem__, reverse=True)[:keep]
    nearest = min(raw, key=lambda r: abs(r[0] - a.start))
    if nearest not in picked:
        picked.append(nearest)
    out = [_refine(text, a, s, e) for s, e in picked]
    out.sort(key=lambda c: c.score, reverse=True)
    return out


def _acceptable(a: Annotation, c: _Candidate) -> bool:
    if len(a.exact.strip()) < SHORT_QUOTE:
        return c.quote >= MIN_SHORT_QUOTE_SIMILARITY and c.context >= MIN_SHORT_CONTEXT_SIMILARITY
    return c.quote >= MIN_QUOTE_SIMILARITY


def reanchor(annotation: Annotation, text: str) -> AnchorResult:
    """Where *annotation* belongs in the side text *text* now (see the module doc for the rules)."""
    a = annotation
    q = a.exact
    # 1. by position
    if q and 0 <= a.start <= a.end <= len(text) and text[a.start : a.end] == q:
        return AnchorResult(a.start, a.end, "anchored", 1.0)
    if not q:
        return AnchorResult(a.start, a.end, "orphaned", 0.0)
    n = max(1, len(text))

    # 2. by exact quote, context and position
    occ = _occurrences(text, q)
    if occ:
        scored = []
        for i in occ:
            cs = _context_similarity(text, i, i + len(q), a.prefix, a.suffix)
            scored.append((0.8 * cs + 0.2 * _closeness(i, a.start, n), cs, i))
        score, cs, i = max(scored)
        if abs(i - a.start) > max(FAR, 2 * len(q)):
            # h #2798: is the annotated copy still near its old place, edited?
            lo = max(0, a.start - 2 * len(q) - FAR)
            hi = min(len(text), a.end + 2 * len(q) + FAR)
            near = [
                c
                for c in _fuzzy_candidates(text, a, lo, hi)
                if not any(c.start < o + len(q) and o < c.end for o in occ)
            ]
            near = [c for c in near if _acceptable(a, c) and c.context >= 0.8]
            if near and near[0].context >= cs:
                c = near[0]
                return AnchorResult(c.start, c.end, "moved", round(c.score, 4))
        # Same words: anchored, unless the choice among several copies rests on weak context.
        sure = len(occ) == 1 or cs >= 0.75 or _context_exact(text, i, i + len(q), a.prefix, a.suffix)
        return AnchorResult(i, i + len(q), "anchored" if sure else "moved", round(0.5 + 0.5 * cs, 4))

    # 3. fuzzy
    best: _Candidate | None = None
    best_total = -1.0
    for c in _fuzzy_candidates(text, a):
        if not _acceptable(a, c):
            continue
        total = c.score * 0.9 + 0.1 * _closeness(c.start, a.start, n)
        if total > best_total:
            best, best_total = c, total
    if best is not None:
        return AnchorResult(best.start, best.end, "moved", round(best.score, 4))

    # 4. orphaned: keep everything as it was
    return AnchorResult(a.start, a.end, "orphaned", 0.0)


def accept_position(annotation: Annotation, text: str) -> Annotation:
    """The user confirmed a ``moved`` annotation where it now is: its quote and context are taken from
    *text* at its range and it becomes ``anchored`` again (``modified`` is left to the caller)."""
    if not 0 <= annotation.start < annotation.end <= len(text):
        raise ValueError("the annotation's range is outside this text; it cannot be confirmed here")
    exact, prefix, suffix = quote_context(text, annotation.start, annotation.end)
    return replace(annotation, exact=exact, prefix=prefix, suffix=suffix, status="anchored")


def reanchor_all(annotations: list[Annotation], text: str) -> list[Annotation]:
    """Every annotation re-placed in *text* (same order, same length: none is ever dropped)."""
    return [reanchor(a, text).apply(a) for a in annotations]
