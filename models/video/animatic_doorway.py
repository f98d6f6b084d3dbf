"""A scene at someone's door (a doorway, a doorstep, 门口): the front of a house with its door, standing behind the
people at it, in a village. Before, "puts the bread on the doorway" had no place the animatic knew, so the
scene's other words chose one ("bare trees" drew a forest) and no door was in sight.
"""

from __future__ import annotations

import re

DOORWAY = re.compile(
    r"\b(?:doorways?|doorsteps?|door ?step|front doors?|porch(?:es)?|threshold|(?:at|by) the door|eaves)\b"
    r"|门口|门前|门外|屋檐",
    re.I,
)
# A room named with the door ("the kitchen doorway") keeps the scene indoors; "house", "home" alone do not.
ROOM = re.compile(r"\b(?:kitchen|room|bedroom|classroom|office|hall|bathroom|cafe|shop|library|studio)\b", re.I)
# The house's size (animatic_figures.draw_building: its door is 0.3 of it tall) over a person's height: the door
# a little taller than the person in front of it.
HOUSE_OVER_PERSON = 3.8


def at_a_door(setting: str) -> bool:
    """Whether a scene's setting is someone's door (or the eaves over it), seen from outside."""
    return bool(DOORWAY.search(setting)) and not ROOM.search(setting)


def house_behind(first_x: float, first_size: float, person: float) -> tuple[float, float]:
    """(x, size) of a house standing behind people whose first one stands at first_x, first_size tall: drawn to
    their scale, its door a step to that person's side, so both the person and the door are seen."""
    size = person * HOUSE_OVER_PERSON
    return first_x + 0.45 * first_size, size
