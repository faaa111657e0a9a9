"""Build a synthetic French→English ``.argosmodel`` of the real Argos fr→en architecture.

The real package (``translate-fr_en-1_9.argosmodel``) cannot be downloaded in CI or on a sandboxed
machine, so tests and benchmarks use this stand-in. It has the *shape* of the real model, not its skill.
The real one is an OPUS-MT "transformer-align" model converted by CTranslate2's Marian converter
(``ctranslate2/converters/marian.py``); this builds what that converter builds:

- ``TransformerSpec.from_config(6, 8, pre_norm=False, activation=SWISH, alignment_layer=-1,
  alignment_heads=1)``: 6 encoder + 6 decoder layers, d_model 512, 8 heads, FFN 2048, post-norm (Marian
  ``--transformer-postprocess dan``, so no final layer norms), swish (Marian's default FFN activation),
  no embedding layer norm (``--transformer-postprocess-emb d``), Marian's sinusoidal position table
  written into the model as the converter does, decoder ``start_from_zero_embedding`` (Marian starts
  decoding from a zero vector; the configured decoder start token ``<s>`` is not even in the
  vocabulary), ``add_source_eos`` (Marian appends ``</s>`` to the source), and the guided-alignment head
  (head 0 of the last decoder layer) recorded as the alignment head, which is what
  ``return_attention=True`` returns;
- one vocabulary shared by source and target (saved as ``shared_vocabulary.json``), in Marian's order:
  ``</s>``, ``<unk>``, then the pieces of a SentencePiece BPE model trained on the five seed articles
  (``articles/*.md``, falling back to ``../shared/seeds/*.txt``), padded with unused tokens up to 50,000
  entries so the output softmax costs what the real one costs (the padding tokens get an output bias
  of -1e4 so they are never produced);
- int8 weights (~100 MB as a package; the real one is 66.6 MB, its projection being tied to the
  embeddings: see ``_build_ct2_model`` for why this one is not);
- ``spacy/`` (``spacy.blank("fr")``) so ``argostranslate.translate`` can split sentences offline with
  ``ARGOS_CHUNK_TYPE=SPACY`` (it also needs ``$XDG_CACHE_HOME/argos-translate/spacy/senter/model/``).

Weights are random (numpy, fixed seed; no torch). The output is gibberish that depends on the source
sentence; "</s>" is never the best token, so every output runs to ``max_decoding_length`` (CTranslate2's
default: 256 tokens, ~1–4 s a sentence on 2 cores). Anything that times translation must pin
``max_decoding_length`` (and ``min_decoding_length``) on every side it compares. "<unk>" gets a bias so
that ~5 % of outputs hold one, which exercises ``replace_unknowns``. The build is deterministic: same
inputs → same bytes (fixed zip timestamps, order and permissions; single-threaded SentencePiece training from an in-memory iterator).

Usage::

    python bench/make_test_model.py [OUT.argosmodel]

Tests import :func:`build_test_model` from this file by path (the product package ships no test
machinery).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

NUM_LAYERS = 6
D_MODEL = 512
NUM_HEADS = 8
FFN = 2048
VOCAB_SIZE = 50_000
SPM_VOCAB = 8_000  # upper bound; a 20 kB corpus supports fewer pieces (hard_vocab_limit=False)
SEED = 20251105
PACKAGE_VERSION = "1.9-synthetic"
TOP = "translate-fr_en-1_9-synthetic"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Added to the logit of "</s>". With 0, the random model never ends a sentence by itself: every output
# runs to max_decoding_length, which makes pinned-length timings exact.
EOS_BIAS = 0.0
# Makes "<unk>" come out now and then (~5 % of sentences), so replace_unknowns (copy the most attended
# source token) is exercised by the equality tests.
UNK_BIAS = 3.0


def seed_texts() -> list[tuple[str, str]]:
    """(name, text) of the seed articles the tokenizer is trained on, in a fixed order."""
    files = sorted((REPO / "articles").glob("*.md"))
    if not files:
        files = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    if not files:
        raise SystemExit("no seed articles found in articles/*.md or ../shared/seeds/*.txt")
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def inputs_fingerprint() -> str:
    """sha256 over this script and the seed texts: a cache key for a built model."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for name, text in seed_texts():
        h.update(name.encode())
        h.update(text.encode())
    return h.hexdigest()


