"""Glossary import/export: CSV, TBX-Basic, Anki; all-or-nothing imports; no duplicates on re-import."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from reader.core.glossary import GlossaryEntry, merge_entries
from reader.export.glossary_formats import (
    ANKI_MODEL_ID,
    CSV_HEADER,
    anki_guid,
    export_glossary,
    glossary_from_csv,
    glossary_from_tbx,
    glossary_to_csv,
    glossary_to_tbx,
    import_glossary,
    write_anki,
)

HTML_NOTE = "<b>gras</b> & <script>alert('x')</script> &amp; &lt;\nligne 2"


def entries() -> list[GlossaryEntry]:
    return [
        GlossaryEntry("délégation", "delegation", note="Au sens diplomatique.\n\nVoir aussi « mission ».",
                      tags=["ONU", "diplomatie"], created="2025-09-25T10:00:00Z", modified="2025-09-26T11:30:00Z"),
        GlossaryEntry("Assemblée générale", "General Assembly", created="2025-09-25T10:00:00Z",
                      modified="2025-09-25T10:00:00Z"),
        GlossaryEntry("<b>secrétaire d'État</b>", "Secretary of <i>State</i>", note=HTML_NOTE, tags=["<tag>"],
                      created="2025-09-25T10:00:00Z", modified="2025-09-25T10:00:00Z"),
        GlossaryEntry("porte-parole", "spokesperson, \"spokeswoman\"", note="virgule, guillemet \" et ; point-virgule",
                      created="2025-09-25T10:00:00Z", modified="2025-09-25T10:00:00Z"),
    ]


def fields(e: GlossaryEntry):
    return (e.term, e.translation, e.note, e.tags)


# -- CSV ------------------------------------------------------------------------------------------------

def test_csv_round_trip_is_literal():
    data = glossary_to_csv(entries())
    assert data.startswith(b"\xef\xbb\xbfterm,translation,note,tags\r\n")
    back = glossary_from_csv(data)
    assert [fields(e) for e in back] == [fields(e) for e in entries()]
    assert back[2].note == HTML_NOTE and back[2].term == "<b>secrétaire d'État</b>"


def test_csv_accepts_utf8_without_bom_and_cp1252():
    text = "term,translation,note,tags\r\ndélégation,delegation,Très utilisé à l’ONU « ici »,diplomatie;ONU\r\nÉtat,State,,\r\n"
    for raw in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("cp1252"), text.encode("utf-16")):
        got = glossary_from_csv(raw)
        assert [(e.term, e.note, e.tags) for e in got] == [
            ("délégation", "Très utilisé à l’ONU « ici »", ["diplomatie", "ONU"]),
            ("État", "", []),
        ]


def test_csv_columns_in_any_order_and_optional_ones():
    got = glossary_from_csv("Translation,Term\nState,État\n")
    assert [(e.term, e.translation, e.note, e.tags) for e in got] == [("État", "State", "", [])]


@pytest.mark.parametrize(
    "text",
    [
        "mot,traduction\nÉtat,State\n",  # French header
        "term,translation,comment\nÉtat,State,x\n",  # unknown column
        "État,State,,\n",  # no header at all
        "",
    ],
)
def test_csv_wrong_columns_name_the_expected_header(text):
    with pytest.raises(ValueError) as err:
        glossary_from_csv(text.encode("utf-8"))
    assert ",".join(CSV_HEADER) in str(err.value)


def test_csv_bad_row_imports_nothing():
    text = "term,translation\nÉtat,State\n,orphan translation\nONU,UN\n"
    with pytest.raises(ValueError, match="Line 3"):
        glossary_from_csv(text)
    with pytest.raises(ValueError, match="Line 2"):
        glossary_from_csv("term,translation\nÉtat,State,extra,cells\n")


# -- TBX ------------------------------------------------------------------------------------------------

def test_tbx_round_trip_and_shape():
    data = glossary_to_tbx(entries())
    text = data.decode("utf-8")
    assert 'xmlns="urn:iso:std:iso:30042:ed-2"' in text and 'type="TBX-Basic"' in text
    assert "<conceptEntry" in text and 'xml:lang="fr"' in text and "<termSec>" in text
    assert "&lt;script&gt;" in text  # escaped in XML, so...
    back = glossary_from_tbx(data)
    assert [fields(e) for e in back] == [fields(e) for e in entries()]  # ...literal after reading
    assert [(e.created, e.modified) for e in back] == [(e.created, e.modified) for e in entries()]


def test_tbx_reads_v2_martif():
    v2 = """<?xml version="1.0"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="e1">
    <descrip type="subjectField">diplomatie</descrip>
    <langSet xml:lang="fr-FR"><tig><term>porte-parole</term></tig><ntig><termGrp><term>porte-parolat</term></termGrp></ntig></langSet>
    <langSet xml:lang="en-GB"><tig><term>spokesperson</term><note>neutral</note></tig></langSet>
  </termEntry>
