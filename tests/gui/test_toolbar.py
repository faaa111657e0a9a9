"""The toolbar: short fixed labels with icons, details in the tooltips, never an overflow (#14 item 4)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QToolButton

pytestmark = pytest.mark.gui

LONG = "Add “Assemblée générale” to the glossary"


class Named(QUndoCommand):
    def __init__(self, text: str) -> None:
        super().__init__(text)

    def redo(self) -> None:
        pass

    def undo(self) -> None:
        pass


def toolbar_fits(qtbot, window) -> None:
    bar = window.toolbar
    qtbot.waitUntil(lambda: bar.width() > 0)
    ext = bar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert ext is None or not ext.isVisible(), "the toolbar overflows into »"
    for action in bar.actions():
        if action.isSeparator():
            continue
        button = bar.widgetForAction(action)
        assert button is not None and button.isVisible(), f"{action.objectName()} is not on the toolbar"
        assert button.width() >= button.sizeHint().width(), f"{action.objectName()}'s label is cut"
        assert bar.rect().contains(button.geometry()), f"{action.objectName()} is outside the toolbar"


@pytest.mark.parametrize("width", [1000, 1280, 1920])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_toolbar_never_overflows_whatever_the_undo_stack_says(qtbot, make_window, artifacts_dir, width, theme):
    window = make_window(size=(width, 800))
    window.set_theme(theme)
    window.undo_stack.push(Named(LONG))
    window.undo_stack.push(Named(LONG + " and a note longer still"))
    window.undo_stack.undo()  # both Undo and Redo now carry a long command text
    qtbot.wait(10)
    undo, redo = window.commands["edit.undo"], window.commands["edit.redo"]
    assert window.toolbar.widgetForAction(undo).text() == "Undo"
    assert window.toolbar.widgetForAction(redo).text() == "Redo"
    assert LONG in undo.toolTip() and "Undo" in undo.toolTip()
    assert LONG in undo.statusTip()
    assert LONG in undo.text()  # the Edit menu keeps the full text
    toolbar_fits(qtbot, window)
    window.grab().save(str(artifacts_dir / f"toolbar-{theme}-{width}.png"))

    window.undo_stack.undo()  # the stack at its start: the plain texts again
    assert undo.text() == "&Undo" and undo.statusTip() == ""
    assert "Redo" in redo.toolTip() and LONG in redo.toolTip()


def test_toolbar_actions_have_icons_in_both_themes(qtbot, make_window):
    window = make_window(size=(1280, 800))
    for theme in ("light", "dark"):
        window.set_theme(theme)
        for action in window.toolbar.actions():
            if not action.isSeparator():
                assert not action.icon().isNull(), f"{action.objectName()} has no icon ({theme})"
    assert not window.windowIcon().isNull()


def test_own_icons_have_light_and_dark_variants():
    from reader.gui.icons import icons_dir

    folder = icons_dir()
    assert folder is not None and (folder / "visavis.svg").exists()
    light = {p.name for p in (folder / "light").glob("*.svg")}
    dark = {p.name for p in (folder / "dark").glob("*.svg")}
    assert light and light == dark
    for name in light:
        assert (folder / "light" / name).read_text() != (folder / "dark" / name).read_text()


def test_platform_theme_icons_only_where_they_suit_the_window_theme(qapp, monkeypatch):
    """A desktop icon theme is followed, but its icons drawn for a light desktop never go on the dark
    theme (nor ours when the desktop has none)."""
    from PySide6.QtGui import QIcon

    from reader.gui import icons

    monkeypatch.setattr(QIcon, "hasThemeIcon", staticmethod(lambda name: True))
    monkeypatch.setattr(QIcon, "fromTheme", staticmethod(lambda name, *a: QIcon(str(icons.icons_dir() / "visavis.svg"))))
    monkeypatch.setattr(icons, "platform_is_dark", lambda: False)
    from_theme = icons.themed_icon("edit-undo", dark=False)
    assert from_theme.cacheKey() != icons.own_icon("edit-undo", False).cacheKey()
    assert not from_theme.isNull()
    dark = icons.themed_icon("edit-undo", dark=True)  # a light desktop's icon would vanish on dark
    assert dark.pixmap(24).toImage() == icons.own_icon("edit-undo", True).pixmap(24).toImage()
    own = icons.themed_icon("translate", dark=False)  # ours, whatever the theme holds
    assert own.pixmap(24).toImage() == icons.own_icon("translate", False).pixmap(24).toImage()


def test_an_ampersand_in_the_command_text_is_shown_as_is(qtbot, make_window):
    window = make_window(size=(1280, 800))
    window.undo_stack.push(Named("Add « R&D » to the glossary"))
    undo = window.commands["edit.undo"]
    assert undo.text() == "&Undo Add « R&&D » to the glossary"  # no mnemonic made of the D
    assert "Undo Add « R&D » to the glossary" in undo.toolTip()
    assert window.toolbar.widgetForAction(undo).text() == "Undo"
