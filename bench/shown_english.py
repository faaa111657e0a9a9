"""What the window pays on the GUI thread to read the English it shows (``reader.ops.enforce.shown_english``:
hand edit > glossary-enforced > machine) each time an article's rows are reloaded — at open, and after
every glossary change or stored chunk of enforced English.

    PYTHONPATH=$PWD python bench/shown_english.py [--sentences 10000] [--glossary 200] [--runs 5]

A temporary library: the five seeds and a book (the seeds' sentences repeated to ``--sentences``, each
made unique by a number, so nothing is matched once for many), every
sentence's machine English cached (the fake engine's "EN: …"), ``--glossary`` entries made of the seeds'
words (those of ``bench/gui_book.py``), the enforced layer filled (text fallback). Prints medians:

- ``shown_english_article_ms``: the longest seed article;
- ``shown_english_book_ms``: the book (the glossary matched in every sentence);
- ``shown_english_book_cached_ms``: the book again with the plan (the glossary's matcher and the
  per-sentence terms) kept from the previous reload, as the window does while the glossary is unchanged;
- ``chunk_refill_ms``: what the window reads when a job stored one chunk (64 sentences) of enforced
  English in the book (``reader.ops.enforce.enforced_for`` with the kept plan).

The window (``reader.gui.win_article``) keeps the plan from the article's open until the glossary changes.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _book_module():
    spec = importlib.util.spec_from_file_location("visavis_bench_gui_book", ROOT / "bench" / "gui_book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_book(sentences: int, paragraphs: list):
    """A book of ``sentences`` distinct sentences: the seeds' ones, numbered, five to a paragraph."""
    from reader.core.markup import parse_article

    pool = [t for p in paragraphs for t in p.sentence_texts()]
    texts = [f"{k} {pool[k % len(pool)]}" for k in range(sentences)]
    body = "\n\n".join(" ".join(texts[i:i + 5]) for i in range(0, len(texts), 5))
    article = parse_article(f"# Un livre\n\n{body}\n")
    return article, sum(len(p.sentences) for p in article.paragraphs)


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=10000)
    ap.add_argument("--glossary", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from reader.ops.enforce import CHUNK, enforce_sources, enforced_for, shown_english, store_plan
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    book_mod = _book_module()
    model_id = "fake:fr-en:1"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "lib.db")
        ensure_samples(store)
        book, total = build_book(args.sentences, book_mod._seed_paragraphs())
        book_id = store.add_article(book)
        for summary in store.list_articles():
            texts = [t for _p, _s, t in store.article_sentences(summary.id)]
            store.store_translations(model_id, {t: f"EN: {t}" for t in texts})
        store.save_glossary_entries(add=book_mod._glossary_entries(args.glossary, random.Random(20240601)))
        sources = list(dict.fromkeys(t for _a, _p, _s, t in store.library_sentences()))
        enforce_sources(store, None, model_id, sources)
        seeds = [a for a in store.list_articles() if a.id != book_id]
        longest = max(seeds, key=lambda a: a.n_sentences)
        print(f"library: {len(seeds)} seeds + a book of {total} sentences; {store.glossary_count()} entries",
              file=sys.stderr)
        print(f"shown_english_article_ms: {_median_ms(lambda: shown_english(store, longest.id, model_id), args.runs):.1f}")
        print(f"shown_english_book_ms: {_median_ms(lambda: shown_english(store, book_id, model_id), args.runs):.1f}")
        plan = store_plan(store)
        shown_english(store, book_id, model_id, plan=plan)  # the plan learns the book's sentences
        print(f"shown_english_book_cached_ms: "
              f"{_median_ms(lambda: shown_english(store, book_id, model_id, plan=plan), args.runs):.1f}")
        book_sources = [t for _p, _s, t in store.article_sentences(book_id)]
        machine = store.cached_translations(model_id, book_sources)
        chunk = [(t, machine[t]) for t in book_sources[len(book_sources) // 2:][:CHUNK]]
        print(f"chunk_refill_ms: {_median_ms(lambda: enforced_for(store, model_id, plan, chunk), args.runs):.1f}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
