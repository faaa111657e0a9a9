"""Run only by ``test_isolation.py``, in a pytest sub-session with a stand-in home (no ``test_`` prefix, so
a normal run does not collect it): every per-user path the app and the test fixtures resolve lies under
``$VISAVIS_PROBE_ROOT`` (the outer test's temp folder) and outside the stand-in home
``$VISAVIS_PROBE_HOME``, and writing to each of them works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_per_user_path_is_a_temporary_one(monkeypatch, qapp, synthetic_model_cache):
    from PySide6.QtCore import QStandardPaths

    from reader.gui import errors, settings
    from reader.storage.connection import default_db_path

    # The platform defaults, not the per-test overrides: what a real start would use.
    for var in ("VISAVIS_DB", "VISAVIS_CONFIG_DIR", "ARGOS_PACKAGES_DIR"):
        monkeypatch.delenv(var, raising=False)
    import argostranslate.settings as argos

    q = settings.open_settings()
    q.setValue("probe", 1)
    q.sync()
    paths = {
        "home": Path.home(),
        "log": errors.log_exception(RuntimeError("isolation probe")),
        "settings": Path(q.fileName()),
        "database": default_db_path(),
        "argos data": argos.data_dir,
        "argos cache": argos.cache_dir,
        "argos config": argos.config_dir,
        "argos packages": argos.package_data_dir,
        "synthetic model cache": synthetic_model_cache,
    }
    for location in ("HomeLocation", "DocumentsLocation", "AppDataLocation", "AppConfigLocation",
                     "CacheLocation", "GenericCacheLocation", "GenericDataLocation", "ConfigLocation",
                     "GenericConfigLocation", "AppLocalDataLocation", "StateLocation", "GenericStateLocation"):
        loc = getattr(QStandardPaths.StandardLocation, location, None)
        if loc is not None:  # the state locations are Qt ≥ 6.7
            paths[f"Qt {location}"] = Path(QStandardPaths.writableLocation(loc))

    # The CLI as a user starts it (its own default database, its own log), inheriting the environment.
    env = {k: v for k, v in os.environ.items() if k not in ("VISAVIS_DB", "VISAVIS_CONFIG_DIR")}
    proc = subprocess.run([sys.executable, "-m", "reader.cli", "list", "--format", "json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout), "the CLI's default library holds the samples"

    root = Path(os.environ["VISAVIS_PROBE_ROOT"]).resolve()
    home = Path(os.environ["VISAVIS_PROBE_HOME"]).resolve()
    outside = {name: str(p) for name, p in paths.items()
               if not Path(p).resolve().is_relative_to(root) or Path(p).resolve().is_relative_to(home)}
    assert not outside, f"per-user paths in the user's home {home} or outside the temp folder {root}: {outside}"
    assert paths["log"].read_text(encoding="utf-8").count("isolation probe") == 1
