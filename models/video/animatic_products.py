"""Products and small objects, drawn as clean simple shapes standing on (x, y), s pixels tall: a bottle, phone,
watch, cup, can, box, shoe, book, letter, lamp, laptop, headphones, bag, jar, ball, loaf. `colour` is the
product's own colour (picked from the seed's palette); `phase` turns a highlight across it, so a hero shot
gleams as it would on a turntable.
"""

from __future__ import annotations

import math

from models.video.animatic_pen import RGB, Pen

# Saturated, so a product stands out on every studio backdrop (pale or slate).
PRODUCT_COLOURS: tuple[RGB, ...] = ((40, 120, 200), (210, 60, 60), (40, 150, 110), (236, 150, 30), (150, 80, 190))
# Width over height of each shape, to keep a close-up inside the frame.
ASPECT = {
    "bottle": 0.36,
    "teabottle": 0.34,
    "teacup": 1.3,
    "phone": 0.5,
    "watch": 0.45,
    "cup": 0.9,
    "can": 0.5,
    "box": 1.1,
    "shoe": 1.7,
    "book": 1.0,
    "letter": 1.3,
    "lamp": 0.6,
    "laptop": 1.4,
    "headphones": 0.9,
    "bag": 1.0,
    "jar": 0.9,
    "ball": 1.0,
    "bread": 1.6,
    "flower": 0.8,
}


def _light(col: RGB, k: float) -> RGB:
    return tuple(int(max(0, min(255, c * k))) for c in col)  # type: ignore[return-value]


def _gleam(pen: Pen, x0: float, y0: float, x1: float, y1: float, phase: float) -> None:
    """A soft vertical highlight sliding across a shape's face."""
    u = 0.5 + 0.42 * math.sin(phase * 0.5)
    gx, w = x0 + (x1 - x0) * u, (x1 - x0) * 0.08
    pen.rect(gx - w / 2, y0, gx + w / 2, y1, (250, 250, 250))


