"""What the finishing pass of a clip is asked to do (frame interpolation, upscaling), as typed options.

Kept apart from models/video/postprocess.py, which runs the networks, so that a video preset can carry these
options and the settings loader can validate them without importing torch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

UpscaleModel = Literal["animevideov3", "x4plus", "x4plus-anime"]
# animevideov3's receptive field is 17 px of input (17 3×3 convolutions) plus the bicubic taps of the x2/x3
# downscale; 20 px of context makes tiled output equal to untiled output.
DEFAULT_TILE = 512
DEFAULT_OVERLAP = 20


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

    @property
    def active(self) -> bool:
        return self.interpolate > 1 or self.upscale > 1

    def output_fps(self, fps: int) -> int:
        return fps * self.interpolate

    def output_frames(self, frames: int) -> int:
        return frames * self.interpolate

    def output_size(self, width: int, height: int) -> tuple[int, int]:
        return width * self.upscale, height * self.upscale
