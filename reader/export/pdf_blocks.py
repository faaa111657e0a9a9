"""Layout of the PDF export: prepared articles → blocks of laid-out text → pages.

:class:`Layout` holds the fonts of one export, makes a :class:`~reader.export.pdf_layout.TextBox` for
every cell, title, footnote and glossary entry, groups them into
:class:`~reader.export.pdf_paginate.Block` s (a row of the bilingual table: the French and English cells
side by side, top-aligned) and hands them to the :class:`~reader.export.pdf_paginate.Paginator`. What a
block draws besides its text (a rule, a colour swatch, a page number) is named in ``Block.decorate`` and
drawn by :mod:`reader.export.pdf_paint`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QFont, QPaintDevice

from reader.core.model import ParagraphKind, SpanKind
from reader.core.progress import Progress
from reader.export.bundle import (
    NOT_TRANSLATED,
    Cell,
    ExportOptions,
    Note,
    PreparedArticle,
    Row,
    article_meta_line,
    safe_href,
    speaker_prefix,
)
from reader.export.pdf_hyphen import hyphenator
from reader.export.pdf_layout import LINK, MUTED, PT, SANS, SERIF, TEXT, Style, TextBox, make_font
from reader.export.pdf_paginate import Block, Frag, Geometry, Mark, Paginator, Piece

#: The largest blank band at the bottom of a page that is not an article's last (fraction of the text area)
#: before the page above shares it (see :meth:`Layout._share_the_gap`).
MAX_BLANK = 0.15


class Layout:
    """Turns prepared articles into blocks and paginates them (no painting: see ``pdf_paint``)."""

    def __init__(self, device: QPaintDevice, geo: Geometry, options: ExportOptions, progress: Progress | None):
        self.device = device
        self.geo = geo
        self.options = options
        self.progress = progress
        fs = float(options.font_size)
        self.fs = fs
        self.f_body = make_font(SERIF, fs)
        self.f_caption = make_font(SERIF, fs * 0.92, italic=True)
        self.f_heading = make_font(SERIF, fs * 1.12, bold=True)
        title = fs + 0.45 * min(fs, 12.0)  # 1.45 × the body size, growing no faster than it past 12 pt
        self.f_title = make_font(SERIF, title, bold=True)
        self.f_title_en = make_font(SERIF, title, italic=True)
        self.f_meta = make_font(SANS, fs * 0.8)
        self.f_label = make_font(SANS, fs * 0.72, bold=True)
        self.f_note = make_font(SANS, fs * 0.78)
        self.f_small = make_font(SANS, fs * 0.72)
        self.f_gloss_head = make_font(SANS, fs * 1.15, bold=True)
        self.f_cover = make_font(SANS, fs * 2.1, bold=True)
        self.fn_boxes: dict[int, TextBox] = {}
        self.fn_gap = 2.5 * PT
        self.fn_sep = 9 * PT
        self.swatch = fs * 0.48 * PT  # the colour square before a footnote (5 pt at 10.5 pt)
        self.fn_indent = max(9 * PT, self.swatch + 4 * PT)  # footnote text after its square
        self.paginator = Paginator(geo.top, geo.bottom, self.footnote_height)
        self.article_first_page: dict[int, int] = {}
        self.row_pages: dict[tuple[int, int], list[int]] = {}
        self.marker_pages: dict[int, int] = {}  # id(note) → page
        self.titles: dict[int, str] = {}
        self.pack_title = ""
        self.hyphenators = {side: hyphenator(side) for side in ("fr", "en")} if options.hyphenate else {}

    # -- boxes -------------------------------------------------------------------------------------

    def box(self, text: str, font: QFont, width: float, **kw) -> TextBox:
        return TextBox(self.device, text, font, width, **kw)

    def footnote_box(self, note: Note) -> TextBox:
        key = id(note)
        box = self.fn_boxes.get(key)
        if box is None:
            label = str(note.number)
            text = f"{label}\u2002{note.highlight.note_text()}"
            box = self.box(
                text, self.f_note, self.geo.body_width - self.fn_indent,
                styles=[Style(0, len(label), bold=True)], leading=0.12,
            )
            self.fn_boxes[key] = box
        return box

    def footnote_height(self, notes: Sequence[Note]) -> float:
        if not notes or self.options.notes != "footnotes":
            return 0.0
        return self.fn_sep + sum(self.footnote_box(n).height + self.fn_gap for n in notes)

    # -- blocks ------------------------------------------------------------------------------------

    def cell_piece(self, prep: PreparedArticle, row: Row, cell: Cell, x: float, width: float) -> Piece:
        para = row.para
        kind = para.kind
        font = self.f_body
        color = TEXT
        if kind == ParagraphKind.HEADING:
            font = self.f_heading
        elif kind == ParagraphKind.CAPTION:
            font = self.f_caption
            color = MUTED
        indent = 0.0
        if kind == ParagraphKind.QUOTE:
            indent = 11 * PT
        styles: list[Style] = []
        links: list[tuple[int, int, str]] = []
        if cell.side == "fr":
            for sp in para.spans:
                if sp.end > len(cell.text):
                    continue
                if sp.kind == SpanKind.BOLD:
                    styles.append(Style(sp.start, sp.end, bold=True))
                elif sp.kind == SpanKind.ITALIC:
                    styles.append(Style(sp.start, sp.end, italic=True))
                elif sp.kind == SpanKind.SUPERSCRIPT:
                    styles.append(Style(sp.start, sp.end, sup=True))
                elif sp.kind == SpanKind.LINK:
                    styles.append(Style(sp.start, sp.end, color=LINK, underline=bool(sp.href)))
                    href = safe_href(sp.href)  # the one rule of every export (no javascript: and such)
                    if href is not None:
                        links.append((sp.start, sp.end, href))
        prefix = speaker_prefix(para, cell.side) if kind == ParagraphKind.TURN else ""
        text = cell.text
        if cell.untranslated:
            text = ""
        groups: dict[int, list[Note]] = {}
        for note in cell.notes:
            groups.setdefault(note.at, []).append(note)
        markers = [(at, ",".join(str(n.number) for n in ns)) for at, ns in sorted(groups.items())]
        if cell.untranslated and row_is_placeholder(prep, cell):
            box = self.box(f"({NOT_TRANSLATED.lower()})", self.f_caption, width - indent, color=MUTED)
            return Piece(box, x + indent, key=None)
        heading = kind == ParagraphKind.HEADING
        hyphenate = self.hyphenators.get(cell.side)

        def lay_out(hyphenate):
            return self.box(text, font, width - indent, styles=styles, prefix=prefix, markers=markers, color=color,
                            hyphenate=hyphenate, justify=self.options.justify and not heading)

        # Headings are not hyphenated, unless a word of theirs does not fit the column at all.
        box = lay_out(None if heading else hyphenate)
        if heading and hyphenate is not None and box.breaks_inside_a_word():
            box = lay_out(hyphenate)
        piece = Piece(box, x + indent, key=cell, links=links, lang=cell.side)
        for at, ns in sorted(groups.items()):
            pos = box.map_end(at)
            for n in ns:
                piece.markers.append((n, pos))
        return piece

    def row_block(self, prep: PreparedArticle, row: Row) -> Block:
        geo = self.geo
        pieces = []
        for k, side in enumerate((self.options.left, self.options.right)):
            pieces.append(self.cell_piece(prep, row, row.cells[side], geo.col_x(k), geo.col_width))
        kind = row.para.kind
        gap = self.fs * PT * (1.3 if kind == ParagraphKind.HEADING else 0.75)
        heading = kind == ParagraphKind.HEADING
        block = Block("row", pieces, gap=gap, keep_with_next=heading, splittable=not heading,
                      row=(prep.index, row.paragraph), article=prep.index)
        if kind == ParagraphKind.QUOTE:
            block.decorate = ("quote",)
        return block

    def gap_block(self, prep: PreparedArticle, first: int, last: int) -> Block:
        """« […] » where a study sheet (only annotated paragraphs) leaves paragraphs out, with their
        numbers (1-based, as in the margin of the rows shown)."""
        span = f"¶ {first + 1}" if first == last else f"¶ {first + 1}–{last + 1}"
        pieces = [Piece(self.box(f"[…]\u2003{span}", self.f_meta, self.geo.col_width, color=MUTED),
                        self.geo.col_x(k)) for k in range(2)]
        return Block("gap", pieces, gap=self.fs * PT * 0.75, article=prep.index)

    def title_blocks(self, prep: PreparedArticle) -> list[Block]:
        geo = self.geo
        ea = prep.source
        art = prep.article
        titles = {"fr": art.title, "en": ea.english_title}
        pieces = []
        for k, side in enumerate((self.options.left, self.options.right)):
            t = titles[side]
            x = geo.col_x(k)
            if side == "en" and not t:
                if not prep.translated:
                    box = self.box(
                        f"{NOT_TRANSLATED}.\u2028This article has no English translation: only the French "
                        "text is exported.",
                        self.f_caption, geo.col_width, color=MUTED,
                        styles=[Style(0, len(NOT_TRANSLATED) + 1, bold=True)],
                    )
                    pieces.append(Piece(box, x))
                continue
            font = self.f_title if side == "fr" else self.f_title_en
            pieces.append(Piece(self.box(t, font, geo.col_width, leading=0.1), x, lang=side))
        title = Block("title", pieces, page_break_before=True, keep_with_next=True, article=prep.index)
        blocks = [title]
        meta = article_meta_line(art)
        if meta:
            blocks.append(Block("meta", [Piece(self.box(meta, self.f_meta, geo.body_width, color=MUTED),
                                               geo.left)], gap=5 * PT, keep_with_next=True, article=prep.index))
        return blocks

    def label_block(self, prep: PreparedArticle) -> Block:
        geo = self.geo
        names = {"fr": "FRANÇAIS", "en": "ENGLISH"}
        pieces = [
            Piece(self.box(names[side], self.f_label, geo.col_width, color=MUTED), geo.col_x(k))
            for k, side in enumerate((self.options.left, self.options.right))
        ]
        block = Block("label", pieces, gap=10 * PT, keep_with_next=True, article=prep.index)
        block.min_height = pieces[0].box.height + 9 * PT  # room under the rule for the first row
        block.decorate = ("label",)
        return block

    def endnote_blocks(self, prep: PreparedArticle) -> list[Block]:
        geo = self.geo
        blocks = [self.heading_block("Notes", prep.index, "notes")]
        for note in prep.notes:
            h = note.highlight
            quote = prep.rows and passage(prep, note)
            label = f"{note.number}."
            body = note.highlight.note_text()
            text = f"{label} « {quote} » — {body}" if quote else f"{label} {body}"
            box = self.box(text, self.f_note, geo.body_width - self.fn_indent,
                           styles=[Style(0, len(label), bold=True)], leading=0.12)
            blk = Block("endnote", [Piece(box, geo.left + self.fn_indent)], gap=4 * PT, article=prep.index)
            blk.decorate = ("swatch", h.color)
            blocks.append(blk)
        return blocks

    def heading_block(self, text: str, article: int, section: str) -> Block:
        box = self.box(text, self.f_gloss_head, self.geo.body_width)
        blk = Block("section", [Piece(box, self.geo.left)], gap=18 * PT, keep_with_next=True, article=article)
        blk.row = None
        blk.decorate = ("section", article, section)
        return blk

    def glossary_blocks(self, prep: PreparedArticle) -> list[Block]:
        geo = self.geo
        gap = 8 * PT
        widths = [geo.body_width * 0.28, geo.body_width * 0.28]
        widths.append(geo.body_width - sum(widths) - 2 * gap)
        xs = [geo.left, geo.left + widths[0] + gap, geo.left + widths[0] + widths[1] + 2 * gap]
        blocks = [self.heading_block("Glossaire · Glossary", prep.index, "glossary")]
        head = Block("gloss", [
            Piece(self.box(t, self.f_label, w, color=MUTED), x)
            for t, w, x in zip(("FRANÇAIS", "ENGLISH", "NOTE"), widths, xs, strict=True)
        ], gap=8 * PT, keep_with_next=True, article=prep.index)
        head.decorate = ("grid",)
        blocks.append(head)
        for e in prep.source.glossary:
            pieces = [
                Piece(self.box(e.term, make_font(SERIF, self.fs * 0.95, bold=True), widths[0]), xs[0], lang="fr"),
                Piece(self.box(e.translation, make_font(SERIF, self.fs * 0.95), widths[1]), xs[1], lang="en"),
                Piece(self.box(e.appendix_note, self.f_note, widths[2], color=MUTED), xs[2]),
            ]
            blk = Block("gloss", pieces, gap=5 * PT, article=prep.index)
            blk.decorate = ("grid",)
            blocks.append(blk)
        return blocks

    def cover_blocks(self, preps: list[PreparedArticle]) -> list[Block]:
        geo = self.geo
        blocks = [Block("cover", [Piece(self.box(self.pack_title, self.f_cover, geo.body_width), geo.left)])]
        sub = " · ".join(x for x in (self.options.author or "", f"{len(preps)} articles",
                                     "français – English") if x)
        blocks.append(Block("cover", [Piece(self.box(sub, self.f_meta, geo.body_width, color=MUTED), geo.left)],
                            gap=6 * PT))
        blocks.append(Block("section", [Piece(self.box("Sommaire · Contents", self.f_gloss_head,
                                                       geo.body_width), geo.left)], gap=28 * PT))
        num_w = 30 * PT
        for prep in preps:
            w = geo.body_width - num_w - 8 * PT
            pieces = [Piece(self.box(prep.article.title, make_font(SERIF, self.fs * 1.05, bold=True), w), geo.left,
                            lang="fr")]
            en = prep.source.english_title
            if en:
                pieces.append(Piece(self.box(en, make_font(SERIF, self.fs * 0.95, italic=True), w, color=MUTED),
                                    geo.left, dy=pieces[0].box.height + 2 * PT, lang="en"))
            meta = article_meta_line(prep.article)
            if meta:
                dy = max(p.dy + p.box.height for p in pieces) + 2 * PT
                pieces.append(Piece(self.box(meta, self.f_small, w, color=MUTED), geo.left, dy=dy))
            blk = Block("toc", pieces, gap=9 * PT)
            blk.decorate = ("toc", prep.index, num_w)
            blocks.append(blk)
        return blocks

    # -- paginate ----------------------------------------------------------------------------------

    def paginate(self, preps: list[PreparedArticle]) -> None:
        pg = self.paginator
        streams: list[tuple[int | None, list[Block]]] = []
        if len(preps) > 1:
            streams.append((None, self.cover_blocks(preps)))
        for prep in preps:
            blocks = self.title_blocks(prep)
            label = self.label_block(prep)
            blocks.append(label)
            rows = []
            study = self.options.only_annotated
            before = -1
            for row in prep.rows:
                if study and row.paragraph != before + 1:
                    rows.append(self.gap_block(prep, before + 1, row.paragraph - 1))
                before = row.paragraph
                rows.append(self.row_block(prep, row))
                if study:
                    rows[-1].decorate = rows[-1].decorate or ("number", row.paragraph + 1)
                if self.progress is not None:
                    self.progress.check()
                    self.progress.advance(1, "Laying out")
            if study and prep.rows and before + 1 < len(prep.article.paragraphs):
                rows.append(self.gap_block(prep, before + 1, len(prep.article.paragraphs) - 1))
            if not rows:
                msg = "No annotated paragraph." if self.options.only_annotated else "No text."
                rows.append(Block("row", [Piece(self.box(msg, self.f_caption, self.geo.col_width, color=MUTED),
                                                self.geo.col_x(0))], gap=6 * PT, article=prep.index))
            tail = []
            if self.options.show_notes and self.options.notes == "endnotes" and prep.notes:
                tail += self.endnote_blocks(prep)
            if prep.source.glossary:
                tail += self.glossary_blocks(prep)
            streams.append((prep.index, blocks + rows + tail))
        for article, blocks in streams:
            pg.article = article
            pg.repeat = None
            marks: list[Mark] = []  # where pagination stood before each block
            for i in range(len(blocks)):
                marks.append(pg.mark())
                frags = self._place(blocks, i, article)
                if blocks[i].keep_with_next and self._left_a_gap(marks[i], frags):
                    self._share_the_gap(blocks, i, article, marks)
        for i, page in enumerate(pg.pages):
            for note in page.notes:
                self.marker_pages[id(note)] = i

    def _place(self, blocks: list[Block], i: int, article: int | None) -> list[Frag]:
        """Place ``blocks[i]`` of an article's stream (with the chain it is kept with) and note its pages."""
        pg = self.paginator
        blk = blocks[i]
        follow: list[Block] = []
        if blk.keep_with_next:  # the chain kept together, up to the first block that is not
            for nxt in blocks[i + 1:]:
                follow.append(nxt)
                if not nxt.keep_with_next:
                    break
        if blk.kind == "title":
            pg.repeat = None
            pg.article = article
        in_rows = blk.kind in ("row", "gap")
        if not in_rows and pg.repeat is not None:
            pg.repeat = None
        frags = pg.place(blk, follow)
        if blk.kind == "title" and article is not None:
            self.article_first_page[article] = len(pg.pages) - 1
        if blk.kind == "label":
            pg.repeat = blk
        if blk.row is not None:
            pages = sorted({self._page_of(f) for f in frags})
            self.row_pages[blk.row] = pages
        if self.progress is not None:
            self.progress.check()
        return frags

    def _blank(self, i: int) -> float:
        """The blank band at the bottom of page ``i``, as a fraction of the text area."""
        page = self.paginator.pages[i]
        free = self.geo.bottom - self.footnote_height(page.notes) - page.y
        return max(0.0, free) / (self.geo.bottom - self.geo.top)

    def _left_a_gap(self, before: Mark, frags: list[Frag]) -> bool:
        """Did a block kept with what follows go to the next page, leaving a band over ``MAX_BLANK``
        blank on the page it could not start?"""
        pages = self.paginator.pages
        p = before.pages - 1
        return (bool(frags) and 1 <= p < len(pages) - 1 and not any(f is frags[0] for f in pages[p].frags)
                and pages[p].article is not None and pages[p - 1].article == pages[p].article
                and self._blank(p) > MAX_BLANK)

    def _share_the_gap(self, blocks: list[Block], i: int, article: int | None, marks: list[Mark]) -> None:
        """A heading (with the two lines it needs) did not fit at the bottom of page P and left it
        blank. The typesetter's answer: page P-1 gives its last line or lines on to P (its text ends a
        line or more higher), P fills up with them, and the blank is shared by the two pages instead of
        standing on one. The blocks from the one that opened page P-1 up to the heading are placed
        again for 1, 2, … body lines given on; the sharing with the smallest band is kept when it beats
        none. Every rule of the paginator holds as before: it only sees page P-1 end higher."""
        pg = self.paginator
        p = marks[i].pages - 1
        j = next((k for k in range(i) if marks[k + 1].pages >= p), None)  # the block that opened page P-1
        if j is None or marks[j].pages >= p:
            return
        two = self.box("x\nx", self.f_body, self.geo.col_width).lines
        line = two[1].y - two[0].y  # a body line's pitch
        worst = self._blank(p)
        best = (worst, 0.0)
        for n in range(1, int(worst * (self.geo.bottom - self.geo.top) / line) + 1):
            self._replay(blocks, j, i, article, marks, p - 1, n * line)
            last = len(pg.pages) - 1
            band = max(self._blank(k) for k in range(p - 1, last))
            if band < best[0] - 1e-9:
                best = (band, n * line)
        self._replay(blocks, j, i, article, marks, p - 1, best[1])

    def _replay(self, blocks, j: int, i: int, article, marks: list[Mark], page: int, shrink: float) -> None:
        pg = self.paginator
        pg.rewind(marks[j])
        if shrink:
            pg.shrink[page] = shrink
        else:
            pg.shrink.pop(page, None)
        for k in range(j, i + 1):
            marks[k] = pg.mark()
            self._place(blocks, k, article)

    def blank_bands(self) -> list[float]:
        """For every page that is not an article's last (nor the cover), the blank band left between its
        last block and its footnotes (or the bottom margin), as a fraction of the text area's height."""
        pages = self.paginator.pages
        area = self.geo.bottom - self.geo.top
        out = []
        for i, page in enumerate(pages):
            if page.article is None or i + 1 >= len(pages) or pages[i + 1].article != page.article:
                continue
            free = self.geo.bottom - self.footnote_height(page.notes) - page.y
            out.append(max(0.0, free) / area)
        return out

    def _page_of(self, frag: Frag) -> int:
        for i in range(len(self.paginator.pages) - 1, -1, -1):
            if any(f is frag for f in self.paginator.pages[i].frags):
                return i
        return -1


def row_is_placeholder(prep: PreparedArticle, cell: Cell) -> bool:
    """An empty English cell shows « (not translated yet) », unless the whole article is untranslated
    (then the note under the title says it once)."""
    return cell.side == "en" and prep.translated


def passage(prep: PreparedArticle, note: Note, limit: int = 90) -> str:
    h = note.highlight
    for row in prep.rows:
        if row.paragraph == h.paragraph:
            text = row.cells[h.side].text[h.start : h.end].strip()
            text = " ".join(text.split())
            return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return ""

