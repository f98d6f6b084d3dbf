"""What the studio facade returns to the tabs and REST beside the storyboard itself: engine presets as the
Create tab offers them, the machine's status for admins, a project's render state, and each scene's clip."""

from __future__ import annotations

from pydantic import BaseModel


class EnginePreset(BaseModel):
    """A video preset as the Create tab offers it: selectable only when its weights are on disk."""

    name: str
    label: str
    on_disk: bool
    detail: str  # where its weights are, or the command that downloads them


class SystemStatus(BaseModel):
    """What the admin sees of the machine: the device and its memory, the models on disk and in memory."""

    device: str
    device_name: str
    torch_version: str | None
    vram_total_gib: float
    vram_free_gib: float
    writer: str
    video_engine: str
    llm_loaded: bool
    video_loaded: bool
    loaded_engines: list[str]
    presets: list[EnginePreset]


class RenderState(BaseModel):
    """Where a project's render stands, for the Render tab: its job, place in the queue, the scene being
    rendered with that scene's share done and ETA."""

    job_id: int
    status: str
    position: int = 0  # 0: running now; 1: next...
    progress: float = 0.0
    eta_seconds: int | None = None  # until the whole job is done
    message: str = ""
    scene: int | None = None  # the scene being rendered now
    scene_fraction: float = 0.0
    scene_eta: int | None = None
    scenes: list[int] | None = None
    quality: str | None = None


class SceneClip(BaseModel):
    """The clip a scene shows in the storyboard: the one of its current shot, or (`current` False) the latest
    made for it before it changed."""

    number: int
    clip_id: int | None = None
    current: bool = False
    locked: bool = False
