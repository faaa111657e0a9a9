"""Glossary import and export: CSV, TBX (v3 and v2, :mod:`reader.export.tbx`) and Anki decks.

Every importer parses the whole input before returning anything, and raises ``ValueError`` with a
sentence for the user on a bad file: a glossary is imported completely or not at all. Importers return
new :class:`GlossaryEntry` objects; feed them to :func:`merge_entries` to avoid duplicates. Files are
written atomically (a temp file beside the target, renamed over it) with the mode of any new file
(0666 minus the umask), like the other exports.

CSV
    UTF-8 **with** a byte order mark (so Excel, the usual editor of such files, shows « é » right; every
    other tool ignores it), header ``term,translation,note,tags`` — plus ``enforce`` (``yes``/``no``: the
    entry's "enforce in the translation") when an entry has it off —, tags separated by ``;``, RFC 4180
    quoting (notes may span lines), CRLF line ends. Import accepts UTF-8 with or without BOM, UTF-16 with
    BOM, and otherwise the encoding a French CSV really comes in (cp1252, Mac Roman), whichever reads as
    more French; the delimiter may be ``,`` or ``;`` (French Excel's default) or a tab, found
    from the header row. The header may list the columns in any order; ``term`` and ``translation`` are
    required, ``note``, ``tags`` and ``enforce`` optional (``enforce``: yes/no, true/false, 1/0, oui/non;
    empty is yes), anything else is refused (not silently dropped).
    Formula injection (OWASP « CSV injection »): a cell that a spreadsheet would run as a formula — it
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, possibly after single quotes — is
    written with one more ``'`` in front, which spreadsheets show as text; import removes that one quote,
    so a round trip gives back the exact text.

TBX
    See :mod:`reader.export.tbx`: TBX-Basic v3 (``tbx``/``conceptEntry``, the default) and v2
    (``martif``/``termEntry``, format ``tbx2``) are written; both are read.

Anki
    An ``.apkg`` written by genanki: front = the French term and, when given, the sentence it was found in
    (the term in bold); back = the English rendering and the note. Model and deck ids are derived from
    fixed names, and each note's GUID from the term's lemma key, so importing a re-export into Anki
    updates the cards instead of duplicating them. Import (:func:`glossary_from_anki`, on the notes that
    ``reader.storage.anki_deck`` reads): our own note type by its field names (Term, Translation, Note;
    the Context sentence is not part of an entry); any other deck front → term and back → translation,
    by field name where they tell (Front/Back, French/English, Term/Translation…), else the first two
    fields. HTML is reduced to its text (line breaks kept), ``[sound:…]`` and cloze marks removed. An entry
    not enforced in the translation carries the tag :data:`ANKI_NOT_ENFORCED` (both ways).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import genanki

from reader.core.annotations import now_iso
from reader.core.glossary import (
    GlossaryEntry,
    GlossaryMatcher,
    merge_entries,
    non_overlapping,
    normalise_term,
)
from reader.export.bundle import write_atomically
from reader.export.tbx import glossary_from_tbx, glossary_to_tbx, glossary_to_tbx2

__all__ = [
    "CSV_HEADER",
    "glossary_to_csv",
    "glossary_from_csv",
    "glossary_to_tbx",
    "glossary_to_tbx2",
    "glossary_from_tbx",
    "GLOSSARY_FORMATS",
    "glossary_format_for",
    "write_anki",
    "glossary_from_anki",
    "export_glossary",
    "import_glossary",
    "merge_entries",
]

CSV_HEADER = ("term", "translation", "note", "tags")
CSV_ENFORCE = "enforce"  # the optional column: written when an entry is not enforced
TAG_SEPARATOR = ";"
_YES = {"", "yes", "y", "true", "1", "oui", "o", "vrai"}
_NO = {"no", "n", "false", "0", "non", "faux"}

# -- CSV ----------------------------------------------------------------------------------------------


def glossary_to_csv(entries: Iterable[GlossaryEntry]) -> bytes:
    """The entries as CSV bytes (UTF-8 with BOM, header ``term,translation,note,tags``, and ``enforce``
    when an entry is not enforced in the translation)."""
    entries = list(entries)
    flag = any(not e.enforce for e in entries)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER + ((CSV_ENFORCE,) if flag else ()))
    for e in entries:
        cells = [e.term, e.translation, e.note, TAG_SEPARATOR.join(e.tags)] + (["yes" if e.enforce else "no"] if flag else [])
        writer.writerow([neutralise_cell(c) for c in cells])
    return buf.getvalue().encode("utf-8-sig")


#: What makes a spreadsheet read a cell as a formula (OWASP, « CSV injection »).
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise_cell(text: str) -> str:
    """``text`` with one ``'`` in front when a spreadsheet would run it as a formula (it starts, maybe
    after single quotes, with one of :data:`FORMULA_STARTS`); :func:`restore_cell` undoes it."""
    return "'" + text if text.lstrip("'")[:1] in FORMULA_STARTS else text


def restore_cell(text: str) -> str:
    """The inverse of :func:`neutralise_cell`."""
    return text[1:] if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_STARTS else text


DELIMITERS = ",;\t"


def _delimiter(text: str) -> str:
    """The CSV delimiter: the one (``,`` ``;`` tab) that splits the header row into known column names,
    else what :class:`csv.Sniffer` guesses among them, else a comma."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for d in DELIMITERS:
        cells = [c.strip().strip('"').strip().lower() for c in first.split(d)]
        if len(cells) >= 2 and "term" in cells and all(c in CSV_HEADER or c == CSV_ENFORCE for c in cells):
            return d
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


