"""Things with an animal: drawn to the animal's scale, and in its mouth when it carries them there ("the fox
carries the bread in its mouth", 叼着面包). Before, a loaf beside a fox was drawn as big as the fox (objects were
sized against a person, then the whole cast enlarged to fill the shot) and lay on the ground while the fox ran.
"""

from __future__ import annotations

import re

from models.video.animatic_animals import QUADS, quad_head
from models.video.animatic_kinds import OBJECTS
from models.video.animatic_pen import RGB, Pen
from models.video.animatic_products import ASPECT, draw_product

IN_MOUTH = re.compile(r"\b(?:in|between) (?:its|his|her|their) (?:mouths?|jaws|teeth)\b", re.I)
# How long a thing an animal carries or stands by is, over the animal's body length.
THING_OVER_BODY = 0.35


def in_mouth(kinds: list[str] | tuple[str, ...], action: str) -> str:
    """The thing the first subject, an animal, carries in its mouth by the action's words ('' for none)."""
    if not kinds or kinds[0] not in QUADS or not IN_MOUTH.search(action):
        return ""
    return next((k for k in kinds[1:] if k in OBJECTS), "")


def thing_size(animal: str, animal_size: float, thing: str) -> float:
    """The size parameter of a thing drawn with an animal of that size: a fraction of the animal's length."""
    return THING_OVER_BODY * QUADS[animal].length * animal_size / ASPECT.get(thing, 1.0)


def draw_in_mouth(pen: Pen, animal: str, thing: str, x: float, y: float, s: float, face: int, colour: RGB) -> None:
    """The thing held crosswise in the jaws of the animal standing on (x, y), s in size."""
    hx, hy, hr = quad_head(animal, x, y, s, face)
    size = thing_size(animal, s, thing)
    draw_product(pen, thing, hx + face * hr * 1.1, hy + hr * 0.45 + size * 0.35, size, colour, 0.0)
