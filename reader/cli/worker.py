"""Long commands run their job in a worker thread so that Ctrl-C can cancel it cleanly.

Ctrl-C is delivered to the main thread, which only waits; on Ctrl-C it asks the job to stop
(``Progress.cancel``: the job stops between batches, so what is finished is kept) and waits for it to
end before the process may exit. The job opens its own ``Store`` in the worker thread (a connection
never crosses threads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from reader.core.progress import Progress

T = TypeVar("T")


def run_cancellable(db_path, job: Callable[[object], T], progress: Progress, name: str) -> T:
    """``job(store)`` in a worker thread on its own ``Store(db_path)``; its result, or its error
    re-raised here (``Cancelled`` included). On Ctrl-C: cancel, wait for the job to end, then raise
    ``KeyboardInterrupt`` for the command to say what was kept."""
    outcome: dict[str, object] = {}
    finished = threading.Event()
    thread = threading.Thread(target=_work, args=(db_path, job, outcome, finished), name=name, daemon=True)
    thread.start()
    try:
        _wait(finished)
    except KeyboardInterrupt:
        # Let the batch in flight finish (and be stored). Not thread.join(): on CPython 3.11 a join
        # interrupted by Ctrl-C can later return while the thread still runs, and the process then
        # exits under a translator still working, which crashes.
        progress.cancel()
        _wait(finished)
        raise
    thread.join()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["value"]  # type: ignore[return-value]


def _wait(finished: threading.Event) -> None:
    while not finished.wait(0.1):
        pass


def _work(db_path, job: Callable[[object], object], outcome: dict, finished: threading.Event) -> None:
    """Whatever happens, even the connection failing to open, ends in ``finished`` being set, the
    result or the error in ``outcome``."""
    from reader.storage.store import Store

    worker_store = None
    try:
        worker_store = Store(db_path)
        outcome["value"] = job(worker_store)
    except BaseException as exc:  # re-raised in the main thread
        outcome["error"] = exc
    finally:
        try:
            if worker_store is not None:
                worker_store.close()
        finally:
            finished.set()
