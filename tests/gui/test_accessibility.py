"""Accessibility of the parallel view through Qt's QAccessible API: the sentence pairs as a list, each
pair's French and English sentences (text, description with highlights and notes, attributes, text
interface), the keyboard's current sentence as the focused child and the events announcing it; the
keyboard-only selection and side switch; laziness on a 10,000-sentence book; the focus outline."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor
from test_parallel_view import W, H, big_article, small_article, translations_for

from reader.gui.parallel_view import Decoration, ParallelView
from reader.gui.view import accessible

pytestmark = pytest.mark.gui

Text = QAccessible.Text
Role = QAccessible.Role
Event = QAccessible.Event


@pytest.fixture
def a11y_active():
    """Accessibility on (as with a screen reader running) for one test, and the events posted."""
    was = QAccessible.isActive()
    QAccessible.setActive(True)
    events = []
    original = accessible.post
    accessible.post = lambda e: (events.append((e.type(), e.accessibleInterface())), original(e))
    yield events
    accessible.post = original
    QAccessible.setActive(was)


@pytest.fixture
def view(qtbot):
    v = ParallelView()
    qtbot.addWidget(v)
    v.resize(W, H)
    a = small_article()
    v.set_article(a, translations_for(a, missing={(7, 4)}))
    v.show()
    qtbot.waitExposed(v)
    return v


def pairs(view):
    return [(p, s) for p, para in enumerate(view._article.paragraphs) for s in range(len(para.sentences))]


def test_view_is_a_list_of_sentence_pairs_with_their_texts(view):
    iface = QAccessible.queryAccessibleInterface(view)
    assert iface.role() == Role.List
    assert iface.text(Text.Name) == "Parallel text"
    all_pairs = pairs(view)
    assert iface.childCount() == 1 + len(all_pairs)  # the title, then every pair
    header = iface.child(0)
    assert header.role() == Role.Heading
    assert header.text(Text.Name) == view._article.title
    p, s = all_pairs[3]
    pair = iface.child(1 + 3)
    assert pair.role() == Role.ListItem
    assert pair.text(Text.Name) == f"Paragraph {p + 1}, sentence {s + 1}"
    assert iface.indexOfChild(pair) == 4
    assert pair.childCount() == 2
    fr, en = pair.child(0), pair.child(1)
    para = view._article.paragraphs[p]
    assert fr.text(Text.Name) == para.text[para.sentences[s].start:para.sentences[s].end]
    assert en.text(Text.Name) == view._trans[p][s]
    assert fr.role() == en.role() == Role.Paragraph
    assert fr.text(Text.Description).startswith(f"French, paragraph {p + 1}, sentence {s + 1}")
    assert en.text(Text.Description).startswith(f"English, paragraph {p + 1}, sentence {s + 1}")
    assert fr.parent().text(Text.Name) == pair.text(Text.Name)
    assert pair.indexOfChild(en) == 1
    # a heading paragraph's sentence is a heading; an untranslated one says so
    assert iface.child(1).child(0).role() == Role.Heading
    last = iface.child(iface.childCount() - 1).child(1)
    assert last.text(Text.Name) == "(not translated yet)"


def test_sentence_text_interface_and_selection(view):
    iface = QAccessible.queryAccessibleInterface(view)
    fr = iface.child(2).child(0)  # paragraph 1, sentence 0
    ti = fr.textInterface()
    assert ti is not None
    name = fr.text(Text.Name)
    assert ti.characterCount() == len(name)
    assert ti.text(0, 10) == name[:10]
    rect = ti.characterRect(0)
    assert rect.isValid() and fr.rect().contains(rect.center())
    assert ti.offsetAtPoint(rect.center()) == 0
    ti.setSelection(0, 0, 6)  # an assistive technology selects text: the view's selection
    assert view.selected_text() == name[:6]
    ti.removeSelection(0)
    assert view.text_selection() is None


def test_highlights_and_notes_are_described_and_given_as_attributes(view):
    p, s = 1, 1
    para = view._article.paragraphs[p]
    a = para.sentences[s].start
    view.set_decorations([
        Decoration("fr", p, a, a + 2, QColor("yellow"), "highlight", "Yellow highlight with a note\nShort!\nTags: style"),
        Decoration("fr", p, a + 3, a + 15, QColor("gray"), "underline", "Glossary\nconversation → talk"),
    ])
    iface = QAccessible.queryAccessibleInterface(view)
    fr = iface.child(1 + 2).child(0)  # after the title and pair (0, 0), (1, 0)
    assert fr.text(Text.Name).startswith("La conversation")
    desc = fr.text(Text.Description)
    assert desc == ("French, paragraph 2, sentence 2; yellow highlight with a note on “La”: Short!; Tags: style; "
                    "glossary term “conversation”: conversation → talk")
    en = iface.child(1 + 2).child(1)
    assert "highlight" not in en.text(Text.Description)
    attrs = fr.attributesInterface()
    assert attrs is not None
    values = attrs.attributeValue(QAccessible.Attribute.Custom)
    assert values["highlight"] == "yellow"
    assert values["note"].startswith("Short!")
    assert values["glossary"] == "conversation → talk"
    assert values["language"] == "fr"


def test_keyboard_current_sentence_is_the_focused_child_and_is_announced(view, qtbot, a11y_active):
    events = a11y_active
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    iface = QAccessible.queryAccessibleInterface(view)
    assert iface.focusChild() is None
    qtbot.keyClick(view, Qt.Key.Key_Down)
    first = view.selected_pair()
    assert first is not None
    focus = iface.focusChild()
    assert focus.state().focused and focus.text(Text.Description).startswith("French")
    assert (Event.Focus, focus) in [(t, i) for t, i in events]
    events.clear()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the English of the same pair
    assert view.current_side() == "en" and view.selected_pair() == first
    focus = iface.focusChild()
    assert focus.text(Text.Description).startswith("English")
    assert focus.state().focused
    assert events and events[0][0] == Event.Focus and events[0][1].text(Text.Name) == focus.text(Text.Name)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_pair() != first
    assert iface.focusChild().text(Text.Name) == view._trans[view.selected_pair()[0]][view.selected_pair()[1]]
    # the previous sentence is no longer focused
    old = iface.child(iface.indexOfChild(iface.focusChild().parent()) - 1).child(1)
    assert not old.state().focused


def test_new_translation_and_new_article_are_announced(view, a11y_active):
    events = a11y_active
    iface = QAccessible.queryAccessibleInterface(view)
    en = iface.child(iface.childCount() - 1).child(1)
    assert en.text(Text.Name) == "(not translated yet)"
    view.set_translation(7, 4, "Finally translated.")
    assert en.text(Text.Name) == "Finally translated."
    assert (Event.NameChanged, "Finally translated.") in [(t, i.text(Text.Name)) for t, i in events if i]
    view.set_article(small_article(), translations_for(small_article()))
    assert not en.isValid()  # children of the old article are gone
    assert Event.ObjectReorder in [t for t, _ in events]


def test_children_are_made_lazily_on_a_book(qtbot):
    v = ParallelView()
    qtbot.addWidget(v)
    v.resize(W, H)
    article, trans = big_article(10_000)
    v.set_article(article, trans)
    v.show()
    qtbot.waitExposed(v)
    iface = QAccessible.queryAccessibleInterface(v)
    assert iface.childCount() >= 10_000
    assert v._a11y.built() == 0
    far = iface.child(9_000)
    assert far.child(1).text(Text.Name)
    assert v._a11y.built() == 2  # that pair and its English sentence only
    assert far.state().offscreen


def test_keyboard_selection_then_highlight_commands_see_it(view, qtbot):
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    view.select_pair(1, 0)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    first_word = view._article.paragraphs[1].text.split()[0]
    assert view.selected_text() == first_word
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_text() == " ".join(view._article.paragraphs[1].text.split()[:2])
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_text() == first_word
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.text_selection() is None
    # whole sentences on the English side
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_text() == view._trans[1][0]
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_text() == view._trans[1][0] + " " + view._trans[1][1]
    assert view.selected_pair() == (1, 1)
    assert view.text_selection()[0] == "en"


def test_accessible_objects_stay_bounded_while_reading_a_book(view, monkeypatch):
    monkeypatch.setattr(accessible, "MAX_NODES", 10)
    iface = QAccessible.queryAccessibleInterface(view)
    names = [iface.child(i).child(0).text(Text.Name) for i in range(1, iface.childCount())]
    assert view._a11y.built() <= 10
    again = iface.child(1).child(0)  # dropped long ago: made again on demand
    assert again.isValid() and again.text(Text.Name) == names[0]


def test_a_click_on_the_other_side_of_the_pair_moves_the_focus_there(view, qtbot, a11y_active):
    events = a11y_active
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.select_pair(1, 0)
    events.clear()
    rect = view.sentence_rects("en", 1, 0)[0]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current_side() == "en" and view.selected_pair() == (1, 0)
    focused = [i.text(Text.Name) for t, i in events if t == Event.Focus]
    assert focused == [view._trans[1][0]]


def test_keyboard_word_selection_crosses_paragraphs_both_ways(view, qtbot):
    view.setFocus()
    last = len(view._article.paragraphs[5].sentences) - 1
    view.select_pair(5, last)  # the one-sentence quote paragraph
    quote = view._article.paragraphs[5].text
    ends = [m.end() for m in re.finditer(r"\w+(?:[-’']\w+)*", quote)]
    words = len(ends)
    for _ in range(words + 1):  # every word of the quote, then the first of the next paragraph
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    first_next = view._article.paragraphs[6].text.split()[0]
    assert view.text_selection()[3] == 6
    assert view.selected_text().endswith("\n\n" + first_next)
    assert view.selected_pair() == (6, 0)  # the pair follows the selection's end
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # back into the quote
    assert view.text_selection()[3] == 5
    assert view.selected_text() == quote[:ends[-1]]  # up to its last word
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_text() == quote[:ends[-2]]
