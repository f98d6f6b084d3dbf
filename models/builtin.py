"""Storyreel's own parts, registered through the same hook a plug-in uses."""

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


def _rules_check(options: dict[str, Any], context: EngineContext):
    from models.safety.rules import RulesCheck

    return RulesCheck()


def _semantic_check(options: dict[str, Any], context: EngineContext):
    from models.safety.semantic import SemanticCheck

    return SemanticCheck(example_similarity=float(options.get("example_similarity", 0.9)))


def _opennsfw_check(options: dict[str, Any], context: EngineContext):
    from models.safety.image import OpenNSFWCheck

    return OpenNSFWCheck()


def _no_image_check(options: dict[str, Any], context: EngineContext):
    return None  # "none": keyframes are not checked


def register(registry: Registry) -> None:
    registry.register_video_engine("animatic", _animatic)
    registry.register_video_engine("diffusion", _diffusion)
    registry.register_text_check("rules", _rules_check)
    registry.register_text_check("semantic", _semantic_check)
    registry.register_image_check("opennsfw", _opennsfw_check)
    registry.register_image_check("none", _no_image_check)
