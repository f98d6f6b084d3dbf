"""LTX-Video (LTXPipeline, and LTXImageToVideoPipeline sharing its weights for chained scenes)."""

from __future__ import annotations

from typing import Any

from models.video.families.base import FamilySpec


class LTX(FamilySpec):
    """Packed latent tokens, sizes in multiples of 32, 8k+1 frames; T5 prompts with attention masks."""

    def call_kwargs(self, shot, guidance, preset, policy, pipe) -> dict[str, Any]:
        return {"guidance_scale": guidance, "frame_rate": shot.fps}

    def latent_grid(self, pipe: Any, w: int, h: int, frames: int) -> tuple[int, int, int]:
        s = pipe.vae_spatial_compression_ratio * pipe.transformer_spatial_patch_size
        t = pipe.vae_temporal_compression_ratio * pipe.transformer_temporal_patch_size
        return (frames - 1) // t + 1, h // s, w // s


LTX_VIDEO = LTX(
    name="ltx",
    pipelines=("LTXPipeline", "LTXImageToVideoPipeline"),
    i2v_pipeline="LTXImageToVideoPipeline",
    layout="packed",
    size_multiple=32,
    checked_multiple=32,
    frame_multiple=8,
    max_frames=161,
    native=(768, 512, 121),
    steps=40,
    guidance=3.0,
    sec_per_step_h100=0.15,
    attention_fraction=0.3,
    activations_gb=1.5,
    vae_decode_gb=5.0,
    embed_names=("prompt_embeds", "prompt_attention_mask", "negative_prompt_embeds", "negative_prompt_attention_mask"),
)
