"""Import a plain-text or Markdown file (``.txt``, ``.md``, ``.markdown``, no suffix) as an :class:`Article`.

Reading is careful, and every failure is one clear :class:`ImportFileError` sentence naming the file:
missing, a folder, unreadable, over 50 MB (checked on the size, before reading a byte), binary, empty or
whitespace-only, or text in an encoding we cannot decode.

Decoding: a byte-order mark wins (UTF-8, UTF-16; the BOM is stripped); then strict UTF-8 (the fast, usual
path); then ``charset-normalizer`` restricted to the single-byte encodings French text is written in
(Windows-1252, Latin-1, Latin-9), preferring Windows-1252 over Latin-1 whenever both decode: they agree on
every printable Latin-1 character and Windows-1252 gives « œ », « € », curly quotes and « … » where Latin-1
gives invisible C1 control codes.

The text itself is parsed by :func:`reader.core.markup.parse_article` (metadata, paragraphs, inline
markup, kinds, sentences); a file holding an HTML page is imported literally, tags visible, never
interpreted.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from reader.core.errors import ImportFileError
from reader.core.markup import DEFAULT_TITLE, parse_article
from reader.core.model import Article

SUFFIXES = (".txt", ".md", ".markdown", ".text", "")
MAX_BYTES = 50 * 1024 * 1024  # refuse bigger files before reading them

# single-byte encodings French text comes in, in order of preference
_FRENCH_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``; :class:`ImportFileError` if missing, a folder, unreadable, too big or empty."""
    path = Path(path)
    name = path.name or str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ImportFileError(f"The file {name} does not exist.") from None
    except PermissionError:
        raise ImportFileError(f"The file {name} cannot be read: permission denied.") from None
    except OSError as exc:
        raise ImportFileError(f"The file {name} cannot be read ({exc.strerror or exc}).") from None
    if path.is_dir():
        raise ImportFileError(f"{name} is a folder, not a file; choose the text files inside it.")
    if not path.is_file():
        raise ImportFileError(f"{name} is not a regular file.")
    if st.st_size > max_bytes:
        raise ImportFileError(
            f"The file {name} is too big to import ({st.st_size / 1024 / 1024:.1f} MB, over the "
            f"{max_bytes // 1024 // 1024} MB limit)."
        )
    if st.st_size == 0:
        raise ImportFileError(f"The file {name} is empty.")
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except PermissionError:
        raise ImportFileError(f"The file {name} cannot be read: permission denied.") from None
    except OSError as exc:
        raise ImportFileError(f"The file {name} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > max_bytes:  # grew while we looked
        raise ImportFileError(f"The file {name} is too big to import (the limit is {max_bytes // 1024 // 1024} MB).")
    return data


# Latin-9 (ISO 8859-15) text read as Latin-1: « œ »/« Œ »/« € » come out as « ½ »/« ¼ »/« ¤ » inside
# words or after a number, where those Latin-1 signs never occur in French prose.
_LATIN9_HINT = re.compile(r"[^\W\d_][½¼][^\W\d_]|(?:^|[\s(])[½¼][^\W\d_]{2,}|\d[ \u00a0]?¤")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0)
    return bad / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs in every other byte of mostly-ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    return None


def decode_text(data: bytes, name: str) -> str:
    """Decode the bytes of a text file (BOM stripped); :class:`ImportFileError` if binary or undecodable."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"The file {name} starts as {encoding.upper()} text but holds invalid bytes."
                ) from None
            return _check_text(text, name)

    if b"\x00" in data:
        utf16 = _looks_utf16(data)
        if utf16:
            try:
                return _check_text(data.decode(utf16), name)
            except UnicodeDecodeError:
                pass
        raise ImportFileError(f"The file {name} is a binary file, not text.")

    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass

    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for the rare non-UTF-8 file

    best = from_bytes(data, cp_isolation=_FRENCH_ENCODINGS).best()
    if best is None:
        # charset-normalizer found every candidate too chaotic: is it text at all?
        raise ImportFileError(f"The file {name} is not readable text (binary data or an unknown encoding).")
    encoding = codecs.lookup(best.encoding).name
    if encoding in ("latin-1", "iso8859-1", "iso8859-15", "cp1252"):
        has_c1 = any(0x80 <= b < 0xA0 for b in data)
        if not has_c1 and _LATIN9_HINT.search(data.decode("latin-1")):
            # « ½uvre », « 5 ¤ »: Latin-9's « œ » and « € » read as Latin-1, so the file is Latin-9.
            encoding = "iso8859-15"
        else:
            # Windows-1252 agrees with Latin-1 on all printable characters and is what French files
            # with « œ », « € », ’ or … use; Latin-1 would turn those bytes into C1 control codes.
            encoding = "cp1252"
    for candidate in (encoding, "latin-1"):  # a byte cp1252 leaves undefined is Latin-1's
        try:
            return _check_text(data.decode(candidate), name)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportFileError(f"The file {name} could not be decoded as text.")  # pragma: no cover


def _check_text(text: str, name: str) -> str:
    if _control_ratio(text[:100_000]) > 0.05:
        raise ImportFileError(f"The file {name} is a binary file, not text.")
    if not text.strip():
        raise ImportFileError(f"The file {name} holds only blank space, no text.")
    return text


def import_text(path: Path) -> Article:
    """Import a ``.txt``/``.md`` file (or one without a suffix) as an :class:`Article`."""
    path = Path(path)
    name = path.name
    text = decode_text(read_bytes(path), name)
    article = parse_article(text, origin=name)
    if not article.title.strip() or article.title == DEFAULT_TITLE:
        article.title = path.stem or name
    if not article.paragraphs and not article.title.strip():
        raise ImportFileError(f"No readable text found in {name}.")
    return article
