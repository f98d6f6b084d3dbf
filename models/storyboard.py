"""The storyboard: the one typed description of a film, used from the writer to the assembler.

Its validation rules live here and nowhere else.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# A 2-minute film at ~3–5 s a scene; the planner times scene counts by target length (issue 12).
MAX_SCENES = 40
MIN_SECONDS, MAX_SECONDS = 1.0, 30.0
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


class Camera(StrEnum):
    """The camera moves a scene can ask for (the animatic draws each one)."""

    STATIC = "static"
    PUSH_IN = "push_in"
    PULL_OUT = "pull_out"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    TRACKING = "tracking"
    AERIAL = "aerial"


class TimeOfDay(StrEnum):
    DAWN = "dawn"
    MORNING = "morning"
    DAY = "day"
    DUSK = "dusk"
    NIGHT = "night"


class Weather(StrEnum):
    """The light and sky a scene is shot in (the animatic paints it; the description names it)."""

    CLEAR = "clear"
    CLOUDY = "cloudy"
    RAIN = "rain"
    STORM = "storm"
    SNOW = "snow"
    FOG = "fog"


class ShotSize(StrEnum):
    EXTREME_WIDE = "extreme_wide"
    WIDE = "wide"
    MEDIUM = "medium"
    CLOSE_UP = "close_up"
    EXTREME_CLOSE_UP = "extreme_close_up"


class Genre(StrEnum):
    """The kind of film, each with its own arc (models/writers/templates/*.toml)."""

    STORY = "story"
    ADVERT = "advert"
    EXPLAINER = "explainer"
    PROCESS = "process"
    TRAVEL = "travel"
    MOOD = "mood"


class Transition(StrEnum):
    """How a scene enters from the previous one."""

    CUT = "cut"
    FADE = "fade"
    DISSOLVE = "dissolve"
    WIPE = "wipe"
    SLIDE = "slide"


def detect_language(text: str) -> str:
    """'zh' when the text holds more Chinese characters than Latin words, else 'en'."""
    return "zh" if len(_CJK.findall(text)) > len(_LATIN_WORD.findall(text)) else "en"


def is_in_language(text: str, language: str) -> bool:
    """Whether narration is written in `language`: Chinese holds Chinese characters and more of them than
    Latin words; English holds Latin words and no Chinese at all (a tiny model's mixed output fails both)."""
    if language == "zh":
        return bool(_CJK.search(text)) and detect_language(text) == "zh"
    return bool(_LATIN_WORD.search(text)) and not _CJK.search(text)


def fingerprint(text: str) -> str:
    """A description reduced to its words, so "A fox, at dawn." and "a fox at dawn" count as one scene."""
    return " ".join(re.findall(r"\w+", text.lower()))


def near_duplicate(a: str, b: str, threshold: float = 0.8) -> bool:
    """Two descriptions that share most of their words (Jaccard ≥ threshold) show the same scene."""
    wa, wb = set(fingerprint(a).split()), set(fingerprint(b).split())
    if not wa or not wb:
        return fingerprint(a) == fingerprint(b)
    return len(wa & wb) / len(wa | wb) >= threshold


def _clean(text: str) -> str:
    # Control characters break subtitles and the UI; collapse all whitespace runs to one space.
    text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    return re.sub(r"\s+", " ", text).strip()


class Character(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    look: str = Field("", max_length=400)

    _clean_text = field_validator("name", "look", mode="before")(lambda v: _clean(str(v)))


class SceneFacts(BaseModel):
    """What the camera sees in a scene, as structured facts in English. The visual description is composed
    from them (and kept as written once a person edits it); the animatic draws them; a Shot carries them."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    # Who or what is in frame, main subject first ("old fisherman", "small wooden boat"). A character is
    # named as in Storyboard.characters, so its look can be repeated word for word in every scene.
    subjects: list[str] = Field(default_factory=list, max_length=6)
    action: str = Field("", max_length=200)  # a verb phrase: "rows out past the harbour wall"
    setting: str = Field("", max_length=200)  # a place: "open sea", "harbour dock at a fishing village"
    time_of_day: TimeOfDay = TimeOfDay.DAY
    weather: Weather = Weather.CLEAR
    shot: ShotSize = ShotSize.MEDIUM

    _clean_text = field_validator("action", "setting", mode="before")(lambda v: _clean(str(v)))
    _clean_subjects = field_validator("subjects", mode="before")(
        lambda v: [t for t in (_clean(str(x))[:80] for x in (v or [])) if t]
    )


class Scene(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=MAX_SCENES)
    description: str = Field(min_length=1, max_length=1000, description="What the camera shows, in English.")
    narration: str = Field("", max_length=1000, description="Spoken line and subtitle, in the user's language.")
    duration: float = Field(4.0, ge=MIN_SECONDS, le=MAX_SECONDS, description="Seconds on screen.")
    camera: Camera = Camera.STATIC
    transition: Transition = Transition.CUT
    seed: int = Field(0, ge=0, le=2**31 - 1)
    locked: bool = Field(False, description="Never rendered again: its latest clip is kept as it is.")
    facts: SceneFacts = Field(default_factory=SceneFacts)
    # True once a person edited the description: it is then kept as written, never recomposed from facts.
    description_edited: bool = False
    # The scene's place in its genre's arc ("establish", "event", "hero", "feature", "step", "closing"...):
    # what retrieval copies from a creator's past storyboard to shape a new one.
    role: str = Field("", max_length=40)

    _clean_text = field_validator("description", "narration", mode="before")(lambda v: _clean(str(v)))


class Storyboard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    language: str = Field("en", pattern="^(en|zh)$")
    style: str = Field("", max_length=400, description="Global visual style carried into every scene.")
    characters: list[Character] = Field(default_factory=list, max_length=12)
    scenes: list[Scene] = Field(min_length=1, max_length=MAX_SCENES)
    genre: Genre = Genre.STORY
    # Which built-in templates and past storyboards shaped this one (shown in the Create tab).
    sources: list[str] = Field(default_factory=list, max_length=8)

    _clean_text = field_validator("title", "style", mode="before")(lambda v: _clean(str(v)))

    @model_validator(mode="after")
    def _numbered_in_order(self) -> Storyboard:
        numbers = [s.number for s in self.scenes]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"scenes must be numbered 1..{len(numbers)} in order, got {numbers}")
        return self

    @property
    def duration(self) -> float:
        return sum(s.duration for s in self.scenes)

    def renumbered(self) -> Storyboard:
        """A copy whose scenes are numbered 1..n in their current order."""
        scenes = [s.model_copy(update={"number": i}) for i, s in enumerate(self.scenes, 1)]
        return self.model_copy(update={"scenes": scenes})


# -- the JSON the LLM writes ------------------------------------------------------------------------------
# Decoding is constrained to this schema, so a model's output always parses. It is deliberately smaller
# than `Storyboard` (no numbers or seeds: the planner assigns them) and its strings are bounded, so a weak
# model cannot run away. Scenes come last so that they stream out after the title, style and characters.
ENGLISH_TEXT = "[A-Za-z0-9 ,.;:!?'()-]"
SCENE_SECONDS_CHOICES = [2, 3, 4, 5, 6, 7, 8]


def english_pattern(low: int, high: int) -> str:
    """A regex for `low`–`high` English characters. xgrammar 0.2.8 fails to compile a repetition above 128
    followed by more schema ("per_rule_fsm_hashes" check), so long ranges are chained in pieces of 120."""
    pieces, first = [], min(low, high)
    pieces.append(f"{ENGLISH_TEXT}{{{first},{min(high, 120)}}}")
    rest = high - min(high, 120)
    while rest > 0:
        pieces.append(f"{ENGLISH_TEXT}{{0,{min(rest, 120)}}}")
        rest -= min(rest, 120)
    return "^" + "".join(pieces) + "$"


def scene_schema(language: str, description_chars: int = 160, narration_chars: int = 140) -> dict:
    """One scene as the LLM writes it. Descriptions are restricted to English characters (video text
    encoders like LTX's T5 read only English); narration is free, the planner checks its language."""
    return {
        "type": "object",
        "properties": {
            "description": {"type": "string", "pattern": english_pattern(8, description_chars)},
            "narration": {"type": "string", "minLength": 1, "maxLength": narration_chars},
            # enum, not minimum/maximum: some grammar converters ignore integer bounds (notes/llm.md)
            "duration": {"type": "integer", "enum": SCENE_SECONDS_CHOICES},
            "camera": {"type": "string", "enum": [c.value for c in Camera]},
        },
        "required": ["description", "narration", "duration", "camera"],
        "additionalProperties": False,
    }


def storyboard_schema(min_scenes: int, max_scenes: int, language: str) -> dict:
    """The whole storyboard as the LLM writes it (title, style, characters, then scenes)."""
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 60},
            "style": {"type": "string", "pattern": english_pattern(0, 100)},
            "characters": {
                "type": "array",
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 30},
                        "look": {"type": "string", "pattern": english_pattern(0, 100)},
                    },
                    "required": ["name", "look"],
                    "additionalProperties": False,
                },
            },
            "scenes": {
                "type": "array",
                "minItems": min_scenes,
                "maxItems": max_scenes,
                "items": scene_schema(language),
            },
        },
        "required": ["title", "style", "characters", "scenes"],
        "additionalProperties": False,
    }


def description_schema(description_chars: int = 110) -> dict:
    """One visual description only: what a small model writes per beat when the planner holds the story."""
    return {
        "type": "object",
        "properties": {"description": {"type": "string", "pattern": english_pattern(12, description_chars)}},
        "required": ["description"],
        "additionalProperties": False,
    }
