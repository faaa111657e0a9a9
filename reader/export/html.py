"""The bilingual annotated text as one self-contained HTML page.

Inline CSS and one small inline script (the word hover), no external resource; each paragraph is a row
of a two-column grid (``lang="fr"`` / ``lang="en"`` cells; ``minmax(0,1fr)`` columns and
``overflow-wrap:anywhere`` so a long token — a URL, a number run — wraps instead of widening its column),
highlights are ``<mark style>`` in their colour, counterpart sentences a lighter tint, notes are numbered
with links both ways: with ``notes="footnotes"`` under the row they belong to (across both columns), with
``"endnotes"`` in a « Notes » list at the end of the article; a note keeps its paragraphs and line breaks.
Only http(s) and mailto links are kept (:func:`~reader.export.bundle.safe_href`). The glossary is a
table. All text is HTML-escaped: text that looks like markup (``<b>``, ``<script>``) is shown, never
interpreted.

Word alignment: where the article carries alignments, each word is a ``<span data-w>`` and the links
are one JSON block; hovering a word outlines the words of the other side linked to it, stronger for a
higher score (the script below, ~10 lines, works offline).
"""

from __future__ import annotations

import json
from html import escape as _esc
from pathlib import Path

from reader.core.model import ParagraphKind
from reader.export.bundle import (
    NOT_TRANSLATED,
    TINT_AMOUNT,
    Cell,
    ExportArticle,
    ExportOptions,
    Note,
    PreparedArticle,
    Row,
    article_meta_line,
    atomic_text_file,
    lighten,
    note_paragraphs,
    prepare,
    safe_href,
    segments,
    speaker_prefix,
)

CSS = """
body{font-family:"DejaVu Serif",Georgia,serif;max-width:72rem;margin:2rem auto;padding:0 1.5rem;color:#1a1a1a;
line-height:1.45}
h1{font-size:1.6rem;margin:.2rem 0}.en-title{font-style:italic;font-size:1.3rem;color:#444;margin:0}
.meta{font-family:"DejaVu Sans",sans-serif;color:#6b6b6b;font-size:.85rem}
.notice{border-left:4px solid #c8c8c8;padding:.3rem .8rem;color:#6b6b6b}
.grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);column-gap:2.2rem;row-gap:.8rem;margin-top:1rem}
.cell,.notes,td{overflow-wrap:anywhere}.row-notes{grid-column:1/-1;margin:0}.notes p{margin:0 0 .3rem}
.label{font-family:"DejaVu Sans",sans-serif;font-size:.72rem;font-weight:bold;color:#6b6b6b;
border-bottom:1px solid #c8c8c8}
.cell p{margin:0}.heading{font-weight:bold;font-size:1.1rem;margin-top:.6rem}
.caption{font-style:italic;color:#6b6b6b}.quote{border-left:3px solid #c8c8c8;padding-left:.7rem;white-space:pre-line}
.untranslated{color:#6b6b6b;font-style:italic}
mark{padding:0 .05em;color:inherit}
sup.fn a{color:#b03a2e;text-decoration:none;font-weight:bold;font-family:"DejaVu Sans",sans-serif}
.notes{font-family:"DejaVu Sans",sans-serif;font-size:.85rem;border-top:1px solid #c8c8c8;margin-top:1.5rem}
.notes li{margin:.25rem 0}.tags{color:#6b6b6b}.swatch{display:inline-block;width:.7em;height:.7em;margin-right:.3em}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{text-align:left;padding:.25rem .5rem;
border-bottom:1px solid #ddd;vertical-align:top}th{font-family:"DejaVu Sans",sans-serif;font-size:.75rem;color:#6b6b6b}
article{margin-bottom:3rem}nav li{margin:.2rem 0}
.wl{box-shadow:0 0 0 2px rgba(31,111,235,var(--w,1));border-radius:2px}
@media print{article{break-before:page}.row{break-inside:avoid}}
"""


#: Hover a word (``data-w="A-P-S-fr3"``): outline it and the words linked to it (``VV_LINKS["A-P-S"]``:
#: ``[fr, en, score]``), by score.
HOVER_SCRIPT = """
(function(){var L=JSON.parse(document.getElementById("vv-links").textContent),on=[];
function light(id,w){document.querySelectorAll('[data-w="'+id+'"]').forEach(function(e){
e.classList.add("wl");e.style.setProperty("--w",w);on.push(e);});}
document.addEventListener("mouseover",function(ev){on.forEach(function(e){e.classList.remove("wl");});on=[];
var t=ev.target.closest&&ev.target.closest("[data-w]");if(!t)return;
var m=/^(.*)-(fr|en)(\\d+)$/.exec(t.getAttribute("data-w")),i=+m[3];light(t.getAttribute("data-w"),1);
(L[m[1]]||[]).forEach(function(k){if(m[2]==="fr"&&k[0]===i)light(m[1]+"-en"+k[1],k[2]);
if(m[2]==="en"&&k[1]===i)light(m[1]+"-fr"+k[0],k[2]);});});})();
"""


