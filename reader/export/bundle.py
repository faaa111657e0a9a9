"""What every export format takes as input, and the logic they share (no Qt, no I/O).

The caller (GUI, CLI, tests) gathers, per article, the French :class:`~reader.core.model.Article`, the
English shown for each sentence, the highlights and the glossary entries that occur in it, into an
:class:`ExportArticle`; :class:`ExportOptions` says how to render. The PDF, Markdown and HTML writers all
go through :func:`prepare` so they agree on which paragraphs are shown, how a cell's English text is built,
which sentences a highlight tints on the other side, and how notes are numbered.

Offsets of an :class:`ExportHighlight` are *local to the paragraph's cell text on its side*: the French
cell is ``paragraph.text``; the English cell is :func:`english_cell_text` of the paragraph's sentence
translations (the same rule as :func:`reader.core.sides.english_side`: translations verbatim, joined by
one space, a missing one contributing nothing and no separator).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.french_dates import display_date
from reader.core.errors import ReaderError
from reader.core.model import Article, Paragraph
from reader.core.sides import join_english, line_breaks_before
from reader.core.wordalign import WordAlignment

SIDES = ("fr", "en")
NOT_TRANSLATED = "Not translated yet"


class ExportError(ReaderError):
    """An export could not be written (bad folder, file in use, disk full, unusable input)."""


# -- input model -----------------------------------------------------------------------------------


@dataclass
class ExportHighlight:
    id: str
    side: str  # "fr" | "en"
    paragraph: int
    start: int  # local to the paragraph's cell text on ``side``
    end: int
    color: str = "#ffd400"
    note: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    modified: str = ""  # ISO 8601 date-time

    @property
    def has_note(self) -> bool:
        return bool(self.note.strip() or self.tags)

    def note_text(self) -> str:
        """The note and, on its own line, its tags (what PDF ``/Contents`` and footnotes carry)."""
        parts = [self.note.strip()] if self.note.strip() else []
        if self.tags:
            parts.append("Tags: " + ", ".join(self.tags))
        return "\n".join(parts)


@dataclass
class ExportGlossaryEntry:
    term: str
    translation: str
    note: str = ""
    enforced: int = 0  # in how many of the article's sentences the rendering was enforced in the English

    @property
    def appendix_note(self) -> str:
        """The note of the appendix table: the entry's note, then in how many sentences it was enforced."""
        count = ""
        if self.enforced:
            count = f"Enforced in {self.enforced} sentence{'s' if self.enforced != 1 else ''}."
        return " · ".join(x for x in (self.note, count) if x)


@dataclass
class ExportArticle:
    article: Article
    english: list[list[str | None]]  # [paragraph][sentence]; None = untranslated
    highlights: list[ExportHighlight] = field(default_factory=list)
    glossary: list[ExportGlossaryEntry] = field(default_factory=list)  # terms occurring in it
    english_title: str | None = None  # the title's translation, when the caller has one
    # [paragraph][sentence]: the word alignment of the English shown, when one is stored (HTML hover)
    alignments: list[list[WordAlignment | None]] | None = None


@dataclass
class ExportOptions:
    paper: str = "a4"  # "a4" | "letter"
    font_size: float = 10.5
    left: str = "fr"  # which side is the left column: "fr" | "en"
    content: str = "notes"  # "clean" | "highlights" | "notes"
    notes: str = "footnotes"  # "footnotes" | "endnotes"
    only_annotated: bool = False  # only paragraphs with at least one highlight (a study sheet)
    title: str | None = None  # the pack's title (default: the article's, or « N articles »)
    author: str | None = None
    # PDF typesetting
    justify: bool = False  # justified columns (ragged right otherwise); words are hyphenated either way
    hyphenate: bool = True  # French patterns for the French column, English for the English one
    flatten_highlights: bool = False  # also paint highlight colours into the page (viewers without annotations)
    counterpart_tint: bool = False  # a light wash of a highlight's colour on the other side's sentences

    def validate(self) -> None:
        checks = {
            "paper": (self.paper, ("a4", "letter")),
            "left": (self.left, SIDES),
            "content": (self.content, ("clean", "highlights", "notes")),
            "notes": (self.notes, ("footnotes", "endnotes")),
        }
        for name, (value, allowed) in checks.items():
            if value not in allowed:
                raise ExportError(f"Unknown {name} option « {value} » (expected one of {', '.join(allowed)}).")
        if not 5 <= float(self.font_size) <= 24:
            raise ExportError(f"Font size {self.font_size} is out of range (5 to 24 points).")

    @property
    def right(self) -> str:
        return "en" if self.left == "fr" else "fr"

    @property
    def show_highlights(self) -> bool:
        return self.content in ("highlights", "notes")

    @property
    def show_notes(self) -> bool:
        return self.content == "notes"


