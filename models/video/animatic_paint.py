"""Painting the animatic's layers once per scene (what moves every frame is in animatic_sprites.py).

Layers are RGBA uint8 and *premultiplied*: shapes are drawn opaque onto transparent black, so anti-aliased
edges come out premultiplied by themselves, and compositing a layer is `frame * (255 - a) / 255 + layer`,
two cheap OpenCV calls. All coordinates here are in a layer's own pixels; the engine maps them to the frame.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from models.video.animatic_spring import blossom
from models.video.animatic_winter import bare_tree, ground_elements, snow_cap, snowy_crown, wintry
from models.video.animatic_words import SceneSpec

RGB = tuple[int, int, int]

SKIES: dict[str, tuple[RGB, RGB]] = {  # (zenith, horizon)
    "dawn": ((96, 118, 178), (250, 196, 160)),
    "day": ((62, 124, 206), (188, 218, 244)),
    "dusk": ((48, 38, 98), (252, 140, 76)),
    "night": ((4, 7, 26), (26, 36, 76)),
}
LIGHT = {"dawn": 0.85, "day": 1.0, "dusk": 0.7, "night": 0.32}  # how lit the ground and things are


class Geometry(NamedTuple):
    """Frame size, layer size (larger, so the camera can move) and where the horizon sits in each."""

    fw: int
    fh: int
    lw: int
    lh: int
    hz: int  # horizon row in a layer
    hf: float  # horizon row in the frame when the camera rests

    @classmethod
    def for_frame(cls, fw: int, fh: int) -> Geometry:
        return cls(fw, fh, round(fw * 1.7), round(fh * 1.35), round(fh * 0.72), fh * 0.6)


class Layer(NamedTuple):
    """A premultiplied RGBA image, its inverse alpha spread over four channels, its depth (1 = nearest), the
    first row holding anything, and the first row from which every row is opaque (so nothing behind shows)."""

    rgba: np.ndarray
    inv: np.ndarray
    depth: float
    top: int
    solid: int


def make_layer(canvas: np.ndarray, depth: float) -> Layer:
    alpha = canvas[:, :, 3]
    used = np.flatnonzero(alpha.max(axis=1) > 0)
    not_solid = np.flatnonzero(alpha.min(axis=1) < 255)
    top = int(used[0]) if used.size else canvas.shape[0]
    solid = int(not_solid[-1]) + 1 if not_solid.size else 0
    return Layer(canvas, cv2.cvtColor(255 - alpha, cv2.COLOR_GRAY2RGBA), depth, top, solid)


def shade(col: RGB, k: float) -> RGB:
    return tuple(int(max(0, min(255, c * k))) for c in col)  # type: ignore[return-value]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(x * (1 - t) + y * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def rgba(col: RGB, a: int = 255) -> tuple[int, int, int, int]:
    return (*col, a)


def gradient(h: int, w: int, top: RGB, bottom: RGB, power: float = 1.0) -> np.ndarray:
    t = np.linspace(0.0, 1.0, max(h, 1), dtype=np.float32)[:, None, None] ** power
    col = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    out = np.empty((h, w, 4), np.uint8)
    out[:, :, :3] = np.broadcast_to(col, (h, w, 3))
    out[:, :, 3] = 255
    return out


def ridge(rng: np.random.Generator, w: int, knots: int) -> np.ndarray:
    """A smooth random profile in [-1, 1] per column."""
    ys = rng.uniform(-1, 1, knots + 2)
    return np.interp(np.linspace(0, knots + 1, w), np.arange(knots + 2), ys)


def sky_colours(spec: SceneSpec) -> tuple[RGB, RGB]:
    top, horizon = SKIES[spec.time]
    if spec.elements & {"rain", "cloud"} or ("snow" in spec.elements and spec.time == "day"):
        grey = shade((150, 155, 165), LIGHT[spec.time] ** 0.7)
        top, horizon = mix(top, grey, 0.65), mix(horizon, grey, 0.5)
    return top, horizon


def overcast(spec: SceneSpec) -> bool:
    return bool(spec.elements & {"rain", "cloud"})


def light_source(spec: SceneSpec, w: int, hz: int, seen: int) -> tuple[int, int, int] | None:
    """(x, y, radius) of the sun or moon in a w-wide sky whose horizon is row hz and of which the camera sees
    `seen` rows above the horizon at rest; None when clouds hide it."""
    if overcast(spec):
        return None
    r = max(6, seen // 9)
    if spec.time == "night":
        return int(w * 0.66), int(hz - seen * 0.66), r
    if spec.time in ("dawn", "dusk"):
        return int(w * (0.38 if spec.time == "dawn" else 0.62)), int(hz - seen * 0.16), int(r * 1.5)
    return int(w * 0.68), int(hz - seen * 0.7), r


def paint_sky(spec: SceneSpec, rng: np.random.Generator, w: int, h: int, hz: int, seen: int) -> np.ndarray:
    """Opaque sky down to the horizon (and a hazy band below it): gradient, sun or moon, stars, clouds."""
    top, horizon = sky_colours(spec)
    out = np.empty((h, w, 4), np.uint8)
    out[:hz] = gradient(hz, w, top, horizon, 1.3)
    out[hz:] = gradient(h - hz, w, horizon, shade(horizon, 0.6))
    if spec.time == "night" and not overcast(spec):
        n = w * hz // (900 if "stars" in spec.elements else 2200)
        xs, ys = rng.integers(0, w, n), (rng.beta(1, 1.6, n) * hz * 0.95).astype(int)
        bright = rng.integers(150, 256, n)
        out[ys, xs, :3] = bright[:, None]
        for x, y in zip(xs[: n // 25], ys[: n // 25], strict=True):  # a few bigger stars
            cv2.circle(out, (int(x), int(y)), 1, (235, 235, 255, 255), -1, cv2.LINE_AA)
    if (src := light_source(spec, w, hz, seen)) is not None:
        x, y, r = src
        core = {"night": (238, 236, 214), "day": (255, 246, 205), "dawn": (255, 214, 150), "dusk": (255, 170, 84)}
        halo = out.copy()
        for k, a in ((3.2, 0.10), (2.0, 0.16), (1.4, 0.25)):
            cv2.circle(halo, (x, y), int(r * k), rgba(core[spec.time]), -1, cv2.LINE_AA)
            cv2.addWeighted(halo, a, out, 1 - a, 0, dst=out)
            halo[:] = out
        cv2.circle(out, (x, y), r, rgba(core[spec.time]), -1, cv2.LINE_AA)
        if spec.time == "night":  # a few darker patches make it read as the moon
            for dx, dy, k in ((-0.3, -0.2, 0.22), (0.25, 0.2, 0.16), (0.05, 0.4, 0.12)):
                cv2.circle(out, (int(x + dx * r), int(y + dy * r)), int(r * k), (205, 205, 190, 255), -1, cv2.LINE_AA)
    paint_clouds(spec, rng, out, hz)
    return out


def paint_clouds(spec: SceneSpec, rng: np.random.Generator, out: np.ndarray, hz: int) -> None:
    w = out.shape[1]
    heavy = overcast(spec)
    n = int(w / 140 * (2.2 if heavy else 1.0 if "cloud" in spec.elements else 0.45))
    if spec.time == "night" and not heavy:
        n //= 2
    if n == 0:
        return
    mask = np.zeros((hz, w), np.uint8)
    for _ in range(n):
        cx, cy = int(rng.uniform(0, w)), int(rng.uniform(0.12, 0.6 if heavy else 0.5) * hz)
        size = rng.uniform(0.5, 1.2) * hz * (0.09 if heavy else 0.07)
        for _ in range(6):
            ox, oy = rng.normal(0, size * 1.2), rng.normal(0, size * 0.25)
            cv2.ellipse(mask, (int(cx + ox), int(cy + oy)), (int(size * 1.3), int(size * 0.7)), 0, 0, 360, 255, -1)
        cv2.ellipse(mask, (cx, int(cy + size * 0.4)), (int(size * 2.8), int(size * 0.5)), 0, 0, 360, 255, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), max(1.0, hz / 140))
    colour = {"dawn": (255, 222, 214), "day": (250, 252, 255), "dusk": (246, 160, 140), "night": (60, 66, 96)}
    col = np.array(shade(colour[spec.time], 0.78) if heavy else colour[spec.time], np.float32)
    a = mask.astype(np.float32)[:, :, None] / 255 * (0.9 if heavy else 0.85)
    region = out[:hz, :, :3].astype(np.float32)
    out[:hz, :, :3] = (region * (1 - a) + col * a).astype(np.uint8)


def paint_far(spec: SceneSpec, rng: np.random.Generator, w: int, h: int, hz: int, sky_h: RGB) -> np.ndarray:
    """Transparent layer with what stands on the horizon: mountains, a tree line, a city skyline."""
    out = np.zeros((h, w, 4), np.uint8)
    lit = LIGHT[spec.time]
    el = ground_elements(spec)
    if "mountain" in el:
        for depth, base_col, height, knots in ((0, (110, 122, 150), 0.62, 6), (1, (70, 86, 96), 0.4, 9)):
            col = mix(shade(base_col, lit), sky_h, 0.45 if depth == 0 else 0.2)
            prof = hz - (height * hz * (0.55 + 0.45 * ridge(rng, w, knots))).astype(np.int32)
            pts = np.concatenate([np.stack([np.arange(w), prof], 1), [[w - 1, hz + 2], [0, hz + 2]]]).astype(np.int32)
            cv2.fillPoly(out, [pts], rgba(col), cv2.LINE_AA)
            if "snow" in el or depth == 0:  # snow caps where the ridge rises above the snow line
                line = int(hz - height * hz * 0.78)
                rows = np.arange(hz)[:, None]
                cap = (rows >= prof[None, :]) & (rows < np.minimum(prof + int(hz * 0.06), line)[None, :])
                out[:hz][cap] = rgba(shade((240, 244, 250), max(lit, 0.45)))
    if "forest" in el:
        col = mix(shade((90, 84, 80) if wintry(spec) else (40, 90, 50), lit), sky_h, 0.25)  # a bare wood is grey
        prof = hz - (hz * (0.05 + 0.025 * ridge(rng, w, w // 12))).astype(np.int32)
        pts = np.concatenate([np.stack([np.arange(w), prof], 1), [[w - 1, hz + 2], [0, hz + 2]]]).astype(np.int32)
        cv2.fillPoly(out, [pts], rgba(col), cv2.LINE_AA)
    if "city" in el:
        paint_city(spec, rng, out, w, hz, sky_h)
    return out


def paint_city(spec: SceneSpec, rng: np.random.Generator, out: np.ndarray, w: int, hz: int, sky_h: RGB) -> None:
    lit_windows = spec.time in ("night", "dusk") or "rain" in spec.elements
    for row, (k, far) in enumerate(((0.75, 0.45), (1.0, 0.0))):
        x = int(rng.integers(-20, 0))
        while x < w:
            bw = int(rng.integers(w // 50, w // 18))
            bh = int(rng.uniform(0.15, 0.55) * hz * k)
            base = (rng.integers(60, 110),) * 2
            col = mix(shade((int(base[0]), int(base[1]), int(base[1]) + 18), LIGHT[spec.time] ** 0.6), sky_h, far)
            cv2.rectangle(out, (x, hz - bh), (x + bw, hz + 2), rgba(col), -1)
            if rng.random() < 0.25:  # a spire or antenna
                cv2.line(out, (x + bw // 2, hz - bh), (x + bw // 2, hz - bh - bh // 6), rgba(col), 2)
            if row == 1:
                step_x, step_y = max(6, bw // 5), max(8, hz // 28)
                for wy in range(hz - bh + 6, hz - 6, step_y):
                    for wx in range(x + 4, x + bw - 5, step_x):
                        if lit_windows and rng.random() < 0.45:
                            out[wy : wy + step_y // 2, wx : wx + step_x // 2] = (255, 214, 120, 255)
                        elif not lit_windows:
                            out[wy : wy + step_y // 2, wx : wx + step_x // 2] = (*mix(col, sky_h, 0.4), 255)
            x += bw + int(rng.integers(0, w // 80 + 2))


class Water(NamedTuple):
    """Where glints shimmer: sea glints are fixed points; river glints flow along the river's centre line."""

    kind: str  # "sea" or "river"
    points: np.ndarray  # sea: (n, 4) x, y, phase, length; river: (n, 3) s, v, phase
    centre: np.ndarray  # river: centre x per layer row (empty for the sea)
    half_width: np.ndarray  # river: half width per layer row
    colour: RGB


