"""Markdown, HTML and PDF: unsafe links dropped (one rule, ``safe_href``, for all three), notes keep their paragraphs, footnotes vs endnotes, highlight
colours in Markdown. (Issue #12, item 10.)"""

from __future__ import annotations

import re

import pytest

from reader.core.annotations import PALETTE
from reader.core.model import Article, Paragraph, Sentence, Span, SpanKind
from reader.export.bundle import ExportArticle, ExportHighlight, ExportOptions, english_cell_text, safe_href
from reader.export.html import render_html
from reader.export.markdown import render_markdown

UNSAFE = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
          "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd", "&#106;avascript:x"]
NOTE = "Premier paragraphe,\nligne deux.\n\nSecond paragraphe.\n\n- pas une liste\n# pas un titre\n---\n1."


def linked_article(href: str) -> ExportArticle:
    fr = "Voici un lien et la suite. Deuxième phrase."
    i, j = fr.index("un lien"), fr.index("un lien") + len("un lien")
    k = fr.index("Deuxième")
    para = Paragraph(fr, sentences=[Sentence(0, k - 1), Sentence(k, len(fr))],
                     spans=[Span(i, j, SpanKind.LINK, href=href)])
    return ExportArticle(Article("Liens", [para]), [["Here is a link and more.", "Second sentence."]])


