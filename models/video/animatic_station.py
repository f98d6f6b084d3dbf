"""A railway station, painted once per shot over the landscape's layers: the platform the people stand on (paving,
a yellow safety line and the coping at its edge), the track bed beyond and below its edge (ballast, sleepers and
two rails), a train of carriages with their windows standing at the platform, a canopy roof on iron posts
overhead, and a station clock hanging from it. Coordinates are layer pixels (see animatic_paint.Geometry); the
platform's edge is `edge_row`, which animatic_places.standing keeps the cast in front of.
"""

from __future__ import annotations

import numpy as np

from models.video.animatic_paint import LIGHT, Geometry, gradient, shade
from models.video.animatic_pen import Pen
from models.video.animatic_words import SceneSpec

PAVING, COPING, SAFETY = (186, 180, 170), (222, 218, 208), (236, 196, 40)
BALLAST, SLEEPER, RAIL = (120, 110, 100), (84, 62, 46), (170, 172, 178)
CANOPY, IRON = (60, 84, 72), (44, 62, 54)
CARRIAGE, STRIPE, CAB = (176, 40, 44), (236, 232, 222), (60, 64, 74)
WINDOW_DAY, WINDOW_LIT = (150, 184, 206), (255, 214, 130)


def edge_row(g: Geometry) -> float:
    """The layer row of the platform's edge: the track lies beyond it (above in the picture), the platform before."""
    return g.hz + 0.34 * (g.fh - g.hf)


def _rails(g: Geometry) -> tuple[float, float]:
    """Layer rows of the far and near rail of the track beside the platform."""
    s = g.fh - g.hf
    return g.hz + 0.12 * s, g.hz + 0.27 * s


def paint_station(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                  trace: list[str]) -> None:  # fmt: skip
    lit = max(LIGHT[spec.time], 0.4)
    tint = lambda c: shade(c, lit)  # noqa: E731
    pen, hz, edge = Pen(near, tint), g.hz, edge_row(g)
    lit_windows = spec.time in ("dusk", "night")
    # The track bed: ballast from the horizon down to the platform's edge, sleepers across it, two rails.
    near[hz : int(edge) + 1] = gradient(int(edge) + 1 - hz, g.lw, tint(shade(BALLAST, 0.85)), tint(BALLAST))
    r0, r1 = _rails(g)
    step = 0.045 * g.fw
    x = -rng.uniform(0, step)
    while x < g.lw:
        pen.poly([(x, r0 - 3), (x + step * 0.45, r0 - 3), (x + step * 0.55, r1 + 4), (x + step * 0.05, r1 + 4)],
                 SLEEPER)  # fmt: skip
        x += step
    for r in (r0, r1):
        pen.line(0, r, g.lw, r, max(2.0, 0.008 * g.fh), RAIL)
        pen.line(0, r + max(2.0, 0.008 * g.fh), g.lw, r + max(2.0, 0.008 * g.fh), 1, shade(RAIL, 0.5))
    trace.append("set:station:track")
    _train(pen, rng, g, r1, lit_windows)
    trace.append("set:station:train")
    # The platform: paving up to its edge, the coping stone and the yellow line to stand behind.
    top = int(edge)
    near[top:] = gradient(g.lh - top, g.lw, tint(shade(PAVING, 0.92)), tint(PAVING))
    s = g.fh - g.hf
    for k in range(1, 8):  # paving joints, closer together towards the edge
        y = edge + (k / 8) ** 1.6 * (g.lh - edge)
        pen.line(0, y, g.lw, y, 1, shade(PAVING, 0.85))
    pen.rect(0, edge, g.lw, edge + 0.035 * s, COPING)
    pen.rect(0, edge + 0.06 * s, g.lw, edge + 0.085 * s, SAFETY)
    trace.append("set:station:platform")
    _canopy(pen, rng, g, spec)
    trace += ["set:station:canopy", "set:station:clock"]