_FRENCH_LETTERS = frozenset("éèêëàâäçîïôöùûüÿœæÉÈÊÀÂÇÎÔÙÛŒÆ«»’")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Windows (cp1252) or Mac Roman (which decodes any byte): take the reading with more French letters;
    # a tie (no accent at all) is cp1252, the common case. (charset-normalizer guesses wrong on the few
    # accented letters of a short glossary.)
    if b"\x00" in data or sum(b < 32 and b not in (9, 10, 13) for b in data) > len(data) // 20:
        raise ValueError("The file's text encoding could not be recognised (is it a text file?); save it as "
                         "UTF-8 CSV and retry.")
    readings = []
    for codec in ("cp1252", "mac_roman"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        readings.append((sum(ch in _FRENCH_LETTERS for ch in text), codec == "cp1252", text))
    return max(readings)[2]


def glossary_from_csv(data: bytes | str) -> list[GlossaryEntry]:
    """Entries from CSV (see the module doc). Raises ValueError for a wrong header or a bad row."""
    text = data if isinstance(data, str) else _decode(data)
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise ValueError("This is not a CSV text file.")
    rows = [[restore_cell(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))]
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValueError(f"The CSV file is empty; it needs the header row: {','.join(CSV_HEADER)}")
    header = [c.strip().lower() for c in rows[0]]
    unknown = [c for c in header if c not in CSV_HEADER and c != CSV_ENFORCE]
    if unknown or "term" not in header or "translation" not in header or len(set(header)) != len(header):
        raise ValueError(
            f"Unexpected CSV columns ({', '.join(rows[0]) or 'none'}): the first row must be the header "
            f"{','.join(CSV_HEADER)} (note and tags may be left out; {CSV_ENFORCE} may be added)."
        )
    col = {name: i for i, name in enumerate(header)}
    stamp = now_iso()
    out: list[GlossaryEntry] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise ValueError(f"Line {line} of the CSV has {len(row)} cells, the header has {len(header)}.")
        row = row + [""] * (len(header) - len(row))
        term = row[col["term"]].strip()
        if not term:
            raise ValueError(f"Line {line} of the CSV has no term.")
        tags = row[col["tags"]].split(TAG_SEPARATOR) if "tags" in col else []
        flag = row[col[CSV_ENFORCE]].strip().lower() if CSV_ENFORCE in col else ""
        if flag not in _YES and flag not in _NO:
            raise ValueError(f"Line {line} of the CSV: {CSV_ENFORCE} must be yes or no, not « {flag} ».")
        out.append(
            GlossaryEntry(
                term=term,
                translation=row[col["translation"]].strip(),
                note=row[col["note"]] if "note" in col else "",
                tags=tags,
                created=stamp,
                modified=stamp,
                enforce=flag not in _NO,
            )
        )
    return out


# -- Anki ---------------------------------------------------------------------------------------------


def _stable_id(name: str) -> int:
    """A deterministic Anki id (2**30 .. 2**31-1) from a name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


ANKI_MODEL_ID = _stable_id("visavis.glossary.model.v1")
#: The tag of a card whose entry is not enforced in the translation (Anki's hierarchical tag syntax).
ANKI_NOT_ENFORCED = "visavis::not-enforced"
_ANKI_CSS = """
.card { font-family: sans-serif; font-size: 22px; text-align: center; }
.context { font-size: 16px; color: #555; margin-top: 12px; }
.note { font-size: 15px; color: #333; margin-top: 12px; text-align: left; white-space: pre-wrap; }
"""
ANKI_MODEL = genanki.Model(
    ANKI_MODEL_ID,
    "Vis-à-vis glossary (French → English)",
    fields=[{"name": "Term"}, {"name": "Context"}, {"name": "Translation"}, {"name": "Note"}],
    templates=[
        {
            "name": "French → English",
            "qfmt": '<div class="term">{{Term}}</div>{{#Context}}<div class="context">{{Context}}</div>{{/Context}}',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="translation">{{Translation}}</div>'
            '{{#Note}}<div class="note">{{Note}}</div>{{/Note}}',
        }
    ],
    css=_ANKI_CSS,
)


def _html(text: str) -> str:
    """Plain text as Anki field HTML: escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _context_html(entry: GlossaryEntry, sentence: str) -> str:
    matches = non_overlapping(GlossaryMatcher([entry]).find(sentence))
    out, pos = [], 0
    for m in matches:
        out += [_html(sentence[pos : m.start]), "<b>", _html(sentence[m.start : m.end]), "</b>"]
        pos = m.end
    out.append(_html(sentence[pos:]))
    return "".join(out)


def anki_guid(entry: GlossaryEntry) -> str:
    return genanki.guid_for("visavis", normalise_term(entry.term) or entry.term)


def write_anki(
    entries: Iterable[GlossaryEntry],
    path: str | Path,
    *,
    contexts: Mapping[str | int, str] | None = None,
    deck_name: str = "Vis-à-vis glossary",
) -> Path:
    """Write an Anki ``.apkg`` deck of the entries; ``contexts[entry.id]`` is a sentence shown on the
    front. Returns the path written."""
    contexts = contexts or {}
    deck = genanki.Deck(_stable_id(f"visavis.deck:{deck_name}"), deck_name)
    seen: set[str] = set()
    for e in entries:
        guid = anki_guid(e)
        if guid in seen:  # two entries for one lemma key would be one Anki note anyway
            continue
        seen.add(guid)
        context = contexts.get(e.id, "")
        deck.add_note(
            genanki.Note(
                model=ANKI_MODEL,
                fields=[
                    _html(e.term),
                    _context_html(e, context) if context else "",
                    _html(e.translation),
                    _html(e.note),
                ],
                guid=guid,
                tags=["_".join(t.split()) for t in e.tags] + ([] if e.enforce else [ANKI_NOT_ENFORCED]),
            )
        )
    path = Path(path)
    genanki.Package(deck).write_to_file(str(path))
    return path


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCKS = re.compile(r"(?:\s*</?(?:div|p|li|ul|ol|tr|table|h[1-6])(?:\s[^>]*)?>\s*)+", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)


def anki_text(field_html: str) -> str:
    """An Anki field as plain text: tags dropped, entities decoded, line breaks kept, spaces tidied."""
    text = _CLOZE.sub(r"\1", _SOUND.sub("", field_html or ""))
    text = html.unescape(_TAGS.sub("", _BLOCKS.sub("\n", _BR.sub("\n", text))))
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]
    return "\n".join(lines).strip("\n").strip()


_FRONT_NAMES = ("term", "french", "français", "francais", "front", "recto", "word", "mot", "question")
_BACK_NAMES = ("translation", "english", "anglais", "back", "verso", "meaning", "definition", "answer", "traduction")
_NOTE_NAMES = ("note", "notes", "extra", "remarque")


def _pick(names: list[str], wanted: tuple[str, ...], taken: set[int]) -> int | None:
    for w in wanted:
        for i, n in enumerate(names):
            if i not in taken and n == w:
                return i
    return None


def glossary_from_anki(notes) -> list[GlossaryEntry]:
    """Glossary entries from the notes of an Anki deck (``reader.storage.anki_deck.AnkiNote``): see the
    module doc for the mapping. Notes without a term are skipped; ``ValueError`` when none has one."""
    stamp = now_iso()
    out: list[GlossaryEntry] = []
    for note in notes:
        names = [n.strip().lower() for n in note.field_names]
        names += [""] * (len(note.fields) - len(names))
        ours = list(note.field_names) == [f["name"] for f in ANKI_MODEL.fields]
        taken: set[int] = set()
        front = _pick(names, _FRONT_NAMES, taken)
        front = 0 if front is None else front
        taken.add(front)
        back = _pick(names, _BACK_NAMES, taken)
        if back is None:
            rest = [i for i in range(len(note.fields)) if i not in taken and names[i] != "context"]
            back = rest[0] if rest else None
        if back is not None:
            taken.add(back)
        extra = _pick(names, _NOTE_NAMES, taken)
        field = lambda i: anki_text(note.fields[i]) if i is not None and i < len(note.fields) else ""  # noqa: E731
        term = " ".join(field(front).split())
        if not term:
            continue
        # our export writes a tag's spaces as "_" (Anki tags have none)
        tags = [t.replace("_", " ") if ours else t for t in note.tags]
        out.append(GlossaryEntry(term=term, translation=field(back), note=field(extra), tags=tags,
                                 created=stamp, modified=stamp))
    if not out and notes:
        raise ValueError("the Anki deck has no note with a front to use as a term.")
    return out


# -- by file name -------------------------------------------------------------------------------------


#: Format key → (suffix, what a file dialog calls it).
GLOSSARY_FORMATS: dict[str, tuple[str, str]] = {
    "csv": (".csv", "CSV"),
    "tbx": (".tbx", "TBX-Basic v3"),
    "tbx2": (".tbx", "TBX-Basic v2 (martif, for older CAT tools)"),
    "apkg": (".apkg", "Anki deck"),
}
_BY_SUFFIX = {".csv": "csv", ".tbx": "tbx", ".xml": "tbx", ".apkg": "apkg"}


def glossary_format_for(path: str | Path) -> str | None:
    """The format a file name asks for (``.csv`` ``.tbx`` ``.xml`` ``.apkg``), or ``None``."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def export_glossary(
    entries: Iterable[GlossaryEntry],
    path: str | Path,
    *,
    fmt: str | None = None,
    contexts: Mapping[str | int, str] | None = None,
) -> Path:
    """Write the glossary to *path* as ``fmt`` (a :data:`GLOSSARY_FORMATS` key; default: from the
    suffix), atomically, with the usual file mode. ``ValueError`` for an unknown format;
    :class:`~reader.export.bundle.ExportError` when the file cannot be written."""
    path = Path(path)
    fmt = fmt or glossary_format_for(path)
    entries = list(entries)
    if fmt == "csv":
        data = glossary_to_csv(entries)
    elif fmt == "tbx":
        data = glossary_to_tbx(entries)
    elif fmt == "tbx2":
        data = glossary_to_tbx2(entries)
    elif fmt == "apkg":
        return write_atomically(path, lambda tmp: write_anki(entries, tmp, contexts=contexts))
    else:
        raise ValueError(f"Unknown glossary format {fmt or path.suffix or '(none)'}: use .csv, .tbx or .apkg.")
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))


def import_glossary(path: str | Path) -> list[GlossaryEntry]:
    """Read a .csv or .tbx glossary file (everything or nothing; ValueError on a bad file). An Anki deck
    is read by ``reader.ops.glossary_io.import_glossary_file`` (its collection is SQLite)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tbx", ".xml"):
        what = f"« {suffix} » files" if suffix else "files without a suffix"
        raise ValueError(f"{what} are not a glossary format: use .csv, .tbx or .apkg (an Anki deck).")
    data = path.read_bytes()
    if suffix == ".csv":
        return glossary_from_csv(data)
    return glossary_from_tbx(data)
