"""Storyboard wording a creator notices at once, in both languages: a Chinese place said with the locative it
needs (在沙滩上, not 在沙滩), a surface one is on (on the roof, never in it), two people doing something
together both in the shots added around it, an activity shot where it is done, "they" with no one named
read as people (never a character called "they play outside the"), the land outside a village, and after a
change ("turns into") the new thing followed from then on. Each failed on the planner before its fix."""

from __future__ import annotations

import re

import pytest

from models.writers.facts import Facts
from models.writers.planner import PlannerOptions, plan_storyboard


def _board(idea: str, seconds: int = 30):
    return plan_storyboard(idea, PlannerOptions(target_seconds=seconds))


def _added(board):
    """The shots the idea does not narrate itself."""
    return [s for s in board.scenes if s.role != "event"]


@pytest.mark.parametrize(
    "idea, place, at",
    [("小狗在沙滩上奔跑", "沙滩", "上"), ("奶奶在厨房里做饭", "厨房", "里"), ("小猫坐在屋顶", "屋顶", "上")],
)
def test_a_chinese_place_before_a_comma_or_after_zai_has_its_locative(idea, place, at):
    board = _board(idea)
    lines = [s.narration for s in _added(board)]
    assert not any(re.search(rf"(?:^|在){place}[，。]", line) for line in lines), lines
    assert not any(re.match(rf"^{place}，(?!一切)", line) for line in lines), lines
    assert any(f"{place}{at}" in line for line in lines), lines


def test_a_place_is_a_noun_after_shi_and_takes_its_locative_before_a_comma():
    from models.writers.compose import zh_at_place, zh_place_noun

    on_road = Facts(setting="road to school", prep="on", setting_zh="上学的路上")
    assert zh_place_noun(on_road.setting_zh) == "上学的路"
    assert zh_at_place(on_road.setting_zh, on_road) == "上学的路上"
    assert zh_at_place("公园", Facts(setting="park", prep="in")) == "公园里"
    assert zh_at_place("湖", Facts(setting="lake", prep="by")) == "湖边"
    assert zh_at_place("巴黎", Facts(setting="Paris", prep="in")) == "巴黎"  # a city by its name takes none


def test_the_way_home_reads_as_a_noun_in_the_around_line():
    board = _board("放学后，孩子们笑着回家")
    assert not any("是回家的路上" in s.narration for s in board.scenes)
    assert not any(re.search(r"(?:^|在)回家的路[，。]", s.narration) for s in _added(board))


@pytest.mark.parametrize(
    "idea, place",
    [("小猫坐在屋顶", "rooftop"), ("一个老人坐在山顶上", "mountain top"), ("The cat lies in the roof", "roof")],
)
def test_a_surface_is_sat_or_lain_on_not_in(idea, place):
    text = " ".join(s.description for s in _board(idea).scenes)
    assert f"in the {place}" not in text
    assert re.search(rf"\b(?:sits|sitting|lies|lying) on the {place}\b", text), text


@pytest.mark.parametrize(
    "idea, pair",
    [
        ("A girl and her grandmother bake bread", ("girl", "grandmother")),
        ("一个女孩和她妈妈去露营", ("girl", "mother")),
    ],
)
def test_two_people_doing_something_together_are_both_in_the_added_shots(idea, pair):
    board = _board(idea)
    added = [s for s in _added(board) if pair[0] in s.facts.subjects]
    assert added
    for scene in added:
        assert pair[1] in scene.facts.subjects, (scene.role, scene.facts.subjects)
        assert f"the {pair[1]}" in scene.description
    if board.language == "en":
        assert any(f"the {pair[0]} and the {pair[1]}" in s.narration.lower() for s in added)
        assert not any(re.search(r"\band the \w+ and the\b", s.narration) for s in added)
    else:
        assert any("女孩和妈妈" in s.narration for s in added)
        assert not any("他" in s.description or ", the girl, the mother" in s.description for s in board.scenes)


@pytest.mark.parametrize("idea", ["An old man goes fishing", "爷爷去钓鱼", "Two friends go camping"])
def test_an_activity_is_shot_where_it_is_done(idea):
    board = _board(idea)
    assert all(s.facts.setting for s in board.scenes)
    text = " ".join(s.description for s in board.scenes)
    assert re.search(r"\b(?:on the riverbank|at the campsite)\b", text), text
    assert "going fishing" not in text and "going camping" not in text


@pytest.mark.parametrize("idea", ["They sing outside the village", "他们在村外放风筝"])
def test_they_outside_a_village_are_people_in_the_open_land_around_it(idea):
    board = _board(idea)
    for scene in board.scenes:
        assert scene.facts.subjects == ["people"], scene.facts.subjects
        assert scene.facts.setting == "countryside outside the village"
        assert not re.search(r"\bthe (?:they|sing|outside)\b", scene.description), scene.description
    if board.language == "zh":
        assert any(s.narration.startswith(("在村外", "村外")) for s in _added(board))


@pytest.mark.parametrize(
    "idea, was, now, now_zh",
    [
        ("A caterpillar eats leaves. It turns into a butterfly.", "caterpillar", "butterfly", ""),
        ("小蝌蚪在池塘里游来游去，后来变成了一只青蛙", "tadpole", "frog", "青蛙"),
    ],
)
def test_after_a_change_the_added_shots_follow_the_new_thing(idea, was, now, now_zh):
    board = _board(idea)
    changed = next(i for i, s in enumerate(board.scenes) if now in s.facts.subjects)
    later = [s for s in board.scenes[changed + 1 :] if s.role != "event"]
    assert later
    for scene in later:
        assert not any(was in n for n in scene.facts.subjects) and was not in scene.description, scene.description
    assert any(now in s.facts.subjects for s in later)
    if now_zh:
        assert any(now_zh in s.narration for s in later)
    # the change itself is not a close-up of the grown thing because its sentence names the small one
    assert board.scenes[changed].facts.shot.value != "close_up"
