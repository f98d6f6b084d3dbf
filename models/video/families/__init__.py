"""The diffusion model families, one file each; FAMILIES maps a preset's `family` to its spec."""

from __future__ import annotations

from models.video.families.base import FamilySpec
from models.video.families.cogvideox import COGVIDEOX
from models.video.families.ltx import LTX_VIDEO
from models.video.families.svd import STABLE_VIDEO
from models.video.families.wan import WAN, WAN_I2V

FAMILIES: dict[str, FamilySpec] = {f.name: f for f in (WAN, WAN_I2V, LTX_VIDEO, COGVIDEOX, STABLE_VIDEO)}

__all__ = ["FAMILIES", "FamilySpec"]
