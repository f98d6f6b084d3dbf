"""Painting an interior (a room seen from inside: walls, floor, window, table, lamp) as the animatic's
background and near layers; outdoor places are in animatic_paint.py and animatic_places.py."""

from __future__ import annotations

import cv2
import numpy as np

from models.video.animatic_paint import Geometry, gradient, mix, paint_far, paint_sky, rgba, shade, sky_colours
from models.video.animatic_words import SceneSpec


def paint_interior(spec: SceneSpec, rng: np.random.Generator, g: Geometry) -> tuple[np.ndarray, np.ndarray, list]:
    """A room: back wall with a window onto the scene's sky (and fireplace, picture), and a floor with a table and lamp.

    Returns (opaque back wall, near layer with floor, table and lamp, fire anchors on the wall).
    """
    w, h, hz = g.lw, g.lh, g.hz
    lit = {"dawn": 0.9, "day": 1.0, "dusk": 0.8, "night": 0.55}[spec.time]
    wall_col = shade(mix((196, 170, 140), (150, 160, 170), rng.random() * 0.6), lit)
    back = gradient(h, w, shade(wall_col, 0.82), wall_col)
    # The window shows the outside at this time of day, with the scene's weather and far scenery.
    ww, wh = int(g.fw * 0.34), int(g.fh * 0.42)
    wx, wy = int(w / 2 - ww * 0.2), int(hz - wh - g.fh * 0.13)
    outside = SceneSpec(time=spec.time, elements=spec.elements - {"interior", "fire"}, subjects=())
    view_hz = int(wh * 0.78)
    view = paint_sky(outside, rng, ww, wh, view_hz, view_hz)
    far = paint_far(outside, rng, ww, wh, view_hz, sky_colours(outside)[1])
    a = far[:, :, 3:4].astype(np.float32) / 255
    view[:, :, :3] = np.rint(view[:, :, :3] * (1 - a) + far[:, :, :3] * a).astype(np.uint8)
    if "sea" in outside.elements:
        view[view_hz:] = gradient(wh - view_hz, ww, (60, 110, 160), (30, 70, 120))
    if "rain" in spec.elements:
        for _ in range(ww * wh // 500):
            x, y = int(rng.uniform(0, ww)), int(rng.uniform(0, wh))
            cv2.line(view, (x, y), (x - 2, y + 9), (200, 210, 225, 255), 1, cv2.LINE_AA)
    if "snow" in spec.elements:
        for _ in range(ww * wh // 400):
            cv2.circle(view, (int(rng.uniform(0, ww)), int(rng.uniform(0, wh))), 1, (245, 245, 250, 255), -1)
    back[wy : wy + wh, wx : wx + ww] = view
    frame_col = shade((250, 248, 240), lit * 0.9)
    cv2.rectangle(back, (wx, wy), (wx + ww, wy + wh), rgba(frame_col), max(4, g.fh // 60))
    cv2.line(back, (wx + ww // 2, wy), (wx + ww // 2, wy + wh), rgba(frame_col), max(3, g.fh // 90))
    cv2.line(back, (wx, wy + wh // 2), (wx + ww, wy + wh // 2), rgba(frame_col), max(3, g.fh // 90))
    cv2.rectangle(back, (wx - 12, wy + wh), (wx + ww + 12, wy + wh + 10), rgba(shade(frame_col, 0.85)), -1)
    for side in (-1, 1):  # curtains
        cx = wx - 10 if side < 0 else wx + ww + 10
        pts = np.array(
            [[cx, wy - 14], [cx + side * ww * 0.16, wy - 14], [cx + side * ww * 0.1, wy + wh + 20], [cx, wy + wh + 30]]
        )
        cv2.fillPoly(back, [pts.astype(np.int32)], rgba(shade((150, 60, 60), lit)), cv2.LINE_AA)
    fires = []
    if "fire" in spec.elements:  # a fireplace on the left of the wall
        fx, fw_ = int(w / 2 - g.fw * 0.38), int(g.fw * 0.2)
        top = hz - int(g.fh * 0.3)
        cv2.rectangle(
            back, (fx - fw_ // 2 - 14, top - 14), (fx + fw_ // 2 + 14, hz), rgba(shade((130, 70, 55), lit)), -1
        )
        cv2.rectangle(
            back, (fx - fw_ // 2 - 24, top - 26), (fx + fw_ // 2 + 24, top - 12), rgba(shade((90, 60, 45), lit)), -1
        )
        cv2.rectangle(back, (fx - fw_ // 2, top + 10), (fx + fw_ // 2, hz), (25, 15, 12, 255), -1)
        fires.append((fx, hz - 8))
    else:  # a framed picture
        px, py = int(w / 2 - g.fw * 0.36), hz - int(g.fh * 0.4)
        cv2.rectangle(back, (px, py), (px + g.fw // 8, py + g.fh // 7), rgba(shade((90, 130, 120), lit)), -1)
        cv2.rectangle(back, (px, py), (px + g.fw // 8, py + g.fh // 7), rgba(shade((120, 80, 40), lit)), 5)
    cv2.rectangle(back, (0, hz - g.fh // 40), (w, hz), rgba(shade((240, 236, 226), lit)), -1)  # skirting board

    near = np.zeros((h, w, 4), np.uint8)
    floor = shade((150, 100, 60), lit)
    near[hz:] = gradient(h - hz, w, shade(floor, 0.85), floor)
    vx = w / 2
    for k in range(-14, 15):  # planks converging on the vanishing point
        x_bottom = vx + k * w * 0.09
        cv2.line(near, (int(vx + k * w * 0.012), hz), (int(x_bottom), h), rgba(shade(floor, 0.7)), 2, cv2.LINE_AA)
    rug = np.array(
        [
            [w / 2 - g.fw * 0.3, hz + (h - hz) * 0.35],
            [w / 2 + g.fw * 0.3, hz + (h - hz) * 0.35],
            [w / 2 + g.fw * 0.42, h - (h - hz) * 0.12],
            [w / 2 - g.fw * 0.42, h - (h - hz) * 0.12],
        ],
        np.int32,
    )
    cv2.fillPoly(near, [rug], rgba(shade((120, 50, 60), lit)), cv2.LINE_AA)
    # Table on the right with a lamp.
    tx, ty, tw = int(w / 2 + g.fw * 0.27), hz + int((h - hz) * 0.25), int(g.fw * 0.24)
    wood = shade((110, 70, 40), lit)
    leg_h = int(g.fh * 0.2)
    for lx in (tx - tw // 2 + 10, tx + tw // 2 - 10):
        cv2.rectangle(near, (lx - 5, ty), (lx + 5, ty + leg_h), rgba(shade(wood, 0.8)), -1)
    top = np.array(
        [[tx - tw // 2, ty], [tx + tw // 2, ty], [tx + tw // 2 - 16, ty - 18], [tx - tw // 2 + 16, ty - 18]], np.int32
    )
    cv2.fillPoly(near, [top], rgba(wood), cv2.LINE_AA)
    cv2.rectangle(near, (tx - tw // 2, ty), (tx + tw // 2, ty + 8), rgba(shade(wood, 0.7)), -1)
    lamp_x, lamp_base = tx + tw // 5, ty - 12
    stem = int(g.fh * 0.13)
    cv2.ellipse(near, (lamp_x, lamp_base), (16, 6), 0, 0, 360, (60, 50, 40, 255), -1, cv2.LINE_AA)
    cv2.line(near, (lamp_x, lamp_base), (lamp_x, lamp_base - stem), (60, 50, 40, 255), 4)
    shade_col = (255, 226, 150) if spec.time in ("night", "dusk") else shade((236, 220, 180), lit)
    sy = lamp_base - stem
    lampshade = np.array(
        [[lamp_x - 20, sy - 34], [lamp_x + 20, sy - 34], [lamp_x + 34, sy + 6], [lamp_x - 34, sy + 6]], np.int32
    )
    cv2.fillPoly(near, [lampshade], rgba(shade_col), cv2.LINE_AA)
    if spec.time in ("night", "dusk"):  # lamplight on the wall behind it
        glow = np.zeros((h, w), np.float32)
        cv2.circle(glow, (lamp_x - int(g.fw * 0.02), sy - 20), int(g.fh * 0.32), 1.0, -1)
        glow = cv2.GaussianBlur(glow, (0, 0), g.fh * 0.12)[:, :, None] * 0.55
        back[:, :, :3] = np.minimum(255, back[:, :, :3] + glow * np.array((255, 190, 110), np.float32)).astype(np.uint8)
    return back, near, fires
