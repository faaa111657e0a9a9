"""``visavis export ID... -o FILE``: the annotated bilingual PDF, Markdown, HTML or W3C annotations.

Registered on the main parser by :func:`add_commands` (called from ``reader.cli.build_parser``).
Every failure the user can cause (unknown id, missing folder, unwritable file, unknown format) is a
``ReaderError`` that ``reader.cli.main`` prints as one line; the checks that do not need the export to
run are done before the progress bar starts, so such an error is the only line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.common import ProgressBar, article_id, model_id_for_listing, open_store, require_article, safe
from reader.core.errors import ReaderError

FORMAT_CHOICES = ("pdf", "md", "html", "w3c")


def add_commands(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "export",
        help="export articles with their English, highlights, notes and glossary (PDF, Markdown, HTML, W3C)",
        description="Export articles as an annotated bilingual PDF, Markdown or HTML, or their annotations "
        "as a W3C JSON-LD AnnotationCollection. The format follows the file name unless --format is given.",
    )
    p.add_argument("ids", nargs="+", type=article_id, metavar="ID", help="article ids (see 'visavis list')")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write (.pdf, .md, .html, .jsonld)")
    p.add_argument("--format", choices=FORMAT_CHOICES, help="default: from the file name")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size (default a4)")
    p.add_argument("--notes", choices=("footnotes", "endnotes"), default="footnotes",
                   help="where notes go (default footnotes)")
    p.add_argument("--only-annotated", action="store_true", help="only the paragraphs that have a highlight")
    p.add_argument("--content", choices=("clean", "highlights", "notes"), default="notes",
                   help="clean text, highlights only, or highlights and notes (default)")
    p.add_argument("--left", choices=("fr", "en"), default="fr", help="which side is the left column")
    p.set_defaults(func=cmd_export)
    return p


def _preflight(path: Path) -> None:
    """Refuse a target we cannot write, before anything is printed (one clean error line)."""
    from reader.export.bundle import check_target, temp_path_beside

    check_target(path)
    probe = temp_path_beside(path, ".probe")
    try:
        probe.unlink()
    except OSError:
        pass


def cmd_export(args: argparse.Namespace) -> int:
    from reader.core.progress import Progress
    from reader.export.bundle import ExportOptions, ExportReport
    from reader.ops.export import format_for_path, run_export

    path = Path(args.output).expanduser()
    fmt = args.format or format_for_path(path)
    if fmt is None:
        raise ReaderError(
            f"cannot tell the export format of {path.name}: name it .pdf, .md, .html or .jsonld, or give --format"
        )
    options = ExportOptions(
        paper=args.paper,
        left=args.left,
        content=args.content,
        notes=args.notes,
        only_annotated=args.only_annotated,
    )
    options.validate()
    store = open_store(args)
    try:
        ids = list(dict.fromkeys(args.ids))
        for id_ in ids:
            require_article(store, id_)
        _preflight(path)
        model_id = model_id_for_listing() if fmt != "w3c" else None
        if fmt == "pdf":
            from reader.export.pdf import ensure_gui_app

            ensure_gui_app()  # Qt's application object, offscreen, on the main thread
        bar = ProgressBar(f"export {fmt}")
        stats: dict = {}
        try:
            result = run_export(store, ids, path, fmt, options, model_id, Progress(bar), stats)
        finally:
            bar.close()
    finally:
        store.close()
    if isinstance(result, ExportReport):
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}, "
    else:
        pages = ""
    n = stats.get("highlights", 0)
    what = "annotation" if fmt == "w3c" else "highlight"
    print(f"{safe(path)}: {len(ids)} article{'s' if len(ids) != 1 else ''}, {pages}{n} {what}{'s' if n != 1 else ''}")
    skipped = stats.get("skipped", 0)
    if skipped:
        verb = "were" if skipped != 1 else "was"
        print(f"visavis: {skipped} annotation{'s' if skipped != 1 else ''} could not be placed in the current "
              f"text (orphaned) and {verb} left out", file=sys.stderr)
    return 0
