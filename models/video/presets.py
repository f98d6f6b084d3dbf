"""A diffusion preset as settings.toml gives it, validated, and where its weights live on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.errors import UserError
from models.video.finish_options import FinishOptions

# Step caches diffusers 0.42.1 has for the video transformers (CacheMixin: Wan, LTX, CogVideoX). TeaCache
# and EasyCache are not in diffusers 0.42.1; FasterCache fails on Wan with an IndexError in its hook
# (notes/video.md), so neither is offered.
CacheKind = Literal["none", "first_block", "mag", "taylorseer"]
# "sdpa" is PyTorch's own scaled-dot-product attention (diffusers' "native"); the others need their package
# (sageattention, flash-attn, xformers) and fall back to sdpa with a log line when it is missing.
AttentionKind = Literal["sdpa", "sage", "flash", "flash3", "xformers", "flex"]
Quality = Literal["draft", "final"]
PreviewKind = Literal["auto", "taehv", "latent", "none"]


class SpeedOptions(BaseModel):
    """How one quality (draft or final) of a preset is sampled: a `[video.presets.NAME.draft]` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cache: CacheKind = "none"
    # first_block: the relative change of the first block's output under which the rest is skipped;
    # mag: MagCache's accumulated-error threshold; taylorseer: unused. None = the cache's own default.
    cache_threshold: float | None = Field(None, gt=0, le=1)
    cache_max_skip: int = Field(3, ge=1, le=10)  # MagCache K: at most this many steps skipped in a row
    cache_interval: int = Field(4, ge=2, le=20)  # TaylorSeer: a full forward every this many steps
    attention: AttentionKind = "sdpa"
    compile: bool = False  # regional torch.compile where the model has repeated blocks, whole model otherwise


class DiffusionPreset(BaseModel):
    """A `[video.presets.NAME]` table of kind "diffusion", validated (typos are refused, not ignored)."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    kind: Literal["diffusion"] = "diffusion"
    label: str = ""
    family: str  # a key of models.video.families.FAMILIES
    repo: str = Field(min_length=1)  # hub repo id (downloaded into the models folder) or a local folder
    revision: str | None = None
    variant: str | None = None  # e.g. "fp16" for SVD's half-size weight files
    dtype: Literal["bfloat16", "float16", "float32"] | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    steps: int | None = Field(None, ge=1, le=200)
    guidance: float | None = Field(None, ge=0.0, le=30.0)
    guidance_2: float | None = Field(None, ge=0.0, le=30.0)  # Wan 2.2: the low-noise expert's guidance
    draft_steps: int | None = Field(None, ge=1, le=200)
    draft_scale: float = Field(0.5, gt=0.1, le=1.0)
    max_frames: int | None = Field(None, ge=1, le=1000)
    render_size: tuple[int, int] | None = None
    # The start image for I2V-only families when a scene has no previous frame to start from.
    keyframe_repo: str | None = None
    keyframe_variant: str | None = None  # e.g. "fp16": download and load only that copy of the weights
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
    # "fp8": computed in FP8 on cards with FP8 units (Ada, Hopper, Blackwell) when torchao is installed, else
    # stored in FP8 and upcast per layer (saves memory, not time); models.vram decides from the card.
    weights: Literal["auto", "native", "fp8", "fp8_layerwise", "fp8_dynamic", "int8"] = "auto"
    text_encoder: Literal["auto", "resident", "once"] = "auto"
    vae_tiling: Literal["auto", "on", "off"] = "auto"
    denoiser_gb: float | None = Field(None, gt=0)  # declared sizes; measured on disk when absent
    text_encoder_gb: float | None = Field(None, ge=0)
    # Speed-ups, off by default. The top-level keys apply to both qualities; a `draft` or `final` table
    # overrides them for that quality only (drafts take the fastest settings, finals the best).
    attention_backend: AttentionKind | Literal[""] = ""  # "" = sdpa
    cache: CacheKind = "none"
    cache_threshold: float | None = Field(None, gt=0, le=1)
    compile: bool = False
    draft: SpeedOptions | None = None
    final: SpeedOptions | None = None
    # MagCache's per-model magnitude ratios, one per step of the conditional pass (interpolated to the
    # shot's step count by diffusers); without them `cache = "mag"` falls back to no cache.
    mag_ratios: list[float] | None = Field(None, min_length=2)
    # Step-distilled weights applied as a LoRA over the base model (lightx2v, CausVid): a hub repo (fetched
    # by --download) or a local folder, the file in it, and its strength. Needs the peft package.
    lora_repo: str | None = None
    lora_file: str | None = None
    lora_scale: float = Field(1.0, ge=0.0, le=2.0)
    flow_shift: float | None = Field(None, gt=0, le=20)  # the flow-matching scheduler's shift (distilled LoRAs)
    timesteps: list[float] | None = Field(None, min_length=1)  # a distilled model's own schedule (LTX 0.9.7)
    guidance_rescale: float | None = Field(None, ge=0.0, le=1.0)
    # Live previews: a tiny decoder (TAEHV) when its weights are there, else a latent-to-RGB projection.
    preview: PreviewKind = "auto"
    preview_repo: str | None = None  # hub repo id, https URL of the file, or a local folder
    preview_file: str | None = None  # e.g. "taew2_1.safetensors"
    preview_every: int = Field(5, ge=1, le=100)
    preview_budget: float = Field(0.05, gt=0, le=1)  # the most a preview may add to a step, on average
    # Finishing pass of each clip (RIFE interpolation, Real-ESRGAN upscaling); the render stage runs it.
    finish: FinishOptions = FinishOptions()
    sec_per_step: float | None = Field(None, gt=0)  # on this card at the family's native size
    card_speed: float | None = Field(None, gt=0)  # relative to an H100; None = from the card's name

    @field_validator("family")
    @classmethod
    def _known_family(cls, value: str) -> str:
        from models.video.families import FAMILIES

        if value not in FAMILIES:
            raise ValueError(f"unknown family {value!r}; known: {', '.join(FAMILIES)}")
        return value

    @model_validator(mode="after")
    def _paired(self) -> DiffusionPreset:
        if bool(self.lora_repo) != bool(self.lora_file):
            raise ValueError("lora_repo and lora_file go together")
        if self.preview == "taehv" and not (self.preview_repo and self.preview_file):
            raise ValueError("preview = 'taehv' needs preview_repo and preview_file")
        return self

    def speed(self, quality: Quality = "final") -> SpeedOptions:
        """The speed options of one quality: the top-level keys, then that quality's table over them."""
        base = SpeedOptions(
            cache=self.cache,
            cache_threshold=self.cache_threshold,
            attention=self.attention_backend or "sdpa",
            compile=self.compile,
        )
        table = self.draft if quality == "draft" else self.final
        if table is None:
            return base
        return SpeedOptions(**(base.model_dump() | table.model_dump(exclude_unset=True)))


