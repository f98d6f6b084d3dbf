"""Who stands where in a scene read from facts, how big the shot size makes them, and drawing them each frame.

The shot size sets the size of a standing adult (an extreme wide shot shows a tiny figure in the landscape, a
close-up one big subject: a person from the chest up, anything else filling the middle of the frame); every
other kind is sized relative to that adult. People and animals stand side by side on the place's ground (the
quay, the dock, the cliff top), boats and ducks sit on the water, birds and planes fly; the seed moves them a
little, picks which way they face and their colours, so a re-rolled seed gives another picture.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from models.video.animatic_animals import ANIMAL_SCALE, QUADS, draw_quad, draw_small, quad_head
from models.video.animatic_carry import draw_carried, draw_rod, holders
from models.video.animatic_doorway import house_behind
from models.video.animatic_figures import PEOPLE as LOOKS
from models.video.animatic_figures import draw_person, dressed, holding_hand
from models.video.animatic_hands import SKIN as HAND_SKIN
from models.video.animatic_hands import SLEEVE as HAND_SLEEVE
from models.video.animatic_hands import draw_hands, draw_held
from models.video.animatic_kinds import BOATS, IN_SKY, OBJECTS, PEOPLE
from models.video.animatic_kite import draw_kite, draw_string
from models.video.animatic_mouth import draw_in_mouth, thing_size
from models.video.animatic_paint import LIGHT, Geometry, mix, shade
from models.video.animatic_pen import RGB, Pen
from models.video.animatic_places import HOUSE_COLOURS, dim_factor, dock_end, quay_row, seen, standing
from models.video.animatic_products import ASPECT, PRODUCT_COLOURS, draw_product
from models.video.animatic_snowman import draw_snowman
from models.video.animatic_sprites import draw_subject
from models.video.animatic_town import UMBRELLAS, draw_umbrella
from models.video.animatic_trees import draw_fruit_tree
from models.video.animatic_vehicles import BOAT_HULLS, draw_building, draw_fishing_boat, draw_vehicle
from models.video.animatic_winter import wintry
from models.video.animatic_words import SceneSpec

# The word animatic's own subjects: (size as a fraction of frame height, base colour).
SUBJECT_LOOK: dict[str, tuple[float, tuple[int, int, int]]] = {
    "man": (0.42, (40, 38, 50)),
    "woman": (0.41, (70, 32, 52)),
    "girl": (0.3, (96, 40, 62)),
    "boy": (0.3, (40, 52, 84)),
    "cat": (0.2, (45, 42, 48)),
    "dog": (0.22, (112, 76, 46)),
    "fox": (0.22, (218, 108, 36)),
    "bird": (0.16, (34, 32, 40)),
    "boat": (0.32, (82, 52, 36)),
    "car": (0.3, (60, 60, 66)),
}
LEGACY_SHAPES = frozenset({"bird", "boat", "car"})
# A standing adult's height, as a fraction of the frame height, per shot size.
PERSON_SIZE = {"extreme_wide": 0.09, "wide": 0.22, "medium": 0.46, "close_up": 2.3, "extreme_close_up": 3.6}
CLOSE = frozenset({"close_up", "extreme_close_up"})
THING_SCALE = {"boat": 0.8, "fishingboat": 1.5, "car": 0.75, "bus": 0.8, "bicycle": 0.8, "train": 0.8,
               "plane": 0.8, "house": 1.5, "tent": 0.9, "flower": 0.3, "fruittree": 1.5,
               "snowman": 0.8, "tree": 1.9, "kite": 0.3}  # fmt: skip
# A kite caught in a tree: (its size, how far right of the trunk and how high up it hangs) × the tree's size, the
# last two then over the kite's own size.
CAUGHT = (0.26, 0.12 / 0.26, 0.68 / 0.26)
SPEED = {"walk": 0.05, "run": 0.13, "drive": 0.2, "row": 0.015, "swim": 0.0, "fly": 0.06}  # frame widths a second


class Subject(NamedTuple):
    """One thing drawn every frame, anchored at (x, y) in near-layer (or, in the sky, sky-layer) pixels."""

    kind: str
    x: float
    y: float
    size: float  # pixels at rest
    colour: tuple[int, int, int]
    in_sky: bool
    pose: str = ""  # "" for the word animatic's subjects; else stand, walk, run, wave, sit, row, moored
    riders: tuple[str, ...] = ()  # who sits in this boat
    face: int = 1  # +1 faces right
    speed: float = 0.0  # layer pixels a second along `face`
    toss: float = 0.0  # how hard the sea throws it (a storm: 1)
    carries: str = ""  # what an animal carries in its mouth (drawn in its jaws, moving with it)


def extent(kind: str) -> tuple[float, float]:
    """(width, height) of a kind's drawing relative to its size parameter."""
    if kind in PEOPLE:
        return 0.4, 1.0
    if kind in QUADS:
        q = QUADS[kind]
        return q.length * 1.3, q.legs + q.body + q.neck * 0.85 + q.head * 2
    if kind in ASPECT:
        return ASPECT[kind], 1.0
    return {"fishingboat": (1.0, 0.75), "boat": (1.1, 0.95), "car": (1.15, 0.55), "bird": (1.1, 0.6),
            "cat": (0.8, 0.6), "dog": (1.0, 0.7), "fox": (1.3, 0.6), "bus": (1.6, 0.7), "train": (3.0, 0.6),
            "plane": (1.3, 0.5), "house": (1.3, 1.0), "tent": (1.2, 0.7), "duck": (0.9, 0.7),
            "fish": (1.2, 1.0), "butterfly": (0.6, 0.6), "frog": (0.9, 0.7), "seal": (1.3, 0.65), "bicycle": (0.8, 0.5),
            "snowman": (0.7, 0.9), "tree": (0.9, 0.95), "kite": (0.72, 1.0)}.get(kind, (1.0, 1.0))  # fmt: skip


