"""Storyreel's own engines, registered through the same hook a plug-in uses."""

from __future__ import annotations

from typing import Any

from models.registry import EngineContext, Registry


def _animatic(preset: dict[str, Any], context: EngineContext):
    from models.video.animatic import AnimaticEngine

    return AnimaticEngine()


def register(registry: Registry) -> None:
    registry.register_video_engine("animatic", _animatic)
