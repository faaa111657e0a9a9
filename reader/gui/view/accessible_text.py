"""What the parallel view says about one sentence to assistive technology: its text, a description
(language, place, edits, highlights, notes, glossary terms) and the same marks as attributes.

Plain functions over the view's public state (and the marks it draws); no accessibility objects here, so
:mod:`reader.gui.view.accessible` stays about Qt's interfaces and these stay easy to test.
"""

from __future__ import annotations

LANGUAGE = {"fr": "French", "en": "English"}
UNTRANSLATED = "(not translated yet)"


def pair_starts(view) -> list[int]:
    """Index of the first pair of each paragraph in reading order (one more entry: the total)."""
    starts = [0]
    article = view._article
    if article is not None:
        for para in article.paragraphs:
            starts.append(starts[-1] + len(para.sentences))
    return starts


def sentence_span(view, side: str, p: int, s: int) -> tuple[int, int] | None:
    """Where sentence *s* of paragraph *p* lies in ``view.cell_text(side, p)`` (None: no such pair,
    or no English for it)."""
    if not view._valid_pair(p, s):
        return None
    if side == "fr":
        sent = view._article.paragraphs[p].sentences[s]
        return sent.start, sent.end
    if view.english_message() is not None:
        return None
    a, b = view.english_sentence_range(p, s)
    return (a, b) if b > a else None


def sentence_text(view, side: str, p: int, s: int) -> str:
    """The sentence as a screen reader should read it ('' for an invalid pair)."""
    if not view._valid_pair(p, s):
        return ""
    span = sentence_span(view, side, p, s)
    if span is None:
        return (view.english_message() or UNTRANSLATED) if side == "en" else ""
    return view.cell_text(side, p)[span[0]:span[1]]


def _marks(view, side: str, p: int, s: int) -> list:
    span = sentence_span(view, side, p, s)
    if span is None:
        return []
    a, b = span
    return [d for d in view._decos_at(side, p) if d.start < b and d.end > a and d.tooltip]


def _first_line(tip: str) -> tuple[str, str]:
    head, _, rest = tip.partition("\n")
    return head.strip(), rest.strip().replace("\n", "; ")


def describe(view, side: str, p: int, s: int) -> str:
    """« French, paragraph 3, sentence 2; yellow highlight with a note on “…”: the note; … »."""
    if not view._valid_pair(p, s):
        return ""
    parts = [f"{LANGUAGE.get(side, side)}, paragraph {p + 1}, sentence {s + 1}"]
    if side == "en" and (p, s) in view._edited:
        parts.append("translation edited by hand")
    cell = view.cell_text(side, p)
    for d in _marks(view, side, p, s):
        head, rest = _first_line(d.tooltip)
        quote = cell[d.start:d.end].strip()
        if d.style == "highlight":
            text = f"{head.lower()} on “{quote}”"
        elif d.style == "tint":
            text = f"the other side has a {head.lower()}"
        elif head == "Glossary":
            text = f"glossary term “{quote}”"
        else:
            text = f"{head.lower()} “{quote}”"
        parts.append(f"{text}: {rest}" if rest else text)
    return "; ".join(parts)


def attributes(view, side: str, p: int, s: int) -> dict[str, str]:
    """The sentence's marks as object attributes: ``highlight`` (colours), ``note``, ``glossary``,
    ``edited``, ``language``; only the keys that apply."""
    if not view._valid_pair(p, s):
        return {}
    out: dict[str, list[str]] = {}
    cell = view.cell_text(side, p)
    for d in _marks(view, side, p, s):
        head, rest = _first_line(d.tooltip)
        if d.style == "highlight":
            out.setdefault("highlight", []).append(head.split()[0].lower())
            if "with a note" in head and rest:
                out.setdefault("note", []).append(rest)
        elif head == "Glossary":
            out.setdefault("glossary", []).append(rest or cell[d.start:d.end])
    attrs = {k: "; ".join(dict.fromkeys(v)) for k, v in out.items()}
    if side == "en" and (p, s) in view._edited:
        attrs["edited"] = "true"
    attrs["language"] = side
    return attrs
