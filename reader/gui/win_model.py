"""The translation model as the window sees it: a small state machine and what shows it.

States: ``unknown`` (a model may be installed, not loaded yet), ``ready`` (the engine is loaded: its
``model_id`` is known), ``missing`` (no model: a banner offers to get one, the English side says why).
``ModelController`` moves between them — the cheap start-up check, the engine reporting its model id
from the translation job, an install, a removal, a failed load — and shows the state in the status bar,
the banner and the view.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from reader.core.errors import ReaderError
from reader.gui.workers import model_label


class ModelController(QObject):
    """The model state of a window (see the module doc)."""

    def __init__(self, window, default_engine: bool) -> None:
        super().__init__(window)
        self.w = window
        self.default_engine = default_engine  # the installed Argos model (not a test's engine factory)
        self.model_id: str | None = None
        self.state = "unknown"  # unknown (not loaded yet) | ready | missing

    def _set_model_id(self, model_id: str | None) -> bool:
        changed = model_id != self.model_id
        self.model_id = model_id
        self.w.library.model_id = model_id
        return changed

    def check_installed(self) -> None:
        """At start-up and after an install: is the default model installed? (Cheap: nothing is loaded.)"""
        try:
            from reader.translation.packages import model_status

            status = model_status()
        except ReaderError as exc:
            self.set_state("missing", str(exc))
            return
        if status.installed:
            self._set_model_id(status.model_id)
            self.set_state("unknown")
            self.w.library.refresh()  # the translated shares are counted for this model
        else:
            self.set_state("missing")

    def set_state(self, state: str, detail: str = "") -> None:
        w = self.w
        self.state = state
        if state == "missing":
            self._set_model_id(None)
            # the library counts what can be read: the English saved by the most used cached model
            counted = w.store.most_used_translation_model()
            if counted:
                w.library.model_id = counted
                w.library.refresh()
        w.articles.show_english_state()  # the English stays readable; the message only when there is none
        w.banner.setVisible(state == "missing")
        if detail and state == "missing":
            w.banner.setToolTip(detail)
        self.show_state()
        w.update_actions()

    def show_state(self) -> None:
        if self.state == "missing":
            text = "No model"
        elif self.model_id:
            text = f"Model: {model_label(self.model_id)}"
        else:
            text = "Model: not loaded yet"
        self.w.model_label.setText(text)

    def engine_ready(self, model_id: str) -> None:
        """The translation job loaded the engine: now its model id is known."""
        changed = self._set_model_id(model_id)
        self.set_state("ready")
        if changed:
            self.w.library.refresh()

    def on_installed(self) -> None:
        w = self.w
        w.engine.reset()
        self.state = "unknown"
        if self.default_engine:
            self.check_installed()
        else:
            self.set_state("unknown")
        if w.article_id is not None:
            w.articles.reopen()  # reload with the model id and start translating
            w.articles.start_translation()

    def on_removed(self) -> None:
        """The model went away: its cached English and the hand edits stay shown (#14)."""
        self.w.articles.stop_translation_job()
        self.w.engine.reset()
        self.set_state("missing")
        if self.w.article is not None:
            self.w.articles.refill()
