"""Libraries made by earlier versions open with today's code: every row survives, and the upgraded
schema is exactly the schema of a library created today.

Each earlier library is built the way that version built it: the meta table of the old ``Store`` and the
shipped migrations (versions 1-3 from the frozen ``legacy_schema_v3.py``; later ones from ``schema.py``,
whose shipped migrations never change), then filled with rows written the way the old code wrote them
(FTS rows folded, tag index rows, ids with gaps left by deletions). A new migration is checked against
every earlier version without changing this file; when it adds a table of user data, add its rows to
``fill`` (``if version >= N``) so that the migrations after it are checked against them.
"""

from __future__ import annotations

import json
import sqlite3

import legacy_schema_v3 as legacy
import pytest
import sqlite_utils

from reader.storage import schema
from reader.storage.store import Store

#: Tables whose every row must survive an upgrade (FTS tables read with their rowid).
DATA_TABLES = (
    "articles", "paragraphs", "sentences", "translations", "edits", "articles_fts",
    "annotations", "annotation_tags", "annotations_fts", "glossary", "glossary_fts",
)
CREATED = "2025-11-01T10:00:00+00:00"
#: Every schema version before today's.
OLD_VERSIONS = range(1, schema.latest_version())


def make_legacy_library(path, version: int) -> None:
    """An empty library exactly as the version-``version`` app created it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta (key, value) VALUES ('app', ?)", (legacy.APP_ID,))
    conn.execute("INSERT INTO meta (key, value) VALUES ('created', ?)", (CREATED,))
    db = sqlite_utils.Database(conn)
    shipped = legacy.MIGRATIONS if version <= len(legacy.MIGRATIONS) else schema.MIGRATIONS
    for migration in shipped[:version]:
        migration(db)
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))
    conn.execute("COMMIT")
    conn.close()


def fill(path, version: int) -> None:
    """Rows in every table of that version, written as the old code wrote them."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    place = ", place" if version >= 3 else ""
    for aid, title, where in ((1, "Le cœur de l’Europe", "Bruxelles"), (3, "Sommet à Moscou", None),
                              (7, "Dernier article", "Paris")):  # gaps: 2, 4-6 were deleted
        values = [aid, title, "AFP", "25 septembre 2025", "2025-09-25", f"{aid}.md", f"hash{aid}", CREATED]
        if version >= 3:
            values.append(where)
        conn.execute(
            f"INSERT INTO articles (id, title, source, published, published_iso, origin, content_hash, added{place})"
            f" VALUES ({', '.join('?' * len(values))})",
            values,
        )
        text = f"Première phrase de {aid}. Deuxième phrase."
        conn.execute("INSERT INTO paragraphs (article_id, idx, kind, text, spans) VALUES (?, 0, 'body', ?, ?)",
                     (aid, text, json.dumps([[0, 8, "bold", None]])))
        first, second = text.split(". ")
        conn.execute('INSERT INTO sentences VALUES (?, 0, 0, 0, ?, ?)', (aid, len(first) + 1, first + "."))
        conn.execute('INSERT INTO sentences VALUES (?, 0, 1, ?, ?, ?)',
                     (aid, len(first) + 2, len(text), second))
        conn.execute("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                     (aid, title.replace("œ", "oe"), text))
        conn.execute("INSERT INTO translations VALUES ('m1', ?, ?, ?)", (first + ".", f"First of {aid}.", CREATED))
    conn.execute("INSERT INTO edits VALUES (3, 0, 1, 'Second, by hand.', ?)", (CREATED,))
    if version >= 2:
        for rid, aid, note, tags in ((5, 1, "le cœur du sujet", ["Europe", "à relire"]), (9, 7, "", ["Paris"])):
            conn.execute(
                'INSERT INTO annotations (rid, id, article_id, side, start, "end", exact, note, color, tags, '
                "created, modified) VALUES (?, ?, ?, 'fr', 0, 8, 'Première', ?, 'yellow', ?, ?, ?)",
                (rid, f"urn:uuid:{rid:08d}-0000-4000-8000-000000000000", aid, note, json.dumps(tags), CREATED,
                 CREATED),
            )
            conn.execute("INSERT INTO annotations_fts (rowid, note, exact, tags) VALUES (?, ?, 'Première', ?)",
                         (rid, note.replace("œ", "oe"), " ".join(tags)))
            for tag in tags:
                conn.execute("INSERT INTO annotation_tags VALUES (?, ?, ?)", (rid, tag.casefold(), tag))
        conn.execute("INSERT INTO glossary VALUES (4, 'sommet', 'summit', '', '[\"politique\"]', 'sommet', ?, ?)",
                     (CREATED, CREATED))
        conn.execute("INSERT INTO glossary_fts (rowid, term, translation, note, key) "
                     "VALUES (4, 'sommet', 'summit', '', 'sommet')")
    conn.execute("COMMIT")
    conn.close()


def rows(path) -> dict[str, list[dict]]:
    """Every row of every data table present (FTS tables with their rowid), sorted."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = {}
    for table in DATA_TABLES:
        if table in present:
            select = "rowid, *" if table.endswith("_fts") else "*"
            out[table] = sorted((dict(r) for r in conn.execute(f"SELECT {select} FROM {table}")), key=repr)
    conn.close()
    return out


def schema_of(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    entries = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    conn.close()
    return entries


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_an_old_library_keeps_every_row_and_gets_todays_schema(tmp_path, version):
    path = tmp_path / f"v{version}.db"
    make_legacy_library(path, version)
    fill(path, version)
    before = rows(path)
    assert before["articles"] and before["translations"] and (version < 2 or before["annotations"])

    with Store(path) as s:
        assert s.schema_version == schema.latest_version()
        assert not s.samples_pending()  # an existing library has had its first run
    after = rows(path)

    if version < 3:  # the place column arrived in version 3, empty for older articles
        before["articles"] = sorted(({**r, "place": None} for r in before["articles"]), key=repr)
    if version < 6 and "glossary" in before:  # "enforce in the translation" arrived in version 6, on
        before["glossary"] = sorted(({**r, "enforce": 1} for r in before["glossary"]), key=repr)
    new_tables = set(after) - set(before)
    assert all(after[t] == [] for t in new_tables)
    assert {t: after[t] for t in before} == before
    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    assert schema_of(path) == schema_of(fresh)


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_an_upgraded_library_works_as_a_new_one(tmp_path, version):
    """Search, cascades and triggers still hold after the rebuild of ``articles``; ids are not reused."""
    path = tmp_path / f"v{version}.db"
    make_legacy_library(path, version)
    fill(path, version)
    with Store(path) as s:
        assert [a.id for a in s.list_articles(query="coeur")] == [1]
        assert s.article_translations(3, "m1")[0][1].edited == "Second, by hand."
        if version >= 2:
            assert [a.article_id for a in s.annotations(query="relire")] == [1]
            assert [e.term for e in s.glossary(query="sommets")] == ["sommet"]
        s.delete_article(7)  # the last one: its id is not given again
        assert s._conn.execute("SELECT count(*) FROM paragraphs WHERE article_id = 7").fetchone()[0] == 0
        assert s.list_articles(query="dernier") == []
        assert s.annotations(article_id=1) == s.annotations() or version < 2
        new = s.add_article(s.get_article(3))
        assert new == 8
        s.replace_article(1, s.get_article(3))  # the title trigger keeps the search row in step
        assert sorted(a.id for a in s.list_articles(query="sommet")) == [1, 3, 8]
        assert s._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert s._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
