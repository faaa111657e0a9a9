"""Plain text / light Markdown as found on the web → :class:`Article`.

Pure Python (no Qt, no SQLite, no argostranslate). :func:`parse_article` is the one entry point; it
turns the messy text of a copied web article into the text model:

* **Title** = the first non-empty line (a Markdown ``# `` is removed). A first line too long to be a
  title (over 200 characters) is kept as the first paragraph and a shortened copy becomes the title.
* **Metadata** lines right under the title are taken out of the text: a byline
  (« écrit par Jeanne la pucelle | 25 septembre 2025 » → ``author``, ``published``, ``published_iso``),
  a dateline (« Moscou, 26 octobre 2025 » → ``place``, ``published``) or a bare date. Source lines are
  recognised anywhere as long as they stand alone: « - Avec AFP », « Source: AFP. »,
  « [Source RT France](#) » → ``source`` (and ``source_url`` when the link has a real target).
  Only their label words (« écrit par », « Avec », « Source ») and separators are dropped.
* **Paragraphs**: one per line, unless the text is hard-wrapped (blank-line separated blocks whose lines
  mostly do not end a sentence), where the lines of a block are joined. Either way a paragraph broken
  mid-sentence (no terminal punctuation, the next one starts in lowercase) is rejoined.
* **Inline markup** becomes spans with exact code-point offsets: ``**bold**``/``__bold__`` → BOLD,
  ``*italic*``/``_italic_`` → ITALIC, ``80^e`` → « 80e » with SUPERSCRIPT over « e »,
  ``[text](url)`` → LINK (``href`` kept as written, ``#`` included). Backslash escapes give the literal
  character; bare URLs are never read as markup; other brackets (« [sic] », « […] ») stay as they are.
* **Kinds**: a paragraph ending with a photo credit (« … [Crédit : X] ») is a CAPTION, its brackets
  removed and the credit kept in the text; an embedded tweet (text line, « — Name (@handle) date »,
  link line) is one QUOTE paragraph whose lines are joined by ``"\\n"``; Markdown ``>`` lines are QUOTE;
  interview turns (« Question : … », « Sergey Lavrov : … ») are TURN with ``speaker`` set and the
  « Speaker : » prefix removed from the text, when the speaker is at most four capitalised words at the
  start of the line and either recurs or is « Question »/« Réponse »; the paragraphs that continue a
  turn without naming a speaker stay BODY. A short line with no terminal punctuation followed by a
  longer paragraph (or a Markdown ``##``) is a HEADING. Everything else is BODY.
* **Duplicates**: an immediately repeated identical paragraph is kept once (scraped pages repeat photo
  captions); a first or last paragraph repeating the title is dropped.
* Whitespace inside a paragraph is normalised (runs of spaces and tabs collapse to one space; the
  non-breaking spaces U+00A0 / U+202F of French typography are kept as they are).
* Text that looks like an HTML page is **not** interpreted: each non-empty line becomes a BODY
  paragraph verbatim, tags visible (the HTML importer is the place for real pages).

Nothing of the French text is lost apart from markup characters, metadata labels and the duplicates
described above. Sentences are filled by :func:`segment_article` (``reader.core.segment``).
Dates are read by :mod:`reader.core.french_dates`, inline markup by :mod:`reader.core.inline_markup`
(both re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core import segment as _segment
from reader.core.french_dates import parse_french_date
from reader.core.inline_markup import parse_inline
from reader.core.inline_markup import plain_text as _plain
from reader.core.model import Article, Paragraph, ParagraphKind, Span

__all__ = [
    "parse_article",
    "segment_article",
    "parse_inline",
    "parse_french_date",
    "looks_like_html",
    "DEFAULT_TITLE",
]

DEFAULT_TITLE = "Sans titre"
_MAX_TITLE = 200  # a longer first line is a paragraph, not a title

# Horizontal whitespace to collapse. Deliberately NOT ``\s``: U+00A0 and U+202F (French spacing before
# « : ; ? ! » and inside « ») are kept exactly as written.
_HSPACE = re.compile(r"[ \t\f\v\u200b]+")
_UPPER = "A-ZÀ-ÖØ-ÞŒŸ"

# --------------------------------------------------------------------------------------------------
# Line classification helpers
# --------------------------------------------------------------------------------------------------

_CLOSERS = "»”\"'’)]"
_TERMINAL = re.compile(rf"[.!?…:;](?:[\s\u00a0\u202f]*[{_CLOSERS}])*$")  # the block ends a sentence
_HEADING_END = re.compile(rf"[.!?…:;,](?:[\s\u00a0\u202f]*[{_CLOSERS}])*$")
_ATX = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_QUOTE_LINE = re.compile(r"^>[ \t]?(?P<text>.*)$")
_RULE = re.compile(r"^(?:[-*_][ \t]*){3,}$")
_STRUCTURAL = re.compile(r"^(?:#{1,6}[ \t]|>|[-*+][ \t]|\d{1,3}[.)][ \t])")

# Embedded tweet: « — RT France (@RTenfrancais) 15 сентября 2017 г. »
_TWEET_BY = re.compile(r"^[—–-][ \u00a0]*[^()\n]{1,80}?[ \u00a0]*\(@\w{1,30}\)(?:[ \u00a0].*)?$")
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+")

# Photo credit at the end of a paragraph: « … [Crédit : chaîne Telegram de X] »
_CREDIT = re.compile(
    r"[ \u00a0]*\[(?P<credit>(?:cr[ée]dits?(?:[ \u00a0]+photos?)?|photos?|illustration|image|©)"
    r"(?:[ \u00a0]*[:©]|[ \u00a0])[^\[\]]*)\][ \u00a0]*$",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    r"(?:\((?:cr[ée]dits?(?:[ \u00a0]+photos?)?|photos?)[ \u00a0]*:[^()]*\)|©[ \u00a0]*[^\s.][^.]{0,60})$",
    re.IGNORECASE,
)

# Metadata lines (matched on the markup-free line)
_BYLINE = re.compile(
    r"^(?:(?:écrit|ecrit|rédigé|redige|publié|publie|un[ \u00a0]+article)[ \u00a0]+)?par[ \u00a0]+"
    r"(?P<author>.+?)"
    r"(?:(?:[ \u00a0]*[|•·][ \u00a0]*|[ \u00a0]+[–—-][ \u00a0]+|,[ \u00a0]+)"
    r"(?:(?:publié|publie|mis[ \u00a0]+à[ \u00a0]+jour|modifié)[ \u00a0]+le[ \u00a0]+)?(?P<date>.+?))?\.?$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    rf"^(?P<place>[{_UPPER}][^\W\d_]*(?:[ \u00a0'’-][^\W\d_]+){{0,4}})[ \u00a0]*,[ \u00a0]*"
    r"(?:le[ \u00a0]+)?(?P<date>.+?)\.?$"
)
_DATE_ONLY = re.compile(
    r"^(?:(?:publié|publie|mis[ \u00a0]+à[ \u00a0]+jour)[ \u00a0]+le[ \u00a0]+)?(?P<date>.+?)\.?$", re.IGNORECASE
)
_SOURCE_LINK = re.compile(
    r"^[-–—•*]?[ \u00a0]*\[[ \u00a0]*(?:sources?[ \u00a0]*:?|avec)[ \u00a0]*(?P<src>[^\[\]]+?)[ \u00a0]*\]"
    r"\((?P<href>[^()\s]*)\)\.?$",
    re.IGNORECASE,
)
_SOURCE = re.compile(
    r"^(?:[-–—•*][ \u00a0]*)?(?:(?P<label>sources?)[ \u00a0]*:|(?P<avec>avec))[ \u00a0]*(?P<src>.+?)[ \u00a0]*\.?$",
    re.IGNORECASE,
)
_SOURCE_VALUE = re.compile(rf"^[{_UPPER}0-9][^.!?;:«»\"“”]{{0,59}}$")
_SOURCE_LABELLED = re.compile(r"^[^\W_][^!?;:«»\"“”]{0,79}$")  # « Source : ministère russe des … »


def _norm_key(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def _clean_line(line: str) -> str:
    return _HSPACE.sub(" ", line).strip(" ")


def _ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


def _starts_lowercase(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if not ch.isspace():
            return False
    return False


def _is_link_line(text: str) -> bool:
    rest = _URL.sub("", text)
    return bool(_URL.search(text)) and sum(ch.isalpha() for ch in rest) < 3


_MAX_META = 200  # metadata lines are short; longer lines are never tried (and regexes stay linear)


def _match_byline(plain: str) -> dict[str, str] | None:
    if len(plain) > _MAX_META:
        return None
    m = _BYLINE.match(plain)
    if not m:
        return None
    author = m["author"].strip(" ,")
    words = author.split()
    if not words or len(words) > 6 or _ends_sentence(author) or ":" in author:
        return None
    out = {"author": author}
    if m["date"]:
        date = m["date"].strip()
        iso = parse_french_date(date)
        if iso is None:
            return None
        out.update(published=date.rstrip("."), published_iso=iso)
    elif not words[0][:1].isupper():
        return None
    return out


def _match_date_line(plain: str) -> dict[str, str] | None:
    if len(plain) > _MAX_META:
        return None
    m = _DATELINE.match(plain)
    if m:
        iso = parse_french_date(m["date"])
        if iso:
            return {"place": m["place"], "published": m["date"].strip().rstrip("."), "published_iso": iso}
    m = _DATE_ONLY.match(plain)
    if m:
        iso = parse_french_date(m["date"])
        if iso:
            return {"published": m["date"].strip().rstrip("."), "published_iso": iso}
    return None


def _match_source(raw: str, anywhere: bool = False) -> dict[str, str] | None:
    """A source line. ``anywhere``: a line inside the text, where a bare « Avec X » is prose, not a source
    (it counts under the title and as the last line, where French papers sign « Avec AFP »)."""
    if len(raw) > _MAX_META:
        return None
    m = _SOURCE_LINK.match(raw)
    if m:
        src = _plain(m["src"]).strip()
        if not _SOURCE_VALUE.match(src) or len(src.split()) > 5:
            return None
        out = {"source": src}
        href = m["href"].strip()
        if href and href != "#":
            out["source_url"] = href
        return out
    plain = _plain(raw)
    m = _SOURCE.match(plain)
    if not m:
        return None
    src = m["src"].strip()
    if m["avec"]:
        dashed = raw.lstrip()[:1] in "-–—•*"
        if (anywhere and not dashed) or len(src.split()) > 3 or not _SOURCE_VALUE.match(src):
            return None
    elif not _SOURCE_LABELLED.match(src) or len(src.split()) > 8:
        return None
    return {"source": src}


def looks_like_html(text: str) -> bool:
    """True if ``text`` is an HTML document (or mostly tags) rather than prose."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml")):
        return True
    tags = re.findall(r"</?[a-zA-Z][^<>]{0,500}>", text)
    if len(tags) < 5:
        return False
    tag_chars = sum(len(t) for t in tags)
    visible = sum(1 for ch in text if not ch.isspace())
    return visible > 0 and tag_chars / visible >= 0.4


