"""Glossary matching by lemma: case, accents, elision, inflection, multi-word terms."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core.glossary import (
    GlossaryEntry,
    GlossaryMatcher,
    fold,
    merge_entries,
    non_overlapping,
    normalise_term,
    tokenize,
)

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
ONU = (ARTICLES / "lavrov-onu-discussions-russo-americaines-huis-clos.md").read_text(encoding="utf-8")
TILLERSON = (ARTICLES / "rencontre-lavrov-tillerson-new-york.md").read_text(encoding="utf-8")


def found(terms, text, **kw):
    entries = [GlossaryEntry(term=t, translation="") for t in terms]
    by_id = {e.id: e.term for e in entries}
    return [(text[m.start : m.end], by_id[m.entry_id]) for m in GlossaryMatcher(entries).find(text, **kw)]


def sentence_with(text: str, needle: str) -> str:
    i = text.index(needle)
    a = max(text.rfind(". ", 0, i), text.rfind("\n", 0, i)) + 1
    b = text.find(".", i)
    return text[a : b + 1].strip()


def test_tokenizer_keeps_words_and_splits_clitics():
    toks = [t.text for t in tokenize("Aujourd'hui, quelqu’un à la presqu'île : l'Assemblée d’État, jusqu'à "
                                     "lorsqu'il s'est-il passé ; c'est m'a t'a j'ai n'a qu'on puisqu'elle")]
    assert toks == ["Aujourd'hui", "quelqu’un", "à", "la", "presqu'île", "l'", "Assemblée", "d’", "État",
                    "jusqu'", "à", "lorsqu'", "il", "s'", "est", "-il", "passé", "c'", "est", "m'", "a", "t'",
                    "a", "j'", "ai", "n'", "a", "qu'", "on", "puisqu'", "elle"]


def test_tokenizer_hyphenated_words_are_one_token_and_offsets_exact():
    text = "Le porte-parole de la Croix-Rouge, les États-Unis et le rendez-vous ; va-t-on ?"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["Le", "porte-parole", "de", "la", "Croix-Rouge", "les", "États-Unis",
                                      "et", "le", "rendez-vous", "va", "-t-on"]
    assert all(text[t.start : t.end] == t.text for t in toks)


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_elision_both_apostrophes(apostrophe):
    text = f"en marge de la 80^e session de l{apostrophe}Assemblée générale des Nations unies"
    assert ("Assemblée", "assemblée") in found(["assemblée"], text)


def test_seed_sentences_inflection_and_elision():
    s = sentence_with(ONU, "Les délégations russe et américaine")
    hits = found(["délégation", "État", "affaires étrangères", "Assemblée générale", "assemblée"], s)
    assert ("délégations", "délégation") in hits
    assert ("État", "État") in hits  # from « d'État »
    assert ("Affaires étrangères", "affaires étrangères") in hits
    assert ("Assemblée générale", "Assemblée générale") in hits  # span excludes « l' »
    assert ("Assemblée", "assemblée") in hits


def test_verb_forms_by_lemma():
    s = sentence_with(ONU, "le ministre russe des Affaires étrangères a rencontré")
    assert ("rencontré", "rencontrer") in found(["rencontrer"], s)
    s2 = sentence_with(TILLERSON, "se sont rencontrés à New York")
    assert ("rencontrés", "rencontrer") in found(["rencontrer"], s2)


def test_case_and_accent_insensitive():
    text = "Le secrétaire d'Etat américain Rex Tillerson"  # « Etat » without accent in the seed
    assert found(["État"], text) == [("Etat", "État")]
    assert found(["SECRÉTAIRE"], text) == [("secrétaire", "SECRÉTAIRE")]


def test_entry_with_its_own_elision_matches_bare_forms():
    assert found(["l’Assemblée générale"], "avant le début de l'assemblée générale des Nations unies") == [
        ("assemblée générale", "l’Assemblée générale")
    ]


def test_multiword_needs_consecutive_words_not_across_punctuation():
    assert found(["affaires étrangères"], "les affaires, étrangères à tout cela") == []
    assert found(["affaires étrangères"], "les affaires  étrangères") == [("affaires  étrangères", "affaires étrangères")]
    assert found(["Nations unies"], "l'ONU et les Nations unies") == [("Nations unies", "Nations unies")]


def test_hyphenated_and_apostrophe_words():
    text = sentence_with(ONU, "Comité international de la Croix-Rouge")
    assert ("Croix-Rouge", "Croix-Rouge") in found(["Croix-Rouge"], text)
    assert found(["porte-parole"], "la porte-parole du ministère") == [("porte-parole", "porte-parole")]
    assert found(["aujourd'hui"], "Aujourd’hui encore") == [("Aujourd’hui", "aujourd'hui")]
    # a word is not found inside another
    assert found(["Rouge"], "la Croix-Rouge") == []


def test_overlapping_and_non_overlapping():
    text = "la 80^e session de l'Assemblée générale des Nations unies"
    all_hits = found(["assemblée", "Assemblée générale"], text)
    assert all_hits == [("Assemblée générale", "Assemblée générale"), ("Assemblée", "assemblée")]
    assert found(["assemblée", "Assemblée générale"], text, overlapping=False) == [
        ("Assemblée générale", "Assemblée générale")
    ]
    assert non_overlapping([]) == []


def test_normalise_term_for_duplicates():
    assert normalise_term("l’Assemblée Générale") == normalise_term("assemblée générale")
    assert normalise_term("Délégations") == normalise_term("délégation")
    assert normalise_term("Etat") == normalise_term("État")
    assert normalise_term("secrétaire d'État") != normalise_term("secrétaire")
    assert fold("Œuvre l’été") == "oeuvre l'ete"


def test_merge_entries_no_duplicates_on_reimport():
    existing = [GlossaryEntry("délégation", "delegation", tags=["onu"])]
    incoming = [
        GlossaryEntry("Délégations", "delegation", tags=["onu"]),  # same, nothing to do
        GlossaryEntry("Assemblée générale", "General Assembly"),
        GlossaryEntry("l'Assemblée générale", "UN General Assembly", note="ONU"),  # dup inside the import
    ]
    to_add, to_update = merge_entries(existing, incoming)
    assert to_update == []
    assert [(e.term, e.translation, e.note) for e in to_add] == [("Assemblée générale", "UN General Assembly", "ONU")]
    # again, with what was added: nothing
    assert merge_entries(existing + to_add, incoming) == ([], [])
    # a changed translation updates the existing entry (same id, same created)
    to_add, to_update = merge_entries(existing, [GlossaryEntry("délégation", "delegation (UN)", tags=["x"])])
    assert to_add == [] and len(to_update) == 1
    u = to_update[0]
    assert u.id == existing[0].id and u.created == existing[0].created
    assert u.translation == "delegation (UN)" and u.tags == ["onu", "x"]


def test_html_looking_term_is_plain_text():
    e = GlossaryEntry("<b>État</b>", "<script>State</script>")
    assert e.term == "<b>État</b>"
    assert e.translation == "<script>State</script>"
    assert normalise_term(e.term) == "b etat b"  # words, never markup to interpret


def _seed_vocabulary() -> list[str]:
    words = []
    for path in sorted(ARTICLES.glob("*.md")):
        words += [t.text for t in tokenize(path.read_text(encoding="utf-8")) if not t.clitic and len(t.text) > 2]
    return sorted(set(words))


def test_five_thousand_entries_on_longest_seed():
    """5,000 entries over the longest sample (their speed: bench/glossary_match.py)."""
    text = max((p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.md")), key=len)
    vocab = _seed_vocabulary()
    rng = random.Random(7)
    terms = list(vocab)
    while len(terms) < 5000:
        n = rng.choice((2, 2, 3))
        i = rng.randrange(len(vocab) - n)
        terms.append(" ".join(vocab[i : i + n]) if rng.random() < 0.5 else " ".join(rng.sample(vocab, n)))
    matcher = GlossaryMatcher(GlossaryEntry(t) for t in terms[:5000])
    matcher.find(text)  # warm the lemma cache for this text, as a second paint would
    hits = matcher.find(text)
    assert len(hits) > 100
    assert hits == matcher.find(text)
