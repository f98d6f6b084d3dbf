"""A playground and a bridge, painted once per shot over the landscape's layers.

The playground keeps the park's grass and trees and stands its things behind where the people play: a swing
set with two seats, a slide with its ladder, a sandpit, and a lamp post lit in the evening. The bridge is seen
from its deck: the people stand on the paving in front of a stone balustrade with lamp posts, the river runs
beyond it (wet light and ripples, the lamps mirrored at night) to a far bank of trees and roofs.

Coordinates are layer pixels (see animatic_paint.Geometry); `play_row` and `deck_row` are the rows
animatic_places.standing keeps the cast in front of.
"""

from __future__ import annotations

import numpy as np

from models.video.animatic_busstop import ADULT
from models.video.animatic_paint import LIGHT, Geometry, gradient, mix, shade
from models.video.animatic_pen import Pen
from models.video.animatic_words import SceneSpec

STEEL, SEAT, SLIDE, SAND = (70, 110, 170), (220, 60, 50), (240, 190, 40), (222, 200, 150)
STONE, DECK, WATER_DAY, WATER_NIGHT = (206, 200, 188), (170, 160, 148), (96, 140, 170), (30, 40, 66)
LAMP = (255, 226, 150)


def play_row(g: Geometry) -> float:
    """The layer row the swings and slide stand on, behind the people at play."""
    return g.hz + 0.2 * (g.fh - g.hf)


def deck_row(g: Geometry) -> float:
    """The layer row of the bridge's balustrade: the river lies beyond it, the deck before."""
    return g.hz + 0.3 * (g.fh - g.hf)


def _lamp(pen: Pen, glow: Pen, x: float, base: float, adult: float, evening: bool) -> None:
    """A lamp post a little taller than a person, its lamp glowing in the evening."""
    pen.rect(x - adult * 0.025, base - adult * 1.5, x + adult * 0.025, base, (50, 54, 60))
    r = adult * 0.09
    if evening:
        glow.ellipse(x, base - adult * 1.55, r * 2.2, r * 2.2, mix(LAMP, (60, 60, 80), 0.55))
    (glow if evening else pen).ellipse(x, base - adult * 1.55, r, r, LAMP if evening else (230, 230, 220))


def paint_playground(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                     trace: list[str]) -> None:  # fmt: skip
    lit = max(LIGHT[spec.time], 0.4)
    pen, glow = Pen(near, lambda c: shade(c, lit)), Pen(near)
    # (a little over a person's scale from afar, so an extreme wide shot still reads as a playground)
    adult = max(ADULT.get(spec.shot, 0.46), 0.13) * g.fh
    base, side = play_row(g), -1 if rng.random() < 0.5 else 1
    fence = base - adult * 0.3  # a low painted fence round the playground, behind its things
    for k in range(int(g.lw / (adult * 0.12)) + 1):
        pen.rect(k * adult * 0.12, fence, k * adult * 0.12 + adult * 0.04, base - adult * 0.02, (60, 140, 90))
    pen.rect(0, fence, g.lw, fence + adult * 0.04, (60, 140, 90))
    evening = spec.time in ("dusk", "night")
    sand = mix(SAND, (240, 244, 250), 0.7) if "snow" in spec.elements else SAND
    pen.ellipse(g.lw / 2, base + 0.12 * (g.fh - g.hf), adult * 2.6, adult * 0.22, sand)
    trace.append("set:playground:sandpit")
    sx = g.lw / 2 + side * adult * 1.6  # the swings: an A-frame at each end, a top bar, two seats on chains
    half, h = adult * 1.0, adult * 1.25
    for ex in (sx - half, sx + half):
        pen.line(ex - adult * 0.25, base, ex, base - h, max(2.0, adult * 0.05), STEEL)
        pen.line(ex + adult * 0.25, base, ex, base - h, max(2.0, adult * 0.05), STEEL)
    pen.line(sx - half, base - h, sx + half, base - h, max(2.0, adult * 0.05), STEEL)
    for k in (-1, 1):
        cx = sx + k * half * 0.45
        for dx in (-adult * 0.12, adult * 0.12):
            pen.line(cx + dx, base - h, cx + dx, base - adult * 0.38, max(1.0, adult * 0.012), (90, 90, 96))
        pen.rect(cx - adult * 0.15, base - adult * 0.4, cx + adult * 0.15, base - adult * 0.34, SEAT)
    trace.append("set:playground:swings")
    lx = g.lw / 2 - side * adult * 1.5  # the slide: a ladder up to a platform, the chute down the other way
    top = base - adult * 1.0
    for dx in (0, adult * 0.3):
        pen.line(lx + dx, base, lx + dx, top, max(2.0, adult * 0.04), STEEL)
    for k in range(1, 5):
        pen.line(lx, base - k * adult * 0.2, lx + adult * 0.3, base - k * adult * 0.2, max(1.0, adult * 0.025), STEEL)
    pen.rect(lx - adult * 0.05, top - adult * 0.05, lx + adult * 0.35, top, STEEL)
    away = -side  # the chute runs down from the platform's outer edge, away from the swings
    start = lx if away < 0 else lx + adult * 0.3
    end = start + away * adult * 1.1
    pen.poly([(start, top - adult * 0.02), (end, base - adult * 0.12), (end, base), (start, top + adult * 0.1)], SLIDE)
    trace.append("set:playground:slide")
    _lamp(pen, glow, g.lw / 2 + side * adult * 3.2, base, adult, evening)
    if evening:
        trace.append("set:playground:lamp")


