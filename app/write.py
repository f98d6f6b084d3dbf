"""Stage 1, write: idea → Storyboard, by the writer the settings name (a preset whose kind the registry
builds: the planner, an LLM, or a plug-in's writer). Each writer is built once and keeps its model.

The creator's own past storyboards (the caller reads them from the project store, never another user's)
shape a new one's arc, scene count and style; Storyboard.sources says which did.

Beside a render worker the writer runs in the writer process (app/writer.py): this module then checks the
request and builds the writer's options here, and the process writes."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, ValidationError

from app.settings import Settings
from models.errors import UserError
from models.registry import EngineContext, Registry, UnknownEngine
from models.storyboard import Storyboard, detect_language
from models.writers.base import StoryboardWriter
from models.writers.llm import LLMUnavailable, writer_unavailable
from models.writers.planner import PlannerOptions
from storage.projects import RenderChoices

if TYPE_CHECKING:
    from app.writer import WriterProcess

# The kinds of film the Create tab offers (the planner's genres); "auto" reads the kind from the idea.
GENRES = ("auto", "story", "advert", "explainer", "process", "travel", "mood")
# How many of a creator's latest storyboards a new one is compared with: enough to remember their habits,
# few enough that embedding them (once each, cached by content) stays within a second on 2 cores.
PAST_BOARDS = 20


class WriteChoices(BaseModel):
    """What the creator asks the writer for, beside the idea (Create tab, POST /api/tasks)."""

    seconds: float | None = Field(None, description="Film length to aim for; None: as long as the narration.")
    language: Literal["auto", "en", "zh"] = "auto"
    genre: Literal[GENRES] = "auto"  # type: ignore[valid-type]
    style: str = Field("", max_length=400, description="Visual style for every scene; empty: the writer's.")


class WriteRequest(BaseModel):
    """A creator's request for a new storyboard (Create tab, POST /api/tasks): Studio.create_project's input."""

    idea: str = ""
    confirmed: bool = Field(False, description="The creator confirmed past the moderation's warnings.")
    source: str = Field("idea", description="Where the idea came from, for the moderation's audit (idea, rest).")
    choices: WriteChoices = Field(default_factory=WriteChoices)  # what the writer is asked for
    render: RenderChoices = Field(default_factory=RenderChoices)  # the new project's aspect, engine, quality


def check_language(idea: str, wanted: str) -> str:
    """The storyboard's language: the idea's own, which must be the one asked for (writers narrate in the
    idea's language and do not translate)."""
    found = detect_language(idea or "")
    if wanted not in ("auto", found):
        names = {"en": ("English", "英文"), "zh": ("Chinese", "中文")}
        raise UserError("language_mismatch", found_en=names[found][0], found_zh=names[found][1],
                        wanted_en=names[wanted][0], wanted_zh=names[wanted][1])  # fmt: skip
    return found


class Writing:
    def __init__(self, settings: Settings, registry: Registry) -> None:
        self.settings, self.registry = settings, registry
        self._writers: dict[str, StoryboardWriter] = {}  # each holds its loaded model
        self._lock = threading.Lock()
        # Where the writer writes: here, or (the web process beside a render worker) in the writer process,
        # so writing never holds this process's GIL and cores while a page waits, and no model loads here.
        self.process: WriterProcess | None = None

    @property
    def loaded(self) -> bool:
        """Whether any writer holds a model in memory now."""
        if self.process is not None:
            return self.process.loaded
        return any(w.loaded for w in self._writers.values())

    def options(
        self,
        target_seconds: float | None = None,
        choices: WriteChoices | None = None,
        past: Sequence[Storyboard] = (),
    ) -> PlannerOptions:
        """What every writer is asked for: scene bounds, default length, frame rate, seed, film length, the
        creator's genre and style where they chose them, and their past storyboards."""
        sb, r = self.settings.storyboard, self.settings.render
        choices = choices or WriteChoices()
        target_seconds = target_seconds or choices.seconds
        try:
            options = PlannerOptions(
                min_scenes=sb.min_scenes,
                max_scenes=sb.max_scenes,
                default_seconds=sb.default_scene_seconds,
                fps=r.fps,
                seed=r.seed,
                target_seconds=float(target_seconds) if target_seconds else (sb.target_seconds or None),
            )
        except (ValidationError, TypeError, ValueError):
            raise UserError("target_invalid", low=3, high=600) from None
        update: dict[str, object] = {}
        if choices.style.strip():
            update["style"] = choices.style.strip()
        if choices.genre != "auto":  # "auto" leaves the genre to the idea's cues
            update["genre"] = choices.genre
        if past:
            update["past"] = list(past)[-PAST_BOARDS:]
        return PlannerOptions.model_validate({**dict(options), **update}) if update else options

    def warm(self) -> None:
        """Have the configured writer load what it can now (the planner's tables and embedder; a writer without
        `warm`, such as a model, loads at its first write as before)."""
        warm = getattr(self.writer(), "warm", None)
        if warm is not None:
            warm()

    def writer(self, name: str | None = None) -> StoryboardWriter:
        """The writer of this preset (the configured one by default), built on first use."""
        name = name or self.settings.storyboard.writer
        with self._lock:
            if name not in self._writers:
                preset = self.settings.storyboard.presets.get(name)
                if preset is None:
                    raise UserError("writer_unavailable", detail=f"no writer preset named {name!r}")
                context = EngineContext(models_dir=self.settings.models_dir, base_dir=self.settings.base_dir)
                try:
                    self._writers[name] = self.registry.build("writer", {"name": name, **preset.model_dump()}, context)
                except UnknownEngine as err:
                    raise UserError("writer_unavailable", detail=str(err)) from None
            return self._writers[name]

    def stream(
        self,
        idea: str,
        target_seconds: float | None = None,
        choices: WriteChoices | None = None,
        past: Sequence[Storyboard] = (),
    ) -> Iterator[Storyboard]:
        """Storyboards holding the scenes written so far (valid at every step); the last is the finished one.
        `past`: the creating user's own storyboards, oldest first (storage's recent_storyboards)."""
        if choices is not None:
            check_language(idea, choices.language)
        options = self.options(target_seconds, choices, past)
        if self.process is not None:
            yield from self.process.stream(idea, options)
            return
        try:
            yield from self.writer().stream(idea, options)
        except LLMUnavailable as err:
            raise writer_unavailable(err) from None

    def rewrite_scene(self, board: Storyboard, number: int, instruction: str) -> Storyboard:
        if self.process is not None:
            return self.process.rewrite_scene(board, number, instruction, self.options())
        try:
            return self.writer().rewrite_scene(board, number, instruction, self.options())
        except LLMUnavailable as err:
            raise writer_unavailable(err) from None
