"""Inline light Markdown (bold, italic, links, superscripts, backslash escapes) → clean text plus spans
with exact code-point offsets. Pure Python. Bare URLs are never read as markup."""

from __future__ import annotations

import re

from reader.core.model import Span, SpanKind

__all__ = ["parse_inline", "plain_text"]

_INLINE = re.compile(
    r"""
    (?P<esc>\\[\\*_\[\]^()#>`~-])
  | (?P<url>(?:https?://|www\.)[^\s<>«»"“”]+)
  | (?P<link>\[(?P<ltext>[^\[\]\n]*(?:\[[^\[\]\n]*\][^\[\]\n]*)*)\]
        \((?P<href>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+"[^"\n]*")?\))
  | (?P<bold>\*\*(?=[^\s*])(?P<btext>(?:[^*\n]|(?<=\s)\*+(?=\s)|\*(?!\*)|\*(?=\*\*))+?)(?<=\S)\*\*(?!\*)
      | (?<![\w_\\])__(?=[^\s_])(?P<btext2>(?:[^_\n]|_(?!_))+?)(?<=\S)__(?![\w_]))
  | (?P<star>(?<![\w*\\])\*(?=[^\s*])(?P<stext>[^*\n]*?[^\s*\\])\*(?![\w*]))
  | (?P<under>(?<![\w_\\])_(?=[^\s_])(?P<utext>[^_\n]*?[^\s_\\])_(?![\w_]))
  | (?P<sup>(?<=[\w.])\^(?P<suptext>[^\W\d_]+)\^?)
    """,
    re.VERBOSE,
)


def parse_inline(raw: str) -> tuple[str, list[Span]]:
    """Remove inline Markdown from ``raw``: the clean text and its spans (exact offsets into it)."""
    out: list[str] = []
    spans: list[Span] = []
    length = 0
    pos = 0
    for m in _INLINE.finditer(raw):
        if m.start() < pos:
            continue
        piece = raw[pos : m.start()]
        out.append(piece)
        length += len(piece)
        kind = next(n for n in ("esc", "url", "link", "bold", "star", "under", "sup") if m.group(n) is not None)
        if kind == "esc":
            inner, inner_spans, span = m.group("esc")[1], [], None
        elif kind == "url":
            inner, inner_spans, span = m.group("url"), [], None
        elif kind == "sup":
            inner, inner_spans = m.group("suptext"), []
            span = (SpanKind.SUPERSCRIPT, None)
        else:
            text_group = {"link": "ltext", "bold": "btext", "star": "stext", "under": "utext"}[kind]
            inner, inner_spans = parse_inline(m.group(text_group) or m.group("btext2") or "")
            span = {
                "link": (SpanKind.LINK, m.group("href")),
                "bold": (SpanKind.BOLD, None),
                "star": (SpanKind.ITALIC, None),
                "under": (SpanKind.ITALIC, None),
            }[kind]
        if span is not None and inner:
            spans.append(Span(length, length + len(inner), span[0], span[1]))
        spans.extend(Span(s.start + length, s.end + length, s.kind, s.href) for s in inner_spans)
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(raw[pos:])
    spans.sort(key=lambda s: (s.start, -s.end))
    return "".join(out), spans


def plain_text(raw: str) -> str:
    """The text of ``raw`` without its inline markup."""
    return parse_inline(raw)[0]
