"""Package management: verified atomic install, status, removal, download from a local HTTP index."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from reader.core.errors import ModelError
from reader.core.progress import Cancelled, Progress
from reader.translation import packages

TOP = "translate-fr_en-test"
META = {"package_version": "0.1", "argos_version": "1.9.0", "from_code": "fr", "to_code": "en",
        "from_name": "French", "to_name": "English", "type": "translate"}


def _snapshot(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _small_package(members: dict[str, bytes] | None = None, *, meta: dict | None = None, drop=(),
                   top: str = TOP, compress=zipfile.ZIP_STORED) -> bytes:
    """A tiny package-shaped zip (fake model files: verification fails before they are read)."""
    files = {
        f"{top}/metadata.json": json.dumps(meta or META).encode(),
        f"{top}/model/model.bin": b"\0" * 64,
        f"{top}/model/config.json": b"{}",
        f"{top}/sentencepiece.model": b"spm" * 20,
    }
    for name in drop:
        files.pop(f"{top}/{name}")
    files.update(members or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _with_symlink() -> bytes:
    buf = io.BytesIO(_small_package())
    with zipfile.ZipFile(buf, "a") as zf:
        info = zipfile.ZipInfo(f"{TOP}/evil")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _crc_broken() -> bytes:
    data = bytearray(_small_package({f"{TOP}/model/vocab.txt": b"A" * 4000}))
    i = data.index(b"A" * 4000)
    data[i + 100] = ord("B")  # stored member: same size, wrong CRC
    return bytes(data)


BAD_CASES = {
    "not_a_zip": (lambda: b"this is not a zip file at all" * 10, "not a valid zip"),
    "truncated": (lambda: _small_package()[:-60], "not a valid zip"),
    "crc_error": (_crc_broken, "CRC"),
    "no_sentencepiece": (lambda: _small_package(drop=["sentencepiece.model"]), "sentencepiece.model"),
    "no_model_bin": (lambda: _small_package(drop=["model/model.bin"]), "model/model.bin"),
    "no_metadata": (lambda: _small_package(drop=["metadata.json"]), "metadata.json"),
    "bad_metadata": (lambda: _small_package({f"{TOP}/metadata.json": b"{not json"}), "metadata.json"),
    "wrong_languages": (lambda: _small_package(meta={**META, "from_code": "en", "to_code": "fr"}), "not French"),
    "dotdot_member": (lambda: _small_package({f"{TOP}/../../escaped.txt": b"x"}), "outside"),
    "absolute_member": (lambda: _small_package({"/tmp/visavis-escaped.txt": b"x"}), "outside"),
    "symlink_member": (_with_symlink, "symbolic link"),
    "two_top_folders": (lambda: _small_package({"other/file.txt": b"x"}), "exactly one top folder"),
    "top_level_file": (lambda: _small_package({"stray.txt": b"x"}), "outside the package folder"),
    "zip_bomb": (lambda: _small_package({f"{TOP}/bomb.bin": b"\0" * (8 * 1024**2)},
                                        compress=zipfile.ZIP_DEFLATED), "compression ratio"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_archive_is_refused_and_nothing_changes(case, tmp_path, installed_synthetic_model, argos_dirs):
    make, fragment = BAD_CASES[case]
    bad = tmp_path / f"{case}.argosmodel"
    bad.write_bytes(make())
    before = _snapshot(argos_dirs)
    with pytest.raises(ModelError) as err:
        packages.install_from_file(bad)
    message = str(err.value)
    assert fragment in message
    assert "\n" not in message and message.endswith(".")
    assert _snapshot(argos_dirs) == before
    assert packages.model_status().version == installed_synthetic_model.version
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_missing_file_is_a_model_error(tmp_path, argos_dirs):
    with pytest.raises(ModelError, match="does not exist"):
        packages.install_from_file(tmp_path / "nope.argosmodel")


def test_status_when_nothing_installed(argos_dirs):
    status = packages.model_status()
    assert not status.installed and status.path is None and status.model_id is None


def test_install_status_and_remove(argos_dirs, synthetic_model_path):
    seen = []
    status = packages.install_from_file(synthetic_model_path, Progress(lambda d, t, m: seen.append((d, t))))
    assert status.installed and status.version == "1.9-synthetic"
    assert status.path.parent == argos_dirs and (status.path / "model" / "model.bin").is_file()
    assert status.size_bytes > 50_000_000
    assert status.model_id == "argos:fr-en:1.9-synthetic"
    assert seen and seen[-1][0] == seen[-1][1]
    # argostranslate itself sees it (the temp folders are gone)
    import argostranslate.package

    assert [p.package_version for p in argostranslate.package.get_installed_packages()] == ["1.9-synthetic"]
    assert [p.name for p in argos_dirs.iterdir()] == [status.path.name]
    assert packages.remove() is True
    assert not packages.model_status().installed
    assert list(argos_dirs.iterdir()) == []
    assert packages.remove() is False


def _repackage(src: Path, dest: Path, version: str, top: str) -> Path:
    """The synthetic package under another version and top folder name."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            name = top + info.filename[info.filename.index("/"):]
            data = zin.read(info)
            if name == f"{top}/metadata.json":
                meta = json.loads(data)
                meta["package_version"] = version
                data = json.dumps(meta).encode()
            zout.writestr(zipfile.ZipInfo(name, info.date_time), data)
    return dest