AUTUMN_LEAVES: tuple[RGB, ...] = ((206, 120, 40), (190, 70, 40), (222, 168, 56), (160, 96, 44))


def autumn_leaf(rng: np.random.Generator, lit: float) -> RGB:
    """A crown's colour in autumn: gold, orange, red or russet."""
    return shade(AUTUMN_LEAVES[int(rng.integers(len(AUTUMN_LEAVES)))], lit)


def ground_colour(spec: SceneSpec) -> RGB:
    el = ground_elements(spec)
    paved = "city" in el and not el & {"forest", "park"}  # a city park is grass
    col = (232, 236, 244) if "snow" in el else (110, 110, 116) if paved else (84, 130, 66)
    if "desert" in el and "snow" not in el:
        col = (222, 188, 128)
    elif "junkyard" in el and "snow" not in el:
        col = (128, 112, 92)  # packed dirt and oil stains
    elif "courtyard" in el and "snow" not in el:
        col = (168, 158, 142)  # grey paving stones and swept earth
    elif "field" in el and "city" not in el and "snow" not in el:
        col = (118, 152, 64)
    if spec.season == "autumn" and "snow" not in el and col in ((84, 130, 66), (118, 152, 64)):
        col = mix(col, (176, 140, 64), 0.55)  # grass gone gold
    if spec.time == "dusk":
        col = mix(col, (170, 90, 60), 0.2)
    return shade(col, LIGHT[spec.time] if "snow" not in el else max(0.45, LIGHT[spec.time]))


