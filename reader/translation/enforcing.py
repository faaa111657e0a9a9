"""Glossary enforcement by constrained re-decoding (``ArgosEngine.enforce``).

For each sentence and each of its term occurrences, left to right in the English: the span the term
went to (``reader.core.enforce.target_span``, from the current word alignment) is either kept (it already
says the rendering) or re-decoded: ``target_prefix`` = the English pieces before the span + the pieces of
the rendering, so the model continues fluently after it, and the model's own rendering of the span
suppressed so it does not say it again. After each re-decode the sentence is aligned again (the forced
pass) to find where the next term went. Renderings equal to the French term (names) are copied through
the same way: their pieces are forced verbatim.

Batching: every round handles one term of every sentence still holding one, in batches like the first
pass. ``suppress_sequences`` and the decoding lengths of ``translate_batch`` apply to a whole call, so
a round decodes each batch grouped by its lengths without suppression, then decodes again, grouped by
suppressed sequence, only the sentences whose continuation says the suppressed span again. A sentence
thus gets the same English in a batch as alone (exactly in float32).

The final check (each rendering as often as its term, ``reader.core.enforce.check``) decides; where it
fails, or the rendering cannot be forced verbatim (pieces the tokenizer normalises), or no alignment can
be had, the text fallback (``enforce_by_replacement`` on the machine output) is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reader.core.enforce import (
    Applied,
    Enforced,
    EnforceJob,
    check,
    enforce_by_replacement,
    matches_rendering,
    replace_spans,
    replacement_edits,
    target_span,
)
from reader.core.errors import ModelError
from reader.core.progress import Progress
from reader.core.wordalign import WordAlignment
from reader.translation.batches import await_batch


_OPENERS = "([{«“‘\"'-/"
#: A sentence holding this many term occurrences or more is enforced in one decode: every rendering put
#: in place of its span in the machine English (the text between them carried as it is), the model
#: continuing after the last one — instead of one decode and one alignment per term (a dense glossary).
CARRY_FROM = 4


@dataclass
class _State:
    index: int
    job: EnforceJob
    text: str
    alignment: WordAlignment | None
    todo: list = field(default_factory=list)
    applied: list[Applied] = field(default_factory=list)
    after: int = 0
    failed: bool = False
    originals: tuple[tuple[str, ...], ...] = ()
    carry: bool = False


@dataclass
class _Request:
    state: _State
    source: list[str]
    prefix: list[str]
    upto: str  # the English text up to the end of the rendering
    suppress: tuple[tuple[str, ...], ...]  # the originals of this span and of the sentence's earlier spans
    min_len: int
    max_len: int
    carried: tuple[Applied, ...] | None = None  # a carrying request: every application in ``upto``


def _contains(seq: Sequence[str], sub: Sequence[str]) -> bool:
    n = len(sub)
    return n > 0 and any(tuple(seq[k:k + n]) == tuple(sub) for k in range(len(seq) - n + 1))


def enforce(engine, jobs: Sequence[EnforceJob], progress: Progress | None, decode, length_penalty: float) -> list[Enforced]:
    """See the module doc. ``engine``: an :class:`ArgosEngine`; ``decode(processor, pieces, prefix)``: its
    detokenizer (``argos_decode``); ``length_penalty``: its beam search's."""
    n = len(jobs)
    results: list[Enforced | None] = [None] * n
    if progress is not None:
        progress.start(n, "Enforcing the glossary…")
    states: list[_State] = []
    for i, job in enumerate(jobs):
        if not job.terms or not job.english.strip():
            results[i] = Enforced(job.english, ())
            if progress is not None:
                progress.advance()
        else:
            states.append(_State(i, job, job.english, job.alignment))
    if not states:
        return [r for r in results if r is not None]
    engine.load()
    translator = engine._translator()
    sp = engine._sp
    prefix0 = [engine.target_prefix] if engine.target_prefix else []
    _realign(engine, [s for s in states if s.alignment is None])
    for s in states:
        if s.alignment is None:
            s.failed = True
            continue
        s.job = EnforceJob(s.job.french, s.job.english, s.alignment, s.job.terms)
        # left to right in the English of the machine output
        order = sorted(s.job.terms, key=lambda t: (target_span(s.alignment, t, len(s.text)), t.fr_start))
        s.todo = list(order)
        s.carry = len(order) >= CARRY_FROM
    source = {s.index: sp.encode(s.job.french, out_type=str) for s in states}

    active = [s for s in states if not s.failed]
    while active:
        if progress is not None:
            progress.check()
        requests: list[_Request] = []
        for s in active:
            req = _next_request(engine, sp, s, source[s.index], prefix0)
            if req is not None:
                requests.append(req)
        requests.sort(key=lambda r: (r.min_len, r.max_len, -len(r.source), r.state.index))
        for start in range(0, len(requests), engine.batch_sentences):
            if progress is not None:
                progress.check()
            batch = requests[start:start + engine.batch_sentences]
            hyps = _decode_grouped(engine, translator, batch, False, length_penalty, progress)
            redo = [k for k, (r, h) in enumerate(zip(batch, hyps)) if any(_contains(h[len(r.prefix):], o) for o in r.suppress)]
            if redo:
                again = _decode_grouped(engine, translator, [batch[k] for k in redo], True, length_penalty, progress)
                for k, h in zip(redo, again):
                    hyps[k] = h
            for r, hyp in zip(batch, hyps):
                _apply(r, decode(sp, hyp, engine.target_prefix))
        moved = [r.state for r in requests if not r.state.failed and r.state.todo]
        _realign(engine, moved)
        active = [s for s in active if s.todo and not s.failed]

    for s in states:
        terms = s.job.terms
        if not s.failed and check(s.text, terms):
            applied = sorted(s.applied, key=lambda a: (a.start, a.end))
            results[s.index] = Enforced(s.text, tuple(applied), True)
        else:
            results[s.index] = enforce_by_replacement(s.job.english, s.job.alignment, terms)
        if progress is not None:
            progress.advance()
    return [r if r is not None else Enforced("", ()) for r in results]


