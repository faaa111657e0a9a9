"""Post-processing of the Qt-written PDF with pypdf: real annotation objects, outline, metadata.

Each highlight becomes a ``/Subtype /Highlight`` annotation with everything PDF readers use (see
field-notes "PDF highlight annotations"): ``/QuadPoints`` (8 numbers per line: upper-left, upper-right,
lower-left, lower-right, as Zotero writes them), ``/Rect`` (their union), ``/C``, ``/CA``, ``/Contents``
(the note and its tags), ``/T``, ``/M``, ``/NM``, ``/F 4`` (print), an ``/AP`` appearance stream (one filled
rectangle per quad, blend mode Multiply through an ExtGState, so viewers that do not synthesise one, such
as older pdf.js, still show it) and a ``/Popup`` whose ``/Parent`` points back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from reader.export.pdf_text import fold_text_positions, mark_languages, repair_fonts
from reader.export.pdf_xmp import xmp_packet

HIGHLIGHT_OPACITY = 0.35


@dataclass
class HighlightSpec:
    page: int  # 0-based
    quads: list[tuple[float, float, float, float]]  # (left, bottom, right, top) in PDF points, y up
    color: tuple[float, float, float]
    contents: str
    author: str
    modified: str  # ISO 8601 or ""
    name: str  # /NM
    in_reply_to: str = ""  # /NM of the first part of a highlight split across pages (→ /IRT, /RT /Group)
    flattened: bool = False  # the colour is painted in the page: the appearance draws nothing


@dataclass
class LinkSpec:
    page: int
    rect: tuple[float, float, float, float]  # (left, bottom, right, top)
    target_page: int | None = None
    uri: str | None = None


@dataclass
class OutlineItem:
    title: str
    page: int
    children: list[OutlineItem] = field(default_factory=list)


def pdf_date(iso: str = "") -> str:
    """ISO 8601 → PDF date string ``D:YYYYMMDDHHmmSSZ`` (now when empty or unreadable)."""
    dt = None
    if iso:
        try:
            dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            dt = None
    if dt is None:
        dt = datetime.now(UTC).replace(microsecond=0)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    off = dt.utcoffset()
    stamp = dt.strftime("D:%Y%m%d%H%M%S")
    if not off:
        return stamp + "Z"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{stamp}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def _num(v: float) -> FloatObject:
    return FloatObject(round(v, 3))


def _highlight(writer: PdfWriter, page, spec: HighlightSpec, first_parts: dict):
    left = min(q[0] for q in spec.quads)
    bottom = min(q[1] for q in spec.quads)
    right = max(q[2] for q in spec.quads)
    top = max(q[3] for q in spec.quads)
    rect = ArrayObject([_num(left), _num(bottom), _num(right), _num(top)])
    quad_points = ArrayObject()
    ops = ["/GS0 gs", "{:.4f} {:.4f} {:.4f} rg".format(*spec.color)]
    for x1, y1, x2, y2 in spec.quads:
        # upper-left, upper-right, lower-left, lower-right
        quad_points.extend(_num(v) for v in (x1, y2, x2, y2, x1, y1, x2, y1))
        if not spec.flattened:
            ops.append(f"{x1:.3f} {y1:.3f} {x2 - x1:.3f} {y2 - y1:.3f} re f")
    ap = DecodedStreamObject()
    ap.set_data("\n".join(ops).encode("ascii"))
    ap.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): rect,
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/ExtGState"): DictionaryObject(
                        {
                            NameObject("/GS0"): DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/ExtGState"),
                                    NameObject("/BM"): NameObject("/Multiply"),
                                    NameObject("/CA"): _num(HIGHLIGHT_OPACITY),
                                    NameObject("/ca"): _num(HIGHLIGHT_OPACITY),
                                }
                            )
                        }
                    )
                }
            ),
        }
    )
    ap_ref = writer._add_object(ap)
    date = pdf_date(spec.modified)
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Highlight"),
            NameObject("/Rect"): rect,
            NameObject("/QuadPoints"): quad_points,
            NameObject("/C"): ArrayObject(_num(c) for c in spec.color),
            NameObject("/CA"): _num(HIGHLIGHT_OPACITY),
            NameObject("/Contents"): TextStringObject(spec.contents),
            NameObject("/T"): TextStringObject(spec.author),
            NameObject("/M"): TextStringObject(date),
            NameObject("/CreationDate"): TextStringObject(date),
            NameObject("/NM"): TextStringObject(spec.name),
            NameObject("/F"): NumberObject(4),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): ap_ref}),
            NameObject("/P"): page.indirect_reference,
        }
    )
    if spec.in_reply_to in first_parts:
        annot[NameObject("/IRT")] = first_parts[spec.in_reply_to]
        annot[NameObject("/RT")] = NameObject("/Group")
    annot_ref = writer._add_object(annot)
    first_parts.setdefault(spec.name, annot_ref)
    media = page.mediabox
    pw = float(media.width)
    popup = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Popup"),
            NameObject("/Rect"): ArrayObject(
                [_num(pw - 10 - 180), _num(max(10, top - 120)), _num(pw - 10), _num(max(130, top))]
            ),
            NameObject("/Parent"): annot_ref,
            NameObject("/Open"): BooleanObject(False),
            NameObject("/F"): NumberObject(28),  # print, no zoom, no rotate
            NameObject("/P"): page.indirect_reference,
        }
    )
    popup_ref = writer._add_object(popup)
    annot[NameObject("/Popup")] = popup_ref
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject()
    else:
        page[NameObject("/Annots")] = ArrayObject(annots.get_object())
    page["/Annots"].extend([annot_ref, popup_ref])


def finish_pdf(
    src: Path,
    dst: Path,
    *,
    highlights: list[HighlightSpec],
    links: list[LinkSpec],
    outline: list[OutlineItem],
    metadata: dict[str, str],
    lang: str | None,
    lang_spans: dict[int, list[tuple]] | None = None,
    authors: list[str] | None = None,
    languages: list[str] | None = None,
) -> None:
    """Read Qt's PDF at ``src``, add annotations, links, outline, metadata (the Info dictionary and the
    same in XMP), the document's ``/Lang`` (none for a bilingual document: its text is marked span by
    span, ``lang_spans``), and write ``dst``."""
    reader = PdfReader(str(src))
    writer = PdfWriter(clone_from=reader)
    repair_fonts(writer)
    fold_text_positions(writer)
    if lang_spans:
        mark_languages(writer, lang_spans)
    for page in writer.pages:  # the rewritten streams go back Flate-compressed, as Qt wrote them
        page.compress_content_streams()
    first_parts: dict = {}
    for spec in highlights:
        _highlight(writer, writer.pages[spec.page], spec, first_parts)
    for link in links:
        if link.uri:
            annot = Link(rect=link.rect, url=link.uri)
        else:
            annot = Link(rect=link.rect, target_page_index=link.target_page)
        writer.add_annotation(link.page, annot)

    def add(items: list[OutlineItem], parent=None) -> None:
        for item in items:
            ref = writer.add_outline_item(title=item.title, page_number=item.page, parent=parent)
            add(item.children, ref)

    add(outline)
    if outline:
        writer.page_mode = "/UseOutlines"
    info = {k: v for k, v in metadata.items() if v}
    writer.add_metadata(info)
    root = writer._root_object
    if lang:
        root[NameObject("/Lang")] = TextStringObject(lang)
    elif "/Lang" in root:
        del root["/Lang"]
    meta = root.get("/Metadata")
    if meta is not None:
        old = meta.get_object().get_data().decode("utf-8", "replace")
        meta.get_object().set_data(xmp_packet(info, authors or [], languages or [], old))
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    with open(dst, "wb") as fh:
        writer.write(fh)
