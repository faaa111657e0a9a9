"""A test run touches only temporary folders (#14.12): not the user's home (log file, settings, the
synthetic model cache, Argos folders, Qt's and platformdirs' folders), also from its subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_test_session_writes_nothing_into_the_users_home(tmp_path):
    """A pytest sub-session (``isolation_probe.py``, through this ``tests/conftest.py``) started with a
    stand-in home and no XDG or Vis-à-vis variables, as on a developer's machine: every per-user path lies
    in its temp folders and the home stays empty."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VISAVIS_", "ARGOS_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), VISAVIS_PROBE_ROOT=str(tmp_path), VISAVIS_PROBE_HOME=str(home),
               PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(ROOT / "tests" / "isolation_probe.py"), "-q", "-p", "no:cacheprovider",
         "-p", "no:randomly", f"--basetemp={tmp_path / 'basetemp'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout[-4000:] + proc.stderr[-2000:]
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert written == [], f"the test session wrote into the home folder: {written}"
    assert list(tmp.iterdir()) == [], "the session's temp folder is removed at its end"
