"""The Argos/CTranslate2 engine on the synthetic model: same output as argostranslate, batching,
progress, cancellation, errors, no heavy imports, no network."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.core.errors import ModelError
from reader.core.progress import Cancelled, Progress
from reader.translation.argos_engine import ArgosEngine, argos_decode, load_default_engine
from reader.translation.base import TranslationEngine
from reader.translation.packages import find_installed_package

ROOT = Path(__file__).resolve().parents[2]
PIN = 12  # decoding length pinned on both sides (random weights never emit </s>)

SENTENCES = [
    "Bonjour le monde.",
    "Les délégations russe et américaine se sont rencontrées à New York.",
    "Sergueï Lavrov a déclaré que la réunion était « utile ».",
    "Un mot_inconnu : Ω≠∑ et 80 %.",
    "Pourquoi ?",
    "Marco Rubio, secrétaire d'État américain, était présent.",
]

# Runs argostranslate.translate itself (offline: spaCy sentence splitting from the package), one
# sentence per call. ``translate()`` exposes no decoding length, so when PIN is given the Translator
# class is wrapped to add max/min_decoding_length and nothing else; Argos's own settings are untouched.
ARGOS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    pin = json.loads(sys.argv[1])
    sentences = json.loads(sys.stdin.read())
    if pin:
        import ctranslate2
        _Translator = ctranslate2.Translator
        class Pinned:
            def __init__(self, *a, **k):
                self._t = _Translator(*a, **k)
            def translate_batch(self, *a, **k):
                k.setdefault("max_decoding_length", pin)
                k.setdefault("min_decoding_length", pin)
                return self._t.translate_batch(*a, **k)
        ctranslate2.Translator = Pinned
    import argostranslate.translate as at
    print(json.dumps([at.translate(s, "fr", "en") for s in sentences]))
    """
)


def _argos(sentences, env, pin):
    proc = subprocess.run(
        [sys.executable, "-c", ARGOS_SCRIPT, json.dumps(pin)],
        input=json.dumps(sentences), capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _seed_sentences() -> list[str]:
    files = sorted((ROOT / "articles").glob("*.md")) or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            out += [m.strip() for m in re.findall(r"[^.!?]+(?:[.!?]+|$)", line) if len(m.strip()) > 3]
    return out


def _sentences_producing_unk(package: Path, sentences: list[str], limit: int = 2) -> list[str]:
    """Seed sentences whose raw output holds "<unk>" (so replace_unknowns matters for them)."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(package / "model"), compute_type="auto")
    found = []
    for s in sentences:
        [r] = translator.translate_batch([sp.encode(s, out_type=str)], beam_size=4, length_penalty=0.2,
                                         max_decoding_length=PIN, min_decoding_length=PIN)
        if "<unk>" in r.hypotheses[0]:
            found.append(s)
            if len(found) == limit:
                break
    return found


def test_same_output_as_argostranslate(installed_synthetic_model, argos_offline_env):
    with_unk = _sentences_producing_unk(installed_synthetic_model.path, _seed_sentences()[:80])
    assert with_unk, "the synthetic model should emit <unk> for some seed sentence (UNK_BIAS)"
    sentences = SENTENCES + with_unk
    engine = ArgosEngine(max_decoding_length=PIN, min_decoding_length=PIN, batch_sentences=4)
    ours = engine.translate(sentences)
    theirs = _argos(sentences, argos_offline_env, PIN)
    assert ours == theirs
    assert len(set(ours)) == len(ours)  # the synthetic model is input-sensitive: a real comparison


@pytest.mark.slow
def test_same_output_as_argostranslate_at_argos_default_length(installed_synthetic_model, argos_offline_env):
    """No pinning at all: CTranslate2's default decoding length on both sides (256 tokens here)."""
    sentence = ["Bonjour le monde."]
    assert ArgosEngine().translate(sentence) == _argos(sentence, argos_offline_env, None)


def test_engine_protocol_and_model_id(installed_synthetic_model):
    engine = load_default_engine(max_decoding_length=4)
    assert isinstance(engine, TranslationEngine)
    assert engine.model_id == "argos:fr-en:1.9-synthetic"
    assert find_installed_package() is not None


def test_order_progress_and_on_result(installed_synthetic_model):
    engine = ArgosEngine(max_decoding_length=6, min_decoding_length=6, batch_sentences=2)
    sentences = SENTENCES + ["", "   "]
    seen, calls = [], []
    progress = Progress(lambda d, t, m: seen.append((d, t)))
    out = engine.translate(sentences, progress, lambda i, t: calls.append((i, t)))
    assert len(out) == len(sentences) and out[-2:] == ["", ""]
    assert sorted(calls) == sorted(enumerate(out))
    assert [d for d, _ in seen] == list(range(len(sentences) + 1))
    assert all(t == len(sentences) for _, t in seen)
    # batching and sorting do not change a sentence's translation
    alone = [engine.translate([s])[0] for s in SENTENCES[:3]]
    assert alone == out[:3]
    assert engine.translate([]) == []


def test_cancel_between_batches_delivers_finished_first(installed_synthetic_model):
    engine = ArgosEngine(max_decoding_length=4, min_decoding_length=4, batch_sentences=2)
    progress = Progress()
    delivered = []

    def on_result(i, text):
        delivered.append(i)
        progress.cancel()

    with pytest.raises(Cancelled):
        engine.translate(SENTENCES, progress, on_result)
    assert len(delivered) == 2 and progress.done == 2


def test_one_translator_per_model(installed_synthetic_model):
    a = ArgosEngine(max_decoding_length=4)
    b = ArgosEngine(max_decoding_length=8)
    a.load()
    b.load()
    assert a._translator() is b._translator()


def test_no_model_installed(argos_dirs):
    assert find_installed_package() is None
    with pytest.raises(ModelError, match="^No French→English model is installed"):
        load_default_engine()


def test_corrupt_model_is_a_model_error(installed_synthetic_model):
    (installed_synthetic_model.path / "model" / "model.bin").write_bytes(b"garbage" * 100)
    engine = ArgosEngine(max_decoding_length=4)
    with pytest.raises(ModelError, match="damaged or unreadable") as err:
        engine.translate(["Bonjour."])
    assert "\n" not in str(err.value)


def test_corrupt_tokenizer_is_a_model_error(installed_synthetic_model):
    (installed_synthetic_model.path / "sentencepiece.model").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="tokenizer"):
        ArgosEngine().translate(["Bonjour."])


