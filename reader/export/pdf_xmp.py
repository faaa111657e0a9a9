"""The PDF's XMP metadata packet, written to agree with its Info dictionary.

Qt writes an XMP packet with an empty ``dc:creator`` and no description whatever the Info dictionary
says; viewers and catalogues that read XMP first (Acrobat, Zotero, Calibre) then show no author. This
packet says the same as the Info dictionary: ``dc:title`` = /Title, ``dc:creator`` = the authors joined
by « ; » in /Author (none at all when /Author is absent), ``dc:description`` = /Subject, ``pdf:Keywords``
= /Keywords, ``dc:language`` = the languages of the text, and keeps Qt's dates, producer and document id.
"""

from __future__ import annotations

import re
import uuid
from xml.sax.saxutils import escape, quoteattr


def _attr(old: str, name: str) -> str | None:
    m = re.search(name + r'="([^"]*)"', old)
    return m.group(1) if m else None


def _alt(tag: str, value: str) -> str:
    return (f"<{tag}><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(value)}</rdf:li></rdf:Alt></{tag}>")


def _list(tag: str, kind: str, values: list[str]) -> str:
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"<{tag}><rdf:{kind}>{items}</rdf:{kind}></{tag}>"


def xmp_packet(info: dict[str, str], authors: list[str], languages: list[str], old: str = "") -> bytes:
    """The XMP packet for Info ``info`` (``/Title``, ``/Author``, ``/Subject``, ``/Keywords``,
    ``/Creator``), ``authors`` (what ``/Author`` joins) and ``languages``; dates, producer and
    document id are kept from Qt's packet ``old`` when it has them."""
    dc = []
    if info.get("/Title"):
        dc.append(_alt("dc:title", info["/Title"]))
    if authors:
        dc.append(_list("dc:creator", "Seq", authors))
    if info.get("/Subject"):
        dc.append(_alt("dc:description", info["/Subject"]))
    if languages:
        dc.append(_list("dc:language", "Bag", languages))
    keywords = [k.strip() for k in info.get("/Keywords", "").split(";") if k.strip()]
    if keywords:
        dc.append(_list("dc:subject", "Bag", keywords))
    attrs = {
        "pdf:Producer": _attr(old, "pdf:Producer") or "",
        "pdf:Keywords": info.get("/Keywords", ""),
        "xmp:CreatorTool": info.get("/Creator", ""),
        "xmp:CreateDate": _attr(old, "xmp:CreateDate") or "",
        "xmp:ModifyDate": _attr(old, "xmp:ModifyDate") or "",
        "xmp:MetadataDate": _attr(old, "xmp:MetadataDate") or "",
        "xmpMM:DocumentID": _attr(old, "xmpMM:DocumentID") or f"uuid:{uuid.uuid4()}",
    }
    props = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items() if v)
    body = (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        f'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" {props}>'
        + "".join(dc)
        + "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        + " " * 200  # padding, so a later editor can grow the packet in place
        + "\n<?xpacket end='w'?>"
    )
    return body.encode("utf-8")
