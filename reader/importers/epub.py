"""Import an EPUB book: chapters in spine order, read with :mod:`zipfile` and lxml.

Why not ``ebooklib``: it is AGPL-3.0 (this app is MIT), it reads every member of the book into memory
up front, and it raises arbitrary exceptions on broken books. What we need from an EPUB is small and
well specified (OCF container → OPF package: Dublin Core metadata, manifest, spine; EPUB 3 nav or
EPUB 2 NCX for chapter titles), so it is read directly here, one chapter at a time.

The zip is checked first (not a zip, corrupt, zip bomb, DRM: an ``encryption.xml`` that encrypts more
than fonts, or Adobe/Apple rights files), so every failure is one clear :class:`ImportFileError`
sentence. Chapter XHTML goes through the HTML importer's
:func:`~reader.importers.html.html_to_paragraphs`, so kinds and spans are mapped the same way.

``mode="article"``: one Article, each chapter's title a HEADING paragraph followed by its text.
``mode="chapters"``: one Article per chapter, titled « Book title — Chapter title ».
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

import lxml.etree as etree

from reader.core.errors import ImportFileError
from reader.core.model import Article, Paragraph, ParagraphKind
from reader.core.segment import segment
from reader.importers.html import _norm, html_to_paragraphs, parse_html, read_limited

MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # all members together
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # one chapter / package file
MAX_MEMBERS = 20_000
# Font obfuscation is not DRM: the text stays readable.
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}
_DC = "http://purl.org/dc/elements/1.1/"
_OPS = "http://www.idpf.org/2007/ops"
_CHAPTER_TYPES = {"application/xhtml+xml", "text/html"}
_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, recover=True, remove_comments=True
)


class _Bad(Exception):
    """Internal: the book's structure is broken; the message completes « NAME is not a valid EPUB book: »."""


