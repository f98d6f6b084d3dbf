"""The animatic engine: a procedural, clearly-labelled preview of each scene, on any CPU.

Per scene it reads the scene's words (English and Chinese, see animatic_words) and paints, once, a sky layer
(time of day, sun or moon, stars, clouds), a far layer (mountains, tree line, city skyline) and a near layer
(ground, sea or river, road, trees, campfire) — or, indoors, a back wall with a window and a floor with a table and
lamp. Every frame then maps each layer into the frame with the storyboard's camera move, nearer layers moving
more (parallax), and draws what lives: water glints, flames, rain or snow, and a silhouette of the subject the
scene names (a figure, a cat, dog, fox or bird, a boat, a car), which tracking shots follow. A strip at the top
marks the frame as a PREVIEW and carries the caption. It needs no GPU and no download, and the same Shot always
gives the same frames. A shot with structured facts is read by animatic_facts instead of its words, its places
painted by animatic_places and its cast placed and drawn by animatic_cast; animatic_sets reads the sets the
landscape cannot draw (a work table with hands, a temple, streets, a market, a classroom, a plant in sunlight)
and paints them over the layers, naming each drawer in PaintedScene.trace.

A little over 400 lines: the camera, the layer compositing and the per-frame pass belong together, and the
facts' parts already live in their own modules.
"""

from __future__ import annotations

import math
import threading
import zlib
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.fonts import cjk_font_path
from models.storyboard import Camera
from models.video.animatic_carry import carried
from models.video.animatic_cast import (
    SUBJECT_LOOK,
    Subject,
    cast,
    clear_of_river,
    draw_cast,
    hand_at,
    holds_umbrella,
)
from models.video.animatic_facts import has_facts
from models.video.animatic_interior import paint_interior
from models.video.animatic_paint import (
    LIGHT,
    Geometry,
    Layer,
    Water,
    make_layer,
    mix,
    on_land,
    paint_far,
    paint_near,
    paint_sky,
    sea_shore,
    shade,
    sky_colours,
)
from models.video.animatic_places import (
    grade,
    lightning,
    paint_places_far,
    paint_places_near,
    paint_studio,
    storm_waves,
)
from models.video.animatic_setpaint import paint_indoor_set, paint_outdoor_set, paint_studio_props
from models.video.animatic_sets import INDOOR_SETS, set_cast, stage
from models.video.animatic_sprites import draw_flame, draw_subject
from models.video.animatic_words import ELEMENT_WORDS, SceneSpec, read_scene, scene_elements
from models.video.base import Cancelled, ProgressFn, Shot, VideoEngine

__all__ = ["ELEMENT_WORDS", "AnimaticEngine", "SceneSpec", "camera_matrix", "read_scene", "scene_elements"]

# Wall time per frame, render plus H.264 encode, measured with bench/animatic.py at 832×480 on the shared 2-core
# box (0.012 s at load ~4; the CPU time both cost is about 0.011 s a frame, so an idle 2-core machine is faster).
SECONDS_PER_FRAME_832x480 = 0.012

# The storyboard's camera moves; anything else is drawn as a still.
MOVES = frozenset(c.value for c in Camera)


class PaintedScene(NamedTuple):
    """Everything painted once per shot."""

    spec: SceneSpec
    geometry: Geometry
    layers: list[Layer]  # far to near, premultiplied; the first (the sky or the back wall) is opaque
    water: Water | None
    fires: list[tuple[int, int, float, int]]  # x, y, depth, size in the layer of that depth
    subjects: list[Subject]
    trace: tuple[str, ...] = ()  # which drawers painted the layers (a set's painters name themselves)
    land: np.ndarray | None = None  # near-layer pixels that are land over the sea (a cliff, a quay): no waves there


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def camera_matrix(camera: str, t: float, depth: float, g: Geometry, ground: bool = False) -> np.ndarray:
    """3×3 matrix taking a layer of the given depth (1 = nearest) into the frame at time t in [0, 1].

    Layers zoom about a point on the horizon, so the horizon stays put for every layer and no gap opens
    between them. pan_left turns the camera left, so the picture slides right; tracking follows a subject
    walking right, so the world slides left, the near layer fastest. Aerial lifts the horizon, tilts the
    ground into perspective (ground=True) and drifts forward and sideways.
    """
    e = _ease(t)
    zoom, dx, hf = 1.0, 0.0, g.hf
    if camera == "push_in":
        zoom = 1 + 0.22 * depth * e
    elif camera == "pull_out":
        zoom = 1 + 0.22 * depth * (1 - e)
    elif camera in ("pan_left", "pan_right"):
        dx = (1 if camera == "pan_right" else -1) * (e - 0.5) * 0.36 * g.fw * (0.6 + 0.4 * depth)
    elif camera == "tracking":
        dx = (t - 0.5) * 0.5 * g.fw * depth
    elif camera == "aerial":
        hf = g.fh * 0.34
        dx = (e - 0.5) * 0.16 * g.fw * depth
        zoom = 1 + 0.05 * depth * e
        if ground:
            return _aerial_ground(g, e, dx)
    cx, cy = g.lw / 2 + dx, g.hz
    return np.array([[zoom, 0, g.fw / 2 - zoom * cx], [0, zoom, hf - zoom * cy], [0, 0, 1]], np.float64)


