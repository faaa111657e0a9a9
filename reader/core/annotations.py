"""Highlights and notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

An :class:`Annotation` targets one side (``"fr"`` or ``"en"``) of one article, through a
TextPositionSelector (``start``/``end``, code points into :attr:`reader.core.sides.SideText.text`) and a
TextQuoteSelector (``exact`` with 32 characters of ``prefix``/``suffix``) that lets
:mod:`reader.core.anchoring` find the passage again when the text changes.

JSON-LD mapping (:func:`to_w3c` / :func:`from_w3c`, lossless for what we write):

- ``@context`` is the plain string ``http://www.w3.org/ns/anno.jsonld``; ``id`` is the ``urn:uuid:`` IRI.
- ``motivation`` is ``commenting`` when there is a note, else ``highlighting``.
- ``body``: the note as a ``TextualBody`` (``format: text/plain``, ``purpose: commenting``) and each tag as
  a ``TextualBody`` with ``purpose: tagging``. No ``body`` at all for a bare highlight; ``bodyValue`` is
  never written (it cannot carry a purpose, and the model forbids having both).
- ``target``: ``{"source": {"id": "<article IRI>#<side>", "type": "Text", "format": "text/plain",
  "language": side}, "selector": [TextPositionSelector, TextQuoteSelector], "styleClass": colour}``.
- colour: the model's own styling mechanism — a ``CssStylesheet`` in ``stylesheet`` defining the class
  named after the colour (``.yellow { background-color: #ffd400; }``) and ``styleClass`` on the target —
  so a generic W3C client can render it; no custom colour property is needed.
- What the model has no term for is carried in properties named by absolute IRIs of the ``visavis:``
  scheme (a JSON-LD processor keeps them as-is, no extra context needed): ``visavis:article`` (our
  article id), ``visavis:status`` (anchored / moved / orphaned) and ``visavis:textPositionOffsets``, a
  sentence saying which text the TextPositionSelector offsets count (:data:`OFFSETS_NOTE`; once per
  collection, or on a stand-alone annotation).
- A collection (:func:`collection_to_w3c`) embeds its one ``AnnotationPage`` as ``first``, with an ``id``
  (the collection's IRI with ``#page1``) that ``last`` names too, so it passes every MUST of the W3C
  web-annotation-tests for collections, pages and annotations.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reader.core.sides import SideText

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # prefix / suffix length of the TextQuoteSelector

#: Zotero's highlight colours; the names are what we store.
PALETTE: dict[str, str] = {
    "yellow": "#ffd400",
    "red": "#ff6666",
    "green": "#5fb236",
    "blue": "#2ea8e5",
    "purple": "#a28ae5",
}
DEFAULT_COLOR = "yellow"

SIDES = ("fr", "en")
STATUSES = ("anchored", "moved", "orphaned")

_EXT_ARTICLE = "visavis:article"
_EXT_STATUS = "visavis:status"
_EXT_OFFSETS = "visavis:textPositionOffsets"

#: What the numbers of a TextPositionSelector count, said in every export (:data:`_EXT_OFFSETS`).
OFFSETS_NOTE = (
    "TextPositionSelector start/end count Unicode code points (not UTF-16 units, not bytes) from the "
    "beginning of the text of one side of the article, the target's source (…#fr or …#en): that side's "
    "paragraphs joined by two newlines (U+000A U+000A). French: each paragraph's text as imported. English: "
    "each paragraph's sentence translations (the reader's hand edits over the machine translation) joined "
    "by one space, an untranslated sentence adding nothing. end is exclusive."
)


def now_iso() -> str:
    """The current UTC time as an ISO 8601 date-time, to the second: ``2025-10-26T14:03:00Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_annotation_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags stripped, empty ones dropped, duplicates (case-insensitive) removed, order kept."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return out


@dataclass
class Annotation:
    id: str
    article_id: int | str | None
    side: str  # "fr" | "en"
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    color: str = DEFAULT_COLOR
    tags: list[str] = field(default_factory=list)
    created: str = field(default_factory=now_iso)
    modified: str = field(default_factory=now_iso)
    status: str = "anchored"  # "anchored" | "moved" | "orphaned"

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, not {self.side!r}")
        if self.color not in PALETTE:
            raise ValueError(f"colour must be one of {', '.join(PALETTE)}, not {self.color!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad annotation range {self.start}..{self.end}")

    @property
    def motivation(self) -> str:
        return "commenting" if self.note else "highlighting"

    @property
    def hex_color(self) -> str:
        return PALETTE[self.color]


