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
from models.storyboard import (
    MIN_SECONDS,
    Camera,
    Character,
    Scene,
    Storyboard,
    Transition,
    detect_language,
    fingerprint,
    is_in_language,
    near_duplicate,
)

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
    "风筝": "a kite",
    "灯塔": "a lighthouse",
    "漂流瓶": "a message in a bottle",
    "熊猫": "a panda",
    "兔子": "a rabbit",
    "草原": "grassland",
    "沙漠": "a desert",
    "村庄": "a village",
    "田野": "fields",
    "桥": "a bridge",
    "窗": "a window",
    "雾": "mist",
    "云": "clouds",
    "风": "wind",
    "冬天": "winter",
    "春天": "spring",
    "秋天": "autumn",
    "夏天": "summer",
    "奶奶": "a grandmother",
    "爷爷": "a grandfather",
    "妈妈": "a mother",
    "爸爸": "a father",
    "朋友": "friends",
    "市场": "a market",
    "咖啡": "coffee",
    "面包": "bread",
    "钢琴": "a piano",
    "画": "a painting",
    "信": "a letter",
    "马": "a horse",
    "蝴蝶": "a butterfly",
    "宇航员": "an astronaut",
    "星空": "a starry sky",
    "地铁": "a subway",
    "医生": "a doctor",
    "学生": "a student",
    "老师": "a teacher",
}

DEFAULT_STYLE = "cinematic, soft natural light, rich colour"
# Scene lengths the planner aims for when it has a target length to divide.
SHORTEST_SCENE, LONGEST_SCENE = 3.0, 8.0
# Said of a scene to tell it from another that would otherwise read the same.
POSITION_PHRASES = ["as the story begins", "a little later", "midway through", "at the turning point", "near the end"]

_LOWER_FIRST = {"A", "An", "The", "He", "She", "It", "They", "We", "His", "Her", "Their", "Its", "Our", "Then", "And"}
_CJK_ANY = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n+")
_CLAUSE = re.compile(r"(?<=[,，、])\s*")


class PlannerOptions(BaseModel):
    min_scenes: int = Field(3, ge=1, le=20)
    max_scenes: int = Field(8, ge=1, le=20)
    default_seconds: float = Field(4.0, ge=1.0, le=30.0)
    fps: int = Field(16, ge=1, le=60)
    seed: int = 42
    style: str = DEFAULT_STYLE
    # Length the film should have; None times every scene by its narration alone.
    target_seconds: float | None = Field(None, ge=3.0, le=600.0)


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


def scene_count(beats: int, lo: int, hi: int, target_seconds: float | None) -> int:
    """As many scenes as the idea has beats, within [lo, hi] and within what the target length allows."""
    n = beats
    if target_seconds:
        n = min(max(n, math.ceil(target_seconds / LONGEST_SCENE)), max(1, math.floor(target_seconds / SHORTEST_SCENE)))
    return max(lo, min(hi, n))


def _fit_count(beats: list[str], lo: int, hi: int, language: str) -> list[str]:
    if len(beats) < lo:  # split long sentences at commas before inventing filler
        finer = [c.strip().rstrip(",，、") for b in beats for c in _CLAUSE.split(b) if c.strip().rstrip(",，、")]
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


