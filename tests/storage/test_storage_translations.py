"""Translation cache, hand edits, counts, and the sentence lists the jobs use."""

from __future__ import annotations


import pytest
from storage_samples import sample_article, simple_article

from reader.core.errors import NotFoundError
from reader.core.model import Article, Paragraph, Sentence
from reader.storage.store import SentenceTranslation, Store

M = "argos:fr-en:1.9"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        yield s


def test_cache_round_trip_and_model_separation(store):
    store.store_translations(M, {"Bonjour.": "Hello.", "Oui.": "Yes."})
    store.store_translations("other", {"Bonjour.": "Hi."})
    assert store.cached_translations(M, ["Bonjour.", "Oui.", "Non."]) == {"Bonjour.": "Hello.", "Oui.": "Yes."}
    assert store.cached_translations("other", ["Bonjour.", "Oui."]) == {"Bonjour.": "Hi."}
    assert store.cached_translations("none", ["Bonjour."]) == {}
    assert store.cached_translations(M, []) == {}
    store.store_translations(M, {})  # a no-op


def test_cache_key_is_the_exact_text(store):
    store.store_translations(M, {"Bonjour.": "Hello."})
    assert store.cached_translations(M, ["bonjour.", "Bonjour. ", "Bonjour"]) == {}


def test_storing_again_overwrites(store):
    store.store_translations(M, {"Oui.": "Yeah."})
    store.store_translations(M, {"Oui.": "Yes."})
    assert store.cached_translations(M, ["Oui."]) == {"Oui.": "Yes."}
    assert store.stats()["translations"] == 1


def test_thousands_of_sentences(store):
    pairs = {f"Phrase numéro {i} « avec des guillemets »." : f"Sentence {i}." for i in range(5000)}
    store.store_translations(M, pairs)
    lookup = list(pairs) + [f"absente {i}" for i in range(3000)] + list(pairs)[:100]  # duplicates too
    got = store.cached_translations(M, iter(lookup))  # any iterable, beyond the variable limit
    assert got == pairs


def test_untranslated_and_article_sentences(store):
    article = sample_article()
    store.add_article(article)
    assert store.article_sentences(article.id) == article.all_sentences()
    todo = store.untranslated_sentences(article.id, M)
    texts = [t for _, _, t in article.all_sentences()]
    assert todo == list(dict.fromkeys(texts))  # distinct, in reading order
    assert todo.count("Bonjour.") == 1
    store.store_translations(M, {"Bonjour.": "Hello.", "Oui.": "Yes."})
    store.store_translations("other", {"Diplomatie": "Diplomacy"})
    todo2 = store.untranslated_sentences(article.id, M)
    assert "Bonjour." not in todo2 and "Oui." not in todo2 and "Diplomatie" in todo2
    assert len(todo2) == len(todo) - 2
    store.set_edited_translation(article.id, 0, 0, "Diplomacy")
    assert "Diplomatie" in store.untranslated_sentences(article.id, M)  # a hand edit is not machine output


