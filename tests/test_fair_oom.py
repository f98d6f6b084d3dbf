"""Fair turns between users (issue 15) and the out-of-memory ladder of the render stage, in-process with
engines registered through the registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from app.queue import job_text
from app.write import WriteRequest
from models.video.animatic import AnimaticEngine
from tests.guard_support import make_studio, new_registry, partial_files, query, register_video_engine, settings_for

if TYPE_CHECKING:
    from app.studio import Studio
    from models.storyboard import Storyboard
    from storage.tables import Job, ProjectRow, User

SIX = ("A fox wakes in its den. It runs across the snow. It finds a frozen river. It meets an owl. "
       "It hides from a storm. It sleeps under the moon.")  # fmt: skip
ONE = "A kite lifts off a green hill. It lands by a river."


class Recorder(AnimaticEngine):
    """The animatic, noting which shot it starts (by prompt) in a list the test reads."""

    def __init__(self, started: list[str]) -> None:
        super().__init__()
        self.started = started

    def render(self, shot, progress=None, cancel=None):
        self.started.append(shot.prompt)
        yield from super().render(shot, progress=progress, cancel=cancel)


@pytest.fixture
def studio_for(tmp_path):
    """A studio whose video engine is the one the test passes in; closed once the test is over."""
    made: list[Studio] = []

    def build(engine) -> Studio:
        registry, kind = new_registry(), "test_engine"
        register_video_engine(registry, kind, lambda preset, context: engine)
        settings = settings_for(tmp_path / "data", video={"engine": kind, "presets": {kind: {"kind": kind}}},
                                render={"short_side": 64, "fps": 4}, narration={"engine": "none"},
                                music={"source": "none"})  # fmt: skip
        made.append(make_studio(settings, registry))
        return made[-1]

    yield build
    for studio in made:
        studio.close()


def database(studio: Studio) -> Path:
    return studio.settings.data_dir / "storyreel.db"


@dataclass
class TwoUsers:
    """ann's six-scene project and bob's one-scene project, on a studio whose engine notes each shot it
    starts (by prompt) in `started`."""

    studio: Studio
    started: list[str]
    ann: User
    bob: User
    a: ProjectRow
    a_board: Storyboard
    b: ProjectRow
    b_board: Storyboard

    def prompts(self, board: Storyboard) -> list[str]:
        return [s.prompt for s in self.studio.shots(board)]


@pytest.fixture
def two(studio_for) -> TwoUsers:
    started: list[str] = []
    studio = studio_for(Recorder(started))
    ann = studio.accounts.create_user("ann", "password-ann")
    bob = studio.accounts.create_user("bob", "password-bob")
    a, a_board = studio.create_project(ann, WriteRequest(idea=SIX))
    b, b_board = studio.create_project(bob, WriteRequest(idea=ONE))
    assert len(a_board.scenes) >= 6
    return TwoUsers(studio, started, ann, bob, a, a_board, b, b_board)


def test_a_user_with_one_scene_is_not_held_back_by_six_scene_jobs(two):
    for n in range(1, 7):
        two.studio.submit_render(two.ann, two.a.id, scenes=[n])
    two.studio.submit_render(two.bob, two.b.id, scenes=[1])
    assert two.studio.jobs.run_pending() == 7
    a_prompts = two.prompts(two.a_board)[:6]
    b_prompt = two.prompts(two.b_board)[0]
    assert two.started.index(b_prompt) <= two.started.index(a_prompts[1])  # no later than ann's second scene
    assert sorted(two.started) == sorted([*a_prompts, b_prompt])  # each scene once


def test_a_long_render_gives_its_turn_to_another_user_between_scenes(two):
    a_job = two.studio.submit_render(two.ann, two.a.id)  # one job, every scene, then the film
    b_job = two.studio.submit_render(two.bob, two.b.id)
    two.studio.jobs.run_pending()
    a_prompts, b_prompts = two.prompts(two.a_board), two.prompts(two.b_board)
    assert two.started.index(b_prompts[0]) <= two.started.index(a_prompts[1])
    assert sorted(two.started) == sorted(a_prompts + b_prompts)  # nothing rendered twice after giving way
    db = database(two.studio)
    assert query(db, "select id, status from jobs order by id") == [(a_job.id, "done"), (b_job.id, "done")]
    assert query(db, "select count(*) from films") == [(2,)]


class OutOfMemoryEngine(AnimaticEngine):
    """Runs out of memory (as torch raises it) on its first `fail_times` renders; lower_memory_policy steps
    down while it has policies left."""

    def __init__(self, fail_times: int, policies: int = 1, error: str = "cuda") -> None:
        super().__init__()
        self.fail_times, self.policies, self.error = fail_times, policies, error
        self.attempts = self.lowered = 0

    def lower_memory_policy(self) -> bool:
        if self.lowered >= self.policies:
            return False
        self.lowered += 1
        return True

    def render(self, shot, progress=None, cancel=None):
        self.attempts += 1
        if self.attempts <= self.fail_times:
            yield np.zeros((shot.height, shot.width, 3), dtype=np.uint8)  # a frame is encoded, then it fails
            if self.error == "host":
                raise MemoryError()
            import torch

            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        yield from super().render(shot, progress=progress, cancel=cancel)


@dataclass
class Rendered:
    """The local user's one-project render (ONE) as it ended, on a studio with the test's engine."""

    studio: Studio
    project_id: int
    scenes: int  # how many scenes its storyboard has
    job: Job  # as it ended

    @property
    def db(self) -> Path:
        return database(self.studio)

    @property
    def partial_files(self) -> list[Path]:
        return partial_files(self.studio.settings.data_dir / "media")


@pytest.fixture
def render_with(studio_for):
    """Render ONE to the end of its job with the engine given (the jobs run in this thread)."""

    def run(engine) -> Rendered:
        studio = studio_for(engine)
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=ONE))
        job = studio.submit_render(user, project.id)
        studio.jobs.run_pending()
        return Rendered(studio, project.id, len(board.scenes), studio.jobs.get(job.id))

    return run


def test_out_of_memory_retries_the_scene_at_the_lower_policy_and_succeeds(render_with):
    engine = OutOfMemoryEngine(fail_times=1)
    render = render_with(engine)
    assert render.job.status == "done", render.job.error
    assert engine.lowered == 1 and engine.attempts == render.scenes + 1
    assert query(render.db, "select count(*) from clips") == [(render.scenes,)]
    assert render.partial_files == []
    assert render.studio.rendering.out_of_memory is False  # the job released the engine after the OOM


@pytest.mark.parametrize("error", ["cuda", "host"])
def test_out_of_memory_twice_fails_with_what_to_change(render_with, error):
    engine = OutOfMemoryEngine(fail_times=2, error=error)
    failed = render_with(engine)
    assert failed.job.status == "failed" and engine.attempts == 2 and engine.lowered == 1
    assert "short_side" in job_text(failed.job, "en") and "scene 1" in job_text(failed.job, "en").lower()
    assert "short_side" in job_text(failed.job, "zh") and "内存不足" in job_text(failed.job, "zh")
    assert query(failed.db, "select status, error from projects where id=?", (failed.project_id,)) == [
        ("failed", "render_out_of_memory")
    ]
    assert query(failed.db, "select count(*) from clips") == [(0,)]
    assert failed.partial_files == []


def test_an_engine_without_a_lower_policy_fails_at_once(render_with):
    engine = OutOfMemoryEngine(fail_times=1, policies=0)
    failed = render_with(engine)
    assert failed.job.status == "failed" and engine.attempts == 1
    assert "render_out_of_memory" in failed.job.error
