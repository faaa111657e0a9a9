"""Word alignments in the store: round trip, keyed like their translation, hand edits apart, recomputed
when the method version changes; and the translation job that fills them (fake aligning engine)."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core.wordalign import ScoredAlignment, pack_scores, words
from reader.ops.translate import align_article, translate_article
from reader.storage import alignments as alignments_module
from reader.storage import schema
from reader.storage.store import Store
from storage_samples import sample_article

MODEL = "fake:fr-en:1"


def _diagonal(fr: str, en: str) -> ScoredAlignment:
    fw, ew = words(fr, "fr"), words(en, "en")
    scores = [[1.0 if f == min(e, len(fw) - 1) else 0.0 for f in range(len(fw))] for e in range(len(ew))]
    return ScoredAlignment(fw, ew, pack_scores(scores))


class AligningFake:
    """Translates « X » to « EN X » and aligns word i to word i; counts what it is asked."""

    model_id = MODEL

    def __init__(self) -> None:
        self.translated: list[str] = []
        self.aligned: list[tuple[str, str]] = []

    def translate(self, sentences, progress=None, on_result=None):
        return [t for t, _ in self.translate_aligned(sentences, progress, None if on_result is None else
                                                     (lambda i, t, a: on_result(i, t)))]

    def translate_aligned(self, sentences, progress=None, on_result=None):
        out = []
        for i, s in enumerate(sentences):
            self.translated.append(s)
            text = f"EN {s}"
            item = (text, _diagonal(s, text))
            out.append(item)
            if on_result is not None:
                on_result(i, *item)
        return out

    def align(self, pairs, progress=None):
        self.aligned += list(pairs)
        return [_diagonal(fr, en) for fr, en in pairs]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "a.db")
    yield s
    s.close()


def test_round_trip_and_key(store):
    a = _diagonal("La réunion était « utile ».", "The meeting was “useful”.")
    store.store_alignments(MODEL, [("La réunion était « utile ».", "The meeting was “useful”.", a)])
    got = store.cached_alignments(MODEL, [("La réunion était « utile ».", "The meeting was “useful”."),
                                          ("La réunion était « utile ».", "Another English."),
                                          ("Autre.", "The meeting was “useful”.")])
    assert list(got) == [("La réunion était « utile ».", "The meeting was “useful”.")]
    back = next(iter(got.values()))
    assert back == a and back.alignment() == a.alignment()
    assert store.cached_alignments("other:model:2", [("La réunion était « utile ».", "The meeting was “useful”.")]) == {}
    # stored again (recomputed): replaced, not duplicated
    store.store_alignments(MODEL, [("La réunion était « utile ».", "The meeting was “useful”.", a)])
    assert store._conn.execute("SELECT count(*) FROM alignments").fetchone()[0] == 1


def test_migration_from_version_4_adds_the_table(tmp_path):
    path = tmp_path / "old.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE alignments")
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.schema_version == schema.latest_version() >= 5
        assert s.cached_alignments(MODEL, [("a", "b")]) == {}


def test_translation_job_stores_alignments_and_hand_edits_get_their_own(store):
    article_id = store.add_article(sample_article())
    engine = AligningFake()
    translate_article(store, engine, article_id)
    assert store.missing_alignments(article_id, MODEL) == []
    assert engine.aligned == []  # aligned in the translation pass itself
    shown = store.article_alignments(article_id, MODEL)
    translations = store.article_translations(article_id, MODEL)
    for row_a, row_t in zip(shown, translations):
        assert len(row_a) == len(row_t)
        for a, t in zip(row_a, row_t):
            assert a is not None
            for s, e in a.en_words:
                assert t.text[s:e].strip()

    p, s, source = store.article_sentences(article_id)[1]
    store.set_edited_translation(article_id, p, s, "My own English, by hand.")
    assert store.missing_alignments(article_id, MODEL) == [(source, "My own English, by hand.")]
    assert store.article_alignments(article_id, MODEL)[p][s] is None  # shown text not aligned yet
    assert store.article_alignments(article_id, MODEL, edited=False)[p][s] is not None
    assert align_article(store, engine, article_id) == 1
    assert engine.aligned == [(source, "My own English, by hand.")]
    edited = store.article_alignments(article_id, MODEL)[p][s]
    assert [("My own English, by hand.")[a:b] for a, b in edited.en_words] == ["My", "own", "English", "by", "hand"]
    # nothing left to do: a second job aligns nothing
    assert align_article(store, engine, article_id) == 0


def test_recomputed_when_the_method_changes(store, monkeypatch):
    article_id = store.add_article(sample_article())
    engine = AligningFake()
    translate_article(store, engine, article_id)
    n = len(store.article_alignment_pairs(article_id, MODEL))
    assert n > 0 and store.missing_alignments(article_id, MODEL) == []
    monkeypatch.setattr(alignments_module, "METHOD_VERSION", 2)
    assert len(store.missing_alignments(article_id, MODEL)) == n
    engine2 = AligningFake()
    # the engine's new alignments carry the new version
    monkeypatch.setattr(engine2, "align", lambda pairs, progress=None: [
        ScoredAlignment(a.fr_words, a.en_words, a.matrix, 2) for a in AligningFake().align(pairs)])
    assert align_article(store, engine2, article_id) == n
    assert store.missing_alignments(article_id, MODEL) == []
    assert store._conn.execute("SELECT count(*) FROM alignments WHERE method = 2").fetchone()[0] == n


def test_an_engine_that_does_not_align_is_fine(store):
    from fakes import FakeEngine

    article_id = store.add_article(sample_article())
    translate_article(store, FakeEngine(), article_id)
    assert align_article(store, FakeEngine(), article_id) == 0
    assert store.article_alignments(article_id, FakeEngine.model_id)[1][0] is None


def test_stored_alignments_of_an_article_keyed_by_the_exact_pair(store, monkeypatch):
    article_id = store.add_article(sample_article())
    assert not store.has_alignments(MODEL)
    assert len(store.stored_alignments(article_id, MODEL)) == 0
    engine = AligningFake()
    translate_article(store, engine, article_id)
    assert store.has_alignments(MODEL) and not store.has_alignments("other:model:2")
    sentences = store.article_sentences(article_id)
    p, s, source = sentences[1]
    machine = store.article_translations(article_id, MODEL)[p][s].machine
    store.set_edited_translation(article_id, p, s, "My own English, by hand.")
    align_article(store, engine, article_id)
    other = store.add_article(sample_article().__class__("Autre", [], author="x"))
    store.store_alignments(MODEL, [("Une phrase d'un autre article.", "EN", _diagonal("Une phrase.", "EN"))])

    got = store.stored_alignments(article_id, MODEL)
    # the machine English and the hand edit both find their own; nothing of other sentences
    assert len(got) == len({t for _p, _s, t in sentences}) + 1
    assert got.get(source, machine) == _diagonal(source, machine)
    assert got.get(source, "My own English, by hand.") == _diagonal(source, "My own English, by hand.")
    assert got.get(source, "Some stale English.") is None
    assert got.get("Une phrase d'un autre article.", "EN") is None
    assert len(store.stored_alignments(other, MODEL)) == 0
    assert len(store.stored_alignments(10_000, MODEL)) == 0  # no such article: none, no error
    # an older method's rows count as none
    monkeypatch.setattr(alignments_module, "METHOD_VERSION", 2)
    assert len(store.stored_alignments(article_id, MODEL)) == 0 and not store.has_alignments(MODEL)


def test_align_pairs_reads_what_is_stored_and_computes_the_rest(store):
    from fakes import FakeEngine

    from reader.ops.translate import align_pairs

    article_id = store.add_article(sample_article())
    engine = AligningFake()
    translate_article(store, engine, article_id)
    _p, _s, source = store.article_sentences(article_id)[0]
    known = (source, f"EN {source}")
    new = (source, "Edited by hand.")
    got = align_pairs(store, engine, [known, new, new])
    assert engine.aligned == [new]  # the stored one is read, not computed again
    assert got == {known: _diagonal(*known), new: _diagonal(*new)}
    assert store.cached_alignments(MODEL, [new]) == {new: _diagonal(*new)}
    assert align_pairs(store, engine, [new]) == {new: _diagonal(*new)} and engine.aligned == [new]
    assert align_pairs(store, FakeEngine(), [new]) == {}  # an engine that does not align: none
