"""The CJK-capable font that ships with Storyreel (through the pylopdf-fonts-zh-cn package).

Chinese subtitles and captions must never show as boxes, so every text drawing asks here.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

FONT_FAMILY = "Noto Sans SC"


@cache
def cjk_font_path() -> Path | None:
    """Path of Noto Sans SC Regular, or None if the font package is missing."""
    spec = importlib.util.find_spec("pylopdf_fonts_zh_cn")
    roots = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    for root in roots:
        for found in sorted(root.rglob("NotoSansSC-Regular.*")):
            return found
    return None
