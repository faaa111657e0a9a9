"""Speed of the pure-Python text core: French segmentation of the samples, and markup parsing of inputs
that make a backtracking parser explode (the timings the tests used to assert; tests have no
wall-clock limits).

    python bench/core_speed.py

prints ``segment_seeds_ms`` (best of 5 over every line of the five samples; target < 50) and
``markup_pathological_max_ms`` (the slowest of the pathological inputs; target < 5000).
"""

from __future__ import annotations

import time
from pathlib import Path

from reader.core.markup import parse_article
from reader.core.segment import segment

ROOT = Path(__file__).resolve().parents[1]

PATHOLOGICAL = [
    "Titre\n" + "[a" * 50_000 + "](" * 50_000,
    "Titre\n" + "*a " * 100_000,
    "Titre\nPar " + "a, " * 100_000,
    "Titre\n" + "Question : " * 50_000,
]


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    lines = [line for path in sorted((ROOT / "articles").glob("*.md"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:  # warm-up
        segment(line)
    best = min(_ms(lambda: [segment(line) for line in lines]) for _ in range(5))
    print(f"segment_seeds_ms: {best:.1f}")
    print(f"markup_pathological_max_ms: {max(_ms(lambda t=t: parse_article(t)) for t in PATHOLOGICAL):.0f}")


if __name__ == "__main__":
    main()