def _aerial_ground(g: Geometry, e: float, dx: float) -> np.ndarray:
    """The ground seen from above: a layer rectangle mapped onto a trapezoid, creeping toward the horizon."""
    a = 0.42 * g.lw
    cx = g.lw / 2 + dx
    bottom = g.lh - 0.3 * (g.lh - g.hz) * e  # moving forward: the visible ground shrinks toward the horizon
    src = np.array([[cx - a, g.hz], [cx + a, g.hz], [cx + a, bottom], [cx - a, bottom]], np.float32)
    top_y = g.fh * 0.34
    dst = np.array(
        [[-0.1 * g.fw, top_y], [1.1 * g.fw, top_y], [1.7 * g.fw, 1.08 * g.fh], [-0.7 * g.fw, 1.08 * g.fh]], np.float32
    )
    return cv2.getPerspectiveTransform(src, dst)


def _map(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Map (n, 2) layer points into the frame with a 3×3 matrix."""
    h = pts @ m[:, :2].T + m[:, 2]
    return h[:, :2] / h[:, 2:3]


def _at(mask: np.ndarray, pts: np.ndarray, g: Geometry) -> np.ndarray:
    """A layer mask's value under each (x, y) layer point (points off the layer read its edge)."""
    xs = np.clip(pts[:, 0].astype(int), 0, g.lw - 1)
    ys = np.clip(pts[:, 1].astype(int), 0, g.lh - 1)
    return mask[ys, xs]


def _on_water(pts: np.ndarray, land: np.ndarray | None, g: Geometry) -> list[np.ndarray]:
    """The runs of a wave's crest points (layer coordinates) that lie over water, not over the land."""
    if land is None:
        return [pts]
    wet = ~_at(land, pts, g)
    runs, start = [], None
    for k, ok in enumerate([*wet, False]):
        if ok and start is None:
            start = k
        elif not ok and start is not None:
            if k - start >= 2:
                runs.append(pts[start:k])
            start = None
    return runs


def _local_scale(m: np.ndarray, x: float, y: float) -> float:
    p = _map(m, np.array([[x, y], [x + 10.0, y]]))
    return float(np.hypot(*(p[1] - p[0])) / 10)


def _warp_rows(
    src: np.ndarray, m: np.ndarray, g: Geometry, y0: int, y1: int, dst: np.ndarray | None = None
) -> np.ndarray:
    """Frame rows y0..y1 of a layer mapped by m."""
    m = np.array([[1, 0, 0], [0, 1, -y0], [0, 0, 1]], np.float64) @ m
    size = (g.fw, y1 - y0)
    flags, border = cv2.INTER_LINEAR, cv2.BORDER_REPLICATE
    if m[2, 0] == 0 and m[2, 1] == 0:
        return cv2.warpAffine(src, m[:2], size, dst=dst, flags=flags, borderMode=border)
    return cv2.warpPerspective(src, m, size, dst=dst, flags=flags, borderMode=border)


def _by_river(s: Subject, water: Water, g: Geometry) -> Subject:
    """A boat floats mid-river; anyone else stands on the bank nearer to where they were placed."""
    row = int(s.y)
    centre, half = float(water.centre[row]), float(water.half_width[row])
    if s.in_sky:
        return s
    if s.kind in ("boat", "fishingboat", "duck", "fish"):
        return s._replace(x=centre)
    if abs(s.x - centre) > half + s.size * 0.4:
        return s
    side = -1 if s.x < centre else 1
    return s._replace(x=centre + side * (half + s.size * 0.45))


def _rows(m: np.ndarray, g: Geometry, y: float) -> float:
    """The frame row where layer row y lands (rows stay horizontal under every camera move here)."""
    d = m[2, 1] * y + m[2, 2]
    if d <= 1e-6:  # beyond the vanishing line of the aerial ground
        return -1e9
    return (m[1, 1] * y + m[1, 2]) / d


class AnimaticEngine(VideoEngine):
    """Draws each Shot as a moving illustration; deterministic for a given shot."""

    name = "animatic"
    gives_previews = True

    def __init__(self, label: str = "PREVIEW · animatic") -> None:
        self.label = label

    def estimate_seconds(self, shot: Shot) -> float:
        """Wall time to render and encode the shot, scaled by pixel count from the measured 832×480 rate."""
        return shot.frames * SECONDS_PER_FRAME_832x480 * (shot.width * shot.height) / (832 * 480)

    # -- painting -------------------------------------------------------------------------------------------
    def _paint(self, shot: Shot) -> PaintedScene:
        words = f"{shot.prompt} {shot.caption}"
        g = Geometry.for_frame(shot.width, shot.height)
        key = f"{shot.prompt}\x00{shot.caption}\x00{shot.seed}"
        if has_facts(shot.facts):
            assert shot.facts is not None
            staged = stage(shot.facts, words)
            spec = staged.spec.model_copy(update={"holds": carried(shot.facts)})  # who holds the umbrella
            # The place is painted from the shot's seed alone, so the same place stays put when its cast changes.
            cast_key = f"{key}\x00{shot.facts.model_dump_json()}"
            subjects = cast(spec, g, np.random.default_rng(zlib.crc32(cast_key.encode())), shot.duration)
            subjects = set_cast(staged, g, subjects)
        else:
            spec = read_scene(words)
            subjects = self._place_subjects(spec, g)
        rng = np.random.default_rng(zlib.crc32(key.encode()))
        fires: list[tuple[int, int, float, int]] = []
        water = None
        trace: list[str] = []
        land: np.ndarray | None = None  # over the sea: what is land (see PaintedScene.land)
        if spec.setting in INDOOR_SETS:
            back, near = paint_indoor_set(spec, rng, g, trace)
            layers = [make_layer(back, 0.55), make_layer(near, 1.0)]
        elif "studio" in spec.elements:
            back, floor = paint_studio(spec, rng, g)
            paint_studio_props(spec, rng, floor, g, trace)
            layers = [make_layer(back, 0.55), make_layer(floor, 1.0)]
        elif "interior" in spec.elements:
            wall, near, wall_fires = paint_interior(spec, rng, g)
            layers = [make_layer(wall, 0.55), make_layer(near, 1.0)]
            fires += [(x, y, 0.55, int(g.fh * 0.13)) for x, y in wall_fires]
        else:
            sky = paint_sky(spec, rng, g.lw, g.lh, g.hz, int(g.hf))
            far = paint_far(spec, rng, g.lw, g.lh, g.hz, sky_colours(spec)[1])
            ground_ys = [int(s.y) for s in subjects if not s.in_sky]
            near, water, near_fires = paint_near(spec, rng, g, ground_ys, top_down=shot.camera == "aerial")
            if spec.shot:  # read from facts: the places they name, and the weather's grade
                sea = near.copy() if water is not None and water.kind == "sea" else None
                paint_places_far(spec, rng, far, g, sky_colours(spec)[1])
                paint_places_near(spec, rng, near, g, top_down=shot.camera == "aerial")
                paint_outdoor_set(spec, rng, g, (sky, far, near), trace, top_down=shot.camera == "aerial")
                if sea is not None and water is not None:
                    # what was painted over the sea (a cliff top, a quay, a dock) is land: its glints go, and a
                    # storm's waves roll only on the water
                    land = np.abs(near[..., :3].astype(np.int16) - sea[..., :3]).max(axis=2) > 6
                    water = water._replace(points=water.points[~_at(land, water.points, g)])
                for canvas, depth in ((sky, 0.3), (far, 0.55), (near, 1.0)):
                    grade(canvas, spec, g, depth)
            layers = [make_layer(sky, 0.3), make_layer(far, 0.55), make_layer(near, 1.0)]
            fires += [(x, y, 1.0, int(g.fh * 0.12)) for x, y in near_fires]
            if water is not None and water.kind == "river":
                if spec.shot:
                    subjects = clear_of_river(subjects, water.centre, water.half_width)
                else:
                    subjects = [_by_river(s, water, g) for s in subjects]
        trace += sorted({f"cast:{'umbrella' if holds_umbrella(s, spec) else s.kind}" for s in subjects})
        return PaintedScene(spec, g, layers, water, fires, subjects, tuple(trace), land)

    @staticmethod
    def _place_subjects(spec: SceneSpec, g: Geometry) -> list[Subject]:
        depth = g.lh - g.hz
        out: list[Subject] = []
        for i, kind in enumerate(spec.subjects):
            frac, base = SUBJECT_LOOK[kind]
            colour = shade(base, max(0.55, LIGHT[spec.time]))
            if spec.time == "night":
                colour = mix(colour, (118, 128, 170), 0.6)  # moonlit, so it still reads against dark ground
            elif "interior" in spec.elements:
                colour = shade(colour, 0.6)  # darker than the wooden floor
            # A companion stands to the right outdoors; indoors the table is there, so to the left.
            second = -0.24 if "interior" in spec.elements else 0.16
            x = g.lw / 2 + (-0.06 if i == 0 else second) * g.fw
            in_sky = kind == "bird" and "interior" not in spec.elements
            if in_sky:
                y = g.hz - (0.32 - 0.08 * i) * g.fh
            elif kind == "boat":
                y = g.hz + (0.3 if "sea" in spec.elements else 0.45) * depth
            elif "sea" in spec.elements and on_land(kind):  # on the shore, in front of the water
                y = sea_shore(spec, g) + (0.3 if i == 0 else 0.2) * (g.fh - g.hf)
            else:
                y = g.hz + (0.42 if i == 0 else 0.3) * depth
            size = frac * g.fh * (1.0 if i == 0 else 0.85)
            out.append(Subject(kind, x, y, size, colour, in_sky))
        return out

    @staticmethod
    @cache
    def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        path = cjk_font_path()
        return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)

    def _overlay(self, shot: Shot) -> tuple[np.ndarray, np.ndarray]:
        """The PREVIEW strip with the caption, premultiplied RGBA plus inverse alpha, only as tall as the strip."""
        size = max(10, shot.height // 24)
        strip = min(int(size * 2.2), shot.height) if self.label or shot.caption else 0
        if strip == 0:
            empty = np.zeros((0, shot.width, 4), np.uint8)
            return empty, empty
        img = Image.new("RGBA", (shot.width, strip), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        font = self._font(size)
        draw.rectangle((0, 0, shot.width, strip), fill=(0, 0, 0, 120))
        tag_w = 0.0
        if self.label:  # an amber tag nobody can miss
            tag_w = draw.textlength(self.label, font=font) + size
            draw.rectangle((0, 0, tag_w, strip), fill=(255, 196, 40, 235))
            draw.text((size // 2, size // 2), self.label, font=font, fill=(30, 20, 0, 255))
        caption, room = shot.caption, shot.width - tag_w - size * 1.5
        while len(caption) > 1 and draw.textlength(caption, font=font) > room:
            caption = caption[:-2] + "…"
        draw.text((tag_w + size // 2, size // 2), caption, font=font, fill=(255, 255, 255, 240))
        arr = np.asarray(img).astype(np.float32)
        alpha = arr[:, :, 3:4] / 255
        prem = np.concatenate([arr[:, :, :3] * alpha, arr[:, :, 3:4]], axis=2).round().astype(np.uint8)
        return prem, cv2.cvtColor(255 - prem[:, :, 3], cv2.COLOR_GRAY2RGBA)

    # -- per frame --------------------------------------------------------------------------------------------
    def _background(self, scene: PaintedScene, camera: str, t: float) -> np.ndarray:
        """Every layer mapped into the frame, back to front, warping only the rows a layer can show: rows under
        a nearer layer's opaque part are skipped, and a layer's own opaque rows are copied, not blended."""
        g = scene.geometry
        frame = np.empty((g.fh, g.fw, 4), np.uint8)
        mats = [camera_matrix(camera, t, lay.depth, g, ground=lay.depth == 1.0) for lay in scene.layers]
        tops = [max(0, math.floor(_rows(m, g, lay.top))) for lay, m in zip(scene.layers, mats, strict=True)]
        solids = [max(0, math.ceil(_rows(m, g, lay.solid))) for lay, m in zip(scene.layers, mats, strict=True)]
        hidden_from = g.fh
        spans = []
        for k in range(len(scene.layers) - 1, -1, -1):  # nearest first, to know what each layer hides
            end = hidden_from
            start = 0 if k == 0 else min(tops[k], end)
            solid = min(max(solids[k], start), end) if k else start
            spans.append((k, start, solid, end))
            hidden_from = min(hidden_from, solid if k else 0)
        for k, start, solid, end in reversed(spans):
            lay, m = scene.layers[k], mats[k]
            if solid > start:  # partly transparent rows: blend
                inv = _warp_rows(lay.inv, m, g, start, solid)
                prem = _warp_rows(lay.rgba, m, g, start, solid)
                view = frame[start:solid]
                cv2.multiply(view, inv, dst=view, scale=1 / 255)
                cv2.add(view, prem, dst=view)
            if end > solid:  # opaque rows: copy
                _warp_rows(lay.rgba, m, g, solid, end, dst=frame[solid:end])
        return frame

    def _draw_living(self, frame: np.ndarray, scene: PaintedScene, camera: str, shot: Shot, i: int, t: float) -> None:
        g, spec = scene.geometry, scene.spec
        secs = i / shot.fps
        near = camera_matrix(camera, t, 1.0, g, ground=True)
        if scene.water is not None:
            self._draw_glints(frame, scene, near, secs)
        for x, y, depth, size in scene.fires:
            m = camera_matrix(camera, t, depth, g, ground=depth == 1.0)
            (fx, fy), scale = _map(m, np.array([[x, y]], np.float64))[0], _local_scale(m, x, y)
            draw_flame(frame, fx, fy, size * scale, secs + x)
        if "storm" in spec.elements and "sea" in spec.elements:
            self._draw_waves(frame, scene, near, secs, shot.seed)
        movers = [s for s in scene.subjects if s.pose not in ("moored",)]
        lead = (
            max(movers, key=lambda s: s.size) if spec.shot and movers else scene.subjects[0] if scene.subjects else None
        )
        hand = None  # a kite flyer's hands, where the string ends (the kite is drawn after them, in the sky)
        for k, s in enumerate(scene.subjects):
            tracked = camera == "tracking" and not s.in_sky and s.pose != "moored"
            m = camera_matrix(camera, t, 0.45 if s.in_sky and camera != "aerial" else 1.0, g, ground=not s.in_sky)
            if s.pose:  # read from facts: walkers, runners, rowers and flyers move at their own pace
                x = s.x + s.face * s.speed * secs
            else:
                x = s.x + (0.05 * g.fw * secs if s.kind == "bird" else 0)  # birds keep flying across
            (fx, fy), scale = _map(m, np.array([[x, s.y]], np.float64))[0], _local_scale(m, x, s.y)
            if tracked and lead is not None:  # the camera keeps its subjects near the centre, lagging a little
                fx = g.fw * (0.45 + 0.02 * math.sin(2 * math.pi * t)) + (s.x - lead.x) * scale
            if s.pose:
                draw_cast(frame, s, spec, g, fx, fy, s.size * scale, secs, hand)
                hand = hand or hand_at(s, fx, fy, s.size * scale)
                continue
            phase = secs * 2 * math.pi * (1.6 if s.kind not in ("boat", "car") else 1.0) + k
            draw_subject(frame, s.kind, fx, fy, s.size * scale, phase, tracked or s.kind == "bird", s.colour)
        if not spec.elements & {"interior", "studio"}:
            self._draw_weather(frame, spec, shot, i)
            if "storm" in spec.elements and (bolt := lightning(i, shot.fps, shot.seed, g)) is not None:
                pts = (bolt * 4).astype(np.int32)
                cv2.polylines(frame, [pts], False, (170, 180, 255, 255), max(3, g.fh // 90), cv2.LINE_AA, 2)
                cv2.polylines(frame, [pts], False, (250, 250, 255, 255), max(1, g.fh // 240), cv2.LINE_AA, 2)

    @staticmethod
    def _draw_waves(frame: np.ndarray, scene: PaintedScene, near: np.ndarray, secs: float, seed: int) -> None:
        """A storm's rolling crests: a dark wave body under a foaming edge, mapped with the near layer."""
        g = scene.geometry
        for whole, f in storm_waves(secs, g, seed):
            for pts in _on_water(whole, scene.land, g):
                crest = _map(near, pts)
                body = np.concatenate([crest, crest[::-1] + [0, g.fh * (0.02 + 0.05 * f)]])
                cv2.fillPoly(frame, [(body * 4).astype(np.int32)], (28, 44, 54, 255), cv2.LINE_AA, 2)
                cv2.polylines(
                    frame,
                    [(crest * 4).astype(np.int32)],
                    False,
                    (200, 210, 214, 255),
                    max(1, int(1 + 3 * f)),
                    cv2.LINE_AA,
                    2,
                )

    @staticmethod
    def _draw_glints(frame: np.ndarray, scene: PaintedScene, near: np.ndarray, secs: float) -> None:
        water, g = scene.water, scene.geometry
        assert water is not None
        depth = g.lh - g.hz
        if water.kind == "sea":
            x, y, ph, ln = water.points.T
            x = x + 5 * np.sin(secs * 1.3 + ph)
            ln = ln * np.maximum(0, np.sin(secs * 2.1 + ph * 1.7))
        else:
            s, v, ph = water.points.T
            s = (s + 0.12 * secs) % 1.0  # the river flows toward the viewer
            y = g.hz + 2 + s**1.5 * (depth - 4)
            rows = y.astype(int)
            x = water.centre[rows] + v * water.half_width[rows]
            ln = (3 + 22 * (y - g.hz) / depth) * (0.5 + 0.5 * np.sin(secs * 2.4 + ph))
        keep = ln > 2
        a = np.stack([x[keep] - ln[keep] / 2, y[keep]], 1)
        b = np.stack([x[keep] + ln[keep] / 2, y[keep]], 1)
        if not len(a):
            return
        pa, pb = _map(near, a), _map(near, b)
        lines = (np.stack([pa, pb], 1) * 4).astype(np.int32)
        cv2.polylines(frame, list(lines), False, (*water.colour, 255), 1, cv2.LINE_AA, 2)

    @staticmethod
    def _draw_weather(frame: np.ndarray, spec: SceneSpec, shot: Shot, i: int) -> None:
        fw, fh = shot.width, shot.height
        rng = np.random.default_rng(shot.seed & 0xFFFFFFFF)
        if "rain" in spec.elements:
            storm = "storm" in spec.elements  # heavier, longer, wind-driven streaks
            n = fw * fh // (900 if storm else 2500)
            base = rng.uniform(0, 1, (n, 2)) * (fw, fh)
            speed = rng.uniform(0.8, 1.2, n) * fh * (0.08 if storm else 0.06)
            y = (base[:, 1] + speed * i) % fh
            x = (base[:, 0] - (0.5 if storm else 0.2) * speed * i) % fw
            streak = speed[:, None] * np.array([[-0.18, 0.5] if storm else [-0.05, 0.35]])
            pts = np.stack([np.stack([x, y], 1), np.stack([x, y], 1) + streak], 1).astype(np.int32)
            cv2.polylines(frame, list(pts), False, (196, 206, 226, 255), 1, cv2.LINE_AA)
        if "snow" in spec.elements:
            n = fw * fh // 2000
            base = rng.uniform(0, 1, (n, 2)) * (fw, fh)
            speed = rng.uniform(0.4, 1.0, n) * fh * 0.006
            y = (base[:, 1] + speed * i) % fh
            x = (base[:, 0] + 6 * np.sin(i * 0.08 + base[:, 1])) % fw
            radius = np.where(speed > fh * 0.0045, 2, 1)
            for px, py, r in zip(x.astype(int), y.astype(int), radius, strict=True):
                cv2.circle(frame, (int(px), int(py)), int(r), (246, 248, 252, 255), -1)

    def render(
        self, shot: Shot, progress: ProgressFn | None = None, cancel: threading.Event | None = None
    ) -> Iterator[np.ndarray]:
        """Yield shot.frames RGB frames; progress gets a quarter-size preview every eighth of the way."""
        scene = self._paint(shot)
        strip, strip_inv = self._overlay(shot)
        top = strip.shape[0]
        n = shot.frames
        camera = shot.camera if shot.camera in MOVES else "static"
        still: np.ndarray | None = None  # a static camera paints its background once
        preview_every = max(1, n // 8)
        for i in range(n):
            if cancel is not None and cancel.is_set():
                raise Cancelled("render cancelled")
            t = i / max(1, n - 1)
            if camera == "static":
                if still is None:
                    still = self._background(scene, camera, 0.0)
                frame = still.copy()
            else:
                frame = self._background(scene, camera, t)
            self._draw_living(frame, scene, camera, shot, i, t)
            if top:
                head = frame[:top]
                cv2.multiply(head, strip_inv, dst=head, scale=1 / 255)
                cv2.add(head, strip, dst=head)
            out = cv2.cvtColor(frame, cv2.COLOR_RGBA2RGB)
            if progress is not None:
                preview = cv2.resize(out, (shot.width // 4, shot.height // 4)) if (i + 1) % preview_every == 0 else None
                progress(i + 1, n, preview)
            yield out
