"""Progress reporting and cancellation for long jobs, independent of any GUI toolkit.

A job function takes a ``Progress`` and calls ``progress.advance()`` / ``progress.check()``;
the CLI prints a bar from it, the GUI worker forwards it as Qt signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """Raised inside a job when its ``Progress`` was cancelled."""


class Progress:
    """Thread-safe progress counter with a cancel flag and an optional callback.

    ``callback(done, total, message)`` is called from the job's thread.
    """

    def __init__(
        self,
        callback: Callable[[int, int, str], None] | None = None,
        total: int = 0,
    ) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self.total = total
        self.done = 0

    def start(self, total: int, message: str = "") -> None:
        self.total = total
        self.done = 0
        self._emit(message)

    def advance(self, n: int = 1, message: str = "") -> None:
        self.done += n
        self._emit(message)

    def _emit(self, message: str) -> None:
        if self._callback is not None:
            self._callback(self.done, self.total, message)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if the job was cancelled."""
        if self._cancel.is_set():
            raise Cancelled()


class ProgressShare:
    """One part of a job that runs in several calls: ``start()`` is ignored (the parent's total covers
    every part); advancing, checking and cancelling go to the parent ``Progress``."""

    def __init__(self, parent: Progress) -> None:
        self._parent = parent

    def start(self, total: int, message: str = "") -> None:
        pass

    def advance(self, n: int = 1, message: str = "") -> None:
        self._parent.advance(n, message)

    def cancel(self) -> None:
        self._parent.cancel()

    @property
    def cancelled(self) -> bool:
        return self._parent.cancelled

    def check(self) -> None:
        self._parent.check()


class CancelOnly(ProgressShare):
    """A part of a job whose steps the job's progress does not count: only its cancellation applies."""

    def advance(self, n: int = 1, message: str = "") -> None:
        pass