def relative_size(kind: str) -> float:
    if kind in PEOPLE:
        return 1.0
    if kind in OBJECTS:
        return 0.3
    return ANIMAL_SCALE.get(kind, THING_SCALE.get(kind, 0.5))


def _pose(kind: str, motion: str) -> str:
    if kind in PEOPLE:
        return motion if motion in ("walk", "run", "wave", "sit", "fall") else "stand"
    if kind in BOATS:
        return "sail"
    return "walk" if motion in ("walk", "run", "drive", "fly") else "stand"


def cast(spec: SceneSpec, g: Geometry, rng: np.random.Generator, seconds: float) -> list[Subject]:
    """Place the spec's subjects (and a harbour's moored boats) for a scene read from facts."""
    el, shot = spec.elements, spec.shot or "medium"
    if "catch" in {t for _k, t in spec.holds}:  # the fish caught hangs on the rod's line, not swimming beside it
        spec = spec.model_copy(update={"subjects": tuple(k for k in spec.subjects if k != "fish")})
    person = PERSON_SIZE.get(shot, 0.46) * g.fh
    storm = 1.0 if "storm" in el else 0.3 if "rain" in el else 0.0
    out: list[Subject] = []
    if shot in CLOSE and spec.subjects:
        two = len(spec.subjects) > 1  # the one the action names (the dog given the loaf, the girl looked at)
        out.append(_close_up(spec, g, rng, spec.subjects[0], shot, storm, -0.2 * g.fw if two else None))
        if two:  # further off, on the side the first faces
            out.append(_beyond(spec, g, rng, spec.subjects[1], storm))
        return out
    ground = standing(spec, g)
    standing_out = ("duck", "fish", "fruittree", "tree", "kite")  # on the water, behind the people, in the sky
    if any(k in PEOPLE for k in spec.subjects):
        standing_out += ("house",)  # a house with people at it stands behind them, to their scale
    land = [k for k in spec.subjects if k not in IN_SKY and k not in BOATS and k not in standing_out]
    if spec.mouth in land[1:]:  # carried in the first one's mouth, not standing beside it
        land.remove(spec.mouth)
    row = {"extreme_wide": 0.12, "wide": 0.45, "medium": 0.75}.get(shot, 0.75)
    y = ground.far + row * (ground.near - ground.far)
    if "studio" in el:
        y = g.hz + 0.55 * seen(g)
    # The main subject takes the shot's size: with no person in frame, the biggest thing is drawn as big as a
    # person would be (two rabbits in a medium shot fill it as a person would); a studio shows products big.
    biggest = max((relative_size(k) for k in spec.subjects), default=1.0)
    boost = 1.0 if any(k in PEOPLE for k in spec.subjects) else min(3.0, 0.8 / biggest) if biggest < 0.8 else 1.0
    if "studio" in el:
        boost = 3.4  # a hero product fills a good part of a medium shot
    sizes = [person * relative_size(k) * boost for k in land]
    animal = next((k for k in land if k in QUADS), "") if not any(k in PEOPLE for k in land) else ""
    if animal:  # a thing with an animal (and no person) is drawn to the animal's scale
        big = sizes[land.index(animal)]
        sizes = [thing_size(animal, big, k) if k in OBJECTS else s for k, s in zip(land, sizes, strict=True)]
    widths = [extent(k)[0] * s for k, s in zip(land, sizes, strict=True)]
    gap = person * 0.12
    total = sum(widths) + gap * max(0, len(land) - 1)
    centre = (ground.left + ground.right) / 2 + rng.uniform(-0.1, 0.1) * g.fw
    if "interior" in el:
        centre = g.lw / 2 - 0.12 * g.fw
    x = min(max(centre - total / 2, ground.left - 0.2 * g.fw), ground.right + 0.2 * g.fw - total)
    walk_face = 1 if rng.random() < 0.5 else -1
    for kind, size, width in zip(land, sizes, widths, strict=True):
        pose = _pose(kind, spec.action)
        if spec.kite == "flown" and kind in PEOPLE and not any(s.pose == "hold" for s in out):
            pose = "hold"  # the flyer holds the kite's string
        cx = x + width / 2
        face = walk_face if pose in ("walk", "run") else (1 if cx < g.lw / 2 else -1)
        speed = SPEED.get(spec.action if spec.action in ("walk", "run") else "", 0.0) * g.fw * size / (0.46 * g.fh)
        riders = spec.aboard if kind == "bicycle" else ()
        if riders:  # someone riding: the bicycle crosses the frame at a cyclist's pace
            speed, face = SPEED["run"] * g.fw * size / (0.46 * g.fh), walk_face
        speed = min(speed, 0.15 * g.fw)
        start = cx - face * speed * seconds / 2
        yy = y + rng.uniform(-0.02, 0.03) * seen(g)
        if "interior" in el and kind in OBJECTS:  # on the table, by the lamp
            start, yy = g.lw / 2 + 0.22 * g.fw, g.hz + 0.25 * (g.lh - g.hz) - 12
        carries = spec.mouth if kind in QUADS and not any(s.kind in QUADS for s in out) else ""
        out.append(Subject(kind, start, yy, size, _colour(kind, rng), False, pose, riders, face, speed, storm, carries))
        x += width + gap
    if "fruittree" in spec.subjects:  # the tree stands a little behind the people, to one side, not in their row
        side = -1 if rng.random() < 0.5 else 1
        size = person * relative_size("fruittree") * (1.0 if land else boost)
        tx = g.lw / 2 + side * (0.3 if land else 0.05) * g.fw
        out.append(Subject("fruittree", tx, y - 0.04 * seen(g), size, _colour("fruittree", rng), False, "stand"))
    out += _tree_and_kite(spec, g, rng, out, person, y, boost)
    if "house" in standing_out and "house" in spec.subjects:
        first = next(s for s in out if s.kind in PEOPLE)
        hx, size = house_behind(first.x, first.size, person)
        out.append(Subject("house", hx, y - 0.05 * seen(g), size, _colour("house", rng), False, "stand"))
    water_row = _water_row(spec, g, row)
    for i, kind in enumerate(k for k in spec.subjects if k in BOATS or k in ("duck", "fish")):
        size = person * relative_size(kind)
        riders = spec.aboard if i == 0 and kind in BOATS else ()
        bx = g.lw / 2 + rng.uniform(-0.12, 0.12) * g.fw + i * 0.2 * g.fw
        if "dock" in el:
            bx = g.lw / 2 + (0.3 if rng.random() < 0.5 else -0.3) * g.fw
        elif "cliff" in el:
            bx = g.lw / 2 + 0.35 * g.fw
        speed = SPEED["row"] * g.fw if riders else 0.0
        pose = "sail" if kind in BOATS else "swim" if kind == "fish" else "stand"
        out.append(Subject(kind, bx - speed * seconds / 2, water_row + i * 0.05 * seen(g), size,
                           _colour(kind, rng), False, pose, riders, 1, speed, storm))  # fmt: skip
    for i, kind in enumerate(k for k in spec.subjects if k in IN_SKY):
        size = person * relative_size(kind) * (2.0 if shot == "extreme_wide" else 1.0)
        speed = SPEED["fly"] * g.fw * (1.6 if kind == "plane" else 1.0)
        sx, sy = g.lw / 2 + (rng.uniform(-0.3, 0.1) + 0.15 * i) * g.fw, g.hz - (0.32 - 0.06 * i) * g.fh
        out.append(Subject(kind, sx, sy, size, _colour(kind, rng), kind == "bird", "walk", (), 1, speed, 0.0))
    if "harbour" in el:  # boats moored along the quay
        q = quay_row(g)
        for k in range(3):
            f = rng.uniform(0.25, 0.9)
            by = g.hz + f * (q - g.hz) * 0.95
            bx = g.lw / 2 + (-0.5 + 0.42 * k + rng.uniform(-0.06, 0.06)) * g.fw
            size = g.fh * 0.3 * (0.25 + 0.75 * f)
            out.append(
                Subject("fishingboat", bx, by, size, _colour("fishingboat", rng), False, "moored", (), 1, 0.0, storm)
            )
    if "dock" in el and not any(s.kind in BOATS for s in out):
        by = dock_end(g) + 0.05 * seen(g)
        out.append(Subject("fishingboat", g.lw / 2 - 0.33 * g.fw, by, g.fh * 0.28, _colour("fishingboat", rng),
                           False, "moored", (), 1, 0.0, storm))  # fmt: skip
    return sorted(out, key=lambda s: (s.in_sky, s.y))


