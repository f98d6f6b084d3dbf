"""What makes a person read as medical at a glance, drawn over draw_person's body: a doctor's knee-length white
coat open over a blue shirt, with a stethoscope round the neck; a nurse's light-blue scrubs under a small white
cap with a red cross. Before, a doctor was drawn as a chef, whose tall white hat read as a cook's.
"""

from __future__ import annotations

from models.video.animatic_pen import RGB, Pen

COAT: RGB = (242, 244, 244)
SHIRT: RGB = (90, 140, 196)
SCOPE: RGB = (40, 44, 52)
CROSS: RGB = (212, 40, 48)


def draw_coat_tails(pen: Pen, hip_x: float, hip_y: float, y: float, s: float) -> None:
    """A doctor's white coat hanging from the hips to the knees (drawn over the legs, under the arms' hands)."""
    knee = hip_y + (y - hip_y) * 0.55
    pen.poly([(hip_x - s * 0.085, hip_y - s * 0.02), (hip_x + s * 0.085, hip_y - s * 0.02),
              (hip_x + s * 0.11, knee), (hip_x - s * 0.11, knee)], COAT)  # fmt: skip
    pen.line(hip_x, hip_y - s * 0.02, hip_x, knee, max(1.0, s * 0.006), (200, 204, 208))  # the coat's opening


def draw_stethoscope(pen: Pen, neck_x: float, neck_y: float, s: float, face: int) -> None:
    """The coat's lapels open on a blue shirt, and a stethoscope hung round the neck, its bell on the chest."""
    top = neck_y + s * 0.03
    pen.poly([(neck_x - s * 0.05, top), (neck_x + s * 0.05, top), (neck_x, top + s * 0.14)], SHIRT)
    w = max(1.0, s * 0.012)
    for k in (-1, 1):  # the tubes falling from round the neck
        pen.line(neck_x + k * s * 0.055, top, neck_x + k * s * 0.045, top + s * 0.13, w, SCOPE)
    pen.arc(neck_x, top + s * 0.13, s * 0.045, s * 0.03, 0, 180, w, SCOPE)
    bx, by = neck_x + face * s * 0.045, top + s * 0.19
    pen.line(neck_x + face * s * 0.01, top + s * 0.16, bx, by, w, SCOPE)
    pen.ellipse(bx, by, s * 0.02, s * 0.02, (196, 200, 206))


def draw_nurse_cap(pen: Pen, hx: float, hy: float, head: float) -> None:
    """A small white cap on the crown with a red cross on its front."""
    pen.poly([(hx - head * 0.85, hy - head * 0.7), (hx + head * 0.85, hy - head * 0.7),
              (hx + head * 0.6, hy - head * 1.35), (hx - head * 0.6, hy - head * 1.35)], COAT)  # fmt: skip
    bar = head * 0.1
    pen.rect(hx - head * 0.3, hy - head * 1.02 - bar, hx + head * 0.3, hy - head * 1.02 + bar, CROSS)
    pen.rect(hx - bar, hy - head * 1.3, hx + bar, hy - head * 0.74, CROSS)
