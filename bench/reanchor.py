"""How well annotations find their passage again after the text of a side changed.

500 annotations (by default) are made on real sentences of the five samples in ``articles/`` (French side,
as ``import`` stores it), the text is then edited, and every annotation is re-placed with
``reader.core.anchoring.reanchor_all`` — the function ``import --update`` (``reader.ops.library`` →
``reader.ops.annotate.reanchor_article``) calls for each side. The edits are made on a token list that
remembers where every token came from, so the right answer is known: the span from the first to the last
surviving token of the annotated passage.

Each annotation is classified:

- ``correct``: placed exactly on the passage (any status), or orphaned when the passage is gone (deleted,
  or rewritten so that it is less than 75 % similar to the quote — the fuzzy step's own minimum);
- ``partial``: placed overlapping the passage with a wrong boundary (``mid_word`` counts those whose
  boundary falls inside a word);
- ``orphaned_exists``: orphaned although the passage is still there;
- ``misplaced_flagged``: placed elsewhere with status ``moved`` (the user is told to check it);
- ``silently_wrong``: status ``anchored`` on anything but the passage (the failure that must never happen).

Edit kinds (``--kinds``): ``words`` (words changed, inserted or deleted, a third each), ``punct``
(punctuation added, removed or changed), ``order`` (adjacent sentences of a paragraph swapped), ``typos``
(the annotated text had typos, the new one fixes them), ``mixed`` (all of these); each at 1, 5, 10 and
25 % of the words (of the sentences, for ``order``). The English side is measured on English prose (the
project README, as no translated sample is stored): ``en_retranslation`` (a new model changes a word or
two in about a third of the sentences and swaps some word pairs) and ``en_hand_edit`` (a few sentences
rewritten by hand).

Prints ``name: value`` lines, e.g. ``words_5pct_correct_pct: 99.6``, and a table.

Run: ``PYTHONPATH=. python bench/reanchor.py [--seeds 12345 1 2] [--n 500] [--kinds words punct ...]``
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Indel  # noqa: E402

from reader.core.anchoring import reanchor_all  # noqa: E402
from reader.core.annotations import Annotation, make_annotation  # noqa: E402
from reader.core.segment import segment  # noqa: E402
from reader.core.sides import PARAGRAPH_SEPARATOR, french_side  # noqa: E402
from reader.importers.text import import_text  # noqa: E402

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
PUNCT = [",", ";", ":", "!", "?", "—", "."]


@dataclass
class Tok:
    text: str
    origin: int | None  # index of the original token, None for inserted text

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum() or self.text[:1] == "_"

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


# --- documents as tokens ----------------------------------------------------------------------------


def french_paragraphs() -> list[list[str]]:
    """The five samples' French paragraphs, as ``import`` stores them."""
    out = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        article = import_text(path)
        out.append(list(french_side(article).paragraphs))
    return out


def english_paragraphs() -> list[list[str]]:
    """English prose paragraphs (the README's running text), as one document."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paras = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(line.strip() for line in block.splitlines())
        if len(block) > 80 and not block.startswith(("#", "|", "```", "    ")):
            paras.append(re.sub(r"[`*_]", "", block))
    return [paras]


def tokenize(paragraphs: list[str]) -> list[list[list[Tok]]]:
    """paragraph → sentence → tokens (the text between sentences is attached to the sentence before)."""
    doc: list[list[list[Tok]]] = []
    n = 0
    for para in paragraphs:
        sentences = segment(para)
        cuts = [s.start for s in sentences[1:]] if sentences else []
        bounds = [0, *cuts, len(para)]
        sents = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            toks = []
            for t in _TOKEN.findall(para[a:b]):
                toks.append(Tok(t, n))
                n += 1
            sents.append(toks)
        doc.append(sents)
    return doc


def render(doc: list[list[list[Tok]]]) -> tuple[str, list[tuple[int, int, Tok]]]:
    """The text of a token document and each token's (start, end)."""
    parts: list[str] = []
    spans = []
    pos = 0
    for pi, para in enumerate(doc):
        if pi:
            parts.append(PARAGRAPH_SEPARATOR)
            pos += len(PARAGRAPH_SEPARATOR)
        for sent in para:
            for t in sent:
                spans.append((pos, pos + len(t.text), t))
                parts.append(t.text)
                pos += len(t.text)
    return "".join(parts), spans


