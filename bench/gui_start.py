"""GUI start-up timings, offscreen.

    python bench/gui_start.py [--runs 5]

prints
    cold_start_ms: N          fresh process → window shown with the library populated (existing library)
    first_run_ms: N           the same on an empty library (imports the sample articles first)
    open_cached_article_ms: N opening a seed article whose translation is all cached (model known)

Each start is a new Python process (``--child``); the parent times from just before spawning it to the
moment the child reports its window shown and its library filled. The engine is the deterministic fake of
the tests (no model files); the timings are about the GUI, the store and the imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from user_dirs import user_dirs  # noqa: E402


def _env(workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a benchmarked window process: offscreen, every per-user folder (settings, data,
    cache, log, Argos packages) inside *workdir*, the package index unreachable (no network); *extra*
    added (``bench/gui_quit.py`` reuses this with the decoding length it pins)."""
    env = dict(os.environ)
    env.update(
        user_dirs(workdir),
        QT_QPA_PLATFORM="offscreen",
        QT_LOGGING_RULES="qt.qpa.*=false",
        VISAVIS_NO_ERROR_DIALOG="1",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")]),
    )
    env.update(extra)
    return env


def child(db: str, mode: str) -> int:
    """Runs in the fresh process: start the window, report, quit."""
    from PySide6.QtCore import QTimer

    from fakes import FakeEngine
    from reader.gui.app import make_app
    from reader.gui.main_window import MainWindow
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    app = make_app()
    store = Store(db)
    ensure_samples(store)
    engine = FakeEngine()
    window = MainWindow(store, db, engine_factory=lambda: engine)
    window.show()

    def shown() -> None:
        assert window.isVisible() and window.library.model.rowCount() > 0
        print(f"shown {time.time():.6f}", flush=True)
        if mode == "start":
            app.quit()
            return
        ids = [a.id for a in store.list_articles()]
        # Open one article first so the engine is loaded and its model id known (as after start-up with
        # an installed model), then time opening another, fully cached one.
        window.open_article(ids[1])
        while not (window.is_fully_translated() and not window.jobs.running()):
            app.processEvents()
            time.sleep(0.001)
        t0 = time.perf_counter()
        window.open_article(ids[0])
        app.processEvents()
        elapsed = (time.perf_counter() - t0) * 1000
        assert window.translation_job is None and window.is_fully_translated()
        print(f"open {elapsed:.3f}", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()
    window.shutdown()
    store.close()
    return 0


def _spawn(workdir: Path, db: Path, mode: str) -> dict[str, float]:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(db), mode],
        env=_env(workdir), capture_output=True, text=True, timeout=120,
    )
    if out.returncode != 0:
        raise SystemExit(f"child failed ({out.returncode}):\n{out.stderr}")
    result: dict[str, float] = {}
    for line in out.stdout.splitlines():
        key, _, value = line.partition(" ")
        if key == "shown":
            result["start_ms"] = (float(value) - t0) * 1000
        elif key == "open":
            result["open_ms"] = float(value)
    return result


def _prepare_cached(workdir: Path, db: Path) -> None:
    """A library with the samples, the first listed article translated by the fake engine."""
    code = (
        "import sys; from fakes import FakeEngine; from reader.storage.store import Store;"
        "from reader.ops.library import ensure_samples; from reader.ops.translate import translate_article;"
        f"s = Store({str(db)!r}); ensure_samples(s);"
        "translate_article(s, FakeEngine(), s.list_articles()[0].id); s.close()"
    )
    subprocess.run([sys.executable, "-c", code], env=_env(workdir), check=True, timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("DB", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    with tempfile.TemporaryDirectory(prefix="visavis-bench-") as tmp:
        workdir = Path(tmp)
        first_runs, starts, opens = [], [], []
        for i in range(args.runs):
            db = workdir / f"first-{i}.db"
            first_runs.append(_spawn(workdir, db, "start")["start_ms"])
        db = workdir / "library.db"
        _prepare_cached(workdir, db)
        _spawn(workdir, db, "start")  # warm the OS file cache once
        for _ in range(args.runs):
            starts.append(_spawn(workdir, db, "start")["start_ms"])
        for _ in range(args.runs):
            opens.append(_spawn(workdir, db, "open")["open_ms"])
    print(f"cold_start_ms: {statistics.median(starts):.0f}")
    print(f"first_run_ms: {statistics.median(first_runs):.0f}")
    print(f"open_cached_article_ms: {statistics.median(opens):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
