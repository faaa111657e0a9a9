"""Import a saved web page (.html/.htm/.xhtml) as an :class:`Article`.

The main text, title, author, date and site name come from ``trafilatura`` (boilerplate such as menus,
cookie banners, share bars, comments and footers is dropped). Its output tree is then mapped onto our
model by :func:`html_to_paragraphs`' walker, which the EPUB importer reuses for chapter XHTML:

* ``<p>``/``<li>``/… → BODY, ``<h1>``–``<h6>`` → HEADING, ``<blockquote>`` → QUOTE,
  ``<figcaption>`` → CAPTION (kept once);
* ``<strong>/<b>`` → BOLD, ``<em>/<i>`` → ITALIC, ``<sup>`` → SUPERSCRIPT, ``<a href>`` → LINK, with
  exact code-point offsets into the paragraph text.

The markup is parsed once by lxml (no regexes over markup, no re-serialisation): entities are decoded
exactly once, so a page's literal ``&lt;script&gt;`` becomes the text ``<script>`` and stays text.
Nothing here touches the network: trafilatura only ever receives an already parsed tree.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path

import lxml.etree as etree
import lxml.html

from reader.core.errors import ImportFileError
from reader.core.french_dates import french_long_date
from reader.core.model import Article, Paragraph, ParagraphKind, Span, SpanKind
from reader.core.segment import segment

MAX_BYTES = 50 * 1024 * 1024  # refuse bigger files before reading them

# --------------------------------------------------------------------------------------------------
# Reading and decoding
# --------------------------------------------------------------------------------------------------


def read_limited(path: Path, what: str = "file") -> bytes:
    """The bytes of ``path``; :class:`ImportFileError` if missing, unreadable, too big or empty."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"The {what} {name} does not exist.") from None
    except OSError as exc:
        raise ImportFileError(f"The {what} {name} could not be read ({exc.strerror or exc}).") from None
    if not path.is_file():
        raise ImportFileError(f"{name} is not a file.")
    if size > MAX_BYTES:
        raise ImportFileError(
            f"{name} is too big to import ({size / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB)."
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"The {what} {name} could not be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_BYTES:  # grew while we looked
        raise ImportFileError(f"{name} is too big to import (the limit is {MAX_BYTES // 1024 // 1024} MB).")
    if not data.strip():
        raise ImportFileError(f"No readable text found in {name}: the file is empty.")
    return data


# WHATWG-style prescan of the first bytes for a declared encoding (this only reads attribute values of
# <meta> and the XML declaration; the document itself is parsed by lxml).
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")
_XML_DECL_STR = re.compile(r"^\s*<\?xml[^>]*\?>")
# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso-8859-1", "l1", "cp819"}


def _declared_encoding(data: bytes) -> str | None:
    head = data[:4096]
    for pattern in (_XML_DECL, _META_CHARSET):
        m = pattern.search(head)
        if m:
            label = m.group(1).decode("ascii", "ignore").strip().lower()
            if label in _AS_CP1252:
                return "cp1252"
            try:
                name = codecs.lookup(label).name
            except LookupError:
                continue
            # A page saved as UTF-16 cannot truly declare itself in ASCII; browsers ignore that too.
            return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name
    return None


def decode_html(data: bytes, name: str) -> str:
    """Decode an HTML/XHTML file: BOM, then ``<meta charset>``/XML declaration, then detection."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                raise ImportFileError(f"{name} could not be decoded as {enc.upper()}.") from None
    if b"\x00" in data[:8192]:
        raise ImportFileError(f"{name} is not a web page: it contains binary data.")
    declared = _declared_encoding(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration: fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best)
    if declared:
        return data.decode(declared, errors="replace")
    raise ImportFileError(f"{name} could not be decoded: its text encoding is unknown.")


# --------------------------------------------------------------------------------------------------
# The HTML → paragraphs walker
# --------------------------------------------------------------------------------------------------

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_KIND: dict[str, ParagraphKind | None] = {
    **{h: ParagraphKind.HEADING for h in _HEADINGS},
    "blockquote": ParagraphKind.QUOTE,
    "figcaption": ParagraphKind.CAPTION,
    "caption": ParagraphKind.CAPTION,
}
# Blocks that inherit the kind of their container (None).
for _tag in (
    "address article aside body center dd details dialog dir div dl dt fieldset figure footer form "
    "header hgroup hr html li main menu nav ol p pre section summary table tbody td tfoot th thead tr "
    "ul legend"
).split():
    _BLOCK_KIND.setdefault(_tag, None)

_INLINE_KIND = {
    "b": SpanKind.BOLD,
    "strong": SpanKind.BOLD,
    "i": SpanKind.ITALIC,
    "em": SpanKind.ITALIC,
    "cite": SpanKind.ITALIC,
    "dfn": SpanKind.ITALIC,
    "sup": SpanKind.SUPERSCRIPT,
}
_SKIP = set(
    "head title meta link script style noscript template svg math iframe object embed canvas audio "
    "video source track map area img picture button select option textarea input rp".split()
)
_WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace only: NBSP and narrow NBSP are kept as is
_INVISIBLE = re.compile("[\u00ad\u200b\ufeff]")  # soft hyphens, zero-width spaces, stray BOMs


class _Builder:
    """Accumulates one paragraph's text and spans with HTML whitespace collapsing."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.pending_space = False
        self.spans: list[Span] = []

    def _append(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def _at_line_start(self) -> bool:
        return self.length == 0 or self.parts[-1].endswith("\n")

    def add_text(self, s: str | None) -> None:
        if not s:
            return
        s = _WS.sub(" ", _INVISIBLE.sub("", s))
        if s.startswith(" "):
            self.pending_space = True
            s = s[1:]
        if not s:
            return
        trailing = s.endswith(" ")
        if trailing:
            s = s[:-1]
        if self.pending_space and not self._at_line_start():
            self._append(" ")
        self._append(s)
        self.pending_space = trailing

    def add_break(self) -> None:
        if not self._at_line_start():
            self._append("\n")
        self.pending_space = False

    def finish(self, kind: ParagraphKind) -> Paragraph | None:
        raw = "".join(self.parts)
        text = raw.strip()
        if not text:
            return None
        lead = len(raw) - len(raw.lstrip())
        spans = []
        for sp in self.spans:
            start = max(sp.start - lead, 0)
            end = min(sp.end - lead, len(text))
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append(Span(start, end, sp.kind, sp.href))
        spans.sort(key=lambda s: (s.start, -s.end))
        return Paragraph(text=text, kind=kind, spans=spans)


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None  # comment or processing instruction
    return etree.QName(tag).localname.lower() if tag.startswith("{") else tag.lower()


class _Walker:
    """Turns an (X)HTML element tree into paragraphs; one pass, no recursion."""

    def __init__(self, skip: Iterable[str] = ()) -> None:
        self.skip = _SKIP | set(skip)
        self.paragraphs: list[Paragraph] = []
        self.builder = _Builder()
        self.kinds: list[ParagraphKind] = [ParagraphKind.BODY]
        self.open: list[list] = []  # [element, SpanKind, href, start] of inline spans still open

    def _flush(self) -> None:
        b = self.builder
        end = b.length
        for entry in self.open:
            _, kind, href, start = entry
            if end > start:
                b.spans.append(Span(start, end, kind, href))
            entry[3] = 0  # continues at the start of the next paragraph
        para = b.finish(self.kinds[-1])
        if para is not None:
            self.paragraphs.append(para)
        self.builder = _Builder()

    def walk(self, root: etree._Element) -> list[Paragraph]:
        skipping: etree._Element | None = None
        for event, el in etree.iterwalk(root, events=("start", "end")):
            if skipping is not None:
                if event == "end" and el is skipping:
                    skipping = None
                    self.builder.add_text(el.tail)
                continue
            tag = _local(el.tag)
            if tag is None or tag in self.skip:
                if event == "start":
                    skipping = el
                continue
            if event == "start":
                self._start(tag, el)
            else:
                self._end(tag, el)
        self._flush()
        for p in self.paragraphs:
            p.sentences = segment(p.text)
        return self.paragraphs

    def _start(self, tag: str, el: etree._Element) -> None:
        if tag in _BLOCK_KIND:
            self._flush()
            kind = _BLOCK_KIND[tag]
            self.kinds.append(kind if kind is not None else self.kinds[-1])
        elif tag == "br":
            self.builder.add_break()
        else:
            kind = _INLINE_KIND.get(tag)
            href = None
            if tag == "a" and el.get("href"):
                kind, href = SpanKind.LINK, el.get("href").strip()
            if kind is not None:
                self.open.append([el, kind, href, self.builder.length])
        self.builder.add_text(el.text)

    def _end(self, tag: str, el: etree._Element) -> None:
        if tag in _BLOCK_KIND:
            self._flush()
            self.kinds.pop()
        elif self.open and self.open[-1][0] is el:
            _, kind, href, start = self.open.pop()
            if self.builder.length > start:
                self.builder.spans.append(Span(start, self.builder.length, kind, href))
        self.builder.add_text(el.tail)


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
)
_HTML_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


def parse_html(markup: str | bytes, name: str = "the document") -> etree._Element:
    """Parse XHTML strictly as XML when it is well formed, else as (forgiving) HTML."""
    if isinstance(markup, bytes):
        try:
            return etree.fromstring(markup, _XML_PARSER)
        except etree.XMLSyntaxError:
            markup = decode_html(markup, name)
    text = _XML_DECL_STR.sub("", markup, count=1)
    if "xmlns" in text[:4096]:
        try:
            return etree.fromstring(text, _XML_PARSER)
        except etree.XMLSyntaxError:
            pass
    if not text.strip():
        return lxml.html.Element("html")
    try:
        return lxml.html.document_fromstring(text, parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.Element("html")


def html_to_paragraphs(html_fragment: str | bytes | etree._Element) -> list[Paragraph]:
    """Paragraphs (kinds, spans, sentences) of an HTML/XHTML document or fragment, in reading order.

    No boilerplate removal: every visible text block becomes a paragraph (scripts, styles, images and
    the ``<head>`` are skipped). Accepts markup (``str``/``bytes``) or an already parsed element.
    """
    root = html_fragment if isinstance(html_fragment, etree._Element) else parse_html(html_fragment)
    return _dedupe_captions(_Walker().walk(root))


def _dedupe_captions(paragraphs: list[Paragraph]) -> list[Paragraph]:
    seen: set[str] = set()
    out = []
    for p in paragraphs:
        if p.kind is ParagraphKind.CAPTION:
            key = _norm(p.text)
            if key in seen:
                continue
            seen.add(key)
        out.append(p)
    return out


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


# --------------------------------------------------------------------------------------------------
# trafilatura's output vocabulary → HTML, so the same walker maps it
# --------------------------------------------------------------------------------------------------

_TEI_TO_HTML = {"quote": "blockquote", "list": "ul", "item": "li", "lb": "br", "row": "tr",
                "cell": "td", "graphic": "img", "table": "table", "main": "div", "doc": "div",
                "body": "div", "del": "s", "code": "code"}


def _tei_to_html(body: etree._Element) -> etree._Element:
    """Rename trafilatura's ``head/hi/ref/quote/lb…`` elements to their HTML equivalents in place."""
    for el in body.iter():
        tag = _local(el.tag)
        if tag is None:
            continue
        if tag == "head":
            rend = (el.get("rend") or "h2").lower()
            el.tag = rend if rend in _HEADINGS else "h2"
        elif tag == "hi":
            rend = el.get("rend") or ""
            el.tag = ("b" if "#b" in rend else "i" if "#i" in rend else "sup" if "#sup" in rend
                      else "span")
        elif tag == "ref":
            el.tag = "a"
            if el.get("target"):
                el.set("href", el.get("target"))
        elif tag in _TEI_TO_HTML:
            el.tag = _TEI_TO_HTML[tag]
    return body


# --------------------------------------------------------------------------------------------------
# import_html
# --------------------------------------------------------------------------------------------------

_BOILERPLATE = {"nav", "header", "footer", "aside", "form", "menu", "dialog"}


def import_html(path: Path) -> Article:
    """Import a saved web page: its main text with metadata, boilerplate dropped."""
    path = Path(path)
    name = path.name
    text = decode_html(read_limited(path, "web page"), name)
    tree = parse_html(text, name)
    if not isinstance(tree, lxml.html.HtmlElement):  # well-formed XHTML: give trafilatura HTML
        tree = lxml.html.document_fromstring(
            etree.tostring(_strip_namespaces(tree), encoding="unicode"), parser=_HTML_PARSER
        )

    captions = _mark_captions(tree)
    written_dates = {
        (t.get("datetime") or "").strip()[:10]: " ".join(t.text_content().split())
        for t in tree.iter("time")
        if t.get("datetime")
    }
    fallback_title = _first_text(tree, "h1") or _first_text(tree, "title")

    placeholders = _protect(tree)
    doc, paragraphs = _extract(tree, placeholders, precision=False)
    if sum(len(p.text) for p in paragraphs) < _SHORT:
        # A short result may be trafilatura's whole-page "baseline" rescue (menus included): the
        # precision mode has no such rescue; failing that, keep the visible body minus boilerplate.
        doc_p, paragraphs_p = _extract(tree, placeholders, precision=True)
        if paragraphs_p:
            doc, paragraphs = doc_p, paragraphs_p
        else:
            body = tree.find("body")
            paragraphs = _Walker(skip=_BOILERPLATE).walk(_restore_tree(
                body if body is not None else tree, placeholders))
    for p in paragraphs:
        if p.kind is ParagraphKind.BODY and _norm(p.text) in captions:
            p.kind = ParagraphKind.CAPTION
    paragraphs = _dedupe_captions(paragraphs)

    meta = {k: _restore(getattr(doc, k, None) or None, placeholders)
            for k in ("title", "author", "date", "sitename", "url")}
    title = " ".join((meta["title"] or fallback_title or path.stem).split())
    first = paragraphs[0] if paragraphs else None
    if first is not None and first.kind is ParagraphKind.HEADING and _norm(first.text) == _norm(title):
        paragraphs = paragraphs[1:]  # the <h1> repeated as the first heading
    if not paragraphs:
        raise ImportFileError(f"No readable text found in {name}.")

    iso = meta["date"]
    return Article(
        title=title,
        paragraphs=paragraphs,
        author=meta["author"],
        published=(written_dates.get(iso) or french_long_date(iso) or iso) if iso else None,
        published_iso=iso,
        source=meta["sitename"],
        source_url=meta["url"],
        origin=name,
    )


_SHORT = 250  # trafilatura's MIN_EXTRACTED_SIZE: below it, its balanced mode may dump the whole page


def _extract(tree, placeholders: dict[str, str], precision: bool):
    import trafilatura  # noqa: PLC0415 - heavy import, only when a page is imported

    doc = trafilatura.bare_extraction(
        _copy(tree),
        with_metadata=True,
        include_formatting=True,
        include_links=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        favor_precision=precision,
    )
    if doc is None or getattr(doc, "body", None) is None:
        return doc, []
    body = _restore_tree(_tei_to_html(doc.body), placeholders)
    # trafilatura's vocabulary has no nav/header/footer…: such tags are leftovers, not article text
    return doc, _Walker(skip=_BOILERPLATE).walk(body)


# trafilatura turns every Unicode space into " " and decodes a literal "&nbsp;" a second time. French
# typography needs its no-break spaces, and text must never be decoded twice: before extraction, these
# characters are swapped for printable placeholders absent from the page, and swapped back after.
_PROTECTED = ("\u00a0", "\u202f", "\u2009", "\u2007", "&")
_XML_INVALID = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)]


