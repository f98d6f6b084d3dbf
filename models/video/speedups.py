"""Optional speed-ups a diffusion preset may turn on (attention backend, step caches, regional compile).
Off by default; a missing package or an unsupported model gives a clear message naming the option."""

from __future__ import annotations

from typing import Any

from models import vram
from models.errors import UserError
from models.video.presets import DiffusionPreset


def apply_speedups(pipe: Any, preset: DiffusionPreset, engine: str) -> None:
    p = preset
    for model in vram.denoisers(pipe):
        option = ""
        try:
            if p.attention_backend:
                option = f"attention_backend = {p.attention_backend!r}"
                model.set_attention_backend(p.attention_backend)
            if p.cache == "first_block":
                option = "cache = 'first_block'"
                from diffusers import FirstBlockCacheConfig

                model.enable_cache(FirstBlockCacheConfig(threshold=p.cache_threshold))
            if p.compile:
                option = "compile = true"
                if getattr(model, "_repeated_blocks", None):
                    model.compile_repeated_blocks()  # regional: compiles one block, reused by all
                else:  # CogVideoX and the SVD UNet declare no repeated blocks (notes/video.md)
                    model.compile()
        except Exception as exc:  # a missing package or an unsupported model: say which option and why
            raise UserError(
                "engine_option_failed", engine=engine, option=option, detail=str(exc).splitlines()[0][:300]
            ) from None
    if p.cache == "mag" and not p.mag_ratios:
        raise UserError(
            "engine_option_failed",
            engine=engine,
            option="cache = 'mag'",
            detail="MagCache needs this model's mag_ratios in the preset",
        )


def enable_mag_cache(pipe: Any, preset: DiffusionPreset, steps: int) -> None:
    if preset.cache != "mag":
        return
    from diffusers import MagCacheConfig

    model = getattr(pipe, "transformer", None)
    if model is None or not hasattr(model, "enable_cache"):
        return
    if getattr(model, "is_cache_enabled", False):
        model.disable_cache()
    # The ratios are per model; MagCache interpolates them to this shot's step count.
    model.enable_cache(MagCacheConfig(mag_ratios=preset.mag_ratios, num_inference_steps=steps))
