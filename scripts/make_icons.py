"""Write the toolbar icons (light and dark variants) and the application icon into resources/icons/.

The icons are simple 24×24 line drawings kept here as SVG bodies; run this after changing one:
``python scripts/make_icons.py`` (``--png`` also renders the app icon as PNGs, which needs PySide6).
The window prefers the platform's icon theme where it has the icon (``QIcon.fromTheme``) and falls back
on these files (``reader.gui.icons``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "resources" / "icons"

COLOURS = {"light": ("#3c4043", "#c5221f"), "dark": ("#e3e3e3", "#f28b82")}

# name -> SVG body; {c} is the line colour, {r} the colour of a "stop" accent
BODIES = {
    "document-open": '<path d="M3 7V5a1 1 0 0 1 1-1h5l2 2h8a1 1 0 0 1 1 1v2"/><path d="M3 9h18l-2 10H5z"/>',
    "edit-paste": '<rect x="5" y="4" width="14" height="17" rx="1.5"/><path d="M9 4V3h6v1M9 4h6v2H9z"/>'
                  '<path d="M8.5 11h7M8.5 14.5h7M8.5 18h4"/>',
    "edit-undo": '<path d="M9 14 4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>',
    "edit-redo": '<path d="m15 14 5-5-5-5"/><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13"/>',
    "zoom-out": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="m15.5 15.5 5 5M7.5 10.5h6"/>',
    "zoom-in": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="m15.5 15.5 5 5M7.5 10.5h6M10.5 7.5v6"/>',
    "view-interlinear": '<path d="M3 5h18M3 14h18"/><path d="M5 9h14M5 18h14" stroke-dasharray="2.5 2"/>',
    "view-side-by-side": '<path d="M3 5h7M3 9h7M3 13h7M3 17h7M14 5h7M14 9h7M14 13h7M14 17h7"/>',
    "translate": '<path d="M3 5h9M7.5 3v2M5 5c.5 3 2.5 5.5 6 7M10 5c-.6 3.5-3 6.5-6.5 8"/>'
                 '<path d="m12 21 4.5-10 4.5 10M13.6 17.5h5.8"/>',
    "process-stop": '<circle cx="12" cy="12" r="8.5" stroke="{r}"/>'
                    '<rect x="9" y="9" width="6" height="6" rx="1" stroke="{r}" fill="{r}"/>',
}

TEMPLATE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
    'stroke="{c}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{body}</svg>\n'
)

APP_ICON = """<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3d6fb6"/>
      <stop offset="1" stop-color="#24467d"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="48" fill="url(#bg)"/>
  <!-- two facing pages: French on the left, English on the right -->
  <path d="M40 64c26-10 56-10 82 2v134c-26-12-56-12-82-2z" fill="#ffffff"/>
  <path d="M216 64c-26-10-56-10-82 2v134c26-12 56-12 82-2z" fill="#e8f0fb"/>
  <g stroke="#24467d" stroke-width="7" stroke-linecap="round">
    <path d="M56 92h50M56 112h50M56 132h50M56 152h34"/>
  </g>
  <g stroke="#c8553d" stroke-width="7" stroke-linecap="round">
    <path d="M150 92h50M150 112h50M150 132h50M150 152h34"/>
  </g>
  <rect x="52" y="104" width="58" height="16" rx="4" fill="#ffd400" opacity=".55"/>
  <rect x="146" y="104" width="58" height="16" rx="4" fill="#ffd400" opacity=".55"/>
</svg>
"""

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def write() -> None:
    for variant, (line, stop) in COLOURS.items():
        folder = ROOT / variant
        folder.mkdir(parents=True, exist_ok=True)
        for name, body in BODIES.items():
            (folder / f"{name}.svg").write_text(TEMPLATE.format(c=line, body=body.format(r=stop)), encoding="utf-8")
    (ROOT / "visavis.svg").write_text(APP_ICON, encoding="utf-8")


def write_pngs() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(ROOT / "visavis.svg"))
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        (ROOT / "png").mkdir(exist_ok=True)
        image.save(str(ROOT / "png" / f"visavis-{size}.png"))


if __name__ == "__main__":
    write()
    if "--png" in sys.argv[1:]:
        write_pngs()
