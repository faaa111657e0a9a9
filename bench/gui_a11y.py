"""Accessibility of the parallel view on a book: what a screen reader's presence costs, offscreen.

    python bench/gui_a11y.py [--sentences 10000] [--steps 200]

A ~300-page book (the seed articles' paragraphs repeated to ``--sentences`` sentences, a deterministic
English sentence for each) is shown in a 1200×800 ``ParallelView``, first with accessibility inactive
(no assistive technology: the usual case), then active (``QAccessible.setActive(True)``, as when a
screen reader runs). With it active, the view's interface is queried like an assistive technology
would, and the keyboard walks the book sentence by sentence (Down), each step announced and painted.

Prints ``name: value`` lines:

- ``open_ms`` / ``open_active_ms``: ``set_article`` of the book until painted, inactive / active;
- ``a11y_interface_ms``: the view's interface and its child count (every pair) the first time;
- ``a11y_far_pair_ms``: pair 9,000's two sentences: text, description, attributes;
- ``key_step_ms``: median Down step (select, scroll, focus event, paint) with accessibility active;
- ``a11y_nodes_built``: accessible objects made after all that (lazy: a few per step, not per pair).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def book(sentences: int):
    from reader.core.markup import parse_article
    from reader.core.model import Article

    seeds = [parse_article(p.read_text(encoding="utf-8"), origin=p.name)
             for p in sorted((ROOT / "articles").glob("*.md"))]
    paras, total = [], 0
    while total < sentences:
        for a in seeds:
            for para in a.paragraphs:
                if para.sentences:
                    paras.append(para)
                    total += len(para.sentences)
    trans = [[f"EN {p}.{s} the delegations met briefly and agreed to talk again." for s in range(len(para.sentences))]
             for p, para in enumerate(paras)]
    return Article("Livre", paras), trans, total


def painted(app, view) -> None:
    view.viewport().repaint()
    app.processEvents()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=200)
    args = ap.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from reader.gui.parallel_view import ParallelView

    app = QApplication.instance() or QApplication([])
    article, trans, total = book(args.sentences)
    view = ParallelView()
    view.resize(1200, 800)
    view.show()
    app.processEvents()

    t0 = time.perf_counter()
    view.set_article(article, trans)
    painted(app, view)
    open_ms = (time.perf_counter() - t0) * 1000

    QAccessible.setActive(True)
    view.clear()
    t0 = time.perf_counter()
    view.set_article(article, trans)
    painted(app, view)
    open_active_ms = (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    iface = QAccessible.queryAccessibleInterface(view)
    count = iface.childCount()
    interface_ms = (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    pair = iface.child(min(9_000, count - 1))
    for i in (0, 1):
        node = pair.child(i)
        node.text(QAccessible.Text.Name)
        node.text(QAccessible.Text.Description)
        node.attributesInterface().attributeValue(QAccessible.Attribute.Custom)
    far_ms = (time.perf_counter() - t0) * 1000

    view.activateWindow()
    view.setFocus()
    app.processEvents()
    steps = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Down)
        painted(app, view)
        steps.append((time.perf_counter() - t0) * 1000)

    print(f"book_sentences: {total}")
    print(f"a11y_children: {count}")
    print(f"open_ms: {open_ms:.1f}")
    print(f"open_active_ms: {open_active_ms:.1f}")
    print(f"a11y_interface_ms: {interface_ms:.2f}")
    print(f"a11y_far_pair_ms: {far_ms:.2f}")
    print(f"key_step_ms: {statistics.median(steps):.2f}")
    print(f"a11y_nodes_built: {view._a11y.built()}")


if __name__ == "__main__":
    main()
