"""How each planned scene is framed: its shot size (varied so neighbours differ), camera move, structured
facts and English description."""

from __future__ import annotations

import re

from models.storyboard import Camera, Genre, SceneFacts, ShotSize, TimeOfDay, Weather
from models.writers.arrange import Slot
from models.writers.compose import describe
from models.writers.genres import Template
from models.writers.idea_reading import Reading
from models.writers.years import aged_sentence, aged_subjects

SHOT_ORDER = [ShotSize.EXTREME_WIDE, ShotSize.WIDE, ShotSize.MEDIUM, ShotSize.CLOSE_UP, ShotSize.EXTREME_CLOSE_UP]


def scene_facts(slot: Slot, shot: ShotSize) -> SceneFacts:
    f = slot.facts
    return SceneFacts(
        subjects=aged_subjects(slot.facts.subjects, f.aged)[:6],  # after the years: an old man, not a boy
        action=f.action[:200],
        setting=f.setting[:200],
        time_of_day=f.time_of_day or TimeOfDay.DAY,
        weather=f.weather or Weather.CLEAR,
        shot=shot,
    )


CLOSE_WORDS = re.compile(r"\b(hand|hands|eyes|face|coin|bolt|sip|pour|letter|key|seed|close|tears|smile|drop)", re.I)


def _transforms(slot: Slot) -> bool:
    """Whether the slot's event is the change itself ("the seed becomes a tall tree"): the tall tree is not
    filmed in close-up for the seed the sentence also names."""
    return any(now in slot.facts.subjects for now in slot.facts.became.values())


def shots_for(slots: list[Slot], template: Template) -> list[ShotSize]:
    """Each role's shot size, varied so that consecutive scenes never share one: an event in a new place
    or weather is seen wide, one about hands, eyes or a small thing close, the others medium."""
    shots: list[ShotSize] = []
    for slot in slots:
        shot = template.role(slot.role).shot
        if slot.from_idea and slot.role == "event":
            if slot.facts.timelapse:  # the whole place, changing
                shot = ShotSize.WIDE
            elif CLOSE_WORDS.search(slot.sentence) and not _transforms(slot):
                shot = ShotSize.CLOSE_UP
            elif slot.facts.new_place or slot.facts.weather in (Weather.STORM, Weather.SNOW, Weather.RAIN):
                shot = ShotSize.WIDE
            elif len(slot.facts.subjects) >= 3:  # 三个一起回家: everyone in frame
                shot = ShotSize.WIDE
        elif slot.from_idea and CLOSE_WORDS.search(slot.sentence):
            shot = ShotSize.CLOSE_UP
        if shots and shot == shots[-1] and template.genre is Genre.PROCESS and slot.role == template.event_role:
            # a process's steps stay close on the hands and the material: close-up, then extreme close-up
            shot = ShotSize.EXTREME_CLOSE_UP if shot == ShotSize.CLOSE_UP else ShotSize.CLOSE_UP
        elif shots and shot == shots[-1]:
            i = SHOT_ORDER.index(shot)
            shot = SHOT_ORDER[i + 1] if i + 1 < len(SHOT_ORDER) - 1 else SHOT_ORDER[i - 1]
        shots.append(shot)
    return shots


SHOT_CAMERAS = {
    ShotSize.EXTREME_WIDE: (Camera.AERIAL, Camera.PULL_OUT),
    ShotSize.WIDE: (Camera.PAN_RIGHT, Camera.PAN_LEFT),
    ShotSize.MEDIUM: (Camera.TRACKING, Camera.STATIC),
    ShotSize.CLOSE_UP: (Camera.PUSH_IN, Camera.STATIC),
    ShotSize.EXTREME_CLOSE_UP: (Camera.STATIC, Camera.PUSH_IN),
}


def cameras_for(slots: list[Slot], shots: list[ShotSize], template: Template) -> list[Camera]:
    """A role's own camera move where the arc sets one; an event's follows its shot size, alternating so
    that two neighbouring scenes do not move the same way."""
    cameras: list[Camera] = []
    for slot, shot in zip(slots, shots, strict=True):
        if slot.role in template.roles and slot.role not in ("event",) and not slot.from_idea:
            camera = template.role(slot.role).camera
        else:
            a, b = SHOT_CAMERAS[shot]
            camera = b if cameras and cameras[-1] == a else a
        cameras.append(camera)
    return cameras


def description(slot: Slot, shot: ShotSize, reading: Reading, style: str) -> str:
    # after a passage of years, who someone is now is said at their first mention, before their old look
    return describe(shot, aged_sentence(slot.sentence, slot.facts.aged), slot.facts, reading.cast, style)
