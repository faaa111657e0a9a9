"""The product translator: an installed Argos fr→en package run directly through CTranslate2.

Pipeline: our segmenter's sentences → the package's SentencePiece model → one shared
``ctranslate2.Translator`` → ``translate_batch`` over all sentences of the call, sorted by length, in
batches → decode exactly as Argos does.

Same decoding as ``argostranslate.translate.apply_packaged_translation`` (Argos 1.11) with its defaults,
so a sentence translates to the same English as ``argostranslate.translate.translate`` gives for it:
``translate()`` asks for one hypothesis, so ``beam_size = max(1, ARGOS_BEAM_SIZE=4) = 4``,
``num_hypotheses=1``, ``length_penalty=0.2``, ``replace_unknowns=True``, the package's
``target_prefix`` if it has one, CTranslate2's default ``max_decoding_length`` (256), and
``compute_type="auto"``. Only the batching differs (Argos: one ``translate_batch`` per paragraph with
``max_batch_size=32`` *tokens*, i.e. about one sentence per batch), which does not change results.

Decoding reproduces ``argostranslate.tokenizer.SentencePieceTokenizer.decode`` on purpose, quirk included:
it turns every "_" of the output into a space (so an English "snake_case" comes out "snake case").
Then, like Argos, the target prefix is stripped and one leading space removed.

Never imported here: ``argostranslate.translate`` (it pulls stanza, spaCy, torch, onnxruntime and its
sentence splitters reach for the network). Nothing here opens a network connection.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.core.errors import ModelError
from reader.core.progress import Progress

# Argos's defaults (argostranslate.settings / apply_packaged_translation).
ARGOS_BEAM_SIZE = 4
ARGOS_LENGTH_PENALTY = 0.2
CT2_DEFAULT_MAX_DECODING_LENGTH = 256
CT2_DEFAULT_MIN_DECODING_LENGTH = 1

#: Sentences per ``translate_batch`` call (also the progress/cancellation granularity). Measured on
#: 2 cores, model of the real shape, beam 4, 24 output tokens (bench/translate.py --sweep), sentences/s:
#: 1 → 2.2, 4 → 5.7, 8 → 8.0, 16 → 10.2, 32 → 13.8, 64 → 14.2. 32 is the knee; a cancel waits for at
#: most one batch (~2 s).
DEFAULT_BATCH_SENTENCES = 32


def _default_threads() -> tuple[int, int]:
    """(intra_threads, inter_threads): one translator using every core; batches carry the parallelism."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores), 1


# -- one translator per process per model -------------------------------------------------------------

_translators: dict[tuple, object] = {}
_translators_lock = threading.Lock()


