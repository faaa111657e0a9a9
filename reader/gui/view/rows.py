"""Laying out one row of the parallel view (a paragraph) or its header, from plain data.

Plain functions: they take the paragraph, its translations and the column geometry, and return a
:class:`~reader.gui.view.layout.Row` of laid-out pieces. The widget decides *when* rows are built
(see :mod:`reader.gui.view.geometry`); this module only knows *how*.
"""

from __future__ import annotations

import math

from reader.core.french_dates import display_date
from reader.core.model import Article, Paragraph, ParagraphKind
from reader.gui.view.layout import Piece, Row, Style, make_piece, make_plain
from reader.gui.view.text import (
    PLACEHOLDER,
    drawn_english,
    drawn_english_sentence,
    drawn_french,
    drawn_french_sentence,
    line_breaks_before,
    speaker_labels,
)

Kind = ParagraphKind


def side_columns(st: Style, viewport_width: int) -> tuple[float, float, float, float]:
    """Side by side: (french x, english x, column width, gutter centre x)."""
    col_w = max(60.0, (viewport_width - 2 * st.margin - st.gutter) / 2)
    fr_x = st.margin
    en_x = fr_x + col_w + st.gutter
    return fr_x, en_x, col_w, fr_x + col_w + st.gutter / 2


def column_chars(st: Style, viewport_width: int) -> float:
    """How many average characters of the body font a side-by-side column holds."""
    return side_columns(st, viewport_width)[2] / st.metrics(st.base)[0]


def fitting_mode(st: Style, viewport_width: int, requested: str, min_column_chars: float | None) -> str:
    """The layout to show: the requested one, but interlinear when side-by-side columns would hold fewer
    than *min_column_chars* characters (None: never switch)."""
    if requested == "side" and min_column_chars and column_chars(st, viewport_width) < min_column_chars:
        return "interlinear"
    return "interlinear" if requested == "interlinear" else "side"


def interlinear_column(st: Style, viewport_width: int) -> tuple[float, float]:
    """Interlinear: (x, width) of the one centred column."""
    avg, _ = st.metrics(st.base)
    w = max(120.0, min(viewport_width - 2 * st.margin, avg * 92))
    return max(st.margin, (viewport_width - w) / 2), w


def estimate_height(st: Style, p: int, para: Paragraph, trans: list[str | None], mode: str,
                    show_english: bool, viewport_width: int) -> int:
    """A row's height from character counts (corrected once it is laid out)."""
    font = st.fonts[para.kind]
    indent = st.quote_indent if para.kind is Kind.QUOTE else 0
    top = st.inset + (st.heading_pad if para.kind is Kind.HEADING and p > 0 else 0)
    label = len(para.speaker) + 3 if para.kind is Kind.TURN and para.speaker else 0
    if mode == "side":
        _, _, col_w, _ = side_columns(st, viewport_width)
        h = st.estimate(len(para.text) + label, font, col_w - indent)
        if show_english and trans:
            n = sum(len(t) if t else len(PLACEHOLDER) for t in trans) + len(trans) - 1 + label
            h = max(h, st.estimate(n, font, col_w - indent))
        return top + h + st.para_gap
    x, w = interlinear_column(st, viewport_width)
    w -= indent
    ranges = [(s.start, s.end) for s in para.sentences] or [(0, len(para.text))]
    en_font = st.inter_en[para.kind]
    h = 0
    for s, (a, b) in enumerate(ranges):
        h += st.estimate(b - a + label, font, w)
        if show_english and s < len(trans):
            h += st.pair_gap + st.estimate(len(trans[s] or PLACEHOLDER), en_font, w)
        h += st.sentence_gap
    return top + h - st.sentence_gap + st.inter_para_gap


