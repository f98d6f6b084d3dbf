"""The animatic draws the sets the landscape painters could not: a work table with hands at work, a temple, a
rainy street with umbrellas, a leaf in sunlight, a tea advert's bottle, a city named as a place. Each test checks
what was painted through the engine's trace (which drawer painted what) and something in the picture itself."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_facts import subject_kinds
from models.video.animatic_kinds import PEOPLE
from models.video.animatic_sets import stage
from models.video.animatic_table import layout
from models.video.base import Shot

W, H = 416, 240
KNEAD = dict(subjects=["hands"], action="knead the dough", setting="kitchen work table", shot="close_up")
TEMPLE = dict(subjects=["old monk"], setting="temple", time_of_day="dusk", shot="wide")
RAIN = dict(subjects=["woman"], setting="old town street", weather="rain", time_of_day="dusk", shot="medium")
LEAF = dict(subjects=["leaf"], action="catches the sunlight", shot="close_up")
BOTTLE = dict(subjects=["newly launched iced oolong tea"], setting="photo studio", shot="medium")


def shot(facts: dict, n: int = 1, prompt: str = "a scene") -> Shot:
    return Shot(prompt=prompt, caption="", camera="static", width=W, height=H, fps=16, frames=n, seed=5,
                facts=SceneFacts(**facts))  # fmt: skip


def painted(facts: dict) -> PaintedScene:
    return AnimaticEngine(label="")._paint(shot(facts))


def frames(facts: dict, n: int = 1, prompt: str = "a scene") -> list[np.ndarray]:
    return list(AnimaticEngine(label="").render(shot(facts, n, prompt)))


def share(img: np.ndarray, channel: int, over: float) -> float:
    """Share of pixels where one channel is `over` times both others (and not dark): a hue's footprint."""
    c = img.astype(np.float32) + 1
    others = [k for k in range(3) if k != channel]
    mask = (c[..., channel] > over * c[..., others[0]]) & (c[..., channel] > over * c[..., others[1]])
    return float((mask & (c[..., channel] > 60)).mean())


