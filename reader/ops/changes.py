"""What an operation changed in the library: the one record the window refreshes its panels from.

Modelled on Anki's ``OpChanges`` (``qt/aqt/operations``): an operation returns what it changed, the
window sends that record on one signal, and every panel decides for itself, cheaply, whether it concerns
what it shows — instead of the window fanning refreshes out by hand after each operation.

The fields are sets of article ids, so a panel showing one article asks ``article_id in changes.x``:

* ``articles``: articles added, replaced (re-imported), deleted or restored — their text, title or
  existence changed;
* ``translations``: articles whose English changed (machine translation arrived, a hand edit, a revert);
* ``annotations``: articles whose annotations were added, edited, deleted or re-placed;
* ``glossary``: the glossary changed (it is library-wide, hence a flag).

No Qt here: the CLI gets the same records (and may ignore them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def _ids(ids: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(i) for i in ids) if ids else frozenset()


@dataclass(frozen=True)
class OpChanges:
    """What one operation changed (see the module doc). Empty (false) when it changed nothing."""

    articles: frozenset[int] = field(default_factory=frozenset)
    translations: frozenset[int] = field(default_factory=frozenset)
    annotations: frozenset[int] = field(default_factory=frozenset)
    glossary: bool = False

    def __post_init__(self) -> None:  # accept any iterable of ids (a list, a set, a range…)
        for name in ("articles", "translations", "annotations"):
            object.__setattr__(self, name, _ids(getattr(self, name)))

    def __bool__(self) -> bool:
        return bool(self.articles or self.translations or self.annotations or self.glossary)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            self.articles | other.articles,
            self.translations | other.translations,
            self.annotations | other.annotations,
            self.glossary or other.glossary,
        )

    @classmethod
    def merge(cls, records: Iterable[OpChanges]) -> OpChanges:
        out = cls()
        for record in records:
            out = out | record
        return out

    def touches(self, article_id: int | None) -> bool:
        """Whether anything of one article (its text, English or annotations) changed."""
        return article_id is not None and (
            article_id in self.articles or article_id in self.translations or article_id in self.annotations
        )