def _train_sentencepiece() -> bytes:
    import sentencepiece as spm

    lines = []
    for _, text in seed_texts():
        for line in text.splitlines():
            line = line.strip()
            if line:
                lines.append(line)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="bpe",
        vocab_size=SPM_VOCAB,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    return model.getvalue()


def _pieces(spm_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=spm_bytes)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _vocabulary(spm_bytes: bytes) -> tuple[list[str], int]:
    """The CTranslate2 vocabulary in Marian's order and how many entries are real.

    An OPUS-MT ``*.vocab.yml`` starts with ``</s>: 0`` and ``<unk>: 1`` and holds neither ``<s>`` nor
    a padding token (Marian starts decoding from a zero embedding instead of a start token); one
    vocabulary is shared by source and target. The SentencePiece control pieces are left out likewise;
    unused entries pad it to VOCAB_SIZE so the output softmax costs what the real one costs."""
    specials = ["</s>", "<unk>"]
    pieces = [p for p in _pieces(spm_bytes) if p not in ("<unk>", "<s>", "</s>")]
    real = specials + pieces
    if len(real) > VOCAB_SIZE:
        raise SystemExit(f"SentencePiece vocabulary too large: {len(real)}")
    pad = [f"<unused_{i:05d}>" for i in range(VOCAB_SIZE - len(real))]
    return real + pad, len(real)