def _tree_and_kite(spec: SceneSpec, g: Geometry, rng: np.random.Generator, people: list[Subject], person: float,
                   y: float, boost: float) -> list[Subject]:  # fmt: skip
    """The tree someone climbs (they stand at its trunk) and a kite: caught in that tree's crown, or up in the
    sky, on the face side of its flyer, whose string reaches down to their hands."""
    out: list[Subject] = []
    tree: Subject | None = None
    if "tree" in spec.subjects:
        size = person * relative_size("tree") * (1.0 if people else boost)
        if people:  # beside the first of them, a little behind: the trunk at their shoulder
            first = people[0]
            tx = first.x + (0.16 if first.x < g.lw / 2 else -0.16) * g.fw * min(1.0, size / g.fh)
        else:
            tx = g.lw / 2 + rng.uniform(-0.08, 0.08) * g.fw
        tree = Subject("tree", tx, y - 0.04 * seen(g), size, (72, 124, 60), False, "stand")
        out.append(tree)
    if "kite" in spec.subjects:
        if tree is not None and spec.kite == "tree":
            # anchored at the tree's foot like the tree (the ground's rows map feet, not crowns), drawn up in its crown
            out.append(Subject("kite", tree.x, tree.y + 0.5, tree.size * CAUGHT[0], (222, 44, 40), False, "caught"))
        else:
            flyer = next((s for s in people if s.pose == "hold"), None)
            size = person * relative_size("kite") * (2.0 if spec.shot == "extreme_wide" else 1.0)
            face = flyer.face if flyer is not None else 1
            sx = (flyer.x if flyer is not None else g.lw / 2) + face * rng.uniform(0.18, 0.26) * g.fw
            sy = g.hz - rng.uniform(0.3, 0.36) * g.fh
            pose = "flown" if flyer is not None else "sky"
            out.append(Subject("kite", sx, sy, size, (222, 44, 40), True, pose, (flyer.kind,) if flyer else (), face))
    return out


