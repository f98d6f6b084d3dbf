"""Many users at once (issue 15): N simulated users (default 20) log in to a studio in LAN mode through
gradio_client, each writes a storyboard and renders its film on the animatic at the same time, and keeps
clicking cheap things (write a storyboard, open the library, load a storyboard) while the renders run and
after they finish. Prints jobs completed, errors, and the median and 95th percentile latency of the cheap
events during the renders and after them, with the machine's load average (other programs count).
Goal: all complete, 0 errors, p95 <= 300 ms during renders on 2 cores.

The studio runs as a user starts it (launch.py, its own process and its render worker) on a free port with
a fresh data folder; users are created through the studio's accounts before it starts.

Each user waits --think seconds (default 2) between clicks. Each write is a new take of the user's idea with a
line of story no earlier take had (so it has a line to speak, as a creator's rewrite has). Writing runs in the
writer process (the planner and its retrieval embeddings); the new lines are spoken after the storyboard is
shown, in a background speech process beside the renders (app/timing.py), so with a short think time 20 users
still ask for more CPU than 2 cores have, but a write no longer waits for it. The reads (library, load a
storyboard) and each endpoint's figures are printed apart.

Run: .venv/bin/python bench/load.py [--users 20] [--after 3] [--think 2] [--backend worker|thread]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IDEAS = [
    "A fox wakes in its den. It runs across the snow. It finds a frozen river. It sleeps under the moon.",
    "A kite lifts off a green hill. It climbs above a village. It loops in the wind. It lands by a river.",
    "A train leaves a snowy station. It crosses a bridge. It enters a tunnel. It arrives at the sea.",
    "一只小猫在屋顶上醒来。它追着一只蝴蝶。它跳进了花园。它在阳光下睡着了。",
    "A girl plants a seed. Rain falls on the garden. A tree grows tall. She reads under its shade.",
]


def take(idea: str, i: int) -> str:
    """The idea rewritten for take i: a line of story no earlier take had, so every write has a new line to
    speak, as a creator's rewrite has (a bare "(take i)" is an aside the planner leaves out)."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in idea):
        return f"{idea}它数了数天上的{i + 2}颗星星。"
    return f"{idea} It counts {i + 2} stars in the sky."


