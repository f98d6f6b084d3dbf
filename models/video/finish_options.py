"""What the finishing pass of a clip is asked to do (frame interpolation, upscaling), as typed options.

Kept apart from models/video/postprocess.py, which runs the networks, so that a video preset can carry these
options and the settings loader can validate them without importing torch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

UpscaleModel = Literal["animevideov3", "x4plus", "x4plus-anime"]
# animevideov3's receptive field is 17 px of input (17 3×3 convolutions) plus the bicubic taps of the x2/x3
# downscale; 20 px of context makes tiled output equal to untiled output.
DEFAULT_TILE = 512
DEFAULT_OVERLAP = 20
# The highest frame rate a finished clip (and so the film) is given. A rendered shot stays within 60 fps
# (models/video/base.py Shot.fps); RIFE multiplies that, and 16 fps × 4 = 64 is what Wan's ×4 asks. Above 120 fps
# no player or screen shows more, the H.264 level a phone decodes is exceeded at 480p and the file only grows,
# so a factor that would pass 120 is lowered (60 fps × 4 → × 2), with a log line from the shot maker.
MAX_FINISHED_FPS = 120
# What changes the finished picture: the clip's identity (its hash) holds these, not tiling or batching.
IDENTITY_FIELDS = frozenset({"interpolate", "upscale", "upscale_model"})
X4_ONLY: tuple[str, ...] = ("x4plus", "x4plus-anime")


class FinishOptions(BaseModel):
    """What a video preset (or the Film tab) asks of the finishing pass; the defaults do nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    interpolate: Literal[1, 2, 4] = 1  # frame-rate multiplier (Wan's 16 fps × 2 → 32 fps)
    upscale: Literal[1, 2, 4] = 1  # size multiplier
    upscale_model: UpscaleModel = "animevideov3"  # x4plus / x4plus-anime: ×4 only, ~25× slower
    tile: int = Field(DEFAULT_TILE, ge=0, le=4096)  # input pixels per upscaling tile; 0 = whole frames
    overlap: int = Field(DEFAULT_OVERLAP, ge=0, le=256)  # context pixels around each tile
    batch: int = Field(4, ge=1, le=64)  # frames (or frame pairs) per network call
    half: bool | None = None  # fp16; None = on a GPU only

    @model_validator(mode="after")
    def _model_scale(self) -> FinishOptions:
        if self.upscale_model in X4_ONLY and self.upscale == 2:
            raise ValueError(f"upscale_model = {self.upscale_model!r} upscales by 4 only (animevideov3 does 2 and 4)")
        return self

    @property
    def active(self) -> bool:
        return self.interpolate > 1 or self.upscale > 1

    def output_fps(self, fps: int) -> int:
        return fps * self.interpolate

    def output_frames(self, frames: int) -> int:
        return frames * self.interpolate

    def output_size(self, width: int, height: int) -> tuple[int, int]:
        return width * self.upscale, height * self.upscale

    def identity(self) -> str:
        """What the finished clip's identity (its shot's hash) holds of these options."""
        return self.model_dump_json(include=set(IDENTITY_FIELDS))

    def for_fps(self, fps: int) -> FinishOptions:
        """These options with the interpolation lowered (4 → 2 → 1) until fps × factor ≤ MAX_FINISHED_FPS."""
        factor = self.interpolate
        while factor > 1 and fps * factor > MAX_FINISHED_FPS:
            factor //= 2
        return self if factor == self.interpolate else self.model_copy(update={"interpolate": factor})

    def choose(self, interpolate: int | None = None, upscale: int | None = None) -> FinishOptions:
        """These (a preset's) options with a project's own choices over them (None keeps the preset's). A ×2
        asked of a preset whose upscaler does ×4 only takes animevideov3, the one model that does ×2."""
        update: dict[str, object] = {}
        if interpolate is not None:
            update["interpolate"] = interpolate
        if upscale is not None:
            update["upscale"] = upscale
            if upscale == 2 and self.upscale_model in X4_ONLY:
                update["upscale_model"] = "animevideov3"
        return FinishOptions.model_validate(self.model_dump() | update) if update else self
