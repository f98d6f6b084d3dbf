"""The render queue as users see it: typed entries with their place, progress and an ETA, and a render's
parameters. Pure functions over Job rows; the studio (app/studio.py) decides who sees what."""

from __future__ import annotations

import json
import statistics
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.i18n import t
from storage.tables import Job


class RenderParams(BaseModel):
    """What a render job renders: every scene (None) or only these scene numbers (then no film is assembled),
    at a quality ("final", "draft"; None: settings.toml's [video] quality)."""

    scenes: list[int] | None = None
    quality: Literal["final", "draft"] | None = None

    def overlaps(self, other: RenderParams) -> bool:
        if self.scenes is None or other.scenes is None:
            return True
        return bool(set(self.scenes) & set(other.scenes))


class QueueEntry(BaseModel):
    job_id: int
    project_id: int | None
    project_title: str = ""
    username: str = ""
    kind: str
    status: Literal["queued", "running"]
    position: int = Field(description="0: running now; 1: next; 2... (one order for everyone, fair between users)")
    progress: float = Field(ge=0.0, le=1.0)
    eta_seconds: int | None = Field(None, description="Seconds until it is done; None while there is no history")
    message: str = ""
    scenes: list[int] | None = None
    quality: str | None = None


def job_params(job: Job) -> RenderParams:
    return RenderParams.model_validate(json.loads(job.params_json or "{}"))


def job_text(job: Job, lang: str) -> str:
    """The job's last message (or its error), in the user's language."""
    raw = job.error if job.status == "failed" else job.message
    if not raw:
        return t("queued", lang)
    info = json.loads(raw)
    return t(info["key"], lang, **info.get("params", {}))


def _aware(stamp: datetime) -> datetime:
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def typical_seconds(done: list[Job]) -> float | None:
    """The median wall time of recently finished jobs (None without history)."""
    spans = [(_aware(j.finished_at) - _aware(j.started_at)).total_seconds() for j in done
             if j.started_at is not None and j.finished_at is not None]  # fmt: skip
    return statistics.median(spans) if spans else None


def remaining_seconds(job: Job, typical: float | None, at: datetime) -> float | None:
    if job.status == "running" and job.started_at is not None:
        elapsed = (at - _aware(job.started_at)).total_seconds()
        if job.progress >= 0.05:  # enough progress to extrapolate from this job itself
            return elapsed / job.progress * (1.0 - job.progress)
        return None if typical is None else max(0.0, typical - elapsed)
    return typical


def entries(queue: list[Job], typical: float | None, lang: str, titles: dict[int, str],
            names: dict[int, str]) -> list[QueueEntry]:  # fmt: skip
    """Every active job in queue order (running first), numbered, with a cumulative ETA."""
    at = datetime.now(UTC)
    out, ahead, rank = [], 0.0, 0
    for job in queue:
        left = remaining_seconds(job, typical, at)
        ahead = None if (ahead is None or left is None) else ahead + left
        rank = 0 if job.status == "running" else rank + 1
        params = job_params(job)
        out.append(
            QueueEntry(
                job_id=job.id,
                project_id=job.project_id,
                project_title=titles.get(job.project_id, ""),
                username=names.get(job.user_id, ""),
                kind=job.kind,
                status=job.status,
                position=rank,
                progress=max(0.0, min(1.0, job.progress)),
                eta_seconds=None if ahead is None else int(ahead + 0.5),
                message=job_text(job, lang),
                scenes=params.scenes,
                quality=params.quality,
            )
        )
    return out
