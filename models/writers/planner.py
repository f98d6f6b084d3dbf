"""The deterministic planner: idea → storyboard with no model at all.

It splits the idea into beats, keeps the scene count within bounds, writes narration in the idea's
language, gives each scene a camera move that follows a simple story arc, and times each scene by its
narration (narration-first timing). LLM writers run their output through the same clean-up.
"""

from __future__ import annotations

import math
import re
import unicodedata

from pydantic import BaseModel, Field

from models.errors import UserError
from models.storyboard import Camera, Scene, Storyboard, Transition, detect_language

MAX_IDEA_CHARS = 4000

# Speaking rates used to time narration (measured averages for calm narration).
ZH_CHARS_PER_SECOND = 4.5
EN_WORDS_PER_SECOND = 2.6
NARRATION_PAD_SECONDS = 0.6

# Camera moves along a story arc: establish wide, move in, follow, pull out at the end.
ARC_CAMERAS = [Camera.AERIAL, Camera.PUSH_IN, Camera.TRACKING, Camera.PAN_RIGHT, Camera.PUSH_IN, Camera.PAN_LEFT]
SHOT_PHRASES = {
    Camera.AERIAL: "Wide aerial establishing shot",
    Camera.PUSH_IN: "Slow push-in close-up",
    Camera.TRACKING: "Tracking shot",
    Camera.PAN_RIGHT: "Medium shot, panning right",
    Camera.PAN_LEFT: "Medium shot, panning left",
    Camera.PULL_OUT: "Slow pull-out wide shot",
    Camera.STATIC: "Static shot",
}

# Beats added when the idea is too short for the minimum number of scenes, in each language.
FILLER_BEATS = {
    "en": [
        "The world around it comes into view.",
        "Little by little, the moment unfolds.",
        "Then something changes.",
        "Everything comes together.",
        "And so the story finds its ending.",
    ],
    "zh": [
        "周围的世界渐渐展开。",
        "故事一点点推进。",
        "就在这时，事情起了变化。",
        "一切汇聚在一起。",
        "故事迎来了结局。",
    ],
}

# Chinese words the planner can put into an English visual description (the video prompt).
ZH_VISUAL_WORDS = {
    "海": "the sea",
    "海边": "the seashore",
    "沙滩": "a beach",
    "湖": "a lake",
    "河": "a river",
    "山": "mountains",
    "森林": "a forest",
    "树": "trees",
    "花": "flowers",
    "城市": "a city",
    "街": "a street",
    "夜": "night",
    "月": "the moon",
    "星": "stars",
    "太阳": "the sun",
    "日出": "sunrise",
    "日落": "sunset",
    "黄昏": "dusk",
    "雨": "rain",
    "雪": "snow",
    "火": "fire",
    "家": "a home",
    "厨房": "a kitchen",
    "猫": "a cat",
    "狗": "a dog",
    "狐狸": "a fox",
    "鸟": "a bird",
    "鱼": "fish",
    "龙": "a dragon",
    "女孩": "a girl",
    "男孩": "a boy",
    "老人": "an old man",
    "孩子": "a child",
    "机器人": "a robot",
    "宇宙": "outer space",
    "飞船": "a spaceship",
    "猫头鹰": "an owl",
    "船": "a boat",
    "火车": "a train",
    "车": "a car",
    "灯笼": "lanterns",
    "茶": "tea",
    "书": "a book",
}

_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n+")
_CLAUSE = re.compile(r"(?<=[,，、])\s*")


class PlannerOptions(BaseModel):
    min_scenes: int = Field(3, ge=1, le=20)
    max_scenes: int = Field(8, ge=1, le=20)
    default_seconds: float = Field(4.0, ge=1.0, le=30.0)
    fps: int = Field(16, ge=1, le=60)
    seed: int = 42
    style: str = "cinematic, soft natural light, rich colour"


