"""Hyphenation points of the PDF columns (reader.export.pdf_hyphen)."""

from __future__ import annotations

import pyphen

from reader.export.pdf_hyphen import hyphenator


def test_words_get_their_language_points_at_their_offsets_in_the_text():
    text = "Les négociations diplomatiques continuent."
    points = hyphenator("fr")(text)
    fr = pyphen.Pyphen(lang="fr_FR", left=2, right=3)
    start = text.index("négociations")
    assert [p - start for p in points if start < p < start + len("négociations")] == fr.positions("négociations")
    assert points and all(text[p - 1].isalpha() and text[p].isalpha() for p in points)


def test_addresses_are_never_cut():
    """A hyphen inside an address changes it (« twit-ter.com » was seen in a render at 24 pt)."""
    hy = hyphenator("en")
    for text in ("see twitter.com/mfa_russia/status", "https://www.argosopentech.com/argospm/index",
                 "write to redaction@exemple.fr", "www.diplomatie.gouv"):
        assert hy(text) == [] or all(p < text.index(text.split()[-1]) for p in hy(text)), text
    assert hy("twitter.com/mfa_russia") == []


def test_acronyms_digits_and_short_words_are_not_cut():
    hy = hyphenator("fr")
    assert hy("ONUSIDA 2023 trois") == []
