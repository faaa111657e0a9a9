"""import_html / html_to_paragraphs: boilerplate removal, encodings, kinds, exact spans, metadata."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from reader.core.errors import ImportFileError
from reader.core.model import ParagraphKind, Span, SpanKind
from reader.importers import html as html_mod
from reader.importers.html import SUFFIXES, html_to_paragraphs, import_html

DATA = Path(__file__).parent / "data"
VARIANTS = ["article_fr.utf8.html", "article_fr.cp1252.html"]

B, H, C, Q = ParagraphKind.BODY, ParagraphKind.HEADING, ParagraphKind.CAPTION, ParagraphKind.QUOTE
EXPECTED = [
    (B, "Le toit de l’Europe culmine désormais à 4 805,59 mètres. C’est ce qu’ont annoncé jeudi les "
        "géomètres de Haute-Savoie, après une campagne de mesure menée à la mi-septembre."),
    (B, "La hauteur du sommet varie d’une année à l’autre, car la calotte de glace et de neige qui le "
        "coiffe se déplace au gré des vents et des précipitations. Le rocher, lui, reste à environ "
        "4 792 mètres."),
    (H, "Une tradition depuis 2001"),
    (B, "Tous les deux ans, une équipe d’une vingtaine de personnes gravit le sommet avec des récepteurs "
        "satellites. C’est la douzième expédition de ce genre, et la première qui coïncide avec le 80e "
        "anniversaire de la compagnie des guides."),
    (C, "Le sommet du Mont-Blanc, vu depuis l’aiguille du Midi, le 14 septembre 2025."),
    (B, "Le responsable de l’expédition, Jean Dupont, se montre prudent\u202f:"),
    (Q, "«\u00a0On ne peut pas parler d’un effondrement. Ce sont des variations saisonnières, rien de "
        "plus.\u00a0»"),
    (H, "Des données ouvertes"),
    (B, "Les relevés sont publiés sur le portail des données ouvertes du département. Un chercheur "
        "rappelle qu’une page web ne doit jamais exécuter une balise <script> venue d’un formulaire, ni "
        "afficher &lt;b&gt; deux fois décodé."),
    (B, "Le budget de l’opération s’élève à 30\u00a0000\u00a0€, financés par la région et par des "
        "mécènes privés, soit un coût modeste au regard de l’intérêt scientifique."),
]
BOILERPLATE = [
    "cookies", "Tout accepter", "Actualités", "Sports d’hiver", "S’abonner", "Accueil", "Partager",
    "courriel", "À lire aussi", "glaciers alpins", "Commentaires", "Alpiniste74", "alarmiste",
    "Mentions légales", "Tous droits réservés", "dataLayer", "addEventListener", "Publié le",
]


@pytest.fixture(params=VARIANTS)
def article(request):
    return import_html(DATA / request.param)


def test_article_text_is_all_there_in_order_with_kinds(article):
    assert [(p.kind, p.text) for p in article.paragraphs] == EXPECTED


def test_boilerplate_is_gone(article):
    everything = "\n".join(p.text for p in article.paragraphs)
    for junk in BOILERPLATE:
        assert junk not in everything, junk
    assert article.title not in everything  # the <h1> is the title, not a paragraph


def test_metadata(article, request):
    assert article.title == "Le Mont-Blanc a perdu deux mètres en deux ans"
    assert article.author == "Claire Dubois"
    assert article.published_iso == "2025-09-25"
    assert article.published == "25 septembre 2025 à 8 h 30"  # as written in <time>
    assert article.source == "Le Journal des Alpes"
    assert article.source_url == "https://www.journal-des-alpes.example/montagne/mont-blanc-mesure"
    assert article.origin in VARIANTS


def _spans(p):
    return [(s.kind, p.text[s.start : s.end], s.href) for s in p.spans]


def test_spans_are_exact(article):
    ps = article.paragraphs
    assert ps[0].spans == [Span(0, 56, SpanKind.BOLD)]
    assert _spans(ps[0]) == [(SpanKind.BOLD, "Le toit de l’Europe culmine désormais à 4 805,59 mètres.", None)]
    assert _spans(ps[3]) == [(SpanKind.ITALIC, "douzième", None), (SpanKind.SUPERSCRIPT, "e", None)]
    sup = ps[3].spans[1]
    assert ps[3].text[sup.start - 2 : sup.end] == "80e"
    assert _spans(ps[8]) == [
        (SpanKind.LINK, "portail des données ouvertes", "https://data.example.fr/mont-blanc")
    ]
    for p in ps:
        if p.kind is not ParagraphKind.BODY:
            assert p.spans == []


def test_sentences_are_filled(article):
    for p in article.paragraphs:
        assert p.sentences, p.text
        assert all(p.text[s.start : s.end].strip() for s in p.sentences)
    assert article.paragraphs[0].sentence_texts()[0] == (
        "Le toit de l’Europe culmine désormais à 4 805,59 mètres."
    )


def test_entities_are_decoded_once(article):
    text = article.paragraphs[8].text
    assert "<script>" in text and "&lt;script&gt;" not in text
    assert "&lt;b&gt;" in text  # the page's &amp;lt;b&amp;gt; — decoded once, not twice


def test_literal_entity_text_and_no_break_spaces_survive_extraction(tmp_path):
    page = (DATA / "article_fr.utf8.html").read_text(encoding="utf-8").replace(
        "du département.", "du département (écrire &amp;nbsp; ou &amp;amp; dans le code source)."
    )
    f = tmp_path / "entites.html"
    f.write_text(page, encoding="utf-8")
    text = import_html(f).paragraphs[8].text
    assert "(écrire &nbsp; ou &amp; dans le code source)" in text


def test_utf8_and_cp1252_variants_are_identical():
    a, b = (import_html(DATA / v) for v in VARIANTS)
    assert [(p.kind, p.text, p.spans) for p in a.paragraphs] == [
        (p.kind, p.text, p.spans) for p in b.paragraphs
    ]


def test_cp1252_without_declaration_is_detected(tmp_path):
    data = (DATA / "article_fr.cp1252.html").read_bytes().replace(
        b'<meta charset="windows-1252">', b""
    )
    f = tmp_path / "sans-charset.html"
    f.write_bytes(data)
    a = import_html(f)
    assert [p.text for p in a.paragraphs] == [t for _, t in EXPECTED]


def test_latin1_declaration_means_windows_1252(tmp_path):
    data = (DATA / "article_fr.cp1252.html").read_bytes().replace(
        b'<meta charset="windows-1252">', b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    )
    f = tmp_path / "latin1.htm"
    f.write_bytes(data)
    assert "l’Europe" in import_html(f).paragraphs[0].text  # U+2019 is 0x92 in cp1252, not latin-1


def test_xhtml_with_xml_declaration(tmp_path):
    body = (DATA / "article_fr.utf8.html").read_text(encoding="utf-8")
    body = body.replace("<!DOCTYPE html>\n<html lang=\"fr\">", "")
    f = tmp_path / "page.xhtml"
    f.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="fr">'
        + body,
        encoding="utf-8",
    )
    a = import_html(f)
    assert a.title == "Le Mont-Blanc a perdu deux mètres en deux ans"
    assert [p.text for p in a.paragraphs][:2] == [t for _, t in EXPECTED][:2]


def test_short_page_falls_back_to_visible_body(tmp_path):
    f = tmp_path / "court.html"
    f.write_text(
        "<html><head><title>Note</title></head><body><nav><a href='/'>Menu du site</a></nav>"
        "<p>Bonjour <b>tout</b> le monde.</p><footer>Pied de page</footer></body></html>",
        encoding="utf-8",
    )
    a = import_html(f)
    assert [p.text for p in a.paragraphs] == ["Bonjour tout le monde."]
    assert _spans(a.paragraphs[0]) == [(SpanKind.BOLD, "tout", None)]
    assert a.title == "Note"


def test_no_network_is_used(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert import_html(DATA / VARIANTS[0]).paragraphs


# ---- errors --------------------------------------------------------------------------------------


def test_too_big_is_refused_before_reading(tmp_path, monkeypatch):
    f = tmp_path / "énorme.html"
    with f.open("wb") as fh:
        fh.truncate(html_mod.MAX_BYTES + 1)  # sparse: costs nothing

    def no_read(*a, **k):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "open", no_read)
    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(ImportFileError, match="énorme.html is too big.*50 MB"):
        import_html(f)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><head><title>Vide</title><script>var x = 1;</script></head><body><nav>Menu</nav></body></html>",
        b"<html><body><img src='a.png'></body></html>",
    ],
)
def test_no_text_is_an_error(tmp_path, content):
    f = tmp_path / "vide.html"
    f.write_bytes(content)
    with pytest.raises(ImportFileError, match="No readable text found in vide.html"):
        import_html(f)


def test_binary_file_is_an_error(tmp_path):
    f = tmp_path / "image.html"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ImportFileError, match="image.html"):
        import_html(f)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ImportFileError, match="absent.html does not exist"):
        import_html(tmp_path / "absent.html")


# ---- html_to_paragraphs --------------------------------------------------------------------------


def test_fragment_kinds_spans_and_whitespace():
    ps = html_to_paragraphs(
        "<h2>  Le  titre </h2>\n<p>Il est   <b>très <i>très</i></b>\n fort<!-- note -->, dit-il au "
        "XIX<sup>e</sup>\u00a0siècle.</p><blockquote>Citation <a href='#n1'>[1]</a></blockquote>"
        "<figure><img src='x.jpg'><figcaption>Légende</figcaption></figure>"
        "<figure><figcaption>Légende</figcaption></figure><ul><li>un</li><li>deux</li></ul>"
        "<p>Vers un<br>vers deux</p><script>alert(1)</script><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    assert [(p.kind, p.text) for p in ps] == [
        (H, "Le titre"),
        (B, "Il est très très fort, dit-il au XIXe\u00a0siècle."),
        (Q, "Citation [1]"),
        (C, "Légende"),  # kept once
        (B, "un"),
        (B, "deux"),
        (B, "Vers un\nvers deux"),
        (B, "<script>alert(1)</script>"),
    ]
    assert _spans(ps[1]) == [
        (SpanKind.BOLD, "très très", None),
        (SpanKind.ITALIC, "très", None),
        (SpanKind.SUPERSCRIPT, "e", None),
    ]
    assert ps[1].spans[1] == Span(12, 16, SpanKind.ITALIC)
    assert _spans(ps[2]) == [(SpanKind.LINK, "[1]", "#n1")]
    assert all(p.sentences for p in ps)


def test_fragment_xhtml_self_closing_anchor_does_not_swallow_text():
    ps = html_to_paragraphs(
        b'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
        b"<title>T</title></head><body><p>Avant<a id=\"page5\"/> apr\xc3\xa8s <em>ceci</em>.</p></body></html>"
    )
    assert [p.text for p in ps] == ["Avant après ceci."]
    assert _spans(ps[0]) == [(SpanKind.ITALIC, "ceci", None)]


def test_suffixes():
    assert SUFFIXES == (".html", ".htm", ".xhtml")


def test_control_character_references_are_dropped_not_a_crash(tmp_path):
    """« &#x1b; » parses in HTML but XML text cannot hold it: the import used to die in lxml."""
    page = tmp_path / "esc.html"
    page.write_text("<html><head><title>T&#x1b;]0;owned&#x7;</title></head><body><article>"
                    "<p>Le texte&#x1b;[2J continue ici, avec assez de mots pour un article lisible.</p>"
                    "</article></body></html>", encoding="utf-8")
    article = import_html(page)
    text = " ".join(p.text for p in article.paragraphs) + article.title
    assert "\x1b" not in text and "\x07" not in text
    assert "Le texte[2J continue ici" in text


def test_a_machine_date_is_shown_in_french_long_form(tmp_path):
    """#14.12: a page whose date is only in its metadata reads « 12 août 2024 », like the others."""
    page = tmp_path / "page.html"
    body = "".join(f"<p>Le glacier a reculé de {n} mètres cette année selon les relevés des guides.</p>"
                   for n in range(2, 9))
    page.write_text(
        '<html lang="fr"><head><title>Le glacier recule</title>'
        '<meta property="article:published_time" content="2024-08-12T09:00:00+02:00"></head>'
        f"<body><article><h1>Le glacier recule</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    article = import_html(page)
    assert article.published_iso == "2024-08-12"
    assert article.published == "12 août 2024"
