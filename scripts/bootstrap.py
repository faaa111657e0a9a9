#!/usr/bin/env python3
"""Set up Vis-à-vis in a virtual environment of its own, then run the app or the test suite.

    python3 scripts/bootstrap.py run     # install (first time) and launch the app
    python3 scripts/bootstrap.py test    # install (first time) with test extras and run every test
    python3 scripts/bootstrap.py package # install (first time) with PyInstaller; build dist/visavis/

Needs only Python ≥ 3.11 with its ``venv`` module (Debian/Ubuntu: the ``python3-venv`` package). The
environment lives in ``.venv`` beside this project (``VISAVIS_VENV`` overrides); one left half-made by an
interrupted or failed run is rebuilt. It is reinstalled when ``pyproject.toml`` or the pins below change.
pip's output goes to ``bootstrap.log`` in the environment; a failure prints one line and that path.

argostranslate depends on torch (through stanza). On Linux a CPU-only torch keeps the install about
1.5 GB instead of several GB of CUDA libraries: we install it first, from a local wheel when the machine
has one (a ``+cpu`` build of torch 2.13.0 that pip finds offline through its configured find-links),
else from PyTorch's CPU-only package index, pinned to the same version either way; the installed torch is
then held by a constraint while the rest is installed, so pip never swaps it for the CUDA build. Vis-à-vis
itself never imports torch.

``package`` builds ``dist/visavis/`` with PyInstaller from ``packaging/visavis.spec``: one folder that runs
without Python (``dist/visavis/visavis``, the window and the command line), without torch, stanza or
spaCy; PyInstaller's output goes to the same log.

The PDF checks of the test suite use poppler and qpdf. Only when the CI asks (``CI=true`` in the
environment, or ``--system-packages``) and we are root do we install them with apt-get; otherwise we say
which packages to install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("VISAVIS_VENV", ROOT / ".venv"))
TORCH_VERSION = "2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: Everything this script pins: part of the install stamp, so changing a pin reinstalls.
PINS = f"torch=={TORCH_VERSION} cpu-index={TORCH_CPU_INDEX}"
SYSTEM_PACKAGES_FLAG = "--system-packages"
SPEC = ROOT / "packaging" / "visavis.spec"
MODES = {"run": "", "test": "test", "package": "package"}  # command → the pyproject extra it installs


class BootstrapError(Exception):
    """A set-up step failed; the message is one sentence for the user."""


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def log_path() -> Path:
    return VENV / "bootstrap.log"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def run_logged(cmd: list[str], what: str) -> bool:
    """Run *cmd* with its output appended to the log (and echoed on CI, whose log is the place to
    read it); True when it succeeded."""
    print(f"{what}…", flush=True)
    log = log_path()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n+ {' '.join(cmd)}\n")
        out.flush()
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    errors="replace")
        except OSError as exc:
            out.write(f"{exc}\n")
            return False
        echo = on_ci()
        for line in proc.stdout:
            out.write(line)
            if echo:
                sys.stdout.write(line)
        return proc.wait() == 0


def pip(*args: str, what: str) -> bool:
    cmd = [str(venv_bin("python")), "-m", "pip", "install", "--disable-pip-version-check", *args]
    return run_logged(cmd, what)


def has_module(name: str) -> bool:
    code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({name!r}) else 1)"
    try:
        return subprocess.run([str(venv_bin("python")), "-c", code], capture_output=True).returncode == 0
    except OSError:
        return False


def torch_version() -> str | None:
    """The torch version installed in the environment (``2.13.0+cpu``), or None."""
    code = "import importlib.metadata as m; print(m.version('torch'))"
    try:
        proc = subprocess.run([str(venv_bin("python")), "-c", code], capture_output=True, text=True)
    except OSError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


# --- the virtual environment ----------------------------------------------------------------------------


def _venv_works() -> bool:
    python = venv_bin("python")
    if not python.exists():
        return False
    try:
        return subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode == 0
    except OSError:
        return False


def _remove_half_made_venv() -> None:
    """Remove a broken environment, only when it is one (a ``pyvenv.cfg`` in it) or an empty folder."""
    if not VENV.exists():
        return
    if (VENV / "pyvenv.cfg").exists() or not any(VENV.iterdir()):
        shutil.rmtree(VENV)
        return
    raise BootstrapError(f"{VENV} exists but is not a virtual environment; move it away or set VISAVIS_VENV.")


def _venv_missing_message() -> str:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (f"this Python ({sys.executable}) cannot create virtual environments: install its venv module "
            f"(Debian/Ubuntu: sudo apt install python3-venv, or python{version}-venv) and run this again.")


def ensure_venv() -> None:
    """A working environment in VENV: created, or rebuilt when a previous run left it half-made."""
    if _venv_works():
        return
    if VENV.exists():
        print(f"rebuilding the incomplete virtual environment in {VENV}", flush=True)
        _remove_half_made_venv()
    if importlib.util.find_spec("venv") is None or importlib.util.find_spec("ensurepip") is None:
        raise BootstrapError(_venv_missing_message())
    import venv

    print(f"creating the virtual environment in {VENV}", flush=True)
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError) as exc:
        _remove_half_made_venv()
        if isinstance(exc, subprocess.CalledProcessError):  # ensurepip failed inside the new environment
            raise BootstrapError(_venv_missing_message()) from None
        raise BootstrapError(f"cannot create the virtual environment in {VENV}: {exc}") from None
    if not _venv_works():
        _remove_half_made_venv()
        raise BootstrapError(_venv_missing_message())


# --- torch ------------------------------------------------------------------------------------------


def install_cpu_torch() -> None:
    """A CPU-only torch on Linux, before argostranslate asks for one (see module docstring)."""
    if platform.system() != "Linux" or has_module("torch"):
        return
    # 1. A CPU wheel on this machine (pip's configured find-links): fetch just that file, offline, then
    #    install it with its dependencies from the usual index.
    with tempfile.TemporaryDirectory() as tmp:
        got = run_logged(
            [str(venv_bin("python")), "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
             "--no-index", "--only-binary=:all:", "-d", tmp, f"torch=={TORCH_VERSION}"],
            "looking for a local CPU-only torch",
        )
        wheels = [w for w in Path(tmp).glob("torch-*.whl") if "+cpu" in w.name]
        if got and wheels and pip(str(wheels[0]), what=f"installing {wheels[0].name}"):
            return
    # 2. PyTorch's CPU-only index beside the usual one, the same pinned version (pip prefers the "+cpu"
    #    local build of it); give up quickly when it is unreachable.
    if pip(f"torch=={TORCH_VERSION}", "--extra-index-url", TORCH_CPU_INDEX, "--timeout", "20", "--retries", "1",
           what=f"installing CPU-only torch {TORCH_VERSION} from {TORCH_CPU_INDEX}"):
        return
    print(f"warning: no CPU-only torch {TORCH_VERSION} could be installed (see {log_path()}); pip will now "
          "choose torch for argostranslate, which may be the CUDA build (several GB)", flush=True)


def torch_constraint(folder: Path) -> list[str]:
    """``-c FILE`` arguments that hold the installed torch where it is, or nothing if there is none."""
    version = torch_version()
    if not version:
        return []
    path = folder / "torch-constraint.txt"
    path.write_text(f"torch=={version}\n", encoding="utf-8")
    return ["-c", str(path)]


# --- install -------------------------------------------------------------------------------------------


def install_hash() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(PINS.encode())
    return digest.hexdigest()


def ensure_installed(extras: str) -> None:
    stamp = VENV / f".visavis-installed-{extras or 'app'}"
    want = install_hash()
    if stamp.exists() and stamp.read_text() == want and venv_bin("visavis").exists() and _venv_works():
        return
    ensure_venv()
    install_cpu_torch()
    held = torch_version()
    target = f".[{extras}]" if extras else "."
    with tempfile.TemporaryDirectory() as tmp:
        ok = pip("-e", target, "--prefer-binary", *torch_constraint(Path(tmp)),
                 what=f"installing Vis-à-vis and its dependencies ({target})")
    if not ok:
        raise BootstrapError(f"installing the dependencies failed; pip's output is in {log_path()}")
    if held and torch_version() != held:
        raise BootstrapError(f"pip replaced torch {held} by {torch_version()}; see {log_path()}")
    stamp.write_text(want)


def ensure_pdf_tools(system_packages: bool) -> None:
    """The export tests read PDFs back as users' tools do: poppler's pdftotext/pdftoppm and qpdf.

    Installed from Debian's packages only when the CI asks for it (*system_packages*) and we are root;
    elsewhere those checks are skipped and we say which packages to install.
    """
    missing = [tool for tool in ("pdftotext", "pdftoppm", "qpdf") if shutil.which(tool) is None]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if system_packages and apt and hasattr(os, "geteuid") and os.geteuid() == 0:
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


# --- the packaged build ---------------------------------------------------------------------------------


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_package(python: Path, dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec with *python* (the environment's); return the built folder."""
    cmd = [str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    ok = run_logged(cmd, f"building {dist / 'visavis'} with PyInstaller (a minute or two)")
    app = dist / "visavis"
    if not ok or not (app / "visavis").exists():
        raise BootstrapError(f"building the package failed; PyInstaller's output is in {log_path()}")
    return app


def ci_asks_for_system_packages(args: list[str]) -> bool:
    return SYSTEM_PACKAGES_FLAG in args or on_ci()


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in MODES:
        print(__doc__)
        return 2
    if sys.version_info < (3, 11):
        print("Vis-à-vis needs Python 3.11 or newer", file=sys.stderr)
        return 2
    mode, rest = argv[1], argv[2:]
    system_packages = ci_asks_for_system_packages(rest)
    rest = [a for a in rest if a != SYSTEM_PACKAGES_FLAG]
    try:
        ensure_installed(MODES[mode])
        if mode == "package":
            app = build_package(venv_bin("python"), ROOT / "dist", ROOT / "build" / "pyinstaller")
    except BootstrapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if mode == "package":
        print(f"built {app} ({folder_size(app) / 1e6:.0f} MB): run {app / 'visavis'}", flush=True)
        return 0
    if mode == "run":
        return subprocess.call([str(venv_bin("visavis")), *rest])
    ensure_pdf_tools(system_packages)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(venv_bin("python")), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
