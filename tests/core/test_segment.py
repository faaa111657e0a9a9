"""French sentence segmentation: exact offsets, the French traps found in the seeds, speed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core.model import Sentence
from reader.core.segment import segment

ROOT = Path(__file__).resolve().parents[2]
SEED_FILES = sorted((ROOT / "articles").glob("*.md")) or sorted(
    (ROOT.parent / "shared" / "seeds").glob("*.txt")
)
NBSP, NNBSP = "\u00a0", "\u202f"


def seed_texts() -> list[str]:
    """The raw seeds with their ``**`` and ``^`` markup removed (« 80^e » → « 80e »)."""
    return [p.read_text(encoding="utf-8").replace("**", "").replace("^", "") for p in SEED_FILES]


def seed_lines() -> list[str]:
    return [line for text in seed_texts() for line in text.split("\n") if line.strip()]


def sents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text)]


def check_invariants(text: str) -> list[Sentence]:
    """Order, no overlap, strip-exactness, and every non-space character in exactly one sentence."""
    out = segment(text)
    prev_end = 0
    owner = [0] * len(text)
    for s in out:
        assert isinstance(s, Sentence)
        assert prev_end <= s.start < s.end <= len(text), (text, out)
        piece = text[s.start : s.end]
        assert piece == piece.strip(), (text, piece)
        for i in range(s.start, s.end):
            owner[i] += 1
        prev_end = s.end
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert owner[i] == 1, (text, i, ch)
    return out


def test_seed_files_are_found():
    assert len(SEED_FILES) == 5


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", seed_lines())
def test_property_every_seed_line(line):
    out = check_invariants(line)
    assert out, line


def test_property_whole_seed_files_and_line_pairs():
    for text in seed_texts():
        check_invariants(text)
        lines = [l for l in text.split("\n") if l.strip()]
        for a, b in zip(lines, lines[1:]):
            check_invariants(a + "\n" + b)
            check_invariants(f"  {NBSP}{a}{NNBSP} {b}\t ")


def test_property_random_tricky_strings():
    rng = random.Random(20250925)
    alphabet = list("aZé. !?…«»“”\"()[]:;,\n-—0123456789MmVv@#/") + [NBSP, NNBSP, "\t", "  ", "..", "M.", "etc."]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        check_invariants(text)


def test_deterministic():
    text = "\n".join(seed_texts())
    assert segment(text) == segment(text)


# --------------------------------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", f"{NBSP}{NNBSP}\t"])
def test_empty_and_whitespace_only(text):
    assert segment(text) == []


def test_no_final_stop_is_one_sentence():
    text = "Un face à face inattendu"
    assert segment(text) == [Sentence(0, len(text))]


def test_exact_offsets_with_leading_trailing_and_nonbreaking_spaces():
    text = f"  {NBSP}Source: AFP.{NNBSP} Lavrov a un agenda chargé. {NBSP}\n"
    out = check_invariants(text)
    assert [text[s.start : s.end] for s in out] == ["Source: AFP.", "Lavrov a un agenda chargé."]
    assert out[0] == Sentence(3, 15)


def test_short_source_line():
    assert sents("Source: AFP.") == ["Source: AFP."]
    assert sents("[Source RT France](#)") == ["[Source RT France](#)"]


# --------------------------------------------------------------------------------------------------
# French traps (texts from the seeds unless noted)
# --------------------------------------------------------------------------------------------------


def test_monsieur_and_messieurs():
    text = (
        "M. Blinken a demandé à rencontrer M. Lavrov et l’a exhorté à revenir sur la décision de la "
        "Russie de suspendre sa participation au G20. Nouveau traité nucléaire START."
    )
    assert sents(text) == [text[: text.index(" Nouveau")], "Nouveau traité nucléaire START."]
    text = "MM. Blinken et Lavrov se sont brièvement entretenus lors d’une réunion des ministres des Affaires étrangères du G20."
    assert sents(text) == [text]


def test_madame_and_other_titles():
    text = "« Aucun entretien ni aucune véritable rencontre n’ont eu lieu », a assuré Mme Zakharova à l’agence de presse publique russe RIA Novosti."
    assert sents(text) == [text]
    # not in the seeds: the other titles of the brief
    text = "Mlle Dupont et le Dr. Martin sont allés à St. Petersburg avec Me. Durand. Ils sont rentrés."
    assert sents(text) == ["Mlle Dupont et le Dr. Martin sont allés à St. Petersburg avec Me. Durand.", "Ils sont rentrés."]


def test_etc_mid_sentence_and_at_the_end():
    assert sents("Des pulls, des sweats, etc. et des vestes.") == ["Des pulls, des sweats, etc. et des vestes."]
    assert sents("Des pulls, des sweats, etc. Tout y était.") == ["Des pulls, des sweats, etc.", "Tout y était."]


def test_initials():
    text = "Pour Harsh V. Pant, professeur au King’s College de Londres, cette rencontre ne modifiera pas « fondamentalement la dynamique sur le terrain » en Ukraine."
    assert sents(text) == [text]
    assert sents("Il a lu J. R. R. Tolkien. Puis il a dormi.") == ["Il a lu J. R. R. Tolkien.", "Puis il a dormi."]
    assert sents("Avant J.-C. Rome dominait.") == ["Avant J.-C. Rome dominait."]
    # a capital letter after a lowercase word is not an initial
    assert sents("Ils ont choisi le plan B. Il a échoué.") == ["Ils ont choisi le plan B.", "Il a échoué."]
    assert sents("Il a rencontré J. Dupont hier.") == ["Il a rencontré J. Dupont hier."]


def test_ordinal_and_date_at_sentence_end():
    text = (
        "Sergueï Lavrov, ministre russe des Affaires étrangères, est arrivé à New York pour la 80e session "
        "de l'Assemblée générale de l'ONU. Il a déjà tenu des rencontres avec la présidente du Comité."
    )
    assert len(sents(text)) == 2 and sents(text)[0].endswith("80e session de l'Assemblée générale de l'ONU.")
    text = (
        "Les chefs de la diplomatie russe et américaine ont eu une rencontre informelle dans la soirée du "
        "17 septembre. Les deux ministres sont restés à l'écart de la presse."
    )
    assert sents(text)[0].endswith("du 17 septembre.") and len(sents(text)) == 2


def test_numbers_times_decimals():
    text = "Le pape François est décédé ce lundi 21 avril 2025 à 7h35 du matin à Rome, à l’âge de 88 ans. L’annonce a été faite ..."
    assert sents(text) == [
        "Le pape François est décédé ce lundi 21 avril 2025 à 7h35 du matin à Rome, à l’âge de 88 ans.",
        "L’annonce a été faite ...",
    ]
    assert sents("Un repli de 2,5 % puis de 1.5 point. Fin.") == ["Un repli de 2,5 % puis de 1.5 point.", "Fin."]
    assert sents("Rendez-vous le 5 sept. 2017 à Moscou. Ils étaient sept. Le soir") == [
        "Rendez-vous le 5 sept. 2017 à Moscou.",
        "Ils étaient sept.",
        "Le soir",
    ]


def test_closing_parenthesis_then_stop():
    text = (
        "Il a déjà tenu ses premières discussions avec Mirjana Spoljaric, présidente du Comité international "
        "de la Croix-Rouge (CICR). Selon un communiqué du ministère russe des Affaires étrangères, les parties ont discuté."
    )
    out = sents(text)
    assert len(out) == 2 and out[0].endswith("(CICR).") and out[1].startswith("Selon")


def test_quote_mid_sentence_does_not_split():
    text = (
        "Selon un communiqué, les parties ont « remis les pendules à l'heure » sur les paramètres actuels "
        "du travail du CICR en Russie. À l'issue des pourparlers, les deux parties ont confirmé leur intérêt."
    )
    out = sents(text)
    assert len(out) == 2 and out[0].endswith("CICR en Russie.") and out[1].startswith("À l'issue")
    text = "Outre la «coopération dans la crise en Syrie», la rencontre a porté sur les dossiers en cours."
    assert sents(text) == [text]


def test_quote_then_comma_incise_is_one_sentence():
    text = (
        "“Je vous appelle, Monsieur Lavrov, à revenir à la mise en œuvre intégrale du New START Parce que, "
        "comme la Chine l’a souligné à juste titre dans son plan en 12 points. La menace des armes nucléaires "
        "doit être combattue”, a-t-il déclaré."
    )
    assert sents(text)[-1] == "La menace des armes nucléaires doit être combattue”, a-t-il déclaré."
    assert len(sents(text)) == 2


def test_stop_inside_closing_quote_ends_after_the_quote():
    for o, c in (("«" + NBSP, NBSP + "»"), ("«" + NNBSP, NNBSP + "»"), ("« ", " »"), ("“", "”")):
        text = f"Il a dit {o}Aucun entretien n’a eu lieu.{c} Puis il est parti."
        assert sents(text) == [f"Il a dit {o}Aucun entretien n’a eu lieu.{c}", "Puis il est parti."], (o, c)
        # followed by lowercase: the quotation is inside the sentence
        text = f"{o}Aucun entretien n’a eu lieu.{c} a assuré Mme Zakharova."
        assert sents(text) == [text], (o, c)


def test_stop_after_closing_quote():
    # seed 003: « … sa guerre d’agression et de se retirer de l’Ukraine … économique.“, a déclaré » – one sentence
    text = "Nous devons continuer à demander à la Russie de mettre fin à sa guerre d’agression.“, a déclaré M. Blinken dans des remarques publiées."
    assert sents(text) == [text]
    text = (
        "Sergey Ryabkov a déclaré que les États-Unis avaient tenté de “sonder la sécurité des installations "
        "stratégiques russes déclarées dans le cadre du traité New START”. Aide au régime de Kiev à mener des "
        "attaques armées contre eux”."
    )
    out = sents(text)
    assert len(out) == 2 and out[0].endswith("New START”.") and out[1].startswith("Aide")
    text = (
        "M. Lavrov « lui a parlé, debout, dans le cadre de la deuxième session du G20 ». « Aucun entretien ni "
        "aucune véritable rencontre n’ont eu lieu », a assuré Mme Zakharova à l’agence de presse publique russe RIA Novosti."
    )
    out = sents(text)
    assert len(out) == 2 and out[0].endswith("G20 ».") and out[1].startswith("« Aucun")


def test_farce_typo_stop_before_lowercase_is_kept_in_the_sentence():
    # seed 003: a stray stop after the closing quote, then lowercase: documented decision, no split
    text = (
        "La Russie a contre-attaqué en accusant l’Ouest de de transformer les travaux sur l’ordre du jour du "
        "G20 en une “farce”. et a déclaré que les délégations occidentales voulaient faire porter à Moscou la "
        "responsabilité de leurs échecs économiques."
    )
    assert sents(text) == [text]
    # never a boundary between the closing quote and its stop
    assert sents("Une “farce”. Et puis rien.") == ["Une “farce”.", "Et puis rien."]


def test_lowercase_after_stop_source_typo():
    text = (
        "Blinken a également informé Lavrov que Washington ne relâchera pas son soutien à la défense de "
        "l’Ukraine. pour aussi longtemps que nécessaire. En outre, le Secrétaire d’Etat lui a également demandé."
    )
    out = sents(text)
    assert len(out) == 2 and out[0].endswith("pour aussi longtemps que nécessaire.")


def test_doubled_stop_is_one_boundary():
    text = (
        "Le secrétaire d’État américain Antony Blinken et le ministre russe des Affaires étrangères Sergei "
        "Lavrov se sont rencontrés pour la première fois depuis l’invasion de l’Ukraine. pour la première fois "
        "depuis le début de la guerre en Ukraine.. La conversation a été brève et s’est déroulée lors de la "
        "réunion des G20 à New Delhi."
    )
    out = sents(text)
    assert len(out) == 2
    assert out[0].endswith("guerre en Ukraine..")
    assert out[1].startswith("La conversation")


def test_ellipsis():
    text = (
        "Nous gardons toujours l’espoir qu’ils soient prêts à s’engager dans un processus diplomatique qui "
        "puisse… conduire à une paix juste et durable."
    )
    assert sents(text) == [text]
    text = "Tout le monde le savait… L’ennemi numéro un des USA est la Chine et toutes les autorités américaines ne l’ont pas caché ..."
    assert sents(text) == [
        "Tout le monde le savait…",
        "L’ennemi numéro un des USA est la Chine et toutes les autorités américaines ne l’ont pas caché ...",
    ]
    assert sents("Il attendait... Rien ne vint. Il hésita... puis partit.") == [
        "Il attendait...",
        "Rien ne vint.",
        "Il hésita... puis partit.",
    ]
    assert sents("Il a dit […] Les autres sont partis.") == ["Il a dit […] Les autres sont partis."]


def test_interview_turn_with_speaker_label():
    text = (
        "Question : Nous sommes donc ici à Moscou. Et je viens de Hongrie, de Budapest, il y a quelques jours "
        "seulement. Que s’est-il vraiment passé ? Tout va bien entre vous et M. Rubio et entre la Russie et les États-Unis ?"
    )
    assert sents(text) == [
        "Question : Nous sommes donc ici à Moscou.",
        "Et je viens de Hongrie, de Budapest, il y a quelques jours seulement.",
        "Que s’est-il vraiment passé ?",
        "Tout va bien entre vous et M. Rubio et entre la Russie et les États-Unis ?",
    ]
    assert sents("Sergey Lavrov : Non.") == ["Sergey Lavrov : Non."]
    text = "Question : Merci, Monsieur le Ministre des Affaires étrangères, merci de nous avoir accordé de votre temps."
    assert sents(text) == [text]


def test_question_and_exclamation_with_closers():
    text = "est-ce exact ? Est-ce exact ? Tout a été confirmé."
    assert sents(text) == ["est-ce exact ?", "Est-ce exact ?", "Tout a été confirmé."]
    # not in the seeds
    assert sents(f"Il a crié «{NBSP}Vraiment ?!{NBSP}» Puis il est parti. (Vraiment !) Oui ?! Non.") == [
        f"Il a crié «{NBSP}Vraiment ?!{NBSP}»",
        "Puis il est parti.",
        "(Vraiment !)",
        "Oui ?!",
        "Non.",
    ]
    assert sents("« Vraiment ? » a-t-il demandé.") == ["« Vraiment ? » a-t-il demandé."]


def test_urls_handles_hashtags_emails_domains():
    assert sents("➡️ https://t.co/CkPheifY1Opic.twitter.com/vykAPQTnt7") == [
        "➡️ https://t.co/CkPheifY1Opic.twitter.com/vykAPQTnt7"
    ]
    text = "— RT France (@RTenfrancais) 15 сентября 2017 г."
    assert sents(text) == [text]
    text = "#CoreeduNord : selon #Moscou, Poutine et Macron sont unis contre une poursuite inadmissible de l'escalade"
    assert sents(text) == [text]
    # not in the seeds
    assert sents("Écrivez à redaction@lemonde.fr ou lisez lemonde.fr et pic.twitter.com/vykAPQTnt7. Merci.") == [
        "Écrivez à redaction@lemonde.fr ou lisez lemonde.fr et pic.twitter.com/vykAPQTnt7.",
        "Merci.",
    ]


def test_multiline_tweet_quote():
    text = (
        "#CoreeduNord : selon #Moscou, Poutine et Macron sont unis contre une poursuite inadmissible de l'escalade\n"
        "— RT France (@RTenfrancais) 15 сентября 2017 г.\n"
        "➡️ https://t.co/CkPheifY1Opic.twitter.com/vykAPQTnt7"
    )
    assert sents(text) == text.split("\n")


def test_newline_rules():
    # a hard-wrapped sentence stays whole
    assert sents("La veille, le ministre slovaque avait déclaré\nqu'il prévoyait de discuter avec Lavrov.") == [
        "La veille, le ministre slovaque avait déclaré\nqu'il prévoyait de discuter avec Lavrov."
    ]
    # a line ending with a stop ends the sentence, whatever follows
    assert sents("Il est parti.\nensuite rien") == ["Il est parti.", "ensuite rien"]
    # but not after a title
    assert sents("Il a vu M.\nLavrov hier.") == ["Il a vu M.\nLavrov hier."]
    # a blank line always separates
    assert sents("Un face à face inattendu\n\nSi une chose est apparue") == ["Un face à face inattendu", "Si une chose est apparue"]


def test_caption_with_credit():
    text = (
        "Les délégations russe et américaine, en marge de la 80e session de l'Assemblée générale des Nations unies. "
        "[Crédit : chaîne Telegram officielle de Maria Zakharova]"
    )
    assert sents(text)[1] == "[Crédit : chaîne Telegram officielle de Maria Zakharova]"


def test_stray_punctuation_is_not_a_sentence():
    assert sents("Fin. . Autre chose.") == ["Fin. .", "Autre chose."]
    assert sents("… Le début.") == ["… Le début."]

