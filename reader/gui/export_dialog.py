"""File ▸ Export… : which articles, which format and layout, a live preview of page 1, and the export
itself as a background job (progress, Cancel), ending with the page count and an « Open Folder » button.

The preview is :func:`reader.export.pdf.render_first_page` — the PDF's own layout and paint code on an
image — re-rendered (debounced) whenever an option changes. The export runs
:func:`reader.ops.export.run_export` in a ``JobManager`` pool thread with its own ``Store``; errors are
shown as the one sentence the exporters raise.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from reader.core.errors import ReaderError
from reader.export.bundle import ExportOptions, ExportReport
from reader.ops.export import FORMAT_NAMES, FORMATS, collect_export_articles, format_for_path, run_export

PREVIEW_WIDTH = 330  # logical pixels
PREVIEW_DELAY_MS = 180
FILE_FILTERS = {
    "pdf": "PDF (*.pdf)",
    "md": "Markdown (*.md *.markdown)",
    "html": "HTML (*.html *.htm)",
    "w3c": "W3C annotations (*.jsonld *.json)",
}


def export_job(db_path: Path, ids: list[int], path: Path, fmt: str, options: ExportOptions,
               model_id: str | None):
    """The job function (pool thread): its own Store, then :func:`run_export`; returns plain data."""

    def run(progress, _emit):
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            stats: dict = {}
            result = run_export(store, ids, path, fmt, options, model_id, progress, stats)
            pages = result.pages if isinstance(result, ExportReport) else None
            return {"path": str(path), "pages": pages, **stats}
        finally:
            store.close()

    return run


def _slug(title: str) -> str:
    words = re.findall(r"[^\W_]+", title.lower())[:6]
    return "-".join(words) or "visavis-export"


class ExportDialog(QDialog):
    """Non-modal export dialog bound to a window (``store``, ``db_path``, ``jobs``, ``library``…)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.setMinimumWidth(820)
        self.window_ = window
        self.job = None
        self._articles_key: tuple | None = None
        self._articles = None
        self._path_edited = False
        self.last_result: dict | None = None

        # -- choices ------------------------------------------------------------------------------
        self.scope = QComboBox(objectName="exportScope")
        self.format = QComboBox(objectName="exportFormat")
        for key in FORMATS:
            self.format.addItem(FORMAT_NAMES[key], key)
        self.paper = QComboBox(objectName="exportPaper")
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.notes = QComboBox(objectName="exportNotes")
        self.notes.addItem("Footnotes (bottom of each page)", "footnotes")
        self.notes.addItem("Endnotes (after each article)", "endnotes")
        self.content = QComboBox(objectName="exportContent")
        self.content.addItem("Highlights and notes", "notes")
        self.content.addItem("Highlights only", "highlights")
        self.content.addItem("Clean text", "clean")
        self.left = QComboBox(objectName="exportLeft")
        self.left.addItem("French on the left", "fr")
        self.left.addItem("English on the left", "en")
        self.only_annotated = QCheckBox("Only annotated paragraphs (a study sheet)", objectName="exportOnlyAnnotated")
        self.font_size = QDoubleSpinBox(objectName="exportFontSize")
        self.font_size.setRange(5.0, 24.0)
        self.font_size.setSingleStep(0.5)
        self.font_size.setDecimals(1)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(ExportOptions.font_size)
        self.justify = QCheckBox("Justified text", objectName="exportJustify")
        self.flatten = QCheckBox("Flatten highlights into the page (for viewers without annotations)",
                                 objectName="exportFlatten")
        self.tint = QCheckBox("Tint the other side's sentences", objectName="exportTint")
        self.path = QLineEdit(objectName="exportPath")
        self.browse = QPushButton("Choose…", objectName="exportBrowse")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        form = QFormLayout()
        form.addRow("Articles:", self.scope)
        form.addRow("Format:", self.format)
        form.addRow("Paper:", self.paper)
        form.addRow("Notes:", self.notes)
        form.addRow("Content:", self.content)
        form.addRow("Columns:", self.left)
        form.addRow("", self.only_annotated)
        form.addRow("Font size:", self.font_size)
        form.addRow("", self.justify)
        form.addRow("", self.flatten)
        form.addRow("", self.tint)
        form.addRow("Save as:", path_row)

        # -- running / result -----------------------------------------------------------------------
        self.progress = QProgressBar(objectName="exportProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(objectName="exportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton("Open Folder", objectName="exportOpenFolder")
        self.open_folder.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.open_folder)

        self.buttons = QDialogButtonBox(objectName="exportButtons")
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportRun")
        self.export_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.setToolTip("Stop the export (nothing is written)")
        self.cancel_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        left.addWidget(self.progress)
        left.addLayout(status_row)
        left.addWidget(self.buttons)

        # -- preview ------------------------------------------------------------------------------
        self.preview = QLabel(objectName="exportPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedWidth(PREVIEW_WIDTH + 12)
        self.preview.setMinimumHeight(round(PREVIEW_WIDTH * 1.42) + 12)
        self.preview.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.preview.setStyleSheet("QLabel#exportPreview { background: #8a8a8a; border-radius: 3px; }")
        self.preview_caption = QLabel(objectName="exportPreviewCaption")
        self.preview_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QVBoxLayout()
        right.addWidget(self.preview)
        right.addWidget(self.preview_caption)
        right.addStretch(1)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right)
        self.preview_image: QImage | None = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_preview)

        self._fill_scope()
        self._set_default_path()
        for combo in (self.scope, self.paper, self.notes, self.content, self.left):
            combo.currentIndexChanged.connect(self._options_changed)
        self.only_annotated.toggled.connect(self._options_changed)
        for box in (self.justify, self.flatten, self.tint):
            box.toggled.connect(self._options_changed)
        self.font_size.valueChanged.connect(self._options_changed)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path.textEdited.connect(self._on_path_edited)
        self.browse.clicked.connect(self.choose_path)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button.clicked.connect(self.close)
        self.open_folder.clicked.connect(self.open_output_folder)
        self._format_changed()
        self.schedule_preview(0)

    # -- which articles ------------------------------------------------------------------------------
    def _fill_scope(self) -> None:
        w = self.window_
        current = getattr(w, "article_id", None)
        selected = w.library.current_id() if getattr(w, "library", None) is not None else None
        everything = [r.id for r in w.store.list_articles()]
        self.scope.clear()
        if current is not None:
            self.scope.addItem("Current article", [current])
        if selected is not None and selected != current:
            self.scope.addItem("Selected article", [selected])
        if everything:
            self.scope.addItem(f"All articles ({len(everything)})", everything)

    def article_ids(self) -> list[int]:
        return list(self.scope.currentData() or [])

    def _title_for_path(self) -> str:
        ids = self.article_ids()
        if len(ids) == 1:
            try:
                return _slug(self.window_.store.article_title(ids[0]))
            except ReaderError:
                pass
        return "visavis-articles" if ids else "visavis-export"

    def _set_default_path(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        if not Path(folder).is_dir():
            folder = str(Path.home())
        fmt = self.format.currentData() or "pdf"
        self.path.setText(str(Path(folder) / (self._title_for_path() + FORMATS[fmt])))

    def _on_path_edited(self, text: str) -> None:
        self._path_edited = True
        fmt = format_for_path(text)
        if fmt is not None and fmt != self.format.currentData():
            self.format.blockSignals(True)
            self.format.setCurrentIndex(self.format.findData(fmt))
            self.format.blockSignals(False)
            self._update_enabled()
            self.schedule_preview()

    def _scope_changed(self) -> None:
        if not self._path_edited:
            self._set_default_path()

    def _format_changed(self, *_args) -> None:
        fmt = self.format.currentData()
        current = Path(self.path.text()) if self.path.text() else None
        if current is not None and format_for_path(current) != fmt:
            self.path.setText(str(current.with_suffix(FORMATS[fmt])))
        self._update_enabled()
        self.schedule_preview()

    def _update_enabled(self) -> None:
        fmt = self.format.currentData()
        running = self.job is not None
        layout_opts = fmt != "w3c"
        for wdg in (self.notes, self.content, self.left, self.only_annotated):
            wdg.setEnabled(layout_opts and not running)
        for wdg in (self.paper, self.font_size, self.justify, self.flatten, self.tint):
            wdg.setEnabled(fmt == "pdf" and not running)
        for wdg in (self.scope, self.format, self.path, self.browse):
            wdg.setEnabled(not running)
        self.export_button.setEnabled(not running and bool(self.article_ids()))

    def choose_path(self) -> None:
        fmt = self.format.currentData()
        name, _filter = QFileDialog.getSaveFileName(self, "Export As", self.path.text(), FILE_FILTERS[fmt])
        if name:
            if not Path(name).suffix:
                name += FORMATS[fmt]
            self.path.setText(name)
            self._on_path_edited(name)

    def options(self) -> ExportOptions:
        return ExportOptions(
            paper=self.paper.currentData(),
            notes=self.notes.currentData(),
            content=self.content.currentData(),
            left=self.left.currentData(),
            only_annotated=self.only_annotated.isChecked(),
            font_size=self.font_size.value(),
            justify=self.justify.isChecked(),
            flatten_highlights=self.flatten.isChecked(),
            counterpart_tint=self.tint.isChecked(),
        )

    # -- preview -----------------------------------------------------------------------------------
    def _options_changed(self, *_args) -> None:
        self._update_enabled()
        self.schedule_preview()

    def schedule_preview(self, delay: int | None = None) -> None:
        self._timer.start(PREVIEW_DELAY_MS if delay is None else delay)

    def _collected(self):
        ids = self.article_ids()
        key = (tuple(ids), self.window_.model_id)
        if key != self._articles_key:
            self._articles = collect_export_articles(self.window_.store, ids, self.window_.model_id)
            self._articles_key = key
        return self._articles

    def render_preview(self) -> None:
        """Page 1 of the PDF with the current options (the PDF layout; W3C has no page to show)."""
        from reader.export.pdf import render_first_page

        self._timer.stop()
        fmt = self.format.currentData()
        if not self.article_ids():
            self._show_preview_text("No article to export.")
            return
        if fmt == "w3c":
            self._show_preview_text("W3C annotations are data (JSON-LD):\nthere is no page to preview.")
            return
        try:
            ratio = self.devicePixelRatioF() or 1.0
            image = render_first_page(list(self._collected()), self.options(), round(PREVIEW_WIDTH * ratio))
        except ReaderError as exc:
            self._show_preview_text(str(exc))
            return
        image.setDevicePixelRatio(ratio)
        self.preview_image = image
        self.preview.setPixmap(QPixmap.fromImage(image))
        pages = image.text("pages") or "?"
        what = "PDF" if fmt == "pdf" else f"PDF layout ({FORMAT_NAMES[fmt]} has no pages)"
        self.preview_caption.setText(f"Page 1 of {pages} · {what}")

    def _show_preview_text(self, text: str) -> None:
        self.preview_image = None
        self.preview.setPixmap(QPixmap())
        self.preview.setText(text)
        self.preview_caption.setText("")

    # -- export ------------------------------------------------------------------------------------
    def start_export(self) -> None:
        ids = self.article_ids()
        text = self.path.text().strip()
        if not ids or self.job is not None:
            return
        if not text:
            self._show_error("Choose where to save the export.")
            return
        path = Path(text).expanduser()
        fmt = self.format.currentData()
        w = self.window_
        self.status.setText("Exporting…")
        self.status.setStyleSheet("")
        self.open_folder.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.job = w.jobs.start(
            "export",
            export_job(Path(w.db_path), ids, path, fmt, self.options(), w.model_id),
            pool="general",
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_failed=self._on_failed,
            on_cancelled=self._on_cancelled,
        )
        self._update_enabled()

    def cancel_export(self) -> None:
        if self.job is not None:
            self.window_.jobs.cancel(self.job, forget=False)  # the cancelled callback says so
            self.status.setText("Cancelling…")

    def _finish(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_enabled()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        if message:
            self.status.setText(f"{message}…" if not message.endswith(".") else message)

    def _on_done(self, result: dict) -> None:
        self._finish()
        self.last_result = result
        path = Path(result["path"])
        parts = []
        if result.get("pages") is not None:
            parts.append(f"{result['pages']} page{'s' if result['pages'] != 1 else ''}")
        n = result.get("highlights", 0)
        parts.append(f"{n} {'annotation' if self.format.currentData() == 'w3c' else 'highlight'}{'s' if n != 1 else ''}")
        text = f"Exported « {path.name} »: {', '.join(parts)}."
        skipped = result.get("skipped", 0)
        if skipped:
            text += f" {skipped} orphaned annotation{'s were' if skipped != 1 else ' was'} left out."
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.open_folder.show()

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        self._show_error(str(exc))

    def _on_cancelled(self) -> None:
        self._finish()
        self.status.setStyleSheet("")
        self.status.setText("Export cancelled; nothing was written.")

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #b03a2e;")
        self.status.setText(text)
        self.open_folder.hide()

    def output_folder(self) -> Path:
        path = Path(self.last_result["path"]) if self.last_result else Path(self.path.text())
        return path.parent

    def open_output_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.output_folder())))

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self.window_.jobs.cancel(self.job)  # forget it: nothing lands in a closed dialog
            self.job = None
        self._timer.stop()
        super().closeEvent(event)


def open_export_dialog(window) -> ExportDialog | None:
    """File ▸ Export… : show the window's export dialog (one at a time, refreshed with the current
    article), or say that there is nothing to export."""
    dialog: ExportDialog | None = getattr(window, "_export_dialog", None)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    if not window.store.list_articles():
        from reader.gui.dialogs import show_message

        show_message(window, "There is nothing to export: the library is empty.")
        return None
    if dialog is not None:
        dialog.deleteLater()
    dialog = ExportDialog(window)
    window._export_dialog = dialog
    dialog.show()
    return dialog


__all__ = ["ExportDialog", "export_job", "open_export_dialog"]
