"""The parallel view: rows, alignment, hover/click/keys, live fill, selection, decorations, speed, looks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from reader.core.model import Article, Paragraph, ParagraphKind, Sentence, Span, SpanKind
from reader.core.sides import english_side
from reader.gui.parallel_view import Decoration, ParallelView

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "articles").glob("*.md"))
W, H = 1200, 800

# --- data ------------------------------------------------------------------------------------------

FRENCH = [
    "Le secrétaire d’État américain Antony Blinken et le ministre russe des Affaires étrangères "
    "Sergueï Lavrov se sont rencontrés pour la première fois depuis l’invasion de l’Ukraine.",
    "La conversation a été brève.",
    "Elle s’est déroulée lors de la réunion des ministres du G20 à New Delhi, jeudi, en marge d’une "
    "séance consacrée à la sécurité alimentaire et énergétique mondiale.",
    "M. Blinken a demandé à rencontrer M. Lavrov.",
    "Au total, la conversation n’a pas dépassé dix minutes, selon un responsable américain qui a "
    "requis l’anonymat pour évoquer des échanges diplomatiques.",
]


def make_paragraph(sentences: list[str], kind=ParagraphKind.BODY, speaker=None, spans=()) -> Paragraph:
    text, ranges = "", []
    for s in sentences:
        if text:
            text += " "
        ranges.append(Sentence(len(text), len(text) + len(s)))
        text += s
    return Paragraph(text, kind, speaker, list(spans), ranges)


def fake_en(p: int, s: int, n: int = 0) -> str:
    """A deterministic English sentence of realistic, varying length."""
    filler = "the delegations met briefly on the sidelines of the meeting and agreed to talk again"
    words = filler.split()
    k = 4 + (p * 7 + s * 3 + n) % len(words)
    return f"EN {p}.{s} " + " ".join(words[:k]).capitalize() + "."


def small_article() -> Article:
    paras = [
        make_paragraph(["Rencontre Lavrov-Blinken au G20"], ParagraphKind.HEADING),
        make_paragraph(FRENCH[:3]),
        make_paragraph(["Merci de nous recevoir.", "Que s’est-il passé ?"], ParagraphKind.TURN, "Question"),
        make_paragraph([FRENCH[3]], ParagraphKind.TURN, "Sergueï Lavrov"),
        make_paragraph(["Les délégations en marge de la 80e session de l’Assemblée générale."],
                       ParagraphKind.CAPTION, spans=[Span(35, 36, SpanKind.SUPERSCRIPT)]),
        make_paragraph(["« Nous devons continuer à demander à la Russie de mettre fin à sa guerre. »"],
                       ParagraphKind.QUOTE, spans=[Span(2, 18, SpanKind.ITALIC)]),
        make_paragraph(FRENCH[1:5], spans=[Span(0, 2, SpanKind.BOLD), Span(30, 40, SpanKind.LINK, "https://x.org")]),
        make_paragraph(FRENCH),
    ]
    return Article("Blinken et Lavrov tiennent leur première réunion", paras, author="AFP",
                   published="2 mars 2023", source="AFP", place="New Delhi")


def translations_for(article: Article, missing=()) -> list[list[str | None]]:
    return [[None if (p, s) in missing else fake_en(p, s) for s in range(len(para.sentences))]
            for p, para in enumerate(article.paragraphs)]


def big_article(sentences: int = 10_000) -> tuple[Article, list[list[str | None]]]:
    """A 300-page book: seed-like paragraphs of 1–5 sentences, repeated up to *sentences*."""
    kinds = [ParagraphKind.BODY] * 8 + [ParagraphKind.HEADING, ParagraphKind.TURN]
    paras, total, i = [], 0, 0
    while total < sentences:
        n = 1 + (i * 7) % 5
        sents = [FRENCH[(i + k) % len(FRENCH)] for k in range(n)]
        kind = kinds[i % len(kinds)]
        if kind is ParagraphKind.HEADING:
            sents = [f"Chapitre {i}"]
        paras.append(make_paragraph(sents, kind, "Question" if kind is ParagraphKind.TURN else None))
        total += len(sents)
        i += 1
    article = Article("Un livre de trois cents pages", paras, author="Auteur")
    return article, translations_for(article)


def seed_article(path: Path) -> Article:
    from reader.core.markup import parse_article

    return parse_article(path.read_text(encoding="utf-8"), origin=path.name)


@pytest.fixture
def view(qtbot):
    v = ParallelView()
    qtbot.addWidget(v)
    v.resize(W, H)
    v.show()
    qtbot.waitExposed(v)
    return v


def open_small(view, missing=()):
    article = small_article()
    trans = translations_for(article, missing)
    view.set_article(article, trans)
    return article, trans


def centre(rects) -> QPoint:
    assert rects, "sentence not laid out"
    return rects[0].center()


def click(qtbot, view, pos: QPoint, double=False):
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def visible_rows(view) -> list[int]:
    out = []
    for p in range(view.first_visible_paragraph(), view.row_count()):
        r = view.row_rect(p)
        if r.top() >= view.viewport().height():
            break
        out.append(p)
    return out


def assert_rows_sound(view, article):
    """Top alignment and no overlap for every row in view."""
    for p in visible_rows(view):
        row = view.row_rect(p)
        fr, en = view.cell_rect("fr", p), view.cell_rect("en", p)
        if view.layout_mode() == "side" and not en.isNull():
            assert fr.top() == en.top(), f"row {p}: cells not top-aligned"
        nxt = view.row_rect(p + 1).top() if p + 1 < view.row_count() else None
        for side in ("fr", "en"):
            for s in range(len(article.paragraphs[p].sentences)):
                for rect in view.sentence_rects(side, p, s):
                    assert rect.top() >= row.top(), f"row {p} {side} {s} above its row"
                    if nxt is not None:
                        assert rect.bottom() < nxt, f"row {p} {side} {s} overlaps row {p + 1}"


# --- contents --------------------------------------------------------------------------------------


def test_rows_and_cell_texts(view):
    article, trans = open_small(view, missing={(1, 1), (7, 0)})
    assert view.row_count() == len(article.paragraphs)
    en = english_side(article, trans)
    for p, para in enumerate(article.paragraphs):
        assert view.cell_text("fr", p) == para.text
        assert view.cell_text("en", p) == en.paragraph_text(p)
    # the speaker label is drawn but is not part of the text offsets refer to
    assert not view.cell_text("fr", 2).startswith("Question")
    assert view.cell_text("en", 1) == f"{trans[1][0]} {trans[1][2]}"
    fr0 = view.sentence_rects("fr", 2, 0)[0]
    assert fr0.left() > view.cell_rect("fr", 2).left() + 20  # after « Question : »


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_articles(view, path):
    article = seed_article(path)
    trans = translations_for(article)
    view.set_article(article, trans)
    assert view.row_count() == len(article.paragraphs)
    for p, para in enumerate(article.paragraphs):
        assert view.cell_text("fr", p) == para.text
    assert_rows_sound(view, article)
    view.set_layout_mode("interlinear")
    assert_rows_sound(view, article)


def test_empty_and_clear(view, qtbot):
    view.grab()
    open_small(view)
    view.clear()
    assert view.row_count() == 0 and view.selected_pair() is None and view.cell_text("fr", 0) == ""
    view.grab()  # paints "No article open"
    view.set_article(Article("Vide", []), [])
    assert view.row_count() == 0
    view.grab()


# --- hover, click, keys ----------------------------------------------------------------------------


def test_click_french_or_english_selects_the_pair(view, qtbot):
    open_small(view)
    with qtbot.waitSignal(view.pairSelected) as sig:
        click(qtbot, view, centre(view.sentence_rects("fr", 1, 2)))
    assert sig.args == [1, 2] and view.selected_pair() == (1, 2)
    click(qtbot, view, centre(view.sentence_rects("en", 6, 1)))
    assert view.selected_pair() == (6, 1)
    # clicking the label or the empty gutter selects nothing new
    click(qtbot, view, QPoint(view.cell_rect("fr", 2).left() + 3, view.cell_rect("fr", 2).center().y()))
    assert view.selected_pair() == (6, 1)


def test_hover_tints_the_pair(view, qtbot):
    open_small(view)
    seen = []
    view.pairHovered.connect(lambda p, s: seen.append((p, s)))
    qtbot.mouseMove(view.viewport(), centre(view.sentence_rects("en", 1, 1)))
    assert view.hovered_pair() == (1, 1)
    target = centre(view.sentence_rects("fr", 3, 0))
    assert view.viewport().rect().contains(target)
    qtbot.mouseMove(view.viewport(), target)
    assert view.hovered_pair() == (3, 0)
    qtbot.mouseMove(view.viewport(), QPoint(view.width() // 2, 5))  # header: nothing
    assert view.hovered_pair() is None
    assert seen[:2] == [(1, 1), (3, 0)] and seen[-1] == (-1, -1)


def test_click_untranslated_placeholder_selects_pair(view, qtbot):
    open_small(view, missing={(1, 1)})
    rects = view.sentence_rects("en", 1, 1)  # the « … »
    assert len(rects) == 1 and rects[0].width() < 40
    click(qtbot, view, rects[0].center())
    assert view.selected_pair() == (1, 1)


def test_keys_move_the_pair_across_paragraphs_and_keep_it_visible(view, qtbot):
    article, _ = big_article(600)
    view.set_article(article, translations_for(article))
    view.setFocus()
    view.select_pair(0, 0)
    order = [(p, s) for p, para in enumerate(article.paragraphs) for s in range(len(para.sentences))]
    vh = view.viewport().height()
    for i in range(1, 120):
        qtbot.keyClick(view, Qt.Key.Key_Down)
        assert view.selected_pair() == order[i]
        p, s = order[i]
        for side in ("fr", "en"):
            for rect in view.sentence_rects(side, p, s):
                assert 0 <= rect.top() and rect.bottom() <= vh, (order[i], side, rect)
    assert view.first_visible_paragraph() > 5
    for i in range(118, 100, -1):
        qtbot.keyClick(view, Qt.Key.Key_Up)
        assert view.selected_pair() == order[i]
    qtbot.keyClick(view, Qt.Key.Key_End)
    sb = view.verticalScrollBar()
    assert sb.value() == sb.maximum() > 0
    last = view.row_count() - 1
    assert view.row_rect(last).bottom() <= vh
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert sb.value() == 0
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert sb.value() > vh // 2


def test_click_scrolls_minimally_to_show_the_counterpart(view, qtbot):
    """A tall English cell: clicking a French sentence whose translation is below the fold scrolls."""
    long_en = " ".join(["A much longer English rendering that wraps over many lines."] * 30)
    paras = [make_paragraph(["Court.", "Encore court."]), make_paragraph(FRENCH)]
    article = Article("Titre", paras)
    trans = [[long_en, "Still short."], [fake_en(1, s) for s in range(5)]]
    view.resize(W, 400)
    view.set_article(article, trans)
    target = view.sentence_rects("en", 0, 1)
    assert target[0].bottom() > view.viewport().height()  # out of view
    click(qtbot, view, centre(view.sentence_rects("fr", 0, 1)))
    assert view.selected_pair() == (0, 1)
    rect = view.sentence_rects("en", 0, 1)[0]
    assert 0 <= rect.top() and rect.bottom() <= view.viewport().height()


def test_double_click_english_requests_an_edit(view, qtbot):
    open_small(view)
    with qtbot.waitSignal(view.editRequested) as sig:
        click(qtbot, view, centre(view.sentence_rects("en", 3, 0)), double=True)
    assert sig.args == [3, 0]


# --- live fill, alignment, modes --------------------------------------------------------------------


def test_set_translation_fills_a_placeholder_without_moving_the_top_row(view, qtbot):
    article, _ = big_article(400)
    trans = [[None] * len(p.sentences) for p in article.paragraphs]
    view.set_article(article, trans)
    view.scroll_to_paragraph(20)
    top_p = view.first_visible_paragraph()
    top_y = view.row_rect(top_p).top()
    target = top_p + 2
    before = view.row_rect(target).height()
    assert view.cell_text("en", target) == ""
    for s in range(len(article.paragraphs[target].sentences)):
        view.set_translation(target, s, fake_en(target, s) * 3)
    # and one above the viewport, which must not push the text down either
    view.set_translation(top_p - 3, 0, fake_en(0, 0) * 8)
    qtbot.wait(1)
    view.grab()
    assert view.first_visible_paragraph() == top_p
    assert view.row_rect(top_p).top() == top_y
    assert view.row_rect(target).height() > before
    assert view.cell_text("en", target).startswith(f"EN {target}.0")
    assert_rows_sound(view, article)


def test_rows_stay_aligned_while_scrolling_and_resizing(view, qtbot):
    article, trans = big_article(1500)
    view.set_article(article, trans)
    sb = view.verticalScrollBar()
    for frac in (0.0, 0.3, 0.71, 1.0):
        sb.setValue(int(sb.maximum() * frac))
        view.grab()
        assert_rows_sound(view, article)
    view.scroll_to_paragraph(200)
    view.resize(760, 700)
    qtbot.wait(1)
    view.grab()
    assert view.first_visible_paragraph() == 200
    assert_rows_sound(view, article)
    view.set_font_point_size(17)
    view.grab()
    assert view.first_visible_paragraph() == 200 and view.font_point_size() == 17
    assert_rows_sound(view, article)


def test_interlinear_puts_english_under_french(view):
    article, _ = open_small(view)
    view.set_layout_mode("interlinear")
    assert view.layout_mode() == "interlinear"
    for p in (1, 2, 7):
        for s in range(len(article.paragraphs[p].sentences)):
            fr, en = view.sentence_rects("fr", p, s), view.sentence_rects("en", p, s)
            assert en[0].top() > fr[-1].bottom()
            if s + 1 < len(article.paragraphs[p].sentences):
                assert view.sentence_rects("fr", p, s + 1)[0].top() >= en[-1].bottom()
    assert_rows_sound(view, article)
    view.set_layout_mode("side")
    fr, en = view.sentence_rects("fr", 1, 0)[0], view.sentence_rects("en", 1, 0)[0]
    assert fr.top() == en.top() and en.left() > fr.right()


def test_english_message_replaces_the_english_column(view, qtbot):
    article, _ = open_small(view)
    view.set_english_message("No French→English model is installed.")
    assert view.sentence_rects("en", 1, 0) == []
    assert view.cell_rect("en", 1).isNull()
    click(qtbot, view, centre(view.sentence_rects("fr", 1, 0)))
    assert view.selected_pair() == (1, 0)
    view.set_layout_mode("interlinear")
    assert view.sentence_rects("en", 1, 0) == []
    view.set_english_message(None)
    assert view.sentence_rects("en", 1, 0)


# --- text selection, decorations ---------------------------------------------------------------------


def drag(qtbot, view, a: QPoint, b: QPoint):
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    qtbot.mouseMove(vp, mid)
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def test_drag_selects_text_on_one_side(view, qtbot):
    article, _ = open_small(view)
    # French: from the start of sentence 1 of paragraph 1 to the end of sentence 0 of paragraph 6
    a = view.sentence_rects("fr", 1, 1)[0]
    b = view.sentence_rects("fr", 6, 0)[-1]
    events = []
    view.selectionChanged.connect(lambda: events.append(1))
    drag(qtbot, view, QPoint(a.left() + 1, a.center().y()), QPoint(b.right(), b.center().y()))
    sel = view.text_selection()
    s1, s6 = article.paragraphs[1].sentences[1], article.paragraphs[6].sentences[0]
    assert sel == ("fr", 1, s1.start, 6, s6.end)
    text = view.selected_text()
    assert text.startswith("La conversation a été brève.") and text.endswith(FRENCH[1])
    assert text.count("\n\n") == 5 and events
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == text
    # English: within one paragraph, right to left; the selection stays on the English side
    e = view.sentence_rects("en", 7, 2)[0]
    start = view.english_sentence_range(7, 2)[0]
    drag(qtbot, view, QPoint(e.left() + 1, e.center().y()), QPoint(view.sentence_rects("en", 7, 0)[0].left() + 1,
                                                                  view.sentence_rects("en", 7, 0)[0].center().y()))
    assert view.text_selection() == ("en", 7, 0, 7, start)
    assert view.selected_text() == view.cell_text("en", 7)[:start]
    # a plain click clears it
    click(qtbot, view, centre(view.sentence_rects("fr", 1, 0)))
    assert view.text_selection() is None and view.selected_text() == ""


def test_double_click_french_selects_a_word(view, qtbot):
    article, _ = open_small(view)
    text = view.cell_text("fr", 1)
    i = text.index("Blinken")
    # find the x of that word by probing: select it through the API first, then compare
    rects = view.sentence_rects("fr", 1, 0)
    for x in range(rects[0].left(), rects[0].right(), 4):
        click(qtbot, view, QPoint(x, rects[0].center().y()), double=True)
        sel = view.text_selection()
        if sel and sel[2] == i:
            break
    assert view.text_selection() == ("fr", 1, i, 1, i + len("Blinken"))


def test_decorations_and_tooltips(view, qtbot):
    article, _ = open_small(view)
    deco = Decoration("fr", 1, 3, 15, QColor("#ffd400"), "highlight", "Une note")
    gloss = Decoration("en", 1, 0, 8, QColor("#2ea8e5"), "underline", "glossary: rencontre")
    view.set_decorations([deco, gloss, Decoration("en", 1, 0, 4, QColor("#ffd400"), "tint")])
    assert view.decorations()[0] == deco
    rect = view.sentence_rects("fr", 1, 0)[0]
    view.grab()
    assert view._tooltip_at(QPoint(rect.left() + 30, rect.center().y())) == "Une note"
    assert view._tooltip_at(QPoint(rect.right() - 5, rect.center().y())) is None


def test_programmatic_text_selection(view):
    open_small(view)
    view.set_text_selection("en", 1, 3, 2, 5)
    assert view.text_selection() == ("en", 1, 3, 2, 5)
    assert view.selected_text() == view.cell_text("en", 1)[3:] + "\n\n" + view.cell_text("en", 2)[:5]
    view.clear_text_selection()
    assert view.text_selection() is None


# --- position ----------------------------------------------------------------------------------------


def test_scroll_to_paragraph_round_trip(view):
    article, trans = big_article(2000)
    view.set_article(article, trans)
    for p in (0, 57, 300, 121):
        view.scroll_to_paragraph(p)
        view.grab()
        assert view.first_visible_paragraph() == p
        assert view.row_rect(p).top() == 0


# --- speed -------------------------------------------------------------------------------------------


def test_a_300_page_book_opens_and_scrolls_to_the_end(view, qtbot):
    """How fast is measured by bench/gui_open.py (no wall-clock limits in tests); this checks that the
    book opens, scrolls to its very end, and keeps only the rows near the viewport laid out."""
    article, trans = big_article(10_000)
    assert sum(len(p.sentences) for p in article.paragraphs) >= 10_000
    view.set_article(article, trans)
    view.repaint()
    QGuiApplication.processEvents()
    sb = view.verticalScrollBar()
    steps = 0
    while sb.value() < sb.maximum() and steps < 5000:  # three pages a step (bench/ does every page)
        sb.setValue(sb.value() + 3 * sb.pageStep())
        view.repaint()
        QGuiApplication.processEvents()
        steps += 1
    assert sb.value() == sb.maximum()
    last = view.row_count() - 1
    assert view.first_visible_paragraph() > last - 40
    assert view.row_rect(last).bottom() <= view.viewport().height()
    assert len(view._cache) <= 240  # only rows near the viewport stay laid out


# --- screenshots -------------------------------------------------------------------------------------


def dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: QColor(45, 45, 48), QPalette.ColorRole.WindowText: QColor(225, 225, 225),
        QPalette.ColorRole.Base: QColor(30, 30, 32), QPalette.ColorRole.AlternateBase: QColor(40, 40, 43),
        QPalette.ColorRole.Text: QColor(225, 225, 225), QPalette.ColorRole.Button: QColor(53, 53, 56),
        QPalette.ColorRole.ButtonText: QColor(225, 225, 225), QPalette.ColorRole.Highlight: QColor(61, 122, 191),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255), QPalette.ColorRole.Link: QColor(110, 170, 240),
        QPalette.ColorRole.Mid: QColor(40, 40, 43), QPalette.ColorRole.Dark: QColor(25, 25, 27),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    return p


def screenshot_article() -> tuple[Article, list[list[str | None]]]:
    path = ROOT / "articles" / "lavrov-onu-discussions-russo-americaines-huis-clos.md"
    try:
        article = seed_article(path)
    except pytest.skip.Exception:
        article = small_article()
    interview = ROOT / "articles" / "entretien-lavrov-poutine-otan-alaska.md"
    try:
        article.paragraphs += seed_article(interview).paragraphs[:6]
    except pytest.skip.Exception:
        pass
    trans = translations_for(article, missing={(len(article.paragraphs) - 2, 1)})
    return article, trans


def test_screenshots(view, qtbot, artifacts_dir):
    article, trans = screenshot_article()
    view.set_article(article, trans, {(2, 0)})
    view.select_pair(1, 0)
    qtbot.mouseMove(view.viewport(), centre(view.sentence_rects("fr", 2, 0)))
    view.grab().save(str(artifacts_dir / "parallel_side_light.png"))

    view.setPalette(dark_palette())
    view.grab().save(str(artifacts_dir / "parallel_side_dark.png"))
    view.setPalette(QPalette())

    view.set_layout_mode("interlinear")
    view.grab().save(str(artifacts_dir / "parallel_interlinear.png"))
    view.set_layout_mode("side")

    p = 3 if len(article.paragraphs) > 3 else 1
    view.set_decorations([
        Decoration("fr", 1, 0, 40, QColor("#ffd400"), "highlight", "Une note"),
        Decoration("en", 1, 0, 30, QColor("#ffd400"), "tint"),
        Decoration("fr", p, 4, 16, QColor("#5fb236"), "underline", "glossary"),
    ])
    a = view.sentence_rects("fr", p, 0)[0]
    b = view.sentence_rects("fr", p + 1, 0)[0]
    drag(qtbot, view, QPoint(a.left() + 40, a.center().y()), QPoint(b.left() + 120, b.center().y()))
    assert view.text_selection() is not None
    view.grab().save(str(artifacts_dir / "parallel_selection_decorations.png"))

    view.set_english_message("No French→English model is installed.")
    view.verticalScrollBar().setValue(200)
    view.grab().save(str(artifacts_dir / "parallel_english_message.png"))
    for name in ("side_light", "side_dark", "interlinear", "selection_decorations", "english_message"):
        assert (artifacts_dir / f"parallel_{name}.png").stat().st_size > 10_000
