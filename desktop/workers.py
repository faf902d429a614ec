"""Background jobs on QThreadPool: a plain function runs off the UI thread and its
result (or error) comes back as a signal on the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class JobSignals(QObject):
    """Signals:
    done(object): the function's return value.
    failed(object): the exception it raised.
    progress(int, int): work done and total, from a job started with progress.
    """

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class Job(QRunnable):
    """Runs `function(*args)` on a pool thread.

    With `with_progress`, the function also gets `progress=report`, where
    `report(done, total)` emits `progress` and returns False once `cancel()` was called.
    """

    def __init__(
        self, function: Callable[..., Any], *args: Any, with_progress: bool = False
    ) -> None:
        super().__init__()
        self.function = function
        self.args = args
        self.with_progress = with_progress
        self.signals = JobSignals()
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def _report(self, done: int, total: int) -> bool:
        self.signals.progress.emit(done, total)
        return not self.cancelled

    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.function(*self.args, progress=self._report)
            else:
                result = self.function(*self.args)
        except Exception as error:
            log.info("background job failed", exc_info=True)
            self._emit(self.signals.failed, error)
        else:
            self._emit(self.signals.done, result)

    def _emit(self, signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            log.debug("nobody is left to hear a background job's result (shutting down)")


@dataclass(frozen=True)
class _Callbacks:
    job: Job  # kept alive until it reports back
    on_done: Callable[[Any], None] | None
    on_failed: Callable[[Exception], None] | None


class JobRunner(QObject):
    """Starts jobs on its own pool and keeps them alive until they report back.

    Results reach the callbacks through this object's own slots, so once the runner
    (and the window that owns it) is gone, a late result is dropped, not delivered to
    widgets that no longer exist.
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: dict[JobSignals, _Callbacks] = {}

    def start(
        self,
        function: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[Exception], None] | None = None,
        with_progress: bool = False,
    ) -> Job:
        job = Job(function, *args, with_progress=with_progress)
        job.setAutoDelete(False)
        self._running[job.signals] = _Callbacks(job, on_done, on_failed)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.pool.start(job)
        return job

    @Slot(object)
    def _done(self, result: object) -> None:
        callbacks = self._running.pop(self.sender(), None)  # type: ignore[call-overload]
        if callbacks is not None and callbacks.on_done is not None:
            callbacks.on_done(result)

    @Slot(object)
    def _failed(self, error: object) -> None:
        callbacks = self._running.pop(self.sender(), None)  # type: ignore[call-overload]
        if callbacks is not None and callbacks.on_failed is not None:
            callbacks.on_failed(error)  # type: ignore[arg-type]

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for every job to finish (at shutdown)."""
        return self.pool.waitForDone(msecs)
