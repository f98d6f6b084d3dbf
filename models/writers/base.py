"""The storyboard-writer seam: idea + options → Storyboard, streamed scene by scene; rewrite one scene."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from models.storyboard import Storyboard
from models.writers.edit import rewrite_scene_rules
from models.writers.planner import PlannerOptions, plan_storyboard
from models.writers.retrieval import Retriever


@runtime_checkable
class StoryboardWriter(Protocol):
    name: str
    # Whether the writer's model is in memory now (what /health reports); a writer without a model says False.
    loaded: bool

    def stream(
        self, idea: str, options: PlannerOptions | None = None, cancel: threading.Event | None = None
    ) -> Iterator[Storyboard]:
        """Valid storyboards holding the scenes written so far; the last one is the finished storyboard."""
        ...

    def write(self, idea: str, options: PlannerOptions | None = None) -> Storyboard: ...

    def rewrite_scene(self, board: Storyboard, number: int, instruction: str, options: PlannerOptions) -> Storyboard:
        """The board with one scene rewritten following an instruction ("more dramatic", "at night")."""
        ...


WARM_IDEAS = ("A cat sleeps by the window at dawn.", "一只小猫在窗边睡觉。")


class PlannerWriter:
    """The deterministic writer: no model, instant, always available. Its retriever finds the nearest
    built-in template or past storyboard (options.past) by meaning; the embedder loads only when there is
    something to choose between."""

    name = "planner"
    loaded = False  # no model

    def __init__(self, retriever: Retriever | None = None) -> None:
        self.retriever = retriever or Retriever()

    def stream(
        self, idea: str, options: PlannerOptions | None = None, cancel: threading.Event | None = None
    ) -> Iterator[Storyboard]:
        yield self.write(idea, options)

    def write(self, idea: str, options: PlannerOptions | None = None) -> Storyboard:
        return plan_storyboard(idea, options, retriever=self.retriever)

    def warm(self) -> None:
        """Load the word tables, the splitter and the retrieval embedder now: when the studio starts, not in the
        first writes of the day (20 creators writing at once all waited on them)."""
        for idea in WARM_IDEAS:
            plan_storyboard(idea, retriever=self.retriever)
        self.retriever.embedder.queries(["warm up"])

    def rewrite_scene(self, board: Storyboard, number: int, instruction: str, options: PlannerOptions) -> Storyboard:
        return rewrite_scene_rules(board, number, instruction)
