"""Full-text search in list_articles: prefixes, accents, case, ligatures, hostile input."""

from __future__ import annotations

import pytest
from storage_samples import sample_article, simple_article

from reader.storage.store import Store, fts_match_expression


@pytest.fixture
def lib(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        ids = {
            "onu": s.add_article(sample_article()),
            "eco": s.add_article(simple_article("L’économie française", "La croissance ralentit. Les prix montent.")),
            "sec": s.add_article(simple_article("Défense", "Le Conseil de SÉCURITÉ s'est réuni à New York.")),
            "ukr": s.add_article(simple_article("Kiev", "Les négociations sur l'Ukraine piétinent.")),
        }
        yield s, ids


def found(store: Store, query: str) -> set[int]:
    return {r.id for r in store.list_articles(query=query)}


def test_prefix_as_you_type(lib):
    s, ids = lib
    assert found(s, "dipl") == {ids["onu"]}  # « diplomatie » in the title and a heading
    assert found(s, "d") >= {ids["onu"], ids["sec"]}
    assert found(s, "croiss") == {ids["eco"]}


@pytest.mark.parametrize("query", ["securite", "SECURITE", "sécurité", "Sécu", "secu"])
def test_accent_and_case_insensitive(lib, query):
    s, ids = lib
    assert found(s, query) == {ids["onu"], ids["sec"]}


def test_accented_query_finds_unaccented_text(tmp_path):
    with Store(tmp_path / "x.db") as s:
        a = s.add_article(simple_article("Sans accents", "La securite avant tout."))
        assert found(s, "sécurité") == {a}


def test_title_and_body_both_searched(lib):
    s, ids = lib
    assert found(s, "économie") == {ids["eco"]}  # title only
    assert found(s, "ralentit") == {ids["eco"]}  # body only


def test_words_are_anded_across_the_article(lib):
    s, ids = lib
    assert found(s, "lavrov anniversaire") == {ids["onu"]}
    assert found(s, "lavrov croissance") == set()


def test_apostrophes_and_ligatures(lib):
    s, ids = lib
    assert found(s, "ukraine") == {ids["ukr"]}
    assert found(s, "l'ukraine") == {ids["ukr"]}
    assert found(s, "l’Ukraine") == {ids["ukr"]}
    assert found(s, "coeur") == {ids["onu"]}
    assert found(s, "cœur") == {ids["onu"]}


def test_decomposed_accents(lib):
    s, ids = lib
    assert found(s, "se\u0301curite\u0301") == {ids["onu"], ids["sec"]}


@pytest.mark.parametrize(
    "query",
    [
        '"', "'", "-", "*", ":", "(", ")", "^", "+", "\\", "%", "_", "«", "»", "…",
        '"unterminated', "a-b", "-lavrov", "***", "title:foo", "body:lavrov", "NEAR(a b)", "AND", "OR NOT",
        "lavrov OR", "x AND (y", "{col}", "lav*", "\"lavrov\"", "'; DROP TABLE articles; --", "\x00", "é-",
    ],
)
def test_fts_syntax_characters_never_raise(lib, query):
    s, _ = lib
    rows = s.list_articles(query=query)
    assert isinstance(rows, list)
    assert len(s.list_articles()) == 4


def test_special_characters_around_words_still_match(lib):
    s, ids = lib
    assert found(s, '"lavrov"') == {ids["onu"]}
    assert found(s, "-lavrov") == {ids["onu"]}  # « - » is not a NOT operator here
    assert found(s, "title:lavrov") == set()  # « title » is a word here, not a column filter
    assert found(s, "diplomatie:lavrov") == {ids["onu"]}
    assert found(s, "lav*") == {ids["onu"]}
    assert found(s, "OR") == set()  # a plain word, not an operator


@pytest.mark.parametrize("query", [None, "", "   ", "«»", "---"])
def test_queries_without_words_list_everything(lib, query):
    s, _ = lib
    assert len(s.list_articles(query=query)) == 4


def test_match_expression_quotes_every_word():
    assert fts_match_expression("dipl  Sécu") == '"dipl"* "Sécu"*'
    assert fts_match_expression('a"b') == '"a"* "b"*'
    assert fts_match_expression("---") is None


def test_search_keeps_newest_first_and_counts(lib):
    s, ids = lib
    s.store_translations("m", {"Les prix montent.": "Prices are rising."})
    rows = s.list_articles(model_id="m", query="prix")
    assert [(r.id, r.n_sentences, r.n_translated) for r in rows] == [(ids["eco"], 2, 1)]


def test_title_change_is_reindexed(lib):
    s, ids = lib
    s._conn.execute("UPDATE articles SET title = 'Œuvres choisies' WHERE id = ?", (ids["sec"],))
    assert found(s, "oeuvres") == {ids["sec"]}
    assert found(s, "défense") == set()


def test_rebuild_search_index(lib):
    s, ids = lib
    s._conn.execute("DELETE FROM articles_fts")
    assert found(s, "lavrov") == set()
    s.rebuild_search_index()
    assert found(s, "lavrov") == {ids["onu"]}
    assert found(s, "coeur") == {ids["onu"]}
