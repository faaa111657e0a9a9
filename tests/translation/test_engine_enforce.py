"""Glossary enforcement by constrained re-decoding on the synthetic model (random weights: it proves the
mechanics, not the fluency). The renderings are random strings the model never produces."""

from __future__ import annotations

import random
import re

import pytest

from reader.core.enforce import EnforceJob, find_rendering, sentence_terms, target_span
from reader.core.glossary import GlossaryEntry, GlossaryMatcher
from model_fixtures import seed_sentences
from reader.translation.argos_engine import ArgosEngine

PIN = 12


def _random_word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfgjkmpqvwxz") + rng.choice("aeiou") for _ in range(3))


@pytest.fixture
def engine32(installed_synthetic_model):
    return ArgosEngine(max_decoding_length=PIN, min_decoding_length=PIN, batch_sentences=8,
                       compute_type="float32")


def _jobs(engine, sentences, entries):
    matcher = GlossaryMatcher(entries)
    renderings = {e.id: e.translation for e in entries}
    out = engine.translate_aligned(sentences)
    return [EnforceJob(fr, en, a.alignment() if a else None, tuple(sentence_terms(matcher.find(fr), renderings)))
            for fr, (en, a) in zip(sentences, out)]


def _glossary(sentences, count, seed=7):
    rng = random.Random(seed)
    seen, entries = set(), []
    for s in sentences:
        for w in re.findall(r"[^\W\d_]{7,}", s):
            if w.lower() not in seen and len(entries) < count:
                seen.add(w.lower())
                words = [_random_word(rng) for _ in range(rng.choice((1, 1, 2)))]
                entries.append(GlossaryEntry(w, " ".join(words), id=f"e{len(entries)}"))
    return entries


def test_renderings_forced_verbatim_in_order_original_suppressed_batched_equals_alone(engine32):
    sentences = seed_sentences(10)
    entries = _glossary(sentences, 24)
    jobs = [j for j in _jobs(engine32, sentences, entries) if j.terms]
    results = engine32.enforce(jobs)
    assert len(jobs) >= 6 and sum(len(j.terms) > 1 for j in jobs) >= 3
    decoded = suppressed = 0
    for job, result in zip(jobs, results):
        assert result.ok
        assert len(result.applied) == len(job.terms)
        by_id = {t.entry_id: t.rendering for t in job.terms}
        for a in result.applied:
            assert result.text[a.start:a.end] == by_id[a.entry_id]  # verbatim
            assert job.terms[0].rendering not in job.english  # the model never says these
        for t in job.terms:  # as often as the term, never twice
            assert len(find_rendering(result.text, t.rendering)) == sum(u.rendering == t.rendering for u in job.terms)
        spans = [(a.start, a.end) for a in result.applied]
        assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:]))  # in order, apart
        decoded += sum(a.how == "decoded" for a in result.applied)
        # at the aligned place, the text before it unchanged, the model's own rendering never again
        first = result.applied[0]
        span = min(target_span(job.alignment, t, len(job.english)) for t in job.terms)
        before = job.english[:span[0]].rstrip()
        assert result.text.startswith(before)
        assert first.start == (len(before) + 1 if before else 0)
        for t in job.terms:
            s, e = target_span(job.alignment, t, len(job.english))
            if e > s and first.how == "decoded":
                assert job.english[s:e] not in result.text[first.end:]
                suppressed += 1
    assert decoded >= 10  # the constrained decoding did the work, not the text fallback
    assert suppressed >= 1
    alone = [engine32.enforce([job])[0] for job in jobs[:4]]
    assert alone == results[:4]


def test_names_are_copied_through_and_an_alignment_is_computed_when_missing(engine32):
    sentence = "M. Lavrov a rencontré les délégations de l’Assemblée générale."
    entries = [GlossaryEntry("Lavrov", "Lavrov", id="l"), GlossaryEntry("Assemblée générale", "Zorblax Quintet", id="ag"),
               GlossaryEntry("délégation", "vurpmods", id="d")]
    [job] = _jobs(engine32, [sentence], entries)
    job = EnforceJob(job.french, job.english, None, job.terms)
    [result] = engine32.enforce([job])
    assert result.ok
    assert [result.text[a.start:a.end] for a in result.applied] == ["Lavrov", "vurpmods", "Zorblax Quintet"]


def test_a_rendering_the_tokenizer_cannot_force_falls_back_to_text_replacement(engine32):
    sentence = "Les délégations ont voté hier."
    entries = [GlossaryEntry("délégation", "ﬁnancial", id="d")]  # NFKC turns the ligature into "fi"
    [job] = _jobs(engine32, [sentence], entries)
    [result] = engine32.enforce([job])
    [a] = result.applied
    assert a.how == "replaced" and result.text[a.start:a.end] == "ﬁnancial"


def test_no_terms_no_work(engine32):
    job = EnforceJob("Bonjour.", "Hello.", None, ())
    assert engine32.enforce([job])[0].text == "Hello."


def test_a_sentence_dense_with_terms_is_enforced_in_one_decode(engine32, monkeypatch):
    """CARRY_FROM terms or more: every rendering in place in the machine English, the model continuing
    after the last one — one decode for the sentence, no alignment between terms."""
    from reader.translation import enforcing

    sentences = seed_sentences(10)
    entries = _glossary(sentences, 60)
    jobs = [j for j in _jobs(engine32, sentences, entries) if len(j.terms) >= enforcing.CARRY_FROM]
    assert jobs, "no sentence dense enough in the seeds"
    calls = {"align": 0}
    align = engine32.align
    monkeypatch.setattr(engine32, "align", lambda pairs: calls.__setitem__("align", calls["align"] + 1) or align(pairs))
    results = engine32.enforce(jobs)
    assert calls["align"] == 0  # the stored alignment was enough
    for job, result in zip(jobs, results):
        assert result.ok and len(result.applied) == len(job.terms)
        by_id = {t.entry_id: t.rendering for t in job.terms}
        assert all(result.text[a.start:a.end] == by_id[a.entry_id] for a in result.applied)
        assert [a.how for a in result.applied][-1] == "decoded"
        assert {a.how for a in result.applied[:-1]} <= {"replaced", "kept"}
        first = min(target_span(job.alignment, t, len(job.english))[0] for t in job.terms)
        assert result.text.startswith(job.english[:first].rstrip())
        for t in job.terms:
            assert len(find_rendering(result.text, t.rendering)) == sum(u.rendering == t.rendering for u in job.terms)
    assert [engine32.enforce([job])[0] for job in jobs[:3]] == results[:3]  # batched equals alone
