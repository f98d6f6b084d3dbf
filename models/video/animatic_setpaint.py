"""Painting the sets animatic_sets reads: a room seen from inside (the work table, the tea house, a shop, the
classroom) as an opaque back wall and a near layer, an outdoor set over the landscape's (sky, far, near) layers,
and the props around a product on a studio floor. Each painter notes what it drew in the trace.
"""

from __future__ import annotations

import numpy as np

from models.video.animatic_busstop import paint_bus_stop
from models.video.animatic_frontage import paint_frontage
from models.video.animatic_lesson import paint_classroom, paint_plant
from models.video.animatic_paint import LIGHT, Geometry
from models.video.animatic_park import paint_park
from models.video.animatic_pen import Pen
from models.video.animatic_playground import paint_bridge, paint_playground
from models.video.animatic_shop import paint_shop
from models.video.animatic_spring import spring_flowers
from models.video.animatic_station import paint_station
from models.video.animatic_table import paint_table, paint_teahouse
from models.video.animatic_town import paint_bamboo, paint_lanterns, paint_rooftops, paint_street, paint_temple
from models.video.animatic_words import SceneSpec

# Where spring puts flowers in the grass: the grass of a park, a field, a wood (no water, paving or snow under
# them), and no set of their own but a park's or a playground's.
NOT_GREEN = frozenset({"sea", "river", "city", "desert", "courtyard", "junkyard", "snow", "interior", "studio"})
GREEN_SETS = frozenset({"", "park", "playground"})
OUTDOOR_PAINTERS = {
    "lanterns": paint_lanterns,
    "bamboo": paint_bamboo,
    "temple": paint_temple,
    "street": paint_street,
    "market": paint_street,
    "rooftop": paint_rooftops,
    "station": paint_station,
    "busstop": paint_bus_stop,
    "front": paint_frontage,
    "playground": paint_playground,
    "bridge": paint_bridge,
}


def paint_indoor_set(
    spec: SceneSpec, rng: np.random.Generator, g: Geometry, trace: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(opaque back wall, near layer) of a set seen from inside: the work table, a shop or the classroom."""
    if spec.setting == "table":
        return paint_table(spec, rng, g, trace)
    if spec.setting == "teahouse":
        return paint_teahouse(spec, rng, g, trace)
    if spec.setting == "shop":
        return paint_shop(spec, rng, g, trace)
    return paint_classroom(spec, rng, g, trace)


def paint_outdoor_set(spec: SceneSpec, rng: np.random.Generator, g: Geometry, layers: tuple[np.ndarray, ...],
                      trace: list[str], top_down: bool = False) -> None:  # fmt: skip
    """Paint an outdoor set over the landscape's (sky, far, near) layers (`top_down`: seen from the air), and
    spring's flowers in the grass of any green place."""
    sky, far, near = layers
    if spec.setting == "plant":
        paint_plant(spec, rng, g, sky, far, near, trace)
    elif spec.setting == "park":
        paint_park(spec, rng, g, far, near, trace, top_down)
    elif (painter := OUTDOOR_PAINTERS.get(spec.setting)) is not None:
        painter(spec, rng, g, far, near, trace)
    if spec.season == "spring" and not top_down and spec.setting in GREEN_SETS and not spec.elements & NOT_GREEN:
        spring_flowers(near, rng, g.hz, g.fh, max(LIGHT[spec.time], 0.35))
        trace.append("spring:flowers")


def paint_studio_props(spec: SceneSpec, rng: np.random.Generator, floor: np.ndarray, g: Geometry,
                       trace: list[str]) -> None:  # fmt: skip
    """Ice cubes and loose tea leaves on the studio floor either side of where the product stands."""
    if spec.shot in ("close_up", "extreme_close_up") or not spec.props:
        return
    pen = Pen(floor)
    y, size = g.hz + 0.55 * (g.fh - g.hf), g.fh * 0.05
    for side in (-1, 1):
        for k in range(3):
            x = g.lw / 2 + side * (0.16 + 0.06 * k + rng.uniform(0, 0.03)) * g.fw
            yy = y - rng.uniform(-0.02, 0.04) * g.fh
            if "ice" in spec.props:
                pen.rounded(x - size / 2, yy - size, x + size / 2, yy, size * 0.2, (214, 232, 244))
                pen.rounded(x - size * 0.35, yy - size * 0.85, x + size * 0.1, yy - size * 0.45, size * 0.1,
                            (246, 252, 255))  # fmt: skip
            if "leaves" in spec.props:
                pen.ellipse(x + side * size, yy + size * 0.3, size * 0.5, size * 0.2, (70, 110, 50), angle=30 * side)
    trace += [f"studio:{p}" for p in spec.props]
