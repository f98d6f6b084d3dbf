"""The one place that asks torch about the accelerator: what device there is, how much memory it has, which
dtype a model runs in, and how a model is placed on the card (moved, offloaded, cast, quantized).

Nothing else in Storyreel calls torch.cuda, picks a device or a dtype, or applies offload hooks: the video
engine, the text encoder and the storyboard LLM all ask here. The decisions themselves are pure functions
in `models.vram_policy` (re-exported below), so they are unit-tested for every card size without a GPU.
"""

from __future__ import annotations

import gc
import importlib.util
import logging
import os
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from models.vram_policy import (  # re-exported: the policy is part of this module's public face
    CARD_SPEED,
    CPU_SPEED,
    GIB,
    RESERVE_BYTES,
    RESERVE_FRACTION,
    DeviceInfo,
    MemoryOverrides,
    MemoryPolicy,
    ModelSize,
    Placement,
    TextEncoderMode,
    Weights,
    card_speed,
    choose_policy,
    emulated_card,
    estimate_peak,
    lower_policy,
    model_width,
    step_activations,
)
from models.vram_policy import fp8_weights as _fp8_weights

log = logging.getLogger(__name__)

__all__ = [
    "CARD_SPEED",
    "CPU_SPEED",
    "GIB",
    "RESERVE_BYTES",
    "RESERVE_FRACTION",
    "DeviceInfo",
    "MemoryOverrides",
    "MemoryPolicy",
    "ModelSize",
    "Placement",
    "TextEncoderMode",
    "Weights",
    "card_speed",
    "choose_policy",
    "emulated_card",
    "estimate_peak",
    "lower_policy",
    "model_width",
    "step_activations",
]


class PlacementError(RuntimeError):
    """A placement this machine cannot give (no CUDA, a missing quantization package); the message says why."""


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
        info.capability = tuple(torch.cuda.get_device_capability(0))
    return info


def fp8_weights(info: DeviceInfo) -> Weights:
    """The FP8 weights this device can use ("fp8_dynamic" or "fp8_layerwise"); see models.vram_policy."""
    if _fp8_weights(info, torchao=True) == "fp8_dynamic" and importlib.util.find_spec("torchao") is None:
        log.info("FP8 matmuls need torchao (pip install torchao): FP8 weights are stored, not computed, in FP8")
        return "fp8_layerwise"
    return _fp8_weights(info, torchao=True)


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def torch_dtype(name: str) -> Any:
    """The torch dtype called `name` ("bfloat16", "float16", "float32")."""
    import torch

    return getattr(torch, name)


def set_cpu_threads(n: int) -> None:
    import torch

    torch.set_num_threads(n)


# -- the storyboard LLM ----------------------------------------------------------------------------------
class LLMPlacement(BaseModel):
    """Where and how the storyboard LLM is held."""

    device: Literal["cpu", "cuda"] = "cpu"
    dtype: str = "float32"
    four_bit: bool = False


def llm_placement(device: str = "auto", dtype: str = "auto", quantization: str = "none") -> LLMPlacement:
    """FP16 on CUDA (optionally 4-bit with bitsandbytes), FP32 on the CPU, where CPU half precision is slow or
    missing. Raises PlacementError for what this machine cannot do."""
    chosen = probe_device().device if device == "auto" else device
    if chosen == "cuda" and not cuda_available():
        raise PlacementError("device = 'cuda' but torch sees no CUDA GPU")
    if dtype == "auto":
        dtype = "float16" if chosen == "cuda" else "float32"
    four_bit = quantization == "4bit"
    if four_bit:
        if chosen != "cuda":
            raise PlacementError("4-bit models need a CUDA GPU; set quantization = 'none' on the CPU")
        if importlib.util.find_spec("bitsandbytes") is None:
            raise PlacementError("quantization = '4bit' needs the bitsandbytes package: pip install bitsandbytes")
    return LLMPlacement(device=chosen, dtype=dtype, four_bit=four_bit)


def llm_load_kwargs(placement: LLMPlacement) -> dict[str, Any]:
    """transformers `from_pretrained` arguments for the placement (dtype, 4-bit config, device map)."""
    dtype = torch_dtype(placement.dtype)
    kwargs: dict[str, Any] = {"dtype": dtype}
    if placement.four_bit:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=dtype
        )
    if placement.device == "cuda":
        kwargs["device_map"] = "cuda"
    return kwargs


