"""``visavis annotate | annotations``: highlights and notes from the command line."""

from __future__ import annotations

import argparse
import sys

from reader.cli.common import (
    article_id,
    english_model_id,
    one_line,
    open_store,
    require_article,
    safe,
    to_json,
)
from reader.core.errors import ReaderError


def add_commands(sub) -> None:
    p = sub.add_parser("annotate", help="highlight a quote of an article; prints the new annotation id")
    p.add_argument("id", type=article_id, metavar="ID")
    p.add_argument("--side", required=True, metavar="fr|en", help="which side the quote is on")
    p.add_argument("--quote", required=True, metavar="TEXT", help="the exact text to highlight")
    p.add_argument("--occurrence", type=int, default=1, metavar="N", help="which copy of the quote (default 1)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--color", default="yellow", metavar="NAME", help="yellow, red, green, blue or purple")
    p.add_argument("--tag", action="append", metavar="TAG", help="a tag (repeat for several)")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("annotations", help="list annotations (of one article or all), filter, export as W3C")
    p.add_argument("id", type=article_id, nargs="?", metavar="ID")
    p.add_argument("--search", metavar="QUERY", help="full-text search over notes, quotes and tags")
    p.add_argument("--color", metavar="NAME")
    p.add_argument("--tag", metavar="TAG")
    p.add_argument("--status", metavar="STATUS", help="anchored, moved or orphaned")
    p.add_argument("--format", choices=("text", "json", "w3c"), default="text",
                   help="w3c: a JSON-LD W3C AnnotationCollection")
    p.set_defaults(func=cmd_annotations)


def cmd_annotate(args: argparse.Namespace) -> int:
    from reader.ops.annotate import AnnotationError, annotate_quote

    if args.side not in ("fr", "en"):
        raise AnnotationError(f"unknown side {args.side!r}: use --side fr or --side en")
    store = open_store(args)
    require_article(store, args.id)
    model_id = english_model_id(store, args.id) if args.side == "en" else None
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


def _annotation_json(a) -> dict:
    return {
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


def cmd_annotations(args: argparse.Namespace) -> int:
    from reader.core.annotations import PALETTE, STATUSES, collection_to_w3c

    if args.color is not None and args.color not in PALETTE:
        raise ReaderError(f"unknown colour {args.color!r}: use one of {', '.join(PALETTE)}")
    if args.status is not None and args.status not in STATUSES:
        raise ReaderError(f"unknown status {args.status!r}: use one of {', '.join(STATUSES)}")
    store = open_store(args)
    if args.id is not None:
        require_article(store, args.id)
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
        print(to_json(doc))
        return 0
    if args.format == "json":
        print(to_json([_annotation_json(a) for a in found]))
        return 0
    for a in found:
        extra = f"  [{', '.join(a.tags)}]" if a.tags else ""
        if a.status != "anchored":
            extra += f"  ({a.status})"
        print(safe(f"#{a.article_id} {a.side}  {a.color:<6}  “{one_line(a.exact)}”{extra}  {a.id}"))
        for line in a.note.splitlines():
            print(f"    {safe(line)}")
    if not found:
        print("no annotations", file=sys.stderr)
    return 0
