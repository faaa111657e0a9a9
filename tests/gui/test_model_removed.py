"""#14.1: the English already made stays readable without a model, or with another model installed."""

from __future__ import annotations

import pytest
from fakes import FakeEngine

from reader.core.errors import ModelError

pytestmark = pytest.mark.gui


class Removable:
    """An engine factory whose model can be removed (then it raises ModelError like a missing Argos model)."""

    def __init__(self, engine=None) -> None:
        self.installed = True
        self.engine = engine or FakeEngine()

    def __call__(self):
        if not self.installed:
            raise ModelError("No French→English model is installed.")
        return self.engine


class OtherEngine(FakeEngine):
    model_id = "fake:fr-en:2"

    def translate(self, sentences, progress=None, on_result=None):
        out = super().translate(sentences, progress, on_result=None)
        out = [t.replace("EN: ", "EN2: ") for t in out]
        if on_result is not None:
            for i, t in enumerate(out):
                on_result(i, t)
        return out


def translated_with_an_edit(qtbot, window):
    article_id = window.store.list_articles()[0].id
    window.open_article(article_id)
    qtbot.waitUntil(lambda: window.model_state == "ready" and window.is_fully_translated()
                    and not window.jobs.running("translate"), timeout=10000)
    window.store.set_edited_translation(article_id, 0, 0, "My own English.")
    return article_id


def remove_model(window, factory, monkeypatch):
    from reader.translation import packages

    factory.installed = False
    monkeypatch.setattr(packages, "remove", lambda: True)
    monkeypatch.setattr("reader.gui.model_setup.ask", lambda *a, **k: True)
    monkeypatch.setattr("reader.gui.model_setup.show_message", lambda *a, **k: None)
    window.commands["model.remove"].trigger()
    assert window.model_state == "missing"


def test_removing_the_model_keeps_the_cached_english_and_hand_edits(qtbot, make_window, monkeypatch):
    factory = Removable()
    window = make_window(engine_factory=factory, settle=None)
    article_id = translated_with_an_edit(qtbot, window)
    window.articles.reopen()
    remove_model(window, factory, monkeypatch)
    view = window.view
    assert view.english_message() is None  # not "No model is installed yet" over the whole column
    rows = view._trans
    assert rows[0][0] == "My own English."
    assert all(t is not None and t.startswith(("EN: ", "My own")) for row in rows for t in row)
    note = view.english_note() or ""
    assert "yet" not in note and "No model installed" in note
    row = next(r for r in window.library.store.list_articles(model_id=window.library.model_id) if r.id == article_id)
    assert row.n_translated == row.n_sentences  # the library counts the same English
    # after a restart without a model, the same
    window.close()
    window2 = make_window(engine_factory=factory, settle=None)
    window2.open_article(article_id)  # fully translated: no job, the engine is not even asked for
    assert window2.view.english_message() is None
    rows = window2.view._trans
    assert rows[0][0] == "My own English."
    assert all(t is not None and t.startswith(("EN: ", "My own")) for row in rows for t in row)
    assert window2.is_fully_translated()


def test_untranslated_rows_say_to_install_a_model(qtbot, make_window, monkeypatch, artifacts_dir):
    factory = Removable()
    window = make_window(engine_factory=factory, settle=None)
    article_id = translated_with_an_edit(qtbot, window)
    # a new paragraph nobody translated: re-import would do it; here, drop one cached sentence
    sentence = window.article.paragraphs[-1].sentence_texts()[-1]
    window.store._conn.execute("DELETE FROM translations WHERE source = ?", (sentence,))
    remove_model(window, factory, monkeypatch)
    window.articles.reopen()
    assert window.view._trans[-1][-1] is None
    note = window.view.english_note()
    assert "install a model" in note and "Install from File" in note and "yet" not in note
    window.grab().save(str(artifacts_dir / "model_removed_saved_english.png"))
    # an article with no English at all: the column message, without "yet"
    other = [a.id for a in window.store.list_articles() if a.id != article_id][0]
    window.open_article(other)
    message = window.view.english_message()
    assert message and "yet" not in message and "Install from File" in message


def test_another_model_shows_the_old_english_until_translated_again(qtbot, make_window):
    slow = OtherEngine(delay=0.02)
    window = make_window(settle=None)  # FakeEngine fake:fr-en:1
    article_id = translated_with_an_edit(qtbot, window)
    window.close()
    window2 = make_window(engine=slow, settle=None)
    view = window2.view
    marked, blank = [], []
    original = view.set_older

    def set_older(older):  # as soon as the new model is known, the old English is marked until replaced
        marked.append(dict(older))
        if view._article is not None:
            blank.append(sum(1 for row in view._trans for t in row if t is None))
        original(older)

    view.set_older = set_older
    window2.open_article(article_id)
    qtbot.waitUntil(lambda: window2.model_state == "ready", timeout=10000)
    assert view._trans[0][0] == "My own English."  # the hand edit is not older
    qtbot.waitUntil(lambda: window2.is_fully_translated() and not window2.jobs.running("translate"),
                    timeout=20000)
    seen_older = max(marked, key=len)
    assert seen_older, "the first model's English was not marked while the second translated"
    assert (0, 0) not in seen_older
    assert all(("fr→en 1" in tip) for tip in seen_older.values())
    assert not any(blank)  # never blank while re-translating
    assert not view.older_sentences()
    assert view._trans[1][0].startswith("EN2: ")
