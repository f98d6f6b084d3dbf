"""The small things people hold are drawn in their hands, at their scale: as a creator sees a frame of "walks
through the village carrying a lantern". Before, only an umbrella, flowers and a gift were drawn in hand; a
lantern stood on the ground beside the people, and a basket, book, cup, bag or letter was not in their hands."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine
from models.video.animatic_carry import carried, draw_carried, in_hand
from models.video.animatic_pen import Pen
from models.video.base import Shot

S = 200.0


@pytest.mark.parametrize(
    "action,thing",
    [("walks through the village carrying a lantern", "lantern"), ("carries a basket to market", "basket"),
     ("holds a book", "book"), ("stands with a cup of tea", "cup"), ("walks home with her shopping bag", "bag"),
     ("holds the letter", "letter")],
)  # fmt: skip
def test_the_thing_the_action_names_is_in_the_doers_hand(action: str, thing: str):
    facts = SceneFacts(subjects=["woman"], action=action, setting="street")
    assert carried(facts) == (("woman", thing),)


def test_a_letter_handed_over_is_in_the_hands_of_the_one_it_was_given_to():
    facts = SceneFacts(subjects=["old man", "girl"], action="hands the letter to the girl", setting="street")
    assert carried(facts) == (("girl", "letter"),)


def test_a_seated_reader_keeps_the_book_as_a_thing_in_the_picture():
    """A sitting person's hands draw nothing carried, so the book must not vanish from the picture."""
    assert in_hand(SceneFacts(subjects=["girl"], action="sits and reads a book", setting="park")) == set()


@pytest.mark.parametrize("thing", ["lantern", "basket", "book", "cup", "bag", "letter"])
def test_each_thing_is_drawn_at_the_hand_and_to_the_persons_scale(thing: str):
    frame = np.zeros((260, 300, 4), np.uint8)
    draw_carried(Pen(frame), "man", [thing], 150, 240, S, 1, False, 0.0)
    ys, xs = np.nonzero(frame[..., 3])
    assert len(xs) > 30, thing  # drawn at all
    hand_x, hand_y = 150 + 0.13 * S, 240 - 0.46 * S  # animatic_carry.draw_carried's hand toward `face`
    assert abs(xs.mean() - hand_x) < 0.1 * S and abs(ys.mean() - hand_y) < 0.15 * S
    assert np.ptp(xs) < 0.25 * S and np.ptp(ys) < 0.3 * S  # a small thing, not as big as the person


def _scene(action: str, setting: str = "village"):
    facts = SceneFacts(subjects=["doctor"], action=action, setting=setting, time_of_day="night", shot="wide")
    shot = Shot(prompt=action, caption="", camera="static", width=416, height=240, fps=8, frames=1, seed=4,
                facts=facts)  # fmt: skip
    return AnimaticEngine(label="")._paint(shot)


def test_a_carried_lantern_no_longer_stands_beside_the_people_nor_strings_lanterns_overhead():
    scene = _scene("walks through the village carrying a lantern")
    assert "cast:lamp" not in scene.trace and not any(t.startswith("set:lantern") for t in scene.trace)
    assert [t for k, t in scene.spec.holds] == ["lantern"]


def test_a_lantern_put_down_still_stands_in_the_picture():
    scene = _scene("sits down beside the lantern")
    assert "cast:lamp" in scene.trace


def test_feeding_an_animal_fish_is_the_feeder_holding_a_fish_out_to_it_and_no_boat():
    """Before: 'feeds it fish for a week' read 'fish' as fishing: an empty fishing boat stood in the picture, and the
    fish leapt out at sea instead of being in the keeper's hand."""
    facts = SceneFacts(subjects=["old lighthouse keeper", "seal pup", "fish"], action="feeds the seal pup fish for a week",
                       setting="lighthouse", time_of_day="day", shot="medium")  # fmt: skip
    assert carried(facts) == (("keeper", "fish"),)
    shot = Shot(prompt=facts.action, caption="", camera="static", width=416, height=240, fps=8, frames=1, seed=4,
                facts=facts)  # fmt: skip
    scene = AnimaticEngine(label="")._paint(shot)
    kinds = [s.kind for s in scene.subjects]
    assert sorted(kinds) == ["keeper", "seal"], kinds  # the feeder and the fed; no boat, no fish out at sea
    assert [t for k, t in scene.spec.holds] == ["fish"]


