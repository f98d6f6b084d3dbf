"""The memory policy as pure decisions: how a video model is held on a card of a given size, chosen from
the model's sizes alone (no torch, no GPU), so every card size is unit-tested on any machine.

`models.vram` applies what this module decides; it re-exports these names.
"""

from __future__ import annotations

import logging
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict

log = logging.getLogger(__name__)
GIB = 1024**3


class DeviceInfo(BaseModel):
    """The compute device and its memory, as probed (or described, to plan for a card this machine lacks)."""

    torch_version: str | None = None
    device: str = "cpu"  # "cuda" or "cpu"
    name: str = "CPU"
    total_bytes: int = 0
    free_bytes: int = 0
    # Where tensors are computed when that is not `device`: an emulated card (below) plans and places as a
    # card of its size would, but runs on the CPU, so the GPU's code path is tested on any machine.
    compute: str | None = None
    capability: tuple[int, int] | None = None  # CUDA compute capability (8, 9) = Ada; None on a CPU

    @property
    def compute_device(self) -> str:
        return self.compute or self.device

    @property
    def total_gib(self) -> float:
        return self.total_bytes / GIB

    @property
    def free_gib(self) -> float:
        return self.free_bytes / GIB


# -- memory policy ---------------------------------------------------------------------------------------
# How a video model is placed on the card. Chosen by `choose_policy` (a pure function of the card and the
# model's size, so it is unit-tested without a GPU) and applied by `apply_policy`. Nothing else decides.

Placement = Literal["resident", "model_offload", "group_offload", "group_offload_disk", "sequential_offload"]
# fp8_layerwise: stored in FP8, each layer upcast to the compute dtype when it runs (memory, not speed);
# fp8_dynamic: FP8 weights and activations through FP8 matmuls (torchao), on cards with FP8 units.
Weights = Literal["native", "fp8_layerwise", "fp8_dynamic", "int8"]
FP8_COMPUTE_CAPABILITY = (8, 9)  # Ada (RTX 40xx, L40S); Hopper is 9.0, Blackwell 10.x/12.x
TextEncoderMode = Literal["resident", "once"]

# Headroom kept free on the card: the CUDA context, cuDNN workspaces and the allocator's fragmentation.
RESERVE_BYTES = int(1.0 * GIB)
RESERVE_FRACTION = 0.06


def emulated_card(gb: float, taken_gb: float = 0.5) -> DeviceInfo:
    """A CUDA card of `gb` GB (with `taken_gb` used by the desktop) whose compute runs on the CPU: the policy
    chooses, and the engine places (dtype, slicing, tiling, offload hooks), exactly as for that card."""
    total = int(gb * GIB)
    return DeviceInfo(
        device="cuda", compute="cpu", name=f"emulated {gb:g} GB card", total_bytes=total,
        free_bytes=total - int(taken_gb * GIB),
    )  # fmt: skip


# -- estimates -------------------------------------------------------------------------------------------
# Activations by model size, not by family: one step holds a few tensors of (tokens × width) at once (the
# residual stream, q/k/v/out, the MLP's wider hidden layer); attention itself is memory-efficient (SDPA).
# Width follows from the parameter count (a transformer has about 12·layers·width² parameters).
ACTIVATION_TENSORS = 12  # tensors of tokens × width alive at the peak of a block (MLP ≈ 4-6 of them)
TEXT_ENCODER_ACTIVATIONS = int(0.5 * GIB)  # a 512-token prompt through T5-XXL, with the embeddings kept
TILED_DECODE_BYTES = int(1.5 * GIB)  # a tiled (or chunked) VAE decode's peak, whatever the clip's size


def model_width(denoiser_bytes: int, bytes_per_param: int = 2) -> int:
    """Hidden width of a transformer of this size (30 layers below 10B parameters, 40 above)."""
    params = denoiser_bytes / bytes_per_param
    layers = 40 if params > 10e9 else 30
    return int(math.sqrt(params / (12 * layers)))


def step_activations(
    denoiser_bytes: int, tokens: int, width: int | None = None, cfg_batch: int = 1, bytes_per_value: int = 2
) -> int:
    """Peak activation bytes of one denoising step over `tokens` latent tokens (batched CFG doubles them)."""
    width = width or model_width(denoiser_bytes)
    return int(tokens * width * bytes_per_value * ACTIVATION_TENSORS * cfg_batch)


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
    # With "once", the prompts are encoded before the denoiser is placed: on the card when the encoder fits
    # there alone, else on the CPU (Wan's own 4090 figure keeps T5 on the CPU too).
    text_encoder_on_card: bool = True
    vae_tiling: bool = False
    vae_slicing: bool = True
    unload_llm: bool = False
    peak_bytes: int = 0  # estimated peak on the card over the job: encode, denoise, decode
    reason: str = ""

    @property
    def text_encoder_device(self) -> str:
        return self.device if self.text_encoder_on_card else "cpu"


