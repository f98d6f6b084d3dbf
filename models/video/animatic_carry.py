"""What people carry in their hands, read from a scene's action, and drawing it at a standing person's hand.

A thing passed to someone ("lends her umbrella to an old man", "hands the umbrella back to the young woman") is
in the hands of the one it was passed to: the picture is the moment after the giving. A thing the action names
otherwise ("waits to return the umbrella, with a bunch of flowers") is the doer's. Only the things drawn here
count: an umbrella (open over its holder in the rain, furled at their side otherwise), a bunch of flowers, a
wrapped gift, a lantern (its glass lit whatever the light), a basket, a book, a cup, a bag, a letter and a fish
fed to an animal, each at the hand of a standing or walking person and to their scale; without one named, people
out in the rain keep their own umbrellas (animatic_cast). Before, only the first three were drawn in hand, and a lantern someone carried stood
on the ground beside them as big as a lamp post's.
"""

from __future__ import annotations

import math
import re

from models.storyboard import SceneFacts
from models.video.animatic_facts import NOUN_WAVES as NOUN_FISH
from models.video.animatic_facts import action_motion, subject_kinds
from models.video.animatic_figures import PEOPLE as LOOKS
from models.video.animatic_kinds import PEOPLE
from models.video.animatic_paint import shade
from models.video.animatic_pen import RGB, Pen

# Words → a thing drawn in hand. "flowers" before "flower": a bunch of them.
CARRIED: dict[str, tuple[str, ...]] = {
    "umbrella": ("umbrella", "umbrellas", "parasol", "brolly"),
    "flowers": ("flowers", "flower", "bouquet", "bunch of flowers", "roses", "rose", "tulips", "posy", "daisies"),
    "gift": ("gift", "present", "parcel", "package"),
    "lantern": ("lantern", "lanterns", "paper lantern", "oil lamp", "storm lantern"),
    "basket": ("basket", "baskets", "hamper", "picnic basket", "basket of apples", "basket of eggs"),
    "book": ("book", "books", "storybook", "picture book", "notebook", "diary", "novel", "textbook"),
    "cup": ("cup", "mug", "teacup", "coffee cup", "cup of tea", "cup of coffee", "thermos"),
    "bag": ("bag", "bags", "handbag", "shopping bag", "shopping bags", "tote bag", "purse", "schoolbag"),
    "letter": ("letter", "letters", "envelope", "postcard", "love letter"),
}
# The kinds (animatic_kinds) that would otherwise stand beside the people as a thing of their own.
KIND_OF = {"lantern": "lamp", "basket": "bag", "book": "book", "cup": "cup", "bag": "bag", "letter": "letter",
           "gift": "box", "fish": "fish"}  # fmt: skip
# Fish given to someone, held out in the feeder's hand: 'feeds the seal pup fish', 'fed it fish' (the fed one named
# between), not 'feeds the little fish' (the fish are the ones fed: nothing in hand).
FED_FISH = re.compile(r"\b(?:feeds?|fed|feeding)\s+(?P<fed>[^,;.]*?)\s*\bfish(?:es)?\b", re.I)
_PRONOUN = re.compile(r"\b(?:it|him|her|them)\b", re.I)
# Poses whose hands are busy or out of reach (animatic_cast draws no carried thing with them).
NOT_IN_HAND = ("sit", "row")
_WORDS = {w: thing for thing, words in CARRIED.items() for w in words}
_THING = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")\b", re.I)
# "lends her umbrella to an old man", "hands the umbrella back to her friend": what, and to whom.
_PASS = re.compile(
    r"\b(?:lends?|lent|gives?|gave|hands?|handed|passes|passed|offers?|offered|returns?|returned|brings?|brought|"
    r"shares?|shared)\b(?P<what>[^,;.]*?)\b(?:back\s+)?to\s+(?:the |a |an |her |his |their |my )?(?P<who>[a-z][\w -]*)",
    re.I,
)
FLOWER_HEADS: tuple[RGB, ...] = ((226, 60, 90), (250, 210, 70), (240, 240, 236), (200, 90, 200), (246, 130, 60))
UMBRELLA_FURLED, GIFT, RIBBON = (46, 60, 110), (206, 54, 60), (250, 214, 90)
LANTERN_GLASS, IRON, WICKER, PAPER = (255, 206, 110), (40, 36, 34), (176, 124, 64), (246, 244, 236)


