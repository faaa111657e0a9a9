"""#14.12: the exports' header reads a machine date in French long form, like the view."""

from __future__ import annotations


def test_export_and_view_headers_read_the_same_date():
    from reader.core.model import Article
    from reader.export.bundle import article_meta_line

    legacy = Article(title="T", paragraphs=[], source="Le Monde", published="2024-08-12", published_iso="2024-08-12")
    assert article_meta_line(legacy) == "Le Monde · 12 août 2024"
