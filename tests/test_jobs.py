"""The translation job through the cache (fake engine: this is about caching and callbacks)."""

from __future__ import annotations

import pytest

from fakes import FakeEngine
from reader.core.markup import parse_article
from reader.core.progress import Cancelled, Progress
from reader.ops.translate import translate_article
from reader.storage.store import Store

TEXT = """Titre de l'essai

M. Dupont est arrivé. Il pleut.

Il pleut. Mme Durand est partie.
"""


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "jobs.db")
    yield s
    s.close()


def test_translates_each_distinct_sentence_once_and_reports_every_position(store):
    article_id = store.add_article(parse_article(TEXT))
    engine = FakeEngine()
    seen = []
    result = translate_article(store, engine, article_id, on_sentence=lambda p, s, t: seen.append((p, s, t)))
    assert result.count == 3  # « Il pleut. » twice in the text, translated once
    assert sorted(seen) == [
        (0, 0, "EN: M. Dupont est arrivé."),
        (0, 1, "EN: Il pleut."),
        (1, 0, "EN: Il pleut."),
        (1, 1, "EN: Mme Durand est partie."),
    ]
    rows = store.article_translations(article_id, engine.model_id)
    assert [[t.text for t in para] for para in rows] == [
        ["EN: M. Dupont est arrivé.", "EN: Il pleut."],
        ["EN: Il pleut.", "EN: Mme Durand est partie."],
    ]


def test_the_title_is_translated_and_cached_too(store):
    article_id = store.add_article(parse_article(TEXT))
    engine = FakeEngine()
    translate_article(store, engine, article_id)
    assert store.cached_translations(engine.model_id, ["Titre de l'essai"]) == {
        "Titre de l'essai": "EN: Titre de l'essai"
    }


def test_a_cached_article_calls_no_engine(store):
    article_id = store.add_article(parse_article(TEXT))
    engine = FakeEngine()
    translate_article(store, engine, article_id)
    calls = len(engine.calls)
    assert translate_article(store, engine, article_id).count == 0
    assert len(engine.calls) == calls


def test_cancel_keeps_what_was_finished(store):
    article_id = store.add_article(parse_article(TEXT))
    engine = FakeEngine()
    progress = Progress()
    done = []

    def on_sentence(p, s, text):
        done.append(text)
        progress.cancel()  # the user cancels after the first sentence arrives

    with pytest.raises(Cancelled):
        translate_article(store, engine, article_id, progress, on_sentence)
    kept = store.cached_translations(engine.model_id, ["M. Dupont est arrivé.", "Il pleut.", "Mme Durand est partie."])
    assert kept and len(kept) < 3
    # Resuming translates only the rest.
    assert translate_article(store, engine, article_id).count == 3 - len(kept)


def test_the_top_of_the_article_is_translated_first_in_reading_order(store):
    from reader.ops.translate import HEAD_SENTENCES

    body = " ".join(f"Phrase numéro {i} de l'article, assez longue pour compter." for i in range(40))
    article_id = store.add_article(parse_article(f"Titre\n\n{body}\n"))
    engine = FakeEngine()
    done = []
    progress = Progress(lambda d, t, m: done.append((d, t)))
    translate_article(store, engine, article_id, progress)
    first = engine.calls[0]
    assert first == [f"Phrase numéro {i} de l'article, assez longue pour compter." for i in range(HEAD_SENTENCES)]
    assert sum(len(c) for c in engine.calls) == 41  # 40 sentences + the title, each once
    # One progress run over the whole job, never restarted by the second engine call.
    totals = {t for _d, t in done}
    assert totals == {41}
    assert [d for d, _t in done] == sorted(d for d, _t in done)


def test_the_result_says_the_article_english_changed_and_nothing_else(store):
    from reader.ops.changes import OpChanges

    article_id = store.add_article(parse_article(TEXT))
    other = store.add_article(parse_article("Autre\n\nUn autre texte."))
    engine = FakeEngine()
    result = translate_article(store, engine, article_id)
    assert result.changes == OpChanges(translations={article_id})
    assert result.changes.touches(article_id) and not result.changes.touches(other)
    assert not result.changes.annotations and not result.changes.articles and not result.changes.glossary
    again = translate_article(store, engine, article_id)  # all cached: nothing changed
    assert not again.changes


def long_article(paragraphs: int = 120, per: int = 3) -> str:
    body = "\n\n".join(
        " ".join(f"Paragraphe {p}, phrase {s} de l'article{' long' * ((p + s) % 9)}." for s in range(per))
        for p in range(paragraphs)
    )
    return f"Un long article\n\n{body}\n"


def test_the_cli_order_is_unchanged_the_head_then_one_call_for_the_rest(store):
    from reader.ops.translate import HEAD_SENTENCES

    article_id = store.add_article(parse_article(long_article()))
    engine = FakeEngine()
    translate_article(store, engine, article_id)
    todo_order = [t for _p, _s, t in store.article_sentences(article_id)]
    assert [len(c) for c in engine.calls] == [HEAD_SENTENCES, 360 + 1 - HEAD_SENTENCES]
    assert engine.calls[0] + engine.calls[1] == todo_order + ["Un long article"]


def test_a_jump_makes_the_rows_on_screen_the_next_batch_each_row_once(store):
    from reader.core.priority import WantedRows

    article_id = store.add_article(parse_article(long_article()))
    sentences = store.article_sentences(article_id)
    engine = FakeEngine()
    wanted = WantedRows()
    wanted.set(0, 3)  # the window opens on the top
    seen = []

    def on_batch(sources):
        if len(engine.calls) == 2:
            wanted.set(60, 64)  # the reader jumps to the middle while the second batch runs

    result = translate_article(store, engine, article_id, on_sentence=lambda p, s, t: seen.append((p, s)),
                               wanted=wanted, on_batch=on_batch)
    assert engine.calls[0] == [t for p, _s, t in sentences[:3]]  # the top row first, alone
    assert engine.calls[1] == ["Un long article"] + [t for p, _s, t in sentences[3:12]]  # the title and the screen
    assert engine.calls[2] == [t for p, _s, t in sentences if 60 <= p <= 64]  # after the jump: the new screen
    near = {p for p, _s, t in sentences if t in engine.calls[3]}
    assert near == {65, 66, 67, 68, 59}  # then a screenful of the rows around it
    flat = [t for c in engine.calls for t in c]
    assert len(flat) == len(set(flat)) == 361  # every sentence (and the title) once
    assert result.count == 360
    assert sorted(seen) == [(p, s) for p, s, _t in sentences]
    assert all(len(c) <= 32 for c in engine.calls[:-1]) and len(engine.calls[-1]) <= 64  # the end: one call


def test_cancel_between_prioritised_batches_keeps_what_is_done(store):
    from reader.core.priority import WantedRows

    article_id = store.add_article(parse_article(long_article()))
    engine = FakeEngine()
    wanted = WantedRows()
    wanted.set(30, 33)
    progress = Progress()

    def on_batch(sources):
        if len(engine.calls) == 3:
            progress.cancel()

    with pytest.raises(Cancelled):
        translate_article(store, engine, article_id, progress, wanted=wanted, on_batch=on_batch)
    assert len(engine.calls) == 3  # stopped before the fourth batch
    done = [t for c in engine.calls for t in c]
    assert store.cached_translations(engine.model_id, done).keys() == set(done)
    again = FakeEngine()
    assert translate_article(store, again, article_id).count == 360 - len(done)
    assert not set(done) & {t for c in again.calls for t in c}