# Fishing ("fishes", "goes fishing", "ice fishing"; not "feeds the little fish", a noun) puts a rod in the doer's
# hand; catching a fish ("catches the little fish", "reels in a fish") hangs that fish on its line.
_FISHING = re.compile(
    r"\b(?:fish(?:es|ing)?(?!\s+(?:boat|village|net|port|harbour|market|shop|tank|bowl|pond|trawler))|angl(?:es|ing)|rod)\b",
    re.I,
)
_CATCH = re.compile(r"\b(?:catch(?:es|ing)?|caught|lands?|landed|hooks?|hooked|reels? in)\b[^,;.]*?\bfish\b", re.I)
ROD, LINE, SCALES = (74, 50, 34), (226, 226, 220), (176, 190, 204)


def _person(phrase: str) -> str:
    return next((k for k in subject_kinds(phrase) if k in PEOPLE), "")


def carried(facts: SceneFacts) -> tuple[tuple[str, str], ...]:
    """(person kind, thing) for each drawable thing the action puts in someone's hands; () when none."""
    doer = next((k for s in facts.subjects[:1] if (k := _person(s))), "")
    out: list[tuple[str, str]] = []
    passed: set[str] = set()
    for m in _PASS.finditer(facts.action):
        thing, to = _THING.search(m.group("what")), _person(m.group("who"))
        if thing and to:
            out.append((to, _WORDS[thing.group(1).lower()]))
            passed.add(_WORDS[thing.group(1).lower()])
    if doer:
        out += [(doer, t) for w in _THING.findall(facts.action) if (t := _WORDS[w.lower()]) not in passed]
        if _fed_fish(facts):
            out.append((doer, "fish"))  # fed to an animal: held out in the hand, no rod
        elif _CATCH.search(facts.action):
            out.append((doer, "catch"))  # the rod, the fish caught on its line
        elif _FISHING.search(NOUN_FISH.sub(" ", facts.action)):
            out.append((doer, "rod"))
    return tuple(dict.fromkeys(out))


def _fed_fish(facts: SceneFacts) -> bool:
    fed = (m := FED_FISH.search(facts.action)) and m.group("fed")
    return bool(fed) and bool(
        _PRONOUN.search(fed) or any(s.split()[-1] in fed for s in facts.subjects if "fish" not in s)
    )


def in_hand(facts: SceneFacts) -> set[str]:
    """The subject kinds drawn in someone's hand in this scene (so not standing on the ground beside them)."""
    if action_motion(facts.action) in NOT_IN_HAND:
        return set()
    return {KIND_OF[t] for _, t in carried(facts) if t in KIND_OF}


def thing_in(text: str) -> str:
    """The drawable carried thing a phrase names ("the umbrella"), or ''."""
    m = _THING.search(text)
    return _WORDS[m.group(1).lower()] if m else ""


def holders(holds: tuple[tuple[str, str], ...], thing: str) -> set[str]:
    return {kind for kind, t in holds if t == thing}


def draw_carried(pen: Pen, kind: str, things: list[str], x: float, y: float, size: float, face: int, rain: bool,
                 phase: float) -> None:  # fmt: skip
    """Each thing in a hand of a person standing on (x, y), `size` tall: the first in the hand toward `face`. An
    umbrella in the rain is drawn open by animatic_cast; here it is furled."""
    look = LOOKS.get(kind, LOOKS["man"])
    s = size * look.height
    for n, thing in enumerate(things[:2]):
        k = face if n == 0 else -face
        hx, hy = x + face * look.stoop * s + k * 0.13 * s, y - 0.46 * s
        if thing == "umbrella" and not rain:
            draw_furled(pen, hx, hy, s)
        elif thing == "flowers":
            draw_bouquet(pen, hx, hy, s, phase)
        elif thing == "gift":
            draw_gift(pen, hx, hy, s)
        elif thing in SMALL:
            SMALL[thing](pen, hx, hy, s)
        elif thing in ("rod", "catch"):  # held out in front, its line down to the ice or water at their feet
            draw_rod(pen, hx, hy, 0.75 * s, face, thing == "catch", phase, y)


