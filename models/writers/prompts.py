"""Video prompts from a storyboard scene and the project's story bible.

The story bible (global style and every character's look) is written once per project and carried into
every scene's prompt, so the same girl wears the same red coat in scene 1 and scene 6. A prompt is:
description + characters + style + camera phrasing + quality terms; the negative prompt is shared.

English-only text encoders (LTX-Video's and CogVideoX's T5) get English only: Chinese names and narration
are left out. Multilingual encoders (Wan's UMT5) also get the narration in the creator's language.
"""

from __future__ import annotations

import re

from models.storyboard import Camera, Scene, Storyboard

CAMERA_PHRASES = {
    Camera.STATIC: "static camera, steady framing",
    Camera.PUSH_IN: "slow dolly push-in toward the subject",
    Camera.PULL_OUT: "slow pull-out revealing the surroundings",
    Camera.PAN_LEFT: "smooth camera pan to the left",
    Camera.PAN_RIGHT: "smooth camera pan to the right",
    Camera.TRACKING: "tracking shot following the subject",
    Camera.AERIAL: "aerial drone shot from high above",
}
QUALITY_TERMS = "highly detailed, coherent motion, cinematic composition, high quality"
NEGATIVE_PROMPT = (
    "blurry, low quality, distorted, watermark, text, subtitles, logo, jpeg artifacts, deformed, "
    "extra limbs, flicker, frozen frame"
)
# Engine kinds whose text encoder reads Chinese as well as English.
MULTILINGUAL_KINDS = ("wan",)
_NON_LATIN = re.compile(r"[^\x00-\x7f]+")


def english_only(text: str) -> str:
    """Text with non-ASCII runs removed and the punctuation they leave behind tidied."""
    text = _NON_LATIN.sub(" ", text)
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"([,;:])(\s*[,;:])+", r"\1", text)
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def story_bible(board: Storyboard, multilingual: bool = False, said: str = "") -> str:
    """Style and character looks, the part of every prompt that keeps the scenes consistent (leaving out
    what `said`, the scene's description, already says word for word)."""
    people = []
    for c in board.characters:
        name = c.name if multilingual else english_only(c.name)
        look = c.look if multilingual else english_only(c.look)
        if look:
            people.append(f"{name}: {look}" if name else look)
    parts = [*people, board.style if multilingual else english_only(board.style)]
    return ", ".join(p for p in parts if p and not (said and (p in said or p.split(": ", 1)[-1] in said)))


def scene_prompt(board: Storyboard, scene: Scene, multilingual: bool = False) -> str:
    description = scene.description if multilingual else english_only(scene.description)
    # The planner's descriptions already carry each look and the style word for word: not said twice.
    bible = story_bible(board, multilingual, said=description)
    parts = [description.rstrip(". "), bible, CAMERA_PHRASES[scene.camera], QUALITY_TERMS]
    prompt = ". ".join(p for p in parts if p)
    if multilingual and board.language != "en" and scene.narration:
        prompt += f". {scene.narration}"
    return prompt


def shot_prompts(board: Storyboard, multilingual: bool = False) -> list[tuple[str, str]]:
    """(prompt, negative prompt) for each scene, in order."""
    return [(scene_prompt(board, s, multilingual), NEGATIVE_PROMPT) for s in board.scenes]


def is_multilingual(preset: dict) -> bool:
    """Whether an engine preset's text encoder reads the creator's language: `multilingual_prompts` in the
    preset decides; otherwise its kind does (Wan's UMT5 does, LTX and CogVideoX T5 do not)."""
    if "multilingual_prompts" in preset:
        return bool(preset["multilingual_prompts"])
    return str(preset.get("kind", "")).startswith(MULTILINGUAL_KINDS)
