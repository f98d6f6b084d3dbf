"""Scale-out (issue 15): with [jobs] backend = "ray", a project's scene renders run as Ray tasks (here on a
small local Ray instance, CPU only) and come back to the studio, which assembles the film."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.write import WriteRequest
from models.ffmpeg import probe
from tests.guard_support import make_studio, query, settings_for

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
IDEA = "A paper boat drifts down a gutter. It slides under a bridge. It reaches a pond at dusk."


def test_scene_renders_fan_out_as_ray_tasks_and_the_studio_assembles_the_film(tmp_path):
    import ray

    render_log = tmp_path / "renders.log"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT), "STORYREEL_TEST_RENDER_LOG": str(render_log)}})  # fmt: skip
    settings = settings_for(
        tmp_path / "data",
        video={"engine": "recording", "presets": {"recording": {"kind": "recording"}}},
        render={"short_side": 64, "fps": 8},
        narration={"engine": "none"},
        music={"source": "none"},
        jobs={"backend": "ray", "ray_num_gpus": 0, "ray_num_cpus": 1, "plugins": ["tests.worker_engines:register"]},
    )
    studio = make_studio(settings)
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        n = len(board.scenes)
        job = studio.submit_render(user, project.id)
        assert studio.jobs.run_pending() == 1
        done = studio.jobs.get(job.id)
        assert done.status == "done", done.error
        # Every scene was rendered once, by Ray worker processes, not by this one.
        pids = [line.split("\t")[0] for line in render_log.read_text().splitlines()]
        assert len(pids) == n and str(os.getpid()) not in pids
        db = settings.data_dir / "storyreel.db"
        clips = query(db, "select file_path, frames from clips where project_id=?", (project.id,))
        assert len(clips) == n and all((settings.data_dir / "media" / path).is_file() for path, _ in clips)
        film = studio.latest_film(user, project.id)
        assert film is not None and film.id == done.result_id
        info = probe(settings.data_dir / "media" / film.file_path)
        assert abs(info.duration - sum(s.duration for s in board.scenes)) <= 0.5
        # A second render finds every clip cached: nothing goes to Ray.
        again = studio.submit_render(user, project.id)
        studio.jobs.run_pending()
        assert studio.jobs.get(again.id).status == "done" and len(render_log.read_text().splitlines()) == n
    finally:
        studio.close()
        ray.shutdown()
