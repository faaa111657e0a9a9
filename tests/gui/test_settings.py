"""Preferences: where they live, and that they survive a restart of the window."""

from __future__ import annotations

import pytest

from fakes import FakeEngine

pytestmark = pytest.mark.gui


@pytest.fixture
def start(make_window):
    """``start()`` opens a window on the same library and settings each time (a restart)."""
    # No resize (the saved geometry applies); the deferred start-up step reopens the last article.
    return lambda **kw: make_window(size=None, settle=20, **kw)


def test_settings_file_follows_visavis_config_dir(settings_dir):
    from reader.gui.settings import Settings, settings_path

    assert settings_path() == settings_dir / "visavis.ini"
    s = Settings()
    s.font_size = 15
    s.sync()
    assert (settings_dir / "visavis.ini").read_text().count("font_size") == 1
    assert Settings().font_size == 15


def test_bad_values_fall_back_to_defaults(settings_dir):
    from reader.gui.settings import DEFAULT_FONT_SIZE, Settings

    s = Settings()
    s.q.setValue("view/font_size", "huge")
    s.q.setValue("view/theme", "purple")
    s.q.setValue("view/layout", "diagonal")
    assert s.font_size == DEFAULT_FONT_SIZE and s.theme == "light" and s.layout_mode == "side"
    s.font_size = 500
    assert s.font_size == 32


def test_view_settings_and_last_article_survive_a_restart(qtbot, start):
    window = start()
    ids = [a.id for a in window.store.list_articles()]
    window.set_font_size(16)
    window.set_theme("dark")
    window.set_layout_mode("interlinear")
    window.open_article(ids[1])
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=10000)
    window.resize(780, 560)  # restoreGeometry() keeps a window inside its screen: offscreen is 800×600
    window.move(10, 20)
    window.splitter.setSizes([300, 300])
    sizes = window.splitter.sizes()
    window.commands["view.dock"].trigger()  # hide the dock
    qtbot.wait(20)
    geometry = window.geometry()
    window.close()

    engine = FakeEngine()
    again = start(engine=engine)
    assert again.font_size == 16
    assert again.theme_name == "dark" and again.commands["view.dark"].isChecked()
    assert again.layout_mode == "interlinear" and again.commands["view.interlinear"].isChecked()
    qtbot.waitUntil(lambda: again.article_id == ids[1], timeout=10000)
    assert again.library.current_id() == ids[1]
    # Reopened from the cache: nothing is translated again. (A test engine's model id is only known once
    # it is loaded, so the window may run a job to load it; whether that job is still running when the
    # article shows is a race, so wait for it and check what it did instead.)
    qtbot.waitUntil(lambda: again.is_fully_translated() and not again.jobs.running(), timeout=10000)
    assert engine.calls == []
    assert again.size() == geometry.size()
    assert abs(again.splitter.sizes()[0] - sizes[0]) <= 2
    assert again.dock.isHidden() and not again.commands["view.dock"].isChecked()
    again.set_theme("light")


def test_scroll_position_is_saved_and_restored(qtbot, start, monkeypatch):
    window = start()
    article_id = window.store.list_articles()[0].id
    window.open_article(article_id)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=10000)
    monkeypatch.setattr(window.view, "first_visible_paragraph", lambda: 3)
    window.close()
    from reader.gui.settings import Settings

    assert Settings().last_paragraph == 3
    from reader.gui.parallel_view import ParallelView

    asked = []
    original = ParallelView.scroll_to_paragraph
    monkeypatch.setattr(ParallelView, "scroll_to_paragraph", lambda self, p: (asked.append(p), original(self, p)))
    again = start()
    qtbot.waitUntil(lambda: asked == [3], timeout=10000)
    assert again.article_id == article_id


def test_closing_the_article_forgets_it(qtbot, start):
    window = start()
    window.open_article(window.store.list_articles()[0].id)
    window.close_article()
    window.close()
    again = start()
    qtbot.waitUntil(lambda: again._late_init_done, timeout=5000)  # the step that reopens the last article ran
    assert again.article is None


def test_shortcut_overrides_from_settings(start):
    from reader.gui.settings import Settings

    s = Settings()
    # No dialog edits shortcuts yet: a user sets them in the settings file ([shortcuts] name=keys).
    s.q.setValue("shortcuts/file.paste", "Ctrl+Alt+P")
    s.q.setValue("shortcuts/edit.find", "")
    s.sync()
    window = start()
    assert window.commands["file.paste"].shortcut().toString() == "Ctrl+Alt+P"
    assert window.commands["edit.find"].shortcut().isEmpty()
    assert window.commands["file.import"].shortcut().toString() == "Ctrl+O"


def test_the_docks_active_tab_is_restored(qtbot, start):
    """#14.12: the Glossary tab left open is open again after a restart."""
    window = start()
    assert window.dock_tabs.currentWidget() is window.annotations_panel
    window.dock_tabs.setCurrentWidget(window.glossary_panel)
    window.close()
    again = start()
    assert again.dock_tabs.currentWidget() is again.glossary_panel
    again.dock_tabs.setCurrentWidget(again.annotations_panel)
    again.close()
    third = start()
    assert third.dock_tabs.currentWidget() is third.annotations_panel
