"""What each diffusion preset will do on a card of a given size, before anything is downloaded: the memory
policy chosen and its estimated peak, from the sizes the preset declares (settings.toml)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from models import vram
from models.video.presets import DiffusionPreset

CARD_SIZES = (8, 12, 16, 24, 80)
TABLE_RAM_BYTES = 64 * vram.GIB  # the table assumes a 64 GB PC, so it reads the same on every machine


class CardFit(BaseModel):
    preset: str
    card_gb: int
    placement: str
    weights: str
    text_encoder: str  # "with the pipeline", "once on the card", "once on the CPU", "none"
    vae_tiling: bool
    peak_gib: float
    fits: bool  # the estimated peak stays within what the card leaves free (desktop and headroom taken)


def card_fit(name: str, preset: dict[str, Any], gb: int) -> CardFit:
    from models.video.diffusion import DiffusionEngine

    parsed = DiffusionPreset(**{k: v for k, v in preset.items() if k != "label"} | {"name": name})
    engine = DiffusionEngine(parsed, device_info=vram.emulated_card(gb))
    policy = engine.choose_policy(engine.model_size(disk={}), ram_bytes=TABLE_RAM_BYTES)
    if not engine.spec.has_text:
        te = "none"
    elif policy.text_encoder == "resident":
        te = "with the pipeline"
    else:
        te = "once on the card" if policy.text_encoder_on_card else "once on the CPU"
    info = engine.device_info
    usable = info.free_bytes - vram.RESERVE_BYTES - int(vram.RESERVE_FRACTION * info.total_bytes)
    return CardFit(
        preset=name,
        card_gb=gb,
        placement=policy.placement,
        weights=policy.weights,
        text_encoder=te,
        vae_tiling=policy.vae_tiling,
        peak_gib=round(policy.peak_bytes / vram.GIB, 1),
        fits=policy.peak_bytes <= usable,
    )


def smallest_card(name: str, preset: dict[str, Any]) -> int | None:
    """The smallest of CARD_SIZES whose estimated peak fits (None: none of them)."""
    return next((gb for gb in CARD_SIZES if card_fit(name, preset, gb).fits), None)


def markdown_table(presets: dict[str, dict[str, Any]]) -> str:
    """One row per preset, one column per card size: placement, weights, encoder, tiling, estimated peak."""
    head = "| preset | " + " | ".join(f"{gb} GB" for gb in CARD_SIZES) + " |"
    lines = [head, "|" + "---|" * (len(CARD_SIZES) + 1)]
    for name, preset in presets.items():
        if preset.get("kind") != "diffusion":
            continue
        cells = []
        for gb in CARD_SIZES:
            f = card_fit(name, preset, gb)
            what = f.placement + (" fp8" if f.weights != "native" else "")
            te = {"with the pipeline": "TE resident", "once on the card": "TE once", "once on the CPU": "TE on CPU"}
            extra = ", ".join(x for x in (te.get(f.text_encoder, ""), "tiled VAE" if f.vae_tiling else "") if x)
            mark = "" if f.fits else " ⚠ over"
            cells.append(f"{what}{f' ({extra})' if extra else ''} · {f.peak_gib:g} GiB{mark}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
