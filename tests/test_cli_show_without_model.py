"""#14.1: `visavis show` without a model shows the English saved earlier (cached and hand-edited), and
says what to do for the sentences nobody translated."""

from __future__ import annotations

import json

from test_cli import visavis

from reader.storage.store import Store

TEXT = "# Titre\n\nLe chat dort. Il fait beau.\n\nLa réunion a lieu demain.\n"


def _library(tmp_path):
    db, src = tmp_path / "lib.db", tmp_path / "note.md"
    src.write_text(TEXT, encoding="utf-8")
    proc = visavis("import", str(src), db=db)
    assert proc.returncode == 0, proc.stderr
    article_id = int(proc.stdout.split()[-1])
    store = Store(db)
    try:
        store.store_translations("argos:fr-en:1.0", {"Le chat dort.": "The cat sleeps."})
        store.set_edited_translation(article_id, 0, 1, "The weather is fine.")
    finally:
        store.close()
    return db, article_id


def test_show_without_a_model_keeps_the_saved_english(tmp_path):
    db, article_id = _library(tmp_path)
    doc = json.loads(visavis("show", str(article_id), "--format", "json", db=db).stdout)
    assert doc["model"] == "argos:fr-en:1.0"
    assert [p["en"] for p in doc["pairs"]] == ["The cat sleeps.", "The weather is fine.", None]
    text = visavis("show", str(article_id), db=db).stdout
    assert "EN  The cat sleeps." in text and "EN  The weather is fine." in text
    assert "No model is installed: the English shown was saved earlier by argos:fr-en:1.0." in text
    assert "1 sentence not translated: install a model first: visavis model install" in text


def test_show_without_any_translation_keeps_hand_edits(tmp_path):
    db, src = tmp_path / "lib.db", tmp_path / "note.md"
    src.write_text(TEXT, encoding="utf-8")
    article_id = int(visavis("import", str(src), db=db).stdout.split()[-1])
    store = Store(db)
    try:
        store.set_edited_translation(article_id, 0, 0, "The cat sleeps.")
    finally:
        store.close()
    doc = json.loads(visavis("show", str(article_id), "--format", "json", db=db).stdout)
    assert [p["en"] for p in doc["pairs"]] == ["The cat sleeps.", None, None]
