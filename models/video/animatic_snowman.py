"""A snowman: three stacked balls of snow, coal eyes and buttons, a carrot nose, stick arms, and the scarf
someone put on it when the story says so. Before it had a drawing of its own the animatic read "snowman" as a
role ending in "man" and drew a person in its place."""

from __future__ import annotations

from models.video.animatic_paint import shade
from models.video.animatic_pen import Pen

SNOW, COAL, CARROT, STICK = (242, 244, 248), (30, 30, 34), (236, 120, 30), (100, 70, 44)
SCARF = (200, 40, 44)
# (height of the ball's centre, radius) × the snowman's height: the base, the body, the head
BALLS = ((0.2, 0.2), (0.52, 0.15), (0.78, 0.11))


def draw_snowman(pen: Pen, x: float, y: float, s: float, phase: float, scarf: bool = False, face: int = 1) -> None:
    """A snowman standing on (x, y), s tall; a scarf round its neck, its end stirring in the wind."""
    for up, r in BALLS:  # lit from the upper right: a shaded rim, then the lit snow
        cy = y - up * s
        pen.ellipse(x, cy, r * s, r * s * 0.96, shade(SNOW, 0.78))
        pen.ellipse(x + r * s * 0.08, cy - r * s * 0.06, r * s * 0.9, r * s * 0.86, SNOW)
    body_y, body_r = y - BALLS[1][0] * s, BALLS[1][1] * s
    for k in (-1, 1):  # stick arms out of the body, each with a twig
        x0, y0 = x + k * body_r * 0.85, body_y - body_r * 0.2
        x1, y1 = x + k * body_r * 2.2, body_y - body_r * 0.95
        pen.line(x0, y0, x1, y1, max(1, s * 0.014), STICK)
        pen.line(x + k * body_r * 1.8, body_y - body_r * 0.7, x + k * body_r * 1.95, body_y - body_r * 1.15,
                 max(1, s * 0.01), STICK)  # fmt: skip
    for dy in (-0.4, 0.0, 0.4):  # coal buttons down the body
        pen.ellipse(x, body_y + dy * body_r, s * 0.016, s * 0.016, COAL)
    head_y, head_r = y - BALLS[2][0] * s, BALLS[2][1] * s
    for k in (-1, 1):  # coal eyes
        pen.ellipse(x + k * head_r * 0.38 + face * head_r * 0.1, head_y - head_r * 0.25, s * 0.014, s * 0.014, COAL)
    nose = [(x + face * head_r * 0.05, head_y - head_r * 0.05), (x + face * head_r * 0.05, head_y + head_r * 0.18),
            (x + face * head_r * 1.05, head_y + head_r * 0.12)]  # fmt: skip
    pen.poly(nose, CARROT)
    if scarf:  # round the neck, its end hanging down the body and stirring
        neck = y - (BALLS[1][0] + BALLS[1][1]) * s + s * 0.01
        pen.ellipse(x, neck, head_r * 1.05, s * 0.03, SCARF)
        sway = 0.02 * s * (phase % 6.283 - 3.14) / 3.14
        end = [(x - head_r * 0.55, neck), (x - head_r * 0.15, neck), (x - head_r * 0.2 + sway, neck + s * 0.17),
               (x - head_r * 0.62 + sway, neck + s * 0.16)]  # fmt: skip
        pen.poly(end, shade(SCARF, 0.85))
