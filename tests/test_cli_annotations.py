"""End to end through `visavis annotate`, `visavis annotations` and `visavis glossary`.

The English side needs translations. No model is installed in the tests (the packages folder is an
empty temp folder), so the CLI reads the English side with the cached model that covers the article best
(``reader.ops.annotate.resolve_model_id``): the tests store fake translations under ``test:fr-en:1``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from test_cli import assert_one_clear_line, visavis

from reader.storage.store import Store

M = "test:fr-en:1"
TITLE = "Rencontre Lavrov-Blinken au G-20."


def english(p: int, s: int) -> str:
    return f"Sentence {p}.{s} in English."


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, int, int]:
    """The sample library, with fake English for one article: (db, translated id, untranslated id)."""
    db = tmp_path_factory.mktemp("lib") / "lib.db"
    proc = visavis("list", "--format", "json", db=db)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    translated = next(r["id"] for r in rows if r["title"] == TITLE)
    other = next(r["id"] for r in rows if r["title"] != TITLE)
    with Store(db) as s:
        s.store_translations(M, {text: english(p, i) for p, i, text in s.article_sentences(translated)})
    return db, translated, other


@pytest.fixture
def lib(library, tmp_path) -> tuple[Path, int, int]:
    """A private copy of the library for one test."""
    db, translated, other = library
    copy = tmp_path / "lib.db"
    shutil.copy(db, copy)
    return copy, translated, other


def ok(proc):
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# --- annotate and list ----------------------------------------------------------------------------


def test_annotate_both_sides_and_list_them(lib):
    db, aid, _ = lib
    fr_id = ok(visavis("annotate", str(aid), "--side", "fr", "--quote", "Blinken", "--occurrence", "2",
                       "--note", "<b>secrétaire</b> d’État <script>x</script>", "--color", "green",
                       "--tag", "personnes", "--tag", "USA", db=db)).strip()
    en_id = ok(visavis("annotate", str(aid), "--side", "en", "--quote", "Sentence 1.0 in English",
                       "--note", "traduction", db=db)).strip()
    assert fr_id.startswith("urn:uuid:") and en_id.startswith("urn:uuid:") and fr_id != en_id

    rows = json.loads(ok(visavis("annotations", str(aid), "--format", "json", db=db)))
    by_id = {r["id"]: r for r in rows}
    fr, en = by_id[fr_id], by_id[en_id]
    assert fr["exact"] == "Blinken" and fr["side"] == "fr" and fr["color"] == "green"
    assert fr["note"] == "<b>secrétaire</b> d’État <script>x</script>"  # stored literally
    assert fr["tags"] == ["personnes", "USA"] and fr["status"] == "anchored"
    assert en["exact"] == "Sentence 1.0 in English" and en["side"] == "en" and en["color"] == "yellow"
    with Store(db) as s:
        article = s.get_article(aid)
        text = "\n\n".join(p.text for p in article.paragraphs)
        assert text[fr["start"] : fr["end"]] == "Blinken"
        assert text[: fr["start"]].count("Blinken") == 1  # the second occurrence

    text = ok(visavis("annotations", db=db))
    assert "<b>secrétaire</b> d’État <script>x</script>" in text  # printed literally
    assert "“Blinken”" in text and "[personnes, USA]" in text and fr_id in text


def test_annotations_filters(lib):
    db, aid, other = lib
    a = ok(visavis("annotate", str(aid), "--side", "fr", "--quote", "Lavrov", "--note", "Sécurité européenne",
                   "--color", "red", "--tag", "Russie", db=db)).strip()
    b = ok(visavis("annotate", str(other), "--side", "fr", "--quote", "Lavrov", "--note", "autre", db=db)).strip()

    def listed(*args: str) -> set[str]:
        return {r["id"] for r in json.loads(ok(visavis("annotations", *args, "--format", "json", db=db)))}

    assert listed() == {a, b}
    assert listed(str(other)) == {b}
    assert listed("--search", "securite") == {a}  # accents ignored
    assert listed("--search", "lavrov") == {a, b}  # the quote
    assert listed("--color", "red") == {a}
    assert listed("--tag", "russie") == {a}
    assert listed("--status", "orphaned") == set()
    assert listed("--search", "introuvable") == set()


def test_annotations_as_w3c_collection(lib):
    db, aid, _ = lib
    ann = ok(visavis("annotate", str(aid), "--side", "fr", "--quote", "Lavrov", "--note", "n", "--tag", "t",
                     "--color", "blue", db=db)).strip()
    doc = json.loads(ok(visavis("annotations", str(aid), "--format", "w3c", db=db)))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 1
    assert doc["id"] == f"urn:visavis:article:{aid}:annotations"
    item = doc["first"]["items"][0]
    assert item["id"] == ann and item["type"] == "Annotation" and item["motivation"] == "commenting"
    assert item["target"]["source"]["id"] == f"urn:visavis:article:{aid}#fr"
    assert item["target"]["styleClass"] == "blue"
    kinds = {sel["type"]: sel for sel in item["target"]["selector"]}
    assert kinds["TextQuoteSelector"]["exact"] == "Lavrov"
    assert isinstance(kinds["TextPositionSelector"]["start"], int)
    assert {b["purpose"] for b in item["body"]} == {"commenting", "tagging"}
    from reader.core.annotations import collection_from_w3c

    back = collection_from_w3c(doc)
    assert back[0].id == ann and back[0].article_id == aid and back[0].tags == ["t"]


@pytest.mark.parametrize(
    "args,needles",
    [
        (["--side", "fr", "--quote", "Astérix"], ["“Astérix”", "does not occur on the French side of article"]),
        (["--side", "fr", "--quote", "Lavrov", "--occurrence", "99"], ["occurs only", "not 99"]),
        (["--side", "fr", "--quote", "   "], ["quote is empty"]),
        (["--side", "fr", "--quote", "Lavrov", "--color", "pink"], ["'pink'", "yellow, red, green, blue, purple"]),
        (["--side", "de", "--quote", "Lavrov"], ["unknown side 'de'"]),
        (["--side", "en", "--quote", "Lavrov"], ["does not occur on the English side"]),
    ],
)
def test_annotate_errors_are_one_clear_line(lib, args, needles):
    db, aid, _ = lib
    assert_one_clear_line(visavis("annotate", str(aid), *args, db=db), *needles)
    assert json.loads(ok(visavis("annotations", "--format", "json", db=db))) == []


def test_annotate_unknown_article_and_untranslated_english(lib):
    db, _, other = lib
    assert_one_clear_line(visavis("annotate", "999", "--side", "fr", "--quote", "x", db=db), "no article with id 999")
    assert_one_clear_line(
        visavis("annotate", str(other), "--side", "en", "--quote", "x", db=db), "no English translation yet"
    )


def test_annotations_errors_are_one_clear_line(lib):
    db, _, _ = lib
    assert_one_clear_line(visavis("annotations", "999", db=db), "no article with id 999")
    assert_one_clear_line(visavis("annotations", "--color", "mauve", db=db), "'mauve'", "yellow")
    assert_one_clear_line(visavis("annotations", "--status", "lost", db=db), "'lost'", "orphaned")


def test_english_side_follows_hand_edits(lib):
    db, aid, _ = lib
    with Store(db) as s:
        s.set_edited_translation(aid, 0, 0, "A hand-edited <i>title</i>.")
    ann = ok(visavis("annotate", str(aid), "--side", "en", "--quote", "hand-edited <i>title</i>", db=db)).strip()
    rows = json.loads(ok(visavis("annotations", str(aid), "--format", "json", db=db)))
    assert rows[0]["id"] == ann and rows[0]["exact"] == "hand-edited <i>title</i>"


# --- glossary ---------------------------------------------------------------------------------------


def glossary_json(db: Path) -> list[dict]:
    return json.loads(ok(visavis("glossary", "list", "--format", "json", db=db)))


def test_glossary_add_list_remove(lib):
    db, _, _ = lib
    gid = ok(visavis("glossary", "add", "délégation", "delegation", "--note", "<b>pas</b> « délégué »",
                     "--tag", "ONU", db=db)).strip()
    assert gid.isdigit()
    ok(visavis("glossary", "add", "Assemblée générale", "General Assembly", db=db))
    entries = glossary_json(db)
    assert [e["term"] for e in entries] == ["Assemblée générale", "délégation"]
    assert entries[1]["note"] == "<b>pas</b> « délégué »" and entries[1]["tags"] == ["ONU"]
    text = ok(visavis("glossary", "list", db=db))
    assert "délégation → delegation  [ONU]" in text and "<b>pas</b> « délégué »" in text
    assert [e["term"] for e in glossary_json_search(db, "delegation")] == ["délégation"]
    assert [e["term"] for e in glossary_json_search(db, "assembly")] == ["Assemblée générale"]
    out = ok(visavis("glossary", "remove", "Délégations", db=db))  # any inflection
    assert "délégation" in out
    assert [e["term"] for e in glossary_json(db)] == ["Assemblée générale"]


def glossary_json_search(db: Path, q: str) -> list[dict]:
    return json.loads(ok(visavis("glossary", "list", "--search", q, "--format", "json", db=db)))


def test_glossary_errors_are_one_clear_line(lib, tmp_path):
    db, _, _ = lib
    ok(visavis("glossary", "add", "sommet", "summit", db=db))
    assert_one_clear_line(visavis("glossary", "add", "Sommets", "summits", db=db), "already in the glossary")
    assert_one_clear_line(visavis("glossary", "add", " ", "x", db=db), "empty")
    assert_one_clear_line(visavis("glossary", "remove", "traité", db=db), "not in the glossary")
    assert_one_clear_line(visavis("glossary", "import", str(tmp_path / "nope.csv"), db=db), "no such file")
    assert_one_clear_line(visavis("glossary", "export", str(tmp_path / "g.docx"), db=db), "--format")
    assert_one_clear_line(visavis("glossary", "export", str(tmp_path / "no" / "g.csv"), db=db), "does not exist")
    assert [e["term"] for e in glossary_json(db)] == ["sommet"]


def test_glossary_export_import_round_trip(lib, tmp_path):
    db, aid, _ = lib
    ok(visavis("glossary", "add", "Blinken", "Blinken", "--note", "secrétaire d’État", "--tag", "personnes", db=db))
    ok(visavis("glossary", "add", "réunion", "meeting", db=db))
    csv_path, tbx_path, anki_path = tmp_path / "g.csv", tmp_path / "g.tbx", tmp_path / "g.apkg"
    assert "2 entries written" in ok(visavis("glossary", "export", str(csv_path), db=db))
    ok(visavis("glossary", "export", str(tbx_path), db=db))
    ok(visavis("glossary", "export", str(anki_path), db=db))
    forced = tmp_path / "glossary.txt"
    ok(visavis("glossary", "export", str(forced), "--format", "tbx", db=db))
    assert forced.read_bytes().startswith(b"<?xml")

    rows = list(csv.DictReader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert {r["term"] for r in rows} == {"Blinken", "réunion"}
    assert b"urn:iso:std:iso:30042:ed-2" in tbx_path.read_bytes()
    with zipfile.ZipFile(anki_path) as z:
        z.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    fields = [f for (f,) in conn.execute("SELECT flds FROM notes")]
    conn.close()
    blinken = next(f for f in fields if f.startswith("Blinken"))
    assert "<b>Blinken</b>" in blinken  # a context sentence from the library, the term in bold

    # Re-importing what was exported changes nothing.
    assert ok(visavis("glossary", "import", str(csv_path), db=db)).strip() == "0 added, 0 updated, 2 unchanged"
    assert ok(visavis("glossary", "import", str(tbx_path), db=db)).strip() == "0 added, 0 updated, 2 unchanged"

    # Into an empty glossary, then a merge with new and changed entries (no duplicates).
    fresh = tmp_path / "fresh.db"
    shutil.copy(db, fresh)
    with Store(fresh) as s:
        for e in s.glossary():
            s.delete_glossary_entry(e.id)
    assert ok(visavis("glossary", "import", str(tbx_path), db=fresh)).strip() == "2 added, 0 updated, 0 unchanged"
    merge = tmp_path / "merge.csv"
    merge.write_text(
        "term,translation,note\nréunions,,au sommet\nsommet,summit,\nSommet,,G20\n", encoding="utf-8"
    )
    assert ok(visavis("glossary", "import", str(merge), db=fresh)).strip() == "1 added, 1 updated, 0 unchanged"
    entries = {e["term"]: e for e in glossary_json(fresh)}
    assert set(entries) == {"Blinken", "réunion", "sommet"}
    assert entries["réunion"]["note"] == "au sommet" and entries["sommet"]["note"] == "G20"


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("wrong.csv", "mot,sens\nsommet,summit\n".encode(), "Unexpected CSV columns"),
        ("binary.csv", b"\x00\x01\x02\xff" * 50, "encoding"),
        ("broken.tbx", b"<tbx><text><body><conceptEntry>", "not valid XML"),
        ("notxml.tbx", "terme;traduction\n".encode(), "not valid XML"),
        ("other.tbx", b"<html><body/></html>", "not TBX"),
        ("deck.apkg", b"PK\x03\x04", ".apkg"),
    ],
)
def test_bad_glossary_files_are_one_clear_line_and_store_nothing(lib, tmp_path, name, content, needle):
    db, _, _ = lib
    path = tmp_path / name
    path.write_bytes(content)
    proc = visavis("glossary", "import", str(path), db=db)
    assert_one_clear_line(proc, needle, name)
    assert glossary_json(db) == []


def test_csv_with_a_bad_row_imports_nothing(lib, tmp_path):
    db, _, _ = lib
    path = tmp_path / "half.csv"
    path.write_text("term,translation\nsommet,summit\n,orphan translation\n", encoding="cp1252")
    assert_one_clear_line(visavis("glossary", "import", str(path), db=db), "Line 3", "Nothing was imported")
    assert glossary_json(db) == []
    path.write_bytes("term,translation\nsécurité,security\n".encode("cp1252"))  # legacy encoding is fine
    assert ok(visavis("glossary", "import", str(path), db=db)).strip() == "1 added, 0 updated, 0 unchanged"
    assert glossary_json(db)[0]["term"] == "sécurité"
