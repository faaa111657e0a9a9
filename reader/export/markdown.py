"""The bilingual annotated text as Markdown (CommonMark + the common extensions).

Per paragraph: the French text, then its English as a blockquote (or the other way round with
``options.left == "en"``). Every character of the text that Markdown would interpret (``*``, ``_``,
``<``, ``[``…) is backslash-escaped, so text that looks like HTML or markup is shown literally.

Highlights
    ``<mark class="yellow" style="background:#ffe566">…</mark>`` (the palette name as the class, the
    colour lightened as in the HTML export). ``==mark==`` has no colour, so inline HTML it is: Obsidian,
    Typora, VS Code, Pandoc and markdown-it (with HTML on) show the colour; GitHub keeps the ``<mark>``
    and drops the style (a plain highlight). Text inside is still Markdown (escaped, bold, links).
Links
    Only absolute ``http``, ``https`` and ``mailto`` links are kept (:func:`~reader.export.bundle.safe_href`,
    as in the HTML and PDF exports); any other (``javascript:``, ``data:``…) keeps its text, not its link.
Notes (``options.notes``)
    ``footnotes``: Markdown footnotes ``[^1-3]`` (article 1, note 3), each defined right after the row it
    belongs to (viewers gather them at the bottom). ``endnotes``: a superscript number in the text and a
    numbered « Notes » list at the end of the article, which any CommonMark viewer shows. Either way a
    note keeps its paragraphs and line breaks (continuation lines indented, hard breaks ``\\``).
Glossary terms are a table.
"""

from __future__ import annotations

import re
from pathlib import Path

from reader.core.annotations import PALETTE
from reader.core.model import ParagraphKind
from reader.export.bundle import (
    NOT_TRANSLATED,
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

_COLOR_NAMES = {hexa.lower(): name for name, hexa in PALETTE.items()}

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~=&^$])")
_LINE_START = re.compile(r"^(\s*)(#|[+\-](?=\s|[+\-]|$)|\d+(?=[.)](\s|$)))")


def escape(text: str) -> str:
    """Backslash-escape the Markdown punctuation that could start markup or HTML (any backslash-escaped
    ASCII punctuation is literal in CommonMark)."""
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", " ")


def _block_start(text: str) -> str:
    """Escape what would make a line a heading, a list item or a numbered list."""
    m = _LINE_START.match(text)
    if not m:
        return text
    lead, tok = m.group(1), m.group(2)
    if tok[0].isdigit():
        return f"{lead}{tok}\\{text[m.end():]}"
    return f"{lead}\\{text[len(lead):]}"


def _note_label(prep: PreparedArticle, note: Note) -> str:
    return f"[^{prep.index + 1}-{note.number}]"


def _marker(prep: PreparedArticle, note: Note, options: ExportOptions) -> str:
    return _note_label(prep, note) if options.notes == "footnotes" else f"<sup>{note.number}</sup>"


def _mark(piece: str, color: str) -> str:
    """A highlight: ``<mark>`` with the palette name as class and the colour as style."""
    name = _COLOR_NAMES.get((color or "").lower(), "custom")
    return _wrap(piece, f'<mark class="{name}" style="background:{lighten(color, 0.6)}">', "</mark>")


def note_markdown(note: Note, indent: int) -> str:
    """A note's body (and tags) as Markdown: paragraphs kept, line breaks as hard breaks, every line after
    the first indented by ``indent`` spaces (so it stays inside its footnote or list item)."""
    hl = note.highlight
    paras = [[_block_start(escape(line)) for line in lines] for lines in note_paragraphs(hl.note)]
    if hl.tags:
        tags = "*Tags: " + escape(", ".join(hl.tags)) + "*"
        if paras:
            paras[-1][-1] += " " + tags
        else:
            paras = [[tags]]
    pad = " " * indent
    return f"\n\n{pad}".join(f"\\\n{pad}".join(lines) for lines in paras)


def _definitions(prep: PreparedArticle, notes: list[Note]) -> list[str]:
    return [f"{_note_label(prep, n)}: {note_markdown(n, 4)}" for n in notes]