def quote_context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """``(exact, prefix, suffix)`` of ``text[start:end]`` with :data:`CONTEXT_CHARS` of context."""
    return (
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def make_annotation(
    side_text: SideText | str,
    article_id: int | str | None,
    side: str,
    start: int,
    end: int,
    note: str = "",
    color: str = DEFAULT_COLOR,
    tags: Iterable[str] = (),
) -> Annotation:
    """A new annotation over ``text[start:end]`` of one side.

    Raises ``ValueError`` with a sentence for the user when the range is outside the text, or the
    selection is empty or only whitespace. The range is kept as given (not trimmed), so that what is
    highlighted is exactly what the user selected.
    """
    text = side_text.text if isinstance(side_text, SideText) else side_text
    if isinstance(side_text, SideText) and side_text.side != side:
        raise ValueError(f"the text given is the {side_text.side!r} side, not {side!r}")
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end <= len(text):
        raise ValueError(
            f"The selection {start}..{end} is outside the text (which has {len(text)} characters)."
        )
    exact, prefix, suffix = quote_context(text, start, end)
    if not exact.strip():
        raise ValueError("Select some text first: an empty or blank selection cannot be highlighted.")
    stamp = now_iso()
    return Annotation(
        id=new_annotation_id(),
        article_id=article_id,
        side=side,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        note=note,
        color=color,
        tags=clean_tags(tags),
        created=stamp,
        modified=stamp,
        status="anchored",
    )


# -- W3C JSON-LD --------------------------------------------------------------------------------------


def default_article_iri(article_id: int | str | None) -> str:
    return f"urn:visavis:article:{article_id if article_id is not None else 'unsaved'}"


def _stylesheet(color: str) -> dict[str, str]:
    return {"type": "CssStylesheet", "value": f".{color} {{ background-color: {PALETTE[color]}; }}"}


def to_w3c(annotation: Annotation, article_iri: str | None = None, *, context: bool = True) -> dict:
    """One annotation as a W3C Web Annotation (JSON-LD dict). ``context=False`` leaves ``@context`` out
    (for items embedded in a collection page, which carries it)."""
    a = annotation
    iri = article_iri or default_article_iri(a.article_id)
    out: dict[str, Any] = {}
    if context:
        out["@context"] = W3C_CONTEXT
    out["id"] = a.id
    out["type"] = "Annotation"
    out["motivation"] = a.motivation
    out["created"] = a.created
    out["modified"] = a.modified
    bodies: list[dict[str, str]] = []
    if a.note:
        bodies.append(
            {"type": "TextualBody", "value": a.note, "format": "text/plain", "purpose": "commenting"}
        )
    for tag in a.tags:
        bodies.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    if bodies:
        out["body"] = bodies
    out["target"] = {
        "source": {"id": f"{iri}#{a.side}", "type": "Text", "format": "text/plain", "language": a.side},
        "selector": [
            {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
        ],
        "styleClass": a.color,
    }
    out["stylesheet"] = _stylesheet(a.color)
    out[_EXT_ARTICLE] = a.article_id
    out[_EXT_STATUS] = a.status
    if context:  # a stand-alone annotation says what its offsets count (a collection says it once)
        out[_EXT_OFFSETS] = OFFSETS_NOTE
    return out


def collection_to_w3c(
    annotations: Iterable[Annotation],
    article_iri: str | Mapping[Any, str] | Callable[[Any], str] | None = None,
    *,
    collection_id: str | None = None,
    label: str = "Vis-à-vis annotations",
) -> dict:
    """An ``AnnotationCollection`` with one embedded ``AnnotationPage`` holding every annotation.

    *article_iri*: one IRI for all, a mapping or a function from article id to IRI, or ``None`` for
    ``urn:visavis:article:<id>``.
    """
    items = []
    for a in annotations:
        if article_iri is None or isinstance(article_iri, str):
            iri = article_iri
        elif isinstance(article_iri, Mapping):
            iri = article_iri.get(a.article_id)
        else:
            iri = article_iri(a.article_id)
        items.append(to_w3c(a, iri, context=False))
    collection_id = collection_id or new_annotation_id()
    page_id = page_iri(collection_id)
    return {
        "@context": W3C_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        _EXT_OFFSETS: OFFSETS_NOTE,
        "first": {"id": page_id, "type": "AnnotationPage", "startIndex": 0, "items": items},
        "last": page_id,
    }


def page_iri(collection_id: str) -> str:
    """The IRI of the one page of a collection: the collection's, with the fragment ``#page1``."""
    return f"{collection_id.split('#', 1)[0]}#page1"


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: Mapping) -> list[str]:
    return [str(t) for t in _as_list(node.get("type") or node.get("@type"))]


_CSS_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)\s*\{[^}]*background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,8})")


