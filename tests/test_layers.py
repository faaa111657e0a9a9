"""The layering rules of design.md §2, checked on the source (imports point downward only, no circles).

Every module of ``reader/`` belongs to a layer (the top-level ``reader/__init__.py`` included); imports
are read from the whole syntax tree, so imports inside functions count, and relative imports are
resolved to the module they name.
"""

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
    "__init__.py": QT + SQL + ARGOS + ("reader.",),  # the package root imports nothing of the product
    "core": QT + SQL + ARGOS + ("reader.storage", "reader.translation", "reader.importers",
                                 "reader.export", "reader.gui", "reader.ops", "reader.cli"),
    "storage": QT + ARGOS + ("reader.translation", "reader.importers", "reader.export", "reader.gui",
                             "reader.ops", "reader.cli"),
    "translation": QT + SQL + ("reader.storage", "reader.importers", "reader.export", "reader.gui",
                               "reader.ops", "reader.cli", "argostranslate.translate"),
    "importers": QT + SQL + ARGOS + ("reader.storage", "reader.translation", "reader.export",
                                     "reader.gui", "reader.ops", "reader.cli"),
    "export": SQL + ARGOS + ("reader.gui", "reader.cli", "reader.translation", "reader.ops"),
    # operations shared by the CLI and the window: core, storage, translation, importers, export; no Qt
    "ops": QT + ("reader.gui", "reader.cli"),
    "gui": ("reader.cli",),
    # the command line may use every layer, but of the GUI only its entry point (see below)
    "cli": (),
}

#: The one GUI module the command line may import (to open the window when given no command).
GUI_ENTRY_POINT = "reader.gui.app"



# --- reading the imports -----------------------------------------------------------------------------


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package: dotted name → file."""
    return {_module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(path: Path, known: dict[str, Path] | None = None, root: Path = PACKAGE) -> list[str]:
    """The modules ``path`` imports anywhere in its source (functions included), relative ones resolved.

    ``from X import a`` gives ``X``, and also ``X.a`` when that is a module of the package. Imports under
    ``if TYPE_CHECKING:`` never run and are left out.
    """
    known = _modules(root) if known is None else known
    this = _module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if _is_type_checking_block(node):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    names: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = this.split(".") if is_package else this.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in known]
    return names


def _import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """module → the modules of the package it imports (the named module, not its parent packages)."""
    known = _modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        graph[name] = {m for m in _imports(path, known, root) if m in known and m != name}
    return graph


def _cycles(graph: dict[str, set[str]], limit: int = 1000) -> set[tuple[str, ...]]:
    """Every elementary circle of the graph, each as a tuple rotated to start at its smallest module."""
    found: set[tuple[str, ...]] = set()
    order = sorted(graph)
    rank = {name: i for i, name in enumerate(order)}
    for start in order:
        # circles whose smallest module is ``start``: paths through larger modules only, back to start
        stack = [(start, [start])]
        while stack and len(found) < limit:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.add(tuple(path))
                elif rank.get(nxt, -1) > rank[start] and nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return found


def _describe(cycle: tuple[str, ...]) -> str:
    return " → ".join(cycle + (cycle[0],))


def _matches(name: str, prefix: str) -> bool:
    if prefix.endswith("."):
        return name.startswith(prefix)
    return name == prefix or name.startswith(prefix + ".")


def _files():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).parts, path


# --- the rules ------------------------------------------------------------------------------------------


def test_every_module_belongs_to_a_layer():
    stray = ["/".join(parts) for parts, _ in _files() if parts[0] not in FORBIDDEN]
    assert not stray, f"modules outside every layer of FORBIDDEN: {stray}"


#: The most lines a module of ``reader/`` may have: past it, a module is doing several jobs.
MAX_MODULE_LINES = 600


def _too_long(root: Path = PACKAGE, limit: int = MAX_MODULE_LINES) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{path.relative_to(root.parent)}: {n} lines")
    return out


def test_no_module_is_over_600_lines():
    too_long = _too_long()
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines (split them along their seams): {too_long}"


def test_the_length_check_sees_a_long_module(tmp_path):
    root = _write(tmp_path, {"pkg/__init__.py": "", "pkg/gui/big.py": "x = 1\n" * 601,
                             "pkg/gui/fine.py": "x = 1\n" * 600})
    assert _too_long(root) == ["pkg/gui/big.py: 601 lines"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_downward(layer):
    known = _modules()
    bad = []
    for parts, path in _files():
        if parts[0] != layer:
            continue
        for name in _imports(path, known):
            if any(_matches(name, prefix) for prefix in FORBIDDEN[layer]):
                bad.append(f"{'/'.join(parts)} imports {name}")
    assert not bad, "\n".join(bad)


def test_nothing_but_the_entry_point_imports_the_gui():
    known = _modules()
    bad = []
    for parts, path in _files():
        if parts[0] == "gui":
            continue
        for name in _imports(path, known):
            if not _matches(name, "reader.gui"):
                continue
            if parts[0] == "cli" and name in (GUI_ENTRY_POINT, "reader.gui") and _imports_only_entry(path):
                continue
            bad.append(f"{'/'.join(parts)} imports {name}")
    assert not bad, "\n".join(bad)


def _imports_only_entry(path: Path) -> bool:
    """The bare ``reader.gui`` named by ``from reader.gui.app import run`` is fine; ``from reader.gui
    import x`` (x not the entry point) is not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "reader.gui":
            if any(a.name != "app" for a in node.names):
                return False
        if isinstance(node, ast.Import) and any(
            _matches(a.name, "reader.gui") and a.name != GUI_ENTRY_POINT for a in node.names
        ):
            return False
    return True


