"""How annotations are drawn on the open article: each placed highlight on its side, in its colour,
and the sentences it overlaps tinted on the other side; and the tooltip they share with the list."""

from __future__ import annotations

from PySide6.QtGui import QColor

from reader.core.annotations import PALETTE, Annotation
from reader.core.sides import SideText, english_side, french_side
from reader.gui.parallel_view import Decoration


def article_sides(window) -> tuple[SideText | None, SideText | None]:
    """(French, English) ``SideText`` of the window's open article, as shown (hand edits on top)."""
    article = window.article
    if article is None:
        return None, None
    fr = french_side(article)
    try:
        en = english_side(article, window._rows)
    except ValueError:
        en = None
    return fr, en


def map_range(src: SideText, dst: SideText, start: int, end: int) -> tuple[int, int]:
    """A whole-side range of ``src`` moved onto ``dst`` (the same article's English, another version:
    the machine output and the glossary-enforced one), word by word as the exports do
    (``reader.ops.export.remap_english_highlights``): offsets in words both share map exactly, an offset
    inside a changed stretch goes to that stretch's edge. ``ValueError`` if the sides do not fit."""
    from reader.core.retarget import word_opcodes

    if len(src.paragraphs) != len(dst.paragraphs):
        raise ValueError("the two sides have different paragraphs")

    def move(p: int, offset: int, end: bool) -> int:
        if src.paragraphs[p] == dst.paragraphs[p]:
            return offset
        ops = word_opcodes(src.paragraphs[p], dst.paragraphs[p])
        for tag, i1, i2, j1, j2 in ops:
            if i1 <= offset < i2 or offset == i2 and end:
                return j1 + (offset - i1) if tag == "equal" else (j2 if end else j1)
        return ops[-1][4] if ops else offset

    parts = src.split_range(start, end)
    if not parts:
        raise ValueError("an empty range")
    (p0, s0, _), (p1, _, e1) = parts[0], parts[-1]
    new_start = dst.to_global(p0, move(p0, s0, False))
    new_end = min(max(dst.to_global(p1, move(p1, e1, True)), new_start + 1), len(dst.text))
    return new_start, new_end


def follow_shown_english(annotations: list[Annotation], anchored: SideText | None,
                         shown: SideText | None) -> list[Annotation]:
    """English annotations placed on ``anchored`` (the machine English or the hand edit: what they are
    stored on) moved onto ``shown`` (the glossary-enforced English the view shows); the others
    unchanged."""
    if anchored is None or shown is None or anchored.text == shown.text:
        return annotations
    import dataclasses

    out = []
    for a in annotations:
        if a.side == "en" and placed(a, anchored):
            try:
                start, end = map_range(anchored, shown, a.start, a.end)
                a = dataclasses.replace(a, start=start, end=end, exact=shown.text[start:end])
            except ValueError:
                pass
        out.append(a)
    return out


def placed(a: Annotation, side: SideText | None) -> bool:
    """Is the annotation where the text says it is? (Stale positions wait for re-anchoring.)"""
    return (
        side is not None
        and a.status != "orphaned"
        and 0 <= a.start < a.end <= len(side.text)
        and side.text[a.start : a.end] == a.exact
    )


def annotation_tooltip(a: Annotation) -> str:
    """First line fixed (never user text, so Qt shows the rest literally), then the note and tags."""
    lines = [f"{a.color.capitalize()} highlight" + (" with a note" if a.note else "")]
    if a.note:
        lines.append(a.note)
    if a.tags:
        lines.append("Tags: " + ", ".join(a.tags))
    return "\n".join(lines)


def annotation_decorations(annotations: list[Annotation], fr: SideText | None, en: SideText | None) -> list[Decoration]:
    """Each placed annotation on its side (split per paragraph) in its colour, and the sentences it
    overlaps tinted on the other side. Orphans and stale positions are not drawn."""
    out: list[Decoration] = []
    tinted: set[tuple[str, int, int]] = set()  # one tint per counterpart sentence: overlaps turn muddy
    sides = {"fr": fr, "en": en}
    for a in annotations:
        own = sides.get(a.side)
        if not placed(a, own):
            continue
        color = QColor(PALETTE[a.color])
        tip = annotation_tooltip(a)
        for p, start, end in own.split_range(a.start, a.end):
            out.append(Decoration(a.side, p, start, end, color, "highlight", tip))
        other_name = "en" if a.side == "fr" else "fr"
        other = sides.get(other_name)
        if other is None:
            continue
        for p, s in own.sentences_overlapping(a.start, a.end):
            try:
                start, end = other.sentences[p][s]
            except IndexError:
                continue
            if end > start and (other_name, p, s) not in tinted:
                tinted.add((other_name, p, s))
                out.append(Decoration(other_name, p, start, end, QColor(color), "tint", tip))
    return out


# =================================================================================================
