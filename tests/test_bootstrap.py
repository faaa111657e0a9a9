"""scripts/bootstrap.py with fakes: no venv is created and pip never runs (issue #13 §5)."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bootstrap.py"


@pytest.fixture
def boot(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("visavis_bootstrap_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.delenv("CI", raising=False)
    return module


def _fake_python(boot) -> Path:
    python = boot.venv_bin("python")
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text("#!/bin/sh\nexit 0\n")
    python.chmod(0o755)
    (boot.VENV / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return python


class Recorder:
    """Stands in for subprocess.run / Popen: records commands, answers with a return code."""

    def __init__(self, rc=0):
        self.calls: list[list[str]] = []
        self.rc = rc

    def run(self, cmd, *a, **k):
        self.calls.append([str(c) for c in cmd])
        rc = self.rc(cmd) if callable(self.rc) else self.rc
        return subprocess.CompletedProcess(cmd, rc, stdout="", stderr="")

    def popen(self, cmd, *a, **k):
        self.calls.append([str(c) for c in cmd])
        rc = self.rc(cmd) if callable(self.rc) else self.rc

        class P:
            stdout = iter(["some pip output\n"])

            def wait(self):
                return rc

        return P()


def test_a_python_without_ensurepip_says_what_to_install_and_leaves_no_venv(boot, monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ensurepip" else real(name, *a))
    assert boot.main(["bootstrap.py", "test"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "python3-venv" in err[0] and "Traceback" not in err[0]
    assert not boot.VENV.exists()


def test_a_failing_ensurepip_removes_the_half_made_venv(boot, monkeypatch, capsys):
    import venv

    class Broken:
        def __init__(self, **kw):
            pass

        def create(self, path):
            Path(path).mkdir(parents=True)
            (Path(path) / "pyvenv.cfg").write_text("home = /usr/bin\n")
            raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])

    monkeypatch.setattr(venv, "EnvBuilder", Broken)
    assert boot.main(["bootstrap.py", "run"]) == 1
    err = capsys.readouterr().err
    assert "python3-venv" in err and "CalledProcessError" not in err
    assert not boot.VENV.exists()


def test_a_half_made_venv_is_rebuilt(boot, monkeypatch):
    import venv

    boot.VENV.mkdir()
    (boot.VENV / "pyvenv.cfg").write_text("home = /usr/bin\n")  # no bin/python: an interrupted run
    (boot.VENV / "leftover").write_text("x")
    created = []

    class Builder:
        def __init__(self, **kw):
            pass

        def create(self, path):
            created.append(path)
            _fake_python(boot)

    monkeypatch.setattr(venv, "EnvBuilder", Builder)
    boot.ensure_venv()
    assert created == [boot.VENV] and not (boot.VENV / "leftover").exists()
    assert boot.venv_bin("python").exists()


def test_a_folder_that_is_not_a_venv_is_never_deleted(boot, monkeypatch):
    boot.VENV.mkdir()
    (boot.VENV / "precious.txt").write_text("mine")
    with pytest.raises(boot.BootstrapError, match="not a virtual environment"):
        boot.ensure_venv()
    assert (boot.VENV / "precious.txt").read_text() == "mine"


def test_a_pip_failure_is_one_line_with_the_log_path(boot, monkeypatch, capsys):
    _fake_python(boot)
    rec = Recorder(rc=lambda cmd: 1 if "install" in cmd else 0)
    monkeypatch.setattr(boot.subprocess, "run", rec.run)
    monkeypatch.setattr(boot.subprocess, "Popen", rec.popen)
    monkeypatch.setattr(boot, "install_cpu_torch", lambda: None)
    monkeypatch.setattr(boot, "torch_version", lambda: None)
    assert boot.main(["bootstrap.py", "test"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(boot.log_path()) in err[0] and "Traceback" not in err[0]
    assert "some pip output" in boot.log_path().read_text()


def test_cpu_torch_from_the_index_is_pinned_and_then_held(boot, monkeypatch):
    _fake_python(boot)
    monkeypatch.setattr(boot.platform, "system", lambda: "Linux")
    monkeypatch.setattr(boot, "has_module", lambda name: False)
    rec = Recorder(rc=lambda cmd: 1 if "download" in cmd else 0)  # no local wheel
    monkeypatch.setattr(boot.subprocess, "run", rec.run)
    monkeypatch.setattr(boot.subprocess, "Popen", rec.popen)
    boot.install_cpu_torch()
    index_install = next(c for c in rec.calls if boot.TORCH_CPU_INDEX in c)
    assert f"torch=={boot.TORCH_VERSION}" in index_install and "torch" not in index_install  # pinned
    # the main install holds the torch now installed with a constraint
    monkeypatch.setattr(boot, "install_cpu_torch", lambda: None)
    monkeypatch.setattr(boot, "torch_version", lambda: "2.13.0+cpu")
    seen = []

    def pip(*args, what):
        if "-c" in args:
            seen.append(Path(args[args.index("-c") + 1]).read_text())
        return True

    monkeypatch.setattr(boot, "pip", pip)
    monkeypatch.setattr(boot, "ROOT", SCRIPT.parents[1])
    boot.ensure_installed("test")
    assert seen == ["torch==2.13.0+cpu\n"]


def test_a_torch_swapped_by_pip_is_an_error(boot, monkeypatch, capsys):
    _fake_python(boot)
    versions = iter(["2.13.0+cpu", "2.14.0"])
    monkeypatch.setattr(boot, "install_cpu_torch", lambda: None)
    monkeypatch.setattr(boot, "torch_version", lambda: next(versions, "2.14.0"))
    monkeypatch.setattr(boot, "pip", lambda *a, what: True)
    monkeypatch.setattr(boot, "_venv_works", lambda: True)
    assert boot.main(["bootstrap.py", "test"]) == 1
    assert "replaced torch 2.13.0+cpu" in capsys.readouterr().err


@pytest.mark.parametrize(("ci", "flag", "root", "expect_apt"), [
    ("", False, True, False),  # root on a user's machine: never apt-get
    ("true", False, True, True),  # the CI asks
    ("", True, True, True),  # the CI's flag
    ("true", False, False, False),  # not root: cannot
])
def test_apt_get_only_when_the_ci_asks(boot, monkeypatch, capsys, ci, flag, root, expect_apt):
    if ci:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(boot.shutil, "which", lambda tool: "/usr/bin/apt-get" if tool == "apt-get" else None)
    monkeypatch.setattr(boot.os, "geteuid", lambda: 0 if root else 1000, raising=False)
    rec = Recorder()
    monkeypatch.setattr(boot.subprocess, "run", rec.run)
    boot.ensure_pdf_tools(boot.ci_asks_for_system_packages([boot.SYSTEM_PACKAGES_FLAG] if flag else []))
    assert any("apt-get" in c[0] for c in rec.calls) == expect_apt
    assert "poppler-utils" in capsys.readouterr().out  # says what to install when still missing


def test_the_install_stamp_covers_the_bootstraps_own_pins(boot, monkeypatch):
    before = boot.install_hash()
    monkeypatch.setattr(boot, "PINS", boot.PINS.replace(boot.TORCH_VERSION, "9.9.9"))
    assert boot.install_hash() != before


def test_the_system_packages_flag_is_not_passed_to_pytest(boot, monkeypatch):
    calls = []
    monkeypatch.setattr(boot, "ensure_installed", lambda extras: None)
    monkeypatch.setattr(boot, "ensure_pdf_tools", lambda system_packages: calls.append(system_packages))
    monkeypatch.setattr(boot.subprocess, "call", lambda cmd, **k: calls.append(cmd) or 0)
    assert boot.main(["bootstrap.py", "test", "--system-packages", "-q"]) == 0
    assert calls[0] is True and calls[1][-1] == "-q" and "--system-packages" not in calls[1]


def test_package_installs_the_package_extra_and_runs_pyinstaller_on_the_spec(boot, monkeypatch, capsys, tmp_path):
    extras = []
    monkeypatch.setattr(boot, "ensure_installed", extras.append)
    monkeypatch.setattr(boot, "ROOT", tmp_path)

    def pyinstaller(cmd, *a, **k):  # makes the folder PyInstaller would make
        dist = Path(cmd[cmd.index("--distpath") + 1])
        (dist / "visavis").mkdir(parents=True)
        (dist / "visavis" / "visavis").write_bytes(b"\0" * 2_000_000)
        return Recorder(rc=0).popen(cmd)

    monkeypatch.setattr(boot.subprocess, "Popen", pyinstaller)
    assert boot.main(["bootstrap.py", "package"]) == 0
    assert extras == ["package"]
    out = capsys.readouterr().out
    assert f"built {tmp_path / 'dist' / 'visavis'} (2 MB)" in out
    assert str(boot.SPEC) in boot.log_path().read_text()


def test_a_failed_package_build_is_one_line_with_the_log_path(boot, monkeypatch, capsys):
    monkeypatch.setattr(boot, "ensure_installed", lambda extras: None)
    monkeypatch.setattr(boot.subprocess, "Popen", Recorder(rc=1).popen)
    assert boot.main(["bootstrap.py", "package"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "building the package failed" in err[0] and str(boot.log_path()) in err[0]
