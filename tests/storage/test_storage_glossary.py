"""The glossary in the store: round trips, lemma-key dedupe, search, imports in one transaction."""

from __future__ import annotations

import dataclasses

import pytest

from reader.core.errors import NotFoundError
from reader.core.glossary import GlossaryEntry, merge_entries, normalise_term
from reader.storage.glossary import DuplicateEntryError, EmptyTermError
from reader.storage.store import Store


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        yield s


def test_round_trip_sets_an_integer_id(store):
    e = GlossaryEntry("délégation", "delegation", note="<b>pas</b> « délégué »", tags=["ONU", "institutions"])
    gid = store.add_glossary_entry(e)
    assert isinstance(gid, int) and e.id == gid
    assert store.get_glossary_entry(gid) == e
    assert store.glossary() == [e]
    assert store.glossary_by_key(normalise_term("Délégations")) == e
    assert store.find_glossary_term("les délégations") is None  # « les » is a word of its own
    assert store.find_glossary_term("DÉLÉGATIONS") == e


def test_same_lemma_is_refused(store):
    store.add_glossary_entry(GlossaryEntry("Assemblée générale", "General Assembly"))
    with pytest.raises(DuplicateEntryError, match="already in the glossary"):
        store.add_glossary_entry(GlossaryEntry("l’assemblée Générale", "UNGA"))
    assert len(store.glossary()) == 1


def test_term_without_a_word_is_refused(store):
    with pytest.raises(EmptyTermError):
        store.add_glossary_entry(GlossaryEntry("  !! ", "x"))
    assert store.glossary() == []


def test_update_and_delete(store):
    a = GlossaryEntry("sommet", "summit")
    b = GlossaryEntry("traité", "treaty")
    store.add_glossary_entry(a)
    store.add_glossary_entry(b)
    changed = dataclasses.replace(a, translation="summit meeting", note="G20", tags=["réunions"])
    store.update_glossary_entry(changed)
    assert store.get_glossary_entry(a.id) == changed
    assert [e.term for e in store.glossary(query="meeting")] == ["sommet"]
    with pytest.raises(DuplicateEntryError):  # renaming onto another entry's lemma
        store.update_glossary_entry(dataclasses.replace(a, term="traités"))
    store.delete_glossary_entry(b.id)
    assert [e.term for e in store.glossary()] == ["sommet"]
    assert store.glossary(query="treaty") == []
    for call in (lambda: store.delete_glossary_entry(b.id), lambda: store.get_glossary_entry(b.id),
                 lambda: store.update_glossary_entry(b)):
        with pytest.raises(NotFoundError):
            call()


def test_sorted_by_term_ignoring_accents_and_case(store):
    for term in ("zone", "État", "accord", "économie", "Bruxelles"):
        store.add_glossary_entry(GlossaryEntry(term, term.upper()))
    assert [e.term for e in store.glossary()] == ["accord", "Bruxelles", "économie", "État", "zone"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("securite", {"sécurité"}),
        ("SÉCU", {"sécurité"}),
        ("délégations", {"délégation"}),  # through the lemma key
        ("delegation", {"délégation"}),
        ("coeur", {"cœur du problème"}),
        ("heart", {"cœur du problème"}),  # the translation
        ("prudence", {"sécurité"}),  # the note
        ("", {"sécurité", "délégation", "cœur du problème"}),
        ('"(*', {"sécurité", "délégation", "cœur du problème"}),
    ],
)
def test_search(store, query, expected):
    store.add_glossary_entry(GlossaryEntry("sécurité", "security", note="Prudence : safety ailleurs."))
    store.add_glossary_entry(GlossaryEntry("délégation", "delegation"))
    store.add_glossary_entry(GlossaryEntry("cœur du problème", "heart of the matter"))
    assert {e.term for e in store.glossary(query=query)} == expected


def test_tag_filter(store):
    store.add_glossary_entry(GlossaryEntry("sommet", "summit", tags=["Diplomatie"]))
    store.add_glossary_entry(GlossaryEntry("gaz", "gas", tags=["énergie"]))
    assert [e.term for e in store.glossary(tag="diplomatie")] == ["sommet"]


def test_merge_import_is_one_transaction(store):
    store.add_glossary_entry(GlossaryEntry("sommet", "summit"))
    incoming = [GlossaryEntry("Sommets", "", note="réunion au plus haut niveau"), GlossaryEntry("paix", "peace")]
    to_add, to_update = merge_entries(store.glossary(), incoming)
    store.save_glossary_entries(add=to_add, update=to_update)
    assert {(e.term, e.translation, e.note) for e in store.glossary()} == {
        ("sommet", "summit", "réunion au plus haut niveau"),
        ("paix", "peace", ""),
    }
    # A batch with a bad entry stores nothing.
    with pytest.raises(EmptyTermError):
        store.save_glossary_entries(add=[GlossaryEntry("guerre", "war"), GlossaryEntry("…", "")])
    with pytest.raises(DuplicateEntryError):
        store.save_glossary_entries(add=[GlossaryEntry("guerre", "war"), GlossaryEntry("Guerres", "wars")])
    assert {e.term for e in store.glossary()} == {"sommet", "paix"}
    assert store._conn.execute("SELECT count(*) FROM glossary_fts").fetchone()[0] == 2
