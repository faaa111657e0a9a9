"""Quitting the window while a translation runs (#14.3), offscreen, on the synthetic model of the real shape.

    python bench/gui_quit.py [--runs 3] [--pin 24]

prints
    quit_during_translation_ms: N   window.close() during a running CTranslate2 batch → close returned
    quit_to_exit_ms: N              the same moment → the process has exited (threads joined)

Each run is a fresh process: a library with the samples, the synthetic model installed in a temporary
Argos folder (``$VISAVIS_TEST_CACHE`` or ~/.cache/visavis-tests holds the built package), the longest
sample opened; once the job has delivered its first sentences (a batch of the rest is then decoding),
the window is closed. ``--pin`` caps the English tokens per sentence (random weights never end one).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _model() -> Path:
    return _bench_module("make_test_model").cached_test_model()


def _env(workdir: Path, pin: int) -> dict[str, str]:
    """``bench/gui_start.py``'s window environment, with the decoding length pinned."""
    return _bench_module("gui_start")._env(workdir, VISAVIS_MAX_DECODING_LENGTH=str(pin))


def child(db: str, model: str) -> int:
    from PySide6.QtCore import QTimer

    from reader.gui.app import _exit_now_if_a_batch_runs, make_app
    from reader.gui.main_window import MainWindow
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store
    from reader.translation import packages

    packages.install_from_file(Path(model))
    app = make_app()
    store = Store(db)
    ensure_samples(store)
    window = MainWindow(store, db)
    window.show()

    def start() -> None:
        longest = max(store.list_articles(), key=lambda a: a.n_sentences)
        window.open_article(longest.id)
        QTimer.singleShot(10, wait_for_batch)

    def wait_for_batch() -> None:
        if window.articles.n_filled < 3:  # the first sentences are in: the next batch is decoding
            QTimer.singleShot(10, wait_for_batch)
            return
        t0 = time.perf_counter()
        print(f"closing {time.time():.6f}", flush=True)
        window.close()
        print(f"closed {(time.perf_counter() - t0) * 1000:.3f}", flush=True)
        app.quit()

    QTimer.singleShot(0, start)
    code = app.exec()
    window.shutdown()  # what reader.gui.app.run does after the window is gone
    store.close()
    _exit_now_if_a_batch_runs(code)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pin", type=int, default=24)
    parser.add_argument("--child", nargs=2, metavar=("DB", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    model = _model()
    closes, exits = [], []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="visavis-bench-") as tmp:
            workdir = Path(tmp)
            proc = subprocess.Popen(
                [sys.executable, __file__, "--child", str(workdir / "lib.db"), str(model)],
                env=_env(workdir, args.pin), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            closing = None
            for line in proc.stdout:
                key, _, value = line.strip().partition(" ")
                if key == "closing":
                    closing = float(value)
                elif key == "closed":
                    closes.append(float(value))
            proc.wait(timeout=300)
            ended = time.time()
            if proc.returncode != 0 or closing is None:
                raise SystemExit(f"child failed ({proc.returncode}):\n{proc.stderr.read()}")
            exits.append((ended - closing) * 1000)
    print(f"quit_during_translation_ms: {statistics.median(closes):.0f}")
    print(f"quit_to_exit_ms: {statistics.median(exits):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
