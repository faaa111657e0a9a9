"""Glossary enforcement benchmark on the synthetic model (random weights, the real architecture).

A glossary of ``--entries`` (≥ 50) terms taken from the five samples' French, each with a random-string
rendering the model never produces, is enforced in the machine translation of the samples. Prints:

- ``term_exact_match``: the WMT 2021 terminology task's exact-match accuracy — a term occurrence counts
  when its rendering appears in the English as a whole word (case-insensitive) at a position not already
  used by another occurrence; per sentence and rendering, min(found, expected) / expected. Target 1.0.
- ``term_duplicated``: (sentence, rendering) pairs where the rendering appears more often than its term
  occurs in the French. Target 0.
- ``enforce_overhead``: (time to translate with the glossary − without) / without, on the longest sample,
  each the product's path (``translate_aligned``; then ``enforce``). Target ≤ 0.5.
- ``reenforce_after_edit_ms``: one entry's rendering changed, the library re-enforced (``reader.ops.enforce
  .reenforce``: only the sentences holding the term), on a library holding the longest sample. Target < 1000.

Run: ``PYTHONPATH=$PWD python bench/glossary_enforce.py [--pin 24] [--entries 60]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _translate_bench():
    spec = importlib.util.spec_from_file_location("visavis_bench_translate", REPO / "bench" / "translate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _random_rendering(rng: random.Random) -> str:
    word = lambda: "".join(rng.choice("bcdfgjkmpqvwxz") + rng.choice("aeiou") for _ in range(3))  # noqa: E731
    return " ".join(word() for _ in range(rng.choice((1, 1, 2))))


def glossary(arts: list[list[list[str]]], count: int, seed: int = 11, max_count: int = 2):
    """``count`` entries from words of 7+ letters spread over all the samples, random renderings."""
    from reader.core.glossary import GlossaryEntry, normalise_term

    rng = random.Random(seed)
    # a reader's terms: words of 7+ letters occurring at most twice in the samples (« Sergueï », « Kaliningrad »,
    # « désescalade »), not the frequent « avaient » or « pourraient »
    freq: dict[str, int] = {}
    for a in arts:
        for p in a:
            for s in p:
                for w in re.findall(r"[^\W\d_]{7,}", s):
                    freq[normalise_term(w)] = freq.get(normalise_term(w), 0) + 1
    per_article = [sorted({w for p in a for s in p for w in re.findall(r"[^\W\d_]{7,}", s)
                           if freq[normalise_term(w)] <= max_count}) for a in arts]
    keys, entries = set(), []
    while len(entries) < count and any(per_article):
        for words in per_article:
            if words and len(entries) < count:
                w = words.pop(rng.randrange(len(words)))
                if normalise_term(w) not in keys:
                    keys.add(normalise_term(w))
                    entries.append(GlossaryEntry(w, _random_rendering(rng), id=len(entries) + 1))
    return entries


def exact_match(results, jobs) -> tuple[int, int, int]:
    """(matched, expected, duplicated) over the sentences (WMT 2021 exact match, see the module doc)."""
    matched = expected = duplicated = 0
    for job, result in zip(jobs, results):
        want: dict[str, int] = {}
        for t in job.terms:
            want[t.rendering] = want.get(t.rendering, 0) + 1
        for rendering, n in want.items():
            found = len(re.findall(rf"(?<!\w){re.escape(rendering)}(?!\w)", result.text, re.IGNORECASE))
            matched += min(found, n)
            expected += n
            duplicated += found > n
    return matched, expected, duplicated


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pin", type=int, default=24, help="decoding length pinned (tokens; the random model never stops)")
    ap.add_argument("--entries", type=int, default=60)
    ap.add_argument("--compute-type", default="auto")
    ap.add_argument("--max-count", type=int, default=2,
                    help="terms occurring at most this often in the samples (a large value: any word)")
    args = ap.parse_args()

    tb = _translate_bench()
    model = tb.synthetic_model()
    work = Path(tempfile.mkdtemp(prefix="visavis-enforce-"))
    with zipfile.ZipFile(model) as z:
        z.extractall(work / "pkg")
    [package] = [p for p in (work / "pkg").iterdir() if p.is_dir()]

    from reader.core.enforce import EnforceJob, sentence_terms
    from reader.core.glossary import GlossaryMatcher
    from reader.translation.argos_engine import ArgosEngine

    engine = ArgosEngine(package, max_decoding_length=args.pin, min_decoding_length=args.pin,
                         compute_type=args.compute_type)
    engine.load()
    arts = tb.articles(None)
    entries = glossary(arts, args.entries, max_count=args.max_count)
    matcher = GlossaryMatcher(entries)
    renderings = {e.id: e.translation for e in entries}
    print(f"model: {model.name}; {len(arts)} samples; {len(entries)} entries; pinned length {args.pin}; "
          f"{os.cpu_count()} cores", flush=True)

    total_m = total_e = total_d = 0
    timings = {}
    longest = max(range(len(arts)), key=lambda k: sum(len(p) for p in arts[k]))
    for k, art in enumerate(arts):
        sentences = [s for p in art for s in p]
        t0 = time.perf_counter()
        out = engine.translate_aligned(sentences)
        t1 = time.perf_counter()
        jobs = [EnforceJob(fr, en, a.alignment() if a else None, tuple(sentence_terms(matcher.find(fr), renderings)))
                for fr, (en, a) in zip(sentences, out)]
        jobs = [j for j in jobs if j.terms]
        results = engine.enforce(jobs)
        t2 = time.perf_counter()
        m, e, d = exact_match(results, jobs)
        total_m, total_e, total_d = total_m + m, total_e + e, total_d + d
        how = {}
        for r in results:
            for a in r.applied:
                how[a.how] = how.get(a.how, 0) + 1
        print(f"  sample {k + 1}: {len(sentences)} sentences, {len(jobs)} with terms, {e} term occurrences, "
              f"matched {m}, duplicated {d}; translate {t1 - t0:.1f} s, enforce {t2 - t1:.1f} s; {how}", flush=True)
        if k == longest:
            timings = {"translate": t1 - t0, "enforce": t2 - t1}

    base, extra = timings["translate"], timings["enforce"]

    # re-enforcement after one entry's edit, through the store and the ops, on a library of the longest sample
    from reader.core.markup import parse_article
    from reader.ops.enforce import enforce_article, reenforce
    from reader.ops.translate import translate_article
    from reader.storage.store import Store

    text = "\n\n".join(" ".join(p) for p in arts[longest])
    with Store(work / "lib.db") as store:
        for aid in [a.id for a in store.list_articles()]:
            store.delete_article(aid)
        aid = store.add_article(parse_article("Longest sample\n\n" + text))
        stored = []
        for e in entries:
            e2 = dataclasses.replace(e, id=None)
            store.add_glossary_entry(e2)
            stored.append(e2)
        translate_article(store, engine, aid)
        enforce_article(store, engine, aid)
        in_longest = GlossaryMatcher(stored).find(text)
        counts: dict = {}
        for mt in in_longest:
            counts[mt.entry_id] = counts.get(mt.entry_id, 0) + 1
        target = next(e for e in stored if e.id == max(counts, key=lambda i: (counts[i], -i)))
        new = dataclasses.replace(target, translation="qwixo zumpa")
        store.update_glossary_entry(new)
        t0 = time.perf_counter()
        result = reenforce(store, engine, [target, new])
        reenforce_ms = (time.perf_counter() - t0) * 1000
        print(f"  edit of « {target.term} » ({counts[target.id]} occurrences in the longest sample): "
              f"{result.count} sentences re-enforced", flush=True)

    print(f"term_exact_match: {total_m / total_e if total_e else 0:.3f}")
    print(f"term_duplicated: {total_d}")
    print(f"enforce_overhead: {extra / base:.2f}")
    print(f"reenforce_after_edit_ms: {reenforce_ms:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
