"""LTX-Video (LTXPipeline, and LTXImageToVideoPipeline sharing its weights for chained scenes)."""

from __future__ import annotations

from typing import Any

from models.video.families.base import FamilySpec

# diffusers' LTX-Video docs: "produces 24 FPS videos at 768x512"; LTXPipeline's frame_rate (default 25)
# scales the temporal RoPE, so it must be the rate the frames are made at, not the film's.
LTX_FPS = 24
# LTX-Video 0.9.1+ VAEs are timestep-conditioned (vae.config.timestep_conditioning): the decoder does the
# last denoising step. diffusers' LTX examples for those versions pass decode_timestep 0.05 and
# decode_noise_scale 0.025; the pipeline defaults (0.0, None) are for 0.9.0, whose VAE ignores them.
DECODE_TIMESTEP = 0.05
DECODE_NOISE_SCALE = 0.025


class LTX(FamilySpec):
    """Packed latent tokens, sizes in multiples of 32, 8k+1 frames at 24 fps; T5 prompts with masks."""

    def call_kwargs(self, shot, guidance, preset, policy, pipe) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"guidance_scale": guidance, "frame_rate": self.model_fps}
        vae = getattr(pipe, "vae", None)
        if vae is not None and getattr(vae.config, "timestep_conditioning", False):
            kwargs.update(decode_timestep=DECODE_TIMESTEP, decode_noise_scale=DECODE_NOISE_SCALE)
        return kwargs

    def latent_grid(self, pipe: Any, w: int, h: int, frames: int) -> tuple[int, int, int]:
        s = pipe.vae_spatial_compression_ratio * pipe.transformer_spatial_patch_size
        t = pipe.vae_temporal_compression_ratio * pipe.transformer_temporal_patch_size
        return (frames - 1) // t + 1, h // s, w // s


LTX_VIDEO = LTX(
    name="ltx",
    # LTXConditionPipeline: LTX-Video 0.9.5+ (0.9.7 distilled); it takes a start image itself.
    pipelines=("LTXPipeline", "LTXImageToVideoPipeline", "LTXConditionPipeline"),
    i2v_pipeline="LTXImageToVideoPipeline",
    layout="packed",
    size_multiple=32,
    checked_multiple=32,
    frame_multiple=8,
    max_frames=161,
    native=(768, 512, 121),
    native_tokens=6144,  # 16×16×24 latent tokens at 768×512×121 (notes/video.md)
    cfg_batch=2,
    model_fps=LTX_FPS,
    steps=40,
    guidance=3.0,
    sec_per_step_h100=0.15,
    attention_fraction=0.3,
    activations_gb=1.5,
    vae_gb=0.9,
    vae_decode_gb=5.0,
    embed_names=("prompt_embeds", "prompt_attention_mask", "negative_prompt_embeds", "negative_prompt_attention_mask"),
)
