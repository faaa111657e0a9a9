"""The window's translation job follows the reader: the rows on screen translate first, also after a
jump into the middle of a long untranslated article (#14). A fake engine that records the sentences of
each call and holds its first call until the test has moved the view."""

from __future__ import annotations

import threading

import pytest
from fakes import FakeEngine

from reader.core.glossary import GlossaryEntry
from reader.core.markup import parse_article

pytestmark = pytest.mark.gui


class HeldEngine(FakeEngine):
    """Records every call (``calls``); the first one, ``held``, waits until ``let_go()`` (or a cancel)."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()
        self.held: list[str] | None = None

    def let_go(self) -> None:
        self.go.set()

    def translate(self, sentences, progress=None, on_result=None):
        if self.held is None:
            self.held = list(sentences)
            while not self.go.wait(0.02):
                if progress is not None:
                    progress.check()
        return super().translate(sentences, progress, on_result)


def long_article(paragraphs: int = 150) -> str:
    body = "\n\n".join(
        f"Paragraphe {p}, première phrase{' longue' * (p % 7)}. Paragraphe {p}, seconde phrase{' courte' * (p % 5)}."
        for p in range(paragraphs)
    )
    return f"Un long article sans traduction\n\n{body}\n"


def open_long(qtbot, window) -> int:
    article_id = window.store.add_article(parse_article(long_article()))
    window.library.refresh()
    window.open_article(article_id)
    return article_id


def sources_of(window, rows: range) -> list[str]:
    return [t for p in rows for t in window.article.paragraphs[p].sentence_texts()]


def test_after_a_jump_the_next_batch_is_the_rows_on_screen(qtbot, make_window):
    engine = HeldEngine()
    window = make_window(engine=engine)
    open_long(qtbot, window)
    qtbot.waitUntil(lambda: engine.held is not None, timeout=20000)
    first, last = window.view.visible_paragraphs()
    assert first == 0 and engine.held == sources_of(window, range(0, 1))  # the top row first, the title after

    window.view.scroll_to_paragraph(75)  # a jump: an annotation, a search hit
    qtbot.waitUntil(lambda: window.articles.wanted.get() == window.view.visible_paragraphs(), timeout=5000)
    first, last = window.articles.wanted.get()
    assert first >= 70
    engine.let_go()
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=20000)
    assert engine.calls[1] == sources_of(window, range(first, last + 1))  # the new screen, next
    flat = [t for c in engine.calls for t in c]
    assert len(flat) == len(set(flat)) == 301  # all 300 sentences and the title, each once
    assert window.view.cell_text("en", 75).startswith("EN: Paragraphe 75")


def test_scrolling_moves_the_hint_and_closing_clears_it(qtbot, make_window):
    engine = HeldEngine()
    window = make_window(engine=engine)
    open_long(qtbot, window)
    qtbot.waitUntil(lambda: engine.held is not None, timeout=20000)
    bar = window.view.verticalScrollBar()
    for _ in range(5):
        bar.setValue(bar.value() + bar.pageStep())
    qtbot.waitUntil(lambda: window.articles.wanted.get() == window.view.visible_paragraphs(), timeout=5000)
    assert window.articles.wanted.get()[0] > 0
    window.close_article()
    assert window.articles.wanted.get() is None
    engine.let_go()
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=20000)


def test_the_glossary_is_enforced_batch_by_batch(qtbot, make_window):
    """The rows on screen show the enforced English as soon as their batch is done, not at the end."""
    engine = HeldEngine()
    window = make_window(engine=engine)
    window.store.add_glossary_entry(GlossaryEntry("seconde", "Zorbsecond"))
    open_long(qtbot, window)
    qtbot.waitUntil(lambda: engine.held is not None, timeout=20000)
    window.view.scroll_to_paragraph(100)
    qtbot.waitUntil(lambda: window.articles.wanted.get() == window.view.visible_paragraphs(), timeout=5000)
    shown: list[str] = []
    window.view.set_translation = (lambda f: lambda p, s, text, edited=False: (shown.append(text), f(p, s, text, edited)))(
        window.view.set_translation)
    engine.let_go()
    qtbot.waitUntil(lambda: len(shown) >= 4, timeout=20000)
    # the first rows to arrive (the top of the article, then the new screen) are enforced already
    assert any("seconde" in t for t in shown[:4])
    assert all(("seconde" in t) == ("Zorbsecond" in t) for t in shown[:4]), shown[:4]
    qtbot.waitUntil(lambda: not window.jobs.running(), timeout=20000)
    assert "Zorbsecond" in window.view.cell_text("en", 100)