def place_llm(model: Any, placement: LLMPlacement) -> Any:
    """The loaded LLM on its device (a 4-bit or device-mapped model is already there)."""
    if placement.device == "cpu" and not placement.four_bit:
        return model.to("cpu")
    return model


def module_bytes(model: Any) -> int:
    """Bytes of a torch module's parameters and buffers (what it holds wherever it sits)."""
    tensors = [*model.parameters(), *model.buffers()]
    return sum(t.numel() * t.element_size() for t in tensors)


def accelerator_bytes(model: Any) -> int:
    """Bytes of a module held off the CPU (on the card); 0 for a CPU model."""
    tensors = [*model.parameters(), *model.buffers()]
    return sum(t.numel() * t.element_size() for t in tensors if t.device.type not in ("cpu", "meta"))


# -- video models ----------------------------------------------------------------------------------------
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


def denoisers(pipe: Any) -> list[Any]:
    """The pipeline's denoising models (both experts for Wan 2.2)."""
    return [m for m in (getattr(pipe, n, None) for n in ("transformer", "transformer_2", "unet")) if m is not None]


def load_kwargs(policy: MemoryPolicy, dtype: Any) -> dict[str, Any]:
    """Extra `from_pretrained` arguments the policy needs at load time (int8 and FP8-matmul weights are
    quantized on load, by torchao)."""
    if policy.weights not in ("int8", "fp8_dynamic"):
        return {}
    try:
        from diffusers import PipelineQuantizationConfig, TorchAoConfig
        from torchao.quantization import Float8DynamicActivationFloat8WeightConfig, Int8WeightOnlyConfig
    except ImportError as exc:
        raise RuntimeError(f"{policy.weights} weights need torchao: pip install torchao ({exc})") from None
    # The quant_backend="torchao" shortcut fails in diffusers 0.42.1; quant_mapping works (notes/video.md).
    quant = Int8WeightOnlyConfig() if policy.weights == "int8" else Float8DynamicActivationFloat8WeightConfig()
    cfg = TorchAoConfig(quant)
    return {"quantization_config": PipelineQuantizationConfig(quant_mapping={"transformer": cfg, "unet": cfg})}


def apply_policy(pipe: Any, policy: MemoryPolicy, offload_dir: Path | None = None) -> None:
    """Place a loaded diffusers pipeline as the policy says. The one function that moves models to the card."""
    import torch

    device = torch.device(policy.device)
    if policy.weights == "fp8_layerwise":
        for model in denoisers(pipe):
            # The compute dtype is the one most weights have (Wan keeps a few layers in FP32: not those).
            counts = Counter(p.dtype for p in model.parameters() if p.is_floating_point())
            compute = counts.most_common(1)[0][0] if counts else torch.bfloat16
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
        # Group offload hooks only `forward`; pipelines call vae.decode / vae.encode, which would run with the
        # VAE's weights still offloaded. The VAE is small: it stays on the card, out of block offload.
        pipe.enable_group_offload(
            onload_device=device,
            offload_device=torch.device("cpu"),
            offload_type="block_level",
            num_blocks_per_group=1,
            use_stream=device.type == "cuda",
            offload_to_disk_path=disk,
            exclude_modules=["vae"],
        )
        if getattr(pipe, "vae", None) is not None:
            pipe.vae.to(device)
    elif policy.placement == "sequential_offload":
        pipe.enable_sequential_cpu_offload(device=device)
    configure_vae(getattr(pipe, "vae", None), slicing=policy.vae_slicing, tiling=policy.vae_tiling)


def configure_vae(vae: Any, slicing: bool, tiling: bool) -> None:
    """Slicing and tiling where the VAE has them. Every diffusers VAE has `enable_slicing`, but only those
    with a `use_slicing` switch implement it (AutoencoderKLTemporalDecoder, SVD's, raises NotImplementedError;
    SVD bounds its decode with decode_chunk_size instead). diffusers 0.42 removed pipe.enable_vae_tiling."""
    if vae is None:
        return
    if tiling and hasattr(vae, "use_tiling"):
        vae.enable_tiling()
    if slicing and hasattr(vae, "use_slicing"):
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


def place_module(model: Any, device: Any) -> Any:
    """One module moved whole to `device` (a text encoder run on its own)."""
    return model.to(device)


def cpu_generator(seed: int) -> Any:
    """A seeded CPU generator: the same seed gives the same noise on every device."""
    import torch

    return torch.Generator("cpu").manual_seed(seed)


def inference_mode() -> Any:
    import torch

    return torch.inference_mode()
