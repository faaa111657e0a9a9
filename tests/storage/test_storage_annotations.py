"""Annotations in the store: round trips, full-text search, filters, cascade, migration, speed."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from pathlib import Path

import pytest
from storage_samples import sample_article, simple_article

from reader.core.annotations import Annotation, make_annotation
from reader.core.errors import NotFoundError, StorageError
from reader.core.sides import french_side
from reader.storage import schema
from reader.storage.annotations import DuplicateAnnotationError
from reader.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        yield s


def annotate(store: Store, article_id: int, quote: str, side: str = "fr", **kw) -> Annotation:
    article = store.get_article(article_id)
    text = french_side(article).text
    start = text.index(quote)
    a = make_annotation(text, article_id, side, start, start + len(quote), **kw)
    store.add_annotation(a)
    return a


def ids(annotations) -> set[str]:
    return {a.id for a in annotations}


def fts_rows(store: Store) -> int:
    return store._conn.execute("SELECT count(*) FROM annotations_fts").fetchone()[0]


# --- round trips ------------------------------------------------------------------------------


def test_round_trip_keeps_every_field(store):
    aid = store.add_article(sample_article())
    a = annotate(
        store, aid, "sécurité", note="Mot clé.\nDeuxième ligne « citée ».", color="purple", tags=["ONU", "à revoir"]
    )
    back = store.get_annotation(a.id)
    assert back == a
    assert back.tags == ["ONU", "à revoir"] and back.article_id == aid
    assert store.annotations(article_id=aid) == [a]


def test_html_like_text_is_stored_literally(store):
    aid = store.add_article(sample_article())
    note = "<b>gras</b> <script>alert('x')</script> &amp; &lt;"
    a = annotate(store, aid, "Lavrov", note=note, tags=["<i>tag</i>"])
    back = store.get_annotation(a.id)
    assert back.note == note and back.tags == ["<i>tag</i>"]
    assert store.annotations(query="script") == [back]


def test_update_replaces_fields_and_search_index(store):
    aid = store.add_article(sample_article())
    a = annotate(store, aid, "sécurité", note="premier avis", tags=["alpha"])
    changed = dataclasses.replace(a, note="second regard", color="green", tags=["beta"], status="moved")
    store.update_annotation(changed)
    assert store.get_annotation(a.id) == changed
    assert store.annotations(query="premier") == []
    assert ids(store.annotations(query="regard")) == {a.id}
    assert store.annotations(tag="alpha") == [] and ids(store.annotations(tag="beta")) == {a.id}
    assert fts_rows(store) == 1


def test_delete_removes_row_tags_and_index(store):
    aid = store.add_article(sample_article())
    a = annotate(store, aid, "sécurité", note="note", tags=["x"])
    b = annotate(store, aid, "Lavrov")
    store.delete_annotation(a.id)
    assert ids(store.annotations()) == {b.id}
    assert fts_rows(store) == 1
    assert store.annotation_tags() == {}
    with pytest.raises(NotFoundError):
        store.get_annotation(a.id)


def test_unknown_ids_and_articles_are_not_found(store):
    aid = store.add_article(sample_article())
    a = annotate(store, aid, "Lavrov")
    with pytest.raises(NotFoundError):
        store.delete_annotation("urn:uuid:nope")
    with pytest.raises(NotFoundError):
        store.update_annotation(dataclasses.replace(a, id="urn:uuid:nope"))
    with pytest.raises(NotFoundError, match="No article with id 999"):
        store.add_annotation(dataclasses.replace(a, id="urn:uuid:other", article_id=999))
    with pytest.raises(NotFoundError):
        store.annotations(article_id=999)
    with pytest.raises(DuplicateAnnotationError):
        store.add_annotation(a)


def test_a_failing_batch_stores_nothing(store):
    aid = store.add_article(sample_article())
    text = french_side(store.get_article(aid)).text
    good = make_annotation(text, aid, "fr", 0, 5)
    bad = make_annotation(text, 999, "fr", 0, 5)  # no such article
    with pytest.raises(NotFoundError):
        store.add_annotations([good, bad])
    assert store.annotations() == [] and fts_rows(store) == 0
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.add_annotation(good)
            raise RuntimeError("boom")
    assert store.annotations() == [] and fts_rows(store) == 0


# --- search and filters -----------------------------------------------------------------------


@pytest.fixture
def lib(store):
    onu = store.add_article(sample_article())
    eco = store.add_article(simple_article("Économie", "La croissance ralentit. Le cœur du problème."))
    made = {
        "secu": annotate(store, onu, "sécurité", note="Sécurité collective", color="red", tags=["Politique"]),
        "lav": annotate(store, onu, "M. Lavrov", note="le ministre", color="yellow", tags=["personnes", "politique"]),
        "coeur": annotate(store, eco, "cœur", note="un mot du cœur", color="red"),
        "croiss": annotate(store, eco, "croissance", note="", color="green", tags=["économie"]),
    }
    orphan = dataclasses.replace(made["croiss"], status="orphaned")
    store.update_annotation(orphan)
    made["croiss"] = orphan
    return store, {"onu": onu, "eco": eco}, made


@pytest.mark.parametrize("query", ["securite", "SÉCURITÉ", "sécu", "collect"])
def test_search_notes_ignores_accents_and_case(lib, query):
    store, _, made = lib
    assert ids(store.annotations(query=query)) == {made["secu"].id}


@pytest.mark.parametrize("query", ["coeur", "cœur", "COEUR"])
def test_search_folds_ligatures_like_the_articles(lib, query):
    store, _, made = lib
    assert ids(store.annotations(query=query)) == {made["coeur"].id}


def test_search_covers_quotes_and_tags(lib):
    store, _, made = lib
    assert ids(store.annotations(query="croissance")) == {made["croiss"].id}  # quote only, no note
    assert ids(store.annotations(query="personnes")) == {made["lav"].id}  # tag
    assert ids(store.annotations(query="economie")) == {made["croiss"].id}  # accented tag
    assert ids(store.annotations(query="lavrov ministre")) == {made["lav"].id}  # words ANDed
    assert store.annotations(query="lavrov croissance") == []


def test_hostile_queries_are_plain_words(lib):
    store, _, made = lib
    for q in ['"', "NOT", "a*", "(", "note:x", "-"]:
        store.annotations(query=q)  # no FTS syntax error
    assert len(store.annotations(query="  ")) == 4  # no word: no filter


def test_filters_combine(lib):
    store, art, made = lib
    assert ids(store.annotations(color="red")) == {made["secu"].id, made["coeur"].id}
    assert ids(store.annotations(article_id=art["onu"], color="red")) == {made["secu"].id}
    assert ids(store.annotations(tag="POLITIQUE")) == {made["secu"].id, made["lav"].id}
    assert ids(store.annotations(tag="politique", query="ministre")) == {made["lav"].id}
    assert ids(store.annotations(status="orphaned")) == {made["croiss"].id}
    assert store.annotations(color="blue") == []
    assert ids(store.annotations(side="fr")) == set(ids(made.values()))
    assert store.annotations(side="en") == []
    assert len(store.annotations(limit=2)) == 2


def test_reading_order_french_side_first(store):
    aid = store.add_article(sample_article())
    text = french_side(store.get_article(aid)).text
    en = make_annotation("x" * 200, aid, "en", 1, 5)
    late = make_annotation(text, aid, "fr", 40, 45)
    early = make_annotation(text, aid, "fr", 3, 8)
    store.add_annotations([en, late, early])
    assert [a.id for a in store.annotations(article_id=aid)] == [early.id, late.id, en.id]


def test_tag_list_and_counts(lib):
    store, art, _ = lib
    assert store.annotation_tags() == {"économie": 1, "personnes": 1, "Politique": 2}
    assert store.annotation_tags(article_id=art["eco"]) == {"économie": 1}
    assert store.annotation_counts() == {art["onu"]: 2, art["eco"]: 2}


# --- cascade and re-import --------------------------------------------------------------------


def test_deleting_an_article_deletes_its_annotations(lib):
    store, art, made = lib
    store.delete_article(art["onu"])
    assert ids(store.annotations()) == {made["coeur"].id, made["croiss"].id}
    assert fts_rows(store) == 2
    assert store.annotation_tags() == {"économie": 1}
    assert store.annotations(query="securite") == []


def test_reimporting_the_same_article_keeps_annotations(store):
    article = sample_article()
    first = store.add_article(article)
    a = annotate(store, first, "sécurité", note="gardée")
    again = store.add_article(sample_article())
    assert again != first
    assert store.annotations(article_id=first) == [a]
    assert store.annotations(article_id=again) == []


# --- migration from a version-1 database ------------------------------------------------------


def downgrade_to_version_1(path) -> None:
    """Turn a library written by today's Store into the version-1 schema it would have had (today's
    ``add_article`` writes columns of later migrations, so a v1 library cannot be written directly)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for table in ("annotations_fts", "annotation_tags", "annotations", "glossary_fts", "glossary"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE articles DROP COLUMN place")  # migration 3
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()


def test_a_version_1_library_is_upgraded_and_kept(tmp_path, monkeypatch):
    path = tmp_path / "v1.db"
    with Store(path) as s:
        aid = s.add_article(sample_article())
        s.store_translations("m", {"Oui.": "Yes."})
        s.set_edited_translation(aid, 2, 1, "Yes indeed.")
    downgrade_to_version_1(path)
    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", schema.MIGRATIONS[:1])
    with Store(path) as s:
        assert s.schema_version == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'annotations'").fetchone() is None
    conn.close()
    monkeypatch.undo()
    with Store(path) as s:
        assert s.schema_version == schema.latest_version() >= 2
        assert s.get_article(aid) == sample_article() or s.get_article(aid).title == sample_article().title
        assert s.article_translations(aid, "m")[2][1].text == "Yes indeed."
        a = annotate(s, aid, "sécurité", note="après la mise à jour")
        assert s.annotations(query="jour") == [a]
        assert s.glossary() == []
    with Store(path) as s:
        assert s.get_annotation(a.id) == a


def test_an_interrupted_migration_keeps_version_1(tmp_path, monkeypatch):
    """If migration 2 fails half-way nothing of it stays, and the v1 data is intact."""
    path = tmp_path / "v1.db"
    with Store(path) as s:
        s.add_article(sample_article())
    downgrade_to_version_1(path)

    def broken(db):
        schema.migration_2(db)
        raise RuntimeError("power cut")

    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", [schema.MIGRATIONS[0], broken])
    with pytest.raises(StorageError, match="power cut"):
        Store(path)
    monkeypatch.setattr("reader.storage.schema.MIGRATIONS", schema.MIGRATIONS[:1])
    with Store(path) as s:
        assert s.schema_version == 1
        assert s._conn.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'annotation%'").fetchone() is None
        assert s._conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


# --- speed --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_library(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from annotations import build_library  # bench/annotations.py
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path_factory.mktemp("big") / "big.db"
    with Store(path) as s:
        article_ids, big = build_library(s, 1000, 100_000)
    with Store(path) as s:
        yield s, article_ids, big


def test_panel_filters_and_search_on_100000_annotations(big_library):
    """The panel's queries on a big library (their speed: bench/annotations.py, not a wall-clock test)."""
    store, article_ids, big = big_library
    assert sum(store.annotation_counts().values()) == 100_000
    assert len(store.annotation_counts()) == 1000
    other = article_ids[500]
    assert len(store.annotations(article_id=big)) == 500
    red = store.annotations(article_id=other, color="red")
    assert all(a.article_id == other and a.color == "red" for a in red)
    tagged = store.annotations(article_id=other, tag="vocabulaire")
    assert all(a.article_id == other and "vocabulaire" in a.tags for a in tagged)
    both = store.annotations(tag="citation", color="blue", limit=200)
    assert both and len(both) <= 200 and all(a.color == "blue" and "citation" in a.tags for a in both)
    hits = store.annotations(query="securite", limit=200)
    assert hits and all("sécurité" in (a.note + a.exact).lower() for a in hits)
    assert len(store.annotations(query="securite negoc", limit=200)) <= 200
    assert all(a.article_id == big for a in store.annotations(article_id=big, query="coeur"))
    assert "vocabulaire" in store.annotation_tags()
