"""SideText: the whole text of each side and exact offsets into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.model import Article, Paragraph
from reader.core.segment import segment
from reader.core.sides import SideText, english_side, french_side

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def seed_article(name: str = "rencontre-lavrov-blinken-g20.md") -> Article:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    paras = [line.strip() for line in text.splitlines() if line.strip()]
    return Article(title=paras[0], paragraphs=[Paragraph(p, sentences=segment(p)) for p in paras])


def fake_translations(article: Article, missing=()) -> list[list[str | None]]:
    return [
        [None if (p, s) in missing else f"EN {p}.{s} «{txt[:12]}»." for s, txt in enumerate(para.sentence_texts())]
        for p, para in enumerate(article.paragraphs)
    ]


def test_french_side_is_paragraphs_joined_and_ranges_are_exact():
    art = seed_article()
    side = french_side(art)
    assert side.side == "fr"
    assert side.text == "\n\n".join(p.text for p in art.paragraphs)
    for p, para in enumerate(art.paragraphs):
        a, b = side.paragraph_range(p)
        assert side.text[a:b] == para.text
        for s, sentence in enumerate(para.sentences):
            a, b = side.sentence_range(p, s)
            assert side.text[a:b] == sentence.text_in(para.text)
            assert side.locate(a) == (p, s)
            assert side.locate(b - 1) == (p, s)


def test_english_side_joins_sentences_with_one_space_and_skips_missing():
    art = seed_article()
    trans = fake_translations(art, missing={(2, 0), (2, 1)})
    side = english_side(art, trans)
    for p, row in enumerate(trans):
        assert side.paragraph_text(p) == " ".join(t for t in row if t)
        for s, t in enumerate(row):
            a, b = side.sentence_range(p, s)
            assert side.text[a:b] == (t or "")
    # an untranslated sentence has an empty range and is never located or overlapped
    a, b = side.sentence_range(2, 0)
    assert a == b
    pa, pb = side.paragraph_range(2)
    assert (2, 0) not in side.sentences_overlapping(pa, pb)
    assert "  " not in side.text


def test_english_side_fully_untranslated_paragraph_is_empty():
    art = seed_article()
    trans = fake_translations(art, missing={(1, s) for s in range(len(art.paragraphs[1].sentences))})
    side = english_side(art, trans)
    assert side.paragraph_text(1) == ""
    a, b = side.paragraph_range(1)
    assert a == b


def test_english_side_rejects_shape_mismatch():
    art = seed_article()
    with pytest.raises(ValueError, match="paragraphs"):
        english_side(art, [])
    bad = fake_translations(art)
    bad[0] = bad[0] + ["extra"]
    with pytest.raises(ValueError, match="paragraph 0"):
        english_side(art, bad)


def test_offset_conversions_round_trip():
    side = french_side(seed_article())
    for p in range(side.paragraph_count):
        for local in (0, len(side.paragraph_text(p)) // 2, len(side.paragraph_text(p))):
            g = side.to_global(p, local)
            assert side.to_local(g) == (p, local)
    # inside the blank line between paragraphs: the end of the paragraph before
    end0 = side.paragraph_range(0)[1]
    assert side.to_local(end0 + 1) == (0, len(side.paragraph_text(0)))
    with pytest.raises(ValueError):
        side.to_local(len(side.text) + 1)
    with pytest.raises(ValueError):
        side.to_global(0, len(side.paragraph_text(0)) + 1)


def test_sentences_overlapping_spans_paragraphs_and_counterparts():
    art = seed_article()
    fr = french_side(art)
    en = english_side(art, fake_translations(art))
    # a selection from the middle of the last sentence of paragraph 1 to the start of paragraph 2
    p1_last = len(art.paragraphs[1].sentences) - 1
    a, b = fr.sentence_range(1, p1_last)
    start = (a + b) // 2
    end = fr.sentence_range(2, 0)[0] + 3
    hits = fr.sentences_overlapping(start, end)
    assert hits == [(1, p1_last), (2, 0)]
    # the counterpart ranges on the English side, for tinting
    ranges = [en.sentence_range(p, s) for p, s in hits]
    assert all(en.text[x:y].startswith(f"EN {p}.{s}") for (x, y), (p, s) in zip(ranges, hits))
    # touching a sentence's end is not overlapping it
    assert fr.sentences_overlapping(b, b + 1) == []
    # a caret inside a sentence
    assert fr.sentences_overlapping(a + 1, a + 1) == [(1, p1_last)]


def test_locate_outside_sentences_is_none():
    side = SideText.from_parts("fr", ["Un. Deux.", "Trois."], [[(0, 3), (4, 9)], [(0, 6)]])
    assert side.text == "Un. Deux.\n\nTrois."
    assert side.locate(3) is None  # the space between sentences
    assert side.locate(9) is None and side.locate(10) is None  # the separator
    assert side.locate(11) == (1, 0)
    assert side.locate(len(side.text)) is None
    assert side.locate(-1) is None


def test_split_range_cuts_per_paragraph():
    side = SideText.from_parts("fr", ["Un. Deux.", "Trois."], [[(0, 3), (4, 9)], [(0, 6)]])
    assert side.split_range(4, 14) == [(0, 4, 9), (1, 0, 3)]
    assert side.split_range(9, 11) == []


def test_offsets_are_code_points():
    # « 80^e », apostrophes and non-BMP characters count one each (Python str indexes, as W3C wants)
    para = "Le 80e anniversaire 🎉 de l’ONU."
    side = SideText.from_parts("fr", [para], [[(0, len(para))]])
    i = side.text.index("de l’ONU")
    assert side.text[i : i + 8] == "de l’ONU"
    assert side.locate(i) == (0, 0)
