"""import_epub: spine order, chapter titles, metadata, both modes, and every way a file can be bad."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.core.errors import ImportFileError
from reader.core.model import ParagraphKind, SpanKind
from reader.importers import html as html_mod
from reader.importers.epub import SUFFIXES, import_epub

B, H, C, Q = ParagraphKind.BODY, ParagraphKind.HEADING, ParagraphKind.CAPTION, ParagraphKind.QUOTE

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="fr">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:3f1c2b9e-8a7d-4c1e-9b2a-0d5e6f7a8b9c</dc:identifier>
    <dc:title>Voyage au mont Blanc</dc:title>
    <dc:creator>Horace-Bénédict de Saussure</dc:creator>
    <dc:date>1787-08-03</dc:date>
    <dc:publisher>Éditions du Refuge</dc:publisher>
    <dc:language>fr</dc:language>
    <meta property="dcterms:modified">2025-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="c1" href="text/chap1.xhtml" media-type="application/xhtml+xml"/>
    <item id="c2" href="text/chap2.xhtml" media-type="application/xhtml+xml"/>
    <item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine>
    <itemref idref="cover"/>
    <itemref idref="nav"/>
    <itemref idref="c2"/>
    <itemref idref="c1"/>
    <itemref idref="notes" linear="no"/>
  </spine>
</package>"""
# NB: the spine deliberately lists chap2.xhtml before chap1.xhtml: spine order wins over file names.

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Table des matières</title></head>
<body><nav epub:type="toc"><h1>Table des matières</h1><ol>
  <li><a href="text/chap2.xhtml">Le départ de Chamonix</a></li>
  <li><a href="text/chap1.xhtml#debut">Au sommet</a></li>
</ol></nav></body></html>"""

COVER = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Couverture</title></head>
<body><div><img src="cover.jpg" alt="Couverture"/></div></body></html>"""

CHAP2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>Chapitre premier</title>
<link rel="stylesheet" href="../style.css"/></head>
<body>
  <h1>Le départ de Chamonix</h1>
  <p>Nous partîmes le 1<sup>er</sup> août, à sept heures du matin, avec dix-huit guides.<a id="p12"/> Le temps était <em>parfaitement</em> beau.</p>
  <blockquote><p>«&#160;Il faut partir avant l’aube&#160;», disait Balmat.</p></blockquote>
  <figure><img src="../img/glacier.jpg" alt=""/><figcaption>Le glacier des Bossons.</figcaption></figure>
</body></html>"""

CHAP1 = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>Chapitre deux</title></head>
<body>
  <h2 id="debut">Chapitre II</h2>
  <p>Enfin, <strong>le 3 août à 11 heures</strong>, nous atteignîmes la cime.</p>
  <p>Voir la <a href="notes.xhtml#n1">note&#160;1</a> &amp; le baromètre &lt;sic&gt;.</p>
</body></html>"""

