"""Undo commands for highlights, notes and glossary entries: one command per user action.

Each ``redo``/``undo`` calls one or two ``Store`` methods and then ``on_change()`` so the window redraws
its decorations and panels. Commands hold plain core objects (``Annotation``, ``GlossaryEntry``), never
widgets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from reader.core.annotations import Annotation
from reader.core.glossary import GlossaryEntry

Refresh = Callable[[], None]


def _short(text: str, limit: int = 30) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


# --- annotations ----------------------------------------------------------------------------------


class AddAnnotationCommand(QUndoCommand):
    """Store a new highlight (with its note and tags, if any); undo deletes it."""

    def __init__(self, store, annotation: Annotation, on_change: Refresh) -> None:
        what = "Note" if annotation.note else f"{annotation.color.capitalize()} highlight"
        super().__init__(f"{what} “{_short(annotation.exact)}”")
        self.store, self.annotation, self.on_change = store, annotation, on_change

    def redo(self) -> None:
        self.store.add_annotation(self.annotation)
        self.on_change()

    def undo(self) -> None:
        self.store.delete_annotation(self.annotation.id)
        self.on_change()


class EditAnnotationCommand(QUndoCommand):
    """Replace an annotation's note, tags or colour (``old`` → ``new``, same id)."""

    def __init__(self, store, old: Annotation, new: Annotation, on_change: Refresh, text: str = "") -> None:
        if not text:
            if old.color != new.color and (old.note, old.tags) == (new.note, new.tags):
                text = f"Colour {new.color}"
            else:
                text = "Edit note"
        super().__init__(text)
        self.store, self.old, self.new, self.on_change = store, old, new, on_change

    def redo(self) -> None:
        self.store.update_annotation(self.new)
        self.on_change()

    def undo(self) -> None:
        self.store.update_annotation(self.old)
        self.on_change()


class DeleteAnnotationCommand(QUndoCommand):
    """Delete an annotation; undo stores it back with the same id, note, tags and dates."""

    def __init__(self, store, annotation: Annotation, on_change: Refresh) -> None:
        super().__init__(f"Delete highlight “{_short(annotation.exact)}”")
        self.store, self.annotation, self.on_change = store, annotation, on_change

    def redo(self) -> None:
        self.store.delete_annotation(self.annotation.id)
        self.on_change()

    def undo(self) -> None:
        self.store.add_annotation(self.annotation)
        self.on_change()


# --- glossary -------------------------------------------------------------------------------------


class AddGlossaryEntryCommand(QUndoCommand):
    """Add a glossary entry; undo deletes it. (The store gives a new id on each redo.)"""

    def __init__(self, store, entry: GlossaryEntry, on_change: Refresh) -> None:
        super().__init__(f"Add “{_short(entry.term)}” to the glossary")
        self.store, self.entry, self.on_change = store, entry, on_change

    def redo(self) -> None:
        self.entry.id = None  # type: ignore[assignment]
        self.store.add_glossary_entry(self.entry)  # sets entry.id
        self.on_change()

    def undo(self) -> None:
        self.store.delete_glossary_entry(self.entry.id)
        self.on_change()


class EditGlossaryEntryCommand(QUndoCommand):
    """Replace a glossary entry (same id)."""

    def __init__(self, store, old: GlossaryEntry, new: GlossaryEntry, on_change: Refresh) -> None:
        super().__init__(f"Edit glossary entry “{_short(new.term)}”")
        self.store, self.old, self.new, self.on_change = store, old, new, on_change

    def redo(self) -> None:
        self.store.update_glossary_entry(self.new)
        self.on_change()

    def undo(self) -> None:
        self.store.update_glossary_entry(self.old)
        self.on_change()


class DeleteGlossaryEntryCommand(QUndoCommand):
    """Delete a glossary entry; undo adds it back (under a new id, same content and dates)."""

    def __init__(self, store, entry: GlossaryEntry, on_change: Refresh) -> None:
        super().__init__(f"Delete “{_short(entry.term)}” from the glossary")
        self.store, self.entry, self.on_change = store, entry, on_change

    def redo(self) -> None:
        self.store.delete_glossary_entry(self.entry.id)
        self.on_change()

    def undo(self) -> None:
        restored = dataclasses.replace(self.entry, id=None)
        self.store.add_glossary_entry(restored)
        self.entry = dataclasses.replace(self.entry, id=restored.id)
        self.on_change()


class ImportGlossaryCommand(QUndoCommand):
    """Save the result of ``merge_entries`` (entries to add, entries to update) in one transaction;
    undo deletes the added ones and puts the updated ones back as they were."""

    def __init__(self, store, to_add: list[GlossaryEntry], to_update: list[GlossaryEntry],
                 previous: list[GlossaryEntry], on_change: Refresh, name: str = "") -> None:
        super().__init__(f"Import glossary {name}".strip())
        self.store, self.on_change = store, on_change
        self.to_add, self.to_update, self.previous = list(to_add), list(to_update), list(previous)

    def redo(self) -> None:
        for e in self.to_add:
            e.id = None  # type: ignore[assignment]
        self.store.save_glossary_entries(self.to_add, self.to_update)
        self.on_change()

    def undo(self) -> None:
        with self.store.atomic():
            for e in self.to_add:
                self.store.delete_glossary_entry(e.id)
            for e in self.previous:
                self.store.update_glossary_entry(e)
        self.on_change()