</body></text></martif>"""
    got = glossary_from_tbx(v2.encode())
    assert [(e.term, e.translation, e.note, e.tags) for e in got] == [
        ("porte-parole", "spokesperson", "neutral", ["diplomatie"]),
        ("porte-parolat", "spokesperson", "neutral", ["diplomatie"]),
    ]


@pytest.mark.parametrize(
    "data,match",
    [
        (b"term,translation\nEtat,State\n", "not valid XML"),
        (b"\x00\x01binary", "not valid XML"),
        (b"<html><body>hi</body></html>", "not TBX"),
        (b'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
         b"<tbx><text><body/></text></tbx>", "entities"),
    ],
)
def test_tbx_bad_input_is_refused_clearly(data, match):
    with pytest.raises(ValueError, match=match):
        glossary_from_tbx(data)


# -- files and re-import ---------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_reimport_creates_no_duplicates(tmp_path, suffix):
    path = export_glossary(entries(), tmp_path / f"glossaire{suffix}")
    first = import_glossary(path)
    to_add, to_update = merge_entries([], first)
    assert len(to_add) == 4 and to_update == []
    again = import_glossary(path)
    assert merge_entries(to_add, again) == ([], [])


def test_unknown_suffix(tmp_path):
    with pytest.raises(ValueError, match=".csv"):
        export_glossary(entries(), tmp_path / "g.docx")
    (tmp_path / "g.apkg").write_bytes(b"x")
    with pytest.raises(ValueError):
        import_glossary(tmp_path / "g.apkg")


# -- Anki -----------------------------------------------------------------------------------------------

def _notes(apkg: Path, tmp_path: Path):
    with zipfile.ZipFile(apkg) as z:
        z.extract("collection.anki2", tmp_path)
    con = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        rows = con.execute("select guid, mid, flds, tags from notes order by id").fetchall()
        decks = con.execute("select decks from col").fetchone()[0]
    finally:
        con.close()
    (tmp_path / "collection.anki2").unlink()
    return rows, decks


def test_anki_deck_fields_context_and_stable_ids(tmp_path):
    es = entries()
    contexts = {es[0].id: "Les délégations russe et américaine, respectivement dirigées par Sergueï Lavrov."}
    p1 = write_anki(es, tmp_path / "a.apkg", contexts=contexts)
    rows1, decks1 = _notes(p1, tmp_path)
    assert len(rows1) == 4
    guid, mid, flds, tags = rows1[0]
    term, context, translation, note = flds.split("\x1f")
    assert mid == ANKI_MODEL_ID
    assert term == "délégation" and translation == "delegation"
    assert context == "Les <b>délégations</b> russe et américaine, respectivement dirigées par Sergueï Lavrov."
    assert note == "Au sens diplomatique.<br><br>Voir aussi « mission »."
    assert set(tags.split()) == {"ONU", "diplomatie"}
    # HTML-looking text is shown literally on the card (escaped once for Anki's HTML fields)
    t3 = rows1[2][2].split("\x1f")
    assert t3[0] == "&lt;b&gt;secrétaire d'État&lt;/b&gt;"
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp;amp; &amp;lt;<br>ligne 2" in t3[3]
    # re-export (fresh entry objects, new ids, other order): same GUIDs, same deck id → Anki updates
    es2 = [GlossaryEntry(e.term.upper() if e.term == "délégation" else e.term, e.translation + " (rev.)")
           for e in reversed(entries())]
    p2 = write_anki(es2, tmp_path / "b.apkg")
    rows2, decks2 = _notes(p2, tmp_path)
    assert {r[0] for r in rows1} == {r[0] for r in rows2}
    assert set(json.loads(decks1)) == set(json.loads(decks2))
    assert anki_guid(es[0]) == anki_guid(GlossaryEntry("Délégations"))
