"""Deleting articles from the window, and bringing them back with Edit ▸ Undo.

An article restored by undo comes back under a new id; ``DeletionController`` remembers the old id →
new id aliases so that older commands on the undo stack (a hand edit of that article) still find it.
What a delete or an undo changed goes out on the window's one change signal like any other operation.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence

from reader.core.errors import NotFoundError
from reader.gui.library_panel import DeleteArticleCommand
from reader.ops.changes import OpChanges


class DeletionController(QObject):
    """File ▸ Delete Article and its undo (see the module doc)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.aliases: dict[int, int] = {}  # article id → its id after an undone delete

    def delete_article(self, article_id: int | None = None, confirm: bool = True) -> None:
        """Delete (after a confirmation); Edit ▸ Undo brings it back."""
        w = self.w
        article_id = article_id if article_id is not None else (w.library.current_id() or w.article_id)
        if article_id is None:
            return
        try:
            command = DeleteArticleCommand(w.store, article_id, self._on_change)
        except NotFoundError:
            w.library.refresh()
            return
        if confirm:
            undo = w.commands["edit.undo"].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if not w.confirm("Delete Article", f"Delete « {command.article.title} »? You can undo this with {undo}."):
                return
        w.undo_stack.push(command)

    def _on_change(self, deleted: int | None, restored: int | None, previous: int) -> None:
        w = self.w
        if deleted is not None:
            # the article went with its English and annotations; the open one closes (ArticleController)
            w.notify(OpChanges(articles={deleted}, translations={deleted}, annotations={deleted}))
            w.statusBar().showMessage("Article deleted. Undo brings it back.", 6000)
        if restored is not None:
            self.aliases[previous] = restored
            w.notify(OpChanges(articles={restored}, translations={restored}, annotations={restored}))
            w.library.select_article(restored)
            if w.article_id is None:
                w.open_article(restored)

    def resolve(self, article_id: int) -> int:
        """The id an article has now (it changes when an undo restores a deleted article)."""
        seen = set()
        while article_id in self.aliases and article_id not in seen:
            seen.add(article_id)
            article_id = self.aliases[article_id]
        return article_id
