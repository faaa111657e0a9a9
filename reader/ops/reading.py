"""The English a reader sees, whatever model is installed (no Qt).

The translation cache is keyed by the model that made each sentence, so removing the model, or
installing another one, must not hide what was already translated (#14): the window and ``visavis show``
read the English with :func:`reading_english`.

- The *reading model* is the installed model when there is one, else the cached model that covers the
  article best (:func:`reader.ops.annotate.resolve_model_id`).
- Each sentence shows its hand edit, else the (glossary-enforced) machine English of the reading model
  (:func:`reader.ops.enforce.shown_english`), else the machine English of another cached model — the
  best-covering first. Those last sentences are *older*: they are kept until the reading model
  translates them again, and the caller can tell them apart (``ReadingEnglish.older``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.ops.annotate import resolve_model_id
from reader.ops.enforce import ShownSentence, shown_english
from reader.storage.store import Store

__all__ = ["ReadingEnglish", "reading_english"]


@dataclass
class ReadingEnglish:
    """``rows[p][s]``: what sentence s of paragraph p shows; ``model_id``: the reading model ("" when
    nothing is cached and no model is installed); ``older``: (p, s) → the other model whose English a
    sentence shows."""

    rows: list[list[ShownSentence]]
    model_id: str
    older: dict[tuple[int, int], str] = field(default_factory=dict)

    def texts(self) -> list[list[str | None]]:
        return [[t.text for t in row] for row in self.rows]

    def edited(self) -> set[tuple[int, int]]:
        return {(p, s) for p, row in enumerate(self.rows) for s, t in enumerate(row) if t.edited}

    def has_english(self) -> bool:
        return any(t.text for row in self.rows for t in row)


def reading_english(store: Store, article_id: int, installed_model_id: str | None, *,
                    enforce: bool = True, plan=None) -> ReadingEnglish:
    """The English of an article as a reader sees it (see the module doc); ``plan``: the glossary's
    enforcing plan when the caller keeps one (:func:`reader.ops.enforce.store_plan`)."""
    model_id = resolve_model_id(store, article_id, installed_model_id)
    if model_id:
        rows = shown_english(store, article_id, model_id, enforce=enforce, plan=plan)
    else:  # nothing cached, no model: the hand edits alone
        rows = [[ShownSentence(t.edited, None, t.edited is not None, t.machine) for t in row]
                for row in store.article_translations(article_id, "")]
    older: dict[tuple[int, int], str] = {}
    missing = {(p, s) for p, row in enumerate(rows) for s, t in enumerate(row) if t.text is None}
    if missing:
        coverage = store.translation_coverage(article_id)
        for other in sorted((m for m in coverage if m != model_id), key=lambda m: (-coverage[m], m)):
            theirs = store.article_translations(article_id, other)
            for p, s in sorted(missing):
                machine = theirs[p][s].machine if p < len(theirs) and s < len(theirs[p]) else None
                if machine is not None:
                    rows[p][s] = ShownSentence(machine, None, False, machine)
                    older[(p, s)] = other
            missing -= older.keys()
            if not missing:
                break
    return ReadingEnglish(rows, model_id, older)
