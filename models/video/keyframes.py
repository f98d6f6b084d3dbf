"""Keyframes: a text-to-image model (SD 1.5, SDXL, FLUX-schnell) draws the start image of a scene for
image-only video models (SVD, Wan I2V).

The keyframe model is loaded once per job, before the video model takes the card, draws every keyframe the
job needs, and is freed: on a small card it cannot sit beside the video model, and reloading it for every
scene costs more than the drawing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from models import vram
from models.errors import UserError
from models.video.base import Shot
from models.video.frames import snap
from models.video.presets import DiffusionPreset, model_size_on_disk, resolve_model_path

log = logging.getLogger(__name__)

FLAGGED_EN = (
    "The keyframe model's safety checker flagged the start image of “{prompt}”, so the scene would render "
    "black. Rephrase the scene."
)
FLAGGED_ZH = "关键帧模型的安全检查标记了“{prompt}”的起始画面，该场景会渲染成黑屏。请改写该场景。"


class KeyframeMaker:
    """Holds one keyframe model while a job's keyframes are drawn; `close()` frees it."""

    def __init__(self, preset: DiffusionPreset, models_dir: Path | None, engine: str, device: vram.DeviceInfo) -> None:
        self.preset, self.models_dir, self.engine, self.device = preset, models_dir, engine, device
        self._pipe: Any = None
        self.loads = 0  # how many times the model was read from disk (once per job)

    def _load(self) -> Any:
        if self._pipe is not None:
            return self._pipe
        from diffusers import DiffusionPipeline

        if not self.preset.keyframe_repo:
            raise UserError("engine_missing", engine=self.engine, detail="this model needs keyframe_repo in its preset")
        path = resolve_model_path(self.preset.keyframe_repo, self.models_dir, self.engine)
        kwargs: dict[str, Any] = {"dtype": vram.torch_dtype(self.preset.keyframe_dtype)}
        if self.preset.keyframe_variant:
            kwargs["variant"] = self.preset.keyframe_variant
        pipe = DiffusionPipeline.from_pretrained(str(path), **kwargs)
        pipe.set_progress_bar_config(disable=True)
        # Alone on the card (the video model is not placed yet): resident when it fits, else offloaded.
        size = sum(model_size_on_disk(path, self.preset.keyframe_variant).values())
        policy = vram.choose_policy(
            self.device.total_bytes, self.device.free_bytes, vram.ModelSize(denoiser=size),
            "keyframe", device=self.device.compute_device,
        )  # fmt: skip
        placement = "resident" if self.device.total_bytes <= 0 else policy.placement
        vram.apply_policy(pipe, vram.MemoryPolicy(device=self.device.compute_device, placement=placement))
        self._pipe, self.loads = pipe, self.loads + 1
        return pipe

    def draw(self, shot: Shot, w: int, h: int, tick: Callable[[], None] | None = None) -> np.ndarray:
        """A keyframe for the shot, RGB uint8 of about w × h (on the model's 16-pixel grid)."""
        pipe = self._load()
        kw: dict[str, Any] = dict(
            prompt=shot.prompt,
            height=snap(h, 16),
            width=snap(w, 16),
            num_inference_steps=self.preset.keyframe_steps,
            guidance_scale=self.preset.keyframe_guidance,
            generator=vram.cpu_generator(shot.seed),
            output_type="np",
            callback_on_step_end=lambda p, i, t, k: ((tick() if tick else None), k)[1],
        )
        if "Flux" not in type(pipe).__name__:
            kw["negative_prompt"] = shot.negative_prompt or None
        out = pipe(**kw)
        # SD 1.5's safety checker blacks out an image it flags (nsfw_content_detected). A black keyframe
        # would silently become a black scene: say so instead, in the creator's words.
        if any(getattr(out, "nsfw_content_detected", None) or []):
            excerpt = shot.prompt[:60]
            raise UserError(
                "moderation_blocked",
                message_en=FLAGGED_EN.format(prompt=excerpt),
                message_zh=FLAGGED_ZH.format(prompt=excerpt),
            )
        return (np.clip(out.images[0], 0, 1) * 255).round().astype(np.uint8)

    def close(self) -> None:
        if self._pipe is not None:
            self._pipe = None
            vram.release_memory()
