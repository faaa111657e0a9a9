"""Icons: the application icon and the toolbar's, in light and dark variants.

Where the platform has an icon theme holding the icon (``QIcon.fromTheme``, freedesktop names), the
toolbar follows it; otherwise it uses our own line icons from ``resources/icons/<light|dark>/`` (drawn by
``scripts/make_icons.py``), the variant matching the window's theme. Icons of our own invention
(``translate``, ``view-interlinear``) never come from the platform theme.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon

OWN_ONLY = frozenset({"translate", "view-interlinear", "view-side-by-side"})


@cache
def icons_dir() -> Path | None:
    """``reader/_resources/icons`` in a wheel (or a packaged build), ``resources/icons`` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_resources" / "icons", here.parent / "resources" / "icons"):
        if candidate.is_dir():
            return candidate
    return None


def app_icon() -> QIcon:
    """The Vis-à-vis icon (SVG, plus the PNG sizes where they are shipped); empty if missing."""
    folder = icons_dir()
    icon = QIcon()
    if folder is None:
        return icon
    svg = folder / "visavis.svg"
    if svg.exists():
        icon.addFile(str(svg))
    for png in sorted((folder / "png").glob("visavis-*.png")):
        icon.addFile(str(png))
    return icon


def own_icon(name: str, dark: bool) -> QIcon:
    """Our icon *name* in the variant for a dark (or light) theme; empty if we have none."""
    folder = icons_dir()
    if folder is None:
        return QIcon()
    path = folder / ("dark" if dark else "light") / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def has_own_icon(name: str) -> bool:
    folder = icons_dir()
    return folder is not None and (folder / "light" / f"{name}.svg").exists()


def platform_is_dark() -> bool:
    """Whether the desktop's colour scheme is dark (its icon theme is drawn for it)."""
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def themed_icon(name: str, dark: bool) -> QIcon:
    """The platform theme's icon *name* where it has one drawn for the window's brightness (the desktop's
    scheme matches the window's theme), else ours for the theme's brightness — never dark icons on the
    dark theme."""
    if name not in OWN_ONLY and dark == platform_is_dark() and QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    return own_icon(name, dark)
