"""A building seen from its forecourt, painted once per shot over the landscape's layers: the places people name
by a building (a hospital, a school gate, a library or museum, a hotel, a cinema, a police station, a church,
an airport, a stadium, a farm, a town square). One painter draws them all from a small table (FRONTS): the
forecourt the people stand on, the façade with its rows of windows (lit in the evening), the entrance and the
sign band over it, and what tells the kind apart (a red cross, columns under a pediment, a school's gate and
flag, a cinema's marquee, a steeple, a control tower and a plane, floodlights, a barn behind its fence).

Coordinates are layer pixels (see animatic_paint.Geometry). The façade stands on `front_row`, which
animatic_places.standing keeps the cast in front of; it is sized by a standing adult's height in the shot (the
sets are not scaled by the camera), so a wide shot shows the entrance and its sign, an extreme wide the whole
building.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from models.video.animatic_busstop import ADULT
from models.video.animatic_paint import LIGHT, Geometry, gradient, mix, shade
from models.video.animatic_pen import Pen
from models.video.animatic_words import SceneSpec

RGB = tuple[int, int, int]
PAVING, GRASS, STEP = (184, 178, 168), (104, 146, 76), (214, 208, 196)
GLASS, DOOR_LIT, WINDOW_LIT, FRAME = (150, 182, 204), (250, 226, 170), (255, 214, 130), (70, 74, 82)
SNOW = (240, 244, 250)


class Front(NamedTuple):
    """One kind of building: its wall, height in storeys, width in storey heights, what marks it out, the colour
    of the band over its door, and the ground before it."""

    wall: RGB
    storeys: int
    width: float
    marks: tuple[str, ...]
    sign: RGB
    ground: str = "paving"


FRONTS: dict[str, Front] = {
    "hospital": Front((238, 238, 232), 5, 11, ("cross", "canopy"), (200, 40, 44)),
    "school": Front((200, 140, 104), 3, 10, ("clock", "gate", "flag"), (40, 90, 150)),
    "hall": Front((226, 216, 194), 3, 9, ("columns",), (150, 128, 96)),  # library, museum, bank, city hall
    "hotel": Front((176, 126, 102), 9, 7, ("canopy",), (196, 160, 70)),
    "cinema": Front((128, 44, 54), 3, 8, ("marquee",), (236, 206, 96)),
    "police": Front((222, 224, 228), 3, 8, ("beacon",), (30, 60, 140)),
    "church": Front((206, 198, 184), 2, 5, ("steeple",), (120, 100, 80), "grass"),
    "airport": Front((186, 204, 216), 2, 18, ("glass", "tower", "plane"), (60, 70, 96)),
    "stadium": Front((196, 202, 210), 3, 16, ("bowl", "floodlights"), (40, 120, 70)),
    "farm": Front((168, 48, 40), 2, 4, ("barn",), (240, 236, 226), "grass"),
    "square": Front((214, 194, 166), 3, 9, ("clock", "fountain"), (150, 128, 96)),
}


def front_row(g: Geometry) -> float:
    """The layer row the façade stands on: the building rises behind it, the forecourt lies before."""
    return g.hz + 0.22 * (g.fh - g.hf)


def paint_frontage(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                   trace: list[str]) -> None:  # fmt: skip
    kind = next((p for p in spec.props if p in FRONTS), "hall")
    front = FRONTS[kind]
    lit = max(LIGHT[spec.time], 0.4) * (0.85 if "rain" in spec.elements else 1.0)
    tint = lambda c: shade(c, lit)  # noqa: E731
    pen, glow = Pen(near, tint), Pen(near)  # glow: lamps and lit windows keep their colour at night
    evening = spec.time in ("dusk", "night")
    trace.append(f"set:front:{kind}")
    _ground(spec, rng, g, near, front.ground, tint)
    trace.append(f"set:front:{front.ground}")
    _behind(Pen(far, tint), rng, g, front.ground == "grass")
    storey = 1.25 * ADULT.get(spec.shot, 0.46) * g.fh
    base, cx = front_row(g), g.lw / 2 + rng.uniform(-0.06, 0.06) * g.fw
    w = min(front.width * storey, 1.1 * g.lw)
    x0, x1, top = cx - w / 2, cx + w / 2, base - front.storeys * storey
    snowy = "snow" in spec.elements
    if "barn" in front.marks:
        _barn(pen, rng, g, cx, base, storey, front, snowy)
    elif "bowl" in front.marks:
        _stadium(pen, glow, x0, x1, base, storey, front, evening, snowy)
    else:
        roof = "gable" if "steeple" in front.marks else "flat"
        _facade(pen, glow, rng, (x0, x1, top, base), storey, front, evening, roof, snowy)
        trace.append("set:front:windows")
        if "steeple" not in front.marks:  # a church has its arched door instead
            _entrance(pen, glow, cx, base, storey, front, evening, "columns" not in front.marks)
    trace.append("set:front:building")
    for mark in front.marks:
        drawer = MARKS.get(mark)
        if drawer is not None:
            drawer(pen, glow, (x0, x1, top, base), storey, front, evening, g)
            trace.append(f"set:front:{mark}")
    if "glass" in front.marks:  # the terminal's doors and their sign, in its glass wall
        _entrance(pen, glow, cx, base, storey, front, evening, True)
    if "gate" in front.marks:
        _gate(pen, cx, base + 0.06 * (g.fh - g.hf), storey, front)
        trace.append("set:front:gate")
    if "fountain" in front.marks:
        _fountain(pen, glow, cx, base + 0.08 * (g.fh - g.hf), storey, evening)
        trace.append("set:front:fountain")


def _ground(spec: SceneSpec, rng: np.random.Generator, g: Geometry, near: np.ndarray, ground: str, tint) -> None:
    """The forecourt from the horizon down: paving with its joints (wet and mirroring the light in the rain,
    white under snow), or a lawn before a church or farm."""
    col = PAVING if ground == "paving" else GRASS
    if "snow" in spec.elements:
        col = mix(col, SNOW, 0.7)
    elif "rain" in spec.elements:
        col = shade(col, 0.75)
    near[g.hz :] = gradient(g.lh - g.hz, g.lw, tint(shade(col, 0.9)), tint(col))
    pen = Pen(near, tint)
    if ground == "paving":
        for k in range(1, 8):  # joints, closer together towards the building
            y = g.hz + (k / 8) ** 1.6 * (g.lh - g.hz)
            pen.line(0, y, g.lw, y, 1, shade(col, 0.88))
    if "rain" in spec.elements:  # puddles holding the sky's light
        sheen = mix(tint(col), (170, 180, 196), 0.4)
        for _ in range(8):
            px, py = rng.uniform(0, g.lw), rng.uniform(g.hz + 0.3 * (g.lh - g.hz), g.lh)
            Pen(near).ellipse(px, py, rng.uniform(0.02, 0.05) * g.fw, 0.005 * g.fh + 1, sheen)


def _behind(pen: Pen, rng: np.random.Generator, g: Geometry, country: bool) -> None:
    """Beyond the building at the horizon: town blocks in a city, a line of trees in the country."""
    x = -rng.uniform(0, 0.05) * g.fw
    while x < g.lw:
        if country:
            r = rng.uniform(0.025, 0.045) * g.fw
            pen.ellipse(x, g.hz - r * 0.6, r, r * 0.9, (70, 104, 66))
            x += r * 1.3
        else:
            w, h = rng.uniform(0.05, 0.1) * g.fw, rng.uniform(0.06, 0.16) * g.fh
            pen.rect(x, g.hz - h, x + w, g.hz + 1, mix((150, 156, 168), (120, 126, 140), rng.random()))
            x += w + rng.uniform(0.005, 0.02) * g.fw


def _facade(pen: Pen, glow: Pen, rng: np.random.Generator, box: tuple[float, ...], storey: float, front: Front,
            evening: bool, roof: str, snowy: bool) -> None:  # fmt: skip
    """The wall, a window in each bay of each storey above the ground floor, and its roof line."""
    x0, x1, top, base = box
    pen.rect(x0, top, x1, base, front.wall)
    pen.rect(x0, base - storey * 0.06, x1, base, shade(front.wall, 0.7))  # the plinth
    bays = max(2, round((x1 - x0) / storey))
    bay = (x1 - x0) / bays
    for k in range(1, front.storeys):
        y = base - k * storey
        pen.line(x0, y, x1, y, max(1.0, storey * 0.02), shade(front.wall, 0.85))
        for b in range(bays):
            wx = x0 + (b + 0.28) * bay
            on = evening and rng.random() < 0.7
            (glow if on else pen).rect(wx, y - storey * 0.72, wx + bay * 0.44, y - storey * 0.18,
                                       WINDOW_LIT if on else GLASS)  # fmt: skip
    if roof == "gable":
        pen.poly([(x0 - storey * 0.1, top), ((x0 + x1) / 2, top - (x1 - x0) * 0.45), (x1 + storey * 0.1, top)],
                 shade(front.wall, 0.6))  # fmt: skip
    else:
        pen.rect(x0 - storey * 0.05, top - storey * 0.12, x1 + storey * 0.05, top, shade(front.wall, 0.8))
    if snowy:
        pen.rect(x0 - storey * 0.05, top - storey * 0.16, x1 + storey * 0.05, top - storey * 0.1, SNOW)


def _entrance(pen: Pen, glow: Pen, cx: float, base: float, storey: float, front: Front, evening: bool,
              band: bool) -> None:  # fmt: skip
    """Glass doors in the middle of the ground floor, lit from inside in the evening, the sign band over them."""
    dw, dh = storey * 0.9, storey * 0.72
    (glow if evening else pen).rect(cx - dw, base - dh, cx + dw, base, DOOR_LIT if evening else GLASS)
    for k in (-1, 0, 1):
        pen.line(cx + k * dw, base - dh, cx + k * dw, base, max(1.0, storey * 0.03), FRAME)
    if band:
        pen.rect(cx - dw * 1.4, base - storey * 0.95, cx + dw * 1.4, base - storey * 0.78, front.sign)


def _cross(pen, glow, box, storey, front, evening, g) -> None:
    """A red cross over the door and, big, on the roof: a hospital from afar."""
    x0, x1, top, base = box
    cx = (x0 + x1) / 2
    for y, r in ((base - storey * 0.865, storey * 0.13), (top - storey * 0.55, storey * 0.35)):
        (glow if evening else pen).rect(cx - r * 1.2, y - r * 1.2, cx + r * 1.2, y + r * 1.2, (246, 246, 246))
        (glow if evening else pen).rect(cx - r, y - r * 0.34, cx + r, y + r * 0.34, front.sign)
        (glow if evening else pen).rect(cx - r * 0.34, y - r, cx + r * 0.34, y + r, front.sign)


def _canopy(pen, glow, box, storey, front, evening, g) -> None:
    """A canopy over the entrance on two posts."""
    cx, base = (box[0] + box[1]) / 2, box[3]
    pen.rect(cx - storey * 1.5, base - storey * 0.8, cx + storey * 1.5, base - storey * 0.72, shade(front.wall, 0.55))
    for px in (cx - storey * 1.4, cx + storey * 1.4):
        pen.rect(px - storey * 0.03, base - storey * 0.72, px + storey * 0.03, base, FRAME)


def _columns(pen, glow, box, storey, front, evening, g) -> None:
    """A portico: steps up to six columns under a pediment, across the middle of the front."""
    x0, x1, _, base = box
    cx, half = (x0 + x1) / 2, min(storey * 2.6, (x1 - x0) * 0.42)
    ptop = base - storey * 2.1
    for k in range(3):  # the steps, each narrower than the one below
        pen.rect(cx - half - storey * (0.3 - 0.1 * k), base - storey * 0.06 * (k + 1), cx + half + storey * (0.3 - 0.1 * k),
                 base - storey * 0.06 * k, shade(STEP, 1 - 0.04 * k))  # fmt: skip
    pen.rect(cx - half, ptop, cx + half, base - storey * 0.18, shade(front.wall, 0.72))  # the shade behind
    (glow if evening else pen).rect(cx - storey * 0.3, base - storey * 0.9, cx + storey * 0.3, base - storey * 0.18,
                                    DOOR_LIT if evening else shade(front.wall, 0.45))  # fmt: skip
    for k in range(6):
        px = cx - half + (k + 0.5) * (2 * half / 6)
        pen.rect(px - storey * 0.09, ptop, px + storey * 0.09, base - storey * 0.18, shade(front.wall, 1.06))
    pen.rect(cx - half * 1.06, ptop - storey * 0.14, cx + half * 1.06, ptop, front.wall)
    pen.poly([(cx - half * 1.1, ptop - storey * 0.14), (cx, ptop - storey * 0.75), (cx + half * 1.1, ptop - storey * 0.14)],
             shade(front.wall, 0.9))  # fmt: skip


def _clock(pen, glow, box, storey, front, evening, g) -> None:
    """A round clock over the middle of the roof line."""
    cx, top = (box[0] + box[1]) / 2, box[2]
    pen.rect(cx - storey * 0.55, top - storey * 0.9, cx + storey * 0.55, top, front.wall)
    pen.ellipse(cx, top - storey * 0.45, storey * 0.32, storey * 0.32, shade(front.wall, 0.6))
    (glow if evening else pen).ellipse(cx, top - storey * 0.45, storey * 0.26, storey * 0.26, (244, 240, 226))
    pen.line(cx, top - storey * 0.45, cx, top - storey * 0.65, max(1.0, storey * 0.03), (40, 40, 40))
    pen.line(cx, top - storey * 0.45, cx + storey * 0.14, top - storey * 0.4, max(1.0, storey * 0.03), (40, 40, 40))


def _flag(pen, glow, box, storey, front, evening, g) -> None:
    """A flagpole at one side of the forecourt, its red flag flying."""
    x, base = box[0] + storey * 0.6, box[3]
    pen.rect(x - storey * 0.025, base - storey * 3.4, x + storey * 0.025, base, (200, 200, 204))
    pen.rect(x + storey * 0.025, base - storey * 3.35, x + storey * 0.75, base - storey * 2.9, (214, 40, 36))


def _marquee(pen, glow, box, storey, front, evening, g) -> None:
    """A cinema's marquee over its doors, ringed with bulbs, and a lit poster either side."""
    cx, base = (box[0] + box[1]) / 2, box[3]
    mx0, mx1, my0, my1 = cx - storey * 1.9, cx + storey * 1.9, base - storey * 1.3, base - storey * 0.85
    glow.rect(mx0, my0, mx1, my1, front.sign)
    glow.rect(mx0 + storey * 0.1, my0 + storey * 0.1, mx1 - storey * 0.1, my1 - storey * 0.1, (250, 244, 220))
    for k in range(13):
        glow.ellipse(mx0 + k * (mx1 - mx0) / 12, my0, storey * 0.035, storey * 0.035, (255, 240, 180))
    for side in (-1, 1):
        px = cx + side * storey * 1.5
        glow.rect(px - storey * 0.28, base - storey * 0.75, px + storey * 0.28, base - storey * 0.1,
                  ((70, 110, 170), (200, 120, 60))[side > 0])  # fmt: skip


