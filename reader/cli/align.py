"""``visavis align ID... | --all``: compute the word alignments the articles lack (their machine
translations by the installed model, their hand edits, alignments of an older method), with progress."""

from __future__ import annotations

import argparse
import sys
import threading

from reader.cli.common import EXIT_CANCELLED, ProgressBar, article_id, article_ids, open_store
from reader.core.progress import Cancelled, Progress


def add_commands(sub) -> None:
    p = sub.add_parser("align", help="compute missing word alignments (French word ↔ English words) offline")
    p.add_argument("ids", nargs="*", type=article_id, metavar="ID")
    p.add_argument("--all", action="store_true", help="every article in the library")
    p.set_defaults(func=cmd_align)


def cmd_align(args: argparse.Namespace) -> int:
    from reader.translation.argos_engine import load_default_engine

    store = open_store(args)
    ids = article_ids(store, args)
    engine = load_default_engine()
    for article_id_ in ids:
        untranslated = len(store.untranslated_sentences(article_id_, engine.model_id))
        bar = ProgressBar(f"#{article_id_} {store.get_article(article_id_).title[:40]}")
        progress = Progress(bar)
        outcome: dict[str, object] = {}
        finished = threading.Event()
        thread = threading.Thread(target=_work, args=(store.path, engine, article_id_, progress, outcome, finished),
                                  name="align", daemon=True)
        thread.start()
        try:
            while not finished.wait(0.1):
                pass
        except KeyboardInterrupt:  # let the batch in flight finish (see cli.translate)
            progress.cancel()
            while not finished.wait(0.1):
                pass
            bar.close()
            print("visavis: cancelled; the alignments computed so far were kept", file=sys.stderr)
            return EXIT_CANCELLED
        thread.join()
        bar.close()
        error = outcome.get("error")
        if isinstance(error, Cancelled):
            return EXIT_CANCELLED
        if isinstance(error, BaseException):
            raise error
        note = f"; {untranslated} sentences not translated yet (visavis translate {article_id_})" if untranslated else ""
        print(f"#{article_id_}: {outcome.get('count', 0)} sentences aligned{note}", file=sys.stderr)
    return 0


def _work(path, engine, article_id: int, progress: Progress, outcome: dict, finished: threading.Event) -> None:
    from reader.ops.translate import align_article
    from reader.storage.store import Store

    worker_store = None
    try:
        worker_store = Store(path)
        outcome["count"] = align_article(worker_store, engine, article_id, progress)
    except BaseException as exc:  # re-raised in the main thread
        outcome["error"] = exc
    finally:
        try:
            if worker_store is not None:
                worker_store.close()
        finally:
            finished.set()
