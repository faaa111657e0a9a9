"""Deleting articles (``reader.ops.library``): what the window's undoable delete and ``visavis delete``
both run."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.errors import NotFoundError
from reader.importers import import_file
from reader.ops.annotate import annotate_quote
from reader.ops.library import delete_article, delete_articles, restore_article
from reader.storage.store import Store

TEXT = "# Notes\n\nLe chat dort sur le canapé. Il fait beau à Lyon.\n\nLa réunion a lieu demain.\n"
MODEL = "fake:fr-en:1"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "lib.db")
    yield s
    s.close()


def add(store: Store, folder: Path, name: str) -> int:
    path = folder / name
    path.write_text(TEXT.replace("Notes", name), encoding="utf-8")
    return store.add_article(import_file(path))


def test_delete_then_restore_keeps_hand_edits_annotation_ids_and_the_cache(store, tmp_path):
    article_id = add(store, tmp_path, "a.md")
    sentences = [text for _p, _s, text in store.article_sentences(article_id)]
    store.store_translations(MODEL, {text: f"EN {text}" for text in sentences})
    store.set_edited_translation(article_id, 0, 1, "It is fine in Lyon.")
    note = annotate_quote(store, article_id, "fr", "chat", note="le chat")

    deleted = delete_article(store, article_id)
    assert not store.article_exists(article_id)
    assert store.annotations() == []
    assert deleted.edits == [(0, 1, "It is fine in Lyon.")]
    assert [a.id for a in deleted.annotations] == [note.id]
    assert store.cached_translations(MODEL, sentences) == {t: f"EN {t}" for t in sentences}  # the cache stays

    new_id = restore_article(store, deleted)
    assert store.get_article(new_id).title == deleted.article.title
    [back] = store.annotations(article_id=new_id)
    assert (back.id, back.note, back.start, back.end) == (note.id, "le chat", note.start, note.end)
    assert store.article_translations(new_id, MODEL)[0][1].edited == "It is fine in Lyon."


def test_deleting_several_is_all_or_none(store, tmp_path):
    first, second = add(store, tmp_path, "a.md"), add(store, tmp_path, "b.md")
    with pytest.raises(NotFoundError):
        delete_articles(store, [first, 424242, second])
    assert store.article_exists(first) and store.article_exists(second)
    assert [d.article.id for d in delete_articles(store, [second, first, second])] == [second, first]
    assert store.is_empty()
