"""The annotated bilingual PDF (reader.export.pdf): content, annotations, layout, errors.

Checked the way a user's tools see it: pypdf reads it back, poppler's ``pdftotext`` extracts the text
(whole pages and the area under each highlight's QuadPoints), ``qpdf --check`` validates the structure,
and ``pdftoppm`` renders pages into ``artifacts_dir`` for a human to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reader.core.markup import parse_article
from reader.core.model import Article, Paragraph, Sentence
from reader.core.progress import Cancelled, Progress
from pdf_readback import poppler_columns, pypdf_pages, strip_markers
from reader.export.bundle import (
    ExportArticle,
    ExportError,
    ExportGlossaryEntry,
    ExportHighlight,
    ExportOptions,
    english_cell_text,
    english_sentence_ranges,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "articles"
POPPLER = shutil.which("pdftotext") is not None
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) not installed")

_ENGLISH_WORDS = (
    "the minister said that both delegations discussed the situation in detail and agreed to keep "
    "talking while the press waited outside the room for a statement that never came during the "
    "long evening of meetings at the United Nations headquarters in New York"
).split()


def fake_english(p: int, s: int, french: str) -> str:
    """« EN p.s: » + English words, about as long as the French sentence, ending with a full stop."""
    n, i = len(french), (p * 7 + s * 3) % len(_ENGLISH_WORDS)
    text = f"EN {p}.{s}:"
    while len(text) < n:
        text += " " + _ENGLISH_WORDS[i % len(_ENGLISH_WORDS)]
        i += 1
    return text + "."


def load_seed(name: str) -> Article:
    path = SEED_DIR / name
    return parse_article(path.read_text(encoding="utf-8"), path.name)


def seed_names() -> list[str]:
    return sorted(p.name for p in SEED_DIR.glob("*.md"))


def translations(article: Article) -> list[list[str | None]]:
    return [[fake_english(p, s, t) for s, t in enumerate(para.sentence_texts())]
            for p, para in enumerate(article.paragraphs)]


def _find(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def annotate(article: Article, english: list[list[str | None]], seed: int = 0) -> list[ExportHighlight]:
    """A few highlights on both sides: a short one, one over several lines, notes with tags, Cyrillic
    and HTML-looking text in notes."""
    colors = ["#ffd400", "#ff6666", "#5fb236", "#2ea8e5", "#a28ae5"]
    out = []
    paras = [(p, para) for p, para in enumerate(article.paragraphs) if len(para.text) > 80]
    for k, (p, para) in enumerate(paras[:4]):
        first = para.sentences[0]
        words = para.text[first.start:first.end].split()
        # a short French passage (two words), then a long one (the whole first sentence)
        if k % 2 == 0:
            a = para.text.index(words[1], first.start)
            b = para.text.index(words[2], a) + len(words[2])
        else:
            a, b = first.start, first.end
        note = ["Sens : « tenir une réunion » — à retenir.", "Cyrillique : 15 сентября 2017 г.",
                "Looks like HTML: <script>alert('x')</script> & <b>bold</b>", ""][k % 4]
        tags = [["vocabulaire", "G20"], ["russe"], ["html"], []][k % 4]
        out.append(ExportHighlight(f"hl-{seed}-{p}-fr", "fr", p, a, b, colors[k % 5], note, tags,
                                   "Lectrice", "2025-10-26T14:03:00Z"))
        en = english_cell_text(english[p])
        ranges = english_sentence_ranges(english[p])
        if len(ranges) > 1 and ranges[1][1] > ranges[1][0]:
            ea, eb = ranges[1]
            out.append(ExportHighlight(f"hl-{seed}-{p}-en", "en", p, ea, eb, colors[(k + 2) % 5],
                                       f"English note {k} on « {en[ea:ea + 20]} »", ["en"], "Lectrice",
                                       "2025-10-27T09:00:00+02:00"))
    return out


def seed_export_articles(n: int | None = None) -> list[ExportArticle]:
    out = []
    for i, name in enumerate(seed_names()[:n]):
        art = load_seed(name)
        eng = translations(art)
        hls = annotate(art, eng, i)
        glossary = [
            ExportGlossaryEntry("Assemblée générale", "General Assembly", "l'Assemblée, à l'ONU"),
            ExportGlossaryEntry("homologue", "counterpart", "« son homologue russe »"),
            ExportGlossaryEntry("<b>balise</b>", "tag", "HTML-looking term, shown literally"),
        ] if i % 2 == 0 else []
        out.append(ExportArticle(art, eng, hls, glossary, english_title=f"EN title: {art.title[:60]}"))
    return out


def cyrillic_highlight(ea: ExportArticle) -> ExportHighlight | None:
    for p, para in enumerate(ea.article.paragraphs):
        if "сентября" in para.text:
            a, b = _find(para.text, "15 сентября 2017 г.")
            return ExportHighlight("hl-cyr", "fr", p, a, b, "#2ea8e5", "Date russe", ["ru"], "Lectrice",
                                   "2025-10-26T14:03:00Z")
    return None


# -- helpers reading the PDF back ---------------------------------------------------------------------

SPECIALS = "é è ê à ç œ « » “ ” ’ – — …".split() + ["сентября"]


def norm(text: str) -> str:
    """Whitespace collapsed, a line break after a hyphen removed, hyphenation undone (a line-ending
    hyphenation point extracts as a soft hyphen U+00AD, which copy-paste and search ignore), note
    markers (superscript digits) removed."""
    text = strip_markers(text).replace("\u2028", "\n")
    text = re.sub(r"\u00ad\s*", "", text)
    text = re.sub(r"-\s*\n\s*", "-", text)
    return " ".join(text.split())


def pdftotext(path: Path, first: int | None = None, last: int | None = None, *extra: str) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8", *extra]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run(cmd + [str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_words(path: Path, page: int) -> tuple[float, list[tuple[float, float, float, float, str]]]:
    """(page height, words with boxes in points, origin top-left) from ``pdftotext -bbox``."""
    out = pdftotext(path, page, page, "-bbox")
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    words = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out):
        import html

        words.append((*map(float, m.groups()[:4]), html.unescape(m.group(5))))
    return height, words


def highlight_annots(path: Path) -> list[tuple[int, dict]]:
    from pypdf import PdfReader

    out = []
    for i, page in enumerate(PdfReader(str(path)).pages):
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a.get("/Subtype") == "/Highlight":
                out.append((i, a))
    return out


def words_under(quads: list[float], words, page_h: float) -> list[str]:
    """Words whose centre lies inside one of the quads (PDF space → pdftotext's top-left space)."""
    got = []
    for k in range(0, len(quads), 8):
        x_ul, y_ul, x_ur, y_ur, x_ll, y_ll, x_lr, y_lr = quads[k:k + 8]
        left, right = min(x_ul, x_ll), max(x_ur, x_lr)
        top, bottom = page_h - max(y_ul, y_ur), page_h - min(y_ll, y_lr)
        for x0, y0, x1, y1, w in words:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            if left <= cx <= right and top <= cy <= bottom:
                got.append(w)
    return got


def key(text: str) -> str:
    """What must survive extraction, whatever the line breaks: no whitespace at all (a URL or a
    superscript « 80e » may be cut or spaced), no hyphens (poppler joins « États-⏎Unis » broken at a
    line end as « ÉtatsUnis »), no invisible variation selector (« ➡️ ») or soft hyphen, no note marker."""
    return re.sub(r"[\s\-\ufe0f\u00ad]", "", strip_markers(text))


def assert_in_order(haystack: str, needles: list[str], what: str) -> None:
    pos = 0
    haystack = key(haystack)
    for n in needles:
        n = key(n)
        if not n:
            continue
        i = haystack.find(n, pos)
        assert i >= 0, f"{what}: « {n[:80]} » not found (in order) in the extracted text"
        pos = i + len(n)


def export(articles, path: Path, **opts):
    from reader.export.pdf import ensure_gui_app, export_pdf

    ensure_gui_app()
    return export_pdf(articles, path, ExportOptions(**opts))


# -- the five seeds, exported once --------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_pdf(tmp_path_factory, artifacts_dir):
    arts = seed_export_articles()
    for ea in arts:
        h = cyrillic_highlight(ea)
        if h:
            ea.highlights.append(h)
    path = tmp_path_factory.mktemp("pdf") / "seeds.pdf"
    report = export(arts, path, title="Revue de presse", author="Lectrice")
    shutil.copy(path, artifacts_dir / "export-seeds.pdf")
    if shutil.which("pdftoppm"):
        for old in artifacts_dir.glob("export-seeds-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(artifacts_dir / "export-seeds")], check=True)
    return arts, path, report


def test_pdf_opens_and_reports(seeds_pdf):
    from pypdf import PdfReader

    arts, path, report = seeds_pdf
    reader = PdfReader(str(path))
    assert len(reader.pages) == report.pages > len(arts)
    assert report.path == path
    meta = reader.metadata
    assert meta.title == "Revue de presse"
    assert meta.author == "Lectrice"
    assert "Bilingual" in meta.subject
    # a bilingual document is not « /Lang fr » as a whole (#12): each column's text says its language
    assert "/Lang" not in reader.trailer["/Root"]
    content = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert b"/Span <</Lang (fr)>> BDC" in content and b"/Span <</Lang (en)>> BDC" in content
    assert not list(path.parent.glob(".*part")), "temp files left behind"


@needs_poppler
def test_every_sentence_extractable_in_order(seeds_pdf):
    arts, path, report = seeds_pdf
    left, right = poppler_columns(path)  # each column's text over the pages (rows may continue)
    for ea in arts:
        fr = [t for _, _, t in ea.article.all_sentences()]
        en = [t for para in ea.english for t in para if t]
        assert_in_order(left, fr, "French")
        assert_in_order(right, en, "English")
    # reading order per row (whole pages): a row's French, then its English, then the next row's French
    text = norm(pdftotext(path))
    k = key(text)
    on_one_page = {(a, p) for a, p, pages in report.rows if len(pages) == 1}
    for i, ea in enumerate(arts):
        paras = [p for p, para in enumerate(ea.article.paragraphs) if para.sentences and (i, p) in on_one_page]
        for p, q in zip(paras, paras[1:]):
            i_fr = k.find(key(ea.article.paragraphs[p].text))
            i_en = k.find(key(english_cell_text(ea.english[p])), i_fr)
            i_next = k.find(key(ea.article.paragraphs[q].text), i_fr + 1)
            assert 0 <= i_fr < i_en < i_next, (ea.article.title, p)


@needs_poppler
def test_special_characters_survive(seeds_pdf):
    arts, path, _ = seeds_pdf
    source = " ".join(p.text for ea in arts for p in ea.article.paragraphs)
    text = pdftotext(path)
    for ch in SPECIALS:
        assert ch in source, f"the seeds should contain {ch!r}"
        assert ch in text, f"{ch!r} lost in the PDF text"
    assert "\ufb01" not in text and "\ufb02" not in text, "ligature glyphs break search and copy"


def test_highlight_annotations_carry_everything(seeds_pdf):
    arts, path, report = seeds_pdf
    annots = highlight_annots(path)
    by_name = {}
    for page, a in annots:
        by_name.setdefault(str(a["/NM"]).split("#")[0], []).append((page, a))
    expected = [h for ea in arts for h in ea.highlights]
    assert report.highlights == len(annots) >= len(expected)
    for h in expected:
        assert h.id in by_name, f"no annotation for {h.id}"
        for _, a in by_name[h.id]:
            assert a["/Type"] == "/Annot"
            assert a["/Contents"] == h.note_text()
            assert a["/T"] == h.author
            assert str(a["/M"]).startswith("D:2025")
            assert a["/F"] == 4
            assert 0 < float(a["/CA"]) <= 1
            r, g, b = (float(c) for c in a["/C"])
            assert abs(r - int(h.color[1:3], 16) / 255) < 0.01
            q = [float(v) for v in a["/QuadPoints"]]
            assert q and len(q) % 8 == 0
            rect = [float(v) for v in a["/Rect"]]
            assert rect[0] <= min(q[0::2]) + 0.01 and rect[2] >= max(q[0::2]) - 0.01
            assert rect[1] <= min(q[1::2]) + 0.01 and rect[3] >= max(q[1::2]) - 0.01
            for k in range(0, len(q), 8):  # upper-left, upper-right, lower-left, lower-right
                ul, ur, ll, lr = q[k:k + 2], q[k + 2:k + 4], q[k + 4:k + 6], q[k + 6:k + 8]
                assert ul[1] == ur[1] > ll[1] == lr[1]
                assert ul[0] == ll[0] < ur[0] == lr[0]
            ap = a["/AP"]["/N"].get_object()
            assert ap["/Subtype"] == "/Form"
            gs = ap["/Resources"]["/ExtGState"]
            assert any(g.get_object()["/BM"] == "/Multiply" for g in gs.values())
            assert b" re f" in ap.get_data()
            popup = a["/Popup"].get_object()
            assert popup["/Subtype"] == "/Popup"
            assert popup["/Parent"].get_object() == a
    # notes with Cyrillic and HTML-looking text are kept verbatim
    contents = [str(a["/Contents"]) for _, a in annots]
    assert any("сентября" in c for c in contents)
    assert any("<script>" in c for c in contents)


@needs_poppler
def test_quadpoints_cover_the_highlighted_text(seeds_pdf):
    arts, path, _ = seeds_pdf
    cells = {}
    for ea in arts:
        for h in ea.highlights:
            text = ea.article.paragraphs[h.paragraph].text if h.side == "fr" else english_cell_text(
                ea.english[h.paragraph])
            cells[h.id] = text[h.start:h.end]
    pages: dict[int, tuple] = {}
    got: dict[str, list[str]] = {}
    for page, a in highlight_annots(path):
        if page not in pages:
            pages[page] = page_words(path, page + 1)
        height, words = pages[page]
        got.setdefault(str(a["/NM"]).split("#")[0], []).extend(
            words_under([float(v) for v in a["/QuadPoints"]], words, height))
    for hid, passage in cells.items():
        assert key(" ".join(got[hid])) == key(passage), hid


def test_outline_lists_the_articles(seeds_pdf):
    from pypdf import PdfReader

    arts, path, report = seeds_pdf
    reader = PdfReader(str(path))
    top = [o for o in reader.outline if not isinstance(o, list)]
    assert [o.title for o in top] == [ea.article.title for ea in arts]
    assert [reader.get_destination_page_number(o) + 1 for o in top] == report.article_pages
    assert report.article_pages[0] == 2, "a cover page with the contents comes first"


def test_fonts_are_embedded(seeds_pdf):
    from pypdf import PdfReader

    _, path, _ = seeds_pdf
    seen = 0
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descs = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descs:
                fd = d["/FontDescriptor"].get_object()
                assert "/FontFile2" in fd or "/FontFile3" in fd, f"{font['/BaseFont']} not embedded"
                assert "DejaVu" in str(font["/BaseFont"])
                seen += 1
    assert seen


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_qpdf_check_passes(seeds_pdf):
    _, path, _ = seeds_pdf
    res = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_rows_split_between_lines_two_at_least_on_each_side(seeds_pdf):
    """A row that does not fit at a page bottom is cut between lines to fill the page (#12: never
    splitting left half-blank pages); each column keeps two lines at least on each side of a cut."""
    arts, path, report = seeds_pdf
    assert len(report.rows) == sum(len(ea.article.paragraphs) for ea in arts)
    assert all(pages == list(range(pages[0], pages[0] + len(pages))) for _, _, pages in report.rows)
    split = [(a, p, pages) for a, p, pages in report.rows if len(pages) > 1]
    assert split, "the seeds at 10.5 pt fill their pages by cutting some rows"
    columns = pypdf_pages(path)
    for a, p, pages in split:
        para = arts[a].article.paragraphs[p]
        english = english_cell_text(arts[a].english[p])
        first = columns[pages[0] - 1]
        rest = " ".join(columns[i - 1]["left"] + columns[i - 1]["right"] for i in pages[1:])
        # the row starts on its first page in both columns, and continues on the next
        assert key(" ".join(para.text.split()[:3])) in key(first["left"]), (a, p)
        assert key(" ".join(english.split()[:3])) in key(first["right"]), (a, p)
        ends = key(" ".join(para.text.split()[-2:])), key(" ".join(english.split()[-2:]))
        assert ends[0] in key(rest) or ends[1] in key(rest), (a, p)


@needs_poppler
def test_footnotes_on_the_page_of_their_marker(seeds_pdf):
    """Read back from the PDF (#13: the old check compared a dict with itself): the marker after each
    noted passage, on the page where the passage ends, and the footnote with that number on that page."""
    arts, path, report = seeds_pdf
    assert report.notes and all(m == n for _, _, m, n in report.notes)
    noted = {h.id: h for ea in arts for h in ea.highlights if h.has_note}
    last_page: dict[str, int] = {}
    for page, a in highlight_annots(path):
        hid = str(a["/NM"]).split("#")[0]
        last_page[hid] = max(page, last_page.get(hid, -1))
    pages = pypdf_pages(path)
    cells = {}
    for ea in arts:
        for h in ea.highlights:
            text = ea.article.paragraphs[h.paragraph].text if h.side == "fr" else english_cell_text(
                ea.english[h.paragraph])
            cells[h.id] = text[h.start:h.end].strip()
    sup = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    for hid, h in noted.items():
        page = pages[last_page[hid]]
        body = re.sub(r"[\s\-\u00ad]", "", page["left"] + page["right"])  # markers kept
        tail = key(cells[hid])[-12:]
        m = re.search(re.escape(tail) + r"([⁰¹²³⁴⁵⁶⁷⁸⁹,]+)", body)
        assert m, f"no marker after « {cells[hid][-30:]} » on page {last_page[hid] + 1}"
        numbers = m.group(1).translate(sup).split(",")
        chrome = norm(page["chrome"])
        first_line = norm(h.note.strip() or h.note_text()).split(" Tags:")[0]
        assert any(f"{n} {first_line}" in chrome for n in numbers if n), \
            f"footnote {numbers} of {hid} not on page {last_page[hid] + 1}"


# -- options ---------------------------------------------------------------------------------------


def _one(name="rencontre-lavrov-blinken-g20.md"):
    art = load_seed(name)
    eng = translations(art)
    return ExportArticle(art, eng, annotate(art, eng), [], english_title="Lavrov-Blinken meeting at the G-20.")


def test_letter_and_a4(tmp_path):
    from pypdf import PdfReader

    for paper, size in (("a4", (595, 842)), ("letter", (612, 792))):
        path = tmp_path / f"{paper}.pdf"
        export([_one()], path, paper=paper)
        box = PdfReader(str(path)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size


@needs_poppler
def test_english_left(tmp_path):
    from pypdf import PdfReader

    ea = _one()
    path = tmp_path / "en-left.pdf"
    export([ea], path, left="en")
    text = norm(pdftotext(path))
    p = 1
    assert text.find(norm(ea.english[p][0])) < text.find(norm(ea.article.paragraphs[p].sentence_texts()[0]))
    left, right = poppler_columns(path)
    assert_in_order(left, [t for para in ea.english for t in para if t], "English")
    assert_in_order(right, [t for _, _, t in ea.article.all_sentences()], "French")
    assert "/Lang" not in PdfReader(str(path)).trailer["/Root"]  # bilingual: marked span by span
    _, words = page_words(path, 1)
    x_en = min(w[0] for w in words if w[4] == "EN")
    x_fr = min(w[0] for w in words if w[4] == "Rencontre")
    assert x_en < x_fr


@needs_poppler
def test_only_annotated_is_a_study_sheet(tmp_path):
    ea = _one()
    path = tmp_path / "study.pdf"
    report = export([ea], path, only_annotated=True)
    annotated = sorted({h.paragraph for h in ea.highlights})
    assert sorted(p for _, p, _ in report.rows) == annotated
    text = norm(pdftotext(path))
    for p, para in enumerate(ea.article.paragraphs):
        first = norm(para.sentence_texts()[0]) if para.sentences else ""
        if not first:
            continue
        assert (first in text) == (p in annotated), p


@needs_poppler
def test_endnotes(tmp_path):
    from pypdf import PdfReader

    ea = _one()
    path = tmp_path / "endnotes.pdf"
    export([ea], path, notes="endnotes")
    text = norm(pdftotext(path))
    last_sentence = norm(ea.article.all_sentences()[-1][2])
    notes_at = text.rfind("Notes")
    assert notes_at > text.find(last_sentence)
    for h in ea.highlights:
        if h.note:
            assert text.find(norm(h.note)) > notes_at
    outline = PdfReader(str(path)).outline
    assert outline[0].title == ea.article.title and outline[1][0].title == "Notes"


@needs_poppler
def test_clean_and_highlights_only(tmp_path):
    ea = _one()
    clean = tmp_path / "clean.pdf"
    export([ea], clean, content="clean")
    assert highlight_annots(clean) == []
    assert norm(ea.highlights[0].note) not in norm(pdftotext(clean))
    marks = tmp_path / "marks.pdf"
    export([ea], marks, content="highlights")
    annots = highlight_annots(marks)
    assert len(annots) == len(ea.highlights)
    assert all(str(a["/Contents"]) == "" for _, a in annots)
    assert norm(ea.highlights[0].note) not in norm(pdftotext(marks))


def long_paragraph(n: int = 70) -> tuple[str, list[str], list[Sentence]]:
    """A paragraph of ``n`` numbered sentences, several pages long: its text, sentences and ranges."""
    words = ("Le ministre a rappelé que les discussions se poursuivraient à New York malgré les "
             "désaccords sur l’Ukraine").split()
    sentences = [" ".join(words[(i % 5):]) + f" (phrase {i})." for i in range(n)]
    pos, sents = 0, []
    for s in sentences:
        sents.append(Sentence(pos, pos + len(s)))
        pos += len(s) + 1
    return " ".join(sentences), sentences, sents


@needs_poppler
def test_a_paragraph_taller_than_a_page_continues_with_both_columns(tmp_path, artifacts_dir):
    text, sentences, sents = long_paragraph()
    art = Article("Un très long paragraphe", [Paragraph("Court paragraphe d’ouverture.", sentences=[Sentence(0, 29)]),
                                              Paragraph(text, sentences=sents),
                                              Paragraph("Fin.", sentences=[Sentence(0, 4)])])
    eng = [["Short opening paragraph."], [fake_english(1, i, s) for i, s in enumerate(sentences)], ["End."]]
    hl = ExportHighlight("long", "fr", 1, sents[60].start, sents[62].end, "#5fb236", "Tout à la fin", [])
    path = tmp_path / "long.pdf"
    report = export([ExportArticle(art, eng, [hl], [])], path)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(artifacts_dir / "export-long")], check=True)
    rows = {p: pages for _, p, pages in report.rows}
    assert len(rows[1]) >= 2, "the tall row spans pages"
    assert rows[0] == [rows[1][0]] and len(rows[2]) == 1
    french_done = english_done = False
    for page in rows[1]:  # both columns continue together on every page of the row, until one ends
        t = norm(pdftotext(path, page, page))
        assert ("phrase" in t or french_done) and (" the " in t or english_done), page
        french_done = french_done or f"(phrase {len(sentences) - 1})." in t
        english_done = english_done or f"EN 1.{len(sentences) - 1}:" in t
    # nothing lost or doubled at the page breaks: every word in order, each sentence marker once
    all_text = norm(pdftotext(path))
    tokens = all_text.split()
    for i in range(70):
        assert tokens.count(f"{i}).") == 1, f"sentence {i} lost or doubled at a page break"
    it = iter(tokens)
    assert all(w in it for w in text.split()), "French words missing or out of order"
    it = iter(tokens)
    assert all(w in it for w in " ".join(eng[1]).split()), "English words missing or out of order"
    # the highlight near the end lands on a later page, with its footnote there
    annots = highlight_annots(path)
    assert annots and annots[0][0] + 1 == rows[1][-1] or annots[0][0] + 1 in rows[1]
    assert "Tout à la fin" in pdftotext(path, annots[-1][0] + 1, annots[-1][0] + 1)


# -- bad input and robustness ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["missing-folder", "directory", "inside-a-file"])
def test_bad_target_raises_export_error_and_leaves_nothing(tmp_path, where):
    (tmp_path / "afile").write_text("x")
    target = {
        "missing-folder": tmp_path / "nope" / "out.pdf",
        "directory": tmp_path,
        "inside-a-file": tmp_path / "afile" / "out.pdf",
    }[where]
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ExportError) as err:
        export([_one()], target)
    assert str(err.value).count(".") >= 1 and "\n" not in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_failure_while_writing_leaves_no_partial_file(tmp_path, monkeypatch):
    from reader.export import pdf

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "finish_pdf", boom)
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old version")
    with pytest.raises(ExportError, match="disk is full"):
        export([_one()], target)
    assert target.read_bytes() == b"old version", "the previous file is untouched"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_cancel_leaves_no_file(tmp_path):
    from reader.export.pdf import ensure_gui_app, export_pdf

    ensure_gui_app()
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        export_pdf([_one()], tmp_path / "out.pdf", ExportOptions(), progress)
    assert list(tmp_path.iterdir()) == []


