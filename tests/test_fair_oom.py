"""Fair turns between users (issue 15) and the out-of-memory ladder of the render stage, in-process with
engines registered through the registry."""

from __future__ import annotations

import numpy as np
import pytest

from app.queue import job_text
from models.video.animatic import AnimaticEngine
from tests.guard_support import make_studio, new_registry, partial_files, query, register_video_engine, settings_for

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


def studio_with(tmp_path, engine, kind="test_engine", **sections):
    registry = new_registry()
    register_video_engine(registry, kind, lambda preset, context: engine)
    settings = settings_for(tmp_path / "data", video={"engine": kind, "presets": {kind: {"kind": kind}}},
                            render={"short_side": 64, "fps": 4}, narration={"engine": "none"},
                            music={"source": "none"}, **sections)  # fmt: skip
    return make_studio(settings, registry)


def two_users(studio):
    ann = studio.accounts.create_user("ann", "password-ann")
    bob = studio.accounts.create_user("bob", "password-bob")
    a, a_board = studio.create_project(ann, SIX)
    b, b_board = studio.create_project(bob, ONE)
    assert len(a_board.scenes) >= 6
    return ann, bob, a, a_board, b, b_board


def test_a_user_with_one_scene_is_not_held_back_by_six_scene_jobs(tmp_path):
    started: list[str] = []
    studio = studio_with(tmp_path, Recorder(started))
    try:
        ann, bob, a, a_board, b, b_board = two_users(studio)
        for n in range(1, 7):
            studio.submit_render(ann, a.id, scenes=[n])
        studio.submit_render(bob, b.id, scenes=[1])
        assert studio.jobs.run_pending() == 7
        a_prompts = [s.prompt for s in studio.shots(a_board)[:6]]
        b_prompt = studio.shots(b_board)[0].prompt
        assert started.index(b_prompt) <= started.index(a_prompts[1])  # no later than ann's second scene
        assert sorted(started) == sorted([*a_prompts, b_prompt])  # each scene once
    finally:
        studio.close()


def test_a_long_render_gives_its_turn_to_another_user_between_scenes(tmp_path):
    started: list[str] = []
    studio = studio_with(tmp_path, Recorder(started))
    try:
        ann, bob, a, a_board, b, b_board = two_users(studio)
        a_job = studio.submit_render(ann, a.id)  # one job, every scene, then the film
        b_job = studio.submit_render(bob, b.id)
        studio.jobs.run_pending()
        a_prompts = [s.prompt for s in studio.shots(a_board)]
        b_prompts = [s.prompt for s in studio.shots(b_board)]
        assert started.index(b_prompts[0]) <= started.index(a_prompts[1])
        assert sorted(started) == sorted(a_prompts + b_prompts)  # nothing rendered twice after giving way
        db = studio.settings.data_dir / "storyreel.db"
        assert query(db, "select id, status from jobs order by id") == [(a_job.id, "done"), (b_job.id, "done")]
        assert query(db, "select count(*) from films") == [(2,)]
    finally:
        studio.close()


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


def test_out_of_memory_retries_the_scene_at_the_lower_policy_and_succeeds(tmp_path):
    engine = OutOfMemoryEngine(fail_times=1)
    studio = studio_with(tmp_path, engine)
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, ONE)
        job = studio.submit_render(user, project.id)
        studio.jobs.run_pending()
        assert studio.jobs.get(job.id).status == "done", studio.jobs.get(job.id).error
        assert engine.lowered == 1 and engine.attempts == len(board.scenes) + 1
        db = studio.settings.data_dir / "storyreel.db"
        assert query(db, "select count(*) from clips") == [(len(board.scenes),)]
        assert partial_files(studio.settings.data_dir / "media") == []
        assert studio.rendering.out_of_memory is False  # the job released the engine after the OOM
    finally:
        studio.close()


@pytest.mark.parametrize("error", ["cuda", "host"])
def test_out_of_memory_twice_fails_with_what_to_change(tmp_path, error):
    engine = OutOfMemoryEngine(fail_times=2, error=error)
    studio = studio_with(tmp_path, engine)
    try:
        user = studio.local_user()
        project, _ = studio.create_project(user, ONE)
        job = studio.submit_render(user, project.id)
        studio.jobs.run_pending()
        failed = studio.jobs.get(job.id)
        assert failed.status == "failed" and engine.attempts == 2 and engine.lowered == 1
        assert "short_side" in job_text(failed, "en") and "scene 1" in job_text(failed, "en").lower()
        assert "short_side" in job_text(failed, "zh") and "内存不足" in job_text(failed, "zh")
        db = studio.settings.data_dir / "storyreel.db"
        assert query(db, "select status, error from projects where id=?", (project.id,)) == [
            ("failed", "render_out_of_memory")
        ]
        assert query(db, "select count(*) from clips") == [(0,)]
        assert partial_files(studio.settings.data_dir / "media") == []
    finally:
        studio.close()


def test_an_engine_without_a_lower_policy_fails_at_once(tmp_path):
    engine = OutOfMemoryEngine(fail_times=1, policies=0)
    studio = studio_with(tmp_path, engine)
    try:
        user = studio.local_user()
        project, _ = studio.create_project(user, ONE)
        job = studio.submit_render(user, project.id)
        studio.jobs.run_pending()
        assert studio.jobs.get(job.id).status == "failed" and engine.attempts == 1
        assert "render_out_of_memory" in studio.jobs.get(job.id).error
    finally:
        studio.close()
