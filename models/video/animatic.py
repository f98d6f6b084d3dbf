"""The animatic engine: a procedural, clearly-labelled preview of each scene, on any CPU.

Per scene it paints a layered illustration chosen from the scene's words (sky and time of day, sun or
moon, stars, mountains, sea, city, forest, rain, snow, fire, interior), then moves a far and a near
layer with parallax according to the storyboard's camera move. It needs no GPU and no download.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.fonts import cjk_font_path
from models.video.base import Cancelled, ProgressFn, Shot

# Scene words (English and Chinese) that switch on each element of the illustration.
ELEMENT_WORDS: dict[str, tuple[str, ...]] = {
    "night": ("night", "midnight", "moon", "dark", "stars", "夜", "月", "星", "黑暗", "午夜"),
    "dusk": ("dusk", "sunset", "evening", "twilight", "dawn", "sunrise", "黄昏", "日落", "傍晚", "黎明", "日出"),
    "sea": ("sea", "ocean", "beach", "wave", "harbor", "harbour", "lake", "海", "洋", "浪", "湖", "沙滩", "港"),
    "mountain": ("mountain", "hill", "peak", "cliff", "valley", "山", "峰", "悬崖", "谷"),
    "city": ("city", "street", "town", "building", "skyline", "market", "城", "街", "镇", "楼", "市"),
    "forest": ("forest", "tree", "wood", "jungle", "garden", "park", "森林", "树", "林", "花园", "公园"),
    "rain": ("rain", "storm", "雨", "暴风"),
    "snow": ("snow", "winter", "ice", "雪", "冬", "冰"),
    "fire": ("fire", "flame", "campfire", "candle", "火", "焰", "蜡烛"),
    "interior": ("room", "kitchen", "house", "home", "office", "inside", "室", "厨房", "家", "屋", "办公"),
}

SKIES = {  # (top colour, horizon colour) in RGB
    "day": ((70, 130, 210), (190, 220, 245)),
    "dusk": ((60, 50, 110), (250, 150, 90)),
    "night": ((5, 8, 30), (30, 40, 80)),
    "interior": ((90, 70, 60), (170, 140, 110)),
}


def scene_elements(text: str) -> set[str]:
    """The illustration elements the scene's words ask for."""
    lowered = text.lower()
    return {name for name, words in ELEMENT_WORDS.items() if any(w in lowered for w in words)}


