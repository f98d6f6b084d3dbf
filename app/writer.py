"""Writing storyboards in a process of its own, for the web process (issue 15).

The writer's work (the planner with its retrieval embeddings, or an LLM on the GPU) held the GIL and the cores
of the web process while every other click waited, and an LLM writer imported torch there. Beside a render
worker (backend "worker" or "ray") the studio writes through this helper instead, as it speaks through
app/speech.py: one process, started on first use with `spawn` (a fork of the threaded web server is unsafe),
at a lower CPU priority than the page, the writer and its model kept there between writes. Partial
storyboards stream back over a pipe as the writer writes them, so the Create tab still shows scenes as they
come. Writes run one at a time there (one model, and on 2 cores two writes at once only share them).

A process that dies (SIGKILL, the OOM killer, a CUDA fault) is started again; the write it was doing is sent
again once, and if the process dies on it again the creator is told so (`writer_crashed`) and nothing was
saved (the studio stores a project only after the finished storyboard). It dies with the studio: it watches
its parent's pid, and a closed pipe ends it too.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.settings import Settings
from models.errors import UserError
from models.storyboard import Storyboard
from models.writers.planner import PlannerOptions

log = logging.getLogger(__name__)
RETRIES = 1  # a write whose process died is sent once more, then refused with a message
_DIED = ("died",)  # what a request's queue gets when its process is gone


class WriterFailed(RuntimeError):
    """The writer raised something that is not the creator's to fix (a bug); its log has the details."""


@dataclass
class _Child:
    """One incarnation of the writer process and the requests sent to it that have not ended yet."""

    proc: Any  # multiprocessing's SpawnProcess
    conn: Any  # our end of the pipe
    pending: dict[int, queue.Queue] = field(default_factory=dict)


class WriterProcess:
    """Writing.stream and rewrite_scene, run in the writer process."""

    def __init__(self, settings: Settings, nice: int) -> None:
        from app.worker import settings_payload

        self.payload = json.dumps(settings_payload(settings))
        self.nice = nice
        self.started = 0  # processes started so far (restarts: all but the first)
        self.loaded = False  # whether its writer held a model after its last answer
        self._child: _Child | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False

    @property
    def restarts(self) -> int:
        return max(0, self.started - 1)

    @property
    def pid(self) -> int | None:
        child = self._child
        return child.proc.pid if child is not None and child.proc.is_alive() else None

    # -- the studio's side --------------------------------------------------------------------------------
    def start(self) -> WriterProcess:
        """Start the process now (the studio's start), so the first write does not wait for its imports; its
        writer's model still loads on the first write."""
        with self._lock:
            if self._child is None and not self._closed:
                self._child = self._start()
        return self

    def stream(self, idea: str, options: PlannerOptions) -> Iterator[Storyboard]:
        """Storyboards holding the scenes written so far; the last is the finished one."""
        for kind, payload in self._call("write", idea, options):
            if kind == "part":
                yield payload

    def rewrite_scene(self, board: Storyboard, number: int, instruction: str, options: PlannerOptions) -> Storyboard:
        result = None
        for kind, payload in self._call("rewrite", board, number, instruction, options):
            if kind == "part":
                result = payload
        return result

    def _call(self, kind: str, *args: object) -> Iterator[tuple[str, Any]]:
        """Send a request and yield its ("part", board) messages until it ends; a request whose process died
        is sent once more (a retried write streams again from its first scene)."""
        for attempt in range(RETRIES + 1):
            child, rid, inbox = self._send(kind, *args)
            finished = False
            try:
                while True:
                    message = inbox.get()
                    if message is _DIED:
                        break
                    tag, _, *rest = message
                    if tag == "part":
                        yield "part", rest[0]
                    elif tag == "done":
                        self.loaded = bool(rest[0])
                        finished = True
                        return
                    elif tag == "user_error":
                        finished = True
                        raise UserError(rest[0], **rest[1])
                    else:  # "error"
                        finished = True
                        raise WriterFailed(rest[0])
            finally:
                if not finished:
                    self._forget(child, rid)  # abandoned (the page went away) or died: stop that write
            log.warning("the writer process died during a %s (attempt %d)", kind, attempt + 1)
        raise UserError("writer_crashed")

    def _send(self, kind: str, *args: object) -> tuple[_Child, int, queue.Queue]:
        with self._lock:
            if self._closed:
                raise UserError("writer_crashed")
            child = self._child
            if child is None or not child.proc.is_alive():
                child = self._child = self._start()
            rid, inbox = next(self._ids), queue.Queue()
            child.pending[rid] = inbox
            try:
                child.conn.send((kind, rid, *args))
            except (OSError, ValueError):  # the process is gone: its reader settles every request
                inbox.put(_DIED)
        return child, rid, inbox

    def _forget(self, child: _Child, rid: int) -> None:
        with self._lock:
            if child.pending.pop(rid, None) is not None and self._child is child:
                try:
                    child.conn.send(("cancel", rid))
                except (OSError, ValueError):
                    pass

    def _start(self) -> _Child:
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=_main, args=(theirs, self.payload, self.nice, os.getpid()), name="storyreel-writer",
                           daemon=True)  # fmt: skip
        proc.start()
        theirs.close()  # only the child holds its end: its death reads as the end of the pipe here
        self.started += 1
        child = _Child(proc, ours)
        threading.Thread(target=self._read, args=(child,), name="writer-reader", daemon=True).start()
        log.info("writer process started (pid %d)", proc.pid)
        return child

    def _read(self, child: _Child) -> None:
        """Hand each message to its request's inbox; when the process is gone, tell every waiting request."""
        while True:
            try:
                message = child.conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                inbox = child.pending.get(message[1])
                if message[0] != "part":
                    child.pending.pop(message[1], None)
            if inbox is not None:
                inbox.put(message)
        child.conn.close()
        child.proc.join(5)
        with self._lock:
            if self._child is child:
                self._child = None
            waiting, child.pending = list(child.pending.values()), {}
        if not self._closed:
            log.error("the writer process (pid %d) stopped with exit code %s", child.proc.pid, child.proc.exitcode)
        for inbox in waiting:
            inbox.put(_DIED)

    def close(self, timeout: float = 3.0) -> None:
        """Stop the process (a write in progress is abandoned: nothing is stored until a write ends)."""
        with self._lock:
            self._closed = True
            child, self._child = self._child, None
        if child is None:
            return
        # Ended by a signal, not by closing our end of the pipe: the reader thread may be inside recv() on it.
        child.proc.terminate()
        child.proc.join(timeout)
        if child.proc.is_alive():
            child.proc.kill()
            child.proc.join(timeout)


