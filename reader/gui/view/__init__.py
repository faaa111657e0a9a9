"""The parts of the parallel view (:class:`reader.gui.parallel_view.ParallelView`), one job a module."""
