"""The animatic's animals, drawn every frame: four-legged ones (a rabbit, a deer, a horse, a cat, a dog...) by
their proportions, and small ones (a duck on the water, a leaping fish, a butterfly, a frog, a seal pup). Each stands on
(x, y) in frame pixels, `s` pixels in size (see ANIMAL_SCALE for a size relative to a standing adult), drawn with
a Pen so the scene's light tints every colour. People are in animatic_figures.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from models.video.animatic_pen import RGB, Pen, rotate


class Quad(NamedTuple):
    """A four-legged animal's proportions, relative to its size; colours; which ears and tail."""

    length: float
    body: float  # body height
    legs: float
    neck: float  # neck length (0: the head sits on the body)
    head: float
    ears: str  # point, long, round, antler, horn, none
    tail: str  # short, long, bushy, puff, thin
    colour: RGB
    second: RGB  # belly, legs, mane or patches


QUADS: dict[str, Quad] = {
    "rabbit": Quad(0.55, 0.3, 0.08, 0.0, 0.15, "long", "puff", (150, 120, 96), (240, 236, 228)),
    "squirrel": Quad(0.42, 0.2, 0.1, 0.0, 0.12, "point", "bushy", (176, 92, 40), (236, 200, 160)),
    "deer": Quad(0.7, 0.24, 0.5, 0.3, 0.11, "antler", "short", (160, 104, 58), (240, 226, 200)),
    "horse": Quad(0.85, 0.28, 0.5, 0.34, 0.12, "point", "long", (112, 68, 40), (40, 28, 22)),
    "cow": Quad(0.9, 0.36, 0.32, 0.1, 0.13, "horn", "thin", (236, 232, 224), (40, 36, 34)),
    "sheep": Quad(0.7, 0.36, 0.24, 0.06, 0.11, "none", "short", (238, 236, 226), (50, 46, 44)),
    "bear": Quad(0.9, 0.42, 0.3, 0.05, 0.16, "round", "short", (84, 60, 42), (60, 42, 30)),
    "panda": Quad(0.8, 0.4, 0.26, 0.04, 0.16, "round", "short", (240, 240, 236), (26, 26, 28)),
    "pig": Quad(0.7, 0.34, 0.18, 0.0, 0.14, "point", "thin", (236, 170, 170), (220, 140, 150)),
    "mouse": Quad(0.4, 0.2, 0.06, 0.0, 0.1, "round", "thin", (130, 126, 126), (200, 180, 180)),
    "fox": Quad(0.62, 0.22, 0.14, 0.06, 0.12, "point", "brush", (218, 108, 36), (245, 240, 230)),
    "cat": Quad(0.5, 0.22, 0.18, 0.04, 0.12, "point", "up", (70, 66, 72), (70, 66, 72)),
    "dog": Quad(0.62, 0.26, 0.26, 0.08, 0.13, "flop", "up", (150, 104, 60), (236, 220, 196)),
}
# Size of an animal (its "s") relative to a standing adult.
ANIMAL_SCALE = {
    "rabbit": 0.3,
    "squirrel": 0.26,
    "deer": 1.0,
    "horse": 1.2,
    "cow": 1.0,
    "sheep": 0.7,
    "bear": 1.0,
    "panda": 0.8,
    "pig": 0.6,
    "mouse": 0.14,
    "cat": 0.45,
    "dog": 0.55,
    "fox": 0.55,
    "bird": 0.5,
    "duck": 0.35,
    "fish": 0.4,
    "seal": 0.5,
    "butterfly": 0.15,
    "frog": 0.18,
}


