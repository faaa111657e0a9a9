"""Enforcing the glossary in stored articles (fake engine, so the text fallback: this is about the layer,
the keys and what an edit re-enforces; the decoding itself is tested on the synthetic model)."""

from __future__ import annotations

import dataclasses

import pytest

from fakes import FakeEngine
from reader.core.glossary import GlossaryEntry
from reader.core.markup import parse_article
from reader.ops.enforce import enforce_article, enforced_counts, pending_enforcement, reenforce, shown_english
from reader.ops.translate import translate_article
from reader.storage.store import Store

TEXT = """Titre

Les délégations ont voté. Il pleut.

L’Assemblée générale siège. Une délégation part.
"""


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "lib.db")
    yield s
    s.close()


@pytest.fixture
def setup(store):
    aid = store.add_article(parse_article(TEXT))
    engine = FakeEngine()
    translate_article(store, engine, aid)
    d = GlossaryEntry("délégation", "zorbdel")
    ag = GlossaryEntry("Assemblée générale", "General Assembly")
    store.add_glossary_entry(d)
    store.add_glossary_entry(ag)
    return aid, engine, d, ag


def texts(store, aid, model):
    return [[s.text for s in row] for row in shown_english(store, aid, model)]


def test_enforced_english_is_shown_the_machine_output_untouched(store, setup):
    aid, engine, d, ag = setup
    assert pending_enforcement(store, engine.model_id) == 3
    result = enforce_article(store, engine, aid)
    assert result.count == 3 and aid in result.changes.translations
    assert pending_enforcement(store, engine.model_id) == 0
    shown = shown_english(store, aid, engine.model_id)
    assert shown[0][1].enforced is None and shown[0][1].text == "EN: Il pleut."
    first = shown[0][0]
    assert "zorbdel" in first.text
    [a] = first.enforced.applied
    assert first.text[a.start:a.end] == "zorbdel" and a.entry_id == d.id
    assert store.cached_translations(engine.model_id, ["Les délégations ont voté."]) == {
        "Les délégations ont voté.": "EN: Les délégations ont voté."}
    assert enforced_counts(store, aid, engine.model_id) == {d.id: 2, ag.id: 1}
    # switched off globally: the machine output
    assert shown_english(store, aid, engine.model_id, enforce=False)[0][0].text == "EN: Les délégations ont voté."
    # a hand edit wins over both
    store.set_edited_translation(aid, 0, 0, "By hand.")
    assert shown_english(store, aid, engine.model_id)[0][0].text == "By hand."
    assert enforce_article(store, engine, aid).count == 0  # nothing left to do


def test_an_edit_reenforces_exactly_the_sentences_holding_the_term_and_undo_restores(store, setup):
    aid, engine, d, ag = setup
    enforce_article(store, engine, aid)
    before = texts(store, aid, engine.model_id)
    old = store.get_glossary_entry(ag.id)
    new = dataclasses.replace(old, translation="Grand Assembly")
    store.update_glossary_entry(new)
    assert pending_enforcement(store, engine.model_id, [old, new]) == 1
    result = reenforce(store, engine, [old, new])
    assert result.count == 1  # only « L’Assemblée générale siège. »
    after = texts(store, aid, engine.model_id)
    assert after[1][0] != before[1][0] and "Grand Assembly" in after[1][0]
    assert after[0] == before[0] and after[1][1] == before[1][1]
    store.update_glossary_entry(old)  # undo: the previous English, from the layer, nothing computed
    assert reenforce(store, engine, [new, old]).count == 0
    assert texts(store, aid, engine.model_id) == before


def test_switching_an_entry_off_or_removing_it_restores_the_machine_english(store, setup):
    aid, engine, d, ag = setup
    enforce_article(store, engine, aid)
    entry = store.get_glossary_entry(d.id)
    store.update_glossary_entry(dataclasses.replace(entry, enforce=False))
    assert texts(store, aid, engine.model_id)[0][0] == "EN: Les délégations ont voté."
    store.delete_glossary_entry(ag.id)
    result = reenforce(store, engine, [store.get_glossary_entry(d.id), ag])
    assert result.count == 0 and aid in result.changes.translations
    assert texts(store, aid, engine.model_id)[1] == ["EN: L’Assemblée générale siège.", "EN: Une délégation part."]
