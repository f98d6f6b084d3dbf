"""The animatic draws a scene's facts: the fisherman's four scenes, time of day, shot size, the seed, products."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from models.storyboard import Camera, SceneFacts
from models.video.animatic import AnimaticEngine
from models.video.animatic_facts import action_motion, spec_from_facts, subject_kinds
from models.video.base import Shot

W, H = 416, 240
DAWN_ROW = dict(subjects=["old fisherman", "small fishing boat"], action="rows out to sea", setting="open sea",
                time_of_day="dawn", weather="clear", shot="wide")  # fmt: skip
STORM = DAWN_ROW | {"weather": "storm", "time_of_day": "day", "action": "battles the waves"}
HARBOUR = dict(subjects=["small fishing boat"], action="sails into the harbour", setting="fishing harbour",
               time_of_day="day", weather="clear", shot="wide")  # fmt: skip
DOCK = dict(subjects=["family"], action="wait and wave", setting="wooden dock", time_of_day="day", shot="medium")


def frames(facts: dict | None, camera: str = "static", n: int = 3, seed: int = 7, **kw) -> list[np.ndarray]:
    shot = Shot(prompt=kw.pop("prompt", "a scene"), caption="", camera=camera, width=W, height=H, fps=16, frames=n,
                seed=seed, facts=SceneFacts(**facts) if facts is not None else None, **kw)  # fmt: skip
    return list(AnimaticEngine(label="").render(shot))


def first(facts: dict | None, **kw) -> np.ndarray:
    return frames(facts, n=1, **kw)[0]


def luma(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)


def changed(a: np.ndarray, b: np.ndarray, level: int = 40) -> np.ndarray:
    return np.abs(a.astype(int) - b).max(axis=2) > level


def test_facts_are_read_to_kinds_places_and_motion():
    assert subject_kinds("old fisherman") == ("fisherman",)
    assert subject_kinds("small fishing boat") == ("fishingboat",)
    assert subject_kinds("message in a bottle") == ("bottle",)
    assert subject_kinds("family") == ("man", "woman", "girl", "boy")
    assert subject_kinds("two rabbits") == ("rabbit", "rabbit")
    assert subject_kinds("Old Chen") == ("man",)  # a character's name is a person
    assert action_motion("rows out to sea") == "row" and action_motion("wait and wave") == "wave"
    assert action_motion("battles the waves") == "row"  # the waves are the sea, not a greeting
    dawn = spec_from_facts(SceneFacts(**DAWN_ROW))
    assert dawn.time == "dawn" and dawn.elements == {"sea"}
    assert dawn.subjects == ("fishingboat",) and dawn.aboard == ("fisherman",)  # he rows it
    assert {"rain", "storm"} <= spec_from_facts(SceneFacts(**STORM)).elements
    assert {"harbour", "sea"} <= spec_from_facts(SceneFacts(**HARBOUR)).elements
    assert spec_from_facts(SceneFacts(subjects=["perfume bottle"], shot="close_up")).elements == {"studio"}


def test_dawn_at_sea_has_a_low_warm_sun_over_water_to_the_horizon():
    img = first(DAWN_ROW).astype(int)
    horizon = int(H * 0.6)
    sky_low = img[horizon - 12 : horizon - 2].reshape(-1, 3).mean(0)
    assert sky_low[0] > sky_low[2] + 25  # warm near the horizon
    sun = (img[: horizon - 2, :, 0] > 240) & (img[: horizon - 2, :, 1] > 190)
    ys, _ = np.nonzero(sun)
    assert ys.size > 100 and ys.mean() > horizon * 0.55  # a sun, and low in the sky
    sea = img[horizon + 6 :, : W // 4].reshape(-1, 3).mean(0)  # water (no shore) down to the bottom edge
    assert sea[2] > sea[0] + 20 and img[-4:, : W // 4, 2].mean() > img[-4:, : W // 4, 0].mean()


def test_night_is_dark_with_a_moon_and_dawn_is_not():
    night = first(DAWN_ROW | {"time_of_day": "night"})
    dawn = first(DAWN_ROW)
    sky = slice(0, int(H * 0.55))
    assert luma(night)[sky].mean() < 50 < luma(dawn)[sky].mean()
    bright = (luma(night)[sky] > 190).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(bright)
    assert stats[1:, cv2.CC_STAT_AREA].max() > 60  # a moon, bigger than any star


def test_a_storm_is_dark_with_rain_streaks_and_a_tossed_boat():
    clear, storm = first(DAWN_ROW | {"time_of_day": "day"}), first(STORM)
    assert luma(storm).mean() < luma(clear).mean() - 40
    sky = slice(int(H * 0.05), int(H * 0.5))

    def streaks(img: np.ndarray) -> float:  # high-frequency energy across columns
        return float(np.abs(np.diff(luma(img)[sky], axis=1)).mean())

    assert streaks(storm) > 2 * streaks(clear) + 1
    still = frames(STORM, n=40)

    def tilt(img: np.ndarray) -> float:  # the fisherman's yellow coat moves as the boat pitches
        ys, xs = np.nonzero((img[:, :, 0] > 90) & (img[:, :, 0] > img[:, :, 2] + 40) & (img[:, :, 1] > 60))
        return float(xs.mean() + ys.mean()) if xs.size else 0.0

    coats = [tilt(f) for f in still[::6]]
    assert min(coats) > 0 and max(coats) - min(coats) > 1.5


def test_a_harbour_has_quay_and_houses_where_the_open_sea_has_water():
    harbour = first(HARBOUR)
    sea = first(HARBOUR | {"setting": "open sea"})
    band = slice(int(H * 0.45), int(H * 0.6))  # the far shore: rows of houses

    def edges(img: np.ndarray) -> float:
        return float((cv2.Canny(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), 60, 140)[band] > 0).mean())

    assert edges(harbour) > 3 * edges(sea) + 0.02
    bottom = slice(int(H * 0.9), H)
    quay, water = harbour[bottom].reshape(-1, 3).mean(0), sea[bottom].reshape(-1, 3).mean(0)
    assert water[2] > water[0] + 40 and abs(quay[2] - quay[0]) < 25  # stone in front, not water


def test_a_family_on_a_dock_is_several_standing_figures_darker_than_the_planks():
    empty = first(DOCK | {"subjects": []})
    family = first(DOCK)
    mask = changed(family, empty).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    figures = [s for s in stats[1:] if s[cv2.CC_STAT_AREA] > 80 and s[cv2.CC_STAT_HEIGHT] > s[cv2.CC_STAT_WIDTH]]
    assert len(figures) >= 3
    lum = luma(family)
    planks = (~mask.astype(bool)) & (np.arange(H)[:, None] > H * 0.8)
    assert lum[mask.astype(bool)].mean() < lum[planks].mean() - 20
    waving = frames(DOCK, n=12)
    assert changed(waving[0], waving[-1], 30).mean() > 0.002  # arms wave


def test_a_close_up_subject_fills_far_more_of_the_frame_than_an_extreme_wide_one():
    beach = dict(subjects=["old fisherman"], setting="sandy beach", time_of_day="day")
    empty = first(beach | {"subjects": []})
    cover = {size: changed(first(beach | {"shot": size}), empty).mean() for size in ("extreme_wide", "close_up")}
    assert cover["close_up"] > 0.15 and cover["close_up"] > 8 * cover["extreme_wide"] > 0


def test_the_seed_rerolls_the_picture_and_the_same_seed_repeats_it():
    a, again, other = first(DOCK, seed=1), first(DOCK, seed=1), first(DOCK, seed=2)
    assert np.array_equal(a, again)
    assert changed(a, other).mean() > 0.01


def test_walking_moves_across_the_frame_and_standing_does_not():
    walk = dict(subjects=["explorer"], action="walks through the meadow", setting="meadow", shot="wide")
    empty = first(walk | {"subjects": []})

    def x_of(img: np.ndarray) -> float:
        return float(np.nonzero(changed(img, empty))[1].mean())

    walking = frames(walk, n=48)
    standing = frames(walk | {"action": "stands still"}, n=48)
    assert abs(x_of(walking[0]) - x_of(walking[-1])) > W * 0.04
    assert abs(x_of(standing[0]) - x_of(standing[-1])) < W * 0.01


def test_a_product_close_up_is_the_product_on_a_clean_backdrop():
    img = first(dict(subjects=["perfume bottle"], action="gleams", shot="close_up"))
    corners = np.concatenate([img[H // 8 : H // 4, : W // 8], img[H // 8 : H // 4, -W // 8 :]]).reshape(-1, 3)
    assert corners.std(axis=0).max() < 12  # a plain backdrop, no landscape
    bottle = np.abs(img.astype(int) - corners.mean(0)).max(axis=2) > 50
    ys, xs = np.nonzero(bottle)
    assert bottle.mean() > 0.05 and abs(xs.mean() - W / 2) < W * 0.12  # one big product in the middle
    assert ys.max() - ys.min() > H * 0.5


@pytest.mark.parametrize("camera", [c.value for c in Camera if c is not Camera.STATIC])
def test_every_camera_move_still_moves_with_facts(camera: str):
    for facts in (HARBOUR, DOCK):
        out = frames(facts, camera=camera, n=5)
        assert np.abs(out[0].astype(int) - out[-1]).mean() > 3


def test_empty_facts_draw_the_words_as_before():
    words = "a boat on the sea at dusk in the rain"
    assert np.array_equal(first(None, prompt=words), first({}, prompt=words))


ROBOT = dict(subjects=["shy robot"], action="finds a broken music box", setting="junkyard", time_of_day="day",
             weather="clear", shot="medium")  # fmt: skip


def test_a_robot_in_a_junkyard_is_drawn_as_one_on_dirt_among_scrap():
    """Before: a robot was no kind the animatic knew (nobody on screen) and a junkyard was a green field."""
    assert subject_kinds("shy robot") == ("robot",)
    spec = spec_from_facts(SceneFacts(**ROBOT))
    assert "junkyard" in spec.elements and "robot" in spec.subjects
    img = first(ROBOT)
    ground = img[int(H * 0.85) :, :, :].reshape(-1, 3).astype(int)
    r, g, b = np.median(ground, axis=0)
    assert not (g > r + 10 and g > b + 10), "the junkyard's ground is dirt, not grass"
    # where the robot stands (what differs from the empty junkyard): its white body and glowing blue eyes
    drawn = changed(img, first(ROBOT | {"subjects": []}))
    px = img[drawn].astype(int)
    eyes = (px[:, 2] > 200) & (px[:, 0] < 140) & (px[:, 1] > 150)
    body = px.min(axis=1) > 190
    assert eyes.sum() >= 3 and body.sum() >= 20, (eyes.sum(), body.sum())


@pytest.mark.parametrize("who", ["little girl", "boy", "shy robot", "old man"])
def test_a_close_up_shows_the_face_of_a_child_or_a_robot_as_of_an_adult(who):
    """Before: a close-up was framed for an adult's height, so a child's head (and a small robot's) sat at the
    bottom edge or below it: no face in the upper part of the frame."""
    facts = dict(subjects=[who], action="", setting="park", time_of_day="day", weather="clear", shot="close_up")
    upper = first(facts, prompt=f"Close-up: the face of the {who}")[: int(H * 0.6)].astype(int)
    r, g, b = upper[..., 0], upper[..., 1], upper[..., 2]
    if who == "shy robot":  # its red antenna tip, above its head
        face = ((r > 200) & (g < 110) & (b < 100)).sum()
    else:  # skin
        face = ((r > 170) & (g > 115) & (g < 180) & (b > 80) & (b < 145) & (r - b > 55)).sum()
    assert face > 20, f"{who}: {face} face pixels in the upper 60 % of a close-up of their face"


def test_a_shop_assistant_is_a_person_not_the_shop():
    """Before: "shop assistant" matched "shop" and the convenience store's assistant was drawn as a house."""
    assert subject_kinds("shop assistant") == ("woman",) and subject_kinds("clerk") == ("woman",)
    assert subject_kinds("bakery") == ("house",)


def test_a_subject_that_vanishes_leaves_its_place_empty():
    """Before: "第二天早上，狗不见了" (the dog vanishes) filled the frame with the dog."""
    gone = spec_from_facts(SceneFacts(subjects=["stray dog"], action="vanishes", setting="convenience store"))
    stays = spec_from_facts(SceneFacts(subjects=["stray dog"], action="sleeps", setting="convenience store"))
    assert gone.subjects == () and stays.subjects == ("dog",)


def test_a_rider_sits_on_a_bicycle_that_crosses_the_frame():
    """Before: "骑着自行车穿过山村" drew the postman standing in the village and no bicycle at all."""
    ride = dict(subjects=["old postman"], action="rides a bicycle through the mountain village",
                setting="mountain village", time_of_day="day", weather="clear", shot="medium")  # fmt: skip
    spec = spec_from_facts(SceneFacts(**ride))
    assert spec.subjects[0] == "bicycle" and len(spec.aboard) == 1 and spec.aboard[0] != "bicycle"
    walking = spec_from_facts(SceneFacts(**ride | {"action": "walks through the mountain village"}))
    assert "bicycle" not in walking.subjects and not walking.aboard
    a, b = frames(ride, n=16)[::15]
    empty = first(ride | {"subjects": []})
    # the bicycle's red frame and the rider are drawn, and they have moved on a second later
    red = lambda img: changed(img, empty) & (img[..., 0] > 170) & (img[..., 1] < 90) & (img[..., 2] < 90)  # noqa: E731
    assert red(a).sum() > 10 and red(b).sum() > 10
    xa, xb = np.nonzero(red(a))[1].mean(), np.nonzero(red(b))[1].mean()
    assert abs(xb - xa) > 0.03 * W, (xa, xb)


def test_fish_as_food_is_not_fishing_from_a_boat():
    """Before: "feeds the little fish to the seagull" read "fish" as the verb, put the boy in a fishing boat and
    drew no boy on the beach."""
    feed = SceneFacts(subjects=["little boy", "little fish", "seagull"], action="feeds the little fish to the seagull",
                      setting="seashore", shot="medium")  # fmt: skip
    spec = spec_from_facts(feed)
    assert "boy" in spec.subjects and not spec.aboard and "fishingboat" not in spec.subjects
    assert action_motion("fishes from his small boat") == "row"  # the verb still rows out


@pytest.mark.parametrize("who", ["little boy", "old woman"])
def test_a_close_up_face_has_eyes(who):
    """Before: a person's close-up was a blank skin-coloured disc under the hair, no eyes or mouth."""
    facts = dict(subjects=[who], action="", setting="seashore", time_of_day="day", weather="clear", shot="close_up")
    img = first(facts, prompt=f"Close-up: the face of the {who}").astype(int)
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    skin = (r > 170) & (g > 115) & (g < 180) & (b > 80) & (b < 145) & (r - b > 55)
    dark = img.max(axis=2) < 70
    # an eye is dark with skin on both sides in its row (hair has sky or hair beside it, not skin)
    left = np.zeros_like(skin)
    right = np.zeros_like(skin)
    for d in range(2, 10):
        left[:, d:] |= skin[:, :-d]
        right[:, :-d] |= skin[:, d:]
    eyes = (dark & left & right).sum()
    assert eyes >= 4, f"{who}: {eyes} dark pixels inside the face"


YARD = dict(subjects=["persimmons", "old woman"], action="", setting="courtyard", time_of_day="day", weather="clear",
            shot="medium")  # fmt: skip


def test_a_courtyard_is_walled_and_paved_and_its_fruit_tree_shows_its_fruit():
    """Before: 'in the courtyard' was an open green meadow to the horizon, and 'the persimmons are ripe' drew
    nothing at all (no kind for a fruit tree, and the old woman left out of the shot)."""
    spec = spec_from_facts(SceneFacts(**YARD))
    assert "courtyard" in spec.elements and {"fruittree", "oldwoman"} <= set(spec.subjects)
    img = first(YARD)
    ground = img[int(H * 0.85) :, :, :].reshape(-1, 3).astype(int)
    r, g, b = np.median(ground, axis=0)
    assert not (g > r + 10 and g > b + 10), "a courtyard is paved, not grass"
    # the wall closes the view: rows right across the frame of whitewash where sky or grass would be
    empty = first(YARD | {"subjects": []})
    band = empty[int(H * 0.3) : int(H * 0.7)].astype(int)
    pale = (band.min(axis=2) > 190) & (np.abs(band[..., 2] - band[..., 0]) < 30)
    assert (pale.mean(axis=1) > 0.9).sum() >= 5, pale.mean(axis=1).max()
    # the tree's ripe fruit: orange among green leaves where the subjects are drawn
    px = img[changed(img, empty)].astype(int)
    orange = (px[:, 0] > 200) & (px[:, 1] > 90) & (px[:, 1] < 150) & (px[:, 2] < 80)
    leaves = (px[:, 1] > px[:, 0] + 20) & (px[:, 1] > px[:, 2] + 20)
    assert orange.sum() >= 15 and leaves.sum() >= 200, (orange.sum(), leaves.sum())


def test_an_old_womans_close_up_has_her_hair_up_not_round_her_chin():
    """Before: her long silver hair fell behind her head and showed below the face on both sides, like a beard."""
    # (on a meadow: a park's white lamps, blossom and daisies behind her would read as silver hair here)
    facts = dict(subjects=["old woman"], action="", setting="meadow", time_of_day="day", weather="clear",
                 shot="close_up")  # fmt: skip
    img = first(facts, prompt="Close-up: the face of the old woman").astype(int)
    silver = (img.min(axis=2) > 185) & (img.max(axis=2) - img.min(axis=2) < 16)
    skin = (img[..., 0] > 170) & (img[..., 0] - img[..., 2] > 55)
    rows = np.nonzero(skin.any(axis=1))[0]
    chin = rows.max()
    face_rows = rows[len(rows) // 3 :]  # below the hairline
    assert silver[rows.min() : chin].any(), "her hair is drawn"
    # below the middle of the face no silver hair reaches out beside it
    low = silver[face_rows.min() + (chin - face_rows.min()) // 2 : chin + 1]
    assert low.sum() < 20, low.sum()


def painted(facts: dict, prompt: str):
    """The animatic's once-per-shot painting of a scene (its layers, subjects, trace)."""
    shot = Shot(prompt=prompt, caption="", camera="static", width=W, height=H, fps=16, frames=1, seed=5,
                facts=SceneFacts(**facts))  # fmt: skip
    return AnimaticEngine(label="")._paint(shot)


def _green_share(img: np.ndarray) -> float:
    low = img[int(H * 0.6) :].astype(int)
    return float(((low[..., 1] > low[..., 0] + 8) & (low[..., 1] > low[..., 2] + 8)).mean())


def test_a_storm_at_the_lighthouse_rolls_its_waves_on_the_sea_not_over_the_cliff_top():
    """Before: a storm's wave crests were drawn right across the frame, over the grassy cliff top the cat
    stood on, and the sea's glints sparkled on the grass."""
    cliff = dict(subjects=["cat"], action="", setting="lighthouse", time_of_day="day", weather="storm", shot="wide")
    stormy = first(cliff)
    calm = first(cliff | {"weather": "clear"})
    assert _green_share(calm) > 0.2, _green_share(calm)
    assert _green_share(stormy) > 0.6 * _green_share(calm), (_green_share(stormy), _green_share(calm))
    scene = painted(cliff, "a cat")
    assert scene.land is not None and scene.land.any()
    xs, ys = scene.water.points[:, 0].astype(int), scene.water.points[:, 1].astype(int)
    assert not scene.land[ys.clip(0, scene.land.shape[0] - 1), xs.clip(0, scene.land.shape[1] - 1)].any()


def test_an_animal_wears_the_coat_its_look_names():
    """Before: every cat was dark grey, the story bible's 'ginger tabby cat' included."""
    facts = dict(subjects=["cat"], action="", setting="meadow", time_of_day="day", weather="clear", shot="medium")
    ginger = first(facts, prompt="Medium shot: the cat, a ginger tabby cat with white paws, in the meadow")
    px = ginger[changed(ginger, first(facts | {"subjects": []}))].astype(int)
    orange = (px[:, 0] > px[:, 1] + 40) & (px[:, 1] > px[:, 2] + 30)
    assert orange.mean() > 0.5, orange.mean()


def test_the_boats_a_clause_acts_on_are_on_the_sea():
    """Before: 'the seagull guides the fishing boats home' drew the gull and an empty sea."""
    facts = dict(subjects=["seagull"], action="guides the fishing boats home", setting="lighthouse",
                 time_of_day="day", weather="clear", shot="wide")  # fmt: skip
    assert "cast:fishingboat" in painted(facts, "a gull").trace


@pytest.mark.parametrize("who", ["woman", "girl"])
def test_long_hair_falls_beside_the_neck_not_under_the_chin(who):
    """Before: a woman's or girl's long hair was drawn over her neck, a dark shape under the chin that read as
    a beard in every close-up."""
    facts = dict(subjects=[who], action="", setting="park", time_of_day="day", weather="clear", shot="close_up")
    img = first(facts, prompt=f"Close-up: the face of the {who}").astype(int)
    skin = (img[..., 0] > 170) & (img[..., 0] - img[..., 2] > 55) & (img[..., 1] > 110)
    widths = skin.sum(axis=1)
    widest = int(widths.argmax())
    chin = widest + int(np.nonzero(widths[widest:] < widths[widest] * 0.5)[0][0])  # where the face narrows
    centre = int(np.nonzero(skin[widest])[0].mean())
    below = skin[chin + 2 : chin + 8, centre - 2 : centre + 3]
    assert below.mean() > 0.8, f"{who}: under the chin is {below.mean():.0%} skin"


def test_autumn_turns_the_leaves_and_a_verb_is_no_mug():
    """Before: 'walks through the forest in autumn' was a green summer wood, and 'finds a pond and drinks'
    drew a steaming mug beside the fox."""
    wood = dict(subjects=["fox"], action="walks through the forest", setting="forest", time_of_day="day",
                weather="clear", shot="wide")  # fmt: skip
    autumn = first(wood, prompt="Wide shot: the fox walks through the forest, in autumn, golden and red leaves")
    summer = first(wood, prompt="Wide shot: the fox walks through the forest")

    def warm(img: np.ndarray) -> float:
        px = img.astype(int)
        return float(((px[..., 0] > px[..., 1] + 40) & (px[..., 0] > px[..., 2] + 60)).mean())

    assert warm(autumn) > warm(summer) + 0.05, (warm(autumn), warm(summer))
    drinks = dict(subjects=["fox"], action="finds a pond and drinks", setting="forest", time_of_day="day",
                  weather="clear", shot="medium")  # fmt: skip
    assert not any(t.startswith("cast:cup") for t in painted(drinks, "the fox finds a pond and drinks").trace)


def test_the_weather_grades_a_scene_without_sea_too():
    """A storm darkens and a fog veils an inland scene: the land mask over the sea must not keep the weather's
    grade to sea scenes alone."""
    field = dict(subjects=["farmer"], action="", setting="meadow", time_of_day="day", weather="clear", shot="wide")
    clear, stormy = first(field), first(field | {"weather": "storm"})
    ground = slice(int(H * 0.75), H)
    assert stormy[ground].mean() < 0.8 * clear[ground].mean(), (stormy[ground].mean(), clear[ground].mean())


POND = dict(subjects=["old man", "duck"], action="feeds the ducks", setting="pond", time_of_day="day",
            weather="clear", shot="wide")  # fmt: skip


def test_a_pond_is_water_between_grass_banks_not_a_sea_beach():
    """Before: 'at a pond' drew a grassy field with no water, and 'a lake' the sea with a sandy beach and surf;
    and a man feeding ducks at a pond was put in a fishing boat ('nobody stands on open water')."""
    spec = spec_from_facts(SceneFacts(**POND))
    assert {"lake", "sea"} <= spec.elements
    assert "elder" in spec.subjects and "fishingboat" not in spec.subjects and not spec.aboard  # on the bank
    img = first(POND).astype(int)
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    water = (b > r + 40) & (b > g + 10)
    sand = (r > 180) & (g > 160) & (b < 160) & (r > b + 40)
    grass = (g > r + 15) & (g > b + 15)
    band = slice(int(H * 0.62), int(H * 0.72))  # just below the horizon: the pond
    bottom = slice(int(H * 0.9), H)  # the near bank the man stands on
    assert water[band].mean() > 0.5, water[band].mean()
    assert grass[bottom].mean() > 0.6 and sand.mean() < 0.01, (grass[bottom].mean(), sand.mean())


def test_a_pond_in_snow_is_ice_and_gone_ducks_are_not_drawn():
    """'One winter the pond freezes, and the ducks are gone': no blue water and no glints, and no duck, though
    the scene names 'the ducks, a white duck'."""
    winter = POND | {"subjects": ["ducks", "white duck"], "action": "are gone", "weather": "snow"}
    spec = spec_from_facts(SceneFacts(**winter))
    assert "duck" not in spec.subjects, spec.subjects
    img = first(winter).astype(int)
    band = img[int(H * 0.62) : int(H * 0.72)]
    blue = (band[..., 2] > band[..., 0] + 40) & (band[..., 2] > band[..., 1] + 10)
    assert blue.mean() < 0.05, blue.mean()  # pale ice, not open water
    assert painted(winter, "the pond").water is None  # nothing shimmers on ice
    assert painted(POND, "the pond").water is not None


def test_a_fruit_tree_changes_with_the_season():
    """Before: the persimmon tree was green and in fruit whatever the season (only "autumn" was read, and only
    for the grass): blossom in spring now, a green crown in summer, gold leaves and fruit in autumn, bare boughs
    with a few fruit in winter (and wherever it snows)."""
    from models.video.animatic_facts import season_of

    assert [season_of(w, set()) for w in ("in spring, fresh green leaves and blossom", "a hot spring", "in summer",
                                          "leaves fall in autumn", "the rain falls", "in winter")] == [
        "spring", "", "summer", "autumn", "", "winter"]  # fmt: skip
    assert season_of("in autumn, golden and red leaves", {"snow"}) == "winter"

    def counts(season: str) -> dict[str, int]:
        img = first(YARD, prompt=f"the persimmon tree in the courtyard, in {season}").astype(int)
        r, g, b = img[..., 0], img[..., 1], img[..., 2]
        return {
            "green": int(((g > r + 25) & (g > b + 25)).sum()),
            "pink": int(((r > 225) & (b > 180) & (g < b - 8)).sum()),
            "warm": int(((r > 180) & (r > g + 50) & (b < 90)).sum()),  # ripe fruit, autumn leaves
        }

    spring, summer, autumn, winter = (counts(s) for s in ("spring", "summer", "autumn", "winter"))
    assert spring["pink"] > 10 * max(1, summer["pink"], autumn["pink"]), (spring, summer, autumn)
    assert summer["green"] > 4 * max(1, autumn["green"]) and winter["green"] < summer["green"] / 10
    assert autumn["warm"] > 3 * summer["warm"] and autumn["warm"] > 3 * winter["warm"] > 0, (autumn, summer, winter)


SNOWMAN = dict(subjects=["snowman"], action="stands in the yard", setting="yard", time_of_day="morning",
               weather="clear", shot="medium")  # fmt: skip


def test_a_snowman_is_balls_of_snow_with_a_carrot_nose_and_her_scarf_when_it_wears_it():
    """Before: "snowman" read as a role ending in "man": a person was drawn in its place (and "yard" was no place)."""
    assert subject_kinds("snowman") == ("snowman",) and subject_kinds("the girl's snowman") == ("snowman",)
    assert "courtyard" in spec_from_facts(SceneFacts(**SNOWMAN)).elements

    def colours(facts: dict) -> dict[str, int]:
        img = first(facts).astype(int)
        r, g, b = img[..., 0], img[..., 1], img[..., 2]
        return {
            "snow": int(((r > 225) & (g > 225) & (b > 225)).sum()),
            "carrot": int(((r > 180) & (g > 80) & (g < 150) & (b < 70)).sum()),
            "scarf": int(((r > 150) & (g < 70) & (b < 70)).sum()),
        }

    plain, scarf = colours(SNOWMAN), colours(SNOWMAN | {"action": "is wearing her scarf"})
    ground = colours(SNOWMAN | {"subjects": []})
    assert plain["snow"] > ground["snow"] + 400, (plain, ground)  # three white balls
    assert plain["carrot"] > ground["carrot"] + 5, (plain, ground)
    assert scarf["scarf"] > plain["scarf"] + 40, (scarf, plain)  # the scarf only when the action puts it on


KITE_FIELD = dict(subjects=["grandfather", "small granddaughter"], action="goes to the countryside and flies a kite",
                  setting="countryside outside the city", time_of_day="day", weather="clear", shot="wide")  # fmt: skip


@pytest.mark.parametrize(
    "setting", ["countryside outside the city", "countryside on the edge of town", "the outskirts", "郊外", "城外",
                "a meadow just outside the town", "out of town"],
)  # fmt: skip
def test_a_place_outside_a_town_is_countryside_with_no_skyline(setting):
    """Before: 郊外's "countryside outside the city" drew a city of skyscrapers and a road (the word "city")."""
    elements = spec_from_facts(SceneFacts(**KITE_FIELD | {"setting": setting})).elements
    assert "field" in elements and not elements & {"city", "road"}, elements
    assert "city" in spec_from_facts(SceneFacts(**KITE_FIELD | {"setting": "city street"})).elements


def _kite_pixels(img: np.ndarray) -> dict[str, int]:
    r, g, b = (img[..., k].astype(int) for k in range(3))
    return {
        "red": int(((r > 190) & (g < 80) & (b < 80)).sum()),
        "yellow": int(((r > 220) & (g > 180) & (b < 80)).sum()),
    }


def test_a_kite_is_flown_on_a_string_caught_in_a_tree_and_held_in_the_hands():
    """Before: "kite" was no kind: "flies a kite", "the kite hangs up in the tree" and the hands close-up with the
    kite drew nothing (empty hands)."""
    assert subject_kinds("kite") == ("kite",)
    flown = painted(KITE_FIELD, "flies a kite")
    assert "cast:kite" in flown.trace and flown.spec.kite == "flown", flown.trace
    kite = next(s for s in flown.subjects if s.kind == "kite")
    assert kite.in_sky and kite.pose == "flown" and any(s.pose == "hold" for s in flown.subjects)
    sky = first(KITE_FIELD)[: int(H * 0.45)]
    assert _kite_pixels(sky)["red"] > 3 and _kite_pixels(sky)["yellow"] > 3, _kite_pixels(sky)
    caught = dict(KITE_FIELD, subjects=["kite"], action="hangs up in the tree", shot="medium")
    tree = painted(caught, "the kite hangs up in the tree")
    assert {"cast:kite", "cast:tree"} <= set(tree.trace) and "forest" not in tree.spec.elements, tree.trace
    assert next(s for s in tree.subjects if s.kind == "kite").pose == "caught"
    hands = dict(KITE_FIELD, subjects=["grandfather"], action="", shot="close_up")
    words = "close-up of the hands of the grandfather, and the kite, in the countryside"
    held = painted(hands, words)
    assert [s.pose for s in held.subjects] == ["held", "hold"], held.subjects
    img = first(hands, prompt=words)
    empty = first(hands, prompt="close-up of the hands of the grandfather, in the countryside")
    assert _kite_pixels(img)["yellow"] > _kite_pixels(empty)["yellow"] + 500, (_kite_pixels(img), _kite_pixels(empty))


def test_someone_climbing_a_tree_is_drawn_at_the_tree_not_in_a_city_or_as_a_face():
    """Before: "climbs up a tree" in a close-up drew the man's face before a city skyline and no tree."""
    facts = dict(KITE_FIELD, subjects=["grandfather", "kite"], action="climbs up a tree and takes the kite down",
                 shot="close_up")  # fmt: skip
    spec = spec_from_facts(SceneFacts(**facts))
    assert spec.shot == "medium" and "tree" in spec.subjects and "city" not in spec.elements, spec
    scene = painted(facts, "climbs up a tree")
    tree = next(s for s in scene.subjects if s.kind == "tree")
    man = next(s for s in scene.subjects if s.kind == "elder")
    assert abs(tree.x - man.x) < 0.2 * W, (tree.x, man.x)  # at its trunk


def test_a_count_and_an_age_before_a_group_give_that_many_old_people():
    """Before: "two old friends" were the friends group as it stands, three young people."""
    assert subject_kinds("two old friends") == ("oldwoman", "elder")
    assert subject_kinds("three elderly friends") == ("oldwoman", "elder", "oldwoman")
    assert subject_kinds("a pair of friends") == ("woman", "man")
    assert subject_kinds("two old men") == ("elder", "elder")
    assert subject_kinds("retired couple") == ("elder", "oldwoman")
    assert subject_kinds("两个老朋友") == ("oldwoman", "elder")
    assert len(subject_kinds("三个人")) == 3
    # age said of years or of someone else is not the subject's
    assert subject_kinds("a ten year old girl") == ("girl",)
    assert subject_kinds("the old fisherman's granddaughter") == ("girl",)
    spec = spec_from_facts(SceneFacts(subjects=["two old friends"], action="hug", setting="park", shot="wide"))
    assert spec.subjects == ("oldwoman", "elder")


def test_a_train_station_is_a_platform_by_the_track_with_a_train_canopy_and_clock():
    """Before: "train station" named no place the animatic knew, and was drawn as an empty grass field."""
    from models.video.animatic_station import edge_row

    facts = dict(subjects=["two old friends"], action="meet again", setting="train station", shot="wide")
    scene = painted(facts, "two old friends meet at a train station")
    assert scene.spec.setting == "station", scene.spec
    for part in ("track", "train", "platform", "canopy", "clock"):
        assert f"set:station:{part}" in scene.trace, scene.trace
    people = [s for s in scene.subjects if s.kind in ("elder", "oldwoman")]
    assert len(people) == 2 and all(s.y > edge_row(scene.geometry) for s in people), "they stand on the platform"
    img = first(facts)
    assert _green_share(img) < 0.05, "no grass field"
    assert painted(facts | {"setting": "站台"}, "站台").spec.setting == "station"
    # the station cafe is the cafe, and a police station no railway's
    assert painted(facts | {"setting": "station cafe"}, "tea").spec.setting == "shop"
    assert painted(facts | {"setting": "police station"}, "a scene").spec.setting != "station"


def test_a_face_close_up_shows_what_the_face_is_turned_to():
    """Before: 'Close-up: the face of the girl, eyes on the kitten' drew her face alone, the kitten left out."""
    facts = SceneFacts(subjects=["girl", "kitten"], action="", setting="home", shot="close_up")
    looking = spec_from_facts(facts, "Close-up: the face of the girl, eyes on the kitten, at home")
    assert looking.subjects == ("girl", "cat"), looking.subjects
    assert spec_from_facts(facts, "Close-up: the face of the girl, still and attentive, at home").subjects == ("girl",)
