"""A fruit tree (a persimmon, an apple tree) as the season has it: bare boughs with a few fruit left in winter,
blossom in spring, a full green crown in summer, ripe fruit among gold and red leaves in autumn. With no season
said it is the tree in fruit, the way a story names a fruit tree. A tree that never changes through "four
seasons in the courtyard" would tell the film's time wrong.
"""

from __future__ import annotations

import math

from models.video.animatic_paint import mix, shade
from models.video.animatic_pen import Pen

BARK, LEAF, FRUIT = (104, 74, 50), (72, 124, 60), (236, 120, 34)
CROWN = ((-0.17, 0.62, 0.2), (0.17, 0.62, 0.2), (0.0, 0.74, 0.24), (0.0, 0.58, 0.2))  # (dx, up, radius) × s
# The crown's colours (each lump's leaf colour) and how many fruit show, per season.
SEASONS: dict[str, tuple[tuple[tuple[int, int, int], ...], int, tuple[int, int, int]]] = {
    "": ((LEAF,), 11, FRUIT),
    "spring": (((150, 190, 110), (246, 214, 222)), 0, FRUIT),
    "summer": (((54, 116, 48), (66, 132, 54)), 6, (140, 170, 70)),  # small green fruit, not yet ripe
    "autumn": (((214, 176, 70), (186, 74, 40), (200, 150, 60)), 11, FRUIT),
}


def _spots(n: int, x: float, y: float, s: float, sway: float, spread: float = 0.28):
    """n points spread over the crown, at fixed places (the same tree in every frame)."""
    for k in range(n):
        a, d = k * 2.39996, spread * math.sqrt((k + 0.5) / max(n, 1))
        yield x + math.cos(a) * d * s + sway, y - s * 0.66 + math.sin(a) * d * s * 0.75


def _bare(pen: Pen, x: float, y: float, s: float, sway: float) -> None:
    """Winter: the boughs and twigs, and a few fruit left hanging (a persimmon keeps some for the birds)."""
    for dx, up in ((-0.24, 0.72), (0.24, 0.7), (-0.08, 0.86), (0.1, 0.84)):
        bx, by = x + dx * s + sway, y - up * s
        pen.line(x, y - s * 0.4, bx, by, s * 0.03, BARK)
        for t in (-1, 1):  # twigs off each bough's end
            pen.line(bx, by, bx + t * s * 0.07, by - s * 0.08, max(1, s * 0.012), BARK)
    for fx, fy in list(_spots(11, x, y, s, sway))[::4]:
        pen.ellipse(fx, fy, s * 0.028, s * 0.026, FRUIT)


def draw_fruit_tree(pen: Pen, x: float, y: float, s: float, phase: float, season: str = "", fruit: bool = True) -> None:
    """One fruit tree standing on (x, y), s tall, swaying a little, dressed for the season (with no `fruit`: a
    plain tree, the one someone climbs or a kite is caught in)."""
    sway = math.sin(phase * 0.5) * s * 0.01
    pen.line(x, y, x + sway * 0.3, y - s * 0.5, s * 0.07, BARK)
    if season == "winter":
        _bare(pen, x, y, s, sway)
        return
    for dx in (-0.14, 0.14):  # two boughs into the crown
        pen.line(x, y - s * 0.38, x + dx * s + sway, y - s * 0.6, s * 0.035, BARK)
    leaves, count, colour = SEASONS.get(season, SEASONS[""])
    count = count if fruit else 0
    for k, (cx, cy, r) in enumerate(CROWN):  # lit from the right
        pen.ellipse(x + cx * s + sway, y - cy * s, r * s, r * s * 0.86, shade(leaves[k % len(leaves)], 0.9 + cx))
    if season == "spring" and fruit:  # blossom all over the crown
        for bx, by in _spots(40, x, y, s, sway, 0.34):
            pen.ellipse(bx, by, s * 0.022, s * 0.02, mix((250, 236, 240), (240, 170, 190), (bx * 7 % 10) / 10))
    elif season == "autumn":  # a few leaves already down at its foot
        for k in range(7):
            pen.ellipse(x + (k - 3) * s * 0.08, y + (k % 2) * s * 0.015, s * 0.025, s * 0.01, leaves[k % len(leaves)])
    for fx, fy in _spots(count, x, y, s, sway):
        pen.ellipse(fx, fy, s * 0.034, s * 0.032, shade(colour, 0.6))  # a dark rim: fruit read among gold leaves
        pen.ellipse(fx, fy, s * 0.028, s * 0.026, colour)
