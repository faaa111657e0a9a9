"""Forced-decoding attention, exact <unk> replacement inside batches and word alignments, on the
synthetic model (the real architecture with random weights)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.wordalign import METHOD_VERSION, ScoredAlignment
from model_fixtures import seed_sentences
from reader.translation.argos_engine import ArgosEngine

ROOT = Path(__file__).resolve().parents[2]
PIN = 12


@pytest.fixture
def engine32(installed_synthetic_model):
    """float32, where batching changes no rounding (int8 batches round within ~4e-3: see the engine)."""
    return ArgosEngine(max_decoding_length=PIN, min_decoding_length=PIN, batch_sentences=16,
                       compute_type="float32")


def test_model_is_shaped_like_the_marian_conversion(installed_synthetic_model):
    import json

    model = installed_synthetic_model.path / "model"
    config = json.loads((model / "config.json").read_text())
    assert config["add_source_eos"] is True and config["decoder_start_token"] == "<s>"
    vocab = json.loads((model / "shared_vocabulary.json").read_text())
    assert vocab[:2] == ["</s>", "<unk>"] and "<s>" not in vocab


def test_forced_attention_in_a_batch_equals_the_sentence_alone(engine32):
    """The beam search's attention in a padded batch is wrong on row 0; the forced pass is exact."""
    engine32.load()
    translator = engine32._translator()
    sentences = seed_sentences(8)
    tokens = [engine32._sp.encode(s, out_type=str) for s in sentences]
    hyps = [r.hypotheses[0] for r in engine32._run(translator, tokens)]
    batched = engine32._forced(translator, tokens, hyps)
    beam = translator.translate_batch(tokens, beam_size=4, length_penalty=0.2, max_decoding_length=PIN,
                                      min_decoding_length=PIN, return_attention=True)
    worst_beam_row0 = 0.0
    for toks, hyp, rows, b in zip(tokens, hyps, batched, beam):
        [alone] = engine32._forced(translator, [toks], [hyp])
        assert len(rows) == len(hyp) and all(len(r) == len(toks) for r in rows)  # no </s> column
        for r, a in zip(rows, alone):
            assert r == pytest.approx(a, abs=1e-6)
        worst_beam_row0 = max(worst_beam_row0, max(abs(x - y) for x, y in zip(b.attention[0][0], alone[0])))
    assert worst_beam_row0 > 1e-3  # the defect the forced pass avoids is real on this model


def test_unknowns_replaced_exactly_inside_batches(engine32):
    from reader.translation.argos_engine import argos_decode

    sentences = seed_sentences(62)
    batched = engine32.translate(sentences)
    translator = engine32._translator()
    tokens = [engine32._sp.encode(s, out_type=str) for s in sentences]
    options = dict(beam_size=4, length_penalty=0.2, max_decoding_length=PIN, min_decoding_length=PIN)
    raw = translator.translate_batch(tokens, **options)
    with_unk = [k for k, r in enumerate(raw) if "<unk>" in r.hypotheses[0]]
    assert len(with_unk) >= 2
    for k in with_unk:  # CTranslate2's own replace_unknowns, the sentence alone, as Argos runs it
        [ref] = translator.translate_batch([tokens[k]], replace_unknowns=True, **options)
        assert batched[k] == argos_decode(engine32._sp, ref.hypotheses[0])


def test_translate_aligned_gives_the_same_text_and_word_alignments(engine32):
    sentences = ["", "L’Assemblée a-t-elle dit « oui » le 80e jour ?"] + seed_sentences(10)
    plain = engine32.translate(sentences)
    seen = []
    aligned = engine32.translate_aligned(sentences, on_result=lambda i, t, a: seen.append(i))
    assert [t for t, _ in aligned] == plain
    assert sorted(seen) == list(range(len(sentences)))
    assert aligned[0] == ("", None)
    for source, (english, scored) in zip(sentences[1:], aligned[1:]):
        assert isinstance(scored, ScoredAlignment) and scored.method == METHOD_VERSION
        alignment = scored.alignment()
        assert alignment.links
        for f, e, score in alignment.links:
            fs, fe = alignment.fr_words[f]
            es, ee = alignment.en_words[e]
            assert source[fs:fe].strip() and english[es:ee].strip() and 0 < score <= 1
        # every English word has its best French word
        assert {e for _, e, _ in alignment.links} == set(range(len(alignment.en_words)))


