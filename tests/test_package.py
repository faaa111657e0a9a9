"""The packaged build (issue #14): ``scripts/bootstrap.py package`` makes ``dist/visavis/`` with PyInstaller,
a folder that runs without Python, carries no torch, stanza, spaCy or numpy, and stays under 350 MB.

The build takes a minute or two: it is made once per session into a temporary folder (by the same
function as ``bootstrap.py package``), or ``VISAVIS_PACKAGE_BUILD=dist/visavis`` reuses one already
built. Without PyInstaller (``pip install .[package]``) the build tests are skipped. The executable runs
with an environment holding none of Python's variables and every per-user folder in ``tmp_path``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml import ElementTree
from user_dirs import user_dirs

from reader import __version__

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "org.visavis.Reader"
MAX_BYTES = 350 * 10**6
#: Top-level modules a build must not hold (never imported by the product).
FORBIDDEN = ("torch", "stanza", "spacy", "thinc", "numpy")


def _load_bootstrap():
    spec = importlib.util.spec_from_file_location("visavis_bootstrap_for_package", ROOT / "scripts" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The built folder: ``$VISAVIS_PACKAGE_BUILD``, or one built now into a temporary folder."""
    given = os.environ.get("VISAVIS_PACKAGE_BUILD")
    if given:
        yield Path(given).resolve()
        return
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install .[package])")
    boot = _load_bootstrap()
    work = tmp_path_factory.mktemp("package")
    boot.VENV = work  # the bootstrap's log file goes there (its own copy of the module: nothing leaks)
    try:
        app = boot.build_package(Path(sys.executable), work / "dist", work / "build")
    except boot.BootstrapError as exc:
        log = boot.log_path().read_text(encoding="utf-8", errors="replace")
        shutil.rmtree(work, ignore_errors=True)
        pytest.fail(f"{exc}\n{log[-4000:]}")
    yield app
    shutil.rmtree(work, ignore_errors=True)  # 330 MB: not left for pytest's retained temp folders