def _beacon(pen, glow, box, storey, front, evening, g) -> None:
    """A police station's blue lamp over its door."""
    cx, base = (box[0] + box[1]) / 2, box[3]
    glow.rect(cx - storey * 0.12, base - storey * 1.25, cx + storey * 0.12, base - storey * 1.0, (90, 150, 255))
    pen.rect(cx - storey * 0.15, base - storey * 1.28, cx + storey * 0.15, base - storey * 1.24, FRAME)


def _steeple(pen, glow, box, storey, front, evening, g) -> None:
    """A church: a round window in the gable, an arched door, and a steeple topped by a cross at one side."""
    x0, x1, top, base = box
    cx = (x0 + x1) / 2
    (glow if evening else pen).ellipse(cx, top - storey * 0.5, storey * 0.32, storey * 0.32,
                                       WINDOW_LIT if evening else (120, 90, 150))  # fmt: skip
    door = (glow, DOOR_LIT) if evening else (pen, (110, 72, 48))  # open and lit for an evening service
    door[0].ellipse(cx, base - storey * 0.75, storey * 0.38, storey * 0.38, door[1])
    door[0].rect(cx - storey * 0.38, base - storey * 0.75, cx + storey * 0.38, base, door[1])
    for w, h in ((0.04, 0.3), (0.14, 0.04)):  # a cross over the door
        pen.rect(cx - storey * w, base - storey * (1.6 + h), cx + storey * w, base - storey * (1.6 - h), (90, 80, 60))
    sx = x1 + storey * 0.45
    pen.rect(sx - storey * 0.5, top - storey * 1.2, sx + storey * 0.5, base, shade(front.wall, 0.95))
    pen.poly([(sx - storey * 0.6, top - storey * 1.2), (sx, top - storey * 3.2), (sx + storey * 0.6, top - storey * 1.2)],
             shade(front.wall, 0.55))  # fmt: skip
    pen.rect(sx - storey * 0.03, top - storey * 3.7, sx + storey * 0.03, top - storey * 3.15, (90, 80, 60))
    pen.rect(sx - storey * 0.17, top - storey * 3.55, sx + storey * 0.17, top - storey * 3.49, (90, 80, 60))