def test_align_given_english(engine32):
    pairs = [("La réunion était « utile ».", "The meeting was “useful”."), ("Bonjour.", ""), ("", "Hi")]
    first, empty, none = engine32.align(pairs)
    assert empty is None and none is None
    text = pairs[0][1]
    assert [text[s:e] for s, e in first.en_words] == ["The", "meeting", "was", "useful"]
    assert len(first.scores()) == 4 and len(first.scores()[0]) == len(first.fr_words) == 4


def test_translation_job_stores_word_alignments(installed_synthetic_model, tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "storage"))
    from storage_samples import sample_article

    from reader.ops.translate import align_article, translate_article
    from reader.storage.store import Store

    engine = ArgosEngine(max_decoding_length=6, min_decoding_length=6)
    with Store(tmp_path / "job.db") as store:
        article_id = store.add_article(sample_article())
        translate_article(store, engine, article_id)
        assert store.missing_alignments(article_id, engine.model_id) == []
        p, s, _ = store.article_sentences(article_id)[1]
        store.set_edited_translation(article_id, p, s, "Mr Lavrov spoke about security.")
        assert align_article(store, engine, article_id) == 1
        edited = store.article_alignments(article_id, engine.model_id)[p][s]
        assert len(edited.en_words) == 5 and edited.alignment().links


def test_a_windows_first_batch_shows_its_text_before_its_word_links(installed_synthetic_model, tmp_path):
    """The rows on screen are translated without their alignment (a beam search costs about two thirds
    of beam search + forced pass for one sentence), and aligned all at once when the screen is done,
    before the next batch and before ``on_batch`` (the glossary's enforcing carries the links over)."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "storage"))
    from storage_samples import sample_article

    from reader.core.priority import WantedRows
    from reader.ops.translate import translate_article
    from reader.storage.store import Store

    engine = ArgosEngine(max_decoding_length=6, min_decoding_length=6, batch_sentences=2)  # batches of 2
    log: list[tuple[str, int]] = []
    for name in ("translate", "translate_aligned", "align"):
        inner = getattr(engine, name)

        def logged(items, *args, _inner=inner, _name=name, **kwargs):
            log.append((_name, len(items)))
            return _inner(items, *args, **kwargs)

        setattr(engine, name, logged)
    wanted = WantedRows()
    wanted.set(0, 1)
    with Store(tmp_path / "job.db") as store:
        article_id = store.add_article(sample_article())
        sentences = store.article_sentences(article_id)
        top = [t for p, _s, t in sentences if p == 0]
        shown_at: dict[tuple[int, int], int] = {}
        batches: list[tuple[int, list[str], int]] = []  # (calls made, sources, how many have word links)

        def on_batch(sources):
            machine = store.cached_translations(engine.model_id, sources)
            linked = store.cached_alignments(engine.model_id, [(t, machine[t]) for t in sources])
            batches.append((len(log), sources, len(linked)))

        translate_article(store, engine, article_id, wanted=wanted, on_batch=on_batch,
                          on_sentence=lambda p, s, t: shown_at.setdefault((p, s), len(log)))
        names = [n for n, _ in log]
        k = names.index("align")
        assert log[0] == ("translate", len(top))  # the top row, the text alone
        assert all(n == "translate" for n in names[1:k]) and k >= 2  # then the rest of the screen
        assert log[k] == ("align", sum(n for _, n in log[:k]))  # then their words, in one call
        assert set(names[k + 1:]) == {"translate_aligned"}  # the rest with its alignment, in one pass
        assert all(shown_at[(0, s)] == 1 for s in range(len(top)))  # the top row shown at once
        assert batches[0][1] == top and batches[0][0] == k + 1  # on_batch after the alignment...
        assert all(n == len(set(sources)) for _, sources, n in batches)  # ...every batch with its word links
        assert store.missing_alignments(article_id, engine.model_id) == []