def _realign(engine, states: list[_State]) -> None:
    if not states:
        return
    scored = engine.align([(s.job.french, s.text) for s in states])
    for s, a in zip(states, scored):
        s.alignment = a.alignment() if a is not None else None
        if a is None:
            s.failed = True


def _next_request(engine, sp, s: _State, source: list[str], prefix0: list[str]) -> _Request | None:
    """Skip the terms whose span already says the rendering; the re-decode for the next one, if any."""
    if s.carry:
        return _carry_request(engine, sp, s, source, prefix0)
    while s.todo:
        term = s.todo[0]
        start, end = target_span(s.alignment, term, len(s.text), s.after)
        if start < end and matches_rendering(s.text[start:end], term.rendering):
            s.applied.append(Applied.of(term, start, end, "kept"))
            s.after = end
            s.todo.pop(0)
            continue
        before = s.text[:start].rstrip()
        before_pieces = sp.encode(before, out_type=str) if before else []
        rendering = sp.encode(term.rendering, out_type=str)
        # a space before the rendering unless it follows an opening bracket or quote (« (General… »)
        spaced = bool(before) and (s.text[start - 1].isspace() or s.text[start - 1] not in _OPENERS)
        if not spaced and before and rendering and rendering[0].startswith("▁"):
            rendering = ([rendering[0][1:]] if len(rendering[0]) > 1 else []) + rendering[1:]
        glue = " " if spaced else ""
        upto = before + glue + term.rendering
        span_pieces = sp.encode(s.text[start:end], out_type=str) if start < end else []
        if span_pieces:
            s.originals = (*s.originals, tuple(span_pieces))
        min_len, max_len = _room(engine, len(rendering), len(span_pieces))  # a rendering longer than the span
        prefix = prefix0 + before_pieces + rendering
        if min_len <= len(prefix):  # the forced prefix already satisfies it
            min_len = 1
        return _Request(s, source, prefix, upto, s.originals, min_len, max(max_len, len(prefix) + 1))
    return None


