"""Word-alignment hover benchmark: from a mouse move onto a word to the view painted, offscreen.

    python bench/gui_hover.py [--hovers 400] [--mode side|interlinear]

The longest sample article of ``articles/`` is shown at 1200×800 with a deterministic English sentence
for each French one and a synthetic *dense* word alignment for every sentence (each French word linked
to two or three English words around the diagonal, scores varied), given to the view through
``set_alignments`` (a dict look-up, as when the window reads stored alignments). The mouse then moves
from word to word, French and English in turn, over every laid-out paragraph; each hover is one
``MouseMove`` event sent to the viewport followed by ``processEvents()`` until the view has painted.

Prints ``name: value`` lines:

- ``hover_ms``: median time from the mouse move to the end of the paint (target < 16, one frame);
- ``hover_ms_p95``: its 95th percentile;
- ``hover_words``: hovers measured;
- ``full_repaint_ms``: median time of a paint of the whole viewport, for scale.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORD = re.compile(r"\w+(?:[-’']\w+)*")
FILLER = ("the delegations met briefly on the sidelines of the meeting and agreed to talk again about "
          "the war the grain deal and the new treaty").split()


def longest_article():
    from reader.core.markup import parse_article

    paths = sorted((ROOT / "articles").glob("*.md"))
    articles = [parse_article(p.read_text(encoding="utf-8"), origin=p.name) for p in paths]
    return max(articles, key=lambda a: sum(len(p.text) for p in a.paragraphs))


def english_for(french: str, p: int, s: int) -> str:
    n = max(3, round(len(WORD.findall(french)) * 1.1))
    words = [FILLER[(p * 5 + s * 3 + k) % len(FILLER)] for k in range(n)]
    return " ".join(words).capitalize() + "."


def dense_alignment(fr: str, en: str):
    from reader.core.wordalign import WordAlignment

    fw = tuple((m.start(), m.end()) for m in WORD.finditer(fr))
    ew = tuple((m.start(), m.end()) for m in WORD.finditer(en))
    links = {}
    for i in range(len(fw)):
        j = round(i * (len(ew) - 1) / max(1, len(fw) - 1))
        for d, score in ((0, 0.9), (1, 0.45), (-1, 0.2)):
            if 0 <= j + d < len(ew):
                links[(i, j + d)] = max(links.get((i, j + d), 0), score - 0.1 * ((i + d) % 3))
    return WordAlignment(fw, ew, tuple((i, j, max(0.05, sc)) for (i, j), sc in sorted(links.items())))


class PaintCounter:
    """Counts the viewport's paint events."""

    def __init__(self, viewport) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def eventFilter(inner, obj, event):  # noqa: N802, N805
                if event.type() == QEvent.Type.Paint:
                    self.count += 1
                return False

        self.count = 0
        self._filter = Filter()
        viewport.installEventFilter(self._filter)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hovers", type=int, default=400)
    ap.add_argument("--mode", choices=("side", "interlinear"), default="side")
    args = ap.parse_args()

    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from reader.gui.parallel_view import ParallelView

    article = longest_article()
    trans = [[english_for(para.text[s.start:s.end], p, i) for i, s in enumerate(para.sentences)]
             for p, para in enumerate(article.paragraphs)]
    alignments = {}
    for p, para in enumerate(article.paragraphs):
        for i, s in enumerate(para.sentences):
            alignments[(p, i)] = dense_alignment(para.text[s.start:s.end], trans[p][i])

    view = ParallelView()
    view.set_layout_mode(args.mode)
    view.resize(1200, 800)
    view.show()
    view.set_article(article, trans)
    view.set_alignments(alignments)
    app.processEvents()
    vp = view.viewport()
    painted = PaintCounter(vp)

    def move(pos) -> None:
        ev = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                         Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(vp, ev)

    times: list[float] = []
    full: list[float] = []
    while len(times) < args.hovers:
        before = len(times)
        for p, para in enumerate(article.paragraphs):
            if not para.sentences:
                continue
            view.scroll_to_paragraph(p)
            app.processEvents()
            targets = []
            for i, s in enumerate(para.sentences):
                al = alignments[(p, i)]
                en0 = view.english_sentence_range(p, i)[0]
                for k in range(0, len(al.fr_words), 2):
                    fa, fb = al.fr_words[k]
                    targets.append(("fr", s.start + fa, s.start + fb))
                    ea, eb = al.en_words[min(k, len(al.en_words) - 1)]
                    targets.append(("en", en0 + ea, en0 + eb))
            for side, a, b in targets:
                rects = view.text_rects(side, p, a, b)
                if not rects or not vp.rect().contains(rects[0].center()):
                    continue
                n = painted.count
                t0 = time.perf_counter()
                move(rects[0].center())
                app.processEvents()
                dt = (time.perf_counter() - t0) * 1000
                if painted.count > n and view.word_links():  # a hover that lit words and was painted
                    times.append(dt)
                if len(times) >= args.hovers:
                    break
            t0 = time.perf_counter()
            view.repaint()
            full.append((time.perf_counter() - t0) * 1000)
            if len(times) >= args.hovers:
                break
        if len(times) == before:
            raise SystemExit("no hover lit any word: nothing measured")

    times.sort()
    print(f"hover_ms: {statistics.median(times):.2f}")
    print(f"hover_ms_p95: {times[int(len(times) * 0.95) - 1]:.2f}")
    print(f"hover_words: {len(times)}")
    print(f"full_repaint_ms: {statistics.median(full):.2f}")
    view.close()


if __name__ == "__main__":
    main()
