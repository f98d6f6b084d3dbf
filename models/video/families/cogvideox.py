"""CogVideoX 2B / 5B text-to-video (CogVideoXPipeline): 720×480, always 49 frames at 8 fps."""

from __future__ import annotations

from typing import Any

from models.video.families.base import FamilySpec


class CogVideoX(FamilySpec):
    def max_sequence_length(self, pipe: Any) -> int:
        return int(pipe.transformer.config.max_text_seq_length)  # must equal the transformer's (226 real)

    def call_kwargs(self, shot, guidance, preset, policy, pipe) -> dict[str, Any]:
        # use_dynamic_cfg (default False) ramps guidance over the steps. THUDM's own CogVideoX demo says it
        # is for the DPM scheduler and should be False with DDIM, the scheduler the 2B/5B repos ship.
        dynamic = type(getattr(pipe, "scheduler", None)).__name__ == "CogVideoXDPMScheduler"
        return {"guidance_scale": guidance, "use_dynamic_cfg": dynamic}


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
    native_tokens=17550,  # 13 latent frames × 60×90 / patch 2×2
    cfg_batch=2,
    model_fps=8,  # 49 frames = 6 s at 8 fps (the model card's export rate)
    steps=50,
    guidance=6.0,
    dtype="float16",
    sec_per_step_h100=0.6,
    attention_fraction=0.6,
    activations_gb=3.0,
    vae_gb=0.43,
    vae_decode_gb=8.0,
)
