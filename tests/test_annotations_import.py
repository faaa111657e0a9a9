"""reader.ops.annotations_io: a W3C file back into the library, losslessly, all or nothing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from test_annotate import FR, aid, make_article, store, translated  # noqa: F401 - fixtures

from reader.core.annotations import collection_to_w3c, to_w3c
from reader.core.errors import ReaderError
from reader.ops.annotate import annotate_quote
from reader.ops.annotations_io import UnknownArticlesError, import_annotations, read_annotation_file


def _export(store, path, article_id):
    doc = collection_to_w3c(store.annotations(article_id=article_id))
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_round_trip_through_a_file_is_lossless(store, translated, tmp_path):  # noqa: F811
    aid = translated
    a = annotate_quote(store, aid, "fr", "sécurité", occurrence=2, note="un\n\ndeux", color="red", tags=["x"])
    b = annotate_quote(store, aid, "en", "General Assembly", model_id="test:fr-en:1")
    before = sorted(store.annotations(article_id=aid), key=lambda x: x.id)
    path = _export(store, tmp_path / "a.jsonld", aid)
    for x in (a, b):
        store.delete_annotation(x.id)
    report = import_annotations(store, path)
    assert (report.added, report.updated, report.unchanged, report.reanchored) == (2, 0, 0, 0)
    assert sorted(store.annotations(article_id=aid), key=lambda x: x.id) == before
    assert import_annotations(store, path).unchanged == 2


def test_newer_library_copy_is_kept_older_one_is_updated(store, aid, tmp_path):  # noqa: F811
    a = annotate_quote(store, aid, "fr", "Lavrov", note="ancienne")
    path = _export(store, tmp_path / "a.jsonld", aid)
    store.update_annotation(replace(a, note="plus récente", modified="2999-01-01T00:00:00Z"))
    report = import_annotations(store, path)
    assert report.kept == 1 and store.get_annotation(a.id).note == "plus récente"
    store.update_annotation(replace(a, note="plus ancienne", modified="2000-01-01T00:00:00Z"))
    assert import_annotations(store, path).updated == 1
    assert store.get_annotation(a.id).note == "ancienne"


def test_changed_text_is_reanchored_not_dropped(store, aid, tmp_path):  # noqa: F811
    a = annotate_quote(store, aid, "fr", "anniversaire")
    moved = replace(a, start=a.start + 5, end=a.end + 5)  # the file's offsets no longer fit the text
    path = tmp_path / "m.jsonld"
    path.write_text(json.dumps(to_w3c(moved)), encoding="utf-8")
    store.delete_annotation(a.id)
    report = import_annotations(store, path)
    assert report.added == 1 and report.reanchored == 1
    got = store.get_annotation(a.id)
    assert (got.start, got.end, got.exact) == (a.start, a.end, "anniversaire")


def test_unknown_articles_refuse_the_file(store, aid, tmp_path):  # noqa: F811
    a = annotate_quote(store, aid, "fr", "Lavrov")
    path = tmp_path / "x.jsonld"
    path.write_text(json.dumps(collection_to_w3c([replace(a, article_id=999)])), encoding="utf-8")
    store.delete_annotation(a.id)
    with pytest.raises(UnknownArticlesError, match="#999"):
        import_annotations(store, path)
    assert store.annotations() == []
    other = store.add_article(make_article(FR, title="Copie"))
    assert import_annotations(store, path, article_id=other).added == 1
    assert store.get_annotation(a.id).article_id == other


@pytest.mark.parametrize("content,needle", [
    (b"\xff\xfe\x00garbage", "not a JSON-LD"),
    (b"[1, 2]", "not a W3C annotation file"),
    (b'{"type": "AnnotationCollection", "first": {"items": [{"type": "Annotation"}]}}', "not a W3C"),
])
def test_bad_files_are_one_sentence(tmp_path, content, needle):
    path = tmp_path / "bad.jsonld"
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=needle):
        read_annotation_file(path)
