"""Starting the window: a missing X11 system library gives one clear line instead of a Qt abort."""

from __future__ import annotations

import ctypes

from reader.gui import app


def test_a_missing_xcb_library_is_named_with_the_fix(monkeypatch, capsys):
    monkeypatch.setattr(app.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)

    def cdll(path):
        raise OSError(f"{path}: libxcb-icccm.so.4: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(ctypes, "CDLL", cdll)
    assert app.missing_display_library() == "libxcb-icccm.so.4"
    assert app.run() == app.EXIT_DISPLAY
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "libxcb-icccm.so.4" in err[0] and "apt install" in err[0]


def test_no_check_offscreen_or_without_a_display(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.missing_display_library() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("DISPLAY", raising=False)
    assert app.missing_display_library() is None