def build_row(st: Style, p: int, para: Paragraph, trans: list[str | None], en_ranges: list[tuple[int, int]],
              mode: str, show_english: bool, viewport_width: int) -> Row:
    """Row *p* laid out: two cells side by side, or each French sentence over its English."""
    kind = para.kind
    font = st.fonts[kind]
    pen = st.secondary if kind is Kind.CAPTION else st.text
    top = st.inset + (st.heading_pad if kind is Kind.HEADING and p > 0 else 0)
    indent = st.quote_indent if kind is Kind.QUOTE else 0
    fr_label, en_label = speaker_labels(para.speaker) if kind is Kind.TURN else ("", "")
    fr_ranges = [(s.start, s.end) for s in para.sentences]
    pieces: list[Piece] = []
    rules = []
    rule_x = round(indent * 0.25)
    if mode == "side":
        fr_x, en_x, col_w, _ = side_columns(st, viewport_width)
        fr = make_piece("fr", drawn_french(para.text, fr_ranges, fr_label), font, fr_x + indent, top,
                        col_w - indent, pen, st, kind, para.spans)
        pieces.append(fr)
        if show_english:
            breaks = line_breaks_before(para.text, fr_ranges)
            pieces.append(make_piece("en", drawn_english(trans, en_label, breaks), font,
                                     en_x + indent, top, col_w - indent, pen, st, kind))
        body = max(pc.h for pc in pieces)
        if indent:
            rules = [(pc.x - indent + rule_x, top, top + pc.h) for pc in pieces]
        return Row(p, int(top + body + st.para_gap), pieces, rules)
    x, w = interlinear_column(st, viewport_width)
    x += indent
    w -= indent
    en_font = st.inter_en[kind]
    y = top
    ranges = fr_ranges or [(0, len(para.text))]
    for s, rng in enumerate(ranges):
        label = fr_label if s == 0 else ""
        if fr_ranges:
            drawn = drawn_french_sentence(para.text, s, rng, label)
        else:
            drawn = drawn_french(para.text, [], label)
        fr = make_piece("fr", drawn, font, x, y, w, pen, st, kind, para.spans)
        pieces.append(fr)
        y += fr.h
        if show_english and fr_ranges:
            en = make_piece("en", drawn_english_sentence(
                trans[s], s, en_ranges[s], en_label if s == 0 else ""),
                en_font, x, y, w, st.secondary, st, kind)
            # the English reads as the next line: one line spacing, tints touching, never overlapping
            y += math.ceil(fr.extra / 2 + en.extra / 2)
            en.y = y
            pieces.append(en)
            y += en.h
        y += st.sentence_gap
    y -= st.sentence_gap
    if indent:
        rules = [(x - indent + rule_x, top, y)]
    return Row(p, int(y + st.inter_para_gap), pieces, rules)


def build_header(st: Style, a: Article, english_title: str | None, message: str | None, mode: str,
                 viewport_width: int, note: str | None = None) -> tuple[Row, float]:
    """Title, metadata line, and (side by side) the column labels, with *note* under the English one
    (interlinear: under the rule): (header row, y of its rule)."""
    if mode == "side":
        fr_x, en_x, col_w, _ = side_columns(st, viewport_width)
        x, w = fr_x, en_x + col_w - fr_x
    else:
        x, w = interlinear_column(st, viewport_width)
    y = st.margin
    pieces = []
    if a.title:
        t = make_plain(a.title, st.title, x, y, w, st.text)
        pieces.append(t)
        y += t.h + round(st.em * 0.35)
    if english_title:
        et = make_plain(english_title, st.base, x, y, w, st.muted)
        pieces.append(et)
        y += et.h + round(st.em * 0.35)
    date = display_date(a.published, a.published_iso)
    if date and a.place:
        date = f"{a.place}, {date}"
    meta = " · ".join(m for m in (a.author, date or a.place, a.source) if m)
    if meta:
        m = make_plain(meta, st.small, x, y, w, st.muted)
        pieces.append(m)
        y += m.h
    y += round(st.em * 0.6)
    hr_y = y
    y += round(st.em * 0.6)
    if mode == "side":
        fr_x, en_x, col_w, _ = side_columns(st, viewport_width)
        lf = make_plain("Français", st.small, fr_x, y, col_w, st.muted)
        le = make_plain("English", st.small, en_x, y, col_w, st.muted)
        pieces += [lf, le]
        h = le.h
        if note and not message:
            n = make_plain(note, st.small, en_x, y + le.h, col_w, st.muted)
            pieces.append(n)
            h += n.h
        y += max(lf.h, h) + round(st.em * 0.5)
    elif note and not message:
        n = make_plain(note, st.small, x, y, w, st.muted)
        pieces.append(n)
        y += n.h + round(st.em * 0.5)
    elif message:
        msg = make_plain(message, st.base, x + st.em * 0.6, y + st.em * 0.4, w - st.em * 1.2, st.muted)
        pieces.append(msg)
        y += msg.h + st.em * 0.8 + round(st.em * 0.8)
    return Row(-1, int(y), pieces), hr_y
