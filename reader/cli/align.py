"""``visavis align ID... | --all``: compute the word alignments the articles lack (their machine
translations by the installed model, their hand edits, alignments of an older method), with progress."""

from __future__ import annotations

import argparse
import sys

from reader.cli.common import EXIT_CANCELLED, ProgressBar, article_id, article_ids, open_store
from reader.cli.worker import run_cancellable
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
        bar = ProgressBar(f"#{article_id_} {store.article_title(article_id_)[:40]}")
        progress = Progress(bar)
        try:
            try:
                count = run_cancellable(store.path, lambda own: _align(own, engine, article_id_, progress),
                                        progress, name="align")
            finally:
                bar.close()
        except KeyboardInterrupt:
            print("visavis: cancelled; the alignments computed so far were kept", file=sys.stderr)
            return EXIT_CANCELLED
        except Cancelled:
            return EXIT_CANCELLED
        note = f"; {untranslated} sentences not translated yet (visavis translate {article_id_})" if untranslated else ""
        print(f"#{article_id_}: {count} sentences aligned{note}", file=sys.stderr)
    return 0


def _align(store, engine, article_id: int, progress: Progress) -> int:
    """The job, in the worker thread on its own connection (see :mod:`reader.cli.worker`)."""
    from reader.ops.translate import align_article

    return align_article(store, engine, article_id, progress)
