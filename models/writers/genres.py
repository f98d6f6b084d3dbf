"""Genres and their arcs: the built-in templates (models/writers/templates/*.toml, data, not code), the cues
that pick one from an idea, and a creator's past storyboard read back as a template of its own shape."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field

from models.storyboard import Camera, Genre, ShotSize, Storyboard

TEMPLATES = Path(__file__).resolve().parent / "templates"
EVENT_ROLES = ("event", "feature", "step", "stop", "image")


class Role(BaseModel):
    shot: ShotSize = ShotSize.MEDIUM
    camera: Camera = Camera.STATIC
    description: list[str] = Field(default_factory=list)
    narration_zh: list[str] = Field(default_factory=list)
    narration_en: list[str] = Field(default_factory=list)


class Template(BaseModel):
    """An arc: the roles before the idea's events, the role of each event, the roles after, and the extra
    shots added when the length asks for more scenes than the idea has events."""

    name: str
    genre: Genre
    summary: str = ""
    style: str = ""
    cues_en: list[str] = Field(default_factory=list)
    cues_zh: list[str] = Field(default_factory=list)
    open: list[str] = Field(default_factory=list)
    close: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)
    event_role: str = "event"
    roles: dict[str, Role] = Field(default_factory=dict)
    scene_count: int | None = None  # a past storyboard's own count, used when no length is asked for
    source: str = ""  # "template:advert" or "storyboard:<title>"

    def role(self, name: str) -> Role:
        return self.roles.get(name) or self.roles.get("event") or Role()


@functools.cache
def builtin_templates() -> tuple[Template, ...]:
    shared = tomllib.loads((TEMPLATES / "roles.toml").read_text(encoding="utf-8"))
    out = []
    for path in sorted(TEMPLATES.glob("*.toml")):
        if path.name == "roles.toml":
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        roles = {name: Role(**{**shared.get(name, {}), **spec}) for name, spec in data.pop("roles", {}).items()}
        roles = {**{name: Role(**spec) for name, spec in shared.items()}, **roles}
        out.append(Template(**data, roles=roles, source=f"template:{data['name']}"))
    return tuple(out)


def template_for(genre: Genre) -> Template:
    return next((t for t in builtin_templates() if t.genre == genre), builtin_templates()[0])


def detect_genre(text: str, language: str) -> Genre | None:
    """The genre whose cues the idea names most (None when it names none: the caller decides)."""
    low = text.lower()
    best, score = None, 0
    for t in builtin_templates():
        hits = sum(low.count(c) for c in (t.cues_zh if language == "zh" else t.cues_en))
        if hits > score:
            best, score = t.genre, hits
    return best


def template_from_board(board: Storyboard) -> Template:
    """A creator's storyboard read as an arc: its opening and closing shots, the shot and camera of each
    role as they left them, its style and its scene count."""
    base = template_for(board.genre)
    roles = [s.role or base.event_role for s in board.scenes]
    events = [i for i, r in enumerate(roles) if r in EVENT_ROLES]
    first, last = (events[0], events[-1]) if events else (len(roles), len(roles) - 1)
    merged = dict(base.roles)
    for scene, role in zip(board.scenes, roles, strict=True):
        known = merged.get(role, Role())
        merged[role] = known.model_copy(update={"shot": scene.facts.shot, "camera": scene.camera})
    return base.model_copy(
        update={
            "name": board.title,
            "style": board.style or base.style,
            "open": roles[:first],
            "close": roles[last + 1 :],
            "extra": [r for r in roles[first : last + 1] if r not in EVENT_ROLES] or base.extra,
            "event_role": roles[first] if events else base.event_role,
            "roles": merged,
            "scene_count": len(board.scenes),
            "source": f"storyboard:{board.title}",
        }
    )
