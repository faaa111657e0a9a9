"""#14.2: a paragraph's own line breaks (the embedded tweet of the Tillerson sample) are kept in the
Markdown and HTML exports, on the French and on the English (which breaks where the French does)."""

from __future__ import annotations

from test_pdf import seed_export_articles

from reader.core.sides import english_side, join_english, line_breaks_before
from reader.export.bundle import ExportOptions
from reader.export.html import render_html
from reader.export.markdown import render_markdown


def tillerson():
    ea = next(a for a in seed_export_articles() if "Tillerson" in a.article.title)
    p = next(i for i, para in enumerate(ea.article.paragraphs) if "RT France" in para.text)
    return ea, p


def test_english_breaks_where_the_french_does_with_the_same_offsets():
    ea, p = tillerson()
    para = ea.article.paragraphs[p]
    ranges = [(s.start, s.end) for s in para.sentences]
    assert line_breaks_before(para.text, ranges) == {1, 2}
    plain, plain_ranges = join_english(ea.english[p])
    broken, broken_ranges = join_english(ea.english[p], {1, 2})
    assert broken_ranges == plain_ranges and len(broken) == len(plain)
    assert broken.count("\n") == 2
    # the English side annotations are anchored on is unchanged (one space between sentences)
    assert "\n" not in english_side(ea.article, ea.english).paragraphs[p]


def test_markdown_keeps_the_tweets_line_breaks():
    ea, p = tillerson()
    md = render_markdown([ea], ExportOptions(content="clean"))
    assert "l'escalade\\\n— RT France (@RTenfrancais)" in md
    second = ea.english[p][1]
    assert f"\\\n> {second[:12]}" in md  # the English quote breaks too, and stays one blockquote


def test_html_keeps_the_tweets_line_breaks():
    ea, p = tillerson()
    html = render_html([ea], ExportOptions(content="clean"))
    assert "escalade<br>\n— RT France" in html
    assert html.count("<br>\n") >= 4  # two on each side
