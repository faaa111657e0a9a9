"""Random ``kill -9`` during writes: nothing reported done is lost, the database stays sound, no export is
left half-written.

Loops of ``visavis --db DB …`` subprocesses (annotate, glossary add, import, translate, export), each
killed with SIGKILL (its whole process group) at a random moment between its start and a little past the
time such a run takes; some finish first, and those count as reported done. After every kill:

- ``PRAGMA integrity_check`` and ``foreign_key_check`` of the database (``integrity_failures``);
- every write reported done so far (an id printed, exit status 0) is still there (``writes_lost``):
  annotations and glossary entries by id, imported articles with all their paragraphs, translated
  articles with every sentence translated;
- a killed import leaves no article with missing paragraphs (``partial_articles``);
- the export folder holds only complete files: a target that exists must read back (PDF through pypdf,
  Markdown/HTML non-empty and whole), and no temporary or partial file is left beside it
  (``partial_files``). A killed export's own temp file is counted only if it is still there after one more
  export has run to its end at the end of the bench (the next export removes what killed ones left).

The translate loop uses the synthetic model (bench/make_test_model.py, cached like the tests' one),
installed into a temporary ARGOS_PACKAGES_DIR. Everything lives in one temp folder, removed at the end
(``--keep`` keeps it).

Prints ``name: value`` lines. Run: ``PYTHONPATH=. python bench/crash.py [--kills-per-loop 12] [--seed 1]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from reader.core.markup import parse_article  # noqa: E402
from user_dirs import user_dirs  # noqa: E402

SAMPLES = sorted((ROOT / "articles").glob("*.md"))
QUOTES = ["Lavrov", "Russie", "ministre", "Blinken", "Washington", "Moscou", "Ukraine", "guerre"]
LOOPS = ("annotate", "glossary", "import", "translate", "export")


class Bench:
    def __init__(self, work: Path, rng: random.Random) -> None:
        self.work, self.rng = work, rng
        self.db = work / "lib.db"
        self.out = work / "exports"
        self.out.mkdir()
        self.env = self._env()
        self.done: list[tuple[str, object]] = []  # writes reported done
        self.checked: set = set()
        self.counts = {k: 0 for k in ("kills", "runs", "writes_reported_done", "writes_lost",
                                      "integrity_failures", "partial_files", "partial_articles",
                                      "temps_removed_by_next_export")}
        self.kills = {k: 0 for k in LOOPS}
        self.durations: dict[str, float] = {}
        self.serial = 0

    def _env(self) -> dict:
        env = dict(os.environ, **user_dirs(self.work), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                   VISAVIS_MAX_DECODING_LENGTH="16")
        env.pop("VISAVIS_DB", None)
        return env

    # --- running the CLI ---------------------------------------------------------------------------
    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "reader.cli", "--db", str(self.db), *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True)

    def killed_run(self, loop: str, *args: str) -> tuple[bool, int | None, str]:
        """Start the CLI, SIGKILL it at a random moment; (was it killed while running, exit code, stdout)."""
        t_kill = self.rng.uniform(0.0, 1.15 * self.durations[loop])
        proc = subprocess.Popen([sys.executable, "-m", "reader.cli", "--db", str(self.db), *args], cwd=ROOT,
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            proc.wait(timeout=t_kill)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out, _err = proc.communicate()
        killed = proc.returncode == -signal.SIGKILL
        self.counts["runs"] += 1
        if killed:
            self.counts["kills"] += 1
            self.kills[loop] += 1
        return killed, proc.returncode, out

    def timed(self, loop: str, *args: str) -> subprocess.CompletedProcess:
        t0 = time.perf_counter()
        proc = self.cli(*args)
        self.durations[loop] = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"{loop}: the unkilled run failed: {proc.stderr.strip()}")
        return proc

    def reported(self, item: tuple[str, object]) -> None:
        self.done.append(item)
        self.counts["writes_reported_done"] += 1

    # --- checks ------------------------------------------------------------------------------------
    def check(self, final: bool = False) -> None:
        conn = sqlite3.connect(self.db, timeout=30)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            ok = ok and not conn.execute("PRAGMA foreign_key_check").fetchall()
            if not ok:
                self.counts["integrity_failures"] += 1
            # (translations are read through the CLI, which is slow: checked when reported and at the end)
            kept = []
            for kind, key in self.done:
                if kind == "translated" and not final and key in self.checked:
                    kept.append((kind, key))
                elif self._present(conn, kind, key):
                    kept.append((kind, key))
                    self.checked.add(key) if kind == "translated" else None
                else:
                    self.counts["writes_lost"] += 1  # counted once: dropped from the list
                    print(f"lost: {kind} {key}", file=sys.stderr)
            self.done = kept
            self.counts["partial_articles"] += self._partial_articles(conn)
        finally:
            conn.close()
        self.counts["partial_files"] += self._partial_files(final)

    def _present(self, conn, kind: str, key) -> bool:
        if kind == "annotation":
            return conn.execute("SELECT 1 FROM annotations WHERE id = ?", (key,)).fetchone() is not None
        if kind == "glossary":
            return conn.execute("SELECT 1 FROM glossary WHERE id = ?", (key,)).fetchone() is not None
        if kind == "article":
            article_id, n_paragraphs = key
            return self._paragraphs(conn, article_id) == n_paragraphs
        if kind == "translated":
            listed = {r["id"]: r for r in json.loads(self.cli("list", "--format", "json").stdout or "[]")}
            row = listed.get(key)
            return row is not None and row["n_translated"] == row["n_sentences"]
        raise ValueError(kind)

    def _paragraphs(self, conn, article_id: int) -> int | None:
        row = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return conn.execute("SELECT count(*) FROM paragraphs WHERE article_id = ?", (article_id,)).fetchone()[0]

    def _partial_articles(self, conn) -> int:
        bad = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.article_id = a.id)"
        ).fetchone()[0]
        return int(bad)

    def _partial_files(self, final: bool = False) -> int:
        """Incomplete files in the export folder (each counted once, then removed). A killed export's own
        temp file is left in place until the end: the next export removes it, as it would for a user;
        what is still there after the last export (:meth:`last_export`) is counted then."""
        bad = 0
        for path in list(self.out.iterdir()):
            if not final and _export_temp(path):
                continue
            complete = False
            if path.name.startswith("out-") and path.suffix == ".pdf":
                complete = _pdf_ok(path)
            elif path.name.startswith("out-") and path.suffix in (".md", ".html"):
                text = path.read_text(encoding="utf-8", errors="replace")
                complete = bool(text.strip()) and (path.suffix == ".md" or "</html>" in text)
            if not complete:
                bad += 1
                print(f"partial file: {path.name}", file=sys.stderr)
            path.unlink()  # counted once
        return bad

    # --- loops -------------------------------------------------------------------------------------
    def setup(self) -> None:
        proc = self.cli("import", *map(str, SAMPLES))
        if proc.returncode != 0:
            raise SystemExit(f"importing the samples failed: {proc.stderr}")
        self.articles = [int(x) for x in proc.stdout.split()]
        model = _synthetic_model()
        self.timed("model", "model", "install", str(model))

    def loop(self, name: str, target: int) -> None:
        getattr(self, f"_setup_{name}", lambda: None)()
        tries = 0
        while self.kills[name] < target and tries < 6 * target:
            tries += 1
            getattr(self, f"_{name}")()
            self.check()

    def _setup_annotate(self) -> None:
        self.timed("annotate", "annotate", str(self.articles[0]), "--side", "fr", "--quote", "Lavrov")

    def _annotate(self) -> None:
        self.serial += 1
        article = self.rng.choice(self.articles)
        killed, rc, out = self.killed_run("annotate", "annotate", str(article), "--side", "fr", "--quote",
                                          self.rng.choice(QUOTES), "--note", f"note {self.serial}")
        if rc == 0 and out.strip():
            self.reported(("annotation", out.split()[-1]))

    def _term(self) -> str:
        self.serial += 1
        n, letters = self.serial, ""
        while True:
            letters += "abcdefghijklmnopqrstuvwxyz"[n % 26]
            n //= 26
            if not n:
                return f"crash{letters}"

    def _setup_glossary(self) -> None:
        self.timed("glossary", "glossary", "add", self._term(), "crash")

    def _glossary(self) -> None:
        killed, rc, out = self.killed_run("glossary", "glossary", "add", self._term(), "crash term")
        if rc == 0 and out.strip():
            self.reported(("glossary", int(out.split()[-1])))

    def _copy(self) -> tuple[Path, int]:
        self.serial += 1
        src = self.rng.choice(SAMPLES)
        text = src.read_text(encoding="utf-8") + f"\n\nCopie numéro {self.serial} pour le banc d'essai.\n"
        path = self.work / f"copy-{self.serial}.md"
        path.write_text(text, encoding="utf-8")
        return path, len(parse_article(text, origin=path.name).paragraphs)

    def _setup_import(self) -> None:
        path, _n = self._copy()
        self.timed("import", "import", str(path))

    def _import(self) -> None:
        path, n = self._copy()
        killed, rc, out = self.killed_run("import", "import", str(path))
        if rc == 0 and out.strip():
            self.reported(("article", (int(out.split()[-1]), n)))

    def _fresh_article(self) -> int:
        path, _n = self._copy()
        proc = self.cli("import", str(path))
        return int(proc.stdout.split()[-1])

    def _setup_translate(self) -> None:
        self.timed("translate", "translate", str(self._fresh_article()))

    def _translate(self) -> None:
        article = self._fresh_article()
        killed, rc, _out = self.killed_run("translate", "translate", str(article))
        if rc == 0:
            self.reported(("translated", article))

    def _setup_export(self) -> None:
        self.annotated = self.articles[0]
        self.timed("export", "export", str(self.annotated), "-o", str(self.work / "first.pdf"))

    def _export(self) -> None:
        self.serial += 1
        suffix = self.rng.choice([".pdf", ".pdf", ".md", ".html"])
        target = self.out / f"out-{self.serial}{suffix}"
        killed, rc, _out = self.killed_run("export", "export", str(self.annotated), "-o", str(target))
        if rc == 0:
            self.counts["writes_reported_done"] += 1
        if rc == 0 and not target.exists():
            self.counts["writes_lost"] += 1
            print(f"lost: export {target.name}", file=sys.stderr)

    def last_export(self) -> None:
        """One export run to its end after the kills, as the user's next export would be: it must remove
        the temp files the killed ones left (those still there are counted as partial files)."""
        before = {p for p in self.out.iterdir() if _export_temp(p)}
        target = self.out / "out-last.pdf"
        proc = self.cli("export", str(self.annotated), "-o", str(target))
        if proc.returncode != 0:
            raise SystemExit(f"the export after the kills failed: {proc.stderr}")
        self.counts["temps_removed_by_next_export"] = sum(not p.exists() for p in before)


def _export_temp(path: Path) -> bool:
    """A temp file of an export (``.<target>.vv-<host>-<pid>-<random>…part``, reader.export.bundle)."""
    return path.name.startswith(".") and ".vv-" in path.name


def _pdf_ok(path: Path) -> bool:
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(path)).pages) > 0
    except Exception:  # noqa: BLE001 — any failure to read it back means a damaged file
        return False


def _synthetic_model() -> Path:
    spec = importlib.util.spec_from_file_location("visavis_make_test_model", ROOT / "bench" / "make_test_model.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder.cached_test_model()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills-per-loop", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--loops", nargs="+", default=list(LOOPS), choices=LOOPS)
    ap.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="visavis-crash-"))
    try:
        bench = Bench(work, random.Random(args.seed))
        bench.setup()
        for name in args.loops:
            bench.loop(name, args.kills_per_loop)
        if "export" in args.loops:
            bench.last_export()
        bench.check(final=True)
        for name in args.loops:
            print(f"kills_{name}: {bench.kills[name]}")
        for key in bench.counts:
            print(f"{key}: {bench.counts[key]}")
    finally:
        if args.keep:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