def _glass(pen, glow, box, storey, front, evening, g) -> None:
    """An airport terminal's glass wall, lit within at night, under a wide overhanging roof."""
    x0, x1, top, base = box
    (glow if evening else pen).rect(x0, top + storey * 0.2, x1, base - storey * 0.06,
                                    mix(DOOR_LIT, GLASS, 0.4) if evening else GLASS)  # fmt: skip
    for k in range(int((x1 - x0) / storey) + 1):
        px = x0 + k * storey
        pen.line(px, top + storey * 0.2, px, base, max(1.0, storey * 0.03), FRAME)
    pen.line(x0, base - storey, x1, base - storey, max(1.0, storey * 0.04), FRAME)
    pen.poly([(x0 - storey * 0.6, top + storey * 0.25), (x0, top - storey * 0.1), (x1, top - storey * 0.1),
              (x1 + storey * 0.6, top + storey * 0.25)], (206, 210, 216))  # fmt: skip


def _tower(pen, glow, box, storey, front, evening, g) -> None:
    """The control tower standing beside the terminal, its cab glazed."""
    # beside the terminal's middle, so a wide shot still has it in frame
    tx, base = (box[0] + box[1]) / 2 + min((box[1] - box[0]) * 0.3, 0.3 * g.fw), box[3]
    pen.rect(tx - storey * 0.22, base - storey * 4.2, tx + storey * 0.22, base - storey * 2, (214, 216, 220))
    pen.poly([(tx - storey * 0.6, base - storey * 4.2), (tx + storey * 0.6, base - storey * 4.2),
              (tx + storey * 0.45, base - storey * 4.8), (tx - storey * 0.45, base - storey * 4.8)],
             WINDOW_LIT if evening else (90, 130, 160))  # fmt: skip
    pen.rect(tx - storey * 0.5, base - storey * 5.0, tx + storey * 0.5, base - storey * 4.8, (200, 202, 206))


