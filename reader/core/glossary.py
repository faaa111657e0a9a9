"""The glossary: French terms with their English rendering, found in the text by lemma.

Matching is case- and accent-insensitive and elision-aware, and works on lemmas (simplemma, French), so
« délégations » finds the entry « délégation », « a rencontré » finds « rencontrer » and
« l’Assemblée générale » finds « Assemblée générale » (the match covers « Assemblée générale » only).

Tokenisation (French):

- a word is a run of letters/digits; hyphens inside a word keep it whole (« Croix-Rouge »,
  « porte-parole », « États-Unis »);
- apostrophes (' ’ ʼ) split off elided clitics — « l' d' qu' n' j' jusqu' s' c' m' t' lorsqu' puisqu'
  quoiqu' » — and nothing else, so « aujourd'hui », « quelqu'un », « presqu'île » stay single words
  (Lute's tokeniser fails here; field notes);
- inverted subject/object pronouns are split off a verb (« s'est-il » → « s' » « est » « -il »,
  « va-t-on » → « va » « -t-on ») unless the whole is a known compound (« rendez-vous »), so « être »
  still finds « est-il ».

A token's *keys* are the accent- and case-folded forms of: the token itself, its simplemma lemma and the
lemma of its lower-cased form. Two tokens match when their key sets meet. A multi-word term matches
consecutive tokens separated by nothing but white space (so not across a comma).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple


from reader.core.annotations import clean_tags, now_iso

APOSTROPHES = "'\u2019\u02bc\u2018"
HYPHENS = "\u2011-"

#: Elided clitics (the part before the apostrophe, folded) and their full forms.
CLITICS: dict[str, tuple[str, ...]] = {
    "l": ("le", "la"),
    "d": ("de",),
    "qu": ("que",),
    "n": ("ne",),
    "j": ("je",),
    "jusqu": ("jusque",),
    "s": ("se", "si"),
    "c": ("ce",),
    "m": ("me",),
    "t": ("te",),
    "lorsqu": ("lorsque",),
    "puisqu": ("puisque",),
    "quoiqu": ("quoique",),
}
#: Words with an apostrophe that are one word (checked before clitic splitting, folded).
WHOLE_WORDS = frozenset(
    {
        "aujourd'hui",
        "quelqu'un",
        "quelqu'une",
        "presqu'ile",
        "presqu'iles",
        "prud'homme",
        "prud'hommes",
        "prud'homal",
        "prud'homale",
        "entr'acte",
        "grand'mere",
        "grand'rue",
    }
)
_ENCLITIC = re.compile(
    r"^(?P<head>.+?)(?P<tail>(?:[-\u2011]t)?[-\u2011](?:je|tu|il|elle|on|nous|vous|ils|elles|ce|moi|toi"
    r"|lui|leur|les|le|la|y|en))$",
    re.IGNORECASE,
)
#: Hyphenated words that end like an inverted pronoun but are one word (folded).
HYPHEN_WHOLE = frozenset({"rendez-vous", "chez-moi", "chez-soi", "chez-lui", "on-dit", "m'as-tu-vu"})

_WORD = re.compile(rf"[^\W_]+(?:[{APOSTROPHES}{HYPHENS}][^\W_]+)*")
_APOS_RE = re.compile(f"[{APOSTROPHES}]")


def fold(s: str) -> str:
    """Case- and accent-insensitive form: apostrophes unified, diacritics removed, ligatures opened."""
    s = _APOS_RE.sub("'", s).replace("\u2011", "-")
    s = unicodedata.normalize("NFD", s.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("œ", "oe").replace("æ", "ae")


class Token(NamedTuple):
    start: int
    end: int
    text: str
    clitic: bool  # an elided clitic (« l' ») or an inverted pronoun (« -il »)


def _split_word(word: str, start: int) -> list[Token]:
    out: list[Token] = []
    while True:
        m = _APOS_RE.search(word)
        if m is None or fold(word) in WHOLE_WORDS:
            break
        head = fold(word[: m.start()])
        if head not in CLITICS:
            break
        cut = m.end()
        out.append(Token(start, start + cut, word[:cut], True))
        word, start = word[cut:], start + cut
    tails: list[Token] = []
    while True:
        m = _ENCLITIC.match(word)
        if m is None or fold(word) in HYPHEN_WHOLE:
            break
        cut = m.start("tail")
        tails.insert(0, Token(start + cut, start + len(word), word[cut:], True))
        word = word[:cut]
    out.append(Token(start, start + len(word), word, False))
    return out + tails


def tokenize(text: str) -> list[Token]:
    """French word tokens of *text* with their offsets (see the module doc)."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        out.extend(_split_word(m.group(), m.start()))
    return out


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    from simplemma import lemmatize  # imported on first use: it loads numpy and its tables

    try:
        return lemmatize(word, lang="fr")
    except Exception:  # noqa: BLE001 — a lemmatiser hiccup must not break reading
        return word


