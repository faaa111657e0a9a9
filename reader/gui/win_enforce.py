"""The glossary enforced in the English, kept up to date off the GUI thread (#11).

``EnforceController`` runs ``reader.gui.workers.enforce_job`` on the engine's serial pool:

- after a glossary change (an entry added, edited — its "enforce in the translation" flag included —,
  deleted, imported, or any of these undone): the entries whose term, rendering or flag changed, as they
  were and as they are, are re-enforced in exactly the library's sentences holding their terms
  (``reader.ops.enforce.reenforce``);
- when an already-translated article opens, or View ▸ Enforce Glossary is turned on: what the open
  article lacks (translated before an entry existed, or while enforcement was off) is enforced.

The rows of the open article update after each stored chunk; progress shows in the status bar and the
Cancel button stops it (what is stored stays). The engine is loaded only when something is missing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from reader.core.errors import ModelError, ReaderError
from reader.gui.workers import Job, enforce_job

VERB = "Enforcing the glossary"


class EnforceController(QObject):
    """See the module doc."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.job: Job | None = None
        self._queued: tuple[bool, list] | None = None  # (the open article, changed entries) asked meanwhile
        self._entries = self._snapshot()

    def _snapshot(self) -> dict:
        try:
            return {e.id: e for e in self.w.store.glossary()}
        except ReaderError:
            return {}

    # --- triggers -------------------------------------------------------------------------------
    def on_changes(self, changes) -> None:
        """The window's change signal: re-enforce what a glossary change touches."""
        if not changes.glossary:
            return
        before, self._entries = self._entries, self._snapshot()
        changed = []
        for entry_id in before.keys() | self._entries.keys():
            old, new = before.get(entry_id), self._entries.get(entry_id)
            if old is None or new is None or (old.term, old.translation, old.enforce) != (new.term, new.translation, new.enforce):
                changed += [e for e in (old, new) if e is not None]
        if changed:
            self.start(changed=changed)

    def enforce_open(self) -> Job | None:
        """Enforce what the open article lacks (nothing is started when the glossary enforces nothing)."""
        if not any(e.enforce and e.translation.strip() for e in self._snapshot().values()):
            return None
        return self.start(article=True)

    def start(self, article: bool = True, changed: list | None = None) -> Job | None:
        w = self.w
        if not w.settings.enforce_glossary or w.model.state == "missing":
            return None  # shown again later: opening an article (or turning it on) enforces what it lacks
        if w.jobs.is_active(self.job):
            was_article, was_changed = self._queued or (False, [])
            self._queued = (was_article or article, was_changed + list(changed or []))
            return self.job
        article_id = w.articles.article_id if article else None
        if article_id is None and not changed:
            return None
        self.job = w.jobs.start(
            "enforce",
            enforce_job(w.db_path, w.engine, w.model.model_id or None, article_id, list(changed or []) or None),
            pool="serial",  # the engine is used by one job at a time
            on_item=self._on_item,
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_failed=self._on_failed,
            on_cancelled=self._finished,
        )
        self.w.update_actions()
        return self.job

    def cancel(self) -> None:
        """The status bar's Cancel: stop now; the sentences enforced so far are kept."""
        if self.job is not None:
            self.w.jobs.cancel(self.job)
            self._queued = None
            self._finished()

    def running(self) -> bool:
        return self.w.jobs.is_active(self.job)

    # --- the job's reports (GUI thread) --------------------------------------------------------------
    def _translating(self) -> bool:
        return self.w.jobs.is_active(self.w.articles.translation_job)

    def _on_item(self, kind: str, *data) -> None:
        w = self.w
        if kind == "engine" and w.model.state != "ready":
            w.model.engine_ready(data[0])
        elif kind == "stored" and w.articles.article_id is not None:
            w.articles.refill_if_showing(data[0])

    def _on_progress(self, done: int, total: int, _message: str) -> None:
        if self._translating() or not total:
            return  # the translation job has the status bar
        status = self.w.job_status
        status.show_progress(done, total, self.job.eta_seconds() if self.job is not None else None, VERB)
        status.show()

    def _on_done(self, result) -> None:
        self._finished()
        self.w.notify(result.changes)
        if result.count:
            n = result.count
            text = f"Enforced the glossary in {n} sentence{'s' if n != 1 else ''}."
            # the change that started this job may have just reported itself ("2 added, 1 updated"): keep it
            current = self.w.statusBar().currentMessage()
            if current and not current.startswith("Enforced the glossary"):
                text = f"{current} {text}"
            self.w.statusBar().showMessage(text, 8000)

    def _on_failed(self, exc: BaseException) -> None:
        self._finished()
        if not isinstance(exc, ModelError):  # no model: nothing enforced, said by the model state
            self.w.statusBar().showMessage(f"Enforcing the glossary: {exc}", 8000)

    def _finished(self) -> None:
        self.job = None
        if not self._translating():
            self.w.job_status.hide()
        self.w.update_actions()
        queued, self._queued = self._queued, None
        if queued is not None:
            self.start(*queued)