# --------------------------------------------------------------------------------------------------
# Blocks: the paragraph candidates, still with their markup
# --------------------------------------------------------------------------------------------------


@dataclass
class _Block:
    raw: str
    hint: ParagraphKind | None = None  # a kind fixed by the markup (``##``, ``>``, a tweet)
    caption: bool = False
    lines: list[str] = field(default_factory=list)


def _line_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line == "":
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _is_wrapped(blocks: list[list[str]]) -> bool:
    """Hard-wrapped prose: inside multi-line blocks, most lines stop mid-sentence."""
    inner = [line for b in blocks if len(b) > 1 for line in b[:-1] if not _STRUCTURAL.match(line)]
    if len(inner) < 3:  # too little evidence: one line is one paragraph
        return False
    every = [line for b in blocks for line in b]
    if sum(len(line) > 120 for line in every) > 0.1 * len(every):  # long lines: not wrapped at a width
        return False
    ending = sum(_ends_sentence(_plain(line)) for line in inner)
    return ending / len(inner) < 0.5


def _candidates(blocks: list[list[str]], wrapped: bool) -> list[_Block]:
    out: list[_Block] = []
    for block in blocks:
        current: _Block | None = None
        for line in block:
            if _RULE.match(line):
                current = None
                continue
            atx = _ATX.match(line)
            quote = _QUOTE_LINE.match(line)
            if atx:
                out.append(_Block(atx["text"], ParagraphKind.HEADING, lines=[line]))
                current = None
            elif quote:
                text = _clean_line(quote["text"])
                if current is not None and current.hint is ParagraphKind.QUOTE:
                    current.raw += (" " if wrapped else "\n") + text
                    current.lines.append(line)
                elif text:
                    current = _Block(text, ParagraphKind.QUOTE, lines=[line])
                    out.append(current)
            elif wrapped and current is not None and current.hint is None and not _STRUCTURAL.match(line):
                current.raw += " " + line
                current.lines.append(line)
            else:
                current = _Block(line, lines=[line])
                out.append(current)
                if not wrapped:
                    current = None
        # a blank line ends every block
    return out


