"""Hand-built articles for the storage tests (independent of the markup parser)."""

from __future__ import annotations

import re

from reader.core.model import Article, Paragraph, ParagraphKind, Sentence, Span, SpanKind


def para(text: str, kind: ParagraphKind = ParagraphKind.BODY, **kw) -> Paragraph:
    """A paragraph cut into sentences at « . », « ? », « ! » followed by a space (enough for tests)."""
    sentences = []
    start = 0
    for m in re.finditer(r"[.?!…](?=\s|$)", text):
        end = m.end()
        if text[start:end].strip():
            sentences.append(Sentence(start, end))
        start = end + 1
    if start < len(text) and text[start:].strip():
        sentences.append(Sentence(start, len(text)))
    return Paragraph(text=text, kind=kind, sentences=sentences, **kw)


def sample_article(title: str = "La diplomatie russe à l’ONU", **kw) -> Article:
    return Article(
        title=title,
        author="Jeanne Dupont",
        published="25 septembre 2025",
        published_iso="2025-09-25",
        source="AFP",
        source_url="https://example.org/a",
        origin="lavrov.txt",
        paragraphs=[
            para("Diplomatie", ParagraphKind.HEADING),
            Paragraph(
                text="M. Lavrov a parlé de sécurité. Le 80e anniversaire approche.",
                spans=[
                    Span(0, 9, SpanKind.BOLD),
                    Span(31, 60, SpanKind.ITALIC),
                    Span(36, 37, SpanKind.SUPERSCRIPT),
                    Span(10, 17, SpanKind.LINK, "https://example.org/parler?x=1&y=«2»"),
                ],
                sentences=[Sentence(0, 30), Sentence(31, 60)],
            ),
            para("Pouvez-vous préciser ? Oui.", ParagraphKind.TURN, speaker="Question"),
            para("Une photo du cœur de Moscou.", ParagraphKind.CAPTION),
            para("« Nous sommes prêts », a-t-il écrit.", ParagraphKind.QUOTE),
            Paragraph(text=""),  # an empty paragraph without sentences survives the round trip
            para("Bonjour. Bonjour."),  # the same sentence twice
        ],
        **kw,
    )


def simple_article(title: str, *texts: str) -> Article:
    return Article(title=title, paragraphs=[para(t) for t in texts])
