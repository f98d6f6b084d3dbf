"""Diffusion video engines: Wan 2.1/2.2 (T2V, I2V), LTX-Video (T2V, I2V), CogVideoX and Stable Video Diffusion
fed by a text-to-image keyframe (SD 1.5, SDXL or FLUX-schnell), behind the one `VideoEngine` interface.

One engine class, driven by a small per-family table (`FAMILIES`): what differs between families is the
size/frame grid, how prompts are encoded, how latents are laid out (for the live preview) and whether the
model needs a start image. The engine snaps each Shot to its family's grid internally and always yields
exactly shot.frames frames of shot.width × shot.height, so the rest of the studio never sees the grid.

Memory decisions are `models.vram`'s: the engine asks it for a policy and applies it through it.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models import vram
from models.errors import UserError
from models.video.base import Cancelled, ProgressFn, Shot, VideoEngine

log = logging.getLogger(__name__)
GB = 1e9

Layout = Literal["bcfhw", "bfchw", "packed"]


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


FAMILIES: dict[str, FamilySpec] = {
    f.name: f
    for f in (
        FamilySpec(
            name="wan",
            pipelines=("WanPipeline",),
            # FLOPs from notes/video.md: attention is 2.01e14 of 2.83e14 per forward at 832×480×81.
            attention_fraction=0.71,
        ),
        FamilySpec(
            name="wan_i2v",
            pipelines=("WanImageToVideoPipeline",),
            needs_image=True,
            sec_per_step_h100=8.0,
            attention_fraction=0.71,
            activations_gb=4.0,
        ),
        FamilySpec(
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
        ),
        FamilySpec(
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
        ),
        FamilySpec(
            name="svd",
            pipelines=("StableVideoDiffusionPipeline",),
            needs_image=True,
            has_text=False,
            layout="bfchw",
            size_multiple=64,
            frame_multiple=0,
            max_frames=25,
            render_size=(1024, 576),
            native=(1024, 576, 25),
            steps=25,
            guidance=3.0,
            dtype="float16",
            sec_per_step_h100=0.15,
            attention_fraction=0.2,
            activations_gb=3.0,
            vae_decode_gb=6.0,
        ),
    )
}

CacheKind = Literal["none", "first_block", "mag"]


class DiffusionPreset(BaseModel):
    """A `[video.presets.NAME]` table of kind "diffusion", validated (typos are refused, not ignored)."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    kind: Literal["diffusion"] = "diffusion"
    label: str = ""
    family: Literal["wan", "wan_i2v", "ltx", "cogvideox", "svd"]
    repo: str = Field(min_length=1)  # hub repo id (downloaded into the models folder) or a local folder
    revision: str | None = None
    variant: str | None = None  # e.g. "fp16" for SVD's half-size weight files
    dtype: Literal["bfloat16", "float16", "float32"] | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    steps: int | None = Field(None, ge=1, le=200)
    guidance: float | None = Field(None, ge=0.0, le=30.0)
    draft_steps: int | None = Field(None, ge=1, le=200)
    draft_scale: float = Field(0.5, gt=0.1, le=1.0)
    max_frames: int | None = Field(None, ge=1, le=1000)
    render_size: tuple[int, int] | None = None
    # The start image for I2V-only families when a scene has no previous frame to start from.
    keyframe_repo: str | None = None
    keyframe_dtype: Literal["bfloat16", "float16", "float32"] = "float16"
    keyframe_steps: int = Field(20, ge=1, le=100)
    keyframe_guidance: float = Field(7.0, ge=0.0, le=30.0)
    motion_bucket_id: int = Field(127, ge=1, le=255)  # SVD: how much motion
    # Continuity: start each scene from the previous scene's last frame (I2V) and colour-match to the first.
    chain: bool = False
    colour_match: float = Field(1.0, ge=0.0, le=1.0)
    # Memory: "auto" lets models.vram choose from the free VRAM.
    placement: Literal[
        "auto", "resident", "model_offload", "group_offload", "group_offload_disk", "sequential_offload"
    ] = "auto"
    weights: Literal["auto", "native", "fp8_layerwise", "int8"] = "auto"
    text_encoder: Literal["auto", "resident", "once"] = "auto"
    vae_tiling: Literal["auto", "on", "off"] = "auto"
    denoiser_gb: float | None = Field(None, gt=0)  # declared sizes; measured on disk when absent
    text_encoder_gb: float | None = Field(None, ge=0)
    # Optional speed-ups, off by default; a missing package gives a clear message, never a crash.
    attention_backend: str = ""  # "" = PyTorch SDPA ("native"); "sage", "flash", "xformers", ...
    cache: CacheKind = "none"
    cache_threshold: float = Field(0.05, gt=0, le=1)
    mag_ratios: list[float] | None = None
    compile: bool = False
    preview_every: int = Field(5, ge=1, le=100)
    sec_per_step: float | None = Field(None, gt=0)  # on this card at the family's native size
    card_speed: float | None = Field(None, gt=0)  # relative to an H100; None = from the card's name


