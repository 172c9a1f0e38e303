"""Running many paths: in this process, or spread over worker processes.

A path replays a whole call from its start, so paths are independent and a batch of them
spreads over the machine's cores with no coordination. Each worker builds its own driver
from the same files; the seeded database is made once and shared as a template.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from assistant.audit.driver import Driver, Outcome
from assistant.audit.inputs import read_packs
from assistant.dialog.events import Event
from assistant.dialog.menus import load_menus


@dataclass(frozen=True, slots=True)
class Job:
    """One path to run."""

    path: tuple[Event, ...]
    """The caller's events after the call starts."""

    timeout_scale: float = 1.0
    """The caller's time-to-answer preference for this call."""


def _build_driver(lang_dir: Path, menus_path: Path, workdir: Path,
                  template: Path | None) -> Driver:
    packs = read_packs(lang_dir).packs
    return Driver(packs, load_menus(menus_path), workdir, template)


_WORKER: dict[str, Driver] = {}
"""The driver of this worker process (set once by the pool's initializer)."""


def _start_worker(lang_dir: Path, menus_path: Path, workdir: Path, template: Path) -> None:
    own = Path(tempfile.mkdtemp(prefix="worker-", dir=workdir))
    _WORKER["driver"] = _build_driver(lang_dir, menus_path, own, template)


def _run_in_worker(job: Job) -> Outcome:
    return _WORKER["driver"].run(job.path, job.timeout_scale)


class Runner:
    """Runs batches of jobs, over `jobs` processes (1: in this process).

    Use as a context manager, so the worker processes end with the audit.

    Args:
        lang_dir: the language packs.
        menus_path: the keypad layout.
        workdir: a scratch folder for database copies.
        jobs: worker processes; None uses every core.
    """

    def __init__(self, lang_dir: Path, menus_path: Path, workdir: Path,
                 jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        inline = workdir / "inline"
        inline.mkdir(parents=True, exist_ok=True)
        self.driver = _build_driver(lang_dir, menus_path, inline, None)
        self.runs = 0
        """How many paths were run, for the report."""
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(lang_dir, menus_path, workdir, self.driver.template),
            )

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """End the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def run(self, jobs: Sequence[Job]) -> list[Outcome]:
        """The outcome of every job, in order."""
        self.runs += len(jobs)
        if self._pool is None or len(jobs) < 4:
            return [self.driver.run(job.path, job.timeout_scale) for job in jobs]
        chunk = max(1, len(jobs) // (self.jobs * 4))
        return list(self._pool.map(_run_in_worker, jobs, chunksize=chunk))