def _build_ct2_model(out_dir: Path, vocab: list[str], n_real: int) -> None:
    """What ``ctranslate2.converters.marian.MarianConverter`` builds from an OPUS-MT transformer-align
    model (``--type transformer --transformer-postprocess-emb d --transformer-postprocess dan
    --tied-embeddings-all --guided-alignment``, Marian's default swish FFN), with random weights."""
    import ctranslate2.specs as specs
    from ctranslate2.converters.marian import _make_sinusoidal_position_encodings
    from ctranslate2.specs import common_spec

    rng = np.random.default_rng(SEED)

    def w(rows: int, cols: int) -> np.ndarray:
        # Xavier-like scale keeps activations in a sane range through 12 layers.
        return (rng.standard_normal((rows, cols), dtype=np.float32) * np.float32((2.0 / (rows + cols)) ** 0.5))

    def b(n: int) -> np.ndarray:
        return (rng.standard_normal(n, dtype=np.float32) * np.float32(0.02))

    def ln(spec) -> None:
        spec.gamma = np.ones(D_MODEL, dtype=np.float32)
        spec.beta = np.zeros(D_MODEL, dtype=np.float32)

    def lin(spec, rows: int, cols: int) -> None:
        spec.weight = w(rows, cols)
        spec.bias = b(rows)

    spec = specs.TransformerSpec.from_config(
        NUM_LAYERS,
        NUM_HEADS,
        pre_norm=False,  # transformer-preprocess "" / postprocess "dan": post-norm, no final norm
        activation=common_spec.Activation.SWISH,
        alignment_layer=-1,  # transformer-guided-alignment-layer "last"
        alignment_heads=1,
        layernorm_embedding=False,  # transformer-postprocess-emb "d"
    )
    emb = rng.standard_normal((VOCAB_SIZE, D_MODEL), dtype=np.float32) * np.float32(D_MODEL**-0.5)
    positions = _make_sinusoidal_position_encodings(D_MODEL).astype(np.float32)

    enc = spec.encoder
    enc.embeddings[0].weight = emb
    enc.position_encodings.encodings = positions
    for layer in enc.layer:
        ln(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
        lin(layer.self_attention.linear[1], D_MODEL, D_MODEL)
        ln(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, FFN, D_MODEL)
        lin(layer.ffn.linear_1, D_MODEL, FFN)

    dec = spec.decoder
    dec.start_from_zero_embedding = True
    dec.embeddings.weight = emb
    dec.position_encodings.encodings = positions
    for layer in dec.layer:
        ln(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
        lin(layer.self_attention.linear[1], D_MODEL, D_MODEL)
        ln(layer.attention.layer_norm)
        lin(layer.attention.linear[0], D_MODEL, D_MODEL)
        lin(layer.attention.linear[1], 2 * D_MODEL, D_MODEL)
        lin(layer.attention.linear[2], D_MODEL, D_MODEL)
        ln(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, FFN, D_MODEL)
        lin(layer.ffn.linear_1, D_MODEL, FFN)
    # --tied-embeddings-all makes the converter alias the output projection to the embeddings. Not here:
    # with random tied weights the decoder locks into repeating one token whatever the source (tried:
    # every gain and scale of the sublayers), so the projection gets random weights of its own. Same
    # shapes, same computation, same cost; only the aliasing (a smaller model.bin) differs.
    dec.projection.weight = rng.standard_normal((VOCAB_SIZE, D_MODEL), dtype=np.float32) * np.float32(D_MODEL**-0.5)
    bias = np.zeros(VOCAB_SIZE, dtype=np.float32)  # decoder_ff_logit_out_b
    bias[n_real:] = -1e4  # padding tokens are never produced
    bias[vocab.index("</s>")] += EOS_BIAS
    bias[vocab.index("<unk>")] += UNK_BIAS
    dec.projection.bias = bias

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_eos = True  # Marian appends </s> to the source
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(out_dir))


def _spacy_dir(out_dir: Path) -> None:
    import spacy

    spacy.blank("fr").to_disk(out_dir)


def _metadata() -> dict:
    return {
        "package_version": PACKAGE_VERSION,
        "argos_version": "1.9.0",
        "from_code": "fr",
        "from_name": "French",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "links": [],
        "description": "Synthetic fr→en test model of the real Argos architecture (random weights).",
    }


def _zip_dir(src: Path, out_path: Path) -> None:
    files = sorted(p for p in src.rglob("*"))
    # a temp name of its own beside the target, then an atomic rename: two runs building the same cache
    # at once never write into one file, and a killed build leaves no half-written package under the name
    fd, tmp_name = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _write_zip(src, files, tmp)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_zip(src: Path, files: list[Path], tmp: Path) -> None:
    with zipfile.ZipFile(tmp, "w") as zf:
        for p in files:
            rel = p.relative_to(src.parent).as_posix()
            if p.is_dir():
                info = zipfile.ZipInfo(rel + "/", date_time=ZIP_DATE)
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(rel, date_time=ZIP_DATE)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                # int8 random weights do not compress; storing them keeps the build fast.
                if p.name == "model.bin":
                    info.compress_type = zipfile.ZIP_STORED
                with open(p, "rb") as fh:
                    zf.writestr(info, fh.read(), compresslevel=6)


def build_test_model(out_path: str | os.PathLike) -> Path:
    """Build the synthetic package at ``out_path`` (overwritten) and return its path."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    spm_bytes = _train_sentencepiece()
    vocab, n_real = _vocabulary(spm_bytes)
    with tempfile.TemporaryDirectory(prefix="visavis-model-") as tmp:
        top = Path(tmp) / TOP
        (top / "model").mkdir(parents=True)
        _build_ct2_model(top / "model", vocab, n_real)
        (top / "sentencepiece.model").write_bytes(spm_bytes)
        (top / "metadata.json").write_text(json.dumps(_metadata(), indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
        (top / "README.md").write_text(
            "Synthetic Argos Translate package for Vis-à-vis tests: the real fr→en architecture with random "
            "weights. Its translations are gibberish.\n", encoding="utf-8")
        _spacy_dir(top / "spacy")
        _zip_dir(top, out_path)
    return out_path


def cached_test_model() -> Path:
    """The package in the tests' cache ($VISAVIS_TEST_CACHE, else ~/.cache/visavis-tests), built there
    first when the builder or its inputs changed."""
    cache = Path(os.environ.get("VISAVIS_TEST_CACHE") or Path.home() / ".cache" / "visavis-tests")
    path = cache / f"translate-fr_en-synthetic-{inputs_fingerprint()[:16]}.argosmodel"
    if not path.exists():
        build_test_model(path)
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else REPO / "build" / "translate-fr_en-synthetic.argosmodel"
    import time

    t0 = time.perf_counter()
    path = build_test_model(out)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(f"{path}  {path.stat().st_size} bytes  sha256 {digest}  ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
