"""Places the facts ask for, painted once per shot onto the animatic's layers, and the weather that grades them.

A harbour (houses along the far shore, a breakwater with a beacon, a stone quay in front), a wooden dock running
out over the water, a cliff top with a lighthouse, an island on the horizon, a village, desert dunes, a clean
studio backdrop for a product; storm swell on the sea; fog and the dark of a storm applied to whole layers. The
per-frame weather of a storm (rolling waves, lightning) is here too. Coordinates are layer pixels (see
animatic_paint.Geometry); `seen` is how many ground rows below the horizon the resting camera shows.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import cv2
import numpy as np

from models.video.animatic_busstop import kerb_row
from models.video.animatic_frontage import front_row
from models.video.animatic_paint import LIGHT, Geometry, autumn_leaf, gradient, mix, rgba, ridge, shade
from models.video.animatic_playground import deck_row, play_row
from models.video.animatic_station import edge_row
from models.video.animatic_winter import bare_tree, roof_snow, snow_cap, snow_colour, wintry
from models.video.animatic_words import SceneSpec

RGB = tuple[int, int, int]
HOUSE_COLOURS: tuple[RGB, ...] = ((226, 214, 190), (200, 80, 60), (236, 190, 90), (110, 150, 190), (240, 240, 232))
STUDIO_BACKDROPS: tuple[tuple[RGB, RGB], ...] = (  # (wall, floor)
    ((236, 230, 220), (212, 204, 192)),
    ((212, 228, 242), (186, 204, 222)),
    ((244, 222, 214), (222, 196, 188)),
    ((222, 238, 224), (196, 216, 200)),
    ((52, 56, 70), (34, 36, 46)),
    ((248, 236, 200), (226, 210, 170)),
)


class Ground(NamedTuple):
    """Where things that stand can stand: layer rows (near, far) and columns (left, right)."""

    near: float
    far: float
    left: float
    right: float


def seen(g: Geometry) -> float:
    return g.fh - g.hf


def dim_factor(spec: SceneSpec) -> float:
    """How much the weather darkens everything (a storm most)."""
    el = spec.elements
    return 0.5 if "storm" in el else 0.75 if "rain" in el else 0.9 if "cloud" in el else 1.0


def quay_row(g: Geometry) -> int:
    return int(g.hz + 0.55 * seen(g))


def dock_end(g: Geometry) -> int:
    return int(g.hz + 0.28 * seen(g))


def cliff_row(g: Geometry) -> int:
    return int(g.hz + 0.4 * seen(g))


def standing(spec: SceneSpec, g: Geometry) -> Ground:
    """The ground where people and animals stand in this place."""
    el, s, mid = spec.elements, seen(g), g.lw / 2
    if "harbour" in el:
        return Ground(g.hz + 0.95 * s, quay_row(g) + 0.12 * s, mid - 0.45 * g.fw, mid + 0.45 * g.fw)
    if "dock" in el:
        return Ground(g.hz + 0.92 * s, dock_end(g) + 0.1 * s, mid - 0.25 * g.fw, mid + 0.25 * g.fw)
    if spec.setting == "station":  # on the platform, in front of its edge and the train
        return Ground(g.hz + 0.95 * s, edge_row(g) + 0.14 * s, mid - 0.45 * g.fw, mid + 0.45 * g.fw)
    if spec.setting == "busstop":  # on the pavement, in front of the kerb and the shelter
        return Ground(g.hz + 0.95 * s, kerb_row(g) + 0.16 * s, mid - 0.45 * g.fw, mid + 0.45 * g.fw)
    if (back := {"front": front_row, "playground": play_row, "bridge": deck_row}.get(spec.setting)) is not None:
        return Ground(g.hz + 0.95 * s, back(g) + 0.14 * s, mid - 0.45 * g.fw, mid + 0.45 * g.fw)  # before the set
    if "cliff" in el and "sea" in el:
        return Ground(g.hz + 0.95 * s, cliff_row(g) + 0.12 * s, mid - 0.05 * g.fw, mid + 0.3 * g.fw)
    return Ground(g.hz + 0.95 * s, g.hz + 0.08 * s, mid - 0.45 * g.fw, mid + 0.45 * g.fw)


def paint_places_far(spec: SceneSpec, rng: np.random.Generator, far: np.ndarray, g: Geometry, sky_h: RGB) -> None:
    """On the horizon: the harbour town across the water, an island, dunes."""
    el, w, hz = spec.elements, g.lw, g.hz
    lit = LIGHT[spec.time]
    if "harbour" in el or ("village" in el and "sea" in el):
        hill = mix(shade((70, 110, 70), lit), sky_h, 0.35)
        prof = hz - (g.fh * (0.1 + 0.05 * ridge(rng, w, 5))).astype(np.int32)
        pts = np.concatenate([np.stack([np.arange(w), prof], 1), [[w - 1, hz + 2], [0, hz + 2]]]).astype(np.int32)
        cv2.fillPoly(far, [pts], rgba(hill), cv2.LINE_AA)
        x = int(rng.integers(-20, 0))
        night = spec.time in ("night", "dusk")
        while x < w:
            bw, bh = int(rng.uniform(0.025, 0.045) * g.fw), int(rng.uniform(0.035, 0.07) * g.fh)
            base = hz + 1 - int(rng.uniform(0, 0.02) * g.fh)
            col = mix(shade(HOUSE_COLOURS[int(rng.integers(len(HOUSE_COLOURS)))], lit), sky_h, 0.2)
            cv2.rectangle(far, (x, base - bh), (x + bw, hz + 2), rgba(col), -1)
            roof = np.array([[x - 2, base - bh], [x + bw // 2, base - bh - bw // 2], [x + bw + 2, base - bh]], np.int32)
            cv2.fillPoly(far, [roof], rgba(mix(shade((150, 60, 48), lit), sky_h, 0.2)), cv2.LINE_AA)
            if wintry(spec):
                cap = roof_snow(*roof.tolist()).astype(np.int32)
                cv2.fillPoly(far, [cap], rgba(mix(snow_colour(lit), sky_h, 0.15)), cv2.LINE_AA)
            win = (255, 214, 120) if night else mix(shade((90, 110, 130), lit), col, 0.3)
            wy = base - bh + bh // 3
            for wx in range(x + bw // 5, x + bw - bw // 5, max(3, bw // 3)):
                cv2.rectangle(far, (wx, wy), (wx + max(1, bw // 8), wy + max(1, bh // 6)), rgba(win), -1)
            if rng.random() < 0.08:  # a church tower
                cv2.rectangle(far, (x + bw, base - bh * 2), (x + bw + bw // 3, hz + 2), rgba(col), -1)
                tip = np.array(
                    [
                        [x + bw, base - bh * 2],
                        [x + bw + bw // 6, base - bh * 2 - bw // 2],
                        [x + bw + bw // 3, base - bh * 2],
                    ],
                    np.int32,
                )
                cv2.fillPoly(far, [tip], rgba(shade(col, 0.7)), cv2.LINE_AA)
                x += bw // 3
            x += bw + int(rng.integers(0, max(2, bw // 3)))
    if "island" in el:
        cx = int(g.lw / 2 + rng.uniform(-0.25, 0.25) * g.fw)
        rx, ry = int(g.fw * rng.uniform(0.12, 0.2)), int(g.fh * 0.08)
        col = mix(shade((52, 96, 58), lit), sky_h, 0.3)
        cv2.ellipse(far, (cx, hz + 2), (rx, ry), 0, 180, 360, rgba(col), -1, cv2.LINE_AA)
        for k in (-0.3, 0.15):  # two palms
            px = int(cx + k * rx)
            top = (px + int(g.fh * 0.01), hz - ry - int(g.fh * 0.05))
            cv2.line(far, (px, hz - int(ry * 0.8)), top, rgba(shade(col, 0.8)), max(1, g.fh // 200), cv2.LINE_AA)
            for a in range(0, 360, 60):
                tip = (
                    int(top[0] + math.cos(math.radians(a)) * g.fh * 0.03),
                    int(top[1] + math.sin(math.radians(a)) * g.fh * 0.012 + g.fh * 0.006),
                )
                cv2.line(far, top, tip, rgba(col), max(1, g.fh // 160), cv2.LINE_AA)
    if "junkyard" in el:  # heaps of scrap along the horizon, a crane's arm above them
        for k in range(int(rng.integers(4, 7))):
            cx, rx = int(rng.uniform(0, w)), int(g.fw * rng.uniform(0.08, 0.16))
            ry = int(g.fh * rng.uniform(0.07, 0.13))
            col = mix(shade(((96, 84, 76), (120, 78, 52), (88, 96, 104))[k % 3], lit), sky_h, 0.25)
            prof = (hz - ry * (0.75 + 0.25 * ridge(rng, 2 * rx, 9))).astype(np.int32)
            pts = np.concatenate(
                [np.stack([np.arange(cx - rx, cx + rx), prof], 1), [[cx + rx, hz + 2], [cx - rx, hz + 2]]]
            )
            cv2.fillPoly(far, [pts.astype(np.int32)], rgba(col), cv2.LINE_AA)
            for _ in range(6):  # a wheel, a panel, a pipe sticking out
                px, py = int(cx + rng.uniform(-0.6, 0.6) * rx), int(hz - rng.uniform(0.2, 0.7) * ry)
                if rng.random() < 0.5:
                    r = max(2, int(g.fh * 0.012))
                    cv2.circle(far, (px, py), r, rgba(shade(col, 0.55)), max(1, r // 2), cv2.LINE_AA)
                else:
                    end = (px + int(rng.uniform(-1, 1) * g.fh * 0.03), py - int(rng.uniform(0.2, 1) * g.fh * 0.02))
                    cv2.line(far, (px, py), end, rgba(shade(col, 1.25)), max(1, g.fh // 240), cv2.LINE_AA)
        base = int(rng.uniform(0.1, 0.9) * w)
        arm = (base + int(g.fw * 0.12), hz - int(g.fh * 0.26))
        crane = rgba(mix(shade((200, 150, 40), lit), sky_h, 0.3))
        cv2.line(far, (base, hz), (base, arm[1]), crane, max(1, g.fh // 150), cv2.LINE_AA)
        cv2.line(far, (base, arm[1]), arm, crane, max(1, g.fh // 200), cv2.LINE_AA)
        cv2.line(far, arm, (arm[0], arm[1] + int(g.fh * 0.08)), crane, 1, cv2.LINE_AA)
    if "courtyard" in el:
        _paint_courtyard_wall(rng, far, g, lit, sky_h)
    if "desert" in el:
        col = mix(shade((214, 170, 110), lit), sky_h, 0.3)
        prof = hz - (g.fh * (0.05 + 0.04 * ridge(rng, w, 4))).astype(np.int32)
        pts = np.concatenate([np.stack([np.arange(w), prof], 1), [[w - 1, hz + 2], [0, hz + 2]]]).astype(np.int32)
        cv2.fillPoly(far, [pts], rgba(col), cv2.LINE_AA)


def _paint_courtyard_wall(rng: np.random.Generator, far: np.ndarray, g: Geometry, lit: float, sky_h: RGB) -> None:
    """The far side of a yard: the house's tiled roofs above a whitewashed wall with a dark tiled cap, and a
    wooden gate in it (the wall closes the view: a yard, not an open meadow)."""
    w, hz = g.lw, g.hz
    top = hz - int(g.fh * 0.15)
    tile = rgba(mix(shade((72, 76, 86), lit), sky_h, 0.1))
    for _ in range(int(rng.integers(1, 3))):  # roofs of the house behind the wall
        cx, rx = int(rng.uniform(0.15, 0.85) * w), int(g.fw * rng.uniform(0.2, 0.32))
        ridge_y = top - int(g.fh * rng.uniform(0.08, 0.12))
        roof = [(cx - rx, top + 2), (cx - int(rx * 0.8), ridge_y), (cx + int(rx * 0.8), ridge_y), (cx + rx, top + 2)]
        cv2.fillPoly(far, [np.array(roof, np.int32)], tile, cv2.LINE_AA)
        cv2.line(far, (cx - int(rx * 0.85), ridge_y), (cx + int(rx * 0.85), ridge_y), tile, max(2, g.fh // 90))
    cv2.rectangle(far, (0, top), (w, hz + 2), rgba(mix(shade((228, 222, 208), lit), sky_h, 0.08)), -1)
    cv2.rectangle(far, (0, top - max(2, g.fh // 70)), (w, top + max(2, g.fh // 110)), tile, -1)
    door = rgba(shade((150, 62, 46), lit))
    x = int(rng.uniform(0.1, 0.4) * g.fw)
    while x < w:  # a gate every frame's width or so, so a panning camera always passes one
        dw, dh = int(g.fw * 0.07), int(g.fh * 0.11)
        cv2.rectangle(far, (x, hz + 2 - dh), (x + dw, hz + 2), door, -1)
        cv2.line(far, (x + dw // 2, hz + 2 - dh), (x + dw // 2, hz + 2), rgba(shade((90, 40, 30), lit)), 1)
        x += int(g.fw * rng.uniform(0.8, 1.1))


def paint_places_near(
    spec: SceneSpec, rng: np.random.Generator, near: np.ndarray, g: Geometry, top_down: bool = False
) -> None:
    """On the ground: storm swell, the quay, the dock, the cliff and its lighthouse, a village's houses, and
    tall trees framing a forest."""
    el, w, h, hz, s = spec.elements, g.lw, g.lh, g.hz, seen(g)
    lit = max(LIGHT[spec.time], 0.35)
    if "forest" in el and not top_down and not el & {"city", "sea"}:
        _frame_with_trees(spec, rng, near, g, lit)
    if "storm" in el and "sea" in el:
        for k in range(22):  # swell: dark troughs and foaming crests, bigger toward the viewer
            f = (k + rng.random()) / 22
            y0 = hz + 2 + f**1.6 * (h - hz)
            amp, length = 2 + f * g.fh * 0.05, (0.05 + f * 0.25) * g.fw
            xs = np.arange(0, w + 8, 8, dtype=np.float32)
            wave = np.abs(np.sin(xs / length * math.pi + rng.uniform(0, 6))) * (0.6 + 0.4 * ridge(rng, len(xs), 6))
            ys = y0 - amp * wave
            body = np.concatenate([np.stack([xs, ys], 1), [[w, y0 + amp], [0, y0 + amp]]]).astype(np.int32)
            cv2.fillPoly(near, [body], rgba(shade((36, 58, 70), lit * (0.8 + 0.3 * f))), cv2.LINE_AA)
            foam = rgba(shade((214, 224, 228), lit))
            crest = np.stack([xs, ys], 1).astype(np.int32)
            caps = wave > 0.75  # whitecaps only where a crest breaks
            for a, b in zip(
                np.flatnonzero(caps[1:] & ~caps[:-1]) + 1, np.flatnonzero(caps[:-1] & ~caps[1:]) + 1, strict=False
            ):
                if b > a:
                    cv2.polylines(near, [crest[a : b + 1]], False, foam, max(1, int(1 + f * 3)), cv2.LINE_AA)
    if "harbour" in el:
        _paint_harbour(spec, rng, near, g, lit)
    if "dock" in el:
        _paint_dock(near, g, lit, rng)
    if "cliff" in el and "sea" in el:
        _paint_cliff(spec, rng, near, g, lit)
    if "village" in el and "sea" not in el:
        for side in (-1, 1):
            for k in range(3):
                x = int(w / 2 + side * (0.3 + 0.12 * k + rng.uniform(0, 0.05)) * g.fw)
                y = int(hz + (0.12 + 0.05 * k) * s)
                size = g.fh * (0.1 + 0.04 * k)
                col = shade(HOUSE_COLOURS[int(rng.integers(len(HOUSE_COLOURS)))], lit)
                cv2.rectangle(
                    near, (int(x - size * 0.55), int(y - size * 0.55)), (int(x + size * 0.55), y), rgba(col), -1
                )
                roof = np.array(
                    [[x - size * 0.65, y - size * 0.5], [x, y - size], [x + size * 0.65, y - size * 0.5]], np.int32
                )
                cv2.fillPoly(near, [roof], rgba(shade((150, 60, 48), lit)), cv2.LINE_AA)
                if wintry(spec):
                    cap = roof_snow(*roof.tolist()).astype(np.int32)
                    cv2.fillPoly(near, [cap], rgba(snow_colour(lit)), cv2.LINE_AA)


def _frame_with_trees(spec: SceneSpec, rng: np.random.Generator, near: np.ndarray, g: Geometry, lit: float) -> None:
    """Tall trunks and crowns at both sides of the view, rising out of the frame: you are inside a wood."""
    s = seen(g)
    dusk = spec.time in ("dusk", "night")
    for side in (-1, 1):
        for k in range(3):
            x = g.lw / 2 + side * (0.36 + 0.09 * k + rng.uniform(-0.03, 0.03)) * g.fw
            base = g.hz + (0.35 + 0.2 * (2 - k) + rng.uniform(0, 0.1)) * s
            tall = g.fh * (0.7 + 0.25 * (2 - k) * 0.5)
            trunk = shade((86, 62, 42) if not dusk else (50, 40, 40), lit)
            width = g.fw * (0.018 + 0.008 * (2 - k))
            cv2.rectangle(near, (int(x - width), int(base - tall)), (int(x + width), int(base)), rgba(trunk), -1)
            green = shade(mix((30, 88, 40), (64, 124, 52), rng.random()), lit)
            if spec.season == "autumn":
                green = autumn_leaf(rng, lit)
            if rng.random() < 0.5:
                for j in range(4):
                    top = base - tall * (0.35 + 0.18 * j) - tall * 0.2
                    half = tall * (0.22 - 0.035 * j)
                    tri = np.array([[x, top], [x - half, top + tall * 0.3], [x + half, top + tall * 0.3]], np.int32)
                    cv2.fillPoly(near, [tri], rgba(green), cv2.LINE_AA)
                    if wintry(spec):
                        snow_cap(near, x, top, half, tall * 0.12, lit)
            elif wintry(spec):  # a broadleaf in winter: its bare boughs, no crown
                bare_tree(near, x, base - tall * 0.3, tall * 0.7, rgba(trunk))
            else:
                for ox, oy, r in ((0, 0, 0.2), (-0.14, 0.08, 0.15), (0.14, 0.08, 0.15), (0, -0.14, 0.15)):
                    c = (int(x + ox * tall), int(base - tall * 0.85 + oy * tall))
                    cv2.circle(near, c, int(r * tall), rgba(shade(green, 1.1 if oy < 0 else 1.0)), -1, cv2.LINE_AA)


def _paint_harbour(spec: SceneSpec, rng: np.random.Generator, near: np.ndarray, g: Geometry, lit: float) -> None:
    w, h, hz, s = g.lw, g.lh, g.hz, seen(g)
    # A breakwater reaching in from one side, with a red and white beacon at its end.
    side = 1 if rng.random() < 0.5 else -1
    by = int(hz + 0.12 * s)
    x_end = int(w / 2 + side * rng.uniform(0.0, 0.15) * g.fw)
    x_out = w if side > 0 else 0
    stone = shade((150, 146, 136), lit)
    cv2.rectangle(near, (min(x_end, x_out), by - max(2, g.fh // 90)), (max(x_end, x_out), by + 2), rgba(stone), -1)
    bw, bh = max(3, g.fh // 70), int(g.fh * 0.07)
    for k in range(4):
        col = (220, 50, 40) if k % 2 == 0 else (240, 240, 236)
        cv2.rectangle(
            near,
            (x_end - bw, by - bh + k * bh // 4),
            (x_end + bw, by - bh + (k + 1) * bh // 4),
            rgba(shade(col, lit)),
            -1,
        )
    # The quay: stone paving up to its edge, bollards and a lamp post along it.
    q = quay_row(g)
    paving = shade((170, 160, 146), lit)
    near[q:] = gradient(h - q, w, shade(paving, 0.9), paving)
    cv2.rectangle(near, (0, q), (w, q + max(3, g.fh // 60)), rgba(shade((204, 196, 182), lit)), -1)  # kerb
    for y in np.arange(q + g.fh * 0.04, h, g.fh * 0.05):
        cv2.line(near, (0, int(y)), (w, int(y)), rgba(shade(paving, 0.85)), 1)
    for x in range(int(rng.uniform(0, 60)), w, int(g.fw * 0.2)):
        cv2.rectangle(near, (x - 5, q - 8), (x + 5, q + 6), rgba(shade((40, 40, 44), lit)), -1)
        cv2.ellipse(near, (x, q - 8), (5, 2), 0, 0, 360, rgba(shade((70, 70, 74), lit)), -1)
    lx = int(w / 2 + rng.uniform(0.25, 0.4) * g.fw * (1 if rng.random() < 0.5 else -1))
    cv2.line(near, (lx, q + 4), (lx, q - int(g.fh * 0.32)), rgba(shade((40, 44, 50), lit)), 4)
    lamp = (255, 220, 140) if spec.time in ("night", "dusk") else shade((220, 220, 210), lit)
    cv2.circle(near, (lx, q - int(g.fh * 0.33)), max(4, g.fh // 60), rgba(lamp), -1, cv2.LINE_AA)


def _paint_dock(near: np.ndarray, g: Geometry, lit: float, rng: np.random.Generator) -> None:
    """Wooden planks running away from the viewer, narrowing toward their far end, on posts."""
    w, h, hz, s = g.lw, g.lh, g.hz, seen(g)
    cx, top = w / 2 + rng.uniform(-0.05, 0.05) * g.fw, dock_end(g)

    def half(y: float) -> float:
        return 0.5 * g.fw * (y - hz) / s

    wood = shade(mix((168, 124, 82), (140, 104, 70), rng.random()), lit)
    for x in (cx - half(top) * 0.95, cx + half(top) * 0.95, cx - half(top + 0.3 * s), cx + half(top + 0.3 * s)):
        cv2.line(near, (int(x), top), (int(x), top + int(g.fh * 0.05)), rgba(shade(wood, 0.5)), max(3, g.fh // 80))
    poly = np.array([[cx - half(top), top], [cx + half(top), top], [cx + half(h), h], [cx - half(h), h]], np.int32)
    cv2.fillPoly(near, [poly], rgba(wood), cv2.LINE_AA)
    d = 1 / (top - hz)
    while True:  # planks equally spaced in depth: rows where 1/(y - hz) steps evenly
        d -= 0.035 / s * 3
        if d <= 1 / (h - hz):
            break
        y = int(hz + 1 / d)
        cv2.line(near, (int(cx - half(y)), y), (int(cx + half(y)), y), rgba(shade(wood, 0.75)), 1, cv2.LINE_AA)
    for k in (-1, 1):  # dark edges
        cv2.line(
            near, (int(cx + k * half(top)), top), (int(cx + k * half(h)), h), rgba(shade(wood, 0.55)), 3, cv2.LINE_AA
        )


def _paint_cliff(spec: SceneSpec, rng: np.random.Generator, near: np.ndarray, g: Geometry, lit: float) -> None:
    """A grassy cliff top on one side, its rock face dropping to the sea, and a lighthouse on it if asked."""
    w, h, s = g.lw, g.lh, seen(g)
    c = cliff_row(g)
    edge_x = w / 2 + rng.uniform(0.2, 0.3) * g.fw
    grass = shade((96, 140, 70), lit)
    rock = shade((120, 110, 100), lit)
    face = np.array([[0, c + 0.05 * s], [edge_x, c], [edge_x + 0.1 * g.fw, h], [0, h]], np.int32)
    cv2.fillPoly(near, [face], rgba(rock), cv2.LINE_AA)
    top = np.array(
        [[0, c - 0.02 * s], [edge_x - 0.02 * g.fw, c - 0.01 * s], [edge_x + 0.04 * g.fw, h], [0, h]], np.int32
    )
    cv2.fillPoly(near, [top], rgba(grass), cv2.LINE_AA)
    if "lighthouse" in spec.elements:
        x, base = int(w / 2 - 0.3 * g.fw), int(c + 0.15 * s)
        tall, r0, r1 = g.fh * 0.55, g.fh * 0.055, g.fh * 0.038
        for k in range(5):
            y0, y1 = base - tall * k / 5, base - tall * (k + 1) / 5
            a0, a1 = r0 + (r1 - r0) * k / 5, r0 + (r1 - r0) * (k + 1) / 5
            col = (236, 236, 230) if k % 2 == 0 else (196, 44, 40)
            quad = np.array([[x - a0, y0], [x + a0, y0], [x + a1, y1], [x - a1, y1]], np.int32)
            cv2.fillPoly(near, [quad], rgba(shade(col, lit)), cv2.LINE_AA)
        gy = int(base - tall)
        cv2.rectangle(
            near, (int(x - r1 * 1.4), gy - 4), (int(x + r1 * 1.4), gy + 2), rgba(shade((40, 40, 44), lit)), -1
        )
        glow = spec.time in ("night", "dusk") or "storm" in spec.elements
        lamp = (255, 236, 150) if glow else shade((200, 220, 230), lit)
        cv2.rectangle(near, (int(x - r1), gy - int(g.fh * 0.05)), (int(x + r1), gy - 4), rgba(lamp), -1)
        cv2.ellipse(
            near,
            (x, gy - int(g.fh * 0.05)),
            (int(r1 * 1.2), int(r1 * 0.9)),
            0,
            180,
            360,
            rgba(shade((40, 40, 44), lit)),
            -1,
        )
        if glow:  # the beam
            for k in (-1, 1):
                beam = np.array(
                    [
                        [x, gy - int(g.fh * 0.03)],
                        [x + k * g.fw * 0.5, gy - int(g.fh * 0.1)],
                        [x + k * g.fw * 0.5, gy + int(g.fh * 0.03)],
                    ],
                    np.int32,
                )
                over = near.copy()
                cv2.fillPoly(over, [beam], (255, 240, 170, 255), cv2.LINE_AA)
                cv2.addWeighted(over, 0.25, near, 0.75, 0, dst=near)


def paint_studio(spec: SceneSpec, rng: np.random.Generator, g: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """A seamless backdrop (opaque wall) and the surface the product stands on, lit by a soft spot behind it."""
    wall, floor = STUDIO_BACKDROPS[int(rng.integers(len(STUDIO_BACKDROPS)))]
    back = gradient(g.lh, g.lw, shade(wall, 0.85), wall, 0.8)
    spot = np.zeros((g.lh, g.lw), np.float32)
    cv2.circle(spot, (g.lw // 2, int(g.hz - g.fh * 0.2)), int(g.fh * 0.35), 1.0, -1)
    spot = cv2.GaussianBlur(spot, (0, 0), g.fh * 0.15)[:, :, None] * 0.18
    back[:, :, :3] = np.minimum(255, back[:, :, :3] * (1 + spot)).astype(np.uint8)
    near = np.zeros((g.lh, g.lw, 4), np.uint8)
    near[g.hz :] = gradient(g.lh - g.hz, g.lw, shade(floor, 1.05), shade(floor, 0.8))
    return back, near


def grade(layer: np.ndarray, spec: SceneSpec, g: Geometry, depth: float) -> None:
    """Darken a premultiplied layer for the weather, and veil it in fog, more the farther it is."""
    k = dim_factor(spec)
    if k < 1:
        layer[:, :, :3] = (layer[:, :, :3] * k).astype(np.uint8)
    if "fog" in spec.elements:
        fog = np.array(shade((206, 210, 214), LIGHT[spec.time] ** 0.7), np.float32)
        if depth < 1:
            veil = np.full((layer.shape[0], 1), 0.62 if depth < 0.5 else 0.55, np.float32)
        else:
            rows = np.arange(layer.shape[0], dtype=np.float32)
            veil = np.clip(0.55 - 0.45 * (rows - g.hz) / (g.lh - g.hz), 0.1, 0.55)[:, None]
        a = layer[:, :, 3:4].astype(np.float32) / 255
        rgb = layer[:, :, :3].astype(np.float32)
        layer[:, :, :3] = (rgb * (1 - veil[:, :, None]) + fog * a * veil[:, :, None]).astype(np.uint8)


def storm_waves(secs: float, g: Geometry, seed: int) -> list[tuple[np.ndarray, float]]:
    """Rolling wave crests in layer coordinates, (points (n, 2), how near 0..1), for this moment."""
    waves = []
    for k in range(5):
        f = 0.3 + 0.15 * k
        y0 = g.hz + f * seen(g) * 1.1
        amp, length = g.fh * (0.02 + 0.05 * f), g.fw * (0.18 + 0.2 * f)
        xs = np.arange(0, g.lw + 12, 12, dtype=np.float64)
        phase = secs * (1.2 + 0.3 * k) + seed % 7 + k * 1.7
        ys = y0 - amp * np.abs(np.sin(xs / length * math.pi - phase))
        waves.append((np.stack([xs, ys], 1), f))
    return waves


def lightning(i: int, fps: int, seed: int, g: Geometry) -> np.ndarray | None:
    """A jagged bolt (frame points) on two frames of every three seconds after the first, else None."""
    period = 3 * fps
    if i < fps or (i + seed) % period > 1:
        return None
    rng = np.random.default_rng((i + seed) // period + seed * 31)
    x = rng.uniform(0.15, 0.85) * g.fw
    ys = np.linspace(0, g.hf, 9)
    xs = x + np.cumsum(rng.normal(0, g.fw * 0.025, 9))
    return np.stack([xs, ys], 1)
