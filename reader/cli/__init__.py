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
        # On a terminal redraw at most 10 times a second; in a log, one line as each phase completes.
        if self._tty:
            if not final and now - self._last < 0.1:
                return
        elif not final:
            return
        self._last = now
        self._shown = True
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
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store, default_db_path

    store = Store(Path(args.db) if args.db else default_db_path())
    ensure_samples(store)
    return store


def _cmd_gui(args: argparse.Namespace) -> int:
    from reader.gui.app import run

    return run(db_path=Path(args.db) if args.db else None)


def _cmd_import(args: argparse.Namespace) -> int:
    from reader.importers import import_file
    from reader.ops.library import describe_outcome, import_into_library

    store = _open_store(args)
    failed = 0
    for name in args.paths:
        try:
            articles = import_file(Path(name), epub_mode="chapters" if args.epub_chapters else "article")
        except ReaderError as exc:
            print(f"visavis: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        outcomes = import_into_library(
            store, articles if isinstance(articles, list) else [articles], update=args.update
        )
        for outcome in outcomes:
            print(outcome.article_id)
            message = describe_outcome(outcome, Path(name).name)
            if message:
                print(message, file=sys.stderr)
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
    from reader.ops.annotate import after_translation
    from reader.ops.translate import translate_article
    from reader.translation.argos_engine import load_default_engine

    store = _open_store(args)
    ids = _article_ids(store, args)
    engine = load_default_engine()
    for article_id in ids:
        article = store.get_article(article_id)
        bar = ProgressBar(f"#{article_id} {article.title[:40]}")
        progress = Progress(bar)
        outcome: dict[str, object] = {}
        finished = threading.Event()

        def work(article_id: int = article_id, progress: Progress = progress,
                 finished: threading.Event = finished) -> None:
            # The job runs in a worker thread with its own connection, so that Ctrl-C (delivered to
            # the main thread) can cancel it between batches and the cache keeps what was finished.
            from reader.storage.store import Store

            worker_store = Store(store.path)
            try:
                outcome["count"] = translate_article(worker_store, engine, article_id, progress).count
                # Annotations on the English side follow the new text (moved or orphaned, never lost).
                after_translation(worker_store, article_id, engine.model_id)
            except BaseException as exc:  # re-raised in the main thread
                outcome["error"] = exc
            finally:
                worker_store.close()
                finished.set()

        thread = threading.Thread(target=work, name="translate", daemon=True)
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
            kept = store.translation_coverage(article_id).get(engine.model_id, 0)
            print(f"visavis: cancelled; {kept} translated sentences of #{article_id} were kept", file=sys.stderr)
            return EXIT_CANCELLED
        thread.join()
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
    from reader.ops.annotate import resolve_model_id

    # The installed model's translations; without one, those of the model that covers the article
    # best; else hand edits alone.
    model_id = resolve_model_id(store, args.id, _model_id_for_listing()) or None
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


# --- annotations and glossary ------------------------------------------------------------------


def _english_model_id(store, article_id: int) -> str:
    """The model id the English side is read with: the installed model's, else the cached model that
    covers the article best, else "" (hand edits only). See ``reader.ops.annotate.resolve_model_id``."""
    from reader.ops.annotate import resolve_model_id

    return resolve_model_id(store, article_id, _model_id_for_listing())


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _cmd_annotate(args: argparse.Namespace) -> int:
    from reader.ops.annotate import AnnotationError, annotate_quote

    if args.side not in ("fr", "en"):
        raise AnnotationError(f"unknown side {args.side!r}: use --side fr or --side en")
    store = _open_store(args)
    if not store.article_exists(args.id):
        raise NotFoundError(f"no article with id {args.id} (see 'visavis list')")
    model_id = _english_model_id(store, args.id) if args.side == "en" else None
    annotation = annotate_quote(
        store,
        args.id,
        args.side,
        args.quote,
        occurrence=args.occurrence,
        note=args.note,
        color=args.color,
        tags=args.tag or (),
        model_id=model_id,
    )
    print(annotation.id)
    return 0