def _protect(tree: etree._Element) -> dict[str, str]:
    used: set[str] = set()
    for el in tree.iter():
        used.update(el.text or "")
        used.update(el.tail or "")
    free = (chr(c) for c in range(0x13000, 0x1342F) if chr(c) not in used)  # Egyptian hieroglyphs
    mapping = {ch: next(free) for ch in _PROTECTED}
    # lxml's HTML parser accepts character references XML cannot hold (« &#x1b; »), then refuses them
    # when the text is assigned back: drop those invisible control codes here.
    table = str.maketrans({**mapping, **dict.fromkeys(_XML_INVALID)})
    for el in tree.iter():
        if el.text:
            el.text = el.text.translate(table)
        if el.tail:
            el.tail = el.tail.translate(table)
    return {v: k for k, v in mapping.items()}


def _restore(s: str | None, placeholders: dict[str, str]) -> str | None:
    if not s:
        return None
    s = s.translate(str.maketrans(placeholders)).strip()
    return s or None


def _restore_tree(root: etree._Element, placeholders: dict[str, str]) -> etree._Element:
    table = str.maketrans(placeholders)
    for el in root.iter():
        if isinstance(el.text, str):
            el.text = el.text.translate(table)
        if isinstance(el.tail, str):
            el.tail = el.tail.translate(table)
        for k, v in el.attrib.items():
            el.set(k, v.translate(table))
    return root


def _copy(tree: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(tree)


def _strip_namespaces(root: etree._Element) -> etree._Element:
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = etree.QName(el.tag).localname
    etree.cleanup_namespaces(root)
    return root


def _first_text(tree: etree._Element, tag: str) -> str | None:
    for el in tree.iter(tag):
        text = " ".join(el.text_content().split())
        if text:
            return text
    return None


def _mark_captions(tree: lxml.html.HtmlElement) -> set[str]:
    """trafilatura drops ``<figure>``: turn captions into plain paragraphs and remember their text."""
    captions = set()
    for cap in list(tree.iter("figcaption")):
        text = _norm(cap.text_content())
        if text:
            captions.add(text)
        cap.tag = "p"
    for fig in list(tree.iter("figure")):
        fig.tag = "div"
    return captions


SUFFIXES = (".html", ".htm", ".xhtml")
