"""The deterministic planner: idea → storyboard with no model at all (the storyboard writer on a machine
without a GPU).

It reads the idea (models/writers/idea_reading.py: studio instructions out, one beat per event in order, scene
facts per beat through the bilingual lexicon), picks the genre's arc (a built-in template, or the nearest of
the creator's past storyboards when a retriever is given), sizes the scene count to the target length,
composes each scene's English description from its facts, keeps narration in the idea's language, and
times each scene by its narration (narration_timing.py). LLM writers' drafts go through the same beats and
grounding (refine.py).
"""

from __future__ import annotations

import math
import re
import unicodedata

from pydantic import BaseModel, Field

from models.errors import UserError
from models.storyboard import (
    Camera,
    Character,
    Genre,
    Scene,
    Storyboard,
    Transition,
    detect_language,
    near_duplicate,
)
from models.writers import arrange, framing, idea_reading
from models.writers.genres import Template, detect_genre, template_for, template_from_board
from models.writers.lexicon import default_lexicon
from models.writers.narration_timing import scene_count, timed
from models.writers.titles import en_story_title, make_title, story_title

MAX_IDEA_CHARS = 4000

DEFAULT_STYLE = "cinematic, soft natural light, rich colour"

# Said of a scene to tell it from another that would otherwise read the same: angles, not story words, that fit
# any place ("through a doorway" put a door into beach and park shots).
POSITION_PHRASES = ["from a low angle", "from behind", "from the side", "from above", "at eye level"]

_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n+")


class PlannerOptions(BaseModel):
    min_scenes: int = Field(3, ge=1, le=20)
    max_scenes: int = Field(8, ge=1, le=20)
    default_seconds: float = Field(4.0, ge=1.0, le=30.0)
    fps: int = Field(16, ge=1, le=60)
    seed: int = 42
    style: str = DEFAULT_STYLE
    # Length the film should have; None times every scene by its narration alone. With a length, the scene
    # count follows it (about 4.5 s a scene, up to MAX_SCENES) and min/max_scenes bound only untimed films.
    target_seconds: float | None = Field(None, ge=3.0, le=600.0)
    # The genre picked in the Create tab; None: from the idea's cues (story when it names none).
    genre: Genre | None = None
    # This creator's past storyboards (their edited versions), passed in by the caller: the nearest shapes
    # the new one's arc, scene count and style. Nothing crosses users: only what the caller passes is used.
    past: list[Storyboard] = Field(default_factory=list, max_length=200)


def clean_idea(idea: str) -> str:
    """The idea with control characters removed and whitespace collapsed; UserError when unusable."""
    if not isinstance(idea, str):
        raise UserError("idea_empty")
    if len(idea) > MAX_IDEA_CHARS * 4:
        raise UserError("idea_too_long", limit=MAX_IDEA_CHARS)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in idea)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise UserError("idea_empty")
    if len(text) > MAX_IDEA_CHARS:
        raise UserError("idea_too_long", limit=MAX_IDEA_CHARS)
    if not any(unicodedata.category(ch)[0] == "L" for ch in text):  # "？？？", "!!!", "123": nothing to film
        raise UserError("idea_no_words")
    return text


def split_beats(text: str) -> list[str]:
    beats = [b.strip() for b in _SENTENCE_END.split(text) if b and b.strip()]
    return beats or [text]


def distinct_descriptions(descriptions: list[str]) -> list[str]:
    """Each description told apart from every earlier one (near-duplicates get a position phrase)."""
    out: list[str] = []
    for i, original in enumerate(descriptions):
        text = original
        for k in range(len(POSITION_PHRASES)):  # one angle said at most: a longer list reads as noise
            if not any(near_duplicate(text, seen) for seen in out):
                break
            phrase = POSITION_PHRASES[(i + k) % len(POSITION_PHRASES)]
            # said with the shot, before the style that closes a planner's description
            body, dot, style = original.rpartition(". ")
            text = f"{body}, {phrase}. {style}" if dot else f"{original.rstrip('.')}, {phrase}"
        out.append(text)
    return out


def scene_seed(base: int, index: int) -> int:
    return (base + 1009 * (index + 1)) % (2**31 - 1)


