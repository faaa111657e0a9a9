"""Benchmark of the annotated bilingual PDF export.

1. The five seed articles with 50 annotations (target < 2 s).
2. A ~300-page « book »: seed paragraphs repeated to ~10,000 sentences, 2,000 annotations
   (target < 60 s and < 1 GB peak RSS).

3. Typesetting of the five seeds: ``pdf_tabs_extracted`` (spaces that extract as TABs: 0), and
   ``max_blank_band_<size>`` at 8, 10.5, 16 and 24 pt — the largest blank band at the bottom of a page
   that is not an article's last, as a fraction of the text area (target ≤ 0.15), measured from the
   layout and confirmed on ``pdftoppm`` renders (``max_blank_band_render_<size>``: the tallest run of
   blank pixel rows inside the text area of those pages).

Prints ``pdf_seed_s``, ``pdf_book_s``, ``pdf_book_pages``, ``pdf_pages_per_s``, ``pdf_book_peak_rss_mb``,
``pdf_tabs_extracted``, ``max_blank_band_*``.
Usage: ``python bench/export_pdf.py [--out DIR] [--sentences N] [--no-book]``
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reader.core.markup import parse_article  # noqa: E402
from reader.core.model import Article  # noqa: E402
from reader.export.bundle import (  # noqa: E402
    ExportArticle,
    ExportGlossaryEntry,
    ExportHighlight,
    ExportOptions,
    english_sentence_ranges,
)
from reader.export.pdf import ensure_gui_app, export_pdf, lay_out  # noqa: E402

COLORS = ["#ffd400", "#ff6666", "#5fb236", "#2ea8e5", "#a28ae5"]
WORDS = ("the minister said that both delegations discussed the situation in detail and agreed to keep "
         "talking while the press waited outside the room for a statement that never came").split()


def english(p: int, s: int, french: str) -> str:
    text, i = f"EN {p}.{s}:", (p * 7 + s * 3) % len(WORDS)
    while len(text) < len(french):
        text += " " + WORDS[i % len(WORDS)]
        i += 1
    return text + "."


def seeds() -> list[Article]:
    return [parse_article(p.read_text(encoding="utf-8"), p.name) for p in sorted((ROOT / "articles").glob("*.md"))]


def translate(art: Article) -> list[list[str | None]]:
    return [[english(p, s, t) for s, t in enumerate(para.sentence_texts())] for p, para in enumerate(art.paragraphs)]


def annotate(art: Article, eng, n: int, seed: int = 0) -> list[ExportHighlight]:
    """``n`` highlights spread over the article, alternating sides, most with a note."""
    spots = [(p, s) for p, para in enumerate(art.paragraphs) for s in range(len(para.sentences))]
    out = []
    step = max(1, len(spots) // max(1, n))
    for k in range(n):
        p, s = spots[(k * step + k // max(1, len(spots))) % len(spots)]
        if k % 2 == 0:
            sent = art.paragraphs[p].sentences[s]
            a, b = sent.start, min(sent.end, sent.start + 40 + (k % 5) * 30)
            side = "fr"
        else:
            a, b = english_sentence_ranges(eng[p])[s]
            side = "en"
        if b <= a:
            continue
        note = f"Note {k}: à revoir — “{k % 7}” « sens » — 15 сентября" if k % 3 else ""
        out.append(ExportHighlight(f"b{seed}-{k}", side, p, a, b, COLORS[k % 5], note,
                                   ["bench", f"t{k % 4}"] if k % 2 else [], "Bench", "2025-10-26T14:03:00Z"))
    return out


def seed_articles(annotations: int = 50) -> list[ExportArticle]:
    arts = seeds()
    per = annotations // len(arts)
    out = []
    for i, art in enumerate(arts):
        eng = translate(art)
        out.append(ExportArticle(art, eng, annotate(art, eng, per, i),
                                 [ExportGlossaryEntry("homologue", "counterpart", "")], english_title=art.title))
    return out


def book(sentences: int = 10_000, annotations: int = 2_000) -> ExportArticle:
    paragraphs = [p for art in seeds() for p in art.paragraphs if p.sentences]
    chapter = Article("Un livre d’essai : les rencontres Lavrov", author="Bench", source="Vis-à-vis bench")
    count, i = 0, 0
    while count < sentences:
        para = copy.deepcopy(paragraphs[i % len(paragraphs)])
        chapter.paragraphs.append(para)
        count += len(para.sentences)
        i += 1
    eng = translate(chapter)
    return ExportArticle(chapter, eng, annotate(chapter, eng, annotations), [], english_title="A test book")


def layout_blank_bands(arts: list[ExportArticle], size: float) -> list[float]:
    return lay_out(arts, ExportOptions(font_size=size)).blank_bands()


def render_blank_bands(pdf: Path, article_pages: list[int], pages: int, dpi: int = 30) -> list[float]:
    """The tallest run of white pixel rows in the text area of every page that is not an article's
    last (nor before the first article), from pdftoppm's render."""
    import shutil
    import subprocess

    from PySide6.QtGui import QImage

    if not shutil.which("pdftoppm"):
        return []
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(stem)], check=True)
    lasts = {b - 1 for b in article_pages[1:]} | {pages}
    out = []
    for n in range(article_pages[0], pages + 1):
        if n in lasts:
            continue
        png = next(pdf.parent.glob(f"{stem.name}-{n:0{len(str(pages))}d}.png"))
        img = QImage(str(png))
        k = dpi / 25.4
        top, bottom = round(22 * k), img.height() - round(18 * k)
        run = best = 0
        for y in range(top, bottom):
            blank = all(img.pixelColor(x, y).lightness() > 245 for x in range(round(17 * k), img.width() - round(17 * k)))
            run = run + 1 if blank else 0
            best = max(best, run)
        out.append(best / (bottom - top))
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="keep the PDFs in this folder")
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--no-book", action="store_true", help="skip the 300-page book")
    args = ap.parse_args()
    ensure_gui_app()
    out = args.out or Path(tempfile.mkdtemp(prefix="visavis-bench-"))
    out.mkdir(parents=True, exist_ok=True)

    arts = seed_articles(50)
    export_pdf(arts, out / "warmup.pdf", ExportOptions())  # fonts, Qt caches
    t = time.perf_counter()
    export_pdf(arts, out / "seeds.pdf", ExportOptions())
    seed_s = time.perf_counter() - t
    print(f"pdf_seed_s: {seed_s:.2f}", flush=True)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(out / "seeds.pdf")).pages)
    print(f"pdf_tabs_extracted: {text.count(chr(9))}")
    for size in (8, 10.5, 16, 24):
        bands = layout_blank_bands(arts, size)
        print(f"max_blank_band_{size}: {max(bands, default=0):.3f}")
        pdf = out / f"seeds-{size}.pdf"
        rep = export_pdf(arts, pdf, ExportOptions(font_size=size))
        rendered = render_blank_bands(pdf, rep.article_pages, rep.pages)
        if rendered:
            print(f"max_blank_band_render_{size}: {max(rendered):.3f}", flush=True)
    if args.no_book:
        return

    bk = book(args.sentences, 2_000)
    n_sent = sum(len(p.sentences) for p in bk.article.paragraphs)
    t = time.perf_counter()
    report = export_pdf([bk], out / "book.pdf", ExportOptions())
    book_s = time.perf_counter() - t
    print(f"pdf_book_sentences: {n_sent}")
    print(f"pdf_book_annotations: {report.highlights}")
    print(f"pdf_book_s: {book_s:.2f}")
    print(f"pdf_book_pages: {report.pages}")
    print(f"pdf_pages_per_s: {report.pages / book_s:.1f}")
    print(f"pdf_book_peak_rss_mb: {peak_rss_mb():.0f}")
    print(f"pdf_book_size_mb: {(out / 'book.pdf').stat().st_size / 1e6:.1f}")


if __name__ == "__main__":
    main()
