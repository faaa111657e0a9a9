"""Glossary files other tools open: TBX-Basic v3 and v2 structure, CSV formula injection, semicolon CSV,
file modes. (Issue #12, item 12.)"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from xml.etree import ElementTree as ET

import pytest

from reader.core.glossary import GlossaryEntry
from reader.export.glossary_formats import (
    export_glossary,
    glossary_from_csv,
    glossary_from_tbx,
    glossary_to_csv,
    glossary_to_tbx,
    glossary_to_tbx2,
    import_glossary,
    neutralise_cell,
    restore_cell,
)

TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # xsd:date without a time zone


def entries() -> list[GlossaryEntry]:
    return [
        GlossaryEntry("délégation", "delegation", note="Au sens diplomatique.\n\nVoir aussi « mission ».",
                      tags=["ONU", "diplomatie"], created="2025-09-25T10:00:00Z", modified="2025-09-26T11:30:00Z",
                      id=1),
        GlossaryEntry("=HYPERLINK(\"http://x\")", "+formula", note="-1", tags=["@tag"],
                      created="2025-09-25T10:00:00Z", modified="2025-09-25T10:00:00Z", id=2),
        GlossaryEntry("ONU", "", created="2025-09-25T10:00:00Z", modified="2025-09-25T10:00:00Z", id="x y"),
    ]


def fields(e: GlossaryEntry):
    return (e.term, e.translation, e.note, e.tags, e.created, e.modified)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# -- TBX v3 --------------------------------------------------------------------------------------------


def test_tbx_dates_are_xsd_dates_and_the_time_survives():
    """TBX-Basic's grammar (TBXcoreStructV03_TBX-Basic_integrated.rng, ``date.content`` = ``xsd:date``)
    refuses a date-time in ``<date>``; the exact time rides in a ``note`` of the transaction group."""
    data = glossary_to_tbx(entries())
    root = ET.fromstring(data)
    dates = [d.text for d in root.iter(f"{TBX}date")]
    assert dates and all(DATE.match(d) for d in dates), dates
    assert [fields(e) for e in glossary_from_tbx(data)] == [fields(e) for e in entries()]


def test_tbx_v3_follows_tbx_basic_dca_rule_by_rule():
    """Checked rule by rule against TBX-Basic (LTAC-Global/TBX-Basic_dialect, DCA): the RelaxNG grammar
    ``TBXcoreStructV03_TBX-Basic_integrated.rng`` and the Schematron ``TBX-Basic_DCA.sch``. The schema
    files are not shipped with the project; the same output was validated with lxml's RelaxNG against the
    integrated grammar while writing this (valid), and these assertions encode what it checks for us."""
    root = ET.fromstring(glossary_to_tbx(entries()))
    # tbx: type TBX-Basic, style dca, xml:lang; children tbxHeader then text.
    assert root.tag == f"{TBX}tbx" and root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    assert root.get(XML_LANG) == "fr"
    assert [_local(c.tag) for c in root] == ["tbxHeader", "text"]
    # fileDesc: titleStmt? publicationStmt? sourceDesc+ (in that order).
    file_desc = root.find(f"{TBX}tbxHeader/{TBX}fileDesc")
    assert [_local(c.tag) for c in file_desc] == ["titleStmt", "sourceDesc"]
    # Every element is in the TBX namespace (DCA: no DCT elements).
    assert all(el.tag.startswith(TBX) for el in root.iter())
    ids = []
    for concept in root.iter(f"{TBX}conceptEntry"):
        ids.append(concept.get("id"))
        kids = [_local(c.tag) for c in concept]
        # conceptEntry: auxInfo (descrip, transacGrp, note…) then langSec+.
        first_lang = kids.index("langSec")
        assert set(kids[:first_lang]) <= {"descrip", "descripGrp", "admin", "adminGrp", "transacGrp", "note",
                                          "ref", "xref"}
        assert set(kids[first_lang:]) == {"langSec"}
        for d in concept.findall(f"{TBX}descrip"):
            assert d.get("type") in ("subjectField", "definition")  # subjectField only at concept level
        for grp in concept.findall(f"{TBX}transacGrp"):
            parts = [_local(c.tag) for c in grp]
            assert parts[0] == "transac" and set(parts[1:]) <= {"transacNote", "date", "note", "ref", "xref"}
            transac = grp.find(f"{TBX}transac")
            assert transac.get("type") == "transactionType" and transac.text in ("origination", "modification")
            assert DATE.match(grp.find(f"{TBX}date").text)
        for lang in concept.findall(f"{TBX}langSec"):
            assert lang.get(XML_LANG) in ("fr", "en")
            for sec in lang.findall(f"{TBX}termSec"):
                assert _local(sec[0].tag) == "term" and sec[0].text
    # id: unique xsd:ID (an NCName).
    assert len(set(ids)) == len(ids) and all(re.match(r"^[A-Za-z_][\w.-]*$", i) for i in ids)


def test_tbx_validates_against_the_tbx_basic_grammar_when_available():
    """With ``VISAVIS_TBX_BASIC_RNG`` pointing at TBXcoreStructV03_TBX-Basic_integrated.rng (from
    LTAC-Global/TBX-Basic_dialect), the export is validated by lxml's RelaxNG."""
    path = os.environ.get("VISAVIS_TBX_BASIC_RNG")
    if not path:
        pytest.skip("VISAVIS_TBX_BASIC_RNG is not set (the schema is not shipped)")
    from lxml import etree

    rng = etree.RelaxNG(etree.parse(path))
    doc = etree.fromstring(glossary_to_tbx(entries()))
    assert rng.validate(doc), rng.error_log


