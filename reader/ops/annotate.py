"""Application-level annotation and glossary operations, shared by the CLI and the GUI (no Qt).

Which English text?
    The English side of an article is the machine translation of one model (its id, e.g.
    ``argos:fr-en:1.9``) with the user's hand edits on top. Annotations on the English side are placed in
    that text, so every function here takes the ``model_id`` it is read with. :func:`resolve_model_id`
    is the one rule used when the caller has no engine at hand (the CLI): the installed model's id when a
    model is installed (what the window shows); otherwise the model whose cached translations cover most
    of the article (so annotating and listing keep working from the cache, without any model); otherwise
    ``""``, which gives the hand edits alone.

Re-anchoring
    After a side's text changed — a translation job finished (call :func:`after_translation`), a hand
    edit (:func:`set_edited_translation_and_reanchor`), annotations carried over to a re-imported copy
    (:func:`transfer_annotations`) — :func:`reanchor_article` re-places that side's annotations with
    :func:`reader.core.anchoring.reanchor` and stores the new positions and statuses in one transaction.
    Orphans are kept (with their quote) and tried again at the next re-anchoring.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from reader.core.anchoring import reanchor_all
from reader.core.annotations import DEFAULT_COLOR, PALETTE, SIDES, Annotation, clean_tags, make_annotation, now_iso
from reader.core.errors import NotFoundError, ReaderError
from reader.core.glossary import GlossaryEntry, GlossaryMatcher
from reader.core.sides import SideText, english_side, french_side
from reader.ops.changes import OpChanges
from reader.storage.store import Store

__all__ = [
    "AnnotationError",
    "PlacedAnnotations",
    "SIDE_NAMES",
    "after_translation",
    "annotate_quote",
    "find_quote",
    "glossary_contexts",
    "glossary_occurrences",
    "reanchor_article",
    "resolve_model_id",
    "set_annotation_note",
    "set_edited_translation_and_reanchor",
    "side_text_for",
    "transfer_annotations",
]

SIDE_NAMES = {"fr": "French", "en": "English"}


class AnnotationError(ReaderError):
    """An annotation request that cannot be carried out (bad quote, colour, side, occurrence…)."""


# --- which text -------------------------------------------------------------------------------------


def resolve_model_id(store: Store, article_id: int, installed_model_id: str | None = None) -> str:
    """The model id to read the English side of an article with (see the module doc)."""
    if installed_model_id:
        return installed_model_id
    coverage = store.translation_coverage(article_id)
    if not coverage:
        return ""
    return max(sorted(coverage), key=coverage.__getitem__)


def _check_side(side: str) -> str:
    if side not in SIDES:
        raise AnnotationError(f"Unknown side {side!r}: use fr (French) or en (English).")
    return side


def side_text_for(store: Store, article_id: int, side: str, model_id: str | None = None) -> SideText:
    """One side of a stored article as annotations see it. The English side is the translation by
    ``model_id`` with hand edits on top (``Store.article_translations(...).text``); ``None`` resolves
    the model id from the cache (:func:`resolve_model_id`). ``NotFoundError`` for an unknown article."""
    _check_side(side)
    article = store.get_article(article_id)
    if side == "fr":
        return french_side(article)
    if model_id is None:
        model_id = resolve_model_id(store, article_id)
    translations = store.article_translations(article_id, model_id)
    return english_side(article, [[t.text for t in para] for para in translations])


def _has_text(side_text: SideText) -> bool:
    return any(p.strip() for p in side_text.paragraphs)


# --- finding a quote --------------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u02bc\u2018"


def _quote_pattern(quote: str) -> re.Pattern[str]:
    """The quote as a pattern that tolerates what a keyboard cannot type apart: any run of white space
    (including the no-break spaces of French typography before « : ; ? ! ») matches any other, and
    straight and curly apostrophes match each other. Everything else must be exactly as in the text."""
    parts: list[str] = []
    for chunk in re.split(r"(\s+)", quote):
        if not chunk:
            continue
        if chunk.isspace():
            parts.append(r"\s+")
            continue
        parts.append("".join(f"[{_APOSTROPHES}]" if ch in _APOSTROPHES else re.escape(ch) for ch in chunk))
    return re.compile("".join(parts))


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (non-overlapping) occurrence of ``quote`` in ``text`` as ``(start, end)``, in order."""
    quote = unicodedata.normalize("NFC", quote).strip()
    if not quote:
        return []
    return [(m.start(), m.end()) for m in _quote_pattern(quote).finditer(text)]


