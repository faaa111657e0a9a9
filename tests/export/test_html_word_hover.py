"""The HTML export keeps the word hover: words wrapped, links as JSON, a few lines of inline script."""

from __future__ import annotations

import json
import re

from reader.core.wordalign import WordAlignment, words
from reader.export.bundle import ExportArticle, ExportHighlight, english_cell_text
from reader.export.html import render_html
from test_markdown_html import parse, tricky_article


def _aligned(ea: ExportArticle) -> ExportArticle:
    para = ea.article.paragraphs[0]
    table = []
    for s, sentence in enumerate(para.sentences):
        fr = para.text[sentence.start:sentence.end]
        en = ea.english[0][s]
        fw, ew = words(fr, "fr"), words(en, "en")
        links = tuple((min(e, len(fw) - 1), e, 0.5 + 0.5 * (e % 2)) for e in range(len(ew)))
        table.append(WordAlignment(fw, ew, links))
    ea.alignments = [table]
    return ea


def test_words_are_wrapped_and_linked_without_changing_the_text():
    ea = _aligned(tricky_article())
    # a highlight that starts inside a word: the word is cut in two spans with the same id
    en_text = english_cell_text(ea.english[0])
    ea.highlights.append(ExportHighlight("h3", "en", 0, en_text.index("ext"), en_text.index("ext") + 2,
                                         "#ffd400", "", [], "Moi"))
    html = render_html([ea])
    # same visible text as without alignments (script blocks aside)
    strip = lambda h: " ".join("".join(parse(re.sub(r"<script.*?</script>", "", h, flags=re.S)).text).split())
    assert strip(html) == strip(render_html([tricky_article()]))
    spans = re.findall(r'<span data-w="([^"]+)">(.*?)</span>', html)
    ids = {i for i, _ in spans}
    para = ea.article.paragraphs[0]
    for s, alignment in enumerate(ea.alignments[0]):
        sentence = para.sentences[s]
        fr = para.text[sentence.start:sentence.end]
        for i, (a, b) in enumerate(alignment.fr_words):
            wid = f"1-0-{s}-fr{i}"
            assert wid in ids
            got = "".join(t for k, t in spans if k == wid)
            assert got == fr[a:b].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for i in range(len(alignment.en_words)):
            assert f"1-0-{s}-en{i}" in ids
    assert [t for k, t in spans if k == "1-0-0-en1"] == ["t", "ex", "t"]  # "text" cut by the highlight
    data = json.loads(re.search(r'<script type="application/json" id="vv-links">(.*?)</script>', html, re.S).group(1))
    assert data["1-0-0"] == [list(link) for link in ea.alignments[0][0].links]
    # self-contained: the script is inline, nothing is fetched
    c = parse(html)
    assert not c.srcs and "http" not in re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert html.count("<script") == 2


def test_no_alignment_no_script():
    html = render_html([tricky_article()])
    assert "data-w=" not in html and "<script" not in html
