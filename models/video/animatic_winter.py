"""Winter on the ground, snowing or not: a story set in winter keeps its snow-covered ground, bare broadleaf trees
and snow-capped pines in every outdoor scene, not only in the scenes where snow is falling. Before, a winter
story's scene with clear weather was drawn on green summer grass under leafy trees, though its words said
"in winter, bare trees and frost".
"""

from __future__ import annotations

import cv2
import numpy as np

from models.video.animatic_words import SceneSpec

RGB = tuple[int, int, int]
SNOW: RGB = (240, 244, 250)


def wintry(spec: SceneSpec) -> bool:
    """Whether snow lies on the ground: it is snowing, or the scene's season is winter."""
    return "snow" in spec.elements or spec.season == "winter"


def ground_elements(spec: SceneSpec) -> frozenset[str]:
    """The elements the ground is painted from: winter lays snow on it (falling snow stays the weather's)."""
    return spec.elements | {"snow"} if wintry(spec) else spec.elements


def bare_tree(out: np.ndarray, x: float, y: float, tall: float, bark: tuple[int, int, int, int]) -> None:
    """A broadleaf tree in winter standing on (x, y), `tall` high: a trunk forking into boughs and twigs, with
    a little snow along the boughs. Drawn with cv2 onto a premultiplied layer (as animatic_paint's trees)."""
    width = max(2, int(tall * 0.05))
    top = y - tall * 0.45
    cv2.line(out, (int(x), int(y)), (int(x), int(top)), bark, width, cv2.LINE_AA)
    snow = (*SNOW, 255)
    for dx, up in ((-0.26, 0.78), (0.24, 0.74), (-0.1, 0.95), (0.12, 0.9), (0.0, 1.0)):
        bx, by = int(x + dx * tall), int(y - up * tall)
        cv2.line(out, (int(x), int(top)), (bx, by), bark, max(1, width // 2), cv2.LINE_AA)
        for t in (-1, 1):  # twigs off each bough's end
            tx, ty = int(bx + t * tall * 0.08), int(by - tall * 0.09)
            cv2.line(out, (bx, by), (tx, ty), bark, 1, cv2.LINE_AA)
        cv2.line(out, (int(x + dx * tall * 0.5), int(top - tall * 0.02)), (bx, by - 1), snow, 1, cv2.LINE_AA)


def snow_cap(out: np.ndarray, x: float, top: float, half: float, drop: float, lit: float) -> None:
    """Snow on a pine tier's top: a small white triangle from its tip down `drop`."""
    cap = np.array([[x, top], [x - half * 0.45, top + drop], [x + half * 0.45, top + drop]], np.int32)
    col = tuple(int(c * max(lit, 0.45)) for c in SNOW)
    cv2.fillPoly(out, [cap], (*col, 255), cv2.LINE_AA)