def test_kneading_dough_is_a_work_table_with_hands_moving_over_the_dough():
    scene = painted(KNEAD)
    assert scene.spec.setting == "table"
    assert {"set:table:top", "prop:dough", "cast:hands"} <= set(scene.trace)
    assert not any(s.kind in PEOPLE for s in scene.subjects)  # the cook is their hands here
    a, *_, b = frames(KNEAD, n=6)
    middle = (slice(H // 3, H), slice(W // 4, 3 * W // 4))
    moved = np.abs(a[middle].astype(int) - b[middle]).max(axis=2) > 30
    assert moved.mean() > 0.005  # the hands press and lift although the camera is still
    # The same facts in a plain living room were the fallback; the work table is another picture.
    room = frames(KNEAD | {"setting": "living room", "action": "stands"})[0]
    assert np.abs(a.astype(int) - room).mean() > 20


@pytest.mark.parametrize(
    ("action", "prop"),
    [("knead the dough", "dough"), ("roll out dumpling wrappers", "rollingpin"), ("mix the filling", "bowl"),
     ("wrap a gold-ingot shape", "dumplings"), ("drop into boiling water and boil", "pot"),
     ("steam them in a bamboo steamer", "steamer"), ("chop the cabbage", "knife")],
)  # fmt: skip
def test_each_step_of_a_process_puts_its_own_prop_in_focus(action: str, prop: str):
    spec = stage(SceneFacts(subjects=["making dumplings"], action=action, setting="work table", shot="medium")).spec
    assert layout(spec, AnimaticEngine()._paint(shot(KNEAD)).geometry)[0][0] == prop


def test_a_wide_kitchen_shows_the_cook_behind_the_table_and_a_spread_of_props():
    scene = painted(dict(subjects=["grandmother"], setting="kitchen", shot="wide"))
    assert "set:table:cook:oldwoman" in scene.trace
    assert sum(t.startswith("prop:") for t in scene.trace) >= 3


def test_a_temple_at_dusk_has_vermilion_pillars_where_a_meadow_has_none():
    scene = painted(TEMPLE)
    assert {"set:temple:hall", "set:temple:pagoda", "set:temple:lanterns"} <= set(scene.trace)
    temple, meadow = frames(TEMPLE)[0], frames(TEMPLE | {"setting": "meadow"})[0]
    assert share(temple, 0, 2.2) > 0.02
    assert share(temple, 0, 2.2) > 4 * share(meadow, 0, 2.2)


def test_a_city_named_as_a_subject_is_a_place_not_a_person():
    scene = painted(dict(subjects=["Kyoto"], setting="temple", time_of_day="night", weather="snow", shot="medium"))
    assert scene.spec.setting == "temple" and scene.subjects == []
    assert "set:temple:hall" in scene.trace
    alone = painted(dict(subjects=["Kyoto"], shot="wide"))  # no setting: the city's own place
    assert alone.spec.setting == "temple" and not any(s.kind in PEOPLE for s in alone.subjects)


def test_a_rainy_street_is_wet_and_its_people_hold_umbrellas():
    scene = painted(RAIN)
    assert {"set:street:old", "set:street:wet", "cast:umbrella"} <= set(scene.trace)
    assert "cast:umbrella" not in painted(RAIN | {"weather": "clear"}).trace
    g, person = scene.geometry, scene.subjects[0]
    x, head = person.x - (g.lw - g.fw) / 2, person.y - (g.hz - g.hf) - person.size
    box = (
        slice(int(head - person.size * 0.3), int(head)),
        slice(int(x - person.size * 0.2), int(x + person.size * 0.2)),
    )
    standing = frames(RAIN)[0][box].astype(int)
    sitting = frames(RAIN | {"action": "sits down"})[0][box]  # a sitter holds no umbrella; the head is lower
    assert np.abs(standing - sitting).max(axis=2).__gt__(40).mean() > 0.3


def test_a_leaf_in_sunlight_fills_the_middle_of_the_frame_with_green():
    scene = painted(LEAF)
    assert scene.spec.setting == "plant" and {"set:plant:leaf", "set:plant:rays"} <= set(scene.trace)
    middle = frames(LEAF)[0][H // 3 : 2 * H // 3, W // 3 : 2 * W // 3]
    assert share(middle, 1, 1.2) > 0.6


def test_a_plant_lesson_draws_the_plant_and_what_it_takes_in_not_a_man():
    for action, part in (("drinks water through its roots", "water"), ("breathes in carbon dioxide", "co2"),
                         ("makes sugar and oxygen", "o2")):  # fmt: skip
        scene = painted(dict(subjects=["plant"], action=action, shot="medium"))
        assert {"set:plant:plant", f"set:plant:{part}"} <= set(scene.trace), action
        assert not any(s.kind in PEOPLE for s in scene.subjects)


def test_an_iced_tea_advert_shows_a_tall_bottle_not_a_mug():
    scene = painted(BOTTLE)
    assert [s.kind for s in scene.subjects] == ["teabottle"]
    hero, empty = frames(BOTTLE)[0].astype(int), frames(BOTTLE | {"subjects": []})[0]
    mask = (np.abs(hero - empty).max(axis=2) > 30).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    assert n > 1
    x, y, w, h, area = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))]  # the biggest new shape: the hero
    assert area > 200 and h > 2 * w  # taller than wide: a bottle
    assert "studio:ice" in painted(BOTTLE).trace  # an iced drink stands among ice cubes
    # A studio scene whose subject is a quality ("the crisp taste") shows the product its description names.
    taste = AnimaticEngine(label="")._paint(
        shot(BOTTLE | {"subjects": ["crisp taste"]}, prompt="iced oolong tea: crisp")
    )
    assert [s.kind for s in taste.subjects] == ["teabottle"]


@pytest.mark.parametrize(
    ("setting", "mark"),
    [("night market", "set:market:stalls"), ("rooftops", "set:rooftop"), ("classroom", "set:classroom:blackboard"),
     ("bamboo forest", "set:bamboo"), ("hutong alley", "set:street:old")],
)  # fmt: skip
def test_other_places_have_their_own_drawers(setting: str, mark: str):
    assert mark in painted(dict(subjects=["cat"], setting=setting, time_of_day="night", shot="wide")).trace


def test_what_the_action_names_is_drawn_and_sailing_takes_a_boat():
    found = painted(dict(subjects=["lighthouse keeper"], action="finds a message in a bottle", setting="lighthouse"))
    assert "cast:bottle" in found.trace
    watching = painted(dict(subjects=["keeper"], action="watch the sunrise from the cliff", setting="cliff"))
    assert "cast:watch" not in watching.trace and "sea" in watching.spec.elements  # the verb is no wristwatch
    sailing = painted(
        dict(subjects=["keeper"], action="sails to a distant island", setting="distant island", shot="wide")
    )
    assert "cast:fishingboat" in sailing.trace and sailing.spec.aboard == ("keeper",)


