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


def window_with_a_rendering(qtbot, make_window, engine):
    """A window on the smallest sample, translated, with a term of its first sentence enforced; returns
    the window, the article id and where the rendering starts in the first row's English."""
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    enforce_a_term(window, engine, article_id)
    return window, article_id, window.view.cell_text("en", 0).index(RENDERING)


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
    window, article_id, at = window_with_a_rendering(qtbot, make_window, engine)
    view = window.view
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
    window, article_id, at = window_with_a_rendering(qtbot, make_window, engine)
    view = window.view
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


# --- "Enforce in the translation" in the entry dialog; glossary edits re-enforce off the GUI thread -------


def test_the_entry_dialog_has_enforce_in_the_translation_on_by_default(qtbot):
    from reader.gui.note_dialog import GlossaryEntryDialog

    dialog = GlossaryEntryDialog("délégation", "delegation")
    qtbot.addWidget(dialog)
    assert dialog.enforce_check.isChecked() and dialog.enforce_value() is True
    assert dialog.enforce_check.text() == "Enforce in the translation"
    off = GlossaryEntryDialog("délégation", "delegation", enforce=False)
    qtbot.addWidget(off)
    assert off.enforce_value() is False
    off.enforce_check.setChecked(True)
    assert off.enforce_value() is True


class EntryDialog:
    """A stand-in for the entry dialog: accepts with the values it was given, the flag as chosen."""

    def __init__(self, enforce: bool):
        self.enforce = enforce

    def __call__(self, term, translation, context="", note="", tags=(), title="", enforce=True):
        self.given = (term, translation, note, list(tags))
        return self

    def exec(self):
        from PySide6.QtWidgets import QDialog

        return QDialog.DialogCode.Accepted

    def values(self):
        return self.given

    def enforce_value(self):
        return self.enforce


def wait_enforced(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=20000)


def test_adding_and_toggling_an_entry_reenforces_its_sentences_in_a_job_and_undo_restores(
        qtbot, make_window, engine, monkeypatch):
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    fr = window.article.paragraphs[0].sentence_texts()[0]
    word = max(re.findall(r"[^\W\d_]{5,}", fr), key=len)
    machine = [list(row) for row in window.rows]
    panel = window.glossary_panel
    started = []
    monkeypatch.setattr(window.enforcer, "start", lambda *a, _s=window.enforcer.start, **k: started.append(k) or _s(*a, **k))

    entry = panel.add_entry(word, RENDERING)  # one undoable step; the job enforces the sentences holding it
    assert started and window.jobs.running("enforce")
    wait_enforced(qtbot, window)
    assert RENDERING in window.rows[0][0] and RENDERING in window.view.cell_text("en", 0)
    holding = {(p, s) for p, para in enumerate(window.article.paragraphs)
               for s, text in enumerate(para.sentence_texts()) if word.casefold() in text.casefold()}
    assert {(p, s) for p, row in enumerate(window.rows) for s, t in enumerate(row) if t != machine[p][s]} == holding
    assert pending_enforcement(window.store, engine.model_id) == 0

    # the dialog's "Enforce in the translation" unticked: one undoable edit, the machine English again
    monkeypatch.setattr(panel, "make_entry_dialog", EntryDialog(enforce=False))
    panel.edit(window.store.get_glossary_entry(entry.id))
    assert window.store.get_glossary_entry(entry.id).enforce is False
    wait_enforced(qtbot, window)
    assert window.rows == machine
    window.undo_stack.undo()  # enforced again: the layer still holds it, nothing to compute
    assert window.store.get_glossary_entry(entry.id).enforce is True
    wait_enforced(qtbot, window)
    assert RENDERING in window.rows[0][0]
    window.undo_stack.undo()  # the entry goes: the machine English
    wait_enforced(qtbot, window)
    assert window.rows == machine and window.store.glossary() == []
    assert article_id == window.article_id


