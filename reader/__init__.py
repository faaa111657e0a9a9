"""Vis-à-vis: a bilingual French/English reader with offline Argos translation."""

__version__ = "0.1.0"