def _cmd_annotations(args: argparse.Namespace) -> int:
    from reader.core.annotations import PALETTE, STATUSES, collection_to_w3c

    if args.color is not None and args.color not in PALETTE:
        raise ReaderError(f"unknown colour {args.color!r}: use one of {', '.join(PALETTE)}")
    if args.status is not None and args.status not in STATUSES:
        raise ReaderError(f"unknown status {args.status!r}: use one of {', '.join(STATUSES)}")
    store = _open_store(args)
    if args.id is not None and not store.article_exists(args.id):
        raise NotFoundError(f"no article with id {args.id} (see 'visavis list')")
    found = store.annotations(
        article_id=args.id, color=args.color, tag=args.tag, query=args.search, status=args.status
    )
    if args.format == "w3c":
        # Article IRIs are urn:visavis:article:<id> (the core default), the collection's is derived from them.
        if args.id is not None:
            label, iri = f"Vis-à-vis annotations of article {args.id}", f"urn:visavis:article:{args.id}:annotations"
        else:
            label, iri = "Vis-à-vis annotations", "urn:visavis:annotations"
        doc = collection_to_w3c(found, collection_id=iri, label=label)
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if args.format == "json":
        rows = [
            {
                "id": a.id,
                "article": a.article_id,
                "side": a.side,
                "start": a.start,
                "end": a.end,
                "exact": a.exact,
                "prefix": a.prefix,
                "suffix": a.suffix,
                "note": a.note,
                "color": a.color,
                "tags": a.tags,
                "created": a.created,
                "modified": a.modified,
                "status": a.status,
            }
            for a in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for a in found:
        extra = f"  [{', '.join(a.tags)}]" if a.tags else ""
        if a.status != "anchored":
            extra += f"  ({a.status})"
        print(f"#{a.article_id} {a.side}  {a.color:<6}  “{_one_line(a.exact)}”{extra}  {a.id}")
        for line in a.note.splitlines():
            print(f"    {line}")
    if not found:
        print("no annotations", file=sys.stderr)
    return 0


GLOSSARY_FORMATS = {".csv": "csv", ".tbx": "tbx", ".xml": "tbx", ".apkg": "apkg"}


def _glossary_entry_json(entry) -> dict:
    return {
        "id": entry.id,
        "term": entry.term,
        "translation": entry.translation,
        "note": entry.note,
        "tags": entry.tags,
        "created": entry.created,
        "modified": entry.modified,
    }


def _write_atomically(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then move the result over ``path``: a failure leaves no half file."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ReaderError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".visavis-", suffix=path.suffix, dir=folder)
    except OSError as exc:
        raise ReaderError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ReaderError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _cmd_glossary(args: argparse.Namespace) -> int:
    from reader.core.glossary import GlossaryEntry, merge_entries, normalise_term
    from reader.export import glossary_formats as gf

    store = _open_store(args)
    if args.action == "add":
        if not args.term.strip():
            raise ReaderError("the French term is empty")
        entry = GlossaryEntry(term=args.term.strip(), translation=args.translation.strip(), note=args.note,
                              tags=args.tag or [])
        print(store.add_glossary_entry(entry))
        return 0
    if args.action == "list":
        entries = store.glossary(query=args.search)
        if args.format == "json":
            print(json.dumps([_glossary_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
            return 0
        for e in entries:
            tags = f"  [{', '.join(e.tags)}]" if e.tags else ""
            print(f"{e.term} → {e.translation}{tags}")
            for line in e.note.splitlines():
                print(f"    {line}")
        if not entries:
            print("the glossary is empty" if not args.search else "no glossary entry matches", file=sys.stderr)
        return 0
    if args.action == "remove":
        entry = store.find_glossary_term(args.term)
        if entry is None:
            raise NotFoundError(f"« {_one_line(args.term)} » is not in the glossary (see 'visavis glossary list')")
        store.delete_glossary_entry(entry.id)
        print(f"removed « {entry.term} » → {entry.translation}")
        return 0
    if args.action == "import":
        path = Path(args.path)
        if not path.is_file():
            raise ReaderError(f"cannot import {path}: no such file")
        try:
            incoming = gf.import_glossary(path)
        except ValueError as exc:
            raise ReaderError(f"cannot import {path.name}: {exc} Nothing was imported.") from None
        except OSError as exc:
            raise ReaderError(f"cannot read {path}: {exc.strerror or exc}") from None
        keys = {normalise_term(e.term) for e in incoming}
        skipped = sum(1 for e in incoming if not normalise_term(e.term))
        keys.discard("")
        to_add, to_update = merge_entries(store.glossary(), incoming)
        store.save_glossary_entries(add=to_add, update=to_update)
        unchanged = len(keys) - len(to_add) - len(to_update)
        report = f"{len(to_add)} added, {len(to_update)} updated, {unchanged} unchanged"
        if skipped:
            report += f", {skipped} skipped (no word in the term)"
        print(report)
        return 0
    # export
    path = Path(args.path)
    fmt = args.format or GLOSSARY_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReaderError(
            f"cannot tell the glossary format of {path.name}: name it .csv, .tbx or .apkg, or give --format"
        )
    entries = store.glossary()
    if fmt == "csv":
        _write_atomically(path, lambda tmp: tmp.write_bytes(gf.glossary_to_csv(entries)))
    elif fmt == "tbx":
        _write_atomically(path, lambda tmp: tmp.write_bytes(gf.glossary_to_tbx(entries)))
    else:
        from reader.ops.annotate import glossary_contexts

        contexts = glossary_contexts(store, entries)
        _write_atomically(path, lambda tmp: gf.write_anki(entries, tmp, contexts=contexts))
    print(f"{len(entries)} entries written to {path}")
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
    p.add_argument("--epub-chapters", action="store_true",
                   help="import each chapter of an EPUB as its own article (default: one article, chapters as sections)")
    p.add_argument("--update", action="store_true",
                   help="a changed version of a file already imported updates that article in place "
                        "(same id; highlights and notes re-anchored) instead of adding a copy")
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

    p = sub.add_parser("annotate", help="highlight a quote of an article; prints the new annotation id")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--side", required=True, metavar="fr|en", help="which side the quote is on")
    p.add_argument("--quote", required=True, metavar="TEXT", help="the exact text to highlight")
    p.add_argument("--occurrence", type=int, default=1, metavar="N", help="which copy of the quote (default 1)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--color", default="yellow", metavar="NAME", help="yellow, red, green, blue or purple")
    p.add_argument("--tag", action="append", metavar="TAG", help="a tag (repeat for several)")
    p.set_defaults(func=_cmd_annotate)

    p = sub.add_parser("annotations", help="list annotations (of one article or all), filter, export as W3C")
    p.add_argument("id", type=int, nargs="?", metavar="ID")
    p.add_argument("--search", metavar="QUERY", help="full-text search over notes, quotes and tags")
    p.add_argument("--color", metavar="NAME")
    p.add_argument("--tag", metavar="TAG")
    p.add_argument("--status", metavar="STATUS", help="anchored, moved or orphaned")
    p.add_argument("--format", choices=("text", "json", "w3c"), default="text",
                   help="w3c: a JSON-LD W3C AnnotationCollection")
    p.set_defaults(func=_cmd_annotations)

    p = sub.add_parser("glossary", help="the French→English glossary: add, list, remove, import, export")
    gsub = p.add_subparsers(dest="action", required=True)
    ga = gsub.add_parser("add", help="add a term; prints its id")
    ga.add_argument("term", metavar="FR")
    ga.add_argument("translation", metavar="EN")
    ga.add_argument("--note", default="", metavar="TEXT")
    ga.add_argument("--tag", action="append", metavar="TAG")
    gl = gsub.add_parser("list", help="list the entries")
    gl.add_argument("--search", metavar="QUERY")
    gl.add_argument("--format", choices=("text", "json"), default="text")
    gr = gsub.add_parser("remove", help="remove a term (any inflection of it)")
    gr.add_argument("term", metavar="FR")
    gi = gsub.add_parser("import", help="merge a .csv or .tbx glossary (no duplicates)")
    gi.add_argument("path", metavar="FILE")
    ge = gsub.add_parser("export", help="write the glossary as .csv, .tbx or Anki .apkg")
    ge.add_argument("path", metavar="FILE")
    ge.add_argument("--format", choices=("csv", "tbx", "apkg"), help="default: from the file name")
    p.set_defaults(func=_cmd_glossary)
    from reader.cli.export import add_export_command
    add_export_command(sub)
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