@dataclass
class ExportReport:
    pages: int
    highlights: int  # highlight annotations written (one per highlight, or per page it spans)
    path: Path
    # Layout report (PDF): where things landed, for checks and for the GUI to show.
    rows: list[tuple[int, int, list[int]]] = field(default_factory=list)  # (article, paragraph, pages)
    notes: list[tuple[int, int, int, int]] = field(default_factory=list)  # (article, number, marker page, note page)
    article_pages: list[int] = field(default_factory=list)  # first page (1-based) of each article


# -- the English cell ------------------------------------------------------------------------------


def english_sentence_ranges(translations: Sequence[str | None]) -> list[tuple[int, int]]:
    """Local ``(start, end)`` of each sentence's translation in :func:`english_cell_text` (an empty range
    where a sentence is untranslated), so ``(p, s)`` indexes match the French side."""
    return join_english(translations)[1]


def english_cell_text(translations: Sequence[str | None], breaks: Collection[int] = ()) -> str:
    """The English text of one paragraph (:func:`reader.core.sides.join_english`), with a line break
    before the sentences in ``breaks`` (where the French paragraph breaks its lines)."""
    return join_english(translations, breaks)[0]


# -- prepared content shared by the writers ---------------------------------------------------------


@dataclass
class Mark:
    """A range of a cell to paint: a highlight (``tint=False``) or a counterpart tint (``tint=True``)."""

    start: int
    end: int
    color: str
    tint: bool
    highlight: ExportHighlight | None = None


@dataclass
class Note:
    number: int
    highlight: ExportHighlight
    side: str
    paragraph: int
    at: int  # local offset in the cell where the marker goes (end of the passage, spaces trimmed)


@dataclass
class Cell:
    side: str
    text: str
    sentences: list[tuple[int, int]]
    marks: list[Mark] = field(default_factory=list)  # tints first, then highlights, each by start
    notes: list[Note] = field(default_factory=list)  # markers in this cell, by position
    untranslated: bool = False  # English cell with no text at all


@dataclass
class Row:
    paragraph: int
    para: Paragraph
    cells: dict[str, Cell]


@dataclass
class PreparedArticle:
    index: int
    source: ExportArticle
    rows: list[Row]
    notes: list[Note]  # numbered 1.. in reading order (row, left column, right column, position)
    translated: bool  # at least one sentence has English
    highlights: list[ExportHighlight]  # the valid ones that are shown (empty for "clean")
    skipped: list[str]  # ids of highlights that could not be placed (bad offsets)

    @property
    def article(self) -> Article:
        return self.source.article