def clear_of_river(subjects: list[Subject], centre: np.ndarray, half: np.ndarray) -> list[Subject]:
    """Move the people and animals standing together off the river, as a group, to the bank nearer to them;
    boats and ducks go to mid-river."""

    def at(y: float) -> int:  # a close-up's feet can stand below the frame: the river's last row holds there
        return min(len(centre) - 1, max(0, int(y)))

    out = [s._replace(x=float(centre[at(s.y)])) if s.kind in BOATS | {"duck", "fish"} else s for s in subjects]
    group = [k for k, s in enumerate(out) if not s.in_sky and s.kind not in BOATS | {"duck", "fish"}]
    if not group:
        return out
    lo = min(out[k].x - out[k].size * extent(out[k].kind)[0] / 2 for k in group)
    hi = max(out[k].x + out[k].size * extent(out[k].kind)[0] / 2 for k in group)
    row = at(max(out[k].y for k in group))
    c, hw = float(centre[row]), float(half[row]) + 6
    if hi < c - hw or lo > c + hw:
        return out
    shift = (c - hw - hi) if (lo + hi) / 2 < c else (c + hw - lo)
    for k in group:
        out[k] = out[k]._replace(x=out[k].x + shift)
    return out


def _water_row(spec: SceneSpec, g: Geometry, row: float) -> float:
    el, s = spec.elements, seen(g)
    if "harbour" in el:
        return g.hz + (0.2 + 0.6 * row) * (quay_row(g) - g.hz)
    if "dock" in el:
        return dock_end(g) + 0.1 * s
    return g.hz + (0.08 + 0.55 * row) * s


