"""What the window says when there is nothing to show: the parallel view with no article open, and the
library with no article at all. Both say what to do next, with buttons for it (and their shortcuts)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from reader.gui.empty_state import EmptyState, action_button
from reader.ops.library import sample_articles_dir

WELCOME = "Vis-à-vis shows French text beside its English translation."


class EmptyStates(QObject):
    """The view's empty state (``overlay``; see the module doc)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.overlay = EmptyState(window.view.viewport(), "viewEmpty")

    def connect(self) -> None:
        w = self.w
        w.articles.opened.connect(lambda _id: self.update())
        w.changed.connect(lambda changes: self.update() if changes.articles else None)
        self.update()

    def add_buttons(self) -> list:
        a = self.w.commands
        buttons = []
        if sample_articles_dir() is not None:
            buttons.append(("Add the Sample Articles", self.import_samples))
        buttons += [action_button("Import a File…", a["file.import"]),
                    action_button("Paste Text as an Article", a["file.paste"])]
        return buttons

    def import_samples(self) -> None:
        folder = sample_articles_dir()
        if folder is not None:
            self.w.import_files(sorted(folder.glob("*.md")))

    def update(self) -> None:
        w = self.w
        if w.article is not None:
            self.overlay.hide()
            return
        try:
            empty = w.store.is_empty()
        except Exception:  # noqa: BLE001 (the library's own panel says what is wrong)
            empty = False
        if empty:
            self.overlay.show_state("Your library is empty", f"{WELCOME} Bring in an article to start — "
                                    "or drop a file or text here:", self.add_buttons())
            return
        library = w.commands["view.library"]
        where = ("in the library on the left" if not w.library.isHidden()
                 else f"in the library (Show Library: {library.shortcut().toString()})")
        self.overlay.show_state(
            "No article open",
            f"Pick an article {where} — search it with {w.commands['edit.find'].shortcut().toString()} — "
            "or bring in new French text (you can also drop a file or text here):",
            [action_button("Import a File…", w.commands["file.import"]),
             action_button("Paste Text as an Article", w.commands["file.paste"])])