def on_land(kind: str) -> bool:
    return kind not in ("boat", "bird", "fishingboat", "duck", "fish", "plane", "butterfly")


def sea_shore(spec: SceneSpec, g: Geometry) -> int:
    """The layer row where the sea meets the shore: there is a shore when something must stand on it."""
    if spec.elements & {"dock", "harbour", "cliff"}:  # the water runs to the dock, quay or cliff (animatic_places)
        return g.lh
    land = "beach" in spec.elements or "road" in spec.elements or any(map(on_land, spec.subjects))
    seen = g.fh - g.hf  # ground rows the camera sees at rest
    return min(g.lh, g.hz + int(seen * 0.45)) if land else g.lh


def paint_near(
    spec: SceneSpec, rng: np.random.Generator, g: Geometry, subject_ys: list[int], top_down: bool = False
) -> tuple[np.ndarray, Water | None, list[tuple[int, int]]]:
    """The ground and what stands on it: sea or river, shore, road, trees, campfire logs.

    Returns the layer, the water (for glints), and the anchor points of fires (for flames).
    """
    w, h, hz = g.lw, g.lh, g.hz
    el = ground_elements(spec)
    lit = LIGHT[spec.time]
    out = np.zeros((h, w, 4), np.uint8)
    gcol = ground_colour(spec)
    depth = h - hz
    out[hz:] = gradient(h - hz, w, mix(gcol, sky_colours(spec)[1], 0.35), shade(gcol, 0.75))
    # Tufts and stones, smaller toward the horizon: texture that shows the ground moving past.
    for _ in range(w // 6):
        f = rng.random() ** 1.5
        x, y, size = int(rng.uniform(0, w)), hz + 3 + int(f * (depth - 6)), 1 + f * g.fh * 0.025
        col = shade(gcol, rng.uniform(0.65, 0.85) if rng.random() < 0.8 else 1.2)
        if "snow" in el or "city" in el or "courtyard" in el or rng.random() < 0.3:
            cv2.ellipse(out, (x, y), (int(size * 1.6), max(1, int(size * 0.7))), 0, 0, 360, rgba(col), -1, cv2.LINE_AA)
        else:
            for k in (-1, 0, 1):
                cv2.line(out, (x, y), (int(x + k * size), int(y - size * 2)), rgba(col), 1, cv2.LINE_AA)
    water: Water | None = None
    water_col = shade((38, 86, 150), max(lit, 0.3))
    sky_top, sky_h = sky_colours(spec)
    fires: list[tuple[int, int]] = []

    if "sea" in el:
        shore = sea_shore(spec, g)
        inland = "lake" in el and "beach" not in el  # a lake or pond: grass banks, no sand or surf
        frozen = inland and "snow" in el  # a winter pond is ice
        if frozen:
            water_col = shade((206, 222, 236), max(lit, 0.45))
        out[hz:shore] = gradient(shore - hz, w, mix(water_col, sky_h, 0.45), shade(water_col, 0.75))
        if inland:  # the far bank: a strip of the ground's colour along the horizon
            far_bank = hz + 2 + (max(2, depth // 30) * (1 + ridge(rng, w, 6))).astype(np.int32)
            for x in range(w):
                out[hz : far_bank[x], x] = (*shade(gcol, 0.7), 255)
        if frozen:  # cracks in the ice
            for _ in range(6):
                x, y = int(rng.uniform(0, w)), int(rng.uniform(hz + 4, max(hz + 5, shore - 4)))
                pts = [(x, y)]
                for _ in range(3):
                    x, y = x + int(rng.uniform(-w / 14, w / 14)), y + int(rng.uniform(-3, 3) + 2)
                    pts.append((x, min(y, shore - 2)))
                cv2.polylines(out, [np.array(pts, np.int32)], False, rgba(shade(water_col, 1.12)), 1, cv2.LINE_AA)
        if shore < h:
            if inland:
                bank = gcol
            else:
                bank = shade((214, 192, 146) if "beach" in el or "snow" not in el else (232, 236, 244), max(lit, 0.35))
            edge = shore + (6 * ridge(rng, w, 8)).astype(np.int32)
            pts = np.concatenate([np.stack([np.arange(w), edge], 1), [[w - 1, h], [0, h]]]).astype(np.int32)
            cv2.fillPoly(out, [pts], rgba(bank), cv2.LINE_AA)
            if inland:  # reeds along the water's edge, not foam
                line = rgba(shade(gcol, 0.6))
                for x in range(0, w, max(3, w // 90)):
                    top = int(edge[x] - rng.uniform(4, 4 + g.fh * 0.03))
                    cv2.line(out, (x, int(edge[x])), (x + int(rng.uniform(-2, 2)), top), line, 1, cv2.LINE_AA)
            else:
                cv2.polylines(out, [pts[:w]], False, (235, 240, 245, 255), 2, cv2.LINE_AA)  # foam
        src = light_source(spec, w, hz, int(g.hf))
        n = w // 9
        ys = hz + 2 + (rng.random(n) ** 1.7 * (shore - hz - 4)).astype(np.float32)
        xs = rng.uniform(0, w, n).astype(np.float32)
        if src is not None:  # a third of the glints make the sun's or moon's path on the water
            k = n // 3
            xs[:k] = src[0] + rng.normal(0, 1, k) * (8 + 0.25 * (ys[:k] - hz))
        lengths = 3 + 26 * (ys - hz) / max(1, depth)
        pts4 = np.stack([xs, ys, rng.uniform(0, 2 * np.pi, n), lengths], 1).astype(np.float32)
        glint = (250, 246, 214) if src is not None and spec.time != "day" else (228, 238, 255)
        water = None if frozen else Water("sea", pts4, np.empty(0), np.empty(0), shade(glint, max(lit, 0.7)))
    elif "river" in el:
        rows = np.arange(h, dtype=np.float32)
        f = np.clip((rows - hz) / depth, 0, 1)
        centre = w * 0.5 + w * 0.14 * np.sin(f * 3.2 + rng.uniform(0, 6)) * (0.2 + f)
        half = 4 + f**1.2 * w * 0.16
        left = np.stack([centre[hz:] - half[hz:], rows[hz:]], 1)
        right = np.stack([centre[hz:] + half[hz:], rows[hz:]], 1)[::-1]
        poly = np.concatenate([left, right]).astype(np.int32)
        bank = shade(gcol, 0.7)
        cv2.polylines(out, [left.astype(np.int32), right.astype(np.int32)], False, rgba(bank), 6, cv2.LINE_AA)
        river = np.zeros_like(out)
        river[hz:] = gradient(depth, w, mix(water_col, sky_h, 0.5), shade(water_col, 0.9))
        mask = np.zeros((h, w), np.uint8)
        cv2.fillPoly(mask, [poly], 255, cv2.LINE_AA)
        a = mask[:, :, None].astype(np.float32) / 255
        out[:, :, :3] = np.rint(out[:, :, :3] * (1 - a) + river[:, :, :3] * a).astype(np.uint8)
        n = w // 10
        pts3 = np.stack([rng.random(n), rng.uniform(-0.8, 0.8, n), rng.uniform(0, 2 * np.pi, n)], 1)
        water = Water("river", pts3.astype(np.float32), centre, half, shade((235, 242, 255), max(lit, 0.6)))

    if "road" in el or "car" in spec.subjects or ("city" in el and not el & {"sea", "forest", "park"}):
        if "sea" in el:  # a coast road runs along the shore
            y0 = min(h - int(depth * 0.3), sea_shore(spec, g) + int(depth * 0.04))
        else:
            y0 = subject_ys[0] - int(depth * 0.12) if subject_ys else hz + int(depth * 0.45)
        y1 = y0 + int(depth * 0.3)
        cv2.rectangle(out, (0, y0), (w, y1), rgba(shade((70, 70, 76), max(lit, 0.35))), -1)
        mid = (y0 + y1) // 2
        for x in range(0, w, 60):
            cv2.rectangle(out, (x, mid - 2), (x + 30, mid + 2), rgba(shade((230, 210, 120), max(lit, 0.4))), -1)

    if "forest" in el:
        _paint_trees(spec, rng, out, g, water, top_down)

    if "fire" in el:
        fx, fy = int(w * 0.5 + g.fw * 0.16), hz + int(depth * 0.42)
        glow = np.zeros((h, w), np.float32)
        cv2.circle(glow, (fx, fy), int(depth * 0.35), 1.0, -1)
        glow = cv2.GaussianBlur(glow, (0, 0), depth * 0.12)[:, :, None] * (0.8 if spec.time == "night" else 0.35)
        warm = np.array((255, 150, 60, 0), np.float32)
        out[hz:] = np.minimum(255, out[hz:] + glow[hz:] * warm * (out[hz:, :, 3:4] / 255)).astype(np.uint8)
        log = int(depth * 0.07)
        for dx in (-1, 1):
            cv2.line(
                out, (fx - dx * log, fy - log // 4), (fx + dx * log, fy + log // 4), (70, 40, 25, 255), max(3, log // 3)
            )
        fires.append((fx, fy))
    return out, water, fires


def _paint_trees(
    spec: SceneSpec, rng: np.random.Generator, out: np.ndarray, g: Geometry, water: Water | None, top_down: bool
) -> None:
    w, hz, depth = g.lw, g.hz, g.lh - g.hz
    lit = LIGHT[spec.time]
    if top_down:  # seen from above: round crowns with a shadow, all over the ground
        for _ in range(w // 8):
            x, y = int(rng.uniform(0, w)), int(hz + rng.uniform(0.02, 1) * depth)
            if water is not None and water.kind == "river" and abs(x - water.centre[y]) < water.half_width[y] + 12:
                continue
            r = int(rng.uniform(0.025, 0.045) * g.fh)
            green = shade(mix((30, 92, 40), (70, 130, 56), rng.random()), lit)
            if spec.season == "autumn":
                green = autumn_leaf(rng, lit)
            if wintry(spec):  # seen from above, a winter wood is snow lying on dark boughs, not a pale-green blob
                snowy_crown(out, x, y, r, lit)
                continue
            cv2.circle(out, (x + r // 3, y + r // 3), r, rgba(shade(green, 0.55)), -1, cv2.LINE_AA)
            cv2.circle(out, (x, y), r, rgba(green), -1, cv2.LINE_AA)
            cv2.circle(out, (x - r // 4, y - r // 4), max(1, r // 2), rgba(shade(green, 1.2)), -1, cv2.LINE_AA)
        return
    n = max(10, w // 40)
    ys = np.sort(hz + (rng.random(n) ** 1.6 * depth * 0.5).astype(int))  # far rows first
    for y in ys:
        x = int(rng.uniform(0, w))
        if abs(x - w / 2) < g.fw * 0.22 and y > hz + depth * 0.2:
            continue  # keep the middle clear for the subject
        if water is not None and water.kind == "river" and abs(x - water.centre[y]) < water.half_width[y] + 10:
            continue
        size = (0.12 + 1.2 * (y - hz) / depth) * g.fh * 0.28
        green = shade(mix((34, 96, 44), (60, 120, 50), rng.random()), lit)
        if spec.season == "autumn":
            green = autumn_leaf(rng, lit)
        if spec.time == "dusk":
            green = mix(green, (40, 30, 40), 0.3)
        trunk = shade((80, 56, 36), lit)
        pine = rng.random() < 0.55
        if wintry(spec) and not pine:  # a broadleaf in winter has lost its leaves
            bare_tree(out, x, y, size, rgba(trunk))
            continue
        cv2.line(out, (x, y), (x, int(y - size * 0.35)), rgba(trunk), max(2, int(size * 0.07)))
        if pine:  # a pine: three stacked triangles
            for k in range(3):
                top = y - size * (0.45 + 0.28 * k) - size * 0.32
                half = size * (0.34 - 0.07 * k)
                base = top + size * 0.45
                tri = np.array([[x, top], [x - half, base], [x + half, base]], np.int32)
                cv2.fillPoly(out, [tri], rgba(green), cv2.LINE_AA)
                if wintry(spec):
                    snow_cap(out, x, top, half, size * 0.18, lit)
        else:  # a broadleaf: a cluster of circles
            cy = int(y - size * 0.62)
            for ox, oy, r in ((0, 0, 0.3), (-0.2, 0.08, 0.22), (0.2, 0.08, 0.22), (0, -0.18, 0.22)):
                c = shade(green, 1.1 if oy < 0 else 1.0)
                cv2.circle(out, (int(x + ox * size), int(cy + oy * size)), int(r * size), rgba(c), -1, cv2.LINE_AA)
            if spec.season == "spring" and x % 3:  # two broadleafs in three in blossom
                blossom(out, x, cy, size * 0.36, lit, pink=x % 2 == 0)
