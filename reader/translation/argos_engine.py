"""The product translator: an installed Argos fr→en package run directly through CTranslate2.

Pipeline: our segmenter's sentences → the package's SentencePiece model → one shared
``ctranslate2.Translator`` → ``translate_batch`` (beam search) over all sentences of the call, sorted by
length, in batches → ``<unk>`` replaced from a forced-decoding pass → decode exactly as Argos does. With
``translate_aligned``, the forced pass runs for every sentence and its attention (the model's alignment
head: OPUS-MT models are trained with guided alignment on it) becomes a word alignment
(``reader.core.wordalign``).

Same decoding as ``argostranslate.translate.apply_packaged_translation`` (Argos 1.11) with its defaults,
so a sentence translates to the same English as ``argostranslate.translate.translate`` gives for it:
``translate()`` asks for one hypothesis, so ``beam_size = max(1, ARGOS_BEAM_SIZE=4) = 4``,
``num_hypotheses=1``, ``length_penalty=0.2``, ``replace_unknowns=True``, the package's
``target_prefix`` if it has one, CTranslate2's default ``max_decoding_length`` (256), and
``compute_type="auto"``. Only the batching differs (Argos: one ``translate_batch`` per paragraph with
``max_batch_size=32`` *tokens*, i.e. about one sentence per batch), which does not change results in
float32. With int8 weights (what "auto" picks on CPU) a padded batch rounds a little differently
(measured with the random-weight model, CTranslate2 4.8.5: attention within ~4e-3 of the sentence alone,
and a few outputs in 40 that sit on a near-tie between two tokens differ); a trained model has no such
ties, and the equality test with Argos runs batched.

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
from reader.core.wordalign import (
    ScoredAlignment,
    char_spans_from_byte_spans,
    score_alignment,
    spans_by_surface,
)
from reader.translation import loaded
from reader.translation.batches import await_batch, batch_still_running  # noqa: F401 (re-exported)

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


def _get_translator(model_dir: Path, intra_threads: int, inter_threads: int, compute_type: str):
    def load():
        import ctranslate2

        try:
            return ctranslate2.Translator(
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

    return loaded.get(model_dir, intra_threads, inter_threads, compute_type, load)


def clear_translator_cache() -> None:
    """Forget loaded models (after a model was removed or replaced)."""
    loaded.clear()


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
        self._sp_generation = -1
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
            if self._sp is None or self._sp_generation != loaded.generation():
                import sentencepiece as spm

                try:
                    sp = spm.SentencePieceProcessor(model_file=str(self.package_path / "sentencepiece.model"))
                except (RuntimeError, OSError) as exc:
                    raise ModelError(
                        f"The tokenizer of the translation model in “{self.package_path}” is damaged; "
                        "install the model again."
                    ) from exc
                self._sp = sp
                self._sp_generation = loaded.generation()
        self._translator()

    def _translator(self):
        return _get_translator(
            self.package_path / "model", self.intra_threads, self.inter_threads, self.compute_type
        )

    # -- translation -----------------------------------------------------------------------------------

    def _run(self, translator, tokens: list[list[str]], progress: Progress | None = None):
        """Beam search exactly as Argos runs it, except ``replace_unknowns`` (done after, see below).
        Cancellable while it runs (:func:`await_batch`)."""
        prefix = [[self.target_prefix] for _ in tokens] if self.target_prefix else None
        try:
            return await_batch(translator.translate_batch(
                tokens,
                asynchronous=True,
                target_prefix=prefix,
                max_batch_size=len(tokens),
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=ARGOS_LENGTH_PENALTY,
                max_decoding_length=self.max_decoding_length,
                min_decoding_length=self.min_decoding_length,
            ), progress)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"The translation model failed: {exc}.") from exc

    def _forced(self, translator, tokens: list[list[str]], targets: list[list[str]],
                progress: Progress | None = None) -> list[list[list[float]]]:
        """The alignment attention of each (source, target) pair: one greedy pass forced through the
        given target tokens (``target_prefix``, exactly as long as the longest target).

        Unlike the attention of a beam search over a padded batch (whose first row, in CTranslate2 4.8,
        comes from another sentence for all but the longest), this is each sentence's own attention, as
        if it were decoded alone (exactly so in float32; within int8 rounding otherwise). One row per
        target token, one value per source token (the source ``</s>`` is not included)."""
        try:
            out = await_batch(translator.translate_batch(
                tokens,
                target_prefix=targets,
                asynchronous=True,
                max_batch_size=len(tokens),
                beam_size=1,
                num_hypotheses=1,
                return_attention=True,
                max_decoding_length=max(len(t) for t in targets),
                min_decoding_length=0,
            ), progress)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"The translation model failed: {exc}.") from exc
        return [r.attention[0][: len(t)] for r, t in zip(out, targets)]

    def _encode(self, text: str) -> tuple[list[str], list[tuple[int, int]]]:
        """SentencePiece pieces of ``text`` and their spans (``str`` indices) in it."""
        proto = self._sp.encode(text, return_type="proto")
        pieces = [p.piece for p in proto.pieces]
        return pieces, char_spans_from_byte_spans(text, [(p.begin, p.end) for p in proto.pieces])

    def _score(self, source: str, src_spans, english: str, target: list[str], attention) -> ScoredAlignment:
        if self.target_prefix:  # the prefix token is not part of the displayed English
            target, attention = target[1:], attention[1:]
        return score_alignment(source, english, attention, src_spans, spans_by_surface(english, target))

    def translate(
        self,
        sentences: Sequence[str],
        progress: Progress | None = None,
        on_result: Callable[[int, str], None] | None = None,
    ) -> list[str]:
        deliver = None if on_result is None else (lambda i, text, _alignment: on_result(i, text))
        return [text for text, _ in self._translate(sentences, progress, deliver, aligned=False)]

    def translate_aligned(
        self,
        sentences: Sequence[str],
        progress: Progress | None = None,
        on_result: Callable[[int, str, ScoredAlignment | None], None] | None = None,
    ) -> list[tuple[str, ScoredAlignment | None]]:
        """Like :meth:`translate`, with each sentence's word alignment (None for an empty sentence)."""
        return self._translate(sentences, progress, on_result, aligned=True)

    def _translate(self, sentences, progress, on_result, aligned: bool):
        n = len(sentences)
        results: list[tuple[str, ScoredAlignment | None] | None] = [None] * n
        if progress is not None:
            progress.start(n, "Translating…")
        if n == 0:
            return []
        self.load()
        translator = self._translator()
        sp = self._sp

        def deliver(i: int, text: str, alignment: ScoredAlignment | None) -> None:
            results[i] = (text, alignment)
            if on_result is not None:
                on_result(i, text, alignment)
            if progress is not None:
                progress.advance()

        todo: list[tuple[int, list[str], list[tuple[int, int]] | None]] = []
        for i, sentence in enumerate(sentences):
            if not sentence or not sentence.strip():
                deliver(i, "", None)
            elif aligned:
                todo.append((i, *self._encode(sentence)))
            else:
                todo.append((i, sp.encode(sentence, out_type=str), None))
        # Longest first: padding is minimal within a batch and the slowest batch is not left for last.
        todo.sort(key=lambda item: (-len(item[1]), item[0]))

        for start in range(0, len(todo), self.batch_sentences):
            if progress is not None:
                progress.check()
            batch = todo[start : start + self.batch_sentences]
            hyps = [r.hypotheses[0] for r in self._run(translator, [toks for _, toks, _ in batch], progress)]
            # replace_unknowns (Argos asks for it) copies, for each "<unk>" produced, the source token
            # with the highest attention. CTranslate2 does it from the beam search's attention, whose
            # first row is wrong in a padded batch; the forced pass gives the right one, so the copy is
            # made here, for the sentences that need it (all of them when the alignment is wanted).
            # Without alignment only the rows up to the last "<unk>" are needed: the forced targets stop there.
            need = range(len(batch)) if aligned else [k for k, h in enumerate(hyps) if "<unk>" in h]
            attention: dict[int, list[list[float]]] = {}
            if need:
                targets = [hyps[k] if aligned else hyps[k][: len(hyps[k]) - hyps[k][::-1].index("<unk>")]
                           for k in need]
                rows = self._forced(translator, [batch[k][1] for k in need], targets, progress)
                attention = dict(zip(need, rows))
            for k, (i, toks, src_spans) in enumerate(batch):
                hyp = hyps[k]
                if "<unk>" in hyp:
                    att = attention[k]
                    hyp = [toks[max(range(len(att[t])), key=att[t].__getitem__)] if tok == "<unk>" else tok
                           for t, tok in enumerate(hyp)]
                text = argos_decode(sp, hyp, self.target_prefix)
                alignment = self._score(sentences[i], src_spans, text, hyp, attention[k]) if aligned else None
                deliver(i, text, alignment)
        return [r if r is not None else ("", None) for r in results]

    def align(
        self,
        pairs: Sequence[tuple[str, str]],
        progress: Progress | None = None,
        words: Sequence[tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]]] | None = None,
    ) -> list[ScoredAlignment | None]:
        """Word alignments of given (French, English) sentence pairs — a hand-edited English sentence,
        a gold test set — by forcing the model through the English. None where either side is empty.
        ``words``: per pair, (French word spans, English word spans) to use instead of our own words."""
        n = len(pairs)
        out: list[ScoredAlignment | None] = [None] * n
        if progress is not None:
            progress.start(n, "Aligning…")
        if n == 0:
            return out
        self.load()
        translator = self._translator()
        todo = []
        for i, (fr, en) in enumerate(pairs):
            if fr.strip() and en.strip():
                src, src_spans = self._encode(fr)
                tgt, tgt_spans = self._encode(en)
                todo.append((i, src, src_spans, tgt, tgt_spans))
            elif progress is not None:
                progress.advance()
        todo.sort(key=lambda item: (-len(item[1]), item[0]))
        for start in range(0, len(todo), self.batch_sentences):
            if progress is not None:
                progress.check()
            batch = todo[start : start + self.batch_sentences]
            prefix = [self.target_prefix] if self.target_prefix else []
            rows = self._forced(translator, [b[1] for b in batch], [prefix + b[3] for b in batch], progress)
            for (i, _src, src_spans, _tgt, tgt_spans), att in zip(batch, rows):
                fr, en = pairs[i]
                given = words[i] if words is not None else (None, None)
                out[i] = score_alignment(fr, en, att[len(prefix):], src_spans, tgt_spans, *given)
                if progress is not None:
                    progress.advance()
        return out

    def enforce(self, jobs, progress: Progress | None = None):
        """The glossary enforced in machine-translated sentences by constrained re-decoding
        (``reader.translation.enforcing``): one ``reader.core.enforce.Enforced`` per ``EnforceJob``."""
        from reader.translation.enforcing import enforce

        return enforce(self, jobs, progress, argos_decode, ARGOS_LENGTH_PENALTY)


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
