"""The translation engine interface.

Every engine (the Argos/CTranslate2 engine of the product, a test fake, a future LibreTranslate client)
implements this protocol; the GUI, the CLI and the jobs only ever see it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from reader.core.progress import Progress


@runtime_checkable
class TranslationEngine(Protocol):
    """Translates French sentences to English, offline."""

    #: Stable identifier of the model and its version, the cache key of stored translations,
    #: e.g. ``"argos:fr-en:1.9"``.
    model_id: str

    def translate(
        self,
        sentences: Sequence[str],
        progress: Progress | None = None,
        on_result: Callable[[int, str], None] | None = None,
    ) -> list[str]:
        """Translate ``sentences`` (each one sentence, already segmented) and return them in order.

        ``on_result(index, translation)`` is called, from the calling thread, as soon as each sentence is
        done (batches finish out of input order; the index is into ``sentences``). ``progress`` is advanced
        by one per sentence and checked between batches: when it is cancelled the call raises
        ``reader.core.progress.Cancelled`` after delivering what was finished.
        """
        ...