def _plane(pen, glow, box, storey, front, evening, g) -> None:
    """A plane climbing away in the sky over the terminal."""
    # left of the middle, in the sky over the roof; a near shot's terminal fills the sky, so none there
    x, y, s = g.lw / 2 - 0.22 * g.fw, min(g.hz - 0.5 * g.fh, box[2] - 0.06 * g.fh), 0.05 * g.fw
    if y < g.hz - g.hf + 0.04 * g.fh:
        return
    body = (236, 238, 242)
    pen.poly(
        [(x - s, y + s * 0.2), (x + s, y - s * 0.2), (x + s * 1.1, y - s * 0.14), (x - s * 0.95, y + s * 0.3)], body
    )
    pen.poly([(x - s * 0.1, y), (x + s * 0.25, y - s * 0.05), (x - s * 0.2, y + s * 0.5)], shade(body, 0.85))
    pen.poly([(x - s * 0.85, y + s * 0.18), (x - s * 0.95, y - s * 0.2), (x - s * 0.7, y + s * 0.14)], (40, 70, 140))
    if evening:
        glow.ellipse(x + s * 1.05, y - s * 0.17, s * 0.06, s * 0.06, (255, 60, 60))


def _stadium(pen, glow, x0, x1, base, storey, front, evening, snowy) -> None:
    """A stadium's curved stand seen from outside: tiers of wall in bands, entrances at its foot."""
    top = base - storey * 2.6
    cx, half = (x0 + x1) / 2, (x1 - x0) / 2
    pen.ellipse(cx, top + storey * 0.3, half, storey * 0.6, shade(front.wall, 0.75))
    pen.rect(x0, top + storey * 0.3, x1, base, front.wall)
    pen.ellipse(cx, top + storey * 0.3, half * 0.96, storey * 0.42, SNOW if snowy else shade(front.sign, 1.1))
    for k in range(1, 4):
        pen.rect(x0, top + storey * 0.3 + k * storey * 0.55, x1, top + storey * 0.38 + k * storey * 0.55, front.sign)
    for k in range(5):
        gx = x0 + (k + 0.5) * (x1 - x0) / 5
        (glow if evening else pen).rect(gx - storey * 0.3, base - storey * 0.6, gx + storey * 0.3, base,
                                        DOOR_LIT if evening else shade(front.wall, 0.45))  # fmt: skip


