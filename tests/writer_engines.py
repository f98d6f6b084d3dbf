"""A storyboard writer for the writer-process tests, registered there through `[jobs] plugins`
("tests.writer_engines:register"): the writer process builds its own registry, so a test cannot hand it an
object. What it does is read from the idea, so one setting serves every test:

- it streams one storyboard per scene (three), each holding the scenes so far, its pid and whether torch is
  loaded in its process in the title (it imports torch, as an LLM writer does);
- "wait" in the idea: after the first scene it waits until the file `go` appears in
  STORYREEL_TEST_WRITER_DIR (a test kills the process meanwhile);
- "die once": on its first try (no file `died` there yet) it kills its own process with SIGKILL after the
  first scene; "die always": on every try.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from models.storyboard import Scene, Storyboard


class ScriptedWriter:
    name = "scripted"

    def __init__(self) -> None:
        self.loaded = False

    def stream(self, idea, options=None, cancel=None):
        import torch  # noqa: F401 - a model writer loads torch where it writes

        self.loaded = True
        folder = Path(os.environ["STORYREEL_TEST_WRITER_DIR"])
        with (folder / "tries").open("a") as tries:  # before the first scene: a test may kill it once it has that
            tries.write(f"{os.getpid()}\n")
        scenes = []
        for number in (1, 2, 3):
            scenes.append(Scene(number=number, description=f"scene {number} of {idea[:40]}",
                                narration=f"Line {number}.", duration=3.0, seed=number))  # fmt: skip
            title = f"pid {os.getpid()} torch {'torch' in sys.modules}"
            yield Storyboard(title=title, language="en", scenes=list(scenes))
            if number == 1:
                if "die always" in idea or ("die once" in idea and not (folder / "died").exists()):
                    (folder / "died").touch()
                    os.kill(os.getpid(), signal.SIGKILL)
                while "wait" in idea and not (folder / "go").exists():
                    time.sleep(0.05)

    def write(self, idea, options=None):
        return list(self.stream(idea, options))[-1]

    def rewrite_scene(self, board, number, instruction, options):
        scenes = [s.model_copy(update={"description": f"{s.description}, {instruction} (pid {os.getpid()})"})
                  if s.number == number else s for s in board.scenes]  # fmt: skip
        return board.model_copy(update={"scenes": scenes})


def register(registry) -> None:
    registry.register_writer("scripted", lambda preset, context: ScriptedWriter())
