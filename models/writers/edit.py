"""Storyboard operations: add, delete, move, split, merge and replace scenes.

Each takes a board and returns a new, validated board (scenes renumbered); the input is never changed.
A refused edit raises `UserError` with a key the studio shows in the user's language.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from models.errors import UserError
from models.storyboard import MAX_SCENES, MIN_SECONDS, Scene, Storyboard, is_in_language

MAX_INSTRUCTION_CHARS = 300
_CLAUSE_END = re.compile(r"(?<=[.!?。！？；;，,])\s*")


def scene_index(board: Storyboard, number: int) -> int:
    """The list index of scene `number`; UserError when there is no such scene."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise UserError("scene_missing", number=number, count=len(board.scenes)) from None
    if not 1 <= number <= len(board.scenes):
        raise UserError("scene_missing", number=number, count=len(board.scenes))
    return number - 1


def _rebuilt(board: Storyboard, scenes: list[Scene]) -> Storyboard:
    if not scenes:
        raise UserError("scene_last")
    if len(scenes) > MAX_SCENES:
        raise UserError("scene_limit", limit=MAX_SCENES)
    numbered = [s.model_copy(update={"number": i}) for i, s in enumerate(scenes, 1)]
    try:
        return Storyboard.model_validate({**board.model_dump(), "scenes": [s.model_dump() for s in numbered]})
    except ValidationError as err:
        first = err.errors()[0]
        raise UserError("storyboard_invalid", detail=f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def add_scene(board: Storyboard, after: int | None = None, scene: Scene | dict | None = None) -> Storyboard:
    """A new scene after scene `after` (at the end when None; 0 puts it first). Without `scene`, a copy of
    its neighbour's look with empty narration, ready to edit."""
    position = len(board.scenes) if after is None else (0 if after == 0 else scene_index(board, after) + 1)
    if scene is None:
        near = board.scenes[max(0, position - 1)]
        scene = near.model_copy(update={"narration": "", "seed": (max(s.seed for s in board.scenes) + 1009) % 2**31})
    elif isinstance(scene, dict):
        try:
            scene = Scene.model_validate({"number": 1, **scene})
        except ValidationError as err:
            first = err.errors()[0]
            raise UserError("storyboard_invalid", detail=f"{first['loc'][0]}: {first['msg']}") from None
    scenes = list(board.scenes)
    scenes.insert(position, scene)
    return _rebuilt(board, scenes)


def delete_scene(board: Storyboard, number: int) -> Storyboard:
    i = scene_index(board, number)
    return _rebuilt(board, board.scenes[:i] + board.scenes[i + 1 :])


def move_scene(board: Storyboard, number: int, to: int) -> Storyboard:
    """Scene `number` moved so that it becomes scene `to`."""
    i, j = scene_index(board, number), scene_index(board, to)
    scenes = list(board.scenes)
    scenes.insert(j, scenes.pop(i))
    return _rebuilt(board, scenes)


def _halves(text: str, language: str) -> tuple[str, str]:
    """Text cut in two at the sentence or clause boundary nearest its middle ('' for the second when none)."""
    parts = [p for p in _CLAUSE_END.split(text) if p.strip()]
    if len(parts) < 2:
        if language == "zh" or " " not in text:
            return text, ""
        words = text.split()
        if len(words) < 4:
            return text, ""
        parts = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
        return parts[0], parts[1]
    joiner = "" if language == "zh" else " "
    total, best, cut = len(text), None, 1
    for k in range(1, len(parts)):
        gap = abs(len(joiner.join(parts[:k])) - total / 2)
        if best is None or gap < best:
            best, cut = gap, k
    return joiner.join(parts[:cut]).strip(), joiner.join(parts[cut:]).strip()


def split_scene(board: Storyboard, number: int) -> Storyboard:
    """Scene `number` as two scenes: its narration divided at the boundary nearest the middle, its time
    shared in proportion, the same picture continued (the second half's seed differs)."""
    i = scene_index(board, number)
    scene = board.scenes[i]
    if scene.duration < 2 * MIN_SECONDS:
        raise UserError("scene_too_short", number=number)
    first, second = _halves(scene.narration, board.language)
    if scene.narration and not second:
        raise UserError("scene_unsplittable", number=number)
    share = len(first) / max(1, len(first) + len(second)) if second else 0.5
    d1 = max(MIN_SECONDS, min(scene.duration - MIN_SECONDS, scene.duration * share))
    a = scene.model_copy(update={"narration": first, "duration": d1})
    b = scene.model_copy(
        update={
            "narration": second,
            "duration": scene.duration - d1,
            "description": f"{scene.description.rstrip('.')}, continued",
            "description_edited": True,  # no longer what the facts compose to
            "seed": (scene.seed + 7919) % 2**31,
        }
    )
    return _rebuilt(board, board.scenes[:i] + [a, b] + board.scenes[i + 1 :])


def merge_scenes(board: Storyboard, number: int) -> Storyboard:
    """Scene `number` and the one after it as one scene: descriptions and narrations joined, times added."""
    i = scene_index(board, number)
    if i + 1 >= len(board.scenes):
        raise UserError("scene_merge_last", number=number)
    a, b = board.scenes[i], board.scenes[i + 1]
    joiner = "" if board.language == "zh" else " "
    merged = a.model_copy(
        update={
            "description": f"{a.description.rstrip('.')}; then {b.description[:1].lower()}{b.description[1:]}"[:1000],
            "description_edited": True,
            "narration": joiner.join(filter(None, [a.narration, b.narration]))[:1000],
            "duration": min(30.0, a.duration + b.duration),
        }
    )
    return _rebuilt(board, board.scenes[:i] + [merged] + board.scenes[i + 2 :])


def replace_scene(board: Storyboard, number: int, **fields: object) -> Storyboard:
    """Scene `number` with some fields changed (description, narration, duration, camera, transition, seed).
    A changed description is marked edited (Scene.description_edited), so it is kept as written."""
    i = scene_index(board, number)
    unknown = set(fields) - set(Scene.model_fields) - {"number"}
    if unknown:
        raise UserError("storyboard_invalid", detail=f"unknown scene fields: {', '.join(sorted(unknown))}")
    old = board.scenes[i]
    if (
        "description" in fields
        and str(fields["description"]).strip() != old.description
        and "description_edited" not in fields
    ):
        # a person's words: kept as written from now on, never recomposed from the scene's facts
        fields = {**fields, "description_edited": True}
    try:
        scene = Scene.model_validate({**old.model_dump(), **fields, "number": number})
    except ValidationError as err:
        first = err.errors()[0]
        raise UserError("storyboard_invalid", detail=f"{first['loc'][0]}: {first['msg']}") from None
    return _rebuilt(board, board.scenes[:i] + [scene] + board.scenes[i + 1 :])


def check_instruction(instruction: str) -> str:
    """A rewrite instruction, cleaned; UserError when empty or too long."""
    text = " ".join(str(instruction or "").split())
    if not text:
        raise UserError("instruction_empty")
    if len(text) > MAX_INSTRUCTION_CHARS:
        raise UserError("instruction_too_long", limit=MAX_INSTRUCTION_CHARS)
    return text


# Instructions the planner understands without a model, in both languages, as English prompt terms.
INSTRUCTION_TERMS = {
    "night": "at night, moonlight, deep blue shadows",
    "夜": "at night, moonlight, deep blue shadows",
    "dramatic": "dramatic lighting, high contrast, tense atmosphere",
    "戏剧": "dramatic lighting, high contrast, tense atmosphere",
    "rain": "in the rain, wet reflections",
    "雨": "in the rain, wet reflections",
    "snow": "in falling snow",
    "雪": "in falling snow",
    "sunset": "at sunset, warm golden light",
    "黄昏": "at sunset, warm golden light",
    "日落": "at sunset, warm golden light",
    "morning": "in the early morning, soft light",
    "早晨": "in the early morning, soft light",
    "happy": "cheerful mood, bright colours",
    "欢快": "cheerful mood, bright colours",
    "sad": "melancholic mood, muted colours",
    "悲伤": "melancholic mood, muted colours",
    "close": "close-up",
    "特写": "close-up",
}


def rewrite_scene_rules(board: Storyboard, number: int, instruction: str) -> Storyboard:
    """Rewrite without a model: the instruction becomes English prompt terms added to the description."""
    instruction = check_instruction(instruction)
    scene = board.scenes[scene_index(board, number)]
    lowered = instruction.lower()
    terms = list(dict.fromkeys(v for k, v in INSTRUCTION_TERMS.items() if k in lowered))
    if not terms and is_in_language(instruction, "en"):
        terms = [instruction.rstrip(".")]
    if not terms:
        raise UserError("instruction_unknown")
    description = f"{scene.description.rstrip('.')}, {', '.join(terms)}"[:1000]
    return replace_scene(board, number, description=description)
