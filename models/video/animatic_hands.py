"""Hands at work in close-up, seen from their owner's side with the forearms reaching in from the frame's bottom
edge, and the thing they handle: pressing and folding over a work table ("work"), cupped round something small
they hold, a baby bird or a key ("cup"), scattering crumbs over water to the ducks below ("feed"), or gripping
a kite by its cross spar ("hold").

A close-up of someone's hands is only a picture when it shows what the hands are doing, so each pose goes with
a thing in frame: the prop on the table, the held thing in the palms, the duck on the water. Coordinates are
frame pixels; `s` is the hands' size.
"""

from __future__ import annotations

import math

from models.video.animatic_animals import QUADS, draw_quad, draw_small
from models.video.animatic_carry import CARRIED, draw_in_hands
from models.video.animatic_kinds import OBJECTS, ON_WATER
from models.video.animatic_kite import draw_kite
from models.video.animatic_paint import shade
from models.video.animatic_pen import RGB, Pen
from models.video.animatic_products import draw_product

SKIN, SLEEVE = (226, 178, 142), (70, 96, 140)
CRUMB = (226, 196, 140)
# Small enough to lie in two palms; anything bigger is handled where it stands (stroked, tended).
CUPPED = frozenset({"bird", "duck", "fish", "frog", "butterfly", "mouse", "rabbit", "squirrel", "cat"}) | OBJECTS


def hands_pose(kind: str) -> str:
    """How hands handle a kind: feed what swims (ducks, fish), cup what is small, work over anything else."""
    if kind in ON_WATER - {"boat", "fishingboat"}:
        return "feed"
    if kind in ("kite", *CARRIED):  # gripped and held up: a kite by its spar, an umbrella by its shaft
        return "hold"
    return "cup" if kind in CUPPED else "work"


def _unit(dx: float, dy: float) -> tuple[float, float]:
    n = math.hypot(dx, dy) or 1.0
    return dx / n, dy / n


def _palm_down(pen: Pen, hx: float, hy: float, ex: float, ey: float, s: float, k: int, spread: float,
               skin: RGB, sleeve: RGB) -> None:  # fmt: skip
    """One hand seen from above, palm down, reaching from the elbow (ex, ey) to (hx, hy): the back of the hand
    along the forearm, four fingers on past it, the thumb turned in toward the other hand (k: -1 left, +1 right)."""
    ux, uy = _unit(hx - ex, hy - ey)
    pen.line(ex, ey, hx - ux * s * 0.12, hy - uy * s * 0.12, s * 0.2, sleeve)
    pen.line(hx - ux * s * 0.16, hy - uy * s * 0.16, hx, hy, s * 0.14, skin)  # wrist
    pen.ellipse(hx, hy, s * 0.14, s * 0.11, skin, angle=math.degrees(math.atan2(uy, ux)))
    base = math.atan2(uy, ux)
    for f in range(4):  # fingers fan out from the knuckles, outer ones shorter
        a = base + (f - 1.5) * spread * 0.22 * -k
        fx, fy = hx + ux * s * 0.1 + math.cos(a + math.pi / 2) * (f - 1.5) * s * 0.045, hy + uy * s * 0.1
        length = s * (0.17 - 0.025 * abs(f - 1.5))
        tx, ty = fx + math.cos(a) * length, fy + math.sin(a) * length
        pen.line(fx, fy, tx, ty, s * 0.045, shade(skin, 0.97))
        pen.ellipse(tx, ty, s * 0.022, s * 0.022, shade(skin, 0.9))
    ta = base - k * math.radians(70)  # the thumb, in toward the middle
    pen.line(hx - ux * s * 0.02, hy - uy * s * 0.02, hx + math.cos(ta) * s * 0.16, hy + math.sin(ta) * s * 0.16,
             s * 0.05, shade(skin, 0.92))  # fmt: skip


def _work(pen: Pen, x: float, y: float, s: float, phase: float, bottom: float, skin: RGB, sleeve: RGB) -> None:
    """Two hands pressing on (x, y) in turn, as kneading, rolling or folding does."""
    for k in (-1, 1):
        bob = math.sin(phase + (0 if k < 0 else math.pi)) * s * 0.05
        _palm_down(pen, x + k * s * 0.26, y - s * 0.02 + bob, x + k * s * 0.75, bottom + s * 0.2, s, k, 1.0, skin,
                   sleeve)  # fmt: skip


def _cup(pen: Pen, x: float, y: float, s: float, phase: float, bottom: float, skin: RGB, sleeve: RGB) -> None:
    """Two palms held up together under (x, y), a shallow bowl with the fingers curled up round its rim."""
    lift = math.sin(phase * 0.5) * s * 0.02  # held still, breathing
    y += lift
    for k in (-1, 1):
        pen.line(x + k * s * 0.7, bottom + s * 0.2, x + k * s * 0.16, y + s * 0.16, s * 0.2, sleeve)
        pen.line(x + k * s * 0.22, y + s * 0.2, x + k * s * 0.12, y + s * 0.08, s * 0.15, skin)
    pen.ellipse(x, y + s * 0.06, s * 0.34, s * 0.13, shade(skin, 0.9))  # the palms' underside
    pen.ellipse(x, y + s * 0.02, s * 0.3, s * 0.1, skin)
    pen.line(x, y - s * 0.04, x, y + s * 0.12, max(1, s * 0.012), shade(skin, 0.8))  # where the two palms meet
    for k in (-1, 1):
        for f in range(4):  # fingers curled up on the outer rim
            fx = x + k * (s * 0.2 + f * s * 0.03)
            fy = y + s * 0.06 - f * s * 0.035
            pen.line(fx, fy, fx - k * s * 0.03, fy - s * 0.12, s * 0.045, shade(skin, 0.95 - 0.02 * f))


