"""Translation benchmark: our engine vs ``argostranslate.translate`` on the synthetic model of the real shape.

Measures, in one run, on the five seed articles:

- throughput (sentences/s) of our engine (one call per article: all sentences, length-sorted batches)
  vs ``argostranslate.translate.translate()`` paragraph by paragraph (how Argos is used), same beam size
  (Argos's default 4) and the same pinned decoding length on both sides (random weights never end a
  sentence: every output is exactly ``--pin`` tokens);
- time from a fresh process to the first translated sentence, ours vs Argos's (subprocesses);
- peak RSS while translating all five articles with our engine (``resource.getrusage`` in a subprocess);
- ``engine_vs_raw_ct2``: our throughput (``translate``, exact ``<unk>`` replacement included) over one raw
  ``translate_batch`` per article on the same pre-tokenised sentences and settings (beam 4, length
  penalty 0.2, ``replace_unknowns``, pinned length, same batch size); ``alignment_overhead``: the extra
  time of ``translate_aligned`` (the forced pass and the word maths) as a share of ``translate``'s. Both
  from one process, interleaved rounds, best of each.

Argos splits paragraphs with spaCy (``ARGOS_CHUNK_TYPE=SPACY``), which may cut a few sentences
differently from our segmenter, so its rate counts the sentences it actually decoded.

Ends with ``name: value`` lines. ``--quick`` uses two articles; ``--sweep`` also times batch sizes.
``cached_retranslate_ms``: re-translating the longest seed once it is cached (store lookups only).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


# -- inputs -------------------------------------------------------------------------------------------------


def _builder():
    spec = importlib.util.spec_from_file_location("visavis_make_test_model", REPO / "bench" / "make_test_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_model() -> Path:
    builder = _builder()
    cache = Path(os.environ.get("VISAVIS_TEST_CACHE") or Path.home() / ".cache" / "visavis-tests")
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"translate-fr_en-synthetic-{builder.inputs_fingerprint()[:16]}.argosmodel"
    if not path.exists():
        builder.build_test_model(path)
    return path


def articles(limit: int | None) -> list[list[list[str]]]:
    """Articles → paragraphs → sentences (our markup parser and segmenter, as the library imports them)."""
    from reader.core.markup import parse_article
    from reader.core.segment import segment

    files = sorted((REPO / "articles").glob("*.md")) or sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    files = files[:limit] if limit else files
    out = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        paragraphs = [p.text for p in parse_article(text).paragraphs]
        out.append([[p[s.start:s.end] for s in segment(p)] for p in paragraphs if segment(p)])
    return out


def cached_retranslate_hook(workdir: Path) -> float | None:
    """Milliseconds to re-translate the longest seed once it is cached: the job finds every sentence in
    the store (no model call) and the aligned English is read back, as reopening the article does.
    Median of 20 runs, after one warm-up."""
    import statistics

    from reader.ops.translate import translate_article
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store
    from reader.translation.argos_engine import load_default_engine

    store = Store(workdir / "bench.db")
    ensure_samples(store)
    longest = max(store.list_articles(), key=lambda r: r.n_sentences)
    engine = load_default_engine(max_decoding_length=4, min_decoding_length=4)
    translate_article(store, engine, longest.id)  # fills the cache (not timed)
    times = []
    for _ in range(21):
        t0 = time.perf_counter()
        assert translate_article(store, engine, longest.id).count == 0
        store.article_translations(longest.id, engine.model_id)
        times.append((time.perf_counter() - t0) * 1000)
    store.close()
    print(f"cached: longest seed #{longest.id} ({longest.n_sentences} sentences) re-translated from the "
          f"cache in {statistics.median(times[1:]):.1f} ms (median of 20)", flush=True)
    return statistics.median(times[1:])


# -- workers (run in fresh subprocesses) --------------------------------------------------------------------

WORKER_OURS = """
import json, resource, sys, time
def peak_rss_kb():  # VmHWM: this process's own peak; ru_maxrss after fork+exec keeps the parent's peak
    try:
        return int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
