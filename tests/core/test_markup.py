"""reader.core.markup: the five sample articles parse into the model faithfully, and nothing is lost."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from reader.core.markup import (
    looks_like_html,
    parse_article,
    parse_french_date,
    parse_inline,
    segment_article,
)
from reader.core.model import Article, Paragraph, ParagraphKind, SpanKind

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
SEEDS = {
    "onu": "lavrov-onu-discussions-russo-americaines-huis-clos.md",  # seed 000
    "tillerson": "rencontre-lavrov-tillerson-new-york.md",  # seed 001
    "entretien": "entretien-lavrov-poutine-otan-alaska.md",  # seed 002
    "g20": "blinken-lavrov-premiere-reunion-g20.md",  # seed 003
    "g20-afp": "rencontre-lavrov-blinken-g20.md",  # seed 004
}


def raw(key: str) -> str:
    return (ARTICLES / SEEDS[key]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed() -> dict[str, Article]:
    return {key: parse_article(raw(key), SEEDS[key]) for key in SEEDS}


def kinds(article: Article, kind: ParagraphKind) -> list[Paragraph]:
    return [p for p in article.paragraphs if p.kind is kind]


def test_articles_folder_holds_exactly_the_five_seeds():
    assert sorted(p.name for p in ARTICLES.iterdir()) == sorted(SEEDS.values())


# --------------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------------


def test_seed_000_title_byline_date_source(parsed):
    a = parsed["onu"]
    assert a.title == "Lavrov à l'ONU : discussions russo-américaines à huis clos"
    assert a.author == "Jeanne la pucelle"
    assert a.published == "25 septembre 2025"
    assert a.published_iso == "2025-09-25"
    assert a.source == "RT France"
    assert a.source_url is None  # the link target was « # »
    assert a.origin == SEEDS["onu"]


def test_seed_001_title_and_avec_afp(parsed):
    a = parsed["tillerson"]
    assert a.title == (
        "Avant l'ouverture de l'Assemblée générale de l'ONU, rencontre Lavrov-Tillerson à New York"
    )
    assert a.source == "AFP"
    assert a.author is None and a.published is None
    assert not any("Avec AFP" in p.text for p in a.paragraphs)


def test_seed_002_title_and_dateline(parsed):
    a = parsed["entretien"]
    assert a.title == "Lavrov : Le Président Poutine et l’OTAN en Alaska – Une réunion productive mais sans meeting"
    assert a.published == "26 octobre 2025"
    assert a.published_iso == "2025-10-26"
    assert a.place == "Moscou"
    assert not any(p.text.startswith("Moscou, 26") for p in a.paragraphs)


def test_seed_003_title(parsed):
    a = parsed["g20"]
    assert a.title == (
        "Antony Blinken et Sergei Lavrov tiennent leur première réunion en face à face depuis l’invasion de l’Ukraine."
    )
    assert a.source is None and a.author is None


def test_seed_004_title_and_source_line_in_the_middle(parsed):
    a = parsed["g20-afp"]
    assert a.title == "Rencontre Lavrov-Blinken au G-20."
    assert a.source == "AFP"
    assert not any(p.text.startswith("Source") for p in a.paragraphs)
    # the lines after « Source: AFP. » are still there
    assert a.paragraphs[-1].text.startswith("Lentement, mais sûrement")


# --------------------------------------------------------------------------------------------------
# Paragraph kinds
# --------------------------------------------------------------------------------------------------


def test_duplicated_caption_kept_once_as_caption(parsed):
    a = parsed["onu"]
    captions = kinds(a, ParagraphKind.CAPTION)
    assert len(captions) == 1
    cap = captions[0]
    assert a.paragraphs[0] is cap
    assert cap.text.startswith("Les délégations russe et américaine")
    assert cap.text.endswith("Nations unies. Crédit : chaîne Telegram officielle de Maria Zakharova")
    assert "[" not in cap.text and "]" not in cap.text
    assert sum(p.text.startswith("Les délégations russe et américaine") for p in a.paragraphs) == 1


def test_paragraph_broken_mid_sentence_is_rejoined(parsed):
    a = parsed["onu"]
    joined = [p for p in a.paragraphs if "avait déclaré qu'il prévoyait de discuter" in p.text]
    assert len(joined) == 1
    assert joined[0].text.startswith("Par ailleurs, le chef de la diplomatie russe")
    assert not any(p.text.startswith("qu'il prévoyait") for p in a.paragraphs)


def test_seed_000_blank_line_paragraphs(parsed):
    a = parsed["onu"]
    assert [p.kind for p in a.paragraphs] == [
        ParagraphKind.CAPTION,
        ParagraphKind.BODY,
        ParagraphKind.BODY,
        ParagraphKind.BODY,
        ParagraphKind.BODY,
        ParagraphKind.HEADING,
        ParagraphKind.BODY,
        ParagraphKind.BODY,
    ]


def test_headings(parsed):
    headings = {key: [p.text for p in kinds(a, ParagraphKind.HEADING)] for key, a in parsed.items()}
    assert headings == {
        "onu": ["Discussions russo-américaines à huis clos"],
        "tillerson": [],
        "entretien": [],
        "g20": ["Un face à face inattendu"],
        "g20-afp": [],
    }
    # the trailing « Suivez les sujets qui vous intéressent » is not a heading (nothing follows it)
    assert parsed["g20"].paragraphs[-1].text == "Suivez les sujets qui vous intéressent"
    assert parsed["g20"].paragraphs[-1].kind is ParagraphKind.BODY


def test_interview_turns(parsed):
    a = parsed["entretien"]
    turns = kinds(a, ParagraphKind.TURN)
    assert [t.speaker for t in turns] == [
        "Question",
        "Sergey Lavrov",
        "Question",
        "Sergey Lavrov",
        "Sergey Lavrov",
        "Sergey Lavrov",
        "Sergey Lavrov",
        "Sergey Lavrov",
        "Question",
        "Sergey Lavrov",
        "Question",
        "Sergey Lavrov",
    ]
    assert turns[0].text.startswith("Merci, Monsieur le Ministre")
    assert turns[1].text == "C’est un plaisir."
    for t in turns:
        assert not t.text.startswith(("Question", "Sergey Lavrov", ":", " "))
    # continuation paragraphs (no speaker named) stay BODY
    body = kinds(a, ParagraphKind.BODY)
    assert [p.text[:25] for p in body] == [
        "Ce n’est pas très diffici",
        "Le Président Poutine a co",
        "Et puis en Alaska, le Pré",
        "Contrairement à cette ast",
    ]
    assert all(p.speaker is None for p in body)
    assert {p.kind for p in a.paragraphs} == {ParagraphKind.TURN, ParagraphKind.BODY}


def test_trailing_repeat_of_the_title_is_dropped(parsed):
    a = parsed["entretien"]
    assert raw("entretien").rstrip("\n").rsplit("\n", 1)[1] == a.title  # the source does repeat it
    assert a.paragraphs[-1].text.startswith("Écoutez, dans n’importe quel pays")
    assert all(a.title not in p.text for p in a.paragraphs)


def test_embedded_tweet_is_one_quote_with_cyrillic(parsed):
    a = parsed["tillerson"]
    quotes = kinds(a, ParagraphKind.QUOTE)
    assert len(quotes) == 1
    lines = quotes[0].text.split("\n")
    assert lines == [
        "#CoreeduNord : selon #Moscou, Poutine et Macron sont unis contre une poursuite inadmissible de l'escalade",
        "— RT France (@RTenfrancais) 15 сентября 2017 г.",
        "➡️ https://t.co/CkPheifY1Opic.twitter.com/vykAPQTnt7",
    ]
    idx = a.paragraphs.index(quotes[0])
    assert a.paragraphs[idx - 1].text.startswith("Les deux parties n'ont pas précisé")
    assert a.paragraphs[idx + 1].text.startswith("Sergueï Lavrov et Rex Tillerson avaient convenu")
    assert all(p.kind is ParagraphKind.BODY for p in a.paragraphs if p is not quotes[0])


def test_seeds_without_special_paragraphs_are_body(parsed):
    for key in ("g20-afp",):
        assert {p.kind for p in parsed[key].paragraphs} == {ParagraphKind.BODY}
    assert len(parsed["g20-afp"].paragraphs) == 11
    assert len(parsed["tillerson"].paragraphs) == 10
    assert len(parsed["g20"].paragraphs) == 19


# --------------------------------------------------------------------------------------------------
# Inline markup
# --------------------------------------------------------------------------------------------------


def test_bold_spans_are_exact(parsed):
    a = parsed["onu"]
    bold = [p.text[s.start : s.end] for p in a.paragraphs for s in p.spans if s.kind is SpanKind.BOLD]
    assert bold == [
        "Croix-Rouge",
        "crise ukrainienne, la situation à Gaza, en Syrie et au Soudan",
        "le ministre russe des Affaires étrangères a rencontré le secrétaire d'État américain, Marco Rubio",
    ]
    p = next(p for p in a.paragraphs if "Croix-Rouge" in p.text and "CICR" in p.text)
    assert "du Comité international de la Croix-Rouge (CICR)." in p.text


def test_superscript_80e(parsed):
    a = parsed["onu"]
    sups = [(p, s) for p in a.paragraphs for s in p.spans if s.kind is SpanKind.SUPERSCRIPT]
    # six « 80^e » in the source, one of them in the dropped duplicate caption
    assert len(sups) == raw("onu").count("80^e") - 1 == 5
    for p, s in sups:
        assert p.text[s.start : s.end] == "e"
        assert p.text[s.start - 2 : s.end] == "80e"
    assert "80e session" in a.paragraphs[0].text


def test_no_raw_markup_left(parsed):
    for a in parsed.values():
        for p in a.paragraphs:
            assert "**" not in p.text and "^" not in p.text and "](" not in p.text, p.text
        assert "**" not in a.title


def test_spans_and_sentences_are_inside_the_text(parsed):
    for a in parsed.values():
        for p in a.paragraphs:
            assert p.text == p.text.strip()
            assert "  " not in p.text
            for s in p.spans:
                assert 0 <= s.start < s.end <= len(p.text)
            assert p.sentences, p.text
            for s in p.sentences:
                assert 0 <= s.start < s.end <= len(p.text)


@pytest.mark.parametrize(
    ("source", "text", "spans"),
    [
        ("la 80^e session", "la 80e session", [("e", SpanKind.SUPERSCRIPT, None)]),
        ("le 1^er mai, le XX^e siècle, la 2^nde", "le 1er mai, le XXe siècle, la 2nde",
         [("er", SpanKind.SUPERSCRIPT, None), ("e", SpanKind.SUPERSCRIPT, None), ("nde", SpanKind.SUPERSCRIPT, None)]),
        ("un **mot** gras", "un mot gras", [("mot", SpanKind.BOLD, None)]),
        ("un __mot__ gras", "un mot gras", [("mot", SpanKind.BOLD, None)]),
        ("**gras *et italique***", "gras et italique",
         [("gras et italique", SpanKind.BOLD, None), ("et italique", SpanKind.ITALIC, None)]),
        ("**a ** b** c", "a ** b c", [("a ** b", SpanKind.BOLD, None)]),
        ("un *mot* et un _autre_", "un mot et un autre", [("mot", SpanKind.ITALIC, None), ("autre", SpanKind.ITALIC, None)]),
        ("[Source RT France](#)", "Source RT France", [("Source RT France", SpanKind.LINK, "#")]),
        ("voir [le **site**](https://ex.fr/p) ici", "voir le site ici",
         [("le site", SpanKind.LINK, "https://ex.fr/p"), ("site", SpanKind.BOLD, None)]),
        ("snake_case_name, 5 * 3 * 2, [sic] et […]", "snake_case_name, 5 * 3 * 2, [sic] et […]", []),
        ("https://ex.com/_a_/b et **x**", "https://ex.com/_a_/b et x", [("x", SpanKind.BOLD, None)]),
        (r"un \*littéral\*", "un *littéral*", []),
        ("**non fermé", "**non fermé", []),
    ],
)
def test_parse_inline(source, text, spans):
    got_text, got_spans = parse_inline(source)
    assert got_text == text
    assert [(got_text[s.start : s.end], s.kind, s.href) for s in got_spans] == spans


def test_link_text_kept_in_a_paragraph():
    a = parse_article("Titre\n\nLire [l'article complet](https://exemple.fr/a) sur le site.\n")
    (p,) = a.paragraphs
    assert p.text == "Lire l'article complet sur le site."
    (s,) = p.spans
    assert (p.text[s.start : s.end], s.kind, s.href) == ("l'article complet", SpanKind.LINK, "https://exemple.fr/a")


def test_turn_prefix_removal_keeps_span_offsets():
    a = parse_article("Titre\n**Question** : Et le **G20** ?\nSergey Lavrov : Non.\n")
    q = a.paragraphs[0]
    assert (q.kind, q.speaker, q.text) == (ParagraphKind.TURN, "Question", "Et le G20 ?")
    assert [q.text[s.start : s.end] for s in q.spans] == ["G20"]


# --------------------------------------------------------------------------------------------------
# THE completeness test: every word of each seed reaches the model
# --------------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")

# Words dropped on purpose: the labels of metadata lines (their values are kept in the metadata).
LABELS = {
    "onu": ["écrit", "par", "Source"],  # « écrit par Jeanne la pucelle | … », « [Source RT France](#) »
    "tillerson": ["Avec"],  # « - Avec AFP »
    "entretien": [],
    "g20": [],
    "g20-afp": ["Source"],  # « Source: AFP. »
}


def _strip_markup(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) → text
    return text.replace("**", "").replace("^", "").replace("[", "").replace("]", "")


def _dropped_duplicates(key: str) -> list[str]:
    """The documented duplicate lines, each taken out once."""
    lines = [line for line in raw(key).split("\n") if line.strip()]
    if key == "onu":
        caption = [line for line in lines if line.endswith("Maria Zakharova]")]
        assert len(caption) == 2 and caption[0] == caption[1]
        return [caption[0]]
    if key == "entretien":
        assert lines[-1] == lines[0]  # the title, repeated as the last line
        return [lines[-1]]
    return []


def _model_words(a: Article) -> Counter[str]:
    parts = [a.title, a.author, a.published, a.place, a.source, a.source_url]
    parts += [p.speaker for p in a.paragraphs]
    parts += [p.text for p in a.paragraphs]
    return Counter(_WORD.findall(" ".join(x for x in parts if x)))


@pytest.mark.parametrize("key", list(SEEDS))
def test_every_word_of_the_seed_reaches_the_model(parsed, key):
    expected = Counter(_WORD.findall(_strip_markup(raw(key))))
    for line in _dropped_duplicates(key):
        expected -= Counter(_WORD.findall(_strip_markup(line)))
    expected -= Counter(LABELS[key])
    got = _model_words(parsed[key])
    missing = expected - got
    extra = got - expected
    assert not missing, f"lost from the model: {dict(missing)}"
    assert not extra, f"not in the source: {dict(extra)}"


@pytest.mark.parametrize("key", list(SEEDS))
def test_cyrillic_emoji_and_punctuation_survive(parsed, key):
    """Beyond words: every non-markup, non-space character (Cyrillic, emoji, « », ’, –) is in the model."""
    a = parsed[key]
    model = "".join(x for x in [a.title, a.author, a.published, a.place, a.source] if x)
    model += "".join((p.speaker or "") + p.text for p in a.paragraphs)
    model_chars = Counter(ch for ch in model if not ch.isspace())
    source = raw(key)
    for line in _dropped_duplicates(key):
        assert line in source
        source = source.replace(line, "", 1)
    source_chars = Counter(ch for ch in _strip_markup(source) if not ch.isspace())
    assert source_chars - model_chars == Counter(VANISHED[key])
    assert not (model_chars - source_chars)


# Exactly the characters that may vanish besides markup: metadata labels and separators, turn colons.
VANISHED = {
    "onu": "écritpar|Source",  # « écrit par … | … », « [Source …](#) »
    "tillerson": "-Avec",  # « - Avec AFP »
    "entretien": "," + ":" * 12,  # « Moscou, 26 octobre 2025 », « Speaker : » × 12 turns
    "g20": "",
    "g20-afp": "Source:.",  # « Source: AFP. »
}


# --------------------------------------------------------------------------------------------------
# Robustness and smaller rules
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("25 septembre 2025", "2025-09-25"),
        ("26 octobre 2025", "2025-10-26"),
        ("1er mars 2023", "2023-03-01"),
        ("lundi 21 avril 2025 à 7h35", "2025-04-21"),
        ("3 août 2024", "2024-08-03"),
        ("3 aout 2024", "2024-08-03"),
        ("12 déc. 2022", "2022-12-12"),
        ("25/09/2025", "2025-09-25"),
        ("2025-09-25", "2025-09-25"),
        ("31 février 2025", None),
        ("le lendemain", None),
        ("25 brumaire 2025", None),
    ],
)
def test_parse_french_date(written, iso):
    assert parse_french_date(written) == iso


@pytest.mark.parametrize(
    ("line", "source"),
    [("Source: AFP.", "AFP"), ("Source : AFP", "AFP"), ("- Avec AFP", "AFP"), ("Avec Reuters", "Reuters"),
     ("[Source RT France](#)", "RT France"), ("Sources : AFP, Reuters", "AFP, Reuters")],
)
def test_source_lines(line, source):
    a = parse_article(f"Titre\n\nUn paragraphe de texte.\n\n{line}\n")
    assert a.source == source
    assert [p.text for p in a.paragraphs] == ["Un paragraphe de texte."]


def test_avec_in_the_middle_of_the_text_is_prose():
    a = parse_article("Titre\nUn paragraphe.\nAvec Marie\nFin du texte.\n")
    assert a.source is None
    assert [p.text for p in a.paragraphs] == ["Un paragraphe.", "Avec Marie", "Fin du texte."]
    b = parse_article("Titre\nAvec AFP\nUn paragraphe.\n")
    assert (b.source, [p.text for p in b.paragraphs]) == ("AFP", ["Un paragraphe."])


def test_labelled_source_may_start_in_lowercase():
    a = parse_article("Titre\nUn paragraphe.\nSource : ministère russe des Affaires étrangères\nFin.\n")
    assert a.source == "ministère russe des Affaires étrangères"


def test_source_link_with_a_real_url():
    a = parse_article("Titre\nTexte.\n[Source: Le Monde](https://lemonde.fr/x)\n")
    assert (a.source, a.source_url) == ("Le Monde", "https://lemonde.fr/x")


def test_ordinary_sentences_with_a_colon_are_not_turns():
    a = parse_article(
        "Titre\nNote : ceci est une note.\nLe ministre a déclaré : nous verrons.\n"
        "M. Dupont : Bonjour.\nAvec plaisir.\nFin."
    )
    assert {p.kind for p in a.paragraphs} == {ParagraphKind.BODY}
    assert a.source is None
    assert [p.text for p in a.paragraphs][-2:] == ["Avec plaisir.", "Fin."]


def test_recurring_speakers_are_turns():
    a = parse_article("Titre\nPierre : Bonjour.\nMarie : Salut.\nPierre : Ça va ?\nMarie : Oui.\n")
    assert [(p.kind, p.speaker, p.text) for p in a.paragraphs] == [
        (ParagraphKind.TURN, "Pierre", "Bonjour."),
        (ParagraphKind.TURN, "Marie", "Salut."),
        (ParagraphKind.TURN, "Pierre", "Ça va ?"),
        (ParagraphKind.TURN, "Marie", "Oui."),
    ]


def test_hard_wrapped_markdown():
    text = (
        "# Mon titre\n\nPar Jean-Pierre Dupont, 3 mars 2024\n\n"
        "Ceci est un texte\nqui est coupé à la main\net continue ici.\n\n"
        "Un autre paragraphe\ncoupé en deux.\n\n## Une section\n\nTexte de la section.\n\n"
        "> une citation\n> sur deux lignes\n\n---\n\nFin."
    )
    a = parse_article(text)
    assert (a.title, a.author, a.published_iso) == ("Mon titre", "Jean-Pierre Dupont", "2024-03-03")
    assert [(p.kind, p.text) for p in a.paragraphs] == [
        (ParagraphKind.BODY, "Ceci est un texte qui est coupé à la main et continue ici."),
        (ParagraphKind.BODY, "Un autre paragraphe coupé en deux."),
        (ParagraphKind.HEADING, "Une section"),
        (ParagraphKind.BODY, "Texte de la section."),
        (ParagraphKind.QUOTE, "une citation sur deux lignes"),
        (ParagraphKind.BODY, "Fin."),
    ]


def test_whitespace_is_normalised_but_french_spaces_kept():
    a = parse_article("Titre\n\t Le   texte\u00a0: avec \t espaces\u202f!  \r\nSuite\u00a0; fin.\r\n")
    assert [p.text for p in a.paragraphs] == ["Le texte\u00a0: avec espaces\u202f!", "Suite\u00a0; fin."]


def test_repeated_paragraph_kept_once():
    a = parse_article("Titre\nUne phrase.\nUne phrase.\nAutre chose.\nUne phrase.\n")
    assert [p.text for p in a.paragraphs] == ["Une phrase.", "Autre chose.", "Une phrase."]


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff"])
def test_empty_text(text):
    a = parse_article(text, "vide.txt")
    assert a.title == "vide" and a.paragraphs == []


def test_single_line_is_content_and_the_origin_names_it():
    a = parse_article("Bonjour tout le monde.", "note.txt")
    assert a.title == "note"
    assert [p.text for p in a.paragraphs] == ["Bonjour tout le monde."]


def test_too_long_first_line_is_kept_as_a_paragraph():
    line = "Une phrase assez longue pour ne pas être un titre, vraiment. " * 6
    a = parse_article(line.strip() + "\nSuite.")
    assert a.paragraphs[0].text == line.strip()
    assert a.title == "Une phrase assez longue pour ne pas être un titre, vraiment."


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><head><title>T</title></head>\n<body><p>Bonjour **x**</p>\n"
        "<script>alert(1)</script></body></html>",
        "<html><body><p>a</p></body></html>",
        "<div><p>a</p><p>b</p><p>c</p><p>d</p><p>e</p></div>",
    ],
)
def test_html_is_kept_literally(text):
    assert looks_like_html(text)
    a = parse_article(text, "page.txt")
    assert a.title == "page"
    assert "\n".join(p.text for p in a.paragraphs) == "\n".join(line for line in text.split("\n"))
    assert all(p.kind is ParagraphKind.BODY and not p.spans for p in a.paragraphs)


def test_prose_mentioning_tags_is_not_html():
    assert not looks_like_html("Titre\nOn écrit <b> pour le gras en HTML, c'est tout.")


def test_segment_article_fills_sentences():
    a = Article(title="t", paragraphs=[Paragraph("Une phrase. Une autre.")])
    assert segment_article(a) is a
    assert a.paragraphs[0].sentence_texts()[0].startswith("Une phrase")


@pytest.mark.parametrize("key", list(SEEDS))
def test_paragraphs_keep_the_source_order(parsed, key):
    source = _strip_markup(raw(key))
    pos = 0
    for p in parsed[key].paragraphs:
        found = source.find(p.text[:40], pos)
        assert found >= 0, p.text[:40]
        pos = found + 1


@pytest.mark.parametrize(
    "text",
    [
        "Titre\n" + "**x " * 50_000,
        "Titre\n" + "__x " * 50_000,
        "Titre\n" + "[a" * 50_000 + "](" * 50_000,
        "Titre\n" + "*a " * 100_000,
        "Titre\nPar " + "a, " * 100_000,
        "Titre\n" + "Question : " * 50_000,
    ],
)
def test_pathological_markup_parses(text):
    """Inputs that make a backtracking parser explode parse to an article (bench/core_speed.py times
    them: a catastrophic regression shows there as seconds, here as a run that does not end)."""
    article = parse_article(text)
    assert article.title == "Titre"
