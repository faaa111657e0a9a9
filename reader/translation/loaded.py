"""The CTranslate2 translators loaded in this process, one per model folder and threading setup.

Shared by the engine (which loads through it) and the package management (which drops it when a model
is removed or installed, so that a model reinstalled into the same folder is loaded afresh and a removed
one no longer holds its memory). Kept apart so that neither imports the other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

_translators: dict[tuple, object] = {}
_lock = threading.Lock()
_generation = 0


def get(model_dir: Path, intra_threads: int, inter_threads: int, compute_type: str, load: Callable[[], object]):
    """The translator for these settings, loaded by ``load()`` the first time."""
    key = (str(model_dir.resolve()), intra_threads, inter_threads, compute_type)
    with _lock:
        translator = _translators.get(key)
        if translator is None:
            translator = load()
            _translators[key] = translator
        return translator


def clear() -> None:
    """Forget every loaded model (after a model was removed or replaced)."""
    global _generation
    with _lock:
        _translators.clear()
        _generation += 1


def generation() -> int:
    """Changes on every :func:`clear`: engines reload their tokenizer when it does."""
    return _generation


def count() -> int:
    """How many translators are loaded."""
    with _lock:
        return len(_translators)
