"""Hyphenation points for the PDF's columns, from `pyphen` (the LibreOffice/TeX hyphenation patterns).

French words are cut with the French patterns and English words with the English ones; at least two
letters stay before a cut and three after it (the usual rule of French and English typesetting). Words
in capitals (acronyms), words with digits, short words and addresses (« twitter.com/… », e-mail) are
never cut: a hyphen inside an address changes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pyphen

_DICTS = {"fr": "fr_FR", "en": "en_US"}
_WORD = re.compile(r"[^\W\d_]{6,}")
_TOKEN = re.compile(r"\S+")
_ADDRESS = re.compile(r"://|www\.|@|/|[^\W_]\.[^\W\d_]{2,}")


@lru_cache(maxsize=4)
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=_DICTS[lang], left=2, right=3)


def hyphenator(lang: str) -> Callable[[str], list[int]]:
    """A function giving the offsets in a text where a word may be hyphenated (``lang``: "fr" | "en")."""
    dic = _dictionary(lang)

    @lru_cache(maxsize=50_000)
    def word_points(word: str) -> tuple[int, ...]:
        return tuple(dic.positions(word))

    def points(text: str) -> list[int]:
        out = []
        for token in _TOKEN.finditer(text):
            if _ADDRESS.search(token.group()):
                continue
            for m in _WORD.finditer(token.group()):
                word = m.group()
                if word.isupper():
                    continue
                out.extend(token.start() + m.start() + p for p in word_points(word))
        return out

    return points
