"""The user's preferences: one QSettings in INI format, with typed accessors.

``$VISAVIS_CONFIG_DIR/visavis.ini`` when that variable is set (tests, portable use), else the platform's
usual place for an INI file of organisation "visavis".
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_FONT_SIZE = 12
MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 32
THEMES = ("light", "dark")
LAYOUTS = ("side", "interlinear")


def settings_path() -> Path | None:
    """The INI file forced by ``$VISAVIS_CONFIG_DIR``, or None for the platform default."""
    folder = os.environ.get("VISAVIS_CONFIG_DIR")
    return Path(folder) / "visavis.ini" if folder else None


def open_settings() -> QSettings:
    """A fresh QSettings on the user's INI file (cheap; make one per use, never cache across tests)."""
    path = settings_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "visavis", "visavis")


class Settings:
    """Typed view of the preferences. Values are read and written through; call ``sync()`` to flush."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or open_settings()

    def sync(self) -> None:
        self.q.sync()

    # --- generic helpers -----------------------------------------------------------------------
    def _int(self, key: str, default: int | None) -> int | None:
        value = self.q.value(key)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # --- view ----------------------------------------------------------------------------------
    @property
    def font_size(self) -> int:
        size = self._int("view/font_size", DEFAULT_FONT_SIZE) or DEFAULT_FONT_SIZE
        return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size))

    @font_size.setter
    def font_size(self, value: int) -> None:
        self.q.setValue("view/font_size", int(value))

    @property
    def theme(self) -> str:
        value = str(self.q.value("view/theme", "light"))
        return value if value in THEMES else "light"

    @theme.setter
    def theme(self, value: str) -> None:
        self.q.setValue("view/theme", value if value in THEMES else "light")

    @property
    def layout_mode(self) -> str:
        value = str(self.q.value("view/layout", "side"))
        return value if value in LAYOUTS else "side"

    @layout_mode.setter
    def layout_mode(self, value: str) -> None:
        self.q.setValue("view/layout", value if value in LAYOUTS else "side")

    @property
    def word_alignment(self) -> bool:
        return self.q.value("view/word_alignment", "true") in (True, "true", "1", 1)

    @word_alignment.setter
    def word_alignment(self, value: bool) -> None:
        self.q.setValue("view/word_alignment", bool(value))

    @property
    def enforce_glossary(self) -> bool:
        return self.q.value("view/enforce_glossary", "true") in (True, "true", "1", 1)

    @enforce_glossary.setter
    def enforce_glossary(self, value: bool) -> None:
        self.q.setValue("view/enforce_glossary", bool(value))

    @property
    def library_sort(self) -> str:
        return str(self.q.value("library/sort", "added"))

    @library_sort.setter
    def library_sort(self, value: str) -> None:
        self.q.setValue("library/sort", value)

    @property
    def dock_tab(self) -> str:
        """The dock's active tab: "annotations" or "glossary"."""
        value = str(self.q.value("window/dock_tab", "annotations"))
        return value if value in ("annotations", "glossary") else "annotations"

    @dock_tab.setter
    def dock_tab(self, value: str) -> None:
        self.q.setValue("window/dock_tab", value)

    # --- window --------------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.q.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.q.setValue("window/state", value)

    @property
    def splitter_state(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self.q.setValue("window/splitter", value)

    # --- reading position ----------------------------------------------------------------------
    @property
    def last_article(self) -> int | None:
        return self._int("reader/last_article", None)

    @last_article.setter
    def last_article(self, value: int | None) -> None:
        if value is None:
            self.q.remove("reader/last_article")
        else:
            self.q.setValue("reader/last_article", int(value))

    @property
    def last_paragraph(self) -> int:
        return self._int("reader/last_paragraph", 0) or 0

    @last_paragraph.setter
    def last_paragraph(self, value: int) -> None:
        self.q.setValue("reader/last_paragraph", int(value))

    # --- shortcuts -----------------------------------------------------------------------------
    def shortcut_overrides(self) -> dict[str, str]:
        """User-chosen shortcuts, action name → key sequence text ("" removes the shortcut)."""
        self.q.beginGroup("shortcuts")
        try:
            return {key.replace("/", "."): str(self.q.value(key, "")) for key in self.q.childKeys()}
        finally:
            self.q.endGroup()