def _cell_words(prep: PreparedArticle, row: Row, cell: Cell) -> list[tuple[int, int, str]]:
    """(start, end, id) of the cell's aligned words, in cell offsets, in order."""
    table = prep.source.alignments
    if not table or row.paragraph >= len(table):
        return []
    out = []
    for s, (start, _end) in enumerate(cell.sentences):
        alignment = table[row.paragraph][s] if s < len(table[row.paragraph]) else None
        if alignment is None:
            continue
        spans = alignment.fr_words if cell.side == "fr" else alignment.en_words
        key = f"{prep.index + 1}-{row.paragraph}-{s}-{cell.side}"
        out += [(start + a, start + b, f"{key}{i}") for i, (a, b) in enumerate(spans)]
    return out


def _wrap_words(text: str, offset: int, words: list[tuple[int, int, str]]) -> str:
    """The escaped ``text`` (at ``offset`` in its cell) with the parts inside words wrapped for the hover;
    the paragraph's own line breaks kept (``<br>``)."""
    return _wrap_word_spans(text, offset, words).replace("\n", "<br>\n")


def _wrap_word_spans(text: str, offset: int, words: list[tuple[int, int, str]]) -> str:
    if not words:
        return esc(text)
    out, pos, end = [], offset, offset + len(text)
    for a, b, wid in words:
        if b <= pos or a >= end:
            continue
        a, b = max(a, pos), min(b, end)
        out.append(esc(text[pos - offset : a - offset]))
        out.append(f'<span data-w="{wid}">{esc(text[a - offset : b - offset])}</span>')
        pos = b
    out.append(esc(text[pos - offset :]))
    return "".join(out)


def links_json(preps: list[PreparedArticle]) -> str:
    """Every aligned sentence's links, keyed ``"A-P-S"``, as JSON safe inside ``<script>``."""
    data = {}
    for prep in preps:
        for p, row in enumerate(prep.source.alignments or []):
            for s, alignment in enumerate(row):
                if alignment is not None:
                    data[f"{prep.index + 1}-{p}-{s}"] = [[f, e, round(v, 2)] for f, e, v in alignment.links]
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


def esc(text: str) -> str:
    return _esc(text, quote=True)


def _id(prep: PreparedArticle, number: int) -> str:
    return f"a{prep.index + 1}-{number}"


def render_cell(prep: PreparedArticle, row: Row, cell: Cell, options: ExportOptions) -> str:
    if cell.untranslated:
        return f'<span class="untranslated">({NOT_TRANSLATED.lower()})</span>' if prep.translated else ""
    out = []
    prefix = speaker_prefix(row.para, cell.side) if row.para.kind == ParagraphKind.TURN else ""
    if prefix:
        out.append(f"<b>{esc(prefix)}</b>")
    words = _cell_words(prep, row, cell)
    offset = 0
    for seg in segments(row, cell):
        piece = _wrap_words(seg.text, offset, words)
        offset += len(seg.text)
        if "sup" in seg.styles:
            piece = f"<sup>{piece}</sup>"
        if "italic" in seg.styles:
            piece = f"<i>{piece}</i>"
        if "bold" in seg.styles:
            piece = f"<b>{piece}</b>"
        href = safe_href(seg.href) if "link" in seg.styles else None
        if href:
            piece = f'<a href="{esc(href)}">{piece}</a>'
        if seg.mark is not None:
            m = seg.mark
            amount = TINT_AMOUNT if m.tint else 0.6
            cls = "tint" if m.tint else "hl"
            title = ""
            if not m.tint and m.highlight is not None and options.show_notes and m.highlight.note_text():
                title = f' title="{esc(m.highlight.note_text())}"'
            tag = "span" if m.tint else "mark"
            piece = f'<{tag} class="{cls}" style="background:{lighten(m.color, amount)}"{title}>{piece}</{tag}>'
        out.append(piece)
        for note in seg.notes:
            nid = _id(prep, note.number)
            out.append(f'<sup class="fn"><a href="#fn-{nid}" id="ref-{nid}">{note.number}</a></sup>')
    return "".join(out)


