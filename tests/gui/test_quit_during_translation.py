"""#14.3: quitting during a translation is prompt: the job stops inside the running CTranslate2 batch,
close waits on no batch and logs no error, and the worker thread ends."""

from __future__ import annotations

import threading

import pytest

pytestmark = pytest.mark.gui


class HeldBatch:
    """Wraps a CTranslate2 translator: every batch is held (not done) until ``release`` is set, as a long
    batch of the real model on a busy machine would be."""

    def __init__(self, translator) -> None:
        self.translator = translator
        self.started = threading.Event()
        self.release = threading.Event()

    def __getattr__(self, name):
        return getattr(self.translator, name)

    def translate_batch(self, *args, asynchronous=False, **kwargs):
        self.started.set()
        if not asynchronous:  # a blocking call can only wait for the batch to end
            self.release.wait()
            return self.translator.translate_batch(*args, **kwargs)
        return [Held(r, self.release) for r in self.translator.translate_batch(*args, asynchronous=True, **kwargs)]


class Held:
    def __init__(self, result, release: threading.Event) -> None:
        self._result, self._release = result, release

    def done(self) -> bool:
        return self._release.is_set() and self._result.done()

    def result(self):
        self._release.wait()
        return self._result.result()


def test_closing_during_a_translation_is_prompt(qtbot, make_window, installed_synthetic_model, monkeypatch):
    from reader.gui import errors
    from reader.translation import argos_engine, batches

    held: list[HeldBatch] = []
    real_get = argos_engine._get_translator

    def get_translator(*args, **kwargs):
        if not held:
            held.append(HeldBatch(real_get(*args, **kwargs)))
        return held[0]

    monkeypatch.setattr(argos_engine, "_get_translator", get_translator)
    logged: list[BaseException] = []
    real_log = errors.log_exception
    monkeypatch.setattr(errors, "log_exception", lambda exc, *a: (logged.append(exc), real_log(exc, *a))[1])
    window = make_window(engine_factory=lambda: argos_engine.load_default_engine(max_decoding_length=6),
                         settle=None)
    longest = max(window.store.list_articles(), key=lambda a: a.n_sentences)
    window.open_article(longest.id)
    try:
        qtbot.waitUntil(lambda: bool(held) and held[0].started.is_set(), timeout=30000)
        assert window.jobs.running("translate")
        window.close()  # returns while the batch is still held
        assert not window.isVisible()
        assert not [e for e in logged if isinstance(e, TimeoutError)], logged
        # the worker does not wait for the batch: its thread ends while the batch is still running
        pools = window.jobs.pools.values()
        qtbot.waitUntil(lambda: all(p.activeThreadCount() == 0 for p in pools), timeout=10000)
        assert not held[0].release.is_set()
        # the GUI entry point ends the process at once rather than wait for that batch on exit
        assert batches.batch_still_running()
    finally:
        if held:
            held[0].release.set()
    qtbot.waitUntil(lambda: not batches.batch_still_running(), timeout=60000)
