"""Writing the glossary to a file, and reading one, for the CLI and the window alike (no Qt).

:func:`import_glossary_file` reads CSV and TBX through :func:`reader.export.glossary_formats.import_glossary`
and Anki decks through ``reader.storage.anki_deck`` (the notes of the SQLite collection) and
:func:`reader.export.glossary_formats.glossary_from_anki` (what the fields mean).

:func:`export_glossary_file` reads the glossary from a ``Store`` and writes it as CSV, TBX-Basic v3
(``tbx``), TBX-Basic v2 (``tbx2``, the ``martif`` layout older CAT tools read) or an Anki deck, through
:func:`reader.export.glossary_formats.export_glossary`: atomically, with the mode of any new file.
"""

from __future__ import annotations

from pathlib import Path

from reader.export.bundle import ExportError
from reader.core.glossary import GlossaryEntry
from reader.export.glossary_formats import (
    GLOSSARY_FORMATS,
    export_glossary,
    glossary_format_for,
    glossary_from_anki,
    import_glossary,
)
from reader.ops.annotate import glossary_contexts
from reader.storage.store import Store

__all__ = ["GLOSSARY_FORMATS", "export_glossary_file", "import_glossary_file"]


def import_glossary_file(path: str | Path) -> list[GlossaryEntry]:
    """The entries of a glossary file: .csv, .tbx (.xml) or an Anki deck (.apkg). Everything or nothing:
    ``ValueError`` (one sentence, not starting with « Cannot import ») on a bad file, ``OSError`` when it
    cannot be read."""
    path = Path(path)
    if path.suffix.lower() == ".apkg":
        from reader.storage.anki_deck import read_anki_notes

        return glossary_from_anki(read_anki_notes(path))
    return import_glossary(path)


def export_glossary_file(store: Store, path: str | Path, fmt: str | None = None) -> int:
    """Write the whole glossary to ``path`` as ``fmt`` (default: from the file name); return the number
    of entries written. :class:`ExportError` (one sentence) when the format is unknown or the file cannot
    be written."""
    path = Path(path)
    fmt = fmt or glossary_format_for(path)
    if fmt not in GLOSSARY_FORMATS:
        raise ExportError(
            f"Cannot tell the glossary format of « {path.name} »: name it .csv, .tbx or .apkg, or give --format."
        )
    entries = store.glossary()
    contexts = glossary_contexts(store, entries) if fmt == "apkg" else None
    try:
        export_glossary(entries, path, fmt=fmt, contexts=contexts)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    return len(entries)
