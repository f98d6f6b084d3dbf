"""The planner's clean-up of a model's draft (`refine`): the same beats, grounding and timing as the
planner's own storyboards, so an invented scene is dropped and a dropped event gets the planner's scene."""

from __future__ import annotations

from pydantic import BaseModel, Field

from models.storyboard import (
    MAX_SCENES,
    MIN_SECONDS,
    Camera,
    Character,
    Storyboard,
    detect_language,
    fingerprint,
    is_in_language,
    near_duplicate,
)
from models.writers.grounding import Grounding
from models.writers.narration_timing import scene_seconds, timed
from models.writers.planner import PlannerOptions, build_scenes, clean_idea, distinct_descriptions, plan_storyboard
from models.writers.titles import CJK_ANY, make_title


# -- clean-up around a model -------------------------------------------------------------------------------
class Draft(BaseModel):
    """What a model wrote, before clean-up: any field may be empty, wrong-language or repeated."""

    title: str = ""
    style: str = ""
    characters: list[dict] = Field(default_factory=list)
    scenes: list[dict] = Field(default_factory=list)


def _usable_scenes(scenes: list[dict]) -> list[dict]:
    """Scenes with an English description that differs from every earlier one (tiny models repeat)."""
    kept: list[dict] = []
    for raw in scenes:
        desc = str(raw.get("description") or "").strip()
        if len(fingerprint(desc)) < 8 or is_in_language(desc, "zh") or CJK_ANY.search(desc):
            continue
        if any(near_duplicate(desc, str(k["description"])) for k in kept):
            continue
        kept.append({**raw, "description": desc})
    return kept


def refine(idea: str, draft: Draft, options: PlannerOptions | None = None, final: bool = True) -> Storyboard:
    """The storyboard a model's draft becomes after the planner's clean-up: the same beats and grounding
    checks as the planner's own storyboards.

    A model's scene is kept when it is grounded (names something of the idea, a character's look included)
    and not a repeat; an invented, unrelated scene is dropped; each of the idea's events that no kept scene
    shows gets the planner's scene for it, in order. Narration stays in the idea's language (the planner's
    line for that beat where the model wrote another language or repeated itself); descriptions stay
    English; scenes are timed narration-first within the count bounds. `final=False` cleans a partial draft
    while it streams: the model's distinct scenes so far, no grounding, no filling."""
    opts = options or PlannerOptions()
    text = clean_idea(idea)
    language = detect_language(text)
    usable = _usable_scenes(draft.scenes)
    plan = plan_storyboard(text, opts)
    looks: dict[str, str] = {}
    for c in draft.characters:  # the first look given for a name counts, as in the story bible below
        looks.setdefault(str(c.get("name") or "").strip().lower(), str(c.get("look") or ""))
    if not final:
        count = max(1, min(len(usable), MAX_SCENES))
        chosen = [(raw, None) for raw in usable[:count]] or [({}, 0)]
    else:
        chosen = _grounded_with_beats(usable, plan, looks)
        chosen = _within_bounds(chosen, plan, opts, language)
    narrations, descriptions, cameras, minimums, facts, roles = [], [], [], [], [], []
    for raw, planned_index in chosen:
        planned = plan.scenes[
            planned_index if planned_index is not None else min(len(narrations), len(plan.scenes) - 1)
        ]
        narration = str(raw.get("narration") or "").strip()
        if not is_in_language(narration, language) or any(near_duplicate(narration, n) for n in narrations):
            narration = planned.narration
        narrations.append(narration[:400])
        descriptions.append(str(raw.get("description") or planned.description)[:600])
        camera = raw.get("camera")
        cameras.append(camera if camera in Camera._value2member_map_ else planned.camera)
        minimum = raw.get("duration")
        minimums.append(float(minimum) if isinstance(minimum, int | float) else opts.default_seconds)
        facts.append(planned.facts)
        roles.append(planned.role)
    if opts.target_seconds:
        narrations, seconds = timed(narrations, language, opts)
    else:
        seconds = [
            scene_seconds(n, language, min(max(m, MIN_SECONDS), 8.0), opts.fps)
            for n, m in zip(narrations, minimums, strict=True)
        ]
    descriptions = distinct_descriptions(descriptions)
    scenes = build_scenes(descriptions, narrations, seconds, cameras, opts.seed)
    scenes = [s.model_copy(update={"facts": f, "role": r}) for s, f, r in zip(scenes, facts, roles, strict=True)]
    title = draft.title.strip()
    title = make_title(title) if title and is_in_language(title, language) else plan.title
    style = draft.style.strip() if len(fingerprint(draft.style).split()) >= 2 else plan.style
    characters, names = [], set()
    for c in draft.characters:
        name = str(c.get("name") or "").strip()[:80]
        if name and name.lower() not in names:
            names.add(name.lower())
            characters.append(Character(name=name, look=str(c.get("look") or "")[:400]))
    characters = characters or plan.characters
    return Storyboard(
        title=title,
        language=language,
        style=style,
        characters=characters[:12],
        scenes=scenes,
        genre=plan.genre,
        sources=plan.sources,
    )


def _grounded_with_beats(usable: list[dict], plan: Storyboard, looks: dict[str, str]) -> list[tuple[dict, int | None]]:
    """The model's grounded scenes in order, each tagged with the plan scene it shows (an event it covers),
    and the plan's scene for every event no kept scene shows, at its place in the order."""
    ground = Grounding(plan)
    kept = [raw for raw in usable if ground.grounded(str(raw["description"]), looks)]
    out: list[tuple[dict, int | None]] = []
    k = 0
    for e, (plan_index, _words) in enumerate(ground.events):
        hit = next((j for j in range(k, len(kept)) if ground.covers(str(kept[j]["description"]), looks, e)), None)
        if hit is None:
            out.append(({}, plan_index))  # the model dropped this event: the planner's scene shows it
            continue
        out += [(raw, None) for raw in kept[k:hit]]  # grounded scenes between two events stay
        out.append((kept[hit], plan_index))
        k = hit + 1
    out += [(raw, None) for raw in kept[k:]]
    return out


def _within_bounds(chosen: list, plan: Storyboard, opts: PlannerOptions, language: str) -> list:
    """The count the planner would give (target length, or min/max scenes): the plan's own added shots fill
    a short draft; a long one loses the model's scenes that show no event, then the last ones."""
    if opts.target_seconds:
        lo = hi = len(plan.scenes)
    else:
        lo, hi = min(opts.min_scenes, opts.max_scenes), opts.max_scenes
    used = {i for _, i in chosen if i is not None}
    extras = [i for i, s in enumerate(plan.scenes) if i not in used]
    while len(chosen) < lo and extras:
        i = extras.pop(0)
        at = 0 if i == 0 else len(chosen)
        chosen.insert(at, ({}, i))
    while len(chosen) > hi:
        spare = next((j for j in range(len(chosen) - 1, -1, -1) if chosen[j][1] is None), len(chosen) - 1)
        chosen.pop(spare)
    return chosen
