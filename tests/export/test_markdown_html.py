"""Markdown and HTML exports: the same bilingual annotated content, escaped, with footnotes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from reader.core.model import Article, Paragraph, Sentence, Span, SpanKind
from reader.export.bundle import (
    ExportArticle,
    ExportError,
    ExportGlossaryEntry,
    ExportHighlight,
    ExportOptions,
    english_cell_text,
)
from reader.export.html import export_html, render_html
from reader.export.markdown import export_markdown, render_markdown
from test_pdf import seed_export_articles  # the same five seeds, fake English and highlights


def tricky_article() -> ExportArticle:
    """Text that looks like HTML and Markdown, a highlight on each side, notes with tags."""
    fr = "Le texte <b>gras</b> et <script>alert('x')</script> reste *littéral* [sic] & 1 < 2. Deuxième phrase."
    i = fr.index("Deuxième")
    para = Paragraph(fr, sentences=[Sentence(0, i - 1), Sentence(i, len(fr))], spans=[Span(0, 2, SpanKind.BOLD)])
    en = ["The text <b>bold</b> and <script>x</script> stays *literal* & 1 < 2.", "Second sentence."]
    art = Article("Titre <i>piégé</i> & « guillemets »", [para], source="AFP")
    hl_fr = ExportHighlight("h1", "fr", 0, fr.index("<script>"), fr.index("</script>") + 9, "#ff6666",
                            "Note with <script>alert(1)</script>", ["html", "tag<b>"], "Moi")
    en_text = english_cell_text(en)
    hl_en = ExportHighlight("h2", "en", 0, en_text.index("Second"), len(en_text), "#5fb236", "Deuxième note",
                            ["en"], "Moi")
    return ExportArticle(art, [en], [hl_fr, hl_en], [ExportGlossaryEntry("<b>terme</b>", "term", "n<o>te")],
                         english_title="Tricky <title>")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.ids, self.hrefs, self.srcs = [], [], set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_html_escapes_text_that_looks_like_markup():
    ea = tricky_article()
    html = render_html([ea])
    c = parse(html)
    assert "script" not in c.tags and "i" not in [t for t in c.tags if t == "i"][:0]
    assert c.tags.count("b") >= 1  # our own bold (span, speaker) only
    text = "".join(c.text)
    assert "<script>alert('x')</script>" in text
    assert "<b>gras</b>" in text
    assert "Titre <i>piégé</i> & « guillemets »" in text
    assert "Note with <script>alert(1)</script>" in text
    assert "<b>terme</b>" in text and "n<o>te" in text
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_html_is_self_contained_two_columns_with_footnotes(tmp_path):
    arts = seed_export_articles()
    path = tmp_path / "out.html"
    export_html(arts, path, ExportOptions(title="Revue"))
    html = path.read_text(encoding="utf-8")
    c = parse(html)
    assert not c.srcs and "<link" not in html and "@import" not in html and "url(" not in html
    assert all(h.startswith("#") or h.startswith(("http://", "https://", "mailto:")) for h in c.hrefs)
    # two equal columns that a long token cannot widen (issue #12: plain 1fr grew with the longest word)
    assert "grid-template-columns:minmax(0,1fr) minmax(0,1fr)" in html and "overflow-wrap:anywhere" in html
    # the text without footnote markers (sup.fn) reads as the sentences
    text = " ".join("".join(parse(re.sub(r'<sup class="fn">.*?</sup>', "", html)).text).split())
    for ea in arts:
        for _, _, s in ea.article.all_sentences():
            assert " ".join(s.split()) in text
        for para in ea.english:
            for s in para:
                assert s in text
    # every footnote reference has its note, and every note links back
    refs = [h[1:] for h in c.hrefs if h.startswith("#fn-")]
    backs = [h[1:] for h in c.hrefs if h.startswith("#ref-")]
    assert refs and all(r in c.ids for r in refs) and all(b in c.ids for b in backs)
    assert len(refs) == len(backs) == sum(1 for ea in arts for h in ea.highlights if h.has_note)
    assert html.count("<mark") >= sum(len(ea.highlights) for ea in arts)
    assert 'background:#' in html


def test_html_options_clean_and_english_left():
    ea = tricky_article()
    clean = render_html([ea], ExportOptions(content="clean"))
    assert "<mark" not in clean and "fn-" not in clean
    marks = render_html([ea], ExportOptions(content="highlights"))
    assert "<mark" in marks and 'class="fn"' not in marks
    left = render_html([ea], ExportOptions(left="en"))
    assert left.index('lang="en" id="p1-0-en"') < left.index('lang="fr" id="p1-0-fr"')


def test_markdown_content_marks_and_footnotes(tmp_path):
    arts = seed_export_articles()
    path = tmp_path / "out.md"
    export_markdown(arts, path, ExportOptions())
    md = path.read_text(encoding="utf-8")
    plain = re.sub(r"\[\^\d+-\d+\]|<mark [^>]*>|</mark>", "", md.replace("\\", ""))
    for ea in arts:
        assert f"# {ea.article.title}" in plain
        for para in ea.english:
            for s in para:
                assert s in plain
    assert '<mark class="' in md and "</mark>" in md  # highlights in their colour (issue #12: == had none)
    refs = set(re.findall(r"\[\^(\d+-\d+)\](?!:)", md))
    defs = set(re.findall(r"^\[\^(\d+-\d+)\]:", md, re.M))
    assert refs and refs == defs
    assert "> EN 0.0:" in md  # English as a blockquote under its French
    assert "| Français | English | Note |" in md


def test_markdown_escapes_markup():
    md = render_markdown([tricky_article()])
    assert "\\<script\\>" in md and "<script>" not in md
    assert "\\*littéral\\*" in md and "\\[sic\\]" in md
    assert "Note with \\<script\\>alert(1)\\</script\\>" in md
    assert '<mark class="red" style="background:#ffa3a3">\\<script\\>alert(\'x\')\\</script\\></mark>[^1-1]' in md
    assert '<mark class="green" style="background:#9fd186">Second sentence.</mark>[^1-2]' in md
    assert "**Le** texte" in md


def test_only_annotated_and_untranslated():
    arts = seed_export_articles(1)
    ea = arts[0]
    md = render_markdown([ea], ExportOptions(only_annotated=True))
    annotated = {h.paragraph for h in ea.highlights}
    for p, para in enumerate(ea.article.paragraphs):
        if para.text and p not in annotated:
            assert para.text[:40].replace("*", "") not in md.replace("\\", "")
    ea.english = [[None] * len(p.sentences) for p in ea.article.paragraphs]
    ea.highlights = [h for h in ea.highlights if h.side == "fr"]
    html = render_html([ea])
    assert "Not translated yet" in html
    assert "Not translated yet" in render_markdown([ea])


@pytest.mark.parametrize("fn", [export_markdown, export_html])
def test_bad_target(tmp_path, fn):
    (tmp_path / "f").write_text("x")
    for target in (tmp_path / "missing" / "x.out", tmp_path, tmp_path / "f" / "x.out"):
        with pytest.raises(ExportError):
            fn([tricky_article()], target, ExportOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
