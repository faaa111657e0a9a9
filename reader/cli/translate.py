"""``visavis translate ID... | --all``: offline translation through the cache, Ctrl-C keeps what is done."""

from __future__ import annotations

import argparse
import sys

from reader.cli.common import EXIT_CANCELLED, ProgressBar, article_id, article_ids, open_store
from reader.cli.worker import run_cancellable
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
        try:
            try:
                job = lambda own: _translate(own, engine, article_id_, progress, not args.no_glossary)  # noqa: E731
                count, enforced = run_cancellable(store.path, job, progress, name="translate")
            finally:
                bar.close()
        except KeyboardInterrupt:
            kept = store.translation_coverage(article_id_).get(engine.model_id, 0)
            print(f"visavis: cancelled; {kept} translated sentences of #{article_id_} were kept", file=sys.stderr)
            return EXIT_CANCELLED
        except Cancelled:
            return EXIT_CANCELLED
        extra = f", glossary enforced in {enforced}" if enforced else ""
        print(f"#{article_id_}: {count} sentences translated{extra}", file=sys.stderr)
    return 0


def _translate(store, engine, article_id: int, progress: Progress, glossary: bool = True) -> tuple[int, int]:
    """The job, in the worker thread on its own connection (see :mod:`reader.cli.worker`)."""
    from reader.ops.annotate import after_translation
    from reader.ops.translate import translate_article

    count = translate_article(store, engine, article_id, progress).count
    # Annotations on the English side follow the new text (moved or orphaned, never lost).
    after_translation(store, article_id, engine.model_id)
    enforced = 0
    if glossary:  # the user's renderings in the English, a layer apart from the machine output
        from reader.ops.enforce import enforce_article

        enforced = enforce_article(store, engine, article_id, progress).count
    return count, enforced
