"""Wan 2.1 / 2.2 text-to-video (WanPipeline) and Wan 2.1 image-to-video (WanImageToVideoPipeline)."""

from __future__ import annotations

from typing import Any

from models.video.families.base import FamilySpec

# WanPipeline.__call__ defaults max_sequence_length to 512 (the length Wan was trained with), but its
# encode_prompt defaults to 226: embeddings made separately must ask for 512 (diffusers 0.42.1 source).
WAN_TEXT_TOKENS = 512


class Wan(FamilySpec):
    """Sizes in multiples of 16, 4k+1 frames at 16 fps; UMT5 prompts of 512 tokens."""

    def max_sequence_length(self, pipe: Any) -> int:
        return WAN_TEXT_TOKENS

    def call_kwargs(self, shot, guidance, preset, policy, pipe) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"guidance_scale": guidance}
        # Wan 2.2 A14B: two experts, switched at boundary_ratio. guidance_scale drives the high-noise expert
        # (`transformer`), guidance_scale_2 the low-noise one; the pipeline reuses guidance_scale when it is
        # None. Wan 2.2's own config (wan/configs/wan_t2v_A14B.py) uses 4.0 high / 3.0 low, so the preset
        # gives guidance_2. Passing it to a 2.1 pipeline (no boundary_ratio) is a ValueError, hence the check.
        if preset.guidance_2 is not None and getattr(pipe.config, "boundary_ratio", None) is not None:
            kwargs["guidance_scale_2"] = preset.guidance_2
        return kwargs


WAN = Wan(
    name="wan",
    pipelines=("WanPipeline",),
    # FLOPs from notes/video.md: attention is 2.01e14 of 2.83e14 per forward at 832×480×81.
    attention_fraction=0.71,
    # diffusers' Wan examples load the VAE in float32 beside a bfloat16 transformer (AutoencoderKLWan
    # .from_pretrained(..., dtype=torch.float32)); the I2V example does the same for the CLIP image encoder.
    fp32_components=("vae", "image_encoder"),
)

WAN_I2V = Wan(
    name="wan_i2v",
    pipelines=("WanImageToVideoPipeline",),
    needs_image=True,
    sec_per_step_h100=8.0,
    attention_fraction=0.71,
    activations_gb=4.0,
    fp32_components=("vae", "image_encoder"),
)
