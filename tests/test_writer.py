"""The writer process (issue 15, app/writer.py): beside a render worker the web process writes no storyboard
itself; the writer process does, streaming partial storyboards back, at a lower CPU priority. One killed
mid-write is started again and the write sent once more; one that dies twice refuses the write with a message
and nothing is saved. The scripted writer (tests/writer_engines.py) imports torch where it writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.i18n import t
from app.settings import load_settings
from app.studio import Studio
from app.write import WriteRequest
from app.writer import WriterProcess
from models.errors import UserError

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def writer_settings(data_dir: Path, **sections):
    return load_settings(
        environ={}, paths={"data_dir": str(data_dir)},
        jobs={"plugins": ["tests.writer_engines:register"], **sections.pop("jobs", {})},
        storyboard={"writer": "scripted", "presets": {"scripted": {"kind": "scripted"}}},
        narration={"engine": "none"}, moderation={"text_checks": ["rules"], "image_check": "none"}, **sections,
    )  # fmt: skip


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Where the scripted writer leaves its marks (the writer process inherits the variable)."""
    path = tmp_path / "writer"
    path.mkdir()
    monkeypatch.setenv("STORYREEL_TEST_WRITER_DIR", str(path))
    return path


@pytest.fixture
def studio(tmp_path, folder):
    """A studio whose writing goes through a writer process (what Studio.start does with a render worker),
    without starting a render worker."""
    settings = writer_settings(tmp_path / "data")
    s = Studio(settings)
    s.writing.process = WriterProcess(settings, nice=5)
    yield s
    s.close()


def tries(folder: Path) -> list[int]:
    path = folder / "tries"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def writer_pid(title: str) -> int:
    """The pid the scripted writer put in a storyboard's title."""
    return int(title.split()[1])


def gone(pid: int, within: float = 20.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_storyboard_streams_from_the_writer_process_below_the_page(studio):
    user = studio.local_user()
    steps = list(studio.create_project_stream(user, WriteRequest(idea="A fox runs across the snow.")))
    assert [len(board.scenes) for _, board in steps] == [1, 2, 3, 3]  # scene by scene, then the project
    assert all(p is None for p, _ in steps[:-1]) and steps[-1][0] is not None
    project, board = steps[-1]
    pid = writer_pid(board.title)
    assert pid == studio.writing.process.pid and pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, pid) - os.getpriority(os.PRIO_PROCESS, 0) == 5
    assert "torch True" in board.title  # the writer loaded torch there...
    assert studio.storyboard(user, project.id) == board
    assert studio.llm_loaded  # ...and says its model is loaded
    rewritten = studio.rewrite_scene(user, project.id, 2, "at night")
    assert f"at night (pid {pid})" in rewritten.scenes[1].description  # rewritten there too
    with pytest.raises(UserError) as err:  # the request is checked here, before it is sent
        studio.create_project(user, WriteRequest(idea="A fox.", choices={"seconds": 1}))
    assert err.value.key == "target_invalid"


def test_a_writer_killed_mid_write_is_restarted_and_the_write_completes(studio, folder):
    user = studio.local_user()
    stream = studio.create_project_stream(user, WriteRequest(idea="wait: a kite lifts off a hill."))
    _, first = next(stream)
    assert len(first.scenes) == 1
    killed = studio.writing.process.pid
    os.kill(killed, signal.SIGKILL)
    (folder / "go").touch()
    steps = list(stream)
    project, board = steps[-1]
    assert project is not None and len(board.scenes) == 3
    assert writer_pid(board.title) not in (killed, None) and studio.writing.process.restarts == 1
    assert tries(folder) == [killed, writer_pid(board.title)]  # sent once more, to the new process
    assert [p.id for p in studio.projects(user)] == [project.id]


def test_a_writer_that_kills_itself_once_is_retried(studio, folder):
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea="die once: a train crosses a bridge."))
    assert len(board.scenes) == 3 and len(tries(folder)) == 2 and len(set(tries(folder))) == 2
    assert studio.storyboard(user, project.id) == board