def draw_quad(
    pen: Pen,
    kind: str,
    x: float,
    y: float,
    s: float,
    moving: bool,
    phase: float,
    face: int = 1,
    coat: RGB | None = None,
) -> None:
    q = QUADS[kind] if coat is None else QUADS[kind]._replace(colour=coat)  # the look's colour ("a ginger cat")
    ln, bh, legs = q.length * s, q.body * s, q.legs * s
    hop = abs(math.sin(phase * 1.3)) * s * 0.12 if moving and kind in ("rabbit", "squirrel") else 0.0
    by = y - legs - bh * 0.45 - hop
    swing = math.sin(phase * 1.8) * legs * 0.35 if moving else 0.0
    legcol = q.second if kind in ("horse", "sheep", "panda") else (50, 36, 30) if kind == "fox" else q.colour
    for k, lx in enumerate((-0.36, -0.24, 0.26, 0.36)):
        sw = swing if k % 2 else -swing
        pen.line(x + face * lx * ln, by, x + face * lx * ln + sw, y - hop, max(1.5, ln * 0.07), legcol)
    # tail
    tx, ty = x - face * ln * 0.5, by - bh * 0.2
    wag = math.sin(phase * 2.5) * 0.15
    if q.tail == "brush":  # a fox's: long, low, white-tipped
        pen.ellipse(tx - face * ln * 0.25, ty + bh * 0.25, ln * 0.3, bh * 0.3, q.colour, face * 15)
        pen.ellipse(tx - face * ln * 0.5, ty + bh * 0.4, ln * 0.09, bh * 0.2, q.second, face * 15)
    elif q.tail == "up":
        pen.line(tx, ty, tx - face * ln * (0.15 + wag * 0.3), ty - bh * 1.2, max(1, ln * 0.06), q.colour)
    elif q.tail == "bushy":
        pen.ellipse(tx - face * ln * 0.18, ty - bh * 1.1, ln * 0.2, bh * 1.3, q.colour, face * (-25 + 10 * wag))
    elif q.tail == "puff":
        pen.ellipse(tx, ty, bh * 0.3, bh * 0.3, q.second)
    elif q.tail in ("long", "thin"):
        pen.line(
            tx,
            ty,
            tx - face * ln * (0.22 + wag * 0.3),
            ty + bh * 0.9,
            max(1, ln * (0.06 if q.tail == "long" else 0.02)),
            q.second if q.tail == "long" else q.colour,
        )
    else:
        pen.ellipse(tx, ty, ln * 0.05, bh * 0.18, q.colour)
    body_col = q.colour
    if kind == "sheep":  # wool: a cluster of bumps
        for ox in (-0.35, -0.12, 0.12, 0.35):
            pen.ellipse(x + ox * ln, by - bh * 0.1, ln * 0.2, bh * 0.55, body_col)
    pen.ellipse(x, by, ln * 0.52, bh * 0.5, body_col)
    if kind == "cow":
        pen.ellipse(x - face * ln * 0.15, by - bh * 0.1, ln * 0.14, bh * 0.3, q.second)
        pen.ellipse(x + face * ln * 0.22, by + bh * 0.1, ln * 0.1, bh * 0.2, q.second)
    if kind == "panda":
        pen.ellipse(x + face * ln * 0.2, by - bh * 0.05, ln * 0.18, bh * 0.5, q.second)  # shoulders
    # neck and head
    nx, ny = x + face * ln * 0.45, by - bh * 0.25
    hx, hy, hr = quad_head(kind, x, y - hop, s, face)
    if q.neck:
        pen.line(nx, ny, hx, hy, q.neck * s * 0.35, body_col if kind != "sheep" else q.second)
    head_col = q.second if kind == "sheep" else q.colour
    pen.ellipse(hx, hy, hr, hr * 0.85, head_col)
    pen.ellipse(hx + face * hr * 0.8, hy + hr * 0.25, hr * 0.55, hr * 0.4, head_col)  # snout
    if kind == "horse":
        pen.line(nx, ny - bh * 0.2, hx - face * hr * 0.3, hy - hr * 0.5, max(1, s * 0.05), q.second)  # mane
    if kind == "panda":
        pen.ellipse(hx + face * hr * 0.25, hy - hr * 0.05, hr * 0.28, hr * 0.22, q.second)
    if q.ears == "long":
        for k in (0, 1):
            pen.ellipse(
                hx - face * hr * (0.1 + 0.3 * k), hy - hr * 1.5, hr * 0.22, hr * 0.9, head_col, face * (10 + 12 * k)
            )
    elif q.ears == "point":
        for k in (0, 1):
            ex = hx - face * hr * (0.1 + 0.45 * k)
            pen.poly([(ex - hr * 0.25, hy - hr * 0.5), (ex, hy - hr * 1.3), (ex + hr * 0.25, hy - hr * 0.5)], head_col)
    elif q.ears == "flop":
        pen.ellipse(
            hx - face * hr * 0.4,
            hy + hr * 0.2,
            hr * 0.3,
            hr * 0.7,
            q.second if kind != "dog" else (110, 70, 40),
            face * 15,
        )
    elif q.ears == "round":
        for k in (-1, 1):
            pen.ellipse(
                hx + k * hr * 0.65, hy - hr * 0.75, hr * 0.35, hr * 0.35, q.second if kind == "panda" else head_col
            )
    elif q.ears == "antler":
        for k in (0, 1):
            bx = hx - face * hr * (0.1 + 0.4 * k)
            top = (bx - face * hr * 0.6, hy - hr * 2.6)
            pen.line(bx, hy - hr * 0.6, *top, max(1, hr * 0.18), (110, 84, 60))
            pen.line(
                bx - face * hr * 0.3,
                hy - hr * 1.6,
                bx + face * hr * 0.4,
                hy - hr * 2.2,
                max(1, hr * 0.14),
                (110, 84, 60),
            )
    elif q.ears == "horn":
        for k in (-1, 1):
            pen.line(
                hx + k * hr * 0.4, hy - hr * 0.6, hx + k * hr * 0.8, hy - hr * 1.1, max(1, hr * 0.18), (226, 214, 180)
            )
    _quad_face(pen, hx, hy, hr, face)


