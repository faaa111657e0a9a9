"""Glossaries as TBX, the terminology exchange standard (ISO 30042): write TBX-Basic in both editions, read both.

TBX v3 (ISO 30042:2019), :func:`glossary_to_tbx`
    TBX-Basic, DCA style, namespace ``urn:iso:std:iso:30042:ed-2``: one ``conceptEntry`` per entry with
    ``langSec xml:lang="fr"`` / ``"en"`` each holding a ``termSec/term``; the note is a ``note`` of the
    concept, each tag a ``descrip type="subjectField"``, an entry not enforced in the translation has
    ``termNote type="administrativeStatus"`` ``admittedTerm-admn-sts`` on its English term (the rendering is
    admitted, not the one to use everywhere), created/modified are ``transacGrp``
    (origination / modification). TBX-Basic's grammar (``TBXcoreStructV03_TBX-Basic_integrated.rng``)
    types ``date`` as ``xsd:date``: the ``date`` holds ``YYYY-MM-DD`` and the exact UTC time, which
    Vis-à-vis keeps, goes in a ``note`` of the same ``transacGrp`` (allowed there), read back on import.

TBX v2 (ISO 30042:2008, « TBX-Basic V1 »), :func:`glossary_to_tbx2`
    What most CAT tools (MultiTerm, memoQ, OmegaT, Wordfast…) still read: ``martif type="TBX-Basic-V1"``,
    no namespace, ``termEntry`` / ``langSet`` / ``tig`` / ``term``, the same ``descrip``, ``transacGrp``
    and ``note`` as above.

Import (:func:`glossary_from_tbx`) reads v3 and v2 (``termEntry``/``langSet``/``tig``/``ntig``), several
French terms in one concept giving one entry each. XML is parsed with defusedxml: TBX files come from
other people and other tools, and defusedxml refuses entity-expansion bombs and external entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring

from reader.core.annotations import now_iso
from reader.core.glossary import GlossaryEntry

__all__ = ["TBX_NS", "glossary_from_tbx", "glossary_to_tbx", "glossary_to_tbx2"]

TBX_NS = "urn:iso:std:iso:30042:ed-2"
#: The English term's ``administrativeStatus`` (a TBX-Basic picklist) of an entry whose rendering is not
#: enforced in the translation; read back, an admitted, deprecated or superseded English term is not
#: enforced, a preferred one (or one without a status) is.
NOT_ENFORCED = "admittedTerm-admn-sts"
_NOT_PREFERRED = frozenset({"admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PI_V3 = (
    b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    b'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    b'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    b'TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _concept_id(entry: GlossaryEntry, index: int) -> str:
    """An ``xml:id``-safe, unique id (an NCName: starts with a letter)."""
    raw = str(entry.id) if entry.id is not None else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in raw)
    return f"c-{safe}" if safe else f"c{index}"


def _date_only(stamp: str) -> str | None:
    m = _DATE.match(stamp or "")
    return m.group(0) if m else None


def _entry_body(concept: ET.Element, e: GlossaryEntry, q, lang_sec: str, term_sec: str) -> None:
    """What v2 and v3 share inside a concept: subject fields, transactions, note, the two languages."""
    for tag in e.tags:
        _sub(concept, q("descrip"), tag, type="subjectField")
    for kind, stamp in (("origination", e.created), ("modification", e.modified)):
        day = _date_only(stamp)
        if day is None:
            continue
        grp = _sub(concept, q("transacGrp"))
        _sub(grp, q("transac"), kind, type="transactionType")
        _sub(grp, q("date"), day)
        if stamp != day:
            _sub(grp, q("note"), stamp)  # the exact time (date-time), which <date> cannot hold
    if e.note:
        _sub(concept, q("note"), e.note)
    for lang, term in (("fr", e.term), ("en", e.translation)):
        if term:
            sec = _sub(_sub(concept, q(lang_sec), **{XML_LANG: lang}), q(term_sec))
            _sub(sec, q("term"), term)
            if lang == "en" and not e.enforce:  # a rendering admitted, not enforced in the translation
                _sub(sec, q("termNote"), NOT_ENFORCED, type="administrativeStatus")


def glossary_to_tbx(entries: Iterable[GlossaryEntry], *, title: str = "Vis-à-vis glossary") -> bytes:
    """The entries as a TBX-Basic (TBX v3, DCA style) document, UTF-8."""
    ET.register_namespace("", TBX_NS)
    q = lambda tag: f"{{{TBX_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: "fr"})
    file_desc = _sub(_sub(root, q("tbxHeader")), q("fileDesc"))
    _sub(_sub(file_desc, q("titleStmt")), q("title"), title)
    _sub(_sub(file_desc, q("sourceDesc")), q("p"), "Exported by Vis-à-vis")
    body = _sub(_sub(root, q("text")), q("body"))
    for i, e in enumerate(entries):
        _entry_body(_sub(body, q("conceptEntry"), id=_concept_id(e, i)), e, q, "langSec", "termSec")
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + _PI_V3
        + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
    )


def glossary_to_tbx2(entries: Iterable[GlossaryEntry], *, title: str = "Vis-à-vis glossary") -> bytes:
    """The entries as TBX-Basic v2 (``martif``, ISO 30042:2008), UTF-8: the edition most CAT tools read."""
    q = lambda tag: tag  # noqa: E731
    root = ET.Element("martif", {"type": "TBX-Basic-V1", XML_LANG: "fr"})
    header = _sub(root, "martifHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    _sub(_sub(file_desc, "sourceDesc"), "p", "Exported by Vis-à-vis")
    _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, "text"), "body")
    for i, e in enumerate(entries):
        _entry_body(_sub(body, "termEntry", id=_concept_id(e, i)), e, q, "langSet", "tig")
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
        + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
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


def _transaction_stamp(grp: ET.Element) -> str | None:
    """The ``date`` of a transaction group, or the exact date-time its ``note`` carries (ours) when that
    note is a date-time on the same day."""
    dates = [_text(d).strip() for d in _children(grp, "date")]
    if not dates:
        return None
    for note in _notes(grp):
        note = note.strip()
        if note.startswith(dates[0][:10]) and _DATE.match(note) and "T" in note:
            return note
    return dates[0]


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
        enforce = True
        notes = _notes(concept)
        for lang_el in _children(concept, "langSec", "langSet"):
            lang = (lang_el.get(XML_LANG) or lang_el.get("lang") or "").lower()
            terms = _terms(lang_el)
            if lang.startswith("fr"):
                fr_terms += terms
            elif lang.startswith("en"):
                en_terms += terms
                statuses = [_text(n).strip() for n in lang_el.iter() if _local(n.tag) == "termNote"
                            and n.get("type") == "administrativeStatus"]
                enforce = enforce and not (statuses and all(st in _NOT_PREFERRED for st in statuses))
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
            when = _transaction_stamp(grp)
            if when is None:
                continue
            if "origination" in kinds:
                created = when
            elif "modification" in kinds:
                modified = when
        for term in fr_terms:
            out.append(
                GlossaryEntry(
                    term=term,
                    translation="; ".join(en_terms),
                    note="\n\n".join(notes),
                    tags=tags,
                    created=created or stamp,
                    modified=modified or created or stamp,
                    enforce=enforce,
                )
            )
    return out
