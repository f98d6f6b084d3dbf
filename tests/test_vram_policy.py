"""The memory policy: which placement each card gets, as pure decisions (no GPU needed)."""

from __future__ import annotations

import pytest

from models import vram
from models.vram import GIB, MemoryOverrides, ModelSize, choose_policy

GB = 10**9
# Sizes from notes/video.md (fp16/bf16 weights) plus the engine's per-family activation figures.
WAN_1_3B = ModelSize(
    denoiser=int(2.84 * GB),
    text_encoder=int(11.4 * GB),
    vae=int(0.25 * GB),
    activations=2 * GB,
    vae_decode=6 * GB,
    block=int(2.84 * GB / 30),
)
WAN_14B = ModelSize(
    denoiser=int(28.6 * GB),
    text_encoder=int(11.4 * GB),
    vae=int(0.25 * GB),
    activations=4 * GB,
    vae_decode=6 * GB,
    block=int(28.6 * GB / 40),
)
LTX_2B = ModelSize(
    denoiser=int(3.85 * GB),
    text_encoder=int(9.5 * GB),
    vae=int(0.8 * GB),
    activations=int(1.5 * GB),
    vae_decode=5 * GB,
    block=int(3.85 * GB / 28),
)
RAM = 64 * GIB


def card(gb: int, model: ModelSize, **kw) -> vram.MemoryPolicy:
    """A card of `gb` GB with 0.5 GB already taken by the desktop."""
    total = gb * GIB
    return choose_policy(total, total - GIB // 2, model, "test", ram_bytes=kw.pop("ram", RAM), **kw)


# (card GB, expected placement, weights, text encoder) for Wan 1.3B, the studio's default diffusion model.
WAN_1_3B_CASES = [
    (6, "resident", "fp8_layerwise", "once"),
    (8, "resident", "native", "once"),
    (12, "resident", "native", "once"),
    (16, "resident", "native", "once"),
    (24, "resident", "native", "resident"),
    (80, "resident", "native", "resident"),
]


@pytest.mark.parametrize(("gb", "placement", "weights", "te"), WAN_1_3B_CASES)
def test_wan_1_3b_policy_per_card(gb, placement, weights, te):
    p = card(gb, WAN_1_3B)
    assert (p.placement, p.weights, p.text_encoder) == (placement, weights, te), p.reason
    assert p.device == "cuda" and p.reason


WAN_14B_CASES = [
    (6, "sequential_offload"),  # one block plus a 480p step's activations do not fit in ~4 GB usable
    (8, "group_offload"),
    (12, "group_offload"),
    (16, "group_offload"),
    (24, "resident"),  # only in FP8 storage
    (80, "resident"),
]


@pytest.mark.parametrize(("gb", "placement"), WAN_14B_CASES)
def test_wan_14b_policy_per_card(gb, placement):
    p = card(gb, WAN_14B)
    assert p.placement == placement, p.reason
    if gb == 24:
        assert p.weights == "fp8_layerwise"
    if gb == 80:
        assert (p.weights, p.text_encoder) == ("native", "resident")
    if placement != "resident":
        assert p.unload_llm and p.text_encoder == "once"
    # Offloaded blocks leave the card to the VAE: an untiled decode fits from 12 GB on.
    assert p.vae_tiling == (gb <= 8), p.reason


@pytest.mark.parametrize("gb", [6, 8, 12, 16, 24, 80])
def test_ltx_always_fits_somehow_and_tiles_on_small_cards(gb):
    p = card(gb, LTX_2B)
    assert p.placement in ("resident", "model_offload")
    assert p.vae_tiling == (gb <= 8), p.reason  # untiled decode (5 GB) fits beside the weights from 12 GB
    assert p.unload_llm == (gb < 16)


def test_vram_used_by_others_counts():
    # A 24 GB card with 20 GB taken by another program is a 4 GB card for us.
    p = choose_policy(24 * GIB, 4 * GIB, WAN_1_3B, ram_bytes=RAM)
    assert p.placement != "resident" or p.weights != "native"


def test_low_ram_streams_blocks_from_disk():
    p = card(12, WAN_14B, ram=16 * GIB)
    assert p.placement == "group_offload_disk", p.reason


def test_tiny_card_falls_back_to_sequential_offload():
    p = choose_policy(3 * GIB, int(2.5 * GIB), WAN_14B, ram_bytes=RAM)
    assert p.placement == "sequential_offload"


def test_no_gpu_means_cpu():
    p = choose_policy(0, 0, WAN_14B)
    assert (p.device, p.placement) == ("cpu", "resident")


def test_overrides_win():
    o = MemoryOverrides(placement="model_offload", weights="int8", text_encoder="resident", vae_tiling=False)
    p = card(80, WAN_1_3B, overrides=o)
    assert (p.placement, p.weights, p.text_encoder, p.vae_tiling) == ("model_offload", "int8", "resident", False)
    assert "overridden" in p.reason


def test_llm_is_unloaded_only_when_it_is_in_the_way():
    llm = 15 * GIB  # a 7B LLM in fp16 on the card
    # 80 GB: plenty of room beside the LLM
    assert not choose_policy(80 * GIB, 65 * GIB, WAN_1_3B, llm_bytes=llm, ram_bytes=RAM).unload_llm
    # 24 GB with the LLM taking 15 GB: the video model only fits once the LLM is gone
    p = choose_policy(24 * GIB, 8 * GIB, WAN_1_3B, llm_bytes=llm, ram_bytes=RAM)
    assert p.unload_llm and p.placement == "resident"


def test_fp8_can_be_ruled_out():
    p = card(6, WAN_1_3B, fp8_ok=False)
    assert p.weights == "native" and p.placement != "resident"


def test_card_speed_table():
    assert vram.card_speed(vram.DeviceInfo(device="cuda", name="NVIDIA H100 80GB HBM3")) == 1.0
    assert vram.card_speed(vram.DeviceInfo(device="cuda", name="NVIDIA GeForce RTX 4090")) < 1.0
    assert vram.card_speed(vram.DeviceInfo()) == vram.CPU_SPEED


def test_int8_without_torchao_is_a_clear_error():
    pytest.importorskip("torch")
    try:
        import torchao  # noqa: F401

        pytest.skip("torchao is installed here; the missing-package message cannot be shown")
    except ImportError:
        pass
    with pytest.raises(RuntimeError, match="pip install torchao"):
        vram.load_kwargs(vram.MemoryPolicy(weights="int8"), None)