def draw_product(pen: Pen, kind: str, x: float, y: float, s: float, colour: RGB, phase: float) -> None:
    dark, pale = _light(colour, 0.6), _light(colour, 1.35)
    if kind in ("teabottle", "teacup"):
        _draw_tea(pen, kind, x, y, s, colour, phase)
    elif kind == "bottle":
        w = s * 0.34
        pen.rounded(x - w / 2, y - s * 0.68, x + w / 2, y, w * 0.2, colour)
        pen.poly(
            [
                (x - w / 2, y - s * 0.62),
                (x + w / 2, y - s * 0.62),
                (x + w * 0.2, y - s * 0.82),
                (x - w * 0.2, y - s * 0.82),
            ],
            colour,
        )
        pen.rect(x - w * 0.18, y - s * 0.92, x + w * 0.18, y - s * 0.8, colour)
        pen.rect(x - w * 0.22, y - s, x + w * 0.22, y - s * 0.9, (50, 50, 56))
        pen.rect(x - w / 2, y - s * 0.45, x + w / 2, y - s * 0.22, (242, 238, 228))  # label
        pen.rect(x - w * 0.35, y - s * 0.38, x + w * 0.1, y - s * 0.33, dark)
        _gleam(pen, x - w / 2, y - s * 0.66, x + w / 2, y - s * 0.48, phase)
    elif kind == "phone":
        w = s * 0.5
        pen.rounded(x - w / 2, y - s, x + w / 2, y, w * 0.14, (30, 30, 36))
        pen.rounded(x - w * 0.44, y - s * 0.96, x + w * 0.44, y - s * 0.04, w * 0.1, pale)
        pen.rounded(x - w * 0.44, y - s * 0.5, x + w * 0.44, y - s * 0.04, w * 0.1, colour)
        for k in range(3):
            pen.rounded(
                x - w * 0.34 + k * w * 0.25,
                y - s * 0.85,
                x - w * 0.16 + k * w * 0.25,
                y - s * 0.75,
                w * 0.04,
                (250, 250, 250),
            )
        pen.rounded(x - w * 0.12, y - s * 0.985, x + w * 0.12, y - s * 0.965, w * 0.02, (20, 20, 24))
        _gleam(pen, x - w * 0.44, y - s * 0.96, x + w * 0.44, y - s * 0.5, phase)
    elif kind == "watch":
        r = s * 0.22
        pen.rounded(x - r * 0.75, y - s, x + r * 0.75, y, r * 0.3, dark)  # strap
        pen.ellipse(x, y - s * 0.5, r * 1.05, r * 1.05, (190, 190, 196))
        pen.ellipse(x, y - s * 0.5, r * 0.9, r * 0.9, (24, 26, 32))
        for k in range(12):
            a = k * math.pi / 6
            pen.line(
                x + math.cos(a) * r * 0.7,
                y - s * 0.5 + math.sin(a) * r * 0.7,
                x + math.cos(a) * r * 0.82,
                y - s * 0.5 + math.sin(a) * r * 0.82,
                max(1, r * 0.05),
                (230, 230, 230),
            )
        for rate, length, width in ((0.08, 0.45, 0.09), (1.0, 0.68, 0.05)):
            a = phase * rate - math.pi / 2
            pen.line(
                x,
                y - s * 0.5,
                x + math.cos(a) * r * length,
                y - s * 0.5 + math.sin(a) * r * length,
                max(1, r * width),
                pale,
            )
    elif kind in ("cup", "jar", "can"):
        w = s * (0.5 if kind == "can" else 0.75 if kind == "cup" else 0.8)
        top = y - s * (1.0 if kind == "can" else 0.8 if kind == "cup" else 0.75)
        if kind == "cup":
            pen.arc(x + w * 0.5, (top + y) / 2, w * 0.22, s * 0.2, -90, 90, max(2, w * 0.08), colour)
        pen.rect(x - w / 2, top, x + w / 2, y - w * 0.08, colour)
        pen.ellipse(x, y - w * 0.08, w / 2, w * 0.1, colour)
        pen.ellipse(x, top, w / 2, w * 0.1, (60, 36, 24) if kind == "cup" else pale)
        if kind == "jar":
            pen.rect(x - w * 0.52, top - s * 0.14, x + w * 0.52, top, (60, 60, 66))
            pen.ellipse(x, top - s * 0.14, w * 0.52, w * 0.08, (90, 90, 96))
            pen.rect(x - w / 2, top + s * 0.2, x + w / 2, top + s * 0.45, (244, 240, 230))
        if kind == "can":
            pen.rect(x - w / 2, top + s * 0.3, x + w / 2, top + s * 0.55, pale)
        if kind == "cup":  # steam
            for k in (-1, 0, 1):
                pts = [
                    (x + k * w * 0.2 + math.sin(phase + j * 0.9 + k) * w * 0.06, top - s * 0.05 - j * s * 0.08)
                    for j in range(5)
                ]
                pen.path(pts, max(1, s * 0.015), (236, 236, 240))
        _gleam(pen, x - w / 2, top + s * 0.05, x + w / 2, y - w * 0.1, phase)
    elif kind == "box":
        w, d = s * 0.9, s * 0.25
        pen.poly(
            [
                (x - w / 2, y - s * 0.75),
                (x + w / 2 - d, y - s * 0.75),
                (x + w / 2, y - s * 0.75 - d * 0.6 - s * 0.0),
                (x - w / 2 + d, y - s * 0.75 - d * 0.6),
            ],
            pale,
        )
        pen.poly(
            [
                (x + w / 2 - d, y - s * 0.75),
                (x + w / 2, y - s * 0.75 - d * 0.6),
                (x + w / 2, y - d * 0.6),
                (x + w / 2 - d, y),
            ],
            dark,
        )
        pen.rect(x - w / 2, y - s * 0.75, x + w / 2 - d, y, colour)
        pen.rect(x - w * 0.12, y - s * 0.75, x - w * 0.02, y, (246, 224, 120))  # ribbon
        pen.ellipse(x - w * 0.07, y - s * 0.82, w * 0.12, s * 0.05, (246, 224, 120))
    elif kind == "shoe":
        ln = s * 1.6
        pen.poly(
            [(x - ln / 2, y - s * 0.12), (x + ln / 2, y - s * 0.12), (x + ln / 2, y), (x - ln / 2, y)], (240, 240, 236)
        )
        pen.poly(
            [
                (x - ln / 2, y - s * 0.12),
                (x - ln * 0.45, y - s * 0.7),
                (x - ln * 0.15, y - s * 0.72),
                (x + ln * 0.05, y - s * 0.45),
                (x + ln * 0.4, y - s * 0.32),
                (x + ln / 2, y - s * 0.12),
            ],
            colour,
        )
        for k in range(4):
            lx = x - ln * 0.12 + k * ln * 0.06
            pen.line(
                lx,
                y - s * (0.62 - k * 0.06),
                lx + ln * 0.05,
                y - s * (0.58 - k * 0.06),
                max(1, s * 0.03),
                (250, 250, 250),
            )
        pen.path(
            [(x - ln * 0.4, y - s * 0.3), (x + ln * 0.1, y - s * 0.25), (x + ln * 0.4, y - s * 0.2)],
            max(1, s * 0.04),
            pale,
        )
    elif kind in ("book", "letter"):
        w = s * (1.0 if kind == "book" else 1.3)
        h = s * (0.75 if kind == "book" else 0.8)
        if kind == "book":
            pen.rect(x - w / 2 + s * 0.06, y - h - s * 0.04, x + w / 2 + s * 0.06, y - s * 0.04, (240, 236, 220))
            pen.rect(x - w / 2, y - h, x + w / 2, y, colour)
            pen.rect(x - w / 2, y - h, x - w * 0.4, y, dark)
            pen.rect(x - w * 0.2, y - h * 0.75, x + w * 0.35, y - h * 0.6, pale)
        else:
            pen.rect(x - w / 2, y - h, x + w / 2, y, (244, 238, 220))
            pen.path([(x - w / 2, y - h), (x, y - h * 0.45), (x + w / 2, y - h)], max(1, s * 0.03), (170, 150, 120))
            pen.ellipse(x, y - h * 0.45, s * 0.07, s * 0.07, (180, 40, 40))
    elif kind == "lamp":
        w = s * 0.5
        pen.rect(x - w / 2, y - s * 0.1, x + w / 2, y, (50, 46, 40))
        pen.ellipse(x, y - s * 0.5, w * 0.8, s * 0.45, (255, 200, 100))  # glow
        pen.rect(x - w * 0.38, y - s * 0.8, x + w * 0.38, y - s * 0.1, (255, 226, 150))
        pen.poly(
            [
                (x - w * 0.1, y - s * 0.25),
                (x, y - s * (0.55 + 0.04 * math.sin(phase * 3))),
                (x + w * 0.1, y - s * 0.25),
            ],
            (255, 150, 40),
        )
        pen.rect(x - w / 2, y - s * 0.88, x + w / 2, y - s * 0.8, (50, 46, 40))
        pen.arc(x, y - s * 0.88, w * 0.3, s * 0.12, 180, 360, max(1, s * 0.03), (50, 46, 40))
    elif kind == "laptop":
        w = s * 1.3
        pen.rounded(x - w * 0.42, y - s * 0.85, x + w * 0.42, y - s * 0.12, s * 0.03, (40, 40, 46))
        pen.rect(x - w * 0.38, y - s * 0.8, x + w * 0.38, y - s * 0.17, pale)
        pen.rect(x - w * 0.38, y - s * 0.5, x + w * 0.38, y - s * 0.17, colour)
        pen.poly(
            [(x - w * 0.42, y - s * 0.12), (x + w * 0.42, y - s * 0.12), (x + w / 2, y), (x - w / 2, y)],
            (180, 182, 190),
        )
    elif kind == "headphones":
        r = s * 0.42
        pen.arc(x, y - s * 0.45, r, r, 180, 360, max(2, s * 0.07), dark)
        for k in (-1, 1):
            pen.rounded(x + k * r - s * 0.1, y - s * 0.55, x + k * r + s * 0.1, y - s * 0.1, s * 0.06, colour)
    elif kind == "bag":
        w = s * 0.95
        pen.arc(x, y - s * 0.7, w * 0.26, s * 0.3, 180, 360, max(2, s * 0.05), dark)
        pen.poly([(x - w * 0.42, y - s * 0.7), (x + w * 0.42, y - s * 0.7), (x + w / 2, y), (x - w / 2, y)], colour)
        pen.rect(x - w * 0.1, y - s * 0.6, x + w * 0.1, y - s * 0.52, (236, 210, 120))
    elif kind == "ball":
        r = s * 0.5
        pen.ellipse(x, y - r, r, r, colour)
        pen.ellipse(x - r * 0.3, y - r * 1.35, r * 0.25, r * 0.18, pale)
    elif kind == "bread":
        ln = s * 1.5
        pen.ellipse(x, y - s * 0.35, ln / 2, s * 0.35, (200, 140, 70))
        for k in range(3):
            cx = x - ln * 0.2 + k * ln * 0.2
            pen.line(cx - ln * 0.06, y - s * 0.5, cx + ln * 0.06, y - s * 0.35, max(1, s * 0.05), (236, 200, 140))
    elif kind == "flower":
        for k, ox in enumerate((-0.25, 0.0, 0.25)):
            fx, fy = x + ox * s, y - s * (0.75 + 0.12 * (k % 2))
            pen.line(x + ox * s * 0.3, y, fx, fy, max(1, s * 0.03), (60, 130, 50))
            for j in range(5):
                a = j * 2 * math.pi / 5 + phase * 0.05
                pen.ellipse(fx + math.cos(a) * s * 0.07, fy + math.sin(a) * s * 0.07, s * 0.06, s * 0.06, colour)
            pen.ellipse(fx, fy, s * 0.04, s * 0.04, (250, 210, 60))


