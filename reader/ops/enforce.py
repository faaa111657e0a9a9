"""The glossary enforced in the English (no Qt): enforce an article, re-enforce what an entry edit
touches, and read the English a sentence shows.

The machine output stays in the translation cache untouched; the enforced sentence is a layer apart
(``Store.store_enforced``), keyed by the translation (model id + source sentence) and by the key of the
exact set of (term, rendering) pairs whose terms the sentence holds (``reader.core.enforce.entries_key``).
So an entry added, changed or removed changes the key of exactly the sentences holding its term: those,
and nothing else, are enforced again. A hand edit wins over both (:func:`shown_english`).

Only entries with a rendering and "enforce in the translation" on take part. An engine that can
re-decode (``enforce``, the Argos engine) enforces by constrained decoding; any other engine gets the
text fallback (``reader.core.enforce.enforce_by_replacement``) over the stored word alignment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reader.core.enforce import (
    EnforceJob,
    Enforced,
    Term,
    enforce_by_replacement,
    entries_key,
    rerender,
    sentence_terms,
    with_french_spans,
)
from reader.core.glossary import GlossaryEntry, GlossaryMatcher
from reader.core.progress import Progress, ProgressShare
from reader.ops.changes import OpChanges
from reader.storage.store import Store

#: Sentences per engine call while enforcing (also what is stored at a time, so a cancel keeps it).
CHUNK = 64


class GlossaryPlan:
    """The enforcing entries of a glossary, matched once per sentence."""

    def __init__(self, entries: Iterable[GlossaryEntry]):
        self.entries = [e for e in entries if e.enforce and e.translation.strip()]
        self._by_id = {e.id: e for e in self.entries}
        self._renderings = {e.id: e.translation.strip() for e in self.entries}
        self._matcher = GlossaryMatcher(self.entries) if self.entries else None
        self._memo: dict[str, tuple[tuple[Term, ...], str]] = {}

    def __bool__(self) -> bool:
        return self._matcher is not None

    def terms(self, source: str) -> tuple[tuple[Term, ...], str]:
        """The term occurrences of a sentence and the key of the set of entries they belong to
        (remembered: a plan kept while the glossary is unchanged reads a book's rows again cheaply)."""
        if self._matcher is None:
            return (), ""
        known = self._memo.get(source)
        if known is None:
            terms = tuple(sentence_terms(self._matcher.find(source), self._renderings))
            key = entries_key({(self._by_id[t.entry_id].term, t.rendering) for t in terms}) if terms else ""
            known = self._memo[source] = (terms, key)
        return known


def store_plan(store: Store) -> GlossaryPlan:
    return GlossaryPlan(store.glossary())


@dataclass(frozen=True)
class EnforceResult:
    """``count`` sentences enforced (computed, not read from the layer); the articles whose English changed."""

    count: int
    changes: OpChanges


def _can_decode(engine) -> bool:
    return engine is not None and callable(getattr(engine, "enforce", None))


def _missing(store: Store, model_id: str, sources: Sequence[str], plan: GlossaryPlan
             ) -> list[tuple[str, str, str, tuple[Term, ...]]]:
    """(source, entries key, machine English, terms) of the ``sources`` holding a term whose enforced
    English for the current glossary is not in the layer."""
    machine = store.cached_translations(model_id, sources)
    wanted: list[tuple[str, str, str, tuple[Term, ...]]] = []
    for source in dict.fromkeys(sources):
        english = machine.get(source)
        if english and english.strip():
            terms, key = plan.terms(source)
            if terms:
                wanted.append((source, key, english, terms))
    have = store.cached_enforced(model_id, [(s, k, m) for s, k, m, _ in wanted])
    return [w for w in wanted if (w[0], w[1]) not in have]


def enforce_sources(
    store: Store, engine, model_id: str, sources: Sequence[str], plan: GlossaryPlan | None = None,
    progress: Progress | None = None, on_stored: Callable[[list[str]], None] | None = None,
) -> int:
    """Enforce the glossary in the machine English of ``sources`` (source sentences) wherever the layer
    lacks it; returns how many sentences were computed. ``on_stored(sources)`` is called after each
    chunk is stored (the window refreshes its rows with it)."""
    plan = store_plan(store) if plan is None else plan
    progress = progress or Progress()
    if not plan or not sources:
        progress.start(0, "enforcing the glossary")
        return 0
    missing = _missing(store, model_id, sources, plan)
    progress.start(len(missing), "enforcing the glossary")
    share = ProgressShare(progress)
    for start in range(0, len(missing), CHUNK):
        progress.check()
        chunk = missing[start:start + CHUNK]
        aligned = store.cached_alignments(model_id, [(s, m) for s, _, m, _ in chunk])
        jobs = []
        for s, _k, m, terms in chunk:
            a = aligned.get((s, m))
            jobs.append(EnforceJob(s, m, a.alignment() if a is not None else None, terms))
        if _can_decode(engine) and engine.model_id == model_id:
            results = engine.enforce(jobs, share)
        else:
            results = [enforce_by_replacement(j.english, j.alignment, j.terms) for j in jobs]
            progress.advance(len(jobs))
        store.store_enforced(model_id, [(s, k, m, r) for (s, k, m, _), r in zip(chunk, results)])
        if on_stored is not None:
            on_stored([s for s, _k, _m, _t in chunk])
    return len(missing)


def pending_in_article(store: Store, model_id: str, article_id: int, plan: GlossaryPlan | None = None) -> int:
    """How many of an article's translated sentences holding a term have no enforced English for the
    current glossary (no engine needed: what opening an article checks before loading one)."""
    plan = store_plan(store) if plan is None else plan
    if not plan:
        return 0
    sources = [text for _p, _s, text in store.article_sentences(article_id)]
    return len(_missing(store, model_id, sources, plan))


def enforce_article(store: Store, engine, article_id: int, progress: Progress | None = None,
                    plan: GlossaryPlan | None = None,
                    on_stored: Callable[[list[str]], None] | None = None) -> EnforceResult:
    """Enforce the glossary in an article's machine English (``engine.model_id``)."""
    sources = [text for _p, _s, text in store.article_sentences(article_id)]
    n = enforce_sources(store, engine, engine.model_id, sources, plan, progress, on_stored)
    return EnforceResult(n, OpChanges(translations={article_id}) if n else OpChanges())


def affected_sentences(store: Store, entries: Iterable[GlossaryEntry]) -> list[tuple[int, str]]:
    """(article id, source sentence) of every library sentence holding one of ``entries``' terms (the
    entries as they were and as they are, for an edit)."""
    entries = [e for e in entries if str(e.term).strip()]
    if not entries:
        return []
    matcher = GlossaryMatcher(entries)
    return [(aid, text) for aid, _p, _s, text in store.library_sentences() if matcher.find(text)]


def reenforce(store: Store, engine, changed: Iterable[GlossaryEntry], progress: Progress | None = None,
              on_stored: Callable[[list[str]], None] | None = None) -> EnforceResult:
    """After entries were added, edited or removed (``changed``: their old and new versions), enforce
    again exactly the sentences holding one of their terms."""
    changed = list(changed)
    hits = affected_sentences(store, changed)
    sources = [s for _, s in hits]
    quick = rerender_sources(store, engine.model_id, changed, sources)
    if quick and on_stored is not None:
        on_stored(quick)
    n = len(quick) + enforce_sources(store, engine, engine.model_id, sources, None, progress, on_stored)
    return EnforceResult(n, OpChanges(translations={aid for aid, _ in hits}) if hits else OpChanges())


def rerender_sources(store: Store, model_id: str, changed: Sequence[GlossaryEntry], sources: Sequence[str]) -> list[str]:
    """The fast path of an edit that changes only renderings (the same terms, enforced before and after):
    where a sentence's enforced English for the previous glossary is in the layer, the new renderings
    take the old ones' places in it (``reader.core.enforce.rerender``), no model call. Stores those
    rows and returns their sources; the others are left to the engine."""
    versions: dict = {}
    for e in changed:
        versions.setdefault(e.id, []).append(e)
    edits = {i: (v[0], v[-1]) for i, v in versions.items() if len(v) == 2 and v[0].term == v[-1].term
             and v[0].enforce and v[-1].enforce and v[0].translation.strip() and v[-1].translation.strip()
             and v[0].translation.strip() != v[-1].translation.strip()}
    if not edits or not sources:
        return []
    current = store.glossary()
    if any(e.id in edits and e.translation != edits[e.id][1].translation for e in current):
        return []  # the glossary moved on since: the engine decides
    new_plan = GlossaryPlan(current)
    old_plan = GlossaryPlan([edits[e.id][0] if e.id in edits else e for e in current])
    machine = store.cached_translations(model_id, sources)
    todo = []
    for source in dict.fromkeys(sources):
        english = machine.get(source)
        new_terms, new_key = new_plan.terms(source)
        old_terms, old_key = old_plan.terms(source)
        spots = lambda ts: [(t.entry_id, t.fr_start, t.fr_end) for t in ts]  # noqa: E731
        if english and new_terms and spots(new_terms) == spots(old_terms):
            todo.append((source, english, old_key, new_key, old_terms, new_terms))
    done = store.cached_enforced(model_id, [(s, nk, m) for s, m, _k, nk, _o, _n in todo])  # an undo: kept
    todo = [t for t in todo if (t[0], t[3]) not in done]
    have = store.cached_enforced(model_id, [(s, k, m) for s, m, k, _nk, _o, _n in todo])
    renderings = {i: new.translation.strip() for i, (_old, new) in edits.items()}
    rows = []
    for source, english, old_key, new_key, old_terms, new_terms in todo:
        e = have.get((source, old_key))
        got = rerender(with_french_spans(e, old_terms), renderings, new_terms) if e is not None and e.ok else None
        if got is not None:
            rows.append((source, new_key, english, got))
    store.store_enforced(model_id, rows)
    return [r[0] for r in rows]


def pending_enforcement(store: Store, model_id: str, changed: Iterable[GlossaryEntry] | None = None) -> int:
    """How many sentences (of those holding ``changed``' terms, or of the whole library) with a machine
    translation by ``model_id`` have no enforced English for the current glossary."""
    plan = store_plan(store)
    if not plan:
        return 0
    if changed is None:
        sources = [text for _a, _p, _s, text in store.library_sentences()]
    else:
        sources = [s for _, s in affected_sentences(store, changed)]
    return len(_missing(store, model_id, sources, plan))


@dataclass(frozen=True)
class ShownSentence:
    """The English a sentence shows: the hand edit, else the enforced English, else the machine output."""

    text: str | None
    enforced: Enforced | None  # when the text is the enforced English (its applied entries' French spans known)
    edited: bool
    machine: str | None = None  # the machine output (what the enforced English was made from)


def enforced_for(store: Store, model_id: str, plan: GlossaryPlan, pairs: Iterable[tuple[str, str]]
                 ) -> dict[tuple[str, str], Enforced]:
    """The enforced English of (source, machine English) pairs for the current glossary (``plan``), by
    pair; pairs holding no term, or whose enforced English is not in the layer yet, are left out."""
    keyed: dict[tuple[str, str], tuple[str, tuple[Term, ...]]] = {}
    for source, machine in pairs:
        if machine and (source, machine) not in keyed:
            terms, key = plan.terms(source)
            if terms:
                keyed[(source, machine)] = (key, terms)
    if not keyed:
        return {}
    have = store.cached_enforced(model_id, [(s, key, m) for (s, m), (key, _) in keyed.items()])
    out: dict[tuple[str, str], Enforced] = {}
    for (source, machine), (key, terms) in keyed.items():
        e = have.get((source, key))
        if e is not None:
            out[(source, machine)] = with_french_spans(e, terms)
    return out


def shown_sentence(t, enforced: Enforced | None) -> ShownSentence:
    """What a sentence shows from its stored translation ``t`` (``SentenceTranslation``: machine, hand
    edit) and its enforced English, if any."""
    if t.edited is not None:
        return ShownSentence(t.edited, None, True, t.machine)
    if enforced is not None:
        return ShownSentence(enforced.text, enforced, False, t.machine)
    return ShownSentence(t.machine, None, False, t.machine)


def shown_english(store: Store, article_id: int, model_id: str | None, *, enforce: bool = True,
                  plan: GlossaryPlan | None = None) -> list[list[ShownSentence]]:
    """Per paragraph, per sentence, the English shown and, where enforced, which entries were applied."""
    rows = store.article_translations(article_id, model_id) if model_id else []
    sentences = store.article_sentences(article_id)
    plan = (store_plan(store) if plan is None else plan) if enforce and model_id else None
    flat = [text for _p, _s, text in sentences]
    have: dict[tuple[str, str], Enforced] = {}
    if plan:
        pairs = [(flat[k], t.machine) for k, t in enumerate(t for row in rows for t in row) if t.edited is None]
        have = enforced_for(store, model_id, plan, pairs)
    out: list[list[ShownSentence]] = [[] for _ in rows]
    k = 0
    for p, row in enumerate(rows):
        for t in row:
            out[p].append(shown_sentence(t, have.get((flat[k], t.machine))))
            k += 1
    return out


def count_applied(shown: list[list[ShownSentence]]) -> dict:
    """Entry id → in how many of these sentences it was enforced."""
    counts: dict = {}
    for row in shown:
        for s in row:
            if s.enforced is not None:
                for entry_id in {a.entry_id for a in s.enforced.applied}:
                    counts[entry_id] = counts.get(entry_id, 0) + 1
    return counts


def enforced_counts(store: Store, article_id: int, model_id: str | None) -> dict:
    """Entry id → in how many of the article's sentences it was enforced (the exports' appendix)."""
    return count_applied(shown_english(store, article_id, model_id))
