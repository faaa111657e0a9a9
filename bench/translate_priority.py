"""What is on screen translates first (#14): the real window, offscreen, on the synthetic model.

    python bench/translate_priority.py [--pin 24] [--rounds 2] [--jump-after 64] [--before-cap 90]

One process, one model load; every measurement opens a fresh ``MainWindow`` on a fresh library. Each is
run with the window's job as it is now (the rows on screen first, ``reader.core.priority``) and with the
order it had before (``--before`` here only: the job is given no rows, so it translates the first 6
sentences and hands the engine all the rest at once, length-sorted), interleaved, best of ``--rounds``:

- ``first_row_s``: open the longest sample article, untranslated; time until every sentence of the
  first row on screen shows English;
- ``sample_total_s``: the same job, until it has finished (translation, alignment);
- ``jump_rows_s``: a 10,000-sentence book whose sentences are all different (the seeds' paragraphs
  repeated, each copy numbered), untranslated; open it, and once ``--jump-after`` sentences are done jump
  to its middle (``scroll_to_paragraph``) half a batch's time after a batch ended (so into the middle of
  the batch then running, the average case); time until every sentence of the rows then on screen shows
  English. ``jump_wait_s``: the part of it spent waiting for the batch already running when the jump came
  (CTranslate2 cannot stop a beam search midway). The old order is stopped after ``--before-cap``
  seconds (then its figure is a lower bound, and ``jump_rows_before_capped: 1``);
- ``book_total_s``: the 10,000-sentence book of ``bench/gui_book.py`` (the seeds' paragraphs repeated:
  140 distinct sentences), untranslated, until its job has finished.

Random weights never end a sentence: every output is exactly ``--pin`` tokens (as in bench/translate.py).
The machine is shared: absolute times move with its load; the ratios are taken within one process.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
os.environ.setdefault("VISAVIS_NO_ERROR_DIALOG", "1")

WORK = Path(tempfile.mkdtemp(prefix="visavis-priority-"))
for var, sub in (("ARGOS_PACKAGES_DIR", "argos"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                 ("XDG_CONFIG_HOME", "config")):
    os.environ[var] = str(WORK / sub)


def distinct_book(sentences: int) -> str:
    """The seeds' paragraphs repeated until ``sentences``, every sentence of copy k numbered « n° k »."""
    from reader.core.markup import parse_article

    pool = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        pool += [p.sentence_texts() for p in parse_article(path.read_text(encoding="utf-8")).paragraphs if p.sentences]
    paras, total, k = [], 0, 0
    while total < sentences:
        src = pool[len(paras) % len(pool)]
        k = len(paras) // len(pool) + 1
        paras.append(" ".join(re.sub(r"([\s.!?…»”]*)$", f" n° {k}\\1", t, count=1) for t in src))
        total += len(src)
    return "Un livre de dix mille phrases\n\n" + "\n\n".join(paras) + "\n"


class Timed:
    """The engine with its translating calls logged (``translate_aligned``, and ``translate``, which
    the job uses for the rows on screen): (start, end, sentences)."""

    def __init__(self, engine):
        self.engine = engine
        self.calls: list[tuple[float, float, int]] = []
        for name in ("translate_aligned", "translate"):
            setattr(engine, name, self._timed(getattr(engine, name)))

    def _timed(self, inner):
        def timed(sentences, *args, **kwargs):
            t0 = time.perf_counter()
            try:
                return inner(sentences, *args, **kwargs)
            finally:
                self.calls.append((t0, time.perf_counter(), len(sentences)))

        return timed


