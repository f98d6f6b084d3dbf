"""A shop or workshop seen from inside (a bakery, a café, a carpenter's workshop, a corner store): a back wall of
shelves holding the shop's goods and a counter or workbench in front. The goods are the set's props, read from
the setting's words by animatic_sets (a bakery's shelves hold bread, a workshop's wall holds tools)."""

from __future__ import annotations

import numpy as np

from models.video.animatic_paint import Geometry, gradient, mix, rgba, shade
from models.video.animatic_pen import Pen
from models.video.animatic_words import SceneSpec

# Wall, shelf and counter colours per kind of shop: warm plaster for bread, dark wood for a workshop.
LOOKS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]] = {
    "bread": ((238, 214, 176), (150, 100, 60), (176, 122, 74)),
    "tools": ((186, 160, 126), (110, 76, 48), (150, 110, 70)),
    "cups": ((214, 196, 178), (96, 70, 52), (120, 86, 60)),
    "goods": ((220, 214, 196), (140, 110, 80), (160, 120, 84)),
}


def shop_kind(spec: SceneSpec) -> str:
    return next((p for p in spec.props if p in LOOKS), "goods")


def _goods(pen: Pen, kind: str, x0: float, x1: float, y: float, s: float, rng: np.random.Generator, lit: float) -> None:
    """One shelf's worth of goods standing on the line y, between x0 and x1."""
    x = x0 + s * 0.6
    while x < x1 - s * 0.6:
        if rng.random() < 0.2:  # a gap where something was sold: stocked shelves are never quite full
            x += s * 1.1
            continue
        if kind == "bread":  # loaves: golden ovals with a darker score
            crust = shade(mix((214, 150, 80), (184, 116, 58), rng.random()), lit)
            pen.ellipse(x, y - s * 0.32, s * 0.55, s * 0.32, crust)
            pen.line(x - s * 0.25, y - s * 0.4, x + s * 0.25, y - s * 0.4, s * 0.06, shade(crust, 0.7))
            x += s * 1.25
        elif kind == "tools":  # hanging saws and hammers: a handle and a grey blade
            pen.rect(x - s * 0.08, y - s * 1.2, x + s * 0.08, y - s * 0.6, shade((120, 80, 44), lit))
            pen.poly([(x - s * 0.3, y - s * 0.6), (x + s * 0.3, y - s * 0.6), (x + s * 0.1, y), (x - s * 0.1, y)],
                     shade((170, 176, 182), lit))  # fmt: skip
            x += s * 0.9
        elif kind == "cups":
            pen.rounded(x - s * 0.25, y - s * 0.5, x + s * 0.25, y, s * 0.08, shade((244, 240, 232), lit))
            x += s * 0.8
        else:  # jars and boxes
            col = shade(((200, 90, 60), (236, 200, 110), (120, 160, 90), (90, 120, 170))[int(rng.integers(4))], lit)
            pen.rect(x - s * 0.3, y - s * 0.7, x + s * 0.3, y, col)
            x += s * 0.85


def paint_shop(
    spec: SceneSpec, rng: np.random.Generator, g: Geometry, trace: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(opaque back wall with shelves of the shop's goods, near layer with the counter)."""
    w, h, hz = g.lw, g.lh, g.hz
    lit = {"dawn": 0.88, "day": 1.0, "dusk": 0.82, "night": 0.62}[spec.time]
    kind = shop_kind(spec)
    wall, shelf, wood = (shade(c, lit) for c in LOOKS[kind])
    back = gradient(h, w, shade(wall, 0.86), wall)
    pen = Pen(back)
    s = g.fh * 0.07
    x0, x1 = w / 2 - 0.48 * g.fw, w / 2 + 0.48 * g.fw
    for k in range(3):  # three shelves up the back wall
        y = hz - g.fh * (0.12 + 0.17 * k)
        _goods(pen, kind, x0, x1, y, s, rng, lit)
        pen.rect(x0, y, x1, y + max(3.0, g.fh * 0.015), shelf)
    trace += ["set:shop:shelves", f"set:shop:{kind}"]
    near = np.zeros((h, w, 4), np.uint8)
    near[hz:] = gradient(h - hz, w, shade((150, 120, 90), lit * 0.8), shade((150, 120, 90), lit))
    top = hz + (h - hz) * 0.1  # the counter (a workbench in a workshop) across the front
    near[int(top) : int(top + g.fh * 0.05)] = rgba(shade(wood, 1.1))
    near[int(top + g.fh * 0.05) :] = rgba(wood)
    if kind == "bread":  # a basket of loaves on the counter
        Pen(near).ellipse(w / 2 + 0.3 * g.fw, top - s * 0.2, s * 1.2, s * 0.4, shade((176, 130, 70), lit))
        _goods(Pen(near), "bread", w / 2 + 0.2 * g.fw, w / 2 + 0.42 * g.fw, top - s * 0.2, s * 0.8, rng, lit)
    trace.append("set:shop:counter")
    return back, near