def test_a_tea_ceremony_in_kyoto_is_a_tatami_room_not_a_living_room():
    scene = painted(dict(subjects=["Kyoto"], setting="old house", time_of_day="dawn", shot="wide"))
    assert scene.spec.setting == "teahouse" and {"set:teahouse:shoji", "set:teahouse:tatami"} <= set(scene.trace)
    assert painted(dict(subjects=["grandmother"], setting="old house")).spec.setting == ""  # elsewhere: a room


def test_lanterns_along_a_river_at_night_are_strung_over_the_river():
    facts = dict(subjects=["Kyoto"], setting="river", time_of_day="night", shot="wide")
    scene = AnimaticEngine(label="")._paint(shot(facts, prompt="Kyoto: lanterns along the river at night"))
    assert "set:lanterns" in scene.trace and "river" in scene.spec.elements
    assert "set:lanterns" not in painted(facts).trace  # no lanterns named, none drawn


@pytest.mark.parametrize("size", ["extreme_wide", "wide", "medium", "close_up", "extreme_close_up"])
def test_every_set_draws_at_every_shot_size_and_under_the_aerial_camera(size: str):
    places = ["work table", "classroom", "tea house", "temple", "old street", "night market", "rooftops",
              "bamboo forest", "greenhouse"]  # fmt: skip
    for place in places:
        facts = SceneFacts(subjects=["woman"], action="walks", setting=place, weather="rain", shot=size)
        aerial = Shot(prompt="a scene", caption="", camera="aerial", width=208, height=120, fps=8, frames=2, seed=1,
                      facts=facts)  # fmt: skip
        assert len(list(AnimaticEngine(label="").render(aerial))) == 2
        assert any(t.startswith("set:") for t in AnimaticEngine()._paint(aerial).trace), place
        if size == "wide":  # the same shot gives the same frames
            a, b = (list(AnimaticEngine(label="").render(aerial)) for _ in range(2))
            assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True)), place


def test_a_clock_being_repaired_is_on_the_bench_with_its_gears_and_an_old_maker_is_old():
    """Before: 'a retired clockmaker repairs an old clock' in his workshop showed a carpenter's plank and
    shavings, and the clockmaker was drawn as a young man."""
    scene = painted(dict(subjects=["retired clockmaker"], action="repairs an old clock", setting="workshop",
                         shot="close_up"))  # fmt: skip
    assert "prop:clock" in scene.trace and "prop:wood" not in scene.trace, scene.trace
    assert subject_kinds("retired clockmaker") == ("elder",) and subject_kinds("clockmaker") == ("man",)


@pytest.mark.parametrize(
    ("size", "camera"),
    [("extreme_wide", "aerial"), ("wide", "pan_right"), ("medium", "tracking"), ("close_up", "push_in")],
)
@pytest.mark.parametrize("kind", ["oldwoman", "boy", "man"])
def test_the_cook_behind_the_table_keeps_their_head_in_frame(size, camera, kind):
    """Before: a wide or medium table shot drew the grandmother with her head above the frame's top edge (and
    a close-up drew a headless body); now the cook is drawn smaller, or not at all, so the head stays below the
    caption bar through the shot's camera move."""
    from models.video.animatic import camera_matrix
    from models.video.animatic_figures import PEOPLE as LOOKS
    from models.video.animatic_paint import Geometry
    from models.video.animatic_table import TOP, cook_size

    g = Geometry.for_frame(640, 360)
    top = int(g.hz - g.hf + TOP[size] * g.fh)
    s = cook_size(kind, size, top, g)
    if s == 0:
        assert size in ("close_up", "extreme_close_up")
        return
    head = top + s * 0.45 - 1.05 * LOOKS[kind].height * s  # layer row of the top of the head
    for t in (0.0, 0.5, 1.0):
        m = camera_matrix(camera, t, 0.0 if camera == "aerial" else 1.0, g)
        assert m[1, 1] * head + m[1, 2] >= 0.08 * g.fh, (t, size, kind)


