"""Following a render from the page (app/ui/render.py wait_for): a progress message goes to the page only when the
job has news, and a job waiting its turn is looked at less often than a running one (20 users' renders, each
looked at and re-sent every 0.3 s, kept the page busy for nothing: bench/load.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import app.ui.render as render


class Jobs:
    """A job that stays queued for three looks, runs at 0.5 for three, then is done."""

    def __init__(self) -> None:
        self.looks = 0

    def get(self, job_id: int):
        self.looks += 1
        status, progress = (
            ("queued", 0.0) if self.looks <= 3 else ("running", 0.5) if self.looks <= 6 else ("done", 1.0)
        )
        return SimpleNamespace(id=job_id, status=status, progress=progress, message="", error="")

    def preview_path(self, job_id: int) -> Path:
        return Path("/nonexistent/preview.jpg")


def test_progress_is_sent_only_on_news_and_a_queued_job_is_looked_at_less_often(monkeypatch):
    sleeps, sent = [], []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    monkeypatch.setattr(render.asyncio, "sleep", sleep)
    studio = SimpleNamespace(jobs=Jobs())

    async def follow() -> list:
        return [
            u
            async for u in render.wait_for(studio, SimpleNamespace(id=7), "en", lambda p, desc: sent.append((p, desc)))
        ]

    asyncio.run(follow())
    assert studio.jobs.looks == 7
    assert [p for p, _ in sent] == [0.0, 0.5, 1.0]  # three states, three messages (not seven)
    assert sleeps == [render.QUEUED_POLL_SECONDS] * 3 + [render.POLL_SECONDS] * 3
    assert render.QUEUED_POLL_SECONDS > render.POLL_SECONDS
