"""Glossary matching benchmark: 5,000 realistic entries over the longest seed article.

Entries are built from the seed articles' own vocabulary: every distinct word (surface forms, so many
share a lemma — as a real glossary grown from reading would), topped up with two- and three-word terms
(consecutive word pairs/triples from the seeds, so many really occur, plus random combinations that do not).

Prints ``name: value`` lines:

- ``glossary_build_ms``: building the matcher (lemma keys of every entry, cold lemma cache);
- ``glossary_match_cold_ms``: the first ``find`` over the whole article text (its words not yet lemmatised);
- ``glossary_match_ms``: the median of 20 further ``find`` calls over the whole article (warm cache: what
  every repaint of an open article costs);
- ``glossary_match_per_paragraph_ms``: the same, summed paragraph by paragraph (how the view calls it).

Usage: ``python bench/glossary_match.py [--entries N]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.core.glossary import GlossaryEntry, GlossaryMatcher, tokenize  # noqa: E402


def build_terms(texts: list[str], n: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    words: list[str] = []
    ngrams: list[str] = []
    for text in texts:
        toks = [t for t in tokenize(text) if not t.clitic]
        plain = [t.text for t in toks if len(t.text) > 2]
        words += plain
        for k in (2, 3):
            for i in range(len(toks) - k):
                span = toks[i : i + k]
                gap_ok = all(text[a.end : b.start].isspace() for a, b in zip(span, span[1:]))
                if gap_ok and all(len(t.text) > 1 for t in span):
                    ngrams.append(" ".join(t.text for t in span))
    vocab = sorted(set(words))
    terms = list(dict.fromkeys(vocab))[: n // 2]
    ngrams = sorted(set(ngrams))
    rng.shuffle(ngrams)
    terms += ngrams[: (n - len(terms)) * 2 // 3]
    while len(terms) < n:
        terms.append(" ".join(rng.sample(vocab, rng.choice((2, 3)))))
    return terms[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=5000)
    args = ap.parse_args()

    paths = sorted((ROOT / "articles").glob("*.md"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    name, text = max(texts.items(), key=lambda kv: len(kv[1]))
    terms = build_terms(list(texts.values()), args.entries)

    t0 = time.perf_counter()
    matcher = GlossaryMatcher(GlossaryEntry(term=t) for t in terms)
    build = time.perf_counter() - t0

    # The article's words are (mostly) already in the lemma cache from building the entries; measure
    # the cold case on text the cache has not seen: clear it first.
    from reader.core import glossary as g

    g.token_keys.cache_clear()
    g._lemma.cache_clear()
    t0 = time.perf_counter()
    hits = matcher.find(text)
    cold = time.perf_counter() - t0

    runs = []
    for _ in range(20):
        t0 = time.perf_counter()
        matcher.find(text)
        runs.append(time.perf_counter() - t0)
    paragraphs = [p for p in text.split("\n") if p.strip()]
    per_para = []
    for _ in range(20):
        t0 = time.perf_counter()
        for p in paragraphs:
            matcher.find(p)
        per_para.append(time.perf_counter() - t0)

    print(f"article: {name} ({len(text)} characters, {len(paragraphs)} paragraphs)")
    print(f"entries: {matcher.entry_count}")
    print(f"matches: {len(hits)}")
    print(f"glossary_build_ms: {build * 1000:.1f}")
    print(f"glossary_match_cold_ms: {cold * 1000:.1f}")
    print(f"glossary_match_ms: {statistics.median(runs) * 1000:.1f}")
    print(f"glossary_match_per_paragraph_ms: {statistics.median(per_para) * 1000:.1f}")


if __name__ == "__main__":
    main()
