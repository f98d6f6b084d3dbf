"""A small drawing pen for the animatic's figures: filled shapes in float frame coordinates, anti-aliased,
with every colour passed through the scene's light (time of day, weather, fog) before it touches the frame."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import cv2
import numpy as np

RGB = tuple[int, int, int]
SHIFT = 2  # sub-pixel bits: coordinates are drawn at quarter-pixel precision
ONE = 1 << SHIFT


def identity(col: RGB) -> RGB:
    return col


class Pen:
    """Draws onto an RGBA uint8 frame; `tint` maps a colour to how it looks in this scene's light."""

    def __init__(self, frame: np.ndarray, tint: Callable[[RGB], RGB] = identity) -> None:
        self.frame = frame
        self.tint = tint

    def _c(self, col: RGB) -> tuple[int, int, int, int]:
        return (*self.tint(col), 255)

    def poly(self, pts: Sequence[tuple[float, float]], col: RGB) -> None:
        arr = (np.asarray(pts, np.float32) * ONE).astype(np.int32)
        cv2.fillPoly(self.frame, [arr], self._c(col), cv2.LINE_AA, SHIFT)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, col: RGB) -> None:
        p0, p1 = (int(x0 * ONE), int(y0 * ONE)), (int(x1 * ONE), int(y1 * ONE))
        cv2.line(self.frame, p0, p1, self._c(col), max(1, int(width)), cv2.LINE_AA, SHIFT)

    def path(self, pts: Sequence[tuple[float, float]], width: float, col: RGB, closed: bool = False) -> None:
        arr = (np.asarray(pts, np.float32) * ONE).astype(np.int32)
        cv2.polylines(self.frame, [arr], closed, self._c(col), max(1, int(width)), cv2.LINE_AA, SHIFT)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, col: RGB, angle: float = 0.0) -> None:
        axes = (max(1, int(rx * ONE)), max(1, int(ry * ONE)))
        cv2.ellipse(
            self.frame, (int(cx * ONE), int(cy * ONE)), axes, angle, 0, 360, self._c(col), -1, cv2.LINE_AA, SHIFT
        )

    def arc(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, width: float, col: RGB) -> None:
        axes = (max(1, int(rx * ONE)), max(1, int(ry * ONE)))
        centre = (int(cx * ONE), int(cy * ONE))
        cv2.ellipse(self.frame, centre, axes, 0, start, end, self._c(col), max(1, int(width)), cv2.LINE_AA, SHIFT)

    def rect(self, x0: float, y0: float, x1: float, y1: float, col: RGB) -> None:
        self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], col)

    def rounded(self, x0: float, y0: float, x1: float, y1: float, r: float, col: RGB) -> None:
        """A rectangle with rounded corners (r in pixels)."""
        r = max(0.5, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
        pts: list[tuple[float, float]] = []
        for cx, cy, a0 in ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90), (x0 + r, y0 + r, 180)):
            for k in range(5):
                a = math.radians(a0 + k * 22.5)
                pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
        self.poly(pts, col)


def rotate(pts: Sequence[tuple[float, float]], cx: float, cy: float, deg: float) -> list[tuple[float, float]]:
    """Points turned by deg degrees about (cx, cy) (positive: clockwise on screen)."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in pts]
