"""Import a PDF (reports, essays, papers) as an :class:`Article`, with pdfminer.six.

Why pdfminer.six: MIT-licensed, pure Python, well kept, and it gives what rebuilding paragraphs needs —
every character with its box, font name and size, grouped into text lines (PyMuPDF is AGPL; pypdf's
text extraction gives no positions). pdfminer reads the page content; :mod:`reader.importers.pdf_layout`
turns the positioned lines into paragraphs in reading order (columns, running headers and footers, page
numbers, hyphenation, headings, footnotes).

Every failure is one clear :class:`ImportFileError` sentence naming the file: missing, empty, too big
(the size is checked before reading), not a PDF, damaged, protected by a password, a scan without a text
layer, fonts without a Unicode map, too many pages. Text inside figures (plot labels) is left out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from reader.core.errors import ImportFileError
from reader.core.model import Article, Paragraph, ParagraphKind, Span, SpanKind
from reader.core.progress import Cancelled
from reader.core.segment import segment
from reader.importers.html import read_limited
from reader.importers.pdf_layout import (
    Block,
    Line,
    body_size,
    build_blocks,
    document_words,
    drop_furniture,
    join_lines,
    reading_order,
)

SUFFIXES = (".pdf",)
MAX_PAGES = 3000
SCANNED = "{name} has no text layer (it is a scanned image); Vis-à-vis cannot read it without OCR."
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_BOLD = re.compile(r"bold|black|heavy|demi|semibold|medi|[-,]bd\b|\+.*-b$", re.IGNORECASE)
_WORDISH = re.compile(r"[^\W\d_]{2}")
_KEEP_SPACES = "\u00a0\u202f"  # French no-break spaces are text, not layout
# metadata titles that are not titles: producer defaults and file names
_JUNK_TITLE = re.compile(
    r"^(?:untitled|sans titre|document\d*|adobe photoshop pdf|microsoft word\b.*|.*\.(?:docx?|odt|rtf|tex|dvi|pdf|indd|qxd))$",
    re.IGNORECASE,
)


def import_pdf(path: Path, progress=None) -> Article:
    """Import a PDF file as one Article (see the module docstring).

    ``progress``: a :class:`~reader.core.progress.Progress` checked before each page, so a long PDF can
    be cancelled (:class:`~reader.core.progress.Cancelled` is raised)."""
    path = Path(path)
    name = path.name
    data = read_limited(path, "PDF file")
    if b"%PDF-" not in data[:1024]:
        raise ImportFileError(f"{name} is not a PDF file (it has no PDF header).")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        info, pages, heights, images, cids = _read(data, name, progress)
    except (ImportFileError, Cancelled):
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportFileError(
            f"{name} is protected by a password; Vis-à-vis cannot read it. "
            "Save an unprotected copy from your PDF reader and import that."
        ) from None
    except Exception:  # pdfminer raises many kinds of errors on broken files (syntax, KeyError, …)
        raise ImportFileError(f"{name} is damaged: its PDF structure cannot be read.") from None
    if not pages:
        raise ImportFileError(f"{name} is damaged: no page could be read.")
    chars = sum(len(ln.text.replace(" ", "")) for lines in pages for ln in lines)
    if cids and cids >= chars:
        raise ImportFileError(
            f"{name} uses fonts without a Unicode map: its text cannot be extracted (only its look)."
        )
    if chars < 20 * len(pages) and images >= max(1, len(pages) // 2):
        raise ImportFileError(SCANNED.format(name=name))
    if chars == 0:
        raise ImportFileError(f"No readable text found in {name}.")
    return _article(name, info, pages, heights)


# --- reading the PDF -------------------------------------------------------------------------------


def _read(data: bytes, name: str, progress=None):
    """(metadata, lines per page, page heights, pages holding images, unmapped glyphs) of the PDF."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    info = _metadata(document)
    resources = PDFResourceManager(caching=True)
    # all_texts: the text of a form that fills the page is read; boxes_flow=None: we order lines ourselves
    device = PDFPageAggregator(resources, laparams=LAParams(all_texts=True, boxes_flow=None))
    interpreter_class = _text_interpreter(PDFPageInterpreter)
    interpreter = interpreter_class(resources, device)
    pages: list[list[Line]] = []
    heights: list[float] = []
    images = cids = 0
    for number, page in enumerate(PDFPage.create_pages(document)):
        if progress is not None:
            progress.check()
        if number >= MAX_PAGES:
            raise ImportFileError(f"{name} has more than {MAX_PAGES} pages; split it to import it.")
        x0, y0, x1, y1 = page.mediabox
        interpreter_class.page_area = abs((x1 - x0) * (y1 - y0))
        interpreter.process_page(page)
        layout = device.get_result()
        lines, has_image, unmapped = _page_lines(layout, number)
        pages.append(lines)
        heights.append(float(layout.height) or 842.0)
        images += has_image
        cids += unmapped
    return info, pages, heights, images, cids


