"""Realistic GUI paths through ``MainWindow`` and a real ``Store``, offscreen.

    python bench/gui_book.py [--runs 3] [--sentences 10000] [--annotations 500] [--glossary 200] [--aligned]

A temporary library is prepared once: the five seed articles, a ~300-page book (the seeds' paragraphs
repeated to ``--sentences`` sentences), every sentence's translation cached for the fake engine's model
id, ``--glossary`` glossary entries made of words of the seeds, and ``--annotations`` annotations (both
sides, several colours, some with notes and tags) on the longest seed article. ``--aligned``: every
sentence's word alignment stored too (a diagonal), as after translating with the Argos model.

Each measurement runs in a fresh process (``--child``): the window starts, opens a small seed article so
the engine is loaded and its model id known (as after start-up with an installed model), waits for every
job to finish, then times ``MainWindow.open_article`` of the target until the view has painted once
(``get_article`` + ``article_translations`` + ``set_article`` + decorations + panels). No translation
job may start (everything is cached).

Prints ``name: value`` lines (medians over ``--runs`` processes):

- ``book_open_from_store_ms``: open the book;
- ``book_scroll_ms_per_step``: then scroll its vertical scroll bar by a third of a page 200 times,
  each step painted;
- ``book_peak_rss_mb``: peak resident memory of that process (ru_maxrss);
- ``article_500_annotations_open_ms``: open the annotated seed article (highlights, tints, glossary
  marks, the annotations panel).

- ``book_alignments_ready_ms`` (with ``--aligned``): from the start of the book's open until its stored
  alignments, read in a worker, have reached the view (the open itself does not wait for them).

Targets: the book opens in under 1 s, under 800 MB; the annotated article in under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from user_dirs import user_dirs  # noqa: E402

SCROLL_STEPS = 200
BOOK_TITLE = "Un livre de trois cents pages"


def _env(workdir: Path, tag: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        user_dirs(workdir),
        QT_QPA_PLATFORM="offscreen",
        QT_LOGGING_RULES="qt.qpa.*=false",
        VISAVIS_CONFIG_DIR=str(workdir / f"config-{tag}"),  # fresh settings: no « last article » reopened
        XDG_CONFIG_HOME=str(workdir / f"xdg-config-{tag}"),
        VISAVIS_NO_ERROR_DIALOG="1",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")]),
    )
    return env


# =================================================================================================
# preparing the library (once, in the parent's helper process)
# =================================================================================================
def _seed_paragraphs():
    from reader.core.markup import parse_article

    pool = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        pool += [p for p in parse_article(path.read_text(encoding="utf-8")).paragraphs if p.sentences]
    return pool


def build_book(sentences: int):
    from reader.core.model import Article, Paragraph

    pool = _seed_paragraphs()
    paras = []
    total = 0
    while total < sentences:
        src = pool[len(paras) % len(pool)]
        paras.append(Paragraph(src.text, src.kind, src.speaker, list(src.spans), list(src.sentences)))
        total += len(src.sentences)
    return Article(BOOK_TITLE, paras, author="Bench", source="seeds"), total


def _glossary_entries(n: int, rng: random.Random):
    from reader.core.glossary import GlossaryEntry, normalise_term

    words: list[str] = []
    for p in _seed_paragraphs():
        words += re.findall(r"[^\W\d_]{4,}", p.text)
    singles = list(dict.fromkeys(w.lower() for w in words))
    pairs = list(dict.fromkeys(f"{a.lower()} {b.lower()}" for a, b in zip(words, words[1:])))
    rng.shuffle(singles)
    rng.shuffle(pairs)
    candidates = singles[: int(n * 0.85) + 50] + pairs[: n // 5 + 50]
    rng.shuffle(candidates)
    out, keys = [], set()
    tags = ["politique", "diplomatie", "verbe", "expression", "nom"]
    for term in candidates:
        try:
            key = normalise_term(term)
        except Exception:  # noqa: BLE001 (a term without a word)
            continue
        if not key or key in keys:
            continue
        keys.add(key)
        i = len(out)
        out.append(GlossaryEntry(
            term=term, translation=f"en-{term}", note="une note" if i % 7 == 0 else "",
            tags=[tags[i % len(tags)]] if i % 3 == 0 else [],
        ))
        if len(out) >= n:
            break
    return out


def _annotations(store, article_id: int, model_id: str, n: int, rng: random.Random):
    from reader.core.annotations import PALETTE, make_annotation
    from reader.core.sides import english_side, french_side

    article = store.get_article(article_id)
    rows = [[t.text for t in row] for row in store.article_translations(article_id, model_id)]
    sides = {"fr": french_side(article), "en": english_side(article, rows)}
    colors = list(PALETTE)
    tags = ["à revoir", "vocabulaire", "grammaire", "citation", "important", "idiome"]
    out = []
    while len(out) < n:
        side = "fr" if len(out) % 2 == 0 else "en"
        st = sides[side]
        p = rng.randrange(st.paragraph_count)
        if not st.sentences[p]:
            continue
        s = rng.randrange(len(st.sentences[p]))
        a, b = st.sentence_range(p, s)
        if b - a < 2:
            continue
        start = rng.randrange(a, b - 1)
        end = rng.randrange(start + 1, min(b, start + 80) + 1)
        if rng.random() < 0.1:  # now and then across the next sentence(s)
            end = min(len(st.text), end + rng.randrange(20, 200))
        if not st.text[start:end].strip():
            continue
        i = len(out)
        out.append(make_annotation(
            st, article_id, side, start, end,
            note=(f"Note {i}: à propos de ce passage.\nDeuxième ligne." if i % 4 == 0 else ""),
            color=colors[i % len(colors)],
            tags=rng.sample(tags, k=i % 3) if i % 2 == 0 else (),
        ))
    return out


def _diagonal(fr: str, en: str):
    from reader.core.wordalign import ScoredAlignment, pack_scores, words

    fw, ew = words(fr, "fr"), words(en, "en")
    if not fw or not ew:
        return None
    scores = [[1.0 if f == min(e, len(fw) - 1) else 0.0 for f in range(len(fw))] for e in range(len(ew))]
    return ScoredAlignment(fw, ew, pack_scores(scores))


def prepare(db: str, sentences: int, n_annotations: int, n_glossary: int, aligned: bool = False) -> int:
    from fakes import FakeEngine
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    rng = random.Random(20240601)
    model_id = FakeEngine.model_id
    store = Store(db)
    ensure_samples(store)
    book, total = build_book(sentences)
    book_id = store.add_article(book)
    for summary in store.list_articles():
        texts = [t for _p, _s, t in store.article_sentences(summary.id)]
        store.store_translations(model_id, {t: f"EN: {t}" for t in texts})
        if aligned:
            pairs = {(t, f"EN: {t}"): None for t in texts}
            store.store_alignments(model_id, [(t, e, a) for t, e in pairs if (a := _diagonal(t, e)) is not None])
    store.save_glossary_entries(add=_glossary_entries(n_glossary, rng))
    seeds = [a for a in store.list_articles() if a.id != book_id]
    longest = max(seeds, key=lambda a: sum(len(t) for _p, _s, t in store.article_sentences(a.id)))
    store.add_annotations(_annotations(store, longest.id, model_id, n_annotations, rng))
    print(f"book {book_id} {total} {len(book.paragraphs)}")
    print(f"annotated {longest.id}")
    print(f"glossary {store.glossary_count()}")
    store.close()
    return 0


# =================================================================================================
# one measurement (in a fresh process)
# =================================================================================================
def child(db: str, target: int, mode: str, profile: str | None) -> int:
    import resource

    from PySide6.QtCore import QEvent, QObject, QTimer

    from fakes import FakeEngine
    from reader.gui.app import make_app
    from reader.gui.main_window import MainWindow
    from reader.storage.store import Store

    app = make_app()
    store = Store(db)
    engine = FakeEngine()
    window = MainWindow(store, db, engine_factory=lambda: engine)
    window.show()

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                PaintCounter.count += 1
            return False

    counter = PaintCounter()
    window.view.viewport().installEventFilter(counter)

    def idle() -> None:
        while window.jobs.running():
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()

    def run() -> None:
        ids = [a.id for a in store.list_articles()]
        warm = min((i for i in ids if i != target), key=lambda i: len(store.article_sentences(i)))
        window.open_article(warm)  # loads the engine: its model id is then known
        while not (window.is_fully_translated() and not window.jobs.running()):
            app.processEvents()
            time.sleep(0.001)
        assert window.model_id == FakeEngine.model_id, window.model_id
        idle()

        prof = None
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        alignments = getattr(window, "alignments", None)  # (absent before the window read alignments)
        landed: list[float] = []
        if alignments is not None:
            alignments.alignmentsChanged.connect(lambda: landed.append(time.perf_counter()))
        before = PaintCounter.count
        t0 = time.perf_counter()
        window.open_article(target)
        window.view.repaint()
        app.processEvents()
        elapsed = (time.perf_counter() - t0) * 1000
        if prof is not None:
            prof.disable()
            prof.dump_stats(profile)
        assert PaintCounter.count > before, "the view did not paint"
        assert window.article_id == target and window.translation_job is None, "a translation job started"
        assert window.is_fully_translated(), "not everything was cached"
        print(f"open {elapsed:.3f}", flush=True)
        if alignments is not None and (landed or alignments.loading()):
            while not landed:
                app.processEvents()
                time.sleep(0.001)
            print(f"aligned {(landed[0] - t0) * 1000:.3f} {len(alignments.stored)}", flush=True)
        print(f"decorations {len(window.view.decorations())}")
        print(f"panel_items {window.annotations_panel.list.count()}", flush=True)

        if mode == "book":
            sb = window.view.verticalScrollBar()
            steps = 0
            t0 = time.perf_counter()
            for _ in range(SCROLL_STEPS):
                if sb.value() >= sb.maximum():
                    break
                sb.setValue(sb.value() + max(1, sb.pageStep() // 3))
                window.view.repaint()
                steps += 1
            scroll_s = time.perf_counter() - t0
            app.processEvents()
            print(f"scroll {scroll_s * 1000 / max(1, steps):.3f} {steps}", flush=True)
            print(f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)
        app.quit()

    QTimer.singleShot(0, run)
    app.exec()
    window.shutdown()
    store.close()
    return 0


def _spawn(workdir: Path, tag: str, args: list[str]) -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, __file__, *args], env=_env(workdir, tag), capture_output=True, text=True, timeout=600,
    )
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    result: dict[str, list[str]] = {}
    for line in out.stdout.splitlines():
        key, *values = line.split()
        result[key] = values
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=500)
    parser.add_argument("--glossary", type=int, default=200)
    parser.add_argument("--aligned", action="store_true", help="store every sentence's word alignment too")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of each timed open there")
    parser.add_argument("--keep", metavar="DIR", help="prepare the library in DIR and keep it")
    parser.add_argument("--prepare", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, metavar=("DB", "ID", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        sys.path.insert(0, str(ROOT))
        return prepare(args.prepare, args.sentences, args.annotations, args.glossary, args.aligned)
    if args.child:
        db, target, mode = args.child
        return child(db, int(target), mode, args.child_profile)

    tmp = None
    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="visavis-book-")
        workdir = Path(tmp.name)
    try:
        db = workdir / "library.db"
        if db.exists():
            db.unlink()
        info = _spawn(workdir, "prepare", [
            "--prepare", str(db), "--sentences", str(args.sentences),
            "--annotations", str(args.annotations), "--glossary", str(args.glossary),
            *(["--aligned"] if args.aligned else []),
        ])
        book_id, total, paragraphs = (int(v) for v in info["book"])
        annotated_id = int(info["annotated"][0])
        book_open, scroll, rss, annot_open, aligned_ready = [], [], [], [], []
        for i in range(args.runs):
            extra = ["--child-profile", str(Path(args.profile) / f"book-{i}.prof")] if args.profile else []
            r = _spawn(workdir, f"book-{i}", ["--child", str(db), str(book_id), "book", *extra])
            book_open.append(float(r["open"][0]))
            scroll.append(float(r["scroll"][0]))
            rss.append(float(r["rss"][0]))
            if "aligned" in r:
                aligned_ready.append(float(r["aligned"][0]))
                aligned_pairs = int(r["aligned"][1])
            extra = ["--child-profile", str(Path(args.profile) / f"annot-{i}.prof")] if args.profile else []
            r = _spawn(workdir, f"annot-{i}", ["--child", str(db), str(annotated_id), "article", *extra])
            annot_open.append(float(r["open"][0]))
            annot_items = int(r["panel_items"][0])
            annot_decos = int(r["decorations"][0])
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"book_sentences: {total}")
    print(f"book_paragraphs: {paragraphs}")
    print(f"glossary_entries: {int(info['glossary'][0])}")
    print(f"annotations_in_panel: {annot_items}")
    print(f"article_decorations: {annot_decos}")
    print(f"book_open_from_store_ms: {statistics.median(book_open):.0f}")
    print(f"book_scroll_ms_per_step: {statistics.median(scroll):.2f}")
    print(f"book_peak_rss_mb: {max(rss):.0f}")
    print(f"article_500_annotations_open_ms: {statistics.median(annot_open):.1f}")
    if aligned_ready:
        print(f"book_alignments_stored: {aligned_pairs}")
        print(f"book_alignments_ready_ms: {statistics.median(aligned_ready):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