def _feed(pen: Pen, x: float, y: float, s: float, phase: float, bottom: float, skin: RGB, sleeve: RGB) -> None:
    """One hand holding a slice of bread, the other open over it tossing crumbs that fall to the water below
    (the water's row is `bottom` less a sixth of the frame); ripples where they land."""
    t = phase / (2 * math.pi)
    water = bottom - s * 0.3
    ox, oy = x + s * 0.2, y + math.sin(phase * 1.5) * s * 0.03
    for j in range(9):  # crumbs falling on a loop, each a little behind the last
        u = (t * 0.9 + j / 9) % 1.0
        cx = ox + s * (0.06 * math.sin(j * 2.1) + 0.08 * u)
        cy = oy + s * 0.1 + u * (water - oy - s * 0.1)
        pen.ellipse(cx, cy, s * 0.018, s * 0.014, CRUMB)
        if u > 0.85:
            pen.ellipse(cx, water + s * 0.01, s * 0.06 * (u - 0.8) * 8, s * 0.012 * (u - 0.8) * 8, (220, 232, 240))
    bx, by = x - s * 0.28, y + s * 0.08  # the bread in the other hand
    pen.line(x - s * 0.8, bottom + s * 0.2, bx - s * 0.02, by + s * 0.12, s * 0.2, sleeve)
    pen.rounded(bx - s * 0.13, by - s * 0.14, bx + s * 0.13, by + s * 0.08, s * 0.05, (186, 132, 74))  # crust
    pen.rounded(bx - s * 0.1, by - s * 0.11, bx + s * 0.1, by + s * 0.05, s * 0.04, (240, 222, 180))
    pen.ellipse(bx, by + s * 0.1, s * 0.13, s * 0.07, skin)
    for f in range(3):
        pen.line(
            bx + s * 0.11, by + s * (0.08 - 0.05 * f), bx + s * 0.15, by - s * 0.05 * f, s * 0.04, shade(skin, 0.95)
        )
    _palm_down(pen, ox, oy, x + s * 0.75, bottom + s * 0.2, s, 1, 2.2, skin, sleeve)  # fingers spread, tossing


def _hold(pen: Pen, x: float, y: float, s: float, phase: float, bottom: float, skin: RGB, sleeve: RGB) -> None:
    """Two hands up from the frame's bottom gripping a kite (centred on (x, y), s tall) at the ends of its cross
    spar, fingers curled over it."""
    lift = math.sin(phase * 0.5) * s * 0.015
    for k in (-1, 1):
        gx, gy = x + k * s * 0.36, y - s * 0.17 + lift
        pen.line(x + k * s * 0.75, bottom + s * 0.2, gx + k * s * 0.02, gy + s * 0.1, s * 0.17, sleeve)
        pen.ellipse(gx, gy + s * 0.03, s * 0.075, s * 0.09, skin)  # the fist round the spar
        for f in range(4):  # fingers over the spar's front
            fy = gy - s * 0.03 + f * s * 0.03
            pen.line(gx - k * s * 0.06, fy, gx + k * s * 0.02, fy, s * 0.028, shade(skin, 0.92 - 0.02 * f))
        pen.line(gx + k * s * 0.04, gy + s * 0.05, gx - k * s * 0.05, gy - s * 0.04, s * 0.035, shade(skin, 0.88))


POSES = {"work": _work, "cup": _cup, "feed": _feed, "hold": _hold}


def draw_hands(pen: Pen, x: float, y: float, s: float, phase: float, bottom: float, skin: RGB = SKIN,
               sleeve: RGB = SLEEVE, pose: str = "work") -> None:  # fmt: skip
    """Two hands in a working pose on (x, y), forearms reaching in from the frame row `bottom`."""
    POSES.get(pose, _work)(pen, x, y, s, phase, bottom, skin, sleeve)


def draw_held(pen: Pen, kind: str, x: float, y: float, s: float, phase: float, colour: RGB) -> None:
    """The thing hands hold or feed, standing on (x, y) at size s: a fledgling sitting up in the palms, a duck
    on the water, a small animal or an object."""
    if kind == "bird":
        pen.ellipse(x, y - s * 0.22, s * 0.24, s * 0.2, (120, 92, 66))  # fluffed body
        pen.ellipse(x + s * 0.03, y - s * 0.17, s * 0.15, s * 0.12, (214, 190, 150))  # pale breast
        pen.ellipse(x - s * 0.12, y - s * 0.24, s * 0.12, s * 0.08, (92, 70, 50), angle=-20)  # wing
        hy = y - s * 0.46 + math.sin(phase) * s * 0.02
        pen.ellipse(x + s * 0.04, hy, s * 0.13, s * 0.12, (120, 92, 66))
        pen.ellipse(x + s * 0.09, hy - s * 0.02, s * 0.025, s * 0.025, (20, 20, 20))
        beak = [(x + s * 0.15, hy - s * 0.01), (x + s * 0.27, hy + s * 0.02), (x + s * 0.15, hy + s * 0.05)]
        pen.poly(beak, (240, 190, 60))
    elif kind == "kite":  # upright in the hands, its tail hanging below
        draw_kite(pen, x, y, s, phase, hang=True, tilt=2 * math.sin(phase * 0.5))
    elif kind in CARRIED:
        draw_in_hands(pen, kind, x, y, s, phase)
    elif kind in ("duck", "fish", "frog", "butterfly", "seal"):
        draw_small(pen, kind, x, y, s, phase, 1)  # facing the crumbs
    elif kind in QUADS:
        draw_quad(pen, kind, x, y, s, False, phase, 1, None)
    else:
        draw_product(pen, kind, x, y, s, colour, phase * 0.4)