def _wrap(inner: str, open_: str, close: str) -> str:
    """Wrap keeping surrounding spaces outside the delimiters (CommonMark emphasis rules)."""
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{open_}{stripped}{close}{trail}"


def render_cell(prep: PreparedArticle, row: Row, cell: Cell, options: ExportOptions) -> str:
    if cell.untranslated:
        return f"*{NOT_TRANSLATED.lower()}*" if prep.translated else ""
    out = []
    for seg in segments(row, cell):
        # the paragraph's own line breaks (an embedded tweet) as hard breaks
        piece = "\\\n".join(escape(line) for line in seg.text.split("\n"))
        if "sup" in seg.styles:
            piece = f"<sup>{piece}</sup>"
        if "italic" in seg.styles:
            piece = _wrap(piece, "*", "*")
        if "bold" in seg.styles:
            piece = _wrap(piece, "**", "**")
        href = safe_href(seg.href) if "link" in seg.styles else None
        if href:
            href = href.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
            piece = f"[{piece}](<{href}>)"
        if seg.mark is not None and not seg.mark.tint:
            piece = _mark(piece, seg.mark.color)
        out.append(piece)
        for note in seg.notes:
            out.append(_marker(prep, note, options))
    text = "".join(out)
    prefix = speaker_prefix(row.para, cell.side) if row.para.kind == ParagraphKind.TURN else ""
    if prefix:
        text = f"**{escape(prefix.strip())}** {text}"
    if row.para.kind == ParagraphKind.CAPTION:
        text = _wrap(text, "*", "*")
    if row.para.kind == ParagraphKind.HEADING:
        text = text.replace("\\\n", " ")
    return "\n".join(_block_start(line) for line in text.split("\n"))


def render_article(prep: PreparedArticle, options: ExportOptions) -> str:
    art = prep.article
    lines = [f"# {escape(art.title)}", ""]
    if prep.source.english_title:
        lines += [f"*{escape(prep.source.english_title)}*", ""]
    meta = article_meta_line(art)
    if meta:
        lines += [escape(meta), ""]
    if not prep.translated:
        lines += [f"> **{NOT_TRANSLATED}.** This article has no English translation: only the French text "
                  "is exported.", ""]
    lines += ["---", ""]
    footnotes = options.show_notes and options.notes == "footnotes"
    for row in prep.rows:
        first, second = row.cells[options.left], row.cells[options.right]
        a = render_cell(prep, row, first, options)
        b = render_cell(prep, row, second, options)
        lines += [f"## {a}" if row.para.kind == ParagraphKind.HEADING else a, ""]
        if b:
            lines += ["> " + b.replace("\n", "\n> "), ""]
        row_notes = first.notes + second.notes
        if footnotes and row_notes:
            lines += _definitions(prep, row_notes) + [""]
    if options.show_notes and prep.notes and not footnotes:
        lines += ["### Notes", ""]
        for note in prep.notes:
            lines += [f"{note.number}. {note_markdown(note, len(str(note.number)) + 2)}", ""]
    if prep.source.glossary:
        lines += ["## Glossaire · Glossary", "", "| Français | English | Note |", "| --- | --- | --- |"]
        for e in prep.source.glossary:
            lines.append(f"| {escape(e.term)} | {escape(e.translation)} | {escape(e.appendix_note)} |")
        lines.append("")
    return "\n".join(lines)


def render_markdown(articles: list[ExportArticle], options: ExportOptions | None = None) -> str:
    options = options or ExportOptions()
    options.validate()
    parts = []
    if options.title:
        parts.append(f"% {escape(options.title)}\n")
    for i, ea in enumerate(articles):
        parts.append(render_article(prepare(ea, options, i), options))
    return "\n\n".join(parts).rstrip() + "\n"


def export_markdown(articles: list[ExportArticle], path: Path, options: ExportOptions | None = None) -> Path:
    """Write the Markdown file atomically; raises :class:`~reader.export.bundle.ExportError`."""
    text = render_markdown(articles, options)
    with atomic_text_file(Path(path)) as fh:
        fh.write(text)
    return Path(path)
