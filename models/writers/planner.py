"""The deterministic planner: idea → storyboard with no model at all (the storyboard writer on a machine
without a GPU).

It reads the idea (models/writers/idea_reading.py: studio instructions out, one beat per event in order, scene
facts per beat through the bilingual lexicon), picks the genre's arc (a built-in template, or the nearest of
the creator's past storyboards when a retriever is given), sizes the scene count to the target length,
composes each scene's English description from its facts, keeps narration in the idea's language, and
times each scene by its narration. LLM writers' drafts go through the same beats and grounding (`refine`).
About 530 lines, over the usual 400, because llm.py imports the timing helpers and the clean-up from here by
name, and titles and narration timing (whole clauses, lengths shared by need) belong with them.
"""

from __future__ import annotations

import math
import re
import unicodedata

from pydantic import BaseModel, Field

from models.errors import UserError
from models.storyboard import (
    MAX_SCENES,
    MIN_SECONDS,
    Camera,
    Character,
    Genre,
    Scene,
    Storyboard,
    Transition,
    detect_language,
    fingerprint,
    is_in_language,
    near_duplicate,
)
from models.writers import arrange, framing, idea_reading
from models.writers.facts_en_scene import time_lead
from models.writers.genres import Template, detect_genre, template_for, template_from_board
from models.writers.grounding import Grounding
from models.writers.lexicon import default_lexicon
from models.writers.zh_words import strip_transitions

MAX_IDEA_CHARS = 4000

# Speaking rates used to time narration (measured averages for calm narration).
ZH_CHARS_PER_SECOND = 4.5
EN_WORDS_PER_SECOND = 2.6
NARRATION_PAD_SECONDS = 0.6

# Camera moves along a story arc: establish wide, move in, follow, pull out at the end.
ARC_CAMERAS = [Camera.AERIAL, Camera.PUSH_IN, Camera.TRACKING, Camera.PAN_RIGHT, Camera.PUSH_IN, Camera.PAN_LEFT]
SHOT_PHRASES = {
    Camera.AERIAL: "Wide aerial establishing shot",
    Camera.PUSH_IN: "Slow push-in close-up",
    Camera.TRACKING: "Tracking shot",
    Camera.PAN_RIGHT: "Medium shot, panning right",
    Camera.PAN_LEFT: "Medium shot, panning left",
    Camera.PULL_OUT: "Slow pull-out wide shot",
    Camera.STATIC: "Static shot",
}

DEFAULT_STYLE = "cinematic, soft natural light, rich colour"
# Scene lengths the planner aims for when it has a target length to divide.
SHORTEST_SCENE, LONGEST_SCENE = 3.0, 8.0
# Said of a scene to tell it from another that would otherwise read the same (angles, not story words).
POSITION_PHRASES = ["from a low angle", "from behind", "from the side", "from above", "through a doorway"]
SCENE_SECONDS = 4.5  # the scene length a target length is divided by (3–6 s a scene)

_LOWER_FIRST = {"A", "An", "The", "He", "She", "It", "They", "We", "His", "Her", "Their", "Its", "Our", "Then", "And"}
_CJK_ANY = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n+")
_CLAUSE = re.compile(r"(?<=[,，、])\s*")


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


def speaking_seconds(narration: str, language: str) -> float:
    """How long the narration takes to speak, by characters (Chinese) or words (English)."""
    if language == "zh":
        spoken = sum(1 for ch in narration if unicodedata.category(ch)[0] in "LN")
        return spoken / ZH_CHARS_PER_SECOND
    return len(re.findall(r"[\w']+", narration)) / EN_WORDS_PER_SECOND


def scene_seconds(narration: str, language: str, minimum: float, fps: int) -> float:
    """At least the narration plus a pad, clamped to 1–30 s and snapped up to the frame grid."""
    seconds = max(minimum, speaking_seconds(narration, language) + NARRATION_PAD_SECONDS if narration else 0)
    seconds = min(30.0, max(1.0, seconds))
    return min(30.0, math.ceil(seconds * fps - 1e-9) / fps)


def split_beats(text: str) -> list[str]:
    beats = [b.strip() for b in _SENTENCE_END.split(text) if b and b.strip()]
    return beats or [text]


def scene_count(beats: int, lo: int, hi: int, target_seconds: float | None, preferred: int | None = None) -> int:
    """How many scenes: with a target length, about 4.5 s each (15 s → 3–4, 60 s → 10–15), never fewer
    than the idea has events while scenes stay 2.5 s or longer; without one, the idea's events plus the
    arc's opening and closing shots (`preferred`), within [lo, hi]."""
    if target_seconds:
        lo_t = max(1, math.ceil(target_seconds / 6 - 1e-9))
        hi_t = max(lo_t, math.ceil(target_seconds / 4 - 1e-9))
        n = min(max(round(target_seconds / SCENE_SECONDS), lo_t), hi_t)
        n = max(n, min(beats, math.floor(target_seconds / 2.5)), min(lo, 3))
        return max(1, min(n, MAX_SCENES))
    return max(lo, min(hi, preferred or beats))


