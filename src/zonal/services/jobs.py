"""Where work that takes seconds runs (the `Jobs` port): at once, or on a background thread.

The web app hands its plan solves to `BackgroundJobs` so that no request waits for a solver;
the CLI, which has nobody else to serve, runs them at once with `InlineJobs`. Work is
idempotent by design (a plan is claimed in the store before it is computed), so a key
submitted again while it waits or runs is simply not queued twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from threading import Lock

log = logging.getLogger(__name__)


class InlineJobs:
    """Runs each job when it is submitted; its errors reach the caller."""

    def submit(self, key: object, work: Callable[[], None]) -> None:  # noqa: ARG002
        work()


class BackgroundJobs:
    """Runs jobs on `workers` threads of this process, one at a time per key.

    CP-SAT and HiGHS release the interpreter while they solve, so a worker thread does not
    stall the requests served meanwhile. A job's error is logged (the job itself records it
    where its users will see it, e.g. a failed plan snapshot).
    """

    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zonal-job")
        self._running: dict[object, Future[None]] = {}
        self._lock = Lock()

    def submit(self, key: object, work: Callable[[], None]) -> None:
        with self._lock:
            if key in self._running:
                return
            future = self._pool.submit(work)
            self._running[key] = future
        future.add_done_callback(lambda done: self._finished(key, done))

    def wait(self, timeout: float | None = None) -> None:
        """Block until every job submitted so far has ended (tests, shutdown)."""
        with self._lock:
            futures = list(self._running.values())
        wait(futures, timeout=timeout)

    def shutdown(self) -> None:
        """Stop taking jobs; drop those that have not started (they are claimed again later)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _finished(self, key: object, done: Future[None]) -> None:
        with self._lock:
            self._running.pop(key, None)
        if not done.cancelled() and done.exception() is not None:
            log.error("background job %r failed", key, exc_info=done.exception())
