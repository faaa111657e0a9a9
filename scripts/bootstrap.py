#!/usr/bin/env python3
"""Set up Vis-à-vis in a virtual environment of its own, then run the app or the test suite.

    python3 scripts/bootstrap.py run     # install (first time) and launch the app
    python3 scripts/bootstrap.py test    # install (first time) with test extras and run every test

Needs only Python ≥ 3.11. The environment lives in ``.venv`` beside this project (``VISAVIS_VENV``
overrides). It is reinstalled only when ``pyproject.toml`` changes.

argostranslate depends on torch (through stanza). On Linux a CPU-only torch keeps the install about
1.5 GB instead of several GB of CUDA libraries: we install it first, from a local wheel when the machine
has one (a ``+cpu`` build of torch 2.13.0 that pip finds offline through its configured find-links),
else from PyTorch's CPU-only package index. Vis-à-vis itself never imports torch.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("VISAVIS_VENV", ROOT / ".venv"))
TORCH_VERSION = "2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def pip(*args: str, check: bool = True) -> bool:
    cmd = [str(venv_bin("python")), "-m", "pip", "install", "--disable-pip-version-check", *args]
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=check).returncode == 0


def has_module(name: str) -> bool:
    code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({name!r}) else 1)"
    return subprocess.run([str(venv_bin("python")), "-c", code]).returncode == 0


def install_cpu_torch() -> None:
    """A CPU-only torch on Linux, before argostranslate asks for one (see module docstring)."""
    if platform.system() != "Linux" or has_module("torch"):
        return
    # 1. A CPU wheel on this machine (pip's configured find-links): fetch just that file, offline, then
    #    install it with its dependencies from the usual index.
    with tempfile.TemporaryDirectory() as tmp:
        got = subprocess.run(
            [str(venv_bin("python")), "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
             "--no-index", "--only-binary=:all:", "-d", tmp, f"torch=={TORCH_VERSION}"],
            capture_output=True,
        ).returncode == 0
        wheels = [w for w in Path(tmp).glob("torch-*.whl") if "+cpu" in w.name]
        if got and wheels and pip(str(wheels[0]), check=False):
            return
    # 2. PyTorch's CPU-only index beside the usual one (for the same version pip prefers the "+cpu"
    #    local build); give up quickly when it is unreachable.
    if pip("torch", "--extra-index-url", TORCH_CPU_INDEX, "--timeout", "20", "--retries", "1", check=False):
        return
    print("note: no CPU-only torch found; pip will choose torch for argostranslate", flush=True)


def ensure_pdf_tools() -> None:
    """The export tests read PDFs back as users' tools do: poppler's pdftotext/pdftoppm and qpdf.

    Installed from Debian's packages when we may (root with apt-get, as on CI); elsewhere those checks
    are skipped and we say which tools to install.
    """
    missing = [tool for tool in ("pdftotext", "pdftoppm", "qpdf") if shutil.which(tool) is None]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = [apt, "install", "-y", "-q", "--no-install-recommends", "poppler-utils", "qpdf"]
        print("+", " ".join(install), flush=True)
        if subprocess.run(install, env=env).returncode != 0:
            subprocess.run([apt, "update", "-q"], env=env)
            subprocess.run(install, env=env)
    still = [tool for tool in missing if shutil.which(tool) is None]
    if still:
        print(f"note: {', '.join(still)} not found; the PDF checks that use them are skipped "
              "(install poppler-utils and qpdf)", flush=True)


def ensure_installed(extras: str) -> None:
    stamp = VENV / f".visavis-installed-{extras or 'app'}"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and venv_bin("visavis").exists():
        return
    if not venv_bin("python").exists():
        print(f"creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    install_cpu_torch()
    target = f".[{extras}]" if extras else "."
    pip("-e", target, "--prefer-binary")
    stamp.write_text(want)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    if sys.version_info < (3, 11):
        print("Vis-à-vis needs Python 3.11 or newer", file=sys.stderr)
        return 2
    mode, rest = argv[1], argv[2:]
    ensure_installed("test" if mode == "test" else "")
    if mode == "run":
        return subprocess.call([str(venv_bin("visavis")), *rest])
    ensure_pdf_tools()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(venv_bin("python")), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
