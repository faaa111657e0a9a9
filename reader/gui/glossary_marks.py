"""How glossary terms are marked in the French text: an underline under every occurrence, with a tooltip."""

from __future__ import annotations

from PySide6.QtGui import QColor

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
            out.append(Decoration("fr", p, m.start, m.end, QColor(color), "underline", entry_tooltip(e)))
    return out
