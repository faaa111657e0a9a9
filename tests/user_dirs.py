"""Every per-user folder the app writes to, inside one folder: for the test session, the packaged-build test
and the benches' subprocesses (``bench/`` puts ``tests/`` on the path).

platformdirs (the log: ``$XDG_STATE_HOME``), Qt's standard paths and Argos follow the XDG variables; the
settings and the Argos packages have variables of their own; the package index points nowhere, so an
accidental look-up fails at once instead of reaching the network.
"""

from __future__ import annotations

from pathlib import Path

#: The variables and the sub-folder each one gets.
FOLDERS = {
    "XDG_DATA_HOME": "xdg-data",
    "XDG_CACHE_HOME": "xdg-cache",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_STATE_HOME": "xdg-state",
    "ARGOS_PACKAGES_DIR": "argos-packages",
    "VISAVIS_CONFIG_DIR": "config",
}

NO_INDEX = "http://127.0.0.1:9/"


def user_dirs(root: Path) -> dict[str, str]:
    """The environment variables putting every per-user folder under ``root`` (not created here), and
    ``ARGOS_PACKAGE_INDEX`` unreachable."""
    return {**{var: str(root / sub) for var, sub in FOLDERS.items()}, "ARGOS_PACKAGE_INDEX": NO_INDEX}
