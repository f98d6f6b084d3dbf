"""A doctor or a nurse reads as medical in the animatic, a chef keeps the tall hat: as a creator sees a hospital
scene's frame. Before, 'doctor' was drawn as a chef, in a tall white cap that read as a cook's hat."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine
from models.video.animatic_facts import subject_kinds
from models.video.animatic_figures import draw_person
from models.video.animatic_pen import Pen
from models.video.base import Shot

S = 200.0  # an adult's height in pixels on the test canvas


def person(kind: str) -> np.ndarray:
    frame = np.zeros((260, 200, 4), np.uint8)
    draw_person(Pen(frame), kind, 100, 240, S, "stand", 0.0, face=1)
    return frame


def _white(px: np.ndarray) -> np.ndarray:
    return (px[..., 3] > 0) & (px[..., :3].min(axis=2) > 225)


def _head_top(frame: np.ndarray) -> int:
    """The first canvas row with any skin-coloured pixel (the face)."""
    px = frame[..., :3].astype(int)
    skin = (frame[..., 3] > 0) & (abs(px[..., 0] - 206) < 12) & (abs(px[..., 1] - 150) < 12)
    return int(np.argwhere(skin.any(axis=1))[0][0])


@pytest.mark.parametrize("word,kind", [("doctor", "doctor"), ("the surgeon", "doctor"), ("old nurse", "nurse"),
                                       ("a dentist", "doctor"), ("the chef", "chef")])  # fmt: skip
def test_medical_words_read_as_medical_people(word: str, kind: str):
    assert subject_kinds(word) == (kind,)


def test_a_doctor_wears_no_tall_white_hat_and_a_chef_does():
    doctor, chef = person("doctor"), person("chef")
    assert _white(chef[: _head_top(chef) - 5]).sum() > 100  # the toque stands above the chef's face
    assert _white(doctor[: _head_top(doctor) - 5]).sum() == 0


def test_a_doctor_wears_a_white_coat_to_the_knees_with_a_stethoscope():
    doctor, man = person("doctor"), person("man")
    thighs = slice(int(240 - S * 0.45), int(240 - S * 0.3))  # between the hips and the knees
    assert _white(doctor[thighs]).sum() > 5 * max(1, _white(man[thighs]).sum())
    chest = doctor[int(240 - S * 0.8) : int(240 - S * 0.6), 80:120, :3].astype(int)
    dark = (chest.max(axis=2) < 70).sum()  # the stethoscope's tubes on the white coat
    assert dark > 20, dark


def test_a_nurse_wears_a_cap_with_a_red_cross():
    nurse = person("nurse")
    top = nurse[: _head_top(nurse)].astype(int)
    red = (top[..., 3] > 0) & (top[..., 0] > 180) & (top[..., 1] < 80)
    assert red.sum() > 10


def test_a_hospital_scene_casts_the_doctor_as_a_doctor():
    facts = SceneFacts(subjects=["doctor"], action="stands by the door", setting="hospital", shot="medium")
    shot_args = dict(prompt="a doctor", caption="", camera="static", width=416, height=240, fps=8, frames=1, seed=2)
    scene = AnimaticEngine(label="")._paint(Shot(**shot_args, facts=facts))
    assert "cast:doctor" in scene.trace and "cast:chef" not in scene.trace
