"""What to translate next: the rows the reader has on screen first, then the rest in length-sorted batches.

``WantedRows`` is the hint a window keeps up to date (from its GUI thread, on every scroll, jump and
resize) and a translation job reads (from its worker thread) before each batch. ``BatchPlan`` turns the
sentences still to translate and that hint into batches:

1. the untranslated sentences of the rows on screen, top to bottom, in one batch (the very first batch
   of a job is only the top row on screen, at most ``top`` sentences, so the first English shows as early
   as the model allows; the title above the first row, ``header``, waits for the next batch: measured
   on the fr→en shape, a second sentence in a batch costs about a third of a batch of one, the next
   ones little);
2. then a screenful of the rows nearest the screen (below it, and half as far above it), once for each
   place the screen comes to (a reader reading on keeps the rows ahead coming first), while more than
   ``NEAR_MIN_BATCHES`` batches are left;
3. then everything else, longest first, in full batches: the length-sorted batching of the engine
   (little padding, the slowest batches not left for last). Once what is left fits in two batches it
   goes to the engine in one call, whatever is on screen, and the engine sorts it.

A batch costs about its size times its longest sentence (every sentence is padded to it), so the
batches chosen by place (1, 2) cost more per sentence than length-sorted ones: they are kept to what
the reader sees and is about to see, and a short article is left to the engine's order after its top.

The plan consults the hint before every batch, so a jump moves the next batch to the new place; a
sentence is never planned twice. Without a hint (the CLI), it keeps the job's reading-order head
(``lead`` sentences) then hands the engine all the rest in one call, as before.

Pure Python: no Qt, no storage; the rows are paragraph indices.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence


#: The rows near the screen get a batch of their own only while more than this many batches are left:
#: with fewer, everything is translated in about the time it takes to read the screen, and a small batch
#: chosen by place costs more per sentence than a full length-sorted one.
NEAR_MIN_BATCHES = 6


class WantedRows:
    """Thread-safe: the range of rows (paragraphs, first and last included) on screen, or None."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: tuple[int, int] | None = None

    def set(self, first: int, last: int) -> None:
        with self._lock:
            self._rows = (min(first, last), max(first, last))

    def clear(self) -> None:
        with self._lock:
            self._rows = None

    def get(self) -> tuple[int, int] | None:
        with self._lock:
            return self._rows


class BatchPlan:
    """Batches over ``sources`` (distinct sentences to translate) whose rows are ``rows[i]`` (the
    paragraphs where source ``i`` occurs; empty for one shown nowhere). ``header``: the sources shown
    above row 0 (the title; give them row 0 too): they go with the screen's rows, never in the first batch.

    ``next_batch()`` returns the indices of the next batch (empty when all are planned). With ``wanted``
    None it yields the first ``lead`` sources (the job lists them in reading order), then all the rest
    at once (when there are more than twice ``lead``; else all at once).
    """

    def __init__(self, sources: Sequence[str], rows: Sequence[Sequence[int]], wanted: WantedRows | None,
                 batch: int = 32, lead: int = 6, top: int = 4, header: Sequence[int] = ()) -> None:
        self.wanted = wanted
        self._header = frozenset(header)
        self.batch = max(1, batch)
        self.lead = max(1, lead)
        self.top = max(1, top)
        self._near_for: tuple[int, int] | None = None  # the screen the last near batch was for
        self._left = set(range(len(sources)))
        self._first = True
        # row → its sources (in sentence order); the rest longest first (what the engine does within a call)
        self._by_row: dict[int, list[int]] = {}
        for i, where in enumerate(rows):
            for p in where:
                self._by_row.setdefault(p, []).append(i)
        self._longest = sorted(range(len(sources)), key=lambda i: (-len(sources[i]), i))
        self._cursor = 0
        self._last_row = max(self._by_row, default=-1)
        #: Whether the last batch returned was rows on screen (the top row, or the screen after a move):
        #: the reader is waiting for exactly those.
        self.on_screen = False

    def __len__(self) -> int:
        """How many sources are not planned yet."""
        return len(self._left)

    def next_batch(self) -> list[int]:
        self.on_screen = False
        if not self._left:
            return []
        view = self.wanted.get() if self.wanted is not None else None
        if self.wanted is None:
            if self._first:
                self._first = False
                head = list(range(self.lead)) if len(self._left) > 2 * self.lead else []
                if head:
                    return self._take(head)
            return self._take(sorted(self._left))
        if view is not None:
            first, last = view
            if self._first:
                self._first = False
                for p in range(first, last + 1):  # the top row with something to translate
                    top = self._pick((p,), self.top, skip=self._header)
                    if top:
                        self.on_screen = True
                        return self._take(top)
            if len(self._left) <= 2 * self.batch:  # the end: all that is left, the engine sorts it
                return self._take(sorted(self._left))
            on_screen = self._pick(range(first, last + 1), self.batch)
            if on_screen:
                self.on_screen = True
                return self._take(on_screen)
            if view != self._near_for and len(self._left) > NEAR_MIN_BATCHES * self.batch:
                self._near_for = view
                screenful = sum(len(self._by_row.get(p, ())) for p in range(first, last + 1))
                near = self._pick(_outward(first, last, self._last_row), min(self.batch, max(self.top, screenful)))
                if near:
                    return self._take(near)
        self._first = False
        if len(self._left) <= 2 * self.batch:  # the end: all that is left, the engine sorts it
            return self._take(sorted(self._left))
        out: list[int] = []
        while len(out) < self.batch and self._cursor < len(self._longest):
            i = self._longest[self._cursor]
            self._cursor += 1
            if i in self._left:
                out.append(i)
        return self._take(out)

    def _pick(self, rows, limit: int, skip: frozenset[int] = frozenset()) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        for p in rows:
            for i in self._by_row.get(p, ()):
                if i in self._left and i not in seen and i not in skip:
                    seen.add(i)
                    out.append(i)
                    if len(out) >= limit:
                        return out
        return out

    def _take(self, batch: list[int]) -> list[int]:
        self._left.difference_update(batch)
        return batch


def _outward(first: int, last: int, last_row: int):
    """The rows below ``last`` and above ``first`` (up to ``last_row``), nearest first, two below for
    one above."""
    d = 1
    while last + d <= last_row or first - d // 2 >= 0:
        if last + d <= last_row:
            yield last + d
        if d % 2 == 0 and first - d // 2 >= 0:
            yield first - d // 2
        d += 1
