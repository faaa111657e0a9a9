"""Glossary enforcement maths from hand-made alignments: hulls, insertion places, the inflection-tolerant
test, the text fallback, the final check, and the key of the set of entries applied."""

from __future__ import annotations

import pytest

from reader.core.enforce import (
    Applied,
    Term,
    check,
    enforce_by_replacement,
    english_hull,
    entries_key,
    find_rendering,
    insertion_point,
    matches_rendering,
    replace_spans,
    sentence_terms,
    target_span,
)
from reader.core.glossary import GlossaryEntry, GlossaryMatcher
from reader.core.wordalign import WordAlignment, words

FR = "L’Assemblée générale a reçu les délégations hier."
EN = "The general meeting received the delegates yesterday."


def align(fr: str, en: str, pairs: list[tuple[str, str]]) -> WordAlignment:
    """An alignment from (French word, English word) pairs, each word named by its text (first match)."""
    fw, ew = words(fr, "fr"), words(en, "en")
    ftxt = [fr[s:e] for s, e in fw]
    etxt = [en[s:e] for s, e in ew]
    links = sorted((ftxt.index(f), etxt.index(e), 1.0) for f, e in pairs)
    return WordAlignment(fw, ew, tuple(links))


@pytest.fixture
def alignment():
    return align(FR, EN, [("L’", "The"), ("Assemblée", "meeting"), ("générale", "general"), ("reçu", "received"),
                          ("a", "received"), ("les", "the"), ("délégations", "delegates"), ("hier", "yesterday")])


def term(text: str, fr: str, rendering: str, entry_id="e1") -> Term:
    s = fr.index(text)
    return Term(entry_id, s, s + len(text), rendering)


def test_hull_covers_the_linked_words_in_any_order(alignment):
    t = term("Assemblée générale", FR, "General Assembly")
    s, e = english_hull(alignment, t.fr_start, t.fr_end)
    assert EN[s:e] == "general meeting"
    assert target_span(alignment, t, len(EN)) == (s, e)


def test_hull_only_after_a_given_offset(alignment):
    t = term("Assemblée générale", FR, "General Assembly")
    start = EN.index("meeting")
    assert english_hull(alignment, t.fr_start, t.fr_end, after=start) == (start, start + len("meeting"))
    assert english_hull(alignment, t.fr_start, t.fr_end, after=start + 1) is None


def test_no_link_gives_an_insertion_place_after_the_left_neighbour():
    fr, en = "Les délégations ont voté.", "The voted."
    a = align(fr, en, [("Les", "The"), ("voté", "voted")])
    t = term("délégations", fr, "delegations")
    assert english_hull(a, t.fr_start, t.fr_end) is None
    p = insertion_point(a, t.fr_start, t.fr_end, len(en))
    assert p == len("The")
    assert target_span(a, t, len(en)) == (p, p)
    result = enforce_by_replacement(en, a, [t])
    assert result.text == "The delegations voted."
    assert result.applied == (Applied("e1", 4, 15, "replaced"),) and result.ok


def test_no_link_at_all_uses_the_right_neighbour_then_the_proportion():
    fr, en = "Délégations votent.", "They vote."
    a = align(fr, en, [("votent", "vote")])
    t = term("Délégations", fr, "Delegations")
    assert insertion_point(a, t.fr_start, t.fr_end, len(en)) == en.index("vote")
    empty = WordAlignment(words(fr), words(en, "en"), ())
    assert insertion_point(empty, t.fr_start, t.fr_end, len(en)) == 0
    late = term("votent", fr, "vote")
    assert insertion_point(empty, late.fr_start, late.fr_end, len(en)) == en.index("vote")


@pytest.mark.parametrize(
    "english, rendering, same",
    [
        ("General Assembly", "general assembly", True),
        ("general assemblies", "General Assembly", True),
        ("delegations", "delegation", True),
        ("delegation", "delegations", True),
        ("signed", "sign", True),
        ("stopped", "stop", True),
        ("approaches", "approach", True),
        ("Élysée", "Elysee", True),
        ("the General Assembly", "General Assembly", False),
        ("Assembly General", "General Assembly", False),
        ("generalised", "general", False),
        ("", "x", False),
        ("x", "", False),
    ],
)
def test_matches_rendering(english, rendering, same):
    assert matches_rendering(english, rendering) is same


def test_find_rendering_whole_words_only():
    text = "Assemblies of the General Assembly; the general assemblies, Generally."
    assert [text[s:e] for s, e in find_rendering(text, "General Assembly")] == ["General Assembly",
                                                                               "general assemblies"]
    assert [text[s:e] for s, e in find_rendering(text, "general")] == ["General", "general"]
    assert find_rendering(text, "") == []


def test_replacement_keeps_a_span_that_already_says_it(alignment):
    t = term("délégations", FR, "delegate")
    result = enforce_by_replacement(EN, alignment, [t])
    assert result.text == EN  # "delegates" ≈ "delegate": never enforced twice
    [a] = result.applied
    assert (a.how, EN[a.start:a.end]) == ("kept", "delegates")


