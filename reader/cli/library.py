"""``visavis import | list | show | delete``: the articles of the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.common import (
    EXIT_ERROR,
    article_id,
    article_ids,
    fail,
    model_id_for_listing,
    open_store,
    safe,
    to_json,
)
from reader.core.french_dates import display_date
from reader.core.errors import ReaderError


def add_commands(sub) -> None:
    p = sub.add_parser("import", help="import .txt/.md/.html/.epub/.pdf files; prints the new article ids")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--epub-chapters", action="store_true",
                   help="import each chapter of an EPUB as its own article (default: one article, chapters as sections)")
    p.add_argument("--update", action="store_true",
                   help="a changed version of a file already imported updates that article in place "
                        "(same id; highlights and notes re-anchored) instead of adding a copy")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list articles: id, sentence count, translated count, title")
    p.add_argument("--search", metavar="QUERY", help="full-text search over titles and text")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="print the aligned French/English sentence pairs of an article")
    p.add_argument("id", type=article_id, metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("delete", help="delete articles with their highlights and notes (asks for --yes)",
                       description="Delete articles with their highlights, notes and hand edits. This cannot "
                       "be undone: without --yes nothing is deleted and the command says what would be.")
    p.add_argument("ids", nargs="+", type=article_id, metavar="ID", help="article ids (see 'visavis list')")
    p.add_argument("--yes", action="store_true", help="really delete (no undo)")
    p.set_defaults(func=cmd_delete)


def cmd_import(args: argparse.Namespace) -> int:
    from reader.importers import import_file
    from reader.ops.library import describe_outcome, import_into_library

    store = open_store(args)
    failed = 0
    for name in args.paths:
        try:
            articles = import_file(Path(name), epub_mode="chapters" if args.epub_chapters else "article")
        except ReaderError as exc:
            fail(str(exc))
            failed += 1
            continue
        outcomes = import_into_library(
            store, articles if isinstance(articles, list) else [articles], update=args.update
        )
        for outcome in outcomes:
            print(outcome.article_id)
            message = describe_outcome(outcome, Path(name).name)
            if message:
                print(safe(message), file=sys.stderr)
    return EXIT_ERROR if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    rows = store.list_articles(model_id=model_id_for_listing(), query=args.search)
    if args.format == "json":
        print(to_json([r.__dict__ for r in rows]))
        return 0
    print(f"{'ID':>4}  {'SENT':>5}  {'TRANS':>5}  TITLE")
    for r in rows:
        print(f"{r.id:>4}  {r.n_sentences:>5}  {r.n_translated:>5}  {safe(r.title)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from reader.ops.reading import reading_english

    store = open_store(args)
    article = store.get_article(args.id)
    # The installed model's translations (glossary enforced where it applies); without one, those of
    # the model that covers the article best; hand edits always; a sentence the reading model has not
    # translated shows another cached model's English ("older_model").
    installed = model_id_for_listing()
    reading = reading_english(store, args.id, installed)
    model_id = reading.model_id or None
    translations = store.article_translations(args.id, model_id or "")
    pairs = [
        {"paragraph": p, "sentence": s, "fr": sentence.text_in(para.text),
         "en": translations[p][s].text if translations[p][s].text is not None else reading.rows[p][s].text,
         "older_model": reading.older.get((p, s))}
        for p, para in enumerate(article.paragraphs)
        for s, sentence in enumerate(para.sentences)
    ]
    # The glossary-enforced English (null where nothing was enforced, or a hand edit wins): the English
    # with the user's renderings and where each entry was applied (offsets into that text).
    shown = reading.rows if model_id else None
    entries = {e.id: e for e in store.glossary()} if shown else {}
    for pair in pairs:
        e = shown[pair["paragraph"]][pair["sentence"]].enforced if shown else None
        pair["enforced"] = None if e is None else {
            "en": e.text,
            "applied": [{"entry_id": a.entry_id, "term": getattr(entries.get(a.entry_id), "term", None),
                         "rendering": e.text[a.start:a.end], "start": a.start, "end": a.end, "how": a.how}
                        for a in e.applied],
        }
    if args.format == "json":
        from reader.core.wordalign import alignment_json

        aligned = store.article_alignments(args.id, model_id) if model_id else None
        for pair in pairs:  # words (offsets into "fr" and "en") and links; null until aligned
            scored = aligned[pair["paragraph"]][pair["sentence"]] if aligned else None
            pair["alignment"] = alignment_json(scored.alignment()) if scored is not None else None
        doc = {
            "id": article.id,
            "title": article.title,
            "author": article.author,
            "published": article.published,
            "source": article.source,
            "model": model_id,
            "pairs": pairs,
        }
        print(to_json(doc))
        return 0
    print(safe(article.title))
    meta = " · ".join(x for x in (article.author, display_date(article.published, article.published_iso),
                                   article.source) if x)
    if meta:
        print(safe(meta))
    last_p = -1
    for pair in pairs:
        if pair["paragraph"] != last_p:
            print()
            last_p = pair["paragraph"]
        print(f"FR  {safe(pair['fr'])}")
        en = pair["enforced"]["en"] if pair["enforced"] else pair["en"]
        mark = "EN* " if pair["older_model"] else "EN  "
        print(f"{mark}{safe(en) if en is not None else '(not translated)'}")
    _show_footer(pairs, model_id, installed, args.id)
    return 0


def _show_footer(pairs: list[dict], model_id: str | None, installed: str | None, article_id: int) -> None:
    """Where the English comes from when it is not the installed model, and what to do for the rest."""
    untranslated = sum(1 for pair in pairs if pair["en"] is None)
    older = sorted({pair["older_model"] for pair in pairs if pair["older_model"]})
    lines = []
    if not installed and model_id:
        lines.append(f"No model is installed: the English shown was saved earlier by {model_id}.")
    if older:
        lines.append(f"EN* : the English of an earlier model ({', '.join(older)}), until translated again "
                     f"(visavis translate {article_id}).")
    if untranslated:
        todo = (f"visavis translate {article_id}" if installed else
                "install a model first: visavis model install --download, or visavis model install FILE")
        lines.append(f"{untranslated} sentence{'s' if untranslated != 1 else ''} not translated: {todo}.")
    if lines:
        print()
        for line in lines:
            print(safe(line))


def _what(deleted) -> str:
    """« Title » (#3, 2 highlights, 1 hand edit)"""
    parts = [f"#{deleted.article.id}"]
    n = len(deleted.annotations)
    if n:
        parts.append(f"{n} highlight{'s' if n != 1 else ''}")
    n = len(deleted.edits)
    if n:
        parts.append(f"{n} hand edit{'s' if n != 1 else ''}")
    return f"« {safe(deleted.article.title)} » ({', '.join(parts)})"


def cmd_delete(args: argparse.Namespace) -> int:
    from reader.ops.library import article_snapshot, delete_articles

    store = open_store(args)
    ids = article_ids(store, args)  # every id checked before anything is deleted
    if not args.yes:
        for snapshot in (article_snapshot(store, i) for i in ids):
            print(f"would delete {_what(snapshot)}", file=sys.stderr)
        n = len(ids)
        return fail(f"nothing deleted: deleting cannot be undone; run again with --yes to delete "
                    f"{'this article' if n == 1 else f'these {n} articles'}")
    for deleted in delete_articles(store, ids):
        print(f"deleted {_what(deleted)}")
    return 0