NOTES = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Notes</title></head>
<body><p id="n1">Une note hors du fil de lecture.</p></body></html>"""


def build_epub(path: Path, files: dict[str, str | bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    members = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": OPF,
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/cover.xhtml": COVER,
        "OEBPS/text/chap1.xhtml": CHAP1,
        "OEBPS/text/chap2.xhtml": CHAP2,
        "OEBPS/text/notes.xhtml": NOTES,
        "OEBPS/style.css": "p { text-indent: 1em; }",
    }
    members.update(files or {})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            if name not in drop:
                zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def book(tmp_path):
    return build_epub(tmp_path / "saussure.epub")


def _spans(p):
    return [(s.kind, p.text[s.start : s.end], s.href) for s in p.spans]


CH_DEPART = [
    (B, "Nous partîmes le 1er août, à sept heures du matin, avec dix-huit guides. Le temps était "
        "parfaitement beau."),
    (Q, "«\u00a0Il faut partir avant l’aube\u00a0», disait Balmat."),
    (C, "Le glacier des Bossons."),
]
CH_SOMMET = [
    (H, "Chapitre II"),
    (B, "Enfin, le 3 août à 11 heures, nous atteignîmes la cime."),
    (B, "Voir la note\u00a01 & le baromètre <sic>."),
]


def test_article_mode_one_article_in_spine_order(book):
    [a] = import_epub(book)
    assert a.title == "Voyage au mont Blanc"
    assert [(p.kind, p.text) for p in a.paragraphs] == (
        [(H, "Le départ de Chamonix")] + CH_DEPART + [(H, "Au sommet")] + CH_SOMMET
    )
    everything = " ".join(p.text for p in a.paragraphs)
    for skipped in ("Table des matières", "Couverture", "hors du fil", "text-indent"):
        assert skipped not in everything


def test_metadata(book):
    [a] = import_epub(book)
    assert a.author == "Horace-Bénédict de Saussure"
    assert a.published == "1787-08-03"
    assert a.published_iso == "1787-08-03"
    assert a.source == "Éditions du Refuge"
    assert a.origin == "saussure.epub"


def test_chapters_mode(book):
    arts = import_epub(book, mode="chapters")
    assert [a.title for a in arts] == [
        "Voyage au mont Blanc — Le départ de Chamonix",
        "Voyage au mont Blanc — Au sommet",
    ]
    assert [(p.kind, p.text) for p in arts[0].paragraphs] == CH_DEPART
    assert [(p.kind, p.text) for p in arts[1].paragraphs] == CH_SOMMET
    assert all(a.author == "Horace-Bénédict de Saussure" and a.source == "Éditions du Refuge" for a in arts)


def test_spans_and_sentences(book):
    [a] = import_epub(book)
    by_text = {p.text: p for p in a.paragraphs}
    p = by_text[CH_DEPART[0][1]]
    assert _spans(p) == [(SpanKind.SUPERSCRIPT, "er", None), (SpanKind.ITALIC, "parfaitement", None)]
    assert p.text[p.spans[0].start - 1 : p.spans[0].end] == "1er"
    assert _spans(by_text[CH_SOMMET[1][1]]) == [(SpanKind.BOLD, "le 3 août à 11 heures", None)]
    assert _spans(by_text[CH_SOMMET[2][1]]) == [(SpanKind.LINK, "note\u00a01", "notes.xhtml#n1")]
    for p in a.paragraphs:
        assert p.sentences and all(p.text[s.start : s.end].strip() for s in p.sentences)


def test_chapter_title_falls_back_to_heading_then_title(tmp_path):
    nav = NAV.replace('<li><a href="text/chap1.xhtml#debut">Au sommet</a></li>', "")
    [a] = import_epub(build_epub(tmp_path / "b.epub", {"OEBPS/nav.xhtml": nav}))
    headings = [p.text for p in a.paragraphs if p.kind is H]
    assert headings == ["Le départ de Chamonix", "Chapitre II"]  # chap1's own <h2>, not duplicated


NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>V</text></docTitle>
<navMap>
  <navPoint id="n1" playOrder="1"><navLabel><text>I. Chamonix</text></navLabel><content src="text/chap2.xhtml"/></navPoint>
  <navPoint id="n2" playOrder="2"><navLabel><text>II. La cime</text></navLabel><content src="text/chap1.xhtml#debut"/></navPoint>
</navMap></ncx>"""


def test_epub2_ncx_titles(tmp_path):
    opf = (OPF.replace('version="3.0"', 'version="2.0"')
              .replace('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
                       '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
              .replace("<spine>", '<spine toc="ncx">').replace('<itemref idref="nav"/>', ""))
    f = build_epub(tmp_path / "epub2.epub", {"OEBPS/content.opf": opf, "OEBPS/toc.ncx": NCX},
                   drop=("OEBPS/nav.xhtml",))
    arts = import_epub(f, mode="chapters")
    assert [a.title for a in arts] == ["Voyage au mont Blanc — I. Chamonix", "Voyage au mont Blanc — II. La cime"]
    assert arts[0].paragraphs[0].kind is H and arts[0].paragraphs[0].text == "Le départ de Chamonix"


def test_missing_chapter_file(tmp_path):
    f = build_epub(tmp_path / "trou.epub", drop=("OEBPS/text/chap1.xhtml",))
    with pytest.raises(ImportFileError, match="trou.epub is not a valid EPUB book: OEBPS/text/chap1.xhtml is missing"):
        import_epub(f)


def test_epub_written_by_ebooklib(tmp_path):
    """Books made by the common ebooklib writer (EPUB 3 nav + NCX) import (ebooklib: a test dependency)."""
    from ebooklib import epub

    b = epub.EpubBook()
    b.set_identifier("id-1")
    b.set_title("Contes")
    b.set_language("fr")
    b.add_author("Charles Perrault")
    chapters = []
    for i, (title, body) in enumerate(
        [("La Belle au bois dormant", "Il était une fois un roi et une reine."),
         ("Le Petit Chaperon rouge", "Il était une fois une petite fille de village.")], 1
    ):
        c = epub.EpubHtml(title=title, file_name=f"c{i}.xhtml", lang="fr")
        c.content = f"<h1>{title}</h1><p>{body}</p>"
        b.add_item(c)
        chapters.append(c)
    b.toc = chapters
    b.add_item(epub.EpubNcx())
    b.add_item(epub.EpubNav())
    b.spine = ["nav", *chapters]
    path = tmp_path / "contes.epub"
    epub.write_epub(str(path), b)
    [a] = import_epub(path)
    assert [(p.kind, p.text) for p in a.paragraphs] == [
        (H, "La Belle au bois dormant"), (B, "Il était une fois un roi et une reine."),
        (H, "Le Petit Chaperon rouge"), (B, "Il était une fois une petite fille de village."),
    ]
    assert a.author == "Charles Perrault"


# ---- errors --------------------------------------------------------------------------------------


def test_not_a_zip(tmp_path):
    f = tmp_path / "faux.epub"
    f.write_text("Ceci n’est pas un livre.", encoding="utf-8")
    with pytest.raises(ImportFileError, match="faux.epub is not an EPUB book"):
        import_epub(f)


def test_truncated_zip(tmp_path, book):
    f = tmp_path / "coupé.epub"
    data = book.read_bytes()
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="coupé.epub"):
        import_epub(f)


