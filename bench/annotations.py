"""Annotation panel speed on a big library: 100,000 annotations over 1,000 articles.

Prints (milliseconds, median of several runs):

- ``panel_filter_ms``: the panel's filters — one article's annotations by colour, by tag, and the
  library-wide tag filter, each timed; the slowest of them is reported;
- ``panel_search_ms``: a full-text search over notes and quotes (library-wide, accent-folded), plus the
  same search inside one article; the slowest is reported;
- ``open_article_500_annotations_ms``: all annotations of an article that has 500 of them (what opening
  it in the window loads).

Run: ``/work/venv/bin/python bench/annotations.py [--articles 1000] [--annotations 100000] [--db PATH]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core.annotations import PALETTE, Annotation, new_annotation_id, quote_context  # noqa: E402
from reader.core.model import Article, Paragraph, Sentence  # noqa: E402
from reader.storage.store import Store  # noqa: E402

WORDS = (
    "diplomatie sécurité négociation cœur accord sommet ministre délégation Conseil Assemblée "
    "sanctions embargo frontière traité OTAN Ukraine Russie Washington Moscou paix guerre économie "
    "énergie gaz pétrole élection président gouvernement réforme budget"
).split()
TAGS = ["à relire", "vocabulaire", "citation", "chiffres", "question", "important", "style", "source"]


def _text(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words)) + "."


def build_library(store: Store, n_articles: int, n_annotations: int, big_article_annotations: int = 500,
                  seed: int = 7) -> tuple[list[int], int]:
    """Fill *store*; return the article ids and the id of the article with ``big_article_annotations``."""
    rng = random.Random(seed)
    articles = []
    for i in range(n_articles):
        paras = []
        for _ in range(4):
            text = _text(rng, 60)
            paras.append(Paragraph(text=text, sentences=[Sentence(0, len(text))]))
        articles.append(Article(title=f"Article {i}", paragraphs=paras))
    ids = store.add_articles(articles)
    big = ids[0]
    per_article = {aid: 0 for aid in ids}
    per_article[big] = big_article_annotations
    rest = n_annotations - big_article_annotations
    for _ in range(rest):
        per_article[rng.choice(ids[1:])] += 1
    batch: list[Annotation] = []
    colors = list(PALETTE)
    texts = {aid: "\n\n".join(p.text for p in a.paragraphs) for aid, a in zip(ids, articles)}
    for aid, count in per_article.items():
        text = texts[aid]
        for _ in range(count):
            start = rng.randrange(0, len(text) - 40)
            end = start + rng.randrange(5, 40)
            exact, prefix, suffix = quote_context(text, start, end)
            note = _text(rng, rng.randrange(0, 12)) if rng.random() < 0.6 else ""
            batch.append(
                Annotation(
                    id=new_annotation_id(), article_id=aid, side=rng.choice(("fr", "en")), start=start, end=end,
                    exact=exact, prefix=prefix, suffix=suffix, note=note, color=rng.choice(colors),
                    tags=rng.sample(TAGS, rng.randrange(0, 3)),
                )
            )
            if len(batch) >= 5000:
                store.add_annotations(batch)
                batch = []
    if batch:
        store.add_annotations(batch)
    return ids, big


def timed(fn, repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def measure(store: Store, ids: list[int], big: int) -> dict[str, float]:
    other = ids[len(ids) // 2]
    filters = {
        "article+color": timed(lambda: store.annotations(article_id=other, color="red")),
        "article+tag": timed(lambda: store.annotations(article_id=other, tag="Vocabulaire")),
        "library tag+color": timed(lambda: store.annotations(tag="citation", color="blue", limit=200)),
        "library tag (all rows)": timed(lambda: store.annotations(tag="citation")),
    }
    searches = {
        "library search": timed(lambda: store.annotations(query="securite negoc", limit=200)),
        "library search (all rows)": timed(lambda: store.annotations(query="securite negoc")),
        "article search": timed(lambda: store.annotations(article_id=big, query="coeur")),
    }
    return {
        "panel_filter_ms": max(v for k, v in filters.items() if "all rows" not in k),
        "panel_search_ms": max(v for k, v in searches.items() if "all rows" not in k),
        "open_article_500_annotations_ms": timed(lambda: store.annotations(article_id=big)),
        "_detail": {**filters, **searches},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--db", help="keep the database here (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        with Store(path) as store:
            ids, big = build_library(store, args.articles, args.annotations)
        build_s = time.perf_counter() - t0
        with Store(path) as store:  # a fresh connection, as when the app starts
            result = measure(store, ids, big)
    print(f"# {args.annotations} annotations over {args.articles} articles (built in {build_s:.1f} s)")
    for key, value in result.pop("_detail").items():
        print(f"#   {key}: {value:.2f} ms")
    for key, value in result.items():
        print(f"{key}: {value:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
