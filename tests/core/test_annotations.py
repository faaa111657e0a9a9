"""Annotations: creation, W3C Web Annotation JSON-LD shape and lossless round trip."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.annotations import (
    PALETTE,
    W3C_CONTEXT,
    Annotation,
    collection_from_w3c,
    collection_to_w3c,
    from_w3c,
    make_annotation,
    to_w3c,
)
from reader.core.model import Article, Paragraph
from reader.core.segment import segment
from reader.core.sides import english_side, french_side

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def fr_side():
    text = (ARTICLES / "rencontre-lavrov-tillerson-new-york.md").read_text(encoding="utf-8")
    paras = [line.strip() for line in text.splitlines() if line.strip()]
    art = Article(title=paras[0], paragraphs=[Paragraph(p, sentences=segment(p)) for p in paras])
    return french_side(art)


def _select(side, phrase):
    i = side.text.index(phrase)
    return i, i + len(phrase)


def test_make_annotation_captures_quote_and_context(fr_side):
    start, end = _select(fr_side, "Rex Tillerson")
    a = make_annotation(fr_side, 7, "fr", start, end, note="Secrétaire d'État 2017-2018", color="blue",
                        tags=["personnes", " USA ", "personnes", ""])
    assert a.exact == "Rex Tillerson"
    assert fr_side.text[a.start : a.end] == a.exact
    assert a.prefix == fr_side.text[start - 32 : start] and len(a.prefix) == 32
    assert a.suffix == fr_side.text[end : end + 32]
    assert a.tags == ["personnes", "USA"]
    assert a.id.startswith("urn:uuid:") and a.status == "anchored"
    assert DATETIME.match(a.created) and a.created == a.modified and a.created.endswith("Z")
    assert a.motivation == "commenting" and a.hex_color == "#2ea8e5"


def test_make_annotation_at_text_edges_has_short_context(fr_side):
    a = make_annotation(fr_side, 1, "fr", 0, 5)
    assert a.prefix == "" and a.exact == fr_side.text[:5]
    n = len(fr_side.text)
    b = make_annotation(fr_side, 1, "fr", n - 5, n)
    assert b.suffix == ""


@pytest.mark.parametrize("start,end", [(10, 10), (-1, 4), (5, 3), (0, 10**6)])
def test_make_annotation_rejects_bad_ranges(fr_side, start, end):
    with pytest.raises(ValueError) as err:
        make_annotation(fr_side, 1, "fr", start, end)
    assert "selection" in str(err.value).lower() or "select" in str(err.value).lower()


def test_make_annotation_rejects_whitespace_only(fr_side):
    i = fr_side.text.index("\n\n")
    with pytest.raises(ValueError, match="blank"):
        make_annotation(fr_side, 1, "fr", i, i + 2)


def test_make_annotation_rejects_bad_colour_and_side(fr_side):
    with pytest.raises(ValueError, match="colour"):
        make_annotation(fr_side, 1, "fr", 0, 5, color="orange")
    with pytest.raises(ValueError):
        make_annotation(fr_side, 1, "en", 0, 5)  # the text given is the French side


def test_palette_is_zoteros():
    assert PALETTE == {"yellow": "#ffd400", "red": "#ff6666", "green": "#5fb236", "blue": "#2ea8e5",
                       "purple": "#a28ae5"}


def _check_w3c_shape(d, *, with_context=True):
    """The checks of the W3C Web Annotation test suite (shape only)."""
    if with_context:
        assert d["@context"] == W3C_CONTEXT
    assert isinstance(d["id"], str) and ":" in d["id"]
    types = d["type"] if isinstance(d["type"], list) else [d["type"]]
    assert "Annotation" in types
    assert not ("body" in d and "bodyValue" in d)
    assert DATETIME.match(d["created"]) and DATETIME.match(d["modified"])
    sels = {s["type"]: s for s in d["target"]["selector"]}
    assert isinstance(sels["TextQuoteSelector"]["exact"], str)
    pos = sels["TextPositionSelector"]
    assert isinstance(pos["start"], int) and isinstance(pos["end"], int) and 0 <= pos["start"] <= pos["end"]


def test_to_w3c_shape_with_note_and_tags(fr_side):
    a = make_annotation(fr_side, 3, "fr", *_select(fr_side, "Sergueï Lavrov"), note="Premier paragraphe.\n\nSecond.",
                        color="green", tags=["diplomatie", "Russie"])
    d = to_w3c(a, "https://example.org/articles/3")
    _check_w3c_shape(d)
    assert d["motivation"] == "commenting"
    assert d["body"][0] == {"type": "TextualBody", "value": "Premier paragraphe.\n\nSecond.",
                            "format": "text/plain", "purpose": "commenting"}
    assert [b["value"] for b in d["body"] if b["purpose"] == "tagging"] == ["diplomatie", "Russie"]
    assert d["target"]["source"]["id"] == "https://example.org/articles/3#fr"
    assert d["target"]["source"]["language"] == "fr"
    assert d["target"]["styleClass"] == "green"
    assert d["stylesheet"]["type"] == "CssStylesheet" and "#5fb236" in d["stylesheet"]["value"]
    assert "bodyValue" not in d


def test_bare_highlight_is_highlighting_without_body(fr_side):
    a = make_annotation(fr_side, 3, "fr", *_select(fr_side, "New York"))
    d = to_w3c(a)
    _check_w3c_shape(d)
    assert d["motivation"] == "highlighting" and "body" not in d and "bodyValue" not in d
    assert d["target"]["source"]["id"] == "urn:visavis:article:3#fr"


def test_round_trip_is_lossless_through_json(fr_side):
    art_en = ["The US Secretary of State Rex Tillerson met his Russian counterpart."]
    anns = [
        make_annotation(fr_side, 3, "fr", *_select(fr_side, "Rex Tillerson"), note="Note\nsur deux lignes",
                        color="red", tags=["a", "b c"]),
        make_annotation(fr_side, 3, "fr", *_select(fr_side, "New York")),
        replace(make_annotation(art_en[0], 3, "en", 4, 27, color="purple", tags=["only-tag"]), status="moved"),
        replace(make_annotation(fr_side, "abc", "fr", 0, 4, note="  espaces  "), status="orphaned"),
    ]
    for a in anns:
        back = from_w3c(json.loads(json.dumps(to_w3c(a, "https://example.org/a"), ensure_ascii=False)))
        assert back == a
    coll = json.loads(json.dumps(collection_to_w3c(anns)))
    assert coll["@context"] == W3C_CONTEXT and coll["type"] == "AnnotationCollection"
    assert coll["total"] == 4
    for item in coll["first"]["items"]:
        _check_w3c_shape(item, with_context=False)
        assert "@context" not in item
    assert collection_from_w3c(coll) == anns


def test_collection_article_iris_by_mapping():
    a = make_annotation("Bonjour le monde", 1, "fr", 0, 7)
    b = make_annotation("Hello world", 2, "en", 0, 5)
    coll = collection_to_w3c([a, b], {1: "https://x.org/1", 2: "https://x.org/2"})
    sources = [i["target"]["source"]["id"] for i in coll["first"]["items"]]
    assert sources == ["https://x.org/1#fr", "https://x.org/2#en"]


def test_html_looking_note_is_kept_literally(fr_side):
    note = "<b>gras</b> & <script>alert('x')</script> &amp; « guillemets »"
    a = make_annotation(fr_side, 1, "fr", *_select(fr_side, "Rex Tillerson"), note=note, tags=["<i>tag</i>"])
    d = to_w3c(a)
    assert d["body"][0]["value"] == note  # plain text, not escaped, not interpreted
    assert d["body"][0]["format"] == "text/plain"
    back = from_w3c(json.loads(json.dumps(d)))
    assert back.note == note and back.tags == ["<i>tag</i>"]


def test_from_w3c_reads_foreign_shapes():
    d = {
        "@context": W3C_CONTEXT,
        "id": "http://example.org/anno1",
        "type": "Annotation",
        "bodyValue": "Une note",
        "target": {
            "source": "http://example.org/page#en",
            "selector": {"type": "TextQuoteSelector", "exact": "world", "prefix": "Hello ", "suffix": "!"},
        },
    }
    a = from_w3c(d)
    assert a.note == "Une note" and a.side == "en" and a.exact == "world"
    assert a.status == "orphaned"  # no position: to be re-anchored by quote
    assert a.color == "yellow"
    with pytest.raises(ValueError, match="Annotation"):
        from_w3c({"type": "Note"})
    with pytest.raises(ValueError, match="side"):
        from_w3c({**d, "target": {"source": "http://example.org/page", "selector": d["target"]["selector"]}})


def test_english_side_annotation(fr_side):
    art = Article(title="t", paragraphs=[Paragraph("Un. Deux.", sentences=segment("Un. Deux."))])
    en = english_side(art, [["One.", "Two."]])
    a = make_annotation(en, 5, "en", 5, 9)
    assert a.exact == "Two." and a.side == "en"
    assert isinstance(a, Annotation)
