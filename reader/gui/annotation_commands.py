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
from reader.core.errors import NotFoundError
from reader.core.glossary import GlossaryEntry

Refresh = Callable[[], None]


def _short(text: str, limit: int = 30) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


# --- annotations ----------------------------------------------------------------------------------
#
# Positions belong to the text, not to the stack: a re-anchoring outside the stack (a translation
# finished, a hand edit, a re-import) moves annotations, and no command may write old positions back.
# So edits change only the user's fields of the annotation as it is stored now, a deleted annotation is
# taken as it is stored at the moment it goes, and a restored one is re-placed in the current text
# (``reanchor(article_id, side)``, the panel's re-anchoring) in case the text changed meanwhile.

Reanchor = Callable[[int, str], None]
USER_FIELDS = ("note", "color", "tags", "modified")


def _user_fields(a: Annotation) -> dict:
    return {f: getattr(a, f) for f in USER_FIELDS}


class _RestoresAnnotation(QUndoCommand):
    store: object
    annotation: Annotation
    on_change: Refresh
    reanchor: Reanchor | None

    def _take_away(self) -> None:
        try:
            self.annotation = self.store.get_annotation(self.annotation.id)  # the latest positions
        except NotFoundError:
            pass
        self.store.delete_annotation(self.annotation.id)
        self.on_change()

    def _put_back(self, reanchor: bool) -> None:
        self.store.add_annotation(self.annotation)
        if reanchor and self.reanchor is not None and self.annotation.article_id is not None:
            self.reanchor(int(self.annotation.article_id), self.annotation.side)
        self.on_change()


class AddAnnotationCommand(_RestoresAnnotation):
    """Store a new highlight (with its note and tags, if any); undo deletes it."""

    def __init__(self, store, annotation: Annotation, on_change: Refresh, reanchor: Reanchor | None = None) -> None:
        what = "Note" if annotation.note else f"{annotation.color.capitalize()} highlight"
        super().__init__(f"{what} “{_short(annotation.exact)}”")
        self.store, self.annotation, self.on_change, self.reanchor = store, annotation, on_change, reanchor
        self._done = False

    def redo(self) -> None:
        self._put_back(reanchor=self._done)
        self._done = True

    def undo(self) -> None:
        self._take_away()


class EditAnnotationCommand(QUndoCommand):
    """Change an annotation's note, tags or colour (``old`` → ``new``, same id); its position and status
    are left as they are stored (see above)."""

    def __init__(self, store, old: Annotation, new: Annotation, on_change: Refresh, text: str = "") -> None:
        if not text:
            if old.color != new.color and (old.note, old.tags) == (new.note, new.tags):
                text = f"Colour {new.color}"
            else:
                text = "Edit note"
        super().__init__(text)
        self.store, self.old, self.new, self.on_change = store, old, new, on_change

    def _apply(self, fields: Annotation) -> None:
        current = self.store.get_annotation(fields.id)
        self.store.update_annotation(dataclasses.replace(current, **_user_fields(fields)))
        self.on_change()

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class DeleteAnnotationCommand(_RestoresAnnotation):
    """Delete an annotation; undo stores it back with the same id, note, tags and dates."""

    def __init__(self, store, annotation: Annotation, on_change: Refresh, reanchor: Reanchor | None = None) -> None:
        super().__init__(f"Delete highlight “{_short(annotation.exact)}”")
        self.store, self.annotation, self.on_change, self.reanchor = store, annotation, on_change, reanchor

    def redo(self) -> None:
        self._take_away()

    def undo(self) -> None:
        self._put_back(reanchor=True)


# --- glossary -------------------------------------------------------------------------------------
#
# Entries keep their id through undo and redo (``Store.restore_glossary_entry``): an earlier edit
# command holds that id, and must find the entry again.


class AddGlossaryEntryCommand(QUndoCommand):
    """Add a glossary entry; undo deletes it; redo stores it back under the same id."""

    def __init__(self, store, entry: GlossaryEntry, on_change: Refresh) -> None:
        super().__init__(f"Add “{_short(entry.term)}” to the glossary")
        self.store, self.entry, self.on_change = store, entry, on_change
        self._done = False

    def redo(self) -> None:
        if self._done:
            self.store.restore_glossary_entry(self.entry)
        else:
            self.entry.id = None  # type: ignore[assignment]
            self.store.add_glossary_entry(self.entry)  # sets entry.id
            self._done = True
        self.on_change()

    def undo(self) -> None:
        self.entry = self.store.get_glossary_entry(self.entry.id)  # as it is now (edits redone since)
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
    """Delete a glossary entry; undo stores it back under the same id, with the same content and dates."""

    def __init__(self, store, entry: GlossaryEntry, on_change: Refresh) -> None:
        super().__init__(f"Delete “{_short(entry.term)}” from the glossary")
        self.store, self.entry, self.on_change = store, entry, on_change

    def redo(self) -> None:
        self.entry = self.store.get_glossary_entry(self.entry.id)
        self.store.delete_glossary_entry(self.entry.id)
        self.on_change()

    def undo(self) -> None:
        self.store.restore_glossary_entry(self.entry)
        self.on_change()


class ImportGlossaryCommand(QUndoCommand):
    """Save the result of ``merge_entries`` (entries to add, entries to update) in one transaction;
    undo deletes the added ones and puts the updated ones back as they were; redo keeps the ids."""

    def __init__(self, store, to_add: list[GlossaryEntry], to_update: list[GlossaryEntry],
                 previous: list[GlossaryEntry], on_change: Refresh, name: str = "") -> None:
        super().__init__(f"Import glossary {name}".strip())
        self.store, self.on_change = store, on_change
        self.to_add, self.to_update, self.previous = list(to_add), list(to_update), list(previous)
        self._done = False

    def redo(self) -> None:
        if not self._done:
            for e in self.to_add:
                e.id = None  # type: ignore[assignment]
        self.store.save_glossary_entries(self.to_add, self.to_update, keep_ids=self._done)
        self._done = True
        self.on_change()

    def undo(self) -> None:
        with self.store.atomic():
            for e in self.to_add:
                self.store.delete_glossary_entry(e.id)
            for e in self.previous:
                self.store.update_glossary_entry(e)
        self.on_change()
