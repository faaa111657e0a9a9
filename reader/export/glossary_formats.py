"""Glossary import and export: CSV, TBX-Basic (ISO 30042:2019, TBX v3) and Anki decks.

Every importer parses the whole input before returning anything, and raises ``ValueError`` with a
sentence for the user on a bad file: a glossary is imported completely or not at all. Importers return
new :class:`GlossaryEntry` objects; feed them to :func:`merge_entries` to avoid duplicates.

CSV
    UTF-8 **with** a byte order mark (so Excel, the usual editor of such files, shows « é » right; every
    other tool ignores it), header ``term,translation,note,tags``, tags separated by ``;``, RFC 4180
    quoting (notes may span lines), CRLF line ends. Import accepts UTF-8 with or without BOM, UTF-16 with
    BOM, and otherwise detects the encoding with charset-normalizer among those a French CSV really comes
    in (cp1252, Mac Roman). The header may list the columns in any order; ``term`` and ``translation``
    are required, ``note`` and ``tags`` optional, anything else is refused (not silently dropped).
    Cells are written as they are (no ``'`` prefix against spreadsheet formulas: that would change the
    data on re-import).

TBX
    TBX-Basic, DCA style, TBX v3 namespace ``urn:iso:std:iso:30042:ed-2``: one ``conceptEntry`` per entry
    with ``langSec xml:lang="fr"`` / ``"en"`` each holding a ``termSec/term``; the note is a ``note`` of
    the concept, each tag a ``descrip type="subjectField"``, created/modified are ``transacGrp``
    (origination / modification). Import reads v3 and also the older v2 layout (``martif``,
    ``termEntry``/``langSet``/``tig``), several French terms in one concept giving one entry each. XML is
    parsed with defusedxml: TBX files come from other people and other tools, and defusedxml refuses
    entity-expansion bombs and external entities instead of trusting the file.

Anki
    An ``.apkg`` written by genanki: front = the French term and, when given, the sentence it was found in
    (the term in bold); back = the English rendering and the note. Model and deck ids are derived from
    fixed names, and each note's GUID from the term's lemma key, so importing a re-export into Anki
    updates the cards instead of duplicating them.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

import charset_normalizer
import genanki
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring

from reader.core.annotations import now_iso
from reader.core.glossary import (
    GlossaryEntry,
    GlossaryMatcher,
    merge_entries,
    non_overlapping,
    normalise_term,
)

__all__ = [
    "CSV_HEADER",
    "glossary_to_csv",
    "glossary_from_csv",
    "glossary_to_tbx",
    "glossary_from_tbx",
    "write_anki",
    "export_glossary",
    "import_glossary",
    "merge_entries",
]

CSV_HEADER = ("term", "translation", "note", "tags")
TAG_SEPARATOR = ";"

# -- CSV ----------------------------------------------------------------------------------------------


def glossary_to_csv(entries: Iterable[GlossaryEntry]) -> bytes:
    """The entries as CSV bytes (UTF-8 with BOM, header ``term,translation,note,tags``)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for e in entries:
        writer.writerow([e.term, e.translation, e.note, TAG_SEPARATOR.join(e.tags)])
    return buf.getvalue().encode("utf-8-sig")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp1252", "mac_roman"]).best()
    if best is None:
        raise ValueError("The file's text encoding could not be recognised; save it as UTF-8 and retry.")
    return str(best)


def glossary_from_csv(data: bytes | str) -> list[GlossaryEntry]:
    """Entries from CSV (see the module doc). Raises ValueError for a wrong header or a bad row."""
    text = data if isinstance(data, str) else _decode(data)
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise ValueError("This is not a CSV text file.")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValueError(f"The CSV file is empty; it needs the header row: {','.join(CSV_HEADER)}")
    header = [c.strip().lower() for c in rows[0]]
    unknown = [c for c in header if c not in CSV_HEADER]
    if unknown or "term" not in header or "translation" not in header or len(set(header)) != len(header):
        raise ValueError(
            f"Unexpected CSV columns ({', '.join(rows[0]) or 'none'}): the first row must be the header "
            f"{','.join(CSV_HEADER)} (note and tags may be left out)."
        )
    col = {name: i for i, name in enumerate(header)}
    stamp = now_iso()
    out: list[GlossaryEntry] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise ValueError(f"Line {line} of the CSV has {len(row)} cells, the header has {len(header)}.")
        row = row + [""] * (len(header) - len(row))
        term = row[col["term"]].strip()
        if not term:
            raise ValueError(f"Line {line} of the CSV has no term.")
        tags = row[col["tags"]].split(TAG_SEPARATOR) if "tags" in col else []
        out.append(
            GlossaryEntry(
                term=term,
                translation=row[col["translation"]].strip(),
                note=row[col["note"]] if "note" in col else "",
                tags=tags,
                created=stamp,
                modified=stamp,
            )
        )
    return out


