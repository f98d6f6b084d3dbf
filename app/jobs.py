"""The durable job runner: jobs live in SQLite, a worker thread runs them one at a time (one GPU, one
render), users take turns, and a job that was running when the studio stopped is resumed on start."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import col, select

from models.errors import UserError
from models.video.base import Cancelled
from storage.db import Database
from storage.tables import Job, now

log = logging.getLogger(__name__)
FINISHED = ("done", "failed", "cancelled")


class JobContext:
    """Handed to a job handler: report progress, and learn whether the user asked to cancel."""

    def __init__(self, runner: JobRunner, job_id: int) -> None:
        self._runner, self.job_id = runner, job_id
        self.cancel = threading.Event()
        self._last_write = self._last_preview = 0.0

    def preview(self, image) -> None:
        """Keep the latest preview image (RGB array) of this job, at most twice a second."""
        stamp = time.monotonic()
        if self._runner.preview_dir is None or stamp - self._last_preview < 0.5:
            return
        self._last_preview = stamp
        import cv2
        import numpy as np

        frame = np.asarray(image)
        if frame.dtype != np.uint8:  # engines may hand floats in 0..1
            frame = (np.clip(frame, 0, 1) * 255).astype(np.uint8)
        dest = self._runner.preview_path(self.job_id)
        tmp = dest.with_name(f".{dest.stem}.part.jpg")
        cv2.imwrite(str(tmp), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 80])
        tmp.replace(dest)

    def report(self, progress: float, key: str, force: bool = False, **params: object) -> None:
        """Record progress (0..1) and a message key; written at most a few times a second."""
        stamp = time.monotonic()
        if not force and stamp - self._last_write < 0.25:
            return
        self._last_write = stamp
        with self._runner.db.session() as s:
            job = s.get(Job, self.job_id)
            job.progress = max(0.0, min(1.0, progress))
            job.message = json.dumps({"key": key, "params": params}, ensure_ascii=False)
            if job.cancel_requested:
                self.cancel.set()
            s.add(job)
            s.commit()


Handler = Callable[[Job, JobContext], int | None]


class JobRunner:
    def __init__(
        self, db: Database, handlers: dict[str, Handler], workers: int = 1, preview_dir: Path | None = None
    ) -> None:
        self.db, self.handlers, self.workers = db, handlers, workers
        self.preview_dir = preview_dir  # where live previews of running jobs are kept
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._claim_lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------------------
    def recover(self) -> int:
        """Put jobs that were running when the studio stopped back in the queue; return how many."""
        with self.db.session() as s:
            stale = s.exec(select(Job).where(Job.status == "running")).all()
            for job in stale:
                job.status, job.message = "queued", ""
                s.add(job)
            s.commit()
        if stale:
            log.info("resuming %d interrupted job(s)", len(stale))
        return len(stale)

    def start(self) -> None:
        self.recover()
        for n in range(self.workers):
            thread = threading.Thread(target=self._loop, name=f"job-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)

    # -- API ------------------------------------------------------------------------------------------
    def submit(self, kind: str, user_id: int, project_id: int | None = None) -> Job:
        if kind not in self.handlers:
            raise ValueError(f"unknown job kind {kind!r}")
        with self.db.session() as s:
            job = Job(kind=kind, user_id=user_id, project_id=project_id)
            s.add(job)
            s.commit()
            s.refresh(job)
        self._wake.set()
        return job

    def preview_path(self, job_id: int) -> Path:
        self.preview_dir.mkdir(parents=True, exist_ok=True)
        return self.preview_dir / f"job-{int(job_id)}.jpg"

    def get(self, job_id: int) -> Job | None:
        with self.db.session() as s:
            return s.get(Job, job_id)

    def active_for_project(self, project_id: int) -> Job | None:
        with self.db.session() as s:
            return s.exec(
                select(Job).where(Job.project_id == project_id, col(Job.status).in_(("queued", "running")))
            ).first()

    def cancel(self, job_id: int) -> None:
        with self.db.session() as s:
            job = s.get(Job, job_id)
            if job is None or job.status in FINISHED:
                return
            if job.status == "queued":
                job.status, job.finished_at = "cancelled", now()
            job.cancel_requested = True
            s.add(job)
            s.commit()

    def run_pending(self) -> int:
        """Run queued jobs in this thread until none is left (tests and scripts); return how many ran."""
        count = 0
        while (job := self._claim()) is not None:
            self._run(job)
            count += 1
        return count

    # -- internals ------------------------------------------------------------------------------------
    def _claim(self) -> Job | None:
        """Take the next job: users take turns (the user whose last job started longest ago goes first)."""
        with self._claim_lock, self.db.session() as s:
            queued = s.exec(select(Job).where(Job.status == "queued").order_by(Job.id)).all()
            if not queued:
                return None

            def last_start(user_id: int) -> float:
                started = s.exec(
                    select(Job.started_at)
                    .where(Job.user_id == user_id, col(Job.started_at).is_not(None))
                    .order_by(col(Job.started_at).desc())
                ).first()
                return started.timestamp() if started else 0.0

            job = min(queued, key=lambda j: (last_start(j.user_id), j.id))
            job.status, job.started_at, job.error = "running", now(), ""
            s.add(job)
            s.commit()
            s.refresh(job)
            return job

    def _finish(self, job_id: int, status: str, error: dict | None = None, result_id: int | None = None) -> None:
        with self.db.session() as s:
            job = s.get(Job, job_id)
            job.status, job.finished_at = status, now()
            if status == "done":
                job.progress = 1.0
            job.result_id = result_id
            job.error = json.dumps(error, ensure_ascii=False) if error else ""
            s.add(job)
            s.commit()

    def _run(self, job: Job) -> None:
        ctx = JobContext(self, job.id)
        try:
            result = self.handlers[job.kind](job, ctx)
        except Cancelled:
            self._finish(job.id, "cancelled")
        except UserError as err:
            self._finish(job.id, "failed", {"key": err.key, "params": {k: str(v) for k, v in err.params.items()}})
        except Exception as exc:  # a bug: log it whole, show the user a short message
            log.exception("job %s failed", job.id)
            self._finish(job.id, "failed", {"key": "render_failed", "params": {"detail": type(exc).__name__}})
        else:
            self._finish(job.id, "done", result_id=result)

    def _loop(self) -> None:
        while not self._stop.is_set():
            job = self._claim()
            if job is None:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            self._run(job)
