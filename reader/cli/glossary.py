"""``visavis glossary add | list | remove | import | export``: the French→English glossary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.common import one_line, open_store, safe, to_json
from reader.core.errors import NotFoundError, ReaderError

def add_commands(sub) -> None:
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
    gi = gsub.add_parser("import", help="merge a .csv, .tbx or Anki .apkg glossary (no duplicates)")
    gi.add_argument("path", metavar="FILE")
    ge = gsub.add_parser("export", help="write the glossary as .csv, .tbx or Anki .apkg")
    ge.add_argument("path", metavar="FILE")
    ge.add_argument("--format", choices=("csv", "tbx", "tbx2", "apkg"),
                    help="default: from the file name; tbx is TBX-Basic v3, tbx2 the older v2 (martif) "
                         "that most CAT tools read")
    p.set_defaults(func=cmd_glossary)


def _entry_json(entry) -> dict:
    return {
        "id": entry.id,
        "term": entry.term,
        "translation": entry.translation,
        "note": entry.note,
        "tags": entry.tags,
        "created": entry.created,
        "modified": entry.modified,
    }


def cmd_glossary(args: argparse.Namespace) -> int:
    store = open_store(args)
    return _ACTIONS[args.action](store, args)


def _add(store, args: argparse.Namespace) -> int:
    from reader.core.glossary import GlossaryEntry

    if not args.term.strip():
        raise ReaderError("the French term is empty")
    entry = GlossaryEntry(term=args.term.strip(), translation=args.translation.strip(), note=args.note,
                          tags=args.tag or [])
    print(store.add_glossary_entry(entry))
    _reenforce(store, [entry])
    return 0


def _reenforce(store, changed) -> None:
    """Enforce the changed entries again in the library's sentences holding their terms when a model is
    installed; else say how many sentences wait for it."""
    from reader.cli.common import model_id_for_listing
    from reader.ops.enforce import pending_enforcement, reenforce

    if model_id_for_listing() is None:
        pending = sum(pending_enforcement(store, m, changed) for m in store.translation_model_ids())
        if pending:
            print(f"{pending} sentences wait for the glossary to be enforced in their English (install the "
                  "model, then run 'visavis translate --all')", file=sys.stderr)
        return
    from reader.translation.argos_engine import load_default_engine

    n = reenforce(store, load_default_engine(), changed).count
    if n:
        print(f"glossary enforced again in {n} sentences", file=sys.stderr)


def _list(store, args: argparse.Namespace) -> int:
    entries = store.glossary(query=args.search)
    if args.format == "json":
        print(to_json([_entry_json(e) for e in entries]))
        return 0
    for e in entries:
        tags = f"  [{', '.join(e.tags)}]" if e.tags else ""
        print(safe(f"{e.term} → {e.translation}{tags}"))
        for line in e.note.splitlines():
            print(f"    {safe(line)}")
    if not entries:
        print("the glossary is empty" if not args.search else "no glossary entry matches", file=sys.stderr)
    return 0


def _remove(store, args: argparse.Namespace) -> int:
    entry = store.find_glossary_term(args.term)
    if entry is None:
        raise NotFoundError(f"« {one_line(args.term)} » is not in the glossary (see 'visavis glossary list')")
    store.delete_glossary_entry(entry.id)
    print(safe(f"removed « {entry.term} » → {entry.translation}"))
    _reenforce(store, [entry])
    return 0


def _import(store, args: argparse.Namespace) -> int:
    from reader.core.glossary import merge_entries, normalise_term
    from reader.ops.glossary_io import import_glossary_file

    path = Path(args.path)
    if not path.is_file():
        raise ReaderError(f"cannot import {path}: no such file")
    try:
        incoming = import_glossary_file(path)
    except ValueError as exc:
        raise ReaderError(f"cannot import {path.name}: {exc} Nothing was imported.") from None
    except OSError as exc:
        raise ReaderError(f"cannot read {path}: {exc.strerror or exc}") from None
    keys = {normalise_term(e.term) for e in incoming}
    skipped = sum(1 for e in incoming if not normalise_term(e.term))
    keys.discard("")
    to_add, to_update = merge_entries(store.glossary(), incoming)
    previous = [store.get_glossary_entry(e.id) for e in to_update]
    store.save_glossary_entries(add=to_add, update=to_update)
    unchanged = len(keys) - len(to_add) - len(to_update)
    report = f"{len(to_add)} added, {len(to_update)} updated, {unchanged} unchanged"
    if skipped:
        report += f", {skipped} skipped (no word in the term)"
    print(report)
    if to_add or to_update:
        _reenforce(store, [*previous, *to_add, *to_update])
    return 0


def _export(store, args: argparse.Namespace) -> int:
    from reader.ops.glossary_io import export_glossary_file

    n = export_glossary_file(store, Path(args.path), args.format)
    print(f"{n} entries written to {safe(args.path)}")
    return 0


_ACTIONS = {"add": _add, "list": _list, "remove": _remove, "import": _import, "export": _export}
