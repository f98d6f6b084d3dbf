"""Wan 2.1 / 2.2 text-to-video (WanPipeline) and Wan 2.1 image-to-video (WanImageToVideoPipeline)."""

from __future__ import annotations

from models.video.families.base import FamilySpec


class Wan(FamilySpec):
    """Sizes in multiples of 16, 4k+1 frames at 16 fps; UMT5 prompts."""


WAN = Wan(
    name="wan",
    pipelines=("WanPipeline",),
    # FLOPs from notes/video.md: attention is 2.01e14 of 2.83e14 per forward at 832×480×81.
    attention_fraction=0.71,
)

WAN_I2V = Wan(
    name="wan_i2v",
    pipelines=("WanImageToVideoPipeline",),
    needs_image=True,
    sec_per_step_h100=8.0,
    attention_fraction=0.71,
    activations_gb=4.0,
)