def draw_rod(pen: Pen, hx: float, hy: float, length: float, face: int, fish: bool, phase: float,
             ground: float | None = None) -> None:  # fmt: skip
    """A fishing rod held at (hx, hy), rising out toward `face`, its line hanging from the tip: down to `ground`
    (through the hole in the ice, into the water), or short with the fish just caught on its end, wriggling."""
    a = math.radians(52)
    tx, ty = hx + face * math.cos(a) * length, hy - math.sin(a) * length
    pen.line(hx, hy, tx, ty, max(1.5, length * 0.014), ROD)
    pen.ellipse(hx + face * length * 0.06, hy - length * 0.04, length * 0.025, length * 0.025, (40, 40, 44))  # reel
    if not fish:
        end = ground if ground is not None else hy + length * 0.5
        pen.line(tx, ty, tx, end, max(1.0, length * 0.004), LINE)
        return
    swing = math.sin(phase * 1.5) * length * 0.03
    mouth = (tx + swing, ty + length * 0.32)
    pen.line(tx, ty, *mouth, max(1.0, length * 0.005), LINE)
    w, h = length * 0.06, length * 0.15  # head up on the hook, the tail below
    mx, my = mouth
    pen.ellipse(mx, my + h, w, h, SCALES, angle=math.degrees(swing / length) * 3)
    pen.poly([(mx, my + h * 1.8), (mx - w * 1.2, my + h * 2.5), (mx + w * 1.2, my + h * 2.5)], shade(SCALES, 0.8))
    pen.ellipse(mx + face * w * 0.35, my + h * 0.45, w * 0.18, w * 0.18, (30, 30, 30))  # the eye


