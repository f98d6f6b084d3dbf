"""The storyboard: the one typed description of a film, used from the writer to the assembler.

Its validation rules live here and nowhere else.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_SCENES = 20
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


def _clean(text: str) -> str:
    # Control characters break subtitles and the UI; collapse all whitespace runs to one space.
    text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    return re.sub(r"\s+", " ", text).strip()


class Character(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    look: str = Field("", max_length=400)

    _clean_text = field_validator("name", "look", mode="before")(lambda v: _clean(str(v)))


class Scene(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=MAX_SCENES)
    description: str = Field(min_length=1, max_length=1000, description="What the camera shows, in English.")
    narration: str = Field("", max_length=1000, description="Spoken line and subtitle, in the user's language.")
    duration: float = Field(4.0, ge=MIN_SECONDS, le=MAX_SECONDS, description="Seconds on screen.")
    camera: Camera = Camera.STATIC
    transition: Transition = Transition.CUT
    seed: int = Field(0, ge=0, le=2**31 - 1)

    _clean_text = field_validator("description", "narration", mode="before")(lambda v: _clean(str(v)))


class Storyboard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    language: str = Field("en", pattern="^(en|zh)$")
    style: str = Field("", max_length=400, description="Global visual style carried into every scene.")
    characters: list[Character] = Field(default_factory=list, max_length=12)
    scenes: list[Scene] = Field(min_length=1, max_length=MAX_SCENES)

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