def test_incomplete_package_is_a_model_error(installed_synthetic_model):
    (installed_synthetic_model.path / "model" / "model.bin").unlink()
    with pytest.raises(ModelError, match="incomplete"):
        ArgosEngine()
    with pytest.raises(ModelError, match="No translation model"):
        ArgosEngine(installed_synthetic_model.path / "nowhere")


def test_decode_keeps_the_argos_underscore_quirk(installed_synthetic_model):
    import sentencepiece as spm
    from argostranslate.tokenizer import SentencePieceTokenizer

    model = installed_synthetic_model.path / "sentencepiece.model"
    sp = spm.SentencePieceProcessor(model_file=str(model))
    argos = SentencePieceTokenizer(model)
    for text in ["snake_case et le_mot", "Bonjour le monde.", "  espaces ", "80 % ≠ Ω"]:
        pieces = sp.encode(text, out_type=str)
        expected = argos.decode(pieces)
        expected = expected[1:] if expected[:1] == " " else expected
        assert argos_decode(sp, pieces) == expected
    assert "_" not in argos_decode(sp, sp.encode("snake_case", out_type=str))


def test_translation_loads_no_heavy_modules(installed_synthetic_model):
    code = textwrap.dedent(
        """
        import json, sys
        from reader.translation.argos_engine import load_default_engine
        out = load_default_engine(max_decoding_length=4).translate(["Bonjour le monde.", "Au revoir."])
        assert len(out) == 2
        print(json.dumps(sorted(sys.modules)))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    modules = json.loads(proc.stdout.strip().splitlines()[-1])
    heavy = ("argostranslate.translate", "argostranslate.sbd", "stanza", "spacy", "torch", "onnxruntime",
             "minisbd", "PySide6", "sqlite3")
    loaded = [m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy)]
    assert loaded == []
    assert "ctranslate2" in modules and "sentencepiece" in modules


def test_translation_opens_no_connection(installed_synthetic_model, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network connection attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine = load_default_engine(max_decoding_length=6)
    assert len(engine.translate(SENTENCES)) == len(SENTENCES)
    assert attempts == []


def _real_package() -> Path | None:
    """The real fr→en 1.9 package, if installed in the user's own Argos folder (not the test one)."""
    candidates = []
    if os.environ.get("VISAVIS_REAL_ARGOS_PACKAGES_DIR"):
        candidates.append(Path(os.environ["VISAVIS_REAL_ARGOS_PACKAGES_DIR"]))
    home = Path(os.environ.get("VISAVIS_TEST_REAL_HOME") or Path.home())  # tests/conftest.py moved HOME
    candidates.append(home / ".local" / "share" / "argos-translate" / "packages")
    for folder in candidates:
        if not folder.is_dir():
            continue
        for pkg in folder.iterdir():
            try:
                meta = json.loads((pkg / "metadata.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if meta.get("from_code") == "fr" and meta.get("to_code") == "en" and meta.get("package_version") == "1.9":
                return pkg
    return None


@pytest.mark.real_model
@pytest.mark.skipif(_real_package() is None, reason="the real Argos fr→en 1.9 package is not installed")
def test_real_model_translates_bonjour():
    engine = ArgosEngine(_real_package())
    assert engine.model_id == "argos:fr-en:1.9"
    [english] = engine.translate(["Bonjour le monde."])
    assert "hello" in english.lower() and "world" in english.lower()


def test_remove_and_reinstall_drop_the_loaded_model(installed_synthetic_model, synthetic_model_path):
    """#13: Model ▸ Remove left the translator loaded, and a reinstall into the same folder reused it."""
    from reader.translation import loaded, packages

    engine = ArgosEngine(max_decoding_length=4, min_decoding_length=4)
    engine.load()
    first = engine._translator()
    assert loaded.count() == 1
    assert packages.remove()
    assert loaded.count() == 0  # the removed model's memory is released
    packages.install_from_file(synthetic_model_path)  # same folder as before
    second = engine._translator()
    assert second is not first
    assert engine.translate(["Bonjour le monde."])[0]
    engine._translator()
    packages.install_from_file(synthetic_model_path)  # replacing an installed model drops it too
    assert loaded.count() == 0
