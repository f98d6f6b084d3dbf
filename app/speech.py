"""Speech in a process of its own, for the web process (issue 15).

Timing a storyboard when it is written or saved speaks every new narration line (Piper: about 0.2-0.35 s of
CPU a line on 2 cores). In the web process that work held the GIL and both cores while every other click
waited. With a render worker (backend "worker" or "ray") the studio speaks through this helper instead: one
process, started on first use with `spawn` (a fork of the threaded web server is unsafe), at a lower CPU
priority than the page (half the render worker's nice), so a cheap click is served before the next line is
spoken while the line's own writer still waits for it. The voice is built there from the same settings and
registry hooks the render worker uses; its loaded model stays in that process between lines. A process that
dies is started again for the next line; it dies with the studio.
"""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from app.settings import Settings
from models.narrator import Narrator, Speech

log = logging.getLogger(__name__)


class SpeechProcess:
    """narrator.speak, run in the speech process; one line at a time (the voice speaks one line at a time)."""

    def __init__(self, settings: Settings, nice: int) -> None:
        from app.worker import settings_payload

        self.payload = json.dumps(settings_payload(settings))
        self.nice = nice
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(self.nice, os.getpid()),
                )
            return self._pool

    def speak(self, text: str, language: str, dest: Path) -> Speech | None:
        for attempt in range(2):
            pool = self._executor()
            try:
                return pool.submit(_speak, self.payload, text, language, str(dest)).result()
            except BrokenProcessPool:
                log.warning("the speech process died; starting it again")
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
                if attempt:
                    raise
        return None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            # Waits for the line being spoken (a fraction of a second), so the process has ended when the
            # studio does (not left to notice the studio is gone), and its queues are released.
            pool.shutdown(wait=True, cancel_futures=True)


# -- in the speech process -----------------------------------------------------------------------------
def _start(nice: int, parent: int) -> None:
    from app.worker import watch_parent

    os.nice(nice)
    # It dies with the studio. Not PR_SET_PDEATHSIG, which fires when the parent's *thread* that started the
    # process ends, and that is one of the web server's pool threads, which come and go.
    watch_parent(parent)


@functools.cache
def _narrator(payload: str) -> Narrator:
    """The voice of these settings, built once per process (cached: its loaded model stays)."""
    from app.studio import hooked_registry
    from app.timing import Timing
    from app.worker import read_settings_payload

    settings = read_settings_payload(json.loads(payload))
    return Timing(settings, hooked_registry(settings), media=None).narrator()  # type: ignore[arg-type] - speaks, keeps no files


def _speak(payload: str, text: str, language: str, dest: str) -> Speech | None:
    return _narrator(payload).speak(text, language, Path(dest))
