"""The video-engine seam: a Shot goes in, frames come out, with progress and cancellation."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.storyboard import SceneFacts
from models.video.finish_options import FinishOptions

# progress(done, total, preview) — preview is an optional small RGB image of the work so far.
ProgressFn = Callable[[int, int, np.ndarray | None], None]


class Cancelled(Exception):
    """Raised by an engine when its cancel event is set; nothing partial is kept."""


class Shot(BaseModel):
    """Everything one engine call needs, built from a scene plus the project's render settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    prompt: str
    negative_prompt: str = ""
    caption: str = ""  # the narration line; the animatic draws it, diffusion engines ignore it
    camera: str = "static"
    width: int = Field(ge=16, le=4096)
    height: int = Field(ge=16, le=4096)
    frames: int = Field(ge=1, le=2000)
    fps: int = Field(ge=1, le=60)
    steps: int = Field(0, ge=0, le=500)
    guidance: float = Field(0.0, ge=0.0, le=50.0)
    seed: int = 0
    init_image: str | None = None  # path of an image for image-to-video continuity
    engine: str = "animatic"  # preset name: the same shot on another engine is another clip
    facts: SceneFacts | None = None  # the scene's structured facts; the animatic draws them
    # Which of the preset's speed settings render it: a draft takes the fastest (caches, compile), a final
    # the best. The shot's size and steps are already the quality's own.
    quality: Literal["final", "draft"] = "final"
    # The finishing pass (RIFE, Real-ESRGAN) the render stage runs over the engine's clip. The engine never
    # sees it: it renders `raw()`, whose clip is kept and cached on its own, so changing the finish renders
    # nothing again; the finished clip is derived from the raw one and cached under this shot's hash.
    finish: FinishOptions | None = None

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    @property
    def finishing(self) -> bool:
        return self.finish is not None and self.finish.active

    def raw(self) -> Shot:
        """The shot the engine renders: this one without its finishing pass."""
        return self if self.finish is None else self.model_copy(update={"finish": None})

    def output_format(self) -> tuple[int, int, int]:
        """(width, height, fps) of the clip this shot ends as, once finished (the duration never changes)."""
        if not self.finishing:
            return self.width, self.height, self.fps
        w, h = self.finish.output_size(self.width, self.height)
        return w, h, self.finish.output_fps(self.fps)

    def content_hash(self) -> str:
        """Stable hash of the shot: equal shots give equal clips, so a clip is never rendered twice."""
        # A shot without facts hashes as it did before facts existed, so clips rendered then stay cached.
        # Likewise a final shot hashes as it did before shots named their quality, and an unfinished one as
        # before shots carried a finish: the raw clip's hash, which the finished clip's hash extends.
        exclude = {"facts", "finish"} if self.facts is None else {"finish"}
        if self.quality == "final":
            exclude.add("quality")
        text = self.model_dump_json(exclude=exclude)
        if self.finishing:
            text += "|finish:" + self.finish.identity()
        return hashlib.sha256(text.encode()).hexdigest()


class VideoEngine:
    """What every video engine offers. Engines are built by the registry from a preset and subclass this.

    `render` is the one method an engine must write. The others are capabilities with a neutral default,
    declared here so the studio calls them on every engine instead of probing for them.
    """

    name: str = "engine"
    # Whether render() reports a preview image through its progress callback.
    gives_previews: bool = False

    def render(
        self, shot: Shot, progress: ProgressFn | None = None, cancel: threading.Event | None = None
    ) -> Iterator[np.ndarray]:
        """Yield shot.frames RGB uint8 frames of shot.height × shot.width; raise Cancelled when cancelled."""
        raise NotImplementedError

    def estimate_seconds(self, shot: Shot) -> float:
        """Rough wall time to render the shot on this machine (0: no idea)."""
        return 0.0

    def prepare(self, shots: list[Shot]) -> None:
        """Work shared by a job's shots, done once before the first (e.g. encode every prompt)."""

    def unload(self) -> None:
        """Give back the memory the engine holds (after each job, so VRAM returns to its baseline)."""

    def lower_memory_policy(self) -> bool:
        """Switch to the next lower memory policy (more offload, tiled VAE decode...), so the next render of a
        scene that ran out of memory needs less; False when there is none. The render stage calls it once
        after a scene raises torch.OutOfMemoryError (or MemoryError) and then renders the scene again."""
        return False

    @property
    def loaded(self) -> bool:
        """Whether model weights are in memory now (what /health reports). An engine without weights, like
        the animatic, has nothing loaded; an engine that loads weights says when it holds them."""
        return False