def _get_translator(model_dir: Path, intra_threads: int, inter_threads: int, compute_type: str):
    key = (str(model_dir.resolve()), intra_threads, inter_threads, compute_type)
    with _translators_lock:
        translator = _translators.get(key)
        if translator is None:
            import ctranslate2

            try:
                translator = ctranslate2.Translator(
                    str(model_dir),
                    device="cpu",
                    compute_type=compute_type,
                    intra_threads=intra_threads,
                    inter_threads=inter_threads,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelError(
                    f"The translation model in “{model_dir.parent}” is damaged or unreadable; "
                    "remove it and install it again."
                ) from exc
            _translators[key] = translator
        return translator


def clear_translator_cache() -> None:
    """Forget loaded models (after a model was removed or replaced)."""
    with _translators_lock:
        _translators.clear()


def argos_decode(processor, pieces: Sequence[str], target_prefix: str = "") -> str:
    """Detokenize like ``SentencePieceTokenizer.decode`` + the post-processing of
    ``apply_packaged_translation`` (prefix stripped, one leading space removed)."""
    value = processor.decode_pieces(list(pieces)).replace("▁", " ").replace("_", " ")
    if target_prefix and value.startswith(target_prefix):
        value = value[len(target_prefix):]
    if value[:1] == " ":
        value = value[1:]
    return value


class ArgosEngine:
    """Translate French sentences to English with an installed Argos fr→en package.

    ``package_path``: an installed (unzipped) package folder; default: the installed fr→en package.
    ``beam_size``, ``max_decoding_length``, ``min_decoding_length``: Argos's defaults unless given
    (benchmarks and tests with the random-weight model pin the lengths).
    """

    def __init__(
        self,
        package_path: str | os.PathLike | None = None,
        *,
        beam_size: int = ARGOS_BEAM_SIZE,
        max_decoding_length: int = CT2_DEFAULT_MAX_DECODING_LENGTH,
        min_decoding_length: int = CT2_DEFAULT_MIN_DECODING_LENGTH,
        batch_sentences: int = DEFAULT_BATCH_SENTENCES,
        intra_threads: int | None = None,
        inter_threads: int | None = None,
        compute_type: str = "auto",
    ) -> None:
        if package_path is None:
            from reader.translation.packages import find_installed_package

            pkg = find_installed_package()
            if pkg is None:
                raise ModelError(
                    "No French→English model is installed; download it or install an .argosmodel file first."
                )
            package_path = pkg.package_path
        self.package_path = Path(package_path)
        metadata = self._read_metadata()
        self.version = str(metadata.get("package_version") or "0")
        self.target_prefix = metadata.get("target_prefix", "") or ""
        self.model_id = f"argos:{metadata.get('from_code')}-{metadata.get('to_code')}:{self.version}"
        self.beam_size = beam_size
        self.max_decoding_length = max_decoding_length
        self.min_decoding_length = min_decoding_length
        self.batch_sentences = max(1, batch_sentences)
        intra, inter = _default_threads()
        self.intra_threads = intra if intra_threads is None else intra_threads
        self.inter_threads = inter if inter_threads is None else inter_threads
        self.compute_type = compute_type
        self._sp = None
        self._load_lock = threading.Lock()

    # -- loading ---------------------------------------------------------------------------------------

    def _read_metadata(self) -> dict:
        import json

        meta_path = self.package_path / "metadata.json"
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ModelError(f"No translation model was found in “{self.package_path}”.") from exc
        except (OSError, ValueError) as exc:
            raise ModelError(f"The translation model in “{self.package_path}” has an unreadable metadata.json.") from exc
        if not isinstance(metadata, dict) or metadata.get("from_code") != "fr" or metadata.get("to_code") != "en":
            raise ModelError(f"The model in “{self.package_path}” is not a French→English model.")
        for required in ("model/model.bin", "sentencepiece.model"):
            if not (self.package_path / required).is_file():
                raise ModelError(
                    f"The translation model in “{self.package_path}” is incomplete ({required} is missing); "
                    "install it again."
                )
        return metadata

    def load(self) -> None:
        """Load the tokenizer and the model now (otherwise done by the first ``translate``)."""
        with self._load_lock:
            if self._sp is None:
                import sentencepiece as spm

                try:
                    sp = spm.SentencePieceProcessor(model_file=str(self.package_path / "sentencepiece.model"))
                except (RuntimeError, OSError) as exc:
                    raise ModelError(
                        f"The tokenizer of the translation model in “{self.package_path}” is damaged; "
                        "install the model again."
                    ) from exc
                self._sp = sp
        self._translator()

    def _translator(self):
        return _get_translator(
            self.package_path / "model", self.intra_threads, self.inter_threads, self.compute_type
        )

    # -- translation -----------------------------------------------------------------------------------

    def _run(self, translator, tokens: list[list[str]], replace_unknowns: bool):
        prefix = [[self.target_prefix] for _ in tokens] if self.target_prefix else None
        try:
            return translator.translate_batch(
                tokens,
                target_prefix=prefix,
                replace_unknowns=replace_unknowns,
                max_batch_size=len(tokens),
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=ARGOS_LENGTH_PENALTY,
                max_decoding_length=self.max_decoding_length,
                min_decoding_length=self.min_decoding_length,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"The translation model failed: {exc}.") from exc

    def translate(
        self,
        sentences: Sequence[str],
        progress: Progress | None = None,
        on_result: Callable[[int, str], None] | None = None,
    ) -> list[str]:
        n = len(sentences)
        results: list[str | None] = [None] * n
        if progress is not None:
            progress.start(n, "Translating…")
        if n == 0:
            return []
        self.load()
        translator = self._translator()
        sp = self._sp

        def deliver(i: int, text: str) -> None:
            results[i] = text
            if on_result is not None:
                on_result(i, text)
            if progress is not None:
                progress.advance()

        todo: list[tuple[int, list[str]]] = []
        for i, sentence in enumerate(sentences):
            if not sentence or not sentence.strip():
                deliver(i, "")
            else:
                todo.append((i, sp.encode(sentence, out_type=str)))
        # Longest first: padding is minimal within a batch and the slowest batch is not left for last.
        todo.sort(key=lambda item: (-len(item[1]), item[0]))

        for start in range(0, len(todo), self.batch_sentences):
            if progress is not None:
                progress.check()
            batch = todo[start : start + self.batch_sentences]
            # replace_unknowns copies, for each "<unk>" produced, the source token with the highest
            # attention. In a padded batch CTranslate2 (4.8) can return a different attention row for a
            # padded sentence than when that sentence is alone (measured: the copied token differs), so
            # batches run without it and the rare sentence whose output holds "<unk>" is redone alone,
            # exactly as Argos runs it. The other tokens were identical in every comparison we ran.
            out = self._run(translator, [toks for _, toks in batch], replace_unknowns=len(batch) == 1)
            for (i, toks), result in zip(batch, out):
                hyp = result.hypotheses[0]
                if len(batch) > 1 and "<unk>" in hyp:
                    hyp = self._run(translator, [toks], replace_unknowns=True)[0].hypotheses[0]
                deliver(i, argos_decode(sp, hyp, self.target_prefix))
        return [r if r is not None else "" for r in results]


def load_default_engine(**options) -> ArgosEngine:
    """The engine over the installed fr→en package; ModelError when none is installed.

    ``$VISAVIS_MAX_DECODING_LENGTH`` caps the English tokens per sentence (default: Argos's 256). Real
    translations end long before; the cap bounds the time a degenerate model can spend on a sentence,
    and lets tests run the whole app on the synthetic model, whose random weights never stop early.
    """
    cap = os.environ.get("VISAVIS_MAX_DECODING_LENGTH", "").strip()
    if cap and "max_decoding_length" not in options:
        try:
            options["max_decoding_length"] = max(1, int(cap))
        except ValueError:
            raise ModelError(f"VISAVIS_MAX_DECODING_LENGTH must be a whole number, not “{cap}”.") from None
    return ArgosEngine(None, **options)
