"""Word alignment maths from hand-made attention matrices: pieces → words → scores → links."""

from __future__ import annotations

import pytest

from reader.core.wordalign import (
    LINK_THRESHOLD,
    METHOD_VERSION,
    ScoredAlignment,
    char_spans_from_byte_spans,
    links_from_scores,
    pack_scores,
    score_alignment,
    spans_by_surface,
    unpack_scores,
    word_scores,
    words,
)


def texts(text, spans):
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("L’Assemblée de l’ONU", ["L’", "Assemblée", "de", "l’", "ONU"]),
        ("d’abord qu’il jusqu’à lorsqu’on", ["d’", "abord", "qu’", "il", "jusqu’", "à", "lorsqu’", "on"]),
        ("l'ONU (apostrophe droite)", ["l'", "ONU", "apostrophe", "droite"]),
        ("aujourd’hui, presqu’île, O’Brien", ["aujourd’hui", "presqu’île", "O’Brien"]),
        ("le 80e anniversaire, la 80ᵉ session, le XXIe siècle", ["le", "80e", "anniversaire", "la", "80ᵉ",
                                                                "session", "le", "XXIe", "siècle"]),
        ("peut-être, a-t-il dit, les États‑Unis", ["peut-être", "a-t-il", "dit", "les", "États‑Unis"]),
        ("« utile » et “franche” — non…", ["utile", "et", "franche", "non"]),
        ("2,5 % de 1.000 €, fin.", ["2,5", "%", "de", "1.000", "€", "fin"]),
        ("Question : « Pourquoi ? »", ["Question", "Pourquoi"]),
        ("", []),
    ],
)
def test_french_words(text, expected):
    spans = words(text, "fr")
    assert texts(text, spans) == expected
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_english_words_keep_contractions():
    text = "Lavrov's view: it's 80% done, “yes”."
    assert texts(text, words(text, "en")) == ["Lavrov's", "view", "it's", "80", "%", "done", "yes"]


def test_byte_spans_become_str_indices():
    text = "Élysée « ok » 😀 fin"
    encoded = text.encode("utf-8")
    targets = ["Élysée", "«", "😀", "fin"]
    byte_spans = []
    for t in targets:
        b = encoded.index(t.encode("utf-8"))
        byte_spans.append((b, b + len(t.encode("utf-8"))))
    spans = char_spans_from_byte_spans(text, byte_spans)
    assert texts(text, spans) == targets
    # SentencePiece's spans include the space before a "▁" piece; the end of text maps to len(text).
    assert char_spans_from_byte_spans(text, [(len(encoded) - 4, len(encoded))]) == [(len(text) - 4, len(text))]


def test_target_pieces_found_in_the_displayed_english():
    text = "The Assembly's “yes”: snake case."
    pieces = ["▁The", "▁Assem", "bly", "'", "s", "▁“", "yes", "”", ":", "▁snake", "_", "case", "."]
    # Argos turns "_" into a space: the "_" piece has no characters left on screen.
    spans = spans_by_surface(text, pieces)
    got = [None if s is None else text[s[0]:s[1]] for s in spans]
    assert got == ["The", "Assem", "bly", "'", "s", "“", "yes", "”", ":", "snake", None, "case", "."]
    assert spans_by_surface("A ⁇ b", ["▁A", "<unk>", "▁b"])[1] == (2, 3)
    # a piece that cannot be placed (normalised differently) gets None and the rest goes on
    assert spans_by_surface("abc", ["▁", "x", "abc"]) == [None, None, (0, 3)]


def _attention(src_pieces, tgt_pieces, pairs):
    """Rows of target pieces; each row puts weight on the named source pieces (by index)."""
    rows = []
    for t in range(len(tgt_pieces)):
        row = [0.0] * len(src_pieces)
        for s, v in pairs.get(t, {}).items():
            row[s] = v
        rows.append(row)
    return rows


FR = "L’Assemblée a-t-elle dit « oui » le 80e jour d’aujourd’hui ?"
FR_PIECES = ["▁L", "’A", "ssemblée", "▁a", "-", "t", "-", "elle", "▁dit", "▁«", "▁oui", "▁»", "▁le", "▁80", "e",
             "▁jour", "▁d", "’", "aujourd", "’", "hui", "▁?"]
EN = "Did the Assembly say “yes” on the 80th day of today?"
EN_PIECES = ["▁Did", "▁the", "▁Assem", "bly", "▁say", "▁“", "yes", "”", "▁on", "▁the", "▁80", "th", "▁day", "▁of",
             "▁today", "?"]


