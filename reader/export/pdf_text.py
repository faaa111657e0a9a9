"""Repairs to the text Qt writes, so that it copies and extracts as it was written, in its language.

Qt's PDF engine subsets each TrueType font and writes a ToUnicode CMap by reversing the font's cmap;
DejaVu maps both U+0009 (tab) and U+0020 (space) to the same glyph, and Qt keeps the first, so every space
would extract and copy as a TAB. Qt also names the subset ``ABCDEF+DejaVuSans`` only in the font
descriptor, not in the fonts' ``/BaseFont``, which the PDF specification (9.6.4, "Font subsets") requires
to carry the same tag. :func:`repair_fonts` fixes both on a :class:`pypdf.PdfWriter` before it is saved;
:func:`fold_text_positions` keeps extractors from ending a line at every glyph run; :func:`mark_languages`
says which text is French and which English.
"""

from __future__ import annotations

import re

from pypdf import PdfWriter
from pypdf.generic import NameObject

# Code points a ToUnicode map must never produce for a glyph we draw, and what to give instead.
_REMAP = {"0009": "0020"}
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")


def fix_tounicode(data: bytes) -> bytes:
    """``data`` (a ToUnicode CMap) with destination tab codes mapped to the space instead.

    Only *destinations* change: the first code of a ``bfchar`` pair and the two source codes of a
    ``bfrange`` (glyph ids) are left alone.
    """
    out = []
    section = None
    for line in data.split(b"\n"):
        s = line.strip()
        if s.endswith(b"beginbfrange"):
            section = "range"
        elif s.endswith(b"beginbfchar"):
            section = "char"
        elif s in (b"endbfrange", b"endbfchar"):
            section = None
        elif section is not None:
            keep = 2 if section == "range" else 1
            codes = list(_HEX.finditer(line))
            if len(codes) > keep:
                start = codes[keep].start()
                tail = _HEX.sub(lambda m: b"<" + _REMAP.get(m.group(1).decode().upper(), m.group(1).decode()).encode()
                                + b">", line[start:])
                line = line[:start] + tail
        out.append(line)
    return b"\n".join(out)


def repair_fonts(writer: PdfWriter) -> None:
    """Fix every Type0 font of ``writer``'s pages: ToUnicode (no tabs) and the subset tag in /BaseFont."""
    seen: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            tu = font.get("/ToUnicode")
            if tu is not None:
                stream = tu.get_object()
                fixed = fix_tounicode(stream.get_data())
                if fixed != stream.get_data():
                    stream.set_data(fixed)
            for desc_ref in font.get("/DescendantFonts") or []:
                desc = desc_ref.get_object()
                fd = desc.get("/FontDescriptor")
                name = str(fd.get_object().get("/FontName", "")) if fd is not None else ""
                if re.fullmatch(r"/[A-Z]{6}\+.+", name):
                    desc[NameObject("/BaseFont")] = NameObject(name)
                    font[NameObject("/BaseFont")] = NameObject(name)


# Qt starts every glyph run with « BT … 1 0 0 -1 0 0 Tm x y Td »: a text matrix at the page origin, then a
# move. Extractors that track the text position (pypdf) see a jump to the origin and back, and end the
# line there: « compliquées⏎¹⏎, a déclaré ». Folding the move into the matrix says the same thing.
_TM_TD = re.compile(rb"1 0 0 -1 0 0 Tm(\s+)(-?[0-9.]+) (-?[0-9.]+) Td")


def _fold(m: re.Match) -> bytes:
    x, y = float(m.group(2)), float(m.group(3))
    return b"1 0 0 -1 %s %s Tm" % (_fmt(x), _fmt(-y))


def _fmt(v: float) -> bytes:
    return (b"%.5f" % v).rstrip(b"0").rstrip(b".") or b"0"


def fold_text_positions(writer: PdfWriter) -> None:
    """Rewrite Qt's « origin Tm + Td » pairs as one Tm in every page's content stream."""
    for page in writer.pages:
        contents = page.get_contents()
        if contents is None:
            continue
        data = contents.get_data()
        fixed = _TM_TD.sub(_fold, data)
        if fixed != data:
            contents.set_data(fixed)
            page.replace_contents(contents)


_BT_ET = re.compile(rb"BT\b.*?\bET\b", re.S)
_TM = re.compile(rb"1 0 0 -1 (-?[0-9.]+) (-?[0-9.]+) Tm")


def mark_languages(writer: PdfWriter, spans: dict[int, list[tuple[float, float, float, float, str]]]) -> None:
    """Wrap each text object of ``writer``'s pages that starts inside one of the page's ``spans``
    (``(left, top, right, bottom, lang)`` in the writer's device units, y down) in a marked-content
    sequence ``/Span <</Lang (xx)>> BDC … EMC`` (PDF 32000-1, 14.9.2), so a screen reader or a
    hyphenation-aware reflow knows the French column from the English one. Call after
    :func:`fold_text_positions` (a text object's position is then its first Tm)."""
    for page_i, rects in spans.items():
        if not rects or page_i >= len(writer.pages):
            continue
        page = writer.pages[page_i]
        contents = page.get_contents()
        if contents is None:
            continue

        def wrap(m: re.Match, rects=rects) -> bytes:
            pos = _TM.search(m.group())
            if pos is None:
                return m.group()
            x, y = float(pos.group(1)), float(pos.group(2))
            for left, top, right, bottom, lang in rects:
                if left - 1 <= x <= right + 1 and top - 1 <= y <= bottom + 1:
                    return b"/Span <</Lang (%s)>> BDC\n%s\nEMC" % (lang.encode("ascii"), m.group())
            return m.group()

        data = contents.get_data()
        fixed = _BT_ET.sub(wrap, data)
        if fixed != data:
            contents.set_data(fixed)
            page.replace_contents(contents)