def _close_up(spec: SceneSpec, g: Geometry, rng: np.random.Generator, kind: str, shot: str, storm: float,
              at: float | None = None) -> Subject:  # fmt: skip
    """One big subject: a person from the chest up, an animal's head, anything else filling the middle of the
    frame; `at` (frame widths from the centre, left of it) places it facing right, toward a second subject."""
    lift = g.hz - g.hf  # layer row = frame row + lift at rest
    side = rng.uniform(-0.12, 0.12) * g.fw if at is None else at
    if kind in PEOPLE:
        # framed from the chest up whatever their height: a child or a small robot is drawn bigger, not lower
        # (their head fell below the frame's bottom edge)
        size = PERSON_SIZE[shot] * g.fh / LOOKS[kind].height if kind in LOOKS else PERSON_SIZE[shot] * g.fh
        x, y = g.lw / 2 + side, 0.16 * g.fh + PERSON_SIZE[shot] * g.fh + lift
        return Subject(kind, x, y, size, _colour(kind, rng), False, "stand", (), 1 if side < 0 else -1, 0.0, storm)
    if kind in QUADS:  # an animal's face: its head fills the frame as a person's does, its body out of frame
        face = 1 if side < 0 else -1
        hx, hy, hr = quad_head(kind, 0.0, 0.0, 1.0, face)
        size = (0.3 if shot == "close_up" else 0.42) * g.fh / hr
        x, y = g.lw / 2 + side - hx * size, 0.58 * g.fh + lift - hy * size
        return Subject(kind, x, y, size, _colour(kind, rng), False, "stand", (), face, 0.0, storm)
    w, h = extent(kind)
    fill = 0.7 if shot == "close_up" else 0.84
    size = min(fill * g.fh / h, 0.85 * g.fw / w)
    riders = spec.aboard if kind in BOATS else ()
    y = g.fh * ((0.18 if shot == "close_up" else 0.14) + fill) + lift  # clear of the caption strip
    return Subject(kind, g.lw / 2 + side * 0.5, y, size, _colour(kind, rng), False, _pose(kind, spec.action),
                   riders, 1, 0.0, storm)  # fmt: skip


