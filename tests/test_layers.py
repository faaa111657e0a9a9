"""The layering rules of design.md §2, checked on the source (imports point downward only)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reader"

QT = ("PySide6", "shiboken6")
SQL = ("sqlite3", "sqlite_utils")
ARGOS = ("argostranslate", "ctranslate2", "sentencepiece", "stanza", "spacy", "torch")

# layer → import prefixes it must never use
FORBIDDEN = {
    "core": QT + SQL + ARGOS + ("reader.storage", "reader.translation", "reader.importers",
                                 "reader.export", "reader.gui", "reader.ops.translate", "reader.ops.library",
                                 "reader.cli"),
    "storage": QT + ARGOS + ("reader.translation", "reader.importers", "reader.export", "reader.gui",
                             "reader.ops.translate", "reader.cli"),
    "translation": QT + SQL + ("reader.storage", "reader.importers", "reader.export", "reader.gui",
                               "reader.ops.translate", "reader.cli", "argostranslate.translate"),
    "importers": QT + SQL + ARGOS + ("reader.storage", "reader.translation", "reader.export",
                                     "reader.gui", "reader.cli"),
    "export": SQL + ARGOS + ("reader.gui", "reader.cli", "reader.translation"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).parts, path


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_downward(layer):
    bad = []
    for parts, path in _modules():
        if parts[0] != layer:
            continue
        for name in _imports(path):
            if any(_matches(name, prefix) for prefix in FORBIDDEN[layer]):
                bad.append(f"{'/'.join(parts)} imports {name}")
    assert not bad, "\n".join(bad)


def test_nothing_but_the_entry_point_imports_the_gui():
    bad = []
    for parts, path in _modules():
        if parts[0] in ("gui", "cli"):
            continue
        for name in _imports(path):
            if _matches(name, "reader.gui"):
                bad.append(f"{'/'.join(parts)} imports {name}")
    assert not bad, "\n".join(bad)


def test_product_never_imports_argos_translate_module():
    """argostranslate.translate pulls stanza/spaCy/torch and reaches for the network."""
    bad = [
        f"{'/'.join(parts)} imports {name}"
        for parts, path in _modules()
        for name in _imports(path)
        if _matches(name, "argostranslate.translate") or name in ("stanza", "spacy", "torch")
    ]
    assert not bad, "\n".join(bad)