def _merge_tweets(blocks: list[_Block]) -> list[_Block]:
    """« text » + « — Name (@handle) date » + « ➡️ https://t.co/… » → one QUOTE block."""
    out: list[_Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.hint is None and _TWEET_BY.match(b.raw):
            parts = [b]
            if out and out[-1].hint is None and not out[-1].caption and len(_plain(out[-1].raw)) <= 320:
                parts.insert(0, out.pop())
            j = i + 1
            while j < len(blocks) and blocks[j].hint is None and _is_link_line(blocks[j].raw):
                parts.append(blocks[j])
                j += 1
            out.append(
                _Block("\n".join(p.raw for p in parts), ParagraphKind.QUOTE, lines=[x for p in parts for x in p.lines])
            )
            i = j
            continue
        out.append(b)
        i += 1
    return out


def _rejoin(blocks: list[_Block]) -> list[_Block]:
    """Join a block broken mid-sentence with the next one when that one starts in lowercase."""
    out: list[_Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.hint is None
            and b.hint is None
            and not prev.caption
            and not b.caption
            and not _ends_sentence(_plain(prev.raw))
            and _starts_lowercase(_plain(b.raw))
        ):
            prev.raw += " " + b.raw
            prev.lines.extend(b.lines)
            continue
        out.append(b)
    return out


def _mark_caption(b: _Block) -> None:
    if b.hint is not None:
        return
    m = _CREDIT.search(b.raw)
    if m and m.start() > 0:
        b.raw = b.raw[: m.start()] + " " + m["credit"].strip()
        b.caption = True
    elif _CREDIT_TAIL.search(_plain(b.raw)) and len(_plain(b.raw)) < 600:
        b.caption = True


# --------------------------------------------------------------------------------------------------
# Paragraph-level passes
# --------------------------------------------------------------------------------------------------

_SPEAKER_WORD = rf"(?:[{_UPPER}][\w'’.-]*|d[eu]|des|la|le|von|van|ben|al|[dl][’'][{_UPPER}][\w'’.-]*)"
_TURN = re.compile(
    rf"^(?P<speaker>[{_UPPER}][\w'’.-]*(?:[ \u00a0]{_SPEAKER_WORD}){{0,3}})[ \u00a0\u202f]*:[ \u00a0\u202f]+(?=\S)"
)
_ALWAYS_SPEAKERS = {"question", "questions", "q", "réponse", "reponse", "r", "journaliste"}
_NOT_SPEAKERS = {
    "source", "sources", "crédit", "crédits", "credit", "photo", "note", "nb", "n.b.", "lire", "lire aussi",
    "voir aussi", "à lire", "mise à jour", "update", "attention", "exemple", "objet", "titre", "par", "selon",
    "avec", "légende", "important", "info", "alerte", "direct", "vidéo", "video", "en direct", "résumé",
}  # fmt: skip


def _shift(spans: list[Span], cut: int, length: int) -> list[Span]:
    """Spans of ``text[cut:]`` (length ``length``) given spans of ``text``."""
    out = []
    for s in spans:
        start, end = max(s.start - cut, 0), min(s.end - cut, length)
        if end > start:
            out.append(Span(start, end, s.kind, s.href))
    return out


def _strip_paragraph(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Strip outer whitespace, keeping span offsets exact."""
    lead = len(text) - len(text.lstrip(" \n"))
    stripped = text.strip(" \n")
    return stripped, _shift(spans, lead, len(stripped))


def _detect_turns(paragraphs: list[Paragraph]) -> None:
    found: list[tuple[int, re.Match[str]]] = []
    counts: dict[str, int] = {}
    for i, p in enumerate(paragraphs):
        if p.kind is not ParagraphKind.BODY:
            continue
        m = _TURN.match(p.text)
        if not m or m["speaker"].casefold() in _NOT_SPEAKERS:
            continue
        found.append((i, m))
        counts[m["speaker"]] = counts.get(m["speaker"], 0) + 1
    for i, m in found:
        speaker = m["speaker"]
        if counts[speaker] < 2 and speaker.casefold() not in _ALWAYS_SPEAKERS:
            continue
        p = paragraphs[i]
        cut = m.end()
        rest = p.text[cut:]
        p.spans = _shift(p.spans, cut, len(rest))
        p.text = rest
        p.kind = ParagraphKind.TURN
        p.speaker = speaker


def _detect_headings(paragraphs: list[Paragraph]) -> None:
    for i, p in enumerate(paragraphs[:-1]):
        if p.kind is not ParagraphKind.BODY:
            continue
        nxt = paragraphs[i + 1]
        text = p.text
        if (
            len(text) <= 120
            and len(text.split()) <= 14
            and "\n" not in text
            and (text[:1].isupper() or text[:1].isdigit())
            and not _HEADING_END.search(text)
            and nxt.kind in (ParagraphKind.BODY, ParagraphKind.TURN, ParagraphKind.QUOTE)
            and len(nxt.text) > len(text)
        ):
            p.kind = ParagraphKind.HEADING


def _dedupe(paragraphs: list[Paragraph], title: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    for p in paragraphs:
        if out and _norm_key(out[-1].text) == _norm_key(p.text):
            if p.kind is ParagraphKind.CAPTION:
                out[-1].kind = ParagraphKind.CAPTION
            continue
        out.append(p)
    key = _norm_key(title)
    if out and _norm_key(out[-1].text) == key:
        out.pop()
    if out and _norm_key(out[0].text) == key:
        out.pop(0)
    return out


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def segment_article(article: Article) -> Article:
    """Fill every paragraph's ``sentences`` with ``reader.core.segment.segment``; returns ``article``."""
    for p in article.paragraphs:
        p.sentences = list(_segment.segment(p.text))
    return article


def _fallback_title(origin: str | None) -> str:
    if origin:
        name = origin.replace("\\", "/").rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
        if stem.strip():
            return stem.strip()
    return DEFAULT_TITLE


def _short_title(text: str) -> str:
    m = re.match(r"(.{20,150}?[.!?…])(?:\s|$)", text)
    if m:
        return m.group(1)
    cut = text[:120].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _literal_article(text: str, origin: str | None) -> Article:
    """HTML (or anything we must not interpret): one BODY paragraph per non-empty line, verbatim."""
    lines = [_clean_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    title = _fallback_title(origin)
    if len(lines) > 1 and not re.search(r"<[^<>]*>", lines[0]) and len(lines[0]) <= _MAX_TITLE:
        title = lines.pop(0)
    return Article(title=title, paragraphs=[Paragraph(line) for line in lines], origin=origin)


def parse_article(text: str, origin: str | None = None) -> Article:
    """Parse a copied web article (plain text or light Markdown) into an :class:`Article`.

    ``origin`` is where it came from (a file name, « clipboard »); its stem is the title when the text
    has no usable first line. The paragraphs come back segmented into sentences.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if looks_like_html(text):
        return segment_article(_literal_article(text, origin))

    lines: list[str | None] = [_clean_line(line) for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return Article(title=_fallback_title(origin), origin=origin)

    meta: dict[str, str] = {}
    first_line = lines[first] or ""
    atx = _ATX.match(first_line)
    title_raw = atx["text"] if atx else first_line
    title = _plain(title_raw).strip()
    if len(title) > _MAX_TITLE:  # a paragraph, not a title: keep it in the text
        title = _short_title(title)
    else:
        lines[first] = None
    if not title:
        title = _fallback_title(origin)

    # Byline, dateline or date right under the title (up to three lines).
    seen = 0
    for i in range(first + 1, len(lines)):
        line = lines[i]
        if line is None or line == "":
            continue
        plain = _plain(line)
        found = _match_byline(plain) or _match_date_line(plain) or _match_source(line)
        if not found or any(k in meta for k in found):
            break
        meta.update(found)
        lines[i] = None
        seen += 1
        if seen == 3:
            break
    # Source lines anywhere, when they stand alone.
    last = max((i for i, line in enumerate(lines) if line), default=-1)
    for i, line in enumerate(lines):
        if line:
            found = _match_source(line, anywhere=i != last)
            if found:
                if "source" in meta and found["source"] not in meta["source"]:
                    found["source"] = meta["source"] + ", " + found["source"]
                meta.update(found)
                lines[i] = None

    blocks = _line_blocks([line for line in lines if line is not None])
    wrapped = _is_wrapped(blocks)
    cands = _candidates(blocks, wrapped)
    cands = _merge_tweets(cands)
    for b in cands:
        _mark_caption(b)
    cands = _rejoin(cands)

    paragraphs: list[Paragraph] = []
    for b in cands:
        clean, spans = parse_inline(b.raw)
        clean, spans = _strip_paragraph(clean, spans)
        if not clean:
            continue
        kind = b.hint or (ParagraphKind.CAPTION if b.caption else ParagraphKind.BODY)
        paragraphs.append(Paragraph(clean, kind, spans=spans))

    paragraphs = _dedupe(paragraphs, title)
    if not paragraphs and lines[first] is None and title_raw.strip():
        # A single line of text: it is the content; the title comes from the origin.
        clean, spans = _strip_paragraph(*parse_inline(title_raw))
        paragraphs = [Paragraph(clean, spans=spans)]
        title = _fallback_title(origin)
    _detect_turns(paragraphs)
    _detect_headings(paragraphs)

    article = Article(
        title=title,
        paragraphs=paragraphs,
        author=meta.get("author"),
        published=meta.get("published"),
        published_iso=meta.get("published_iso"),
        source=meta.get("source"),
        source_url=meta.get("source_url"),
        origin=origin,
        place=meta.get("place"),
    )
    return segment_article(article)