def _room(engine, forced: int, replaced: int) -> tuple[int, int]:
    """(min, max) decoding lengths with room for a forced prefix longer than what it replaced, in steps
    of 8 tokens: the lengths are options of a whole translate_batch call, so few distinct values keep
    the batches whole."""
    room = -(-max(0, forced - replaced) // 8) * 8
    max_len = engine.max_decoding_length + room
    return min(engine.min_decoding_length + room, max_len), max_len


def _carry_request(engine, sp, s: _State, source: list[str], prefix0: list[str]) -> _Request | None:
    """Every term of the sentence at once (``CARRY_FROM``): the renderings in place of their spans of
    the machine English up to the last one, forced; the model's own renderings suppressed after it."""
    edits = replacement_edits(s.text, s.alignment, s.job.terms)
    replaced = replace_spans(s.text, edits)
    s.todo = []
    if all(a.how == "kept" for a in replaced.applied):
        s.applied = list(replaced.applied)
        return None
    upto = replaced.text[:max(a.end for a in replaced.applied)]
    originals = tuple(dict.fromkeys(
        tuple(sp.encode(s.text[a:b], out_type=str)) for t, (a, b) in edits
        if b > a and not matches_rendering(s.text[a:b], t.rendering)))
    pieces = sp.encode(upto, out_type=str)
    end = max(b for _t, (_a, b) in edits)
    min_len, max_len = _room(engine, len(pieces), len(sp.encode(s.text[:end], out_type=str)) if end else 0)
    prefix = prefix0 + pieces
    if min_len <= len(prefix):
        min_len = 1
    return _Request(s, source, prefix, upto, tuple(o for o in originals if o), min_len,
                    max(max_len, len(prefix) + 1), tuple(replaced.applied))


def _decode_grouped(engine, translator, batch: list[_Request], suppress: bool, length_penalty: float,
                    progress: Progress | None = None) -> list[list[str]]:
    """One ``translate_batch`` per group of requests sharing the call-wide options (cancellable while it
    decodes: :func:`reader.translation.batches.await_batch`)."""
    out: list[list[str] | None] = [None] * len(batch)
    groups: dict[tuple, list[int]] = {}
    for k, r in enumerate(batch):
        key = (r.min_len, r.max_len, r.suppress if suppress else ())
        groups.setdefault(key, []).append(k)
    for (min_len, max_len, suppressed), members in groups.items():
        try:
            res = await_batch(translator.translate_batch(
                [batch[k].source for k in members],
                asynchronous=True,
                target_prefix=[batch[k].prefix for k in members],
                max_batch_size=len(members),
                beam_size=engine.beam_size,
                num_hypotheses=1,
                length_penalty=length_penalty,
                max_decoding_length=max_len,
                min_decoding_length=min_len,
                suppress_sequences=[list(o) for o in suppressed] if suppressed else None,
            ), progress)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"The translation model failed: {exc}.") from exc
        for k, r in zip(members, res):
            out[k] = r.hypotheses[0]
    return [h or [] for h in out]


def _apply(r: _Request, text: str) -> None:
    s = r.state
    if r.carried is not None:
        _apply_carried(r, text)
        return
    term = s.todo.pop(0)
    if not text.startswith(r.upto):  # the tokenizer normalised something: no verbatim rendering here
        s.failed = True
        return
    end = len(r.upto)
    if text[end:end + 1].isalnum() or text[end:end + 1] == "_":
        # the model went on inside the last word ("Assembly" + "ies"): the rendering stays a whole word
        text = text[:end] + " " + text[end:]
    s.applied.append(Applied.of(term, end - len(term.rendering), end, "decoded"))
    s.after = end
    s.text = text


def _apply_carried(r: _Request, text: str) -> None:
    s = r.state
    if not text.startswith(r.upto):
        s.failed = True
        return
    end = len(r.upto)
    if text[end:end + 1].isalnum() or text[end:end + 1] == "_":
        text = text[:end] + " " + text[end:]
    last = max((a for a in r.carried if a.how != "kept"), key=lambda a: a.end)
    s.applied = [replace(a, how="decoded") if a is last else a for a in r.carried]
    s.after = end
    s.text = text
