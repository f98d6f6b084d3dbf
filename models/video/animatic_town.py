"""Built places outdoors, painted once per shot over the landscape's layers: a temple (a hall with vermilion
pillars under a curved roof, a pagoda on the skyline, a torii gate, lanterns lit at dusk), a street in
perspective (old wooden houses with lanterns, or a modern one; wet and reflecting its lights in the rain), a
market (striped stall awnings and their goods), rooftops; and the umbrella a person in the rain holds. The
shot size sets how near the temple is. Coordinates are layer pixels (see animatic_paint.Geometry).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from models.video.animatic_paint import LIGHT, Geometry, gradient, mix, rgba, shade
from models.video.animatic_pen import RGB, Pen
from models.video.animatic_words import SceneSpec

VERMILION, ROOF, GOLD = (206, 64, 40), (58, 64, 72), (214, 170, 60)
HALL_WIDTH = {"extreme_wide": 0.32, "wide": 0.55, "medium": 0.75, "close_up": 1.4, "extreme_close_up": 1.9}
LANTERN = (255, 176, 80)
UMBRELLAS: tuple[RGB, ...] = ((200, 50, 50), (40, 90, 170), (236, 190, 60), (40, 40, 46), (120, 60, 150))
AWNINGS: tuple[tuple[RGB, RGB], ...] = (((200, 50, 50), (246, 240, 230)), ((40, 100, 170), (240, 240, 236)),
                                        ((40, 140, 90), (246, 236, 200)), ((236, 150, 40), (250, 240, 220)))  # fmt: skip


def _lit(spec: SceneSpec) -> float:
    return max(LIGHT[spec.time], 0.4)


def _glow(spec: SceneSpec, props: tuple[str, ...] = ()) -> bool:
    return spec.time in ("dusk", "night") or "rain" in spec.elements


def _eave_roof(pen: Pen, x: float, y: float, w: float, h: float, col: RGB) -> None:
    """A curved roof whose eaves turn up at the corners: (x, y) is the middle of its eave line."""
    pen.poly([(x - w * 0.62, y - h * 0.12), (x - w * 0.5, y), (x + w * 0.5, y), (x + w * 0.62, y - h * 0.12),
              (x + w * 0.4, y - h * 0.35), (x + w * 0.22, y - h), (x - w * 0.22, y - h), (x - w * 0.4, y - h * 0.35)],
             col)  # fmt: skip
    pen.line(x - w * 0.24, y - h, x + w * 0.24, y - h, max(2, h * 0.08), shade(col, 0.7))


def paint_temple(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                 trace: list[str]) -> None:  # fmt: skip
    lit, hz, s = _lit(spec), g.hz, g.fh - g.hf
    tint = lambda c: shade(c, lit)  # noqa: E731
    golden = "golden" in spec.props
    # The pagoda on the skyline, to one side, hazed a little by distance.
    side = 1 if rng.random() < 0.5 else -1
    px, base, tw = g.lw / 2 + side * 0.3 * g.fw, hz + 2, g.fw * 0.08
    pf = Pen(far, lambda c: mix(shade(c, lit), shade((190, 200, 214), lit), 0.25))
    for k in range(5):
        y = base - k * g.fh * 0.07
        w = tw * (1 - 0.12 * k)
        pf.rect(px - w * 0.35, y - g.fh * 0.055, px + w * 0.35, y, (120, 50, 40))
        _eave_roof(pf, px, y - g.fh * 0.05, w * 1.2, g.fh * 0.03, ROOF)
    pf.line(px, base - 5 * g.fh * 0.07, px, base - 5 * g.fh * 0.07 - g.fh * 0.06, 3, (90, 80, 60))
    trace.append("set:temple:pagoda")
    # Gravel courtyard and a stone path up to the hall.
    near[hz:] = gradient(g.lh - hz, g.lw, tint((196, 190, 176)), tint((168, 160, 146)))
    cx = g.lw / 2
    path = np.array([[cx - 0.04 * g.fw, hz + 0.1 * s], [cx + 0.04 * g.fw, hz + 0.1 * s],
                     [cx + 0.25 * g.fw, g.lh], [cx - 0.25 * g.fw, g.lh]], np.int32)  # fmt: skip
    cv2.fillPoly(near, [path], rgba(tint((214, 208, 196))), cv2.LINE_AA)
    pen = Pen(near, tint)
    w = HALL_WIDTH.get(spec.shot or "medium", 0.85) * g.fw
    h, yb = 0.5 * w, hz + 0.12 * s
    pen.rect(cx - w * 0.55, yb - h * 0.08, cx + w * 0.55, yb, (150, 146, 138))  # stone platform
    pen.rect(cx - w * 0.44, yb - h * 0.6, cx + w * 0.44, yb - h * 0.08, GOLD if golden else (236, 226, 204))
    for k in range(7):  # pillars and the doors between them
        x = cx - w * 0.42 + k * w * 0.14
        pen.rect(x - w * 0.018, yb - h * 0.6, x + w * 0.018, yb - h * 0.08, GOLD if golden else VERMILION)
        if k < 6 and k % 2 == 0:
            pen.rect(x + w * 0.03, yb - h * 0.45, x + w * 0.11, yb - h * 0.08, shade((120, 70, 40), 0.9))
    pen.rect(cx - w * 0.46, yb - h * 0.66, cx + w * 0.46, yb - h * 0.58, GOLD if golden else VERMILION)
    _eave_roof(pen, cx, yb - h * 0.62, w * 1.05, h * 0.42, (200, 160, 60) if golden else ROOF)
    _eave_roof(pen, cx, yb - h * 1.0, w * 0.55, h * 0.22, (200, 160, 60) if golden else ROOF)
    trace.append("set:temple:hall")
    if _glow(spec) or "lanterns" in spec.props:  # paper lanterns under the eave
        for k in range(6):
            x = cx - w * 0.35 + k * w * 0.14
            pen.line(x, yb - h * 0.6, x, yb - h * 0.5, 1, (40, 30, 20))
            lamp = Pen(near) if _glow(spec) else pen  # a lit lantern glows whatever the hour's light
            lamp.ellipse(x, yb - h * 0.45, w * 0.025, w * 0.035, LANTERN if _glow(spec) else (220, 80, 50))
        trace.append("set:temple:lanterns")
    if spec.shot not in ("close_up", "extreme_close_up"):
        for k in (-1, 1):  # stone lanterns beside the path
            x, y, sz = cx + k * 0.3 * g.fw, hz + 0.55 * s, g.fh * 0.16
            pen.rect(x - sz * 0.06, y - sz * 0.7, x + sz * 0.06, y, (140, 138, 130))
            pen.rect(x - sz * 0.14, y - sz * 0.9, x + sz * 0.14, y - sz * 0.7, (150, 148, 140))
            (Pen(near) if _glow(spec) else pen).rect(
                x - sz * 0.07, y - sz * 0.86, x + sz * 0.07, y - sz * 0.76, LANTERN if _glow(spec) else (60, 60, 60)
            )
            _eave_roof(pen, x, y - sz * 0.9, sz * 0.4, sz * 0.15, (120, 118, 112))
    if "torii" in spec.props and spec.shot in ("wide", "extreme_wide"):
        tw, th, ty = 0.5 * g.fw, 0.62 * g.fh, hz + 0.85 * s
        for k in (-1, 1):
            pen.rect(cx + k * tw * 0.36 - g.fw * 0.014, ty - th, cx + k * tw * 0.36 + g.fw * 0.014, ty, VERMILION)
        pen.rect(cx - tw * 0.46, ty - th * 0.8, cx + tw * 0.46, ty - th * 0.75, VERMILION)
        pen.poly([(cx - tw * 0.6, ty - th * 1.02), (cx + tw * 0.6, ty - th * 1.02), (cx + tw * 0.52, ty - th * 0.93),
                  (cx - tw * 0.52, ty - th * 0.93)], (40, 36, 36))  # fmt: skip
        pen.rect(cx - tw * 0.5, ty - th * 0.93, cx + tw * 0.5, ty - th * 0.88, VERMILION)
        trace.append("set:temple:torii")


def _street_geometry(g: Geometry) -> tuple[float, float]:
    return g.lw / 2, float(g.lh - g.hz)


def paint_street(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                 trace: list[str]) -> None:  # fmt: skip
    """A street running away from the viewer between two rows of houses (or market stalls)."""
    lit, hz = _lit(spec), g.hz
    cx, depth = _street_geometry(g)
    market = spec.setting == "market"
    old = "old" in spec.props or ("modern" not in spec.props and "city" not in spec.elements)
    wet = "rain" in spec.elements
    tint = lambda c: shade(c, lit * (0.8 if wet else 1.0))  # noqa: E731
    road = (150, 140, 126) if old else (84, 86, 92)
    road_col = shade(road, 0.6) if wet else road
    near[hz:] = gradient(g.lh - hz, g.lw, tint(shade(road_col, 0.9)), tint(road_col))
    for k in range(1, 14):  # paving joints (or lane marks) receding
        t = (k / 14) ** 2
        y = int(hz + t * depth)
        cv2.line(near, (0, y), (g.lw, y), rgba(tint(shade(road_col, 0.85))), 1)
    pen = Pen(near, tint)
    lights: list[tuple[float, float, RGB]] = []
    ts = [0.05 * 1.45**k for k in range(10)]
    for side in (-1, 1):
        for t0, t1 in zip(ts[:-1], ts[1:], strict=True):
            x0, x1 = cx + side * 0.62 * g.fw * t0 * 1.6, cx + side * 0.62 * g.fw * t1 * 1.6
            y0, y1 = hz + t0 * depth, hz + t1 * depth
            if market:
                _stall(pen, rng, x0, y0, x1, y1, t0, t1, depth, spec, lights)
            else:
                _house(pen, rng, x0, y0, x1, y1, t0, t1, depth, old, spec, lights)
    trace.append("set:market:stalls" if market else f"set:street:{'old' if old else 'modern'}")
    if wet:  # the wet road mirrors every light above it, and puddles hold the sky
        over = near.copy()
        for x, y, col in lights:
            ln = (y - hz) * 0.9 + g.fh * 0.02
            xr = x + (cx - x) * 0.18
            cv2.line(over, (int(xr), int(y + ln * 0.1)), (int(xr), int(min(g.lh, y + ln))), rgba(col),
                     max(2, int((y - hz) * 0.05)), cv2.LINE_AA)  # fmt: skip
        over = cv2.GaussianBlur(over, (0, 0), 3)
        cv2.addWeighted(over, 0.6, near, 0.4, 0, dst=near)
        for _ in range(7):
            t = rng.uniform(0.15, 0.9)
            y, x = hz + t * depth, cx + rng.uniform(-0.3, 0.3) * g.fw * t * 1.6
            cv2.ellipse(near, (int(x), int(y)), (int(g.fw * 0.06 * t + 4), int(g.fh * 0.01 * t + 2)), 0, 0, 360,
                        rgba(tint((150, 160, 180))), -1, cv2.LINE_AA)  # fmt: skip
        trace.append("set:street:wet")
    if market and _glow(spec):  # strings of lights across the street
        for k in range(4):
            t = 0.12 * 1.7**k
            y, half = hz - t * depth * 1.4, 0.62 * g.fw * t * 1.6
            xs = np.linspace(cx - half, cx + half, 16)
            ys = y + np.sin(np.linspace(0, math.pi, 16)) * t * depth * 0.2
            pen.path(list(zip(xs, ys, strict=True)), 1, (40, 40, 40))
            for x, yy in zip(xs[1::2], ys[1::2], strict=True):
                pen.ellipse(x, yy + 3, max(2, t * 8), max(2, t * 8), LANTERN)


def _quad_point(q: list[tuple[float, float]], u: float, v: float) -> tuple[float, float]:
    """Point (u along, v up) in a facade quad [bottom-far, bottom-near, top-near, top-far]."""
    bx, by = q[0][0] + (q[1][0] - q[0][0]) * u, q[0][1] + (q[1][1] - q[0][1]) * u
    tx, ty = q[3][0] + (q[2][0] - q[3][0]) * u, q[3][1] + (q[2][1] - q[3][1]) * u
    return bx + (tx - bx) * v, by + (ty - by) * v


def _house(pen: Pen, rng: np.random.Generator, x0: float, y0: float, x1: float, y1: float, t0: float, t1: float,
           depth: float, old: bool, spec: SceneSpec, lights: list) -> None:  # fmt: skip
    tall = depth * (1.5 if old else 2.8) * rng.uniform(0.85, 1.15)
    q = [(x0, y0), (x1, y1), (x1, y1 - tall * t1), (x0, y0 - tall * t0)]
    col = ((120, 84, 56), (96, 70, 50), (140, 100, 66)) if old else ((200, 196, 186), (150, 160, 172), (190, 150, 120))
    pen.poly(q, col[int(rng.integers(3))])
    glow = _glow(spec)
    win = LANTERN if glow else (150, 180, 200)
    if old:
        if glow:  # paper screens lit from inside
            Pen(pen.frame).poly([_quad_point(q, 0.1, 0.05), _quad_point(q, 0.9, 0.05), _quad_point(q, 0.9, 0.7),
                                 _quad_point(q, 0.1, 0.7)], (236, 186, 110))  # fmt: skip
            lights.append((_quad_point(q, 0.5, 0.3)[0], y1 - (y1 - y0) * 0.5, (236, 186, 110)))
        for u in np.linspace(0.1, 0.9, 7):  # lattice
            pen.line(*_quad_point(q, u, 0.05), *_quad_point(q, u, 0.75), max(1, t1 * 3), (60, 44, 34))
        pen.poly([_quad_point(q, 0, 0.8), _quad_point(q, 1, 0.8), _quad_point(q, 1, 1.08), _quad_point(q, 0, 1.08)],
                 ROOF)  # fmt: skip
        lx, ly = _quad_point(q, 0.5, 0.68)
        r = max(2.0, t1 * 0.02 * depth)
        (Pen(pen.frame) if glow else pen).ellipse(lx, ly, r, r * 1.3, LANTERN if glow else (210, 70, 50))
        lights.append((lx, y1 - (y1 - y0) * 0.5, LANTERN))
        pen.poly([_quad_point(q, 0.3, 0.55), _quad_point(q, 0.7, 0.55), _quad_point(q, 0.7, 0.3),
                  _quad_point(q, 0.3, 0.3)], (40, 60, 110))  # noren over the door  # fmt: skip
    else:
        for v in (0.3, 0.55, 0.8):
            for u in (0.2, 0.5, 0.8):
                a, b = _quad_point(q, u - 0.1, v), _quad_point(q, u + 0.1, v + 0.14)
                (Pen(pen.frame) if glow else pen).poly([a, (b[0], a[1]), b, (a[0], b[1])], win)
        sx, sy = _quad_point(q, 0.5, 0.12)
        lights.append((sx, y1 - (y1 - y0) * 0.5, win))


def _stall(pen: Pen, rng: np.random.Generator, x0: float, y0: float, x1: float, y1: float, t0: float, t1: float,
           depth: float, spec: SceneSpec, lights: list) -> None:  # fmt: skip
    tall = depth * 1.5
    stripe, plain = AWNINGS[int(rng.integers(len(AWNINGS)))]
    table = [(x0, y0), (x1, y1), (x1, y1 - tall * t1 * 0.35), (x0, y0 - tall * t0 * 0.35)]
    pen.poly(table, (150, 110, 70))
    for _ in range(6):  # goods piled on the table
        u, col = (
            rng.uniform(0.1, 0.9),
            ((230, 70, 50), (240, 170, 40), (110, 170, 60), (240, 220, 120))[int(rng.integers(4))],
        )
        gx, gy = _quad_point(table, u, 1.0)
        r = max(1.5, t1 * depth * 0.035)
        pen.ellipse(gx, gy - r * 0.5, r, r * 0.8, col)
    for u in (0.05, 0.95):  # poles
        pen.line(*_quad_point(table, u, 0.0), *_quad_point(table, u, 2.4), max(1, t1 * 3), (70, 60, 50))
    for k in range(6):  # the awning, striped
        a, b = k / 6, (k + 1) / 6
        q = [_quad_point(table, a, 2.3), _quad_point(table, b, 2.3), _quad_point(table, b, 2.9),
             _quad_point(table, a, 2.9)]  # fmt: skip
        pen.poly(q, stripe if k % 2 == 0 else plain)
    if _glow(spec):
        bx, by = _quad_point(table, 0.5, 2.2)
        pen.ellipse(bx, by, max(2, t1 * 6), max(2, t1 * 6), LANTERN)
        lights.append((bx, y1 - (y1 - y0) * 0.5, LANTERN))


def paint_rooftops(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                   trace: list[str]) -> None:  # fmt: skip
    """Rows of roofs and chimneys to the horizon, and the tiled slope of the roof we stand on."""
    lit, hz = _lit(spec), g.hz
    old = "old" in spec.props
    tile = (70, 72, 80) if old else (170, 86, 60)
    for row, (k, size) in enumerate(((0.5, 0.035), (0.75, 0.06), (1.0, 0.09))):
        x = float(rng.uniform(-30, 0))
        base = hz + row * g.fh * 0.05
        while x < g.lw:
            w, h = g.fw * size * rng.uniform(1.2, 2.2), g.fh * size * rng.uniform(0.8, 1.3)
            wall = shade(mix((200, 184, 160), (150, 140, 130), rng.random()), lit * k)
            cv2.rectangle(near, (int(x), int(base - h)), (int(x + w), int(base + g.fh * 0.1)), rgba(wall), -1)
            roof = np.array(
                [[x - w * 0.08, base - h], [x + w / 2, base - h - h * 0.7], [x + w * 1.08, base - h]], np.int32
            )
            cv2.fillPoly(near, [roof], rgba(shade(tile, lit * k * rng.uniform(0.8, 1.1))), cv2.LINE_AA)
            if rng.random() < 0.5:
                cx = int(x + w * 0.7)
                cv2.rectangle(near, (cx, int(base - h * 1.6)), (cx + max(3, int(w * 0.1)), int(base - h)),
                              rgba(shade((120, 80, 60), lit * k)), -1)  # fmt: skip
            x += w * rng.uniform(1.0, 1.3)
    s = g.fh - g.hf
    slope = np.array([[0, g.lh], [0, hz + 0.55 * s], [g.lw / 2 + 0.1 * g.fw, hz + 0.25 * s], [g.lw, hz + 0.45 * s],
                      [g.lw, g.lh]], np.int32)  # fmt: skip
    cv2.fillPoly(near, [slope], rgba(shade(tile, lit * 0.9)), cv2.LINE_AA)
    for k in range(1, 10):
        y = int(hz + 0.3 * s + k * 0.08 * s)
        cv2.line(near, (0, y + int(0.2 * s)), (g.lw, y), rgba(shade(tile, lit * 0.65)), 2, cv2.LINE_AA)
    trace.append("set:rooftop")


def draw_umbrella(pen: Pen, x: float, head_y: float, size: float, colour: RGB) -> None:
    """An open umbrella held over a person whose head top is at head_y, `size` tall."""
    r, top = size * 0.34, head_y - size * 0.1
    pts = [(x + r * math.cos(a), top - r * 0.55 * math.sin(a)) for a in np.linspace(0, math.pi, 13)]
    scallop = [(x - r + (2 * r) * k / 6, top + r * 0.06 * (k % 2)) for k in range(7)]
    pen.poly(pts + scallop, colour)
    pen.line(x, top - r * 0.55, x, head_y + size * 0.32, max(1, size * 0.015), (40, 40, 40))


def paint_bamboo(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                 trace: list[str]) -> None:  # fmt: skip
    """A bamboo grove: a path between walls of tall jointed stalks, paler and thinner the farther they stand."""
    lit, hz, s = _lit(spec), g.hz, g.fh - g.hf
    pen = Pen(near, lambda c: shade(c, lit))
    cx = g.lw / 2
    path = np.array([[cx - 0.03 * g.fw, hz], [cx + 0.03 * g.fw, hz], [cx + 0.3 * g.fw, g.lh], [cx - 0.3 * g.fw, g.lh]],
                    np.int32)  # fmt: skip
    cv2.fillPoly(near, [path], rgba(shade((176, 160, 120), lit)), cv2.LINE_AA)
    for k in range(70):  # far to near
        f = (k + rng.random()) / 70
        side = -1 if rng.random() < 0.5 else 1
        base = hz + f**1.5 * s * 1.1
        x = cx + side * (0.05 + 0.9 * rng.random()) * g.lw * 0.5 * (0.3 + f)
        wdt = 1.5 + f * g.fw * 0.02
        col = mix((150, 190, 130), (70, 130, 50), f)
        pen.rect(x - wdt, 0, x + wdt, base, col)
        for j in range(int(base // (g.fh * 0.12)) + 1):  # joints
            y = base - j * g.fh * (0.1 + 0.04 * f)
            pen.rect(x - wdt * 1.15, y - 1.5, x + wdt * 1.15, y + 1.5, shade(col, 0.7))
        if rng.random() < 0.5:  # a sprig of leaves
            y = rng.uniform(0.1, 0.5) * hz
            for a in (-30, 10, 40):
                r = math.radians(a)
                pen.line(x, y, x + side * math.cos(r) * wdt * 8, y + math.sin(r) * wdt * 4, max(1, wdt * 0.8), col)
    trace.append("set:bamboo")


def paint_lanterns(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                   trace: list[str]) -> None:  # fmt: skip
    """Strings of paper lanterns across the view (along a river, over a path), glowing after dark."""
    glow = _glow(spec)
    pen = Pen(near) if glow else Pen(near, lambda c: shade(c, _lit(spec)))
    for k, (row, sag) in enumerate(((0.3, 0.06), (0.18, 0.09))):
        y0 = g.hz - row * g.fh
        xs = np.linspace(g.lw / 2 - 0.8 * g.fw, g.lw / 2 + 0.8 * g.fw, 24)
        ys = y0 + np.sin(np.linspace(0, math.pi, 24) * 3 % math.pi) * sag * g.fh
        pen.path(list(zip(xs, ys, strict=True)), 1, (40, 34, 30))
        r = g.fh * (0.018 + 0.012 * k)
        for x, y in zip(xs[1::2], ys[1::2], strict=True):
            pen.ellipse(x, y + r * 1.4, r, r * 1.3, LANTERN if glow else (214, 72, 50))
    trace.append("set:lanterns")
