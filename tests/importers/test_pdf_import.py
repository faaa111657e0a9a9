"""import_pdf on real French PDFs (tests/data/pdf/SOURCES.md): a two-column paper, a government text
with running headers, a scan without a text layer; and every way a PDF can be bad."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reader.core.errors import ImportFileError
from reader.core.model import ParagraphKind, SpanKind
from reader.importers import import_file, supported_suffixes
from reader.importers.pdf import import_pdf

DATA = Path(__file__).resolve().parents[1] / "data" / "pdf"
PAPER = DATA / "gretsi2025-frugalite.pdf"  # two columns, LaTeX
JORF = DATA / "jorf-2023-06-21-delegation-dinum.pdf"  # one column, running header, two pages
SCAN = DATA / "ocrmypdf-francais-scan.pdf"  # an image of a page


@pytest.fixture(scope="module")
def paper():
    return import_pdf(PAPER)


@pytest.fixture(scope="module")
def jorf():
    return import_pdf(JORF)


def _index(article, start: str) -> int:
    hits = [i for i, p in enumerate(article.paragraphs) if p.text.startswith(start)]
    assert len(hits) == 1, (start, hits)
    return hits[0]


def _headings(article) -> list[str]:
    return [p.text for p in article.paragraphs if p.kind is ParagraphKind.HEADING]


def test_pdf_is_a_supported_suffix_and_goes_through_import_file():
    assert ".pdf" in supported_suffixes()
    assert import_file(JORF).origin == JORF.name


# --- the two-column paper --------------------------------------------------------------------------


def test_paper_title_comes_from_its_first_heading_and_is_not_repeated(paper):
    assert paper.title == (
        "Frugalité en télédétection : évaluer la performance et la consommation énergétique en détection "
        "de changements d’images PolSAR"
    )
    assert paper.origin == PAPER.name
    assert not any(p.text.startswith("Frugalité en télédétection") for p in paper.paragraphs)


def test_paper_reads_column_by_column(paper):
    order = [
        "Résumé – Dans les applications de télédétection",  # across both columns, above them
        "Abstract – In remote sensing applications",
        "1 Introduction",
        "Alors que les outils d’apprentissage machine",  # left column
        "Mesurer la frugalité est une tâche complexe",
        "Évaluer la frugalité implique la combinaison",  # bottom of the left column…
        "Cet article explore, pour la première fois",  # …then the right column
        "2 Consommation énergétique",
    ]
    positions = [_index(paper, start) for start in order]
    assert positions == sorted(positions)
    # the paragraph cut by the column break is one paragraph, read on into the right column
    evaluer = paper.paragraphs[positions[5]].text
    assert "implique la combinaison de la consommation énergétique estimée de la méthode" in evaluer
    assert evaluer.endswith("différentes méthodes de traitement de données.")


def test_paper_headings_are_kept_as_headings(paper):
    headings = _headings(paper)
    for expected in ("1 Introduction", "2 Consommation énergétique", "3 Scores de frugalité", "4 Résultats",
                     "4.1 Étude de cas", "4.2 Plan d’expérience", "4.3 Résultats obtenus", "5 Conclusions",
                     "Références"):
        assert expected in headings
    body = [p.text for p in paper.paragraphs if p.kind is ParagraphKind.BODY]
    assert not any(text in headings for text in body)


def test_paper_end_of_line_hyphenation_is_undone(paper):
    text = "\n".join(p.text for p in paper.paragraphs)
    # TeX broke these words at line ends: « éco-/logique », « éva-/luation », « fruga-/lité », « pour-/quoi »
    for word in ("l’impact écologique", "l’évaluation et l’amélioration", "qualifions de frugalité la recherche",
                 "c’est pourquoi le coût", "exponentiellement [5, 16]", "estimé à travers sa durée"):
        assert word in text
    assert not re.search(r"\b(éco|éva|fruga|pour)- ?(logique|luation|lité|quoi)\b", text)
    # a compound the paper writes with its hyphen elsewhere keeps it when a line break falls on it
    assert "création d’indice multi-critère sont possibles" in text
    assert "CodeCarbon" in text  # « Code-/Carbon »: the joined word appears in the footnote's address


def test_paper_has_no_page_numbers_and_footnotes_go_last(paper):
    assert not any(re.fullmatch(r"\d{1,3}", p.text) for p in paper.paragraphs)
    tail = [p.text for p in paper.paragraphs[-3:]]
    assert tail == [
        "1https://codecarbon.io/",
        "2https://github.com/MattVerlynde/frugal-gretsi-2025.git",  # one note over two lines
        "3https://github.com/MattVerlynde/frugal-gretsi-2025.git",
    ]
    assert paper.paragraphs[-1].spans[0].kind is SpanKind.SUPERSCRIPT
    note_call = next(p for p in paper.paragraphs if "CodeCarbon1" in p.text)
    start = note_call.text.index("CodeCarbon1") + len("CodeCarbon")
    assert any(s.kind is SpanKind.SUPERSCRIPT and (s.start, s.end) == (start, start + 1) for s in note_call.spans)


def test_paper_references_are_one_paragraph_each(paper):
    refs = [p.text for p in paper.paragraphs if re.match(r"\[\d+\] ", p.text)]
    assert [int(r[1:r.index("]")]) for r in refs] == list(range(1, 20))
    assert refs[9].startswith("[10] Firdous Ahmad MALA et Rouf ALI : The big-o of mathematics and computer")


def test_paper_sentences_are_segmented(paper):
    intro = paper.paragraphs[_index(paper, "Alors que les outils")]
    assert intro.sentence_texts()[1].startswith("C’est pourquoi il est essentiel")


# --- the government text ---------------------------------------------------------------------------


def test_jorf_metadata_title_and_author(jorf):
    assert jorf.title == "Journal officiel de la République française - N° 142 du 21 juin 2023"
    assert jorf.author == "Direction de l'information légale et administrative"


def test_jorf_running_header_is_dropped_on_every_page(jorf):
    text = "\n".join(p.text for p in jorf.paragraphs)
    assert "JOURNAL OFFICIEL" not in text
    assert "Texte 5 sur 95" not in text
    assert not any(p.text == "21 juin 2023" for p in jorf.paragraphs)


def test_jorf_headings_and_paragraphs(jorf):
    assert _headings(jorf)[:4] == [
        "Décrets, arrêtés, circulaires",
        "TEXTES GÉNÉRAUX",
        "PREMIÈRE MINISTRE",
        "Décision du 18 juin 2023 portant délégation de signature (direction interministérielle du numérique)",
    ]
    texts = [p.text for p in jorf.paragraphs]
    assert "La directrice interministérielle du numérique," in texts
    assert any(t.startswith("Vu le décret no 2005-850 du 27 juillet 2005") and t.endswith("article 3 ;")
               for t in texts)
    # list items are their own paragraphs, their hanging indents joined
    assert ("– M. Guy Duplaquet, ingénieur général des mines, chef du département « Infrastructures et "
            "services opérés » (ISO) ;") in texts
    assert texts[-1] == "S. SCHAER"


def test_jorf_paragraph_cut_by_the_page_break_is_one_paragraph(jorf):
    art4 = next(p.text for p in jorf.paragraphs if p.text.startswith("Art. 4. –"))
    assert "au sein du département « Incubateur de services numériques » :" in art4


def test_jorf_ordinals_are_superscript(jorf):
    art1 = next(p for p in jorf.paragraphs if p.text.startswith("Art. 1er. –"))
    assert [(art1.text[s.start:s.end], s.kind) for s in art1.spans][:1] == [("er", SpanKind.SUPERSCRIPT)]


# --- bad input ---------------------------------------------------------------------------------------


def test_scanned_pdf_gives_one_clear_message():
    with pytest.raises(ImportFileError) as err:
        import_pdf(SCAN)
    assert str(err.value) == (
        f"{SCAN.name} has no text layer (it is a scanned image); Vis-à-vis cannot read it without OCR."
    )


def _encrypted(path: Path, user_password: str, algorithm: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(JORF))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_password_protected_pdf_is_refused_clearly(tmp_path, algorithm):
    locked = _encrypted(tmp_path / "protege.pdf", "secret", algorithm)
    with pytest.raises(ImportFileError, match=r"^protege\.pdf is protected by a password; "):
        import_pdf(locked)


def test_pdf_encrypted_without_an_open_password_is_read(tmp_path):
    article = import_pdf(_encrypted(tmp_path / "restreint.pdf", "", "RC4-128"))
    assert any(p.text.startswith("Art. 8. –") for p in article.paragraphs)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"^No readable text found in bad\.pdf: the file is empty\.$"),
        (b"Bonjour, ceci est un texte.\n", r"^bad\.pdf is not a PDF file \(it has no PDF header\)\.$"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, r"^bad\.pdf is damaged: "),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n", r"^bad\.pdf is damaged: "),
    ],
    ids=["empty", "not-a-pdf", "garbage", "no-pages"],
)
def test_bad_files_give_one_clear_message(tmp_path, content, message):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_pdf(bad)


def test_truncated_pdf_never_raises_anything_but_a_clear_message(tmp_path):
    data = PAPER.read_bytes()
    for cut in (len(data) // 10, len(data) // 2, len(data) - 200):
        bad = tmp_path / "coupe.pdf"
        bad.write_bytes(data[:cut])
        try:
            article = import_pdf(bad)
        except ImportFileError as exc:
            assert str(exc).startswith("coupe.pdf ") or "coupe.pdf" in str(exc)
        else:
            assert article.paragraphs  # what could be read, read


def test_missing_and_oversized_files(tmp_path, monkeypatch):
    with pytest.raises(ImportFileError, match="does not exist"):
        import_pdf(tmp_path / "absent.pdf")
    from reader.importers import html

    monkeypatch.setattr(html, "MAX_BYTES", 1000)
    big = tmp_path / "gros.pdf"
    shutil.copy(JORF, big)
    with pytest.raises(ImportFileError, match=r"^gros\.pdf is too big to import"):
        import_pdf(big)


def test_a_long_import_can_be_cancelled_between_pages():
    from reader.core.progress import Cancelled, Progress

    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_file(PAPER, progress=progress)


def _handmade_pdf(path: Path, page_content: bytes, forms: dict[str, tuple[str, bytes]]) -> Path:
    """A one-page PDF in Helvetica whose page draws ``page_content`` and may invoke the form XObjects
    ``forms`` (name → (BBox, content))."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", None, font]
    xobjects = []
    for name, (bbox, content) in forms.items():
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [%s] /Resources << /Font << /F1 4 0 R >> >> "
                       b"/Length %d >>\nstream\n%s\nendstream" % (bbox.encode(), len(content), content))
        xobjects.append(b"/%s %d 0 R" % (name.encode(), len(objects)))
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page_content), page_content))
    objects[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources "
                  b"<< /Font << /F1 4 0 R >> /XObject << %s >> >> >>" % (len(objects), b" ".join(xobjects)))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_small_figure_is_not_read_but_a_form_filling_the_page_is(tmp_path):
    pdf = _handmade_pdf(
        tmp_path / "formes.pdf",
        b"BT /F1 12 Tf 72 760 Td (Le texte courant de la page, en prose.) Tj ET\n"
        b"q 1 0 0 1 72 400 cm /Chart Do Q\n/Page Do",
        {
            "Chart": ("0 0 120 90", b"BT /F1 8 Tf 10 10 Td (\311tiquette du graphique) Tj ET"),
            "Page": ("0 0 595 842", b"BT /F1 12 Tf 72 600 Td (Un paragraphe dans un formulaire pleine page.) Tj ET"),
        },
    )
    assert [p.text for p in import_pdf(pdf).paragraphs] == [
        "Le texte courant de la page, en prose.",
        "Un paragraphe dans un formulaire pleine page.",
    ]