class _AnyPreset(BaseModel):
    """A preset of another kind (the animatic, a plug-in's): only its `finish` table is Storyreel's to check,
    since the render stage runs the finishing pass whatever the engine."""

    model_config = ConfigDict(extra="allow")
    finish: FinishOptions = FinishOptions()


def validate_presets(presets: dict[str, dict]) -> dict[str, DiffusionPreset]:
    """Every diffusion preset of a settings file, validated, and every other preset's `finish` table (for the
    settings loader: a typo in a speed or finish option is refused when the settings are read, not when a
    job reaches the engine). Returns the diffusion presets."""
    out = {}
    for name, p in presets.items():
        if dict(p).get("kind") == "diffusion":
            out[name] = DiffusionPreset(**({"name": name} | dict(p)))
        else:
            _AnyPreset.model_validate(dict(p))
    return out


def preset_finish(preset: dict) -> FinishOptions:
    """A preset's finishing options (its `finish` table; none: no finishing), from its settings dict."""
    return FinishOptions.model_validate(dict(preset).get("finish") or {})


class RenderStatus(BaseModel):
    """The live state of a render, for the UI: step, total and the ETA."""

    step: int = 0
    total: int = 0
    elapsed_s: float = 0.0
    eta_s: float | None = None


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


def weight_files(folder: Path, variant: str | None = None) -> list[Path]:
    """The weight files from_pretrained reads in one component folder: the variant's when it has them
    (diffusion_pytorch_model.fp16.safetensors), else the plain ones; safetensors before .bin. Repos often
    carry both an fp16 and an fp32 copy: counting both would double the model's size."""
    for ext in ("safetensors", "bin"):
        files = sorted(folder.glob(f"*.{ext}"))
        tagged = [f for f in files if _variant_of(f.name) is not None]
        plain = [f for f in files if _variant_of(f.name) is None]
        chosen = [f for f in tagged if _variant_of(f.name) == variant] if variant else []
        if chosen or plain:
            return chosen or plain
    return []


def _variant_of(name: str) -> str | None:
    """ "model.fp16.safetensors" → "fp16"; "model.fp16-00001-of-00002.safetensors" → "fp16"; plain → None."""
    parts = name.split(".")
    if len(parts) < 3:
        return None
    return parts[-2].split("-")[0]


def model_size_on_disk(path: Path, variant: str | None = None) -> dict[str, int]:
    """Bytes of the weight files each component loads (an upper bound for the load dtype when stored in fp32)."""
    return {
        sub.name: sum(f.stat().st_size for f in weight_files(sub, variant)) for sub in path.iterdir() if sub.is_dir()
    }