def test_progress_and_worker_thread(tmp_path):
    import threading

    from reader.export.pdf import ensure_gui_app, export_pdf

    ensure_gui_app()
    seen = []
    result = {}

    def job():
        try:
            result["report"] = export_pdf([_one()], tmp_path / "t.pdf", ExportOptions(),
                                          Progress(lambda d, t, m: seen.append((d, t))))
        except Exception as exc:  # noqa: BLE001
            result["error"] = exc

    t = threading.Thread(target=job)
    t.start()
    t.join(60)
    assert "error" not in result, result.get("error")
    assert result["report"].pages >= 1
    assert seen and seen[-1][0] == seen[-1][1]


@needs_poppler
def test_untranslated_article_is_exported_with_a_note(tmp_path):
    art = load_seed("rencontre-lavrov-tillerson-new-york.md")
    eng = [[None] * len(p.sentences) for p in art.paragraphs]
    path = tmp_path / "fr-only.pdf"
    report = export([ExportArticle(art, eng, [], [])], path)
    assert report.pages >= 1
    text = norm(pdftotext(path))
    assert "Not translated yet" in text
    assert_in_order(poppler_columns(path)[0], [t for _, _, t in art.all_sentences()], "French")


def test_english_helpers_agree_with_the_side_model():
    from reader.core.sides import english_side

    art = load_seed("rencontre-lavrov-blinken-g20.md")
    eng = translations(art)
    eng[1][0] = None
    side = english_side(art, eng)
    for p in range(len(art.paragraphs)):
        assert english_cell_text(eng[p]) == side.paragraph_text(p)
        assert [tuple(r) for r in english_sentence_ranges(eng[p])] == [tuple(r) for r in side.sentences[p]]
