"""The ``visavis`` command: no argument opens the GUI; subcommands do headless work.

One module per command family, each registering its subcommands with ``add_commands(subparsers)``:
:mod:`~reader.cli.library` (import, list, show, delete), :mod:`~reader.cli.translate`,
:mod:`~reader.cli.align`,
:mod:`~reader.cli.model`, :mod:`~reader.cli.annotations` (annotate, annotations),
:mod:`~reader.cli.glossary`, :mod:`~reader.cli.export`; what they share is in :mod:`~reader.cli.common`.
Imports point downward only (this module → the families → common); the families import the store, the
model and the operations inside their command functions, so that ``visavis --help`` stays fast.

Every failure the user can cause prints one clear line to stderr and exits non-zero, never a traceback.
"""

# (No ``from __future__ import annotations`` here: it would bind the name ``annotations`` in this
# package, and ``from reader.cli import annotations`` would then return that instead of the submodule.)
import argparse
import os
from pathlib import Path

from reader.cli import align, annotations, export, glossary, library, model, translate
from reader.cli.common import EXIT_CANCELLED, ArgumentParser, fail
from reader.core.errors import ReaderError

#: The command families, in the order their commands are listed by ``visavis --help``.
FAMILIES = (library, translate, align, model, annotations, glossary, export)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="visavis",
        description="Read French articles beside their offline English translation. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--db", metavar="PATH", help="the database file (default: $VISAVIS_DB or the user data folder)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    # Open the window, say so and quit: the check that a packaged build starts (not listed in --help);
    # --smoke-test=PNG saves the window there first.
    parser.add_argument("--smoke-test", nargs="?", const=True, default=False, metavar="PNG", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    for family in FAMILIES:
        family.add_commands(sub)
    return parser


def _cmd_gui(args: argparse.Namespace) -> int:
    from reader.gui.app import run

    return run(db_path=Path(args.db) if args.db else None, smoke_test=args.smoke_test)


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
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted", EXIT_CANCELLED)
    except BrokenPipeError:
        return 0
