"""One way for changes to flow: operations, undo commands and jobs end in one ``OpChanges`` record on the
window's ``changed`` signal, and each panel decides for itself whether it concerns what it shows."""

from __future__ import annotations

import pytest

from reader.ops.changes import OpChanges

pytestmark = pytest.mark.gui


def wait_translated(qtbot, window, timeout=10000):
    qtbot.waitUntil(lambda: window.article is not None and window.is_fully_translated()
                    and not window.jobs.running("translate"), timeout=timeout)


class Count:
    """Counts calls of one method of an object (and still calls it)."""

    def __init__(self, monkeypatch, obj, name: str) -> None:
        self.n = 0
        original = getattr(obj, name)

        def counted(*args, **kwargs):
            self.n += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(obj, name, counted)


def records(window) -> list[OpChanges]:
    seen: list[OpChanges] = []
    window.changed.connect(seen.append)
    return seen


def test_the_window_sends_nothing_for_an_empty_record(window):
    seen = records(window)
    window.notify(OpChanges())
    window.notify(OpChanges(glossary=True))
    assert seen == [OpChanges(glossary=True)]


def test_library_lists_again_for_articles_and_english_only(window, monkeypatch):
    listed = Count(monkeypatch, window.library, "refresh")
    some = window.store.list_articles()[0].id
    window.notify(OpChanges(glossary=True))
    window.notify(OpChanges(annotations={some}))
    assert listed.n == 0
    window.notify(OpChanges(translations={some}))
    assert listed.n == 1
    window.notify(OpChanges(articles={some}))
    assert listed.n == 2


def test_annotations_panel_lists_again_only_for_its_article(qtbot, window, monkeypatch):
    first, second = [a.id for a in window.store.list_articles()][:2]
    window.open_article(first)
    listed = Count(monkeypatch, window.annotations_panel, "refresh")
    window.notify(OpChanges(annotations={second}))
    window.notify(OpChanges(glossary=True, translations={first}))
    assert listed.n == 0
    window.notify(OpChanges(annotations={first}))
    assert listed.n == 1
    # The whole library's list concerns every article.
    window.annotations_panel.scope.setCurrentIndex(window.annotations_panel.scope.findData("all"))
    listed.n = 0
    window.notify(OpChanges(annotations={second}))
    assert listed.n == 1


def test_glossary_panel_reloads_for_the_glossary_and_recounts_for_articles(window, monkeypatch):
    listed = Count(monkeypatch, window.glossary_panel, "refresh_list")
    counted = Count(monkeypatch, window.glossary_panel, "recount")
    some = window.store.list_articles()[0].id
    window.notify(OpChanges(annotations={some}, translations={some}))
    assert (listed.n, counted.n) == (0, 0)
    window.notify(OpChanges(articles={some}))  # occurrences are counted over the library's text
    assert (listed.n, counted.n) == (0, 1)
    window.notify(OpChanges(glossary=True))
    assert (listed.n, counted.n) == (1, 2)


def test_the_view_redraws_only_for_the_open_article(qtbot, window, monkeypatch):
    first, second = [a.id for a in window.store.list_articles()][:2]
    window.open_article(first)
    wait_translated(qtbot, window)
    drawn = Count(monkeypatch, window.view, "set_decorations")
    filled = Count(monkeypatch, window.view, "set_translation")
    window.notify(OpChanges(annotations={second}, translations={second}))
    assert (drawn.n, filled.n) == (0, 0)
    window.notify(OpChanges(annotations={first}))
    assert (drawn.n, filled.n) == (1, 0)
    window.notify(OpChanges(glossary=True))
    assert drawn.n == 2
    # A changed English is shown: only the sentence that differs is set again.
    window.store.set_edited_translation(first, 0, 0, "By hand.")
    window.notify(OpChanges(translations={first}))
    assert filled.n == 1 and window.rows[0][0] == "By hand."


def test_a_deleted_open_article_closes_and_a_replaced_one_reopens(qtbot, window):
    first = window.store.list_articles()[0].id
    window.open_article(first)
    article = window.store.get_article(first)
    article.paragraphs = article.paragraphs[:1]
    window.store.replace_article(first, article)
    window.notify(OpChanges(articles={first}))
    assert window.article_id == first and len(window.article.paragraphs) == 1
    qtbot.waitUntil(lambda: not window.jobs.running("translate"))
    window.store.delete_article(first)
    window.notify(OpChanges(articles={first}))
    assert window.article is None


def test_a_finished_translation_sends_one_record_for_its_article(qtbot, window):
    seen = records(window)
    article_id = window.store.list_articles()[0].id
    window.open_article(article_id)
    wait_translated(qtbot, window)
    qtbot.waitUntil(lambda: window.translation_job is None)
    assert seen and seen[-1].translations == {article_id}
    assert not seen[-1].articles and not seen[-1].glossary


def test_undo_commands_send_their_record_too(qtbot, window):
    article_id = window.store.list_articles()[0].id
    window.open_article(article_id)
    seen = records(window)
    text = window.view.cell_text("fr", 0)
    window.view.set_text_selection("fr", 0, 0, 0, min(5, len(text)))
    window.annotations_panel.highlight("yellow")
    window.undo_stack.undo()
    window.undo_stack.redo()
    assert seen == [OpChanges(annotations={article_id})] * 3
    seen.clear()
    window.glossary_panel.add_entry("ministre", "minister")
    window.undo_stack.undo()
    assert seen == [OpChanges(glossary=True)] * 2
    seen.clear()
    window.delete_article(article_id, confirm=False)
    assert seen[0].articles == {article_id} and window.article is None
    window.undo_stack.undo()  # the article comes back under a new id, and opens again
    assert len(seen) == 2 and window.article_id in seen[1].articles


def test_undoing_a_hand_edit_of_another_article_places_its_highlights_again(qtbot, make_window):
    """The undo of a hand edit may run while another article is open: the edited article's English
    highlights follow its text all the same (they used to keep the edited text's positions)."""
    window = make_window()
    first, second = [a.id for a in window.store.list_articles()][:2]
    window.open_article(first)
    wait_translated(qtbot, window)
    view = window.view
    p = next(i for i in range(view.row_count()) if len(window.article.paragraphs[i].sentences) >= 2)
    a, b = view.english_sentence_range(p, 1)
    view.set_text_selection("en", p, a, p, b)
    window.commands["notes.red"].trigger()
    (before,) = window.store.annotations(article_id=first)
    dialog = window.edit_translation(p, 0)
    dialog.english.setPlainText("A much longer hand-made English sentence that shifts everything after it.")
    dialog._save()
    (edited,) = window.store.annotations(article_id=first)
    assert edited.start != before.start
    window.open_article(second)
    wait_translated(qtbot, window)
    window.undo_stack.undo()  # the hand edit of the first article
    (after,) = window.store.annotations(article_id=first)
    assert (after.start, after.end) == (before.start, before.end) and after.status != "orphaned"
