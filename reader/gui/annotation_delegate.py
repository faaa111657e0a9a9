"""The Annotations list's items: one row per annotation (colour swatch, quote, note's first line, tags,
status badge), painted as plain text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from reader.core.annotations import PALETTE, Annotation
from reader.gui.delegates import begin_item_paint

AnnotationRole = Qt.ItemDataRole.UserRole + 1
SIDE_NAMES = {"fr": "French", "en": "English"}


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


class AnnotationDelegate(QStyledItemDelegate):
    """Colour swatch, quote (elided), note's first line, tags and a status badge — all plain text."""

    PAD = 6
    SWATCH = 6

    def __init__(self, parent=None, titles: Callable[[object], str] | None = None) -> None:
        super().__init__(parent)
        self.titles = titles

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        fm = QFontMetrics(option.font)
        return QSize(200, fm.lineSpacing() * 3 + self.PAD * 2 + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        a: Annotation | None = index.data(AnnotationRole)
        if a is None:
            return super().paint(painter, option, index)
        _selected, fg = begin_item_paint(self, painter, option, index)
        dim = QColor(fg)
        dim.setAlpha(160)
        r = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        painter.fillRect(QRect(r.left(), r.top(), self.SWATCH, r.height()), QColor(PALETTE[a.color]))
        x = r.left() + self.SWATCH + self.PAD
        width = r.right() - x
        fm = QFontMetrics(option.font)
        line = fm.lineSpacing()
        # badge
        badge = {"orphaned": "orphaned", "moved": "moved"}.get(a.status, "")
        badge_w = 0
        if badge:
            bf = QFont(option.font)
            bf.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
            bfm = QFontMetrics(bf)
            badge_w = bfm.horizontalAdvance(badge) + 10
            box = QRect(r.right() - badge_w, r.top() + 1, badge_w, line - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#c0392b") if a.status == "orphaned" else QColor("#b7791f"))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(QColor("white"))
            painter.setFont(bf)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)
        # quote
        qf = QFont(option.font)
        qf.setItalic(True)
        painter.setFont(qf)
        painter.setPen(fg)
        quote = "« " + " ".join(a.exact.split()) + " »"
        qw = width - (badge_w + 4 if badge else 0)
        painter.drawText(QRect(x, r.top(), qw, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(qf).elidedText(quote, Qt.TextElideMode.ElideRight, qw))
        # note
        painter.setFont(option.font)
        note = first_line(a.note)
        painter.setPen(fg if note else dim)
        painter.drawText(QRect(x, r.top() + line, width, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(note or "(no note)", Qt.TextElideMode.ElideRight, width))
        # tags and side (and article in the library-wide list)
        meta = [SIDE_NAMES.get(a.side, a.side)]
        if self.titles is not None:
            title = self.titles(a.article_id)
            if title:
                meta.insert(0, title)
        if a.tags:
            meta.append(" ".join(f"#{t}" for t in a.tags))
        painter.setPen(dim)
        painter.drawText(QRect(x, r.top() + 2 * line, width, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(" · ".join(meta), Qt.TextElideMode.ElideRight, width))
        painter.restore()


# =================================================================================================