def test_sentence_lists_of_missing_article(store):
    for call in (
        lambda: store.article_sentences(9),
        lambda: store.untranslated_sentences(9, M),
        lambda: store.article_translations(9, M),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_article_translations_shape_and_values(store):
    article = sample_article()
    store.add_article(article)
    empty = store.article_translations(article.id, M)
    assert [len(p) for p in empty] == [len(p.sentences) for p in article.paragraphs]
    assert empty[5] == []  # the paragraph without sentences
    assert all(t == SentenceTranslation(None, None) and t.text is None for p in empty for t in p)
    store.store_translations(M, {"Bonjour.": "Hello.", "Oui.": "Yes."})
    tr = store.article_translations(article.id, M)
    assert tr[6] == [SentenceTranslation("Hello.", None)] * 2  # same text, both positions
    assert tr[2][1].text == "Yes."
    assert store.article_translations(article.id, "")[6][0].machine is None


def test_edits_set_show_and_revert(store):
    article = sample_article()
    store.add_article(article)
    store.store_translations(M, {"Oui.": "Yes."})
    store.set_edited_translation(article.id, 2, 1, "Yes, indeed.")
    t = store.article_translations(article.id, M)[2][1]
    assert (t.machine, t.edited, t.text) == ("Yes.", "Yes, indeed.", "Yes, indeed.")
    store.set_edited_translation(article.id, 2, 1, "Absolutely.")  # edit again
    assert store.article_translations(article.id, M)[2][1].text == "Absolutely."
    # Edits are per position: the other « Bonjour. » is untouched.
    store.set_edited_translation(article.id, 6, 0, "Good morning.")
    tr = store.article_translations(article.id, M)[6]
    assert [x.text for x in tr] == ["Good morning.", None]
    # Machine output is kept apart from the edit.
    assert store.cached_translations(M, ["Oui."]) == {"Oui.": "Yes."}
    store.set_edited_translation(article.id, 2, 1, None)
    t = store.article_translations(article.id, M)[2][1]
    assert (t.machine, t.edited, t.text) == ("Yes.", None, "Yes.")
    store.set_edited_translation(article.id, 2, 1, None)  # reverting twice is harmless
    # An edit shows even without any machine translation (e.g. no model installed).
    assert store.article_translations(article.id, "")[6][0].text == "Good morning."


def test_edit_of_missing_sentence(store):
    article_id = store.add_article(simple_article("x", "Un. Deux."))
    with pytest.raises(NotFoundError):
        store.set_edited_translation(article_id, 0, 5, "x")
    with pytest.raises(NotFoundError):
        store.set_edited_translation(article_id, 3, 0, "x")
    with pytest.raises(NotFoundError):
        store.set_edited_translation(999, 0, 0, "x")


def test_counts(store):
    a = store.add_article(sample_article())  # 9 sentences, « Bonjour. » twice
    b = store.add_article(simple_article("b", "Oui. Non. Peut-être."))
    store.store_translations(M, {"Bonjour.": "Hello.", "Oui.": "Yes."})
    store.store_translations("other", {"Non.": "No."})
    store.set_edited_translation(b, 0, 2, "Maybe.")
    store.set_edited_translation(b, 0, 0, "Yes!")  # edited and machine-translated counts once
    rows = {r.id: r for r in store.list_articles(model_id=M)}
    assert (rows[a].n_sentences, rows[a].n_translated) == (9, 3)  # both « Bonjour. » + « Oui. »
    assert (rows[b].n_sentences, rows[b].n_translated) == (3, 2)
    rows = {r.id: r for r in store.list_articles()}  # no model: hand edits only
    assert (rows[a].n_translated, rows[b].n_translated) == (0, 2)
    rows = {r.id: r for r in store.list_articles(model_id="other")}
    assert (rows[a].n_translated, rows[b].n_translated) == (0, 3)


def test_listing_a_thousand_articles_is_fast(store):
    articles = []
    for i in range(1000):
        paragraphs = [
            Paragraph(text=f"Phrase {i}-{j}-0. Phrase commune {j}.", sentences=[Sentence(0, len(f"Phrase {i}-{j}-0.")),
                      Sentence(len(f"Phrase {i}-{j}-0. "), len(f"Phrase {i}-{j}-0. Phrase commune {j}."))])
            for j in range(10)
        ]
        articles.append(Article(title=f"Article {i}", paragraphs=paragraphs))
    store.add_articles(articles)
    store.store_translations(M, {f"Phrase commune {j}.": f"Common {j}." for j in range(10)})
    store.store_translations(M, {f"Phrase {i}-0-0.": "x" for i in range(0, 1000, 2)})
    rows = store.list_articles(model_id=M)
    assert len(rows) == 1000
    assert {r.n_sentences for r in rows} == {20}
    assert sorted({r.n_translated for r in rows}) == [10, 11]
    assert len(store.list_articles(model_id=M, query="article")) == 1000
    assert len(store.list_articles(model_id=M, query="phrase 12")) >= 1
