"""Word alignment in the window, on the synthetic Argos model: the translation job stores alignments and
the open article's are fed to the view (one read per open, none per hover); hovering a French word
decorates English words; a hand edit gets its own alignment (in a worker) and the links follow the
edited text, and its undo; the View toggle turns the links off; without an aligning engine, nothing."""

from __future__ import annotations

import pytest
from fakes import FakeEngine
from PySide6.QtCore import QPoint

from reader.core.errors import ModelError
from reader.core.wordalign import words

pytestmark = pytest.mark.gui


@pytest.fixture
def model_window(make_window, installed_synthetic_model):
    """A window over the samples whose engine is the installed synthetic model (short sentences: its
    random weights never stop early)."""
    from reader.translation.argos_engine import load_default_engine

    return make_window(engine_factory=lambda: load_default_engine(max_decoding_length=6))


def shortest(window) -> int:
    return min(window.store.list_articles(), key=lambda a: a.n_sentences).id


def open_translated(qtbot, window, article_id: int) -> None:
    """Open an article and let its translation job (and the alignments read after it) finish."""
    window.open_article(article_id)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running()
                    and not window.alignments.loading(), timeout=60000)
    assert len(window.alignments.stored) > 0


def texts(window, p: int, s: int) -> tuple[str, str]:
    return window.article.paragraphs[p].sentence_texts()[s], window.rows[p][s]


def linked_pair(window):
    """The first pair (p, s) of the open article with a French word linked to English words, and that
    word's index."""
    for p, para in enumerate(window.article.paragraphs):
        for s in range(len(para.sentences)):
            fr, en = texts(window, p, s)
            al = window.alignments.provide(p, s, fr, en) if en else None
            for i in range(len(al.fr_words) if al else 0):
                if al.en_for_fr(i):
                    return p, s, i
    raise AssertionError("no linked word in the article")


def hover_french_word(qtbot, window, p: int, s: int, i: int) -> None:
    view = window.view
    fr, en = texts(window, p, s)
    start = window.article.paragraphs[p].sentences[s].start
    a, b = window.alignments.provide(p, s, fr, en).fr_words[i]
    view.scroll_to_paragraph(p)
    rects = view.text_rects("fr", p, start + a, start + b)
    assert rects, "the French word is not laid out"
    qtbot.mouseMove(view.viewport(), QPoint(1, 1))  # from elsewhere: a move to the same place is lost
    qtbot.mouseMove(view.viewport(), rects[0].center())


def english_links(window) -> list[str]:
    """The English words decorated now, as text, in order."""
    view = window.view
    return [view.cell_text("en", m.paragraph)[m.span[0]:m.span[1]]
            for m in sorted(view.word_links(), key=lambda m: m.span) if m.side == "en" and not m.source]