def _train(pen: Pen, rng: np.random.Generator, g: Geometry, rail: float, lit_windows: bool) -> None:
    """Carriages standing at the platform from the left, their cab at the right end, wheels on the near rail."""
    h, length = 0.3 * g.fh, 0.42 * g.fw
    x_end = g.lw * rng.uniform(0.55, 0.62)
    bottom = rail - 0.012 * g.fh
    window = WINDOW_LIT if lit_windows else WINDOW_DAY
    glow = Pen(pen.frame) if lit_windows else pen  # lit windows shine whatever the hour's light
    x1 = x_end
    first = True
    while x1 > 0:
        x0 = x1 - length
        if first:  # the cab: a sloped nose and its wide windscreen
            pen.poly([(x1 - 0.06 * g.fw, bottom - h), (x1 - 0.01 * g.fw, bottom - h * 0.62), (x1, bottom),
                      (x1 - 0.06 * g.fw, bottom)], CARRIAGE)  # fmt: skip
            pen.poly([(x1 - 0.058 * g.fw, bottom - h * 0.9), (x1 - 0.018 * g.fw, bottom - h * 0.6),
                      (x1 - 0.058 * g.fw, bottom - h * 0.6)], CAB)  # fmt: skip
            x1 -= 0.06 * g.fw
            x0 = x1 - length
        pen.rounded(x0 + 0.004 * g.fw, bottom - h, x1, bottom, 0.02 * g.fh, CARRIAGE)
        pen.rect(x0 + 0.004 * g.fw, bottom - h * 0.32, x1, bottom - h * 0.24, STRIPE)
        pen.rect(x0 + 0.004 * g.fw, bottom - h * 1.0, x1, bottom - h * 0.93, shade(CARRIAGE, 0.75))  # roof
        n = 6
        for k in range(n):  # windows, and a door at each end
            wx = x0 + (0.1 + 0.8 * k / (n - 1)) * length
            glow.rounded(wx - 0.022 * g.fw, bottom - h * 0.78, wx + 0.022 * g.fw, bottom - h * 0.45, 3, window)
        for dx in (0.035, 0.965):
            dxp = x0 + dx * length
            pen.rect(dxp - 0.014 * g.fw, bottom - h * 0.8, dxp + 0.014 * g.fw, bottom - h * 0.05,
                     shade(CARRIAGE, 0.8))  # fmt: skip
        for wx in (x0 + 0.15 * length, x0 + 0.25 * length, x0 + 0.75 * length, x0 + 0.85 * length):
            pen.ellipse(wx, rail - 0.015 * g.fh, 0.018 * g.fh, 0.018 * g.fh, (34, 34, 38))
        x1 = x0 - 0.008 * g.fw  # the gap between carriages
        first = False


def _canopy(pen: Pen, rng: np.random.Generator, g: Geometry, spec: SceneSpec) -> None:
    """The canopy overhead: its underside along the top, a fascia with a scalloped valance, iron posts down to
    the platform, and the clock hanging from it."""
    s = g.fh - g.hf
    eave = g.hz - g.hf + 0.11 * g.fh  # a tenth of the way down the resting frame
    pen.rect(0, 0, g.lw, eave, shade(CANOPY, 0.7))
    for k in range(int(g.lw / (0.08 * g.fw)) + 1):  # the roof's ribs
        x = k * 0.08 * g.fw
        pen.line(x, 0, x, eave, 2, shade(CANOPY, 0.55))
    pen.rect(0, eave - 0.025 * g.fh, g.lw, eave, CANOPY)
    r = 0.012 * g.fw
    for k in range(int(g.lw / (2 * r)) + 1):
        pen.ellipse(k * 2 * r + r, eave, r, r * 0.8, CANOPY)
    base = g.hz + 0.62 * s
    x = g.lw / 2 - 0.5 * g.fw + rng.uniform(0, 0.1) * g.fw
    while x < g.lw:  # posts along the platform, a bracket up to the eave
        pen.rect(x - 0.009 * g.fw, eave, x + 0.009 * g.fw, base, IRON)
        pen.rect(x - 0.016 * g.fw, base - 0.02 * g.fh, x + 0.016 * g.fw, base, shade(IRON, 0.8))
        pen.line(x, eave + 0.06 * g.fh, x + 0.05 * g.fw, eave, 3, IRON)
        pen.line(x, eave + 0.06 * g.fh, x - 0.05 * g.fw, eave, 3, IRON)
        x += 0.5 * g.fw
    cx, rc = g.lw / 2 + 0.2 * g.fw, 0.055 * g.fh
    cy = eave + 0.04 * g.fh + rc
    pen.line(cx, eave, cx, cy - rc, 3, IRON)
    pen.ellipse(cx, cy, rc * 1.12, rc * 1.12, (30, 30, 34))
    face = Pen(pen.frame) if spec.time == "night" else pen  # a lit clock face at night
    face.ellipse(cx, cy, rc, rc, (246, 244, 236))
    hour = rng.uniform(0, 2 * np.pi)
    for k in range(12):
        a = k * np.pi / 6
        pen.line(cx + 0.8 * rc * np.sin(a), cy - 0.8 * rc * np.cos(a), cx + 0.9 * rc * np.sin(a),
                 cy - 0.9 * rc * np.cos(a), 1, (40, 40, 44))  # fmt: skip
    pen.line(cx, cy, cx + 0.5 * rc * np.sin(hour), cy - 0.5 * rc * np.cos(hour), 2, (30, 30, 34))
    pen.line(cx, cy, cx + 0.8 * rc * np.sin(hour * 12), cy - 0.8 * rc * np.cos(hour * 12), 1.5, (30, 30, 34))
