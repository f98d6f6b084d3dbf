"""Stage 3, shots: Storyboard + render settings → one Shot per scene, what one engine call needs."""

from __future__ import annotations

import logging

from app.settings import Settings
from models.storyboard import Storyboard
from models.video.base import Shot
from models.video.diffusion import chain_frame_name
from models.video.finish_options import MAX_FINISHED_FPS, FinishOptions
from models.video.presets import preset_finish
from models.writers.prompts import NEGATIVE_PROMPT, is_multilingual, scene_prompt
from storage.projects import RenderChoices
from storage.tables import ClipRow

log = logging.getLogger(__name__)


def frame_size(settings: Settings, choices: RenderChoices | None = None) -> tuple[int, int]:
    """The film's (width, height): the project's aspect ratio when it chose one, else settings.toml's."""
    r = settings.render
    if choices is not None and choices.aspect:
        r = r.model_copy(update={"aspect": choices.aspect})
    return r.frame_size()


def finish_for(
    settings: Settings, choices: RenderChoices | None = None, quality: str = "final"
) -> FinishOptions | None:
    """The finishing pass of the project's shots: the engine preset's `finish` table with the project's own
    choices (Film tab) over it, for final renders only (a draft stays fast). The interpolation is lowered
    where it would pass MAX_FINISHED_FPS. None when nothing is to be done."""
    if quality != "final":
        return None
    choices = choices or RenderChoices()
    v = settings.video
    engine = choices.engine if choices.engine in v.presets else v.engine
    asked = preset_finish(v.presets[engine].model_dump()).choose(choices.interpolate, choices.upscale)
    finish = asked.for_fps(settings.render.fps)
    if finish.interpolate != asked.interpolate:
        log.info("interpolation ×%d lowered to ×%d: %d fps × %d passes the %d fps a finished clip may have",
                 asked.interpolate, finish.interpolate, settings.render.fps, asked.interpolate,
                 MAX_FINISHED_FPS)  # fmt: skip
    return finish if finish.active else None


def make_shots(
    settings: Settings, board: Storyboard, quality: str | None = None, choices: RenderChoices | None = None
) -> list[Shot]:
    """One Shot per scene: the scene (its facts included) plus the project's render settings (its own aspect
    ratio, engine and quality where it chose them), the engine preset's steps and guidance, and the story
    bible. A draft is smaller and takes fewer steps; it is its own cached clip. With a chaining preset each
    scene starts from the previous scene's last frame. A final shot carries the finishing pass (finish_for)."""
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
    finish = finish_for(settings, choices, quality)
    shots: list[Shot] = []
    for scene in board.scenes:
        # The engine writes a scene's last frame under its raw shot's hash (it never sees the finish).
        init_image = chain_frame_name(shots[-1].raw()) if preset.get("chain") and shots else None
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
                finish=finish,
            )
        )
    return shots


def clip_row(
    owner_id: int, project_id: int, scene_id: int | None, shot: Shot, file_path: str, frames: int,
    fps: float, width: int, height: int,
) -> ClipRow:  # fmt: skip
    """The row of a clip kept for a shot: a rendered clip at the shot's own size and rate, a finished one at
    what its finishing pass made of them."""
    return ClipRow(
        user_id=owner_id,
        project_id=project_id,
        scene_id=scene_id,
        shot_hash=shot.content_hash(),
        file_path=file_path,
        engine=shot.engine,
        frame_rate=fps,
        resolution=f"{width}x{height}",
        frames=frames,
        duration_sec=frames / fps,
    )
