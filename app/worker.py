"""The render worker process: `python -m app.worker SETTINGS_JSON`. Started and restarted by the studio
(app/supervisor.py); it claims jobs from the SQLite job table and runs them with the same handlers as the
studio, writing progress and previews where the studio reads them (the job row, data/previews/). All that
imports torch (engines, speech models) lives here, so a crash or a CUDA fault takes down this process only.

It dies with the studio: on Linux the kernel kills it when its parent goes (PR_SET_PDEATHSIG), and a watch
on the parent's pid covers the rest; a lock file keeps a second worker off the same data folder.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from app.settings import Settings

log = logging.getLogger("app.worker")
STATUS_FILE = "worker.json"
LOCK_FILE = "worker.lock"
HEARTBEAT_SECONDS = 2.0


def settings_file(settings: Settings) -> Path:
    return settings.data_dir / "worker-settings.json"


def settings_payload(settings: Settings) -> dict:
    """The studio's settings as plain JSON data (the studio may have overrides no file holds)."""
    return {"base_dir": str(settings.base_dir), "settings": settings.model_dump(mode="json")}


def write_settings(settings: Settings) -> Path:
    """The studio's settings where the worker will read them."""
    path = settings_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = settings_payload(settings)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(json.dumps(body), encoding="utf-8")
    tmp.replace(path)
    return path


def read_settings(path: Path) -> Settings:
    return read_settings_payload(json.loads(Path(path).read_text(encoding="utf-8")))


def read_settings_payload(body: dict) -> Settings:
    """Settings from `settings_payload`'s data (the worker's file, or the speech process's argument)."""
    return Settings(**body["settings"], base_dir=Path(body["base_dir"]))


def read_status(settings: Settings) -> dict:
    """What the worker last said about itself ({} before it first did): pid, device, video_loaded."""
    try:
        return json.loads((settings.data_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            log.warning("cannot ask the kernel to stop this worker with the studio; watching the studio's pid")

    watch_parent(parent)


def watch_parent(parent: int) -> None:
    """End this process when the studio (pid `parent`) is gone: it is re-parented then. The render worker,
    writer and speech processes all use it; a pool's process would outlive a killed studio otherwise (seen:
    orphans left by studios stopped with SIGTERM)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _write_status(settings: Settings, status: dict) -> None:
    path = settings.data_dir / STATUS_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(json.dumps(status), encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s worker %(name)s: %(message)s")
    parent = int(os.environ.get("STORYREEL_WORKER_PARENT", os.getppid()))
    _die_with_parent(parent)
    settings = read_settings(Path(argv[0]))
    # Renders yield the CPU to the web process: a click on the page is served before the next frame. (The
    # GPU's work is not slowed; on a CPU-only machine renders take the cores the page leaves idle.)
    os.nice(settings.jobs.worker_nice)
    lock = open(settings.data_dir / LOCK_FILE, "w")  # noqa: SIM115 - held for the process's life
    fcntl.flock(lock, fcntl.LOCK_EX)  # waits while a worker of a killed studio is still going away

    from app.studio import Studio
    from models.vram import probe_device

    studio = Studio(settings, clean_partials=False)  # the studio cleaned them before starting this worker
    runner = studio.jobs
    runner.poll_seconds = 0.2  # jobs are submitted by another process: nothing wakes this one
    runner.on_idle = lambda: studio.rendering.release(keep=False)
    device = probe_device().model_dump()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def heartbeat() -> None:
        while not stop.is_set():
            _write_status(settings, {"pid": os.getpid(), "device": device, "video_loaded": studio.video_loaded,
                                     "loaded_engines": studio.rendering.loaded_names(), "at": time.time()})  # fmt: skip
            stop.wait(HEARTBEAT_SECONDS)

    threading.Thread(target=heartbeat, name="heartbeat", daemon=True).start()
    log.info("render worker %d ready (device %s)", os.getpid(), device["device"])
    runner.start(recover=False)  # the studio put interrupted jobs back before starting this worker
    while not stop.wait(0.5):
        pass
    # The studio is stopping. A job still running stays "running" in the table and is resumed (its finished
    # scenes cached) when the studio starts again, so there is no need to wait for the scene to end.
    runner.stop(timeout=2.0)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
