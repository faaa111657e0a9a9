"""Articles in the store: rows of ``articles``, ``paragraphs`` and ``sentences`` and their search row.

A mixin of :class:`reader.storage.store.Store` (schema: migrations 1, 3 and 4 in ``schema.py``). Article
ids are ``AUTOINCREMENT``: an id is never given to another article, even after the last one was
deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reader.core.errors import NotFoundError
from reader.core.model import Article, Paragraph, ParagraphKind, Sentence, Span, SpanKind
from reader.storage.connection import StoreConnection, now
from reader.storage.errors import guarded
from reader.storage.search import fts_match_expression, write_article_fts

__all__ = ["ArticleStoreMixin", "ArticleSummary", "ReplaceResult", "content_hash"]


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the library list."""

    id: int
    title: str
    source: str | None
    author: str | None
    published: str | None  # as written
    published_iso: str | None
    added: str  # ISO timestamp of import
    n_paragraphs: int
    n_sentences: int
    n_translated: int  # sentences with a translation for the given model id (or a hand edit)
    place: str | None = None  # the dateline's place (« Moscou »)


@dataclass(frozen=True)
class ReplaceResult:
    """What ``Store.replace_article`` did with the article's hand edits."""

    kept_edits: int  # kept at their place or moved with their sentence's text
    dropped_edits: int  # their French sentence no longer exists (or is no longer unique)


