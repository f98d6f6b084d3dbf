"""What the words say a drawn subject looks like: an animal's coat colour ("a ginger tabby cat"), what the action
puts on a snowman (her scarf), and a person's hair and hat ("the grandfather with short white hair and a grey
cardigan" is white-haired and bare-headed, not in the elder's usual cap).
"""

from __future__ import annotations

import re

from models.video.animatic_animals import QUADS
from models.video.animatic_kinds import PEOPLE, SUBJECT_KINDS

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


# A person's look in the words: colours said of hair and clothes, and a hat only where the look names one.
COLOURS: dict[str, tuple[int, int, int]] = {
    "white": (232, 232, 228), "silver": (206, 206, 210), "grey": (150, 150, 154), "gray": (150, 150, 154),
    "black": (36, 32, 32), "dark": (52, 36, 28), "brown": (104, 70, 44), "blond": (226, 196, 120),
    "blonde": (226, 196, 120), "golden": (222, 180, 90), "red": (196, 52, 48), "ginger": (200, 104, 48),
    "auburn": (140, 60, 40), "yellow": (240, 200, 50), "blue": (56, 96, 170), "green": (60, 130, 80),
    "pink": (232, 140, 170), "purple": (120, 70, 150), "orange": (230, 130, 40), "navy": (40, 50, 96),
    "beige": (206, 186, 150), "cream": (232, 220, 190),
}  # fmt: skip
_COLOUR = "|".join(COLOURS)
_HAIR = re.compile(rf"\b(?:({_COLOUR})[\s-]+)?(?:(?:short|long|curly|wavy|straight|thinning|messy|neat|cropped)"
                   rf"[\s,]+)*(?:({_COLOUR})[\s-]+)?(?:hair|braids?|ponytail|pigtails|curls)\b|"
                   rf"\b({_COLOUR})-haired\b")  # fmt: skip
_GARMENT = re.compile(rf"\b({_COLOUR})\s+(?:\w+\s+)?(?:cardigan|coat|jacket|sweater|jumper|shirt|dress|hoodie|"
                      rf"raincoat|suit|blouse|top|uniform|robe|gown|overalls|t-shirt)\b")  # fmt: skip
_HATS = {"cap": re.compile(r"\b(?:cap|baseball cap|flat cap)\b"), "brim": re.compile(r"\b(?:hat|straw hat|sun hat)\b")}


def person_looks(kinds: list[str], words: str) -> tuple[tuple[str, str, str], ...]:
    """(person kind, part, value) for each drawn person whose look the words give: ("elder", "hair", "white"),
    ("elder", "hat", "") where hair is named and no hat, ("girl", "coat", "yellow") for her yellow dress."""
    out: list[tuple[str, str, str]] = []
    text = words.lower()
    for kind in dict.fromkeys(kinds):
        if kind not in PEOPLE:
            continue
        names = "|".join(re.escape(w) for w in sorted(SUBJECT_KINDS.get(kind, (kind,)), key=len, reverse=True))
        m = re.search(rf"((?:[\w-]+\s+){{0,3}})\b(?:{names})s?\b([^,.;:]*)", text)
        if not m:
            continue
        look = f"{m.group(1)} {m.group(2)}"
        hat = next((h for h, pat in _HATS.items() if pat.search(look)), None)
        if (hair := _HAIR.search(look)) is not None:
            colour = hair.group(1) or hair.group(2) or hair.group(3)
            if colour:
                out.append((kind, "hair", colour))
            out.append((kind, "hat", hat or ""))  # the hair shows: no cap over it unless the look says so
        elif hat:
            out.append((kind, "hat", hat))
        if (garment := _GARMENT.search(look)) is not None:
            out.append((kind, "coat", garment.group(1)))
    return tuple(out)
