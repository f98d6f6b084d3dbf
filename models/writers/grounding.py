"""Beat and grounding checks for any writer's scenes: which words of the planner's scenes say what the idea
is about, whether a model's scene names any of them (grounded) and which of the idea's events it shows.
`refine.refine` uses them to keep a model's grounded scenes, drop invented ones, and put the planner's scene
wherever a model dropped one of the idea's events."""

from __future__ import annotations

import re

from models.storyboard import Storyboard, Weather
from models.writers.compose import SHOT_NAMES, TIME_LIGHT, WEATHER_LIGHT
from models.writers.genres import EVENT_ROLES, builtin_templates

_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_COMMON = set(
    "the and with from into onto over under through across along around about after before while then this that "
    "these those there their they them his her its who what when where which small little seen shot wide close "
    "medium extreme camera frame image still light soft warm bright natural every each some away back down out "
    "near nearby under above below behind beside inside outside against between".split()
)


def _stem(word: str) -> str:
    return word[:5] if len(word) > 5 else word.rstrip("s")


def _boilerplate() -> set[str]:
    """Words every description may contain whatever the idea: shot names, light, styles, role patterns."""
    texts = [*SHOT_NAMES.values(), *TIME_LIGHT.values(), *WEATHER_LIGHT.values()]
    for t in builtin_templates():
        texts.append(t.style)
        for role in t.roles.values():
            texts += role.description
    words = {_stem(w) for text in texts for w in _WORD.findall(text.lower().replace("{", " ").replace("}", " "))}
    # The weather itself is what an event may be about ("runs into a violent storm"): only its light is boilerplate.
    return words - {_stem(w.value) for w in Weather} - {_stem("lightning")}


def terms(text: str, ignore: set[str]) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _COMMON and _stem(w) not in ignore}


class Grounding:
    """The idea's vocabulary and each of its events' own words, taken from the planner's storyboard."""

    def __init__(self, plan: Storyboard) -> None:
        ignore = _boilerplate() | terms(plan.style, set())
        per_scene = [terms(s.description.rsplit(". ", 1)[0], ignore) for s in plan.scenes]
        self.vocabulary = set().union(*per_scene) if per_scene else set()
        shared = set.intersection(*per_scene) if per_scene else set()
        self.looks = {c.name.lower(): c.look for c in plan.characters}
        # Each of the idea's events (not the arc's added shots), with the words only it says.
        self.events = [
            (i, (words - shared) or words)
            for i, (scene, words) in enumerate(zip(plan.scenes, per_scene, strict=True))
            if scene.role in EVENT_ROLES
        ]
        self.ignore = ignore

    def scene_terms(self, description: str, looks: dict[str, str]) -> set[str]:
        """A description's words, with the look of every character it names (a model writes "Mara" for the
        woman its story bible describes)."""
        text = description.lower()
        extra = " ".join(look for name, look in looks.items() if name and name in text)
        return terms(f"{text} {extra}", self.ignore)

    def grounded(self, description: str, looks: dict[str, str]) -> bool:
        return bool(self.scene_terms(description, looks) & self.vocabulary)

    def covers(self, description: str, looks: dict[str, str], event: int) -> bool:
        """Whether a description shows the idea's `event`-th event (names one of the words only it says)."""
        return bool(self.scene_terms(description, looks) & self.events[event][1])
