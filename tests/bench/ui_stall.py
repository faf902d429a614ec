"""How long the UI thread stops answering while a big import runs in the background.

The real main window (offscreen Qt) imports a CSV of a seeded book's contacts through
the same path as File > Import after the wizard (`Interop._import_contacts`: a job in
the writer lane, progress dialog, undo step, refresh). A 5 ms timer on the UI thread
records the gaps between its ticks; the longest gap is the longest stall a user could
feel. The reference, measured in the same run, is the longest gap of the same timer
while the window sits idle for as long.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TICK_MS = 5
STALL_MS = 100


class GapMeter:
    """Ticks a UI-thread timer and keeps the gaps between ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        gaps = self.gaps or [0.0]
        return {
            "longest_ms": max(gaps),
            "stalls": float(sum(1 for gap in gaps if gap > STALL_MS)),
            "ticks": float(len(gaps)),
        }


def run(seeded_dir: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from desktop.app import application
    from desktop.contact_book import ContactBook
    from desktop.interop.files import plan_contacts
    from desktop.interop.importer import OnDuplicate
    from desktop.ui.import_wizard import ImportSource
    from desktop.ui.main_window import MainWindow

    app = application()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = ContactBook.open(seeded_dir, create=False)
        sheet = work / "book.csv"
        figures["rows"] = source.export(source.export_ids(), "csv", sheet)
        source.close()
        book = ContactBook.open(work / "empty")
        window = MainWindow(book, "US")
        window.resize(1280, 800)
        window.show()
        _settle(app, 1.0)
        plan, _ = plan_contacts(sheet, "csv", None, "US")
        preview = book.import_preview(plan, OnDuplicate.MERGE)
        meter = GapMeter()
        meter.start()
        started = time.perf_counter()
        window.interop._import_contacts(ImportSource(sheet, "csv"), preview)
        while not window.undo_stack.canUndo():
            app.processEvents()
            time.sleep(0.001)
        _settle(app, 1.0)  # the refresh after the import, too
        elapsed = time.perf_counter() - started
        during = meter.stop()
        meter.start()
        _settle(app, elapsed)
        idle = meter.stop()
        figures.update({f"import_{k}": v for k, v in during.items()})
        figures.update({f"idle_{k}": v for k, v in idle.items()})
        figures["import_s"] = elapsed
        figures["imported"] = float(book.count())
        window.close()
        book.close()
    QApplication.processEvents()
    return figures


def _settle(app: object, seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.001)


def report(f: dict[str, float]) -> None:
    print(
        f"UI thread during an import of {f['rows']:,.0f} contacts ({f['import_s']:.1f} s): "
        f"longest stall {f['import_longest_ms']:.0f} ms, {f['import_stalls']:.0f} stalls over "
        f"{STALL_MS} ms in {f['import_ticks']:,.0f} ticks; idle for as long: longest "
        f"{f['idle_longest_ms']:.0f} ms"
    )
    print(
        f"ui_stall rows={f['rows']:.0f} longest_ms={f['import_longest_ms']:.0f} "
        f"stalls_over_{STALL_MS}ms={f['import_stalls']:.0f} idle_longest_ms="
        f"{f['idle_longest_ms']:.0f} ratio={f['import_longest_ms'] / f['idle_longest_ms']:.1f}"
    )
