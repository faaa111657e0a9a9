"""reader.ops.annotate: annotating by quote, re-anchoring after text changes, glossary in the library."""

from __future__ import annotations

import pytest

from reader.ops.annotate import (
    AnnotationError,
    after_translation,
    annotate_quote,
    find_quote,
    glossary_contexts,
    glossary_occurrences,
    reanchor_article,
    resolve_model_id,
    set_annotation_note,
    set_edited_translation_and_reanchor,
    side_text_for,
    transfer_annotations,
)
from reader.core.errors import NotFoundError, ReaderError
from reader.core.glossary import GlossaryEntry
from reader.core.model import Article, Paragraph
from reader.core.segment import segment
from reader.storage.store import Store

M = "test:fr-en:1"

FR = [
    "M. Lavrov a parlé de sécurité à New\u00a0York. Le 80e anniversaire des Nations unies approche vite.",
    "Question\u00a0: les délégations sont-elles prêtes\u00a0? L’Assemblée générale se réunit lundi.",
    "La sécurité d’abord. La sécurité toujours.",
]
EN = {
    "M. Lavrov a parlé de sécurité à New\u00a0York.": "Mr Lavrov spoke about security in New York.",
    "Le 80e anniversaire des Nations unies approche vite.": "The 80th anniversary of the United Nations is approaching fast.",
    "Question\u00a0: les délégations sont-elles prêtes\u00a0?": "Question: are the delegations ready?",
    "L’Assemblée générale se réunit lundi.": "The General Assembly meets on Monday.",
    "La sécurité d’abord.": "Security first.",
    "La sécurité toujours.": "Security always.",
}


def make_article(paragraphs: list[str], title: str = "Sécurité à l’ONU") -> Article:
    return Article(title=title, paragraphs=[Paragraph(text=t, sentences=segment(t)) for t in paragraphs])


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        yield s


@pytest.fixture
def aid(store) -> int:
    article_id = store.add_article(make_article(FR))
    sentences = [text for _, _, text in store.article_sentences(article_id)]
    assert set(sentences) == set(EN), sentences  # the segmenter cut as expected
    return article_id


@pytest.fixture
def translated(store, aid) -> int:
    store.store_translations(M, EN)
    return aid


# --- side texts and model ids ---------------------------------------------------------------------


def test_side_texts(store, translated):
    fr = side_text_for(store, translated, "fr")
    assert fr.text.startswith("M. Lavrov") and "\n\n" in fr.text
    en = side_text_for(store, translated, "en", M)
    assert en.text.startswith("Mr Lavrov spoke about security in New York. The 80th")
    store.set_edited_translation(translated, 0, 0, "Mr Lavrov talked about security.")
    assert side_text_for(store, translated, "en", M).text.startswith("Mr Lavrov talked about security. The 80th")


def test_resolve_model_id(store, aid):
    assert resolve_model_id(store, aid) == ""  # nothing cached: hand edits only
    store.store_translations("old:1", {"La sécurité d’abord.": "Safety first."})
    store.store_translations(M, EN)
    assert resolve_model_id(store, aid) == M  # the best-covering cached model
    assert resolve_model_id(store, aid, "argos:fr-en:9") == "argos:fr-en:9"  # an installed model wins


def test_find_quote_is_loose_only_on_spaces_and_apostrophes():
    text = "Question\u00a0: l’Assemblée   générale. L'Assemblée générale."
    assert find_quote(text, "Question : l'Assemblée générale") == [(0, text.index("générale") + 8)]
    assert len(find_quote(text, "l'assemblée générale")) == 0  # case matters
    assert len(find_quote(text, "Assemblée générale")) == 2
    assert find_quote(text, "   ") == []


# --- annotate_quote -------------------------------------------------------------------------------


def test_annotate_french_quote(store, aid):
    a = annotate_quote(store, aid, "fr", "sécurité", note="<b>clé</b>", color="red", tags=["ONU", "onu", " "])
    assert store.get_annotation(a.id) == a
    fr = side_text_for(store, aid, "fr").text
    assert fr[a.start : a.end] == "sécurité" == a.exact
    assert a.prefix.endswith("a parlé de ") and a.suffix.startswith(" à New")
    assert a.tags == ["ONU"] and a.note == "<b>clé</b>" and a.color == "red"


def test_annotate_nth_occurrence_and_typed_spaces(store, aid):
    third = annotate_quote(store, aid, "fr", "sécurité", occurrence=3)
    fr = side_text_for(store, aid, "fr").text
    assert third.start == fr.index("sécurité toujours")
    q = annotate_quote(store, aid, "fr", "Question : les délégations")  # typed with a plain space
    assert q.exact == "Question\u00a0: les délégations"