# -- in the writer process ------------------------------------------------------------------------------
@functools.cache
def _writing(payload: str):
    """The Writing of these settings, built once per process (its writers keep their models)."""
    from app.studio import hooked_registry
    from app.worker import read_settings_payload
    from app.write import Writing

    settings = read_settings_payload(json.loads(payload))
    return Writing(settings, hooked_registry(settings))


def _main(conn, payload: str, nice: int, parent: int) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s writer %(name)s: %(message)s")
    os.nice(nice)

    from app.worker import watch_parent

    # It dies with the studio. Not PR_SET_PDEATHSIG, which fires when the parent's *thread* that started the
    # process ends, and that is one of the web server's pool threads, which come and go (as app/speech.py).
    watch_parent(parent)
    requests: queue.Queue = queue.Queue()
    cancels: dict[int, threading.Event] = {}
    lock = threading.Lock()

    def receive() -> None:
        # Requests wait their turn here; a cancel reaches the write in progress between two of its scenes.
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):  # the studio closed the pipe or is gone
                os._exit(0)
            with lock:
                if message[0] != "cancel":
                    cancels[message[1]] = threading.Event()
                    requests.put(message)
                elif message[1] in cancels:  # (a write that already ended has nothing to stop)
                    cancels[message[1]].set()

    threading.Thread(target=receive, name="writer-receive", daemon=True).start()
    writing = _writing(payload)
    try:
        writing.warm()  # requests that come meanwhile wait, as they would have waited for the same loading
    except Exception:  # a writer that cannot warm up says why at its first write
        log.exception("warming the writer failed")
    while True:
        kind, rid, *args = requests.get()
        with lock:
            cancel = cancels[rid]
        try:
            if not cancel.is_set():
                _serve(conn, writing, kind, rid, args, cancel)
        finally:
            with lock:
                cancels.pop(rid, None)


def _serve(conn, writing, kind: str, rid: int, args: list, cancel: threading.Event) -> None:
    from models.writers.llm import LLMUnavailable, writer_unavailable

    try:
        try:
            if kind == "write":
                idea, options = args
                for board in writing.writer().stream(idea, options, cancel=cancel):
                    if cancel.is_set():
                        return
                    conn.send(("part", rid, board))
            else:  # "rewrite"
                board, number, instruction, options = args
                conn.send(("part", rid, writing.writer().rewrite_scene(board, number, instruction, options)))
        except LLMUnavailable as err:
            raise writer_unavailable(err) from None
    except UserError as err:
        conn.send(("user_error", rid, err.key, err.params))
    except Exception as exc:
        log.exception("writing failed")
        conn.send(("error", rid, f"{type(exc).__name__}: {exc}"[:500]))
    else:
        conn.send(("done", rid, writing.loaded))