def test_a_writer_that_dies_twice_is_refused_with_a_message_and_nothing_is_saved(studio, folder):
    user = studio.local_user()
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea="die always: a boat sinks."))
    assert err.value.key == "writer_crashed"
    assert len(tries(folder)) == 2  # tried, then retried once, no more
    assert studio.projects(user) == [] and studio.store.recent_storyboards(user.id, 10) == []
    assert "nothing was saved" in t("writer_crashed", "en") and "没有保存" in t("writer_crashed", "zh")
    # The next write gets a fresh process and works.
    project, board = studio.create_project(user, WriteRequest(idea="A kite lifts off a hill."))
    assert len(board.scenes) == 3 and studio.projects(user)[0].id == project.id


def test_an_abandoned_write_does_not_leak_into_the_next(studio, folder):
    """A page that went away mid-write: the next write gets its own storyboard, not the rest of that one."""
    user = studio.local_user()
    stream = studio.create_project_stream(user, WriteRequest(idea="wait: an abandoned idea."))
    next(stream)
    stream.close()
    (folder / "go").touch()
    _, board = studio.create_project(user, WriteRequest(idea="A fox sleeps under the moon."))
    assert all("A fox sleeps" in s.description for s in board.scenes)
    assert studio.projects(user)[0].prompt == "A fox sleeps under the moon."
    assert len(studio.projects(user)) == 1


def test_with_a_render_worker_the_web_process_imports_no_torch_when_writing(tmp_path, folder):
    """Studio.start() with the worker backend writes through the writer process: after a write (by a writer
    that imports torch) torch is not in the web process's modules. In a fresh interpreter, since other tests
    in this one may have imported torch."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from tests.test_writer import writer_settings\n"
        "from app.studio import Studio\n"
        "from app.write import WriteRequest\n"
        f"studio = Studio(writer_settings(Path({str(tmp_path / 'data')!r}), jobs={{'backend': 'worker'}}))\n"
        "studio.start()\n"
        "try:\n"
        "    _, board = studio.create_project(studio.local_user(), WriteRequest(idea='A fox runs home.'))\n"
        "    print(json.dumps({'title': board.title, 'torch_here': 'torch' in sys.modules,\n"
        "                      'writer': studio.writing.process.pid}))\n"
        "finally:\n"
        "    studio.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "torch True" in result["title"] and writer_pid(result["title"]) == result["writer"]
    assert result["torch_here"] is False
    assert gone(result["writer"])  # closed with the studio


def test_the_writer_process_dies_with_the_studio(tmp_path, folder):
    """A studio killed outright leaves no writer process behind."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tests.test_writer import writer_settings\n"
        "from app.write import Writing\n"
        "from app.writer import WriterProcess\n"
        "from models.registry import load_registry\n"
        f"settings = writer_settings(Path({str(tmp_path / 'data')!r}))\n"
        "writing = Writing(settings, load_registry())\n"
        "writing.process = WriterProcess(settings, nice=5)\n"
        "list(writing.stream('A fox runs.'))\n"
        "print(writing.process.pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    studio = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)  # fmt: skip
    child = int(studio.stdout.readline())
    os.kill(child, 0)  # alive while the studio is
    studio.kill()
    studio.wait()
    assert gone(child), f"writer process {child} outlived its studio"


def test_warming_the_planner_loads_its_embedder_and_changes_no_storyboard(tmp_path):
    """The writer process warms its writer when it starts (app/writer.py): the retrieval embedder is loaded then, not
    in the first write of the day, and a warm planner writes what a cold one writes."""
    from app.write import Writing
    from models.registry import load_registry

    settings = load_settings(tmp_path / "none.toml", environ={}, paths={"data_dir": str(tmp_path / "data")})
    cold, warm = Writing(settings, load_registry(plugins=False)), Writing(settings, load_registry(plugins=False))
    warm.warm()
    assert warm.writer().retriever._embedder is not None and warm.writer().retriever._embedder._model is not None
    assert cold.writer().retriever._embedder is None
    idea = "A lighthouse keeper finds a bottle. He reads it. He sails away."
    assert warm.writer().write(idea) == cold.writer().write(idea)
