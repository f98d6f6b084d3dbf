"""The render worker process (issue 15): renders run outside the web process, which never imports torch; a
worker killed mid-scene is restarted and its job retried once (then failed with a message)."""

from __future__ import annotations

import json
import os
import signal
import threading

import httpx
import pytest
from gradio_client import Client

from app.jobs import JobRunner
from storage.db import Database
from storage.tables import Job, User
from tests.conftest import StudioServer
from tests.guard_support import query, wait_for

IDEA = "A lighthouse keeper finds a bottle. He reads the letter. He rows out at dawn. He meets a whale."


def worker_env(render_log) -> dict[str, str]:
    return {
        "STORYREEL_JOBS__PLUGINS": '["tests.worker_engines:register"]',
        "STORYREEL_VIDEO__ENGINE": '"recording"',
        "STORYREEL_VIDEO__PRESETS__RECORDING__KIND": '"recording"',
        "STORYREEL_RENDER__SHORT_SIDE": "128",
        "STORYREEL_NARRATION__ENGINE": '"none"',
        "STORYREEL_MUSIC__SOURCE": '"none"',
        "STORYREEL_TEST_RENDER_LOG": str(render_log),
        "STORYREEL_TEST_FRAME_DELAY": "0.04",  # ~2.5 s a scene: time to kill the worker inside one
    }


def health(server) -> dict:
    return httpx.get(f"{server.url}health", timeout=30).json()


def renders(render_log) -> list[str]:
    return render_log.read_text().splitlines() if render_log.exists() else []


@pytest.mark.slow
def test_a_killed_worker_is_restarted_and_the_film_completes_with_one_retry(tmp_path):
    render_log = tmp_path / "renders.log"
    server = StudioServer(tmp_path / "data", env=worker_env(render_log)).start()
    db = server.data_dir / "storyreel.db"
    try:
        client = Client(server.url, verbose=False, download_files=False)
        pid, table, _ = client.predict(IDEA, False, api_name="/write_storyboard")
        n = len(table["data"])
        assert n >= 3
        first_worker = wait_for(lambda: health(server)["worker"]["pid"], 60, what="the render worker")
        outcome: dict = {}
        render = threading.Thread(target=lambda: outcome.update(r=client.predict(pid, api_name="/render")))
        render.start()
        # Mid-scene: scene 1's clip is kept and scene 2 has started drawing.
        wait_for(lambda: len(renders(render_log)) == 2 and query(db, "select count(*) from clips")[0][0] == 1, 120,
                 interval=0.02, what="the second scene to start")  # fmt: skip
        os.kill(first_worker, signal.SIGKILL)

        # The studio keeps serving while the worker is gone and comes back.
        assert httpx.get(f"{server.url}health", timeout=10).status_code == 200
        library = client.predict(api_name="/library")
        assert int(pid) in [row[0] for row in library["data"]]
        info = wait_for(lambda: (w := health(server)["worker"])["pid"] not in (None, first_worker) and w, 60,
                        what="a new worker")  # fmt: skip
        assert info["restarts"] == 1
        render.join(180)
        assert not render.is_alive()
        status, player, film_id = outcome["r"]
        assert "/media/film/" in player
        job = query(db, "select status, attempts from jobs where project_id=?", (pid,))
        assert job == [("done", 1)]
        # Every scene rendered once, plus the scene the kill interrupted, once more.
        assert len(renders(render_log)) == n + 1
        assert len({line.split("\t")[0] for line in renders(render_log)}) == 2  # by two worker processes
        per_scene = query(db, "select scene_id, count(*) from clips where project_id=? group by scene_id", (pid,))
        assert len(per_scene) == n and all(count == 1 for _, count in per_scene)
        # The web process never loaded torch: renders, health and model status all ran without it.
        httpx.get(f"{server.url}api/model/status", timeout=30)
        maps = open(f"/proc/{server.proc.pid}/maps").read()
        assert "libtorch" not in maps and "libc10" not in maps
    finally:
        server.stop()


def test_a_job_whose_worker_dies_twice_fails_with_a_message(tmp_path):
    db = Database(tmp_path / "jobs.db")
    with db.session() as s:
        s.add(User(username="ann"))
        s.commit()
    runner = JobRunner(db, {"render": lambda job, ctx: None})
    job = runner.submit("render", 1)
    for expected in ("queued", "failed"):
        assert runner._claim().id == job.id  # the worker takes it...
        (after,) = runner.worker_died(retries=1)  # ...and dies with it
        assert after.status == expected
    row = runner.get(job.id)
    assert row.attempts == 2 and json.loads(row.error)["key"] == "worker_crashed"
    with db.session() as s:
        assert s.get(Job, job.id).finished_at is not None
