"""Stable Video Diffusion (StableVideoDiffusionPipeline): image-only, started from a keyframe or the
previous scene's last frame; a UNet, no text encoder."""

from __future__ import annotations

import math
from typing import Any

from models.video.families.base import FamilySpec

# StableVideoDiffusionPipeline's fps defaults to 7 and is passed as fps-1 ("the UNet was micro-conditioned on
# fps-1 during training", diffusers 0.42.1 docstring). The film's own rate (16+) is outside what the
# model saw; the clip is made at 7 fps and resampled to the film's rate.
SVD_FPS = 7


class SVD(FamilySpec):
    def grid(self, pipe: Any) -> tuple[int, int]:
        return math.lcm(8, pipe.vae_scale_factor * 2 ** (len(pipe.unet.config.block_out_channels) - 1)), 0

    def call_kwargs(self, shot, guidance, preset, policy, pipe) -> dict[str, Any]:
        return dict(
            min_guidance_scale=1.0,
            max_guidance_scale=guidance,
            fps=int(self.model_fps),
            motion_bucket_id=preset.motion_bucket_id,
            # SVD's VAE has no slicing or tiling: decode_chunk_size is what bounds its decode peak.
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
    native_tokens=25 * 72 * 128,  # latent pixels at the UNet's top level
    model_width=320,  # the UNet's first block width (its parameter count says nothing about it)
    cfg_batch=2,
    model_fps=SVD_FPS,
    steps=25,
    guidance=3.0,
    dtype="float16",
    sec_per_step_h100=0.15,
    attention_fraction=0.2,
    activations_gb=3.0,
    vae_gb=0.2,
    vae_decode_gb=6.0,
)
