"""The render queue's facade: fair positions across users, who may cancel and reorder, one-scene and draft
renders, the per-user limit, and GET /api/queue."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.rest import build_router
from app.write import WriteRequest
from models.errors import UserError
from tests.guard_support import make_studio, query, settings_for

IDEA = "A fox wakes in its den. It runs across the snow. It finds a frozen river. It sleeps under the moon."


@pytest.fixture
def studio(tmp_path):
    settings = settings_for(tmp_path / "data", render={"short_side": 64, "fps": 4},
                            narration={"engine": "none"}, music={"source": "none"},
                            jobs={"max_queued_per_user": 3})  # fmt: skip
    s = make_studio(settings)
    yield s
    s.close()


def users(studio):
    ann = studio.accounts.create_user("ann", "password-ann")
    bob = studio.accounts.create_user("bob", "password-bob")
    boss = studio.accounts.create_user("boss", "password-boss", role="admin")
    return ann, bob, boss


def test_positions_are_fair_and_global_and_each_user_sees_their_own(studio):
    ann, bob, boss = users(studio)
    a, _ = studio.create_project(ann, WriteRequest(idea=IDEA))
    b, _ = studio.create_project(bob, WriteRequest(idea="A kite lifts off a hill. It lands by a river."))
    a_jobs = [studio.submit_render(ann, a.id, scenes=[n]) for n in (1, 2, 3)]
    b_job = studio.submit_render(bob, b.id)
    everyone = studio.queue(boss)
    assert [e.job_id for e in everyone] == [a_jobs[0].id, b_job.id, a_jobs[1].id, a_jobs[2].id]
    assert [e.position for e in everyone] == [1, 2, 3, 4]  # nothing runs yet
    assert {e.username for e in everyone} == {"ann", "bob"} and everyone[1].project_title
    assert [(e.job_id, e.position) for e in studio.queue(bob)] == [(b_job.id, 2)]
    assert everyone[0].scenes == [1] and everyone[1].scenes is None


def test_limit_per_user_is_a_clear_message(studio):
    ann, _, _ = users(studio)
    a, _ = studio.create_project(ann, WriteRequest(idea=IDEA))
    for n in (1, 2, 3):
        studio.submit_render(ann, a.id, scenes=[n])
    with pytest.raises(UserError) as err:
        studio.submit_render(ann, a.id, scenes=[4])
    assert err.value.key == "queue_full" and err.value.params["limit"] == 3
    with pytest.raises(UserError) as busy:
        studio.submit_render(ann, a.id)  # a whole render overlaps the queued scenes
    assert busy.value.key == "render_busy"


def test_cancel_by_owner_or_admin_and_reorder_by_admin_only(studio):
    ann, bob, boss = users(studio)
    a, _ = studio.create_project(ann, WriteRequest(idea=IDEA))
    first, second = (studio.submit_render(ann, a.id, scenes=[n]) for n in (1, 2))
    with pytest.raises(UserError) as err:
        studio.cancel_job(bob, first.id)
    assert err.value.key == "job_missing"
    with pytest.raises(UserError) as err:
        studio.move_job(ann, second.id, "up")
    assert err.value.key == "admin_only"
    assert studio.move_job(boss, second.id, "up") is True
    assert [e.job_id for e in studio.queue(boss)] == [second.id, first.id]
    assert studio.move_job(boss, second.id, "up") is False  # already first
    assert studio.cancel_job(ann, first.id).status == "cancelled"
    assert studio.cancel_job(boss, second.id).status == "cancelled"
    assert studio.queue(boss) == []


def test_a_one_scene_draft_render_renders_that_scene_only_and_assembles_nothing(studio):
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    job = studio.submit_render(user, project.id, scenes=[2], quality="draft")
    assert studio.jobs.run_pending() == 1
    assert studio.jobs.get(job.id).status == "done", studio.jobs.get(job.id).error
    db = studio.settings.data_dir / "storyreel.db"
    scene2 = query(db, "select id from scenes where project_id=? and scene_number=2", (project.id,))[0][0]
    draft = studio.shots(board, "draft")[1]
    assert query(db, "select scene_id, resolution from clips where project_id=?", (project.id,)) == [
        (scene2, f"{draft.width}x{draft.height}")
    ]
    assert query(db, "select count(*) from films where project_id=?", (project.id,)) == [(0,)]
    with pytest.raises(UserError) as err:
        studio.submit_render(user, project.id, scenes=[len(board.scenes) + 1])
    assert err.value.key == "scene_missing"
    with pytest.raises(UserError) as err:
        studio.submit_render(user, project.id, quality="ultra")
    assert err.value.key == "render_quality_invalid"


def test_rest_queue_lists_the_callers_jobs(studio):
    ann, bob, _ = users(studio)
    a, _ = studio.create_project(ann, WriteRequest(idea=IDEA))
    job = studio.submit_render(ann, a.id, scenes=[1])
    who = {"ann": ann, "bob": bob}
    api = FastAPI()
    api.include_router(build_router(studio, lambda request: who.get(request.headers.get("x-user", ""))))
    client = TestClient(api)
    assert client.get("/api/queue").status_code == 401
    rows = client.get("/api/queue", headers={"x-user": "ann"}).json()
    assert [(r["job_id"], r["position"], r["status"], r["scenes"]) for r in rows] == [(job.id, 1, "queued", [1])]
    assert client.get("/api/queue", headers={"x-user": "bob"}).json() == []
    assert "/api/queue" in client.get("/openapi.json").json()["paths"]


def test_eta_comes_from_finished_renders_and_adds_up_along_the_queue(studio):
    user = studio.local_user()
    project, _ = studio.create_project(user, WriteRequest(idea=IDEA))
    assert studio.queue(user) == []
    first = studio.submit_render(user, project.id, scenes=[1])
    assert studio.queue(user)[0].eta_seconds is None  # no render has finished yet: no estimate
    studio.jobs.run_pending()
    done = studio.jobs.get(first.id)
    typical = (done.finished_at - done.started_at).total_seconds()
    studio.submit_render(user, project.id, scenes=[2])
    studio.submit_render(user, project.id, scenes=[3])
    etas = [e.eta_seconds for e in studio.queue(user)]
    assert etas == [int(typical + 0.5), int(2 * typical + 0.5)]