def quad_head(kind: str, x: float, y: float, s: float, face: int = 1) -> tuple[float, float, float]:
    """(x, y, radius) of the head of a four-legged animal standing on (x, y), s in size (its close-up frames this)."""
    q = QUADS[kind]
    ln, bh = q.length * s, q.body * s
    by = y - q.legs * s - bh * 0.45
    if kind in ("rabbit", "squirrel", "mouse", "pig", "sheep"):
        return x + face * ln * 0.5, by - bh * 0.45, q.head * s
    if kind in ("cow", "bear", "panda"):
        return x + face * ln * 0.55, by - bh * 0.05, q.head * s
    nx, ny = x + face * ln * 0.45, by - bh * 0.25
    return nx + face * q.neck * s * 0.45, ny - q.neck * s * 0.85, q.head * s


def _quad_face(pen: Pen, hx: float, hy: float, hr: float, face: int) -> None:
    """An eye and the tip of the nose: what makes a head a face when the camera comes close."""
    dark = (34, 26, 24)
    ex, ey = hx + face * hr * 0.32, hy - hr * 0.18
    pen.ellipse(ex, ey, hr * 0.13, hr * 0.15, dark)
    pen.ellipse(ex + face * hr * 0.04, ey - hr * 0.05, hr * 0.04, hr * 0.04, (250, 250, 246))  # catchlight
    pen.ellipse(hx + face * hr * 1.3, hy + hr * 0.18, hr * 0.12, hr * 0.1, dark)


