"""The animatic's things drawn every frame, in frame coordinates: flames and the silhouettes of subjects
(people, animals, vehicles) that move with the scene. Painted layers live in animatic_paint.py."""

from __future__ import annotations

import math

import cv2
import numpy as np

from models.video.animatic_paint import RGB, mix, rgba, shade


def draw_flame(frame: np.ndarray, x: float, y: float, size: float, phase: float) -> None:
    for k, col in ((1.0, (235, 90, 30, 255)), (0.66, (255, 170, 50, 255)), (0.36, (255, 240, 170, 255))):
        hgt = size * k * (1 + 0.16 * math.sin(phase * 7.3 + k * 3))
        wid = size * k * 0.42 * (1 + 0.1 * math.sin(phase * 5.1 + k))
        lean = size * 0.12 * math.sin(phase * 3.7 + k * 2)
        pts = np.array(
            [
                [x - wid, y],
                [x - wid * 0.6, y - hgt * 0.5],
                [x + lean, y - hgt],
                [x + wid * 0.6, y - hgt * 0.5],
                [x + wid, y],
            ],
            np.float32,
        )
        cv2.fillPoly(frame, [(pts * 4).astype(np.int32)], col, cv2.LINE_AA, shift=2)


def draw_subject(
    frame: np.ndarray, kind: str, x: float, y: float, size: float, phase: float, moving: bool, col: RGB
) -> None:
    """A silhouette standing on (x, y); size is the frame height the subject would have at rest."""
    c = rgba(col)
    s = size

    def poly(points: list[tuple[float, float]], colour: tuple[int, int, int, int] = c) -> None:
        arr = (np.array(points, np.float32) * 4).astype(np.int32)
        cv2.fillPoly(frame, [arr], colour, cv2.LINE_AA, shift=2)

    def limb(x0: float, y0: float, x1: float, y1: float, width: float, colour: tuple[int, int, int, int] = c) -> None:
        cv2.line(
            frame, (int(x0 * 4), int(y0 * 4)), (int(x1 * 4), int(y1 * 4)), colour, max(1, int(width)), cv2.LINE_AA, 2
        )

    def ellipse(
        cx: float, cy: float, rx: float, ry: float, angle: float = 0, colour: tuple[int, int, int, int] = c
    ) -> None:
        axes = (max(1, int(rx * 4)), max(1, int(ry * 4)))
        cv2.ellipse(frame, (int(cx * 4), int(cy * 4)), axes, angle, 0, 360, colour, -1, cv2.LINE_AA, 2)

    swing = math.sin(phase) if moving else 0.15 * math.sin(phase * 0.3)
    if kind in ("man", "woman", "girl", "boy"):
        y -= abs(math.sin(phase)) * s * 0.015 if moving else 0
        head = s * 0.075
        hip_y, neck_y = y - s * 0.47, y - s + head * 2.1
        for k in (-1, 1):  # legs and arms swing in opposition; standing, the feet are a little apart
            limb(x + k * s * 0.035, hip_y, x + k * s * 0.04 + k * swing * s * 0.13, y, s * 0.07)
            shoulder = (x + k * s * 0.085, neck_y + s * 0.05)
            limb(*shoulder, x + k * s * 0.13 - k * swing * s * 0.12, neck_y + s * 0.34, s * 0.05)
        poly(
            [
                (x - s * 0.095, neck_y + s * 0.02),
                (x + s * 0.095, neck_y + s * 0.02),
                (x + s * 0.065, hip_y + s * 0.02),
                (x - s * 0.065, hip_y + s * 0.02),
            ]
        )
        limb(x, neck_y - s * 0.01, x, neck_y + s * 0.04, s * 0.05)  # neck
        if kind in ("woman", "girl"):
            poly(
                [
                    (x - s * 0.08, hip_y - s * 0.12),
                    (x + s * 0.08, hip_y - s * 0.12),
                    (x + s * 0.2, y - s * 0.2),
                    (x - s * 0.2, y - s * 0.2),
                ]
            )
            ellipse(x - s * 0.02, y - s + head * 1.6, head * 1.15, head * 1.6)  # long hair
        ellipse(x, y - s + head, head, head * 1.1)
    elif kind in ("cat", "dog", "fox"):
        body = {"cat": 0.5, "dog": 0.6, "fox": 0.6}[kind] * s
        leg = body * (0.42 if kind == "dog" else 0.34)
        by = y - leg - body * 0.16
        for k, lx in enumerate((-0.32, -0.18, 0.22, 0.34)):
            sw = (swing if k % 2 else -swing) * body * 0.12
            limb(x + lx * body, by, x + lx * body + sw, y, body * 0.09, rgba((40, 30, 28)) if kind == "fox" else c)
        ellipse(x, by, body * 0.5, body * (0.2 if kind == "fox" else 0.22))
        hx, hy = x + body * 0.5, by - body * 0.28
        if kind == "cat":
            ellipse(hx, hy, body * 0.18, body * 0.16)
            poly(
                [
                    (hx - body * 0.15, hy - body * 0.05),
                    (hx - body * 0.1, hy - body * 0.3),
                    (hx - body * 0.01, hy - body * 0.12),
                ]
            )
            poly(
                [
                    (hx + body * 0.15, hy - body * 0.05),
                    (hx + body * 0.1, hy - body * 0.3),
                    (hx + body * 0.01, hy - body * 0.12),
                ]
            )
            wag = math.sin(phase * 0.8) * body * 0.1
            cv2.polylines(
                frame,
                [
                    (
                        np.array(
                            [
                                [x - body * 0.48, by],
                                [x - body * 0.7, by - body * 0.25],
                                [x - body * 0.62 + wag, by - body * 0.6],
                            ]
                        )
                        * 4
                    ).astype(np.int32)
                ],
                False,
                c,
                max(1, int(body * 0.08)),
                cv2.LINE_AA,
                2,
            )
        elif kind == "dog":
            ellipse(hx, hy, body * 0.2, body * 0.17)
            ellipse(hx + body * 0.2, hy + body * 0.05, body * 0.14, body * 0.08)  # snout
            ellipse(hx - body * 0.1, hy + body * 0.08, body * 0.06, body * 0.14, -20)  # floppy ear
            wag = math.sin(phase * 3) * body * 0.12
            limb(x - body * 0.45, by - body * 0.05, x - body * 0.7 + wag, by - body * 0.4, body * 0.08)
        else:  # fox: pointed ears and snout, a big bushy tail with a white tip
            ellipse(hx, hy, body * 0.16, body * 0.13)
            poly(
                [
                    (hx + body * 0.08, hy - body * 0.06),
                    (hx + body * 0.34, hy + body * 0.04),
                    (hx + body * 0.08, hy + body * 0.1),
                ]
            )
            poly(
                [
                    (hx - body * 0.12, hy - body * 0.04),
                    (hx - body * 0.08, hy - body * 0.3),
                    (hx + body * 0.02, hy - body * 0.1),
                ]
            )
            poly(
                [
                    (hx + body * 0.0, hy - body * 0.08),
                    (hx + body * 0.06, hy - body * 0.32),
                    (hx + body * 0.12, hy - body * 0.08),
                ]
            )
            ang = 200 + 8 * math.sin(phase)
            ellipse(x - body * 0.7, by - body * 0.02, body * 0.34, body * 0.13, ang)
            ellipse(
                x - body * 0.98,
                by - body * 0.1 * math.sin(math.radians(ang)),
                body * 0.1,
                body * 0.08,
                ang,
                rgba((245, 240, 230)),
            )
    elif kind == "bird":  # a small flock: the named bird and two smaller ones behind it
        for bx, by, k_size, k_phase in ((0, 0, 1.0, 0.0), (-0.45, 0.22, 0.7, 1.7), (0.5, -0.3, 0.6, 3.1)):
            span = s * 0.55 * k_size
            cx, cy = x + bx * s, y + by * s
            flap = math.sin(phase * 2.2 + k_phase)
            ellipse(cx, cy, span * 0.16, span * 0.06)
            for k in (-1, 1):
                pts = [
                    (cx, cy),
                    (cx + k * span * 0.3, cy - span * (0.12 + 0.22 * flap)),
                    (cx + k * span * 0.55, cy - span * 0.28 * flap),
                ]
                cv2.polylines(
                    frame, [(np.array(pts) * 4).astype(np.int32)], False, c, max(2, int(span * 0.06)), cv2.LINE_AA, 2
                )
    elif kind == "boat":
        ln = s * 1.1
        tilt = math.sin(phase * 0.9) * ln * 0.03
        poly(
            [
                (x - ln * 0.5, y - ln * 0.12 - tilt),
                (x + ln * 0.5, y - ln * 0.12 + tilt),
                (x + ln * 0.36, y),
                (x - ln * 0.38, y),
            ]
        )
        mast_top = (x + tilt * 0.5, y - ln * 0.85)
        limb(x, y - ln * 0.12, *mast_top, max(2, ln * 0.02))
        sail = shade((240, 236, 220), max(0.45, (sum(col) / 3 + 40) / 255 * 2))
        poly(
            [(x + ln * 0.02, mast_top[1] + ln * 0.04), (x + ln * 0.36, y - ln * 0.18), (x + ln * 0.02, y - ln * 0.18)],
            rgba(sail),
        )
        poly(
            [(x - ln * 0.02, mast_top[1] + ln * 0.12), (x - ln * 0.28, y - ln * 0.2), (x - ln * 0.02, y - ln * 0.2)],
            rgba(sail),
        )
    elif kind == "car":
        ln = s * 1.15
        body_col = rgba(mix(col, (200, 40, 40), 0.75))
        wheel_r = ln * 0.09
        by = y - wheel_r
        poly(
            [
                (x - ln * 0.5, by),
                (x + ln * 0.5, by),
                (x + ln * 0.5, by - ln * 0.16),
                (x + ln * 0.3, by - ln * 0.2),
                (x + ln * 0.15, by - ln * 0.36),
                (x - ln * 0.25, by - ln * 0.36),
                (x - ln * 0.38, by - ln * 0.2),
                (x - ln * 0.5, by - ln * 0.18),
            ],
            body_col,
        )
        glass = rgba(shade((170, 200, 225), max(0.4, sum(col) / 300)))
        poly(
            [
                (x - ln * 0.22, by - ln * 0.33),
                (x - ln * 0.05, by - ln * 0.33),
                (x - ln * 0.05, by - ln * 0.21),
                (x - ln * 0.33, by - ln * 0.21),
            ],
            glass,
        )
        poly(
            [
                (x + ln * 0.0, by - ln * 0.33),
                (x + ln * 0.13, by - ln * 0.33),
                (x + ln * 0.25, by - ln * 0.21),
                (x + ln * 0.0, by - ln * 0.21),
            ],
            glass,
        )
        ellipse(x + ln * 0.49, by - ln * 0.12, ln * 0.02, ln * 0.025, 0, (255, 236, 150, 255))
        for wx in (x - ln * 0.3, x + ln * 0.3):
            ellipse(wx, by, wheel_r, wheel_r, 0, (25, 25, 28, 255))
            spoke = phase * 2.5 if moving else 0
            limb(
                wx - math.cos(spoke) * wheel_r * 0.6,
                by - math.sin(spoke) * wheel_r * 0.6,
                wx + math.cos(spoke) * wheel_r * 0.6,
                by + math.sin(spoke) * wheel_r * 0.6,
                max(1, wheel_r * 0.2),
                (150, 150, 155, 255),
            )
