"""Stage 3, shots: Storyboard + render settings → one Shot per scene, what one engine call needs."""

from __future__ import annotations

from app.settings import Settings
from models.storyboard import Storyboard
from models.video.base import Shot
from models.video.diffusion import chain_frame_name
from models.writers.prompts import NEGATIVE_PROMPT, is_multilingual, scene_prompt


def make_shots(settings: Settings, board: Storyboard, quality: str | None = None) -> list[Shot]:
    """One Shot per scene: the scene (its facts included) plus the project's render settings, the engine
    preset's steps and guidance, and the story bible. A draft is smaller and takes fewer steps; it is its
    own cached clip. With a chaining preset each scene starts from the previous scene's last frame."""
    r, v = settings.render, settings.video
    quality = quality or v.quality
    width, height = r.frame_size()
    preset = v.presets[v.engine].model_dump()
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
                engine=v.engine,
                facts=scene.facts,
            )
        )
    return shots
