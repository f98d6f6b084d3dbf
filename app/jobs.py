"""The durable job queue: jobs live in SQLite and are run one at a time (one GPU, one render) by a worker:
a thread of this process (`run_pending`, `start`), or the render worker process (app/worker.py) that the
studio supervises (app/supervisor.py). Both claim from the same table, so the queue survives restarts.

Fair turns: a job's `position` is its sort key, (the user's turn << 32) | job id. A user's first waiting job
takes the turn now being served, each further one the next turn, so every user's first job comes before
anyone's second (a user with 6 queued does not hold back a user with 1). Keys are unique, so an admin's
"move up" is a swap of two keys. A long render also gives up its turn between scenes when another user is
waiting (`JobContext.turn_over`): it goes back to the queue with its clips cached and goes on from there.
"""

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
ACTIVE = ("queued", "running")
TURN_BITS = 32
CANCEL_POLL_SECONDS = 0.5


class TurnOver(Exception):
    """Raised by a job between two steps to give the worker to another user's waiting job; the job goes back
    to the queue (with the next turn) and resumes where it stopped."""


def turn_of(position: int) -> int:
    return position >> TURN_BITS


class JobContext:
    """Handed to a job handler: report progress, learn whether the user asked to cancel, and whether another
    user is waiting for the worker."""

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

    def turn_over(self) -> None:
        """Between two steps: raise TurnOver when another user's job should run first (fair turns)."""
        if self._runner.someone_waits(self.job_id):
            raise TurnOver()


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
        self.on_idle: Callable[[], None] | None = None  # called when the queue runs empty (frees engines)

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

    def worker_died(self, retries: int = 1) -> list[Job]:
        """The worker process died: each job it was running is queued again (its turn kept) while it has
        retries left, and failed with a message after that. Returns the jobs as they are now."""
        changed = []
        with self.db.session() as s:
            for job in s.exec(select(Job).where(Job.status == "running")).all():
                job.attempts += 1
                if job.attempts > retries or job.cancel_requested:
                    job.status, job.finished_at = ("cancelled" if job.cancel_requested else "failed"), now()
                    job.error = "" if job.cancel_requested else json.dumps({"key": "worker_crashed", "params": {}})
                else:
                    job.status, job.message = "queued", ""
                s.add(job)
                changed.append(job)
            s.commit()
        return changed

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
    def submit(self, kind: str, user_id: int, project_id: int | None = None, params: dict | None = None) -> Job:
        if kind not in self.handlers:
            raise ValueError(f"unknown job kind {kind!r}")
        with self._claim_lock, self.db.session() as s:
            job = Job(kind=kind, user_id=user_id, project_id=project_id, params_json=json.dumps(params or {}))
            s.add(job)
            s.flush()  # gives the id the position needs
            job.position = (self._next_turn(s, user_id) << TURN_BITS) | job.id
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
        jobs = self.active_jobs_for_project(project_id)
        return jobs[0] if jobs else None

    def active_jobs_for_project(self, project_id: int) -> list[Job]:
        with self.db.session() as s:
            return list(
                s.exec(
                    select(Job).where(Job.project_id == project_id, col(Job.status).in_(ACTIVE)).order_by(Job.id)
                ).all()
            )

    def active_count(self, user_id: int) -> int:
        """How many jobs of this user are queued or running."""
        with self.db.session() as s:
            return len(s.exec(select(Job.id).where(Job.user_id == user_id, col(Job.status).in_(ACTIVE))).all())

    def queue(self) -> list[Job]:
        """Running jobs, then queued ones in the order they will run."""
        with self.db.session() as s:
            running = s.exec(select(Job).where(Job.status == "running").order_by(Job.started_at)).all()
            queued = s.exec(select(Job).where(Job.status == "queued").order_by(Job.position, Job.id)).all()
        return [*running, *queued]

    def recent_done(self, kind: str, limit: int = 20) -> list[Job]:
        with self.db.session() as s:
            return list(
                s.exec(
                    select(Job)
                    .where(Job.kind == kind, Job.status == "done", col(Job.started_at).is_not(None))
                    .order_by(col(Job.id).desc())
                    .limit(limit)
                ).all()
            )

    def move(self, job_id: int, direction: str) -> bool:
        """Swap a queued job with its neighbour in the queue ("up" runs it sooner); False when it cannot move."""
        if direction not in ("up", "down"):
            raise ValueError(direction)
        with self._claim_lock, self.db.session() as s:
            queued = list(s.exec(select(Job).where(Job.status == "queued").order_by(Job.position, Job.id)).all())
            index = next((i for i, j in enumerate(queued) if j.id == job_id), None)
            other = None if index is None else index + (-1 if direction == "up" else 1)
            if other is None or not 0 <= other < len(queued):
                return False
            a, b = queued[index], queued[other]
            a.position, b.position = b.position, a.position
            s.add(a)
            s.add(b)
            s.commit()
        return True

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

    def someone_waits(self, job_id: int) -> bool:
        """Whether a queued job of another user comes before the turn this job would get if queued again."""
        with self.db.session() as s:
            job = s.get(Job, job_id)
            if job is None:
                return False
            first = s.exec(
                select(Job).where(Job.status == "queued", Job.user_id != job.user_id).order_by(Job.position)
            ).first()
            if first is None:
                return False
            return first.position < (self._next_turn(s, job.user_id, after=turn_of(job.position)) << TURN_BITS)

    def run_pending(self) -> int:
        """Run queued jobs in this thread until none is left (tests and scripts); return how many ran."""
        count = 0
        while (job := self._claim()) is not None:
            self._run(job)
            count += 1
        return count

    def next_queued(self) -> Job | None:
        with self.db.session() as s:
            return s.exec(select(Job).where(Job.status == "queued").order_by(Job.position, Job.id)).first()

    # -- internals ------------------------------------------------------------------------------------
    @staticmethod
    def _next_turn(s, user_id: int, after: int = -1) -> int:
        """The turn a new job of this user takes: the turn now served, or the one after the user's last."""
        last_started = s.exec(
            select(Job.position).where(col(Job.started_at).is_not(None)).order_by(col(Job.started_at).desc())
        ).first()
        serving = turn_of(last_started) if last_started else 0
        mine = s.exec(
            select(Job.position)
            .where(Job.user_id == user_id, col(Job.status).in_(ACTIVE))
            .order_by(col(Job.position).desc())
        ).all()
        last_mine = max([after, *(turn_of(p) for p in mine if p)], default=after)
        return max(serving, last_mine + 1)

    def _claim(self) -> Job | None:
        """Take the first job of the queue (the fair order is in the positions)."""
        with self._claim_lock, self.db.session() as s:
            job = s.exec(select(Job).where(Job.status == "queued").order_by(Job.position, Job.id)).first()
            if job is None:
                return None
            job.status, job.started_at, job.error = "running", now(), ""
            s.add(job)
            s.commit()
            s.refresh(job)
            return job

    def _requeue(self, job_id: int) -> None:
        """The job gave its turn to another user: back to the queue, with its next turn."""
        with self._claim_lock, self.db.session() as s:
            job = s.get(Job, job_id)
            job.status, job.message = "queued", json.dumps({"key": "queued", "params": {}})
            job.position = (self._next_turn(s, job.user_id, after=turn_of(job.position)) << TURN_BITS) | job.id
            s.add(job)
            s.commit()

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

    def _watch_cancel(self, ctx: JobContext, done: threading.Event) -> None:
        # The cancel request is written by another process (the web server): poll for it while the job runs,
        # so an engine that reports no progress for a while still sees it.
        while not done.wait(CANCEL_POLL_SECONDS):
            job = self.get(ctx.job_id)
            if job is None or job.cancel_requested:
                ctx.cancel.set()
                return

    def _run(self, job: Job) -> None:
        ctx = JobContext(self, job.id)
        done = threading.Event()
        threading.Thread(target=self._watch_cancel, args=(ctx, done), name=f"cancel-{job.id}", daemon=True).start()
        try:
            result = self.handlers[job.kind](job, ctx)
        except TurnOver:
            self._requeue(job.id)
        except Cancelled:
            self._finish(job.id, "cancelled")
        except UserError as err:
            self._finish(job.id, "failed", {"key": err.key, "params": {k: str(v) for k, v in err.params.items()}})
        except Exception as exc:  # a bug: log it whole, show the user a short message
            log.exception("job %s failed", job.id)
            self._finish(job.id, "failed", {"key": "render_failed", "params": {"detail": type(exc).__name__}})
        else:
            self._finish(job.id, "done", result_id=result)
        finally:
            done.set()

    def _loop(self) -> None:
        busy = False
        while not self._stop.is_set():
            job = self._claim()
            if job is None:
                if busy and self.on_idle is not None:
                    self.on_idle()  # once, when the queue runs empty
                busy = False
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            busy = True
            self._run(job)
