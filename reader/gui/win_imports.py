"""Bringing text into the library from the window: files (in a job), pasted or dropped text.

``ImportController`` asks the questions an import needs through the window (``ask_epub_mode``,
``ask_update_existing``), runs ``import_job`` off the GUI thread, then tells every panel what changed
through the window's one change signal and opens the first article imported.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.core.errors import ReaderError
from reader.gui.dialogs import show_import_errors, show_message
from reader.gui.workers import Job, import_job
from reader.ops.changes import OpChanges

IMPORT_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm *.xhtml *.epub *.pdf);;PDF documents (*.pdf);;All files (*)"
IMPORTABLE = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub", ".pdf"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class ImportController(QObject):
    """File ▸ Import…, Paste as Article, and what is dropped on the window."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.job: Job | None = None

    def import_files(self, paths: list[str | Path] | None = None) -> None:
        """Import files in a worker; one message per file that fails, the rest imported."""
        w = self.w
        if paths is None:
            names, _filter = QFileDialog.getOpenFileNames(w, "Import Articles", str(Path.home()), IMPORT_FILTER)
            paths = names
        paths = [Path(p) for p in paths]
        if not paths:
            return
        # First whether a file was imported before (#14.9): a book being updated keeps the way it was
        # imported (one article, or one per chapter) and is not asked how to import it again.
        update = False
        known = {p.name: ids for p in paths if (ids := w.store.ids_by_origin(p.name))}
        if known:
            choice = w.ask_update_existing(list(known))
            if choice is None:
                return
            update = choice == "update"
        epub_mode = "article"
        books = [p for p in paths if p.suffix.lower() == ".epub"]
        if any(not (update and p.name in known) for p in books):
            epub_mode = w.ask_epub_mode()
            if epub_mode is None:
                return
        elif books:
            epub_mode = "chapters" if any(len(known[p.name]) > 1 for p in books) else "article"
        w.statusBar().showMessage(f"Importing {_plural(len(paths), 'file')}…")
        self.job = w.jobs.start(
            "import", import_job(w.db_path, paths, epub_mode, update=update), pool="general",
            on_done=self._on_done, on_failed=self._on_failed,
        )

    def _on_done(self, result) -> None:
        w = self.w
        ids, errors, outcomes = result
        self.job = None
        w.statusBar().showMessage(summary(outcomes), 8000)
        if ids:
            w.notify(OpChanges.merge(o.changes for _name, o in outcomes))
            w.library.select_article(ids[0])
            w.open_article(ids[0])
        if errors:
            show_import_errors(w, errors, len(ids))

    def _on_failed(self, exc: BaseException) -> None:
        self.job = None
        self.w.statusBar().clearMessage()
        show_message(self.w, str(exc), icon=QMessageBox.Icon.Warning, title="Import")

    def paste_as_article(self) -> int | None:
        """Create an article from the clipboard's text (title: its first line)."""
        return self.add_text_article(QGuiApplication.clipboard().text(), origin="clipboard")

    def add_text_article(self, text: str, origin: str = "clipboard") -> int | None:
        w = self.w
        text = (text or "").replace("\r\n", "\n").strip()
        if not text:
            w.statusBar().showMessage("The clipboard holds no text to make an article from.", 6000)
            return None
        from reader.core.markup import parse_article

        try:
            article = parse_article(text, origin)
        except ReaderError as exc:
            show_message(w, str(exc), icon=QMessageBox.Icon.Warning, title="Paste as Article")
            return None
        first_line = text.split("\n", 1)[0].strip().lstrip("#").strip()
        if not article.title or article.title.strip() in ("", origin):
            article.title = first_line[:160] or "Pasted text"
        _ensure_segmented(article)
        if not article.paragraphs:
            w.statusBar().showMessage("The clipboard text has no paragraph to read.", 6000)
            return None
        new_id = w.store.add_article(article)
        w.notify(OpChanges(articles={new_id}))
        w.library.select_article(new_id)
        w.open_article(new_id)
        w.statusBar().showMessage(f"Created « {article.title} » from the clipboard.", 6000)
        return new_id

    # --- drag and drop ------------------------------------------------------------------------
    @staticmethod
    def accepts(mime) -> bool:
        return bool(local_files(mime.urls()) or (mime.hasText() and not mime.hasUrls()))

    def drop(self, mime) -> bool:
        """Import dropped files, or make an article of dropped text; False if nothing could be used."""
        files = local_files(mime.urls())
        if files:
            self.import_files(files)
            return True
        if mime.hasText():
            self.add_text_article(mime.text(), origin="dropped text")
            return True
        return False


def summary(outcomes) -> str:
    """One status-bar line for an import's ``(file name, ImportOutcome)`` pairs."""
    added = [o.article_id for _name, o in outcomes if o.status in ("added", "copy")]
    updated = [o for _name, o in outcomes if o.status == "updated"]
    unchanged = [o for _name, o in outcomes if o.status == "unchanged"]
    parts = []
    if added:
        parts.append(f"Imported {_plural(len(added), 'article')}.")
    if updated:
        moved = sum(o.moved for o in updated)
        orphaned = sum(o.orphaned for o in updated)
        parts.append(f"Updated {_plural(len(updated), 'article')} ({_plural(moved, 'annotation')} moved, {orphaned} orphaned).")
    if unchanged:
        parts.append(
            f"{len(unchanged)} already in the library, unchanged "
            f"(#{', #'.join(str(o.article_id) for o in unchanged[:5])})."
        )
    return " ".join(parts) if parts else "Nothing was imported."


def local_files(urls: list[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile()]


def _ensure_segmented(article) -> None:
    """Give sentences to paragraphs that have none (pasted text goes through the same segmenter)."""
    from reader.core.segment import segment

    for paragraph in article.paragraphs:
        if not paragraph.sentences and paragraph.text.strip():
            paragraph.sentences = segment(paragraph.text)
    article.paragraphs = [p for p in article.paragraphs if p.sentences]