def _floodlights(pen, glow, box, storey, front, evening, g) -> None:
    """Two floodlight masts above the stand, their lamps blazing at night."""
    x0, x1, _, base = box
    for mx in (x0 + (x1 - x0) * 0.1, x1 - (x1 - x0) * 0.1):
        pen.rect(mx - storey * 0.05, base - storey * 4.2, mx + storey * 0.05, base - storey * 2.3, (150, 154, 160))
        lamp = (255, 250, 220) if evening else (210, 214, 220)
        glow.rect(mx - storey * 0.4, base - storey * 4.6, mx + storey * 0.4, base - storey * 4.2, lamp)


def _barn(pen, rng, g, cx, base, storey, front, snowy) -> None:
    """A red barn with its white-crossed doors and a silo beside it."""
    w, h = storey * front.width, storey * front.storeys
    x0, x1, top = cx - w / 2, cx + w / 2, base - h
    sx = x1 + storey * 0.7
    pen.rect(sx - storey * 0.5, base - h * 1.5, sx + storey * 0.5, base, (180, 180, 172))
    pen.ellipse(sx, base - h * 1.5, storey * 0.5, storey * 0.35, (120, 124, 130))
    pen.rect(x0, top, x1, base, front.wall)
    pen.poly([(x0 - storey * 0.15, top), (cx, top - w * 0.4), (x1 + storey * 0.15, top)],
             SNOW if snowy else (90, 60, 50))  # fmt: skip
    dx0, dx1, dy = cx - storey * 0.7, cx + storey * 0.7, base - storey * 1.2
    pen.rect(dx0, dy, dx1, base, shade(front.wall, 0.8))
    for a, b in (((dx0, dy), (dx1, base)), ((dx1, dy), (dx0, base))):
        pen.line(a[0], a[1], b[0], b[1], max(1.0, storey * 0.05), front.sign)
    pen.path([(dx0, dy), (dx1, dy), (dx1, base), (dx0, base)], max(1.0, storey * 0.06), front.sign, closed=True)
    rail = (150, 112, 76)  # a fence along the yard, in front of the barn
    fy = base + 0.08 * (g.fh - g.hf)
    for k in range(int(g.lw / (storey * 0.8)) + 1):
        pen.rect(k * storey * 0.8 - storey * 0.03, fy - storey * 0.55, k * storey * 0.8 + storey * 0.03, fy, rail)
    for y in (fy - storey * 0.45, fy - storey * 0.22):
        pen.rect(0, y, g.lw, y + storey * 0.05, rail)