def test_opening_a_translated_article_without_its_enforced_english_enforces_it_in_the_background(
        qtbot, make_window, engine):
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    fr = window.article.paragraphs[0].sentence_texts()[0]
    word = max(re.findall(r"[^\W\d_]{5,}", fr), key=len)
    window.close_article()
    window.store.add_glossary_entry(GlossaryEntry(word, RENDERING))  # after the translation, no layer yet
    assert pending_enforcement(window.store, engine.model_id) >= 1
    window.open_article(article_id)
    assert RENDERING not in window.rows[0][0]  # not at paint time: a job
    [job] = window.jobs.running("enforce")
    wait_enforced(qtbot, window)
    assert RENDERING in window.rows[0][0] and RENDERING in window.view.cell_text("en", 0)
    assert pending_enforcement(window.store, engine.model_id) == 0
    assert window.job_status.isHidden()

    # reopening finds it all enforced: no job is started
    window.close_article()
    window.open_article(article_id)
    wait_enforced(qtbot, window)
    assert RENDERING in window.rows[0][0]


def test_the_background_enforcing_shows_progress_and_cancels(qtbot, make_window):
    """An engine whose enforcing holds until cancelled: the status bar says it is enforcing the glossary,
    and Cancel stops it (nothing half-stored)."""
    import threading

    from fakes import FakeEngine

    class HeldEnforcer(FakeEngine):
        def enforce(self, jobs, progress=None):
            progress.start(len(jobs), "enforcing")
            progress.advance()
            while True:  # until the job is cancelled (check raises)
                progress.check()
                threading.Event().wait(0.01)

    engine = HeldEnforcer()
    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    fr = window.article.paragraphs[0].sentence_texts()[0]
    window.close_article()
    window.store.add_glossary_entry(GlossaryEntry(max(re.findall(r"[^\W\d_]{5,}", fr), key=len), RENDERING))
    window.open_article(article_id)
    assert window.enforcer.running()
    qtbot.waitUntil(lambda: window.job_status.isVisible() and "Enforcing the glossary" in window.job_status.label.text(),
                    timeout=20000)
    assert window.commands["model.cancel"].isEnabled()
    window.job_status.cancel.click()
    assert not window.enforcer.running() and window.job_status.isHidden()
    assert not window.commands["model.cancel"].isEnabled()
    window.jobs.wait(20000)
    assert pending_enforcement(window.store, engine.model_id) == 1 and RENDERING not in window.rows[0][0]


def test_reloading_the_rows_does_not_match_the_glossary_again(qtbot, make_window, engine, monkeypatch):
    """The window keeps the glossary's plan (each sentence's terms) while the glossary is unchanged: a
    reload of the rows (a translation stored, a chunk of enforced English) matches nothing again; a
    glossary change does."""
    from reader.core.glossary import GlossaryMatcher

    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    enforce_a_term(window, engine, article_id)
    wait_enforced(qtbot, window)
    calls = []
    real = GlossaryMatcher.find
    monkeypatch.setattr(GlossaryMatcher, "find", lambda self, text, **k: calls.append(text) or real(self, text, **k))
    window.notify(OpChanges(translations={article_id}))
    assert RENDERING in window.rows[0][0]
    assert [t for t in calls if t in window.store.get_article(article_id).paragraphs[0].sentence_texts()] == []
    window.notify(OpChanges(glossary=True))
    assert window.article.paragraphs[0].sentence_texts()[0] in calls


# --- word links on the enforced English --------------------------------------------------------------------


