"""A bus stop by a road, painted once per shot over the landscape's layers: the road running across the picture
(asphalt, a dashed centre line, wet and mirroring the sky in the rain), the kerb, the pavement the people stand
on, a glass shelter with its roof, bench and timetable panel at the back of the pavement, and the stop's sign on
its pole. Coordinates are layer pixels (see animatic_paint.Geometry); the kerb is `kerb_row`, which
animatic_places.standing keeps the cast in front of, and the shelter stands behind the cast's row.
"""

from __future__ import annotations

import numpy as np

from models.video.animatic_paint import LIGHT, Geometry, gradient, mix, shade
from models.video.animatic_pen import Pen
from models.video.animatic_winter import SNOW, roof_snow, wintry
from models.video.animatic_words import SceneSpec

ASPHALT, LINE, KERB, PAVING = (74, 76, 82), (232, 228, 210), (196, 194, 188), (176, 170, 160)
FRAME, GLASS, ROOF, BENCH = (58, 66, 74), (172, 196, 210), (46, 52, 60), (120, 84, 56)
HOUSES = ((214, 196, 170), (176, 96, 80), (200, 180, 120), (150, 160, 176))
SIGN_RED, SIGN_BAR, POLE = (206, 40, 40), (30, 60, 140), (120, 124, 130)
# How tall the shelter stands over a standing adult's height in each shot (the sets are not scaled by the camera).
# A close-up's face is near the lens and the stop well behind it: the shelter is drawn smaller there, and further
# to the side, so it does not loom over the face as big as in a medium shot.
ADULT = {"extreme_wide": 0.09, "wide": 0.22, "medium": 0.46, "close_up": 0.3, "extreme_close_up": 0.24}
ASIDE = {"close_up": 0.3, "extreme_close_up": 0.32}  # the shelter's offset from the middle, of the frame's width
# The caption strip's height over the frame's (animatic.AnimaticEngine._overlay: 2.2 × height / 24), and a margin.
STRIP = 2.2 / 24 + 0.03
PUSH_IN = 1.22  # animatic.camera_matrix: the nearest layer's zoom at the end of a push-in


def kerb_row(g: Geometry) -> float:
    """The layer row of the kerb: the road lies beyond it (above in the picture), the pavement before."""
    return g.hz + 0.3 * (g.fh - g.hf)


def paint_bus_stop(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                   trace: list[str]) -> None:  # fmt: skip
    wet = "rain" in spec.elements
    lit = max(LIGHT[spec.time], 0.4) * (0.85 if wet else 1.0)
    tint = lambda c: shade(c, lit)  # noqa: E731
    pen, hz, kerb, s = Pen(near, tint), g.hz, kerb_row(g), g.fh - g.hf
    road = shade(ASPHALT, 0.75) if wet else ASPHALT
    near[hz : int(kerb) + 1] = gradient(int(kerb) + 1 - hz, g.lw, tint(shade(road, 0.9)), tint(road))
    mid, dash = hz + 0.5 * (kerb - hz), 0.07 * g.fw
    x = -rng.uniform(0, 2 * dash)
    while x < g.lw:  # the dashed centre line
        pen.rect(x, mid - 0.006 * s, x + dash, mid + 0.006 * s, LINE)
        x += 2 * dash
    if wet:  # the wet road holds streaks of the sky's light
        sheen = mix(tint(road), (190, 170, 150) if spec.time == "dusk" else (170, 180, 196), 0.35)
        for _ in range(9):
            px, py = rng.uniform(0, g.lw), rng.uniform(hz + 0.1 * (kerb - hz), kerb - 2)
            Pen(near).ellipse(px, py, rng.uniform(0.02, 0.06) * g.fw, 0.004 * g.fh + 1, sheen)
        trace.append("set:busstop:wet")
    trace.append("set:busstop:road")
    _far_side(Pen(far, tint), rng, g, spec)
    trace.append("set:busstop:houses")
    near[int(kerb) :] = gradient(g.lh - int(kerb), g.lw, tint(shade(PAVING, 0.92)), tint(PAVING))
    for k in range(1, 7):  # paving joints, closer together towards the kerb
        y = kerb + (k / 7) ** 1.6 * (g.lh - kerb)
        pen.line(0, y, g.lw, y, 1, shade(PAVING, 0.85))
    pen.rect(0, kerb, g.lw, kerb + 0.03 * s, KERB)
    pen.line(0, kerb + 0.03 * s, g.lw, kerb + 0.03 * s, 2, shade(KERB, 0.6))
    trace.append("set:busstop:kerb")
    adult = ADULT.get(spec.shot, 0.46) * g.fh
    side = -1 if rng.random() < 0.5 else 1
    base = kerb + 0.1 * s  # the back of the pavement, behind where the people stand
    _shelter(pen, g.lw / 2 + side * ASIDE.get(spec.shot, 0.2) * g.fw, base, adult, g, spec)
    trace.append("set:busstop:shelter")
    # the sign's disc stays below the caption strip, also as a push-in zooms the near layer about the horizon
    _sign(pen, g.lw / 2 - side * 0.3 * g.fw, base + 0.02 * s, adult, g.hz - (g.hf - STRIP * g.fh) / PUSH_IN)
    trace.append("set:busstop:sign")


