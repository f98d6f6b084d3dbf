"""CogVideoX 2B / 5B text-to-video (CogVideoXPipeline): 720×480, always 49 frames."""

from __future__ import annotations

from typing import Any

from models.video.families.base import FamilySpec


class CogVideoX(FamilySpec):
    def max_sequence_length(self, pipe: Any) -> int:
        return int(pipe.transformer.config.max_text_seq_length)  # must equal the transformer's (226 real)


COGVIDEOX = CogVideoX(
    name="cogvideox",
    pipelines=("CogVideoXPipeline",),
    layout="bfchw",
    size_multiple=16,
    frame_multiple=4,
    max_frames=49,
    fixed_frames=True,
    render_size=(720, 480),
    native=(720, 480, 49),
    steps=50,
    guidance=6.0,
    dtype="float16",
    sec_per_step_h100=0.6,
    attention_fraction=0.6,
    activations_gb=3.0,
    vae_decode_gb=8.0,
)
