"""Spring in the animatic: blossom on broadleaf crowns and flowers dotted in the grass. A scene whose words say
"in spring, fresh green leaves and blossom" was drawn with summer's plain green crowns and bare grass.

Drawn with cv2 straight onto premultiplied layers (as animatic_paint's trees), at places fixed by what they
dress, so the same tree blossoms the same in every frame. Imports nothing of animatic_paint, which uses it.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

RGB = tuple[int, int, int]
PINK, WHITE = (244, 178, 200), (250, 246, 246)
FLOWERS: tuple[RGB, ...] = ((250, 250, 244), (248, 214, 60), (240, 160, 196))  # daisies, buttercups, pink ones


def _lit(col: RGB, lit: float) -> tuple[int, int, int, int]:
    return (*(min(255, int(c * lit)) for c in col), 255)


def blossom(out: np.ndarray, cx: float, cy: float, r: float, lit: float, pink: bool = True) -> None:
    """Blossom over a round crown of radius r centred on (cx, cy): small pink (or white) flowers spread over it."""
    n = max(10, int(r * 2.5))
    for k in range(n):
        # spread like seeds in a sunflower, each nudged off its place so the blossom reads as clusters, not a grid
        a, d = k * 2.39996, 0.95 * math.sqrt((k + 0.5) / n)
        jx, jy = math.sin(k * 12.9898) * 0.08 * r, math.sin(k * 78.233) * 0.08 * r
        x, y = int(cx + math.cos(a) * d * r + jx), int(cy + math.sin(a) * d * r * 0.9 + jy)
        col = PINK if pink and k % 3 else WHITE  # pink blossom has white among it
        cv2.circle(out, (x, y), max(1, int(r * 0.035)), _lit(col, lit), -1, cv2.LINE_AA)


def spring_flowers(near: np.ndarray, rng: np.random.Generator, hz: int, fh: int, lit: float) -> None:
    """Flowers dotted in the grass of a near layer whose horizon is row hz, smaller toward the horizon, only where
    the layer is already ground (none float in the sky)."""
    h, w = near.shape[:2]
    depth = h - hz
    for _ in range(w // 3):
        f = rng.random() ** 1.4
        x, y = int(rng.uniform(0, w)), int(hz + 3 + f * (depth - 6))
        if near[y, x, 3] < 255:
            continue
        col = FLOWERS[int(rng.integers(len(FLOWERS)))]
        cv2.circle(near, (x, y), max(1, int(1 + f * fh * 0.007)), _lit(col, lit), -1, cv2.LINE_AA)