def _far_side(pen: Pen, rng: np.random.Generator, g: Geometry, spec: SceneSpec) -> None:
    """Across the road: a row of low houses behind a hedge, their windows lit in the evening."""
    lit_windows = spec.time in ("dusk", "night")
    glow = Pen(pen.frame) if lit_windows else pen
    x = -rng.uniform(0, 0.05) * g.fw
    while x < g.lw:
        w, h = rng.uniform(0.06, 0.11) * g.fw, rng.uniform(0.05, 0.09) * g.fh
        col = HOUSES[int(rng.integers(len(HOUSES)))]
        pen.rect(x, g.hz - h, x + w, g.hz + 1, col)
        roof = [(x - 2, g.hz - h), (x + w / 2, g.hz - h - w * 0.3), (x + w + 2, g.hz - h)]
        pen.poly(roof, shade(col, 0.6))
        if wintry(spec):
            pen.poly(roof_snow(*roof).tolist(), SNOW)
        for wx in (x + w * 0.2, x + w * 0.6):
            glow.rect(
                wx, g.hz - h * 0.75, wx + w * 0.18, g.hz - h * 0.45, (255, 214, 130) if lit_windows else (120, 140, 160)
            )
        x += w + rng.uniform(0.0, 0.03) * g.fw
    hedge = (60, 96, 58)
    for k in range(int(g.lw / (0.03 * g.fw)) + 1):  # a hedge along the far pavement
        pen.ellipse(k * 0.03 * g.fw, g.hz - 0.01 * g.fh, 0.022 * g.fw, 0.018 * g.fh, shade(hedge, 0.9 + 0.1 * (k % 2)))


def _shelter(pen: Pen, cx: float, base: float, adult: float, g: Geometry, spec: SceneSpec) -> None:
    """A glass shelter seen from the pavement: a back pane between two posts, a flat roof overhanging it, a
    bench along the back and a lit timetable panel at one end."""
    h, w = adult * 1.3, max(adult * 1.6, 0.12 * g.fw)
    x0, x1, top = cx - w / 2, cx + w / 2, base - h
    pen.rect(x0, top + h * 0.08, x1, base - h * 0.04, GLASS)
    for k in range(3):  # light catching the glass
        hx = x0 + w * (0.2 + 0.3 * k)
        pen.line(hx, top + h * 0.15, hx + w * 0.08, top + h * 0.45, max(1.0, w * 0.01), shade(GLASS, 1.15))
    panel = (236, 226, 180) if spec.time in ("dusk", "night") else (220, 224, 228)
    glow = Pen(pen.frame) if spec.time in ("dusk", "night") else pen  # the panel is lit whatever the hour
    glow.rect(x1 - w * 0.2, top + h * 0.18, x1 - w * 0.04, base - h * 0.2, panel)
    pen.rect(x0 + w * 0.06, base - h * 0.36, x1 - w * 0.28, base - h * 0.31, BENCH)  # the bench seat
    for bx in (x0 + w * 0.1, x1 - w * 0.32):
        pen.rect(bx - 2, base - h * 0.31, bx + 2, base - h * 0.04, FRAME)
    post = max(2.0, w * 0.025)
    for px in (x0, x1):
        pen.rect(px - post, top, px + post, base, FRAME)
    pen.rect(x0 - w * 0.06, top - h * 0.06, x1 + w * 0.06, top + h * 0.04, ROOF)  # the roof overhangs
    pen.rect(x0 - post, base - h * 0.04, x1 + post, base, FRAME)


def _sign(pen: Pen, x: float, base: float, adult: float, ceiling: float) -> None:
    """The stop's sign: a pole taller than a person topped by a red ring crossed by a blue bar (no text), its
    disc's top no higher than the layer row `ceiling`."""
    r = adult * 0.16
    top = max(base - adult * 1.45, ceiling + r)
    pen.rect(x - max(1.5, adult * 0.015), top, x + max(1.5, adult * 0.015), base, POLE)
    pen.ellipse(x, top, r, r, SIGN_RED)
    pen.ellipse(x, top, r * 0.62, r * 0.62, (246, 246, 240))
    pen.rect(x - r * 1.05, top - r * 0.2, x + r * 1.05, top + r * 0.2, SIGN_BAR)
