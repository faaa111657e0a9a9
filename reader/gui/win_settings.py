"""What the window remembers: its geometry and panels, text size, theme and layout, the last article.

``ViewSettings`` restores them when the window is built, applies the View menu's choices (and stores
each at once) and saves the rest when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from reader.gui import theme
from reader.gui.settings import MAX_FONT_SIZE, MIN_FONT_SIZE
from reader.ops.changes import OpChanges


class ViewSettings(QObject):
    """The window's remembered view (see the module doc)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        s = window.settings
        self.font_size = s.font_size
        self.layout_mode = s.layout_mode
        self.theme_name = s.theme

    def restore(self) -> None:
        w, s = self.w, self.w.settings
        w.resize(1280, 800)
        if s.geometry is not None:
            w.restoreGeometry(s.geometry)
        if s.window_state is not None:
            w.restoreState(s.window_state)
        if s.splitter_state is not None:
            w.splitter.restoreState(s.splitter_state)
        w.library.setVisible(s.q.value("window/library_visible", "true") in (True, "true", "1", 1))
        if s.q.value("window/dock_auto_hidden", "false") in (True, "true", "1", 1):
            w.dock.show()  # hidden only because the window was narrow: it decides again at this size
        # the dock's active tab (#14.12)
        w.dock_tabs.setCurrentWidget(w.glossary_panel if s.dock_tab == "glossary" else w.annotations_panel)
        theme.apply_theme(self.theme_name)
        w.commands.apply_icons(self.theme_name == "dark")
        w.view.set_font_point_size(self.font_size)
        w.view.set_layout_mode(self.layout_mode)
        w.commands["view.interlinear"].setChecked(self.layout_mode == "interlinear")
        w.commands["view.dark"].setChecked(self.theme_name == "dark")
        w.commands["view.word_alignment"].setChecked(s.word_alignment)
        w.view.set_word_alignment_enabled(s.word_alignment)
        w.commands["view.enforce_glossary"].setChecked(s.enforce_glossary)
        self.sync_panel_actions()

    def set_font_size(self, size: int) -> None:
        size = max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, int(size)))
        self.font_size = size
        self.w.settings.font_size = size
        self.w.view.set_font_point_size(size)
        self.w.statusBar().showMessage(f"Text size {size} pt", 2000)
        self.w.narrow.schedule()

    def set_theme(self, name: str) -> None:
        w = self.w
        self.theme_name = "dark" if name == "dark" else "light"
        w.settings.theme = self.theme_name
        theme.apply_theme(self.theme_name)
        w.commands.apply_icons(self.theme_name == "dark")
        w.commands["view.dark"].setChecked(self.theme_name == "dark")
        w.refresh_decorations()  # glossary marks follow the theme
        w.view.viewport().update()

    def set_layout_mode(self, mode: str) -> None:
        self.layout_mode = "interlinear" if mode == "interlinear" else "side"
        self.w.settings.layout_mode = self.layout_mode
        self.w.view.set_layout_mode(self.layout_mode)
        self.w.commands["view.interlinear"].setChecked(self.layout_mode == "interlinear")

    def set_word_alignment(self, on: bool) -> None:
        self.w.settings.word_alignment = on
        self.w.view.set_word_alignment_enabled(on)
        if on:
            self.w.alignments.load()  # not read while the hover was off

    def set_enforce_glossary(self, on: bool) -> None:
        """Show the glossary-enforced English (on) or the machine English (off); hand edits either way."""
        w = self.w
        if w.settings.enforce_glossary == bool(on):
            return
        w.settings.enforce_glossary = bool(on)
        if w.article_id is not None:
            w.articles.on_changes(OpChanges(translations={w.article_id}))
            if on:
                w.enforcer.enforce_open()  # what was translated while it was off

    def sync_panel_actions(self, *_args) -> None:
        w = self.w
        w.commands["view.dock"].setChecked(not w.dock.isHidden())
        w.commands["view.library"].setChecked(not w.library.isHidden())
        w.commands["view.toolbar"].setChecked(not w.toolbar.isHidden())

    def save(self) -> None:
        w, s = self.w, self.w.settings
        s.geometry = w.saveGeometry()
        s.window_state = w.saveState()
        s.splitter_state = w.splitter.saveState()
        s.q.setValue("window/library_visible", not w.library.isHidden())
        s.q.setValue("window/dock_auto_hidden", bool(w.narrow.auto_hidden))
        s.dock_tab = "glossary" if w.dock_tabs.currentWidget() is w.glossary_panel else "annotations"
        s.font_size = self.font_size
        s.theme = self.theme_name
        s.layout_mode = self.layout_mode
        s.library_sort = w.library.sort_key()
        s.last_article = w.article_id
        if w.article_id is not None:
            try:
                s.last_paragraph = int(w.view.first_visible_paragraph() or 0)
            except Exception:  # the view may have nothing laid out yet
                s.last_paragraph = 0
        s.sync()
