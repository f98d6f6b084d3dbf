"""The video-engine seam: a Shot goes in, frames come out, with progress and cancellation."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.storyboard import SceneFacts

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

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    def content_hash(self) -> str:
        """Stable hash of the shot: equal shots give equal clips, so a clip is never rendered twice."""
        # A shot without facts hashes as it did before facts existed, so clips rendered then stay cached.
        # Likewise a final shot hashes as it did before shots named their quality.
        exclude = {"facts"} if self.facts is None else set()
        if self.quality == "final":
            exclude.add("quality")
        return hashlib.sha256(self.model_dump_json(exclude=exclude or None).encode()).hexdigest()


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