def _beyond(spec: SceneSpec, g: Geometry, rng: np.random.Generator, kind: str, storm: float) -> Subject:
    """The second subject of a close-up, on the side the first faces, standing further off at a medium shot's size
    (drawn at close-up size too, the girl the fox looks at was a giant beside it, or cut off by the frame)."""
    size = PERSON_SIZE["medium"] * g.fh * relative_size(kind)
    ground = standing(spec, g)
    y = ground.far + 0.45 * (ground.near - ground.far)
    return Subject(kind, g.lw / 2 + 0.24 * g.fw, y, size, _colour(kind, rng), False, "stand", (), -1, 0.0, storm)


def _colour(kind: str, rng: np.random.Generator) -> RGB:
    if kind in SUBJECT_LOOK:
        return SUBJECT_LOOK[kind][1]
    if kind in BOATS:
        return BOAT_HULLS[int(rng.integers(len(BOAT_HULLS)))]
    if kind == "house":
        return HOUSE_COLOURS[int(rng.integers(len(HOUSE_COLOURS)))]
    return _product_colour(kind)


def _product_colour(kind: str) -> RGB:
    # A product keeps its colour from scene to scene of an advert, whatever each scene's seed.
    return PRODUCT_COLOURS[zlib.crc32(kind.encode()) % len(PRODUCT_COLOURS)]


def make_tint(spec: SceneSpec, g: Geometry, y: float) -> Callable[[RGB], RGB]:
    """How a colour looks on a thing at layer row y in this scene: the light of the hour and the weather, a
    moonlit blue at night, fog thicker with distance. A studio is evenly lit."""
    if "studio" in spec.elements:
        return lambda c: c
    k = max(0.55, LIGHT[spec.time]) * dim_factor(spec) ** 0.6
    night = spec.time == "night" and "interior" not in spec.elements
    fog = "fog" in spec.elements
    veil = float(np.clip(0.55 - 0.45 * (y - g.hz) / (g.lh - g.hz), 0.1, 0.55)) if fog else 0.0
    fog_col = shade((206, 210, 214), LIGHT[spec.time] ** 0.7)

    def tint(col: RGB) -> RGB:
        c = shade(col, k)
        if night:
            c = mix(c, (96, 106, 150), 0.45)
        return mix(c, fog_col, veil) if fog else c

    return tint


