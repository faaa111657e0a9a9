"""Screenshots for a human to judge (#14): the window with an article, highlights, the selected pair and
the toolbar, light and dark, at 1,000 / 1,280 / 1,920 px; and the empty library in both themes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("width", [1000, 1280, 1920])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_window_with_highlights_and_selected_pair(qtbot, make_window, artifacts_dir, theme, width):
    window = make_window(size=(width, 800))
    window.set_theme(theme)
    window.open_article(window.store.list_articles()[0].id)
    qtbot.waitUntil(lambda: window.is_fully_translated(), timeout=10000)
    view = window.view
    text = view.cell_text("fr", 1)
    for color, (a, b) in (("blue", (4, 14)), ("yellow", (30, 45))):
        view.set_text_selection("fr", 1, a, 1, b)
        window.commands[f"notes.{color}"].trigger()
    view.select_pair(1, 0)
    qtbot.wait(20)
    assert text and view.selected_pair() == (1, 0)
    window.grab().save(str(artifacts_dir / f"window-{theme}-{width}.png"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_empty_library(qtbot, make_window, artifacts_dir, theme):
    window = make_window(size=(1280, 800))
    for summary in window.store.list_articles():
        window.delete_article(summary.id, confirm=False)
    window.set_theme(theme)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 0, timeout=5000)
    qtbot.wait(20)
    assert "Your library is empty" in window.empty_states.overlay.texts()
    window.grab().save(str(artifacts_dir / f"empty-library-{theme}-1280.png"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_interlinear_with_highlights(qtbot, make_window, artifacts_dir, theme):
    window = make_window(size=(1000, 800))
    window.set_theme(theme)
    window.set_font_size(15)
    window.open_article(window.store.list_articles()[0].id)
    qtbot.waitUntil(lambda: window.is_fully_translated(), timeout=10000)
    qtbot.waitUntil(lambda: window.view.layout_mode() == "interlinear", timeout=10000)
    view = window.view
    view.set_text_selection("fr", 1, 4, 1, 14)
    window.commands["notes.blue"].trigger()
    view.set_text_selection("fr", 0, 10, 0, 25)
    window.commands["notes.green"].trigger()
    view.select_pair(1, 0)
    qtbot.wait(20)
    window.grab().save(str(artifacts_dir / f"interlinear-{theme}-1000-15pt.png"))
