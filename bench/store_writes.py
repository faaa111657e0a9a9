"""Write paths of the store: where sqlite-utils is used and where raw SQL was kept, and why.

Prints ``name: value`` lines (microseconds per row, median of several runs, each run in one transaction
on a file database in WAL mode, as the store writes):

- ``sentences_executemany_us_per_row`` / ``sentences_insert_all_us_per_row``: inserting sentence rows
  (an import writes thousands at once) with ``executemany`` (kept, ``articles._insert_body``) and with
  sqlite-utils' ``insert_all``;
- ``translations_executemany_us_per_row`` / ``translations_upsert_all_us_per_row``: the translation
  cache's upsert (``store_translations`` now runs its own ``INSERT … ON CONFLICT``, the executemany: sqlite-utils'
  ``upsert_all`` probes with a table created and dropped; a few µs per sentence either way beside an inference
  of tens of milliseconds per sentence);
- ``single_insert_raw_us`` / ``single_insert_sqlite_utils_us``: one row (article row, meta, hand edit);
- ``add_articles_ms_per_100``, ``store_translations_ms_per_10000``, ``add_annotations_ms_per_1000``: the
  store's own calls, end to end (commit included).

Run: ``PYTHONPATH=. python bench/store_writes.py``
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core.annotations import make_annotation  # noqa: E402
from reader.core.model import Article, Paragraph, Sentence  # noqa: E402
from reader.storage.store import Store  # noqa: E402

N_ROWS = 20_000
RUNS = 5


def _fresh(folder: Path, name: str) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / name, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        'CREATE TABLE sentences (article_id INTEGER NOT NULL, paragraph INTEGER NOT NULL, idx INTEGER NOT NULL, '
        'start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (article_id, paragraph, idx))'
    )
    conn.execute(
        "CREATE TABLE translations (model_id TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, "
        "created TEXT NOT NULL, PRIMARY KEY (model_id, source)) WITHOUT ROWID"
    )
    conn.execute("CREATE TABLE one (id INTEGER PRIMARY KEY, title TEXT NOT NULL, added TEXT NOT NULL)")
    return conn


def _per_row_us(folder: Path, write, n: int) -> float:
    times = []
    for run in range(RUNS):
        conn = _fresh(folder, f"run-{write.__name__}-{run}.db")
        db = sqlite_utils.Database(conn)
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        write(conn, db)
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1e6 / n)
        conn.close()
    return statistics.median(times)


SENTENCES = [
    {"article_id": 1, "paragraph": i // 20, "idx": i % 20, "start": 0, "end": 40, "text": f"Phrase numéro {i}."}
    for i in range(N_ROWS)
]
PAIRS = [
    {"model_id": "m", "source": f"Phrase numéro {i} du cache.", "target": f"Sentence {i}.", "created": "now"}
    for i in range(N_ROWS)
]
N_SINGLE = 2_000


def sentences_executemany(conn, db):
    conn.executemany('INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?)', [tuple(r.values()) for r in SENTENCES])


def sentences_insert_all(conn, db):
    db.table("sentences").insert_all(SENTENCES)


def translations_executemany(conn, db):
    conn.executemany(
        "INSERT INTO translations VALUES (?, ?, ?, ?) ON CONFLICT (model_id, source) "
        "DO UPDATE SET target = excluded.target, created = excluded.created",
        [tuple(r.values()) for r in PAIRS],
    )


def translations_upsert_all(conn, db):
    db.table("translations").upsert_all(PAIRS, pk=("model_id", "source"))


def single_raw(conn, db):
    for i in range(N_SINGLE):
        conn.execute("INSERT INTO one (title, added) VALUES (?, ?)", (f"t{i}", "now"))


def single_sqlite_utils(conn, db):
    table = db.table("one")
    for i in range(N_SINGLE):
        table.insert({"title": f"t{i}", "added": "now"})


def _article(rng: random.Random, i: int) -> Article:
    paragraphs = []
    for _ in range(10):
        text = " ".join(f"Phrase {rng.randrange(10**6)} de l'article {i}." for _ in range(5))
        starts = [0]
        for _ in range(4):
            starts.append(text.index(". ", starts[-1]) + 2)
        ends = [s - 1 for s in starts[1:]] + [len(text)]
        paragraphs.append(Paragraph(text, sentences=[Sentence(s, e) for s, e in zip(starts, ends)]))
    return Article(title=f"Article {i}", paragraphs=paragraphs)


def store_calls(folder: Path) -> dict[str, float]:
    rng = random.Random(3)
    out: dict[str, list[float]] = {"add_articles_ms_per_100": [], "store_translations_ms_per_10000": [],
                                   "add_annotations_ms_per_1000": []}
    for run in range(RUNS):
        with Store(folder / f"store-{run}.db") as s:
            articles = [_article(rng, i) for i in range(100)]
            t0 = time.perf_counter()
            ids = s.add_articles(articles)
            out["add_articles_ms_per_100"].append((time.perf_counter() - t0) * 1e3)
            pairs = {f"Phrase {run} {i} du cache.": f"Sentence {i}." for i in range(10_000)}
            t0 = time.perf_counter()
            s.store_translations("m", pairs)
            out["store_translations_ms_per_10000"].append((time.perf_counter() - t0) * 1e3)
            text = articles[0].paragraphs[0].text
            notes = [make_annotation(text, ids[i % 100], "fr", 0, 6, note=f"note {i}", tags=["a", "b"])
                     for i in range(1000)]
            t0 = time.perf_counter()
            s.add_annotations(notes)
            out["add_annotations_ms_per_1000"].append((time.perf_counter() - t0) * 1e3)
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures = {
            "sentences_executemany_us_per_row": _per_row_us(folder, sentences_executemany, N_ROWS),
            "sentences_insert_all_us_per_row": _per_row_us(folder, sentences_insert_all, N_ROWS),
            "translations_executemany_us_per_row": _per_row_us(folder, translations_executemany, N_ROWS),
            "translations_upsert_all_us_per_row": _per_row_us(folder, translations_upsert_all, N_ROWS),
            "single_insert_raw_us": _per_row_us(folder, single_raw, N_SINGLE),
            "single_insert_sqlite_utils_us": _per_row_us(folder, single_sqlite_utils, N_SINGLE),
            **store_calls(folder),
        }
    for name, value in figures.items():
        print(f"{name}: {value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
