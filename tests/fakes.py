"""A deterministic fake engine for tests that are about something else (GUI layout, storage).

Never used by the product. Translation-behaviour tests use the synthetic Argos model instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from reader.core.progress import Progress


class FakeEngine:
    """« Bonjour le monde. » → « EN: Bonjour le monde. » (optionally slow, to test live filling).

    ``hold_after=N``: after N sentences (over all calls) a cancellable call (one given a ``progress``)
    holds until it is cancelled or ``resume`` is set: a job that is certainly still running, whatever
    the machine's speed.
    """

    model_id = "fake:fr-en:1"

    def __init__(self, delay: float = 0.0, hold_after: int | None = None) -> None:
        self.delay = delay
        self.hold_after = hold_after
        self.resume = threading.Event()
        self.n_translated = 0
        self.calls: list[list[str]] = []

    def translate(
        self,
        sentences: Sequence[str],
        progress: Progress | None = None,
        on_result: Callable[[int, str], None] | None = None,
    ) -> list[str]:
        self.calls.append(list(sentences))
        out = []
        for i, s in enumerate(sentences):
            if progress is not None:
                progress.check()
            if progress is not None and self.hold_after is not None and self.n_translated >= self.hold_after:
                while not self.resume.wait(0.01):  # a cancel request ends the hold (progress.check)
                    progress.check()
            if self.delay:
                time.sleep(self.delay)
            t = f"EN: {s}"
            self.n_translated += 1
            out.append(t)
            if on_result is not None:
                on_result(i, t)
            if progress is not None:
                progress.advance()
        return out
