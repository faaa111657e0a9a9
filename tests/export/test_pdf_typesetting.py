"""The annotated PDF typeset as a facing-text edition (#12), checked from the PDF as readers' tools see it.

Text that copies as it was written (spaces, markers, hyphens, every sentence verbatim in pypdf's,
pdfminer's and poppler's text), fonts named as subsets, full pages (rows cut between lines, two lines at
least on each side, headings kept with their text), highlights drawn once, notes on every part of a
split highlight, study-sheet gaps, the font size, and metadata that agrees with itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_readback import flat, pdfminer_columns, poppler_columns, pypdf_columns, pypdf_pages
from test_pdf import (
    _one,
    export,
    fake_english,
    highlight_annots,
    long_paragraph,
    seed_export_articles,
    seeds_pdf,  # noqa: F401  (a fixture, shared with test_pdf)
)

from reader.core.model import Article, Paragraph, Sentence
from reader.export.bundle import ExportArticle, ExportHighlight, ExportOptions

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def pack(seeds_pdf):
    """The five samples with their highlights and notes, exported at 10.5 pt (``test_pdf.seeds_pdf``)."""
    return seeds_pdf


def _sentences(arts):
    fr = [t for ea in arts for _, _, t in ea.article.all_sentences()]
    en = [t for ea in arts for para in ea.english for t in para if t]
    return fr, en


# -- text that copies as written -------------------------------------------------------------------


def test_spaces_extract_as_spaces_and_fonts_are_named_as_subsets(pack):
    from pypdf import PdfReader

    _, path, _ = pack
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.count("\t") == 0, "spaces extract as tabs (the fonts' ToUnicode maps)"
    assert text.count(" ") > 2000
    names = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            for d in font.get("/DescendantFonts", []):
                names.add(str(d.get_object()["/BaseFont"]))
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+DejaVu[\w-]+", n) for n in names), names


EXTRACTORS = {
    "pypdf": pypdf_columns,
    "pdfminer": pdfminer_columns,
    "poppler": poppler_columns,
}


@pytest.mark.parametrize("tool", sorted(EXTRACTORS))
def test_every_sentence_copies_verbatim(pack, tool):
    """Each column read as a reader copies it: every French and English sentence of the five samples
    verbatim, with its spaces, punctuation and real hyphens (« Ryabkov, a déclaré », « États-Unis »),
    hyphenation undone, footnote markers aside."""
    if tool == "pdfminer":
        pytest.importorskip("pdfminer", reason="pdfminer.six not installed")
    if tool == "poppler" and not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    arts, path, _ = pack
    left, right = (flat(c) for c in EXTRACTORS[tool](path))
    fr, en = _sentences(arts)
    missing = [s for s in fr if flat(s) not in left] + [s for s in en if flat(s) not in right]
    assert not missing, f"{len(missing)} of {len(fr) + len(en)} sentences not verbatim, e.g. {missing[:3]}"


def test_markers_copy_as_a_superscript_number_after_the_passage(pack):
    """« point final¹. »: the marker is the note's number in superscript digits, right after the
    passage, with nothing else (no space, no stray glyph) around it."""
    arts, path, report = pack
    left, right = (flat(c, markers=True) for c in pypdf_columns(path))
    body = left + " " + right
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    noted = [(ea, h) for ea in arts for h in ea.highlights if h.has_note]
    numbers = re.findall(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", body)
    assert len(numbers) == len(noted), "one marker per note"
    for ea, h in noted:
        from reader.export.bundle import english_cell_text

        cell = ea.article.paragraphs[h.paragraph].text if h.side == "fr" else english_cell_text(ea.english[h.paragraph])
        passage = flat(cell[h.start:h.end])
        after = re.sub(r"\s+", " ", cell[h.end:h.end + 12]).replace("\ufe0f", "")
        m = re.search(re.escape(passage[-15:]) + r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:,[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)" + re.escape(after[:6]), body)
        assert m, f"no marker right after « {passage[-30:]} » and before « {after[:6]} »"
        assert m.group(1) and all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹," for c in m.group(1))
    assert "1".translate(sup) in numbers


@needs_poppler
def test_real_hyphens_survive_line_ends_and_hyphenation_is_undone(tmp_path):
    """A compound « États-Unis » never breaks at its hyphen (poppler would join « ÉtatsUnis »); long words
    are hyphenated (French patterns on the French side), the hyphen copying as a soft hyphen."""
    words = ("Les États-Unis et la Fédération de Russie ont longuement discuté des relations "
             "internationales extraordinairement compliquées, du Moyen-Orient et des porte-avions.")
    text = " ".join([words] * 12)
    sents = []
    pos = 0
    for _ in range(12):
        sents.append(Sentence(pos, pos + len(words)))
        pos += len(words) + 1
    art = Article("Traits d’union", [Paragraph(text, sentences=sents)])
    eng = [[fake_english(0, i, words) for i in range(12)]]
    path = tmp_path / "hyphens.pdf"
    export([ExportArticle(art, eng, [], [])], path, font_size=16)
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    left, _ = poppler_columns(path)
    assert flat(left).count("États-Unis") == 12 and "ÉtatsUnis" not in flat(raw)
    assert flat(left).count("porte-avions") == 12 and flat(left).count("Moyen-Orient") == 12
    assert "\u00ad" in raw, "long words are hyphenated at 16 pt in a column"
    assert flat(left).count("extraordinairement") == 12, "hyphenation is undone on copy"
    py_left, _ = pypdf_columns(path)
    assert "\u00ad\n" in py_left and flat(py_left).count("internationales") == 12


# -- full pages ------------------------------------------------------------------------------------


def _layout(arts, **opts):
    from reader.export.pdf import lay_out

    return lay_out(arts, ExportOptions(**opts))


def bench_articles() -> list:
    """The benchmark's pack (``bench/export_pdf.py``: 50 highlights, other English), where a heading that
    could not start at a page bottom at 24 pt left 19 % of the page above it blank."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "export_pdf.py"
    spec = importlib.util.spec_from_file_location("bench_export_pdf", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.seed_articles(50)


@pytest.mark.parametrize("pack_of", [seed_export_articles, bench_articles], ids=["tests", "bench"])
@pytest.mark.parametrize("size", [8, 10.5, 16, 24])
def test_pages_are_filled(size, pack_of):
    """No page but an article's last ends with a blank band over 15 % of the text area (the old layout
    left 34–57 % blank when a long row jumped to the next page; a heading kept with its text that
    cannot start at a page bottom shares its blank with the page above)."""
    lay = _layout(pack_of(), font_size=size)
    bands = lay.blank_bands()
    assert bands and max(bands) <= 0.15, [round(b, 2) for b in bands]


@pytest.mark.parametrize("pack_of", [seed_export_articles, bench_articles], ids=["tests", "bench"])
@pytest.mark.parametrize("size", [8, 10.5, 16, 24])
def test_cuts_keep_two_lines_and_headings_keep_their_text(size, pack_of):
    """Every cut leaves two lines at least of a column on each side; a heading, a title or the column
    labels are never the last thing on a page: two lines of what follows come with them."""
    lay = _layout(pack_of(), font_size=size)
    seen_cut = False
    for page in lay.paginator.pages:
        for i, frag in enumerate(page.frags):
            for k, piece in enumerate(frag.block.pieces):
                a, b = frag.ranges[k]
                n = len(piece.box.lines)
                if b - a < n and (frag.block.kind == "row") and b > a:
                    seen_cut = True
                    assert b - a >= 2 or n < 2, (frag.block.row, a, b, n)
            if frag.block.keep_with_next and frag.last and frag.block.kind != "label":
                assert i + 1 < len(page.frags), f"{frag.block.kind} alone at a page bottom"
            if frag.block.kind == "row" and frag.block.keep_with_next:  # a heading row
                nxt = page.frags[i + 1]
                got = [b - a for a, b in nxt.ranges]
                assert all(g >= min(2, len(p.box.lines)) for g, p in zip(got, nxt.block.pieces, strict=True)
                           if p.box.lines), (size, got)
    assert seen_cut or size == 8


@needs_poppler
def test_no_heading_in_the_last_15_percent_without_its_text(pack, tmp_path):
    """From the PDF itself: the page of each section heading of the samples has two lines of text under
    it, at 10.5 and 24 pt."""
    arts = seed_export_articles()
    headings = [p.text for ea in arts for p in ea.article.paragraphs if p.kind.value == "heading"]
    assert headings
    for size in (10.5, 24):
        path = tmp_path / f"h{size}.pdf"
        export(arts, path, font_size=size)
        for page in pypdf_pages(path):
            left = flat(page["left"])
            for h in headings:
                if flat(h) in left:
                    after = left.split(flat(h), 1)[1].strip()
                    assert len(after.split()) >= 6, f"« {h} » without its text at {size} pt"


# -- highlights ------------------------------------------------------------------------------------


def _rendered_colour_under(path: Path, hide_annotations: bool, tmp_path: Path) -> float:
    """The share of coloured (not grey) pixels inside every highlight's QuadPoints, rendered by poppler."""
    from PySide6.QtGui import QImage

    annots = highlight_annots(path)
    stem = tmp_path / ("hidden" if hide_annotations else "shown")
    cmd = ["pdftoppm", "-r", "50", "-png"] + (["-hide-annotations"] if hide_annotations else [])
    subprocess.run(cmd + [str(path), str(stem)], check=True)
    pngs = sorted(tmp_path.glob(stem.name + "-*.png"))
    coloured = total = 0
    for page, a in annots:
        img = QImage(str(pngs[page]))
        k = 50 / 72
        q = [float(v) for v in a["/QuadPoints"]]
        for j in range(0, len(q), 8):
            x0, x1 = min(q[j], q[j + 4]) * k, max(q[j + 2], q[j + 6]) * k
            y0, y1 = img.height() - max(q[j + 1], q[j + 3]) * k, img.height() - min(q[j + 5], q[j + 7]) * k
            for x in range(int(x0) + 1, int(x1) - 1, 2):
                for y in range(int(y0) + 1, int(y1) - 1):
                    c = img.pixelColor(x, y)
                    total += 1
                    coloured += max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 25
    return coloured / max(1, total)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_highlights_are_drawn_once_by_their_annotation(tmp_path):
    """Delete (hide) the annotations and the colour goes: it is not painted into the page as well; the
    flatten option paints it for viewers without annotations (its annotation then draws nothing)."""
    ea = _one()
    path = tmp_path / "once.pdf"
    export([ea], path)
    assert _rendered_colour_under(path, True, tmp_path) < 0.02
    assert _rendered_colour_under(path, False, tmp_path) > 0.3
    flat_path = tmp_path / "flat.pdf"
    export([ea], flat_path, flatten_highlights=True)
    flat_dir = tmp_path / "flat"
    flat_dir.mkdir()
    assert _rendered_colour_under(flat_path, True, flat_dir) > 0.3
    notes = {h.id: h.note_text() for h in ea.highlights}
    for _, a in highlight_annots(flat_path):
        assert b" re f" not in a["/AP"]["/N"].get_object().get_data()
        assert str(a["/Contents"]) == notes[str(a["/NM"]).split("#")[0]], "the note stays in the annotation"


def test_the_preview_shows_the_highlights():
    """The dialog's first-page preview is an image, with no annotation layer: it paints them."""
    from reader.export.pdf import render_first_page

    ea = _one()
    image = render_first_page([ea], ExportOptions(), 400)
    plain = render_first_page([ea], ExportOptions(content="clean"), 400)

    def coloured(img):
        n = 0
        for x in range(0, img.width(), 2):
            for y in range(0, img.height(), 2):
                c = img.pixelColor(x, y)
                n += max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 25
        return n

    assert coloured(image) > coloured(plain) + 200


def test_counterpart_tint_is_optional_and_light(tmp_path):
    from reader.export import pdf_paint

    ea = _one()
    plain, tinted = tmp_path / "plain.pdf", tmp_path / "tinted.pdf"
    export([ea], plain)
    export([ea], tinted, counterpart_tint=True)

    def fills(p):
        from pypdf import PdfReader

        return sum(page.get_contents().get_data().count(b" re\nf") + page.get_contents().get_data().count(b"re f")
                   for page in PdfReader(str(p)).pages)

    assert fills(tinted) > fills(plain)
    assert pdf_paint.TINT_AMOUNT <= 0.15


def test_a_highlight_split_across_pages_keeps_its_note_on_every_part(tmp_path):
    text, sentences, sents = long_paragraph()
    art = Article("Long", [Paragraph(text, sentences=sents)])
    eng = [[fake_english(0, i, s) for i, s in enumerate(sentences)]]
    hl = ExportHighlight("across", "fr", 0, sents[10].start, sents[50].end, "#5fb236", "Une longue note", ["t"])
    path = tmp_path / "split.pdf"
    export([ExportArticle(art, eng, [hl], [])], path)
    parts = [(page, a) for page, a in highlight_annots(path) if str(a["/NM"]).startswith("across")]
    assert len(parts) >= 2 and len({p for p, _ in parts}) == len(parts)
    first = parts[0][1]
    assert str(first["/NM"]) == "across" and "/IRT" not in first
    for _, a in parts:
        assert str(a["/Contents"]) == hl.note_text()
    for _, a in parts[1:]:
        assert a["/IRT"].get_object() == first and a["/RT"] == "/Group"


# -- study sheet, font size, metadata ----------------------------------------------------------------


def test_only_annotated_shows_the_gaps(tmp_path):
    ea = _one()
    shown = sorted({h.paragraph for h in ea.highlights})
    path = tmp_path / "study.pdf"
    export([ea], path, only_annotated=True)
    chrome = " ".join(p["chrome"] for p in pypdf_pages(path))
    gaps = []
    before = -1
    for p in shown:
        if p != before + 1:
            gaps.append((before + 1, p - 1))
        before = p
    if before + 1 < len(ea.article.paragraphs):
        gaps.append((before + 1, len(ea.article.paragraphs) - 1))
    assert gaps
    for a, b in gaps:
        span = f"¶ {a + 1}" if a == b else f"¶ {a + 1}–{b + 1}"
        assert f"[…] {span}" in " ".join(chrome.split()), span


def test_font_size_scales_text_and_footnote_squares(tmp_path):
    from reader.export.pdf_blocks import Layout  # noqa: F401  (the layout the sizes come from)

    ea = _one()
    small = _layout([ea], font_size=8)
    large = _layout([ea], font_size=16)
    assert len(large.paginator.pages) > len(small.paginator.pages)
    assert abs(large.swatch / small.swatch - 2) < 0.01
    with pytest.raises(Exception, match="out of range"):
        export([ea], tmp_path / "x.pdf", font_size=30)


def test_metadata_xmp_and_info_agree(tmp_path):
    from pypdf import PdfReader

    arts = seed_export_articles()
    for i, ea in enumerate(arts):
        ea.article.author = f"Auteur {i}"
    path = tmp_path / "meta.pdf"
    export(arts, path)
    reader = PdfReader(str(path))
    info, xmp = reader.metadata, reader.xmp_metadata
    assert info.author.split("; ") == xmp.dc_creator == [f"Auteur {i}" for i in range(len(arts))]
    assert info.subject and xmp.dc_description["x-default"] == info.subject
    assert xmp.dc_title["x-default"] == info.title
    assert sorted(xmp.dc_language) == ["en", "fr"]
    assert "/Lang" not in reader.trailer["/Root"]
    # a pack where one article has no author names nobody rather than some
    arts[1].article.author = ""
    export(arts, path)
    reader = PdfReader(str(path))
    assert not reader.metadata.author and not (reader.xmp_metadata.dc_creator or [])
