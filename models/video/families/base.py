"""What a diffusion model family is to the engine: its grid, its speed and memory figures, and the few
calls where its pipeline differs. One subclass per family file; the engine core calls these hooks and
never asks which family it holds (diffusers keeps one pipeline per file for the same reason)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from models.video.frames import Layout

if TYPE_CHECKING:
    from models.video.base import Shot
    from models.video.presets import DiffusionPreset
    from models.vram import MemoryPolicy


class FamilySpec(BaseModel):
    """What one model family needs. Grids are read from the loaded pipeline when it is there; these are
    the real models' values, used before loading (estimates) and as a fallback."""

    model_config = ConfigDict(frozen=True)
    name: str
    pipelines: tuple[str, ...]  # pipeline classes a preset of this family may load
    i2v_pipeline: str | None = None  # class that shares the weights for image-to-video (from_pipe)
    needs_image: bool = False  # I2V-only models: the first scene gets a keyframe from a text-to-image model
    has_text: bool = True
    layout: Layout = "bcfhw"
    size_multiple: int = 16
    checked_multiple: int = 16  # what the pipeline's own check_inputs demands, whatever the VAE (LTX: 32)
    frame_multiple: int = 4  # frames = k·m + 1; 0 = any count (SVD)
    max_frames: int = 81
    fixed_frames: bool = False  # always render max_frames (the model was trained on one length only)
    render_size: tuple[int, int] | None = None  # (w, h) the model must render at; None = the shot's size
    native: tuple[int, int, int] = (832, 480, 81)  # (w, h, frames) the speed and memory figures are for
    steps: int = 30
    guidance: float = 5.0
    dtype: str = "bfloat16"
    sec_per_step_h100: float = 1.4  # at `native`, CFG included, H100 bf16 (estimate; refined by measurement)
    attention_fraction: float = 0.7  # share of a step's FLOPs in attention (quadratic in tokens)
    activations_gb: float = 2.0  # peak of one step at `native`, beside the weights
    vae_decode_gb: float = 6.0  # peak of an untiled decode at `native`
    vae_gb: float = 0.5  # the VAE's weights when nothing is on disk yet (Wan's in FP32)
    model_fps: float = 16.0  # the frame rate the model was trained at: scenes are rendered at it, then resampled
    # Latent tokens of one step at `native` and the denoiser's width when the parameter count misleads
    # (a UNet): activations are estimated from these and the model's size (models.vram_policy).
    native_tokens: int = 32760
    model_width: int | None = None
    cfg_batch: int = 1  # 2 when the pipeline runs the conditional and unconditional passes as one batch
    # Components diffusers' own examples load in FP32 whatever the pipeline's dtype.
    fp32_components: tuple[str, ...] = ()
    # What encode_prompt returns, in order, as pipeline keyword arguments.
    embed_names: tuple[str, ...] = ("prompt_embeds", "negative_prompt_embeds")

    # -- hooks: what differs in a family's call --------------------------------------------------------
    def grid(self, pipe: Any) -> tuple[int, int]:
        """(size multiple, frame multiple) of the loaded pipeline: VAE compression × transformer patch."""
        spatial = getattr(pipe, "vae_scale_factor_spatial", None) or getattr(pipe, "vae_spatial_compression_ratio", 8)
        temporal = getattr(pipe, "vae_scale_factor_temporal", None) or getattr(
            pipe, "vae_temporal_compression_ratio", self.frame_multiple
        )
        patch = pipe.transformer.config.patch_size
        patch = patch[-1] if isinstance(patch, list | tuple) else patch
        return math.lcm(self.checked_multiple, int(spatial) * int(patch or 1)), int(temporal)

    def max_sequence_length(self, pipe: Any) -> int | None:
        """The prompt length to encode at and to pass to the call (None: the pipeline's own default)."""
        return None

    def call_kwargs(
        self, shot: Shot, guidance: float, preset: DiffusionPreset, policy: MemoryPolicy | None, pipe: Any
    ) -> dict[str, Any]:
        """Keyword arguments of the pipeline call beyond size, frames, steps, seed and prompt embeddings."""
        return {"guidance_scale": guidance}

    def latent_grid(self, pipe: Any, w: int, h: int, frames: int) -> tuple[int, int, int] | None:
        """(frames, height, width) of packed latent tokens, for unpacking the preview (None: not packed)."""
        return None
