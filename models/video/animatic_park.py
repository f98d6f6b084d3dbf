"""A park (or a garden), painted once per shot over the landscape's layers, so it reads as a park and not as a
pine forest: a mown lawn in stripes, a gravel path winding away to the horizon, benches and lamp posts along it
(lit after dusk), broadleaf trees framing the view and a line of round crowns on the far side, flowerbeds, and
sometimes a pond. Seen from above (an aerial shot) it is lawns crossed by paths, a pond and tree crowns, not a
field of big green ellipses. The season dresses it: blossom and flowers in the grass in spring, gold in autumn,
bare boughs over snow in winter.

Coordinates are layer pixels (see animatic_paint.Geometry). Things on the ground are drawn to the ground's
perspective: a thing standing at layer row y is `adult_at(y)` tall per adult height.
"""

from __future__ import annotations

import math

import numpy as np

from models.video.animatic_paint import LIGHT, Geometry, autumn_leaf, mix, rgba, shade
from models.video.animatic_pen import Pen
from models.video.animatic_spring import blossom
from models.video.animatic_winter import SNOW, bare_tree, snowy_crown, wintry
from models.video.animatic_words import SceneSpec

GRAVEL, BENCH, IRON, LAMP = (196, 180, 150), (138, 92, 56), (44, 48, 54), (255, 226, 150)
LEAF, BARK, WATER, SOIL = (66, 128, 58), (92, 66, 46), (70, 124, 170), (104, 74, 54)
FLOWERS = ((226, 60, 70), (246, 206, 60), (236, 130, 180), (150, 90, 190), (250, 250, 246))


def adult_at(g: Geometry, y: float) -> float:
    """How tall a standing adult is at layer row y (the cast's own sizes follow the same ground)."""
    return max(2.0, 1.5 * (y - g.hz))


def path_at(g: Geometry, y: float, phase: float) -> tuple[float, float]:
    """(centre column, half width) of the winding path at layer row y."""
    f = max(0.0, (y - g.hz) / (g.lh - g.hz))
    centre = g.lw / 2 + 0.22 * g.fw * math.sin(phase + f * 4.2) * (0.25 + f)
    return centre, 0.004 * g.fw + 0.11 * g.fw * f**1.1


def _tree(pen: Pen, g: Geometry, x: float, y: float, tall: float, spec: SceneSpec, rng: np.random.Generator,
          lit: float) -> None:  # fmt: skip
    """A broadleaf tree on (x, y), `tall` high: a trunk under a crown of round lumps, as the season has it."""
    if wintry(spec):
        bare_tree(pen.frame, x, y, tall, rgba(shade(BARK, lit)))
        return
    pen.line(x, y, x, y - tall * 0.45, max(2.0, tall * 0.06), BARK)
    green = mix(LEAF, (96, 150, 70), rng.random())
    if spec.season == "autumn":
        green = autumn_leaf(rng, 1.0)
    for ox, oy, r in ((0, 0.0, 0.24), (-0.17, 0.07, 0.18), (0.17, 0.07, 0.18), (0.0, -0.13, 0.18)):
        pen.ellipse(
            x + ox * tall, y - tall * (0.66 + oy), r * tall, r * tall * 0.9, shade(green, 1.08 if oy < 0 else 1)
        )
    if spec.season == "spring" and rng.random() < 0.6:  # some trees in blossom
        blossom(pen.frame, x, y - tall * 0.68, tall * 0.3, lit, pink=rng.random() < 0.6)


def _bench(pen: Pen, x: float, y: float, a: float) -> None:
    """A park bench facing the viewer, `a` the adult height at its row: slats on iron legs, a slatted back."""
    w = a * 0.55
    for k in (-1, 1):
        pen.line(x + k * w * 0.42, y, x + k * w * 0.42, y - a * 0.42, max(1.0, a * 0.03), IRON)
    pen.rect(x - w / 2, y - a * 0.26, x + w / 2, y - a * 0.21, BENCH)
    for k in range(2):
        top = y - a * (0.34 + 0.07 * k)
        pen.rect(x - w / 2, top - a * 0.04, x + w / 2, top, shade(BENCH, 0.9 + 0.1 * k))


def _lamp(pen: Pen, glow: Pen, x: float, y: float, a: float, evening: bool) -> None:
    """A black lamp post with a lantern head, lit (with a halo) at dusk and at night."""
    pen.line(x, y, x, y - a * 1.45, max(1.0, a * 0.035), IRON)
    r = a * 0.07
    if evening:
        glow.ellipse(x, y - a * 1.5, r * 3, r * 3, mix(LAMP, (60, 60, 80), 0.6))
    (glow if evening else pen).ellipse(x, y - a * 1.5, r, r * 1.2, LAMP if evening else (226, 226, 214))
    pen.rect(x - r * 1.2, y - a * 1.5 - r * 1.5, x + r * 1.2, y - a * 1.5 - r * 1.1, IRON)