def _color_from(data: Mapping, target: Mapping) -> str:
    style = target.get("styleClass")
    for cls in _as_list(style):
        if cls in PALETTE:
            return cls
    # A foreign stylesheet: take the colour of the class used, if it is one of ours by value.
    sheet = data.get("stylesheet")
    css = sheet.get("value", "") if isinstance(sheet, Mapping) else ""
    by_hex = {v.lower(): k for k, v in PALETTE.items()}
    for cls, hexa in _CSS_CLASS.findall(css or ""):
        if (not style or cls in _as_list(style)) and hexa.lower() in by_hex:
            return by_hex[hexa.lower()]
    return DEFAULT_COLOR


def from_w3c(data: Mapping) -> Annotation:
    """An :class:`Annotation` from a W3C annotation dict (ours round-trips exactly; foreign ones are read
    as far as they fit: ``bodyValue``, a single selector, a string source)."""
    if not isinstance(data, Mapping) or "Annotation" not in _types(data):
        raise ValueError("not a W3C Web Annotation (its type must include 'Annotation')")
    targets = _as_list(data.get("target"))
    if not targets or not isinstance(targets[0], Mapping):
        raise ValueError("the annotation has no target with selectors")
    target = targets[0]
    source = target.get("source")
    source_id = source.get("id", "") if isinstance(source, Mapping) else str(source or "")
    side = source.get("language") if isinstance(source, Mapping) else None
    if side not in SIDES:
        side = source_id.rsplit("#", 1)[-1] if "#" in source_id else None
    if side not in SIDES:
        raise ValueError(f"cannot tell which side (fr/en) the annotation targets: {source_id!r}")

    position = quote = None
    for sel in _as_list(target.get("selector")):
        if not isinstance(sel, Mapping):
            continue
        kinds = _types(sel)
        if "TextPositionSelector" in kinds and position is None:
            position = sel
        elif "TextQuoteSelector" in kinds and quote is None:
            quote = sel
    if position is None and quote is None:
        raise ValueError("the annotation has neither a TextPositionSelector nor a TextQuoteSelector")
    status = data.get(_EXT_STATUS)
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            raise ValueError(f"bad TextPositionSelector {start!r}..{end!r}")
    else:
        start = end = 0
        status = "orphaned"  # no position: re-anchoring will have to find the quote
    exact = str(quote.get("exact", "")) if quote else ""
    prefix = str(quote.get("prefix", "")) if quote else ""
    suffix = str(quote.get("suffix", "")) if quote else ""

    note_parts: list[str] = []
    tags: list[str] = []
    for body in _as_list(data.get("body")):
        if isinstance(body, str):  # a body given as an IRI: nothing we can show
            continue
        if not isinstance(body, Mapping) or "value" not in body:
            continue
        purpose = _as_list(body.get("purpose"))
        if "tagging" in purpose:
            tags.append(str(body["value"]))
        else:
            note_parts.append(str(body["value"]))
    if "bodyValue" in data and not note_parts:
        note_parts.append(str(data["bodyValue"]))

    created = str(data.get("created") or now_iso())
    return Annotation(
        id=str(data.get("id") or new_annotation_id()),
        article_id=data.get(_EXT_ARTICLE),
        side=side,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        note="\n\n".join(note_parts),
        color=_color_from(data, target),
        tags=tags,
        created=created,
        modified=str(data.get("modified") or created),
        status=status if status in STATUSES else "anchored",
    )


def collection_from_w3c(data: Mapping) -> list[Annotation]:
    """Every annotation of an ``AnnotationCollection`` (embedded pages followed through ``next``), an
    ``AnnotationPage``, a single annotation or a JSON list of annotations."""
    if isinstance(data, list):
        return [from_w3c(d) for d in data]
    kinds = _types(data)
    if "Annotation" in kinds:
        return [from_w3c(data)]
    pages: list[Any] = []
    if "AnnotationCollection" in kinds:
        page = data.get("first")
        while isinstance(page, Mapping):
            pages.append(page)
            page = page.get("next")
    elif "AnnotationPage" in kinds:
        pages.append(data)
    else:
        raise ValueError("not a W3C AnnotationCollection, AnnotationPage or Annotation")
    return [from_w3c(item) for page in pages for item in _as_list(page.get("items"))]
