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


def roof_snow(left: tuple[float, float], apex: tuple[float, float], right: tuple[float, float]) -> np.ndarray:
    """The snow lying on a gabled roof (its eave corners and ridge): a white blanket from the ridge down most of
    each slope, a little thicker than the roof at the eaves, so a winter house reads as snowed on. Before, a
    winter scene's ground was white while every roof stayed bare red."""
    (lx, ly), (ax, ay), (rx, ry) = left, apex, right
    sag = 0.12 * (ly - ay)  # the blanket's lower edge dips a little between the eaves
    pts = [(ax, ay - 0.06 * (ly - ay)), (rx + 0.03 * (rx - ax), ry - 0.02 * (ry - ay)), (rx, ry + 0.05 * (ry - ay)),
           (ax + 0.5 * (rx - ax), ay + 0.78 * (ry - ay) + sag), (ax, ay + 0.72 * (ly - ay)),
           (ax + 0.5 * (lx - ax), ay + 0.78 * (ly - ay) + sag), (lx, ly + 0.05 * (ly - ay)),
           (lx + 0.03 * (lx - ax), ly - 0.02 * (ly - ay))]  # fmt: skip
    return np.array(pts, np.float32)


def snow_colour(lit: float) -> RGB:
    """Snow as the scene's light has it (never darker than moonlit snow)."""
    return tuple(int(c * max(lit, 0.45)) for c in SNOW)  # type: ignore[return-value]


def snowy_crown(out: np.ndarray, x: int, y: int, r: int, lit: float) -> None:
    """A treetop in winter seen from above, on a premultiplied layer: its blue shadow on the snow, dark boughs,
    and lumps of snow lying along them (the dark showing between), not one pale-green disc."""
    dark = (*(int(c * max(lit, 0.5)) for c in (38, 54, 46)), 255)
    snow = (*snow_colour(lit), 255)
    cv2.circle(out, (x + r // 3, y + r // 3), int(r * 0.85), (*(int(c * lit) for c in (116, 126, 152)), 255), -1,
               cv2.LINE_AA)  # fmt: skip
    cv2.circle(out, (x, y), int(r * 0.9), dark, -1, cv2.LINE_AA)
    lump = max(1, int(r * 0.3))
    for k in range(6):  # snow on the boughs all round, thicker on the top-left (the light's side)
        a = k * np.pi / 3 + (x % 5) * 0.3
        cx, cy = int(x + np.cos(a) * r * 0.52), int(y + np.sin(a) * r * 0.52)
        cv2.circle(out, (cx, cy), lump, snow, -1, cv2.LINE_AA)
    cv2.circle(out, (x - r // 8, y - r // 8), lump, snow, -1, cv2.LINE_AA)