def test_corrupt_member(tmp_path, book):
    data = bytearray(book.read_bytes())
    i = data.index(b"OEBPS/text/chap1.xhtml") + len(b"OEBPS/text/chap1.xhtml")
    data[i + 5 : i + 25] = b"\x00" * 20  # clobber compressed bytes of the first local entry
    f = tmp_path / "abîmé.epub"
    f.write_bytes(bytes(data))
    with pytest.raises(ImportFileError, match="abîmé.epub is damaged"):
        import_epub(f)


def test_missing_container(tmp_path):
    with pytest.raises(ImportFileError, match="container.xml is missing"):
        import_epub(build_epub(tmp_path / "x.epub", drop=("META-INF/container.xml",)))


def test_missing_opf(tmp_path):
    with pytest.raises(ImportFileError, match="x.epub is not a valid EPUB book"):
        import_epub(build_epub(tmp_path / "x.epub", drop=("OEBPS/content.opf",)))


ENCRYPTION = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
            xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData><enc:EncryptionMethod Algorithm="{alg}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>
</encryption>"""


def test_drm_encrypted_is_refused(tmp_path):
    enc = ENCRYPTION.format(alg="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/text/chap1.xhtml")
    f = build_epub(tmp_path / "drm.epub", {"META-INF/encryption.xml": enc})
    with pytest.raises(ImportFileError, match="drm.epub is protected by DRM"):
        import_epub(f)


def test_adobe_rights_file_is_refused(tmp_path):
    f = build_epub(tmp_path / "adept.epub", {"META-INF/rights.xml": "<rights/>"})
    with pytest.raises(ImportFileError, match="adept.epub is protected by DRM"):
        import_epub(f)


def test_font_obfuscation_is_not_drm(tmp_path):
    enc = ENCRYPTION.format(alg="http://www.idpf.org/2008/embedding", uri="OEBPS/fonts/a.otf")
    [a] = import_epub(build_epub(tmp_path / "fonts.epub", {"META-INF/encryption.xml": enc}))
    assert a.paragraphs


def test_no_text(tmp_path):
    empty = "<html xmlns='http://www.w3.org/1999/xhtml'><head><title>x</title></head><body><p> </p></body></html>"
    f = build_epub(tmp_path / "vide.epub", {"OEBPS/text/chap1.xhtml": empty, "OEBPS/text/chap2.xhtml": empty})
    with pytest.raises(ImportFileError, match="No readable text found in vide.epub"):
        import_epub(f)


def test_too_big_is_refused_before_reading(tmp_path, monkeypatch):
    f = tmp_path / "gros.epub"
    with f.open("wb") as fh:
        fh.truncate(html_mod.MAX_BYTES + 1)

    def no_read(*a, **k):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "open", no_read)
    monkeypatch.setattr(zipfile, "ZipFile", no_read)
    with pytest.raises(ImportFileError, match="gros.epub is too big"):
        import_epub(f)


def test_bad_mode(book):
    with pytest.raises(ValueError):
        import_epub(book, mode="livre")


def test_suffixes():
    assert SUFFIXES == (".epub",)


def test_import_file_passes_the_users_epub_choice(tmp_path):
    """The dispatcher (used by `visavis import --epub-chapters` and the window's question) honours it."""
    from reader.importers import import_file

    book = build_epub(tmp_path / "livre.epub")
    whole = import_file(book)
    split = import_file(book, epub_mode="chapters")
    assert len(whole) == 1
    assert len(split) > 1