def _text_interpreter(base):
    """pdfminer's interpreter, but a form XObject covering under 40 % of the page (a chart, a logo) is not
    run: its text is labels rather than prose, and a vector chart can hold millions of path operators,
    which cost minutes to interpret for nothing. A form that fills the page (some producers wrap the whole
    page in one) is read as usual."""
    from pdfminer.pdfinterp import LITERAL_FORM
    from pdfminer.pdftypes import list_value, stream_value
    from pdfminer.psparser import literal_name
    from pdfminer.utils import MATRIX_IDENTITY, apply_matrix_pt, mult_matrix

    class TextInterpreter(base):
        page_area = 0.0  # set before each page; sub-interpreters for nested forms are of this class

        def do_Do(self, xobjid_arg) -> None:
            try:
                xobj = stream_value(self.xobjmap[literal_name(xobjid_arg)])
                if xobj.get("Subtype") is LITERAL_FORM and "BBox" in xobj and self.page_area:
                    x0, y0, x1, y1 = (float(v) for v in list_value(xobj["BBox"]))
                    matrix = mult_matrix(list_value(xobj.get("Matrix", MATRIX_IDENTITY)), self.ctm)
                    xs, ys = zip(*(apply_matrix_pt(matrix, pt) for pt in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))))
                    if (max(xs) - min(xs)) * (max(ys) - min(ys)) < 0.4 * self.page_area:
                        return
            except Exception:  # anything odd: let pdfminer handle (or skip) it as it would
                pass
            super().do_Do(xobjid_arg)

    return TextInterpreter


def _walk(obj) -> Iterator:
    from pdfminer.layout import LTContainer, LTTextLine

    for child in obj:
        yield child
        if isinstance(child, LTContainer) and not isinstance(child, LTTextLine):
            yield from _walk(child)


def _page_lines(layout, page: int) -> tuple[list[Line], bool, int]:
    from pdfminer.layout import LTFigure, LTImage, LTTextBox, LTTextLineHorizontal

    lines: list[Line] = []
    has_image = False
    unmapped = 0
    for obj in _walk(layout):
        if isinstance(obj, LTImage):
            has_image = True
        elif isinstance(obj, LTTextBox | LTFigure):
            continue  # descended into by _walk; text in figures stays as loose characters, unread
        elif isinstance(obj, LTTextLineHorizontal):
            line, bad = _line(obj, page)
            unmapped += bad
            if line is not None:
                lines.append(line)
    return lines, has_image, unmapped