from reader.translation.argos_engine import load_default_engine
cfg = json.loads(sys.argv[1]); arts = json.load(open(cfg["articles"]))
engine = load_default_engine(max_decoding_length=cfg["pin"], min_decoding_length=cfg["pin"],
                             batch_sentences=cfg["batch"])
first = engine.translate([arts[0][0][0]])
print("FIRST", flush=True)
n = 0
t1 = time.perf_counter()
for art in arts:
    sentences = [s for para in art for s in para]
    engine.translate(sentences)
    n += len(sentences)
dt = time.perf_counter() - t1
print(json.dumps({"sentences": n, "seconds": dt, "rss_kb": peak_rss_kb()}))
"""

WORKER_ARGOS = """
import json, resource, sys, time
def peak_rss_kb():  # VmHWM: this process's own peak; ru_maxrss after fork+exec keeps the parent's peak
    try:
        return int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cfg = json.loads(sys.argv[1]); arts = json.load(open(cfg["articles"]))
import ctranslate2
_T = ctranslate2.Translator
decoded = [0]
class Pinned:  # adds the pinned decoding length and nothing else to Argos's own call
    def __init__(self, *a, **k):
        self._t = _T(*a, **k)
    def translate_batch(self, source, *a, **k):
        k.setdefault("max_decoding_length", cfg["pin"]); k.setdefault("min_decoding_length", cfg["pin"])
        decoded[0] += len(source)
        return self._t.translate_batch(source, *a, **k)
ctranslate2.Translator = Pinned
import argostranslate.translate as at
at.translate(arts[0][0][0], "fr", "en")
print("FIRST", flush=True)
decoded[0] = 0
n = 0
t1 = time.perf_counter()
for art in arts:
    for para in art:
        at.translate(" ".join(para), "fr", "en")
        n += len(para)
dt = time.perf_counter() - t1
print(json.dumps({"sentences": n, "decoded": decoded[0], "seconds": dt,
                  "rss_kb": peak_rss_kb()}))
"""


# Same process, same loaded model, interleaved rounds (the machine is shared: the best of the rounds is
# the least disturbed): our translate() (exact <unk> replacement included), one raw translate_batch per
# article over the same pre-tokenised sentences and settings, and our translate_aligned().
WORKER_RATIO = """
import json, sys, time
from reader.translation.argos_engine import ARGOS_LENGTH_PENALTY, load_default_engine
cfg = json.loads(sys.argv[1]); arts = json.load(open(cfg["articles"]))
engine = load_default_engine(max_decoding_length=cfg["pin"], min_decoding_length=cfg["pin"],
                             batch_sentences=cfg["batch"])
engine.load()
translator = engine._translator()
texts = [[s for para in art for s in para] for art in arts]
tokens = [[engine._sp.encode(s, out_type=str) for s in art] for art in texts]
def ours():
    for art in texts:
        engine.translate(art)
def aligned():
    for art in texts:
        engine.translate_aligned(art)
def raw():
    for art in tokens:
        translator.translate_batch(art, max_batch_size=cfg["batch"], beam_size=engine.beam_size,
                                   num_hypotheses=1, length_penalty=ARGOS_LENGTH_PENALTY, replace_unknowns=True,
                                   max_decoding_length=cfg["pin"], min_decoding_length=cfg["pin"])
engine.translate(texts[0][:4])
times = {"ours": [], "raw": [], "aligned": []}
for _ in range(cfg["rounds"]):
    for name, fn in (("raw", raw), ("ours", ours), ("aligned", aligned)):
        t0 = time.perf_counter(); fn(); times[name].append(time.perf_counter() - t0)