class Recorder:
    """Latencies of cheap events, split by whether any render was still running when the event started."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.during: list[float] = []
        self.after: list[float] = []
        self.kinds: dict[tuple[str, str], list[float]] = {}  # (phase, endpoint) -> latencies
        self.errors: list[str] = []
        self.rendering = 0
        self.completed = 0
        self.started = 0.0  # when every user began (perf_counter)
        self.writes: list[tuple[float, float]] = []  # (seconds since the start, latency) of each write

    def timed(self, fn, *args, **kwargs):
        with self.lock:
            busy = self.rendering > 0
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        elapsed = time.perf_counter() - start
        with self.lock:
            (self.during if busy else self.after).append(elapsed)
            self.kinds.setdefault(("during" if busy else "after", kwargs.get("api_name", "?")), []).append(elapsed)
            if kwargs.get("api_name") == "/write_storyboard" and busy:
                self.writes.append((start - self.started, elapsed))
        return result

    def error(self, what: str, exc: BaseException) -> None:
        with self.lock:
            self.errors.append(f"{what}: {type(exc).__name__}: {str(exc)[:200]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed_users(data_dir: Path, n: int) -> list[tuple[str, str]]:
    from app.accounts import Accounts
    from storage.db import Database

    db = Database(data_dir / "storyreel.db")
    accounts = Accounts(db, data_dir / "jwt.secret")
    accounts.create_user("admin", "admin-password-1", role="admin")
    users = [(f"user{i:02d}", f"password-{i:02d}-x") for i in range(n)]
    for name, password in users:
        accounts.create_user(name, password)
    db.close()
    return users


def start_studio(data_dir: Path, port: int, backend: str, log_path: Path, nice: int) -> subprocess.Popen:
    env = {**os.environ, "STORYREEL_AUTH__REQUIRE_LOGIN": "true", "STORYREEL_JOBS__BACKEND": f'"{backend}"',
           "STORYREEL_JOBS__WORKER_NICE": str(nice),
           "STORYREEL_JOBS__MAX_QUEUED_PER_USER": "100", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    cmd = [sys.executable, str(ROOT / "launch.py"), "--no-browser", "--port", str(port), "--data-dir", str(data_dir)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the studio exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the studio did not start within 180 s")


def login(url: str, name: str, password: str, rec: Recorder):
    """A logged-in gradio_client (password hashing makes logins slow on purpose: two tries, a minute each)."""
    from gradio_client import Client

    for attempt in range(2):
        try:
            return Client(url, auth=(name, password), verbose=False, download_files=False, httpx_kwargs={"timeout": 60})
        except Exception as exc:
            if attempt:
                rec.error(f"{name} login", exc)
    return None


def simulate(url: str, name: str, password: str, idea: str, rec: Recorder, after_rounds: int,
             all_done: threading.Event, think: float, start: threading.Event) -> None:  # fmt: skip
    client = login(url, name, password, rec)
    if client is None:
        return
    start.wait()  # every user starts at once, after all logged in
    with rec.lock:
        rec.rendering += 1
    render = None
    try:
        pid, _, _ = rec.timed(client.predict, idea, False, api_name="/write_storyboard")
        render = client.submit(pid, api_name="/render")
        i = 0
        while not render.done():
            step = i % 3
            if step == 0:
                rec.timed(client.predict, api_name="/library")
            elif step == 1:
                rec.timed(client.predict, pid, api_name="/load_storyboard")
            else:
                rec.timed(client.predict, take(idea, i), False, api_name="/write_storyboard")
            i += 1
            time.sleep(think)  # a person clicks every now and then, not in a loop
        _, player, film_id = render.result()
        if film_id and "/media/film/" in str(player):
            with rec.lock:
                rec.completed += 1
        else:
            rec.error(f"{name} render", RuntimeError(f"no film: {player!r}"))
    except Exception as exc:
        rec.error(f"{name} during renders", exc)
    finally:
        with rec.lock:
            rec.rendering -= 1
            if rec.rendering == 0:
                all_done.set()
    all_done.wait()
    try:
        for i in range(after_rounds):
            rec.timed(client.predict, api_name="/library")
            rec.timed(client.predict, pid, api_name="/load_storyboard")
            rec.timed(client.predict, take(idea, 1000 + i), False, api_name="/write_storyboard")
            time.sleep(think)
    except Exception as exc:
        rec.error(f"{name} after renders", exc)


def figures(values: list[float]) -> str:
    if not values:
        return "n=0"
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"n={len(ms)}  median={statistics.median(ms):.0f} ms  p95={p95:.0f} ms  max={ms[-1]:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--after", type=int, default=3, help="rounds of cheap events after the renders")
    parser.add_argument("--backend", default="worker", choices=["worker", "thread"])
    parser.add_argument("--worker-nice", type=int, default=10, help="[jobs] worker_nice (0 on a shared machine)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="seconds a user waits between two clicks (a person, not a loop)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the data folder (its path is printed)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="storyreel-load-"))
    data_dir, port = work / "data", free_port()
    users = seed_users(data_dir, args.users)
    proc = start_studio(data_dir, port, args.backend, work / "server.log", args.worker_nice)
    url = f"http://127.0.0.1:{port}/"
    rec, all_done, go = Recorder(), threading.Event(), threading.Event()
    # A studio in use has its voice loaded: the admin writes one storyboard first (not timed).
    admin = login(url, "admin", "admin-password-1", rec)
    admin.predict(IDEAS[0], False, api_name="/write_storyboard")
    threads = [
        threading.Thread(
            target=simulate,
            args=(url, name, pw, take(IDEAS[i % len(IDEAS)], 2000 + i), rec, args.after, all_done, args.think, go),
            daemon=True,
        )  # fmt: skip
        for i, (name, pw) in enumerate(users)
    ]
    try:
        for thread in threads:
            thread.start()
            time.sleep(0.5)  # logins one after another (each hashes a password), then the load at once
        time.sleep(5)
        load_before = os.getloadavg()
        started = rec.started = time.perf_counter()
        go.set()
        for thread in threads:
            thread.join(1800)
        wall = time.perf_counter() - started
        load_after = os.getloadavg()
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"users: {args.users}   backend: {args.backend} (nice {args.worker_nice})   think: {args.think} s   "
          f"cores: {os.cpu_count()}   "
          f"wall: {wall:.0f} s")  # fmt: skip
    print("load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}   after: {:.2f} {:.2f} {:.2f}".format(
        *load_before, *load_after))  # fmt: skip
    print(f"jobs completed: {rec.completed}/{args.users}   errors: {len(rec.errors)}")
    for line in rec.errors[:10]:
        print(f"  error: {line}")
    print(f"cheap events during renders: {figures(rec.during)}")
    print(f"cheap events after renders:  {figures(rec.after)}")
    for phase in ("during", "after"):
        reads = [v for (p, e), vs in rec.kinds.items() if p == phase and e != "/write_storyboard" for v in vs]
        print(f"  reads (library, load a storyboard) {phase} renders: {figures(reads)}")
    print("  (writing a storyboard is queued heavy work, timed apart below; the page shows its scenes as they come)")
    for (phase, endpoint), values in sorted(rec.kinds.items()):
        print(f"  {phase:6s} {endpoint:18s} {figures(values)}")
    # Where the slow writes fall: the first minute holds every user's first write and render submission at once.
    for lo, hi in ((0, 60), (60, 180), (180, 1e9)):
        window = [v for t, v in rec.writes if lo <= t < hi]
        print(f"  writes during renders that started {lo:.0f}-{hi:.0f} s in: {figures(window)}")
    if args.keep:
        print(f"data kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if rec.completed == args.users and not rec.errors else 1


if __name__ == "__main__":
    sys.exit(main())
