"""``visavis translate ID... | --all``: offline translation through the cache, Ctrl-C keeps what is done."""

from __future__ import annotations

import argparse
import sys
import threading

from reader.cli.common import EXIT_CANCELLED, ProgressBar, article_id, article_ids, open_store
from reader.core.progress import Cancelled, Progress


def add_commands(sub) -> None:
    p = sub.add_parser("translate", help="translate articles offline (Ctrl-C cancels, keeping what is done)")
    p.add_argument("ids", nargs="*", type=article_id, metavar="ID")
    p.add_argument("--all", action="store_true", help="every article in the library")
    p.add_argument("--no-glossary", action="store_true",
                   help="do not enforce the glossary's renderings in the English (the machine output is kept "
                        "apart either way)")
    p.set_defaults(func=cmd_translate)


def cmd_translate(args: argparse.Namespace) -> int:
    from reader.translation.argos_engine import load_default_engine

    store = open_store(args)
    ids = article_ids(store, args)
    engine = load_default_engine()
    for article_id_ in ids:
        article = store.get_article(article_id_)
        bar = ProgressBar(f"#{article_id_} {article.title[:40]}")
        progress = Progress(bar)
        outcome: dict[str, object] = {}
        finished = threading.Event()
        thread = threading.Thread(
            target=_work, args=(store.path, engine, article_id_, progress, outcome, finished,
                                not args.no_glossary),
            name="translate", daemon=True,
        )
        thread.start()
        try:
            while not finished.wait(0.1):
                pass
        except KeyboardInterrupt:
            # Let the batch in flight finish and be cached. (Not thread.join(): on CPython 3.11 a join
            # interrupted by Ctrl-C can later return while the thread still runs, and the process then
            # exits under a translator still working, which crashes.)
            progress.cancel()
            while not finished.wait(0.1):
                pass
            bar.close()
            kept = store.translation_coverage(article_id_).get(engine.model_id, 0)
            print(f"visavis: cancelled; {kept} translated sentences of #{article_id_} were kept", file=sys.stderr)
            return EXIT_CANCELLED
        thread.join()
        bar.close()
        error = outcome.get("error")
        if isinstance(error, Cancelled):
            return EXIT_CANCELLED
        if isinstance(error, BaseException):
            raise error
        enforced = outcome.get("enforced")
        extra = f", glossary enforced in {enforced}" if enforced else ""
        print(f"#{article_id_}: {outcome.get('count', 0)} sentences translated{extra}", file=sys.stderr)
    return 0


def _work(path, engine, article_id: int, progress: Progress, outcome: dict, finished: threading.Event,
          glossary: bool = True) -> None:
    """The job, in a worker thread with its own connection, so that Ctrl-C (delivered to the main
    thread) can cancel it between batches and the cache keeps what was finished. Whatever happens,
    even the connection failing to open, ends in ``finished`` being set, the error in ``outcome``."""
    from reader.ops.annotate import after_translation
    from reader.ops.translate import translate_article
    from reader.storage.store import Store

    worker_store = None
    try:
        worker_store = Store(path)
        outcome["count"] = translate_article(worker_store, engine, article_id, progress).count
        # Annotations on the English side follow the new text (moved or orphaned, never lost).
        after_translation(worker_store, article_id, engine.model_id)
        if glossary:
            from reader.ops.enforce import enforce_article

            outcome["enforced"] = enforce_article(worker_store, engine, article_id, progress).count
    except BaseException as exc:  # re-raised in the main thread
        outcome["error"] = exc
    finally:
        try:
            if worker_store is not None:
                worker_store.close()
        finally:
            finished.set()

