"""The ``visavis`` command: no argument opens the GUI; subcommands do headless work.

Every failure the user can cause prints one clear line to stderr and exits non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from reader.core.errors import NotFoundError, ReaderError
from reader.core.progress import Cancelled, Progress

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


# --- output helpers -------------------------------------------------------------------------------


class ProgressBar:
    """A one-line progress bar on stderr: ``label [#####.....] 12/58 3.1/s ETA 0:14``."""

    def __init__(self, label: str, stream: TextIO | None = None, unit: str = "") -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.unit = unit
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = False
        self._tty = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        final = total and done >= total
        # On a terminal redraw at most 10 times a second; in a log, every 10 % and at the end.
        if self._tty:
            if not final and now - self._last < 0.1:
                return
        elif total and not final and (done * 10 // total) == (self._done_decile if self._shown else -1):
            return
        self._last = now
        self._shown = True
        self._done_decile = done * 10 // total if total else 0
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        width = 28
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "." * (width - filled)
        eta = ""
        if total and rate > 0 and done < total:
            secs = int((total - done) / rate)
            eta = f" ETA {secs // 60}:{secs % 60:02d}"
        counts = f"{_fmt(done, self.unit)}/{_fmt(total, self.unit)}" if total else _fmt(done, self.unit)
        line = f"{self.label} [{bar}] {counts} {_fmt(rate, self.unit)}/s{eta}"
        if self._tty:
            self.stream.write("\r" + line + "\x1b[K")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._shown and self._tty:
            self.stream.write("\n")
            self.stream.flush()


def _fmt(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value / 1e6:.1f} MB"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"visavis: error: {message}", file=sys.stderr)
    return code


# --- commands ----------------------------------------------------------------------------------


def _open_store(args: argparse.Namespace):
    from reader.library import ensure_samples
    from reader.storage.store import Store, default_db_path

    store = Store(Path(args.db) if args.db else default_db_path())
    ensure_samples(store)
    return store


def _cmd_gui(args: argparse.Namespace) -> int:
    from reader.gui.app import run

    return run(db_path=Path(args.db) if args.db else None)


def _cmd_import(args: argparse.Namespace) -> int:
    from reader.importers import import_file

    store = _open_store(args)
    failed = 0
    for name in args.paths:
        try:
            articles = import_file(Path(name))
        except ReaderError as exc:
            print(f"visavis: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        for article in articles if isinstance(articles, list) else [articles]:
            print(store.add_article(article))
    return EXIT_ERROR if failed else 0


def _model_id_for_listing() -> str | None:
    """The model id of the installed package, for the translated counts (no model load)."""
    from reader.translation.packages import model_status

    status = model_status()
    return status.model_id if status.installed else None


def _cmd_list(args: argparse.Namespace) -> int:
    store = _open_store(args)
    rows = store.list_articles(model_id=_model_id_for_listing(), query=args.search)
    if args.format == "json":
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'ID':>4}  {'SENT':>5}  {'TRANS':>5}  TITLE")
    for r in rows:
        print(f"{r.id:>4}  {r.n_sentences:>5}  {r.n_translated:>5}  {r.title}")
    return 0


def _article_ids(store, args: argparse.Namespace) -> list[int]:
    if args.all:
        return [r.id for r in store.list_articles()]
    if not args.ids:
        raise ReaderError("give article ids or --all")
    for article_id in args.ids:
        if not store.article_exists(article_id):
            raise NotFoundError(f"no article with id {article_id} (see 'visavis list')")
    return args.ids


def _cmd_translate(args: argparse.Namespace) -> int:
    from reader.jobs import translate_article
    from reader.translation.argos_engine import load_default_engine

    store = _open_store(args)
    ids = _article_ids(store, args)
    engine = load_default_engine()
    for article_id in ids:
        article = store.get_article(article_id)
        bar = ProgressBar(f"#{article_id} {article.title[:40]}")
        progress = Progress(bar)
        outcome: dict[str, object] = {}

        def work(article_id: int = article_id, progress: Progress = progress) -> None:
            # The job runs in a worker thread with its own connection, so that Ctrl-C (delivered to
            # the main thread) can cancel it between batches and the cache keeps what was finished.
            from reader.storage.store import Store

            worker_store = Store(store.path)
            try:
                outcome["count"] = translate_article(worker_store, engine, article_id, progress)
            except BaseException as exc:  # re-raised in the main thread
                outcome["error"] = exc
            finally:
                worker_store.close()

        thread = threading.Thread(target=work, name="translate", daemon=True)
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.1)
        except KeyboardInterrupt:
            progress.cancel()
            thread.join()
            bar.close()
            print(f"visavis: cancelled; {progress.done} translated sentences were kept", file=sys.stderr)
            return EXIT_CANCELLED
        bar.close()
        error = outcome.get("error")
        if isinstance(error, Cancelled):
            return EXIT_CANCELLED
        if isinstance(error, BaseException):
            raise error
        print(f"#{article_id}: {outcome.get('count', 0)} sentences translated", file=sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    store = _open_store(args)
    article = store.get_article(args.id)
    model_id = _model_id_for_listing()
    # Without a model, hand edits still show (no machine translation matches the empty model id).
    translations = store.article_translations(args.id, model_id or "")
    pairs = [
        {"paragraph": p, "sentence": s, "fr": sentence.text_in(para.text), "en": translations[p][s].text}
        for p, para in enumerate(article.paragraphs)
        for s, sentence in enumerate(para.sentences)
    ]
    if args.format == "json":
        doc = {
            "id": article.id,
            "title": article.title,
            "author": article.author,
            "published": article.published,
            "source": article.source,
            "model": model_id,
            "pairs": pairs,
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(article.title)
    meta = " · ".join(x for x in (article.author, article.published, article.source) if x)
    if meta:
        print(meta)
    last_p = -1
    for pair in pairs:
        if pair["paragraph"] != last_p:
            print()
            last_p = pair["paragraph"]
        print(f"FR  {pair['fr']}")
        print(f"EN  {pair['en'] if pair['en'] is not None else '(not translated)'}")
    return 0


def _cmd_model(args: argparse.Namespace) -> int:
    from reader.translation import packages

    if args.action == "status":
        status = packages.model_status()
        if status.installed:
            print(f"installed: Argos fr→en {status.version} at {status.path}")
        else:
            print("not installed: run 'visavis model install --download' or 'visavis model install FILE'")
        return 0
    if args.action == "remove":
        packages.remove()
        print("removed the French→English model")
        return 0
    # install
    if args.download == bool(args.path):
        return _fail("give either a .argosmodel file or --download", EXIT_USAGE)
    if args.download:
        bar = ProgressBar("downloading", unit="B")
        try:
            status = packages.download_and_install(progress=Progress(bar))
        except KeyboardInterrupt:
            bar.close()
            return _fail("download cancelled; nothing was installed", EXIT_CANCELLED)
        bar.close()
    else:
        status = packages.install_from_file(Path(args.path))
    print(f"installed: Argos fr→en {status.version} at {status.path}")
    return 0


# --- argument parsing ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="visavis",
        description="Read French articles beside their offline English translation. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--db", metavar="PATH", help="the database file (default: $VISAVIS_DB or the user data folder)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("import", help="import .txt/.md/.html/.epub files; prints the new article ids")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("list", help="list articles: id, sentence count, translated count, title")
    p.add_argument("--search", metavar="QUERY", help="full-text search over titles and text")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("translate", help="translate articles offline (Ctrl-C cancels, keeping what is done)")
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.add_argument("--all", action="store_true", help="every article in the library")
    p.set_defaults(func=_cmd_translate)

    p = sub.add_parser("show", help="print the aligned French/English sentence pairs of an article")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("model", help="the French→English Argos model: status, install, remove")
    msub = p.add_subparsers(dest="action", required=True)
    msub.add_parser("status", help="is a model installed, which version, where")
    mi = msub.add_parser("install", help="install from a .argosmodel file, or --download from the Argos index")
    mi.add_argument("path", nargs="?", metavar="PATH")
    mi.add_argument("--download", action="store_true", help="download (66 MB) with progress, verify, install")
    msub.add_parser("remove", help="remove the installed French→English model")
    p.set_defaults(func=_cmd_model)
    return parser


def _version() -> str:
    from reader import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", _cmd_gui)
    if args.db:
        os.environ["VISAVIS_DB"] = str(Path(args.db).resolve())
    try:
        return func(args)
    except ReaderError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_CANCELLED)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