def lighten(color: str, amount: float) -> str:
    """``color`` (#rrggbb) blended with white: ``amount`` 1 keeps it, 0 gives white."""
    r, g, b = parse_color(color)
    mix = [round(255 - (255 - c * 255) * amount) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def parse_color(color: str) -> tuple[float, float, float]:
    """``#rrggbb`` / ``#rgb`` → RGB in 0..1 (yellow for anything unreadable)."""
    c = (color or "").strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    try:
        return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return (1.0, 212 / 255, 0.0)


TINT_AMOUNT = 0.22  # counterpart sentences: the highlight colour this much over white


def prepare(ea: ExportArticle, options: ExportOptions, index: int = 0) -> PreparedArticle:
    """Rows to show, their cells' text and marks, and the numbered notes of one article."""
    art = ea.article
    english = list(ea.english or [])
    # Tolerate a short / ragged english list: missing paragraphs or sentences are untranslated.
    eng: list[list[str | None]] = []
    for p, para in enumerate(art.paragraphs):
        trans = list(english[p]) if p < len(english) and english[p] is not None else []
        trans = (trans + [None] * len(para.sentences))[: len(para.sentences)]
        eng.append(trans)
    translated = any(t for trans in eng for t in trans)

    cells_of: list[dict[str, Cell]] = []
    for p, para in enumerate(art.paragraphs):
        fr = Cell("fr", para.text, [(s.start, s.end) for s in para.sentences])
        en_text = english_cell_text(eng[p], line_breaks_before(para.text, fr.sentences))
        en = Cell("en", en_text, english_sentence_ranges(eng[p]), untranslated=not en_text)
        cells_of.append({"fr": fr, "en": en})

    shown: list[ExportHighlight] = []
    skipped: list[str] = []
    if options.show_highlights:
        for h in ea.highlights:
            if h.side not in SIDES or not 0 <= h.paragraph < len(cells_of):
                skipped.append(h.id)
                continue
            cell = cells_of[h.paragraph][h.side]
            if not 0 <= h.start < h.end <= len(cell.text):
                skipped.append(h.id)
                continue
            shown.append(h)

    for h in shown:
        cell = cells_of[h.paragraph][h.side]
        other = cells_of[h.paragraph]["en" if h.side == "fr" else "fr"]
        cell.marks.append(Mark(h.start, h.end, h.color, False, h))
        for s, (a, b) in enumerate(cell.sentences):
            if a < h.end and h.start < b and s < len(other.sentences):
                oa, ob = other.sentences[s]
                if ob > oa:
                    other.marks.append(Mark(oa, ob, h.color, True, h))

    annotated = {h.paragraph for h in (shown if options.show_highlights else ea.highlights)}
    rows = [
        Row(p, para, cells_of[p])
        for p, para in enumerate(art.paragraphs)
        if not options.only_annotated or p in annotated
    ]

    notes: list[Note] = []
    for row in rows:
        for side in (options.left, options.right):
            cell = row.cells[side]
            cell.marks.sort(key=lambda m: (not m.tint, m.start, m.end))
            if not options.show_notes:
                continue
            with_notes = [m.highlight for m in cell.marks if not m.tint and m.highlight.has_note]
            placed = []
            for h in with_notes:
                at = h.end
                while at > h.start and cell.text[at - 1].isspace():
                    at -= 1
                placed.append((at, h.start, h))
            for at, _, h in sorted(placed, key=lambda t: (t[0], t[1])):
                note = Note(0, h, side, row.paragraph, at)
                cell.notes.append(note)
                notes.append(note)
    for i, note in enumerate(notes, 1):
        note.number = i
    return PreparedArticle(index, ea, rows, notes, translated, shown, skipped)


def article_meta_line(article: Article) -> str:
    """« AFP · Jeanne la pucelle · Moscou, 26 octobre 2025 » (what is known, in that order)."""
    date = display_date(article.published, article.published_iso)
    if article.place and date:
        date = f"{article.place}, {date}"
    elif article.place:
        date = article.place
    parts = [article.source or "", article.author or "", date]
    return " · ".join(p for p in parts if p)


def speaker_prefix(para: Paragraph, side: str) -> str:
    """The bold « Speaker : » prefix of an interview turn (French spacing on the French side)."""
    if not para.speaker:
        return ""
    return f"{para.speaker}\u00a0: " if side == "fr" else f"{para.speaker}: "


# -- atomic writing ---------------------------------------------------------------------------------


def check_target(path: Path) -> Path:
    """Refuse a target that cannot be a file we write, with one clear sentence."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise ExportError(f"Cannot export to « {path} »: it is a folder, not a file name.")
    parent = path.parent
    if not parent.exists():
        raise ExportError(f"Cannot export to « {path} »: the folder « {parent} » does not exist.")
    if not parent.is_dir():
        raise ExportError(f"Cannot export to « {path} »: « {parent} » is a file, not a folder.")
    return path


#: Temp files of an export are named ``.<target name>.vv-<host>-<pid>-<random><suffix>`` (``suffix`` ends in
#: ``.part`` or ``.probe``): hidden, beside the target (so the final rename is atomic), and recognisable as
#: ours, with the machine and process that made them, so a later export can remove what a killed run left.
_TEMP_MARK = ".vv-"
_TEMP_NAME = re.compile(r"^\..+\.vv-(?P<host>[0-9a-f]{6})-(?P<pid>\d+)-[A-Za-z0-9_]+\.[A-Za-z0-9.]*(part|probe)$")
#: A temp file whose process cannot be checked (another machine sharing the folder) is stale after this.
STALE_AFTER_S = 24 * 3600


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def _pid_running(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":  # on Windows os.kill(pid, 0) would send Ctrl-C: age decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: keep the file
    return True


def is_stale_temp(path: Path, now: float | None = None) -> bool:
    """Whether ``path`` is a temp file an export of ours left behind and nobody is writing any more: its
    name has our pattern, it is a regular file of this user, and the process that made it (on this machine)
    is gone, or it is older than :data:`STALE_AFTER_S` (made on another machine sharing the folder)."""
    m = _TEMP_NAME.match(path.name)
    if not m:
        return False
    try:
        st = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return False
    age = (time.time() if now is None else now) - st.st_mtime
    if age > STALE_AFTER_S:
        return True
    return m.group("host") == _host_tag() and not _pid_running(int(m.group("pid")))


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temp files a killed export left in ``folder`` (see :func:`is_stale_temp`); returns them.
    Never raises: a folder that cannot be listed or a file that cannot be removed is left as it is."""
    removed: list[Path] = []
    try:
        with os.scandir(folder) as it:
            names = [e.name for e in it if e.name.startswith(".") and _TEMP_MARK in e.name]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        p = Path(folder) / name
        if is_stale_temp(p, now):
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


def temp_path_beside(path: Path, suffix: str = ".part") -> Path:
    """A new empty temp file in the target's folder (so the final rename is atomic), named so that a later
    export recognises it; temp files that killed exports left in that folder are removed first."""
    remove_stale_temps(path.parent)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}{_TEMP_MARK}{_host_tag()}-{os.getpid()}-", suffix=suffix, dir=path.parent
        )
    except OSError as exc:
        raise ExportError(f"Cannot write in the folder « {path.parent} »: {_reason(exc)}.") from exc
    os.close(fd)
    return Path(name)