def test_replacement_of_two_terms_left_to_right(alignment):
    terms = [term("Assemblée générale", FR, "General Assembly", "ag"), term("délégations", FR, "delegations", "d")]
    result = enforce_by_replacement(EN, alignment, terms)
    assert result.text == "The General Assembly received the delegations yesterday."
    assert [(a.entry_id, result.text[a.start:a.end]) for a in result.applied] == [
        ("ag", "General Assembly"), ("d", "delegations")]
    assert result.ok


def test_overlapping_hulls_insert_the_second_after_the_first():
    fr, en = "Le porte-parole adjoint parle.", "The deputy spokesman speaks."
    a = align(fr, en, [("porte-parole", "spokesman"), ("porte-parole", "deputy"), ("adjoint", "deputy")])
    terms = [term("porte-parole", fr, "spokesperson", "p"), term("adjoint", fr, "assistant", "a")]
    result = enforce_by_replacement(en, a, terms)
    assert result.text == "The spokesperson assistant speaks."
    assert [result.text[x.start:x.end] for x in result.applied] == ["spokesperson", "assistant"]


def test_without_alignment_the_rendering_goes_at_the_end():
    t = Term("x", 0, 3, "Lavrov")
    result = enforce_by_replacement("He said so.", None, [t])
    assert result.text == "He said so. Lavrov"
    assert result.applied[0].start == len("He said so. ")


def test_check_counts_each_rendering_as_often_as_its_term():
    t1 = Term("a", 0, 3, "General Assembly")
    t2 = Term("a", 10, 13, "General Assembly")
    assert check("the General Assembly met the general assemblies", [t1, t2])
    assert not check("the General Assembly met", [t1, t2])  # missing
    assert not check("General Assembly, General Assembly", [t1])  # enforced twice
    # a rendering inside another expected one is accounted for
    assert check("the General Assembly of the Assembly", [t1, Term("b", 20, 25, "Assembly")])


def test_replacement_that_duplicates_fails_the_check():
    fr, en = "Lavrov a parlé.", "Lavrov said Lavrov."
    a = align(fr, en, [("parlé", "said")])
    t = term("Lavrov", fr, "Lavrov")
    result = enforce_by_replacement(en, a, [t])
    assert not result.ok


def test_insertion_spacing():
    t = Term("x", 0, 1, "Foo")
    assert replace_spans("a b", [(t, (2, 2))]).text == "a Foo b"
    assert replace_spans("a b", [(t, (1, 1))]).text == "a Foo b"
    assert replace_spans("a.", [(t, (1, 1))]).text == "a Foo."
    assert replace_spans("ab", [(t, (0, 0))]).text == "Foo ab"


def test_sentence_terms_from_the_matcher_inflection_elision_multiword():
    entries = [GlossaryEntry("Assemblée générale", "General Assembly", id="ag"),
               GlossaryEntry("assemblée", "assembly", id="a"),
               GlossaryEntry("délégation", "delegation", id="d"),
               GlossaryEntry("hier", "", id="empty")]
    matcher = GlossaryMatcher(entries)
    renderings = {e.id: e.translation for e in entries}
    terms = sentence_terms(matcher.find(FR), renderings)
    assert [(t.entry_id, FR[t.fr_start:t.fr_end]) for t in terms] == [
        ("ag", "Assemblée générale"), ("d", "délégations")]


def test_entries_key_is_the_exact_set():
    k = entries_key([("a", "A"), ("b", "B")])
    assert k == entries_key([("b", "B"), ("a", "A"), ("a", "A")])
    assert k != entries_key([("a", "A"), ("b", "BB")])
    assert k != entries_key([("a", "A")])


def test_each_application_records_the_french_term_it_renders():
    """Where the rendering went and which French occurrence it renders: what the view links."""
    from reader.core.enforce import Enforced, with_french_spans

    fr, en = "Les délégations ont voté.", "The voted."
    a = align(fr, en, [("Les", "The"), ("voté", "voted")])
    t = term("délégations", fr, "delegations")
    [applied] = enforce_by_replacement(en, a, [t]).applied
    assert (applied.fr_start, applied.fr_end) == (t.fr_start, t.fr_end)
    assert fr[applied.fr_start:applied.fr_end] == "délégations"
    # a row stored before the French spans were: the k-th application of an entry gets its k-th occurrence
    t2 = Term("e1", fr.index("voté"), fr.index("voté") + 4, "delegations")
    old = Enforced("The delegations voted delegations.", (Applied("e1", 4, 15, "replaced"), Applied("e1", 22, 33, "replaced")))
    filled = with_french_spans(old, [t2, t])
    assert [(x.fr_start, x.fr_end) for x in filled.applied] == [(t.fr_start, t.fr_end), (t2.fr_start, t2.fr_end)]
    assert filled == old  # the French spans are not part of what an application is compared on
