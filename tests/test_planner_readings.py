"""Planner readings a creator notices on the board and the contact sheet: weather is never who a scene is
about, where someone stands is the scene's place (not what they look at), outside a building stays outside,
"X and his Y" are two people, unnamed children are a boy and a girl, what something becomes is what the scene
shows, 乘凉 is resting in the shade, and going home is seen on the way. Each test failed before its fix."""

from __future__ import annotations

from models.video.animatic_facts import spec_from_facts, subject_kinds
from models.video.animatic_words import SceneSpec
from models.writers.planner import PlannerOptions, plan_storyboard

WEATHER = {"rain", "snow", "heavy rain", "heavy snow", "fog"}


def _plan(idea: str):
    return plan_storyboard(idea, PlannerOptions(target_seconds=30))


def _event(board, words: str):
    return next(s for s in board.scenes if words in s.narration)


def test_a_pronoun_out_in_the_weather_is_a_person_never_the_weather():
    for idea in ("He arrives at the station in the snow.", "She waits at the harbour in the rain and her son waves."):
        board = _plan(idea)
        for scene in board.scenes:
            assert not set(scene.facts.subjects) & WEATHER, (idea, scene.number, scene.facts.subjects)
        event = _event(board, idea.split(" and ")[0].rstrip("."))
        assert event.facts.subjects[:1] == ["man" if idea.startswith("He") else "woman"], event.facts.subjects


def test_chinese_in_the_weather_is_said_with_the_action_not_a_scene_of_its_own():
    board = _plan("大雪中，一个老人慢慢走向车站。")
    assert all(scene.narration != "大雪中。" for scene in board.scenes)
    event = _event(board, "老人慢慢走向车站")
    assert event.facts.subjects == ["old man"]
    assert "in the heavy snow" in event.description


def test_where_someone_stands_is_the_setting_not_what_they_look_at():
    board = _plan("一个女孩站在桥上看湖。")
    settings = {scene.facts.setting for scene in board.scenes}
    assert settings == {"bridge"}, settings


def test_outside_a_building_stays_outside_in_every_scene_there():
    board = _plan("An old man waits in front of the hospital.")
    for scene in board.scenes:
        assert scene.facts.setting == "hospital entrance", (scene.number, scene.facts.setting)
        assert "interior" not in spec_from_facts(scene.facts, scene.description).elements


def test_someone_and_their_relative_are_two_people():
    board = _plan("A girl and her grandfather plant a tree.")
    event = _event(board, "plant a tree")
    assert event.facts.subjects == ["girl", "grandfather"]
    assert event.narration == "A girl and her grandfather plant a tree."


def test_children_whose_words_say_no_sex_are_a_boy_and_a_girl():
    for said in ("两个小孩", "三个孩子", "two toddlers", "兄妹俩", "a brother and sister", "两个小朋友"):
        kinds = subject_kinds(said)
        assert "boy" in kinds and "girl" in kinds, (said, kinds)
    assert subject_kinds("两个女孩") == ("girl", "girl")
    assert subject_kinds("the girls") == ("girl", "girl")
    assert subject_kinds("一个孩子") == ("boy",)


def test_what_something_becomes_is_what_the_scene_shows():
    board = _plan("The tadpole turns into a frog.")
    assert _event(board, "turns into a frog").facts.subjects == ["frog"]
    board = _plan("小树苗长成了一棵大树。")
    assert _event(board, "长成了一棵大树").facts.subjects == ["big tree"]


def test_cheng_liang_is_resting_in_the_shade_of_the_tree():
    board = _plan("奶奶在树下乘凉。")
    event = _event(board, "乘凉")
    assert event.facts.action == "rests in the shade of the tree"
    assert "under the tree" not in event.description


def test_going_home_is_seen_on_the_way_and_the_next_scene_is_at_home():
    board = _plan("小男孩唱着歌走回家，奶奶在做饭。")
    assert _event(board, "走回家").facts.setting == "road home"
    assert _event(board, "奶奶在做饭").facts.setting != "road home"
    board = _plan("The girl runs home singing. She reads a book.")
    assert _event(board, "runs home").facts.setting == "road home"
    assert _event(board, "reads a book").facts.setting == "home"
    assert isinstance(spec_from_facts(_event(board, "runs home").facts), SceneSpec)
