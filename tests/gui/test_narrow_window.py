"""Narrow windows: the dock gives way, then the view goes interlinear, so a line always holds a readable
stretch of text; wider again, everything comes back (#14 item 11)."""

from __future__ import annotations

import pytest

from reader.gui.view.rows import column_chars, interlinear_column
from reader.gui.win_layout import MIN_COLUMN_CHARS, MIN_READING_CHARS

pytestmark = pytest.mark.gui


def settle(qtbot, window) -> None:
    qtbot.wait(1)
    qtbot.waitUntil(lambda: not window.narrow._timer.isActive(), timeout=10000)
    qtbot.wait(1)


def line_chars(view) -> float:
    """Average characters a line of the view's text holds in the layout shown."""
    st = view._style
    avg = st.metrics(st.base)[0]
    if view.layout_mode() == "side":
        return column_chars(st, view.viewport().width())
    return interlinear_column(st, view.viewport().width())[1] / avg


def open_first(window) -> None:
    window.open_article(window.store.list_articles()[0].id)


@pytest.mark.parametrize("pt", [12, 15])
def test_layout_decision_at_1000_1280_1920(qtbot, make_window, artifacts_dir, pt):
    window = make_window(size=(1920, 800))
    open_first(window)
    window.set_font_size(pt)
    seen = {}
    for width in (1920, 1280, 1000, 1280, 1920):
        window.resize(width, 800)
        settle(qtbot, window)
        view = window.view
        chars = line_chars(view)
        seen[width] = (window.dock.isVisible(), view.layout_mode())
        if view.layout_mode() == "side":
            assert chars >= MIN_COLUMN_CHARS, (width, pt, chars)
        else:
            assert chars >= 45, (width, pt, chars)  # the interlinear line reads like a book's
        if width == 1000:
            assert not window.dock.isVisible()  # 356 px of text with it: the dock gives way
        window.grab().save(str(artifacts_dir / f"narrow-{width}-{pt}pt.png"))
    assert seen[1920] == (True, "side")  # wide again: everything back
    assert window.layout_mode == "side"  # the View menu's choice is untouched
    assert not window.commands["view.interlinear"].isChecked()
    if pt == 12:
        assert seen[1280] == (True, "side")


def test_a_dock_shown_by_the_user_stays_while_narrow(qtbot, make_window):
    window = make_window(size=(1000, 800))
    settle(qtbot, window)
    assert not window.dock.isVisible() and window.narrow.auto_hidden
    assert not window.commands["view.dock"].isChecked()
    window.commands["view.dock"].trigger()
    settle(qtbot, window)
    window.resize(1010, 800)
    settle(qtbot, window)
    assert window.dock.isVisible()  # the user's wish wins while narrow
    window.resize(1920, 800)
    settle(qtbot, window)
    window.resize(1000, 800)
    settle(qtbot, window)
    assert not window.dock.isVisible()  # wide then narrow again: the rule applies again


def test_a_dock_hidden_by_the_user_stays_hidden_when_wide(qtbot, make_window):
    window = make_window(size=(1920, 800))
    window.commands["view.dock"].trigger()
    settle(qtbot, window)
    assert not window.dock.isVisible()
    window.resize(1000, 800)
    settle(qtbot, window)
    window.resize(1920, 800)
    settle(qtbot, window)
    assert not window.dock.isVisible()


def test_a_dock_hidden_for_narrowness_comes_back_after_a_restart(qtbot, make_window):
    window = make_window(size=(1000, 800))
    settle(qtbot, window)
    assert window.narrow.auto_hidden
    window.close()
    again = make_window(size=(1920, 800))
    settle(qtbot, again)
    assert again.dock.isVisible()


def test_reading_chars_rule():
    from reader.gui.win_layout import reading_chars

    assert reading_chars(356, 8.0, 21) < MIN_READING_CHARS <= reading_chars(1276, 8.0, 21)
