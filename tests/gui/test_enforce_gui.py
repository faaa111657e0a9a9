"""The glossary enforced in the window: the English side shows what the exports show (hand edit >
enforced > machine), and View ▸ Enforce Glossary (remembered) turns the enforced layer off to compare.
Fake engine, so the ops' text fallback enforces."""

from __future__ import annotations

import re

import pytest

from reader.core.glossary import GlossaryEntry
from reader.ops.changes import OpChanges
from reader.ops.enforce import enforce_article, pending_enforcement

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


def test_the_translation_job_enforces_the_glossary_and_the_rows_refresh(qtbot, make_window, engine):
    window = make_window(engine=engine)
    article = min(window.store.list_articles(), key=lambda a: a.n_sentences)
    fr = window.store.article_sentences(article.id)[0][2]
    word = max(re.findall(r"[^\W\d_]{5,}", fr), key=len)
    window.store.add_glossary_entry(GlossaryEntry(word, RENDERING))
    with qtbot.waitSignal(window.changed, check_params_cb=lambda c: article.id in c.translations, timeout=20000):
        window.open_article(article.id)
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=20000)
    assert RENDERING in window.rows[0][0] and RENDERING in window.view.cell_text("en", 0)
    assert RENDERING not in window.store.article_translations(article.id, engine.model_id)[0][0].machine
    assert pending_enforcement(window.store, engine.model_id) == 0


def test_the_job_catches_up_with_the_enforced_english(tmp_db, engine):
    """The job's first rows (what is already known) are those the window shows: enforced, or not."""
    from reader.core.progress import Progress
    from reader.gui.workers import EngineHolder, translate_job
    from reader.ops.library import ensure_samples
    from reader.ops.translate import translate_article
    from reader.storage.store import Store

    store = Store(tmp_db)
    try:
        ensure_samples(store)
        article = min(store.list_articles(), key=lambda a: a.n_sentences)
        translate_article(store, engine, article.id)
        fr = store.article_sentences(article.id)[0][2]
        store.add_glossary_entry(GlossaryEntry(max(re.findall(r"[^\W\d_]{5,}", fr), key=len), RENDERING))
        enforce_article(store, engine, article.id)
    finally:
        store.close()
    for enforce in (True, False):
        items = []
        translate_job(tmp_db, EngineHolder(lambda: engine), article.id, enforce)(Progress(), lambda *d: items.append(d))
        [(_kind, rows, edited)] = [d for d in items if d[0] == "cached"]
        assert (RENDERING in rows[0][0]) is enforce and not edited


def test_english_highlights_follow_the_enforced_english(qtbot, make_window, engine):
    """Highlights stay stored on the machine English; the view draws them over the same words of the
    enforced English (which shifts every offset after the rendering)."""
    from reader.ops.annotate import annotate_quote

    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    p = len(window.rows) - 1
    quote = window.rows[p][-1][4:30].strip()
    assert (p, len(window.rows[p]) - 1) != (0, 0)  # after the enforced sentence
    annotate_quote(window.store, article_id, "en", quote, model_id=engine.model_id)
    enforce_a_term(window, engine, article_id)
    assert RENDERING in window.view.cell_text("en", 0)

    def drawn() -> list[str]:
        return [window.view.cell_text("en", d.paragraph)[d.start:d.end] for d in window.view.decorations()
                if d.side == "en" and d.style == "highlight"]

    assert drawn() == [quote]
    window.commands["view.enforce_glossary"].trigger()  # the machine English: as stored
    assert drawn() == [quote]


def test_a_highlight_made_on_the_enforced_english_is_stored_on_the_machine_english(qtbot, make_window, engine):
    """Selecting the rendering in the enforced English stores the highlight over the machine words it
    replaced (what the exports and the re-anchoring read), and the view draws it over the rendering."""
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    enforce_a_term(window, engine, article_id)
    view = window.view
    shown = view.cell_text("en", 0)
    at = shown.index(RENDERING)
    later = window.rows[-1][-1][4:20].strip()
    p_later = len(window.rows) - 1
    later_at = view.cell_text("en", p_later).rindex(later)

    view.set_text_selection("en", 0, at, 0, at + len(RENDERING))
    a = window.annotations_panel.highlight("yellow")
    view.set_text_selection("en", p_later, later_at, p_later, later_at + len(later))
    b = window.annotations_panel.highlight("green")
    assert a is not None and b is not None
    assert RENDERING not in a.exact and a.exact in window.store.article_translations(article_id, engine.model_id)[0][0].machine
    assert b.exact == later
    drawn = sorted((d.paragraph, view.cell_text("en", d.paragraph)[d.start:d.end]) for d in view.decorations()
                   if d.side == "en" and d.style == "highlight")
    # (the fake engine's fallback appends the rendering after the sentence's last word: the stretch it
    # replaced in the machine English is the final stop, so the highlight covers ". Zorbglossed")
    assert len(drawn) == 2 and (p_later, later) in drawn
    assert any(p == 0 and RENDERING in text and len(text) <= len(RENDERING) + 2 for p, text in drawn)


# --- the rendering marked like its term, the two hover-linked (#11 "Shown") ---------------------------------


def glossary_marks(view, side: str, p: int) -> list:
    return [d for d in view.decorations() if d.side == side and d.paragraph == p and d.style == "underline"
            and d.tooltip and d.tooltip.startswith("Glossary")]


def hover_text(qtbot, view, side: str, p: int, start: int, end: int) -> None:
    from PySide6.QtCore import QPoint

    target = view.text_rects(side, p, start, end)[0].center()
    qtbot.mouseMove(view.viewport(), QPoint(1, 1))  # from elsewhere: a move to where it is is lost
    qtbot.mouseMove(view.viewport(), target)


def test_the_rendering_is_marked_like_its_term_and_the_two_marks_hover_link(qtbot, make_window, engine, tmp_path):
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    enforce_a_term(window, engine, article_id)
    view = window.view
    shown = view.cell_text("en", 0)
    at = shown.index(RENDERING)
    [en_mark] = glossary_marks(view, "en", 0)
    assert (en_mark.start, en_mark.end) == (at, at + len(RENDERING))
    [entry] = [e for e in window.store.glossary() if e.translation == RENDERING]
    assert f"{entry.term} → {RENDERING}" in en_mark.tooltip
    fr_marks = glossary_marks(view, "fr", 0)
    [fr_mark] = [d for d in fr_marks if d.link == en_mark.link]
    assert view.cell_text("fr", 0)[fr_mark.start:fr_mark.end] == entry.term
    assert fr_mark.color == en_mark.color and fr_mark.style == en_mark.style == "underline"
    assert view._tooltip_at(view.text_rects("en", 0, at, at + 3)[0].center()) == en_mark.tooltip

    # hovering the English rendering lights the French term's mark, and the other way round
    hover_text(qtbot, view, "en", 0, at + 1, at + 4)
    assert sorted((d.side, d.start) for d in view.linked_marks()) == [("en", at), ("fr", fr_mark.start)]
    hover_text(qtbot, view, "fr", 0, fr_mark.start + 1, fr_mark.end - 1)
    assert sorted((d.side, d.start) for d in view.linked_marks()) == [("en", at), ("fr", fr_mark.start)]
    view.grab().save(str(tmp_path / "linked.png"))

    # off: the machine English, no rendering marked; a French mark without a partner lights nothing
    window.commands["view.enforce_glossary"].trigger()
    assert glossary_marks(view, "en", 0) == []
    hover_text(qtbot, view, "fr", 0, fr_mark.start + 1, fr_mark.end - 1)
    assert view.linked_marks() == []
