"""A work table seen from the cook's side: the wall of its place behind (animatic_backdrops: a tiled kitchen,
a workshop's pegboard, a chalkboard…), a wooden table top in front with the props the scene names (dough, a
rolling pin, wrappers, a bowl of filling, dumplings on a tray, zongzi tied in bamboo leaves, a pot of boiling
water, a bamboo steamer, a knife and board, vegetables, a teapot, a plate), and a pair of hands at work on the
first one the action names. A close-up fills the frame with the table and that prop; a wide shot lays out the
props that go with it. Coordinates are layer pixels (see animatic_paint.Geometry).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from models.video.animatic_backdrops import paint_backdrop
from models.video.animatic_figures import PEOPLE, draw_person
from models.video.animatic_paint import Geometry, gradient, mix, rgba, shade
from models.video.animatic_pen import Pen
from models.video.animatic_words import SceneSpec

SIZE = {"extreme_wide": 0.2, "wide": 0.26, "medium": 0.32, "close_up": 0.5, "extreme_close_up": 0.66}
TOP = {"extreme_wide": 0.46, "wide": 0.44, "medium": 0.4, "close_up": 0.16, "extreme_close_up": 0.1}  # frame rows
# What a wide shot lays out around the prop in focus (a process shows its ingredients and tools).
RELATED: dict[str, tuple[str, ...]] = {
    "dumplings": ("dough", "rollingpin", "bowl", "wrappers"),
    "zongzi": ("bambooleaves", "rice"),  # leaves, soaked rice and string: no dough, no rolling pin
    "bambooleaves": ("rice", "zongzi"),
    "dough": ("rollingpin", "bowl", "vegetables"),
    "rollingpin": ("wrappers", "dough", "bowl"),
    "wrappers": ("rollingpin", "bowl", "dumplings"),
    "bowl": ("vegetables", "knife", "wrappers"),
    "pot": ("dumplings", "plate", "bowl"),
    "steamer": ("dumplings", "plate", "teapot"),
    "knife": ("vegetables", "bowl", "plate"),
    "vegetables": ("knife", "bowl", "pot"),
    "teapot": ("teacup", "plate"),
    "plate": ("dumplings", "teapot"),
    "wood": (),  # a bench of woodwork holds no kitchen things
    "clock": (),  # nor does a clockmaker's
}
DOUGH = (240, 228, 204)


def _dough(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    for _ in range(14):  # flour dusted round it
        pen.ellipse(x + rng.uniform(-0.8, 0.8) * s, y + rng.uniform(-0.2, 0.3) * s, s * 0.05, s * 0.02, (246, 244, 236))
    pen.ellipse(x, y + s * 0.04, s * 0.46, s * 0.2, (150, 120, 90))
    pen.ellipse(x, y - s * 0.06, s * 0.44, s * 0.26, DOUGH)
    pen.ellipse(x - s * 0.1, y - s * 0.14, s * 0.2, s * 0.09, (250, 244, 230))


def _rollingpin(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    a = math.radians(-12)
    dx, dy = math.cos(a) * s * 0.55, math.sin(a) * s * 0.55
    pen.line(x - dx, y - dy, x + dx, y + dy, s * 0.18, (196, 148, 96))
    for k in (-1, 1):
        pen.line(x + k * dx, y + k * dy, x + k * dx * 1.35, y + k * dy * 1.35, s * 0.08, (150, 104, 64))
    pen.line(x - dx * 0.8, y - dy - s * 0.04, x + dx * 0.8, y + dy - s * 0.04, s * 0.03, (222, 184, 136))


def _wrappers(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    for k in range(4):
        cx, cy = x + (k - 1.5) * s * 0.3, y + (k % 2) * s * 0.08
        pen.ellipse(cx, cy + s * 0.02, s * 0.17, s * 0.07, (200, 184, 156))
        pen.ellipse(cx, cy, s * 0.17, s * 0.07, (246, 238, 218))


def _bowl(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    w = s * 0.5
    pen.poly([(x - w, y - s * 0.2), (x + w, y - s * 0.2), (x + w * 0.6, y + s * 0.1), (x - w * 0.6, y + s * 0.1)],
             (236, 240, 246))  # fmt: skip
    pen.ellipse(x, y + s * 0.1, w * 0.6, s * 0.05, (236, 240, 246))
    pen.path([(x - w * 0.9, y - s * 0.08), (x + w * 0.9, y - s * 0.08)], s * 0.03, (60, 100, 170))  # blue band
    pen.ellipse(x, y - s * 0.2, w, s * 0.11, (220, 224, 232))
    pen.ellipse(x, y - s * 0.2, w * 0.9, s * 0.09, (196, 120, 110))  # the filling
    for _ in range(12):
        pen.ellipse(x + rng.uniform(-0.7, 0.7) * w, y - s * 0.2 + rng.uniform(-0.5, 0.5) * s * 0.08, s * 0.03,
                    s * 0.015, (80, 150, 60))  # fmt: skip
    pen.line(x + w * 0.2, y - s * 0.22, x + w * 1.1, y - s * 0.7, s * 0.03, (150, 110, 70))  # chopsticks
    pen.line(x + w * 0.3, y - s * 0.2, x + w * 1.25, y - s * 0.62, s * 0.03, (150, 110, 70))


def _dumpling(pen: Pen, x: float, y: float, s: float) -> None:
    pen.ellipse(x, y + s * 0.03, s * 0.2, s * 0.08, (190, 176, 150))
    pen.poly([(x - s * 0.2, y), (x - s * 0.12, y - s * 0.1), (x, y - s * 0.14), (x + s * 0.12, y - s * 0.1),
              (x + s * 0.2, y), (x, y + s * 0.04)], (248, 242, 226))  # fmt: skip
    for k in (-1, 0, 1):  # pleats
        pen.line(x + k * s * 0.06, y - s * 0.13, x + k * s * 0.05, y - s * 0.06, 1, (214, 200, 176))


def _dumplings(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    pen.rounded(x - s * 0.62, y - s * 0.22, x + s * 0.62, y + s * 0.22, s * 0.06, (206, 176, 120))  # tray
    for r in range(2):
        for k in range(3):
            _dumpling(pen, x + (k - 1) * s * 0.38, y - s * 0.06 + r * s * 0.2, s * 0.9)


LEAF = (96, 150, 62)
TWINE = (232, 214, 168)


def _one_zongzi(pen: Pen, x: float, y: float, s: float, tilt: float) -> None:
    """A pyramid of rice in bamboo leaves (x, y its base's middle), two faces in two greens, tied round with
    twine: the shape that tells zongzi from a pleated jiaozi."""
    apex = (x + tilt * s * 0.08, y - s * 0.42)
    left, right, front = (x - s * 0.24, y - s * 0.02), (x + s * 0.26, y - s * 0.04), (x + s * 0.04, y + s * 0.06)
    pen.poly([apex, left, front], shade(LEAF, 0.8))
    pen.poly([apex, front, right], LEAF)
    for k in (0.35, 0.65):  # leaf veins running to the point
        pen.line(left[0] + (front[0] - left[0]) * k, left[1] + (front[1] - left[1]) * k, *apex, 1, shade(LEAF, 0.65))
        pen.line(front[0] + (right[0] - front[0]) * k, front[1] + (right[1] - front[1]) * k, *apex, 1,
                 shade(LEAF, 1.2))  # fmt: skip
    for f in (0.42, 0.62):  # the twine round its waist
        pts = [(p[0] + (apex[0] - p[0]) * f, p[1] + (apex[1] - p[1]) * f) for p in (left, front, right)]
        pen.path(pts, max(1, s * 0.025), TWINE)


def _zongzi(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    """Zongzi on a round bamboo tray, and a string of them tied together the way they are hung to boil."""
    pen.ellipse(x, y + s * 0.04, s * 0.66, s * 0.22, (176, 136, 80))
    pen.ellipse(x, y + s * 0.0, s * 0.6, s * 0.18, (214, 178, 112))
    for k, (dx, dy) in enumerate(((-0.32, 0.02), (0.0, 0.08), (0.32, 0.02), (-0.15, -0.08), (0.17, -0.08))):
        _one_zongzi(pen, x + dx * s, y + dy * s, s * 0.7, (-1) ** k)
    knot = (x + s * 0.7, y - s * 0.5)  # the bunch: strings from one knot
    for k in range(3):
        zx, zy = x + s * (0.55 + 0.18 * k), y - s * 0.08 + (k % 2) * s * 0.04
        pen.line(*knot, zx, zy - s * 0.26, max(1, s * 0.015), TWINE)
        _one_zongzi(pen, zx, zy, s * 0.55, 0)


def _bambooleaves(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    """A shallow basin of long bamboo leaves soaking, ready to fold into cones."""
    pen.ellipse(x, y, s * 0.55, s * 0.2, (150, 156, 164))
    pen.ellipse(x, y - s * 0.03, s * 0.5, s * 0.16, (186, 206, 200))
    for k in range(7):
        a = float(rng.uniform(-25, 25))
        pen.ellipse(x + (k - 3) * s * 0.11, y - s * 0.05 + (k % 2) * s * 0.04, s * 0.3, s * 0.045,
                    shade(LEAF, 0.85 + 0.06 * (k % 3)), angle=a)  # fmt: skip


def _rice(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    """A bowl of soaked glutinous rice with red dates on it, the filling folded into each leaf."""
    w = s * 0.4
    pen.poly([(x - w, y - s * 0.16), (x + w, y - s * 0.16), (x + w * 0.6, y + s * 0.08), (x - w * 0.6, y + s * 0.08)],
             (120, 84, 60))  # fmt: skip
    pen.ellipse(x, y - s * 0.16, w, s * 0.09, (246, 244, 236))
    for _ in range(4):
        pen.ellipse(x + rng.uniform(-0.6, 0.6) * w, y - s * 0.16 + rng.uniform(-0.4, 0.4) * s * 0.06, s * 0.04,
                    s * 0.025, (150, 40, 40))  # fmt: skip


def _pot(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    w = s * 0.55
    pen.rect(x - w, y - s * 0.5, x + w, y + s * 0.05, (150, 156, 164))
    pen.ellipse(x, y + s * 0.05, w, s * 0.08, (150, 156, 164))
    for k in (-1, 1):
        pen.line(x + k * w, y - s * 0.4, x + k * w * 1.25, y - s * 0.4, s * 0.06, (60, 60, 64))
    pen.ellipse(x, y - s * 0.5, w, s * 0.13, (190, 196, 204))
    pen.ellipse(x, y - s * 0.5, w * 0.9, s * 0.1, (176, 208, 222))  # boiling water
    for k in range(4):
        _dumpling(pen, x + (k - 1.5) * w * 0.42, y - s * 0.48 + (k % 2) * s * 0.03, s * 0.5)
    _steam(pen, x, y - s * 0.62, s)


def _steam(pen: Pen, x: float, y: float, s: float) -> None:
    for k in range(3):
        sx = x + (k - 1) * s * 0.22
        pts = [(sx + math.sin(j * 1.3 + k) * s * 0.06, y - j * s * 0.09) for j in range(6)]
        pen.path(pts, max(1, s * 0.025), (236, 238, 240))


def _steamer(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    w, bamboo = s * 0.55, (206, 168, 106)
    for k in range(2):  # two stacked baskets and a lid
        top = y - s * (0.22 + 0.22 * k)
        pen.rect(x - w, top, x + w, top + s * 0.22, shade(bamboo, 0.9 + 0.1 * k))
        pen.line(x - w, top + s * 0.11, x + w, top + s * 0.11, 2, shade(bamboo, 0.7))
    pen.ellipse(x, y - s * 0.44, w, s * 0.12, shade(bamboo, 1.1))
    pen.ellipse(x, y - s * 0.5, w * 0.8, s * 0.1, shade(bamboo, 1.15))
    pen.ellipse(x, y - s * 0.55, w * 0.15, s * 0.05, shade(bamboo, 0.7))
    _steam(pen, x, y - s * 0.6, s)


def _knife(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    pen.rounded(x - s * 0.6, y - s * 0.2, x + s * 0.6, y + s * 0.2, s * 0.05, (200, 160, 112))  # board
    for _ in range(10):  # what it cut
        cx, cy = x + rng.uniform(-0.5, 0.0) * s, y + rng.uniform(-0.12, 0.12) * s
        pen.rect(cx, cy, cx + s * 0.06, cy + s * 0.04, (90, 160, 70) if rng.random() < 0.6 else (236, 140, 50))
    pen.poly([(x + s * 0.05, y - s * 0.02), (x + s * 0.45, y - s * 0.1), (x + s * 0.45, y + s * 0.02),
              (x + s * 0.05, y + s * 0.04)], (200, 204, 210))  # fmt: skip
    pen.rect(x + s * 0.45, y - s * 0.06, x + s * 0.7, y + s * 0.0, (50, 40, 36))


def _vegetables(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    pen.ellipse(x - s * 0.25, y - s * 0.14, s * 0.24, s * 0.2, (120, 176, 80))  # cabbage
    pen.ellipse(x - s * 0.25, y - s * 0.18, s * 0.14, s * 0.1, (170, 210, 120))
    for k in range(3):  # carrots
        cy = y + s * (0.02 + 0.06 * k)
        pen.poly([(x, cy), (x + s * 0.42, cy + s * 0.02), (x, cy + s * 0.05)], (236, 128, 40))
    for k in range(4):  # scallions
        pen.line(x - s * 0.5, y + s * 0.18 + k * 3, x + s * 0.2, y + s * 0.12 + k * 3, 2, (90, 170, 70))


def _teapot(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    body = (70, 90, 80)
    pen.ellipse(x, y - s * 0.25, s * 0.32, s * 0.26, body)
    pen.poly([(x + s * 0.25, y - s * 0.3), (x + s * 0.55, y - s * 0.5), (x + s * 0.5, y - s * 0.44),
              (x + s * 0.25, y - s * 0.18)], body)  # fmt: skip
    pen.arc(x - s * 0.34, y - s * 0.28, s * 0.12, s * 0.12, 90, 270, s * 0.05, body)
    pen.ellipse(x, y - s * 0.5, s * 0.14, s * 0.05, shade(body, 1.3))
    pen.ellipse(x + s * 0.6, y - s * 0.02, s * 0.13, s * 0.06, (236, 230, 216))  # a cup beside it
    pen.ellipse(x + s * 0.6, y - s * 0.04, s * 0.1, s * 0.04, (170, 120, 50))


def _plate(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    pen.ellipse(x, y, s * 0.5, s * 0.18, (214, 218, 224))
    pen.ellipse(x, y - s * 0.01, s * 0.4, s * 0.13, (244, 246, 250))
    for k in range(5):
        _dumpling(pen, x + (k - 2) * s * 0.16, y - s * 0.02 + (k % 2) * s * 0.04, s * 0.55)


def _teacup(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    pen.ellipse(x, y, s * 0.2, s * 0.08, (236, 230, 216))
    pen.ellipse(x, y - s * 0.02, s * 0.16, s * 0.05, (120, 160, 60))


def _wood(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    """A plank on the bench with curls of shavings beside it: woodwork (a chair being made, a carving)."""
    pen.rounded(x - s * 0.7, y - s * 0.14, x + s * 0.7, y + s * 0.14, s * 0.03, (196, 146, 90))
    for k in range(3):  # grain
        yy = y + (k - 1) * s * 0.07
        pen.line(x - s * 0.6, yy, x + s * 0.6, yy + s * 0.01, s * 0.012, (160, 112, 66))
    for _ in range(6):
        cx, cy = x + rng.uniform(0.75, 1.0) * s * (1 if rng.random() < 0.5 else -1), y + rng.uniform(-0.1, 0.15) * s
        pen.ellipse(cx, cy, s * 0.07, s * 0.035, (232, 200, 150), angle=float(rng.uniform(0, 180)))


def _clock(pen: Pen, x: float, y: float, s: float, rng: np.random.Generator) -> None:
    """An old clock opened on the bench: its round face with hour marks and hands, and loose gears beside it."""
    pen.ellipse(x, y, s * 0.42, s * 0.42, (150, 104, 56))  # the wooden case
    pen.ellipse(x, y, s * 0.35, s * 0.35, (244, 236, 214))
    for k in range(12):
        a = k * math.pi / 6
        pen.line(x + math.cos(a) * s * 0.27, y + math.sin(a) * s * 0.27,
                 x + math.cos(a) * s * 0.32, y + math.sin(a) * s * 0.32, s * 0.02, (60, 52, 44))  # fmt: skip
    pen.line(x, y, x + s * 0.14, y - s * 0.12, s * 0.03, (40, 36, 32))
    pen.line(x, y, x - s * 0.04, y - s * 0.26, s * 0.02, (40, 36, 32))
    for k in range(3):  # gears waiting to go back in
        gx, gy, r = x + s * (0.62 + 0.16 * k), y + s * (0.2 - 0.22 * k), s * (0.1 - 0.02 * k)
        for t in range(8):
            a = t * math.pi / 4
            pen.ellipse(gx + math.cos(a) * r, gy + math.sin(a) * r, r * 0.28, r * 0.28, (196, 160, 70))
        pen.ellipse(gx, gy, r, r, (212, 176, 84))
        pen.ellipse(gx, gy, r * 0.35, r * 0.35, (120, 96, 50))


PROPS: dict[str, Callable[[Pen, float, float, float, np.random.Generator], None]] = {
    "dough": _dough, "rollingpin": _rollingpin, "wrappers": _wrappers, "bowl": _bowl, "dumplings": _dumplings,
    "pot": _pot, "steamer": _steamer, "knife": _knife, "vegetables": _vegetables, "teapot": _teapot,
    "plate": _plate, "teacup": _teacup, "wood": _wood, "clock": _clock, "zongzi": _zongzi,
    "bambooleaves": _bambooleaves, "rice": _rice,
}  # fmt: skip


def layout(spec: SceneSpec, g: Geometry) -> list[tuple[str, float, float, float]]:
    """(prop, layer x, layer y, size) for what stands on the table; the prop in focus first, in the middle."""
    shot = spec.shot or "medium"
    focus = [p for p in spec.props if p in PROPS] or ["vegetables"]  # a kitchen with nothing named
    if focus[0] == "clock":  # a clockmaker's workshop: its bench holds the clock, not a carpenter's plank
        focus = [p for p in focus if p != "wood"]
    extra = {"extreme_wide": 4, "wide": 3, "medium": 1}.get(shot, 0)
    shown = focus[: 2 if shot in ("close_up", "extreme_close_up") else 3]
    for p in RELATED.get(focus[0], ()):
        if extra and p not in shown:
            shown.append(p)
            extra -= 1
    lift = g.hz - g.hf
    top, bottom = lift + TOP.get(shot, 0.45) * g.fh, lift + g.fh
    size = SIZE.get(shot, 0.26) * g.fh
    out = [(shown[0], g.lw / 2, top + 0.5 * (bottom - top), size)]
    for k, p in enumerate(shown[1:]):
        side = -1 if k % 2 == 0 else 1
        x = g.lw / 2 + side * (0.26 + 0.14 * (k // 2)) * g.fw * (1.4 if shot in ("close_up", "extreme_close_up") else 1)
        y = top + (0.3 + 0.25 * (k // 2)) * (bottom - top)
        out.append((p, x, y, size * 0.7))
    return out


# Frame rows kept clear above a cook's head: the caption bar and a camera move's crop (a push-in's zoom; an
# extreme wide shot is flown as an aerial, whose lifted horizon shows the layer from a quarter frame lower).
HEAD_ROOM = {"extreme_wide": 0.36}


def cook_size(kind: str, shot: str, top: int, g: Geometry) -> float:
    """How tall the cook behind the table is drawn: the shot's own size, smaller where the head (about 1.05 of
    their height above the feet, which are 0.45 of the size below the table top) would leave the frame; 0 when
    even a small one would not fit."""
    size = g.fh * {"extreme_wide": 0.5, "wide": 0.62}.get(shot, 0.8)
    tall = 1.05 * PEOPLE.get(kind, PEOPLE["man"]).height
    room = (top - (g.hz - g.hf) - HEAD_ROOM.get(shot, 0.2) * g.fh) / max(0.1, tall - 0.45)
    return min(size, room) if room >= (0.15 if shot == "extreme_wide" else 0.3) * g.fh else 0.0


def paint_table(
    spec: SceneSpec, rng: np.random.Generator, g: Geometry, trace: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(opaque wall of the place the table is in, near layer with the table top and its props)."""
    w, h = g.lw, g.lh
    lit = {"dawn": 0.9, "day": 1.0, "dusk": 0.82, "night": 0.62}[spec.time]
    lift = g.hz - g.hf
    top = int(lift + TOP.get(spec.shot or "medium", 0.45) * g.fh)
    back = paint_backdrop(spec, rng, g, top, lit, trace)
    for k, kind in enumerate(spec.subjects[:2]):  # the cook behind the table, hidden from the waist down
        size = cook_size(kind, spec.shot or "medium", top, g)
        if size <= 0:
            continue  # a table this close leaves no room for a head: the shot is the table, never a headless body
        x = w / 2 + (0.12 + 0.2 * k) * g.fw * (1 if k == 0 else -1)
        draw_person(Pen(back, lambda c: shade(c, lit * 0.9)), kind, x, top + size * 0.45, size, "stand", 0.0, -1)
        trace.append(f"set:table:cook:{kind}")
    trace.append("set:table:wall")
    near = np.zeros((h, w, 4), np.uint8)
    wood = shade(mix((180, 132, 86), (206, 168, 120), rng.random()), lit)
    near[top:] = gradient(h - top, w, shade(wood, 0.85), wood)
    for y in np.linspace(top + 4, h, 12):  # grain and board joins
        cv2.line(near, (0, int(y)), (w, int(y + rng.uniform(-3, 3))), rgba(shade(wood, 0.9)), 1, cv2.LINE_AA)
    cv2.line(near, (0, top), (w, top), rgba(shade(wood, 0.6)), max(2, g.fh // 120))
    trace.append("set:table:top")
    pen = Pen(near, lambda c: shade(c, lit))
    for prop, x, y, s in sorted(layout(spec, g), key=lambda p: p[2]):
        PROPS[prop](pen, x, y, s, rng)
        trace.append(f"prop:{prop}")
    return back, near


def work_spot(spec: SceneSpec, g: Geometry) -> tuple[float, float, float]:
    """Where the hands work (layer x, y of the prop in focus) and their size."""
    prop, x, y, s = layout(spec, g)[0]
    return x, y - s * (0.3 if prop in ("pot", "steamer") else 0.1), s


def paint_teahouse(
    spec: SceneSpec, rng: np.random.Generator, g: Geometry, trace: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """A Japanese room: shoji screens and an alcove with a hanging scroll behind, tatami mats in front with a
    low table set for tea."""
    w, h, hz = g.lw, g.lh, g.hz
    lit = {"dawn": 0.9, "day": 1.0, "dusk": 0.8, "night": 0.6}[spec.time]
    back = gradient(h, w, shade((214, 196, 160), lit * 0.9), shade((226, 210, 176), lit))
    paper = shade((248, 242, 224) if spec.time in ("dawn", "day") else (250, 214, 150), lit**0.5)
    sx0, sx1, top = int(w / 2 - 0.25 * g.fw), int(w / 2 + 0.6 * g.fw), int(hz - 0.5 * g.fh)
    back[top:hz, sx0:sx1] = rgba(paper)
    frame = rgba(shade((96, 70, 46), lit))
    for x in range(sx0, sx1 + 1, max(6, int(g.fw * 0.045))):
        cv2.line(back, (x, top), (x, hz), frame, 1)
    for y in range(top, hz + 1, max(6, int(g.fh * 0.07))):
        cv2.line(back, (sx0, y), (sx1, y), frame, 1)
    cv2.rectangle(back, (sx0, top), (sx1, hz), frame, max(3, g.fh // 80))
    ax = int(w / 2 - 0.45 * g.fw)  # the alcove and its scroll
    cv2.rectangle(back, (ax, top), (sx0 - 10, hz), rgba(shade((176, 150, 110), lit)), -1)
    scroll_x = (ax + sx0 - 10) // 2
    sw = int(g.fw * 0.05)
    cv2.rectangle(
        back, (scroll_x - sw, top + 10), (scroll_x + sw, hz - int(0.12 * g.fh)), rgba(shade((240, 232, 210), lit)), -1
    )
    for k in range(3):  # brush strokes
        y = top + 20 + k * int(g.fh * 0.07)
        cv2.line(back, (scroll_x, y), (scroll_x + 3, y + int(g.fh * 0.05)), (30, 30, 30, 255), max(2, g.fh // 120))
    trace.append("set:teahouse:shoji")
    near = np.zeros((h, w, 4), np.uint8)
    mat = shade((196, 190, 132), lit)
    near[hz:] = gradient(h - hz, w, shade(mat, 0.85), mat)
    edge = rgba(shade((60, 50, 40), lit))
    for k in range(-3, 4):  # mat borders converging on the vanishing point
        cv2.line(near, (int(w / 2 + k * w * 0.04), hz), (int(w / 2 + k * w * 0.3), h), edge, 2, cv2.LINE_AA)
    for f in (0.2, 0.5):
        cv2.line(near, (0, int(hz + f * (h - hz))), (w, int(hz + f * (h - hz))), edge, 2)
    pen = Pen(near, lambda c: shade(c, lit))
    tx, ty, tw = w / 2, hz + 0.35 * (h - hz), 0.3 * g.fw
    pen.rect(tx - tw / 2, ty - g.fh * 0.05, tx + tw / 2, ty, (70, 44, 30))
    pen.rect(tx - tw / 2 + 6, ty, tx - tw / 2 + 14, ty + g.fh * 0.04, (50, 32, 22))
    pen.rect(tx + tw / 2 - 14, ty, tx + tw / 2 - 6, ty + g.fh * 0.04, (50, 32, 22))
    _teacup(pen, tx - tw * 0.15, ty - g.fh * 0.06, g.fh * 0.2, rng)
    _teapot(pen, tx + tw * 0.2, ty - g.fh * 0.05, g.fh * 0.12, rng)
    trace.append("set:teahouse:tatami")
    return back, near