def _vertical_gradient(h: int, w: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> np.ndarray:
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    col = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return np.broadcast_to(col, (h, w, 3)).astype(np.uint8)


def _ridge(rng: np.random.Generator, w: int, base: float, amp: float, roughness: int) -> np.ndarray:
    """A smooth random skyline height per column (fraction of the height)."""
    knots = rng.uniform(-1, 1, roughness + 2)
    xs = np.linspace(0, roughness + 1, w)
    return base + amp * np.interp(xs, np.arange(roughness + 2), knots)


class AnimaticEngine:
    """Draws each Shot as a moving illustration; deterministic for a given shot."""

    name = "animatic"

    def __init__(self, label: str = "PREVIEW · animatic") -> None:
        self.label = label

    def estimate_seconds(self, shot: Shot) -> float:
        # Measured about 4 ms a frame at 832×480 on one core; scale by pixel count.
        return shot.frames * 0.004 * (shot.width * shot.height) / (832 * 480)

    # -- painting -------------------------------------------------------------------------------------
    def _paint_layers(self, shot: Shot, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
        """Far layer (RGB) and near layer (RGBA), both w×h, a little larger than the frame."""
        rng = np.random.default_rng(zlib.crc32(shot.prompt.encode()) ^ shot.seed)
        el = scene_elements(f"{shot.prompt} {shot.caption}")
        sky = "interior" if "interior" in el else "night" if "night" in el else "dusk" if "dusk" in el else "day"
        far = np.ascontiguousarray(_vertical_gradient(h, w, *SKIES[sky]))
        horizon = int(h * 0.62)

        if sky == "night":
            stars = rng.integers(0, [w, horizon], size=(w * h // 3000, 2))
            far[stars[:, 1], stars[:, 0]] = 235
            cv2.circle(far, (int(w * 0.75), int(h * 0.2)), max(6, h // 16), (235, 235, 210), -1, cv2.LINE_AA)
        elif sky != "interior":
            sun_col = (255, 170, 80) if sky == "dusk" else (255, 240, 190)
            sun_y = int(h * (0.5 if sky == "dusk" else 0.18))
            cv2.circle(far, (int(w * 0.7), sun_y), max(8, h // 12), sun_col, -1, cv2.LINE_AA)

        if sky == "interior":
            cv2.rectangle(far, (int(w * 0.35), int(h * 0.15)), (int(w * 0.65), int(h * 0.45)), (200, 220, 235), -1)
            cv2.rectangle(far, (int(w * 0.35), int(h * 0.15)), (int(w * 0.65), int(h * 0.45)), (60, 45, 35), 6)
        if "mountain" in el:
            heights = _ridge(rng, w, 0.42, 0.12, 5) * h
            for x in range(w):
                far[int(heights[x]) : horizon, x] = (80, 90, 120) if sky != "night" else (25, 30, 55)
        if "city" in el:
            x = 0
            while x < w:
                bw, bh = int(rng.integers(w // 40, w // 14)), int(rng.integers(h // 8, h // 2.6))
                shade = int(rng.integers(40, 90))
                cv2.rectangle(far, (x, horizon - bh), (x + bw, horizon), (shade, shade, shade + 15), -1)
                if sky == "night":
                    for wy in range(horizon - bh + 6, horizon - 6, 10):
                        for wx in range(x + 4, x + bw - 4, 9):
                            if rng.random() < 0.4:
                                far[wy : wy + 4, wx : wx + 4] = (250, 220, 120)
                x += bw + int(rng.integers(0, w // 60 + 1))

        near = np.zeros((h, w, 4), np.uint8)
        ground = (30, 70, 140) if "sea" in el else (60, 110, 60) if sky != "interior" else (110, 80, 55)
        if sky == "night":
            ground = tuple(c // 3 for c in ground)
        near[horizon:, :, :3] = _vertical_gradient(h - horizon, w, ground, tuple(c // 2 for c in ground))
        near[horizon:, :, 3] = 255
        if "sea" in el:
            for y in range(horizon + 6, h, 14):
                cv2.line(near, (0, y), (w, y + 3), (200, 220, 240, 140), 1, cv2.LINE_AA)
        if "forest" in el:
            for _ in range(max(6, w // 45)):
                tx, th = int(rng.integers(0, w)), int(rng.integers(h // 6, h // 3))
                base = horizon + int(rng.integers(0, h // 8))
                pts = np.array([[tx, base - th], [tx - th // 3, base], [tx + th // 3, base]], np.int32)
                cv2.fillPoly(near, [pts], (20, 80 if sky != "night" else 35, 30, 255), cv2.LINE_AA)
        if "fire" in el:
            fx, fy = w // 2, horizon + (h - horizon) // 2
            for r, col in ((h // 8, (230, 80, 20, 220)), (h // 14, (255, 200, 60, 255))):
                cv2.ellipse(near, (fx, fy), (r // 2, r), 0, 180, 360, col, -1, cv2.LINE_AA)
        return far, near

    @staticmethod
    @cache
    def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        path = cjk_font_path()
        return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)

    def _overlay(self, shot: Shot) -> np.ndarray:
        """The fixed RGBA overlay: the PREVIEW label and the scene caption at the top."""
        img = Image.new("RGBA", (shot.width, shot.height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        size = max(10, shot.height // 24)
        font = self._font(size)
        draw.rectangle((0, 0, shot.width, int(size * 2.2)), fill=(0, 0, 0, 110))
        draw.text((size // 2, size // 2), self.label, font=font, fill=(255, 210, 80, 255))
        caption = shot.caption if len(shot.caption) <= 60 else shot.caption[:59] + "…"
        label_w = draw.textlength(self.label, font=font)
        draw.text((size + label_w + size, size // 2), caption, font=font, fill=(255, 255, 255, 235))
        return np.asarray(img)

    # -- motion ---------------------------------------------------------------------------------------
    @staticmethod
    def _transform(camera: str, t: float, depth: float, w: int, h: int, fw: int, fh: int) -> np.ndarray:
        """Affine matrix mapping a layer (w×h) into the frame (fw×fh) at time t in [0, 1]."""
        ease = t * t * (3 - 2 * t)
        scale, dx, dy = 1.0, 0.0, 0.0
        if camera == "push_in":
            scale = 1.0 + 0.18 * depth * ease
        elif camera == "pull_out":
            scale = 1.0 + 0.18 * depth * (1 - ease)
        elif camera in ("pan_left", "pan_right", "tracking"):
            sign = -1.0 if camera == "pan_left" else 1.0
            dx = sign * (ease - 0.5) * (w - fw) * (depth if camera == "tracking" else 0.7 + 0.3 * depth)
        elif camera == "aerial":
            scale = 1.0 + 0.06 * depth * ease
            dx, dy = (ease - 0.5) * (w - fw) * 0.5 * depth, (0.5 - ease) * (h - fh) * 0.6 * depth
        base = fw / w * 1.0  # layers are wider than the frame: fit width first
        s = max(base, fh / h) * scale
        cx, cy = w / 2 + dx, h / 2 + dy
        return np.array([[s, 0, fw / 2 - s * cx], [0, s, fh / 2 - s * cy]], np.float32)

    def render(
        self, shot: Shot, progress: ProgressFn | None = None, cancel: threading.Event | None = None
    ) -> Iterator[np.ndarray]:
        fw, fh = shot.width, shot.height
        lw, lh = int(fw * 1.25), int(fh * 1.25)  # room to move without showing an edge
        far, near = self._paint_layers(shot, lw, lh)
        overlay = self._overlay(shot)
        ov_alpha = overlay[:, :, 3:4].astype(np.float32) / 255.0
        ov_rows = np.flatnonzero(ov_alpha.reshape(fh, -1).max(axis=1) > 0)
        top = int(ov_rows.max()) + 1 if ov_rows.size else 0
        weather = scene_elements(shot.prompt) & {"rain", "snow"}
        rng = np.random.default_rng(shot.seed)
        drops = rng.uniform(0, 1, size=(max(40, fw * fh // 4000), 2)) * (fw, fh)
        n = shot.frames
        for i in range(n):
            if cancel is not None and cancel.is_set():
                raise Cancelled("render cancelled")
            t = i / max(1, n - 1)
            frame = cv2.warpAffine(
                far,
                self._transform(shot.camera, t, 0.5, lw, lh, fw, fh),
                (fw, fh),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REFLECT,
            )
            layer = cv2.warpAffine(
                near,
                self._transform(shot.camera, t, 1.0, lw, lh, fw, fh),
                (fw, fh),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            )
            rows = np.flatnonzero(layer[:, fw // 2, 3])  # the near layer covers the lower part only
            y0 = int(rows.min()) if rows.size else fh
            a = layer[y0:, :, 3:4].astype(np.float32) / 255.0
            frame[y0:] = (layer[y0:, :, :3] * a + frame[y0:] * (1 - a)).astype(np.uint8)
            if weather:
                fall = (drops + (0, i * (9 if "rain" in weather else 2))) % (fw, fh)
                for x, y in fall.astype(int):
                    if "rain" in weather:
                        cv2.line(frame, (x, y), (x - 2, y + 10), (190, 200, 220), 1)
                    else:
                        cv2.circle(frame, (x, y), 2, (245, 245, 250), -1)
            if top:
                a = ov_alpha[:top]
                frame[:top] = (overlay[:top, :, :3] * a + frame[:top] * (1 - a)).astype(np.uint8)
            if progress is not None:
                progress(i + 1, n, None)
            yield frame
