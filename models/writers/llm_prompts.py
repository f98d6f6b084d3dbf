"""What the storyboard LLM is asked: the system prompts for a whole storyboard, one beat and one rewrite,
and the English moments a beat prompt describes."""

from __future__ import annotations

from models.storyboard import Scene, ShotSize, Storyboard, TimeOfDay, Weather
from models.writers.en_grammar import verb_forms

WHOLE_SYSTEM = (
    "You are a storyboard writer for a text-to-video studio. Turn the user's idea into a storyboard as JSON: "
    "a short title in the idea's language; a visual style in English; up to 3 characters with an English "
    "description of their look; then {lo} to {hi} scenes. Each scene has: description = a vivid, concrete "
    "English description of what the camera sees (subjects, setting, light, colours); narration = one short "
    "sentence in {language}; duration in seconds (2-8); camera move. Every scene shows a different moment "
    "of the story.{target}"
)
BEAT_SYSTEM = (
    "You write shot descriptions for a video model. Given one moment of a story, describe in one English "
    "sentence what the camera sees: subjects, setting, light and colours."
)
REWRITE_SYSTEM = (
    "You edit one scene of a video storyboard. Rewrite the scene following the instruction, keeping it "
    "consistent with the scenes before and after it. The description is English; the narration is one "
    "short sentence in {language}."
)
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}


def beat_prompt(moment: str) -> list[dict]:
    # Kept short: prompt tokens cost time on a CPU, and a tiny model copies whatever line comes first
    # (given the story's title, it described the title in every shot).
    return [{"role": "system", "content": BEAT_SYSTEM}, {"role": "user", "content": f"Moment: {moment}"}]


def moment(scene: Scene) -> str:
    """What one planned scene shows, in plain English, from its facts: who, doing what, where, when, in
    what weather, how near ("the old fisherman runs into a violent storm, open sea, dawn, storm, wide")."""
    f = scene.facts
    who = " and ".join(f"the {s}" for s in f.subjects[:2] if s not in f.action)
    first = f.action.partition(" ")[0].lower()
    if first and verb_forms().get(first) == first:  # a step said as an instruction: hands doing it
        who = f"hands {f.action}" + (f", {who.removeprefix('the ')}" if who else "")
        parts = [who, f.setting]
    else:
        parts = [" ".join(p for p in (who, f.action) if p), f.setting]
    if f.time_of_day is not TimeOfDay.DAY:
        parts.append(f.time_of_day.value)
    if f.weather is not Weather.CLEAR:
        parts.append(f.weather.value)
    if f.shot in (ShotSize.CLOSE_UP, ShotSize.EXTREME_CLOSE_UP):
        parts.append("close-up")
    return ", ".join(p for p in parts if p)


def english_moments(idea: str, plan: Storyboard) -> list[str]:
    """What each planned scene shows, in English, for the model's prompt: built from the scene's facts (a
    135M English model cannot read Chinese, and the creator's English sentence may carry instructions); a
    scene with no facts falls back to its English narration, else the body of the planner's description."""
    moments = []
    for scene in plan.scenes:
        text = moment(scene)
        if not text:
            body = scene.description.split(": ", 1)[-1].rsplit(". ", 1)[0]
            text = scene.narration if plan.language == "en" and scene.narration else body
        moments.append(text)
    return moments
