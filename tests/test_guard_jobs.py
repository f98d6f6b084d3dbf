"""Safety net (issue 10): a render job stops when cancelled and keeps nothing partial, and a studio killed
with SIGKILL mid-render resumes the same job on restart without rendering a finished scene again."""

from __future__ import annotations

import threading
import time

import httpx
import numpy as np
import pytest
from gradio_client import Client

from app.write import WriteRequest
from models.video.base import VideoEngine
from tests.conftest import StudioServer
from tests.guard_support import (
    cancel_render,
    make_studio,
    new_registry,
    partial_files,
    query,
    register_video_engine,
    settings_for,
    wait_for,
)

IDEA = "A fox wakes in its den. It runs across the snow. It finds a frozen river. It sleeps under the moon."
SCENE_SECONDS = 8  # long enough that a scene takes a moment to render, so the tests act between scenes


# -- the cancel check between scenes, in-process --------------------------------------------------------
class StubbornEngine(VideoEngine):
    """An engine that cannot be interrupted inside a scene (as a diffusion step loop may not be): it ignores
    its cancel event, so only the studio's check between scenes can stop the job."""

    name = "stubborn"

    def __init__(self) -> None:
        self.rendered: list[str] = []  # prompts of the shots rendered to the end
        self.on_first_frame = None

    def render(self, shot, progress=None, cancel=None):
        for i in range(shot.frames):
            if i == 0 and not self.rendered and self.on_first_frame is not None:
                self.on_first_frame()
            time.sleep(0.03)  # slow enough for the job to notice the cancel request while this scene runs
            if progress is not None:
                progress(i + 1, shot.frames, None)
            yield np.full((shot.height, shot.width, 3), 40 * (len(self.rendered) + 1) % 256, dtype=np.uint8)
        self.rendered.append(shot.prompt)


def test_cancel_between_scenes_stops_an_engine_that_cannot_be_interrupted(tmp_path):
    engine = StubbornEngine()
    registry = new_registry()
    register_video_engine(registry, "stubborn", lambda preset, context: engine)
    settings = settings_for(
        tmp_path / "data",
        video={"engine": "stubborn", "presets": {"stubborn": {"kind": "stubborn"}}},
        render={"short_side": 64, "fps": 8},
        narration={"engine": "none"},
        music={"source": "none"},
    )
    studio = make_studio(settings, registry)
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        assert len(board.scenes) >= 3
        engine.on_first_frame = lambda: cancel_render(studio, user, project.id)
        job = studio.submit_render(user, project.id)
        studio.jobs.run_pending()
        db = settings.data_dir / "storyreel.db"
        assert query(db, "select status from jobs where id=?", (job.id,)) == [("cancelled",)]
        assert len(engine.rendered) == 1  # the scene under way finished; no later scene was started
        assert query(db, "select status from projects where id=?", (project.id,)) == [("pending",)]
        assert query(db, "select count(*) from films where project_id=?", (project.id,)) == [(0,)]
        clips = query(db, "select file_path from clips where project_id=?", (project.id,))
        assert len(clips) == 1 and (settings.data_dir / "media" / clips[0][0]).is_file()  # a whole clip, kept
        assert partial_files(settings.data_dir / "media") == []
    finally:
        studio.close()


# -- through the running studio -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("guard_jobs") / "data"
    studio_server = StudioServer(data).start()
    studio_server.db = data / "storyreel.db"
    yield studio_server
    studio_server.stop()


def long_project(client: Client, idea: str) -> tuple[int, int]:
    """A project of several scenes, each SCENE_SECONDS long; returns (project id, number of scenes).
    Each test writes its own idea: clips are cached by shot, so a second project of the same idea would
    render nothing."""
    pid, table, _ = client.predict(idea, False, api_name="/write_storyboard")
    for row in table["data"]:
        row[3] = SCENE_SECONDS
    saved, _ = client.predict(pid, table, False, api_name="/save_storyboard")
    assert all(float(row[3]) >= SCENE_SECONDS for row in saved["data"])
    return int(pid), len(saved["data"])


def job_of(db, pid: int) -> tuple[int, str] | None:
    rows = query(db, "select id, status from jobs where project_id=? order by id desc", (pid,))
    return rows[0] if rows else None


def clip_rows(db, pid: int) -> list[tuple]:
    return query(db, "select id, scene_id, shot_hash, file_path from clips where project_id=? order by id", (pid,))


def clip_files(data_dir) -> set[str]:
    root = data_dir / "media"
    return {p.relative_to(root).as_posix() for p in root.glob("users/*/clips/*") if not p.name.startswith(".")}


def first_clip_while_running(db, pid: int):
    job = job_of(db, pid)
    return job is not None and job[1] == "running" and len(clip_rows(db, pid)) >= 1