def test_annotate_english_side(store, translated):
    a = annotate_quote(store, translated, "en", "General Assembly", model_id=M)
    en = side_text_for(store, translated, "en", M).text
    assert en[a.start : a.end] == "General Assembly" and a.side == "en"
    b = annotate_quote(store, translated, "en", "Security", occurrence=2)  # model id from the cache
    assert b.exact == "Security" and b.start == en.index("Security always")


@pytest.mark.parametrize(
    "kwargs,error,needles",
    [
        ({"quote": ""}, AnnotationError, ["empty"]),
        ({"quote": "  \n "}, AnnotationError, ["empty"]),
        ({"quote": "Poutine"}, AnnotationError, ["“Poutine”", "does not occur on the French side of article"]),
        ({"quote": "sécurité", "occurrence": 4}, AnnotationError, ["only 3 times", "from 1 to 3", "not 4"]),
        ({"quote": "Lavrov", "occurrence": 2}, AnnotationError, ["only once", "from 1 to 1"]),
        ({"quote": "Lavrov", "occurrence": 0}, AnnotationError, ["1 or more"]),
        ({"quote": "Lavrov", "color": "pink"}, AnnotationError, ["'pink'", "yellow, red, green, blue, purple"]),
        ({"quote": "Lavrov", "side": "de"}, AnnotationError, ["'de'", "fr", "en"]),
        ({"quote": "Lavrov", "side": "en"}, AnnotationError, ["no English translation yet"]),
        ({"quote": "Lavrov", "article_id": 999}, NotFoundError, ["999"]),
    ],
)
def test_annotate_errors_are_clear(store, aid, kwargs, error, needles):
    args = {"article_id": aid, "side": "fr", **kwargs}
    with pytest.raises(error) as info:
        annotate_quote(store, **args)
    assert isinstance(info.value, ReaderError)
    message = str(info.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message
    assert store.annotations() == []


def test_long_multiline_quote_is_shown_on_one_line(store, aid):
    with pytest.raises(AnnotationError) as info:
        annotate_quote(store, aid, "fr", "pas\nlà " * 30)
    assert "\n" not in str(info.value) and "…" in str(info.value)


def test_english_quote_not_found_names_the_side(store, translated):
    with pytest.raises(AnnotationError, match="does not occur on the English side of article"):
        annotate_quote(store, translated, "en", "sécurité", model_id=M)


def test_edit_note_colour_tags(store, aid):
    a = annotate_quote(store, aid, "fr", "Lavrov")
    b = set_annotation_note(store, a.id, note="nouveau", tags=["x"])
    assert store.get_annotation(a.id) == b and b.color == "yellow" and b.note == "nouveau"
    with pytest.raises(AnnotationError):
        set_annotation_note(store, a.id, color="pink")


# --- re-anchoring ---------------------------------------------------------------------------------


def test_hand_edit_moves_later_annotations_and_keeps_orphans(store, translated):
    later = annotate_quote(store, translated, "en", "General Assembly", model_id=M)
    inside = annotate_quote(store, translated, "en", "security", model_id=M)
    doomed = annotate_quote(store, translated, "en", "spoke about", model_id=M)
    long_q = annotate_quote(store, translated, "en", "anniversary of the United Nations is approaching fast", model_id=M)

    placed = set_edited_translation_and_reanchor(
        store, translated, 0, 0, "Mr Lavrov talked at great length about security in New York.", M
    )
    by_id = {a.id: a for a in placed}
    en = side_text_for(store, translated, "en", M).text
    for a in (later, inside):
        now = store.get_annotation(a.id)
        assert now == by_id[a.id]
        assert en[now.start : now.end] == a.exact and now.status == "anchored"
        assert now.exact == a.exact and now.note == a.note
    assert store.get_annotation(later.id).start > later.start  # shifted by the longer sentence
    orphan = store.get_annotation(doomed.id)
    assert orphan.status == "orphaned" and orphan.exact == "spoke about"  # kept, never dropped

    # A second edit changes the annotated passage a little: found again by fuzzy match, « moved ».
    set_edited_translation_and_reanchor(
        store, translated, 0, 1, "The 80th anniversary of the United Nations is approaching quickly.", M
    )
    moved = store.get_annotation(long_q.id)
    assert moved.status == "moved"
    en = side_text_for(store, translated, "en", M).text
    assert en[moved.start : moved.end].startswith("anniversary of the United Nations is approaching")
    assert len(store.annotations(article_id=translated)) == 4

    # Reverting the edit brings the orphan back.
    set_edited_translation_and_reanchor(store, translated, 0, 0, None, M)
    assert store.get_annotation(doomed.id).status == "anchored"


def test_failed_hand_edit_changes_nothing(store, translated):
    a = annotate_quote(store, translated, "en", "General Assembly", model_id=M)
    with pytest.raises(NotFoundError):
        set_edited_translation_and_reanchor(store, translated, 0, 9, "x", M)
    assert store.get_annotation(a.id) == a
    assert store.article_translations(translated, M)[0][0].edited is None


def test_new_translation_reanchors_english_annotations(store, translated):
    kept = annotate_quote(store, translated, "en", "General Assembly", model_id=M)
    lost = annotate_quote(store, translated, "en", "approaching fast", model_id=M)
    fr_side = annotate_quote(store, translated, "fr", "Lavrov")
    new_model = "test:fr-en:2"
    store.store_translations(
        new_model,
        {**EN, "Le 80e anniversaire des Nations unies approche vite.": "The UN turns eighty soon.",
         "M. Lavrov a parlé de sécurité à New\u00a0York.": "In New York, Mr Lavrov discussed security matters at length."},
    )
    placed = after_translation(store, translated, new_model)
    assert {a.id for a in placed} == {kept.id, lost.id}
    en = side_text_for(store, translated, "en", new_model).text
    k = store.get_annotation(kept.id)
    assert en[k.start : k.end] == "General Assembly" and k.status == "anchored" and k.start != kept.start
    lo = store.get_annotation(lost.id)
    assert lo.status == "orphaned" and lo.exact == "approaching fast"
    assert store.get_annotation(fr_side.id) == fr_side  # the French side was not touched


def test_reanchor_without_any_english_text_changes_nothing(store, translated):
    a = annotate_quote(store, translated, "en", "General Assembly", model_id=M)
    assert reanchor_article(store, translated, "en", "no-such-model") == [a]
    assert store.get_annotation(a.id).status == "anchored"


def test_transfer_to_a_reimported_copy(store, aid):
    a = annotate_quote(store, aid, "fr", "Assemblée générale", note="à suivre")
    corrected = make_article(["Un chapeau ajouté au début.", *FR])
    new_id = store.add_article(corrected)
    out = transfer_annotations(store, aid, new_id)
    assert [x.id for x in out] == [a.id]
    moved = store.get_annotation(a.id)
    fr = side_text_for(store, new_id, "fr").text
    assert moved.article_id == new_id and fr[moved.start : moved.end] == "Assemblée générale"
    assert moved.note == "à suivre" and moved.status == "anchored"
    assert store.annotations(article_id=aid) == []


# --- glossary in the library ------------------------------------------------------------------------


def test_glossary_occurrences_and_contexts(store, aid):
    store.add_article(make_article(["Les délégations arrivent. La délégation russe est là."], title="Deux"))
    entries = [
        GlossaryEntry("délégation", "delegation"),
        GlossaryEntry("Assemblée générale", "General Assembly"),
        GlossaryEntry("sécurité", "security"),
        GlossaryEntry("Kremlin", "Kremlin"),
    ]
    for e in entries:
        store.add_glossary_entry(e)
    counts = glossary_occurrences(store)
    by_term = {e.term: counts[e.id] for e in entries}
    assert by_term == {"délégation": 3, "Assemblée générale": 1, "sécurité": 3, "Kremlin": 0}
    contexts = glossary_contexts(store, store.glossary())
    by_term = {e.term: contexts.get(e.id) for e in entries}
    assert by_term["délégation"] == "Question\u00a0: les délégations sont-elles prêtes\u00a0?"
    assert by_term["Assemblée générale"] == "L’Assemblée générale se réunit lundi."
    assert by_term["sécurité"] == "M. Lavrov a parlé de sécurité à New\u00a0York."
    assert by_term["Kremlin"] is None
    assert glossary_occurrences(store, []) == {} and glossary_contexts(store, []) == {}


def test_reanchoring_says_what_it_changed(store, translated):
    from reader.ops.changes import OpChanges

    a = annotate_quote(store, translated, "en", "General Assembly", model_id=M)
    same = reanchor_article(store, translated, "en", M)
    assert same == [a] and not same.changes  # nothing moved: nothing to redraw
    edited = set_edited_translation_and_reanchor(store, translated, 0, 0, "Opening: the General Assembly.", M)
    assert edited.changes == OpChanges(translations={translated}, annotations={translated})
