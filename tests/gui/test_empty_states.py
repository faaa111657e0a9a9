"""Empty states say what to do next, centred, with buttons: the view, the library (empty vs no search
match), the annotations and glossary panels (#14 item 10)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def empty_window(qtbot, tmp_db, settings_dir):
    """A shown window over an empty library (no samples)."""
    from fakes import FakeEngine

    from reader.gui.main_window import MainWindow
    from reader.storage.store import Store

    store = Store(tmp_db)
    engine = FakeEngine()
    window = MainWindow(store, tmp_db, engine_factory=lambda: engine)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.shutdown(5000)
    window.deleteLater()
    store.close()


def centred(state) -> bool:
    """The message's column sits in the middle of its host, both ways (within a few pixels)."""
    host = state.parentWidget().rect()
    box = state.column.geometry()
    return abs(box.center().x() - host.center().x()) <= 8 and abs(box.center().y() - host.center().y()) <= 40


def click(qtbot, state, label: str) -> None:
    from PySide6.QtCore import Qt

    (button,) = [b for b in state.buttons if b.text().startswith(label)]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_empty_library_offers_samples_import_and_paste(qtbot, empty_window, artifacts_dir):
    window = empty_window
    view_state = window.empty_states.overlay
    qtbot.waitUntil(view_state.isVisible)
    text = view_state.texts()
    assert "Your library is empty" in text
    assert "Import a File… (Ctrl+O)" in text and "Paste Text as an Article (Ctrl+Shift+V)" in text
    assert "Add the Sample Articles" in text and "drop" in text
    assert centred(view_state)
    assert window.library.empty.isVisible() and "No articles yet" in window.library.empty.texts()
    window.grab().save(str(artifacts_dir / "empty-library-light-1280.png"))

    click(qtbot, view_state, "Add the Sample Articles")
    qtbot.waitUntil(lambda: window.library.model.rowCount() >= 5, timeout=10000)
    qtbot.waitUntil(lambda: "No article open" in view_state.texts(), timeout=10000)
    assert not window.library.empty.isVisible()
    assert "Pick an article in the library" in view_state.texts()
    window.open_article(window.library.model.rows()[0].id)
    assert not view_state.isVisible()
    window.close_article()
    assert view_state.isVisible() and "No article open" in view_state.texts()


def test_a_search_matching_nothing_says_so_and_offers_to_clear_it(qtbot, make_window):
    window = make_window()
    library = window.library
    library.search.setText("zzqqxxunlikelyword")
    qtbot.waitUntil(lambda: library.model.rowCount() == 0, timeout=10000)
    state = library.empty
    assert state.isVisible() and "No article matches" in state.texts()
    assert "zzqqxxunlikelyword" in state.texts() and "Clear Search" in state.texts()
    assert "No articles yet" not in state.texts()
    assert centred(state)
    click(qtbot, state, "Clear Search")
    assert library.search.text() == "" and library.model.rowCount() >= 5
    assert not state.isVisible()


def test_annotations_panel_states(qtbot, make_window):
    window = make_window()
    panel = window.annotations_panel
    state = panel.placeholder
    assert state.isVisibleTo(window) and "No article open" in state.texts()
    click(qtbot, state, "Show All Articles")
    assert panel.scope.currentData() == "all"
    assert "No highlights yet" in state.texts() and "Ctrl+1" in state.texts()
    panel.scope.setCurrentIndex(panel.scope.findData("article"))
    window.open_article(window.store.list_articles()[0].id)
    panel.refresh()
    assert "No highlights yet" in state.texts()
    panel.color_filter.setCurrentIndex(2)
    assert "No annotation matches" in state.texts()
    click(qtbot, state, "Clear Search and Filters")
    assert panel.color_filter.currentIndex() == 0 and "No highlights yet" in state.texts()


def test_glossary_panel_states(qtbot, make_window):
    window = make_window()
    panel = window.glossary_panel
    window.dock_tabs.setCurrentWidget(panel)
    state = panel.placeholder
    assert state.isVisible() and "Your glossary is empty" in state.texts() and "Ctrl+G" in state.texts()
    assert "Import a Glossary…" in state.texts()
    panel.add_entry("délégation", "delegation")
    assert not state.isVisible()
    panel.search.setText("zzqqxx")
    panel.refresh_list()
    assert state.isVisible() and "No term matches" in state.texts()
    click(qtbot, state, "Clear Search")
    assert panel.search.text() == "" and not state.isVisible()


@pytest.mark.parametrize("width", [1000, 1280, 1920])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots_of_the_empty_states(qtbot, make_window, artifacts_dir, width, theme):
    window = make_window(size=(width, 800))
    window.set_theme(theme)
    qtbot.wait(5)
    window.grab().save(str(artifacts_dir / f"empty-no-article-{theme}-{width}.png"))
    window.dock.show()
    window.dock_tabs.setCurrentWidget(window.glossary_panel)
    qtbot.wait(5)
    window.grab().save(str(artifacts_dir / f"empty-glossary-{theme}-{width}.png"))
    assert window.empty_states.overlay.isVisible()