def _shown(quote: str, limit: int = 60) -> str:
    one_line = " ".join(quote.split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1].rstrip() + "…"
    return f"“{one_line}”"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def annotate_quote(
    store: Store,
    article_id: int,
    side: str,
    quote: str,
    occurrence: int = 1,
    note: str = "",
    color: str = DEFAULT_COLOR,
    tags: Iterable[str] = (),
    model_id: str | None = None,
) -> Annotation:
    """Highlight the ``occurrence``-th copy of ``quote`` on one side of an article and store it.

    White space and apostrophes in ``quote`` match loosely (see :func:`_quote_pattern`); the stored
    ``exact`` is the text as it is in the article. Errors (each a ``ReaderError`` with one sentence):
    unknown article (``NotFoundError``), unknown side or colour, empty quote, quote not found,
    occurrence out of range, English side not translated yet.
    """
    _check_side(side)
    if color not in PALETTE:
        raise AnnotationError(f"Unknown colour {color!r}: use one of {', '.join(PALETTE)}.")
    if not isinstance(occurrence, int) or occurrence < 1:
        raise AnnotationError(f"The occurrence must be 1 or more, not {occurrence!r}.")
    if quote is None or not str(quote).strip():
        raise AnnotationError("The quote is empty: give the exact text to highlight.")
    if not store.article_exists(article_id):
        raise NotFoundError(f"No article with id {article_id} (see 'visavis list').")
    side_text = side_text_for(store, article_id, side, model_id)
    where = f"the {SIDE_NAMES[side]} side of article {article_id}"
    if side == "en" and not _has_text(side_text):
        raise AnnotationError(
            f"Article {article_id} has no English translation yet; translate it first "
            f"('visavis translate {article_id}')."
        )
    hits = find_quote(side_text.text, quote)
    if not hits:
        raise AnnotationError(f"The quote {_shown(quote)} does not occur on {where}.")
    if occurrence > len(hits):
        raise AnnotationError(
            f"The quote {_shown(quote)} occurs only {_times(len(hits))} on {where}; "
            f"choose an occurrence from 1 to {len(hits)}, not {occurrence}."
        )
    start, end = hits[occurrence - 1]
    try:
        annotation = make_annotation(side_text, article_id, side, start, end, note=note, color=color, tags=tags)
    except ValueError as exc:  # not expected after the checks above; keep it a user-facing error
        raise AnnotationError(str(exc)) from None
    store.add_annotation(annotation)
    return annotation


# --- re-anchoring -----------------------------------------------------------------------------------


class PlacedAnnotations(list):
    """The annotations a re-anchoring returns (a plain list of ``Annotation``, in reading order), with
    ``changes``: the record of what it changed — ``OpChanges(annotations={article_id})`` when a position
    or a status changed, empty otherwise."""

    def __init__(self, annotations: Iterable[Annotation] = (), changes: OpChanges | None = None) -> None:
        super().__init__(annotations)
        self.changes = changes if changes is not None else OpChanges()

    def __add__(self, other):  # « fr + en » keeps saying what both changed
        return PlacedAnnotations(list(self) + list(other), self.changes | getattr(other, "changes", OpChanges()))


def reanchor_article(
    store: Store, article_id: int, side: str, model_id: str | None = None
) -> PlacedAnnotations:
    """Re-place the annotations of one side of an article in its current text and store what changed
    (positions, status), in one transaction. Returns every annotation of that side, in reading order.

    Nothing is dropped: an annotation that cannot be placed is stored as ``orphaned`` with its old range
    and quote, and is tried again next time. While a side has no text at all (the English side before any
    translation) nothing is changed. The list returned carries ``changes`` (:class:`PlacedAnnotations`).
    """
    _check_side(side)
    with store.atomic():
        current = store.annotations(article_id=article_id, side=side)
        if not current:
            return PlacedAnnotations()
        side_text = side_text_for(store, article_id, side, model_id)
        if not _has_text(side_text):
            return PlacedAnnotations(current)
        placed = reanchor_all(current, side_text.text)
        changed = [
            new
            for old, new in zip(current, placed, strict=True)
            if (old.start, old.end, old.status) != (new.start, new.end, new.status)
        ]
        store.update_annotations(changed)
    return PlacedAnnotations(placed, OpChanges(annotations={article_id}) if changed else None)


