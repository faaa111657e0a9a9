"""The glossary enforced in the window: the English side shows what the exports show (hand edit >
enforced > machine), and View ▸ Enforce Glossary (remembered) turns the enforced layer off to compare.
Fake engine, so the ops' text fallback enforces."""

from __future__ import annotations

import re

import pytest

from reader.core.glossary import GlossaryEntry
from reader.ops.changes import OpChanges
from reader.ops.enforce import enforce_article

pytestmark = pytest.mark.gui

RENDERING = "Zorbglossed"


def open_translated(qtbot, window) -> int:
    article_id = min(window.store.list_articles(), key=lambda a: a.n_sentences).id
    window.open_article(article_id)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=20000)
    return article_id


def enforce_a_term(window, engine, article_id: int) -> tuple[int, int, str]:
    """Add an enforcing entry for a word of the first sentence, enforce the article through the ops,
    tell the window; returns the sentence (p, s) and its machine English."""
    fr = window.article.paragraphs[0].sentence_texts()[0]
    word = max(re.findall(r"[^\W\d_]{5,}", fr), key=len)
    machine = window.rows[0][0]
    window.store.add_glossary_entry(GlossaryEntry(word, RENDERING))
    result = enforce_article(window.store, engine, article_id)
    assert result.count >= 1
    window.notify(result.changes | OpChanges(glossary=True))
    return 0, 0, machine


@pytest.fixture
def engine():
    from fakes import FakeEngine

    return FakeEngine()


def test_the_view_shows_the_enforced_english_and_the_toggle_compares(qtbot, make_window, engine):
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    assert window.commands["view.enforce_glossary"].isChecked()  # on by default
    p, s, machine = enforce_a_term(window, engine, article_id)
    assert RENDERING not in machine
    assert RENDERING in window.rows[p][s]
    assert RENDERING in window.view.cell_text("en", p)
    assert (p, s) not in window.articles.edited

    # View ▸ Enforce Glossary off: the machine English, to compare; on again: the enforced one
    window.commands["view.enforce_glossary"].trigger()
    assert not window.settings.enforce_glossary
    assert window.rows[p][s] == machine
    assert RENDERING not in window.view.cell_text("en", p)
    window.commands["view.enforce_glossary"].trigger()
    assert RENDERING in window.view.cell_text("en", p)

    # a hand edit wins over the enforced English, and stays marked as edited
    window.store.set_edited_translation(article_id, p, s, "By hand.")
    window.notify(OpChanges(translations={article_id}))
    assert window.rows[p][s] == "By hand." and (p, s) in window.articles.edited
    window.commands["view.enforce_glossary"].trigger()
    assert window.rows[p][s] == "By hand." and (p, s) in window.articles.edited


def test_the_enforce_setting_is_remembered(qtbot, make_window):
    window = make_window()
    window.commands["view.enforce_glossary"].trigger()
    assert not window.commands["view.enforce_glossary"].isChecked()
    window.close()
    again = make_window()
    assert not again.commands["view.enforce_glossary"].isChecked()
    assert not again.settings.enforce_glossary
