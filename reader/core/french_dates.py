"""French dates as written in articles (« 25 septembre 2025 », « 25/09/2025 ») → ISO dates.

Pure Python; its own month table, no locale involved.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["display_date", "french_long_date", "parse_french_date"]

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1,
    "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                "octobre", "novembre", "décembre")
_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_DATE_WORDS = re.compile(
    rf"(?:(?:{_WEEKDAYS})\s+)?(?P<d>\d{{1,2}})(?:er|e)?\s+(?P<m>[^\W\d_]+)\.?\s+(?P<y>\d{{4}})"
    r"(?:\s*(?:à|,|-)?\s*\d{1,2}\s*(?:h|:)\s*\d{0,2})?",
    re.IGNORECASE,
)
_DATE_NUM = re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})")
_DATE_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")


def parse_french_date(text: str) -> str | None:
    """The ISO date (« 2025-09-25 ») of a French date as written, or ``None``.

    Accepts « 25 septembre 2025 », « 1er mars 2023 », « lundi 21 avril 2025 à 7h35 », « 25 sept. 2025 »,
    « 25/09/2025 », « 2025-09-25 ». Uses its own month table: no locale is involved.
    """
    s = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).rstrip(".")
    for rx in (_DATE_WORDS, _DATE_NUM, _DATE_ISO):
        m = rx.fullmatch(s)
        if not m:
            continue
        month: int | None
        if rx is _DATE_WORDS:
            month = _MONTHS.get(m["m"].casefold())
        else:
            month = int(m["m"])
        try:
            return _dt.date(int(m["y"]), month or 0, int(m["d"])).isoformat()
        except ValueError:
            return None
    return None


def french_long_date(iso: str) -> str | None:
    """« 2024-08-12 » → « 12 août 2024 » (« 1er » for the first day), or ``None`` if not an ISO date."""
    m = _DATE_ISO.fullmatch((iso or "").strip()[:10])
    if not m:
        return None
    try:
        date = _dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {_MONTH_NAMES[date.month - 1]} {date.year}"


def display_date(published: str | None, published_iso: str | None = None) -> str:
    """The date of an article as every place shows it: as written in the article, unless that is a
    machine date (« 2024-08-12 », what a web page's metadata gives), then in French long form
    (« 12 août 2024 »); "" when there is none."""
    written = (published or "").strip()
    if written and not _DATE_ISO.match(written):
        return written
    return french_long_date(written or published_iso or "") or written or (published_iso or "")
