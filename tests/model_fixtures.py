"""Fixtures of the translation tier: the synthetic Argos model, an isolated Argos packages folder,
a local HTTP package index, and the environment to run ``argostranslate.translate`` offline.

ARGOS_PACKAGES_DIR: ``argostranslate.settings`` reads it (and ARGOS_PACKAGE_INDEX) once, at import.
``reader.translation.packages`` re-reads both from the environment on every call and updates
``argostranslate.settings`` (``package_data_dir``, ``package_dirs``, ``package_index``,
``remote_package_index``), so in-process tests only set the environment. The ``argos_dirs`` fixture also
snapshots those settings attributes with ``monkeypatch.setattr`` so they are restored after the test,
and clears the engine's translator cache (each cached model holds ~100 MB). Anything that needs
``argostranslate.translate`` runs in a subprocess with its own environment (``argos_offline_env``).
"""

from __future__ import annotations

import hashlib
import http.server
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILDER = ROOT / "bench" / "make_test_model.py"


def load_builder():
    """bench/make_test_model.py as a module (the product package ships no test machinery)."""
    name = "visavis_make_test_model"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BUILDER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def seed_sentences(limit: int) -> list[str]:
    """The first ``limit`` sentence-like pieces of the sample articles (a quick split, for engine tests)."""
    import re

    out = []
    for f in sorted((ROOT / "articles").glob("*.md")):
        for line in f.read_text(encoding="utf-8").splitlines():
            out += [m.strip() for m in re.findall(r"[^.!?]+(?:[.!?]+|$)", line) if len(m.strip()) > 3]
    return out[:limit]


@pytest.fixture(scope="session")
def synthetic_model_cache(tmp_path_factory) -> Path:
    """Where the synthetic model is built: ``$VISAVIS_TEST_CACHE`` when set (developers and parallel
    sessions reuse one build there), else a folder of this session's pytest temp dir (built once per
    session, ~100 MB, deleted at the end; never the user's home, #14.12)."""
    chosen = os.environ.get("VISAVIS_TEST_CACHE")
    if chosen:
        return Path(chosen)
    return tmp_path_factory.mktemp("synthetic-model")


@pytest.fixture(scope="session")
def synthetic_model_path(synthetic_model_cache) -> Iterator[Path]:
    """The synthetic fr→en ``.argosmodel``, built once and reused while the builder and seeds are unchanged."""
    builder = load_builder()
    cache = synthetic_model_cache
    shared = bool(os.environ.get("VISAVIS_TEST_CACHE"))
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"translate-fr_en-synthetic-{builder.inputs_fingerprint()[:16]}.argosmodel"
    if not path.exists():
        builder.build_test_model(path)  # writes a .tmp then renames: a killed build leaves no bad cache
    yield path
    if not shared:
        path.unlink(missing_ok=True)  # pytest keeps its last temp dirs: do not keep 100 MB in each


@pytest.fixture(scope="session")
def synthetic_model_sha256(synthetic_model_path) -> str:
    return hashlib.sha256(synthetic_model_path.read_bytes()).hexdigest()


@pytest.fixture
def argos_dirs(tmp_path, monkeypatch) -> Path:
    """A fresh, empty Argos packages folder for this test (ARGOS_PACKAGES_DIR), settings restored after."""
    import argostranslate.settings as st

    from reader.translation import argos_engine

    for attr in ("package_data_dir", "package_dirs", "package_index", "remote_package_index",
                 "local_package_index"):
        monkeypatch.setattr(st, attr, getattr(st, attr))
    packages = tmp_path / "argos-packages"
    packages.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setattr(st, "local_package_index", tmp_path / "argos-index.json")
    yield packages
    argos_engine.clear_translator_cache()


@pytest.fixture
def installed_synthetic_model(argos_dirs, synthetic_model_path):
    """The synthetic model installed into this test's packages folder; returns its ModelStatus."""
    from reader.translation import packages

    status = packages.install_from_file(synthetic_model_path)
    assert status.installed
    return status


@pytest.fixture
def argos_offline_env(tmp_path, installed_synthetic_model) -> dict:
    """Environment for a subprocess running ``argostranslate.translate`` offline on the synthetic model:
    spaCy sentence splitting from the package's ``spacy/`` folder plus the cache marker folder."""
    cache = tmp_path / "xdg-cache"
    (cache / "argos-translate" / "spacy" / "senter" / "model").mkdir(parents=True)
    for sub in ("xdg-data", "xdg-config"):
        (tmp_path / sub).mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        ARGOS_PACKAGES_DIR=os.environ["ARGOS_PACKAGES_DIR"],
        ARGOS_CHUNK_TYPE="SPACY",
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
        XDG_CACHE_HOME=str(cache),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        PYTHONPATH=str(ROOT),
    )
    return env


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture
def package_server(tmp_path, synthetic_model_path, monkeypatch):
    """A local Argos package index on http://127.0.0.1 serving the synthetic package.

    Returns ``publish(entry_overrides=None, body=None)`` which writes ``index.json`` (one fr→en entry)
    and points ARGOS_PACKAGE_INDEX at the server; ``body`` replaces the served package bytes.
    """
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: _Quiet(*a, directory=str(root), **k)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def publish(entry_overrides: dict | None = None, body: bytes | None = None) -> str:
        target = root / "translate-fr_en.argosmodel"
        if body is None:
            if not target.exists():
                target.symlink_to(synthetic_model_path)
        else:
            target.unlink(missing_ok=True)
            target.write_bytes(body)
        entry = {
            "package_version": "1.9-synthetic",
            "argos_version": "1.9.0",
            "from_code": "fr",
            "from_name": "French",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "links": [base + target.name],
        }
        entry.update(entry_overrides or {})
        (root / "index.json").write_text(json.dumps([entry]), encoding="utf-8")
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        return base

    yield publish
    server.shutdown()
    server.server_close()

