"""The text model: articles, paragraphs, inline spans and sentences.

Pure Python (no Qt, no SQLite, no argostranslate). Offsets are Python ``str`` indexes (Unicode code
points) into the paragraph text; they are the ground truth for alignment and highlights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ParagraphKind(str, Enum):
    """What a paragraph is, so views and exports can render it as such."""

    BODY = "body"  # ordinary running text
    HEADING = "heading"  # a subheading inside the article
    CAPTION = "caption"  # a photo caption (kept once even when the source repeats it)
    QUOTE = "quote"  # an embedded quote, e.g. a tweet
    TURN = "turn"  # one turn of an interview; ``Paragraph.speaker`` names who speaks


class SpanKind(str, Enum):
    """Inline formatting inside a paragraph."""

    BOLD = "bold"
    ITALIC = "italic"
    SUPERSCRIPT = "sup"  # e.g. the « e » of the ordinal « 80e » (source text ``80^e``)
    LINK = "link"  # ``Span.href`` holds the target


@dataclass(frozen=True)
class Span:
    """Inline formatting over ``text[start:end]`` of a paragraph."""

    start: int
    end: int
    kind: SpanKind
    href: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph: ``paragraph.text[start:end]``."""

    start: int
    end: int

    def text_in(self, paragraph_text: str) -> str:
        return paragraph_text[self.start : self.end]


@dataclass
class Paragraph:
    """One block of French text, with its inline spans and (once segmented) its sentences."""

    text: str
    kind: ParagraphKind = ParagraphKind.BODY
    speaker: str | None = None  # for TURN paragraphs: « Question », « Sergey Lavrov »
    spans: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def sentence_texts(self) -> list[str]:
        return [s.text_in(self.text) for s in self.sentences]


@dataclass
class Article:
    """A French article as imported: metadata and paragraphs (French only; translations live apart)."""

    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    author: str | None = None
    published: str | None = None  # the date as written in the source (« 25 septembre 2025 »)
    published_iso: str | None = None  # ISO 8601 date when it could be parsed (« 2025-09-25 »)
    source: str | None = None  # « AFP », « RT France »
    source_url: str | None = None
    origin: str | None = None  # the file it was imported from (name only)
    source_lang: str = "fr"
    target_lang: str = "en"
    id: int | None = None  # set by storage
    place: str | None = None  # the dateline's place (« Moscou » in « Moscou, 26 octobre 2025 »)

    def all_sentences(self) -> list[tuple[int, int, str]]:
        """(paragraph index, sentence index, text) for every sentence, in reading order."""
        return [
            (pi, si, s.text_in(p.text))
            for pi, p in enumerate(self.paragraphs)
            for si, s in enumerate(p.sentences)
        ]