def choose_policy(
    total_bytes: int,
    free_bytes: int,
    model: ModelSize,
    family: str = "",
    overrides: MemoryOverrides | None = None,
    ram_bytes: int | None = None,
    llm_bytes: int = 0,
    fp8_ok: bool = True,
    device: str = "cuda",
) -> MemoryPolicy:
    """Pick the fastest way to hold `model` on a card with `free_bytes` free (of `total_bytes`).

    Preference, fastest first: everything resident; denoiser resident with the text encoder run once and
    freed; denoiser resident in FP8 storage (layerwise upcast); whole-model CPU offload; block-level group
    offload to CPU RAM (or to disk when RAM is short); leaf-level sequential offload. `total_bytes == 0`
    means there is no accelerator: everything runs resident on the CPU. `llm_bytes` is the storyboard LLM
    currently held on the card (freed first when the video model needs the room). `device` is where the
    card's tensors are computed ("cpu" for an emulated card).
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
    free_for_video = min(total_bytes, free_bytes + llm_bytes) if o.unload_llm is not False else free_bytes
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
    resident_te = m.text_encoder if te == "resident" else 0
    tiling = on_card + resident_te + m.vae_decode > usable if o.vae_tiling is None else o.vae_tiling
    if tiling:
        why.append("VAE decodes in tiles")
    te_on_card = te == "resident" or m.text_encoder + TEXT_ENCODER_ACTIVATIONS <= usable
    if te == "once":
        why.append("prompts encoded first, " + ("on the card" if te_on_card else "on the CPU (encoder too large)"))
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
    policy = MemoryPolicy(
        device=device,
        placement=placement,
        weights=weights,
        text_encoder=te,
        text_encoder_on_card=te_on_card,
        vae_tiling=tiling,
        vae_slicing=True,
        unload_llm=unload,
        reason=f"{family or 'model'}: " + "; ".join(why),
    )
    return policy.model_copy(update={"peak_bytes": estimate_peak(policy, m)})


def estimate_peak(policy: MemoryPolicy, m: ModelSize) -> int:
    """Bytes on the card at the job's worst moment: encoding the prompts, a denoising step, or the decode.

    Weights follow the placement: resident keeps the denoiser and the VAE; model offload holds one component
    at a time; group offload two blocks plus the VAE (kept out of block offload); sequential one block."""
    denoiser = m.denoiser // 2 if policy.weights != "native" else m.denoiser
    resident_te = m.text_encoder if policy.text_encoder == "resident" else 0
    encode = (
        m.text_encoder + TEXT_ENCODER_ACTIVATIONS
        if policy.text_encoder == "once" and policy.text_encoder_on_card
        else 0
    )
    decode_peak = min(m.vae_decode, TILED_DECODE_BYTES) if policy.vae_tiling else m.vae_decode
    if policy.placement == "resident":
        weights = denoiser + m.vae + resident_te
        decode = weights + decode_peak
    elif policy.placement == "model_offload":
        weights = denoiser
        decode = m.vae + decode_peak
    elif policy.placement == "sequential_offload":
        weights = m.block
        decode = m.block + decode_peak
    else:  # group offload, from RAM or disk
        weights = 2 * m.block + m.vae
        decode = m.vae + decode_peak
    return max(encode, weights + m.activations, decode)


# The rungs an out-of-memory render steps down, one per failure, each holding less of the denoiser on the
# card (group offload from disk sits on the group rung). FP8 storage is not a rung: it changes the picture.
LADDER: tuple[Placement, ...] = ("resident", "model_offload", "group_offload", "sequential_offload")


def lower_policy(policy: MemoryPolicy, model: ModelSize | None = None, on_card: bool = True) -> MemoryPolicy | None:
    """The policy to render with after `policy` ran out of memory, or None when there is no lower one.

    The render stage retries a scene once, so one step is decisive: the denoiser goes one rung down the
    ladder, and the step also decodes the VAE in tiles and slices (a decode that ran out of memory is retried
    tiled), runs the text encoder once instead of keeping it, and frees the storyboard LLM. On the lowest
    rung only an untiled decode is left to change. Without a card (`on_card` False) nothing can be offloaded:
    a host out-of-memory there has no lower policy."""
    if not on_card:
        return None
    rung = LADDER.index("group_offload" if policy.placement == "group_offload_disk" else policy.placement)
    if rung + 1 < len(LADDER):
        placement: Placement = LADDER[rung + 1]
        step = f"out of memory at {policy.placement}: {placement}"
    elif not policy.vae_tiling:
        placement, step = policy.placement, f"out of memory at {policy.placement}: VAE decodes in tiles"
    else:
        return None
    lowered = policy.model_copy(
        update={
            "placement": placement,
            "vae_tiling": True,
            "vae_slicing": True,
            "text_encoder": "once",
            "unload_llm": True,
            "reason": f"{policy.reason}; {step}, VAE tiled, LLM unloaded",
        }
    )
    if model is not None:
        lowered = lowered.model_copy(update={"peak_bytes": estimate_peak(lowered, model)})
    return lowered


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


def fp8_weights(info: DeviceInfo, torchao: bool) -> Weights:
    """What `weights = "fp8"` means on this device: FP8 matmuls where the card has FP8 tensor cores and
    torchao is installed; FP8 storage (layerwise upcast) on other cards and on the CPU, where it runs too
    (notes/video.md); the speed-up needs both the units and the kernels."""
    if info.device == "cuda" and info.capability and tuple(info.capability) >= FP8_COMPUTE_CAPABILITY and torchao:
        return "fp8_dynamic"
    return "fp8_layerwise"


def card_speed(info: DeviceInfo) -> float:
    """This card's speed relative to an H100 (1.0), from its name; a cautious guess for unknown cards."""
    if info.device != "cuda":
        return CPU_SPEED
    name = info.name.lower()
    return next((v for k, v in CARD_SPEED.items() if k in name), 0.1)