def note_item(prep: PreparedArticle, note: Note) -> str:
    """One note as a list item: its colour, its paragraphs (line breaks kept), tags, a link back."""
    nid = _id(prep, note.number)
    hl = note.highlight
    paras = ["<br>".join(esc(line) for line in lines) for lines in note_paragraphs(hl.note)]
    if hl.tags:
        paras.append(f'<span class="tags">Tags: {esc(", ".join(hl.tags))}</span>')
    paras = paras or [""]
    paras[0] = f'<span class="swatch" style="background:{esc(hl.color)}"></span>{paras[0]}'
    paras[-1] += f' <a href="#ref-{nid}" aria-label="back to the text">↩</a>'
    return f'<li id="fn-{nid}" value="{note.number}">' + "".join(f"<p>{x}</p>" for x in paras) + "</li>"


def render_article(prep: PreparedArticle, options: ExportOptions) -> str:
    art = prep.article
    h = [f'<article id="article-{prep.index + 1}">', f'<h1 lang="fr">{esc(art.title)}</h1>']
    if prep.source.english_title:
        h.append(f'<p class="en-title" lang="en">{esc(prep.source.english_title)}</p>')
    meta = article_meta_line(art)
    if meta:
        h.append(f'<p class="meta">{esc(meta)}</p>')
    if not prep.translated:
        h.append(f'<p class="notice"><b>{NOT_TRANSLATED}.</b> This article has no English translation: only the '
                 "French text is exported.</p>")
    names = {"fr": "FRANÇAIS", "en": "ENGLISH"}
    h.append('<div class="grid">')
    h.append("".join(f'<div class="label">{names[s]}</div>' for s in (options.left, options.right)))
    kind_class = {ParagraphKind.HEADING: "heading", ParagraphKind.CAPTION: "caption", ParagraphKind.QUOTE: "quote"}
    footnotes = options.show_notes and options.notes == "footnotes"
    for row in prep.rows:
        cls = kind_class.get(row.para.kind, "")
        for side in (options.left, options.right):
            cell = row.cells[side]
            h.append(f'<div class="cell row {cls}" lang="{side}" id="p{prep.index + 1}-{row.paragraph}-{side}">'
                     f"<p>{render_cell(prep, row, cell, options)}</p></div>")
        row_notes = row.cells[options.left].notes + row.cells[options.right].notes
        if footnotes and row_notes:
            h.append('<aside class="notes row-notes"><ol>' + "".join(note_item(prep, n) for n in row_notes)
                     + "</ol></aside>")
    h.append("</div>")
    if options.show_notes and prep.notes and not footnotes:
        h.append('<section class="notes"><h2>Notes</h2><ol>')
        h += [note_item(prep, note) for note in prep.notes]
        h.append("</ol></section>")
    if prep.source.glossary:
        h.append("<section><h2>Glossaire · Glossary</h2><table><thead><tr><th>Français</th><th>English</th>"
                 "<th>Note</th></tr></thead><tbody>")
        for e in prep.source.glossary:
            h.append(f'<tr><td lang="fr"><b>{esc(e.term)}</b></td><td lang="en">{esc(e.translation)}</td>'
                     f"<td>{esc(e.appendix_note)}</td></tr>")
        h.append("</tbody></table></section>")
    h.append("</article>")
    return "\n".join(h)


def render_html(articles: list[ExportArticle], options: ExportOptions | None = None) -> str:
    options = options or ExportOptions()
    options.validate()
    preps = [prepare(ea, options, i) for i, ea in enumerate(articles)]
    title = options.title or (preps[0].article.title if len(preps) == 1 else f"{len(preps)} articles — Vis-à-vis")
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{options.left}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        '<meta name="generator" content="Vis-à-vis">',
    ]
    if options.author:
        head.append(f'<meta name="author" content="{esc(options.author)}">')
    head.append(f"<style>{CSS}</style></head><body>")
    body = []
    if len(preps) > 1:
        body.append(f"<h1>{esc(title)}</h1><nav><ol>")
        body += [f'<li><a href="#article-{p.index + 1}">{esc(p.article.title)}</a></li>' for p in preps]
        body.append("</ol></nav>")
    body += [render_article(p, options) for p in preps]
    if any(p.source.alignments for p in preps):
        body.append(f'<script type="application/json" id="vv-links">{links_json(preps)}</script>')
        body.append(f"<script>{HOVER_SCRIPT}</script>")
    return "\n".join(head + body + ["</body></html>", ""])


def export_html(articles: list[ExportArticle], path: Path, options: ExportOptions | None = None) -> Path:
    """Write the HTML file atomically; raises :class:`~reader.export.bundle.ExportError`."""
    text = render_html(articles, options)
    with atomic_text_file(Path(path)) as fh:
        fh.write(text)
    return Path(path)
