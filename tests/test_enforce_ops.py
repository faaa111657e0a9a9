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


def test_exports_use_the_enforced_english_and_count_it_in_the_appendix(store, setup, tmp_path):
    from reader.ops.export import collect_export_articles, run_export

    aid, engine, d, ag = setup
    enforce_article(store, engine, aid)
    [art] = list(collect_export_articles(store, [aid], engine.model_id))
    assert art.english[0][0] == shown_english(store, aid, engine.model_id)[0][0].text
    assert "zorbdel" in art.english[0][0]
    counts = {g.term: g.enforced for g in art.glossary}
    assert counts == {"délégation": 2, "Assemblée générale": 1}
    assert "Enforced in 2 sentences." in [g for g in art.glossary if g.term == "délégation"][0].appendix_note
    md = tmp_path / "a.md"
    run_export(store, [aid], md, "md", model_id=engine.model_id)
    text = md.read_text(encoding="utf-8")
    assert "zorbdel" in text and "Enforced in 1 sentence." in text


def test_english_highlights_follow_the_enforced_text():
    from reader.export.bundle import ExportHighlight
    from reader.ops.export import remap_english_highlights

    before = [["EN: The delegates voted.", "It rains."]]
    after = [["EN: The zorbdel voted.", "It rains."]]
    old = before[0][0] + " " + before[0][1]
    mk = lambda word: ExportHighlight(id="h", side="en", paragraph=0, start=old.index(word),  # noqa: E731
                                      end=old.index(word) + len(word), color="#ff0")
    new = after[0][0] + " " + after[0][1]
    moved = remap_english_highlights([mk("rains"), mk("delegates"), mk("voted")], before, after)
    assert [new[h.start:h.end] for h in moved] == ["rains", "zorbdel", "voted"]


def test_a_changed_rendering_takes_the_old_ones_place_without_the_engine(store, setup):
    """An edit of the rendering only (the same term): the new rendering goes where the old one was in the
    enforced English, the rest as it was; no engine call (a dense glossary re-enforces in no time)."""
    from reader.core.enforce import find_rendering

    class NoDecoding(FakeEngine):
        def enforce(self, jobs, progress=None):
            raise AssertionError("the engine was asked")

    aid, engine, d, ag = setup
    enforce_article(store, engine, aid)
    before = shown_english(store, aid, engine.model_id)
    old = store.get_glossary_entry(d.id)
    new = dataclasses.replace(old, translation="quixdel ma")
    store.update_glossary_entry(new)
    result = reenforce(store, NoDecoding(), [old, new])
    assert result.count == 2
    after = shown_english(store, aid, engine.model_id)
    for b, a in ((before[0][0], after[0][0]), (before[1][1], after[1][1])):
        assert a.text == b.text.replace("zorbdel", "quixdel ma") and len(find_rendering(a.text, "quixdel ma")) == 1
        [x] = a.enforced.applied
        assert a.text[x.start:x.end] == "quixdel ma" and x.how == "replaced"
        assert (x.fr_start, x.fr_end) == (b.enforced.applied[0].fr_start, b.enforced.applied[0].fr_end)
    assert after[1][0] == before[1][0]  # « Assemblée générale »'s sentence: untouched
    assert pending_enforcement(store, engine.model_id) == 0