def test_zongzi_are_green_pyramids_in_bamboo_leaves_not_jiaozi_with_a_rolling_pin():
    """Before: 包粽子 ('wraps rice dumplings in bamboo leaves') put the jiaozi tray, dough and a rolling pin on
    the table, because "wrap" is a jiaozi word; the named dish now comes first and replaces them."""
    wrap = dict(subjects=["grandmother"], action="wraps rice dumplings in bamboo leaves", setting="kitchen")
    for size in ("wide", "close_up"):
        scene = painted(wrap | {"shot": size})
        props = [t for t in scene.trace if t.startswith("prop:")]
        assert "prop:zongzi" in props, scene.trace
        assert not {"prop:dumplings", "prop:rollingpin", "prop:dough", "prop:wrappers"} & set(props), props
    jiaozi = frames(dict(KNEAD, action="wraps the dumplings"))[0]
    zongzi = frames(dict(KNEAD, action="wraps rice dumplings in bamboo leaves"))[0]
    assert share(zongzi, 1, 1.2) > share(jiaozi, 1, 1.2) + 0.02  # leaf green where the pale pleats were
    plain = stage(SceneFacts(subjects=["grandmother"], action="wrap the dumplings", setting="kitchen"))
    assert plain.spec.props[0] == "dumplings"  # plain dumplings stay jiaozi


def test_a_chinese_zongzi_idea_never_draws_jiaozi():
    from models.writers.planner import PlannerOptions, plan_storyboard

    board = plan_storyboard("端午节，奶奶在厨房包粽子。小孙子偷偷尝了一个。", PlannerOptions(target_seconds=30))
    props = [p for s in board.scenes for p in stage(s.facts, s.description).spec.props]
    assert "zongzi" in props and not {"dumplings", "rollingpin", "wrappers"} & set(props), props


DUCKS = "close-up of the hands of the old man with round glasses, and the ducks, by the pond"
BIRD = "close-up of the hands of the girl, and the baby bird, a small brown sparrow"


@pytest.mark.parametrize(
    ("facts", "prompt", "kind", "pose"),
    [
        (dict(subjects=["old man"], setting="pond", shot="close_up"), DUCKS, "duck", "feed"),
        (dict(subjects=["girl"], shot="close_up"), BIRD, "bird", "cup"),
        (dict(subjects=["girl"], action="holds a baby bird", shot="close_up"), "close-up of her hands", "bird", "cup"),
    ],
)
def test_a_close_up_of_hands_shows_what_they_handle(facts, prompt, kind, pose):
    """Before: 'The old man's hands and the ducks' drew two thumbs-up hands over empty water; the hands now
    scatter crumbs to a duck on the water, or cup the baby bird they hold."""
    scene = AnimaticEngine(label="")._paint(shot(facts, prompt=prompt))
    assert {f"cast:{kind}", "cast:hands"} <= set(scene.trace), scene.trace
    poses = {s.kind: s.pose for s in scene.subjects}
    assert poses == {kind: "held", "hands": pose}, poses
    img = frames(facts, prompt=prompt)[0].astype(int)
    h = img.shape[0]
    if kind == "duck":  # the duck's white body on the water in the lower part of the frame
        white = (img[..., :3].min(axis=2) > 215) & (np.ptp(img[..., :3], axis=2) < 25)
        assert white[h // 2 :].mean() > 0.01
    else:  # the brown bird sits above the cupped palms, in the middle of the frame
        r, gr, b = img[..., 0], img[..., 1], img[..., 2]
        brown = (r > gr + 15) & (gr > b + 10) & (r < 160)
        assert brown[h // 4 : 3 * h // 4, img.shape[1] // 3 : 2 * img.shape[1] // 3].mean() > 0.01


@pytest.mark.parametrize(
    ("setting", "action", "mark"),
    [
        ("carpenter's workshop", "saws a plank for a chair", "pegboard"),
        ("", "repairs an old clock", "pegboard"),  # a clockmaker's bench, wherever it is unsaid
        ("office", "carves a wooden bird", "bookshelf"),
        ("bedroom", "sews a dress", "room"),
        ("kitchen", "kneads the dough", "tiles"),
    ],
)
def test_the_wall_behind_a_work_table_is_the_wall_of_its_place(setting, action, mark):
    """Before: every bench was a kitchen counter, tiled wall and jars and all, a carpenter's workshop too."""
    facts = dict(subjects=["old man"], action=action, setting=setting, shot="medium")
    scene = painted(facts)
    walls = {t for t in scene.trace if t.split(":")[-1] in ("tiles", "pegboard", "chalkboard", "canvases",
                                                             "bookshelf", "room")}  # fmt: skip
    assert walls == {f"set:table:{mark}"}, scene.trace
    if mark == "pegboard":  # warm wood and pegboard above the bench where the kitchen had pale tiles
        img = frames(facts)[0].astype(int)
        kitchen = frames(facts | {"setting": "kitchen"})[0].astype(int)
        band = slice(int(0.12 * H), int(0.3 * H))
        assert img[band].mean() < kitchen[band].mean() - 25
