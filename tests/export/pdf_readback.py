"""Reading an exported PDF back the way a reader's tools do, column by column.

A row of the bilingual table may now be cut between lines at a page break, so a sentence can start at the
bottom of page 3's French column and end at the top of page 4's: whole-page text interleaves it with the
English column, the running header and the footnotes. These helpers give each column's running text
across pages, as a reader copying a column sees it: the body text is set in the serif font, the chrome
(header, labels, page numbers, footnotes) in the sans one.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

MARKER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:,[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")


def strip_markers(text: str) -> str:
    """The text without its footnote markers (superscript digits « ¹ », « ²,³ »)."""
    return MARKER.sub("", text)


def flat(text: str, markers: bool = False) -> str:
    """Copy-paste normalisation: hyphenation undone (a line-ending soft hyphen and its line break go),
    whitespace collapsed, no emoji variation selector (« ➡️ » is drawn as « ➡ »); markers removed unless
    ``markers``."""
    if not markers:
        text = strip_markers(text)
    text = re.sub(r"\u00ad\s*", "", text.replace("\u2028", "\n").replace("\ufe0f", ""))
    text = re.sub(r"/\n", "/", text)  # a URL broken after a slash (no hyphen, no space)
    return " ".join(text.split())


def _is_serif(font) -> bool:
    return font is not None and "Serif" in str(font.get("/BaseFont", ""))


def pypdf_pages(path: Path) -> list[dict]:
    """Per page: ``left`` and ``right`` serif text (body columns, reading order), ``chrome`` (sans text:
    header, labels, footnotes, page number), ``foot_top`` (top y, in points from the page top, of the
    sans text below the body: the footnotes), ``height``."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        cols = {"left": [], "right": [], "chrome": []}
        last = ["chrome"]
        serif_bottom = [0.0]
        serif_top = [height]
        sans: list[tuple[float, str]] = []

        def visit(text, cm, tm, font, size, cols=cols, last=last, serif_bottom=serif_bottom, sans=sans,
                  width=width, height=height, serif_top=serif_top):
            if not text:
                return
            if not text.strip():
                cols[last[0]].append(text)
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
            if _is_serif(font):
                last[0] = "left" if x < width / 2 else "right"
                serif_bottom[0] = max(serif_bottom[0], y)
                serif_top[0] = min(serif_top[0], y)
            else:
                last[0] = "chrome"
                sans.append((y, text))
            cols[last[0]].append(text)

        page.extract_text(visitor_text=visit)
        mm = 72 / 25.4
        foot = [y for y, t in sans if serif_bottom[0] < y < height - 18 * mm]
        labels = [y for y, t in sans if 20 * mm < y < serif_top[0]]  # the FRANÇAIS / ENGLISH labels
        out.append({k: "".join(v) for k, v in cols.items()} | {
            "foot_top": min(foot) - 12 if foot else None, "body_top": max(labels) + 3 if labels else 22 * mm - 2,
            "height": height, "width": width})
    return out


def pypdf_columns(path: Path) -> tuple[str, str]:
    """The left and the right column's text over all pages (pypdf)."""
    pages = pypdf_pages(path)
    return "\n".join(p["left"] for p in pages), "\n".join(p["right"] for p in pages)


def pdfminer_columns(path: Path) -> tuple[str, str]:
    """The same with pdfminer.six (lines classified by their characters' font, top to bottom)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    left, right = [], []
    for page in extract_pages(str(path)):
        mid = page.width / 2
        lines = []

        def walk(obj):
            if isinstance(obj, LTTextLine):
                chars = [c for c in obj if isinstance(c, LTChar)]
                if chars and sum("Serif" in c.fontname for c in chars) * 2 > len(chars):
                    lines.append(obj)
            elif isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
                for child in obj:
                    walk(child)

        walk(page)
        for col, keep in ((left, lambda ln: ln.x0 < mid), (right, lambda ln: ln.x0 >= mid)):
            for ln in sorted((ln for ln in lines if keep(ln)), key=lambda ln: (-ln.y1, ln.x0)):
                col.append(ln.get_text())
    return "".join(left), "".join(right)


def poppler_columns(path: Path) -> tuple[str, str]:
    """The same with poppler's ``pdftotext``, each column cropped to the body area above the footnotes
    (found from the PDF's own text: the sans-serif lines below the body)."""
    left, right = [], []
    for i, info in enumerate(pypdf_pages(path), 1):
        mm = 72 / 25.4
        top = info["body_top"]
        bottom = (info["foot_top"] if info["foot_top"] is not None else info["height"] - 18 * mm + 2)
        mid = info["width"] / 2
        for col, x0, x1 in ((left, 17 * mm - 12, mid), (right, mid, info["width"] - 17 * mm + 2)):
            cmd = ["pdftotext", "-enc", "UTF-8", "-f", str(i), "-l", str(i), "-x", str(int(x0)),
                   "-y", str(int(top)), "-W", str(int(x1 - x0)), "-H", str(int(bottom - top)), str(path), "-"]
            col.append(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    return "\n".join(left), "\n".join(right)