def test_product_never_imports_argos_translate_module():
    """argostranslate.translate pulls stanza/spaCy/torch and reaches for the network."""
    bad = [
        f"{'/'.join(parts)} imports {name}"
        for parts, path in _files()
        for name in _imports(path)
        if _matches(name, "argostranslate.translate") or name in ("stanza", "spacy", "torch")
    ]
    assert not bad, "\n".join(bad)


# --- no circles -----------------------------------------------------------------------------------------


def test_no_import_cycles():
    cycles = sorted(_cycles(_import_graph()))
    assert not cycles, "import circles:\n" + "\n".join(_describe(c) for c in cycles)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_cycle_finder_sees_function_level_and_relative_imports(tmp_path):
    package = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "def f():\n    from pkg import b\n",          # hidden in a function
        "pkg/b.py": "from .sub.c import thing\n",                    # relative, through a subpackage
        "pkg/sub/__init__.py": "",
        "pkg/sub/c.py": "from ..a import f\nthing = 1\n",            # relative, two levels up
        "pkg/d.py": "from . import e\n",
        "pkg/e.py": "import pkg.d\n",
        "pkg/f.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n",
        "pkg/g.py": "from pkg.sub import c\n",                        # a module named by from-import
    })
    graph = _import_graph(package)
    assert graph["pkg.g"] == {"pkg.sub", "pkg.sub.c"}
    assert graph["pkg.f"] == set()  # TYPE_CHECKING imports never run
    assert _cycles(graph) == {("pkg.a", "pkg.b", "pkg.sub.c"), ("pkg.d", "pkg.e")}


def test_the_package_init_of_a_layer_is_not_an_implicit_circle(tmp_path):
    """Importing ``pkg.sub.c`` runs ``pkg/sub/__init__.py`` first, but a package that imports its own
    submodules is not a circle unless a submodule imports the package's names back."""
    package = _write(tmp_path, {
        "pkg/__init__.py": "from pkg.x import main\n",
        "pkg/x.py": "from pkg.y import helper\ndef main(): pass\n",
        "pkg/y.py": "helper = 1\n",
    })
    assert _cycles(_import_graph(package)) == set()
    (package / "y.py").write_text("def helper():\n    from pkg import main\n", encoding="utf-8")
    assert _cycles(_import_graph(package)) == {("pkg", "pkg.x", "pkg.y")}


def test_the_command_line_loads_light_modules_only_at_import_time():
    """``visavis --help`` stays fast: at module level the CLI imports the standard library, core and
    itself; the store, the model, Qt and the operations are imported by the commands that need them."""
    import sys

    bad = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "__future__":
                    continue
                if _matches(name, "reader.cli") or _matches(name, "reader.core"):
                    continue
                bad.append(f"cli/{path.name} imports {name} at module level")
    assert not bad, "\n".join(bad)
