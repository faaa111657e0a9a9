"""reader.importers.text: encodings, clear errors, and the sample articles through import_file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.errors import ImportFileError
from reader.core.markup import parse_article
from reader.core.model import Article, ParagraphKind
from reader.importers import IMPORTERS, import_file, import_paths, supported_suffixes
from reader.importers import text as text_mod

ARTICLES = Path(__file__).resolve().parents[2] / "articles"
PHRASE = "Élève, œuvre, « guillemets », l’apostrophe, 80e — ça coûte 5 €"
# Latin-1 cannot hold œ, ’, — or €: the same kind of text with what it can hold.
PHRASE_LATIN1 = "Élève, « guillemets », l'apostrophe, 80e, ça coûte 5 francs à l'hôtel ; déjà vu à Noël."


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_one(path: Path) -> Article:
    result = import_file(path)
    assert isinstance(result, Article)
    return result


# --------------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "phrase"),
    [
        ("utf-8", PHRASE),
        ("utf-8-sig", PHRASE),  # UTF-8 with BOM
        ("cp1252", PHRASE),  # Windows-1252: curly apostrophe, œ, —, € are single bytes 0x80–0x9F
        ("latin-1", PHRASE_LATIN1),
        ("utf-16", PHRASE),  # with its BOM
        ("iso8859-15", "Élève, œuvre, 5 € l'été"),  # Latin-9: œ and € where Latin-1 has ½ and ¤
    ],
)
def test_encodings_round_trip(tmp_path, encoding, phrase):
    apos = "'" if encoding in ("latin-1", "iso8859-15") else "’"
    text = f"Titre de l{apos}essai\n{phrase}\nDeuxième paragraphe, à l{apos}été.\n"
    data = text.encode(encoding)
    if encoding in ("cp1252", "latin-1", "iso8859-15"):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really not UTF-8: the charset-normalizer path is exercised
    a = import_one(write(tmp_path, f"essai-{encoding}.txt", data))
    assert a.title == f"Titre de l{apos}essai"
    assert [p.text for p in a.paragraphs] == [phrase, f"Deuxième paragraphe, à l{apos}été."]
    assert a.origin == f"essai-{encoding}.txt"


def test_bom_is_stripped(tmp_path):
    a = import_one(write(tmp_path, "bom.md", b"\xef\xbb\xbfTitre\r\nTexte.\r\n"))
    assert a.title == "Titre"
    assert [p.text for p in a.paragraphs] == ["Texte."]


def test_long_cp1252_article(tmp_path):
    text = (ARTICLES / "rencontre-lavrov-blinken-g20.md").read_text(encoding="utf-8")
    path = write(tmp_path, "g20.txt", text.encode("cp1252"))
    a = import_one(path)
    b = parse_article(text, "g20.txt")
    assert [p.text for p in a.paragraphs] == [p.text for p in b.paragraphs]
    assert a.title == b.title and a.source == "AFP"


def test_decode_text_prefers_cp1252_over_latin1():
    data = "l’été – « œuvre » …".encode("cp1252")
    assert text_mod.decode_text(data, "x.txt") == "l’été – « œuvre » …"


def test_crlf_and_no_suffix(tmp_path):
    a = import_one(write(tmp_path, "LISEZMOI", "Titre\r\n\r\nUn texte.\r\n".encode()))
    assert (a.title, [p.text for p in a.paragraphs], a.origin) == ("Titre", ["Un texte."], "LISEZMOI")


# --------------------------------------------------------------------------------------------------
# Errors: one sentence naming the file
# --------------------------------------------------------------------------------------------------


def assert_refused(path: Path, *words: str) -> str:
    with pytest.raises(ImportFileError) as info:
        import_file(path)
    msg = str(info.value)
    assert path.name in msg, msg
    assert msg.count(". ") == 0 and msg.endswith("."), f"not one sentence: {msg}"
    for w in words:
        assert w in msg, msg
    return msg


def test_missing_file(tmp_path):
    assert_refused(tmp_path / "absent.txt", "does not exist")


def test_directory(tmp_path):
    (tmp_path / "dossier.md").mkdir()
    (tmp_path / "dossier").mkdir()
    assert_refused(tmp_path / "dossier.md", "folder")
    assert_refused(tmp_path / "dossier", "folder")


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", b"Titre\nTexte.\n")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    assert_refused(path, "permission")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_for_real(tmp_path):
    path = write(tmp_path, "secret.txt", b"Titre\nTexte.\n")
    path.chmod(0)
    try:
        assert_refused(path, "permission")
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize(
    "data",
    [
        b"Titre\x00\x01\x02 binaire" * 50,  # NUL bytes
        bytes(range(256)) * 40,
        b"\x01\x02\x03\x04abc\x05\x06\x07\x08" * 100,  # control characters, no NUL
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500),
    ],
)
def test_binary_file(tmp_path, data):
    assert_refused(write(tmp_path, "image.txt", data), "binary")


def test_random_bytes(tmp_path):
    data = bytes((i * 7919 + 13) % 256 or 1 for i in range(5000))
    with pytest.raises(ImportFileError, match="bruit.txt"):
        import_file(write(tmp_path, "bruit.txt", data))


def test_empty_file(tmp_path):
    assert_refused(write(tmp_path, "vide.txt", b""), "empty")


@pytest.mark.parametrize("data", [b"   \n\n\t \r\n", "\u00a0\n \u202f\n".encode(), b"\xef\xbb\xbf\n  \n"])
def test_whitespace_only_file(tmp_path, data):
    assert_refused(write(tmp_path, "blanc.md", data), "blank")


def test_too_big_is_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "enorme.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)  # sparse: no 50 MB written to disk
    opened = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    assert_refused(path, "too big", "50 MB")
    assert opened == []


def test_exactly_the_limit_is_not_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(text_mod, "MAX_BYTES", 64)
    data = b"Titre\n" + b"a" * 57 + b"\n"
    assert len(data) == 64
    text_mod.read_bytes(write(tmp_path, "limite.txt", data), max_bytes=64)
    with pytest.raises(ImportFileError, match="limite2.txt"):
        text_mod.read_bytes(write(tmp_path, "limite2.txt", data + b"x"), max_bytes=64)


def test_undecodable_text(tmp_path):
    # a UTF-8 BOM announces UTF-8, then invalid UTF-8 follows
    assert_refused(write(tmp_path, "casse.txt", b"\xef\xbb\xbfTitre\n\xff\xfe\xfa mauvais\n"), "invalid")


@pytest.mark.parametrize("name", ["rapport.odt", "document.docx", "image.png"])  # .pdf: test_pdf_import
def test_unsupported_extension(tmp_path, name):
    msg = assert_refused(write(tmp_path, name, b"Titre\nTexte."), "unsupported", ".txt", ".md")
    assert Path(name).suffix in msg


def test_dispatch_table():
    for suffix in (".txt", ".md", ".markdown", ""):
        assert IMPORTERS[suffix] == "reader.importers.text:import_text"
    assert {".txt", ".md"} <= set(supported_suffixes())
    assert "" not in supported_suffixes()


# --------------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------------


def test_html_page_in_a_txt_is_imported_literally(tmp_path):
    page = "<!DOCTYPE html>\n<html><head><title>T</title></head>\n<body><p>Bonjour</p><script>x()</script></body></html>\n"
    a = import_one(write(tmp_path, "page.txt", page.encode()))
    assert a.title == "page"  # no usable first line: the file stem
    assert [p.text for p in a.paragraphs] == page.strip().split("\n")


def test_title_falls_back_to_the_stem(tmp_path):
    a = import_one(write(tmp_path, "une-note.txt", "Juste une ligne de texte.\n".encode()))
    assert a.title == "une-note"
    assert [p.text for p in a.paragraphs] == ["Juste une ligne de texte."]


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.md")), ids=lambda p: p.stem)
def test_sample_articles_import(path):
    a = import_one(path)
    b = parse_article(path.read_text(encoding="utf-8"), path.name)
    assert a.origin == path.name
    assert a.title == b.title and a.title
    assert [(p.kind, p.speaker, p.text, p.spans) for p in a.paragraphs] == [
        (p.kind, p.speaker, p.text, p.spans) for p in b.paragraphs
    ]
    assert all(p.sentences for p in a.paragraphs)


def test_import_paths(tmp_path):
    paths = sorted(ARTICLES.glob("*.md"))
    articles = import_paths(paths)
    assert [a.origin for a in articles] == [p.name for p in paths]
    kinds = {p.kind for a in articles for p in a.paragraphs}
    assert kinds == set(ParagraphKind)
    with pytest.raises(ImportFileError, match="absent.md"):
        import_paths([paths[0], tmp_path / "absent.md"])
