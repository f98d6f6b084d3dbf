"""How good a written storyboard is. Two sets of measures: the writer's mechanics (issue 3: schema-valid,
3–8 scenes, distinct descriptions, narration in the idea's language, total length near the target) and what
a creator checks (issue 12: the idea's events in order, each in its own scene; scenes grounded in the idea;
the main subject on screen; no filler; scene count for the length). Used by tests and bench/storyboard.py."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from models.storyboard import Storyboard, fingerprint, is_in_language, near_duplicate
from models.writers.lexicon import NOUN_KINDS, default_lexicon


class Idea(BaseModel):
    id: str
    language: str
    target_seconds: float
    idea: str


class BoardQuality(BaseModel):
    idea_id: str
    valid: bool
    scenes: int
    distinct_scenes: int  # scenes whose description differs from every earlier one (not a near-duplicate)
    language_ok: int  # scenes whose narration is in the idea's language
    duration: float
    target: float

    @property
    def count_ok(self) -> bool:
        """The scene count follows the target length (about 4–6 s a scene), with at least 3 scenes a film."""
        lo, hi = scene_range(self.target)
        return lo <= self.scenes <= max(hi, 3)

    @property
    def duration_ok(self) -> bool:
        return abs(self.duration - self.target) <= 0.25 * self.target


def load_ideas(folder: Path) -> list[Idea]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [Idea(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def judge(idea: Idea, board: Storyboard) -> BoardQuality:
    try:
        Storyboard.model_validate(board.model_dump())
        valid = board.language == idea.language
    except ValidationError:
        valid = False
    seen: list[str] = []
    distinct = 0
    for s in board.scenes:
        if fingerprint(s.description) and not any(near_duplicate(s.description, d) for d in seen):
            distinct += 1
        seen.append(s.description)
    return BoardQuality(
        idea_id=idea.id,
        valid=valid,
        scenes=len(board.scenes),
        distinct_scenes=distinct,
        language_ok=sum(is_in_language(s.narration, idea.language) for s in board.scenes),
        duration=board.duration,
        target=idea.target_seconds,
    )


class Rates(BaseModel):
    boards: int
    schema_valid: float
    scene_count_ok: float
    distinct_scenes: float
    narration_language: float
    duration_within_25: float

    def line(self) -> str:
        return (
            f"boards={self.boards} schema_valid={self.schema_valid:.0%} scene_count_ok={self.scene_count_ok:.0%} "
            f"distinct_scenes={self.distinct_scenes:.1%} narration_language={self.narration_language:.0%} "
            f"duration_within_25pct={self.duration_within_25:.0%}"
        )


def rates(results: list[BoardQuality], raw_valid: list[bool] | None = None) -> Rates:
    """Rates over many boards. `raw_valid` adds whether each raw model output matched its schema."""
    n = max(1, len(results))
    scenes = max(1, sum(r.scenes for r in results))
    valid = [r.valid for r in results] + list(raw_valid or [])
    return Rates(
        boards=len(results),
        schema_valid=sum(valid) / max(1, len(valid)),
        scene_count_ok=sum(r.count_ok for r in results) / n,
        distinct_scenes=sum(r.distinct_scenes for r in results) / scenes,
        narration_language=sum(r.language_ok for r in results) / scenes,
        duration_within_25=sum(r.duration_ok for r in results) / n,
    )


# -- what a creator checks (issue 12): the idea's events, in order, each in its own scene -----------------
# Words and phrases that could belong to any film: a scene made of them tells nothing of the idea.
GENERIC_PHRASES = (
    "the world around it comes into view",
    "little by little",
    "then something changes",
    "everything comes together",
    "the story finds its ending",
    "the moment the narration tells",
    "as the story begins",
    "at the turning point",
    "moment ",
    "周围的世界渐渐展开",
    "故事一点点推进",
    "事情起了变化",
    "一切汇聚在一起",
    "故事迎来了结局",
)
_STOP = set(
    "a an the and or but of in on at to for from with by into onto over under through as is are was were be "
    "been it its he she they them his her their this that these those who which what when while then until "
    "finally one two some any all every each very just only so no not out up down about after before again "
    "make makes made video film short clip story about explain how why show teaser advert product second "
    "seconds minute our new".split()
)


def _matches(text: str, term: str) -> bool:
    """Whether `text` names `term`: alternatives split by '|', each a few words that must all appear (as word
    beginnings, so "storm" matches "storms" and "stormy")."""
    low = text.lower()
    return any(
        all(re.search(rf"\b{re.escape(word)}", low) for word in alternative.split())
        for alternative in term.lower().split("|")
        if alternative.strip()
    )


def _idea_terms(idea: AnnotatedIdea) -> list[str]:
    """What a grounded scene may name: the annotated beats and subject, and (English) the idea's own words."""
    terms = [*idea.beats, *([idea.subject] if idea.subject else [])]
    # any single annotated word counts: a scene of the city wall names the idea even without the bicycle
    terms += [w for t in list(terms) for alt in t.split("|") for w in alt.split() if len(w) > 2]
    if idea.language == "en":
        words = re.findall(r"[a-z][a-z'-]{2,}", idea.idea.lower())
        terms += [w[:5] for w in words if w not in _STOP]
    else:
        # the Chinese idea's own nouns and places, in the curated tables' English ("桂林" → Guilin), as the
        # English idea's own words count above; verbs and qualities stay out (they name no thing on screen)
        lex = default_lexicon()
        for word in lex.cut(idea.idea):
            entry = lex.zh.get(word)
            if entry is not None and entry.kind in (*NOUN_KINDS, "place") and len(entry.en) > 2:
                terms.append(entry.en)
    return terms