def _env(tmp_path: Path, **extra: str) -> dict:
    """No Python variables, and every per-user folder in tmp_path: the build must need nothing else."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        user_dirs(home),
        HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        QT_LOGGING_RULES="qt.qpa.*=false",
    )
    env.update(extra)
    return env


def run_built(built: Path, tmp_path: Path, *args: str, timeout: float = 300, **env: str):
    return subprocess.run(
        [str(built / "visavis"), "--db", str(tmp_path / "library.db"), *args],
        capture_output=True, text=True, env=_env(tmp_path, **env), cwd=tmp_path, timeout=timeout,
    )


# --- the build ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_build_is_small_and_carries_no_torch_stanza_spacy_or_numpy(built):
    files = [p for p in built.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    assert size <= MAX_BYTES, f"{built} holds {size / 1e6:.0f} MB"
    internal = built / "_internal"
    on_disk = {p.relative_to(internal).parts[0].split(".")[0].split("-")[0] for p in internal.rglob("*")}
    assert not on_disk & set(FORBIDDEN)
    archives = pytest.importorskip("PyInstaller.archive.readers")
    pyz = archives.CArchiveReader(str(built / "visavis")).open_embedded_archive("PYZ.pyz")
    modules = {name.split(".")[0] for name in pyz.toc}
    assert not modules & set(FORBIDDEN)
    # what the product needs to translate and to read its data is there
    assert {"reader", "ctranslate2", "sentencepiece", "argostranslate", "PySide6"} <= modules
    assert len(list((internal / "reader" / "_samples").glob("*.md"))) == 5
    assert list((internal / "reader" / "_resources" / "fonts").glob("*.ttf"))


@pytest.mark.slow
def test_the_build_lays_out_the_linux_desktop_files(built):
    if not sys.platform.startswith("linux"):
        pytest.skip("the desktop entry and AppStream metadata are for Linux")
    share = built / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").read_bytes() == \
        (ROOT / "resources" / "linux" / f"{APP_ID}.desktop").read_bytes()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


# --- running it --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_window_starts_offscreen_and_imports_the_samples_on_the_first_run(built, tmp_path, artifacts_dir):
    shot = artifacts_dir / "packaged-window.png"  # look at it: fonts, icons, styles come from the build
    proc = run_built(built, tmp_path, f"--smoke-test={shot}")
    assert proc.returncode == 0, proc.stderr
    assert "visavis: the window opened on 5 articles" in proc.stdout
    assert shot.stat().st_size > 0
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "library.db").is_file()
    logs = [p for p in (tmp_path / "home").rglob("*") if p.is_file() and "log" in p.parts]
    assert not [p for p in logs if "Traceback" in p.read_text(encoding="utf-8", errors="replace")]


@pytest.mark.slow
def test_the_command_line_works_from_the_build(built, tmp_path):
    version = run_built(built, tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"visavis {__version__}"
    listed = run_built(built, tmp_path, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    titles = [row["title"] for row in json.loads(listed.stdout)]
    assert len(titles) == 5 and any("Tillerson" in t for t in titles)


@pytest.mark.slow
def test_the_build_translates_with_a_model_installed_from_a_file(built, tmp_path, synthetic_model_path):
    installed = run_built(built, tmp_path, "model", "install", str(synthetic_model_path))
    assert installed.returncode == 0, installed.stderr
    listed = json.loads(run_built(built, tmp_path, "list", "--format", "json").stdout)
    shortest = min(listed, key=lambda row: row["n_sentences"])
    # The synthetic model's output is gibberish that runs to the length cap: a short cap keeps it quick.
    done = run_built(built, tmp_path, "translate", str(shortest["id"]), VISAVIS_MAX_DECODING_LENGTH="6")
    assert done.returncode == 0, done.stderr
    shown = run_built(built, tmp_path, "show", str(shortest["id"]), "--format", "json")
    assert shown.returncode == 0, shown.stderr
    pairs = json.loads(shown.stdout)["pairs"]
    assert len(pairs) == shortest["n_sentences"]
    assert all(pair["en"] and pair["en"].strip() for pair in pairs)


# --- without a build ----------------------------------------------------------------------------------------


def test_smoke_test_opens_the_window_on_a_new_library_and_quits(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "reader.cli", "--db", str(tmp_path / "new.db"), "--smoke-test"],
                          capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path, PYTHONPATH=str(ROOT)),
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "visavis: the window opened on 5 articles"
    assert "--smoke-test" not in subprocess.run([sys.executable, "-m", "reader.cli", "--help"], capture_output=True,
                                                text=True, cwd=ROOT, env=_env(tmp_path, PYTHONPATH=str(ROOT))).stdout


# --- the desktop files themselves ------------------------------------------------------


def test_the_desktop_entry_names_the_app_its_icon_and_the_command():
    entry = (ROOT / "resources" / "linux" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    fields = dict(line.split("=", 1) for line in entry.splitlines()[1:] if "=" in line)
    assert entry.startswith("[Desktop Entry]\n")
    assert fields["Type"] == "Application" and fields["Name"] == "Vis-à-vis"
    assert fields["Exec"] == "visavis"  # no %F: the command takes no file to open
    assert fields["Icon"] == APP_ID
    assert (ROOT / "resources" / "icons" / "visavis.svg").is_file()
    validate = shutil.which("desktop-file-validate")
    if validate:
        proc = subprocess.run([validate, str(ROOT / "resources" / "linux" / f"{APP_ID}.desktop")],
                              capture_output=True, text=True)
        assert proc.returncode == 0 and "error" not in proc.stdout, proc.stdout


def test_the_appstream_metadata_is_valid_and_matches_the_desktop_entry():
    path = ROOT / "resources" / "linux" / f"{APP_ID}.metainfo.xml"
    root = ElementTree.parse(path).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    for tag in ("id", "name", "summary", "metadata_license", "project_license", "description"):
        assert root.find(tag) is not None, tag
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    assert root.find("releases/release").get("version") == __version__
    appstream = shutil.which("appstreamcli")
    if appstream:
        proc = subprocess.run([appstream, "validate", "--no-net", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