def import_epub(path: Path, mode: Literal["article", "chapters"] = "article") -> list[Article]:
    """Import an EPUB as one Article (``"article"``) or one Article per chapter (``"chapters"``)."""
    if mode not in ("article", "chapters"):
        raise ValueError(f"mode must be 'article' or 'chapters', not {mode!r}")
    path = Path(path)
    name = path.name
    read_limited(path, "EPUB file")  # existence, size limit (before reading), emptiness
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ImportFileError(f"{name} is not an EPUB book: it is not a readable zip archive.") from None
    try:
        with zf:
            _check_zip(zf, name)
            return _import(zf, path, mode)
    except _Bad as exc:
        raise ImportFileError(f"{name} is not a valid EPUB book: {exc}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        # bad CRC, corrupt deflate stream, unsupported compression, encrypted zip member
        raise ImportFileError(
            f"{name} is damaged: part of its zip archive could not be decompressed."
        ) from None


def _import(zf: zipfile.ZipFile, path: Path, mode: str) -> list[Article]:
    name = path.name
    members = {i.filename: i for i in zf.infolist()}
    folded = {n.lower(): n for n in members}

    def read(member: str) -> bytes:
        real = member if member in members else folded.get(member.lower())
        if real is None:
            raise _Bad(f"{member} is missing")
        if members[real].file_size > MAX_MEMBER_BYTES:
            raise ImportFileError(f"{name} contains a part too big to import ({member}).")
        return zf.read(real)

    def xml(member: str) -> etree._Element:
        root = etree.fromstring(read(member), _XML)
        if root is None:
            raise _Bad(f"{member} is not readable XML")
        return root

    container = xml("META-INF/container.xml")
    rootfiles = [el.get("full-path") for el in _iter(container, "rootfile") if el.get("full-path")]
    if not rootfiles:
        raise _Bad("META-INF/container.xml names no package file")
    opf_path = unquote(rootfiles[0])
    opf = xml(opf_path)
    opf_dir = posixpath.dirname(opf_path)

    metadata = next(_iter(opf, "metadata"), opf)
    book_title = _dc(metadata, "title") or path.stem
    creators = [_text(el) for el in metadata.iter(f"{{{_DC}}}creator")]
    author = ", ".join(c for c in creators if c) or None
    date = _dc(metadata, "date")
    publisher = _dc(metadata, "publisher")

    manifest: dict[str, tuple[str, str, set[str]]] = {}  # id → (zip path, media type, properties)
    for item in _iter(opf, "item"):
        if item.get("id") and item.get("href"):
            manifest[item.get("id")] = (
                _resolve(opf_dir, item.get("href")),
                (item.get("media-type") or "").strip().lower(),
                set((item.get("properties") or "").split()),
            )
    spine = next(_iter(opf, "spine"), None)
    if spine is None:
        raise _Bad("its package file has no spine")

    toc_titles = _toc_titles(manifest, spine, read)

    chapters: list[tuple[str, list[Paragraph]]] = []
    for ref in _iter(spine, "itemref"):
        entry = manifest.get(ref.get("idref") or "")
        if entry is None or (ref.get("linear") or "yes").strip().lower() == "no":
            continue
        member, media_type, props = entry
        if media_type not in _CHAPTER_TYPES or "nav" in props:
            continue  # images, SVG pages, the table of contents page
        root = parse_html(read(member), name)
        paragraphs = html_to_paragraphs(root)
        if not paragraphs:
            continue  # cover image, blank page
        title = toc_titles.get(member)
        if title is None:
            title = (paragraphs[0].text if paragraphs[0].kind is ParagraphKind.HEADING
                     else _doc_title(root)) or f"Chapter {len(chapters) + 1}"
        if paragraphs[0].kind is ParagraphKind.HEADING and _norm(paragraphs[0].text) == _norm(title):
            paragraphs = paragraphs[1:]  # the chapter's own heading; added back below as needed
        chapters.append((title, paragraphs))

    if not chapters:
        raise ImportFileError(f"No readable text found in {name}.")

    def article(title: str, paragraphs: list[Paragraph]) -> Article:
        return Article(
            title=title,
            paragraphs=paragraphs,
            author=author,
            published=date,
            published_iso=_iso_date(date),
            source=publisher,
            origin=name,
        )

    if mode == "chapters":
        return [
            article(f"{book_title} — {title}", paragraphs or [_heading(title)])
            for title, paragraphs in chapters
        ]
    merged: list[Paragraph] = []
    for title, paragraphs in chapters:
        merged.append(_heading(title))
        merged.extend(paragraphs)
    return [article(book_title, merged)]


def _local(tag: object) -> str | None:
    return etree.QName(tag).localname if isinstance(tag, str) else None


def _iter(root: etree._Element, localname: str):
    """Elements named ``localname`` in any (or no) namespace: real-world OPFs are sloppy about it."""
    return (el for el in root.iter() if _local(el.tag) == localname)


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _dc(metadata: etree._Element, field: str) -> str | None:
    for el in metadata.iter(f"{{{_DC}}}{field}"):
        if _text(el):
            return _text(el)
    return None


def _resolve(base_dir: str, href: str) -> str:
    """Zip member path of ``href`` (relative to ``base_dir``), without its fragment."""
    href = unquote(href.split("#", 1)[0].strip())
    return posixpath.normpath(posixpath.join(base_dir, href)).lstrip("/")


def _toc_titles(manifest, spine, read) -> dict[str, str]:
    """Chapter titles by zip member, from the EPUB 3 nav document, else the EPUB 2 NCX."""
    out: dict[str, str] = {}
    nav = next((m for m, _t, props in manifest.values() if "nav" in props), None)
    ncx = manifest.get(spine.get("toc") or "", (None,))[0] or next(
        (m for m, t, _p in manifest.values() if t == "application/x-dtbncx+xml"), None
    )
    try:
        if nav:
            root = parse_html(read(nav))
            navs = [el for el in _iter(root, "nav")]
            tocs = [el for el in navs if "toc" in (el.get(f"{{{_OPS}}}type") or el.get("epub:type") or "")]
            for a in _iter((tocs or navs or [root])[0], "a"):
                if a.get("href") and _text(a):
                    out.setdefault(_resolve(posixpath.dirname(nav), a.get("href")), _text(a))
        if not out and ncx:
            root = etree.fromstring(read(ncx), _XML)
            for point in _iter(root, "navPoint"):
                label = next(_iter(point, "text"), None)
                content = next((c for c in point if _local(c.tag) == "content"), None)
                if label is not None and content is not None and content.get("src") and _text(label):
                    out.setdefault(_resolve(posixpath.dirname(ncx), content.get("src")), _text(label))
    except (_Bad, etree.XMLSyntaxError, AttributeError):
        pass  # titles then come from the chapters' own headings
    return out


def _heading(text: str) -> Paragraph:
    text = " ".join(text.split())
    return Paragraph(text=text, kind=ParagraphKind.HEADING, sentences=segment(text))


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _iso_date(value: str | None) -> str | None:
    """``2025-09-25T10:00:00Z`` → ``2025-09-25``; ``2019`` → ``2019``; anything else → None."""
    if not value:
        return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def _doc_title(root: etree._Element) -> str | None:
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el.tag).localname.lower() == "title":
            text = " ".join("".join(el.itertext()).split())
            if text:
                return text
    return None


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFileError(f"{name} has too many files inside to be a normal EPUB book.")
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(f"{name} is too big once uncompressed to be imported.")
    names = {i.filename.lower(): i.filename for i in infos}
    if "meta-inf/container.xml" not in names:
        raise _Bad("META-INF/container.xml is missing")
    if "meta-inf/rights.xml" in names or "meta-inf/sinf.xml" in names:
        raise ImportFileError(f"{name} is protected by DRM and cannot be imported.")
    enc = names.get("meta-inf/encryption.xml")
    if enc is not None and _encrypts_text(zf.read(enc)):
        raise ImportFileError(f"{name} is protected by DRM and cannot be imported.")


def _encrypts_text(xml: bytes) -> bool:
    """True when encryption.xml encrypts anything other than obfuscated fonts."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return True  # unreadable: assume the worst rather than import garbage
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el.tag).localname == "EncryptionMethod":
            if el.get("Algorithm") not in _FONT_OBFUSCATION:
                return True
    return False


SUFFIXES = (".epub",)
