"""Speed of the PDF importer on the biggest real PDF of the tests (tests/data/pdf, see SOURCES.md).

    python bench/import_pdf.py

prints ``pdf_import_pages`` (pages of the file), ``pdf_import_first_s`` (the first import in the process,
the lexicon loaded on the way) and ``pdf_import_ms_per_page`` (best of 3 later imports, per page).
"""

from __future__ import annotations

import time
from pathlib import Path

from reader.importers.pdf import import_pdf

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "pdf"


def main() -> None:
    from pypdf import PdfReader

    biggest = max(DATA.glob("*.pdf"), key=lambda p: len(PdfReader(p).pages) * 10**9 + p.stat().st_size
                  if "scan" not in p.name else -1)
    pages = len(PdfReader(biggest).pages)
    t0 = time.perf_counter()
    import_pdf(biggest)
    first = time.perf_counter() - t0
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        import_pdf(biggest)
        runs.append(time.perf_counter() - t0)
    print(f"pdf_import_file: {biggest.name}")
    print(f"pdf_import_pages: {pages}")
    print(f"pdf_import_first_s: {first:.2f}")
    print(f"pdf_import_ms_per_page: {min(runs) / pages * 1000:.0f}")


if __name__ == "__main__":
    main()