def test_a_fish_is_drawn_at_the_hand():
    frame = np.zeros((260, 300, 4), np.uint8)
    draw_carried(Pen(frame), "man", ["fish"], 150, 240, S, 1, False, 0.0)
    ys, xs = np.nonzero(frame[..., 3])
    hand_x, hand_y = 150 + 0.13 * S, 240 - 0.46 * S
    assert len(xs) > 30 and abs(xs.mean() - hand_x) < 0.1 * S and abs(ys.mean() - hand_y) < 0.15 * S


def test_a_second_verb_is_no_thing_in_the_picture():
    """Before: 'carries it down to the water and watches it swim away' drew a wristwatch beside the keeper."""
    facts = SceneFacts(subjects=["old lighthouse keeper", "seal pup"], setting="shore", time_of_day="morning",
                       action="carries the seal pup down to the water and watches it swim away", shot="medium")  # fmt: skip
    shot = Shot(prompt=facts.action, caption="", camera="static", width=416, height=240, fps=8, frames=1, seed=4,
                facts=facts)  # fmt: skip
    assert sorted(s.kind for s in AnimaticEngine(label="")._paint(shot).subjects) == ["keeper", "seal"]
    found = facts.model_copy(update={"action": "finds an old pocket watch and winds it up"})
    shot = shot.model_copy(update={"facts": found})
    assert "watch" in [s.kind for s in AnimaticEngine(label="")._paint(shot).subjects]  # a watch said as a thing


def _lake(action: str, shot: str, subjects: list[str], words: str = "in winter, bare trees and frost"):
    facts = SceneFacts(subjects=subjects, action=action, setting="lakeside", shot=shot, weather="snow")
    shot_ = Shot(prompt=f"{action}, by the lakeside, {words}", caption="", camera="static", width=416, height=240,
                 fps=8, frames=1, seed=4, facts=facts)  # fmt: skip
    return AnimaticEngine(label="")._paint(shot_)


def test_fishing_on_a_frozen_lake_is_on_the_ice_with_a_rod_not_in_a_boat():
    """Before: '冬天…去湖边钓鱼' drew a red boat sailing on the frozen lake with both of them aboard."""
    scene = _lake("brings the grandson and goes to the lakeside and fishes", "wide", ["grandfather", "grandson"])
    assert not scene.spec.aboard and not any(t in scene.trace for t in ("cast:boat", "cast:fishingboat"))
    assert {"cast:elder", "cast:boy"} <= set(scene.trace), scene.trace
    assert ("elder", "rod") in scene.spec.holds
    assert carried(SceneFacts(subjects=["boy"], action="feeds the little fish", setting="lakeside")) == ()


def test_a_fish_caught_hangs_on_the_line_of_the_rod_in_hand_not_in_the_air():
    """Before: the close-up of '孙子终于钓上来一条小鱼' showed the boy's face and a fish floating beside him, no rod."""
    scene = _lake("catches the little fish at last", "close_up", ["grandson", "little fish"])
    assert scene.spec.holds == (("boy", "catch"),) and "cast:fish" not in scene.trace, scene.trace
    frame = np.zeros((260, 300, 4), np.uint8)
    draw_carried(Pen(frame), "man", ["catch"], 150, 240, S, 1, False, 0.0)
    ys, xs = np.nonzero(frame[..., 3])
    hand_x, hand_y = 150 + 0.13 * S, 240 - 0.46 * S
    assert xs.max() > hand_x + 0.3 * S and ys.min() < hand_y - 0.4 * S  # the rod reaches out and up from the hand
    tip_x = xs.max()
    hanging = frame[int(hand_y - 0.3 * S) : int(hand_y), int(tip_x - 0.1 * S) :, 3] > 0
    assert hanging.sum() > 0.01 * S * S  # the fish below the tip, on its line