# --- edits --------------------------------------------------------------------------------------------


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("dsx")
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "s":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def _sentences(doc):
    return [(pi, si) for pi, para in enumerate(doc) for si in range(len(para))]


def _word_slots(doc):
    return [(pi, si, ti) for pi, para in enumerate(doc) for si, s in enumerate(para) for ti, t in enumerate(s) if t.is_word]


def edit_words(rng, doc, rate, vocab):
    slots = _word_slots(doc)
    chosen = rng.sample(slots, max(1, round(rate * len(slots))))
    # right to left so that indices stay valid
    for pi, si, ti in sorted(chosen, reverse=True):
        sent = doc[pi][si]
        op = rng.choice("cid")
        if op == "c":
            sent[ti] = Tok(rng.choice(vocab), sent[ti].origin)
        elif op == "i":
            sent[ti + 1 : ti + 1] = [Tok(" ", None), Tok(rng.choice(vocab), None)]
        else:
            if ti + 1 < len(sent) and sent[ti + 1].is_space:
                del sent[ti : ti + 2]
            elif ti > 0 and sent[ti - 1].is_space:
                del sent[ti - 1 : ti + 1]
            else:
                del sent[ti]


def edit_punct(rng, doc, rate, vocab):
    slots = _word_slots(doc)
    chosen = rng.sample(slots, max(1, round(rate * len(slots))))
    for pi, si, ti in sorted(chosen, reverse=True):
        sent = doc[pi][si]
        nxt = sent[ti + 1] if ti + 1 < len(sent) else None
        if nxt is not None and not nxt.is_word and not nxt.is_space:
            if rng.random() < 0.5:
                del sent[ti + 1]
            else:
                sent[ti + 1] = Tok(rng.choice(PUNCT), nxt.origin)
        else:
            sent.insert(ti + 1, Tok(rng.choice(PUNCT[:3]), None))


def edit_order(rng, doc, rate, vocab):
    sents = [(pi, si) for pi, si in _sentences(doc) if si + 1 < len(doc[pi])]
    if not sents:
        return
    for pi, si in rng.sample(sents, max(1, min(len(sents), round(rate * len(_sentences(doc)))))):
        para = doc[pi]
        a, b = para[si], para[si + 1]
        # keep the text between sentences where it was
        a_core, a_tail = _split_tail(a)
        b_core, b_tail = _split_tail(b)
        para[si], para[si + 1] = b_core + a_tail, a_core + b_tail


def _split_tail(sent):
    i = len(sent)
    while i > 0 and sent[i - 1].is_space:
        i -= 1
    return sent[:i], sent[i:]


def typos_then_fix(rng, doc, rate):
    """Put typos in *doc* (the annotated text); the new text is a copy made before."""
    slots = _word_slots(doc)
    for pi, si, ti in rng.sample(slots, max(1, round(rate * len(slots)))):
        t = doc[pi][si][ti]
        doc[pi][si][ti] = Tok(_typo(rng, t.text), t.origin)


def retranslate(rng, doc, rate, vocab):
    """A new model's output: about a third of the sentences get a word or two changed, some a swap."""
    for para in doc:
        for si, sent in enumerate(para):
            if rng.random() > 0.33:
                continue
            words = [i for i, t in enumerate(sent) if t.is_word]
            if not words:
                continue
            for i in rng.sample(words, min(len(words), rng.choice((1, 1, 2)))):
                sent[i] = Tok(rng.choice(vocab), sent[i].origin)
            if len(words) > 3 and rng.random() < 0.3:
                k = rng.randrange(len(words) - 1)
                i, j = words[k], words[k + 1]
                sent[i], sent[j] = sent[j], sent[i]


