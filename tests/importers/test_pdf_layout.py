"""pdf_layout on hand-placed lines: hyphenation, running headers and footers, columns, paragraph breaks."""

from __future__ import annotations

import pytest

from reader.importers.pdf import _lexicon
from reader.importers.pdf_layout import (
    Line,
    build_blocks,
    drop_furniture,
    drop_hyphen,
    find_gutter,
    join_lines,
    reading_order,
)


def L(text, x0=50.0, y0=700.0, x1=None, page=0, size=10.0, bold=0.0, sup=None):  # noqa: N802
    x1 = x0 + 5.0 * len(text) if x1 is None else x1
    return Line(page, x0, y0, x1, y0 + size, size, bold, text, sup or [])


# --- hyphenation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "dropped"),
    [
        ("gouver", "nement", True),  # a word TeX broke
        ("éva", "luation", True),
        ("exponen", "tiellement", True),  # unknown to the lexicon, halves not words: a break
        ("porte", "parole", False),  # « porteparole » is no word, « porte » and « parole » are
        ("vis", "à", False),
        ("many", "objective", False),  # English words count too (abstracts, references)
        ("Jean", "Pierre", False),  # a capital after the hyphen: a compound name
        ("Annecy-le", "Vieux", False),
        ("2005", "850", False),
    ],
)
def test_drop_hyphen_uses_the_french_lexicon(left, right, dropped):
    assert drop_hyphen(left, right, _lexicon()) is dropped


def test_drop_hyphen_trusts_the_document_first():
    known = _lexicon()
    assert drop_hyphen("multi", "critère", known, {"multi-critère"}) is False  # written so elsewhere
    assert drop_hyphen("Code", "Carbon", known, {"codecarbon"}) is True
    assert drop_hyphen("porte", "parole", known, {"porteparole"}) is True


def test_join_lines_undoes_hyphenation_and_keeps_superscripts_in_place():
    known = _lexicon()
    lines = [
        L("Le porte-"), L("parole du gouver-"), L("nement a parlé1 le 3", sup=[(14, 15)]), L("juin."),
    ]
    text, sup = join_lines(lines, known)
    assert text == "Le porte-parole du gouvernement a parlé1 le 3 juin."
    assert [text[s:e] for s, e in sup] == ["1"]


def test_join_lines_soft_hyphen_and_broken_address():
    text, _ = join_lines([L("une ré\u00ad"), L("union")], _lexicon())
    assert text == "une réunion"
    text, _ = join_lines([L("voir https://github.com/MattVerlynde/"), L("frugal-gretsi-2025.git")], _lexicon())
    assert text == "voir https://github.com/MattVerlynde/frugal-gretsi-2025.git"


def test_a_dash_with_a_space_before_it_is_not_a_hyphen():
    text, _ = join_lines([L("la réunion -"), L("reportée")], _lexicon())
    assert text == "la réunion - reportée"


# --- running headers, footers and page numbers -----------------------------------------------------


def test_running_headers_and_footers_are_dropped_modulo_page_numbers():
    pages = []
    for p in range(4):
        pages.append([
            L(f"Rapport annuel 2024 — page {p + 1}", y0=805, page=p),  # the same text but for the number
            L("Ministère de la Culture", y0=30, page=p),
            L(f"{p + 1}", x0=295, y0=15, page=p),
            L(f"Texte de la page {p + 1}.", y0=600, page=p),
        ])
    pages[2].append(L("Chapitre 2", y0=790, page=2, size=16))  # in the top band of one page only: kept
    kept = drop_furniture(pages, [842.0] * 4)
    assert [[ln.text for ln in page] for page in kept] == [
        ["Texte de la page 1."], ["Texte de la page 2."], ["Texte de la page 3.", "Chapitre 2"],
        ["Texte de la page 4."],
    ]


def test_a_one_page_document_loses_its_page_number_only():
    page = [L("En-tête du service", y0=805), L("Le texte.", y0=600), L("- 1 -", x0=290, y0=20)]
    assert [ln.text for ln in drop_furniture([page], [842.0])[0]] == ["En-tête du service", "Le texte."]


# --- columns and reading order -----------------------------------------------------------------------


def _two_columns():
    title = L("Un titre qui court sur toute la largeur de la page", x0=60, x1=540, y0=780, size=16)
    left = [L(f"gauche {i} du texte de la colonne", x0=50, x1=285, y0=700 - 12 * i) for i in range(10)]
    right = [L(f"droite {i} du texte de la colonne", x0=310, x1=545, y0=700 - 12 * i) for i in range(10)]
    caption = L("Figure 1 : une légende qui traverse la gouttière entre les deux", x0=50, x1=545, y0=560)
    below_l = [L(f"bas gauche {i} du texte", x0=50, x1=285, y0=530 - 12 * i) for i in range(3)]
    below_r = [L(f"bas droite {i} du texte", x0=310, x1=545, y0=530 - 12 * i) for i in range(3)]
    # the lines arrive in the file's order, right column first
    return [title, *right, *left, caption, *below_r, *below_l]