def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def give_usual_mode(path: Path) -> None:
    """Temp files are private (mode 0600): give an export the mode of any new file (0666 minus the
    umask), so it can be shared like a file saved by any program."""
    if os.name != "posix":
        return
    try:
        os.chmod(path, 0o666 & ~_umask())
    except OSError:
        pass


def replace_into(tmp: Path, path: Path) -> None:
    """Move the finished temp file over ``path``, with the mode of any new file (:func:`give_usual_mode`)."""
    give_usual_mode(tmp)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"Cannot save « {path} »: {_reason(exc)} (is it open in another program?).") from exc


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    return (exc.strerror or str(exc)).rstrip(".").lower()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temp file beside ``path`` for the block to write; when the block ends well it replaces ``path``
    (with the usual mode). On any error it is removed and an ``OSError`` becomes :class:`ExportError`
    (``Cancelled`` passes through, still cleaning up)."""
    path = check_target(Path(path))
    tmp = temp_path_beside(path)
    try:
        try:
            yield tmp
        except OSError as exc:
            raise ExportError(f"Cannot write « {path} »: {_reason(exc)}.") from exc
        replace_into(tmp, path)
    finally:
        if tmp.exists():
            try:
                tmp.unlink()
            except OSError:
                pass


@contextmanager
def atomic_text_file(path: Path) -> Iterator[object]:
    """:func:`atomic_path` opened for UTF-8 text (``\\n`` line ends)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        yield fh


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """``write(tmp)`` inside :func:`atomic_path`; returns ``path``."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


# -- links and notes (Markdown / HTML) ------------------------------------------------------------------

#: The only link schemes an export keeps (as the PDF does); ``javascript:``, ``vbscript:``, ``data:``,
#: ``file:`` and relative links are dropped, their text kept.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def safe_href(href: str | None) -> str | None:
    """``href`` if it is an absolute http(s) or mailto link, else ``None``. Control characters and spaces
    around are removed first, as browsers do (so ``java\tscript:`` is seen as ``javascript:``)."""
    if not href:
        return None
    cleaned = "".join(ch for ch in href.strip() if ch >= " " and ch != "\x7f")
    m = _SCHEME.match(cleaned)
    if m is None or m.group(1).lower() not in SAFE_SCHEMES:
        return None
    return cleaned


def note_paragraphs(text: str) -> list[list[str]]:
    """A note as paragraphs (split at blank lines) of lines (split at single line breaks), blank
    paragraphs and trailing spaces dropped: how Markdown and HTML keep a note's layout."""
    paras = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return [[line.strip() for line in p.strip("\n").split("\n")] for p in paras if p.strip()]


# -- inline segments (Markdown / HTML) ----------------------------------------------------------------


@dataclass
class Segment:
    text: str
    styles: frozenset[str]  # "bold", "italic", "sup", "link"
    href: str | None
    mark: Mark | None  # the innermost highlight or tint covering it (highlights win over tints)
    notes: list[Note]  # markers to put right after this segment


def segments(row: Row, cell: Cell) -> list[Segment]:
    """The cell's text cut where formatting, highlights or note markers change."""
    text = cell.text
    spans = row.para.spans if cell.side == "fr" else []
    cuts = {0, len(text)}
    for sp in spans:
        if sp.end <= len(text):
            cuts.update((sp.start, sp.end))
    for m in cell.marks:
        cuts.update((m.start, m.end))
    for n in cell.notes:
        cuts.add(n.at)
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Segment] = []
    for a, b in zip(bounds, bounds[1:]):
        if b <= a:
            continue
        styles, href = set(), None
        for sp in spans:
            if sp.start <= a and b <= sp.end:
                styles.add({"bold": "bold", "italic": "italic", "sup": "sup", "link": "link"}[sp.kind.value])
                if sp.kind.value == "link":
                    href = sp.href
        covering = [m for m in cell.marks if m.start <= a and b <= m.end]
        mark = next((m for m in reversed(covering) if not m.tint), None) or (covering[-1] if covering else None)
        out.append(Segment(text[a:b], frozenset(styles), href, mark, [n for n in cell.notes if n.at == b]))
    if not out and cell.notes:
        out.append(Segment("", frozenset(), None, None, list(cell.notes)))
    return out