# -- TBX v2 --------------------------------------------------------------------------------------------


def test_tbx2_is_martif_termentry_and_round_trips():
    """TBX-Basic v2 (ISO 30042:2008). No machine-readable TBX-Basic v2 schema could be found, so the
    structure of TBXBasiccoreStructV02 is tested rule by rule: ``martif type="TBX-Basic-V1"`` with
    ``xml:lang``; ``martifHeader/fileDesc`` (``titleStmt``, ``sourceDesc``) and ``encodingDesc/p
    type="XCSURI"``; ``text/body/termEntry`` with a unique ``id``; in a termEntry the auxiliary
    information first, then ``langSet``s; each ``langSet`` has ``xml:lang`` and ``tig``s starting with a
    ``term``; ``transacGrp`` = ``transac`` then ``date`` (YYYY-MM-DD); no namespace anywhere."""
    data = glossary_to_tbx2(entries())
    assert b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">' in data
    root = ET.fromstring(data)
    assert root.tag == "martif" and root.get("type") == "TBX-Basic-V1" and root.get(XML_LANG) == "fr"
    assert all("}" not in el.tag for el in root.iter())
    assert [c.tag for c in root] == ["martifHeader", "text"]
    assert [c.tag for c in root.find("martifHeader")] == ["fileDesc", "encodingDesc"]
    assert root.find("martifHeader/encodingDesc/p").get("type") == "XCSURI"
    terms = root.findall("text/body/termEntry")
    assert len(terms) == 3 and len({t.get("id") for t in terms}) == 3
    for entry in terms:
        kids = [c.tag for c in entry]
        first = kids.index("langSet")
        assert set(kids[:first]) <= {"descrip", "transacGrp", "note"} and set(kids[first:]) == {"langSet"}
        for grp in entry.findall("transacGrp"):
            assert grp[0].tag == "transac" and DATE.match(grp.find("date").text)
        for ls in entry.findall("langSet"):
            assert ls.get(XML_LANG) in ("fr", "en")
            assert all(tig[0].tag == "term" for tig in ls.findall("tig"))
    assert [fields(e) for e in glossary_from_tbx(data)] == [fields(e) for e in entries()]


def test_tbx2_is_a_format_of_export_glossary(tmp_path):
    path = export_glossary(entries(), tmp_path / "g.tbx", fmt="tbx2")
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif')
    assert [e.term for e in import_glossary(path)] == [e.term for e in entries()]


# -- CSV -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "''+y"])
def test_csv_formula_cells_are_neutralised(text):
    data = glossary_to_csv([GlossaryEntry(text.strip() or "t", text, note=text, tags=[text])])
    body = data.decode("utf-8-sig").split("\r\n", 1)[1]
    # The translation and note cells start with a quote (after the CSV quoting, if any).
    row = next(csv.reader(io.StringIO(body, newline="")))
    assert row[1].startswith("'") and row[2].startswith("'"), (text, row)
    assert neutralise_cell(text).startswith("'") and restore_cell(neutralise_cell(text)) == text


@pytest.mark.parametrize("text", ["", "a", "'quoted'", "l'État", "x=1", "a-b", "'"])
def test_csv_harmless_cells_are_written_as_they_are(text):
    assert neutralise_cell(text) == text and restore_cell(text) == text


def test_csv_round_trip_with_formula_like_cells_is_lossless():
    es = entries()
    back = glossary_from_csv(glossary_to_csv(es))
    assert [(e.term, e.translation, e.note, e.tags) for e in back] == [
        (e.term, e.translation, e.note, e.tags) for e in es
    ]


def test_semicolon_csv_from_french_excel_is_imported():
    data = "term;translation;note;tags\r\nÉtat;State;\"un « pays », souvent\";politique\r\n"
    got = glossary_from_csv(data.encode("cp1252"))
    assert [(e.term, e.translation, e.note, e.tags) for e in got] == [
        ("État", "State", "un « pays », souvent", ["politique"])
    ]


def test_cp1252_is_told_from_mac_roman():
    text = "term;translation;note\r\nÉtat;State;« l'État », c'est à côté\r\nlycée;high school;\r\n"
    assert glossary_from_csv(text.encode("cp1252"))[0].note == "« l'État », c'est à côté"
    assert glossary_from_csv(text.encode("mac_roman"))[0].note == "« l'État », c'est à côté"


def test_tab_separated_csv_is_imported():
    got = glossary_from_csv("translation\tterm\nState\tÉtat\n")
    assert [(e.term, e.translation) for e in got] == [("État", "State")]


def test_comma_csv_with_semicolons_inside_is_still_comma():
    got = glossary_from_csv('term,translation,note\nÉtat,State,"a; b; c"\n')
    assert [(e.term, e.note) for e in got] == [("État", "a; b; c")]


# -- files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,name", [("csv", "g.csv"), ("tbx", "g.tbx"), ("tbx2", "g2.tbx"), ("apkg", "g.apkg")])
def test_glossary_files_get_the_usual_mode(tmp_path, fmt, name):
    old = os.umask(0o022)
    try:
        path = export_glossary(entries(), tmp_path / name, fmt=fmt)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temp file left


def test_glossary_files_respect_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        path = export_glossary(entries(), tmp_path / "g.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
