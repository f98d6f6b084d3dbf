"""Engines for the render-worker tests, registered in the worker process through `[jobs] plugins`
("tests.worker_engines:register"): the worker builds its own registry, so a test cannot hand it an object.

`recording` is the animatic with a log: each scene render it starts appends the shot's prompt to the file
named by STORYREEL_TEST_RENDER_LOG, so a test counts renders across processes, killed ones included.
"""

from __future__ import annotations

import os
import time

from models.video.animatic import AnimaticEngine


class RecordingEngine(AnimaticEngine):
    name = "recording"

    def render(self, shot, progress=None, cancel=None):
        path = os.environ.get("STORYREEL_TEST_RENDER_LOG")
        if path:
            with open(path, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()}\t{shot.prompt[:60]}\n")
        delay = float(os.environ.get("STORYREEL_TEST_FRAME_DELAY", "0"))
        for frame in super().render(shot, progress=progress, cancel=cancel):
            if delay:
                time.sleep(delay)  # long enough scenes that a test can act in the middle of one
            yield frame


def register(registry) -> None:
    registry.register_video_engine("recording", lambda preset, context: RecordingEngine())