def test_two_columns_are_read_left_then_right_band_by_band():
    lines = _two_columns()
    assert 285 < find_gutter(lines) < 310
    order = [ln.text.split(" du ")[0] for seg in reading_order(lines) for ln in seg]
    assert order == (
        ["Un titre qui court sur toute la largeur de la page"]
        + [f"gauche {i}" for i in range(10)] + [f"droite {i}" for i in range(10)]
        + ["Figure 1 : une légende qui traverse la gouttière entre les deux"]
        + [f"bas gauche {i}" for i in range(3)] + [f"bas droite {i}" for i in range(3)]
    )


def test_a_centred_title_block_and_a_formula_poking_past_the_gutter_keep_two_columns():
    head = [L(f"Auteur {i}, Université de Quelque Part", x0=200, x1=395, y0=780 - 12 * i) for i in range(4)]
    left = [L(f"gauche {i} du texte de la colonne", x0=50, x1=285, y0=700 - 12 * i) for i in range(12)]
    left.insert(6, L("p ,", x0=280, x1=291, y0=634))  # a formula's exponent past the column's edge
    right = [L(f"droite {i} du texte de la colonne", x0=300, x1=545, y0=700 - 12 * i) for i in range(12)]
    lines = head + right + left
    assert 285 < find_gutter(lines) < 300
    order = [ln.text.split(" du ")[0].split(",")[0] for seg in reading_order(lines) for ln in seg]
    assert order == (
        ["Auteur 0", "Auteur 1", "Auteur 2", "Auteur 3"]
        + [f"gauche {i}" for i in range(6)] + ["p "] + [f"gauche {i}" for i in range(6, 12)]
        + [f"droite {i}" for i in range(12)]
    )


def test_one_column_with_short_lines_is_not_taken_for_two():
    lines = [L("Une ligne pleine de texte courant sur la largeur", x0=50, x1=545, y0=700 - 12 * i)
             for i in range(12)]
    lines += [L("Fait à Paris,", x0=50, x1=120, y0=540), L("La ministre", x0=420, x1=545, y0=528)]
    assert find_gutter(lines) is None


# --- paragraphs --------------------------------------------------------------------------------------


def _texts(blocks):
    return [(b.kind, " ".join(ln.text for ln in b.lines)) for b in blocks]


def test_paragraphs_from_indents_gaps_bullets_and_headings():
    seg = [
        L("1 Introduction", y0=760, size=14, bold=1.0, x1=160),
        L("Premier paragraphe qui occupe toute", y0=730, x1=545),
        L("la ligne et se termine ici.", y0=718, x1=300),
        L("Second paragraphe, en retrait, qui", x0=62, y0=706, x1=545),
        L("continue sans retrait.", y0=694, x1=260),
        L("Après un blanc, un troisième paragraphe", y0=670, x1=545),
        L("sans retrait de première ligne :", y0=658, x1=330),
        L("• un élément de liste qui est assez long", x0=60, y0=646, x1=545),
        L("pour revenir à la ligne ;", x0=70, y0=634, x1=250),
        L("• un second élément.", x0=60, y0=622, x1=200),
    ]
    assert _texts(build_blocks([seg], 10.0)) == [
        ("heading", "1 Introduction"),
        ("body", "Premier paragraphe qui occupe toute la ligne et se termine ici."),
        ("body", "Second paragraphe, en retrait, qui continue sans retrait."),
        ("body", "Après un blanc, un troisième paragraphe sans retrait de première ligne :"),
        ("body", "• un élément de liste qui est assez long pour revenir à la ligne ;"),
        ("body", "• un second élément."),
    ]


def test_a_paragraph_runs_on_across_a_column_break_but_a_new_one_does_not():
    col1 = [L("Le texte de la première colonne qui", y0=700, x1=285),
            L("s'arrête au milieu d'une phrase, et", y0=688, x1=285)]
    col2 = [L("reprend en haut de la seconde colonne.", x0=310, y0=700, x1=545),
            L("Un nouveau paragraphe commence ici,", x0=322, y0=688, x1=545),
            L("en retrait.", x0=310, y0=676, x1=360)]
    col3 = [L("Une phrase finie en bas de page.", x0=50, y0=100, x1=545, page=1)]
    col4 = [L("Une autre qui commence la page suivante.", x0=50, y0=780, x1=545, page=2)]
    assert _texts(build_blocks([col1, col2, col3, col4], 10.0)) == [
        ("body", "Le texte de la première colonne qui s'arrête au milieu d'une phrase, et reprend en haut de "
                 "la seconde colonne."),
        ("body", "Un nouveau paragraphe commence ici, en retrait."),
        ("body", "Une phrase finie en bas de page."),
        ("body", "Une autre qui commence la page suivante."),
    ]


def test_footnotes_at_the_foot_of_a_column_go_to_the_end():
    col = [L("Un texte avec une note1 qui continue", y0=700, x1=545, sup=[(22, 23)]),
           L("et finit.", y0=688, x1=100),
           L("1Une note en petit.", y0=80, size=8, x1=200, sup=[(0, 1)]),
           L("suite de la note.", y0=71, size=8, x1=150)]
    nxt = [L("La page suivante continue.", y0=780, x1=545, page=1)]
    assert _texts(build_blocks([col, nxt], 10.0)) == [
        ("body", "Un texte avec une note1 qui continue et finit."),
        ("body", "La page suivante continue."),
        ("note", "1Une note en petit. suite de la note."),
    ]
