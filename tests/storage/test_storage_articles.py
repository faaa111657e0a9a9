"""Articles: round trip, listing, deletion with cascade, atomic add, default path."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from storage_samples import sample_article, simple_article

from reader.core.errors import NotFoundError
from reader.core.model import Article, Paragraph, ParagraphKind, Sentence, Span, SpanKind
from reader.storage import articles as articles_module
from reader.storage import schema
from reader.storage.store import ArticleSummary, Store, content_hash, default_db_path


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        yield s


def test_round_trip_is_equal(store):
    article = sample_article()
    article_id = store.add_article(article)
    assert article.id == article_id
    loaded = store.get_article(article_id)
    assert loaded == article
    assert dataclasses.asdict(loaded) == dataclasses.asdict(article)
    # Enums come back as enums, not strings.
    assert loaded.paragraphs[0].kind is ParagraphKind.HEADING
    assert loaded.paragraphs[2].kind is ParagraphKind.TURN and loaded.paragraphs[2].speaker == "Question"
    assert {s.kind for s in loaded.paragraphs[1].spans} == set(SpanKind)
    link = [s for s in loaded.paragraphs[1].spans if s.kind is SpanKind.LINK][0]
    assert link.href == "https://example.org/parler?x=1&y=«2»"
    assert loaded.paragraphs[5] == Paragraph(text="")
    assert loaded.all_sentences() == article.all_sentences()


def test_round_trip_survives_reopening(tmp_path):
    path = tmp_path / "lib.db"
    article = sample_article()
    with Store(path) as s:
        s.add_article(article)
    with Store(path) as s:
        assert s.get_article(article.id) == article


def test_spans_are_plain_json(store):
    article = sample_article()
    store.add_article(article)
    (spans,) = store._conn.execute(
        "SELECT spans FROM paragraphs WHERE article_id = ? AND idx = 1", (article.id,)
    ).fetchone()
    assert spans.startswith('[[0,9,"bold",null]')


def test_minimal_article_defaults(store):
    article = Article(title="Seul")
    store.add_article(article)
    assert store.get_article(article.id) == article
    assert store.article_title(article.id) == "Seul"
    assert store.article_sentences(article.id) == []


def test_get_missing_article(store):
    with pytest.raises(NotFoundError):
        store.get_article(42)
    with pytest.raises(NotFoundError):
        store.article_title(42)
    assert not store.article_exists(42)


def test_is_empty_and_exists(store):
    assert store.is_empty()
    article_id = store.add_article(simple_article("Un", "Phrase une."))
    assert not store.is_empty()
    assert store.article_exists(article_id)


def test_list_newest_first_with_metadata(store, monkeypatch):
    stamps = iter(["2025-01-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00"])
    monkeypatch.setattr(articles_module, "now", lambda: next(stamps))
    a = store.add_article(sample_article("Premier"))
    b = store.add_article(simple_article("Deuxième", "Une phrase. Deux phrases."))
    c = store.add_article(simple_article("Troisième", "Un.", "Deux."))
    rows = store.list_articles()
    assert [r.id for r in rows] == [b, c, a]
    first = rows[2]
    assert isinstance(first, ArticleSummary)
    assert (first.title, first.source, first.author) == ("Premier", "AFP", "Jeanne Dupont")
    assert (first.published, first.published_iso) == ("25 septembre 2025", "2025-09-25")
    assert first.added == "2025-01-01T00:00:00+00:00"
    assert (first.n_paragraphs, first.n_sentences, first.n_translated) == (7, 9, 0)
    assert (rows[0].n_paragraphs, rows[0].n_sentences) == (1, 2)


def test_same_second_orders_by_id(store, monkeypatch):
    monkeypatch.setattr(articles_module, "now", lambda: "2025-01-01T00:00:00+00:00")
    ids = [store.add_article(simple_article(f"A{i}", "x.")) for i in range(3)]
    assert [r.id for r in store.list_articles()] == ids[::-1]


def test_add_articles_in_one_transaction(store):
    articles = [simple_article("Un", "a."), simple_article("Deux", "b.")]
    ids = store.add_articles(articles)
    assert [a.id for a in articles] == ids
    bad = [simple_article("Trois", "c."), Article("Quatre", [Paragraph("x", spans=[Span(0, 1, "bogus")])])]
    with pytest.raises(ValueError):
        store.add_articles(bad)
    assert len(store.list_articles()) == 2
    assert bad[0].id is None


def test_failed_add_leaves_nothing(store):
    article = Article(
        "Cassé",
        [Paragraph("Bonjour.", sentences=[Sentence(0, 8)]), Paragraph("x", spans=[Span(0, 1, "bogus")])],
    )
    with pytest.raises(ValueError):
        store.add_article(article)
    assert article.id is None
    assert store.is_empty()
    for table in ("articles", "paragraphs", "sentences", "articles_fts"):
        assert store._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert store.list_articles(query="bonjour") == []


def test_delete_cascades(store):
    keep = store.add_article(simple_article("Garder", "Bonjour le monde."))
    gone = store.add_article(sample_article())
    store.store_translations("m", {"Bonjour.": "Hello."})
    store.set_edited_translation(gone, 1, 0, "Mr Lavrov spoke.")
    store.delete_article(gone)
    assert not store.article_exists(gone)
    for table in ("paragraphs", "sentences", "edits"):
        assert store._conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", (gone,)).fetchone()[0] == 0
    assert store._conn.execute("SELECT count(*) FROM articles_fts WHERE rowid = ?", (gone,)).fetchone()[0] == 0
    assert store.list_articles(query="lavrov") == []
    # The translation cache is shared and kept for re-imports.
    assert store.cached_translations("m", ["Bonjour."]) == {"Bonjour.": "Hello."}
    assert [r.id for r in store.list_articles()] == [keep]
    with pytest.raises(NotFoundError):
        store.delete_article(gone)


def test_foreign_keys_are_on(store):
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute("INSERT INTO paragraphs (article_id, idx, text) VALUES (999, 0, 'x')")


def test_content_hash(store):
    a, b = sample_article(), sample_article()
    assert content_hash(a) == content_hash(b)
    b.paragraphs[0] = Paragraph("Autre")
    assert content_hash(a) != content_hash(b)
    store.add_article(a)
    assert store.find_by_hash(content_hash(a)) == a.id
    assert store.find_by_hash(content_hash(b)) is None


def test_stats(store):
    store.add_article(sample_article())
    store.store_translations("m", {"Oui.": "Yes."})
    stats = store.stats()
    assert stats["articles"] == 1 and stats["sentences"] == 9 and stats["translations"] == 1
    assert stats["schema_version"] == len(schema.MIGRATIONS) and stats["journal_mode"] == "wal"
    assert stats["translations_by_model"] == {"m": 1}


def test_close_is_idempotent_and_context_manager(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        s.add_article(simple_article("x", "y."))
    s.close()
    with pytest.raises(sqlite3.ProgrammingError):
        s.is_empty()


def test_default_db_path_env(monkeypatch, tmp_path):
    monkeypatch.setenv("VISAVIS_DB", str(tmp_path / "mine.db"))
    assert default_db_path() == tmp_path / "mine.db"


def test_default_db_path_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("VISAVIS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "data" / "visavis"))
    path = default_db_path()
    assert path == tmp_path / "data" / "visavis" / "visavis.db"
    assert path.parent.is_dir()


def test_missing_parent_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "lib.db"
    with Store(path) as s:
        assert s.is_empty()
    assert Path(path).is_file()


def test_place_round_trip(tmp_path):
    path = tmp_path / "lib.db"
    article = sample_article(place="Moscou")
    with Store(path) as s:
        s.add_article(article)
        s.add_article(sample_article(title="Sans lieu"))
        assert s.get_article(article.id).place == "Moscou"
        assert {a.title: a.place for a in s.list_articles()} == {article.title: "Moscou", "Sans lieu": None}
    with Store(path) as s:
        assert s.get_article(article.id) == article


def test_a_version_2_library_is_upgraded_and_keeps_its_articles(tmp_path):
    path = tmp_path / "v2.db"
    with Store(path) as s:
        aid = s.add_article(sample_article())
        s.set_edited_translation(aid, 2, 1, "Yes indeed.")
    # Back to the version-2 schema: no articles.place.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE articles DROP COLUMN place")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.close()
    with Store(path) as s:
        assert s.schema_version == schema.latest_version() >= 3
        assert s.get_article(aid) == dataclasses.replace(sample_article(), id=aid)  # place None
        assert s.article_translations(aid, "")[2][1].edited == "Yes indeed."
        assert [a.id for a in s.list_articles()] == [aid]
        other = s.add_article(sample_article(title="Après", place="Kyiv"))
        assert s.get_article(other).place == "Kyiv"
    with Store(path) as s:  # reopening does not migrate again
        assert s.get_article(other).place == "Kyiv"


def test_ids_are_never_reused(tmp_path):
    """Deleting the last article and importing another must not give the new one the old id (« last
    article » and undo name articles by id)."""
    path = tmp_path / "lib.db"
    with Store(path) as s:
        first = s.add_article(simple_article("Un", "x."))
        last = s.add_article(simple_article("Deux", "y."))
        s.delete_article(last)
        again = s.add_article(simple_article("Trois", "z."))
        assert again > last > first
        s.delete_article(again)
    with Store(path) as s:  # also across a restart
        assert s.add_article(simple_article("Quatre", "w.")) > again
