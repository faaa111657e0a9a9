"""How glossary terms are marked: an underline under every occurrence in the French text, and under each
rendering the glossary enforced in the English (``reader.ops.enforce``), with the entry as tooltip.

A French occurrence and the rendering enforced for it share a link key (``("glossary", start, end)``, the
occurrence's span in its paragraph), so hovering either lights both (``Decoration.link``)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reader.core.enforce import Enforced
from reader.core.glossary import GlossaryEntry, GlossaryMatcher
from reader.gui.parallel_view import Decoration


def entry_tooltip(e: GlossaryEntry) -> str:
    """First line fixed (Qt then never reads the user text as rich text), then « term → English — note »."""
    line = f"{e.term} → {e.translation or '?'}"
    if e.note:
        line += f" — {e.note}"
    return "Glossary\n" + line


def glossary_decorations(matcher: GlossaryMatcher | None, entries: dict, paragraphs: list[str],
                         color: QColor) -> list[Decoration]:
    """An underline under every (leftmost-longest) occurrence of a term in each French paragraph."""
    out: list[Decoration] = []
    if matcher is None or not entries:
        return out
    for p, text in enumerate(paragraphs):
        out += paragraph_glossary_decorations(matcher, entries, p, text, color)
    return out


def paragraph_glossary_decorations(matcher: GlossaryMatcher, entries: dict, p: int, text: str,
                                   color: QColor) -> list[Decoration]:
    """The underlines of one French paragraph (*p*, its *text*)."""
    out: list[Decoration] = []
    for m in matcher.find(text, overlapping=False):
        e = entries.get(m.entry_id)
        if e is not None:
            out.append(Decoration("fr", p, m.start, m.end, QColor(color), "underline", entry_tooltip(e),
                                  ("glossary", m.start, m.end)))
    return out


def enforced_decorations(entries: dict, p: int, sentences: list[tuple[int, int, Enforced]],
                         color: QColor) -> list[Decoration]:
    """The underlines of the renderings enforced in one English paragraph *p*: ``sentences`` holds, per
    enforced sentence, (its start in the French paragraph, its start in the English cell, its
    ``Enforced``, the applied entries' French spans recorded)."""
    out: list[Decoration] = []
    for fr0, en0, enforced in sentences:
        for a in enforced.applied:
            e = entries.get(a.entry_id)
            if e is None or a.end <= a.start:
                continue
            link = ("glossary", fr0 + a.fr_start, fr0 + a.fr_end) if a.fr_start >= 0 else None
            out.append(Decoration("en", p, en0 + a.start, en0 + a.end, QColor(color), "underline",
                                  entry_tooltip(e), link))
    return out
