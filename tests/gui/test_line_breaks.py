"""#14.2: a paragraph's own line breaks (the embedded tweet of the Tillerson sample) are kept in the
reading view, on both sides, in both layouts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def tweet(window):
    article_id = next(a.id for a in window.store.list_articles() if "Tillerson" in a.title)
    window.open_article(article_id)
    p = next(i for i, para in enumerate(window.article.paragraphs) if "RT France" in para.text)
    return p, window.article.paragraphs[p]


def line_starts(piece) -> list[str]:
    text = piece.drawn.text
    return [text[line.textStart():line.textStart() + 12] for line in piece.lines()]


def test_the_tweet_keeps_its_line_breaks(qtbot, make_window, artifacts_dir):
    window = make_window(size=(1920, 1000), settle=None)
    p, para = tweet(window)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running("translate"), timeout=20000)
    view = window.view
    view._cache.clear()
    row = view._row(p)
    fr = next(pc for pc in row.pieces if pc.side == "fr")
    en = next(pc for pc in row.pieces if pc.side == "en")
    # each line of the tweet starts a line of the view (a wide window: none would wrap otherwise)
    assert any(s.startswith("— RT France") for s in line_starts(fr)), line_starts(fr)
    assert any(s.startswith("➡") for s in line_starts(fr)), line_starts(fr)
    assert any(s.startswith("EN: — RT") for s in line_starts(en)), line_starts(en)
    assert any(s.startswith("EN: ➡") for s in line_starts(en)), line_starts(en)
    view.scroll_to_paragraph(p)
    window.grab().save(str(artifacts_dir / "tweet_line_breaks.png"))
    assert view.cell_text("fr", p) == para.text  # offsets stay the paragraph's own


def test_the_tweet_keeps_its_line_breaks_interlinear(qtbot, make_window):
    window = make_window(size=(1920, 1000), settle=None)
    p, _para = tweet(window)
    view = window.view
    view.set_layout_mode("interlinear")
    view._cache.clear()
    row = view._row(p)
    french = [pc for pc in row.pieces if pc.side == "fr"]
    assert len(french) == 3  # one per line of the tweet
