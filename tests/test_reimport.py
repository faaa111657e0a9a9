"""Re-importing a file already in the library: unchanged, updated in place (--update), or a new copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ops.annotate import annotate_quote
from reader.importers import import_file
from reader.ops.library import describe_outcome, import_into_library
from reader.storage.store import Store

V1 = (
    "# Notes de lecture\n\n"
    "Le chat dort sur le canapé rouge. Il fait beau à Lyon.\n\n"
    "La réunion a lieu demain matin. Les ministres arrivent en retard.\n"
)
# A typo-fix edition: the second paragraph changes, the first stays as it was.
V2 = (
    "# Notes de lecture\n\n"
    "Le chat dort sur le canapé rouge. Il fait beau à Lyon.\n\n"
    "La réunion aura lieu demain après-midi. Les ministres arrivent en retard.\n"
)
MODEL = "fake:fr-en:1"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "lib.db")
    yield s
    s.close()


def write(folder: Path, text: str, name: str = "notes.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def first_import(store: Store, path: Path) -> int:
    [outcome] = import_into_library(store, [import_file(path)])
    assert outcome.status == "added"
    return outcome.article_id


def test_identical_reimport_is_unchanged_and_adds_nothing(store, tmp_path):
    path = write(tmp_path, V1)
    article_id = first_import(store, path)
    for update in (False, True):
        [outcome] = import_into_library(store, [import_file(path)], update=update)
        assert (outcome.status, outcome.article_id) == ("unchanged", article_id)
    assert len(store.list_articles()) == 1
    assert describe_outcome(outcome, "notes.md") == f"notes.md is already in the library as #{article_id}"


def test_changed_reimport_without_update_adds_a_copy(store, tmp_path):
    article_id = first_import(store, write(tmp_path, V1))
    [outcome] = import_into_library(store, [import_file(write(tmp_path, V2))], update=False)
    assert outcome.status == "copy" and outcome.existing_id == article_id
    assert outcome.article_id != article_id
    assert len(store.list_articles()) == 2
    assert store.find_by_origin("notes.md") == outcome.article_id  # the newest


def test_changed_reimport_with_update_keeps_id_annotations_and_edits(store, tmp_path):
    article_id = first_import(store, write(tmp_path, V1))
    # English side from the cache, with a hand edit on an unchanged sentence and one on a changed one.
    sentences = store.article_sentences(article_id)
    store.store_translations(MODEL, {text: f"EN[{text}]" for _p, _s, text in sentences})
    store.set_edited_translation(article_id, 0, 1, "It is sunny in Lyon.")  # unchanged French
    store.set_edited_translation(article_id, 1, 0, "The meeting is tomorrow morning.")  # French changed
    kept = annotate_quote(store, article_id, "fr", "canapé rouge", note="couleur")
    edited = annotate_quote(store, article_id, "fr", "demain matin", note="quand ?")
    moving = annotate_quote(store, article_id, "fr", "Les ministres arrivent", note="qui ?")
    english = annotate_quote(store, article_id, "en", "It is sunny", model_id=MODEL)

    [outcome] = import_into_library(store, [import_file(write(tmp_path, V2))], update=True)

    assert (outcome.status, outcome.article_id) == ("updated", article_id)
    assert outcome.dropped_edits == 1
    assert len(store.list_articles()) == 1
    assert store.get_article(article_id).paragraphs[1].text.startswith("La réunion aura lieu")
    assert store.list_articles(query="après-midi")[0].id == article_id  # search index follows
    assert store.list_articles(query="matin") == []
    translations = store.article_translations(article_id, MODEL)
    assert translations[0][1].edited == "It is sunny in Lyon."  # kept: same French sentence
    assert translations[1][0].edited is None  # its French sentence is gone
    assert translations[1][0].machine is None  # the new sentence is not translated yet

    by_id = {a.id: a for a in store.annotations(article_id=article_id)}
    assert len(by_id) == 4  # nothing dropped
    assert by_id[kept.id].status == "anchored" and (by_id[kept.id].start, by_id[kept.id].end) == (kept.start, kept.end)
    assert by_id[english.id].status == "anchored"
    assert by_id[edited.id].status == "orphaned"  # « demain matin » is gone: kept as an orphan
    assert by_id[edited.id].note == "quand ?"
    shifted = by_id[moving.id]
    assert shifted.status in ("anchored", "moved") and shifted.start > moving.start
    assert outcome.orphaned == 1 and outcome.moved == 1
    assert describe_outcome(outcome, "notes.md") == (
        f"updated #{article_id} from notes.md: 1 highlight moved, 1 orphaned, 1 hand edit dropped"
    )


def test_replace_article_moves_an_edit_with_its_sentence_text(store, tmp_path):
    article_id = first_import(store, write(tmp_path, V1))
    store.set_edited_translation(article_id, 1, 1, "The ministers are late.")
    # A paragraph inserted before: « Les ministres arrivent en retard. » is now in paragraph 2.
    v3 = V1.replace("La réunion", "Un ajout au début. Puis une phrase.\n\nLa réunion")
    result = store.replace_article(article_id, import_file(write(tmp_path, v3)))
    assert (result.kept_edits, result.dropped_edits) == (1, 0)
    assert store.article_translations(article_id, "")[2][1].edited == "The ministers are late."


def test_update_of_an_article_with_an_unknown_origin_adds_it(store, tmp_path):
    first_import(store, write(tmp_path, V1))
    [outcome] = import_into_library(store, [import_file(write(tmp_path, V2, name="autre.md"))], update=True)
    assert outcome.status == "added"
    assert len(store.list_articles()) == 2


def test_each_outcome_says_what_it_changed(store, tmp_path):
    from reader.ops.changes import OpChanges

    [added] = import_into_library(store, [import_file(write(tmp_path, V1))])
    assert added.changes == OpChanges(articles={added.article_id})
    [same] = import_into_library(store, [import_file(write(tmp_path, V1))], update=True)
    assert not same.changes  # unchanged: nothing to redraw
    [updated] = import_into_library(store, [import_file(write(tmp_path, V2))], update=True)
    assert updated.changes == OpChanges(articles={added.article_id}, annotations={added.article_id})
    [copy] = import_into_library(store, [import_file(write(tmp_path, V1, name="autre.md"))])
    assert copy.status == "added" and copy.article_id != added.article_id
    assert OpChanges.merge(o.changes for o in (same, updated, copy)) == OpChanges(
        articles={added.article_id, copy.article_id}, annotations={added.article_id}
    )
