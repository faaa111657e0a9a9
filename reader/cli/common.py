"""What every command family of the ``visavis`` command shares: exit codes, one-line errors, opening
the store, article-id arguments, the progress bar, and the one helper through which user text (titles,
sentences, notes, tags, file names) reaches the terminal.

Only the standard library and ``reader.core`` at import time, so that ``visavis --help`` stays fast;
the store, the model and the operations are imported by the functions that need them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from reader.core.errors import NotFoundError, ReaderError

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130

#: The largest id SQLite can store (a signed 64-bit integer); a larger number is no id at all.
MAX_ID = 2**63 - 1


# --- terminal output ------------------------------------------------------------------------------

# C0 controls but newline and tab, DEL, and the C1 controls: shown as a visible ``\x1b`` instead of being
# obeyed by the terminal (an imported title could otherwise retitle, recolour or clear it). An escape
# sequence is defused by its ESC: what follows it is plain printable text.
_CONTROLS = {
    code: f"\\x{code:02x}"
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
    if chr(code) not in "\n\t"
}


def safe(text: object) -> str:
    """``text`` (any user or file content) with its terminal control characters made visible."""
    return str(text).translate(_CONTROLS)


# JSON escapes C0 controls itself; DEL and the C1 controls it leaves raw (with ensure_ascii=False), so
# they are written as \u escapes too (they can only occur inside strings: the result is the same JSON).
_JSON_CONTROLS = {code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0))}


def to_json(doc: object) -> str:
    """``doc`` as indented UTF-8 JSON with no raw terminal control character in it."""
    import json

    return json.dumps(doc, ensure_ascii=False, indent=2).translate(_JSON_CONTROLS)


def one_line(text: str, limit: int = 80) -> str:
    """Whitespace folded to single spaces, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"visavis: error: {safe(message)}", file=sys.stderr)
    return code


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line like every other error (and a pointer to --help)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"visavis: error: {safe(message)} (see '{self.prog} --help')\n")


def article_id(text: str) -> int:
    """The argparse type of an article id: a whole number from 1 to SQLite's largest integer (a bigger
    one would fail deep in SQLite with an ``OverflowError``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(
            f"{one_line(safe(text), 40)} is not an article id (a whole number from 1 to {MAX_ID})"
        )
    return value


# --- the store --------------------------------------------------------------------------------------


def open_store(args: argparse.Namespace):
    """The library database of ``--db`` (or the default), the samples imported on first use."""
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store, default_db_path

    store = Store(Path(args.db) if args.db else default_db_path())
    ensure_samples(store)
    return store


def require_article(store, article_id: int) -> None:
    if not store.article_exists(article_id):
        raise NotFoundError(f"no article with id {article_id} (see 'visavis list')")


def article_ids(store, args: argparse.Namespace) -> list[int]:
    """The ids of ``args.ids`` (each checked) or every article with ``args.all``."""
    if getattr(args, "all", False):
        return [r.id for r in store.list_articles()]
    if not args.ids:
        raise ReaderError("give article ids or --all")
    ids = list(dict.fromkeys(args.ids))
    for article_id in ids:
        require_article(store, article_id)
    return ids


def model_id_for_listing() -> str | None:
    """The model id of the installed package, for the translated counts (no model load)."""
    from reader.translation.packages import model_status

    status = model_status()
    return status.model_id if status.installed else None


def english_model_id(store, article_id: int) -> str:
    """The model id the English side is read with: the installed model's, else the cached model that
    covers the article best, else "" (hand edits only). See ``reader.ops.annotate.resolve_model_id``."""
    from reader.ops.annotate import resolve_model_id

    return resolve_model_id(store, article_id, model_id_for_listing())


# --- progress ---------------------------------------------------------------------------------------


class ProgressBar:
    """A one-line progress bar on stderr: ``label [#####.....] 12/58 3.1/s ETA 0:14``."""

    def __init__(self, label: str, stream: TextIO | None = None, unit: str = "") -> None:
        self.label = safe(label)
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
