"""Demo data from the main window: ask how many, add them in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QProgressDialog

from desktop.ui.controller import WindowController

DEMO_COUNT = 1000
PREPARING = "Preparing names, streets and companies…"


def _advance(progress: QProgressDialog, done: int, total: int) -> None:
    if progress.maximum() != total:
        progress.setRange(0, total)
    progress.setLabelText(f"Adding demo contacts: {done:,} of {total:,}…")
    progress.setValue(done)


class DemoDataController(WindowController):
    def ask(self) -> None:
        count, ok = QInputDialog.getInt(
            self.window,
            "Add demo data",
            "How many demo contacts should be added?",
            DEMO_COUNT,
            1,
            2_000_000,
            1000,
        )
        if ok:
            self.load(count)

    def load(self, count: int = DEMO_COUNT) -> None:
        """Add `count` demo contacts (a writer job with progress and Stop)."""
        window = self.window
        # Drawing the names, streets and companies takes a few seconds before the first
        # contact is written: the box shows at once, busy, until counts come.
        progress = QProgressDialog(PREPARING, "Stop", 0, 0, window)
        progress.setWindowTitle("Demo data")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        progress.show()

        def finished(error: Exception | None = None) -> None:
            progress.hide()
            progress.deleteLater()
            if error is not None:
                window.show_error(error)
            window.refresh_all()

        job = window.jobs.start(
            lambda progress: self.book.seed(count, progress=progress),
            on_done=lambda _n: finished(),
            on_failed=lambda error: finished(error),
            with_progress=True,
            writes=True,
        )
        job.signals.progress.connect(lambda done, total: _advance(progress, done, total))
        progress.canceled.connect(job.cancel)