class RenderStatus(BaseModel):
    """The live state of a render, for the UI: step, total and the ETA."""

    step: int = 0
    total: int = 0
    elapsed_s: float = 0.0
    eta_s: float | None = None


def _torch_dtype(name: str):
    import torch

    return getattr(torch, name)


def resolve_model_path(repo: str, models_dir: Path | None, preset_name: str) -> Path:
    """The local folder of a preset's weights: a folder path as given, or where `models.download` puts the
    repo. A missing model is a UserError naming the download command (the hub is never contacted here)."""
    path = Path(repo).expanduser()
    if path.is_absolute() or repo.startswith("."):
        candidates = [path]
    else:
        candidates = [Path(models_dir or ".") / local_dir_name(repo), Path(models_dir or ".") / repo]
    for c in candidates:
        if (c / "model_index.json").is_file():
            return c
    raise UserError("model_missing", preset=preset_name, command=f"python launch.py --download {preset_name}")


def local_dir_name(repo: str) -> str:
    """Folder name of a hub repo inside the models folder ("Wan-AI/Wan2.1-T2V-1.3B-Diffusers" → one folder)."""
    return repo.replace("/", "--")


def snap(value: int, multiple: int) -> int:
    return max(multiple, int(round(value / multiple)) * multiple)


def frames_for(requested: int, multiple: int, max_frames: int, fixed: bool) -> int:
    """The smallest valid frame count ≥ requested (k·multiple + 1), capped at the model's maximum."""
    if multiple <= 0:
        n = requested
    else:
        top = (max_frames - 1) // multiple * multiple + 1
        if fixed:
            return top
        n = math.ceil(max(requested - 1, 0) / multiple) * multiple + 1
        return min(n, top)
    return min(n, max_frames)


def retime(frames: np.ndarray, count: int) -> np.ndarray:
    """Exactly `count` frames: trim when there are more, blend neighbours (slow motion) when fewer."""
    n = len(frames)
    if n >= count:
        return frames[:count]
    pos = np.linspace(0, n - 1, count)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = (pos - lo)[:, None, None, None]
    return frames[lo] * (1 - w) + frames[hi] * w


def fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Centre-crop to the target aspect, then resize (never stretches a face)."""
    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    target = width / height
    if w / h > target:
        cw = int(round(h * target))
        x = (w - cw) // 2
        frame = frame[:, x : x + cw]
    elif w / h < target:
        ch = int(round(w / target))
        y = (h - ch) // 2
        frame = frame[y : y + ch]
    interp = cv2.INTER_AREA if frame.shape[1] > width else cv2.INTER_CUBIC
    return cv2.resize(frame, (width, height), interpolation=interp)


def colour_match(frames: np.ndarray, reference: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """Move the clip's colour statistics to the reference frame's (per-channel mean/std in LAB).

    Statistics are taken over the whole clip, so every frame gets the same shift and nothing flickers.
    frames: (F, H, W, 3) uint8 RGB; reference: (h, w, 3) uint8 RGB. Returns uint8 frames.
    """
    if strength <= 0:
        return frames
    lab = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2LAB) for f in frames]).astype(np.float32)
    ref = cv2.cvtColor(reference, cv2.COLOR_RGB2LAB).astype(np.float32)
    mean, std = lab.reshape(-1, 3).mean(0), lab.reshape(-1, 3).std(0) + 1e-3
    rmean, rstd = ref.reshape(-1, 3).mean(0), ref.reshape(-1, 3).std(0) + 1e-3
    matched = (lab - mean) * (rstd / std) + rmean
    out = lab + strength * (matched - lab)
    out = np.clip(out, 0, 255).astype(np.uint8)
    return np.stack([cv2.cvtColor(f, cv2.COLOR_LAB2RGB) for f in out])


def latent_preview(
    latents: Any, layout: Layout, grid: tuple[int, int, int] | None, size: int = 96
) -> np.ndarray | None:
    """A cheap RGB glimpse of the latents (no VAE): the middle frame's channels projected to RGB."""
    x = latents.detach()[0].float().cpu()
    if layout == "packed":  # (tokens, C) → (F, H, W, C) with the latent grid
        if grid is None or grid[0] * grid[1] * grid[2] != x.shape[0]:
            return None
        x = x.reshape(*grid, -1)[grid[0] // 2].permute(2, 0, 1)
    elif layout == "bcfhw":
        x = x[:, x.shape[1] // 2]
    else:  # bfchw
        x = x[x.shape[0] // 2]
    c = x.shape[0]
    # A fixed projection per channel count keeps the preview's colours stable from step to step.
    proj = np.random.default_rng(c).standard_normal((3, c)).astype(np.float32)
    rgb = np.einsum("kc,chw->hwk", proj, x.numpy())
    lo, hi = np.percentile(rgb, 2), np.percentile(rgb, 98)
    img = np.clip((rgb - lo) / max(hi - lo, 1e-6) * 255, 0, 255).astype(np.uint8)
    scale = max(1, size // max(img.shape[:2]))
    return np.repeat(np.repeat(img, scale, 0), scale, 1)


def model_size_on_disk(path: Path) -> dict[str, int]:
    """Bytes of each component's weight files (an upper bound for the load dtype when stored in fp32)."""
    sizes: dict[str, int] = {}
    for sub in path.iterdir():
        if sub.is_dir():
            sizes[sub.name] = sum(f.stat().st_size for f in sub.glob("*.safetensors")) + sum(
                f.stat().st_size for f in sub.glob("*.bin")
            )
    return sizes


class DiffusionEngine(VideoEngine):
    """Renders Shots with one diffusers pipeline, chosen by a preset; loads lazily, keeps it between shots."""

    gives_previews = True  # a latent-to-RGB projection of the current step

    def __init__(
        self,
        preset: DiffusionPreset,
        models_dir: Path | None = None,
        frames_dir: Path | None = None,
        device_info: vram.DeviceInfo | None = None,
    ) -> None:
        self.preset = preset
        self.spec = FAMILIES[preset.family]
        self.name = preset.name or preset.family
        self.models_dir = Path(models_dir) if models_dir else None
        self.frames_dir = Path(frames_dir) if frames_dir else None
        self.device_info = device_info or (vram.DeviceInfo() if preset.device == "cpu" else vram.probe_device())
        self.dtype_name = preset.dtype or self.spec.dtype
        self.status = RenderStatus()
        self.policy: vram.MemoryPolicy | None = None
        self._pipe: Any = None
        self._i2v: Any = None
        self._path: Path | None = None
        self._embeds: dict[tuple[str, str], dict[str, Any]] = {}
        self._measured_sec_per_step: float | None = None  # at the family's native size, from real renders
        self._lock = threading.Lock()  # one render at a time per loaded model

    # -- loading --------------------------------------------------------------------------------------
    @property
    def model_path(self) -> Path:
        if self._path is None:
            self._path = resolve_model_path(self.preset.repo, self.models_dir, self.name)
        return self._path

    def model_size(self) -> vram.ModelSize:
        """Declared sizes from the preset, else the weight files on disk; activations scale with the family."""
        disk = model_size_on_disk(self.model_path)
        denoiser = (
            self.preset.denoiser_gb * GB
            if self.preset.denoiser_gb
            else sum(disk.get(k, 0) for k in ("transformer", "transformer_2", "unet"))
        )
        te = (
            self.preset.text_encoder_gb * GB
            if self.preset.text_encoder_gb is not None
            else sum(disk.get(k, 0) for k in ("text_encoder", "text_encoder_2", "image_encoder"))
        )
        layers = 40 if denoiser > 20 * GB else 30
        return vram.ModelSize(
            denoiser=int(denoiser),
            text_encoder=int(te),
            vae=int(disk.get("vae", 0)),
            activations=int(self.spec.activations_gb * GB) if self.device_info.device == "cuda" else 0,
            vae_decode=int(self.spec.vae_decode_gb * GB) if self.device_info.device == "cuda" else 0,
            block=int(denoiser / layers),
        )

    def _overrides(self) -> vram.MemoryOverrides:
        p = self.preset
        return vram.MemoryOverrides(
            **{
                k: v
                for k, v in dict(placement=p.placement, weights=p.weights, text_encoder=p.text_encoder).items()
                if v != "auto"
            },
            **({"vae_tiling": p.vae_tiling == "on"} if p.vae_tiling != "auto" else {}),
        )

    def choose_policy(self) -> vram.MemoryPolicy:
        info = self.device_info
        return vram.choose_policy(
            info.total_bytes,
            info.free_bytes,
            self.model_size(),
            self.spec.name,
            self._overrides(),
            ram_bytes=vram.system_ram_bytes(),
        )

    def load(self) -> Any:
        """Load the pipeline as the memory policy says (the same code for tiny test models and real weights)."""
        if self._pipe is not None:
            return self._pipe
        path = self.model_path  # a missing model is reported before the slow diffusers import
        from diffusers import DiffusionPipeline

        policy = self.choose_policy()
        log.info("loading %s from %s: %s", self.name, self.model_path, policy.reason)
        dtype = _torch_dtype(self.dtype_name)
        kwargs: dict[str, Any] = dict(dtype=dtype, **vram.load_kwargs(policy, dtype))
        if self.preset.variant:
            kwargs["variant"] = self.preset.variant
        if policy.text_encoder == "once" and self.spec.has_text:
            kwargs["text_encoder"] = None  # loaded on its own when prompts are encoded, then freed
        try:
            # from_pretrained(dtype=) keeps the layers a model wants in FP32 (Wan's norms and embeddings).
            pipe = DiffusionPipeline.from_pretrained(str(path), **kwargs)
        except (OSError, ValueError) as exc:
            raise UserError("engine_missing", engine=self.name, detail=str(exc).splitlines()[0][:300]) from None
        if type(pipe).__name__ not in self.spec.pipelines:
            raise UserError(
                "engine_missing",
                engine=self.name,
                detail=f"{self.model_path.name} holds a {type(pipe).__name__}, not a {self.spec.pipelines[0]}",
            )
        pipe.set_progress_bar_config(disable=True)
        self._apply_speedups(pipe)
        vram.apply_policy(pipe, policy, offload_dir=(self.models_dir or Path(".")) / ".offload" / self.name)
        self._pipe, self.policy = pipe, policy
        return pipe

    def _apply_speedups(self, pipe: Any) -> None:
        p = self.preset
        denoisers = [m for m in (getattr(pipe, n, None) for n in ("transformer", "transformer_2", "unet")) if m]
        for model in denoisers:
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
                    "engine_option_failed", engine=self.name, option=option, detail=str(exc).splitlines()[0][:300]
                ) from None
        if p.cache == "mag" and not p.mag_ratios:
            raise UserError(
                "engine_option_failed",
                engine=self.name,
                option="cache = 'mag'",
                detail="MagCache needs this model's mag_ratios in the preset",
            )

    def unload(self) -> None:
        """Drop the pipeline and give its memory back (VRAM returns to its baseline)."""
        self._pipe = self._i2v = None
        self._embeds.clear()
        vram.release_memory()

    # -- grid -----------------------------------------------------------------------------------------
    def _grid(self, pipe: Any) -> tuple[int, int]:
        """(size multiple, frame multiple) of the loaded pipeline: VAE compression × transformer patch."""
        spec = self.spec
        if spec.name == "svd":
            return math.lcm(8, pipe.vae_scale_factor * 2 ** (len(pipe.unet.config.block_out_channels) - 1)), 0
        spatial = getattr(pipe, "vae_scale_factor_spatial", None) or getattr(pipe, "vae_spatial_compression_ratio", 8)
        temporal = getattr(pipe, "vae_scale_factor_temporal", None) or getattr(
            pipe, "vae_temporal_compression_ratio", spec.frame_multiple
        )
        patch = pipe.transformer.config.patch_size
        patch = patch[-1] if isinstance(patch, list | tuple) else patch
        return math.lcm(spec.checked_multiple, int(spatial) * int(patch or 1)), int(temporal)

    def plan(self, shot: Shot, pipe: Any | None = None) -> tuple[int, int, int]:
        """(width, height, frames) the model renders for a shot, on its own grid."""
        size_m, frame_m = self._grid(pipe) if pipe is not None else (self.spec.size_multiple, self.spec.frame_multiple)
        w, h = self.preset.render_size or self.spec.render_size or (shot.width, shot.height)
        if shot.height > shot.width and (self.preset.render_size or self.spec.render_size):
            w, h = h, w  # a fixed-size model still renders portrait shots in portrait
        max_frames = self.preset.max_frames or self.spec.max_frames
        return snap(w, size_m), snap(h, size_m), frames_for(shot.frames, frame_m, max_frames, self.spec.fixed_frames)

    # -- estimates ------------------------------------------------------------------------------------
    def card_speed(self) -> float:
        return self.preset.card_speed or vram.card_speed(self.device_info)

    def _step_scale(self, w: int, h: int, frames: int) -> float:
        nw, nh, nf = self.spec.native
        r = (w * h * frames) / (nw * nh * nf)
        a = self.spec.attention_fraction
        return r * ((1 - a) + a * r)  # linears grow with tokens, attention with tokens²

    def estimate_seconds(self, shot: Shot) -> float:
        w, h, f = self.plan(shot)
        steps = shot.steps or self.preset.steps or self.spec.steps
        if self._measured_sec_per_step is not None:
            native = self._measured_sec_per_step
        elif self.preset.sec_per_step:
            native = self.preset.sec_per_step
        else:
            native = self.spec.sec_per_step_h100 / self.card_speed()
        decode = 0.15 * native * 10 * (w * h * f) / math.prod(self.spec.native)  # ≈ ten steps' worth at native
        keyframe = 0.0
        if self.spec.needs_image and not shot.init_image:
            keyframe = 0.05 * native * self.preset.keyframe_steps
        return steps * native * self._step_scale(w, h, f) + decode + keyframe

    # -- prompts --------------------------------------------------------------------------------------
    def _max_sequence_length(self, pipe: Any) -> int | None:
        if self.spec.name == "cogvideox":  # must equal the transformer's text length (226 real)
            return int(pipe.transformer.config.max_text_seq_length)
        return None

    def _encode(self, pipe: Any, prompt: str, negative: str, cfg: bool) -> dict[str, Any]:
        """Prompt embeddings as pipeline kwargs. With the run-once policy the text encoder is loaded for
        this, then freed, and the embeddings are kept (on the CPU) for the shots that follow."""
        key = (prompt, negative)
        if key in self._embeds:
            return {k: v.to(vram.execution_device(pipe, self.policy)) for k, v in self._embeds[key].items()}
        assert self.policy is not None
        device = vram.execution_device(pipe, self.policy)
        loaded_here = pipe.text_encoder is None
        if loaded_here:
            pipe.text_encoder = self._load_text_encoder(device)
        try:
            kw: dict[str, Any] = dict(
                prompt=prompt, negative_prompt=negative or None, do_classifier_free_guidance=cfg, device=device
            )
            if (n := self._max_sequence_length(pipe)) is not None:
                kw["max_sequence_length"] = n
            out = pipe.encode_prompt(**kw)
        finally:
            if loaded_here:
                pipe.text_encoder = None
                vram.release_memory()
        names = (
            ("prompt_embeds", "prompt_attention_mask", "negative_prompt_embeds", "negative_prompt_attention_mask")
            if self.spec.name == "ltx"
            else ("prompt_embeds", "negative_prompt_embeds")
        )
        embeds = {k: v for k, v in zip(names, out, strict=True) if v is not None}
        if loaded_here:
            self._embeds[key] = {k: v.cpu() for k, v in embeds.items()}
        return embeds

    def _load_text_encoder(self, device: Any) -> Any:
        import transformers

        index = json.loads((self.model_path / "model_index.json").read_text())
        library, cls = index["text_encoder"]
        if library != "transformers":
            raise UserError("engine_missing", engine=self.name, detail=f"text encoder from {library} is not supported")
        model = getattr(transformers, cls).from_pretrained(
            str(self.model_path / "text_encoder"), dtype=_torch_dtype(self.dtype_name)
        )
        return model.to(device).eval()

    def prepare(self, shots: list[Shot]) -> None:
        """Encode every prompt of a job in one go, so a run-once text encoder is loaded once per job."""
        pipe = self.load()
        if self.policy and self.policy.text_encoder == "once" and self.spec.has_text:
            for shot in shots:
                self._encode(pipe, shot.prompt, shot.negative_prompt, (shot.guidance or 1.0) > 1.0)

    # -- images ---------------------------------------------------------------------------------------
    def _start_image(self, shot: Shot, w: int, h: int, tick: Callable[[], None]) -> Image.Image | None:
        path = self._resolve_frame(shot.init_image)
        if path is not None and path.is_file():
            return Image.fromarray(fit(np.asarray(Image.open(path).convert("RGB")), w, h))
        if shot.init_image:
            log.warning("start image %s is missing; rendering scene without it", shot.init_image)
        if self.spec.needs_image:
            return Image.fromarray(fit(self._keyframe(shot, w, h, tick), w, h))
        return None

    def _resolve_frame(self, name: str | None) -> Path | None:
        if not name:
            return None
        p = Path(name)
        return p if p.is_absolute() or self.frames_dir is None else self.frames_dir / p

    def _keyframe(self, shot: Shot, w: int, h: int, tick: Callable[[], None]) -> np.ndarray:
        """A text-to-image keyframe (SD 1.5, SDXL, FLUX-schnell) for an image-only video model."""
        from diffusers import DiffusionPipeline

        if not self.preset.keyframe_repo:
            raise UserError("engine_missing", engine=self.name, detail="this model needs keyframe_repo in its preset")
        path = resolve_model_path(self.preset.keyframe_repo, self.models_dir, self.name)
        policy = self.policy or vram.MemoryPolicy(device="cpu")
        kf = DiffusionPipeline.from_pretrained(str(path), dtype=_torch_dtype(self.preset.keyframe_dtype))
        kf.set_progress_bar_config(disable=True)
        try:
            # The keyframe model is freed right after: on a small card it cannot sit beside the video model.
            placement = "resident" if policy.placement == "resident" else "model_offload"
            vram.apply_policy(kf, vram.MemoryPolicy(device=policy.device, placement=placement))
            import torch

            kw: dict[str, Any] = dict(
                prompt=shot.prompt,
                height=snap(h, 16),
                width=snap(w, 16),
                num_inference_steps=self.preset.keyframe_steps,
                guidance_scale=self.preset.keyframe_guidance,
                generator=torch.Generator("cpu").manual_seed(shot.seed),
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

    # -- rendering ------------------------------------------------------------------------------------
    def render(
        self, shot: Shot, progress: ProgressFn | None = None, cancel: threading.Event | None = None
    ) -> Iterator[np.ndarray]:
        """Yield shot.frames RGB uint8 frames of shot.width × shot.height; raise Cancelled between steps."""
        with self._lock:
            try:
                frames = self._render(shot, progress, cancel)
            finally:
                vram.release_memory()
        yield from frames

    def _render(self, shot: Shot, progress: ProgressFn | None, cancel: threading.Event | None) -> np.ndarray:
        import torch

        if cancel is not None and cancel.is_set():
            raise Cancelled("render cancelled")
        pipe = self.load()
        w, h, nframes = self.plan(shot, pipe)
        steps = shot.steps or self.preset.steps or self.spec.steps
        guidance = shot.guidance or self.preset.guidance or self.spec.guidance
        needs_keyframe = self.spec.needs_image and not (
            (p := self._resolve_frame(shot.init_image)) is not None and p.is_file()
        )
        total = steps + (self.preset.keyframe_steps if needs_keyframe else 0)
        done = 0
        start = time.perf_counter()
        self.status = RenderStatus(total=total)

        def tick(latents: Any = None, grid: tuple[int, int, int] | None = None) -> None:
            nonlocal done
            done += 1
            elapsed = time.perf_counter() - start
            self.status = RenderStatus(step=done, total=total, elapsed_s=elapsed, eta_s=elapsed / done * (total - done))
            preview = None
            if latents is not None and (done % self.preset.preview_every == 0 or done == total):
                preview = latent_preview(latents, self.spec.layout, grid)
            if progress is not None:
                progress(done, total, preview)
            # Raising here leaves the pipeline at once: the remaining steps and the VAE decode never run.
            if cancel is not None and cancel.is_set():
                raise Cancelled("render cancelled")

        if progress is not None:
            progress(0, total, None)
        image = self._start_image(shot, w, h, tick)
        use = pipe
        if image is not None and not self.spec.needs_image:
            if self.spec.i2v_pipeline is None:
                log.info("%s has no image-to-video mode; scene %s starts from text only", self.name, shot.prompt[:40])
                image = None
            else:
                use = self._i2v_pipe(pipe)
        grid = self._latent_grid(use, w, h, nframes)
        kwargs: dict[str, Any] = dict(
            height=h,
            width=w,
            num_frames=nframes,
            num_inference_steps=steps,
            generator=torch.Generator("cpu").manual_seed(shot.seed),
            output_type="np",
            callback_on_step_end=lambda p, i, t, k: (tick(k.get("latents"), grid), k)[1],
            callback_on_step_end_tensor_inputs=["latents"],
        )
        if image is not None:
            kwargs["image"] = image
        if self.spec.name == "svd":
            kwargs.update(
                min_guidance_scale=1.0,
                max_guidance_scale=guidance,
                fps=min(shot.fps, 30),
                motion_bucket_id=self.preset.motion_bucket_id,
                decode_chunk_size=2 if self.policy and self.policy.vae_tiling else 8,
            )
        else:
            kwargs["guidance_scale"] = guidance
            kwargs.update(self._encode(use, shot.prompt, shot.negative_prompt, guidance > 1.0))
            if (n := self._max_sequence_length(use)) is not None:
                kwargs["max_sequence_length"] = n
            if self.spec.name == "ltx":
                kwargs["frame_rate"] = shot.fps
        self._enable_mag_cache(use, steps)
        with torch.inference_mode():
            out = use(**kwargs).frames
        video = np.asarray(out[0], dtype=np.float32)  # (F, H, W, 3) in [0, 1]
        self._measure(time.perf_counter() - start, steps, w, h, nframes, needs_keyframe)
        video = retime(video, shot.frames)
        clip = (np.clip(video, 0, 1) * 255).round().astype(np.uint8)
        clip = np.stack([fit(f, shot.width, shot.height) for f in clip])
        return self._continuity(shot, clip)

    def _i2v_pipe(self, pipe: Any) -> Any:
        if self._i2v is None:
            import diffusers

            self._i2v = getattr(diffusers, self.spec.i2v_pipeline).from_pipe(pipe)
            self._i2v.set_progress_bar_config(disable=True)
        return self._i2v

    def _latent_grid(self, pipe: Any, w: int, h: int, frames: int) -> tuple[int, int, int] | None:
        """(frames, height, width) of LTX's packed latent tokens, for unpacking the preview."""
        if self.spec.layout != "packed":
            return None
        s = pipe.vae_spatial_compression_ratio * pipe.transformer_spatial_patch_size
        t = pipe.vae_temporal_compression_ratio * pipe.transformer_temporal_patch_size
        return (frames - 1) // t + 1, h // s, w // s

    def _enable_mag_cache(self, pipe: Any, steps: int) -> None:
        if self.preset.cache != "mag":
            return
        from diffusers import MagCacheConfig

        model = getattr(pipe, "transformer", None)
        if model is None or not hasattr(model, "enable_cache"):
            return
        if getattr(model, "is_cache_enabled", False):
            model.disable_cache()
        # The ratios are per model; MagCache interpolates them to this shot's step count.
        model.enable_cache(MagCacheConfig(mag_ratios=self.preset.mag_ratios, num_inference_steps=steps))

    def _measure(self, seconds: float, steps: int, w: int, h: int, frames: int, keyframe: bool) -> None:
        """Remember this card's real speed, as seconds per step at the family's native size."""
        if keyframe or steps < 2:
            return
        self._measured_sec_per_step = seconds / steps / self._step_scale(w, h, frames)

    def _continuity(self, shot: Shot, clip: np.ndarray) -> np.ndarray:
        """Colour-match a chained clip to the first clip, and keep this clip's last frame for the next."""
        if self.frames_dir is None:
            return clip
        self.frames_dir.mkdir(parents=True, exist_ok=True)
        key = shot.content_hash()
        prev = self._resolve_frame(shot.init_image)
        ref_path = prev.with_name(prev.name.replace(".last.png", ".ref.png")) if prev else None
        if ref_path is not None and ref_path.is_file() and self.preset.colour_match > 0:
            reference = np.asarray(Image.open(ref_path).convert("RGB"))
            clip = colour_match(clip, reference, self.preset.colour_match)
            reference_out = reference
        else:
            reference_out = clip[0]  # this clip starts a chain: it is the reference for the ones after it
        _save_png(clip[-1], self.frames_dir / f"{key}.last.png")
        _save_png(reference_out, self.frames_dir / f"{key}.ref.png")
        return clip


def _save_png(frame: np.ndarray, path: Path) -> None:
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(frame).save(tmp)
    tmp.replace(path)  # atomic: a half-written frame never starts the next scene


def chain_frame_name(previous: Shot) -> str:
    """The init_image a chained scene names: the previous scene's last frame, in the engine's frames folder."""
    return f"{previous.content_hash()}.last.png"


def build_engine(preset: dict[str, Any], models_dir: Path | None, frames_dir: Path | None = None) -> DiffusionEngine:
    """The registry's factory: validate the preset (a typo is an error naming the key), build the engine."""
    try:
        parsed = DiffusionPreset(**preset)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UserError("engine_missing", engine=preset.get("name", "?"), detail=detail) from None
    return DiffusionEngine(parsed, models_dir=models_dir, frames_dir=frames_dir)