def trim_narration(narration: str, language: str, seconds: float) -> str:
    """The narration cut (at a clause or word boundary where possible) to what can be spoken in `seconds`."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    if language == "zh":
        keep = max(4, int(seconds * ZH_CHARS_PER_SECOND))
        cut = narration[:keep]
        clause = max(cut.rfind(p) for p in "，、；,;")
        cut = cut[: clause + 1] if clause >= keep // 2 else cut
        return cut.rstrip("，、；,; ") + "……"
    words = narration.split()
    keep = max(3, int(seconds * EN_WORDS_PER_SECOND))
    if len(words) <= keep:  # a word or two over by the clock, yet whole: not cut
        return narration
    cut = " ".join(words[:keep])
    clause = max(cut.rfind(p) for p in ",;:")
    cut = cut[:clause] if clause >= len(cut) // 2 else cut
    return cut.rstrip(",;: ") + "…"


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


def camera_for(index: int, count: int) -> Camera:
    """Camera moves along a story arc: establish wide, move in, follow, pull out at the end."""
    return Camera.PULL_OUT if index == count - 1 and index > 0 else ARC_CAMERAS[index % len(ARC_CAMERAS)]


def scene_seed(base: int, index: int) -> int:
    return (base + 1009 * (index + 1)) % (2**31 - 1)


def whole_clauses(narration: str, language: str, seconds: float) -> str:
    """As many of the narration's whole clauses as can be spoken in `seconds` (at least the first one, kept
    whole: a line is never cut mid-word or mid-clause), ended as a sentence."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    clauses = [c for c in re.split(r"(?<=[，、；。！？,;.!?])\s*", narration) if c.strip()]
    lead = time_lead(narration)[0] if language != "zh" else ""
    if lead and len(clauses) > 1 and clauses[0].rstrip(", ") == lead:
        # "On a rainy evening," alone was a whole line; when is said with what happens then
        clauses = [f"{clauses[0]} {clauses[1]}", *clauses[2:]]
    kept = clauses[0]
    for clause in clauses[1:]:
        if speaking_seconds(kept + clause, language) > seconds:
            break
        kept += clause if language == "zh" else " " + clause
    if kept == narration:
        return narration
    kept = kept.rstrip("，、；,; ")
    if language == "zh":
        return kept if kept.endswith(("。", "！", "？")) else kept + "。"
    return kept if kept.endswith((".", "!", "?")) else kept + "."


