"""Shops, work at a bench in any genre, a second subject in a close-up, hands close-ups, and the plant lesson's set
kept to lessons: flaws two films from untested ideas showed (a bakery drawn as a living room, a courtyard at sunset
drawn as a photosynthesis diagram). Each test reads the engine's trace of which drawer painted what."""

from __future__ import annotations

import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_kinds import PEOPLE
from models.video.base import Shot

W, H = 416, 240


def painted(facts: dict, prompt: str = "a scene") -> PaintedScene:
    shot = Shot(prompt=prompt, caption="", camera="static", width=W, height=H, fps=16, frames=1, seed=5,
                facts=SceneFacts(**facts))  # fmt: skip
    return AnimaticEngine(label="")._paint(shot)


@pytest.mark.parametrize(
    ("setting", "subject", "goods"),
    [("bakery", "young baker", "bread"), ("tiny shop", "young baker", "bread"), ("workshop", "old carpenter", "tools"),
     ("café", "barista", "cups"), ("corner store", "old man", "goods")],
)  # fmt: skip
def test_a_shop_is_shelves_of_its_goods_and_a_counter_not_a_living_room(setting: str, subject: str, goods: str):
    scene = painted(dict(subjects=[subject], setting=setting, time_of_day="dawn", shot="wide"))
    assert scene.spec.setting == "shop"
    assert {"set:shop:shelves", f"set:shop:{goods}", "set:shop:counter"} <= set(scene.trace)
    assert any(s.kind in PEOPLE for s in scene.subjects)  # the shopkeeper stands in the shop


@pytest.mark.parametrize(
    ("action", "setting", "prop"),
    [("kneads bread in her tiny shop", "tiny shop", "dough"), ("makes a small chair", "workshop", "wood"),
     ("sews a dress by the window", "bedroom", None), ("carves a wooden bird", "living room", "wood")],
)  # fmt: skip
def test_work_at_a_bench_is_the_work_table_with_hands_in_any_genre(action: str, setting: str, prop: str | None):
    scene = painted(dict(subjects=["young baker"], action=action, setting=setting, shot="medium"))
    assert scene.spec.setting == "table"
    assert {"set:table:top", "cast:hands"} <= set(scene.trace)
    if prop:
        assert f"prop:{prop}" in scene.trace


def test_waking_in_a_shop_is_no_work_and_stays_in_the_shop():
    scene = painted(dict(subjects=["young baker"], action="wakes before dawn", setting="bakery", shot="medium"))
    assert scene.spec.setting == "shop" and "cast:hands" not in scene.trace


def test_a_close_up_draws_the_second_subject_the_action_names_beside_the_first():
    facts = dict(subjects=["young baker", "stray dog"], action="gives the last loaf to a stray dog",
                 setting="tiny shop", shot="close_up")  # fmt: skip
    scene = painted(facts)
    kinds = [s.kind for s in scene.subjects]
    assert "dog" in kinds and any(k in PEOPLE for k in kinds)
    baker, dog = (next(s for s in scene.subjects if s.kind == k) for k in (kinds[0], "dog"))
    assert abs(baker.x - dog.x) > 0.3 * scene.geometry.fw  # side by side, not on top of each other
    # A subject the action does not name stays out of a close-up.
    alone = painted(facts | {"action": "smiles"})
    assert [s.kind for s in alone.subjects] == [kinds[0]]


def test_watching_the_setting_sun_in_a_courtyard_is_no_plant_lesson_and_shows_both_people():
    facts = dict(subjects=["old carpenter", "granddaughter"], setting="courtyard", time_of_day="dusk",
                 action="sit in the courtyard and look at the setting sun together", shot="wide")  # fmt: skip
    scene = painted(facts)
    assert scene.spec.setting != "plant"
    assert not any(t.startswith("set:plant") for t in scene.trace)
    assert {"cast:girl", "cast:worker"} <= set(scene.trace)
    # The lesson's own words still call the plant.
    lesson = painted(dict(subjects=["plant"], action="catches the sun's light in its leaves", shot="medium"))
    assert "set:plant:plant" in lesson.trace
    # A lesson shot whose subject is the sunlight itself (no setting) is still the plant, not an empty meadow.
    sunlight = painted(dict(subjects=["sunlight"], action="", shot="wide"))
    assert any(t.startswith("set:plant") for t in sunlight.trace), sunlight.trace


@pytest.mark.parametrize(("setting", "set_name"), [("bakery", "shop"), ("workshop", "shop"), ("courtyard", "")])
def test_a_close_up_of_someones_hands_draws_hands_over_the_setting(setting: str, set_name: str):
    words = "Close-up: close-up of the hands of the young baker, waking before dawn"
    scene = painted(dict(subjects=["young baker"], action="wakes before dawn", setting=setting, shot="close_up"), words)
    assert [s.kind for s in scene.subjects] == ["hands"]
    assert scene.spec.setting == set_name  # the setting's own picture behind them, not a kitchen
    # The same close-up of the face is the person.
    face = painted(dict(subjects=["young baker"], setting=setting, shot="close_up"), "Close-up: the face of the baker")
    assert [s.kind for s in face.subjects] != ["hands"] and face.subjects
