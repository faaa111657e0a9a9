"""Application operations shared by the command line and the window.

Plain functions over a :class:`~reader.storage.store.Store` that take a progress/cancel object where the
work is long. No Qt here: the GUI runs them in its workers, the CLI calls them directly.
"""
