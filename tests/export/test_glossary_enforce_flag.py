"""The glossary's "enforce in the translation" flag in the exchange formats: a CSV column, a TBX-Basic
administrativeStatus on the English term, an Anki tag; round trips, and what an import may change."""

from __future__ import annotations

import sqlite3
import zipfile
from xml.etree import ElementTree as ET

import pytest

from reader.core.glossary import GlossaryEntry, merge_entries
from reader.export.glossary_formats import (
    ANKI_NOT_ENFORCED,
    glossary_from_csv,
    glossary_from_tbx,
    glossary_to_csv,
    glossary_to_tbx,
    glossary_to_tbx2,
    write_anki,
)

TBX = "{urn:iso:std:iso:30042:ed-2}"


def entries() -> list[GlossaryEntry]:
    return [
        GlossaryEntry("délégation", "delegation", id=1),
        GlossaryEntry("Lavrov", "Lavrov", note="un nom", id=2, enforce=False),
        GlossaryEntry("Assemblée générale", "General Assembly", tags=["ONU"], id=3),
    ]


def flags(es) -> list[tuple[str, bool]]:
    return [(e.term, e.enforce) for e in es]


def test_csv_carries_the_flag_in_an_enforce_column():
    data = glossary_to_csv(entries())
    assert data.startswith(b"\xef\xbb\xbfterm,translation,note,tags,enforce\r\n")
    assert b"Lavrov,Lavrov,un nom,,no\r\n" in data
    assert flags(glossary_from_csv(data)) == flags(entries())
    # every entry enforced (the default): the column is left out, the file is as before
    on = [e for e in entries() if e.enforce]
    assert glossary_to_csv(on).startswith(b"\xef\xbb\xbfterm,translation,note,tags\r\n")
    assert all(e.enforce for e in glossary_from_csv(glossary_to_csv(on)))


def test_csv_enforce_values_a_reader_may_type_and_a_bad_one():
    got = glossary_from_csv("term;translation;enforce\nÉtat;State;non\nONU;UN;\nOTAN;NATO;Oui\nG20;G20;0\n")
    assert flags(got) == [("État", False), ("ONU", True), ("OTAN", True), ("G20", False)]
    with pytest.raises(ValueError, match="Line 2 .*enforce must be yes or no"):
        glossary_from_csv("term,translation,enforce\nÉtat,State,maybe\n")


@pytest.mark.parametrize("write", [glossary_to_tbx, glossary_to_tbx2])
def test_tbx_carries_the_flag_as_the_english_terms_administrative_status(write):
    data = write(entries())
    root = ET.fromstring(data)
    notes = [n for n in root.iter() if n.tag.rsplit("}", 1)[-1] == "termNote"]
    # one, on the English term of the entry not enforced, from TBX-Basic's picklist, after its term
    assert [(n.get("type"), n.text) for n in notes] == [("administrativeStatus", "admittedTerm-admn-sts")]
    holder = next(el for el in root.iter() if notes[0] in list(el))
    assert [c.tag.rsplit("}", 1)[-1] for c in holder] == ["term", "termNote"] and holder[0].text == "Lavrov"
    assert flags(glossary_from_tbx(data)) == flags(entries())


def test_a_tbx_from_another_tool_a_preferred_rendering_is_enforced_a_deprecated_one_not():
    def concept(fr, en, status):
        return (f'<conceptEntry id="c{fr}"><langSec xml:lang="fr"><termSec><term>{fr}</term></termSec></langSec>'
                f'<langSec xml:lang="en"><termSec><term>{en}</term>'
                f'<termNote type="administrativeStatus">{status}</termNote></termSec></langSec></conceptEntry>')

    doc = (f'<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="fr"><tbxHeader>'
           f'<fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>'
           f'{concept("État", "State", "preferredTerm-admn-sts")}{concept("ONU", "UNO", "deprecatedTerm-admn-sts")}'
           f'</body></text></tbx>')
    assert flags(glossary_from_tbx(doc)) == [("État", True), ("ONU", False)]


def test_anki_cards_of_entries_not_enforced_are_tagged(tmp_path):
    path = write_anki(entries(), tmp_path / "g.apkg")
    with zipfile.ZipFile(path) as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    try:
        rows = conn.execute("SELECT flds, tags FROM notes").fetchall()
    finally:
        conn.close()
    tags = {flds.split("\x1f")[0]: tags.split() for flds, tags in rows}
    assert tags["Lavrov"] == [ANKI_NOT_ENFORCED]
    assert tags["délégation"] == [] and tags["Assemblée générale"] == ["ONU"]


def test_an_import_may_turn_enforcing_off_never_back_on():
    existing = [GlossaryEntry("délégation", "delegation", id=1), GlossaryEntry("Lavrov", "Lavrov", id=2, enforce=False)]
    incoming = [GlossaryEntry("délégation", "delegation", enforce=False), GlossaryEntry("Lavrov", "Lavrov"),
                GlossaryEntry("OTAN", "NATO", enforce=False)]
    to_add, to_update = merge_entries(existing, incoming)
    assert flags(to_add) == [("OTAN", False)]
    assert flags(to_update) == [("délégation", False)]  # « Lavrov » stays off: nothing to update