def after_translation(store: Store, article_id: int, model_id: str) -> PlacedAnnotations:
    """Hook for the end of a translation job (``reader.ops.translate.translate_article``): the English text
    changed, re-place the English annotations."""
    return reanchor_article(store, article_id, "en", model_id)


def set_edited_translation_and_reanchor(
    store: Store, article_id: int, paragraph: int, sentence: int, text: str | None, model_id: str | None = None
) -> PlacedAnnotations:
    """Store a hand edit of one English sentence (``None`` reverts it) and re-place the English
    annotations, in one transaction. Returns the English annotations; their ``changes`` name the
    article's English too."""
    with store.atomic():
        store.set_edited_translation(article_id, paragraph, sentence, text)
        placed = reanchor_article(store, article_id, "en", model_id)
    placed.changes = placed.changes | OpChanges(translations={article_id})
    return placed


def transfer_annotations(
    store: Store, from_article: int, to_article: int, model_id: str | None = None
) -> PlacedAnnotations:
    """Move every annotation of ``from_article`` to ``to_article`` (e.g. a re-imported, corrected copy of
    the same text) and re-anchor them there, in one transaction. Ids, notes and dates are kept."""
    if not store.article_exists(to_article):
        raise NotFoundError(f"No article with id {to_article}.")
    with store.atomic():
        moving = store.annotations(article_id=from_article)
        store.update_annotations([replace(a, article_id=to_article) for a in moving])
        out = PlacedAnnotations()
        for side in SIDES:
            out = out + reanchor_article(store, to_article, side, model_id)
    if moving:
        out.changes = out.changes | OpChanges(annotations={from_article, to_article})
    return out


def set_annotation_note(
    store: Store,
    annotation_id: str,
    note: str | None = None,
    color: str | None = None,
    tags: Sequence[str] | None = None,
) -> Annotation:
    """Change an annotation's note, colour or tags (what is given) and stamp ``modified``."""

    a = store.get_annotation(annotation_id)
    if color is not None and color not in PALETTE:
        raise AnnotationError(f"Unknown colour {color!r}: use one of {', '.join(PALETTE)}.")
    new = replace(
        a,
        note=a.note if note is None else note,
        color=a.color if color is None else color,
        tags=a.tags if tags is None else clean_tags(tags),
        modified=now_iso(),
    )
    store.update_annotation(new)
    return new


# --- glossary in the library ------------------------------------------------------------------------


def glossary_occurrences(store: Store, entries: Iterable[GlossaryEntry] | None = None) -> dict[int | str, int]:
    """Entry id → how many times the term occurs in the French text of the whole library (inflected
    forms and elisions included; every entry listed, 0 when absent)."""
    entries = list(store.glossary() if entries is None else entries)
    counts: Counter[int | str] = Counter({e.id: 0 for e in entries})
    if not entries:
        return dict(counts)
    matcher = GlossaryMatcher(entries)
    for _article, _p, text in store.library_paragraphs():
        seen: set[tuple[int, int, int | str]] = set()
        for m in matcher.find(text):
            if (m.start, m.end, m.entry_id) not in seen:
                seen.add((m.start, m.end, m.entry_id))
                counts[m.entry_id] += 1
    return dict(counts)


def glossary_contexts(store: Store, entries: Iterable[GlossaryEntry] | None = None) -> dict[int | str, str]:
    """Entry id → the first French sentence of the library (by article id, then reading order) where
    the term occurs; entries found nowhere are left out. For the Anki export's card fronts."""
    entries = list(store.glossary() if entries is None else entries)
    if not entries:
        return {}
    matcher = GlossaryMatcher(entries)
    wanted = {e.id for e in entries}
    out: dict[int | str, str] = {}
    for _article, _p, _s, text in store.library_sentences():
        for m in matcher.find(text):
            if m.entry_id in wanted and m.entry_id not in out:
                out[m.entry_id] = text.strip()
        if len(out) == len(wanted):
            break
    return out