def choose_template(text: str, language: str, genre: Genre | None, opts: PlannerOptions, retriever=None) -> Template:
    """The arc a new storyboard follows: the retriever's nearest (built-in templates and this creator's past
    storyboards) when one is given; otherwise the creator's latest past storyboard of the genre, else the
    genre's built-in template."""
    if retriever is not None:
        return retriever.choose(text, genre, opts.past)
    genre = genre or Genre.STORY
    past = [b for b in opts.past if b.genre == genre]
    return template_from_board(past[-1]) if past else template_for(genre)


def plan_storyboard(idea: str, options: PlannerOptions | None = None, retriever=None) -> Storyboard:
    """The storyboard of an idea, with no model. `retriever` (models/writers/retrieval.py) finds the nearest
    template or past storyboard by meaning; without it the genre's template is used."""
    opts = options or PlannerOptions()
    text = clean_idea(idea)
    language = detect_language(text)
    reading = idea_reading.read_idea(text, language, default_lexicon())
    # Cues are read in the story's own words: "制作一段…的短视频" is an instruction, not a process film.
    genre = opts.genre or reading.ask.genre or detect_genre(re.sub(r"制作一段|短视频|视频|短片", "", text), language)
    template = choose_template(text, language, genre, opts, retriever)
    target = opts.target_seconds or reading.ask.seconds
    lo, hi = min(opts.min_scenes, opts.max_scenes), opts.max_scenes
    events = len(reading.clauses)
    preferred = template.scene_count or max(events + (2 if events < 3 else 0) + (1 if events < 2 else 0), 1)
    count = scene_count(events, lo, hi, target, preferred)
    if target:  # room for the arc's first and last shots (an advert's hero shot and end card) if the length allows
        count = max(count, min(events + bool(template.open) + bool(template.close), math.ceil(target / 4 - 1e-9)))
    if template.scene_count and target and events <= template.scene_count:
        # a past storyboard's own count wins while it suits the length (about 4–6 s a scene)
        fits = math.ceil(target / 6 - 1e-9) <= template.scene_count <= math.ceil(target / 4 - 1e-9)
        count = template.scene_count if fits else count
    slots = arrange.arrange(reading, template, count)
    shots = framing.shots_for(slots, template)
    style = opts.style if opts.style != DEFAULT_STYLE else template.style or DEFAULT_STYLE
    descriptions = distinct_descriptions(
        [_named(framing.description(slot, shot, reading, style)) for slot, shot in zip(slots, shots, strict=True)]
    )
    timing = opts if opts.target_seconds or not target else opts.model_copy(update={"target_seconds": target})
    narrations, seconds = timed([slot.narration[:400] for slot in slots], language, timing)
    cameras = framing.cameras_for(slots, shots, template)
    scenes = build_scenes(descriptions, narrations, seconds, cameras, opts.seed)
    scenes = [
        s.model_copy(update={"facts": framing.scene_facts(slot, shot), "role": slot.role})
        for s, slot, shot in zip(scenes, slots, shots, strict=True)
    ]
    people = [Character(name=p.name[:80], look=p.look[:400]) for p in idea_reading.characters(reading.cast)]
    first_beat = split_beats(reading.ask.content)[0]
    if reading.ask.topic:
        title = ""
    elif language == "zh":
        title = story_title(reading)
    else:  # a long first sentence would be cut mid-phrase ("A shy robot … finds a broken"): name who it is about
        title = en_story_title(reading) if len(first_beat) > 40 and genre in (None, Genre.STORY) else ""
    title = title or make_title(reading.ask.topic or first_beat)
    return Storyboard(
        title=title,
        language=language,
        style=style,
        characters=people,
        scenes=scenes,
        genre=template.genre,
        sources=[template.source] if template.source else [],
    )


def build_scenes(
    descriptions: list[str], narrations: list[str], seconds: list[float], cameras: list, seed: int
) -> list[Scene]:
    """Numbered scenes from parallel lists, each with its own seed derived from the project's."""
    return [
        Scene(
            number=i + 1,
            description=d,
            narration=n,
            duration=sec,
            camera=Camera(cam),
            transition=Transition.CUT,
            seed=scene_seed(seed, i),
        )  # fmt: skip
        for i, (d, n, sec, cam) in enumerate(zip(descriptions, narrations, seconds, cameras, strict=True))
    ]


_THE_NAME = re.compile(r"\b[Tt]he ((?:Old|Xiao) [A-Z][a-zü]+|A-[A-Z][a-zü]+)\b")


def _named(description: str) -> str:
    """A person called by name is never "the Old Chen" (descriptions put "the" before every character)."""
    return _THE_NAME.sub(r"\1", description)
