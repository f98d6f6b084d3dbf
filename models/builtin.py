"""Storyreel's own parts, registered through the same `register(registry)` hook a plug-in uses.

Every factory imports its module when it is called, so a studio that never builds a part never imports it
(the animatic studio never imports torch or diffusers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.registry import EngineContext, Registry


# -- video engines -----------------------------------------------------------------------------------------
def _animatic(preset: dict[str, Any], context: EngineContext):
    from models.video.animatic import AnimaticEngine

    return AnimaticEngine()


def _diffusion(preset: dict[str, Any], context: EngineContext):
    from models.video.diffusion import build_engine

    return build_engine(preset, context.models_dir, getattr(context, "frames_dir", None))


# -- storyboard writers ------------------------------------------------------------------------------------
def _planner(preset: dict[str, Any], context: EngineContext):
    from models.writers.base import PlannerWriter

    return PlannerWriter()


def _llm(preset: dict[str, Any], context: EngineContext):
    from models.writers.llm import LLMOptions, LLMWriter

    options = LLMOptions(**{k: v for k, v in preset.items() if k in LLMOptions.model_fields})
    cache = Path(context.models_dir) / "storyboard" if context.models_dir is not None else None
    return LLMWriter(options, base_dir=context.base_dir, cache_dir=cache)


# -- narration voices --------------------------------------------------------------------------------------
def _user_path(value: str | None, base_dir: Path | None) -> Path | None:
    """A path from settings.toml: relative ones are relative to the settings file's folder."""
    if not value or not str(value).strip():
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() or base_dir is None else (base_dir / path).resolve()


def _voices(options: dict[str, Any], context: EngineContext):
    """auto | piper | espeak | none: a Narrator holding the voices of that kind, tried in order by language."""
    from models.narrator import build_narrator

    return build_narrator(
        options["kind"], _user_path(options.get("piper_voice"), context.base_dir), speed=options.get("speed", 1.0)
    )


# -- music sources -----------------------------------------------------------------------------------------
def _music(options: dict[str, Any], context: EngineContext):
    from models.music import MusicSource

    return MusicSource(options["kind"])


# -- safety checks -----------------------------------------------------------------------------------------
def _rules_check(options: dict[str, Any], context: EngineContext):
    from models.safety.rules import RulesCheck

    return RulesCheck()


def _semantic_check(options: dict[str, Any], context: EngineContext):
    """The semantic layer with the embedder preset `options["embedder"]` names (in `options["embedders"]`),
    built through the registry, and the semantic data trained for it: the preset's `semantic_model`, or
    the bundled models/safety/data/semantic-<kind>.npz. A preset with `confirm` is a cascade: the confirming
    preset's embedder (built now, its weights loaded at its first use) decides what this one flags, with the
    thresholds of the preset's `cascade_model` (default: the bundled cascade-<kind>-<confirm's kind>.npz)."""
    from models.registry import load_registry
    from models.safety.semantic import SemanticCheck, SemanticModel, cascade_file, model_file

    presets = options.get("embedders") or {}
    name = options.get("embedder", "use")
    preset = dict(presets.get(name) or {"kind": name})
    registry = context.registry or load_registry(plugins=False)

    def part(preset_name: str, preset: dict):
        embedder = registry.build("embedder", {**preset, "name": preset_name}, context)
        path = _user_path(preset.get("semantic_model"), context.base_dir) or model_file(preset["kind"])
        return embedder, SemanticModel(path, embedder=embedder)

    embedder, model = part(name, preset)
    similarity = options.get("example_similarity") or preset.get("example_similarity")  # None: the embedder's
    if not preset.get("confirm"):
        return SemanticCheck(embedder, model, example_similarity=similarity)
    from models.safety.cascade import CascadeCheck, CascadeModel

    confirm = dict(presets[preset["confirm"]])
    confirm_embedder, confirm_model = part(preset["confirm"], confirm)
    path = _user_path(preset.get("cascade_model"), context.base_dir) or cascade_file(preset["kind"], confirm["kind"])
    cascade = CascadeModel(path, model, confirm_model)
    return CascadeCheck(embedder, model, confirm_embedder, cascade, example_similarity=similarity)


def _opennsfw_check(options: dict[str, Any], context: EngineContext):
    from models.safety.image import OpenNSFWCheck

    return OpenNSFWCheck()


def _no_image_check(options: dict[str, Any], context: EngineContext):
    return None  # "none": keyframes are not checked


# -- sentence embedders (the semantic check's) ---------------------------------------------------------------
def _e5(options: dict[str, Any], context: EngineContext):
    from models.embedder import E5Embedder

    return E5Embedder()


def _use(options: dict[str, Any], context: EngineContext):
    from models.embedder import USEEmbedder

    return USEEmbedder(threads=int(options.get("threads", 1)))


def register(registry: Registry) -> None:
    registry.register_video_engine("animatic", _animatic)
    registry.register_video_engine("diffusion", _diffusion)
    registry.register_writer("planner", _planner)
    registry.register_writer("llm", _llm)
    for kind in ("auto", "piper", "espeak", "none"):
        registry.register_voice(kind, _voices)
    for kind in ("library", "procedural", "file", "none"):
        registry.register_music_source(kind, _music)
    registry.register_text_check("rules", _rules_check)
    registry.register_text_check("semantic", _semantic_check)
    registry.register_image_check("opennsfw", _opennsfw_check)
    registry.register_image_check("none", _no_image_check)
    registry.register_embedder("e5", _e5)
    registry.register_embedder("use", _use)
