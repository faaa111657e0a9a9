"""Alignment error rate (AER) of the installed model's word alignment against a gold word-aligned set.

    python bench/align_aer.py EN_FILE FR_FILE LINKS_FILE [--package DIR] [--threshold T]

The gold set in the common format of the NAACL 2003 shared task (Hansards English–French):

- two sentence files, one sentence a line, tokens separated by spaces; a line may be wrapped as
  ``<s snum=0001> … </s>`` (the NAACL files are);
- a links file, 1-based, the English token first, either one line per sentence of ``i-j`` (sure) and
  ``ipj`` (possible) links (``bench/data/gold-fr-en/samples.wa``), or the NAACL form, one link a line:
  ``SNUM i j [S|P]`` (no letter: sure). Links to 0 (NULL) are ignored.

Each gold English sentence is forced through the model (``ArgosEngine.align``: one greedy pass with the
English as target prefix); the attention of its alignment head becomes scores between the gold tokens
(``reader.core.wordalign``), and links are drawn as the product draws them (each English token to its
best French token, plus French tokens at or above the threshold).

AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|), with S ⊆ P (Och & Ney 2003). Published on Hansards fr–en:
fast_align ≈ 10.5, eflomal ≈ 8.2, awesome-align ≈ 4–6. Ends with ``name: value`` lines.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_SNUM = re.compile(r"<s\s+snum=\s*\"?(\w+)\"?\s*>(.*?)</s>", re.S)
Link = tuple[int, int]


def read_sentences(path: Path) -> tuple[list[str], list[list[str]]]:
    """(sentence ids, tokens per sentence). Ids: the ``snum`` when given, else "1", "2", …"""
    ids, sentences = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = _SNUM.search(line)
        if m:
            ids.append(m.group(1).lstrip("0") or "0")
            sentences.append(m.group(2).split())
        else:
            ids.append(str(len(ids) + 1))
            sentences.append(line.split())
    return ids, sentences


def read_links(path: Path, ids: list[str]) -> list[tuple[set[Link], set[Link]]]:
    """Per sentence: (sure, possible) sets of (english, french) 1-based links; possible ⊇ sure."""
    lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    gold: dict[str, tuple[set[Link], set[Link]]] = {i: (set(), set()) for i in ids}
    per_sentence = all(all(re.fullmatch(r"\d+[-p]\d+", t) for t in fields) for fields in lines)
    if per_sentence:
        if len(lines) != len(ids):
            raise SystemExit(f"{path}: {len(lines)} link lines for {len(ids)} sentences")
        for sid, fields in zip(ids, lines):
            for token in fields:
                i, j = (int(x) for x in re.split("[-p]", token))
                if i and j:
                    gold[sid][1].add((i, j))
                    if "-" in token:
                        gold[sid][0].add((i, j))
    else:
        for n, fields in enumerate(lines, 1):
            if not fields:
                continue
            if len(fields) < 3 or not all(f.isdigit() for f in fields[:3]):
                raise SystemExit(f"{path}:{n}: expected “SNUM i j [S|P]”, got {' '.join(fields)!r}")
            sid, i, j = fields[0].lstrip("0") or "0", int(fields[1]), int(fields[2])
            if sid not in gold:
                raise SystemExit(f"{path}:{n}: sentence {fields[0]} is not in the sentence files")
            if i and j:
                gold[sid][1].add((i, j))
                if len(fields) < 4 or fields[3].upper() != "P":
                    gold[sid][0].add((i, j))
    return [gold[i] for i in ids]


def aer(predicted: list[set[Link]], gold: list[tuple[set[Link], set[Link]]]) -> dict[str, float]:
    a = s = a_s = a_p = 0
    for pred, (sure, possible) in zip(predicted, gold):
        a += len(pred)
        s += len(sure)
        a_s += len(pred & sure)
        a_p += len(pred & possible)
    return {
        "aer": 1 - (a_s + a_p) / (a + s) if a + s else 0.0,
        "precision": a_p / a if a else 0.0,
        "recall": a_s / s if s else 0.0,
    }


def token_spans(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    spans, pos = [], 0
    for t in tokens:
        spans.append((pos, pos + len(t)))
        pos += len(t) + 1
    return " ".join(tokens), spans


def predict(engine, fr: list[list[str]], en: list[list[str]], threshold: float) -> list[set[Link]]:
    pairs, words = [], []
    for f_tokens, e_tokens in zip(fr, en):
        f_text, f_spans = token_spans(f_tokens)
        e_text, e_spans = token_spans(e_tokens)
        pairs.append((f_text, e_text))
        words.append((f_spans, e_spans))
    out = []
    for scored in engine.align(pairs, words=words):
        if scored is None:
            out.append(set())
        else:
            out.append({(e + 1, f + 1) for f, e, _ in scored.alignment(threshold).links})
    return out


def main(argv: list[str] | None = None) -> int:
    from reader.core.wordalign import LINK_THRESHOLD

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("english", type=Path)
    ap.add_argument("french", type=Path)
    ap.add_argument("links", type=Path)
    ap.add_argument("--package", type=Path, default=None, help="an installed package folder (default: the installed fr→en model)")
    ap.add_argument("--threshold", type=float, default=LINK_THRESHOLD)
    args = ap.parse_args(argv)

    from reader.translation.argos_engine import ArgosEngine

    en_ids, en = read_sentences(args.english)
    fr_ids, fr = read_sentences(args.french)
    if len(en) != len(fr):
        raise SystemExit(f"{len(en)} English sentences but {len(fr)} French ones")
    gold = read_links(args.links, en_ids)
    for k, ((sure, possible), e, f) in enumerate(zip(gold, en, fr), 1):
        bad = [(i, j) for i, j in possible if i > len(e) or j > len(f)]
        if bad:
            raise SystemExit(f"sentence {en_ids[k - 1]}: links out of range {sorted(bad)[:3]}")
    engine = ArgosEngine(args.package)
    figures = aer(predict(engine, fr, en, args.threshold), gold)
    print(f"model: {engine.model_id}; {len(en)} sentences; {sum(len(s) for s, _ in gold)} sure and "
          f"{sum(len(p) for _, p in gold)} possible links; threshold {args.threshold}")
    print(f"sentences: {len(en)}")
    for name, value in figures.items():
        print(f"{name}: {round(100 * value, 2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
