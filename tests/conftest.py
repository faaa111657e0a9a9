"""Test isolation for every tier.

Before anything imports Qt or argostranslate, point every per-user location at a per-session temp folder
(removed at the end of the session): HOME itself, the XDG data, cache, config and state folders (the log
file, QSettings, QStandardPaths, platformdirs, fontconfig's cache all live there), the database, the
settings folder and the Argos packages. Subprocesses (the CLI, the app started as a process) inherit
this environment. A test run writes nothing into the user's real home (#14.12); ``test_isolation.py``
checks it. Per-test fixtures narrow this further (``tmp_db``, ``settings_dir``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="visavis-tests-"))
# Read-only look-ups of the user's own files (e.g. an installed real Argos model) go through this.
os.environ.setdefault("VISAVIS_TEST_REAL_HOME", str(Path.home()))
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))
from user_dirs import FOLDERS, NO_INDEX  # noqa: E402

for _var, _sub in {"HOME": "home", **FOLDERS}.items():
    os.environ[_var] = str(_SESSION_DIR / _sub)
    (_SESSION_DIR / _sub).mkdir(parents=True, exist_ok=True)
os.environ["VISAVIS_DB"] = str(_SESSION_DIR / "session.db")
# The product never touches the network; make an accidental index lookup fail fast, not hang.
os.environ.setdefault("ARGOS_PACKAGE_INDEX", NO_INDEX)
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

# Screenshots and rendered pages: one folder per run (runs at the same time never mix or delete each
# other's files), test-artifacts/<date>-<time>-<pid>/, with test-artifacts/latest pointing at the newest;
# the path is printed at the end of the run. VISAVIS_ARTIFACTS chooses another folder.
ARTIFACTS_ROOT = ROOT / "test-artifacts"
KEEP_RUNS = 10


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


_artifacts: Path | None = None


def _run_artifacts() -> Path:
    global _artifacts
    if _artifacts is None:
        import time

        chosen = os.environ.get("VISAVIS_ARTIFACTS")
        if chosen:
            _artifacts = Path(chosen)
            _artifacts.mkdir(parents=True, exist_ok=True)
            return _artifacts
        ARTIFACTS_ROOT.mkdir(exist_ok=True)
        _artifacts = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-") + f"{os.getpid()}-",
                                           dir=ARTIFACTS_ROOT))
        latest, link = ARTIFACTS_ROOT / "latest", ARTIFACTS_ROOT / f".latest-{os.getpid()}"
        try:
            link.unlink(missing_ok=True)
            link.symlink_to(_artifacts.name)
            os.replace(link, latest)
        except OSError:
            pass  # no symlinks here: the path is printed at the end anyway
        runs = sorted((p for p in ARTIFACTS_ROOT.iterdir() if p.is_dir() and not p.is_symlink()),
                      key=lambda p: p.name)
        import shutil

        for old in runs[:-KEEP_RUNS]:
            shutil.rmtree(old, ignore_errors=True)
    return _artifacts


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots and rendered pages for a human to look at (this run's folder)."""
    return _run_artifacts()


def pytest_terminal_summary(terminalreporter):
    if _artifacts is not None:
        terminalreporter.write_line(f"screenshots and rendered pages: {_artifacts}")


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return ROOT / "articles"


# The synthetic Argos model and isolated packages folders, shared by the translation, CLI and GUI tiers.
from model_fixtures import (  # noqa: E402,F401  (fixtures are registered by being imported here)
    argos_dirs,
    argos_offline_env,
    installed_synthetic_model,
    package_server,
    synthetic_model_cache,
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


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)