def content_hash(article: Article) -> str:
    """A stable fingerprint of an article's French text (title, kinds, speakers, paragraph texts)."""
    payload = [article.title, [[ParagraphKind(p.kind).value, p.speaker, p.text] for p in article.paragraphs]]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _spans_to_json(spans: list[Span]) -> str:
    return json.dumps(
        [[s.start, s.end, SpanKind(s.kind).value, s.href] for s in spans],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _spans_from_json(data: str | None) -> list[Span]:
    if not data:
        return []
    return [Span(int(s), int(e), SpanKind(k), href) for s, e, k, href in json.loads(data)]


#: The article columns written from the model, on insert and on replace (``content_hash`` follows
#: them; ``added`` is set once, on insert).
_ARTICLE_META = ("title", "author", "published", "published_iso", "source", "source_url", "origin",
                 "source_lang", "target_lang", "place")


def _article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` columns written from the model: ``_ARTICLE_META`` and ``content_hash``."""
    return {**{c: getattr(article, c) for c in _ARTICLE_META}, "content_hash": content_hash(article)}


class ArticleStoreMixin(StoreConnection):
    """Article methods of ``Store``."""

    @guarded
    def is_empty(self) -> bool:
        """True when the library holds no article."""
        return self._conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

    def _insert_article(self, article: Article) -> int:
        article_id = int(self.db.table("articles").insert({**_article_row(article), "added": now()}).last_rowid)
        self._insert_body(article_id, article)
        write_article_fts(self._conn, article_id, article, new=True)
        return article_id

    def _insert_body(self, article_id: int, article: Article) -> None:
        """Insert the paragraphs and sentences of ``article`` under ``article_id``.

        Raw ``executemany`` kept for speed: a book has thousands of sentences, and with sqlite-utils'
        ``insert_all`` here ``add_articles`` took about 2.2× as long (``bench/store_writes.py``:
        ``add_articles_ms_per_100`` 90 → 200 ms; per row ``sentences_insert_all_us_per_row`` 8.7 against
        ``sentences_executemany_us_per_row`` 3.0)."""
        conn = self._conn
        conn.executemany(
            "INSERT INTO paragraphs (article_id, idx, kind, speaker, text, spans) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (article_id, pi, ParagraphKind(p.kind).value, p.speaker, p.text, _spans_to_json(p.spans))
                for pi, p in enumerate(article.paragraphs)
            ],
        )
        conn.executemany(
            'INSERT INTO sentences (article_id, paragraph, idx, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (article_id, pi, si, s.start, s.end, s.text_in(p.text))
                for pi, p in enumerate(article.paragraphs)
                for si, s in enumerate(p.sentences)
            ],
        )

    @guarded
    def add_article(self, article: Article) -> int:
        """Store a segmented article (paragraphs, spans, sentences) in one transaction; return its id."""
        with self._transaction():
            article_id = self._insert_article(article)
        article.id = article_id
        return article_id

    @guarded
    def add_articles(self, articles: Iterable[Article]) -> list[int]:
        """Store several articles in one transaction (all or none); set and return their ids."""
        articles = list(articles)
        with self._transaction():
            ids = [self._insert_article(a) for a in articles]
        for article, article_id in zip(articles, ids):
            article.id = article_id
        return ids

    @guarded
    def replace_article(self, article_id: int, article: Article) -> ReplaceResult:
        """Replace an article's metadata, paragraphs, sentences and search row by ``article``'s, in one
        transaction, keeping its id, ``added`` date, annotations and the translation cache.

        Hand edits are keyed by (paragraph, sentence): an edit stays where the sentence at its place has
        the same French text as before; otherwise it follows its text to its new place if that text occurs
        exactly once in the new article; otherwise it is dropped (counted in ``dropped_edits``).
        Annotations are not re-placed here: see ``reader.ops.annotate.reanchor_article``.
        ``NotFoundError`` if there is no such article.
        """
        conn = self._conn
        with self._transaction():
            self._require_article(article_id)
            old_text = {
                (p, s): text
                for p, s, text in conn.execute(
                    "SELECT paragraph, idx, text FROM sentences WHERE article_id = ?", (article_id,)
                )
            }
            edits = conn.execute(
                "SELECT paragraph, sentence, text, modified FROM edits WHERE article_id = ? "
                "ORDER BY paragraph, sentence",
                (article_id,),
            ).fetchall()
            new_text: dict[tuple[int, int], str] = {
                (pi, si): s.text_in(p.text)
                for pi, p in enumerate(article.paragraphs)
                for si, s in enumerate(p.sentences)
            }
            places: dict[str, list[tuple[int, int]]] = {}
            for key, text in new_text.items():
                places.setdefault(text, []).append(key)
            kept: dict[tuple[int, int], tuple[str, str]] = {}
            pending = []
            for p, s, text, modified in edits:  # first: edits whose sentence is unchanged in place
                french = old_text.get((p, s))
                if french is not None and new_text.get((p, s)) == french:
                    kept[(p, s)] = (text, modified)
                else:
                    pending.append((french, text, modified))
            dropped = 0
            for french, text, modified in pending:  # then: edits that follow their sentence's text
                where = places.get(french, []) if french is not None else []
                if len(where) == 1 and where[0] not in kept:
                    kept[where[0]] = (text, modified)
                else:
                    dropped += 1
            conn.execute("DELETE FROM edits WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM paragraphs WHERE article_id = ?", (article_id,))
            self.db.table("articles").update(article_id, _article_row(article))
            self._insert_body(article_id, article)
            write_article_fts(conn, article_id, article)
            conn.executemany(
                "INSERT INTO edits (article_id, paragraph, sentence, text, modified) VALUES (?, ?, ?, ?, ?)",
                [(article_id, p, s, text, modified) for (p, s), (text, modified) in sorted(kept.items())],
            )
        article.id = article_id
        return ReplaceResult(kept_edits=len(kept), dropped_edits=dropped)

    @guarded
    def find_by_origin(self, origin: str, title: str | None = None) -> int | None:
        """The id of the newest article imported from a file named ``origin`` (and titled ``title`` when
        given), or None."""
        if not origin:
            return None
        sql, params = "SELECT id FROM articles WHERE origin = ?", [origin]
        if title is not None:
            sql += " AND title = ?"
            params.append(title)
        row = self._conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return int(row[0]) if row else None

    @guarded
    def ids_by_origin(self, origin: str) -> list[int]:
        """The ids of every article imported from a file named ``origin`` (a book split into chapters
        gives several), oldest first."""
        if not origin:
            return []
        return [int(i) for (i,) in self._conn.execute("SELECT id FROM articles WHERE origin = ? ORDER BY id", (origin,))]

    @guarded
    def find_by_hash(self, digest: str) -> int | None:
        """The id of the newest article whose ``content_hash`` is ``digest`` (see ``content_hash()``)."""
        row = self._conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY id DESC LIMIT 1", (digest,)
        ).fetchone()
        return int(row[0]) if row else None

    @guarded
    def get_article(self, article_id: int) -> Article:
        """The article with paragraphs, spans and sentences. ``NotFoundError`` if there is none."""
        conn = self._conn
        with self._snapshot():
            row = conn.execute(
                """
                SELECT id, title, author, published, published_iso, source, source_url, origin,
                       source_lang, target_lang, place
                  FROM articles WHERE id = ?
                """,
                (article_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"No article with id {article_id}.")
            paragraphs = [
                Paragraph(
                    text=text,
                    kind=ParagraphKind(kind),
                    speaker=speaker,
                    spans=_spans_from_json(spans),
                )
                for text, kind, speaker, spans in conn.execute(
                    "SELECT text, kind, speaker, spans FROM paragraphs WHERE article_id = ? ORDER BY idx",
                    (article_id,),
                )
            ]
            for pi, start, end in conn.execute(
                'SELECT paragraph, start, "end" FROM sentences WHERE article_id = ? ORDER BY paragraph, idx',
                (article_id,),
            ):
                paragraphs[pi].sentences.append(Sentence(start, end))
        (aid, title, author, published, published_iso, source, source_url, origin, src, tgt, place) = row
        return Article(
            title=title,
            paragraphs=paragraphs,
            author=author,
            published=published,
            published_iso=published_iso,
            source=source,
            source_url=source_url,
            origin=origin,
            source_lang=src,
            target_lang=tgt,
            id=aid,
            place=place,
        )

    @guarded
    def list_articles(self, model_id: str | None = None, query: str | None = None) -> list[ArticleSummary]:
        """All articles (newest first); ``query`` filters with FTS5 over title and text.

        ``query`` is what the user typed: every word matches as a prefix, accents and case ignored
        (« dipl securite » finds « diplomatie … sécurité »); a query without any word lists everything.
        ``n_translated`` counts sentences with a machine translation for ``model_id`` or a hand edit
        (only hand edits when ``model_id`` is None).
        """
        where = ""
        params: dict[str, Any] = {"model": model_id}
        match = fts_match_expression(query) if query else None
        if match is not None:
            where = "WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match)"
            params["match"] = match
        sql = f"""
            SELECT a.id, a.title, a.source, a.author, a.published, a.published_iso, a.added,
                   (SELECT count(*) FROM paragraphs p WHERE p.article_id = a.id),
                   (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),
                   (SELECT count(*) FROM sentences s
                     WHERE s.article_id = a.id
                       AND (EXISTS (SELECT 1 FROM translations t
                                     WHERE t.model_id = :model AND t.source = s.text)
                            OR EXISTS (SELECT 1 FROM edits e
                                        WHERE e.article_id = s.article_id AND e.paragraph = s.paragraph
                                          AND e.sentence = s.idx))),
                   a.place
              FROM articles a
              {where}
             ORDER BY a.added DESC, a.id DESC
        """
        with self._snapshot():
            rows = self._conn.execute(sql, params).fetchall()
        return [ArticleSummary(*row) for row in rows]

    @guarded
    def delete_article(self, article_id: int) -> None:
        """Delete an article with its paragraphs, sentences and hand edits (the cache is kept).

        ``NotFoundError`` if there is none.
        """
        with self._transaction():
            cur = self._conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"No article with id {article_id}.")

    @guarded
    def article_title(self, article_id: int) -> str:
        """The article's title alone (``get_article`` reads every paragraph: a book's take a tenth of a
        second). ``NotFoundError`` if there is none."""
        row = self._conn.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"No article with id {article_id}.")
        return row[0]

    @guarded
    def article_sentences(self, article_id: int) -> list[tuple[int, int, str]]:
        """(paragraph index, sentence index, text) of every sentence, in reading order."""
        with self._snapshot():
            self._require_article(article_id)
            return [
                (p, s, text)
                for p, s, text in self._conn.execute(
                    "SELECT paragraph, idx, text FROM sentences WHERE article_id = ? ORDER BY paragraph, idx",
                    (article_id,),
                )
            ]