@lru_cache(maxsize=65536)
def token_keys(surface: str) -> frozenset[str]:
    """The folded forms a token can match by: itself, its lemma, the lemma of its lower-cased form."""
    f = fold(surface)
    bare = f.strip("'-")
    if bare in CLITICS and f.endswith("'"):
        return frozenset((f, *CLITICS[bare]))
    if f.startswith("-"):  # inverted pronoun: « -t-il » → « il »
        return frozenset((f, f.rsplit("-", 1)[-1]))
    return frozenset((f, fold(_lemma(surface)), fold(_lemma(surface.lower()))))


def _lemma_key(surface: str) -> str:
    """One canonical key of a token (for duplicate detection)."""
    f = fold(surface)
    bare = f.strip("'-")
    if bare in CLITICS and f.endswith("'"):
        return CLITICS[bare][0]
    return fold(_lemma(surface.lower()))


def _term_tokens(term: str) -> list[Token]:
    toks = tokenize(term)
    while len(toks) > 1 and toks[0].clitic:  # « l'Assemblée » is the entry « Assemblée »
        toks = toks[1:]
    return toks


def normalise_term(term: str) -> str:
    """A key for duplicate detection: the lemma of each word, folded, leading clitics dropped.
    « l’Assemblée Générale » and « assemblée générale » share one key, so do « Délégations » and
    « délégation »."""
    return " ".join(_lemma_key(t.text) for t in _term_tokens(term))


def new_entry_id() -> str:
    return str(uuid.uuid4())


@dataclass
class GlossaryEntry:
    term: str  # French, one or several words
    translation: str = ""  # English
    note: str = ""
    tags: list[str] = field(default_factory=list)
    id: str | int = field(default_factory=new_entry_id)
    created: str = field(default_factory=now_iso)
    modified: str = field(default_factory=now_iso)
    enforce: bool = True  # "enforce in the translation" (reader.core.enforce)

    def __post_init__(self) -> None:
        self.tags = clean_tags(self.tags)

    @property
    def key(self) -> str:
        return normalise_term(self.term)


class Match(NamedTuple):
    start: int
    end: int
    entry_id: str | int


@dataclass(frozen=True)
class _Compiled:
    entry_id: str | int
    keys: tuple[frozenset[str], ...]