def trim_narration(narration: str, language: str, seconds: float) -> str:
    """The narration cut (at a clause or word boundary where possible) to what can be spoken in `seconds`."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    if language == "zh":
        keep = max(4, int(seconds * ZH_CHARS_PER_SECOND))
        cut = narration[:keep]
        clause = max(cut.rfind(p) for p in "，、；,;")
        cut = cut[: clause + 1] if clause >= keep // 2 else cut
        return cut.rstrip("，、；,; ") + "……"
    words = narration.split()
    keep = max(3, int(seconds * EN_WORDS_PER_SECOND))
    cut = " ".join(words[:keep])
    clause = max(cut.rfind(p) for p in ",;:")
    cut = cut[:clause] if clause >= len(cut) // 2 else cut
    return cut.rstrip(",;: ") + "…"


def visual_description(beat: str, language: str, camera: Camera, context: str = "") -> str:
    """An English description for the video model: the shot type plus what the beat shows. A Chinese beat
    is reduced to the English words the planner knows; with none it borrows those of the whole idea."""
    if language == "zh":
        subject = ", ".join(_zh_things(beat)) or ", ".join(_zh_things(context)[:3]) or "the moment the narration tells"
    else:
        subject = beat.rstrip(".!?;…")
        first, _, rest = subject.partition(" ")
        if first in _LOWER_FIRST:  # "of The fox" reads wrong; names keep their capital
            subject = f"{first.lower()} {rest}".strip()
    return f"{SHOT_PHRASES[camera]} of {subject}"


def _zh_things(text: str) -> list[str]:
    things, rest = [], text
    for zh in sorted(ZH_VISUAL_WORDS, key=len, reverse=True):  # longest first: 猫头鹰 is not 猫
        if zh in rest:
            things.append(ZH_VISUAL_WORDS[zh])
            rest = rest.replace(zh, "|")
    return list(dict.fromkeys(things))


def distinct_descriptions(descriptions: list[str]) -> list[str]:
    """Each description told apart from every earlier one (near-duplicates get a position phrase)."""
    out: list[str] = []
    for i, text in enumerate(descriptions):
        if any(near_duplicate(text, seen) for seen in out):
            phrase = POSITION_PHRASES[min(len(POSITION_PHRASES) - 1, i * len(POSITION_PHRASES) // len(descriptions))]
            text = f"{text.rstrip('.')}, {phrase}"
            if any(near_duplicate(text, seen) for seen in out):
                text = f"{text}, moment {i + 1} of {len(descriptions)}"
        out.append(text)
    return out


def camera_for(index: int, count: int) -> Camera:
    """Camera moves along a story arc: establish wide, move in, follow, pull out at the end."""
    return Camera.PULL_OUT if index == count - 1 and index > 0 else ARC_CAMERAS[index % len(ARC_CAMERAS)]


def scene_seed(base: int, index: int) -> int:
    return (base + 1009 * (index + 1)) % (2**31 - 1)


def timed(narrations: list[str], language: str, opts: PlannerOptions) -> tuple[list[str], list[float]]:
    """Narration-first timing: each scene lasts at least as long as its narration takes to speak.

    With a target length, every scene gets an equal share of it; narration that cannot be spoken within
    its share is trimmed, so the film keeps the length the creator asked for."""
    if not opts.target_seconds:
        return narrations, [scene_seconds(n, language, opts.default_seconds, opts.fps) for n in narrations]
    share = opts.target_seconds / max(1, len(narrations))
    speakable = max(0.5, share - NARRATION_PAD_SECONDS)
    narrations = [trim_narration(n, language, speakable) for n in narrations]
    return narrations, [scene_seconds(n, language, share, opts.fps) for n in narrations]


def plan_storyboard(idea: str, options: PlannerOptions | None = None) -> Storyboard:
    opts = options or PlannerOptions()
    text = clean_idea(idea)
    language = detect_language(text)
    lo, hi = min(opts.min_scenes, opts.max_scenes), opts.max_scenes
    beats = split_beats(text)
    n = scene_count(len(beats), lo, hi, opts.target_seconds)
    beats = _fit_count(beats, n, n, language)
    narrations, seconds = timed([b[:400] for b in beats], language, opts)
    cameras = [camera_for(i, len(beats)) for i in range(len(beats))]
    descriptions = distinct_descriptions(
        [visual_description(b, language, c, text) for b, c in zip(beats, cameras, strict=True)]
    )
    scenes = build_scenes(descriptions, narrations, seconds, cameras, opts.seed)
    # The title is the idea's first sentence, even when the beats cut it into clauses.
    title = make_title(split_beats(text)[0])
    return Storyboard(title=title, language=language, style=opts.style, scenes=scenes)


def build_scenes(
    descriptions: list[str], narrations: list[str], seconds: list[float], cameras: list, seed: int
) -> list[Scene]:
    """Numbered scenes from parallel lists, each with its own seed derived from the project's."""
    return [
        Scene(
            number=i + 1,
            description=d,
            narration=n,
            duration=sec,
            camera=Camera(cam),
            transition=Transition.CUT,
            seed=scene_seed(seed, i),
        )  # fmt: skip
        for i, (d, n, sec, cam) in enumerate(zip(descriptions, narrations, seconds, cameras, strict=True))
    ]