def _gate(pen: Pen, cx: float, y: float, storey: float, front: Front) -> None:
    """A school's gate: two brick pillars with the sign band across them, the sliding gate pulled back."""
    gap = storey * 1.6
    for side in (-1, 1):
        px = cx + side * gap
        pen.rect(px - storey * 0.2, y - storey * 1.1, px + storey * 0.2, y, shade(front.wall, 0.8))
        for k in range(8):  # the railings running off to either side
            rx = px + side * storey * (0.35 + k * 0.25)
            pen.rect(rx - storey * 0.02, y - storey * 0.6, rx + storey * 0.02, y, (60, 64, 70))
        ex = px + side * storey * 2.2
        pen.rect(min(px, ex), y - storey * 0.6, max(px, ex), y - storey * 0.55, (60, 64, 70))
    pen.rect(cx - gap - storey * 0.2, y - storey * 1.3, cx + gap + storey * 0.2, y - storey * 1.1, front.sign)


def _fountain(pen: Pen, glow: Pen, cx: float, y: float, storey: float, evening: bool) -> None:
    """A round fountain in the middle of the square: a stone basin, water, a jet."""
    stone, water = (200, 194, 182), (150, 190, 214)
    pen.ellipse(cx, y, storey * 1.2, storey * 0.22, stone)
    pen.ellipse(cx, y - storey * 0.04, storey * 1.05, storey * 0.15, water)
    pen.rect(cx - storey * 0.06, y - storey * 0.7, cx + storey * 0.06, y, stone)
    (glow if evening else pen).ellipse(
        cx, y - storey * 0.8, storey * 0.2, storey * 0.14, mix(water, (255, 255, 255), 0.5)
    )


MARKS = {
    "cross": _cross,
    "canopy": _canopy,
    "columns": _columns,
    "clock": _clock,
    "flag": _flag,
    "marquee": _marquee,
    "beacon": _beacon,
    "steeple": _steeple,
    "glass": _glass,
    "tower": _tower,
    "plane": _plane,
    "floodlights": _floodlights,
}
