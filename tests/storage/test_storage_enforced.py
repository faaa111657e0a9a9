"""The glossary-enforced English: a layer beside the machine output, keyed by the set of entries applied."""

from __future__ import annotations

from reader.core.enforce import Applied, Enforced
from reader.core.glossary import GlossaryEntry
from reader.storage.store import Store


def test_enforced_rows_are_apart_from_the_machine_output(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        s.store_translations("m", {"Les délégations.": "The delegates."})
        e = Enforced("The delegations.", (Applied(3, 4, 15, "decoded"),))
        s.store_enforced("m", [("Les délégations.", "k1", "The delegates.", e)])
        assert s.cached_translations("m", ["Les délégations."]) == {"Les délégations.": "The delegates."}
        assert s.cached_enforced("m", [("Les délégations.", "k1", "The delegates.")]) == {("Les délégations.", "k1"): e}
        # another set of entries, another model or another machine English: not found
        assert s.cached_enforced("m", [("Les délégations.", "k2", "The delegates.")]) == {}
        assert s.cached_enforced("m2", [("Les délégations.", "k1", "The delegates.")]) == {}
        assert s.cached_enforced("m", [("Les délégations.", "k1", "Delegates.")]) == {}
        assert s.forget_enforced("m") == 1


def test_entries_are_enforced_by_default_and_the_flag_is_kept(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        gid = s.add_glossary_entry(GlossaryEntry("délégation", "delegation"))
        assert s.get_glossary_entry(gid).enforce is True
        entry = s.get_glossary_entry(gid)
        entry.enforce = False
        s.update_glossary_entry(entry)
        assert s.get_glossary_entry(gid).enforce is False
        assert s.glossary()[0].enforce is False


def test_the_french_span_of_each_application_is_kept(tmp_path):
    with Store(tmp_path / "lib.db") as s:
        e = Enforced("The delegations.", (Applied(3, 4, 15, "decoded", 4, 15),))
        s.store_enforced("m", [("Les délégations.", "k1", "The delegates.", e)])
        [got] = s.cached_enforced("m", [("Les délégations.", "k1", "The delegates.")]).values()
        assert [(a.fr_start, a.fr_end) for a in got.applied] == [(4, 15)]