def draw_cast(frame: np.ndarray, s: Subject, spec: SceneSpec, g: Geometry, fx: float, fy: float, size: float,
              secs: float, hand: tuple[float, float] | None = None) -> None:  # fmt: skip
    """Draw one subject standing on frame point (fx, fy) at `size` pixels, at time secs (a flown kite's string
    down to the frame point `hand`)."""
    pen = Pen(frame, make_tint(spec, g, s.y))
    phase = secs * 2 * math.pi * (1.7 if s.pose == "run" else 1.0 if s.pose in ("walk", "wave") else 0.6)
    phase += s.x * 0.013  # neighbours do not move in step
    kind, moving = s.kind, s.pose in ("walk", "run")
    if kind in PEOPLE:
        draw_person(pen, kind, fx, fy, size, s.pose, phase, s.face, dressed(kind, spec.looks))
        if holds_umbrella(s, spec):
            draw_umbrella(pen, fx, fy - size, size, UMBRELLAS[int(s.x) % len(UMBRELLAS)])
        things = [t for k, t in spec.holds if k == kind]
        rod = next((t for t in things if t in ("rod", "catch")), "")
        if rod and spec.shot in CLOSE:  # from the chest up: the rod rises from the hands below the frame's edge
            hx = fx + s.face * 0.12 * size * (LOOKS[kind].height if kind in LOOKS else 1.0)
            draw_rod(pen, hx, g.fh * 1.02, 0.8 * g.fh, s.face, rod == "catch", phase)
        elif things and s.pose not in ("row", "sit", "hold", "fall"):
            draw_carried(pen, kind, things, fx, fy, size, s.face, holds_umbrella(s, spec), phase)
    elif kind == "hands":
        sleeve = shade(s.colour, 0.8) if s.colour != HAND_SKIN else HAND_SLEEVE  # a robot's arms are its metal
        draw_hands(pen, fx, fy, size, secs * 2 * math.pi * 0.9, g.fh, s.colour, sleeve, s.pose)
    elif s.pose == "held":  # what a close-up's hands hold or feed
        draw_held(pen, kind, fx, fy, size, secs * 2 * math.pi * 0.9, s.colour)
    elif kind in QUADS:
        draw_quad(pen, kind, fx, fy, size, moving, phase, s.face, dict(spec.coats).get(kind))
        if s.carries:
            draw_in_mouth(pen, kind, s.carries, fx, fy, size, s.face, _product_colour(s.carries))
    elif kind == "fishingboat":
        tilt = s.toss * 14 * math.sin(secs * 1.9 + s.x) + 2.5 * math.sin(secs * 1.1 + s.x)
        draw_fishing_boat(pen, fx, fy - s.toss * size * 0.06 * math.sin(secs * 1.9 + s.x + 1), size,
                          phase, s.colour, tilt, s.riders)  # fmt: skip
    elif kind in LEGACY_SHAPES:
        if kind == "boat" and s.riders:
            draw_person(pen, s.riders[0], fx - size * 0.3, fy - size * 0.1, size * 0.55, "row", phase, 1,
                        dressed(s.riders[0], spec.looks))  # fmt: skip
        draw_subject(frame, kind, fx, fy, size, phase, moving, pen.tint(s.colour))
    elif kind in ("duck", "fish", "butterfly", "frog", "seal"):
        draw_small(pen, kind, fx, fy, size, phase, s.face)
    elif kind in ("bus", "bicycle", "train", "plane"):
        draw_vehicle(pen, kind, fx, fy, size, phase, s.face)
        if kind == "bicycle" and s.riders:  # seated on the saddle, hands reaching for the handlebars
            draw_person(pen, s.riders[0], fx - s.face * size * 0.05, fy - size * 0.11, size / 0.8, "row", 0.0, s.face,
                        dressed(s.riders[0], spec.looks))  # fmt: skip
    elif kind in ("house", "tent"):
        draw_building(pen, kind, fx, fy, size, spec.time in ("night", "dusk"), s.colour, wintry(spec))
    elif kind == "fruittree":
        draw_fruit_tree(pen, fx, fy, size, phase, spec.season)
    elif kind == "kite" and s.pose != "held":
        if s.pose == "caught":  # up in the crown of the tree it stands at the foot of, a little to one side
            fx, fy = fx + CAUGHT[1] * size, fy - CAUGHT[2] * size
        tie = draw_kite(pen, fx, fy, size, phase, hang=s.pose == "caught")
        if hand is not None:
            draw_string(pen, tie, hand, size)
    elif kind == "tree":
        draw_fruit_tree(pen, fx, fy, size, phase, spec.season, fruit=False)
    elif kind == "snowman":
        draw_snowman(pen, fx, fy, size, phase, ("snowman", "scarf") in spec.wears, s.face)
    else:
        draw_product(pen, kind, fx, fy, size, s.colour, secs * 2 * math.pi * 0.4)


def hand_at(s: Subject, fx: float, fy: float, size: float) -> tuple[float, float] | None:
    """Where a kite flyer's hands are in the frame (the string ends there), or None for anyone else."""
    return holding_hand(s.kind, fx, fy, size, s.face) if s.pose == "hold" else None


def holds_umbrella(s: Subject, spec: SceneSpec) -> bool:
    """People out in the rain (not a storm at sea, not rowing) hold an umbrella: where the action passes one to
    someone ("lends her umbrella to an old man"), only whoever has it now."""
    passed = holders(spec.holds, "umbrella")
    return (
        s.kind in PEOPLE
        and (not passed or s.kind in passed)
        and "rain" in spec.elements
        and not spec.elements & {"interior", "studio", "sea"}
        and s.pose not in ("row", "sit", "fall")
        and spec.shot not in CLOSE
    )
