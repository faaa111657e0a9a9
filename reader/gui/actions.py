"""Every command of the window as a named action with a default shortcut (user overrides from settings).

The window builds its menus and toolbar from this collection and connects the actions by name, so a
command has one definition, one shortcut and one place to be enabled or disabled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from reader.gui.icons import has_own_icon, themed_icon

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str  # "menu.command"
    text: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    tip: str = ""
    checkable: bool = False
    enabled: bool = True
    icon: str = ""  # a freedesktop theme icon name, used where the platform has one (else ours)
    short: str = ""  # the toolbar's label, short and fixed (default: the text without "&" and "…")
    role: QAction.MenuRole = QAction.MenuRole.TextHeuristicRole


SPECS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec("file.import", "&Import…", (Key.Open,), "Import .txt, .md, .html or .epub files", icon="document-open", short="Import"),
    ActionSpec("file.paste", "&Paste as Article", ("Ctrl+Shift+V",), "Create an article from the text on the clipboard", icon="edit-paste", short="Paste"),
    ActionSpec("file.delete", "&Delete Article", ("Del",), "Delete the selected article (undoable)", icon="edit-delete"),
    ActionSpec("file.import_annotations", "Import &Annotations…", ("Ctrl+Shift+O",), "Import highlights and notes from a W3C annotation file (.jsonld), such as a Vis-à-vis export"),
    ActionSpec("file.export", "&Export…", ("Ctrl+E",), "Export articles as an annotated bilingual PDF, Markdown, HTML or W3C annotations", icon="document-save-as"),
    ActionSpec("file.close_article", "&Close Article", (Key.Close,), "Close the open article"),
    ActionSpec("file.quit", "&Quit", (Key.Quit, "Ctrl+Q"), role=QAction.MenuRole.QuitRole, icon="application-exit"),
    # Edit
    ActionSpec("edit.undo", "&Undo", (Key.Undo,), icon="edit-undo", short="Undo"),
    ActionSpec("edit.redo", "&Redo", (Key.Redo, "Ctrl+Y"), icon="edit-redo", short="Redo"),
    ActionSpec("edit.copy", "&Copy Sentence Pair", (Key.Copy,), "Copy the selected French sentence and its English", icon="edit-copy"),
    ActionSpec("edit.translation", "Edit &Translation…", ("F2",), "Correct the English of the selected sentence", icon="document-edit"),
    ActionSpec("edit.find", "&Search Library", (Key.Find,), "Search titles and text of the library", icon="edit-find"),
    # Notes (highlights, notes, glossary: reader.gui.annotations_panel / glossary_panel)
    ActionSpec("notes.yellow", "Highlight &Yellow", ("Ctrl+1",), "Highlight the selected text in yellow"),
    ActionSpec("notes.red", "Highlight &Red", ("Ctrl+2",), "Highlight the selected text in red"),
    ActionSpec("notes.green", "Highlight &Green", ("Ctrl+3",), "Highlight the selected text in green"),
    ActionSpec("notes.blue", "Highlight &Blue", ("Ctrl+4",), "Highlight the selected text in blue"),
    ActionSpec("notes.purple", "Highlight &Purple", ("Ctrl+5",), "Highlight the selected text in purple"),
    ActionSpec("notes.add_note", "Add &Note…", ("Ctrl+Shift+N",), "Highlight the selected text with a note and tags"),
    ActionSpec("notes.glossary", "Add to &Glossary…", ("Ctrl+G",), "Add the selected French term to the glossary"),
    # View
    ActionSpec("view.zoom_in", "&Larger Text", (Key.ZoomIn, "Ctrl+="), icon="zoom-in", short="Larger"),
    ActionSpec("view.zoom_out", "&Smaller Text", (Key.ZoomOut,), icon="zoom-out", short="Smaller"),
    ActionSpec("view.zoom_reset", "&Default Text Size", ("Ctrl+0",), icon="zoom-original"),
    ActionSpec("view.interlinear", "&Interlinear Layout", ("Ctrl+I",), "Show the English under each French sentence instead of beside it", checkable=True,
               icon="view-interlinear", short="Interlinear"),
    ActionSpec("view.word_alignment", "&Word Alignment", ("Ctrl+Shift+W",), "Hovering a word lights the words of the other language it is aligned with", checkable=True),
    ActionSpec("view.enforce_glossary", "&Enforce Glossary", ("Ctrl+Shift+G",), "Show the English with the glossary's renderings enforced (off: the machine output, to compare)", checkable=True),
    ActionSpec("view.dark", "&Dark Theme", ("Ctrl+Shift+D",), checkable=True),
    ActionSpec("view.library", "Show &Library", ("Ctrl+Shift+L",), checkable=True),
    ActionSpec("view.dock", "Show &Annotations && Glossary", ("Ctrl+Shift+A",), checkable=True),
    ActionSpec("view.toolbar", "Show &Toolbar", ("Ctrl+Shift+T",), checkable=True),
    ActionSpec("view.next_pane", "&Next Pane", ("F6",), "Move the keyboard focus to the next pane: library, text, notes"),
    ActionSpec("view.prev_pane", "P&revious Pane", ("Shift+F6",), "Move the keyboard focus to the previous pane"),
    # Model
    ActionSpec("model.translate", "&Translate Article", ("Ctrl+T",), "Translate the untranslated sentences of the open article", icon="translate", short="Translate"),
    ActionSpec("model.cancel", "&Stop Translating", ("Ctrl+.",), "Stop the running translation (what is done is kept)", enabled=False, icon="process-stop",
               short="Stop"),
    ActionSpec("model.download", "&Download the Model (66 MB)…", ("Ctrl+Shift+M",), "Download and install the French→English Argos model", icon="download"),
    ActionSpec("model.install", "Install from &File…", ("Ctrl+Shift+I",), "Install a .argosmodel file you already have"),
    ActionSpec("model.status", "Model &Status", ("Ctrl+Shift+S",)),
    ActionSpec("model.remove", "&Remove Model…", ("Ctrl+Shift+R",)),
    # Help
    ActionSpec("help.about", "&About Vis-à-vis", ("F1",), role=QAction.MenuRole.AboutRole, icon="help-about"),
)

MENUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("file", "&File", ("file.import", "file.paste", "file.import_annotations", "-", "file.delete", "file.close_article", "-", "file.export", "-", "file.quit")),
    ("edit", "&Edit", ("edit.undo", "edit.redo", "-", "edit.copy", "edit.translation", "-", "edit.find")),
    ("notes", "&Notes", ("notes.yellow", "notes.red", "notes.green", "notes.blue", "notes.purple", "-", "notes.add_note", "-", "notes.glossary")),
    ("view", "&View", ("view.zoom_in", "view.zoom_out", "view.zoom_reset", "-", "view.interlinear", "view.word_alignment", "view.enforce_glossary", "view.dark", "-", "view.library", "view.dock", "view.toolbar", "-", "view.next_pane", "view.prev_pane")),
    ("model", "&Model", ("model.translate", "model.cancel", "-", "model.download", "model.install", "-", "model.status", "model.remove")),
    ("help", "&Help", ("help.about",)),
)

TOOLBAR: tuple[str, ...] = (
    "file.import", "file.paste", "-", "edit.undo", "edit.redo", "-",
    "view.zoom_out", "view.zoom_in", "view.interlinear", "-", "model.translate", "model.cancel",
)


def _sequence(value: str | QKeySequence.StandardKey) -> list[QKeySequence]:
    if isinstance(value, QKeySequence.StandardKey):
        return list(QKeySequence.keyBindings(value))
    return [QKeySequence(value)]


class ActionCollection(QObject):
    """Named QActions, created once per window. ``actions["file.import"]`` or ``actions.get(name)``."""

    def __init__(self, parent: QObject, overrides: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._actions: dict[str, QAction] = {}
        self._specs: dict[str, ActionSpec] = {}
        overrides = overrides or {}
        for spec in SPECS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.name)
            if spec.short:
                action.setIconText(spec.short)
            action.setCheckable(spec.checkable)
            action.setEnabled(spec.enabled)
            action.setMenuRole(spec.role)
            if spec.name in overrides:
                text = overrides[spec.name]
                keys = [QKeySequence(part.strip()) for part in text.split(";") if part.strip()]
            else:
                keys = []
                for value in spec.shortcuts:
                    for seq in _sequence(value):
                        if not seq.isEmpty() and seq not in keys:
                            keys.append(seq)
            action.setShortcuts(keys)
            tip = spec.tip or spec.text.replace("&&", "\0").replace("&", "").replace("\0", "&")
            if keys:
                tip = f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
            action.setToolTip(tip)
            action.setStatusTip(spec.tip)
            self._actions[spec.name] = action
            self._specs[spec.name] = spec
        self.apply_icons(dark=False)

    def apply_icons(self, dark: bool) -> None:
        """Give each action its icon: the platform theme's where it has one, else ours in the variant
        for a dark or light window (called again when the theme changes)."""
        for name, spec in self._specs.items():
            if spec.icon:
                icon = themed_icon(spec.icon, dark)
                if not icon.isNull() or not has_own_icon(spec.icon):
                    self._actions[name].setIcon(icon)

    def describe(self, name: str, detail: str) -> None:
        """Put *detail* (e.g. "Undo Add “Assemblée générale” to the glossary") in the action's menu text,
        tooltip and status tip; its toolbar label stays the short fixed one. Empty: back to the plain
        text."""
        action, spec = self._actions[name], self._specs[name]
        plain = spec.text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        action.setText(f"{spec.text} {detail.replace('&', '&&')}" if detail else spec.text)
        tip = f"{plain} {detail}" if detail else (spec.tip or plain)
        keys = action.shortcuts()
        action.setStatusTip(tip if detail else spec.tip)
        if keys:
            tip = f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def get(self, name: str) -> QAction | None:
        return self._actions.get(name)

    def names(self) -> list[str]:
        return list(self._actions)

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def default_shortcuts(self, name: str) -> list[QKeySequence]:
        out: list[QKeySequence] = []
        for value in self._specs[name].shortcuts:
            out += _sequence(value)
        return out