def test_new_version_replaces_old_cleanly(tmp_path, installed_synthetic_model, argos_dirs, synthetic_model_path):
    newer = _repackage(synthetic_model_path, tmp_path / "newer.argosmodel", "2.0-synthetic", "translate-fr_en-2_0")
    status = packages.install_from_file(newer)
    assert status.version == "2.0-synthetic"
    assert [p.name for p in argos_dirs.iterdir()] == ["translate-fr_en-2_0"]
    # reinstalling the same version over itself also works
    assert packages.install_from_file(newer).version == "2.0-synthetic"
    assert [p.name for p in argos_dirs.iterdir()] == ["translate-fr_en-2_0"]


def test_cancelled_install_leaves_old_model_and_no_debris(installed_synthetic_model, argos_dirs, tmp_path,
                                                         synthetic_model_path):
    newer = _repackage(synthetic_model_path, tmp_path / "newer.argosmodel", "2.0-synthetic", "translate-fr_en-2_0")
    before = _snapshot(argos_dirs)
    progress = Progress()
    progress._callback = lambda done, total, msg: progress.cancel() if done >= 3 else None
    with pytest.raises(Cancelled):
        packages.install_from_file(newer, progress)
    assert _snapshot(argos_dirs) == before
    assert packages.model_status().version == "1.9-synthetic"


# -- download -----------------------------------------------------------------------------------------


def test_download_with_progress(package_server, argos_dirs, synthetic_model_path, synthetic_model_sha256):
    package_server()
    seen: list[tuple[int, int, str]] = []
    status = packages.download_and_install(Progress(lambda d, t, m: seen.append((d, t, m))),
                                           expected_sha256=synthetic_model_sha256)
    assert status.installed and status.version == "1.9-synthetic"
    size = synthetic_model_path.stat().st_size
    download = [(d, t) for d, t, m in seen if m.startswith("Downloading") or t == size]
    done = [d for d, t in download if t == size]
    assert done == sorted(done) and done[-1] == size and len(done) > 10
    assert [p.name for p in argos_dirs.iterdir()] == [status.path.name]


def test_index_checksum_is_used(package_server, argos_dirs, synthetic_model_sha256):
    package_server({"sha256": synthetic_model_sha256})
    assert packages.download_and_install().installed


def test_sha256_mismatch_is_refused(package_server, argos_dirs):
    package_server()
    with pytest.raises(ModelError, match="checksum"):
        packages.download_and_install(expected_sha256="0" * 64)
    assert list(argos_dirs.iterdir()) == []


def test_index_sha256_mismatch_is_refused(package_server, argos_dirs):
    package_server({"sha256": "ab" * 32})
    with pytest.raises(ModelError, match="checksum"):
        packages.download_and_install()
    assert list(argos_dirs.iterdir()) == []


def test_version_1_9_must_be_the_real_file(package_server, argos_dirs):
    package_server({"package_version": "1.9"})  # the synthetic bytes claiming to be the real 1.9
    with pytest.raises(ModelError, match="wrong size"):
        packages.download_and_install()
    assert list(argos_dirs.iterdir()) == []


def test_cancelled_download_leaves_nothing(package_server, argos_dirs):
    package_server()
    progress = Progress()
    progress._callback = lambda done, total, msg: progress.cancel() if done > 2_000_000 else None
    with pytest.raises(Cancelled):
        packages.download_and_install(progress)
    assert list(argos_dirs.iterdir()) == []


def test_corrupt_download_is_refused(package_server, argos_dirs):
    package_server(body=b"<html>503 Service Unavailable</html>")
    with pytest.raises(ModelError, match="not a valid zip"):
        packages.download_and_install()
    assert list(argos_dirs.iterdir()) == []


def test_no_network_is_a_clear_error(argos_dirs, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    with pytest.raises(ModelError, match=r"^Could not reach the Argos package index: .*\.$"):
        packages.download_and_install()
    assert list(argos_dirs.iterdir()) == []


def test_index_without_fr_en(package_server, argos_dirs):
    package_server({"from_code": "de"})
    with pytest.raises(ModelError, match="no French→English model"):
        packages.download_and_install()
