"""#14.1: the English a reader sees with no model, or with another model than the one that made it."""

from __future__ import annotations

from reader.importers.text import import_text
from reader.ops.reading import reading_english
from reader.storage.store import Store


def test_older_models_english_fills_what_the_reading_model_lacks(tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("Titre\n\nLe chat dort. Il fait beau.\n\nLa réunion a lieu demain.\n", encoding="utf-8")
    store = Store(tmp_path / "lib.db")
    try:
        article_id = store.add_article(import_text(src))
        store.store_translations("old:fr-en:1", {"Le chat dort.": "The cat sleeps.", "Il fait beau.": "Fine."})
        store.store_translations("new:fr-en:2", {"Il fait beau.": "Nice weather."})
        store.set_edited_translation(article_id, 1, 0, "The meeting is tomorrow.")
        # no model installed: the best-covering cached model, hand edits on top
        none = reading_english(store, article_id, None)
        assert none.model_id == "old:fr-en:1"
        assert none.texts() == [["The cat sleeps.", "Fine."], ["The meeting is tomorrow."]]
        assert none.older == {} and none.edited() == {(1, 0)}
        # the new model installed: its English where it has some, the old one marked elsewhere
        new = reading_english(store, article_id, "new:fr-en:2")
        assert new.texts() == [["The cat sleeps.", "Nice weather."], ["The meeting is tomorrow."]]
        assert new.older == {(0, 0): "old:fr-en:1"}
    finally:
        store.close()
