"""Lessons: a classroom (a blackboard with a chalk diagram, rows of desks) and a plant in sunlight drawn as a
science picture (a plant whose roots reach into a cut-away of the soil, rays from the sun to its leaves, and the
arrows of what it takes in and gives out: water up from the roots, CO2 into the leaf, O2 out). A close-up is one
big veined leaf with the light falling on it. Coordinates are layer pixels (see animatic_paint.Geometry).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from models.video.animatic_paint import LIGHT, Geometry, gradient, light_source, mix, rgba, shade
from models.video.animatic_pen import RGB, Pen
from models.video.animatic_words import SceneSpec

LEAF, VEIN, SOIL, CHALK = (70, 150, 60), (150, 200, 110), (112, 78, 50), (236, 236, 226)
RAY = (255, 230, 120)
WATER, CO2, O2 = (70, 140, 230), (120, 120, 130), (120, 200, 240)


def _label(img: np.ndarray, text: str, x: float, y: float, size: float, col: RGB) -> None:
    scale = max(0.4, size / 30)
    cv2.putText(img, text, (int(x), int(y)), cv2.FONT_HERSHEY_SIMPLEX, scale, rgba(col), max(1, int(scale * 2)),
                cv2.LINE_AA)  # fmt: skip


def _arrow(pen: Pen, x0: float, y0: float, x1: float, y1: float, width: float, col: RGB) -> None:
    pen.line(x0, y0, x1, y1, width, col)
    a = math.atan2(y1 - y0, x1 - x0)
    head = width * 3.5
    pen.poly([(x1 + math.cos(a) * head * 0.6, y1 + math.sin(a) * head * 0.6),
              (x1 + math.cos(a + 2.4) * head, y1 + math.sin(a + 2.4) * head),
              (x1 + math.cos(a - 2.4) * head, y1 + math.sin(a - 2.4) * head)], col)  # fmt: skip


def _leaf(pen: Pen, x: float, y: float, length: float, angle: float, col: RGB) -> None:
    """A pointed leaf from its stalk at (x, y), `length` long, pointing at `angle` degrees (0: right)."""
    a = math.radians(angle)
    ux, uy, nx, ny = math.cos(a), math.sin(a), -math.sin(a), math.cos(a)
    pts = []
    for k in range(13):
        t = k / 12
        wdt = math.sin(math.pi * t) ** 0.8 * length * 0.28
        pts.append((x + ux * length * t + nx * wdt, y + uy * length * t + ny * wdt))
    for k in range(12, -1, -1):
        t = k / 12
        wdt = math.sin(math.pi * t) ** 0.8 * length * 0.28
        pts.append((x + ux * length * t - nx * wdt, y + uy * length * t - ny * wdt))
    pen.poly(pts, col)
    pen.line(x, y, x + ux * length * 0.95, y + uy * length * 0.95, max(1, length * 0.02), VEIN)
    for k in range(1, 6):  # side veins
        t = k / 6.5
        bx, by = x + ux * length * t, y + uy * length * t
        for sgn in (-1, 1):
            w = math.sin(math.pi * t) ** 0.8 * length * 0.22
            pen.line(
                bx, by, bx + ux * w * 0.6 + sgn * nx * w, by + uy * w * 0.6 + sgn * ny * w, max(1, length * 0.01), VEIN
            )


def paint_plant(spec: SceneSpec, rng: np.random.Generator, g: Geometry, sky: np.ndarray, far: np.ndarray,
                near: np.ndarray, trace: list[str]) -> None:  # fmt: skip
    lit, hz = max(LIGHT[spec.time], 0.5), g.hz
    pen = Pen(near, lambda c: shade(c, lit))
    if "recap" in spec.props:  # the recap shows every step at once
        spec = spec.model_copy(update={"props": (*spec.props, "water", "co2", "o2")})
    sun = light_source(spec, g.lw, hz, int(g.hf))
    sx, sy = (sun[0], sun[1]) if sun else (g.lw / 2 - 0.35 * g.fw, hz - 0.45 * g.fh)
    cx = g.lw / 2 + 0.05 * g.fw
    if spec.shot in ("close_up", "extreme_close_up"):
        far[:] = 0
        near[:] = 0
        length = g.fw * (0.9 if spec.shot == "close_up" else 1.3)
        _leaf(pen, cx - length * 0.5, hz - 0.05 * g.fh, length, -8, LEAF)
        trace.append("set:plant:leaf")
        top = hz - 0.2 * g.fh
    else:
        near[hz:] = gradient(g.lh - hz, g.lw, shade(SOIL, lit * 1.1), shade(SOIL, lit * 0.7))
        cv2.rectangle(near, (0, hz - 3), (g.lw, hz + 4), rgba(shade((90, 150, 60), lit)), -1)
        for _ in range(40):  # pebbles in the cut-away soil
            x, y = rng.uniform(0, g.lw), rng.uniform(hz + 10, g.lh)
            pen.ellipse(x, y, 3, 2, shade(SOIL, 1.3))
        tall = {"extreme_wide": 0.25, "wide": 0.4, "medium": 0.55}.get(spec.shot or "medium", 0.55) * g.fh
        for k in range(7):  # roots
            a = math.radians(60 + k * 10 + rng.uniform(-5, 5))
            pts = [(cx, hz)]
            for _ in range(1, 6):
                pts.append(
                    (
                        pts[-1][0] + math.cos(a) * tall * 0.09 + rng.uniform(-3, 3),
                        pts[-1][1] + math.sin(a) * tall * 0.09,
                    )
                )
            pen.path(pts, max(1, tall * 0.012), (236, 220, 190))
        pen.line(cx, hz, cx, hz - tall, max(2, tall * 0.03), (80, 140, 50))
        for k in range(5):
            y = hz - tall * (0.25 + 0.16 * k)
            ln = tall * (0.42 - 0.05 * k)
            _leaf(pen, cx, y, ln, -150 + k * 6, LEAF)
            _leaf(pen, cx, y - tall * 0.06, ln, -30 - k * 6, shade(LEAF, 1.1))
        trace.append("set:plant:plant")
        top = hz - tall * 0.7
        if "water" in spec.props:  # water rising from the roots
            for k in range(4):
                pen.ellipse(cx - tall * 0.25 + k * tall * 0.15, hz + tall * 0.3, tall * 0.03, tall * 0.045, WATER)
            _arrow(
                pen, cx + tall * 0.06, hz + tall * 0.25, cx + tall * 0.06, hz - tall * 0.4, max(2, tall * 0.02), WATER
            )
            _label(near, "H2O", cx - tall * 0.62, hz + tall * 0.34, tall * 0.1, WATER)
            trace.append("set:plant:water")
    if "co2" in spec.props:
        x0 = cx + 0.35 * g.fw
        _arrow(pen, x0, top, cx + 0.12 * g.fw, top + 0.05 * g.fh, max(2, g.fh * 0.01), CO2)
        _label(near, "CO2", x0 - 0.02 * g.fw, top - 0.03 * g.fh, g.fh * 0.06, shade(CO2, 0.7))
        trace.append("set:plant:co2")
    if "o2" in spec.props:
        x0 = cx - 0.12 * g.fw
        _arrow(pen, x0, top + 0.1 * g.fh, x0 - 0.22 * g.fw, top + 0.05 * g.fh, max(2, g.fh * 0.01), O2)
        for k in range(5):
            pen.ellipse(x0 - 0.05 * g.fw * k, top + 0.15 * g.fh - 0.01 * g.fh * k, 5 + k, 5 + k, O2)
        _label(near, "O2", x0 - 0.3 * g.fw, top + 0.08 * g.fh, g.fh * 0.06, shade(O2, 0.7))
        trace.append("set:plant:o2")
    if spec.time in ("day", "dawn") or "sun" in spec.props:  # rays from the sun to the leaves
        over = near.copy()
        for k in range(5):
            tx, ty = cx + (k - 2) * 0.06 * g.fw, top + (k % 2) * 0.04 * g.fh
            ray = np.array([[sx - 6, sy], [sx + 6, sy], [tx + 4, ty], [tx - 4, ty]], np.int32)
            cv2.fillPoly(over, [ray], rgba(RAY), cv2.LINE_AA)
        cv2.addWeighted(over, 0.45, near, 0.55, 0, dst=near)
        trace.append("set:plant:rays")


def paint_classroom(
    spec: SceneSpec, rng: np.random.Generator, g: Geometry, trace: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(opaque wall with the blackboard, near layer with the floor and desks)."""
    w, h, hz = g.lw, g.lh, g.hz
    lit = {"dawn": 0.9, "day": 1.0, "dusk": 0.82, "night": 0.65}[spec.time]
    wall = shade(mix((226, 218, 196), (200, 220, 214), rng.random()), lit)
    back = gradient(h, w, shade(wall, 0.88), wall)
    close = spec.shot in ("close_up", "extreme_close_up")
    bw, bh = (g.fw * 1.1, g.fh * 0.95) if close else (g.fw * 0.62, g.fh * 0.34)
    bx, by = w / 2 - bw / 2, (g.hz - g.hf + g.fh * 0.06) if close else hz - g.fh * 0.5
    cv2.rectangle(
        back, (int(bx - 8), int(by - 8)), (int(bx + bw + 8), int(by + bh + 8)), rgba(shade((140, 100, 60), lit)), -1
    )
    cv2.rectangle(back, (int(bx), int(by)), (int(bx + bw), int(by + bh)), rgba(shade((44, 84, 62), lit)), -1)
    chalk = Pen(back, lambda c: shade(c, lit))
    if "plant" in spec.props:  # a chalk plant under a chalk sun
        px, py = bx + bw * 0.5, by + bh * 0.85
        chalk.line(px, py, px, py - bh * 0.5, 2, CHALK)
        for k in range(3):
            chalk.arc(px - bh * 0.08, py - bh * (0.2 + 0.12 * k), bh * 0.08, bh * 0.04, 0, 360, 2, CHALK)
            chalk.arc(px + bh * 0.08, py - bh * (0.26 + 0.12 * k), bh * 0.08, bh * 0.04, 0, 360, 2, CHALK)
        chalk.arc(bx + bw * 0.15, by + bh * 0.2, bh * 0.08, bh * 0.08, 0, 360, 2, (250, 230, 120))
        _label(back, "CO2 + H2O -> O2", bx + bw * 0.58, by + bh * 0.25, bh * 0.12, CHALK)
    else:  # lines of chalk writing and a sum
        for k in range(4):
            y = by + bh * (0.2 + 0.18 * k)
            chalk.line(bx + bw * 0.08, y, bx + bw * rng.uniform(0.45, 0.85), y, 2, CHALK)
        _label(back, "a + b = c", bx + bw * 0.55, by + bh * 0.85, bh * 0.12, CHALK)
    trace.append("set:classroom:blackboard")
    near = np.zeros((h, w, 4), np.uint8)
    near[hz:] = gradient(h - hz, w, shade((170, 140, 100), lit * 0.9), shade((150, 120, 86), lit))
    if not close:
        pen = Pen(near, lambda c: shade(c, lit))
        for row in range(3):
            y = hz + (0.3 + 0.3 * row) * (g.fh - g.hf)
            dw = g.fw * (0.16 + 0.05 * row)
            for k in range(-2, 3):
                x = w / 2 + k * dw * 1.3
                pen.rect(x - dw / 2, y - dw * 0.28, x + dw / 2, y - dw * 0.2, (150, 104, 64))
                pen.rect(x - dw / 2, y - dw * 0.2, x + dw / 2, y, (120, 84, 52))
        trace.append("set:classroom:desks")
    return back, near