def run(app, db: Path, article_id: int, engine, before: bool, *, jump_after: int | None = None,
        delay: float = 0.0, cap: float | None = None) -> dict:
    """Open the article in a fresh window; see the module doc for what is timed."""
    from reader.gui import win_article
    from reader.gui.main_window import MainWindow
    from reader.storage.store import Store

    original = win_article.translate_job
    if before:  # the old order: the job gets no rows on screen
        win_article.translate_job = lambda db_path, holder, aid, enforce=True, wanted=None: original(
            db_path, holder, aid, enforce, None)
    os.environ["VISAVIS_CONFIG_DIR"] = tempfile.mkdtemp(dir=WORK, prefix="config-")
    store = Store(db)
    window = MainWindow(store, db, engine_factory=lambda: engine.engine)
    out: dict = {}
    try:
        window.resize(1280, 800)
        window.show()
        deadline = time.perf_counter() + 5
        while not getattr(window, "_late_init_done", True) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.002)
        engine.calls.clear()

        def done(rows: tuple[int, int]) -> bool:
            return all(t is not None for p in range(rows[0], rows[1] + 1) for t in window.rows[p])

        t0 = time.perf_counter()
        window.open_article(article_id)
        app.processEvents()
        top = window.view.visible_paragraphs()
        assert window.translation_job is not None, "no translation job started"
        jumped_at, screen, ready_at = None, None, None
        while True:
            app.processEvents()
            now = time.perf_counter()
            if "first_row_s" not in out and done((top[0], top[0])):
                out["first_row_s"] = now - t0
            job = window.translation_job
            if jump_after is not None and ready_at is None and job is not None and job.done >= jump_after:
                ready_at = now  # a batch just ended: jump ``delay`` later, into the middle of the next one
            if ready_at is not None and jumped_at is None and now - ready_at >= delay:
                window.view.scroll_to_paragraph(len(window.rows) // 2)
                app.processEvents()
                jumped_at, screen = time.perf_counter(), window.view.visible_paragraphs()
            if jumped_at is not None and done(screen):
                out["jump_rows_s"] = now - jumped_at
                started = [s for s, _e, _n in engine.calls if s >= jumped_at]
                if started and not before:  # the batch running at the jump ends when the next one starts
                    out["jump_wait_s"] = min(started) - jumped_at
                break
            if jumped_at is not None and cap is not None and now - jumped_at > cap:
                out["jump_rows_s"], out["capped"] = cap, True
                break
            if not window.jobs.running():
                out["total_s"] = now - t0
                break
            time.sleep(0.002)
    finally:
        window.shutdown(600_000)
        from reader.translation.batches import batch_still_running

        while batch_still_running():  # a cancelled job's batch ends before the next measurement starts
            time.sleep(0.01)
        window.close()
        window.deleteLater()
        app.processEvents()
        store.close()
        win_article.translate_job = original
    return out


def fresh_library(kind: str, sentences: int) -> tuple[Path, int]:
    from reader.core.markup import parse_article
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    db = Path(tempfile.mkdtemp(dir=WORK, prefix=f"{kind}-")) / "library.db"
    store = Store(db)
    try:
        if kind == "sample":
            ensure_samples(store)
            target = max(store.list_articles(), key=lambda a: a.n_sentences).id
        elif kind == "distinct":
            target = store.add_article(parse_article(distinct_book(sentences)))
        else:
            import gui_book

            target = store.add_article(gui_book.build_book(sentences)[0])
    finally:
        store.close()
    return db, target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pin", type=int, default=24, help="decoding length pinned (tokens)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--jump-after", type=int, default=64, help="sentences done before the jump")
    ap.add_argument("--before-cap", type=float, default=90.0, help="seconds the old order may take after the jump")
    ap.add_argument("--skip-book-total", action="store_true")
    args = ap.parse_args()

    import translate as bench_translate

    from reader.gui.app import make_app
    from reader.translation import packages
    from reader.translation.argos_engine import load_default_engine

    try:
        packages.install_from_file(bench_translate.synthetic_model())
        engine = Timed(load_default_engine(max_decoding_length=args.pin, min_decoding_length=args.pin))
        engine.engine.load()
        seeds = [t for art in bench_translate.articles(None) for para in art for t in para]
        engine.engine.translate_aligned(seeds[:32])  # warm-up
        t0 = time.perf_counter()
        engine.engine.translate_aligned(seeds[32:64])
        half_batch = (time.perf_counter() - t0) / 2
        print(f"one batch of 32 sentences: {2 * half_batch:.2f} s", flush=True)
        app = make_app()
        best: dict[str, float] = {}

        def keep(name: str, value: float) -> None:
            best[name] = min(best.get(name, value), value)

        capped = False
        for r in range(args.rounds):
            for before in (True, False) if r % 2 == 0 else (False, True):
                tag = "_before" if before else ""
                db, target = fresh_library("sample", 0)
                res = run(app, db, target, engine, before)
                keep(f"first_row{tag}_s", res["first_row_s"])
                keep(f"sample_total{tag}_s", res["total_s"])
                print(f"round {r} {'before' if before else 'now   '}: sample {res}", flush=True)
                db, target = fresh_library("distinct", args.sentences)
                res = run(app, db, target, engine, before, jump_after=args.jump_after, delay=half_batch,
                          cap=args.before_cap)
                keep(f"jump_rows{tag}_s", res["jump_rows_s"])
                if "jump_wait_s" in res:
                    keep("jump_wait_s", res["jump_wait_s"])
                capped |= before and res.get("capped", False)
                print(f"round {r} {'before' if before else 'now   '}: jump {res}", flush=True)
                if not args.skip_book_total:
                    db, target = fresh_library("repeated", args.sentences)
                    res = run(app, db, target, engine, before)
                    keep(f"book_total{tag}_s", res["total_s"])
                    print(f"round {r} {'before' if before else 'now   '}: book {res}", flush=True)
        print(f"pinned length: {args.pin}; rounds: {args.rounds}; cores: {os.cpu_count()}")
        for name in sorted(best):
            print(f"{name}: {best[name]:.2f}")
        print(f"first_row_ratio: {best['first_row_s'] / best['first_row_before_s']:.2f}")
        print(f"jump_rows_ratio: {best['jump_rows_s'] / best['jump_rows_before_s']:.3f}")
        print(f"jump_rows_before_capped: {int(capped)}")
        print(f"sample_total_ratio: {best['sample_total_s'] / best['sample_total_before_s']:.3f}")
        if not args.skip_book_total:
            print(f"book_total_ratio: {best['book_total_s'] / best['book_total_before_s']:.3f}")
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