print(json.dumps({"sentences": sum(len(a) for a in texts), **{k: min(v) for k, v in times.items()}}))
"""


def run_worker(code: str, cfg: dict, env: dict) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    first = None
    result = None
    for line in proc.stdout:
        if line.startswith("FIRST") and first is None:
            first = time.perf_counter() - start
        elif line.startswith("{"):
            result = json.loads(line)
    err = proc.stderr.read()
    if proc.wait() != 0 or result is None:
        raise SystemExit(f"worker failed:\n{err[-3000:]}")
    result["first_s"] = first
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="two articles instead of five")
    ap.add_argument("--pin", type=int, default=24, help="decoding length pinned on both sides (tokens)")
    ap.add_argument("--batch", type=int, default=None, help="sentences per translate_batch (ours)")
    ap.add_argument("--sweep", action="store_true", help="also time our engine at several batch sizes")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds for the engine/raw/alignment ratios")
    args = ap.parse_args()

    from reader.translation.argos_engine import DEFAULT_BATCH_SENTENCES

    batch = args.batch or DEFAULT_BATCH_SENTENCES
    model = synthetic_model()
    work = Path(tempfile.mkdtemp(prefix="visavis-bench-"))
    env = dict(os.environ)
    env.update(
        ARGOS_PACKAGES_DIR=str(work / "packages"),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_CACHE_HOME=str(work / "cache"),
        ARGOS_CHUNK_TYPE="SPACY",
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
        PYTHONPATH=str(REPO),
    )
    (work / "cache" / "argos-translate" / "spacy" / "senter" / "model").mkdir(parents=True)
    os.environ.update({k: env[k] for k in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
    from reader.translation import packages

    packages.install_from_file(model)

    arts = articles(2 if args.quick else None)
    arts_file = work / "articles.json"
    arts_file.write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    n_sent = sum(len(p) for a in arts for p in a)
    print(f"model: {model.name} ({model.stat().st_size / 1e6:.1f} MB); {len(arts)} articles, "
          f"{sum(len(a) for a in arts)} paragraphs, {n_sent} sentences; beam 4; pinned length {args.pin}; "
          f"our batch {batch} sentences; {os.cpu_count()} cores", flush=True)

    cfg = {"articles": str(arts_file), "pin": args.pin, "batch": batch}
    if args.sweep:
        for b in (1, 4, 8, 16, 32, 64):
            r = run_worker(WORKER_OURS, {**cfg, "batch": b}, env)
            print(f"  sweep batch {b:3d}: {r['sentences'] / r['seconds']:.1f} sentences/s", flush=True)
    ratio = run_worker(WORKER_RATIO, {**cfg, "rounds": args.rounds}, env)
    print(f"same process, best of {args.rounds}: ours {ratio['ours']:.1f} s, raw translate_batch "
          f"{ratio['raw']:.1f} s, ours with word alignment {ratio['aligned']:.1f} s "
          f"({ratio['sentences']} sentences)", flush=True)
    ours = run_worker(WORKER_OURS, cfg, env)
    print(f"ours : {ours['sentences']} sentences in {ours['seconds']:.1f} s; first sentence after "
          f"{ours['first_s']:.2f} s; peak RSS {ours['rss_kb'] / 1024:.0f} MB", flush=True)
    argos = run_worker(WORKER_ARGOS, cfg, env)
    print(f"argos: {argos['decoded']} sentences decoded (spaCy split of {argos['sentences']}) in "
          f"{argos['seconds']:.1f} s; first sentence after {argos['first_s']:.2f} s; peak RSS "
          f"{argos['rss_kb'] / 1024:.0f} MB", flush=True)

    ours_rate = ours["sentences"] / ours["seconds"]
    argos_rate = argos["decoded"] / argos["seconds"]
    figures = {
        "ours_sentences_per_s": round(ours_rate, 2),
        "argos_sentences_per_s": round(argos_rate, 2),
        "speedup_vs_argos": round(ours_rate / argos_rate, 2),
        "engine_vs_raw_ct2": round(ratio["raw"] / ratio["ours"], 2),
        "alignment_overhead": round((ratio["aligned"] - ratio["ours"]) / ratio["ours"], 2),
        "ours_first_sentence_s": round(ours["first_s"], 2),
        "argos_first_sentence_s": round(argos["first_s"], 2),
        "first_sentence_speedup": round(argos["first_s"] / ours["first_s"], 2),
        "peak_rss_mb": round(ours["rss_kb"] / 1024),
        "argos_peak_rss_mb": round(argos["rss_kb"] / 1024),
    }
    cached = cached_retranslate_hook(work)
    if cached is not None:
        figures["cached_retranslate_ms"] = round(cached, 1)
    for name, value in figures.items():
        print(f"{name}: {value}")
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
