"""The word-alignment hover of the parallel view: hover a word, its linked words on the other side are
decorated (checked on the view's model, ``word_links()``), both ways, pinned by a click, off by a toggle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from test_parallel_view import (  # noqa: F401 (view: the same fixture)
    SEEDS, H, W, seed_article, small_article, translations_for, view,
)

from reader.core.wordalign import WordAlignment
from reader.gui.parallel_view import Decoration, ParallelView

pytestmark = pytest.mark.gui

WORD = re.compile(r"\w+(?:[-’']\w+)*")
LONGEST = max(SEEDS, key=lambda p: p.stat().st_size)

# « La conversation a été brève. » ↔ "The conversation was brief.", aligned by hand
FR_1_1 = "La conversation a été brève."
EN_1_1 = "The conversation was brief."


def spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in WORD.finditer(text))


HAND = WordAlignment(
    fr_words=spans(FR_1_1),  # La conversation a été brève
    en_words=spans(EN_1_1),  # The conversation was brief
    links=((0, 0, 0.9), (1, 1, 0.95), (2, 2, 0.4), (3, 2, 0.8), (4, 3, 0.9)),
)


def diagonal(fr: str, en: str) -> WordAlignment | None:
    """A hand-made rule for whole articles: French word i goes to the English word at the same relative
    place (score 1, 0.6 or 0.3 by turn); every third French word also to the next English word (0.25)."""
    fw, ew = spans(fr), spans(en)
    if not fw or not ew:
        return None
    links = {}
    for i in range(len(fw)):
        j = round(i * (len(ew) - 1) / max(1, len(fw) - 1))
        links[(i, j)] = (1.0, 0.6, 0.3)[i % 3]
        if i % 3 == 0 and j + 1 < len(ew):
            links[(i, j + 1)] = 0.25
    return WordAlignment(fw, ew, tuple((i, j, sc) for (i, j), sc in sorted(links.items())))


def open_hand(view, mode="side"):
    """The small article with (1, 1) translated and aligned by hand; no alignment elsewhere."""
    article = small_article()
    assert article.paragraphs[1].sentences[1].start is not None
    trans = translations_for(article)
    trans[1][1] = EN_1_1
    view.set_layout_mode(mode)
    view.set_article(article, trans)
    view.set_alignments({(1, 1): HAND})
    return article, trans


def open_seed(view, path: Path, mode="side"):
    article = seed_article(path)
    trans = translations_for(article)
    view.set_layout_mode(mode)
    view.set_article(article, trans)
    view.set_alignment_provider(lambda p, s, fr, en: diagonal(fr, en))
    return article, trans


def word_point(view, side: str, p: int, span: tuple[int, int]) -> QPoint:
    rects = view.text_rects(side, p, *span)
    assert rects, f"{side} {p} {span} not laid out"
    return rects[0].center()


def hover_word(qtbot, view, side, p, s, index):
    """Hover word *index* of sentence (p, s) on *side* (through the mouse, as a user does)."""
    start, end = sentence_range(view, side, p, s)
    a, b = spans(view.cell_text(side, p)[start:end])[index]
    target = word_point(view, side, p, (start + a, start + b))
    # from elsewhere: a move to where the mouse already is, or the first move of a process, is lost
    qtbot.mouseMove(view.viewport(), QPoint(1, 1))
    qtbot.mouseMove(view.viewport(), target)


def sentence_range(view, side, p, s) -> tuple[int, int]:
    """Where sentence (p, s) lies in ``cell_text(side, p)``."""
    if side == "fr":
        sent = view._article.paragraphs[p].sentences[s]
        return sent.start, sent.end
    return view.english_sentence_range(p, s)


def linked(view, side):
    """{span text: weight} of the decorated words on *side* (not the hovered word)."""
    return {view.cell_text(m.side, m.paragraph)[m.span[0]:m.span[1]]: m.weight
            for m in view.word_links() if m.side == side and not m.source}


# --- hover ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["side", "interlinear"])
def test_hovering_a_french_word_lights_its_english_words(view, qtbot, mode):
    open_hand(view, mode)
    hover_word(qtbot, view, "fr", 1, 1, 3)  # « été »
    assert view.hovered_pair() == (1, 1)  # the sentence hover is still there
    assert view.hovered_word() == ("fr", 1, 1, 3)
    assert linked(view, "en") == {"was": 0.8}
    source = [m for m in view.word_links() if m.source]
    assert [(m.side, view.cell_text("fr", 1)[m.span[0]:m.span[1]]) for m in source] == [("fr", "été")]


@pytest.mark.parametrize("mode", ["side", "interlinear"])
def test_hovering_an_english_word_lights_its_french_words(view, qtbot, mode):
    open_hand(view, mode)
    hover_word(qtbot, view, "en", 1, 1, 2)  # "was"
    assert linked(view, "fr") == {"a": 0.4, "été": 0.8}
    assert not linked(view, "en")


def test_weights_follow_the_scores_and_the_tint_follows_the_weight(view, qtbot):
    open_hand(view)
    hover_word(qtbot, view, "en", 1, 1, 2)
    st = view._style
    lo, hi = st.word_alpha
    weights = sorted(m.weight for m in view.word_links() if not m.source)
    assert weights == [0.4, 0.8]
    assert lo < round(lo + (hi - lo) * 0.4) < round(lo + (hi - lo) * 0.8) < hi  # stronger link, stronger tint


def test_no_alignment_no_word_links_sentence_hover_as_before(view, qtbot):
    open_hand(view)
    qtbot.mouseMove(view.viewport(), view.sentence_rects("fr", 1, 0)[0].center())  # (1, 0): not aligned
    assert view.hovered_pair() == (1, 0)
    assert view.hovered_word() is None and view.word_links() == []
    view.set_alignment_provider(None)
    hover_word(qtbot, view, "fr", 1, 1, 3)
    assert view.hovered_pair() == (1, 1) and view.word_links() == []


def test_no_word_links_while_the_english_column_shows_a_message(view, qtbot):
    open_hand(view)
    view.set_english_message("No model installed")
    hover_word(qtbot, view, "fr", 1, 1, 3)
    assert view.hovered_pair() == (1, 1) and view.word_links() == []
    view.set_english_message(None)
    hover_word(qtbot, view, "fr", 1, 1, 3)
    assert linked(view, "en") == {"was": 0.8}


def test_a_stale_alignment_that_does_not_fit_the_text_is_ignored(view, qtbot):
    article, trans = open_hand(view)
    view.set_alignments({(1, 1): WordAlignment(((0, 2),), ((0, 500),), ((0, 0, 1.0),))})
    hover_word(qtbot, view, "fr", 1, 1, 0)
    assert view.hovered_pair() == (1, 1) and view.word_links() == []


def test_a_new_translation_asks_the_provider_again(view, qtbot):
    article, trans = open_hand(view)
    asked = []

    def provider(p, s, fr, en):
        asked.append((p, s, en))
        return HAND if en == EN_1_1 else None

    view.set_alignment_provider(provider)
    hover_word(qtbot, view, "fr", 1, 1, 3)
    assert linked(view, "en") == {"was": 0.8}
    view.set_translation(1, 1, "A brief talk.", edited=True)
    assert view.word_links() == []
    qtbot.mouseMove(view.viewport(), view.sentence_rects("fr", 1, 1)[0].center())
    assert (1, 1, "A brief talk.") in asked and view.word_links() == []


# --- symmetry and ranges on seed articles --------------------------------------------------------


@pytest.mark.parametrize("mode", ["side", "interlinear"])
def test_symmetric_and_inside_the_sentence_on_a_seed_article(view, qtbot, mode):
    article, trans = open_seed(view, LONGEST, mode)
    checked = 0
    for p, para in enumerate(article.paragraphs[:6]):
        for s, sent in enumerate(para.sentences[:2]):
            fr = para.text[sent.start:sent.end]
            for i in range(0, len(spans(fr)), 4):
                view.scroll_to_paragraph(p)
                hover_word(qtbot, view, "fr", p, s, i)
                assert view.hovered_word() == ("fr", p, s, i)
                marks = view.word_links()
                for m in marks:  # every decorated range lies inside its sentence
                    lo, hi = (sent.start, sent.end) if m.side == "fr" else view.english_sentence_range(p, s)
                    assert (m.paragraph, m.sentence) == (p, s) and lo <= m.span[0] < m.span[1] <= hi
                    assert view.cell_text(m.side, p)[m.span[0]:m.span[1]].strip()
                source = next(m for m in marks if m.source)
                english = [m for m in marks if m.side == "en"]
                assert english
                for m in english:  # each English word it lights lights it back, with the same weight
                    qtbot.mouseMove(view.viewport(), word_point(view, "en", p, m.span))
                    back = {(x.span, x.weight) for x in view.word_links() if x.side == "fr"}
                    assert (source.span, m.weight) in back
                    checked += 1
    assert checked > 20


# --- pin, Esc, toggle ----------------------------------------------------------------------------


def test_click_pins_the_links_and_esc_clears_them(view, qtbot):
    open_hand(view)
    hover_word(qtbot, view, "fr", 1, 1, 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=word_point(
        view, "fr", 1, view.word_links()[0].span))
    assert view.pinned_word() == ("fr", 1, 1, 3)
    assert view.selected_pair() == (1, 1)  # the click still selects the pair
    hover_word(qtbot, view, "fr", 1, 1, 1)  # hovering another word: the pinned links stay
    assert view.hovered_word() == ("fr", 1, 1, 1)
    assert linked(view, "en") == {"was": 0.8}
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.pinned_word() is None
    assert linked(view, "en") == {"conversation": 0.95}  # back to what the mouse is on


def test_click_outside_any_word_unpins(view, qtbot):
    open_hand(view)
    hover_word(qtbot, view, "en", 1, 1, 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=word_point(view, "en", 1, view.word_links()[0].span))
    assert view.pinned_word() == ("en", 1, 1, 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(W // 2, 5))  # the header
    assert view.pinned_word() is None and view.word_links() == []


def test_turned_off_nothing_is_decorated(view, qtbot):
    open_hand(view)
    hover_word(qtbot, view, "fr", 1, 1, 3)
    assert view.word_links()
    view.set_word_alignment_enabled(False)
    assert view.word_links() == [] and not view.word_alignment_enabled()
    hover_word(qtbot, view, "fr", 1, 1, 4)
    assert view.hovered_pair() == (1, 1) and view.word_links() == [] and view.hovered_word() is None
    view.set_word_alignment_enabled(True)
    hover_word(qtbot, view, "fr", 1, 1, 3)
    hover_word(qtbot, view, "fr", 1, 1, 4)
    assert linked(view, "en") == {"brief": 0.9}


def test_the_menu_toggle_is_remembered(make_window):
    window = make_window()
    action = window.commands["view.word_alignment"]
    assert action.isCheckable() and action.isChecked() and not action.shortcut().isEmpty()
    assert window.view.word_alignment_enabled()
    action.trigger()
    assert not window.view.word_alignment_enabled()
    window.close()
    again = make_window()
    assert not again.commands["view.word_alignment"].isChecked()
    assert not again.view.word_alignment_enabled()
    again.commands["view.word_alignment"].trigger()
    assert again.view.word_alignment_enabled()


def test_the_toggle_is_in_the_view_menu(make_window):
    window = make_window()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    assert window.commands["view.word_alignment"] in view_menu.actions()


# --- looks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme_name,mode", [("light", "side"), ("dark", "side"), ("light", "interlinear")])
def test_screenshot(qtbot, artifacts_dir, theme_name, mode):
    from reader.gui import theme

    theme.apply_theme(theme_name)
    try:
        view = ParallelView()
        qtbot.addWidget(view)
        view.resize(W, H)
        view.show()
        qtbot.waitExposed(view)
        open_hand(view, mode)
        view.select_pair(1, 2, ensure_visible=False)
        fr = view.cell_text("fr", 1)  # a user highlight under « conversation a été »: still seen
        start = fr.index("conversation a été")
        view.set_decorations([Decoration("fr", 1, start, start + len("conversation a été"), QColor("#f5d90a"))])
        hover_word(qtbot, view, "en", 1, 1, 2)  # "was" → « a », « été »
        assert view.word_links()
        path = artifacts_dir / f"word_alignment_{theme_name}_{mode}.png"
        assert view.grab().save(str(path))
    finally:
        theme.apply_theme("light")