def draw_small(pen: Pen, kind: str, x: float, y: float, s: float, phase: float, face: int = 1) -> None:
    """Duck (on water), fish (leaping), butterfly (fluttering), frog (sitting), seal (lying, head up)."""
    if kind == "duck":
        bob = math.sin(phase * 0.8) * s * 0.03
        pen.ellipse(x, y - s * 0.18 + bob, s * 0.45, s * 0.18, (236, 236, 228))
        pen.line(
            x + face * s * 0.3, y - s * 0.25 + bob, x + face * s * 0.36, y - s * 0.55 + bob, s * 0.09, (236, 236, 228)
        )
        pen.ellipse(x + face * s * 0.38, y - s * 0.6 + bob, s * 0.12, s * 0.1, (40, 110, 60))
        pen.poly(
            [
                (x + face * s * 0.46, y - s * 0.62 + bob),
                (x + face * s * 0.62, y - s * 0.57 + bob),
                (x + face * s * 0.46, y - s * 0.54 + bob),
            ],
            (240, 150, 40),
        )
    elif kind == "fish":  # a leap: an arc out of the water every couple of seconds
        t = (phase / (2 * math.pi) * 0.5) % 1.0
        if t > 0.6:
            pen.ellipse(x, y, s * 0.5, s * 0.05, (230, 240, 250))  # ripples
            return
        u = t / 0.6
        fx, fy = x + face * (u - 0.5) * s * 1.6, y - math.sin(u * math.pi) * s * 0.9
        ang = face * (u - 0.5) * 120
        pts = rotate([(fx - s * 0.35, fy), (fx, fy - s * 0.12), (fx + s * 0.3, fy), (fx, fy + s * 0.12)], fx, fy, ang)
        pen.poly(pts, (120, 150, 176))
        tail = rotate([(fx - s * 0.3, fy), (fx - s * 0.5, fy - s * 0.14), (fx - s * 0.5, fy + s * 0.14)], fx, fy, ang)
        pen.poly(tail, (120, 150, 176))
    elif kind == "butterfly":
        flap = 0.35 + 0.65 * abs(math.sin(phase * 2.2))
        by = y - s * 2.5 - math.sin(phase * 0.7) * s * 0.8
        for k in (-1, 1):
            pen.ellipse(x + k * s * 0.28 * flap, by - s * 0.12, s * 0.3 * flap, s * 0.25, (236, 140, 40))
            pen.ellipse(x + k * s * 0.2 * flap, by + s * 0.16, s * 0.2 * flap, s * 0.16, (200, 90, 40))
        pen.line(x, by - s * 0.25, x, by + s * 0.25, s * 0.06, (30, 30, 30))
    elif kind == "seal":
        draw_seal(pen, x, y, s, phase, face)
    elif kind == "frog":
        pen.ellipse(x, y - s * 0.3, s * 0.45, s * 0.3, (80, 150, 60))
        for k in (-1, 1):
            pen.ellipse(x + k * s * 0.22, y - s * 0.6, s * 0.12, s * 0.12, (80, 150, 60))
            pen.ellipse(x + k * s * 0.22, y - s * 0.62, s * 0.05, s * 0.05, (20, 20, 20))


SEAL_GREY, SEAL_BELLY = (128, 132, 136), (188, 190, 190)


def draw_seal(pen: Pen, x: float, y: float, s: float, phase: float, face: int = 1) -> None:
    """A grey seal pup lying on (x, y): a plump body tapering to its tail flippers, a front flipper, and a round
    head raised at the front with big dark eyes, bobbing a little as it breathes."""
    lift = math.sin(phase * 0.9) * s * 0.02
    pen.ellipse(x, y - s * 0.2, s * 0.5, s * 0.2, SEAL_GREY)  # the plump body
    pen.ellipse(x + face * s * 0.05, y - s * 0.12, s * 0.38, s * 0.1, SEAL_BELLY)  # its pale underside
    tail = [
        (x - face * s * 0.42, y - s * 0.16),
        (x - face * s * 0.72, y - s * 0.3),
        (x - face * s * 0.66, y - s * 0.04),
    ]
    pen.poly(tail, SEAL_GREY)  # the tail flippers, fanned
    flip = [(x + face * s * 0.12, y - s * 0.14), (x + face * s * 0.3, y), (x + face * s * 0.02, y - s * 0.02)]
    pen.poly(flip, (108, 112, 116))  # a front flipper on the ground
    hx, hy, hr = x + face * s * 0.42, y - s * 0.42 + lift, s * 0.19
    pen.ellipse(hx - face * s * 0.08, y - s * 0.3 + lift / 2, s * 0.17, s * 0.16, SEAL_GREY)  # the neck
    pen.ellipse(hx, hy, hr, hr, SEAL_GREY)  # the round head
    pen.ellipse(hx + face * hr * 0.55, hy + hr * 0.2, hr * 0.42, hr * 0.3, SEAL_BELLY)  # the muzzle
    for k in (-0.05, 0.42):
        pen.ellipse(hx + face * hr * k, hy - hr * 0.22, hr * 0.16, hr * 0.19, (24, 22, 22))  # big dark eyes
        pen.ellipse(hx + face * hr * (k + 0.05), hy - hr * 0.3, hr * 0.05, hr * 0.05, (250, 250, 246))
    pen.ellipse(hx + face * hr * 0.95, hy + hr * 0.1, hr * 0.12, hr * 0.09, (30, 26, 26))  # the nose