def make_title(text: str) -> str:
    title = text.strip().rstrip("。.!！?？…")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in title):
        # An idea of punctuation and digits ("../../etc/passwd", "!!! 123") still gets a title to show.
        title = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN ").strip() or "Untitled"
    return title if len(title) <= 40 else title[:39] + "…"


# -- clean-up around a model -------------------------------------------------------------------------------
class Draft(BaseModel):
    """What a model wrote, before clean-up: any field may be empty, wrong-language or repeated."""

    title: str = ""
    style: str = ""
    characters: list[dict] = Field(default_factory=list)
    scenes: list[dict] = Field(default_factory=list)


def _usable_scenes(scenes: list[dict]) -> list[dict]:
    """Scenes with an English description that differs from every earlier one (tiny models repeat)."""
    kept: list[dict] = []
    for raw in scenes:
        desc = str(raw.get("description") or "").strip()
        if len(fingerprint(desc)) < 8 or is_in_language(desc, "zh") or _CJK_ANY.search(desc):
            continue
        if any(near_duplicate(desc, str(k["description"])) for k in kept):
            continue
        kept.append({**raw, "description": desc})
    return kept


def refine(idea: str, draft: Draft, options: PlannerOptions | None = None, final: bool = True) -> Storyboard:
    """The storyboard a model's draft becomes after the planner's clean-up.

    Keeps 3–8 distinct scenes (duplicates dropped, missing ones filled from the plan), renumbers them,
    puts narration in the idea's language (the idea's own beat where the model wrote another language or
    repeated itself), keeps descriptions English, times scenes narration-first and clamps durations.
    `final=False` cleans a partial draft while it streams: no filling, no scene-count bounds."""
    opts = options or PlannerOptions()
    text = clean_idea(idea)
    language = detect_language(text)
    usable = _usable_scenes(draft.scenes)
    lo, hi = min(opts.min_scenes, opts.max_scenes), opts.max_scenes
    if final:
        count = scene_count(len(usable) or len(split_beats(text)), lo, hi, opts.target_seconds)
    else:
        count = max(1, min(len(usable), hi))
    plan = plan_storyboard(text, opts.model_copy(update={"min_scenes": count, "max_scenes": count}))
    narrations, descriptions, cameras, minimums = [], [], [], []
    for i, planned in enumerate(plan.scenes[:count]):
        src = usable[i] if i < len(usable) else {}
        narration = str(src.get("narration") or "").strip()
        if not is_in_language(narration, language) or any(near_duplicate(narration, n) for n in narrations):
            narration = planned.narration
        narrations.append(narration[:400])
        descriptions.append(str(src.get("description") or planned.description)[:600])
        cameras.append(src.get("camera") if src.get("camera") in Camera._value2member_map_ else planned.camera)
        minimum = src.get("duration")
        minimums.append(float(minimum) if isinstance(minimum, int | float) else opts.default_seconds)
    if opts.target_seconds:
        narrations, seconds = timed(narrations, language, opts)
    else:
        seconds = [
            scene_seconds(n, language, min(max(m, MIN_SECONDS), 8.0), opts.fps)
            for n, m in zip(narrations, minimums, strict=True)
        ]
    descriptions = distinct_descriptions(descriptions)
    scenes = build_scenes(descriptions, narrations, seconds, cameras, opts.seed)
    title = draft.title.strip()
    title = make_title(title) if title and is_in_language(title, language) else plan.title
    style = draft.style.strip() if len(fingerprint(draft.style).split()) >= 2 else opts.style
    characters, names = [], set()
    for c in draft.characters:
        name = str(c.get("name") or "").strip()[:80]
        if name and name.lower() not in names:
            names.add(name.lower())
            characters.append(Character(name=name, look=str(c.get("look") or "")[:400]))
    return Storyboard(title=title, language=language, style=style, characters=characters, scenes=scenes)
