"""#14.12: every place shows an article's date the same way, in French long form."""

from __future__ import annotations

from reader.core.french_dates import display_date, french_long_date


def test_french_long_date():
    assert french_long_date("2024-08-12") == "12 août 2024"
    assert french_long_date("2025-03-01") == "1er mars 2025"
    assert french_long_date("2025-02-30") is None and french_long_date("hier") is None


def test_display_date_prefers_what_was_written_unless_it_is_a_machine_date():
    assert display_date("12 mars 2025", "2025-03-12") == "12 mars 2025"
    assert display_date("2024-08-12", "2024-08-12") == "12 août 2024"  # an HTML import before #14.12
    assert display_date(None, "2024-12-25") == "25 décembre 2024"
    assert display_date("printemps 2024", None) == "printemps 2024"
    assert display_date(None, None) == ""

