"""Reading the notes of an Anki deck (``.apkg``): a zip holding an SQLite collection (no Qt).

The SQLite side of the glossary's Anki import (``reader.ops.glossary_io.import_glossary_file``); what
the fields mean is decided above (``reader.export.glossary_formats.glossary_from_anki``).

An ``.apkg`` holds ``collection.anki21`` (Anki 2.1) or ``collection.anki2`` (older Anki, and genanki),
both the same SQLite schema: ``notes.flds`` is the note's fields separated by ``\\x1f``, ``notes.tags``
its tags separated by spaces, ``notes.mid`` its note type, whose field names are in the JSON of
``col.models`` (or, in the newer schema, the ``notetypes`` and ``fields`` tables). Recent Anki versions
export ``collection.anki21b`` (zstd-compressed, a newer schema) beside a stub ``collection.anki2`` that
only says to update Anki: that is refused with what to do. The collection is read from memory
(``sqlite3`` ``deserialize``), never extracted to disk, and bounded in size.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["AnkiNote", "read_anki_notes"]

#: The largest collection read (uncompressed): a glossary deck is kilobytes; this refuses zip bombs.
MAX_COLLECTION_BYTES = 256 * 1024 * 1024
_COLLECTIONS = ("collection.anki21", "collection.anki2")


@dataclass(frozen=True)
class AnkiNote:
    """One note: its note type's name and field names, its field values (Anki HTML) and tags."""

    model: str
    field_names: tuple[str, ...]
    fields: tuple[str, ...]
    tags: tuple[str, ...] = field(default=())


def read_anki_notes(path: str | Path) -> list[AnkiNote]:
    """Every note of the deck at ``path``, in creation order. ``ValueError`` (a sentence about the file,
    which the caller names) when it is not an Anki deck this can read; ``OSError`` when it cannot be read."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            members = {i.filename: i for i in z.infolist()}
            chosen = next((members[c] for c in _COLLECTIONS if c in members), None)
            if chosen is None:
                if "collection.anki21b" in members:
                    raise ValueError(_NEW_FORMAT)
                raise ValueError("It is a zip archive but not an Anki deck: it holds no Anki collection.")
            if chosen.file_size > MAX_COLLECTION_BYTES:
                raise ValueError(f"The deck is too large for a glossary ({chosen.file_size // 2**20} MB).")
            data = z.read(chosen)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"It is not a valid .apkg Anki deck (not a zip archive: {exc}).") from None
    notes = _notes(data)
    if "collection.anki21b" in members and _is_update_stub(notes):
        raise ValueError(_NEW_FORMAT)
    return notes


_NEW_FORMAT = (
    "It was exported by a recent Anki in its new format, which cannot be read here: in Anki, export "
    "the deck again with « Support older Anki versions » ticked."
)


def _is_update_stub(notes: list[AnkiNote]) -> bool:
    return len(notes) <= 1 and any("update" in " ".join(n.fields).lower() for n in notes)


def _notes(data: bytes) -> list[AnkiNote]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        models = _models(conn)
        rows = conn.execute("SELECT mid, flds, tags FROM notes ORDER BY id").fetchall()
    except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
        raise ValueError(f"It is not a valid Anki deck: its collection cannot be read ({exc}).") from None
    finally:
        conn.close()
    out = []
    for mid, flds, tags in rows:
        model, names = models.get(mid, ("", ()))
        out.append(AnkiNote(model, names, tuple(str(flds or "").split("\x1f")), tuple(str(tags or "").split())))
    return out


def _models(conn: sqlite3.Connection) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Note type id → (name, field names in order)."""
    tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: dict[int, tuple[str, tuple[str, ...]]] = {}
    if {"notetypes", "fields"} <= tables:
        names: dict[int, list[tuple[int, str]]] = {}
        for ntid, ord_, fname in conn.execute("SELECT ntid, ord, name FROM fields"):
            names.setdefault(ntid, []).append((ord_, fname))
        for ntid, nname in conn.execute("SELECT id, name FROM notetypes"):
            out[ntid] = (nname, tuple(n for _, n in sorted(names.get(ntid, []))))
    if "col" in tables:
        (raw,) = conn.execute("SELECT models FROM col").fetchone() or ("",)
        try:
            models = json.loads(raw) if raw else {}
        except ValueError:
            models = {}
        for mid, model in (models.items() if isinstance(models, dict) else ()):
            if not isinstance(model, dict):
                continue
            flds = sorted((f for f in model.get("flds", []) if isinstance(f, dict)), key=lambda f: f.get("ord", 0))
            out.setdefault(int(mid), (str(model.get("name", "")), tuple(str(f.get("name", "")) for f in flds)))
    return out