def _draw_tea(pen: Pen, kind: str, x: float, y: float, s: float, colour: RGB, phase: float) -> None:
    """A clear bottle of amber tea with a cap and a wrap-around label, or a tea bowl of green tea on a saucer."""
    if kind == "teacup":
        w = s * 1.2
        pen.ellipse(x, y - s * 0.04, w * 0.55, s * 0.08, (210, 200, 186))  # saucer
        pen.poly([(x - w * 0.42, y - s * 0.62), (x + w * 0.42, y - s * 0.62), (x + w * 0.3, y - s * 0.1),
                  (x - w * 0.3, y - s * 0.1)], (96, 70, 52))  # fmt: skip
        pen.ellipse(x, y - s * 0.1, w * 0.3, s * 0.06, (96, 70, 52))
        pen.ellipse(x, y - s * 0.62, w * 0.42, s * 0.1, (130, 100, 76))
        pen.ellipse(x, y - s * 0.62, w * 0.37, s * 0.075, (120, 160, 60))  # green tea
        for k in range(3):  # steam
            sx = x + (k - 1) * w * 0.14
            pen.path(
                [(sx, y - s * 0.72), (sx + w * 0.04, y - s * 0.85), (sx - w * 0.02, y - s * 0.98)], 2, (236, 236, 236)
            )
        return
    w = s * 0.32
    amber, glass = (186, 118, 36), (226, 214, 190)
    pen.rounded(x - w / 2, y - s * 0.7, x + w / 2, y, w * 0.25, amber)
    pen.poly([(x - w / 2, y - s * 0.66), (x + w / 2, y - s * 0.66), (x + w * 0.2, y - s * 0.84),
              (x - w * 0.2, y - s * 0.84)], glass)  # fmt: skip
    pen.rect(x - w * 0.2, y - s * 0.92, x + w * 0.2, y - s * 0.83, glass)
    pen.rounded(x - w * 0.24, y - s, x + w * 0.24, y - s * 0.9, w * 0.05, (240, 240, 236))  # cap
    pen.rect(x - w / 2, y - s * 0.5, x + w / 2, y - s * 0.2, colour)  # label
    pen.ellipse(x, y - s * 0.35, w * 0.22, w * 0.12, (250, 250, 244), angle=-30)  # a tea leaf on it
    pen.line(x - w * 0.18, y - s * 0.33, x + w * 0.18, y - s * 0.37, 1, colour)
    _gleam(pen, x - w / 2, y - s * 0.68, x + w / 2, y - s * 0.52, phase)
