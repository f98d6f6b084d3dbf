"""The speed-ups a diffusion preset may turn on, applied to a loaded pipeline: a step-distilled LoRA and its
scheduler shift (at load), then per render the quality's attention backend, step cache and compile.

None of them is ever required. A missing package (sageattention, flash-attn, xformers, peft), a model
without the hooks a cache needs, or a compiler that fails falls back to the stock path with one log line
saying which option was dropped and why; the render goes on. `SpeedState` remembers what is applied to one
loaded pipeline (so a draft and a final of the same job can differ) and what has been dropped for good.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from models import vram
from models.video.presets import DiffusionPreset, SpeedOptions

log = logging.getLogger(__name__)

# Our names → diffusers' attention backend names (diffusers.models.attention_dispatch.AttentionBackendName).
ATTENTION_BACKENDS = {
    "sdpa": "native",
    "sage": "sage",
    "flash": "flash",
    "flash3": "_flash_3",
    "xformers": "xformers",
    "flex": "flex",
}
# Defaults when a preset gives no threshold: diffusers' own (FirstBlockCacheConfig 0.05, MagCacheConfig 0.06).
DEFAULT_THRESHOLD = {"first_block": 0.05, "mag": 0.06}
MAG_RETENTION = 0.2  # MagCache's first 20 % of steps are always computed (its README's setting for Wan)
# The modules TaylorSeer predicts. Its default patterns ("^blocks.*attn", fullmatched) match no module of the
# video transformers, whose attentions are named attn1/attn2 (Wan: blocks.3.attn1): with them the cache
# silently does nothing. These name every block's attentions and feed-forward (Wan, LTX, CogVideoX).
TAYLORSEER_MODULES = [r"^(transformer_)?blocks\.\d+\.(attn\d?|ffn?)$"]


class SpeedState(BaseModel):
    """What is applied to one loaded pipeline now, and the options dropped for good on this machine."""

    attention: str = "sdpa"
    cache: str = "none"
    compiled: bool = False
    dropped: dict[str, str] = Field(default_factory=dict)  # option → why

    def drop(self, option: str, why: str, engine: str) -> None:
        if option not in self.dropped:
            log.warning("%s: %s is not available here (%s); using the stock path", engine, option, why)
        self.dropped[option] = why


# -- at load: the distilled LoRA and its scheduler -------------------------------------------------------
def lora_path(preset: DiffusionPreset, models_dir: Path | None) -> Path | None:
    """The distill LoRA's file on disk (from --download, or a local folder), or None when the preset has none."""
    if not preset.lora_repo or not preset.lora_file:
        return None
    from models.download import single_file_dir

    return single_file_dir(preset.lora_repo, models_dir) / preset.lora_file


def apply_load_speedups(pipe: Any, preset: DiffusionPreset, models_dir: Path | None, engine: str) -> str | None:
    """Fuse the preset's step-distilled LoRA into the denoiser and set the scheduler's shift. Returns why the
    LoRA could not be applied (the preset then renders with the base weights at its steps), or None."""
    if preset.flow_shift is not None and "flow_shift" in getattr(pipe.scheduler, "config", {}):
        pipe.scheduler = type(pipe.scheduler).from_config(pipe.scheduler.config, flow_shift=preset.flow_shift)
    elif preset.flow_shift is not None and "shift" in getattr(pipe.scheduler, "config", {}):
        pipe.scheduler = type(pipe.scheduler).from_config(pipe.scheduler.config, shift=preset.flow_shift)
    path = lora_path(preset, models_dir)
    if path is None:
        return None
    why = None
    if not path.is_file():
        why = f"{path} is missing: python launch.py --download {preset.name or engine}"
    elif not hasattr(pipe, "load_lora_weights"):
        why = f"{type(pipe).__name__} takes no LoRA"
    else:
        try:
            pipe.load_lora_weights(str(path.parent), weight_name=path.name, adapter_name="distill")
            # Fused into the weights: no per-step LoRA matmuls, and offload hooks see plain Linear layers.
            pipe.fuse_lora(lora_scale=preset.lora_scale, adapter_names=["distill"])
            pipe.unload_lora_weights()
        except (ImportError, ValueError, KeyError, RuntimeError, OSError) as exc:
            why = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    if why:
        log.warning("%s: the distill LoRA is not applied (%s); the base model runs at the preset's steps", engine, why)
    return why


# -- per render: attention, cache, compile ---------------------------------------------------------------
def configure(
    pipe: Any, options: SpeedOptions, preset: DiffusionPreset, steps: int, state: SpeedState, engine: str
) -> None:
    """Put the quality's speed options on the pipeline's denoisers (what is already there is kept)."""
    models = vram.denoisers(pipe)
    _attention(models, options.attention, state, engine)
    _cache(models, options, preset, steps, state, engine)
    if options.compile and not state.compiled and "compile" not in state.dropped:
        compile_models(models, state, engine)


