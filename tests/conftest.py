"""Test isolation for every tier.

Before anything imports Qt or argostranslate, point every per-user location (database, settings, Argos
packages, XDG folders) at a per-session temp folder, and force Qt offscreen. Per-test fixtures narrow
this further (``tmp_db``, ``settings_dir``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="visavis-tests-"))
for _var, _sub in {
    "XDG_DATA_HOME": "xdg-data",
    "XDG_CACHE_HOME": "xdg-cache",
    "XDG_CONFIG_HOME": "xdg-config",
    "ARGOS_PACKAGES_DIR": "argos-packages",
    "VISAVIS_CONFIG_DIR": "config",
}.items():
    os.environ[_var] = str(_SESSION_DIR / _sub)
    (_SESSION_DIR / _sub).mkdir(parents=True, exist_ok=True)
os.environ["VISAVIS_DB"] = str(_SESSION_DIR / "session.db")
# The product never touches the network; make an accidental index lookup fail fast, not hang.
os.environ.setdefault("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def tmp_db(tmp_path, monkeypatch) -> Path:
    """A fresh database path for this test, also exported as VISAVIS_DB."""
    path = tmp_path / "visavis.db"
    monkeypatch.setenv("VISAVIS_DB", str(path))
    return path


@pytest.fixture
def settings_dir(tmp_path, monkeypatch) -> Path:
    """A fresh settings folder for this test (VISAVIS_CONFIG_DIR)."""
    path = tmp_path / "config"
    path.mkdir()
    monkeypatch.setenv("VISAVIS_CONFIG_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots and rendered pages for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return ROOT / "articles"


# The synthetic Argos model and isolated packages folders, shared by the translation, CLI and GUI tiers.
from model_fixtures import (  # noqa: E402,F401  (fixtures are registered by being imported here)
    argos_dirs,
    argos_offline_env,
    installed_synthetic_model,
    package_server,
    synthetic_model_path,
    synthetic_model_sha256,
)


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication(qapp):
    """Create the session's QApplication before any test can create a bare QGuiApplication.

    The PDF export makes an offscreen QGuiApplication when none exists (the CLI has no widgets); if an
    export test ran first, a later widget test would abort ("Must construct a QApplication").
    """
    return qapp
