"""The animatic's boats (with whoever rows them), vehicles and buildings: flat, readable shapes standing on (x, y)
in frame pixels, drawn with a Pen so the scene's light tints every colour. Moved out of animatic_figures (people and
animals), which had grown past its size.
"""

from __future__ import annotations

import math

from models.video.animatic_figures import draw_person
from models.video.animatic_pen import RGB, Pen, rotate
from models.video.animatic_winter import SNOW, roof_snow

BOAT_HULLS: tuple[RGB, ...] = ((178, 48, 40), (40, 86, 150), (236, 232, 220), (46, 120, 96), (220, 150, 40))


def draw_fishing_boat(
    pen: Pen, x: float, y: float, s: float, phase: float, hull: RGB, tilt: float, riders: tuple[str, ...] = ()
) -> None:
    """A small open fishing boat on the waterline (x, y), s long, tilted by `tilt` degrees, with its rowers."""
    ln = s
    bob = math.sin(phase * 0.9) * ln * 0.02

    def turn(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return rotate(pts, x, y + bob, tilt)

    y = y + bob
    # wheelhouse and mast behind the riders
    pen.poly(
        turn(
            [
                (x + ln * 0.08, y - ln * 0.14),
                (x + ln * 0.3, y - ln * 0.14),
                (x + ln * 0.3, y - ln * 0.34),
                (x + ln * 0.08, y - ln * 0.34),
            ]
        ),
        (236, 232, 222),
    )
    pen.poly(
        turn(
            [
                (x + ln * 0.12, y - ln * 0.3),
                (x + ln * 0.26, y - ln * 0.3),
                (x + ln * 0.26, y - ln * 0.24),
                (x + ln * 0.12, y - ln * 0.24),
            ]
        ),
        (70, 100, 130),
    )
    mast = turn([(x - ln * 0.05, y - ln * 0.12), (x - ln * 0.05, y - ln * 0.75)])
    pen.line(*mast[0], *mast[1], max(1.5, ln * 0.02), (70, 52, 40))
    pen.line(*mast[1], *turn([(x - ln * 0.4, y - ln * 0.16)])[0], max(1, ln * 0.008), (70, 52, 40))
    for k, who in enumerate(riders):
        rx, ry = turn([(x - ln * (0.22 + 0.2 * k), y - ln * 0.1)])[0]
        draw_person(pen, who, rx, ry, ln * 0.62, "row", phase + k, face=1)
        if k == 0:  # the oars
            pull = 0.5 + 0.5 * math.sin(phase)
            for side in (-1, 1):
                pen.line(
                    rx + ln * 0.05,
                    ry - ln * 0.2,
                    rx - ln * (0.1 + 0.3 * pull) + side * ln * 0.04,
                    ry + ln * 0.12,
                    max(1, ln * 0.015),
                    (120, 90, 60),
                )
    pen.poly(
        turn([(x - ln * 0.5, y - ln * 0.16), (x + ln * 0.5, y - ln * 0.2), (x + ln * 0.4, y), (x - ln * 0.42, y)]),
        hull,
    )
    pen.poly(
        turn(
            [
                (x - ln * 0.5, y - ln * 0.16),
                (x + ln * 0.5, y - ln * 0.2),
                (x + ln * 0.49, y - ln * 0.16),
                (x - ln * 0.49, y - ln * 0.12),
            ]
        ),
        (240, 236, 226),
    )


def draw_vehicle(pen: Pen, kind: str, x: float, y: float, s: float, phase: float, face: int = 1) -> None:
    """A bus, bicycle, train or plane (cars and sail boats are drawn by the word animatic's own shapes)."""
    if kind == "bus":
        ln = s * 1.6
        pen.rounded(x - ln / 2, y - ln * 0.42, x + ln / 2, y - ln * 0.08, ln * 0.04, (214, 160, 40))
        for k in range(5):
            wx = x - ln * 0.42 + k * ln * 0.17
            pen.rect(wx, y - ln * 0.36, wx + ln * 0.12, y - ln * 0.24, (170, 200, 225))
        for wx in (x - ln * 0.3, x + ln * 0.3):
            pen.ellipse(wx, y - ln * 0.08, ln * 0.07, ln * 0.07, (30, 30, 32))
    elif kind == "bicycle":
        r = s * 0.18
        for wx in (x - s * 0.3, x + s * 0.3):
            pen.arc(wx, y - r, r, r, 0, 360, max(1, s * 0.025), (40, 40, 44))
        pts = [  # rear wheel, saddle, handlebars, front wheel, pedals, saddle: facing the way it rides
            (x - face * s * 0.3, y - r),
            (x - face * s * 0.05, y - r * 2.4),
            (x + face * s * 0.22, y - r * 2.4),
            (x + face * s * 0.3, y - r),
            (x, y - r),
            (x - face * s * 0.05, y - r * 2.4),
        ]
        pen.path(pts, max(1, s * 0.03), (200, 50, 50))
    elif kind == "train":
        ln = s * 1.4
        for k in range(3):
            cx = x - face * k * ln * 0.62
            col = (40, 60, 110) if k == 0 else (170, 40, 40)
            pen.rounded(cx - ln * 0.3, y - ln * 0.42, cx + ln * 0.3, y - ln * 0.08, ln * 0.05, col)
            pen.rect(cx - ln * 0.22, y - ln * 0.36, cx + ln * 0.22, y - ln * 0.26, (236, 214, 140))
            for wx in (cx - ln * 0.18, cx + ln * 0.18):
                pen.ellipse(wx, y - ln * 0.06, ln * 0.06, ln * 0.06, (30, 30, 32))
        pen.rect(x - ln * 2, y - ln * 0.01, x + ln * 0.6, y + ln * 0.02, (80, 70, 60))
    elif kind == "plane":
        ln = s * 1.3
        pen.ellipse(x, y, ln * 0.5, ln * 0.07, (236, 238, 244))
        pen.poly(
            [
                (x - face * ln * 0.05, y),
                (x - face * ln * 0.25, y + ln * 0.28),
                (x - face * ln * 0.12, y + ln * 0.28),
                (x + face * ln * 0.12, y),
            ],
            (210, 214, 224),
        )
        pen.poly(
            [
                (x - face * ln * 0.4, y),
                (x - face * ln * 0.52, y - ln * 0.18),
                (x - face * ln * 0.44, y - ln * 0.18),
                (x - face * ln * 0.3, y),
            ],
            (210, 214, 224),
        )


def draw_building(
    pen: Pen, kind: str, x: float, y: float, s: float, night: bool, hue: RGB, snowy: bool = False
) -> None:
    """A house (walls, roof, door, windows lit at night) or a tent, standing on (x, y), s tall; snowed on in a
    winter scene."""
    if kind == "tent":
        pen.poly([(x - s * 0.6, y), (x, y - s * 0.7), (x + s * 0.6, y)], (214, 120, 44))
        pen.poly([(x - s * 0.1, y), (x, y - s * 0.5), (x + s * 0.1, y)], (60, 40, 30))
        return
    w = s * 1.1
    pen.rect(x - w / 2, y - s * 0.55, x + w / 2, y, hue)
    roof = [(x - w * 0.6, y - s * 0.52), (x, y - s), (x + w * 0.6, y - s * 0.52)]
    pen.poly(roof, (150, 60, 48))
    if snowy:
        pen.poly(roof_snow(*roof).tolist(), SNOW)
    pen.rect(x - w * 0.08, y - s * 0.3, x + w * 0.08, y, (90, 60, 40))
    glass = (255, 214, 120) if night else (120, 150, 180)
    for k in (-1, 1):
        pen.rect(x + k * w * 0.3 - w * 0.09, y - s * 0.42, x + k * w * 0.3 + w * 0.09, y - s * 0.26, glass)
