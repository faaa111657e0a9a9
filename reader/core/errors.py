"""User-facing errors: each carries one clear sentence that the CLI and GUI show as is."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error that has a message meant for the user (no traceback shown)."""


class ImportFileError(ReaderError):
    """A file could not be imported (missing, unreadable, binary, empty, too big, bad encoding)."""


class ModelError(ReaderError):
    """No model installed, a corrupt model, or a failed model install/download.

    ``detail``: the technical cause (« [Errno -2] Name or service not known »), for a details section;
    ``offline``: the network could not be reached (a model file can still be installed)."""

    def __init__(self, message: str = "", detail: str = "", offline: bool = False) -> None:
        super().__init__(message)
        self.detail = detail
        self.offline = offline


class StorageError(ReaderError):
    """The database is not ours, is corrupt, is newer than this app, or could not be written."""


class NotFoundError(ReaderError):
    """An article (or other object) id that does not exist."""