def _attention(models: list[Any], wanted: str, state: SpeedState, engine: str) -> None:
    option = f"attention = {wanted!r}"
    if wanted != "sdpa" and option in state.dropped:
        wanted = "sdpa"
    if wanted == state.attention:
        return
    try:
        for model in models:
            if wanted == "sdpa":
                model.reset_attention_backend()
            else:
                set_model_attention(model, ATTENTION_BACKENDS[wanted])
        state.attention = wanted
    except (ImportError, RuntimeError, ValueError, AttributeError) as exc:
        state.drop(option, str(exc).splitlines()[0][:200], engine)
        for model in models:
            if hasattr(model, "reset_attention_backend"):
                model.reset_attention_backend()
        state.attention = "sdpa"


def set_model_attention(model: Any, backend: str) -> None:
    """The backend for this model's attention only. diffusers' set_attention_backend also makes it the
    process-wide default, and reset_attention_backend does not undo that: every other model in the process
    (the next preset's, a keyframe model) would then run on it. The default is put back."""
    from diffusers.models.attention_dispatch import _AttentionBackendRegistry

    default = _AttentionBackendRegistry._active_backend
    try:
        model.set_attention_backend(backend)
    finally:
        _AttentionBackendRegistry.set_active_backend(default)


def _cache(
    models: list[Any], options: SpeedOptions, preset: DiffusionPreset, steps: int, state: SpeedState, engine: str
) -> None:
    for model in models:
        if getattr(model, "is_cache_enabled", False):
            model.disable_cache()  # a cache holds the last job's residuals and its step count: start afresh
    state.cache = "none"
    kind = options.cache
    if kind == "none":
        return
    option = f"cache = {kind!r}"
    if kind == "mag" and not preset.mag_ratios:
        state.drop(option, "MagCache needs this model's mag_ratios in the preset", engine)
        return
    try:
        for model in models:
            model.enable_cache(cache_config(options, preset, steps))
        state.cache = kind
    except (ImportError, ValueError, AttributeError, IndexError, TypeError) as exc:
        for model in models:
            if getattr(model, "is_cache_enabled", False):
                model.disable_cache()
        state.drop(option, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", engine)


def cache_config(options: SpeedOptions, preset: DiffusionPreset, steps: int) -> Any:
    """The diffusers cache config of a speed option, for a render of `steps` steps."""
    import diffusers

    threshold = options.cache_threshold or DEFAULT_THRESHOLD.get(options.cache, 0.05)
    if options.cache == "first_block":
        return diffusers.FirstBlockCacheConfig(threshold=threshold)
    if options.cache == "mag":
        # The ratios are per model and per step of one guidance branch; diffusers interpolates them to `steps`.
        return diffusers.MagCacheConfig(
            threshold=threshold,
            max_skip_steps=options.cache_max_skip,
            retention_ratio=MAG_RETENTION,
            num_inference_steps=steps,
            mag_ratios=list(preset.mag_ratios or []),
        )
    if options.cache == "taylorseer":
        import torch

        return diffusers.TaylorSeerCacheConfig(
            cache_interval=options.cache_interval,
            disable_cache_before_step=min(3, max(1, steps // 4)),
            taylor_factors_dtype=torch.float32,  # tiny in memory; bf16 factors drift on long schedules
            cache_identifiers=TAYLORSEER_MODULES,
        )
    raise ValueError(f"unknown cache {options.cache!r}")


def compile_models(models: list[Any], state: SpeedState, engine: str, **kwargs: Any) -> None:
    """Regional torch.compile (one transformer block, reused by every block) where the model declares its
    repeated blocks; the whole model otherwise (CogVideoX, the SVD UNet: notes/video.md)."""
    try:
        for model in models:
            if getattr(model, "_repeated_blocks", None):
                model.compile_repeated_blocks(**kwargs)
            else:
                model.compile(**kwargs)
        state.compiled = True
    except Exception as exc:  # noqa: BLE001 - any compiler failure: run uncompiled
        uncompile(models)
        state.drop("compile = true", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", engine)


def uncompile(models: list[Any]) -> None:
    """Undo nn.Module.compile on every submodule: calls go to the eager forward again."""
    for model in models:
        for module in model.modules():
            if getattr(module, "_compiled_call_impl", None) is not None:
                module._compiled_call_impl = None


def compile_failed(pipe: Any, state: SpeedState, exc: BaseException, engine: str) -> bool:
    """torch.compile compiles on the first call: a failure there surfaces from the pipeline. When compile
    is on, undo it and say so; True means the render may be retried uncompiled."""
    if not state.compiled:
        return False
    uncompile(vram.denoisers(pipe))
    state.compiled = False
    state.drop("compile = true", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", engine)
    return True