class GlossaryMatcher:
    """Finds glossary terms in paragraph texts. Build once per glossary version, reuse for every
    paragraph: entries' keys are precomputed; one-word entries are indexed by key, longer ones by the
    keys of their first two words (so a frequent first word such as « le » costs nothing)."""

    def __init__(self, entries: Iterable[GlossaryEntry]):
        self._single: dict[str, list[str | int]] = {}
        self._multi: dict[tuple[str, str], list[_Compiled]] = {}
        self.entry_count = 0
        for entry in entries:
            toks = _term_tokens(entry.term)
            if not toks:
                continue
            self.entry_count += 1
            keys = tuple(token_keys(t.text) for t in toks)
            if len(keys) == 1:
                for key in keys[0]:
                    self._single.setdefault(key, []).append(entry.id)
                continue
            compiled = _Compiled(entry.id, keys)
            for k1 in keys[0]:
                for k2 in keys[1]:
                    self._multi.setdefault((k1, k2), []).append(compiled)

    def find(self, text: str, *, overlapping: bool = True) -> list[Match]:
        """Every occurrence of every entry in *text*, sorted by start then longest first.
        ``overlapping=False`` keeps the leftmost-longest non-overlapping ones (for marking)."""
        tokens = tokenize(text)
        keys = [token_keys(t.text) for t in tokens]
        single, multi = self._single, self._multi
        found: set[Match] = set()
        n = len(tokens)
        for i, ks in enumerate(keys):
            tok = tokens[i]
            for key in ks:
                for entry_id in single.get(key, ()):
                    found.add(Match(tok.start, tok.end, entry_id))
            if i + 1 == n or not _only_space(text, tok.end, tokens[i + 1].start):
                continue
            for k1 in ks:
                for k2 in keys[i + 1]:
                    for c in multi.get((k1, k2), ()):
                        m = len(c.keys)
                        if i + m > n:
                            continue
                        ok = True
                        for j in range(2, m):
                            if keys[i + j].isdisjoint(c.keys[j]) or not _only_space(
                                text, tokens[i + j - 1].end, tokens[i + j].start
                            ):
                                ok = False
                                break
                        if ok:
                            found.add(Match(tok.start, tokens[i + m - 1].end, c.entry_id))
        out = sorted(found, key=lambda mt: (mt.start, -mt.end, str(mt.entry_id)))
        return out if overlapping else non_overlapping(out)


def _only_space(text: str, a: int, b: int) -> bool:
    return a == b or text[a:b].isspace()


def non_overlapping(matches: Sequence[Match]) -> list[Match]:
    """Leftmost-longest selection of matches that do not overlap (input in any order)."""
    out: list[Match] = []
    end = -1
    for m in sorted(matches, key=lambda mt: (mt.start, -mt.end, str(mt.entry_id))):
        if m.start >= end:
            out.append(m)
            end = m.end
    return out


def merge_entries(
    existing: Iterable[GlossaryEntry], incoming: Iterable[GlossaryEntry]
) -> tuple[list[GlossaryEntry], list[GlossaryEntry]]:
    """What importing *incoming* into a glossary holding *existing* should do: ``(to_add, to_update)``.

    Entries are the same when their :func:`normalise_term` keys are equal. A known term is updated
    (a new object with the existing id and ``created``): the incoming translation and note replace the
    existing ones when they are not empty, tags are united, "enforce in the translation" is turned off when
    the incoming entry has it off (an import never turns it back on: that is the reader's choice, and
    most files cannot say it); it is listed in ``to_update`` only if that
    changes something — so re-importing the same file gives ``([], [])``. Duplicates inside *incoming*
    are merged the same way, first one first.
    """
    by_key: dict[str, GlossaryEntry] = {}
    for e in existing:
        by_key.setdefault(e.key, e)
    known = dict(by_key)
    added: dict[str, GlossaryEntry] = {}
    updated: dict[str, GlossaryEntry] = {}
    for inc in incoming:
        key = inc.key
        if not key:
            continue
        current = added.get(key) or updated.get(key) or known.get(key)
        if current is None:
            added[key] = inc
            continue
        merged = replace(
            current,
            translation=inc.translation or current.translation,
            note=inc.note or current.note,
            tags=clean_tags([*current.tags, *inc.tags]),
            enforce=current.enforce and inc.enforce,
        )
        if (merged.translation, merged.note, merged.tags, merged.enforce) == (
            current.translation,
            current.note,
            current.tags,
            current.enforce,
        ):
            continue
        merged.modified = now_iso()
        if key in added:
            added[key] = merged
        else:
            updated[key] = merged
    unchanged = lambda e: (e.translation, e.note, e.tags, e.enforce) == (  # noqa: E731
        known[e.key].translation,
        known[e.key].note,
        known[e.key].tags,
        known[e.key].enforce,
    )
    return list(added.values()), [e for e in updated.values() if not unchanged(e)]
