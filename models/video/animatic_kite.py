"""A kite: a red and yellow diamond on a cross spar, a ribbon tail with bows, and its string. Flown, it rides
the wind high in the sky, its string running down to the flyer's hands; caught, it hangs in a tree's crown with
its tail dangling; held, it fills a close-up of the hands holding it (animatic_hands). Before it had a drawing,
"flies a kite" and "the kite hangs up in the tree" drew nothing, and a close-up of hands and the kite showed
empty hands. Coordinates are frame pixels; `s` is the kite's height, spar to tail not counted.
"""

from __future__ import annotations

import math

from models.video.animatic_paint import shade
from models.video.animatic_pen import RGB, Pen, rotate

RED, YELLOW, SPAR, STRING = (222, 44, 40), (252, 204, 36), (110, 76, 44), (70, 66, 62)
BOWS = ((30, 110, 220), (252, 204, 36), (222, 44, 40))


def kite_points(x: float, y: float, s: float, tilt: float) -> dict[str, tuple[float, float]]:
    """The kite's corners and where its spars cross, centred on (x, y), turned by tilt degrees."""
    names = ("top", "left", "bottom", "right", "cross")
    pts = [(x, y - 0.45 * s), (x - 0.36 * s, y - 0.17 * s), (x, y + 0.55 * s), (x + 0.36 * s, y - 0.17 * s),
           (x, y - 0.17 * s)]  # fmt: skip
    return dict(zip(names, rotate(pts, x, y, tilt), strict=True))


def draw_kite(pen: Pen, x: float, y: float, s: float, phase: float, hang: bool = False,
              tilt: float | None = None) -> tuple[float, float]:  # fmt: skip
    """The kite centred on (x, y), s tall, tilting in the wind (or by `tilt` degrees); its tail streams out
    behind, or hangs straight down (`hang`: caught in a tree, held). Returns where the string is tied."""
    tilt = ((25 if hang else -12) + 6 * math.sin(phase * 0.8)) if tilt is None else tilt
    p = kite_points(x, y, s, tilt)
    # the tail first, so the kite is in front of its knot: a ribbon waving behind, bows along it
    tail: list[tuple[float, float]] = [p["bottom"]]
    for k in range(1, 13):
        u = k / 12
        if hang:  # straight down, swinging a little
            tail.append((p["bottom"][0] + math.sin(phase + u * 3) * s * 0.06 * u, p["bottom"][1] + u * s * 1.3))
        else:  # streaming down and away from the wind, in a travelling wave
            tail.append((p["bottom"][0] - u * s * 0.55 + math.sin(phase * 2 - u * 7) * s * 0.08,
                         p["bottom"][1] + u * s * 1.1))  # fmt: skip
    pen.path(tail, max(1, s * 0.025), (236, 70, 60))
    for k in (3, 6, 9, 12):  # a bow tied on every few lengths
        bx, by = tail[k]
        w, h = s * 0.09, s * 0.05
        colour = BOWS[k % len(BOWS)]
        pen.poly([(bx, by), (bx - w, by - h), (bx - w, by + h)], colour)
        pen.poly([(bx, by), (bx + w, by - h), (bx + w, by + h)], shade(colour, 0.85))
    # four panels, red and yellow in turn, and a darker rim
    pen.poly([p["top"], p["left"], p["bottom"], p["right"]], shade(RED, 0.6))
    c = p["cross"]
    quarters = ((p["top"], p["left"], RED), (p["top"], p["right"], YELLOW), (p["bottom"], p["left"], YELLOW),
                (p["bottom"], p["right"], RED))  # fmt: skip
    for a, b, colour in quarters:
        pen.poly([_toward(a, c, 0.06), _toward(b, c, 0.06), _toward(c, a, 0.0)], colour)
    pen.line(*p["top"], *p["bottom"], max(1, s * 0.03), SPAR)  # the cross spar
    pen.line(*p["left"], *p["right"], max(1, s * 0.03), SPAR)
    return c


def _toward(a: tuple[float, float], b: tuple[float, float], f: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f


def draw_string(pen: Pen, kite: tuple[float, float], hand: tuple[float, float], s: float, colour: RGB = STRING) -> None:
    """The kite's string from where it is tied down to the flyer's hand, sagging a little in a curve."""
    (x0, y0), (x1, y1) = kite, hand
    pts = [
        (x0 + (x1 - x0) * u, y0 + (y1 - y0) * u + math.sin(u * math.pi) * s * 0.25) for u in (k / 16 for k in range(17))
    ]
    pen.path(pts, max(1, s * 0.012), colour)