def noted_article(colors=("#ffd400",)) -> ExportArticle:
    paras, english, highlights = [], [], []
    for p in range(2):
        fr = f"Paragraphe {p} première phrase. Paragraphe {p} seconde phrase."
        k = fr.index(f"Paragraphe {p} seconde")
        paras.append(Paragraph(fr, sentences=[Sentence(0, k - 1), Sentence(k, len(fr))]))
        english.append([f"Paragraph {p} first sentence.", f"Paragraph {p} second sentence."])
    for n, color in enumerate(colors):
        p = n % 2
        start = (n // 2) * 11
        highlights.append(ExportHighlight(f"h{n}", "fr", p, start, start + 10, color, NOTE if n == 0 else f"note {n}",
                                          ["t"]))
    en = english_cell_text(english[1])
    highlights.append(ExportHighlight("e", "en", 1, 0, en.index(" first"), "#2ea8e5", "English note"))
    return ExportArticle(Article("Notes", paras), english, highlights)


@pytest.mark.parametrize("href", UNSAFE)
def test_unsafe_links_are_dropped_text_kept(href):
    assert safe_href(href) is None
    md = render_markdown([linked_article(href)])
    assert "un lien" in md and "](" not in md and "script:" not in md.lower().replace("\\", "")
    assert "vbscript" not in md and "data:" not in md and "file:" not in md
    html = render_html([linked_article(href)])
    assert "un lien" in html and "<a href" not in html


def test_safe_links_are_kept():
    md = render_markdown([linked_article("https://example.org/a b>c")])
    assert "[un lien](<https://example.org/a%20b%3Ec>)" in md
    assert '<a href="mailto:x@example.org">un lien</a>' in render_html([linked_article("mailto:x@example.org")])


def pdf_link_uris(href: str, tmp_path) -> list[str]:
    """The URIs of the link annotations of the PDF export of :func:`linked_article`."""
    from pypdf import PdfReader

    from reader.export.pdf import ensure_gui_app, export_pdf

    ensure_gui_app()
    path = tmp_path / "links.pdf"
    export_pdf([linked_article(href)], path, ExportOptions())
    uris = []
    for page in PdfReader(str(path)).pages:
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a.get("/Subtype") == "/Link":
                uris.append(str(a["/A"]["/URI"]))
    return uris


@pytest.mark.parametrize("href", UNSAFE)
def test_pdf_gives_an_unsafe_link_no_link_annotation(href, tmp_path):
    assert pdf_link_uris(href, tmp_path) == []


@pytest.mark.parametrize("href, uri", [("https://e.org/x", "https://e.org/x"),
                                       ("mailto:x@example.org", "mailto:x@example.org"),
                                       # cleaned as browsers and the other exports clean it
                                       ("\thttps://e.org/tab", "https://e.org/tab"),
                                       ("https://e.org/a\tb", "https://e.org/ab")])
def test_pdf_links_follow_the_rule_of_the_other_exports(href, uri, tmp_path):
    assert safe_href(href) == uri
    assert pdf_link_uris(href, tmp_path) == [uri]


def test_markdown_parser_sees_no_javascript_link():
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(render_markdown([linked_article("javascript:alert(1)")]))
    assert "href" not in html
    html = markdown_it.MarkdownIt("commonmark").render(render_markdown([linked_article("https://e.org/x")]))
    assert '<a href="https://e.org/x">un lien</a>' in html


def test_markdown_footnote_keeps_paragraphs_and_line_breaks():
    md = render_markdown([noted_article()], ExportOptions(notes="footnotes"))
    definition = md[md.index("[^1-1]:"):]
    # paragraph 1 with a hard line break, continuation lines indented 4 spaces (inside the footnote)
    assert definition.startswith("[^1-1]: Premier paragraphe,\\\n    ligne deux.\n\n    Second paragraphe.\n\n")
    # lines that would start a list or a heading are escaped
    assert "    \\- pas une liste\\\n    \\# pas un titre\\\n    \\---\\\n    1\\. *Tags: t*" in definition


def test_markdown_footnotes_follow_their_row_and_endnotes_are_a_list():
    foot = render_markdown([noted_article()], ExportOptions(notes="footnotes"))
    refs = re.findall(r"\[\^(\d+-\d+)\](?!:)", foot)
    defs = re.findall(r"^\[\^(\d+-\d+)\]:", foot, re.M)
    assert refs and sorted(refs) == sorted(defs)
    # the definition of paragraph 0's note comes before paragraph 1's text
    assert foot.index("[^1-1]:") < foot.index("Paragraphe 1 première")
    assert "### Notes" not in foot

    end = render_markdown([noted_article()], ExportOptions(notes="endnotes"))
    assert "[^" not in end and "### Notes" in end
    assert "<sup>1</sup>" in end and "<sup>2</sup>" in end
    notes = end[end.index("### Notes"):]
    assert notes.index("1. Premier paragraphe,\\\n   ligne deux.\n\n   Second paragraphe.") >= 0
    assert notes.index("1. ") < notes.index("2. ")


def test_markdown_endnotes_render_as_paragraphs_in_a_list():
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(render_markdown([noted_article()],
                                                                       ExportOptions(notes="endnotes")))
    notes = html[html.index("<h3>Notes</h3>"):]
    first = notes[notes.index("<li>"):notes.index("</li>")]
    assert first.count("<p>") == 3 and "Premier paragraphe,<br />" in first and "<h1>" not in first
    assert "<ul>" not in first and "<hr" not in first and "<h2>" not in first and "<ol>" not in first


def test_markdown_keeps_highlight_colours():
    md = render_markdown([noted_article(tuple(PALETTE.values()))])
    for name in PALETTE:
        assert f'<mark class="{name}" style="background:#' in md, name
    assert "==" not in md


def test_html_notes_keep_paragraphs_and_follow_the_option():
    foot = render_html([noted_article()], ExportOptions(notes="footnotes"))
    assert '<aside class="notes row-notes">' in foot and '<section class="notes">' not in foot
    # the note of paragraph 0 sits right after paragraph 0's row, before paragraph 1
    assert foot.index('id="fn-a1-1"') < foot.index('id="p1-1-fr"')
    item = foot[foot.index('id="fn-a1-1"'):]
    item = item[:item.index("</li>")]
    assert '"></span>Premier paragraphe,<br>ligne deux.</p><p>Second paragraphe.</p>' in item  # swatch inline
    assert '<p><span class="tags">Tags: t</span> <a href="#ref-a1-1"' in item

    end = render_html([noted_article()], ExportOptions(notes="endnotes"))
    assert "row-notes" not in end.split("</style>")[1] and '<section class="notes"><h2>Notes</h2>' in end
    assert end.index('id="p1-1-fr"') < end.index('id="fn-a1-1"')
    for html in (foot, end):
        refs = set(re.findall(r'href="#fn-([\w-]+)"', html))
        ids = set(re.findall(r'<li id="fn-([\w-]+)"', html))
        assert refs == ids and len(ids) == 2
