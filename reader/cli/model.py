"""``visavis model status | install | remove``: the French→English Argos model."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.common import EXIT_CANCELLED, EXIT_USAGE, ProgressBar, fail, safe
from reader.core.errors import ModelError
from reader.core.progress import Progress


def add_commands(sub) -> None:
    p = sub.add_parser("model", help="the French→English Argos model: status, install, remove")
    msub = p.add_subparsers(dest="action", required=True)
    msub.add_parser("status", help="is a model installed, which version, where")
    mi = msub.add_parser("install", help="install from a .argosmodel file, or --download from the Argos index")
    mi.add_argument("path", nargs="?", metavar="PATH")
    mi.add_argument("--download", action="store_true", help="download (66 MB) with progress, verify, install")
    msub.add_parser("remove", help="remove the installed French→English model")
    p.set_defaults(func=cmd_model)


def cmd_model(args: argparse.Namespace) -> int:
    from reader.translation import packages

    if args.action == "status":
        status = packages.model_status()
        if status.installed:
            print(f"installed: Argos fr→en {safe(status.version)} at {safe(status.path)}")
        else:
            print("not installed: run 'visavis model install --download' or 'visavis model install FILE'")
        return 0
    if args.action == "remove":
        packages.remove()
        print("removed the French→English model")
        return 0
    # install
    if args.download == bool(args.path):
        return fail("give either a .argosmodel file or --download", EXIT_USAGE)
    if args.download:
        bar = ProgressBar("downloading", unit="B")
        try:
            status = packages.download_and_install(progress=Progress(bar))
        except KeyboardInterrupt:
            bar.close()
            return fail("download cancelled; nothing was installed", EXIT_CANCELLED)
        except ModelError as exc:
            bar.close()
            if not exc.offline:
                raise
            return fail(f"{exc} You can install a model from a file: visavis model install FILE "
                        f"({exc.detail})")
        bar.close()
    else:
        status = packages.install_from_file(Path(args.path))
    print(f"installed: Argos fr→en {safe(status.version)} at {safe(status.path)}")
    return 0
