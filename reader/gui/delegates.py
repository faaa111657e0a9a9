"""What every custom item delegate of the window starts its ``paint`` with."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


def begin_item_paint(
    delegate: QStyledItemDelegate, painter: QPainter, option: QStyleOptionViewItem, index
) -> tuple[bool, QColor]:
    """Save the painter (the caller restores it), draw the item's standard background — selection, hover,
    focus — without its text (the delegate paints that), and return ``(selected, text colour)`` for the
    item's state."""
    painter.save()
    style = option.widget.style() if option.widget else None
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    opt.text = ""
    if style is not None:
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
    return selected, colour
