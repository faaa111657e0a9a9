"""#14.8: the glossary imports Anki decks (.apkg): our own export round-trips, a deck made elsewhere
(another note type, HTML fields) gives front → term and back → translation, and a bad file is one clear
message, not a doubled one."""

from __future__ import annotations

import zipfile

import genanki
import pytest
from test_glossary_formats import entries, fields

from reader.core.errors import ReaderError
from reader.core.glossary import GlossaryEntry, merge_entries
from reader.export.glossary_formats import anki_text, write_anki
from reader.ops.glossary_io import import_glossary_file


def test_our_export_round_trips(tmp_path):
    es = entries() + [GlossaryEntry("droit de veto", "veto power", tags=["droit international", "ONU"])]
    path = write_anki(es, tmp_path / "glossary.apkg", contexts={es[0].id: "La délégation russe est arrivée."})
    back = import_glossary_file(path)
    assert [fields(e) for e in back] == [fields(e) for e in es]
    assert merge_entries(es, back) == ([], [])  # re-importing changes nothing


def _foreign_deck(tmp_path, model, notes, name="foreign.apkg"):
    deck = genanki.Deck(2059400110, "Vocabulaire")
    for values, tags in notes:
        deck.add_note(genanki.Note(model=model, fields=values, tags=tags))
    path = tmp_path / name
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_a_deck_made_elsewhere_front_and_back(tmp_path):
    basic = genanki.Model(
        1607392319, "Basic (and reversed card)",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    )
    path = _foreign_deck(tmp_path, basic, [
        (["<div><b>la  paix</b></div>", "peace<br>(noun)", "Guerre et <i>Paix</i> &amp; co"], ["vocab", "B1"]),
        (["[sound:paix.mp3]le&nbsp;sommet", "<span style='color:red'>summit</span>", ""], []),
        (["", "no front", ""], []),  # a note without a front is skipped
    ])
    got = import_glossary_file(path)
    assert [(e.term, e.translation, e.note, e.tags) for e in got] == [
        ("la paix", "peace\n(noun)", "Guerre et Paix & co", ["vocab", "B1"]),
        ("le sommet", "summit", "", []),
    ]


def test_unknown_field_names_use_the_first_two_fields(tmp_path):
    model = genanki.Model(
        1985090401, "Mes fiches",
        fields=[{"name": "A"}, {"name": "B"}, {"name": "C"}],
        templates=[{"name": "c", "qfmt": "{{A}}", "afmt": "{{B}}"}],
    )
    path = _foreign_deck(tmp_path, model, [(["délégation", "delegation", "autre"], [])])
    assert [(e.term, e.translation) for e in import_glossary_file(path)] == [("délégation", "delegation")]


def test_html_of_fields_is_reduced_to_text():
    assert anki_text("a<br/>b<div>c</div>d &lt;e&gt; {{c1::f::hint}}") == "a\nb\nc\nd <e> f"


@pytest.mark.parametrize("content,needle", [
    (b"x", "not a zip archive"),
    ("zip", "no Anki collection"),
    ("anki21b", "Support older Anki versions"),
    ("badsqlite", "cannot be read"),
])
def test_bad_decks_are_one_clear_message(tmp_path, content, needle):
    from reader.core.progress import Progress
    from reader.gui.glossary_jobs import import_job

    path = tmp_path / "glossary.apkg"
    if content == b"x":
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as z:
            if content == "zip":
                z.writestr("readme.txt", "hello")
            elif content == "badsqlite":
                z.writestr("collection.anki2", b"not sqlite at all" * 10)
            else:
                z.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd zstd")
                stub = _foreign_deck(tmp_path, genanki.BASIC_MODEL,
                                     [(["Please update to the latest Anki version, then import the .colpkg/.apkg "
                                        "file again.", ""], [])], name="stub.apkg")
                with zipfile.ZipFile(stub) as s:
                    z.writestr("collection.anki2", s.read("collection.anki2"))
    with pytest.raises(ValueError, match=needle):
        import_glossary_file(path)
    with pytest.raises(ReaderError) as info:  # what the window shows
        import_job(path, [])(Progress(), lambda *a: None)
    message = str(info.value)
    assert message.startswith("Cannot import glossary.apkg: ") and message.count("Cannot import") == 1
    assert needle in message