class AnnotatedIdea(Idea):
    """A dev-set idea with what a creator expects of it, annotated by hand."""

    genre: str = "story"
    subject: str | None = None  # the main subject's English words ("fisherman"), alternatives split by '|'
    beats: list[str] = Field(default_factory=list)  # each event's English words, in order
    split: str = "dev"


class StoryQuality(BaseModel):
    idea_id: str
    beats: int
    beats_in_order: int  # beats found, each in its own later scene than the one before
    scenes: int
    grounded: int  # scenes whose description names something from the idea
    subject_scenes: int  # scenes whose description names the main subject (0 when the idea has none)
    has_subject: bool
    filler: int  # scenes that could belong to any film
    count_ok: bool  # scene count within what the target length asks for
    seconds: float  # time to write the storyboard


def scene_range(target_seconds: float) -> tuple[int, int]:
    """How many scenes a film of this length should have: about 4–6 s a scene (15 s → 3–4, 60 s → 10–15)."""
    lo = max(1, math.ceil(target_seconds / 6 - 1e-9))
    return lo, max(lo, math.ceil(target_seconds / 4 - 1e-9))


def ordered_beats(beats: list[str], descriptions: list[str]) -> int:
    """Beats found in order, one scene each: beat k must be named by a scene after the one that named beat
    k-1 (greedy, earliest scene first)."""
    found, position = 0, 0
    for beat in beats:
        for j in range(position, len(descriptions)):
            if _matches(descriptions[j], beat):
                found, position = found + 1, j + 1
                break
    return found


def is_generic(text: str) -> bool:
    low = text.lower()
    return any(p in low for p in GENERIC_PHRASES)


def judge_story(idea: AnnotatedIdea, board: Storyboard, seconds: float) -> StoryQuality:
    descriptions = [s.description for s in board.scenes]
    terms = _idea_terms(idea)
    grounded = [any(_matches(d, t) for t in terms) for d in descriptions]
    lo, hi = scene_range(idea.target_seconds)
    return StoryQuality(
        idea_id=idea.id,
        beats=len(idea.beats),
        beats_in_order=ordered_beats(idea.beats, descriptions),
        scenes=len(board.scenes),
        grounded=sum(grounded),
        subject_scenes=sum(_matches(d, idea.subject) for d in descriptions) if idea.subject else 0,
        has_subject=bool(idea.subject),
        filler=sum(
            is_generic(s.description) or is_generic(s.narration) or not g
            for s, g in zip(board.scenes, grounded, strict=True)
        ),
        count_ok=lo <= len(board.scenes) <= max(hi, len(idea.beats)),
        seconds=seconds,
    )


def load_annotated(folder: Path, split: str | None = None) -> list[AnnotatedIdea]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(AnnotatedIdea(**json.loads(line)))
    return [r for r in rows if split is None or r.split == split]


class StoryRates(BaseModel):
    boards: int
    beat_recall: float
    grounded: float
    subject: float
    filler: int
    count_ok: float
    median_ms: float
    max_ms: float

    def line(self) -> str:
        return (
            f"boards={self.boards} beat_recall={self.beat_recall:.1%} grounded={self.grounded:.1%} "
            f"subject={self.subject:.1%} filler={self.filler} scene_count_ok={self.count_ok:.0%} "
            f"time median={self.median_ms:.1f} ms max={self.max_ms:.1f} ms"
        )


def story_rates(results: list[StoryQuality]) -> StoryRates:
    with_subject = [r for r in results if r.has_subject]
    times = sorted(r.seconds * 1000 for r in results) or [0.0]
    return StoryRates(
        boards=len(results),
        beat_recall=sum(r.beats_in_order for r in results) / max(1, sum(r.beats for r in results)),
        grounded=sum(r.grounded for r in results) / max(1, sum(r.scenes for r in results)),
        subject=sum(r.subject_scenes for r in with_subject) / max(1, sum(r.scenes for r in with_subject)),
        filler=sum(r.filler for r in results),
        count_ok=sum(r.count_ok for r in results) / max(1, len(results)),
        median_ms=times[len(times) // 2],
        max_ms=times[-1],
    )
