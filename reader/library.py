"""Application-level library operations shared by the CLI and the GUI (no Qt)."""

from __future__ import annotations

from pathlib import Path

from reader.storage.store import Store

_PACKAGE_DIR = Path(__file__).resolve().parent


def sample_articles_dir() -> Path | None:
    """The bundled sample articles: inside the installed wheel, or ``articles/`` of a source checkout."""
    for candidate in (_PACKAGE_DIR / "_samples", _PACKAGE_DIR.parent / "articles"):
        if candidate.is_dir() and any(candidate.glob("*.md")):
            return candidate
    return None


def resources_dir() -> Path | None:
    """The bundled resources (icons, fonts): in the wheel or ``resources/`` of a source checkout."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return None


def ensure_samples(store: Store) -> list[int]:
    """On first use (an empty library) import the sample articles; return the new ids."""
    if not store.is_empty():
        return []
    folder = sample_articles_dir()
    if folder is None:
        return []
    from reader.importers import import_file

    ids = []
    for path in sorted(folder.glob("*.md")):
        ids.append(store.add_article(import_file(path)))
    return ids