def _flowerbed(pen: Pen, rng: np.random.Generator, x: float, y: float, a: float, spec: SceneSpec) -> None:
    """An oval bed of dark soil planted with flowers (under snow in winter)."""
    rx, ry = a * 0.9, a * 0.16
    if wintry(spec):
        pen.ellipse(x, y, rx, ry, SNOW)
        return
    pen.ellipse(x, y, rx, ry, SOIL)
    for _ in range(int(26 + rx // 3)):
        t, d = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random()) * 0.85
        fx, fy = x + math.cos(t) * d * rx, y + math.sin(t) * d * ry - ry * 0.2
        pen.ellipse(fx, fy, a * 0.025 + 0.5, a * 0.022 + 0.5, FLOWERS[int(rng.integers(len(FLOWERS)))])


def paint_park(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
               trace: list[str], top_down: bool = False) -> None:  # fmt: skip
    lit = max(LIGHT[spec.time], 0.35)
    tint = lambda c: shade(c, lit)  # noqa: E731
    if top_down:
        _from_above(spec, rng, g, near, trace, tint, lit)
        return
    hz, s, evening = g.hz, g.fh - g.hf, spec.time in ("dusk", "night")
    pen, glow = Pen(near, tint), Pen(near)
    if not wintry(spec):  # mown stripes across the lawn, wider toward the viewer
        rows = np.arange(hz, g.lh, dtype=np.float32)
        band = (np.floor(2.2 * s / (rows - hz + 0.02 * g.fh)) % 2).astype(bool)
        lawn = near[hz:][band]
        near[hz:][band] = np.minimum(255, lawn.astype(np.float32) * (1.1, 1.12, 1.06, 1)).astype(np.uint8)
        trace.append("set:park:lawn")
    phase = rng.uniform(0, 2 * math.pi)
    ys = np.arange(hz, g.lh + 1, 2, dtype=np.float32)
    left = [(path_at(g, y, phase)[0] - path_at(g, y, phase)[1], y) for y in ys]
    right = [(path_at(g, y, phase)[0] + path_at(g, y, phase)[1], y) for y in ys]
    gravel = mix(GRAVEL, SNOW, 0.7) if wintry(spec) else GRAVEL
    pen.poly(left + right[::-1], gravel)
    pen.path(left, 2, shade(gravel, 0.8))
    pen.path(right, 2, shade(gravel, 0.8))
    trace.append("set:park:path")
    far_pen = Pen(far, tint)  # the far side: a line of round crowns (bare in winter), not a ridge of pines
    x = -rng.uniform(0, 0.03) * g.fw
    while x < g.lw:
        r = rng.uniform(0.025, 0.05) * g.fw
        if wintry(spec):
            bare_tree(far, x, hz + 1, r * 2.2, rgba(shade((96, 86, 80), lit)))
        else:
            col = autumn_leaf(rng, 1.0) if spec.season == "autumn" else mix((52, 104, 56), (84, 132, 66), rng.random())
            far_pen.ellipse(x, hz - r * 0.6, r, r * 0.8, mix(col, (170, 200, 220), 0.25))
        x += r * 1.5
    trace.append("set:park:treeline")
    if rng.random() < 0.5:  # a pond on one side, in the middle distance
        py, side = hz + 0.14 * s, -1 if rng.random() < 0.5 else 1
        px = g.lw / 2 + side * 0.3 * g.fw
        pen.ellipse(px, py, 0.2 * g.fw + 3, 0.035 * g.fh + 3, (150, 144, 132))
        pen.ellipse(px, py, 0.2 * g.fw, 0.035 * g.fh, mix(WATER, SNOW, 0.6) if wintry(spec) else WATER)
        trace.append("set:park:pond")
    for k, f in enumerate((0.3, 0.62)):  # flowerbeds at the sides
        y = hz + f * s
        side = 1 if (k + int(phase * 10)) % 2 else -1
        _flowerbed(pen, rng, g.lw / 2 + side * (0.32 + 0.05 * k) * g.fw, y, adult_at(g, y), spec)
    trace.append("set:park:flowerbeds")
    things = []  # (row, kind, side) along the path: benches and lamp posts, far to near
    for k, f in enumerate((0.06, 0.16, 0.3, 0.5)):
        things.append((hz + f * s, "lamp" if k % 2 == 0 else "bench", 1 if k % 2 else -1))
    mid_trees = [(hz + rng.uniform(0.02, 0.25) * s, "tree", -1 if rng.random() < 0.5 else 1) for _ in range(5)]
    for y, kind, side in sorted(things + mid_trees):
        c, half = path_at(g, y, phase)
        a = adult_at(g, y)
        if kind == "tree":
            tx = c + side * (half + rng.uniform(0.15, 0.6) * g.fw)
            _tree(pen, g, tx, y, a * rng.uniform(2.4, 3.4), spec, rng, lit)
        elif kind == "bench":
            _bench(pen, c + side * (half + a * 0.5), y, a)
        else:
            _lamp(pen, glow, c + side * (half + a * 0.15), y, a, evening)
    trace += ["set:park:benches", "set:park:lamps", "set:park:trees"]
    for side in (-1, 1):  # big trees at both edges, rising out of the frame: framing, not a wood
        for k in range(2):
            y = hz + (0.5 + 0.3 * k + rng.uniform(0, 0.1)) * s
            x = g.lw / 2 + side * (0.42 + 0.08 * k + rng.uniform(-0.02, 0.02)) * g.fw
            _tree(pen, g, x, y, g.fh * (0.9 + 0.2 * k), spec, rng, lit)


def _from_above(spec: SceneSpec, rng: np.random.Generator, g: Geometry, near: np.ndarray, trace: list[str],
                tint, lit: float) -> None:  # fmt: skip
    """The park from the air: lawns in two greens, pale paths curving across them, a pond, round flowerbeds and
    tree crowns with their shadows, clustered along the paths rather than covering everything."""
    hz, depth, pen = g.hz, g.lh - g.hz, Pen(near, tint)
    snow = wintry(spec)
    for _ in range(10):  # mown lawns: big soft patches in a second green
        x, y = rng.uniform(0, g.lw), hz + rng.uniform(0.05, 1) * depth
        col = SNOW if snow else mix((96, 150, 70), (120, 170, 84), rng.random())
        pen.ellipse(x, y, rng.uniform(0.12, 0.25) * g.fw, rng.uniform(0.05, 0.1) * depth, col)
    trace.append("set:park:lawn")
    paths = []
    for _ in range(3):  # paths crossing the park, gently curving
        y0, y1 = hz + rng.uniform(0, 1) * depth, hz + rng.uniform(0, 1) * depth
        bend = rng.uniform(-0.15, 0.15) * depth
        pts = [(t * g.lw, y0 + (y1 - y0) * t + bend * math.sin(math.pi * t)) for t in np.linspace(0, 1, 40)]
        paths.append(pts)
        pen.path(pts, max(3.0, 0.016 * g.fh), shade(GRAVEL, 0.85))
        pen.path(pts, max(2.0, 0.011 * g.fh), mix(GRAVEL, SNOW, 0.7) if snow else GRAVEL)
    trace.append("set:park:paths")
    px, py = g.lw / 2 + rng.uniform(-0.3, 0.3) * g.fw, hz + rng.uniform(0.3, 0.6) * depth
    pen.ellipse(px, py, 0.14 * g.fw, 0.07 * depth, mix(WATER, SNOW, 0.6) if snow else WATER)
    trace.append("set:park:pond")
    for _ in range(4):  # round flowerbeds by the paths
        bx, by = paths[int(rng.integers(3))][int(rng.integers(5, 35))]
        pen.ellipse(bx, by + 0.04 * depth, 0.02 * g.fw, 0.012 * depth, SNOW if snow else SOIL)
        if not snow:
            for k in range(6):
                a = k * math.pi / 3
                pen.ellipse(bx + math.cos(a) * 0.012 * g.fw, by + 0.04 * depth + math.sin(a) * 0.007 * depth,
                            2, 2, FLOWERS[k % len(FLOWERS)])  # fmt: skip
    trace.append("set:park:flowerbeds")
    for _ in range(int(g.lw // 22)):  # crowns along the paths, with gaps of lawn between them
        bx, by = paths[int(rng.integers(3))][int(rng.integers(0, 40))]
        x, y = int(bx + rng.normal(0, 0.06) * g.fw), int(by + rng.choice((-1, 1)) * rng.uniform(0.03, 0.08) * depth)
        r = int(rng.uniform(0.018, 0.03) * g.fh) + 1
        if y <= hz or abs(x - px) < 0.15 * g.fw and abs(y - py) < 0.08 * depth:
            continue
        if snow:
            snowy_crown(near, x, y, r, lit)
            continue
        green = autumn_leaf(rng, 1.0) if spec.season == "autumn" else mix((40, 100, 46), (78, 136, 60), rng.random())
        pen.ellipse(x + r / 3, y + r / 3, r, r, shade(green, 0.55))
        pen.ellipse(x, y, r, r, green)
        if spec.season == "spring" and rng.random() < 0.5:
            blossom(near, x, y, r, lit, pink=rng.random() < 0.6)
    trace.append("set:park:trees")
