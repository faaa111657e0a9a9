"""The sample articles are imported on the very first run only."""

from __future__ import annotations

from reader.core.model import Article, Paragraph, Sentence
from reader.ops.library import ensure_samples, sample_articles_dir
from reader.storage.store import Store


def _article(title: str) -> Article:
    return Article(title=title, paragraphs=[Paragraph("Un.", sentences=[Sentence(0, 3)])])


def test_samples_come_on_the_first_run_only(tmp_path):
    path = tmp_path / "lib.db"
    expected = len(list(sample_articles_dir().glob("*.md")))
    with Store(path) as s:
        ids = ensure_samples(s)
        assert len(ids) == expected == 5
        assert ensure_samples(s) == []
        for article_id in ids:  # the user deletes every article
            s.delete_article(article_id)
    with Store(path) as s:  # the next start: the samples do not come back
        assert ensure_samples(s) == []
        assert s.is_empty()


def test_a_library_with_articles_counts_as_offered(tmp_path):
    path = tmp_path / "lib.db"
    with Store(path) as s:
        own = s.add_article(_article("Le mien"))
        assert ensure_samples(s) == []
        s.delete_article(own)
    with Store(path) as s:
        assert ensure_samples(s) == [] and s.is_empty()
