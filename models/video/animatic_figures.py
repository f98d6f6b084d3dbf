"""The animatic's people, drawn every frame by role in a pose (stand, walk, run, wave, row, sit). Each is a flat,
readable shape standing on (x, y) in frame pixels, `s` pixels tall for a standing adult, drawn with a Pen so the
scene's light tints every colour. Animals are in animatic_animals, products and small objects in
animatic_products, boats, vehicles and buildings in animatic_vehicles.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from models.video.animatic_looks import COLOURS
from models.video.animatic_medical import COAT as MEDIC_COAT
from models.video.animatic_medical import draw_coat_tails, draw_nurse_cap, draw_stethoscope
from models.video.animatic_pen import RGB, Pen

SKIN: RGB = (206, 150, 118)


class PersonLook(NamedTuple):
    height: float  # relative to an adult
    coat: RGB
    legs: RGB
    hat: str = ""  # "", cap, brim, souwester, toque, helmet, antenna, nursecap, bun (hair gathered up, no hat)
    pack: bool = False
    dress: bool = False
    hair: RGB = (52, 36, 28)
    stoop: float = 0.0
    skin: RGB = SKIN
    eyes: RGB | None = None  # eyes big enough to read at animatic size (a robot's glowing ones)
    medic: str = ""  # "doctor" (white coat, stethoscope) or "nurse" (scrubs, capped): animatic_medical


PEOPLE: dict[str, PersonLook] = {
    "man": PersonLook(1.0, (44, 60, 98), (36, 36, 46)),
    "woman": PersonLook(0.94, (130, 42, 70), (40, 34, 44), dress=True, hair=(70, 40, 26)),
    "girl": PersonLook(0.66, (196, 64, 84), (60, 40, 50), dress=True, hair=(84, 50, 30)),
    "boy": PersonLook(0.6, (46, 112, 160), (40, 44, 60)),
    # bare-headed: his white hair says "old man" (a cap only where his look names one, see dressed)
    "elder": PersonLook(0.95, (96, 88, 78), (54, 50, 48), hair=(214, 214, 214), stoop=0.08),
    # silver hair in a bun: long hair falling behind a white-haired head read as a beard in close-up
    "oldwoman": PersonLook(0.9, (112, 80, 104), (50, 44, 50), hat="bun", dress=True, hair=(206, 206, 206), stoop=0.08),
    "fisherman": PersonLook(1.0, (226, 178, 36), (44, 46, 58), hat="souwester"),
    "keeper": PersonLook(1.0, (34, 46, 82), (30, 30, 40), hat="cap"),
    "explorer": PersonLook(1.0, (150, 128, 78), (80, 70, 52), hat="brim", pack=True),
    "farmer": PersonLook(1.0, (120, 86, 58), (50, 60, 90), hat="brim"),
    "chef": PersonLook(1.0, (236, 236, 232), (50, 50, 56), hat="toque"),
    "doctor": PersonLook(1.0, MEDIC_COAT, (58, 66, 90), medic="doctor"),
    "nurse": PersonLook(0.94, (140, 196, 222), (140, 196, 222), hat="nursecap", hair=(70, 40, 26), medic="nurse"),
    "worker": PersonLook(1.0, (232, 118, 30), (50, 56, 80), hat="helmet"),
    "runner": PersonLook(0.98, (222, 52, 52), (30, 30, 36)),
    # the lexicon's robot: small, round and white, with big blue glowing eyes
    "robot": PersonLook(
        0.72,
        (228, 232, 238),
        (150, 156, 168),
        hat="antenna",
        hair=(228, 232, 238),
        skin=(206, 212, 222),
        eyes=(80, 190, 255),
    ),  # fmt: skip
}
HAT_COLOUR: dict[str, RGB] = {
    "cap": (40, 44, 60),
    "brim": (120, 96, 60),
    "toque": (246, 246, 246),
    "helmet": (244, 200, 40),
}


def dressed(kind: str, looks: tuple[tuple[str, str, str], ...]) -> PersonLook:
    """A kind's look with what the words say of it (animatic_looks.person_looks): hair and clothes in the colours
    named, a cap or hat only where named."""
    look = PEOPLE.get(kind, PEOPLE["man"])
    for who, part, value in looks:
        if who == kind:
            look = look._replace(**{part: value if part == "hat" else COLOURS[value]})
    if look.hat == "" and PEOPLE.get(kind, look).hat == "bun":
        look = look._replace(hat="bun")  # an old woman's hair stays up in its bun
    return look


def holding_hand(kind: str, x: float, y: float, s: float, face: int) -> tuple[float, float]:
    """Where the hands of a person standing on (x, y), s tall, are in the "hold" pose (a kite's string)."""
    look = PEOPLE.get(kind, PEOPLE["man"])
    s *= look.height
    return x + face * s * (look.stoop + 0.24), y - s * 0.8


def draw_person(pen: Pen, kind: str, x: float, y: float, s: float, pose: str, phase: float, face: int = 1,
                look: PersonLook | None = None) -> None:  # fmt: skip
    """A person standing (or sitting, rowing from the waist up, fallen) on (x, y), s tall as an adult, looking
    as their kind does or as `look` says."""
    look = look or PEOPLE.get(kind, PEOPLE["man"])
    s *= look.height
    if pose == "walk":
        y -= abs(math.sin(phase)) * s * 0.015
    if pose == "run":
        y -= abs(math.sin(phase)) * s * 0.04
    head = s * 0.078
    lean = face * s * (0.08 if pose == "run" else look.stoop)
    fallen = pose == "fall"  # sat down hard on the ground, legs out in front, leaning back on one hand
    if fallen:
        lean = -face * s * 0.12
    seated = pose in ("sit", "row", "fall")
    hip_y = y - s * (0.06 if fallen else 0.26 if seated else 0.47)
    hip_x = x
    neck_x, neck_y = x + lean, hip_y - s * 0.37
    swing = {"walk": 0.13, "run": 0.24}.get(pose, 0.0) * math.sin(phase)
    if look.pack:  # behind the body
        pen.rounded(
            neck_x - face * s * 0.2,
            neck_y + s * 0.04,
            neck_x - face * s * 0.03,
            hip_y - s * 0.02,
            s * 0.03,
            (96, 70, 44),
        )
    if pose == "sit":  # a stool under them
        pen.rect(hip_x - s * 0.12, hip_y + s * 0.02, hip_x + s * 0.12, hip_y + s * 0.06, (96, 64, 40))
        for k in (-1, 1):
            pen.line(hip_x + k * s * 0.1, hip_y + s * 0.05, hip_x + k * s * 0.11, y, s * 0.03, (96, 64, 40))
    # legs
    if fallen:
        for k in (-1, 1):  # one knee up a little, the other leg flat
            knee = (hip_x + face * s * 0.2, hip_y - s * (0.1 if k > 0 else 0.02))
            foot = (hip_x + face * s * (0.36 if k > 0 else 0.42), y - s * 0.02)
            pen.line(hip_x, hip_y, *knee, s * 0.075, look.legs)
            pen.line(*knee, *foot, s * 0.065, look.legs)
            pen.ellipse(foot[0] + face * s * 0.02, foot[1] - s * 0.01, s * 0.035, s * 0.025, (30, 26, 24))
    elif seated:
        knee = (hip_x + face * s * 0.2, hip_y - s * 0.02)
        for k in (-1, 1):
            pen.line(hip_x + k * s * 0.03, hip_y, knee[0] + k * s * 0.02, knee[1], s * 0.075, look.legs)
            pen.line(knee[0] + k * s * 0.02, knee[1], knee[0] + face * s * 0.03 + k * s * 0.02, y, s * 0.065, look.legs)
    else:
        for k in (-1, 1):
            foot = x + k * s * 0.045 + k * swing * s
            pen.line(hip_x + k * s * 0.035, hip_y, foot, y - s * 0.01, s * 0.075, look.legs)
            pen.line(foot, y - s * 0.01, foot + face * s * 0.035, y, s * 0.045, (30, 26, 24))
    if look.medic == "doctor" and not seated:
        draw_coat_tails(pen, hip_x, hip_y, y, s)
    # arms (drawn before the body, so the shoulders tuck under the coat)
    sh_y = neck_y + s * 0.06
    for k in (-1, 1):
        sx = neck_x + k * s * 0.09
        if pose == "wave" and k == face:
            wag = math.sin(phase * 1.6) * s * 0.07
            elbow = (sx + k * s * 0.12, sh_y - s * 0.1)
            hand = (elbow[0] + k * s * 0.03 + wag, elbow[1] - s * 0.17)
        elif pose == "hold":  # both hands forward and up, holding a kite's string
            elbow = (sx + face * s * 0.08, sh_y + s * 0.12)
            hand = (neck_x + face * s * 0.24, sh_y - s * 0.02)
        elif pose == "row":
            pull = 0.5 + 0.5 * math.sin(phase)
            elbow = (sx + face * s * 0.06, sh_y + s * 0.16)
            hand = (sx + face * s * (0.14 + 0.16 * pull), sh_y + s * 0.13)
        elif fallen:  # the hand behind props them up on the ground; the other rests on the raised knee
            elbow = (sx - face * s * 0.08, sh_y + s * 0.14) if k == -face else (sx + face * s * 0.1, sh_y + s * 0.13)
            hand = (hip_x - face * s * 0.17, y - s * 0.02) if k == -face else (hip_x + face * s * 0.2, hip_y - s * 0.1)
        elif pose == "sit":
            elbow = (sx + face * s * 0.05, sh_y + s * 0.17)
            hand = (sx + face * s * 0.2, sh_y + s * 0.14)
        else:
            arm = -swing if pose in ("walk", "run") else 0.0
            bend = s * 0.06 if pose == "run" else 0.0
            elbow = (sx + k * s * 0.03 + arm * s * 0.5, sh_y + s * 0.16 - bend)
            hand = (sx + k * s * 0.04 + arm * s + face * bend, sh_y + s * 0.32 - bend * 2)
        pen.line(sx, sh_y, *elbow, s * 0.06, look.coat)
        pen.line(*elbow, *hand, s * 0.05, look.coat)
        pen.ellipse(*hand, s * 0.025, s * 0.025, look.skin)
    # body
    pen.poly(
        [
            (neck_x - s * 0.1, neck_y + s * 0.03),
            (neck_x + s * 0.1, neck_y + s * 0.03),
            (hip_x + s * 0.075, hip_y + s * 0.03),
            (hip_x - s * 0.075, hip_y + s * 0.03),
        ],
        look.coat,
    )
    if look.medic == "doctor":
        draw_stethoscope(pen, neck_x, neck_y, s, face)
    if look.dress and not seated:
        pen.poly(
            [
                (hip_x - s * 0.08, hip_y - s * 0.06),
                (hip_x + s * 0.08, hip_y - s * 0.06),
                (x + s * 0.17, y - s * 0.2),
                (x - s * 0.17, y - s * 0.2),
            ],
            look.coat,
        )
    # head, hair and hat
    hx, hy = neck_x + face * s * 0.01, neck_y - head * 0.95
    if look.hat == "bun":  # hair gathered into a bun at the back of the crown
        pen.ellipse(hx - face * head * 0.75, hy - head * 0.75, head * 0.5, head * 0.45, look.hair)
    elif look.dress:  # long hair falls behind the head to the shoulders, beside the neck
        pen.ellipse(hx - face * head * 0.1, hy + head * 0.35, head * 1.12, head * 1.35, look.hair)
    # the neck over the hair: under the chin there is a neck, not a dark beard of hair
    pen.line(neck_x, neck_y + s * 0.03, hx, hy, s * 0.05, look.skin)
    pen.ellipse(hx, hy, head, head * 1.12, look.skin)
    pen.ellipse(hx - face * head * 0.15, hy - head * 0.55, head * 1.02, head * 0.62, look.hair)
    if look.hat == "souwester":
        pen.ellipse(hx, hy - head * 0.55, head * 1.05, head * 0.75, look.coat)
        pen.poly(
            [
                (hx - head * 1.5, hy - head * 0.2),
                (hx + head * 1.5, hy - head * 0.2),
                (hx + head * 1.1, hy - head * 0.55),
                (hx - head * 1.1, hy - head * 0.55),
            ],
            look.coat,
        )
    elif look.hat in ("cap", "helmet"):
        col = HAT_COLOUR[look.hat]
        pen.ellipse(hx, hy - head * 0.55, head * 1.05, head * 0.7, col)
        pen.rect(
            hx - head * (0.2 if face > 0 else 1.6),
            hy - head * 0.55,
            hx + head * (1.6 if face > 0 else 0.2),
            hy - head * 0.35,
            col,
        )
    elif look.hat == "brim":
        col = HAT_COLOUR["brim"]
        pen.rect(hx - head * 0.8, hy - head * 1.45, hx + head * 0.8, hy - head * 0.55, col)
        pen.ellipse(hx, hy - head * 0.55, head * 1.7, head * 0.22, col)
    elif look.hat == "toque":
        pen.ellipse(hx, hy - head * 1.5, head * 0.95, head * 0.8, HAT_COLOUR["toque"])
        pen.rect(hx - head * 0.8, hy - head * 1.3, hx + head * 0.8, hy - head * 0.6, HAT_COLOUR["toque"])
    elif look.hat == "nursecap":
        draw_nurse_cap(pen, hx, hy, head)
    elif look.hat == "antenna":
        pen.line(hx, hy - head * 0.9, hx, hy - head * 1.7, head * 0.12, look.legs)
        pen.ellipse(hx, hy - head * 1.75, head * 0.22, head * 0.22, (236, 80, 70))
    if look.eyes is not None:
        for k in (-1, 1):
            pen.ellipse(hx + face * head * 0.25 + k * head * 0.38, hy + head * 0.05, head * 0.26, head * 0.3, look.eyes)
    elif head >= 6:  # big enough to read (a close-up, a medium shot): eyes and a mouth, turned the way they face
        for k in (-1, 1):
            pen.ellipse(
                hx + face * head * 0.15 + k * head * 0.32, hy + head * 0.14, head * 0.1, head * 0.14, (44, 34, 32)
            )
        pen.arc(
            hx + face * head * 0.15, hy + head * 0.42, head * 0.22, head * 0.12, 20, 160, head * 0.07, (120, 60, 50)
        )