def clean_idea(idea: str) -> str:
    """The idea with control characters removed and whitespace collapsed; UserError when unusable."""
    if not isinstance(idea, str):
        raise UserError("idea_empty")
    if len(idea) > MAX_IDEA_CHARS * 4:
        raise UserError("idea_too_long", limit=MAX_IDEA_CHARS)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in idea)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise UserError("idea_empty")
    if len(text) > MAX_IDEA_CHARS:
        raise UserError("idea_too_long", limit=MAX_IDEA_CHARS)
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise UserError("idea_no_words")
    return text


def speaking_seconds(narration: str, language: str) -> float:
    """How long the narration takes to speak, by characters (Chinese) or words (English)."""
    if language == "zh":
        spoken = sum(1 for ch in narration if unicodedata.category(ch)[0] in "LN")
        return spoken / ZH_CHARS_PER_SECOND
    return len(re.findall(r"[\w']+", narration)) / EN_WORDS_PER_SECOND


def scene_seconds(narration: str, language: str, minimum: float, fps: int) -> float:
    """At least the narration plus a pad, clamped to 1–30 s and snapped up to the frame grid."""
    seconds = max(minimum, speaking_seconds(narration, language) + NARRATION_PAD_SECONDS if narration else 0)
    seconds = min(30.0, max(1.0, seconds))
    return min(30.0, math.ceil(seconds * fps - 1e-9) / fps)


def split_beats(text: str) -> list[str]:
    beats = [b.strip() for b in _SENTENCE_END.split(text) if b and b.strip()]
    return beats or [text]


def _fit_count(beats: list[str], lo: int, hi: int, language: str) -> list[str]:
    if len(beats) < lo:  # split long sentences at commas before inventing filler
        finer = [c.strip() for b in beats for c in _CLAUSE.split(b) if c.strip()]
        if len(finer) <= hi:
            beats = finer
    fillers = iter(FILLER_BEATS[language])
    while len(beats) < lo:
        beats.append(next(fillers, FILLER_BEATS[language][-1]))
    if len(beats) > hi:  # merge neighbours evenly so no part of the idea is lost
        size = len(beats) / hi
        joiner = "" if language == "zh" else " "
        beats = [joiner.join(beats[round(i * size) : round((i + 1) * size)]) for i in range(hi)]
    return beats


def visual_description(beat: str, language: str, camera: Camera) -> str:
    """An English description for the video model: the shot type plus what the beat shows."""
    if language == "zh":
        things, rest = [], beat
        for zh in sorted(ZH_VISUAL_WORDS, key=len, reverse=True):  # longest first: 猫头鹰 is not 猫
            if zh in rest:
                things.append(ZH_VISUAL_WORDS[zh])
                rest = rest.replace(zh, "|")
        subject = ", ".join(dict.fromkeys(things)) or "the scene described in the narration"
    else:
        subject = beat.rstrip(".!?;")
    return f"{SHOT_PHRASES[camera]} of {subject}"


def plan_storyboard(idea: str, options: PlannerOptions | None = None) -> Storyboard:
    opts = options or PlannerOptions()
    text = clean_idea(idea)
    language = detect_language(text)
    lo, hi = min(opts.min_scenes, opts.max_scenes), opts.max_scenes
    beats = _fit_count(split_beats(text), lo, hi, language)
    scenes = []
    for i, beat in enumerate(beats):
        last = i == len(beats) - 1
        camera = Camera.PULL_OUT if last and i > 0 else ARC_CAMERAS[i % len(ARC_CAMERAS)]
        narration = beat[:400]
        scenes.append(
            Scene(
                number=i + 1,
                description=visual_description(beat, language, camera),
                narration=narration,
                duration=scene_seconds(narration, language, opts.default_seconds, opts.fps),
                camera=camera,
                transition=Transition.CUT,
                seed=(opts.seed + 1009 * (i + 1)) % (2**31 - 1),
            )
        )
    title = beats[0].rstrip("。.!！?？") if beats else text
    title = title if len(title) <= 40 else title[:39] + "…"
    return Storyboard(title=title, language=language, style=opts.style, scenes=scenes)
