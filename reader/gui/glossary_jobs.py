"""The glossary panel's slow work, as ``JobManager`` jobs: plain functions run in a pool thread that get
paths and plain data, open their own ``Store`` and never touch a widget."""

from __future__ import annotations

from pathlib import Path

from reader.core.errors import ReaderError
from reader.core.glossary import GlossaryEntry


def count_job(db_path):
    """Occurrences of every entry in the library; opens its own Store. Never touches a widget."""

    def fn(progress, emit):
        from reader.ops.annotate import glossary_occurrences
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            return glossary_occurrences(store)
        finally:
            store.close()

    return fn


def import_job(path: Path, existing: list[GlossaryEntry]):
    """Read a glossary file and merge it with *existing* (plain data): ``(to_add, to_update)``."""

    def fn(progress, emit):
        from reader.core.glossary import merge_entries
        from reader.ops.glossary_io import import_glossary_file

        try:
            incoming = import_glossary_file(path)
        except (OSError, ValueError) as exc:
            raise ReaderError(f"Cannot import {Path(path).name}: {exc}") from None
        return merge_entries(existing, incoming)

    return fn


def export_job(db_path, path: Path, fmt: str | None = None):
    """Write the glossary to *path* as *fmt* (default: from its suffix); returns the entry count."""

    def fn(progress, emit):
        from reader.ops.glossary_io import export_glossary_file
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            return export_glossary_file(store, path, fmt)
        finally:
            store.close()

    return fn
