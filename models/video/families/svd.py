"""Stable Video Diffusion (StableVideoDiffusionPipeline): image-only, started from a keyframe or the
previous scene's last frame; a UNet, no text encoder."""

from __future__ import annotations

import math
from typing import Any

from models.video.families.base import FamilySpec


class SVD(FamilySpec):
    def grid(self, pipe: Any) -> tuple[int, int]:
        return math.lcm(8, pipe.vae_scale_factor * 2 ** (len(pipe.unet.config.block_out_channels) - 1)), 0

    def call_kwargs(self, shot, guidance, preset, policy, pipe) -> dict[str, Any]:
        return dict(
            min_guidance_scale=1.0,
            max_guidance_scale=guidance,
            fps=min(shot.fps, 30),
            motion_bucket_id=preset.motion_bucket_id,
            decode_chunk_size=2 if policy and policy.vae_tiling else 8,
        )


STABLE_VIDEO = SVD(
    name="svd",
    pipelines=("StableVideoDiffusionPipeline",),
    needs_image=True,
    has_text=False,
    layout="bfchw",
    size_multiple=64,
    frame_multiple=0,
    max_frames=25,
    render_size=(1024, 576),
    native=(1024, 576, 25),
    steps=25,
    guidance=3.0,
    dtype="float16",
    sec_per_step_h100=0.15,
    attention_fraction=0.2,
    activations_gb=3.0,
    vae_decode_gb=6.0,
)
