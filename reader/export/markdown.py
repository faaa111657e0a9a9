"""The bilingual annotated text as Markdown (CommonMark + the common extensions).

Per paragraph: the French text, then its English as a blockquote (or the other way round with
``options.left == "en"``). Highlights are ``==marked==`` (Obsidian, Typora, markdown-it-mark, Pandoc's
``mark`` extension), notes are footnotes ``[^1-3]`` (article 1, note 3) defined at the end of each article,
glossary terms are a table. Every character of the text that Markdown would interpret (``*``, ``_``,
``<``, ``[``…) is backslash-escaped, so text that looks like HTML or markup is shown literally.
"""

from __future__ import annotations

import re
from pathlib import Path

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
    prepare,
    segments,
    speaker_prefix,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~=&^$])")
_LINE_START = re.compile(r"^(\s*)(#|[+\-](?=\s)|\d+(?=[.)]\s))")


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
        piece = escape(seg.text)
        if "sup" in seg.styles:
            piece = f"<sup>{piece}</sup>"
        if "italic" in seg.styles:
            piece = _wrap(piece, "*", "*")
        if "bold" in seg.styles:
            piece = _wrap(piece, "**", "**")
        if "link" in seg.styles and seg.href and not seg.href.startswith("#"):
            piece = f"[{piece}](<{seg.href.replace('>', '%3E').replace(' ', '%20')}>)"
        if seg.mark is not None and not seg.mark.tint:
            piece = _wrap(piece, "==", "==")
        out.append(piece)
        for note in seg.notes:
            out.append(_note_label(prep, note))
    text = "".join(out)
    prefix = speaker_prefix(row.para, cell.side) if row.para.kind == ParagraphKind.TURN else ""
    if prefix:
        text = f"**{escape(prefix.strip())}** {text}"
    if row.para.kind == ParagraphKind.CAPTION:
        text = _wrap(text, "*", "*")
    return _block_start(text)


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
    for row in prep.rows:
        first, second = row.cells[options.left], row.cells[options.right]
        a = render_cell(prep, row, first, options)
        b = render_cell(prep, row, second, options)
        if row.para.kind == ParagraphKind.HEADING:
            lines += [f"## {a}", ""]
            if b:
                lines += [f"> {b}", ""]
            continue
        lines += [a, ""]
        if b:
            lines += [f"> {b}", ""]
    if options.show_notes and prep.notes:
        for note in prep.notes:
            body = escape(note.highlight.note.strip()) or ""
            if note.highlight.tags:
                body = (body + " " if body else "") + "*Tags: " + escape(", ".join(note.highlight.tags)) + "*"
            lines.append(f"{_note_label(prep, note)}: {body}")
        lines.append("")
    if prep.source.glossary:
        lines += ["## Glossaire · Glossary", "", "| Français | English | Note |", "| --- | --- | --- |"]
        for e in prep.source.glossary:
            lines.append(f"| {escape(e.term)} | {escape(e.translation)} | {escape(e.note or '')} |")
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
