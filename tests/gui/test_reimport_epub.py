"""#14.9: re-importing a book asks « already imported — update? » first, says « book » or « N chapters »,
and an update keeps the way the book was imported without asking it again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importers"))
from test_epub_import import build_epub  # noqa: E402


def record_questions(monkeypatch, answers):
    asked = []

    def choose(_parent, title, text, choices, informative=""):
        asked.append((title, text, [label for _k, label in choices]))
        return answers.pop(0)

    monkeypatch.setattr("reader.gui.main_window.choose", choose)
    return asked


def import_and_wait(qtbot, window, path):
    window.import_files([path])
    qtbot.waitUntil(lambda: window.import_job is None and not window.jobs.running("import"), timeout=10000)


@pytest.mark.parametrize("mode", ["chapters", "article"])
def test_reimporting_a_book_asks_already_imported_first(window, qtbot, tmp_path, monkeypatch, mode):
    book = build_epub(tmp_path / "livre.epub")
    asked = record_questions(monkeypatch, [mode])
    import_and_wait(qtbot, window, book)
    n = len(window.store.ids_by_origin("livre.epub"))
    assert (n > 1) == (mode == "chapters")
    assert len(asked) == 1 and "book" in asked[0][1]  # a new book: only how to import it
    # the book again: « already imported » comes first; updating asks nothing more
    asked.clear()
    answers = ["update"]
    asked = record_questions(monkeypatch, answers)
    import_and_wait(qtbot, window, book)
    assert len(asked) == 1
    title, text, labels = asked[0]
    assert "already imported" in text
    if mode == "chapters":
        assert f"as {n} chapters" in text and f"the {n} chapters" in text
    else:
        assert "the book" in text
    assert "article" not in text and not any("article" in label for label in labels)
    assert len(window.store.ids_by_origin("livre.epub")) == n  # updated in place (unchanged), not duplicated


def test_a_new_copy_of_a_book_is_asked_how_to_import_it(window, qtbot, tmp_path, monkeypatch):
    book = build_epub(tmp_path / "livre.epub")
    record_questions(monkeypatch, ["chapters"])
    import_and_wait(qtbot, window, book)
    asked = record_questions(monkeypatch, ["copy", None])  # then cancel the mode question
    count = len(window.store.list_articles())
    window.import_files([book])
    assert [("already imported" in text, "How should" in text) for _t, text, _l in asked] == [(True, False), (False, True)]
    assert window.import_job is None and len(window.store.list_articles()) == count
