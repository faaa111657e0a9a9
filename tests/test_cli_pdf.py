"""`visavis import` of PDFs: a real paper imported and shown, re-imported unchanged, a scan refused in one line."""

from __future__ import annotations

import json
import shutil

from test_cli import ROOT, assert_one_clear_line, visavis

PDF = ROOT / "tests" / "data" / "pdf"


def test_import_a_pdf_then_show_it_and_reimport_it(tmp_path):
    db = tmp_path / "lib.db"
    src = tmp_path / "article.pdf"
    shutil.copy(PDF / "gretsi2025-frugalite.pdf", src)
    proc = visavis("import", str(src), db=db)
    assert proc.returncode == 0, proc.stderr
    new_id = int(proc.stdout.split()[-1])
    doc = json.loads(visavis("show", str(new_id), "--format", "json", db=db).stdout)
    assert doc["title"].startswith("Frugalité en télédétection : évaluer la performance")
    french = [p["fr"] for p in doc["pairs"]]
    assert "Alors que les outils d’apprentissage machine et d’intelligence artificielle se sont largement " \
           "développés au sein des méthodes de traitement de données en télédétection [9], l’impact " \
           "écologique de ces outils croît exponentiellement [5, 16]." in french
    again = visavis("import", str(src), db=db)
    assert again.returncode == 0 and again.stdout.split() == [str(new_id)]
    assert f"article.pdf is already in the library as #{new_id}" in again.stderr


def test_import_a_scanned_pdf_is_one_clear_line_and_the_rest_is_imported(tmp_path):
    db = tmp_path / "lib.db"
    proc = visavis("import", str(PDF / "ocrmypdf-francais-scan.pdf"), str(PDF / "jorf-2023-06-21-delegation-dinum.pdf"),
                   db=db)
    assert_one_clear_line(proc, "ocrmypdf-francais-scan.pdf has no text layer (it is a scanned image); "
                                "Vis-à-vis cannot read it without OCR.")
    assert len(proc.stdout.split()) == 1  # the second file was imported