def test_word_links_of_an_enforced_sentence_follow_its_words(qtbot, make_window, engine):
    """The stored alignment is the machine English's; the enforced sentence's links are it moved onto
    the enforced words: hovering the French term lights the rendering, a shared word its own word."""
    from PySide6.QtCore import QPoint

    from reader.core.wordalign import ScoredAlignment, pack_scores, words

    window = make_window(engine=engine)
    article_id = open_translated(qtbot, window)
    fr, machine = window.article.paragraphs[0].sentence_texts()[0], window.rows[0][0]
    fw, ew = words(fr, "fr"), words(machine, "en")  # "EN: <the French>": each word linked to itself
    fr_words = [fr[a:b] for a, b in fw]
    scores = [[1.0 if fr_words[f] == machine[a:b] else 0.0 for f in range(len(fw))] for a, b in ew]
    window.store.store_alignments(engine.model_id, [(fr, machine, ScoredAlignment(fw, ew, pack_scores(scores)))])
    window.alignments.load()
    qtbot.waitUntil(lambda: not window.alignments.loading(), timeout=20000)
    word = max((w for w in fr_words if w.isalpha() and fr_words.count(w) == 1), key=len)
    window.store.add_glossary_entry(GlossaryEntry(word, RENDERING))
    window.notify(OpChanges(glossary=True))
    wait_enforced(qtbot, window)
    enforced = window.rows[0][0]
    assert RENDERING in enforced and word not in enforced  # the aligned word replaced

    al = window.alignments.provide(0, 0, fr, enforced)
    assert al is not None and all(0 <= a < b <= len(enforced) for a, b in al.en_words)
    view = window.view

    def hover_fr(text: str) -> list[str]:
        at = fr.index(text)
        qtbot.mouseMove(view.viewport(), QPoint(1, 1))
        qtbot.mouseMove(view.viewport(), view.text_rects("fr", 0, at, at + len(text))[0].center())
        return [view.cell_text("en", 0)[m.span[0]:m.span[1]] for m in view.word_links() if m.side == "en" and not m.source]

    assert hover_fr(word) == [RENDERING]
    last = fr_words[-1]
    assert hover_fr(last) == [last]  # after the rendering: the same word, not the machine text's offsets


def test_the_enforcing_report_keeps_the_message_it_follows(qtbot, make_window):
    """A glossary import says "2 added, 1 updated"; the re-enforcement it starts ends moments later and must
    not wipe that report: the two are shown together (seen as a flake, a user never saw the import's report)."""
    from types import SimpleNamespace

    window = make_window()
    window.statusBar().showMessage("Glossary: 2 added, 1 updated.", 8000)
    window.enforcer._on_done(SimpleNamespace(count=3, changes=OpChanges()))
    shown = window.statusBar().currentMessage()
    assert "2 added, 1 updated" in shown and "Enforced the glossary in 3 sentences." in shown
    window.statusBar().clearMessage()
    window.enforcer._on_done(SimpleNamespace(count=1, changes=OpChanges()))
    assert window.statusBar().currentMessage() == "Enforced the glossary in 1 sentence."


def test_a_batch_shows_its_sentences_without_a_term_before_it_is_enforced(tmp_db, monkeypatch, engine):
    """Only a sentence holding a term waits for its batch's enforcing (a constrained decoding); the
    others of the batch show as soon as the engine gives them."""
    from reader.core.progress import Progress
    from reader.gui.workers import EngineHolder, translate_job
    from reader.ops import enforce as ops_enforce
    from reader.ops.enforce import store_plan
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    store = Store(tmp_db)
    try:
        ensure_samples(store)
        article = min(store.list_articles(), key=lambda a: a.n_sentences)
        sentences = store.article_sentences(article.id)
        word = max(re.findall(r"[^\W\d_]{5,}", sentences[0][2]), key=len)
        store.add_glossary_entry(GlossaryEntry(word, RENDERING))
        plan = store_plan(store)
    finally:
        store.close()
    with_term = {text for _p, _s, text in sentences if plan.terms(text)[0]}
    assert with_term and len(with_term) < len({t for _p, _s, t in sentences})
    items, at_enforce = [], []
    real = ops_enforce.enforce_sources

    def spy(store, engine, model_id, sources, *args, **kwargs):
        at_enforce.append(({(d[1], d[2]) for d in items if d[0] == "sentence"}, list(sources)))
        return real(store, engine, model_id, sources, *args, **kwargs)

    monkeypatch.setattr(ops_enforce, "enforce_sources", spy)
    translate_job(tmp_db, EngineHolder(lambda: engine), article.id)(Progress(), lambda *d: items.append(d))
    shown, batch = at_enforce[0]  # the first batch's enforcing
    first = {(p, s) for p, s, text in sentences if text in batch}
    assert shown == {(p, s) for p, s, text in sentences if text in batch and text not in with_term} != set()
    assert first - shown  # the sentence with the term waited
    enforced = [d for d in items if d[0] == "sentence" and (d[1], d[2]) == (0, 0)]
    assert len(enforced) == 1 and RENDERING in enforced[0][3]