# -- TBX ----------------------------------------------------------------------------------------------

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _concept_id(entry: GlossaryEntry, index: int) -> str:
    raw = str(entry.id)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in raw)
    return f"c-{safe}" if safe else f"c{index}"


def glossary_to_tbx(entries: Iterable[GlossaryEntry], *, title: str = "Vis-à-vis glossary") -> bytes:
    """The entries as a TBX-Basic (TBX v3, DCA style) document, UTF-8."""
    ET.register_namespace("", TBX_NS)
    q = lambda tag: f"{{{TBX_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: "fr"})
    header = _sub(root, q("tbxHeader"))
    file_desc = _sub(header, q("fileDesc"))
    _sub(_sub(file_desc, q("titleStmt")), q("title"), title)
    _sub(_sub(file_desc, q("sourceDesc")), q("p"), "Exported by Vis-à-vis")
    body = _sub(_sub(root, q("text")), q("body"))
    for i, e in enumerate(entries):
        concept = _sub(body, q("conceptEntry"), id=_concept_id(e, i))
        for tag in e.tags:
            _sub(concept, q("descrip"), tag, type="subjectField")
        for kind, stamp in (("origination", e.created), ("modification", e.modified)):
            grp = _sub(concept, q("transacGrp"))
            _sub(grp, q("transac"), kind, type="transactionType")
            _sub(grp, q("date"), stamp)
        if e.note:
            _sub(concept, q("note"), e.note)
        fr = _sub(concept, q("langSec"), **{XML_LANG: "fr"})
        _sub(_sub(fr, q("termSec")), q("term"), e.term)
        if e.translation:
            en = _sub(concept, q("langSec"), **{XML_LANG: "en"})
            _sub(_sub(en, q("termSec")), q("term"), e.translation)
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
        b'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
        b'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        + ET.tostring(root, encoding="unicode").encode("utf-8")
        + b"\n"
    )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, *names: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) in names]


def _text(el: ET.Element) -> str:
    return "".join(el.itertext())


def _terms(lang_el: ET.Element) -> list[str]:
    out = []
    for el in lang_el.iter():
        if _local(el.tag) == "term":
            t = _text(el).strip()
            if t:
                out.append(t)
    return out


def _notes(el: ET.Element) -> list[str]:
    return [_text(n) for n in _children(el, "note") if _text(n).strip()]


def glossary_from_tbx(data: bytes | str) -> list[GlossaryEntry]:
    """Entries from a TBX file (v3 ``conceptEntry`` or v2 ``termEntry``). Raises ValueError for a
    file that is not XML, not TBX, or uses forbidden XML features (entities, DTD tricks)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = safe_fromstring(raw, forbid_dtd=False)
    except (ParseError, ET.ParseError) as exc:
        raise ValueError(f"This is not a TBX file: it is not valid XML ({exc}).") from None
    except DefusedXmlException as exc:
        raise ValueError(f"This TBX file uses XML entities, which are refused for safety ({exc}).") from None
    if _local(root.tag) not in ("tbx", "martif"):
        raise ValueError(f"This XML file is not TBX (its root element is <{_local(root.tag)}>).")
    stamp = now_iso()
    out: list[GlossaryEntry] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("conceptEntry", "termEntry"):
            continue
        fr_terms: list[str] = []
        en_terms: list[str] = []
        notes = _notes(concept)
        for lang_el in _children(concept, "langSec", "langSet"):
            lang = (lang_el.get(XML_LANG) or lang_el.get("lang") or "").lower()
            terms = _terms(lang_el)
            if lang.startswith("fr"):
                fr_terms += terms
            elif lang.startswith("en"):
                en_terms += terms
            for sec in lang_el.iter():
                if _local(sec.tag) in ("langSec", "langSet", "termSec", "tig", "ntig"):
                    notes += _notes(sec)
        tags = [
            _text(d).strip()
            for d in _children(concept, "descrip", "descripGrp")
            if _local(d.tag) == "descrip" and d.get("type") == "subjectField"
        ]
        created = modified = None
        for grp in _children(concept, "transacGrp"):
            kinds = [_text(t).strip() for t in _children(grp, "transac")]
            dates = [_text(d).strip() for d in _children(grp, "date")]
            if not dates:
                continue
            if "origination" in kinds:
                created = dates[0]
            elif "modification" in kinds:
                modified = dates[0]
        for term in fr_terms:
            out.append(
                GlossaryEntry(
                    term=term,
                    translation="; ".join(en_terms),
                    note="\n\n".join(notes),
                    tags=tags,
                    created=created or stamp,
                    modified=modified or created or stamp,
                )
            )
    return out


# -- Anki ---------------------------------------------------------------------------------------------


def _stable_id(name: str) -> int:
    """A deterministic Anki id (2**30 .. 2**31-1) from a name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


