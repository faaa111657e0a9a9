"""Waiting for a CTranslate2 batch while staying cancellable (#14.3).

``translate_batch(..., asynchronous=True)`` decodes in CTranslate2's own thread; :func:`await_batch`
looks at the job's cancel flag while it runs, so a cancel (a closing window) returns at once instead of
after the batch. The abandoned batch still finishes in CTranslate2's thread (its results dropped);
:func:`batch_still_running` tells the GUI entry point not to wait for it on exit. Used by the engine's
translation and alignment passes and by the glossary enforcing.
"""

from __future__ import annotations

import threading
import time

from reader.core.progress import Cancelled, Progress

__all__ = ["CANCEL_POLL_S", "await_batch", "batch_still_running"]

#: While a batch runs (asynchronously, in CTranslate2's own thread), how often the job's cancel flag is
#: looked at: a cancel (a closing window) returns within this, not after the batch (#14.3).
CANCEL_POLL_S = 0.02


def await_batch(async_results, progress: Progress | None) -> list:
    """The results of an asynchronous ``translate_batch``, raising ``Cancelled`` as soon as ``progress``
    is cancelled (the batch then finishes in CTranslate2's thread, its results dropped; see
    :func:`batch_still_running`)."""
    if progress is not None:
        for r in async_results:
            while not r.done():
                try:
                    progress.check()
                except Cancelled:
                    with _abandoned_lock:
                        _abandoned.extend(async_results)
                    raise
                time.sleep(CANCEL_POLL_S)
    return [r.result() for r in async_results]


_abandoned: list = []
_abandoned_lock = threading.Lock()


def batch_still_running() -> bool:
    """Whether a cancelled job left a batch decoding in CTranslate2's thread: the process would wait
    for it on exit (the translator's destructor joins its thread), which the window's quit avoids."""
    with _abandoned_lock:
        _abandoned[:] = [r for r in _abandoned if not r.done()]
        return bool(_abandoned)
