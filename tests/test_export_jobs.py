"""Gathering stored articles for export (reader.ops.export) and writing every format from a real Store."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess

import pytest

from reader.ops.annotate import side_text_for
from reader.core.annotations import PALETTE, collection_from_w3c, make_annotation
from reader.core.errors import NotFoundError
from reader.core.glossary import GlossaryEntry
from reader.core.progress import Cancelled, Progress
from reader.export.bundle import ExportError, ExportOptions, ExportReport, english_cell_text
from reader.ops.export import collect_export_articles, format_for_path, run_export
from reader.ops.library import ensure_samples
from reader.storage.store import Store

MODEL = "fake:fr-en:1"


def fake_en(text: str) -> str:
    return f"EN[{text}]"


def translate_fake(store: Store, article_id: int) -> None:
    store.store_translations(MODEL, {t: fake_en(t) for _p, _s, t in store.article_sentences(article_id)})


def annotate(store: Store, article_id: int, side: str, quote: str, occurrence: int = 1, **kw):
    st = side_text_for(store, article_id, side, MODEL)
    at = -1
    for _ in range(occurrence):
        at = st.text.index(quote, at + 1)
    a = make_annotation(st, article_id, side, at, at + len(quote), **kw)
    store.add_annotation(a)
    return a


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "lib.db")
    ensure_samples(s)
    translate_fake(s, 1)
    yield s
    s.close()


@pytest.fixture
def annotated(store):
    """Article 1 with a French highlight + note, an English highlight, a two-paragraph highlight, an
    orphan, a hand edit, and three glossary entries (two occur in article 1)."""
    art = store.get_article(1)
    store.set_edited_translation(1, 0, 1, "A corrected second sentence.")
    fr = annotate(store, 1, "fr", "secrétaire d’État", note="Secretary of State", color="green", tags=["usa"])
    en = annotate(store, 1, "en", "A corrected second", color="blue")
    # Across the paragraph break between paragraphs 0 and 1 (French side).
    fr_side = side_text_for(store, 1, "fr")
    p0_end = fr_side.paragraph_range(0)[1]
    p1_start = fr_side.paragraph_range(1)[0]
    span = make_annotation(fr_side, 1, "fr", p0_end - 10, p1_start + 7, note="spans two", color="purple")
    store.add_annotation(span)
    orphan = annotate(store, 1, "fr", "Blinken", occurrence=2)
    orphan.status = "orphaned"
    store.update_annotation(orphan)
    store.add_glossary_entry(GlossaryEntry(term="ministre", translation="minister", note="m."))
    store.add_glossary_entry(GlossaryEntry(term="secrétaire d’État", translation="Secretary of State"))
    store.add_glossary_entry(GlossaryEntry(term="zeppelin", translation="zeppelin"))
    return {"article": art, "fr": fr, "en": en, "span": span, "orphan": orphan}


def test_collect_builds_english_highlights_and_glossary(store, annotated):
    art = annotated["article"]
    col = collect_export_articles(store, [1], MODEL)
    assert len(col) == 1
    ea = col[0]
    assert ea.article.title == art.title
    # English per sentence, hand edit included
    assert ea.english[0][0] == fake_en(art.paragraphs[0].sentences[0].text_in(art.paragraphs[0].text))
    assert ea.english[0][1] == "A corrected second sentence."
    assert [len(r) for r in ea.english] == [len(p.sentences) for p in art.paragraphs]

    by_id = {h.id: h for h in ea.highlights}
    fr = by_id[annotated["fr"].id]
    assert (fr.side, fr.paragraph) == ("fr", 0)
    assert art.paragraphs[0].text[fr.start : fr.end] == "secrétaire d’État"
    assert fr.color == PALETTE["green"] and fr.note == "Secretary of State" and fr.tags == ["usa"]
    en = by_id[annotated["en"].id]
    cell = english_cell_text(ea.english[0])
    assert en.side == "en" and cell[en.start : en.end] == "A corrected second"
    assert en.color == PALETTE["blue"]
    # the two-paragraph highlight: one piece per paragraph, the note on the last one
    span_id = annotated["span"].id
    pieces = [h for h in ea.highlights if h.id.startswith(span_id)]
    assert [(h.paragraph, h.note) for h in pieces] == [(0, ""), (1, "spans two")]
    assert pieces[0].end == len(art.paragraphs[0].text) and pieces[1].start == 0 and pieces[1].end == 7
    # the orphan is left out, and counted
    assert not any(h.id == annotated["orphan"].id for h in ea.highlights)
    assert col.skipped_ids == [annotated["orphan"].id] and col.skipped == 1
    assert col.highlight_count == 3
    # only the glossary terms that occur in the article, in glossary order
    assert {g.term for g in ea.glossary} == {"ministre", "secrétaire d’État"}
    assert next(g for g in ea.glossary if g.term == "ministre").note == "m."


def test_collect_without_model_id_resolves_it_from_the_cache(store, annotated):
    ea = collect_export_articles(store, [1])[0]
    assert ea.english[0][0] and ea.english[0][0].startswith("EN[")
    untranslated = collect_export_articles(store, [2])[0]
    assert all(t is None for row in untranslated.english for t in row)


def test_collect_unknown_id_and_nothing(store):
    with pytest.raises(NotFoundError, match="999"):
        collect_export_articles(store, [1, 999], MODEL)
    with pytest.raises(ExportError):
        collect_export_articles(store, [], MODEL)


def test_w3c_round_trip_is_lossless(store, annotated, tmp_path):
    out = tmp_path / "notes.jsonld"
    stats: dict = {}
    assert run_export(store, [1], out, None, stats=stats) == out
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 4 and stats["highlights"] == 4
    back = {a.id: a for a in collection_from_w3c(doc)}
    stored = {a.id: a for a in store.annotations(article_id=1)}
    assert back.keys() == stored.keys()
    for aid, a in stored.items():
        b = back[aid]
        assert (b.article_id, b.side, b.start, b.end, b.exact, b.prefix, b.suffix, b.note, b.color, b.tags,
                b.created, b.modified, b.status) == (
            a.article_id, a.side, a.start, a.end, a.exact, a.prefix, a.suffix, a.note, a.color, a.tags,
            a.created, a.modified, a.status)
    assert not list(tmp_path.glob(".*part"))


def test_pdf_has_the_highlight_annotations(store, annotated, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "article.pdf"
    seen = []
    stats: dict = {}
    report = run_export(store, [1, 2], out, "pdf", ExportOptions(paper="letter"), MODEL,
                        Progress(lambda d, t, m: seen.append((d, t))), stats)
    assert isinstance(report, ExportReport) and report.pages >= 2 and out.is_file()
    assert stats == {"articles": 2, "highlights": 3, "skipped": 1}
    assert seen and seen[-1][0] == seen[-1][1]
    reader = PdfReader(str(out))
    assert len(reader.pages) == report.pages
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 612  # letter
    annots = [a.get_object() for page in reader.pages for a in (page.get("/Annots") or [])]
    highlights = [a for a in annots if a["/Subtype"] == "/Highlight"]
    names = {str(a.get("/NM", "")) for a in highlights}
    assert annotated["fr"].id in names and annotated["en"].id in names
    assert any(n.startswith(annotated["span"].id) for n in names)
    assert not any(n.startswith(annotated["orphan"].id) for n in names)
    contents = " ".join(str(a.get("/Contents", "")) for a in highlights)
    assert "Secretary of State" in contents and "spans two" in contents
    if shutil.which("pdftotext"):
        page = str(report.article_pages[0])
        text = subprocess.run(["pdftotext", "-f", page, "-l", page, str(out), "-"],
                              capture_output=True, text=True, check=True).stdout
        text = " ".join(text.split())
        assert "A corrected second sentence." in text
    assert stat.S_IMODE(out.stat().st_mode) & 0o044  # readable by others, like any saved file (umask 022)


@pytest.mark.parametrize("suffix,needle", [(".md", '<mark class="green" style="background:#9fd186">secrétaire d’État</mark>'), (".html", "<mark")])
def test_markdown_and_html(store, annotated, tmp_path, suffix, needle):
    out = tmp_path / f"article{suffix}"
    assert run_export(store, [1], out, None, ExportOptions(), MODEL) == out
    text = out.read_text(encoding="utf-8")
    assert needle in text
    assert "A corrected second" in text and "sentence." in text
    assert "Secretary of State" in text  # the note and the glossary


def test_run_export_errors(store, tmp_path):
    with pytest.raises(ExportError, match="format"):
        run_export(store, [1], tmp_path / "x.txt")
    with pytest.raises(ExportError, match="does not exist"):
        run_export(store, [1], tmp_path / "missing" / "x.pdf")
    with pytest.raises(ExportError, match="folder"):
        run_export(store, [1], tmp_path, "pdf")
    with pytest.raises(NotFoundError):
        run_export(store, [42], tmp_path / "x.md")
    with pytest.raises(ExportError, match="paper"):
        run_export(store, [1], tmp_path / "x.pdf", options=ExportOptions(paper="a3"))
    assert list(tmp_path.iterdir()) == [tmp_path / "lib.db"] or all(
        p.name.startswith("lib.db") for p in tmp_path.iterdir()
    )


def test_cancel_leaves_no_file(store, tmp_path):
    out = tmp_path / "x.pdf"
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        run_export(store, [1], out, progress=progress)
    assert not out.exists() and not list(tmp_path.glob(".x.pdf*"))


def test_format_for_path():
    assert [format_for_path(n) for n in ("a.PDF", "a.md", "a.markdown", "a.htm", "a.jsonld", "a.json", "a")] == [
        "pdf", "md", "md", "html", "w3c", "w3c", None]