def hand_edit(rng, doc, rate, vocab):
    """A few sentences rewritten by hand: a third of their words changed or dropped."""
    sents = _sentences(doc)
    for pi, si in rng.sample(sents, min(len(sents), 6)):
        sent = doc[pi][si]
        words = [i for i, t in enumerate(sent) if t.is_word]
        for i in sorted(rng.sample(words, len(words) // 3), reverse=True):
            if rng.random() < 0.5:
                sent[i] = Tok(rng.choice(vocab), sent[i].origin)
            elif i + 1 < len(sent) and sent[i + 1].is_space:
                del sent[i : i + 2]


EDITS = {"words": edit_words, "punct": edit_punct, "order": edit_order}


# --- annotations and their right answers --------------------------------------------------------------


@dataclass
class Case:
    annotation: Annotation
    origins: range  # original token indices of the passage


def make_cases(rng, doc, n) -> list[Case]:
    """*n* annotations on word edges inside real sentences: a word or two, a phrase, a clause, a sentence."""
    text, spans = render(doc)
    by_sentence = []
    k = 0
    for para in doc:
        for sent in para:
            idx = list(range(k, k + len(sent)))
            k += len(sent)
            words = [i for i in idx if spans[i][2].is_word]
            if len(words) >= 3:
                by_sentence.append(words)
    cases = []
    while len(cases) < n:
        words = rng.choice(by_sentence)
        size = rng.choices([1, 2, 4, 8, 16, len(words)], weights=[10, 15, 25, 25, 10, 15])[0]
        size = min(size, len(words))
        first = rng.randrange(len(words) - size + 1)
        a_tok, b_tok = words[first], words[first + size - 1]
        start, end = spans[a_tok][0], spans[b_tok][1]
        if end - start < 3:
            continue
        ann = make_annotation(text, 1, "fr", start, end)
        cases.append(Case(ann, range(spans[a_tok][2].origin, spans[b_tok][2].origin + 1)))
    return cases


def _mid_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


def classify(case: Case, placed: Annotation, new_text: str, new_spans) -> tuple[str, bool]:
    """(class, mid_word) of one re-placed annotation."""
    inside = [(s, e) for s, e, t in new_spans if t.origin in case.origins and not t.is_space]
    expected = (min(s for s, _ in inside), max(e for _, e in inside)) if inside else None
    exists = expected is not None and Indel.normalized_similarity(
        case.annotation.exact, new_text[expected[0] : expected[1]]
    ) >= 0.75
    got = (placed.start, placed.end)
    mid = placed.status != "orphaned" and (_mid_word(new_text, got[0]) or _mid_word(new_text, got[1]))
    if placed.status == "orphaned":
        return ("orphaned_exists" if exists else "correct"), False
    if expected is not None and got == expected:
        return "correct", mid
    if placed.status == "anchored":
        return "silently_wrong", mid
    if expected is not None and got[0] < expected[1] and expected[0] < got[1]:
        return ("partial" if exists else "correct"), mid
    return "misplaced_flagged", mid


# --- one run --------------------------------------------------------------------------------------------


def run(kind: str, rate: float, seed: int, n: int, lang: str = "fr") -> tuple[Counter, list]:
    rng = random.Random(f"{seed}:{kind}:{rate}")
    paragraphs = english_paragraphs() if lang == "en" else french_paragraphs()
    docs = [tokenize(p) for p in paragraphs]
    vocab = sorted({t.text for d in docs for para in d for s in para for t in s if t.is_word and len(t.text) > 2})
    counts: Counter = Counter()
    examples = []
    per_doc = [n // len(docs) + (1 if i < n % len(docs) else 0) for i in range(len(docs))]
    for doc, k in zip(docs, per_doc, strict=True):
        old = doc
        new = [[list(s) for s in para] for para in doc]  # a copy, before any typo goes into *old*
        if kind == "en_retranslation":
            retranslate(rng, new, rate, vocab)
        elif kind == "en_hand_edit":
            hand_edit(rng, new, rate, vocab)
        else:
            subs = ["words", "punct", "order", "typos"] if kind == "mixed" else [kind]
            for sub in subs:
                if sub == "typos":
                    typos_then_fix(rng, old, rate / len(subs))  # typos in the old text, fixed in *new*
                else:
                    EDITS[sub](rng, new, rate / len(subs), vocab)
        cases = make_cases(rng, old, k)
        new_text, new_spans = render(new)
        placed = reanchor_all([c.annotation for c in cases], new_text)
        for c, p in zip(cases, placed, strict=True):
            cls, mid = classify(c, p, new_text, new_spans)
            counts[cls] += 1
            counts["mid_word"] += mid
            if cls not in ("correct",) and len(examples) < 40:
                examples.append((cls, p.status, c.annotation.exact, new_text[p.start : p.end]))
    return counts, examples


def timings() -> dict[str, float]:
    """Milliseconds to re-place 500 annotations of 30 characters on a 24 KB text (four copies of a sample),
    unchanged and shifted by a paragraph added at the top (the best of three runs)."""
    path = ROOT / "articles" / "blinken-lavrov-premiere-reunion-g20.md"
    one = "\n\n".join(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    text = "\n\n".join([one] * 4)
    spans = [(i, i + 30) for i in range(0, len(text) - 40, max(1, (len(text) - 40) // 500))][:500]
    anns = [make_annotation(text, 1, "fr", a, b) for a, b in spans if text[a:b].strip()]
    out = {}
    for name, new_text in (("unchanged", text), ("shifted", "Chapeau ajouté.\n\n" + text)):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            reanchor_all(anns, new_text)
            best = min(best, time.perf_counter() - t0)
        out[f"reanchor_500_{name}_ms"] = round(1000 * best, 1)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[12345, 1, 2])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--kinds", nargs="+", default=["words", "punct", "order", "typos", "mixed"])
    ap.add_argument("--rates", type=float, nargs="+", default=[0.01, 0.05, 0.10, 0.25])
    ap.add_argument("--english", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--examples", action="store_true", help="print misplaced annotations")
    args = ap.parse_args(argv)
    rows = [(k, r, "fr") for k in args.kinds for r in args.rates]
    if args.english:
        rows += [("en_retranslation", 0.0, "en"), ("en_hand_edit", 0.0, "en")]
    header = f"{'edit':<18}{'rate':>5}{'correct %':>10}{'partial (mid)':>15}{'orphaned':>9}{'flagged':>8}{'SILENT':>7}"
    table = [header]
    worst_silent = 0
    for kind, rate, lang in rows:
        total: Counter = Counter()
        for seed in args.seeds:
            counts, examples = run(kind, rate, seed, args.n, lang)
            total += counts
            if args.examples:
                for ex in examples:
                    print(f"  [{kind} {rate:.0%} seed {seed}] {ex[0]} ({ex[1]}): {ex[2]!r} -> {ex[3]!r}")
        n = args.n * len(args.seeds)
        name = kind if lang == "en" else f"{kind}_{round(rate * 100)}pct"
        pct = 100.0 * total["correct"] / n
        print(f"{name}_correct_pct: {pct:.1f}")
        print(f"{name}_silently_wrong: {total['silently_wrong']}")
        worst_silent = max(worst_silent, total["silently_wrong"])
        rate_s = "" if lang == "en" else f"{rate:.0%}"
        table.append(
            f"{kind:<18}{rate_s:>5}{pct:>10.1f}{total['partial']:>10} ({total['mid_word']}){total['orphaned_exists']:>9}"
            f"{total['misplaced_flagged']:>8}{total['silently_wrong']:>7}"
        )
    for key, value in timings().items():
        print(f"{key}: {value}")
    print(f"annotations_per_row: {args.n * len(args.seeds)}")
    print(f"silently_wrong_max: {worst_silent}")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
