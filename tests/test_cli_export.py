"""`visavis export`: every format end to end through the command, and each error as one clear line."""

from __future__ import annotations

import json
import os
import sys

import pytest
from test_cli import assert_one_clear_line, visavis


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A library of samples with one French highlight with a note on article 1."""
    path = tmp_path_factory.mktemp("cli-export") / "lib.db"
    proc = visavis("annotate", "1", "--side", "fr", "--quote", "Blinken", "--note", "Le secrétaire d’État",
                   "--color", "green", "--tag", "usa", db=path)
    assert proc.returncode == 0, proc.stderr
    return path


def test_export_pdf_with_highlights(db, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "out.pdf"
    proc = visavis("export", "1", "-o", str(out), db=db)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "export pdf [" in proc.stderr  # the progress bar
    assert f"{out}: 1 article, " in proc.stdout and "1 highlight" in proc.stdout
    assert out.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(out))
    assert str(len(reader.pages)) + " page" in proc.stdout
    annots = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])]
    hl = [a for a in annots if a["/Subtype"] == "/Highlight"]
    assert len(hl) == 1 and "Le secrétaire d’État" in str(hl[0]["/Contents"])
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4 by default


def test_export_options_and_several_articles(db, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "pack.pdf"
    proc = visavis("export", "1", "2", "-o", str(out), "--paper", "letter", "--notes", "endnotes",
                   "--content", "highlights", "--left", "en", "--only-annotated", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "2 articles" in proc.stdout
    reader = PdfReader(str(out))
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert reader.metadata.title == "2 articles — Vis-à-vis"


@pytest.mark.parametrize(
    "name,extra,needle",
    [
        ("notes.md", (), '<mark class="green" style="background:#9fd186">Blinken</mark>'),
        ("page.html", (), "<mark"),
        ("page.htm", (), "<!DOCTYPE html>"),
        ("study.txt", ("--format", "md"), '<mark class="green" style="background:#9fd186">Blinken</mark>'),
    ],
)
def test_export_text_formats(db, tmp_path, name, extra, needle):
    out = tmp_path / name
    proc = visavis("export", "1", "-o", str(out), *extra, db=db)
    assert proc.returncode == 0, proc.stderr
    assert needle in out.read_text(encoding="utf-8")


def test_export_w3c_round_trips(db, tmp_path):
    from reader.core.annotations import collection_from_w3c

    out = tmp_path / "annotations.jsonld"
    proc = visavis("export", "1", "-o", str(out), db=db)
    assert proc.returncode == 0, proc.stderr
    assert "1 annotation" in proc.stdout
    items = collection_from_w3c(json.loads(out.read_text(encoding="utf-8")))
    assert len(items) == 1
    a = items[0]
    assert (a.article_id, a.side, a.exact, a.note, a.color, a.tags) == (1, "fr", "Blinken", "Le secrétaire d’État",
                                                                        "green", ["usa"])


def test_errors_are_one_clear_line(db, tmp_path):
    assert_one_clear_line(visavis("export", "99", "-o", str(tmp_path / "x.pdf"), db=db), "no article with id 99")
    assert_one_clear_line(visavis("export", "1", "-o", str(tmp_path / "nope" / "x.pdf"), db=db),
                          "does not exist", "nope")
    assert_one_clear_line(visavis("export", "1", "-o", str(tmp_path / "x.docx"), db=db), "format", "x.docx")
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert_one_clear_line(visavis("export", "1", "-o", str(folder), db=db), "folder")
    assert not [p for p in tmp_path.iterdir() if p.name != "folder.pdf"]


@pytest.mark.skipif(sys.platform != "linux", reason="needs a folder nobody can write in")
def test_unwritable_folder_is_one_clear_line(db, tmp_path):
    if os.geteuid() == 0:  # root writes anywhere: use a folder no one can create files in
        target = "/proc/visavis-export.pdf"
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = str(ro / "x.pdf")
    assert_one_clear_line(visavis("export", "1", "-o", target, db=db), "Cannot write")


def test_export_needs_ids_and_output(db):
    proc = visavis("export", "1", db=db)
    assert proc.returncode == 2 and "-o" in proc.stderr
    proc = visavis("export", "-o", "x.pdf", db=db)
    assert proc.returncode == 2


def test_export_pdf_font_size_and_typesetting_options(db, tmp_path):
    """--font-size (5–24 pt) reaches the PDF (#12: it existed only in the code), with the other
    typesetting options; a size out of range is one clear line."""
    from pypdf import PdfReader

    small, large = tmp_path / "small.pdf", tmp_path / "large.pdf"
    assert visavis("export", "1", "-o", str(small), "--font-size", "8", db=db).returncode == 0
    proc = visavis("export", "1", "-o", str(large), "--font-size", "16", "--justify", "--flatten-highlights",
                   "--tint-counterparts", db=db)
    assert proc.returncode == 0, proc.stderr
    assert len(PdfReader(str(large)).pages) > len(PdfReader(str(small)).pages)
    proc = visavis("export", "1", "-o", str(tmp_path / "x.pdf"), "--font-size", "30", db=db)
    assert_one_clear_line(proc, "30", "5 to 24")
    assert not (tmp_path / "x.pdf").exists()
