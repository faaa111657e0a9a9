"""bench/make_test_model.py's package writing: a temp file of its own, renamed atomically (issue #13 §4)."""

from __future__ import annotations

import zipfile

import pytest
from model_fixtures import load_builder


def _tree(tmp_path):
    top = tmp_path / "src" / "pkg"
    (top / "model").mkdir(parents=True)
    (top / "model" / "model.bin").write_bytes(b"\0" * 100)
    (top / "metadata.json").write_text("{}", encoding="utf-8")
    return top


def test_a_failed_build_leaves_nothing_under_the_cache_name(tmp_path, monkeypatch):
    builder = load_builder()
    top, out = _tree(tmp_path), tmp_path / "cache" / "m.argosmodel"
    out.parent.mkdir()
    real = zipfile.ZipFile.writestr
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing)
    with pytest.raises(OSError):
        builder._zip_dir(top, out)
    assert list(out.parent.iterdir()) == []  # neither the package nor a temp file


def test_two_builds_of_the_same_cache_at_once_do_not_share_a_temp_file(tmp_path, monkeypatch):
    builder = load_builder()
    top, out = _tree(tmp_path), tmp_path / "cache" / "m.argosmodel"
    out.parent.mkdir()
    real = zipfile.ZipFile.writestr
    nested = []

    def racing(self, *args, **kwargs):
        if not nested:  # a second run starts building the same cache while the first one is writing
            nested.append(1)
            builder._zip_dir(top, out)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", racing)
    builder._zip_dir(top, out)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None and "pkg/metadata.json" in zf.namelist()
    assert [p.name for p in out.parent.iterdir()] == [out.name]
