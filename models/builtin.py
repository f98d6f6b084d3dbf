"""Storyreel's own engines, registered through the same hook a plug-in uses."""

from __future__ import annotations

from typing import Any

from models.registry import EngineContext, Registry


def _animatic(preset: dict[str, Any], context: EngineContext):
    from models.video.animatic import AnimaticEngine

    return AnimaticEngine()


def _diffusion(preset: dict[str, Any], context: EngineContext):
    # Imported when a diffusion preset is built, so a studio on the animatic never imports torch/diffusers.
    from models.video.diffusion import build_engine

    return build_engine(preset, context.models_dir, getattr(context, "frames_dir", None))


def register(registry: Registry) -> None:
    registry.register_video_engine("animatic", _animatic)
    registry.register_video_engine("diffusion", _diffusion)
