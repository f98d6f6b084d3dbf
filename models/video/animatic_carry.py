"""What people carry in their hands, read from a scene's action, and drawing it at a standing person's hand.

A thing passed to someone ("lends her umbrella to an old man", "hands the umbrella back to the young woman") is
in the hands of the one it was passed to: the picture is the moment after the giving. A thing the action names
otherwise ("waits to return the umbrella, with a bunch of flowers") is the doer's. Only the things drawn here
count: an umbrella (open over its holder in the rain, furled at their side otherwise), a bunch of flowers and a
wrapped gift; without one named, people out in the rain keep their own umbrellas (animatic_cast).
"""

from __future__ import annotations

import math
import re

from models.storyboard import SceneFacts
from models.video.animatic_facts import PEOPLE, subject_kinds
from models.video.animatic_figures import PEOPLE as LOOKS
from models.video.animatic_paint import shade
from models.video.animatic_pen import RGB, Pen

# Words → a thing drawn in hand. "flowers" before "flower": a bunch of them.
CARRIED: dict[str, tuple[str, ...]] = {
    "umbrella": ("umbrella", "umbrellas", "parasol", "brolly"),
    "flowers": ("flowers", "flower", "bouquet", "bunch of flowers", "roses", "rose", "tulips", "posy", "daisies"),
    "gift": ("gift", "present", "parcel", "package"),
}
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
    return tuple(dict.fromkeys(out))


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