def whole_words(narration: str, language: str, seconds: float) -> str:
    """The narration's first words that can be spoken in `seconds`, cut between words (Chinese words as the
    word splitter reads them), never inside one."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    if language != "zh":
        return trim_narration(narration, language, seconds)
    limit = max(4, int(seconds * ZH_CHARS_PER_SECOND))
    return "".join(_cut_words(narration, limit)).rstrip("，、；,; ") + "……"


def fill_length(needs: list[float], total: float) -> list[float]:
    """Scene lengths summing to `total` where the narration allows: each at least what its narration needs,
    the time left shared so that the shortest scenes grow first (water-filling)."""
    if sum(needs) >= total:
        return list(needs)
    order = sorted(needs)
    level, left = 0.0, total
    for k, need in enumerate(order):
        level = left / (len(order) - k)
        if need <= level:
            break
        left -= need
    return [max(need, level) for need in needs]


def timed(narrations: list[str], language: str, opts: PlannerOptions) -> tuple[list[str], list[float]]:
    """Narration-first timing: each scene lasts at least as long as its narration takes to speak.

    With a target length, the length is shared so that every scene's narration is spoken whole (a scene
    with more to say gets more time); where the lines cannot fit, a scene keeps its first whole clauses, so
    the film keeps about the length the creator asked for and no line is cut mid-word."""
    if not opts.target_seconds:
        return narrations, [scene_seconds(n, language, opts.default_seconds, opts.fps) for n in narrations]
    share = opts.target_seconds / max(1, len(narrations))
    pad = NARRATION_PAD_SECONDS
    needs = [speaking_seconds(n, language) + pad if n else 0.0 for n in narrations]
    if sum(needs) > opts.target_seconds:  # too much to say: the longest lines keep their first clauses
        room = max(
            share, (opts.target_seconds - sum(min(x, share) for x in needs)) / max(1, sum(x > share for x in needs))
        )
        narrations = [whole_clauses(n, language, max(0.5, room - pad)) for n in narrations]
        needs = [speaking_seconds(n, language) + pad if n else 0.0 for n in narrations]
        if sum(needs) > 1.2 * opts.target_seconds:  # one clause longer than the film allows: whole words kept
            narrations = [whole_words(n, language, max(0.5, room - pad)) for n in narrations]
            needs = [speaking_seconds(n, language) + pad if n else 0.0 for n in narrations]
    lengths = fill_length([max(x, 1.0) for x in needs], opts.target_seconds)
    return narrations, [
        scene_seconds(n, language, length, opts.fps) for n, length in zip(narrations, lengths, strict=True)
    ]


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


def make_title(text: str) -> str:
    """A short title from a heading or the idea's first sentence: never cut mid-word (a longer one keeps its
    first clause, or its first words)."""
    title = text.strip().rstrip("。.!！?？…;；,，:：")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in title):
        # An idea of punctuation and digits ("../../etc/passwd", "!!! 123") still gets a title to show.
        title = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN ").strip() or "Untitled"
    title = title[:1].upper() + title[1:]  # "how a rainbow forms", a topic read from an instruction
    if len(title) <= 40:
        return title
    if _CJK_ANY.search(title):
        first = re.split(r"[，。；：、,;:]", title)[0]
        return first if len(first) <= 20 else "".join(_cut_words(first, 20))
    first = re.split(r"\s*[,;:]\s*|\s+(?:who|which|that|and|then|but|when)\s+", title)[0]
    if len(first) > 40:
        first = title[:41].rsplit(" ", 1)[0]
        # never end inside the phrase that was cut ("plays in an empty", "finds a message in a"): back to
        # before its preposition when that leaves most of the title
        lead = (
            r"\s+(?:in|of|to|with|on|at|for|by|from|into|before|after|while|as|until|when|over|under|through|across)\s"
        )
        cuts = [m.start() for m in re.finditer(lead, first, flags=re.I) if m.start() >= len(first) // 2]
        first = first[: cuts[-1]] if cuts else first
        ends = r"a|an|the|and|his|her|their|its|in|of|to|with|on|at|for|by|from|into|before|after|while|as|until|when"
        first = re.sub(rf"(\s+(?:{ends}))+$", "", first, flags=re.I)
    return first.strip(" ,;:")


def _cut_words(text: str, limit: int) -> list[str]:
    out: list[str] = []
    for word in default_lexicon().cut(text):
        if len("".join(out)) + len(word) > limit:
            break
        out.append(word)
    return out


def story_title(reading) -> str:
    """A Chinese story's title from who and what it is about, in the creator's words: its main subject and
    the next one it meets ("小女孩与小鸟"), else the thing it last deals with ("小狐狸与苹果"), else its
    place ("雪地里的小狐狸"); '' when the idea names no subject (the caller falls back to its first clause)."""
    clauses = reading.clauses
    if len(clauses) == 1 and len(clauses[0]) <= 12:  # "猫咪睡觉", "下雨了": a short idea is its own title
        return clauses[0].rstrip("。！？")
    main = reading.cast.main
    if main is None or not main.zh:
        first = re.sub(r"^[，、\s]+", "", strip_transitions(clauses[0] if clauses else "")[0])
        return first.rstrip("。！？") if 2 <= len(first) <= 16 else ""
    others = [
        p
        for p in reading.cast.people.values()
        if p.zh and p.zh not in main.zh and main.zh not in p.zh and p.zh not in ("她", "他", "它")
    ]
    beings = [p for p in others if p.kind in ("person", "animal")]
    things = [
        p for p in reading.cast.mentions if p.zh and p.kind != "person" and p.zh not in main.zh and p not in beings
    ]
    other = beings[0] if beings else things[-1] if things else None
    if other is not None:
        return f"{main.zh}与{other.zh}"  # "她与蝴蝶" reads as a title; "她" alone does not
    if main.zh in ("她", "他", "它", "我", "我们"):
        first = re.sub(r"^[，、\s]+", "", strip_transitions(clauses[0] if clauses else "")[0])
        return first.rstrip("。！？") if 2 <= len(first) <= 16 else ""
    place = next((f.setting_zh for f in reading.facts if f.setting_zh), "")
    return f"{place}的{main.zh}" if place else main.zh


_THE_NAME = re.compile(r"\b[Tt]he ((?:Old|Xiao) [A-Z][a-zü]+|A-[A-Z][a-zü]+)\b")


def _named(description: str) -> str:
    """A person called by name is never "the Old Chen" (descriptions put "the" before every character)."""
    return _THE_NAME.sub(r"\1", description)


def en_story_title(reading) -> str:
    """An English story's title from its main subject and the next being it meets ("The Shy Robot and the
    Lost Kitten"), as story_title does for Chinese; '' without a main subject."""
    main = reading.cast.main
    if main is None or main.kind not in ("person", "animal"):
        return ""
    others = [p for p in reading.cast.people.values() if p.kind in ("person", "animal") and p.name != main.name]
    names = [main.name] + [p.name for p in others[:1] if p.name not in main.name and main.name not in p.name]
    title = " and the ".join(names)
    return "The " + " ".join(w if w in ("and", "the", "of") else w.capitalize() for w in title.split())


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
        if len(fingerprint(desc)) < 8 or is_in_language(desc, "zh") or _CJK_ANY.search(desc):
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
