"""Export temp files: removed when an export fails, and what a killed export left is removed by the next
export to the same folder — only ours, and only when nobody is writing them. (Issue #13 §3.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from reader.export.bundle import (
    STALE_AFTER_S,
    ExportError,
    atomic_text_file,
    is_stale_temp,
    remove_stale_temps,
    temp_path_beside,
    write_atomically,
)


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _killed_export_leftover(folder, name="report.pdf", suffix=".qt.part", pid=None):
    """A temp file as a killed export leaves it: our name pattern, written by a process that is gone."""
    tmp = temp_path_beside(folder / name, suffix)
    dead = tmp.with_name(tmp.name.replace(f"-{os.getpid()}-", f"-{pid or _dead_pid()}-"))
    tmp.rename(dead)
    dead.write_bytes(b"%PDF-1.7 half written")
    return dead


def test_temp_names_are_hidden_and_recognisable(tmp_path):
    tmp = temp_path_beside(tmp_path / "notes.md")
    assert tmp.name.startswith(".notes.md.vv-") and tmp.name.endswith(".part")
    assert f"-{os.getpid()}-" in tmp.name
    assert not is_stale_temp(tmp)  # this process is alive: in use


def test_a_failed_export_leaves_no_temp_file(tmp_path):
    def boom(tmp):
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="disk is full"):
        write_atomically(tmp_path / "g.csv", boom)
    with pytest.raises(RuntimeError):
        with atomic_text_file(tmp_path / "a.md") as fh:
            fh.write("half")
            raise RuntimeError("cancelled")
    assert list(tmp_path.iterdir()) == []


def test_leftovers_of_a_killed_export_are_removed_by_the_next_export(tmp_path):
    dead_pdf = _killed_export_leftover(tmp_path)
    dead_md = _killed_export_leftover(tmp_path, "other.md", ".part")
    probe = _killed_export_leftover(tmp_path, "x.pdf", ".probe")
    with atomic_text_file(tmp_path / "notes.md") as fh:
        fh.write("# Notes\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]
    assert not dead_pdf.exists() and not dead_md.exists() and not probe.exists()


def test_only_our_stale_files_are_removed(tmp_path):
    mine_live = temp_path_beside(tmp_path / "live.pdf", ".qt.part")  # an export running in this process
    foreign = tmp_path / ".report.pdf.abc123.part"  # someone else's hidden temp file
    foreign.write_bytes(b"x")
    lookalike_dir = tmp_path / f".d.pdf.vv-{mine_live.name.split('.vv-')[1].split('-')[0]}-{_dead_pid()}-abc.part"
    lookalike_dir.mkdir()  # a folder with our pattern: never touched
    user_file = tmp_path / "report.pdf.part"  # not hidden: a user's file
    user_file.write_bytes(b"x")
    removed = remove_stale_temps(tmp_path)
    assert removed == []
    assert mine_live.exists() and foreign.exists() and lookalike_dir.is_dir() and user_file.exists()


def test_a_file_from_another_machine_is_removed_only_when_old(tmp_path):
    other_host = tmp_path / f".r.pdf.vv-000000-{os.getpid()}-abcd.qt.part"  # host tag that is not ours
    other_host.write_bytes(b"x")
    assert not is_stale_temp(other_host)  # maybe being written on the other machine
    old = time.time() - STALE_AFTER_S - 60
    os.utime(other_host, (old, old))
    assert is_stale_temp(other_host)
    assert remove_stale_temps(tmp_path) == [other_host]


def test_killed_pdf_export_then_next_export_cleans(tmp_path):
    """The reported case: a kill during a PDF export left hidden ``.part`` files, never cleaned."""
    leftovers = [_killed_export_leftover(tmp_path, "pack.pdf", s) for s in (".qt.part", ".pdf.part")]
    write_atomically(tmp_path / "pack.pdf", lambda tmp: tmp.write_bytes(b"%PDF-1.7\n%%EOF\n"))
    assert not any(p.exists() for p in leftovers)
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]
