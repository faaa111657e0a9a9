"""Parallel-view benchmark: open a 300-page book (10,000 sentences) and scroll through it, offscreen.

The book repeats the paragraphs of the five seed articles (parsed with ``reader.core.markup``) until it
holds ``--sentences`` sentences, with a deterministic fake English sentence for each French one.

Prints ``name: value`` lines:

- ``book_paragraphs`` / ``book_sentences``: the size of the book;
- ``book_open_ms``: ``set_article`` + the first paint, at 1200×800;
- ``book_scroll_ms_per_step`` / ``book_scroll_fps``: scrolling to the end by steps of 1/3 of a page,
  each step painted (``repaint``), so every row gets laid out once on the way;
- ``book_wheel_ms_per_step``: the same with wheel-sized steps (3 lines) over the first 300 steps;
- ``book_peak_rss_mb``: the process's peak resident memory (ru_maxrss) after all that.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_book(sentences: int):
    from reader.core.markup import parse_article
    from reader.core.model import Article, Paragraph

    pool: list[Paragraph] = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        pool += [p for p in parse_article(path.read_text(encoding="utf-8")).paragraphs if p.sentences]
    paras: list[Paragraph] = []
    total = 0
    while total < sentences:
        src = pool[len(paras) % len(pool)]
        paras.append(Paragraph(src.text, src.kind, src.speaker, list(src.spans), list(src.sentences)))
        total += len(src.sentences)
    article = Article("Un livre de trois cents pages", paras, author="Bench", source="seeds")
    words = "the delegations met briefly on the sidelines of the meeting and agreed to talk again".split()
    trans = [
        [
            f"EN {p}.{s} " + " ".join(words[: 4 + (p * 7 + s * 3) % len(words)]) + "."
            for s in range(len(para.sentences))
        ]
        for p, para in enumerate(paras)
    ]
    return article, trans, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--mode", choices=("side", "interlinear"), default="side")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from reader.gui.parallel_view import ParallelView

    article, trans, total = build_book(args.sentences)
    view = ParallelView()
    view.set_layout_mode(args.mode)
    view.resize(1200, 800)
    view.show()
    app.processEvents()

    t0 = time.perf_counter()
    view.set_article(article, trans)
    view.repaint()
    app.processEvents()
    open_ms = (time.perf_counter() - t0) * 1000

    sb = view.verticalScrollBar()
    steps = 0
    t0 = time.perf_counter()
    while sb.value() < sb.maximum() and steps < 100_000:
        sb.setValue(sb.value() + max(1, sb.pageStep() // 3))
        view.repaint()
        steps += 1
    scroll_s = time.perf_counter() - t0
    app.processEvents()

    sb.setValue(0)
    view.repaint()
    wheel = 0
    t0 = time.perf_counter()
    for _ in range(300):
        sb.setValue(sb.value() + 3 * sb.singleStep())
        view.repaint()
        wheel += 1
    wheel_s = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_step = scroll_s * 1000 / max(1, steps)
    print(f"book_paragraphs: {len(article.paragraphs)}")
    print(f"book_sentences: {total}")
    print(f"book_open_ms: {open_ms:.0f}")
    print(f"book_scroll_steps: {steps}")
    print(f"book_scroll_ms_per_step: {per_step:.2f}")
    print(f"book_scroll_fps: {1000 / per_step:.0f}")
    print(f"book_wheel_ms_per_step: {wheel_s * 1000 / wheel:.2f}")
    print(f"book_peak_rss_mb: {peak_mb:.0f}")
    view.close()


if __name__ == "__main__":
    main()
