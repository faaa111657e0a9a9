"""reader.importers: files → core :class:`~reader.core.model.Article` objects.

:func:`import_file` dispatches on the file's suffix through :data:`IMPORTERS` (suffix → "module:function",
imported lazily so a heavy importer costs nothing until used). The text importer returns one
:class:`Article`; an importer may return a list (EPUB in « chapters » mode), and callers accept both.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from pathlib import Path

from reader.core.errors import ImportFileError
from reader.core.model import Article

ImportResult = Article | list[Article]

# suffix (lower case, "" = no suffix) → "module:function"
IMPORTERS: dict[str, str] = {
    ".txt": "reader.importers.text:import_text",
    ".text": "reader.importers.text:import_text",
    ".md": "reader.importers.text:import_text",
    ".markdown": "reader.importers.text:import_text",
    "": "reader.importers.text:import_text",
}
# Importers written in their own modules; registered when the module is there.
_OPTIONAL: dict[str, str] = {
    ".html": "reader.importers.html:import_html",
    ".htm": "reader.importers.html:import_html",
    ".xhtml": "reader.importers.html:import_html",
    ".epub": "reader.importers.epub:import_epub",
    ".pdf": "reader.importers.pdf:import_pdf",
}
for _suffix, _target in _OPTIONAL.items():
    try:
        if importlib.util.find_spec(_target.split(":")[0]) is not None:
            IMPORTERS[_suffix] = _target
    except (ImportError, ValueError):  # pragma: no cover - a broken optional module
        pass


def register(suffix: str, target: str | Callable[[Path], ImportResult]) -> None:
    """Add or replace the importer for ``suffix`` (« .xyz »): a "module:function" string or a callable."""
    IMPORTERS[suffix.lower()] = target  # type: ignore[assignment]


def supported_suffixes() -> list[str]:
    """The suffixes :func:`import_file` accepts, e.g. ``[".epub", ".htm", ".html", ".md", …]``."""
    return sorted(s for s in IMPORTERS if s)


def _resolve(target: str | Callable[[Path], ImportResult], name: str, suffix: str) -> Callable[[Path], ImportResult]:
    if callable(target):
        return target
    module_name, func_name = target.split(":")
    try:
        return getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError):
        raise ImportFileError(f"Importing {suffix} files such as {name} is not available in this installation.") from None


def import_file(path: str | Path, epub_mode: str = "article", progress=None) -> ImportResult:
    """Import one file as an :class:`Article` (a list of them for an EPUB split into chapters).

    ``epub_mode``: an EPUB becomes one article with each chapter a section (``"article"``) or one
    article per chapter (``"chapters"``). ``progress``: a :class:`~reader.core.progress.Progress` whose
    cancellation a long import (a PDF, page by page) checks. Raises :class:`ImportFileError` with one
    sentence naming the file on any problem, including an unsupported suffix.
    """
    path = Path(path)
    name = path.name or str(path)
    suffix = path.suffix.lower()
    target = IMPORTERS.get(suffix)
    if target is None:
        if path.is_dir():
            raise ImportFileError(f"{name} is a folder, not a file; choose the files inside it.")
        raise ImportFileError(
            f"The file {name} has an unsupported type ({suffix}); supported: {', '.join(supported_suffixes())}."
        )
    importer = _resolve(target, name, suffix)
    if suffix == ".epub":
        return importer(path, mode=epub_mode)
    if suffix == ".pdf" and progress is not None:
        return importer(path, progress=progress)
    return importer(path)


def import_paths(paths: Iterable[str | Path]) -> list[Article]:
    """Import several files, in order; a file that fails raises its :class:`ImportFileError`."""
    out: list[Article] = []
    for p in paths:
        result = import_file(p)
        out.extend(result if isinstance(result, list) else [result])
    return out


__all__ = ["IMPORTERS", "ImportResult", "import_file", "import_paths", "register", "supported_suffixes"]