def _line(obj, page: int) -> tuple[Line | None, int]:
    from pdfminer.layout import LTChar

    chars = [c for c in obj if isinstance(c, LTChar) and c.get_text().strip()]
    if not chars:
        return None, 0
    sizes: dict[float, int] = {}
    for c in chars:
        sizes[round(c.size, 1)] = sizes.get(round(c.size, 1), 0) + 1
    size = max(sizes, key=sizes.get)
    bottoms = sorted(c.y0 for c in chars if round(c.size, 1) == size)
    base = bottoms[len(bottoms) // 4]  # the baseline, robust to a few subscripts
    bold = sum(1 for c in chars if _BOLD.search(c.fontname or "")) / len(chars)
    out: list[tuple[str, bool]] = []  # (character, superscript)
    unmapped = 0
    for item in obj:
        text = item.get_text()
        if text.startswith("(cid:"):
            unmapped += 1
            continue
        sup = isinstance(item, LTChar) and item.size < 0.8 * size and item.y0 > base + 0.15 * size
        for ch in text.translate(_LIGATURES):
            if ch.isspace() and ch not in _KEEP_SPACES:
                if out and out[-1][0] != " ":
                    out.append((" ", False))
            elif ch.isprintable() or ch == "\u00ad":
                out.append((ch, sup))
    while out and out[-1][0] == " ":
        out.pop()
    # a soft hyphen only shows (and only means something) at the end of a line
    out = [(ch, sup) for i, (ch, sup) in enumerate(out) if ch != "\u00ad" or i == len(out) - 1]
    text = "".join(ch for ch, _s in out)
    if not text:
        return None, unmapped
    ranges: list[tuple[int, int]] = []
    for i, (_ch, sup) in enumerate(out):
        if sup:
            if ranges and ranges[-1][1] == i:
                ranges[-1] = (ranges[-1][0], i + 1)
            else:
                ranges.append((i, i + 1))
    return Line(page, obj.x0, obj.y0, obj.x1, obj.y1, size, bold, text, ranges), unmapped


def _metadata(document) -> dict[str, str]:
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    out: dict[str, str] = {}
    for info in getattr(document, "info", None) or []:
        for key in ("Title", "Author"):
            value = info.get(key)
            try:
                if hasattr(value, "resolve"):
                    value = value.resolve()
                if isinstance(value, bytes):
                    value = decode_text(value)
                elif isinstance(value, PSLiteral):
                    value = str(value.name)
            except Exception:  # a broken metadata entry: ignore it, the text matters
                value = None
            if isinstance(value, str) and " ".join(value.split()) and key not in out:
                out[key] = " ".join(value.replace("\x00", "").split())
    return out


# --- building the article --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _lexicon():
    import simplemma  # imported on first use: it loads its tables

    @lru_cache(maxsize=50_000)
    def known(word: str) -> bool:  # English too: French papers carry English abstracts and references
        return bool(simplemma.is_known(word, lang=("fr", "en")))

    return known


def _article(name: str, info: dict[str, str], pages: list[list[Line]], heights: list[float]) -> Article:
    pages = drop_furniture(pages, heights)
    all_lines = [ln for lines in pages for ln in lines]
    body = body_size(all_lines)
    blocks = build_blocks([seg for lines in pages for seg in reading_order(lines)], body)
    known, seen = _lexicon(), document_words(all_lines)
    paragraphs: list[Paragraph] = []
    sizes: list[float] = []
    for block in blocks:
        paragraph = _paragraph(block, known, seen)
        if paragraph is not None:
            paragraphs.append(paragraph)
            sizes.append(max(ln.size for ln in block.lines) if block.lines[0].page == 0 else 0.0)
    if not paragraphs:
        raise ImportFileError(f"No readable text found in {name}.")
    title = info.get("Title")
    if title and (_JUNK_TITLE.match(title) or len(title) < 3):
        title = None
    first = paragraphs[0]
    if title is None:
        headings = [i for i, p in enumerate(paragraphs) if p.kind is ParagraphKind.HEADING and sizes[i]]
        if headings:
            biggest = max(headings, key=lambda i: (sizes[i], -i))
            title = paragraphs[biggest].text
            if biggest == 0:
                paragraphs = paragraphs[1:]
    elif first.kind is ParagraphKind.HEADING and _fold(first.text) == _fold(title):
        paragraphs = paragraphs[1:]
    if not paragraphs:
        paragraphs = [first]
    return Article(
        title=title or Path(name).stem,
        paragraphs=paragraphs,
        author=info.get("Author"),
        origin=name,
    )


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _paragraph(block: Block, known, seen) -> Paragraph | None:
    text, sup = join_lines(block.lines, known, seen)
    stripped = text.strip()
    if not stripped:
        return None
    if len(stripped) <= 12 and not _WORDISH.search(stripped):
        return None  # debris of a formula or a chart drawn as text: « 0, 5 », « (1) », « t2 »
    kind = ParagraphKind.HEADING if block.kind == "heading" and len(stripped) <= 200 else ParagraphKind.BODY
    spans = [Span(s, e, SpanKind.SUPERSCRIPT) for s, e in sup if e > s] if kind is ParagraphKind.BODY else []
    return Paragraph(text=text, kind=kind, spans=spans, sentences=segment(text))
