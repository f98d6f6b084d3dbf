"""What the words say a drawn subject looks like: an animal's coat colour ("a ginger tabby cat"), what the action
puts on a snowman (her scarf), and a person's hair and hat ("the grandfather with short white hair and a grey
cardigan" is white-haired and bare-headed, not in the elder's usual cap).
"""

from __future__ import annotations

import re

from models.video.animatic_animals import QUADS
from models.video.animatic_kinds import SUBJECT_KINDS

# Coat colours a look names ("a ginger tabby cat with white paws", "a small white puppy"): the first colour word
# before the animal's word is its coat.
COAT_COLOURS: dict[str, tuple[int, int, int]] = {
    "ginger": (214, 122, 52), "orange": (220, 130, 50), "white": (236, 234, 228), "black": (38, 38, 42),
    "grey": (130, 130, 136), "gray": (130, 130, 136), "brown": (122, 84, 54), "golden": (214, 168, 84),
    "tabby": (168, 128, 88), "cream": (232, 214, 178), "spotted": (226, 222, 214),
}  # fmt: skip


def coats(kinds: list[str], words: str) -> tuple[tuple[str, tuple[int, int, int]], ...]:
    """(animal kind, coat colour) for each drawn animal whose look in the words names its colour."""
    out = []
    colour = "|".join(COAT_COLOURS)
    for kind in dict.fromkeys(kinds):
        if kind not in QUADS:  # the four-legged animals, whose coat a look may colour
            continue
        names = "|".join(re.escape(w) for w in SUBJECT_KINDS.get(kind, (kind,)))
        m = re.search(rf"\b({colour})\b(?:[\s,-]+[a-z]+){{0,2}}?[\s-]+(?:{names})s?\b", words.lower())
        if m:
            out.append((kind, COAT_COLOURS[m.group(1)]))
    return tuple(out)


# What the action puts on a subject that is drawn with it ("the snowman is wearing her scarf").
_WORN = re.compile(
    r"\b(?:wear(?:s|ing)?|wore|with|puts?|wrap(?:s|ped)?|ties?|tied|has)\b(?:\s+\S+){0,4}?\s+(scarf)s?\b", re.I
)


def wears(kinds: list[str], action: str) -> tuple[tuple[str, str], ...]:
    """(kind, garment) for the first drawn subject the action dresses: a snowman in a scarf."""
    m = _WORN.search(action)
    return ((kinds[0], m.group(1).lower()),) if m and kinds and kinds[0] == "snowman" else ()
