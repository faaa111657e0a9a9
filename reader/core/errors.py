"""User-facing errors: each carries one clear sentence that the CLI and GUI show as is."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error that has a message meant for the user (no traceback shown)."""


class ImportFileError(ReaderError):
    """A file could not be imported (missing, unreadable, binary, empty, too big, bad encoding)."""


class ModelError(ReaderError):
    """No model installed, a corrupt model, or a failed model install/download."""


class StorageError(ReaderError):
    """The database is not ours, is corrupt, is newer than this app, or could not be written."""


class NotFoundError(ReaderError):
    """An article (or other object) id that does not exist."""
