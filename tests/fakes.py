"""A deterministic fake engine for tests that are about something else (GUI layout, storage).

Never used by the product. Translation-behaviour tests use the synthetic Argos model instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from reader.core.progress import Progress


class FakeEngine:
    """« Bonjour le monde. » → « EN: Bonjour le monde. » (optionally slow, to test live filling)."""

    model_id = "fake:fr-en:1"

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
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
            if self.delay:
                time.sleep(self.delay)
            t = f"EN: {s}"
            out.append(t)
            if on_result is not None:
                on_result(i, t)
            if progress is not None:
                progress.advance()
        return out
