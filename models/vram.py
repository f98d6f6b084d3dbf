"""The one place that knows about the accelerator: what device there is and how much memory it has.

Every VRAM decision asks this module; nothing else calls torch.cuda directly.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

log = logging.getLogger(__name__)
GIB = 1024**3


class DeviceInfo(BaseModel):
    torch_version: str | None = None
    device: str = "cpu"  # "cuda" or "cpu"
    name: str = "CPU"
    total_bytes: int = 0
    free_bytes: int = 0

    @property
    def total_gib(self) -> float:
        return self.total_bytes / GIB

    @property
    def free_gib(self) -> float:
        return self.free_bytes / GIB


def probe_device() -> DeviceInfo:
    """Describe the compute device; CPU when torch is missing or sees no CUDA device."""
    try:
        import torch
    except ImportError:
        return DeviceInfo()
    info = DeviceInfo(torch_version=torch.__version__)
    if torch.cuda.is_available():
        free, total = torch.cuda.mem_get_info()
        info.device, info.name = "cuda", torch.cuda.get_device_name(0)
        info.total_bytes, info.free_bytes = total, free
    return info


# -- memory policy ---------------------------------------------------------------------------------------
# How a video model is placed on the card. Chosen by `choose_policy` (a pure function of the card and the
# model's size, so it is unit-tested without a GPU) and applied by `apply_policy`. Nothing else decides.

Placement = Literal["resident", "model_offload", "group_offload", "group_offload_disk", "sequential_offload"]
Weights = Literal["native", "fp8_layerwise", "int8"]
TextEncoderMode = Literal["resident", "once"]

# Headroom kept free on the card: the CUDA context, cuDNN workspaces and the allocator's fragmentation.
RESERVE_BYTES = int(1.0 * GIB)
RESERVE_FRACTION = 0.06


class ModelSize(BaseModel):
    """Bytes a video model needs on the card, in its load dtype (declared in the preset or measured on disk)."""

    denoiser: int  # the transformer / UNet (both experts for Wan 2.2 A14B)
    text_encoder: int = 0  # T5 / UMT5 / CLIP; 0 when the family has none (SVD)
    vae: int = 0
    activations: int = 0  # peak of one denoising step at the native size, on top of the weights
    vae_decode: int = 0  # peak of an untiled VAE decode of the whole clip
    block: int = 0  # one transformer block (what group offload keeps on the card at a time)

    @property
    def resident_bytes(self) -> int:
        return self.denoiser + self.vae + self.activations


class MemoryOverrides(BaseModel):
    """What a creator forces in settings; None leaves the choice to the policy."""

    model_config = ConfigDict(extra="forbid")
    placement: Placement | None = None
    weights: Weights | None = None
    text_encoder: TextEncoderMode | None = None
    vae_tiling: bool | None = None
    unload_llm: bool | None = None


class MemoryPolicy(BaseModel):
    """How to hold one video model for one job. `reason` says why, for the log and the admin page."""

    device: str = "cuda"
    placement: Placement = "resident"
    weights: Weights = "native"
    text_encoder: TextEncoderMode = "resident"
    vae_tiling: bool = False
    vae_slicing: bool = True
    unload_llm: bool = False
    reason: str = ""


def choose_policy(
    total_bytes: int,
    free_bytes: int,
    model: ModelSize,
    family: str = "",
    overrides: MemoryOverrides | None = None,
    ram_bytes: int | None = None,
    llm_bytes: int = 0,
    fp8_ok: bool = True,
) -> MemoryPolicy:
    """Pick the fastest way to hold `model` on a card with `free_bytes` free (of `total_bytes`).

    Preference, fastest first: everything resident; denoiser resident with the text encoder run once and
    freed; denoiser resident in FP8 storage (layerwise upcast); whole-model CPU offload; block-level group
    offload to CPU RAM (or to disk when RAM is short); leaf-level sequential offload. `total_bytes == 0`
    means there is no accelerator: everything runs resident on the CPU. `llm_bytes` is the storyboard LLM
    currently held on the card (freed first when the video model needs the room).
    """
    o = overrides or MemoryOverrides()
    if total_bytes <= 0:
        # No accelerator: everything stays in RAM on the CPU. Overrides still apply (so the offload
        # paths can be exercised on a CPU, where they move nothing but run the same hooks).
        forced = {k: v for k, v in o.model_dump(exclude_none=True).items() if k != "unload_llm"}
        if "vae_tiling" not in forced:
            forced["vae_tiling"] = False
        return MemoryPolicy(device="cpu", vae_slicing=False, reason="no accelerator: everything on the CPU", **forced)
    # The LLM only occupies the card when loaded; count its bytes as free if we may unload it.
    free_for_video = free_bytes + llm_bytes if o.unload_llm is not False else free_bytes
    usable = free_for_video - RESERVE_BYTES - int(RESERVE_FRACTION * total_bytes)
    m = model
    denoise = m.denoiser + m.vae + m.activations
    fp8_denoise = m.denoiser // 2 + m.vae + m.activations
    why: list[str] = []

    if m.text_encoder + denoise <= usable:
        placement, weights, te = "resident", "native", "resident"
        why.append("the whole pipeline fits")
    elif denoise <= usable:
        placement, weights, te = "resident", "native", "once"
        why.append("denoiser fits; text encoder is run once and freed")
    elif fp8_ok and fp8_denoise <= usable:
        placement, weights, te = "resident", "fp8_layerwise", "once"
        why.append("denoiser fits only in FP8 storage")
    elif m.denoiser + m.activations <= usable:
        placement, weights, te = "model_offload", "native", "once"
        why.append("denoiser fits alone: components take turns on the card")
    elif m.block * 2 + m.activations + m.vae <= usable:
        placement, weights, te = "group_offload", "native", "once"
        why.append("denoiser too large: blocks stream from CPU RAM")
    else:
        placement, weights, te = "sequential_offload", "native", "once"
        why.append("too little VRAM even for one block: leaf-level offload (slow)")
    if placement == "group_offload" and ram_bytes is not None and ram_bytes < m.denoiser + m.text_encoder:
        placement = "group_offload_disk"
        why.append("system RAM too small to hold the weights: blocks stream from disk")

    placement = o.placement or placement
    weights = o.weights or weights
    te = o.text_encoder or te
    on_card = {
        "resident": (m.denoiser // 2 if weights != "native" else m.denoiser) + m.vae,
        "model_offload": m.denoiser,
    }.get(placement, 2 * m.block + m.vae)
    # Tiling trades a little speed for a bounded decode peak; only worth it when the untiled decode
    # would not fit next to what stays on the card.
    tiling = on_card + m.vae_decode > usable if o.vae_tiling is None else o.vae_tiling
    if tiling:
        why.append("VAE decodes in tiles")
    if te == "resident":
        on_card += m.text_encoder
    # The storyboard LLM stays only when the video model fits beside it; on small cards (or when its
    # size is unknown there) it is unloaded first, since an 8 GB card cannot hold both.
    beside_llm = on_card + m.activations <= usable - llm_bytes
    unload = placement != "resident" or not beside_llm or (llm_bytes == 0 and total_bytes < 16 * GIB)
    unload = unload if o.unload_llm is None else o.unload_llm
    if unload:
        why.append("storyboard LLM is unloaded first")
    if o.model_fields_set:
        why.append(f"overridden: {', '.join(sorted(o.model_fields_set))}")
    return MemoryPolicy(
        device="cuda",
        placement=placement,
        weights=weights,
        text_encoder=te,
        vae_tiling=tiling,
        vae_slicing=True,
        unload_llm=unload,
        reason=f"{family or 'model'}: " + "; ".join(why),
    )


def policy_for_device(
    model: ModelSize, family: str = "", overrides: MemoryOverrides | None = None, device: str = "auto"
) -> MemoryPolicy:
    """`choose_policy` for the card this process sees (or the CPU when device == "cpu")."""
    info = probe_device() if device != "cpu" else DeviceInfo()
    return choose_policy(
        info.total_bytes, info.free_bytes, model, family, overrides, ram_bytes=system_ram_bytes(), fp8_ok=True
    )


def system_ram_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX
        return None


def _denoisers(pipe: Any) -> list[Any]:
    return [m for m in (getattr(pipe, n, None) for n in ("transformer", "transformer_2", "unet")) if m is not None]


def load_kwargs(policy: MemoryPolicy, dtype: Any) -> dict[str, Any]:
    """Extra `from_pretrained` arguments the policy needs at load time (int8 weights are quantized on load)."""
    if policy.weights != "int8":
        return {}
    try:
        from diffusers import PipelineQuantizationConfig, TorchAoConfig
        from torchao.quantization import Int8WeightOnlyConfig
    except ImportError as exc:
        raise RuntimeError(f"int8 weights need torchao: pip install torchao ({exc})") from None
    # The quant_backend="torchao" shortcut fails in diffusers 0.42.1; quant_mapping works (notes/video.md).
    cfg = TorchAoConfig(Int8WeightOnlyConfig())
    return {"quantization_config": PipelineQuantizationConfig(quant_mapping={"transformer": cfg, "unet": cfg})}


def apply_policy(pipe: Any, policy: MemoryPolicy, offload_dir: Path | None = None) -> None:
    """Place a loaded diffusers pipeline as the policy says. The one function that moves models to the card."""
    import torch

    device = torch.device(policy.device)
    if policy.weights == "fp8_layerwise":
        for model in _denoisers(pipe):
            compute = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.bfloat16)
            model.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=compute)
    if policy.placement == "resident":
        pipe.to(device)
    elif policy.placement == "model_offload":
        pipe.enable_model_cpu_offload(device=device)
    elif policy.placement in ("group_offload", "group_offload_disk"):
        disk = None
        if policy.placement == "group_offload_disk":
            if offload_dir is None:
                raise ValueError("group offload to disk needs an offload folder")
            offload_dir.mkdir(parents=True, exist_ok=True)
            disk = str(offload_dir)
        pipe.enable_group_offload(
            onload_device=device,
            offload_device=torch.device("cpu"),
            offload_type="block_level",
            num_blocks_per_group=1,
            use_stream=device.type == "cuda",
            offload_to_disk_path=disk,
        )
    elif policy.placement == "sequential_offload":
        pipe.enable_sequential_cpu_offload(device=device)
    vae = getattr(pipe, "vae", None)
    # diffusers 0.42 removed pipe.enable_vae_tiling; the VAE itself has the switches (notes/video.md).
    if vae is not None and policy.vae_tiling and hasattr(vae, "enable_tiling"):
        vae.enable_tiling()
    if vae is not None and policy.vae_slicing and hasattr(vae, "enable_slicing"):
        vae.enable_slicing()


def execution_device(pipe: Any, policy: MemoryPolicy) -> Any:
    """Where tensors fed to the pipeline must live (offload hooks move the weights, not the inputs)."""
    import torch

    return getattr(pipe, "_execution_device", None) or torch.device(policy.device)


def release_memory() -> None:
    """Return freed memory to the system / the card, so VRAM goes back to its baseline after a job."""
    gc.collect()
    try:
        import torch
    except ImportError:
        return
    if torch.cuda.is_available():
        torch.cuda.synchronize()
        torch.cuda.empty_cache()


def allocated_bytes() -> int:
    """Bytes the torch allocator holds on the card now (0 without CUDA)."""
    try:
        import torch
    except ImportError:
        return 0
    return torch.cuda.memory_allocated() if torch.cuda.is_available() else 0


# Relative speed of known cards against an H100 SXM in bf16 dense matmul (vendor peak ratios, rounded).
# Used only for time estimates; `measure_matmul_tflops` gives the real figure on the machine.
CARD_SPEED = {
    "h200": 1.0,
    "h100": 1.0,
    "a100": 0.32,
    "l40s": 0.37,
    "5090": 0.42,
    "4090": 0.33,
    "4080": 0.2,
    "4070": 0.12,
    "4060": 0.06,
    "3090": 0.072,
    "3080": 0.06,
    "3060": 0.026,
    "a6000": 0.077,
}
CPU_SPEED = 0.002


def card_speed(info: DeviceInfo) -> float:
    """This card's speed relative to an H100 (1.0), from its name; a cautious guess for unknown cards."""
    if info.device != "cuda":
        return CPU_SPEED
    name = info.name.lower()
    return next((v for k, v in CARD_SPEED.items() if k in name), 0.1)


def measure_matmul_tflops(device: str = "cuda", n: int = 8192, repeats: int = 20) -> float:
    """Achieved bf16 dense matmul TFLOP/s on this device (the peak engines are compared against)."""
    import time

    import torch

    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    for _ in range(3):
        a @ b
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    if device == "cuda":
        torch.cuda.synchronize()
    return 2 * n**3 * repeats / (time.perf_counter() - start) / 1e12
