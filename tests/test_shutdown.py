"""The studio stops promptly on SIGTERM (issue 15): uvicorn waited for every open connection, so a studio with
clients following renders (streams that last minutes) did not exit; now requests get a short grace, streams
still open are cut, and the render worker, writer and speech processes are stopped with it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from gradio_client import Client

from tests.conftest import StudioServer
from tests.guard_support import descendants, wait_for
from tests.test_worker import IDEA, health, renders, worker_env

pytestmark = pytest.mark.slow


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited


def test_the_studio_exits_on_sigterm_while_a_client_follows_a_render(tmp_path):
    render_log = tmp_path / "renders.log"
    # Scenes of a minute or more each: the render's stream stays open far longer than the test waits.
    env = {**worker_env(render_log), "STORYREEL_TEST_FRAME_DELAY": "1.0"}
    server = StudioServer(tmp_path / "data", env=env).start()
    children: list[int] = []
    try:
        client = Client(server.url, verbose=False, download_files=False)
        pid, _, _ = client.predict(IDEA, False, api_name="/write_storyboard")  # the writer process is up now
        job = client.submit(pid, api_name="/render")
        wait_for(lambda: len(renders(render_log)) >= 1, 120, what="the first scene to start")
        time.sleep(1)  # the page is following the job now
        assert not job.done()
        children += descendants(server.proc.pid)
        worker = health(server)["worker"]
        assert {worker["pid"], worker["writer"]["pid"]} <= set(children)  # the render worker, the writer
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(60)  # generous: it used to wait for the render's end (minutes)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the studio had not exited 60 s after SIGTERM:\n{server.log()}")
        wait_for(lambda: not any(running(c) for c in children), 20, what="the studio's child processes to end")
        assert "Traceback" not in server.log()  # the cut streams are not reported as crashes
    finally:
        server.stop()
        for child in children:  # none, unless the test failed
            if running(child):
                os.kill(child, signal.SIGKILL)
