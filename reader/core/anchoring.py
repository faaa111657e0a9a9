"""Find an annotation's passage again after its side's text changed.

Order of attempts (Hypothesis's, with the minimum score Hypothesis lacks — field notes, h #2634, #2798):

1. **Position** — ``text[start:end] == exact`` and the context there still agrees: ``anchored``.
2. **Exact quote** — every occurrence of ``exact`` that begins and ends on word edges (when the stored
   range did), scored on how well the text before/after matches the stored prefix/suffix. Copies whose
   context is about as good as the best one's are told apart by closeness to the old place (among those
   within 0.05 of the best). The choice is
   ``anchored`` only when it is certain: context agreeing and no rival copy about as close; or the only
   copy, near the old place, half agreeing (long quotes). Anything less is ``moved``.
   Exception (h #2798, issue #13): when a passage exists twice and the user edited the annotated copy,
   the only exact occurrence is the *other* copy. So before accepting a far or weakly supported exact
   occurrence we look for a fuzzy match around the old place whose context still agrees: if it is
   acceptable it wins (``moved``); if it is not, the far copy is at best ``moved``, never ``anchored``.
   Several copies of a short quote, none with agreeing context (< 0.6), are no evidence at all: the fuzzy
   step decides.
3. **Fuzzy** — rapidfuzz's ``partial_ratio_alignment`` over overlapping windows of the text gives candidate
   places, and so does the span between close matches of the stored prefix and suffix (a word inserted
   into a short quote hides it from a window of the quote's length); each is refined to the best span
   boundaries (on word edges when the stored range was; scored on the stored prefix + quote + suffix),
   then carried by a word-level diff of the stored prefix + quote + suffix against the text there
   (difflib), so that a word replaced at an edge stays inside and words inserted just outside stay out;
   scored on quote similarity, context similarity and position. A candidate is accepted (``moved``) only
   above a minimum quote similarity that is stricter for short quotes, and short quotes also need their
   context to agree: « Linus » never lands on « chines ».
4. Otherwise ``orphaned``: the annotation keeps its old range and its quote, untouched, for the user to see
   in the orphans list. Nothing is ever dropped.

``moved`` is the flag "check this one": the annotations panel shows a badge, ``visavis annotations`` a
``(moved)`` mark. ``bench/reanchor.py`` measures all this on the samples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reader.core.annotations import Annotation, quote_context

#: Minimum normalised similarity (0..1) between the stored quote and a fuzzy candidate.
MIN_QUOTE_SIMILARITY = 0.75
#: Stricter minimum for short quotes (fewer than SHORT_QUOTE characters), which also need context.
SHORT_QUOTE = 24
MIN_SHORT_QUOTE_SIMILARITY = 0.85
MIN_SHORT_CONTEXT_SIMILARITY = 0.6
SURE_CONTEXT = 0.85
#: How much better the stored context must match to take a replaced edge word into a fuzzy range.
EDGE_GAIN = 0.15
#: A range carried by the word diff is taken unless its quote similarity is this much worse.
MAPPED_SLACK = 0.1
#: An exact occurrence this far (in characters) from the old place, while a good fuzzy match sits at
#: the old place, is taken to be another copy of the passage (h #2798).
FAR = 64
#: Context similarity from which an exact occurrence is taken to be the passage itself (``anchored``).
STRONG_CONTEXT = 0.75
#: Below this partial similarity the other side's stored context counts as gone from the text.
OTHER_SIDE_GONE = 0.8
#: Characters of each side of the stored context looked for to find a passage between them, and the
#: similarity (0..1) the best match of each must reach.
CONTEXT_PROBE = 24
PROBE_SIMILARITY = 0.8
#: Among those, copies within this of the best context are told apart by closeness to the old place.
CONTEXT_PICK = 0.05
#: Exact copies whose context similarity is within this of the best one's are told apart by position.
CONTEXT_TIE = 0.15


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


def _one_side_exact(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """One side of the context exactly as stored, and the other side's stored text found nowhere, not
    even nearly (had it survived elsewhere, the passage's own place would still be there, edited)."""
    before = bool(prefix) and text[max(0, start - len(prefix)) : start] == prefix
    after = bool(suffix) and text[end : end + len(suffix)] == suffix
    if before == after:
        return before
    other = (suffix if before else prefix).strip()
    return len(other) < 8 or fuzz.partial_ratio(other, text) < 100 * OTHER_SIDE_GONE


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


def _mid_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


def _edge_rules(a: Annotation) -> tuple[bool, bool]:
    """Whether the stored range began / ended on a word edge (then a new range must too)."""
    q = a.exact
    start_mid = bool(a.prefix) and a.prefix[-1].isalnum() and q[:1].isalnum()
    end_mid = bool(a.suffix) and q[-1:].isalnum() and a.suffix[0].isalnum()
    return not start_mid, not end_mid


def _allowed(text: str, a: Annotation, i: int, *, at_start: bool) -> bool:
    """Can a new range start (or end) at ``i``? Not inside a word when the original was on a word edge,
    and not on white space the original did not begin (end) with."""
    on_edge_start, on_edge_end = _edge_rules(a)
    if at_start:
        if on_edge_start and _mid_word(text, i):
            return False
        return not (i < len(text) and text[i].isspace() and not a.exact[:1].isspace())
    if on_edge_end and _mid_word(text, i):
        return False
    return not (i > 0 and text[i - 1].isspace() and not a.exact[-1:].isspace())


def _refine(text: str, a: Annotation, start: int, end: int) -> _Candidate:
    """Best boundaries near ``[start, end)`` for the quote (an edit may change the length, and the
    aligner proposes a span of the quote's length). Coordinate search over the allowed boundaries (word
    edges when the original range was on word edges, see :func:`_allowed`): move the start, then the
    end, twice, within ``k`` characters."""
    q = a.exact
    k = max(8, min(40, len(q) // 4))

    window = a.prefix + q + a.suffix

    def score(s: int, e: int) -> _Candidate:
        # the boundaries are chosen on the whole stored window (prefix + quote + suffix): a word replaced
        # at the edge of the quote stays inside the range, as it sits between the stored context
        qs = _sim(q, text[s:e])
        cs = _context_similarity(text, s, e, a.prefix, a.suffix)
        ws = _sim(window, text[max(0, s - len(a.prefix)) : e + len(a.suffix)])
        return _Candidate(s, e, qs, cs, 0.5 * qs + 0.5 * ws)

    def starts(lo: int, hi: int) -> list[int]:
        return [s for s in range(max(0, lo), min(len(text), hi) + 1) if _allowed(text, a, s, at_start=True)]

    def ends(lo: int, hi: int) -> list[int]:
        return [e for e in range(max(0, lo), min(len(text), hi) + 1) if _allowed(text, a, e, at_start=False)]

    def nearest(options: list[int], at: int) -> list[int]:
        left = [o for o in options if o <= at]
        right = [o for o in options if o >= at]
        return sorted({*(left[-1:] or []), *(right[:1] or [])}) or [at]

    best = score(start, end)
    snapped = [
        score(s, e)
        for s in nearest(starts(start - k, start + k), start)
        for e in nearest(ends(end - k, end + k), end)
        if e > s
    ]
    if snapped:
        best = max(snapped, key=lambda c: c.score)
    for _ in range(2):
        s0, e0 = best.start, best.end
        for s in starts(s0 - k, min(e0 - 1, s0 + k)):
            c = score(s, e0)
            if c.score > best.score:
                best = c
        s0 = best.start
        for e in ends(max(s0 + 1, e0 - k), e0 + k):
            c = score(s0, e)
            if c.score > best.score:
                best = c
    best = _take_in_edge_words(text, a, best, score)
    mapped = _map_through_word_diff(text, a, best.start, best.end, k)
    if mapped is not None and mapped != (best.start, best.end):
        m = score(*mapped)
        # (or when it is the stored context that agrees better: a long word replaced at an edge of a
        # short quote costs it much quote similarity, yet it sits where the stored one did)
        closer = m.context > best.context and m.quote >= MIN_QUOTE_SIMILARITY
        if m.quote >= best.quote - MAPPED_SLACK or closer:
            return m
    return best


_WORD_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def _map_through_word_diff(text: str, a: Annotation, start: int, end: int, slack: int) -> tuple[int, int] | None:
    """The stored range carried into the text around ``[start, end)`` by a word-level diff of the stored
    prefix + quote + suffix against it: a word replaced at an edge of the quote stays in, words inserted
    at its edges stay out. None when the stored range was not on word edges."""
    on_start, on_end = _edge_rules(a)
    if not (on_start and on_end):
        return None
    lo = max(0, start - len(a.prefix) - slack)
    hi = min(len(text), end + len(a.suffix) + slack)
    while lo > 0 and _mid_word(text, lo):
        lo -= 1
    while hi < len(text) and _mid_word(text, hi):
        hi += 1
    pre, quote, suf = (_WORD_TOKENS.findall(x) for x in (a.prefix, a.exact, a.suffix))
    new = _WORD_TOKENS.findall(text[lo:hi])
    offsets = [lo]
    for t in new:
        offsets.append(offsets[-1] + len(t))
    i_start, i_end = len(pre), len(pre) + len(quote)
    ops = SequenceMatcher(None, pre + quote + suf, new, autojunk=False).get_opcodes()

    def carry(i: int, at_start: bool) -> int | None:
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal" and i1 <= i < i2:
                return j1 + (i - i1)
            if tag == "equal" and i == i2 and not at_start:
                return j2
            if tag == "replace" and i1 < i < i2 and i2 - i1 == j2 - j1:
                return j1 + (i - i1)  # words replaced one for one (typos fixed): the boundary between them
            if tag != "equal" and i1 < i < i2:
                return j1 if at_start else j2  # inside a replaced run: keep it whole, inside
            if tag != "equal" and i == i1 and at_start:
                return j1 if tag == "replace" else j2  # a replaced first word stays in; an insertion stays out
            if tag != "equal" and i == i2 and not at_start:
                return j2 if tag == "replace" else j1
        return None

    js, je = carry(i_start, True), carry(i_end, False)
    if js is None or je is None or je <= js:
        return None
    s, e = offsets[js], offsets[je]
    while s < e and text[s].isspace() and not a.exact[:1].isspace():
        s += 1
    while e > s and text[e - 1].isspace() and not a.exact[-1:].isspace():
        e -= 1
    return (s, e) if e > s else None


def _take_in_edge_words(text: str, a: Annotation, c: _Candidate, score) -> _Candidate:
    """A word replaced at the very start or end of the quote sits between the stored context and the
    rest of the quote: take it in when the stored prefix (suffix) then matches clearly better."""
    s, e = c.start, c.end
    if a.prefix:
        s2 = s - 1
        while s2 > 0 and text[s2 - 1].isspace():
            s2 -= 1
        while s2 > 0 and not text[s2 - 1].isspace():
            s2 -= 1
        if 0 <= s2 < s and "\n" not in text[s2:s] and _allowed(text, a, s2, at_start=True):
            before = _sim(a.prefix, text[max(0, s - len(a.prefix)) : s])
            after = _sim(a.prefix, text[max(0, s2 - len(a.prefix)) : s2])
            if after >= before + EDGE_GAIN:
                s = s2
    if a.suffix:
        e2 = e + 1
        while e2 < len(text) and text[e2].isspace():
            e2 += 1
        while e2 < len(text) and not text[e2].isspace():
            e2 += 1
        if e < e2 <= len(text) and "\n" not in text[e:e2] and _allowed(text, a, e2, at_start=False):
            before = _sim(a.suffix, text[e : e + len(a.suffix)])
            after = _sim(a.suffix, text[e2 : e2 + len(a.suffix)])
            if after >= before + EDGE_GAIN:
                e = e2
    return c if (s, e) == (c.start, c.end) else score(s, e)


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
    picked = sorted(raw, key=raw.__getitem__, reverse=True)[:keep]
    if raw:
        nearest = min(raw, key=lambda r: abs(r[0] - a.start))
        if nearest not in picked:
            picked.append(nearest)
    # a word inserted into a short quote hides it from the aligner (a window of the quote's length no longer
    # holds it): the place between the stored prefix and suffix, where both are still found, is a candidate
    picked += [r for r in _between_context(text, a, lo, hi) if r not in picked]
    if not picked:
        return []
    out = [_refine(text, a, s, e) for s, e in picked]
    out.sort(key=lambda c: c.score, reverse=True)
    return out


def _between_context(text: str, a: Annotation, lo: int, hi: int, keep: int = 3) -> list[tuple[int, int]]:
    """Ranges of ``text[lo:hi]`` that sit right after a close match of the stored prefix's end and right
    before a close match of the stored suffix's start (best *keep* prefix matches, plus the nearest to the
    old place). Empty when either side of the stored context is too short to be told apart."""
    pre, suf = a.prefix[-CONTEXT_PROBE:], a.suffix[:CONTEXT_PROBE]
    if len(pre.strip()) < 8 or len(suf.strip()) < 8:
        return []
    width = 4 * len(pre)
    step = width // 2
    ends: dict[int, float] = {}
    pos = lo
    while pos < hi:
        chunk = text[pos : min(hi, pos + width)]
        al = fuzz.partial_ratio_alignment(pre, chunk, score_cutoff=100 * PROBE_SIMILARITY)
        if al is not None and al.score:
            ends[pos + al.dest_end] = max(al.score, ends.get(pos + al.dest_end, 0.0))
        if pos + width >= hi:
            break
        pos += step
    if not ends:
        return []
    picked = sorted(ends, key=ends.__getitem__, reverse=True)[:keep]
    nearest = min(ends, key=lambda e: abs(e - a.start))
    if nearest not in picked:
        picked.append(nearest)
    out = []
    reach = 2 * len(a.exact) + len(suf)
    for s in picked:
        chunk = text[s : min(hi, s + reach)]
        al = fuzz.partial_ratio_alignment(suf, chunk, score_cutoff=100 * PROBE_SIMILARITY)
        if al is not None and al.score and al.dest_start > 0:
            out.append((s, s + al.dest_start))
        elif s + len(a.exact) <= hi:
            out.append((s, s + len(a.exact)))  # the suffix was rewritten: the boundaries are refined
    return out


def _acceptable(a: Annotation, c: _Candidate) -> bool:
    if len(a.exact.strip()) < SHORT_QUOTE:
        # a short quote resembles many places: it needs a close quote and agreeing context, or, when
        # the context around it is the stored one almost word for word, a quote as close as a long one's
        return (c.quote >= MIN_SHORT_QUOTE_SIMILARITY and c.context >= MIN_SHORT_CONTEXT_SIMILARITY) or (
            c.quote >= MIN_QUOTE_SIMILARITY and c.context >= SURE_CONTEXT
        )
    return c.quote >= MIN_QUOTE_SIMILARITY


def _near_edited_copy(text: str, a: Annotation, occ: list[int]) -> _Candidate | None:
    """The best fuzzy match around the old place whose context still agrees (≥ 0.8) and which is none
    of the exact occurrences *occ*, or None."""
    q = a.exact
    lo = max(0, a.start - 2 * len(q) - FAR)
    hi = min(len(text), a.end + 2 * len(q) + FAR)
    near = [
        c
        for c in _fuzzy_candidates(text, a, lo, hi)
        if c.context >= 0.8 and not any(c.start < o + len(q) and o < c.end for o in occ)
    ]
    return max(near, key=lambda c: c.score) if near else None


def _by_exact(text: str, a: Annotation, occ: list[int]) -> AnchorResult | None:
    """Step 2: the passage among the exact occurrences *occ* of its quote, or None when they are no
    evidence (a short quote's copies with context that does not agree: the fuzzy step decides)."""
    q = a.exact
    short = len(q.strip()) < SHORT_QUOTE
    ctx = {i: _context_similarity(text, i, i + len(q), a.prefix, a.suffix) for i in occ}
    top = max(ctx.values())
    # Copies whose context is about as good as the best one cannot be told apart by context: the
    # nearest to the old place among the very best is taken, and only trusted when the next one is much
    # farther away.
    rivals = sorted((i for i in occ if ctx[i] >= top - CONTEXT_TIE), key=lambda i: abs(i - a.start))
    i = next(i for i in rivals if ctx[i] >= top - CONTEXT_PICK)
    others = [j for j in rivals if j != i]
    cs = ctx[i]
    # (a short quote among copies with like context is never clear: its surroundings repeat too)
    clear = not others or (not short and 3 * abs(i - a.start) < abs(others[0] - a.start))
    # (a short quote is little evidence by itself: its context must agree more)
    enough = SURE_CONTEXT if short else STRONG_CONTEXT
    strong = clear and (cs >= enough or _context_exact(text, i, i + len(q), a.prefix, a.suffix))
    far = abs(i - a.start) > max(FAR, 2 * len(q))
    edited_here = False
    if far or not strong:
        # h #2798 and #13: is the annotated copy still near its old place, edited? Then the exact
        # words elsewhere are another copy of them, not the passage.
        near = _near_edited_copy(text, a, occ)
        edited_here = near is not None
        if near is not None and (near.context >= cs or not strong):
            if _acceptable(a, near):
                return AnchorResult(near.start, near.end, "moved", round(near.score, 4))
            strong = False  # the passage was edited where it was: the copy elsewhere is uncertain
    # Same words: anchored when their context agrees (or, for the only copy at about the same place,
    # half agrees); anything less certain is "moved", for the user to check.
    exact_ctx = _context_exact(text, i, i + len(q), a.prefix, a.suffix)
    if far and len(occ) > 1 and not exact_ctx:
        strong = False  # another copy of the words, far away, with other context: check it
    only = len(occ) == 1 and not edited_here
    one_side = _one_side_exact(text, i, i + len(q), a.prefix, a.suffix)
    sure = (
        strong
        or (only and not far and cs >= 0.5 and not short)
        # the only copy, one side of its context exactly as stored (the other side was rewritten,
        # e.g. the paragraph before it deleted)
        or (only and one_side)
    )
    if not sure and short and cs < MIN_SHORT_CONTEXT_SIMILARITY and not one_side and not only:
        return None  # a few common words found here and there, in other words: no sign of the passage
    return AnchorResult(i, i + len(q), "anchored" if sure else "moved", round(0.5 + 0.5 * cs, 4))


def reanchor(annotation: Annotation, text: str) -> AnchorResult:
    """Where *annotation* belongs in the side text *text* now (see the module doc for the rules)."""
    a = annotation
    q = a.exact
    # 1. by position
    if (
        q
        and 0 <= a.start <= a.end <= len(text)
        and text[a.start : a.end] == q
        and _context_similarity(text, a.start, a.end, a.prefix, a.suffix) >= STRONG_CONTEXT
    ):
        return AnchorResult(a.start, a.end, "anchored", 1.0)
    if not q:
        return AnchorResult(a.start, a.end, "orphaned", 0.0)
    n = max(1, len(text))

    # 2. by exact quote, context and position
    # copies that begin or end inside a word are not the passage when it was made of whole words
    occ = [
        i
        for i in _occurrences(text, q)
        if _allowed(text, a, i, at_start=True) and _allowed(text, a, i + len(q), at_start=False)
    ]
    placed = _by_exact(text, a, occ) if occ else None
    if placed is not None:
        return placed

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
