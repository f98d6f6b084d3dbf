"""What the storyboard LLM is asked: the system prompts for a whole storyboard, one beat and one rewrite,
and the English moments a beat prompt describes."""

from __future__ import annotations

from models.storyboard import Storyboard
from models.writers.planner import FILLER_BEATS, split_beats

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


def english_moments(idea: str, plan: Storyboard) -> list[str]:
    """What each planned scene shows, in English, for the model's prompt. An English beat is its own text;
    a Chinese one is the English words the planner found in it (a 135M English model cannot read Chinese),
    and a filler beat is the English version of that filler."""
    if plan.language == "en":
        beats = split_beats(idea)
        return beats if len(beats) == len(plan.scenes) else [s.narration for s in plan.scenes]
    moments = []
    for scene in plan.scenes:
        filler = FILLER_BEATS["zh"].index(scene.narration) if scene.narration in FILLER_BEATS["zh"] else -1
        hints = scene.description.partition(" of ")[2]
        moments.append(f"{FILLER_BEATS['en'][filler]} ({hints})" if filler >= 0 else hints)
    return moments