ANKI_MODEL_ID = _stable_id("visavis.glossary.model.v1")
_ANKI_CSS = """
.card { font-family: sans-serif; font-size: 22px; text-align: center; }
.context { font-size: 16px; color: #555; margin-top: 12px; }
.note { font-size: 15px; color: #333; margin-top: 12px; text-align: left; white-space: pre-wrap; }
"""
ANKI_MODEL = genanki.Model(
    ANKI_MODEL_ID,
    "Vis-à-vis glossary (French → English)",
    fields=[{"name": "Term"}, {"name": "Context"}, {"name": "Translation"}, {"name": "Note"}],
    templates=[
        {
            "name": "French → English",
            "qfmt": '<div class="term">{{Term}}</div>{{#Context}}<div class="context">{{Context}}</div>{{/Context}}',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="translation">{{Translation}}</div>'
            '{{#Note}}<div class="note">{{Note}}</div>{{/Note}}',
        }
    ],
    css=_ANKI_CSS,
)


def _html(text: str) -> str:
    """Plain text as Anki field HTML: escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _context_html(entry: GlossaryEntry, sentence: str) -> str:
    matches = non_overlapping(GlossaryMatcher([entry]).find(sentence))
    out, pos = [], 0
    for m in matches:
        out += [_html(sentence[pos : m.start]), "<b>", _html(sentence[m.start : m.end]), "</b>"]
        pos = m.end
    out.append(_html(sentence[pos:]))
    return "".join(out)


def anki_guid(entry: GlossaryEntry) -> str:
    return genanki.guid_for("visavis", normalise_term(entry.term) or entry.term)


def write_anki(
    entries: Iterable[GlossaryEntry],
    path: str | Path,
    *,
    contexts: Mapping[str | int, str] | None = None,
    deck_name: str = "Vis-à-vis glossary",
) -> Path:
    """Write an Anki ``.apkg`` deck of the entries; ``contexts[entry.id]`` is a sentence shown on the
    front. Returns the path written."""
    contexts = contexts or {}
    deck = genanki.Deck(_stable_id(f"visavis.deck:{deck_name}"), deck_name)
    seen: set[str] = set()
    for e in entries:
        guid = anki_guid(e)
        if guid in seen:  # two entries for one lemma key would be one Anki note anyway
            continue
        seen.add(guid)
        context = contexts.get(e.id, "")
        deck.add_note(
            genanki.Note(
                model=ANKI_MODEL,
                fields=[
                    _html(e.term),
                    _context_html(e, context) if context else "",
                    _html(e.translation),
                    _html(e.note),
                ],
                guid=guid,
                tags=["_".join(t.split()) for t in e.tags],
            )
        )
    path = Path(path)
    genanki.Package(deck).write_to_file(str(path))
    return path


# -- by file name -------------------------------------------------------------------------------------


def export_glossary(
    entries: Iterable[GlossaryEntry],
    path: str | Path,
    *,
    contexts: Mapping[str | int, str] | None = None,
) -> Path:
    """Write the glossary to *path* in the format its suffix names (.csv, .tbx, .apkg)."""
    path = Path(path)
    suffix = path.suffix.lower()
    entries = list(entries)
    if suffix == ".csv":
        path.write_bytes(glossary_to_csv(entries))
    elif suffix in (".tbx", ".xml"):
        path.write_bytes(glossary_to_tbx(entries))
    elif suffix == ".apkg":
        write_anki(entries, path, contexts=contexts)
    else:
        raise ValueError(f"Unknown glossary format {suffix or '(none)'}: use .csv, .tbx or .apkg.")
    return path


def import_glossary(path: str | Path) -> list[GlossaryEntry]:
    """Read a .csv or .tbx glossary file (everything or nothing; ValueError on a bad file)."""
    path = Path(path)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return glossary_from_csv(data)
    if suffix in (".tbx", ".xml"):
        return glossary_from_tbx(data)
    raise ValueError(f"Cannot import a glossary from {suffix or 'a file without suffix'}: use .csv or .tbx.")
