"""Colours of the parallel view on offscreen grabs: the hover / selected-pair wash is neutral, so no
highlight colour vanishes in it, and a highlight's counterpart is a margin bar, not a fill (#14 item 5)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette

from reader.core.annotations import PALETTE
from reader.core.model import Article, Paragraph, ParagraphKind, Sentence
from reader.gui.parallel_view import Decoration, ParallelView
from reader.gui.theme import _dark_palette

pytestmark = pytest.mark.gui

FRENCH = ("Le secrétaire d’État américain Antony Blinken et le ministre russe Sergueï Lavrov se sont "
          "rencontrés pour la première fois depuis l’invasion de l’Ukraine.")


def make_view(qtbot, theme: str) -> ParallelView:
    view = ParallelView()
    qtbot.addWidget(view)
    view.setPalette(_dark_palette() if theme == "dark" else QPalette())
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)
    second = "La conversation a été brève."
    text = f"{FRENCH} {second}"
    para = Paragraph(text, ParagraphKind.BODY, None, [],
                     [Sentence(0, len(FRENCH)), Sentence(len(FRENCH) + 1, len(text))])
    article = Article("Rencontre", [para])
    view.set_article(article, [["The US Secretary of State Antony Blinken and the Russian minister Sergei "
                                "Lavrov met for the first time since the invasion of Ukraine.",
                                "The conversation was brief."]])
    return view


def word_rect(view, side: str, word: str):
    at = view.cell_text(side, 0).index(word)
    (rect,) = view.text_rects(side, 0, at, at + len(word))
    return rect, at


def under(img, rect) -> QColor:
    """The fill at the top of a word's box, above its glyphs (the line spacing the fills reach)."""
    return img.pixelColor(QPoint(rect.center().x(), rect.top() + 1))


def over(fg: QColor, bg: QColor, alpha: float) -> QColor:
    return QColor(*(round(b + (f - b) * alpha) for f, b in zip(fg.getRgb()[:3], bg.getRgb()[:3], strict=True)))


def distance(a: QColor, b: QColor) -> float:
    return sum((x - y) ** 2 for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)) ** 0.5


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_selected_pair_wash_is_neutral_and_a_blue_highlight_stays_blue(qtbot, theme, artifacts_dir):
    view = make_view(qtbot, theme)
    blue = QColor(PALETTE["blue"])
    rect, at = word_rect(view, "fr", "Blinken")
    view.set_decorations([Decoration("fr", 0, at, at + len("Blinken"), blue, "highlight")])
    view.select_pair(0, 0)
    img = view.viewport().grab().toImage()
    img.save(str(artifacts_dir / f"colours-selected-pair-{theme}.png"))
    bg = view.palette().color(QPalette.ColorRole.Base)
    plain, _ = word_rect(view, "fr", "secrétaire")
    wash = under(img, plain)
    assert distance(wash, bg) > 6, "the selected pair is not shown"
    assert wash.hsvSaturationF() < 0.06, f"the selected pair's wash {wash.name()} has a hue"
    for name, colour in PALETTE.items():  # every highlight colour has a hue the wash has not
        assert over(QColor(colour), bg, 0.55).hsvSaturationF() > wash.hsvSaturationF() + 0.12, name
    marked = under(img, rect)
    assert abs(marked.hsvHue() - blue.hsvHue()) < 20 and marked.hsvSaturationF() > 0.3
    assert distance(marked, wash) > 60, "the blue highlight vanishes in the selected pair"
    english = under(img, word_rect(view, "en", "Secretary")[0])  # the counterpart sentence: the same wash
    assert english.hsvSaturationF() < 0.06


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_highlights_counterpart_is_a_margin_bar_not_a_fill(qtbot, theme, artifacts_dir):
    view = make_view(qtbot, theme)
    blue = QColor(PALETTE["blue"])
    _, at = word_rect(view, "fr", "Blinken")
    start, end = view.english_sentence_range(0, 0)
    view.set_decorations([Decoration("fr", 0, at, at + len("Blinken"), blue, "highlight"),
                          Decoration("en", 0, start, end, blue, "tint")])
    view.clear_pair_selection()
    img = view.viewport().grab().toImage()
    img.save(str(artifacts_dir / f"colours-counterpart-{theme}.png"))
    bg = view.palette().color(QPalette.ColorRole.Base)
    for word in ("Secretary", "Lavrov", "Ukraine"):  # the English sentence itself is not tinted
        assert distance(under(img, word_rect(view, "en", word)[0]), bg) < 4, word
    # the bar, in the highlight's colour, in the gutter beside the sentence's lines
    rects = view.sentence_rects("en", 0, 0)
    fr_right = max(r.right() for r in view.sentence_rects("fr", 0, 0)) + 1
    x_to = min(r.left() for r in rects)
    row = [img.pixelColor(QPoint(x, rects[0].center().y())) for x in range(fr_right, x_to)]
    assert any(abs(c.hsvHue() - blue.hsvHue()) < 20 and c.hsvSaturationF() > 0.4 for c in row)
    # and nothing beside the untinted second sentence
    other = view.sentence_rects("en", 0, 1)[-1]
    if other.top() > rects[-1].bottom() + 2:
        row = [img.pixelColor(QPoint(x, other.center().y())) for x in range(fr_right, x_to)]
        assert all(c.hsvSaturationF() < 0.3 for c in row)
