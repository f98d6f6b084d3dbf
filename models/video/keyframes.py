"""Keyframes: a text-to-image model (SD 1.5, SDXL, FLUX-schnell) draws the start image of a scene for
image-only video models (SVD, Wan I2V)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from models import vram
from models.errors import UserError
from models.video.base import Shot
from models.video.frames import snap
from models.video.presets import DiffusionPreset, resolve_model_path


def make_keyframe(
    preset: DiffusionPreset,
    models_dir: Path | None,
    engine: str,
    policy: vram.MemoryPolicy | None,
    shot: Shot,
    w: int,
    h: int,
    tick: Callable[[], None],
) -> np.ndarray:
    """A text-to-image keyframe for an image-only video model."""
    from diffusers import DiffusionPipeline

    if not preset.keyframe_repo:
        raise UserError("engine_missing", engine=engine, detail="this model needs keyframe_repo in its preset")
    path = resolve_model_path(preset.keyframe_repo, models_dir, engine)
    policy = policy or vram.MemoryPolicy(device="cpu")
    kf = DiffusionPipeline.from_pretrained(str(path), dtype=vram.torch_dtype(preset.keyframe_dtype))
    kf.set_progress_bar_config(disable=True)
    try:
        # The keyframe model is freed right after: on a small card it cannot sit beside the video model.
        placement = "resident" if policy.placement == "resident" else "model_offload"
        vram.apply_policy(kf, vram.MemoryPolicy(device=policy.device, placement=placement))
        kw: dict[str, Any] = dict(
            prompt=shot.prompt,
            height=snap(h, 16),
            width=snap(w, 16),
            num_inference_steps=preset.keyframe_steps,
            guidance_scale=preset.keyframe_guidance,
            generator=vram.cpu_generator(shot.seed),
            output_type="np",
            callback_on_step_end=lambda p, i, t, k: (tick(), k)[1],
        )
        if "Flux" not in type(kf).__name__:
            kw["negative_prompt"] = shot.negative_prompt or None
        image = kf(**kw).images[0]
    finally:
        del kf
        vram.release_memory()
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