@pytest.mark.slow
def test_cancelling_a_running_render_stops_it_and_keeps_nothing_partial(server):
    client = Client(server.url, verbose=False, download_files=False)
    pid, n = long_project(client, "A kite lifts off a green hill. It climbs above a village. It loops in the wind. "
                                  "It lands by a river.")  # fmt: skip
    assert n >= 3
    films_before = query(server.db, "select count(*) from films")[0][0]
    render = client.submit(pid, api_name="/render")
    wait_for(lambda: first_clip_while_running(server.db, pid), 120, what="the first clip while the job runs")
    assert "cancel" in client.predict(pid, api_name="/cancel_render").lower()
    wait_for(lambda: job_of(server.db, pid)[1] in ("cancelled", "done", "failed"), 60, what="the job to stop")
    job_id, status = job_of(server.db, pid)
    assert status == "cancelled"
    assert query(server.db, "select finished_at is not null from jobs where id=?", (job_id,)) == [(1,)]
    assert query(server.db, "select status from projects where id=?", (pid,)) == [("pending",)]  # as today's code
    assert query(server.db, "select count(*) from films")[0][0] == films_before  # no film of a cancelled render
    try:
        outputs = render.result(timeout=30)
        assert "cancelled" in str(outputs[0]).lower()
    except Exception as err:  # the cancel button also cancels the render event: no outputs then
        assert "cancel" in f"{type(err).__name__} {err}".lower(), err
    clips = clip_rows(server.db, pid)
    assert 1 <= len(clips) < n  # the render stopped before its last scene
    scene_ids = [r[0] for r in query(server.db, "select id from scenes where project_id=? order by scene_number",
                                     (pid,))]  # fmt: skip
    done = {r[1] for r in clips}
    assert done == set(scene_ids[: len(clips)])  # the finished scenes, in order, and none after them
    # No partial clip: every clip file has its row (the cancelled scene left neither), none is half-written.
    assert clip_files(server.data_dir) == {r[3] for r in clips}
    assert partial_files(server.data_dir / "media") == []
    time.sleep(1.0)  # the job stopped: nothing is written after it said so
    assert clip_rows(server.db, pid) == clips and job_of(server.db, pid) == (job_id, "cancelled")

    # Rendering again finishes the film from where it stopped: the finished scenes are not rendered again.
    _, _, film_id = client.predict(pid, api_name="/render")
    after = clip_rows(server.db, pid)
    assert after[: len(clips)] == clips and len(after) == n
    assert query(server.db, "select project_id from films where id=?", (int(film_id),)) == [(pid,)]


@pytest.mark.slow
def test_a_studio_killed_mid_render_resumes_the_job_without_rendering_a_scene_twice(server):
    client = Client(server.url, verbose=False, download_files=False)
    pid, n = long_project(client, "A train leaves a snowy station. It crosses a bridge. It enters a tunnel. "
                                  "It arrives at the sea.")  # fmt: skip
    threading.Thread(target=lambda: _quietly(client.predict, pid, api_name="/render"), daemon=True).start()
    wait_for(lambda: first_clip_while_running(server.db, pid), 120, what="the first clip while the job runs")
    server.proc.kill()  # SIGKILL: no shutdown handler runs
    server.proc.wait(30)
    job_id, status = job_of(server.db, pid)
    assert status == "running", "the studio was meant to die mid-render"
    before = clip_rows(server.db, pid)
    assert 1 <= len(before) < n
    media = server.data_dir / "media"
    stamps = {r[3]: (media / r[3]).stat().st_mtime_ns for r in before}

    server.start()  # the same data folder, as a user restarts it
    wait_for(lambda: job_of(server.db, pid)[1] in ("done", "failed", "cancelled"), 180, interval=0.3,
             what="the resumed job to finish")  # fmt: skip
    assert query(server.db, "select id, status from jobs where project_id=?", (pid,)) == [(job_id, "done")]
    after = clip_rows(server.db, pid)
    assert after[: len(before)] == before  # the clips finished before the kill are kept as they were
    assert {r[3]: (media / r[3]).stat().st_mtime_ns for r in before} == stamps  # ...and not written again
    per_scene = query(server.db, "select scene_id, count(*) from clips where project_id=? group by scene_id", (pid,))
    assert len(per_scene) == n and all(count == 1 for _, count in per_scene)  # each scene rendered once
    assert all((media / r[3]).is_file() for r in after)
    assert partial_files(media) == []  # what the kill left half-written is gone
    assert query(server.db, "select status from projects where id=?", (pid,)) == [("completed",)]
    task = httpx.get(f"{server.url}api/tasks/{pid}", timeout=30).json()  # login off: the local creator
    assert task["status"] == "completed"
    film = httpx.get(f"{server.url}{task['result']['video_url'].lstrip('/')}", timeout=30)
    assert film.status_code == 200 and film.content[4:8] == b"ftyp"


def _quietly(fn, *args, **kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except Exception:  # the connection dies with the studio; that is the point
        pass
