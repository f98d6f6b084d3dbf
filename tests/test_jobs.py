import threading
import time

from app.jobs import JobRunner
from models.errors import UserError
from models.video.base import Cancelled
from storage.db import Database
from storage.tables import Job, User


def make_db(tmp_path, users=("ann", "bob")):
    db = Database(tmp_path / "jobs.db")
    with db.session() as s:
        for name in users:
            s.add(User(username=name))
        s.commit()
    return db


def test_jobs_run_and_record_results(tmp_path):
    db = make_db(tmp_path)
    ran = []

    def work(job, ctx):
        ctx.report(0.5, "render_progress", force=True, scene=1, total=2)
        ran.append(job.id)
        return 7

    runner = JobRunner(db, {"render": work})
    job = runner.submit("render", 1)
    assert runner.run_pending() == 1
    done = runner.get(job.id)
    assert done.status == "done" and done.result_id == 7 and done.progress == 1.0 and ran == [job.id]


def test_users_take_turns(tmp_path):
    db = make_db(tmp_path)
    order = []
    runner = JobRunner(db, {"render": lambda job, ctx: order.append(job.user_id)})
    for user in (1, 1, 1, 2):
        runner.submit("render", user)
    runner.run_pending()
    assert order == [1, 2, 1, 1]  # bob's one job does not wait behind all of ann's


def test_interrupted_job_is_resumed_after_restart(tmp_path):
    db = make_db(tmp_path)
    runner = JobRunner(db, {"render": lambda job, ctx: None})
    job = runner.submit("render", 1)
    with db.session() as s:  # the studio died while this job ran
        row = s.get(Job, job.id)
        row.status = "running"
        s.add(row)
        s.commit()
    restarted = JobRunner(db, {"render": lambda job, ctx: 42})
    assert restarted.recover() == 1
    restarted.run_pending()
    assert restarted.get(job.id).status == "done"


def test_cancel_stops_a_running_job_between_steps(tmp_path):
    db = make_db(tmp_path)
    started, steps = threading.Event(), []

    def work(job, ctx):
        started.set()
        for i in range(200):
            ctx.report(i / 200, "render_progress", force=True, scene=1, total=1)
            if ctx.cancel.is_set():
                raise Cancelled()
            steps.append(i)
            time.sleep(0.01)

    runner = JobRunner(db, {"render": work})
    job = runner.submit("render", 1)
    runner.start()
    try:
        assert started.wait(10)
        runner.cancel(job.id)
        for _ in range(200):
            if runner.get(job.id).status == "cancelled":
                break
            time.sleep(0.05)
    finally:
        runner.stop()
    assert runner.get(job.id).status == "cancelled"
    assert len(steps) < 200


def test_failures_are_recorded_not_raised(tmp_path):
    db = make_db(tmp_path)

    def user_error(job, ctx):
        raise UserError("clip_unreadable", scene=2)

    def bug(job, ctx):
        raise ZeroDivisionError

    runner = JobRunner(db, {"a": user_error, "b": bug})
    a, b = runner.submit("a", 1), runner.submit("b", 2)
    runner.run_pending()
    assert runner.get(a.id).status == "failed" and "clip_unreadable" in runner.get(a.id).error
    assert runner.get(b.id).status == "failed" and "ZeroDivisionError" in runner.get(b.id).error
