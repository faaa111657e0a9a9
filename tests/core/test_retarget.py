"""The machine English's word alignment moved onto the glossary-enforced English (no model)."""

from __future__ import annotations

from reader.core.enforce import Applied
from reader.core.retarget import enforced_alignment, word_opcodes
from reader.core.wordalign import WordAlignment, words


def align(fr: str, en: str, pairs: list[tuple[str, str]]) -> WordAlignment:
    fw, ew = words(fr, "fr"), words(en, "en")
    fi = {fr[a:b]: i for i, (a, b) in enumerate(fw)}
    ei = {en[a:b]: j for j, (a, b) in enumerate(ew)}
    return WordAlignment(fw, ew, tuple((fi[f], ei[e], 0.9) for f, e in pairs))


def linked(al: WordAlignment, fr: str, en: str) -> dict[str, list[str]]:
    return {en[a:b]: [fr[slice(*al.fr_words[f])] for f, _ in al.fr_for_en(j)] for j, (a, b) in enumerate(al.en_words)}


def test_shared_words_keep_their_links_and_the_rendering_takes_its_term():
    fr = "Les délégations ont voté hier."
    machine = "The delegates voted yesterday."
    enforced = "The General Delegations have voted yesterday."
    al = align(fr, machine, [("Les", "The"), ("délégations", "delegates"), ("voté", "voted"), ("hier", "yesterday"),
                             ("ont", "voted")])
    applied = [Applied("e1", 4, 23, "decoded", fr.index("délégations"), fr.index("délégations") + 11)]
    moved = enforced_alignment(al, machine, enforced, applied)
    assert [enforced[a:b] for a, b in moved.en_words] == ["The", "General", "Delegations", "have", "voted", "yesterday"]
    got = linked(moved, fr, enforced)
    assert got["The"] == ["Les"] and got["voted"] == ["ont", "voté"] and got["yesterday"] == ["hier"]
    assert got["General"] == got["Delegations"] == ["délégations"]  # the rendering ↔ its term, nothing else
    assert got["have"] == ["délégations"]  # a changed word: the links of what it replaced


def test_without_applied_spans_a_changed_stretch_takes_the_replaced_words_links():
    fr, machine, enforced = "Il a vu l'Assemblée.", "He saw the meeting.", "He saw the General Assembly."
    al = align(fr, machine, [("Il", "He"), ("vu", "saw"), ("l'", "the"), ("Assemblée", "meeting")])
    got = linked(enforced_alignment(al, machine, enforced), fr, enforced)
    assert got == {"He": ["Il"], "saw": ["vu"], "the": ["l'"], "General": ["Assemblée"], "Assembly": ["Assemblée"]}


def test_word_opcodes_cover_both_texts():
    ops = word_opcodes("The delegates voted.", "The delegations voted.")
    assert ops[0][:3] == ("equal", 0, 4) and ops[-1][0] == "equal"
    assert ("replace", 4, 13, 4, 15) in ops
