"""Background jobs on the app's one executor: a plain function runs off the UI thread
and its result (or error) comes back as a signal on the UI thread.

There is one `Executor` for the whole app (`executor()`), with a few threads. Jobs
that write go through its one writer lane, one after another in the order they were
started; a runner made `serial` keeps its own jobs in order the same way. Closing a
window cancels the jobs it started: queued ones never run, running ones are told to
stop at their next progress report.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

THREADS = 4
WRITER_LANE = "writer"


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
    A job cancelled before its turn does not run and reports nothing.
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
        self.skipped = False  # cancelled before its turn came
        self.lane: str | None = None
        self.finished = threading.Event()
        self.on_finished: Callable[[Job], None] = lambda _job: None

    def cancel(self) -> None:
        self.cancelled = True

    def _report(self, done: int, total: int) -> bool:
        self.signals.progress.emit(done, total)
        return not self.cancelled

    def run(self) -> None:
        try:
            self.skipped = self.cancelled
            if not self.skipped:
                self._call()
        finally:
            self.finished.set()
            self.on_finished(self)

    def _call(self) -> None:
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


class Executor:
    """The app's background threads, with lanes whose jobs run one at a time, in order."""

    def __init__(self, threads: int = THREADS) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self._lock = threading.Lock()
        self._lanes: dict[str, deque[Job]] = {}
        self._jobs: dict[Job, QObject | None] = {}  # queued or running, by who asked

    def submit(self, job: Job, lane: str | None = None, owner: QObject | None = None) -> None:
        """Run `job` when a thread (and, for a lane, the jobs before it) is free."""
        job.lane = lane
        job.on_finished = self._finished
        with self._lock:
            self._jobs[job] = owner
            if lane is not None:
                queue = self._lanes.setdefault(lane, deque())
                queue.append(job)
                if len(queue) > 1:
                    return  # its turn comes when the one before it finishes
        self.pool.start(job)

    def _finished(self, job: Job) -> None:
        """On the worker thread: forget `job` and start the next in its lane."""
        following = None
        with self._lock:
            self._jobs.pop(job, None)
            queue = self._lanes.get(job.lane) if job.lane is not None else None
            if queue and queue[0] is job:
                queue.popleft()
                following = queue[0] if queue else None
        if following is not None:
            self.pool.start(following)

    def cancel(self, owner: QObject | None = None) -> int:
        """Cancel the jobs started for `owner` or its children (all jobs when None)."""
        with self._lock:
            chosen = [job for job, asked in self._jobs.items() if _within(asked, owner)]
        for job in chosen:
            job.cancel()
        return len(chosen)

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for every job to finish (at shutdown)."""
        return self.pool.waitForDone(msecs)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._jobs)


def _within(child: QObject | None, owner: QObject | None) -> bool:
    if owner is None:
        return True
    while child is not None:
        if child is owner:
            return True
        child = child.parent()
    return False


_executor: Executor | None = None


def executor() -> Executor:
    """The app's one executor, made on first use."""
    global _executor
    if _executor is None:
        _executor = Executor()
    return _executor


@dataclass(frozen=True)
class _Callbacks:
    job: Job  # kept alive until it reports back
    on_done: Callable[[Any], None] | None
    on_failed: Callable[[Exception], None] | None


class JobRunner(QObject):
    """Starts jobs on the app's executor for its owner and keeps them alive until they
    report back.

    Results reach the callbacks through this object's own slots, so once the runner
    (and the window that owns it) is gone, a late result is dropped, not delivered to
    widgets that no longer exist. A `serial` runner's jobs run one at a time, in order.
    """

    def __init__(self, parent: QObject | None = None, *, serial: bool = False) -> None:
        super().__init__(parent)
        self._lane = f"runner-{id(self)}" if serial else None
        self._running: dict[JobSignals, _Callbacks] = {}

    def start(
        self,
        function: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[Exception], None] | None = None,
        with_progress: bool = False,
        writes: bool = False,
    ) -> Job:
        """Run `function(*args)` in the background; `writes` puts it in the writer lane."""
        job = Job(function, *args, with_progress=with_progress)
        job.setAutoDelete(False)
        self._running[job.signals] = _Callbacks(job, on_done, on_failed)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        executor().submit(job, WRITER_LANE if writes else self._lane, owner=self)
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
        """Whether a job is running or its result has not been handled yet."""
        for signals in [s for s, c in self._running.items() if c.job.skipped]:
            del self._running[signals]
        return bool(self._running)

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for this runner's jobs to finish (their results then wait for the UI
        thread's event loop)."""
        jobs = [c.job for c in self._running.values()]
        return all(job.finished.wait(msecs / 1000) for job in jobs)
