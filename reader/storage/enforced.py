"""The glossary-enforced English in the store: a mixin of :class:`reader.storage.store.Store` (schema:
migration 6).

A layer apart from the machine output (``translations`` is never touched): one row per (model id,
exact source sentence, key of the exact set of (term, rendering) pairs applied —
``reader.core.enforce.entries_key``). Changing, adding or removing an entry changes the key of exactly
the sentences holding its term; their old rows simply stop being read. Rows of another method version
(``ENFORCE_VERSION``) or made from another machine English count as missing. A hand edit wins over both
(the reading side decides: ``reader.ops.enforce``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

from reader.core.enforce import ENFORCE_VERSION, Applied, Enforced
from reader.storage.connection import StoreConnection, now
from reader.storage.errors import guarded

__all__ = ["EnforcedStoreMixin"]

_CHUNK = 300


def _applied_json(e: Enforced) -> str:
    return json.dumps(e.as_json(), ensure_ascii=False)


@lru_cache(maxsize=32768)  # the window reads a book's rows again after each change: parse each once
def _applied(data: str) -> tuple[Applied, ...]:
    return tuple(Applied(d["entry_id"], int(d["start"]), int(d["end"]), d.get("how", ""),
                         int(d.get("fr_start", -1)), int(d.get("fr_end", -1))) for d in json.loads(data))


class EnforcedStoreMixin(StoreConnection):
    """Enforced-English methods of ``Store``."""

    @guarded
    def store_enforced(self, model_id: str, items: Iterable[tuple[str, str, str, Enforced]]) -> None:
        """Keep (source, entries key, machine English, enforced) rows computed for ``model_id``."""
        created = now()
        rows = [(model_id, source, key, ENFORCE_VERSION, machine, e.text, _applied_json(e), int(e.ok), created)
                for source, key, machine, e in items]
        if not rows:
            return
        with self._transaction():
            self._conn.executemany(
                """
                INSERT INTO enforced (model_id, source, entries, method, machine, text, applied, ok, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model_id, source, entries) DO UPDATE SET
                    method = excluded.method, machine = excluded.machine, text = excluded.text,
                    applied = excluded.applied, ok = excluded.ok, created = excluded.created
                """,
                rows,
            )

    @guarded
    def cached_enforced(
        self, model_id: str, wanted: Iterable[tuple[str, str, str]]
    ) -> dict[tuple[str, str], Enforced]:
        """The current rows for these (source, entries key, machine English) triples, by (source, key)."""
        want = {(s, k): m for s, k, m in wanted}
        found: dict[tuple[str, str], Enforced] = {}
        sources = list(dict.fromkeys(s for s, _ in want))
        with self._snapshot():
            for i in range(0, len(sources), _CHUNK):
                chunk = sources[i:i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for source, key, machine, text, applied, ok in self._conn.execute(
                    f"""SELECT source, entries, machine, text, applied, ok FROM enforced
                         WHERE model_id = ? AND method = ? AND source IN ({marks})""",
                    [model_id, ENFORCE_VERSION, *chunk],
                ):
                    if want.get((source, key)) == machine:
                        found[(source, key)] = Enforced(text, _applied(applied), bool(ok))
        return found

    @guarded
    def forget_enforced(self, model_id: str | None = None) -> int:
        """Drop the enforced rows (of one model, or all); returns how many."""
        with self._transaction():
            if model_id is None:
                cur = self._conn.execute("DELETE FROM enforced")
            else:
                cur = self._conn.execute("DELETE FROM enforced WHERE model_id = ?", (model_id,))
        return cur.rowcount