def test_hover_edit_undo_and_toggle_with_stored_alignments(qtbot, model_window, monkeypatch, artifacts_dir):
    window, view = model_window, model_window.view
    from reader.storage.alignments import AlignmentStoreMixin

    reads = []  # the reads of the stored alignments, by any Store (the reads run in a worker's own)
    store_read = AlignmentStoreMixin.stored_alignments
    monkeypatch.setattr(AlignmentStoreMixin, "stored_alignments",
                        lambda self, *a: reads.append(a) or store_read(self, *a))
    article_id = shortest(window)
    open_translated(qtbot, window, article_id)
    model_id = window.model_id
    assert model_id and model_id.startswith("argos:")

    # Hover a French word: the English words it is linked to are decorated, as the stored alignment says.
    p, s, i = linked_pair(window)
    fr, machine = texts(window, p, s)
    hover_french_word(qtbot, window, p, s, i)
    assert view.hovered_word() == ("fr", p, s, i)
    al = window.store.cached_alignments(model_id, [(fr, machine)])[(fr, machine)].alignment()
    expected = [machine[a:b] for a, b in (al.en_words[j] for j, _score in al.en_for_fr(i))]
    assert english_links(window) == expected and expected
    start, end = view.english_sentence_range(p, s)
    for m in view.word_links():
        if m.side == "en":
            assert start <= m.span[0] < m.span[1] <= end  # inside the hovered sentence's English
    assert window.grab().save(str(artifacts_dir / "window-word-alignment-stored.png"))
    window.set_layout_mode("interlinear")
    hover_french_word(qtbot, window, p, s, i)
    assert english_links(window) == expected
    assert window.grab().save(str(artifacts_dir / "window-word-alignment-stored-interlinear.png"))
    window.set_layout_mode("side")

    # Hovering others reads nothing more: the article's alignments were read once, after its job.
    n_reads = len(reads)
    assert n_reads >= 1  # after the job (and maybe once before, if the worker had stored some by then)
    for q in range(len(window.article.paragraphs)):
        for t in range(len(window.article.paragraphs[q].sentences)):
            view._words.alignment(q, t)  # what a hover of each pair asks
    qtbot.waitUntil(lambda: not window.jobs.running() and not window.alignments.loading(), timeout=30000)
    assert len(reads) == n_reads

    # A hand edit: its alignment is computed in a worker (forced decoding) and the links follow it.
    edited = "The conversation was brief and useful."
    dialog = window.edit_translation(p, s)
    dialog.english.setPlainText(edited)
    with qtbot.waitSignal(window.alignments.alignmentsChanged, timeout=30000):
        dialog._save()
    qtbot.waitUntil(lambda: (fr, edited) in window.alignments.added, timeout=30000)
    assert window.store.cached_alignments(model_id, [(fr, edited)])  # stored too
    assert texts(window, p, s) == (fr, edited)
    hover_french_word(qtbot, window, p, s, i)
    links = english_links(window)
    assert links and set(links) <= {edited[a:b] for a, b in words(edited, "en")}
    assert window.grab().save(str(artifacts_dir / "window-word-alignment-hand-edit.png"))

    # Undo: the machine English is back, and so are its links (its alignment was stored: no model call).
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: not window.jobs.running() and not window.alignments.loading(), timeout=30000)
    assert texts(window, p, s) == (fr, machine)
    hover_french_word(qtbot, window, p, s, i)
    assert english_links(window) == expected

    # View ▸ Word Alignment off: no links; on again: links.
    window.commands["view.word_alignment"].setChecked(False)
    hover_french_word(qtbot, window, p, s, i)
    assert view.hovered_word() is None and view.word_links() == []
    window.commands["view.word_alignment"].setChecked(True)
    qtbot.waitUntil(lambda: not window.jobs.running() and not window.alignments.loading(), timeout=30000)
    hover_french_word(qtbot, window, p, s, i)
    assert english_links(window) == expected


def test_reopening_reads_the_stored_alignments_again(qtbot, model_window):
    window = model_window
    article_id = shortest(window)
    open_translated(qtbot, window, article_id)
    other = next(a.id for a in window.store.list_articles() if a.id != article_id)
    window.open_article(other)
    window.cancel_translation()
    assert len(window.alignments.stored) == 0  # another article's: not held
    with qtbot.waitSignal(window.alignments.alignmentsChanged, timeout=30000):
        window.open_article(article_id)
    p, s, i = linked_pair(window)
    hover_french_word(qtbot, window, p, s, i)
    assert english_links(window)


def test_without_an_aligning_engine_no_alignment_and_no_error(qtbot, make_window):
    window = make_window(engine=FakeEngine())
    window.open_article(shortest(window))
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=10000)
    dialog = window.edit_translation(0, 0)
    dialog.english.setPlainText("My own English.")
    dialog._save()
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=10000)
    assert window.alignments.added == {} and len(window.alignments.stored) == 0
    assert "alignment" not in window.statusBar().currentMessage().lower()
    view = window.view
    qtbot.mouseMove(view.viewport(), QPoint(1, 1))
    qtbot.mouseMove(view.viewport(), view.sentence_rects("fr", 0, 0)[0].center())
    assert view.hovered_pair() == (0, 0) and view.word_links() == []

    # The model went away since (its load now fails): an edit gets no alignment, and no error is shown.
    def gone():
        raise ModelError("No French→English model is installed.")

    window.engine.factory = gone
    window.engine.reset()
    dialog = window.edit_translation(0, 0)
    dialog.english.setPlainText("My own English, again.")
    with qtbot.waitSignal(window.jobs.jobsChanged, timeout=10000):
        dialog._save()
    job = next(iter(window.alignments.align_jobs.values()), None)
    assert job is not None  # the alignment was asked for...
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=10000)
    assert window.alignments.added == {} and not window.alignments.align_jobs  # ...and quietly not found
    assert "alignment" not in window.statusBar().currentMessage().lower()