def paint_bridge(spec: SceneSpec, rng: np.random.Generator, g: Geometry, far: np.ndarray, near: np.ndarray,
                 trace: list[str]) -> None:  # fmt: skip
    lit = max(LIGHT[spec.time], 0.4) * (0.85 if "rain" in spec.elements else 1.0)
    tint = lambda c: shade(c, lit)  # noqa: E731
    pen, glow = Pen(near, tint), Pen(near)
    evening = spec.time in ("dusk", "night")
    rail = deck_row(g)
    adult = ADULT.get(spec.shot, 0.46) * g.fh
    water = WATER_NIGHT if spec.time == "night" else mix(WATER_DAY, (200, 140, 110), 0.3 * (spec.time == "dusk"))
    near[g.hz : int(rail) + 1] = gradient(int(rail) + 1 - g.hz, g.lw, mix(water, (210, 220, 230), 0.2), water)
    for _ in range(18):  # ripples catching the light
        px, py = rng.uniform(0, g.lw), rng.uniform(g.hz + 4, rail)
        Pen(near).line(px, py, px + rng.uniform(0.02, 0.06) * g.fw, py, 1, mix(water, (236, 240, 244), 0.35))
    trace.append("set:bridge:river")
    bank = Pen(far, tint)  # the far bank: grass, a line of trees and roofs at the water's edge
    bank.rect(0, g.hz - 0.012 * g.fh, g.lw, g.hz + 1, (96, 130, 80))
    x = -rng.uniform(0, 0.04) * g.fw
    while x < g.lw:
        if rng.random() < 0.3:
            w, h = rng.uniform(0.04, 0.07) * g.fw, rng.uniform(0.03, 0.06) * g.fh
            bank.rect(x, g.hz - h, x + w, g.hz, (220, 214, 200))
            bank.poly([(x - 2, g.hz - h), (x + w / 2, g.hz - h - w * 0.3), (x + w + 2, g.hz - h)], (70, 74, 84))
            x += w + 0.01 * g.fw
        else:
            r = rng.uniform(0.015, 0.03) * g.fw
            bank.ellipse(x, g.hz - r * 0.7, r, r * 0.9, (64, 100, 62))
            x += r * 1.4
    deck = mix(DECK, (240, 244, 250), 0.7) if "snow" in spec.elements else DECK
    near[int(rail) :] = gradient(g.lh - int(rail), g.lw, tint(shade(deck, 0.9)), tint(deck))
    for k in range(1, 7):
        y = rail + (k / 7) ** 1.6 * (g.lh - rail)
        pen.line(0, y, g.lw, y, 1, shade(deck, 0.85))
    trace.append("set:bridge:deck")
    h = adult * 0.5  # the balustrade: a coping rail on short stone balusters, waist high
    step = max(adult * 0.16, 4.0)
    for k in range(int(g.lw / step) + 1):
        pen.rect(k * step - step * 0.2, rail - h, k * step + step * 0.2, rail, shade(STONE, 0.92))
    pen.rect(0, rail - h - adult * 0.07, g.lw, rail - h, STONE)
    pen.rect(0, rail - adult * 0.05, g.lw, rail, shade(STONE, 0.8))
    trace.append("set:bridge:balustrade")
    gap = max(adult * 2.6, 0.3 * g.fw)
    x = g.lw / 2 - gap * (int(g.lw / 2 / gap) + 0.5)
    while x < g.lw:
        _lamp(pen, glow, x, rail - h, adult * 0.8, evening)
        if evening:  # each lamp mirrored in the water below
            Pen(near).ellipse(x, (g.hz + rail) / 2, adult * 0.04 + 1, (rail - g.hz) * 0.3, mix(LAMP, water, 0.5))
        x += gap
    trace.append("set:bridge:lamps")
