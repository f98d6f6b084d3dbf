"""How long the studio takes to exit on SIGTERM with clients connected mid-stream (issue 15).

Starts a studio as a user does (launch.py, its render worker, login off), has N clients (default 20) each
write a storyboard and start rendering it on the animatic (a streamed event that lasts minutes), then sends
the studio SIGTERM while every render stream is open, and prints the seconds until the studio's process
exited, and which of its child processes (render worker, writer, speech) were still running then and 3 s
later.

Run: .venv/bin/python bench/shutdown.py [--users 20] [--limit 120]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import IDEAS, free_port  # noqa: E402
from tests.guard_support import descendants  # noqa: E402


def name(pid: int) -> str:
    """What a process runs, in short (app.worker, a multiprocessing spawn, ffmpeg...)."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(w.decode(errors="replace") for w in words if w)
    return "render worker" if "app.worker" in text else "spawned (writer or speech)" if "spawn" in text else text[:40]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the data folder and server log (path printed)")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds to wait for the exit before SIGKILL")
    args = parser.parse_args()
    from gradio_client import Client

    work = Path(tempfile.mkdtemp(prefix="storyreel-shutdown-"))
    port = free_port()
    env = {**os.environ, "STORYREEL_JOBS__MAX_QUEUED_PER_USER": "1000", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, str(ROOT / "launch.py"), "--no-browser", "--port", str(port), "--data-dir",
           str(work / "data")]  # fmt: skip
    log = (work / "server.log").open("ab")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    jobs, lock = [], threading.Lock()

    def client(i: int) -> None:
        try:
            follow(i)
        except Exception as exc:  # counted as a stream that was not open
            print(f"client {i}: {type(exc).__name__}: {exc}")

    def follow(i: int) -> None:
        c = Client(url, verbose=False, download_files=False, httpx_kwargs={"timeout": 120})
        pid, _, _ = c.predict(IDEAS[i % len(IDEAS)] + f" ({i})", False, api_name="/write_storyboard")
        job = c.submit(pid, api_name="/render")
        with lock:
            jobs.append(job)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    time.sleep(3)  # every render stream open and following its job
    open_streams = sum(not j.done() for j in jobs)
    kids = descendants(proc.pid)
    names = {k: name(k) for k in kids}
    load = os.getloadavg()
    started = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(args.limit)
        took = time.perf_counter() - started
    except subprocess.TimeoutExpired:
        took, code = None, None
        proc.kill()
        proc.wait()
    left = [k for k in kids if alive(k)]
    time.sleep(3)
    later = [k for k in kids if alive(k)]
    print(f"clients: {args.users}   streams open at SIGTERM: {open_streams}   children: {len(kids)}   "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
    if took is None:
        print(f"the studio had not exited {args.limit:.0f} s after SIGTERM (killed)")
    else:
        print(f"the studio exited {took:.1f} s after SIGTERM (exit code {code})")
    print(f"children at SIGTERM: {', '.join(f'{k} {names[k]}' for k in kids)}")
    print(f"child processes still running at that moment: {left or 'none'}; 3 s later: {later or 'none'}")
    for k in later:
        os.kill(k, signal.SIGKILL)
    errors = [line for line in (work / "server.log").read_text(errors="replace").splitlines() if "Error" in line]
    print(f"server log lines with 'Error': {len(errors)}")
    for line in errors[-3:]:
        print(f"  server log: {line[:300]}")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if took is not None and not later else 1


if __name__ == "__main__":
    sys.exit(main())
