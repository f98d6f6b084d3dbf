"""The studio's side of the render worker: start `python -m app.worker`, restart it when it dies, and settle
the job it was running (queued again once, then failed with a message: `JobRunner.worker_died`)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.jobs import JobRunner
from app.queue import job_params
from app.settings import Settings
from app.worker import write_settings
from storage.projects import ProjectStore

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
RETRIES = 1  # a job whose worker died is run once more, then failed


class WorkerSupervisor:
    def __init__(self, settings: Settings, jobs: JobRunner, store: ProjectStore) -> None:
        self.settings, self.jobs, self.store = settings, jobs, store
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        proc = self.proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self) -> WorkerSupervisor:
        self.jobs.recover()  # jobs that ran when the studio stopped go back to the queue, their turn kept
        self._spawn()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        with self._lock:
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        if self._thread is not None:
            self._thread.join(timeout)

    def _spawn(self) -> None:
        path = write_settings(self.settings)
        env = {**os.environ, "STORYREEL_WORKER_PARENT": str(os.getpid())}
        with self._lock:
            self.proc = subprocess.Popen([sys.executable, "-m", "app.worker", str(path)], cwd=ROOT, env=env)
        log.info("render worker started (pid %d)", self.proc.pid)

    def _watch(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            proc = self.proc
            started = time.monotonic()
            code = proc.wait()
            if self._stop.is_set():
                return
            log.error("the render worker (pid %d) stopped with exit code %s; restarting it", proc.pid, code)
            for job in self.jobs.worker_died(RETRIES):
                log.warning("job %d: %s after %d attempt(s)", job.id, job.status, job.attempts)
                if job.status == "failed" and job.project_id is not None and job_params(job).scenes is None:
                    self.store.set_status(job.project_id, "failed", "worker_crashed")
            # A worker that dies right after starting (a broken install) is not restarted in a tight loop.
            backoff = 0.5 if time.monotonic() - started > 30 else min(backoff * 2, 30.0)
            if self._stop.wait(backoff):
                return
            self.restarts += 1
            self._spawn()