def test_pieces_to_words_to_links_with_the_french_traps():
    src = spans_by_surface(FR, FR_PIECES)
    tgt = spans_by_surface(EN, EN_PIECES)
    assert None not in src and None not in tgt
    att = _attention(FR_PIECES, EN_PIECES, {
        0: {3: 0.5, 4: 0.1, 5: 0.1, 6: 0.1, 7: 0.2},  # Did → a-t-elle (all its pieces)
        1: {0: 0.9, 1: 0.1},  # the → L’ (+ the share of "’A" on L’)
        2: {1: 0.2, 2: 0.8},  # Assem → "’A" (2/3 L’? no: 1 char of 2 on L’) + ssemblée
        3: {2: 1.0},  # bly → Assemblée
        4: {8: 0.6, 3: 0.35},  # say → dit, and a-t-elle above the threshold
        5: {9: 1.0},  # “ → « (punctuation: no link)
        6: {10: 0.9, 9: 0.1},  # yes → oui
        7: {11: 1.0},  # ” → »
        8: {12: 0.7, 15: 0.3},  # on → le (+ jour, at the threshold)
        9: {12: 0.8},  # the → le
        10: {13: 1.0},  # 80 → 80e
        11: {14: 1.0},  # th → 80e (second piece)
        12: {15: 1.0},  # day → jour
        13: {16: 0.5, 17: 0.5},  # of → d’
        14: {18: 0.6, 19: 0.2, 20: 0.2},  # today → aujourd’hui
        15: {21: 1.0},  # ? → ? (punctuation: no link)
    })
    scored = score_alignment(FR, EN, att, src, tgt)
    fr, en = texts(FR, scored.fr_words), texts(EN, scored.en_words)
    assert fr == ["L’", "Assemblée", "a-t-elle", "dit", "oui", "le", "80e", "jour", "d’", "aujourd’hui"]
    assert en == ["Did", "the", "Assembly", "say", "yes", "on", "the", "80th", "day", "of", "today"]
    alignment = scored.alignment()
    named = {(fr[f], en[e]) for f, e, _ in alignment.links}
    assert named == {
        ("a-t-elle", "Did"), ("L’", "the"), ("Assemblée", "Assembly"), ("dit", "say"), ("a-t-elle", "say"),
        ("oui", "yes"), ("le", "on"), ("jour", "on"), ("le", "the"), ("80e", "80th"), ("jour", "day"),
        ("d’", "of"), ("aujourd’hui", "today"),
    }
    scores = dict(((fr[f], en[e]), v) for f, e, v in alignment.links)
    assert scores[("a-t-elle", "Did")] == pytest.approx(1.0, abs=1e-3)  # summed over its four pieces
    assert scores[("80e", "80th")] == pytest.approx(1.0, abs=1e-3)  # averaged over "80" and "th"
    # "’A" is one piece across two words (L’ and Assemblée): its attention is shared by characters.
    assert scores[("Assemblée", "Assembly")] == pytest.approx((0.2 * 0.5 + 0.8 + 1.0) / 2, abs=1e-3)
    # every link is between words, scores in (0, 1], and the view's lookups agree both ways
    for f, e, v in alignment.links:
        assert 0 < v <= 1
        assert (e, v) in alignment.en_for_fr(f) and (f, v) in alignment.fr_for_en(e)
    # Hover lookups: « oui » lights "yes"; the quotes are no words at all.
    oui = alignment.word_at(alignment.fr_words, FR.index("oui") + 1)
    assert [en[e] for e, _ in alignment.en_for_fr(oui)] == ["yes"]
    assert alignment.word_at(alignment.fr_words, FR.index("«")) is None


def test_threshold_changes_without_the_model():
    scores = [[0.6, 0.35, 0.05], [0.1, 0.1, 0.2]]
    scored = ScoredAlignment(((0, 1), (2, 3), (4, 5)), ((0, 1), (2, 3)), pack_scores(scores))
    assert scored.method == METHOD_VERSION
    assert {(f, e) for f, e, _ in scored.alignment().links} == {(0, 0), (1, 0), (2, 1)}
    assert {(f, e) for f, e, _ in scored.alignment(threshold=0.5).links} == {(0, 0), (2, 1)}
    assert {(f, e) for f, e, _ in scored.alignment(threshold=0.09).links} == {(0, 0), (1, 0), (0, 1), (1, 1), (2, 1)}
    assert 0.3 == LINK_THRESHOLD


def test_matrix_is_compact_float16():
    scores = [[0.123456, 1.0, 0.0], [0.5, 0.25, 1e-5]]
    blob = pack_scores(scores)
    assert len(blob) == 2 * 6
    back = unpack_scores(blob, 2, 3)
    for row, back_row in zip(scores, back):
        assert back_row == pytest.approx(row, abs=1e-3)
    with pytest.raises(ValueError):
        unpack_scores(blob, 3, 3)


def test_degenerate_inputs():
    assert word_scores([], [], [], (), ()) == []
    assert links_from_scores([[0.0, 0.0]]) == ()  # no attention at all: no link
    # rows beyond the attention (a truncated matrix) and pieces off the words are ignored
    assert word_scores([[1.0]], [(0, 3)], [(0, 2), (3, 5)], [(0, 3)], [(0, 2), (3, 5)]) == [[1.0], [0.0]]
