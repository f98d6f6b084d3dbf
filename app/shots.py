"""Stage 3, shots: Storyboard + render settings → one Shot per scene, what one engine call needs."""

from __future__ import annotations

from app.settings import Settings
from models.storyboard import Storyboard
from models.video.base import Shot
from models.video.diffusion import chain_frame_name
from models.writers.prompts import NEGATIVE_PROMPT, is_multilingual, scene_prompt
from storage.projects import RenderChoices


def frame_size(settings: Settings, choices: RenderChoices | None = None) -> tuple[int, int]:
    """The film's (width, height): the project's aspect ratio when it chose one, else settings.toml's."""
    r = settings.render
    if choices is not None and choices.aspect:
        r = r.model_copy(update={"aspect": choices.aspect})
    return r.frame_size()


def make_shots(
    settings: Settings, board: Storyboard, quality: str | None = None, choices: RenderChoices | None = None
) -> list[Shot]:
    """One Shot per scene: the scene (its facts included) plus the project's render settings (its own aspect
    ratio, engine and quality where it chose them), the engine preset's steps and guidance, and the story
    bible. A draft is smaller and takes fewer steps; it is its own cached clip. With a chaining preset each
    scene starts from the previous scene's last frame."""
    r, v = settings.render, settings.video
    choices = choices or RenderChoices()
    quality = quality or choices.quality or v.quality
    width, height = frame_size(settings, choices)
    engine = choices.engine if choices.engine in v.presets else v.engine
    preset = v.presets[engine].model_dump()
    steps, guidance = int(preset.get("steps") or 0), float(preset.get("guidance") or 0.0)
    if quality == "draft" and steps:
        scale = float(preset.get("draft_scale") or 0.5)
        width, height = max(64, round(width * scale / 16) * 16), max(64, round(height * scale / 16) * 16)
        steps = int(preset.get("draft_steps") or max(1, steps // 2))
    multilingual = is_multilingual(preset)
    shots: list[Shot] = []
    for scene in board.scenes:
        init_image = chain_frame_name(shots[-1]) if preset.get("chain") and shots else None
        shots.append(
            Shot(
                prompt=scene_prompt(board, scene, multilingual),
                negative_prompt=NEGATIVE_PROMPT,
                caption=f"{scene.number}. {scene.narration or scene.description}",
                camera=scene.camera.value,
                width=width,
                height=height,
                fps=r.fps,
                frames=max(1, round(scene.duration * r.fps)),
                steps=steps,
                guidance=guidance,
                seed=scene.seed,
                init_image=init_image,
                engine=engine,
                facts=scene.facts,
                # A draft is its own clip only where it differs (an engine with steps); the animatic's is the final.
                quality=quality if steps else "final",
            )
        )
    return shots
