"""The wall behind a work table, chosen from where the scene is: a tiled kitchen with a window and a shelf of
jars, a workshop's plank wall with tools on a pegboard, a classroom's chalkboard, an artist's studio hung with
canvases, an office's blinds and bookshelf, a room at home with a framed picture. A carpenter's bench or a
clockmaker's is not a kitchen counter, and the picture should say so before anyone reads the caption.

Coordinates are layer pixels (see animatic_paint.Geometry); `top` is the table top's row.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from models.video.animatic_facts import _find, _index
from models.video.animatic_paint import Geometry, gradient, mix, rgba, shade
from models.video.animatic_pen import Pen
from models.video.animatic_words import SceneSpec

# fmt: off
# Setting words → the wall behind the table; the first named wins (longer phrases before their words).
BACKDROP_WORDS: dict[str, tuple[str, ...]] = {
    "kitchen": ("kitchen", "stove", "counter", "countertop", "kitchen table", "kitchen counter", "bakery counter",
                "cooking station", "prep table", "canteen", "restaurant kitchen"),
    "workshop": ("workshop", "woodshop", "carpentry shop", "workbench", "work bench", "garage", "shed",
                 "tool shed", "forge", "smithy", "repair shop", "clock shop", "watch shop", "toolshed", "barn"),
    "classroom": ("classroom", "school", "lab", "laboratory", "lab bench", "lecture hall", "class room"),
    "studio": ("studio", "art studio", "atelier", "pottery", "pottery studio", "craft room", "sewing room",
               "painting studio", "artist's studio"),
    "office": ("office", "study", "desk", "library", "bureau"),
    "home": ("bedroom", "living room", "room", "home", "house", "apartment", "flat", "attic", "cottage",
             "dining room", "dining table"),
}
# fmt: on
BACKDROP_INDEX = _index(BACKDROP_WORDS)
BENCH_PROPS = frozenset({"wood", "clock"})  # a bench's own work: a workshop wherever it is not said otherwise
SKY = {"dawn": (250, 200, 160), "day": (170, 210, 240), "dusk": (240, 150, 100), "night": (30, 40, 80)}


def backdrop_for(setting: str, props: tuple[str, ...] | list[str]) -> str:
    """The wall behind a work table for a setting phrase and the props on the table (kitchen when unsaid)."""
    said = [k for _, k in _find(setting, BACKDROP_INDEX)]
    if said:
        return said[0]
    return "workshop" if BENCH_PROPS & set(props) else "kitchen"


def _upper(g: Geometry, top: int, tall: float) -> int:
    """The row a thing `tall` frame heights above the table top starts at, kept below the frame's top edge
    (a medium shot shows little wall), so what hangs on the wall stays in the picture."""
    return int(max(g.hz - g.hf + 0.06 * g.fh, top - tall * g.fh))


def _window(back: np.ndarray, x: int, y: int, w: int, h: int, time: str, lit: float, g: Geometry) -> None:
    back[max(0, y) : y + h, x : x + w] = rgba(SKY[time])
    frame = rgba(shade((250, 250, 246), lit))
    cv2.rectangle(back, (x, y), (x + w, y + h), frame, max(3, g.fh // 80))
    cv2.line(back, (x + w // 2, y), (x + w // 2, y + h), frame, max(2, g.fh // 120))


def _kitchen(back: np.ndarray, spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float) -> str:
    w, h = g.lw, g.lh
    wall = shade(mix((236, 226, 206), (214, 226, 222), rng.random()), lit)
    back[:] = gradient(h, w, shade(wall, 0.9), wall)
    tile_top = max(0, top - int(0.26 * g.fh))
    tile = rgba(shade(wall, 0.8))
    back[tile_top:] = gradient(h - tile_top, w, shade((232, 236, 238), lit), shade((214, 220, 224), lit))
    step = max(8, int(g.fh * 0.05))
    for y in range(tile_top, h, step):
        cv2.line(back, (0, y), (w, y), tile, 1)
    for x in range(0, w, step):
        cv2.line(back, (x, tile_top), (x, h), tile, 1)
    _window(back, int(w / 2 - 0.42 * g.fw), int(tile_top - 0.42 * g.fh), int(0.28 * g.fw), int(0.34 * g.fh),
            spec.time, lit, g)  # fmt: skip
    sy = tile_top - int(0.12 * g.fh)  # a shelf of jars
    sx0 = int(w / 2 + 0.12 * g.fw)
    cv2.rectangle(
        back, (sx0, sy), (sx0 + int(0.34 * g.fw), sy + max(3, g.fh // 70)), rgba(shade((150, 104, 64), lit)), -1
    )
    for k in range(5):
        jx, jh = sx0 + int((0.03 + 0.065 * k) * g.fw), int(g.fh * (0.06 + 0.02 * (k % 2)))
        col = shade(((200, 90, 60), (236, 200, 110), (120, 160, 90), (210, 200, 180), (90, 120, 170))[k], lit)
        cv2.rectangle(back, (jx, sy - jh), (jx + int(0.04 * g.fw), sy), rgba(col), -1)
    return "tiles"


def _workshop(back: np.ndarray, spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float) -> str:
    """Plank walls, a pegboard over the bench with its tools hung in outline, a lamp."""
    w, h = g.lw, g.lh
    plank = shade(mix((150, 108, 70), (176, 128, 84), rng.random()), lit)
    back[:] = gradient(h, w, shade(plank, 0.8), plank)
    step = max(10, int(g.fw * 0.06))
    for x in range(0, w, step):  # board joins
        cv2.line(back, (x, 0), (x, h), rgba(shade(plank, 0.7)), max(1, g.fh // 200))
    px0, px1 = int(w / 2 - 0.4 * g.fw), int(w / 2 + 0.4 * g.fw)
    py0, py1 = _upper(g, top, 0.5), top - int(0.03 * g.fh)
    board = shade((206, 172, 124), lit)
    back[py0:py1, px0:px1] = rgba(board)
    hole = max(6, int(g.fh * 0.035))
    for y in range(py0 + hole // 2, py1, hole):  # the pegboard's holes
        for x in range(px0 + hole // 2, px1, hole):
            cv2.circle(back, (x, y), max(1, hole // 6), rgba(shade(board, 0.6)), -1)
    pen = Pen(back, lambda c: shade(c, lit))
    s = min(g.fh * 0.2, (py1 - py0) * 0.9)  # the tools fit the board that shows
    ty = (py0 + py1) / 2 + s * 0.15
    steel, grip = (176, 180, 188), (150, 60, 40)
    cx = w / 2 - 0.3 * g.fw  # a saw
    pen.poly([(cx - s * 0.1, ty - s * 0.4), (cx + s * 0.55, ty - s * 0.3), (cx + s * 0.55, ty - s * 0.18),
              (cx - s * 0.1, ty - s * 0.05)], steel)  # fmt: skip
    pen.rounded(cx - s * 0.3, ty - s * 0.42, cx - s * 0.05, ty - s * 0.02, s * 0.06, grip)
    cx = w / 2 - 0.02 * g.fw  # a hammer
    pen.line(cx, ty - s * 0.42, cx, ty + s * 0.15, s * 0.07, (176, 130, 80))
    pen.rounded(cx - s * 0.16, ty - s * 0.5, cx + s * 0.16, ty - s * 0.38, s * 0.02, (70, 72, 78))
    cx = w / 2 + 0.12 * g.fw  # a wrench
    pen.line(cx, ty - s * 0.4, cx, ty + s * 0.12, s * 0.06, steel)
    pen.ellipse(cx, ty - s * 0.42, s * 0.08, s * 0.08, steel)
    pen.ellipse(cx, ty - s * 0.46, s * 0.035, s * 0.05, board)
    cx = w / 2 + 0.22 * g.fw  # a screwdriver and pliers
    pen.line(cx, ty - s * 0.1, cx, ty + s * 0.2, s * 0.03, steel)
    pen.rounded(cx - s * 0.04, ty - s * 0.38, cx + s * 0.04, ty - s * 0.1, s * 0.03, (220, 180, 40))
    for k in (-1, 1):
        pen.line(w / 2 + 0.3 * g.fw, ty - s * 0.3, w / 2 + 0.3 * g.fw + k * s * 0.08, ty + s * 0.15, s * 0.04, grip)
    lx = int(w / 2 + 0.36 * g.fw)  # a hanging lamp
    cv2.line(back, (lx, 0), (lx, py0 - int(0.02 * g.fh)), rgba(shade((40, 40, 40), lit)), 2)
    pen.poly([(lx - s * 0.2, py0), (lx + s * 0.2, py0), (lx + s * 0.08, py0 - s * 0.2), (lx - s * 0.08, py0 - s * 0.2)],
             (60, 90, 70))  # fmt: skip
    return "pegboard"


def _classroom(back: np.ndarray, spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float) -> str:
    """A pale wall with a chalkboard and its chalk, and a clock."""
    w, h = g.lw, g.lh
    wall = shade(mix((226, 222, 196), (206, 222, 206), rng.random()), lit)
    back[:] = gradient(h, w, shade(wall, 0.9), wall)
    bx0, bx1, by0, by1 = (
        int(w / 2 - 0.36 * g.fw),
        int(w / 2 + 0.3 * g.fw),
        max(0, top - int(0.5 * g.fh)),
        top - int(0.06 * g.fh),
    )
    cv2.rectangle(back, (bx0 - 6, by0 - 6), (bx1 + 6, by1 + 6), rgba(shade((140, 100, 60), lit)), -1)
    back[by0:by1, bx0:bx1] = rgba(shade((46, 84, 66), lit))
    chalk = rgba(shade((226, 232, 226), lit))
    for k in range(4):  # lines of writing
        y = by0 + int((k + 1) * (by1 - by0) / 5)
        x1 = bx0 + int((0.5 + 0.4 * rng.random()) * (bx1 - bx0))
        cv2.line(back, (bx0 + int(0.06 * (bx1 - bx0)), y), (x1, y), chalk, max(1, g.fh // 150))
    cx, cy, r = int(w / 2 + 0.4 * g.fw), _upper(g, top, 0.42) + int(g.fh * 0.06), int(g.fh * 0.06)
    cv2.circle(back, (cx, cy), r, rgba(shade((250, 250, 246), lit)), -1)
    cv2.circle(back, (cx, cy), r, rgba(shade((40, 40, 40), lit)), max(1, g.fh // 150))
    cv2.line(back, (cx, cy), (cx, cy - int(r * 0.7)), rgba((30, 30, 30)), 2)
    cv2.line(back, (cx, cy), (cx + int(r * 0.5), cy), rgba((30, 30, 30)), 2)
    return "chalkboard"


def _studio(back: np.ndarray, spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float) -> str:
    """A white-washed wall hung with canvases, a window of north light."""
    w, h = g.lw, g.lh
    wall = shade(mix((240, 238, 232), (232, 228, 220), rng.random()), lit)
    back[:] = gradient(h, w, shade(wall, 0.92), wall)
    _window(back, int(w / 2 - 0.44 * g.fw), _upper(g, top, 0.5), int(0.2 * g.fw), int(0.36 * g.fh), spec.time, lit, g)
    colours = ((220, 120, 80), (80, 140, 200), (240, 200, 90), (110, 170, 110), (180, 90, 140))
    for k in range(3):
        x0 = int(w / 2 - 0.16 * g.fw + k * 0.2 * g.fw)
        y0, cw = _upper(g, top, 0.46 - 0.05 * (k % 2)), int(0.15 * g.fw)
        ch = min(int(0.26 * g.fh), top - y0 - int(0.04 * g.fh))
        cv2.rectangle(back, (x0 - 4, y0 - 4), (x0 + cw + 4, y0 + ch + 4), rgba(shade((120, 90, 60), lit)), -1)
        back[y0 : y0 + ch, x0 : x0 + cw] = rgba(shade((246, 244, 236), lit))
        for j in range(3):  # broad strokes of paint
            col = rgba(shade(colours[(k + j) % len(colours)], lit))
            yy = y0 + int(ch * (0.25 + 0.25 * j))
            cv2.line(back, (x0 + cw // 8, yy), (x0 + cw - cw // 6, yy - ch // 8), col, max(3, ch // 8))
    return "canvases"


def _office(back: np.ndarray, spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float) -> str:
    """A plain wall, a window with blinds and a bookshelf of coloured spines."""
    w, h = g.lw, g.lh
    wall = shade(mix((220, 222, 226), (226, 220, 206), rng.random()), lit)
    back[:] = gradient(h, w, shade(wall, 0.9), wall)
    wx, wy, ww, wh = int(w / 2 - 0.4 * g.fw), _upper(g, top, 0.48), int(0.26 * g.fw), int(0.36 * g.fh)
    _window(back, wx, wy, ww, wh, spec.time, lit, g)
    for y in range(wy, wy + wh, max(4, int(g.fh * 0.025))):  # the blinds
        cv2.line(back, (wx, y), (wx + ww, y), rgba(shade((236, 236, 230), lit)), max(1, g.fh // 160))
    sx0, sx1, sy0 = int(w / 2 + 0.06 * g.fw), int(w / 2 + 0.42 * g.fw), _upper(g, top, 0.56) - int(0.06 * g.fh)
    wood = shade((120, 84, 56), lit)
    cv2.rectangle(back, (sx0, sy0), (sx1, top), rgba(wood), -1)
    spines = ((170, 50, 50), (50, 90, 150), (220, 180, 70), (60, 120, 80), (120, 70, 130), (220, 220, 210))
    shelf = (top - sy0) // 3
    for row in range(3):
        y1, x = sy0 + (row + 1) * shelf - 4, sx0 + 6
        while x < sx1 - 10:
            bw, bh = int(g.fw * rng.uniform(0.012, 0.024)), int(shelf * rng.uniform(0.6, 0.85))
            cv2.rectangle(back, (x, y1 - bh), (x + bw, y1), rgba(shade(spines[int(rng.integers(6))], lit)), -1)
            x += bw + 2
        cv2.line(back, (sx0, y1 + 2), (sx1, y1 + 2), rgba(shade(wood, 0.7)), 4)
    return "bookshelf"


def _home(back: np.ndarray, spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float) -> str:
    """A room at home: striped wallpaper, a window with curtains, a framed picture."""
    w, h = g.lw, g.lh
    paper = shade(mix((232, 214, 190), (214, 206, 226), rng.random()), lit)
    back[:] = gradient(h, w, shade(paper, 0.9), paper)
    for x in range(0, w, max(8, int(g.fw * 0.04))):
        cv2.line(back, (x, 0), (x, h), rgba(shade(paper, 0.94)), max(2, g.fh // 100))
    wx, wy, ww, wh = int(w / 2 - 0.38 * g.fw), _upper(g, top, 0.5), int(0.24 * g.fw), int(0.36 * g.fh)
    _window(back, wx, wy, ww, wh, spec.time, lit, g)
    curtain = rgba(shade((170, 70, 70), lit))
    for x0 in (wx - int(0.04 * g.fw), wx + ww):
        cv2.rectangle(back, (x0, wy - 6), (x0 + int(0.04 * g.fw), wy + wh + 10), curtain, -1)
    fx, fy = int(w / 2 + 0.18 * g.fw), _upper(g, top, 0.44)
    fh = min(int(0.22 * g.fh), top - fy - int(0.04 * g.fh))
    cv2.rectangle(back, (fx, fy), (fx + int(0.16 * g.fw), fy + fh), rgba(shade((150, 110, 60), lit)), -1)
    inner = (fx + 6, fy + 6, fx + int(0.16 * g.fw) - 6, fy + fh - 6)
    back[inner[1] : inner[3], inner[0] : inner[2]] = rgba(shade((150, 190, 220), lit))
    hill = np.array(
        [(inner[0], inner[3]), ((inner[0] + inner[2]) // 2, (inner[1] + inner[3]) // 2), (inner[2], inner[3])]
    )
    cv2.fillPoly(back, [hill], rgba(shade((90, 140, 80), lit)))
    return "room"


BACKDROPS: dict[str, Callable[[np.ndarray, SceneSpec, np.random.Generator, Geometry, int, float], str]] = {
    "kitchen": _kitchen, "workshop": _workshop, "classroom": _classroom, "studio": _studio, "office": _office,
    "home": _home,
}  # fmt: skip


def paint_backdrop(spec: SceneSpec, rng: np.random.Generator, g: Geometry, top: int, lit: float,
                   trace: list[str]) -> np.ndarray:  # fmt: skip
    """The opaque wall behind the table for the spec's backdrop, noted in the trace as set:table:<what>."""
    back = np.zeros((g.lh, g.lw, 4), np.uint8)
    mark = BACKDROPS.get(spec.backdrop or "kitchen", _kitchen)(back, spec, rng, g, top, lit)
    trace.append(f"set:table:{mark}")
    return back