def draw_furled(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A furled umbrella held by its crook, its tip on the ground beside the holder."""
    pen.arc(hx - s * 0.02, hy, s * 0.02, s * 0.02, 180, 360, max(1.0, s * 0.008), (40, 30, 24))
    tip = hy + 0.44 * s
    pen.poly([(hx - s * 0.018, hy + 0.06 * s), (hx + s * 0.018, hy + 0.06 * s), (hx, tip)], UMBRELLA_FURLED)
    pen.line(hx, hy, hx, tip + s * 0.02, max(1.0, s * 0.006), (40, 40, 40))


def draw_bouquet(pen: Pen, hx: float, hy: float, s: float, phase: float) -> None:
    """A bunch of flowers in a paper cone, held up in front at the hand, blooms nodding a little."""
    pen.poly([(hx - s * 0.05, hy - s * 0.1), (hx + s * 0.05, hy - s * 0.1), (hx, hy + s * 0.05)], (236, 228, 206))
    for j in range(5):
        a = math.radians(-60 + 30 * j) + 0.05 * math.sin(phase + j)
        bx, by = hx + math.sin(a) * s * 0.07, hy - s * 0.1 - math.cos(a) * s * 0.06
        pen.line(hx, hy - s * 0.06, bx, by, max(1.0, s * 0.006), (60, 120, 50))
        pen.ellipse(bx, by, s * 0.028, s * 0.028, FLOWER_HEADS[j % len(FLOWER_HEADS)])
    pen.ellipse(hx, hy - s * 0.165, s * 0.026, s * 0.026, FLOWER_HEADS[1])


def draw_gift(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A small wrapped box with a ribbon, held at the hand."""
    w = s * 0.09
    pen.rect(hx - w, hy - w * 1.4, hx + w, hy + w * 0.2, GIFT)
    pen.rect(hx - w * 0.15, hy - w * 1.4, hx + w * 0.15, hy + w * 0.2, RIBBON)
    pen.ellipse(hx - w * 0.3, hy - w * 1.5, w * 0.3, w * 0.2, shade(RIBBON, 0.9))
    pen.ellipse(hx + w * 0.3, hy - w * 1.5, w * 0.3, w * 0.2, shade(RIBBON, 0.9))


def draw_lantern(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A lantern hanging from the hand by its bail: an iron cap and base round lit glass (lit whatever the hour)."""
    w, top = s * 0.035, hy + s * 0.04
    pen.line(hx, hy, hx, top, max(1.0, s * 0.006), IRON)
    Pen(pen.frame).rect(hx - w, top + s * 0.015, hx + w, top + s * 0.085, LANTERN_GLASS)  # its own light
    pen.poly([(hx - w * 1.2, top + s * 0.018), (hx + w * 1.2, top + s * 0.018), (hx, top - s * 0.005)], IRON)
    pen.rect(hx - w * 1.15, top + s * 0.085, hx + w * 1.15, top + s * 0.1, IRON)
    for k in (-1, 1):
        pen.line(hx + k * w, top + s * 0.015, hx + k * w, top + s * 0.085, max(1.0, s * 0.005), IRON)


def draw_basket(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A wicker basket hanging from the hand by its arched handle."""
    w, top = s * 0.075, hy + s * 0.05
    pen.arc(hx, top, w * 0.8, s * 0.05, 180, 360, max(1.0, s * 0.008), shade(WICKER, 0.8))
    pen.poly([(hx - w, top), (hx + w, top), (hx + w * 0.8, top + s * 0.08), (hx - w * 0.8, top + s * 0.08)], WICKER)
    for k in (1, 2):  # the weave
        yy = top + k * s * 0.027
        pen.line(hx - w * 0.95, yy, hx + w * 0.95, yy, max(1.0, s * 0.004), shade(WICKER, 0.75))


def draw_book(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A book held at the hand, its cover outward and its pages' edge showing."""
    w, h = s * 0.05, s * 0.07
    pen.rect(hx - w, hy - h * 0.6, hx + w, hy + h * 0.4, (130, 44, 52))
    pen.rect(hx + w * 0.7, hy - h * 0.55, hx + w, hy + h * 0.35, PAPER)
    pen.rect(hx - w * 0.6, hy - h * 0.35, hx + w * 0.4, hy - h * 0.25, (236, 200, 110))  # the title band


def draw_cup(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A mug held at the hand, with its handle."""
    w, h = s * 0.025, s * 0.04
    pen.arc(hx + w, hy - h * 0.4, w * 0.6, h * 0.3, 270, 450, max(1.0, s * 0.006), PAPER)
    pen.rect(hx - w, hy - h, hx + w, hy, PAPER)
    pen.rect(hx - w, hy - h, hx + w, hy - h * 0.8, (110, 70, 50))  # the drink inside


def draw_bag(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A shopping bag hanging from the hand by its two handles."""
    w, top = s * 0.055, hy + s * 0.04
    for k in (-1, 1):
        pen.line(hx, hy, hx + k * w * 0.5, top, max(1.0, s * 0.006), (70, 56, 46))
    pen.rect(hx - w, top, hx + w, top + s * 0.12, (196, 150, 96))
    pen.line(hx - w, top + s * 0.005, hx + w, top + s * 0.005, max(1.0, s * 0.005), (150, 110, 70))


def draw_letter(pen: Pen, hx: float, hy: float, s: float) -> None:
    """An envelope held at the hand, its flap's V showing."""
    w, h = s * 0.045, s * 0.03
    pen.rect(hx - w, hy - h, hx + w, hy + h, PAPER)
    pen.line(hx - w, hy - h, hx, hy + h * 0.1, max(1.0, s * 0.004), (170, 166, 156))
    pen.line(hx + w, hy - h, hx, hy + h * 0.1, max(1.0, s * 0.004), (170, 166, 156))
    pen.ellipse(hx, hy + h * 0.1, s * 0.007, s * 0.007, (180, 40, 40))  # the seal


def draw_fish(pen: Pen, hx: float, hy: float, s: float) -> None:
    """A silver fish held by its tail, hanging head down from the hand."""
    w, h = s * 0.03, s * 0.085
    pen.ellipse(hx, hy + h, w, h, (150, 170, 186))
    pen.poly([(hx, hy + h * 0.15), (hx - w * 1.1, hy - h * 0.2), (hx + w * 1.1, hy - h * 0.2)], (120, 140, 158))
    pen.ellipse(hx + w * 0.3, hy + h * 1.6, w * 0.25, w * 0.25, (30, 30, 34))  # its eye


SMALL = {"lantern": draw_lantern, "basket": draw_basket, "book": draw_book, "cup": draw_cup, "bag": draw_bag,
         "letter": draw_letter, "fish": draw_fish}  # fmt: skip


def draw_in_hands(pen: Pen, thing: str, x: float, y: float, s: float, phase: float) -> None:
    """A close-up's carried thing held out by two fists at (x ± 0.36 s, y - 0.17 s) (animatic_hands' "hold"): a
    furled umbrella across them, being offered, its crook to one side; a big bunch of flowers; a gift."""
    if thing == "umbrella":
        gy = y - s * 0.17
        pen.poly([(x - s * 0.46, gy - s * 0.05), (x - s * 0.46, gy + s * 0.05), (x + s * 0.52, gy)], UMBRELLA_FURLED)
        pen.line(
            x - s * 0.46, gy - s * 0.04, x + s * 0.5, gy - s * 0.01, max(1.0, s * 0.01), shade(UMBRELLA_FURLED, 1.4)
        )
        pen.line(x + s * 0.5, gy, x + s * 0.6, gy, max(2.0, s * 0.012), (40, 40, 40))  # the tip
        pen.line(x - s * 0.46, gy, x - s * 0.58, gy, max(2.0, s * 0.02), (60, 40, 28))
        pen.arc(x - s * 0.58, gy + s * 0.05, s * 0.05, s * 0.05, 90, 270, max(2.0, s * 0.02), (60, 40, 28))  # crook
    elif thing == "flowers":
        draw_bouquet(pen, x, y - s * 0.05, s * 2.2, phase)
    elif thing == "gift":
        draw_gift(pen, x, y - s * 0.1, s * 2.2)
