"""The read idea laid along a genre's arc as slots (one planned scene each, before timing): opening shots,
one scene per event, closing shots, and the arc's extra shots when the length asks for more scenes than
the idea has events (built from the idea's own subject and place, never from lines that could belong to
any film). What each genre makes of an event in English lives in genre_events.py."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from models.storyboard import Genre
from models.writers.compose import doing, handed_back, role_texts, role_values, the
from models.writers.en_grammar import verb_forms
from models.writers.facts import Cast, Facts, Person
from models.writers.facts_en_scene import time_lead
from models.writers.genre_events import feature, material, sight, someone
from models.writers.genres import Template
from models.writers.idea_reading import TOPIC_GENRES, Reading


class Slot(BaseModel):
    """One planned scene before timing."""

    role: str
    from_idea: bool
    sentence: str  # English: who does what (no place, light or shot yet)
    narration: str
    facts: Facts = Field(default_factory=Facts)


def _narrate(clause: str, facts: Facts, language: str) -> str:
    """The creator's own words; an English clause without its subject ("reads it by lamplight") is told with
    it. A clause that names its own subject, or opens with a time ("At midnight the whole square sings"),
    is said as written."""
    if language == "zh":
        return clause if clause.endswith(("。", "！", "？", "…")) else clause + "。"
    lead, body = time_lead(clause)  # "finally rides alone": Finally, the granddaughter rides alone
    words = body.split()
    line = clause
    starts_with_verb = bool(words) and words[0].lower().strip(",") in verb_forms()
    if facts.sentence and facts.subjects and starts_with_verb and facts.sentence.lower() != body.lower():
        line = f"{lead}, {facts.sentence}" if lead else facts.sentence
    line = line[:1].upper() + line[1:]
    return line if line.endswith((".", "!", "?")) else line + "."


def event_slots(reading: Reading, template: Template) -> list[Slot]:
    slots = []
    main = reading.cast.main
    for clause, facts in zip(reading.clauses, reading.facts, strict=True):
        # a Chinese clause nothing could be read from shows the film's topic or subject (no Chinese in English)
        said = reading.topic_en or (main.name if main else "")
        sentence = facts.sentence or (clause if reading.language == "en" else f"the {said}" if said else "")
        said = {facts.time, facts.season, f"{facts.season} {facts.time}".strip()}
        if facts.setting and not facts.subjects and not facts.action and (not facts.sentence or facts.sentence in said):
            # a clause that only names a place ("在西藏的高原上"): the place, with the film's subject in it
            alive = main is not None and main.kind in ("person", "animal")
            sentence = f"the {main.name} small in the distance" if alive else f"the {facts.setting}"
            if alive:
                facts = facts.model_copy(update={"subjects": [main.name]})
        topic = reading.topic_en
        if template.genre in (Genre.PROCESS, Genre.EXPLAINER) and facts.action and not facts.subjects:
            # a step said as an instruction ("和面", "fold the dough"): hands doing it, for the topic; a process
            # shows them at work, in close-up ("hands folding the edges of the dumplings")
            step = re.sub(r"\b(?:it|them)\b", f"the {topic}", sentence, count=1) if topic else sentence
            sentence = f"hands {step}" + (
                f" for {the(topic)}{topic}" if topic and topic.lower() not in step.lower() else ""
            )
            worked = material(step) if template.genre is Genre.PROCESS and reading.language == "en" else ""
            sentence += f", close on the {worked}" if worked else ""
            if not facts.setting and template.genre == Genre.PROCESS:
                facts = facts.model_copy(update={"setting": "work table", "prep": "on"})
        elif template.genre in TOPIC_GENRES and topic and topic.lower() not in sentence.lower():
            sentence = f"{topic}: {sentence}"
        elif (
            main
            and not facts.subjects
            and not facts.timelapse  # the place through the years, or in the snow: no one added to it
            and not facts.weather_only
            and main.name.lower() not in sentence.lower()
            and template.genre in (Genre.STORY, Genre.MOOD)
        ):
            # in frame: what the clause names (柿子熟了: the ripe persimmons) and the one the story follows
            named = sentence.split(",")[0].strip()
            seen = [named] if not facts.action and named and len(named.split()) <= 3 else []
            facts = facts.model_copy(update={"subjects": [*seen, main.name]})
            sentence = f"{sentence}, the {main.name} nearby"
        if facts.time and facts.time in facts.subjects:  # "早上" read as who: a time is never in frame
            facts = facts.model_copy(update={"subjects": [n for n in facts.subjects if n != facts.time]})
        if template.genre is Genre.ADVERT and topic and reading.language == "en":
            sentence, facts = feature(clause, sentence, facts, reading.cast, topic)
        if template.genre is Genre.TRAVEL and topic:
            # the place is where each stop is seen, never its subject: the stop's own sight is
            seen = sight(clause) if reading.language == "en" and not facts.subjects else ""
            if seen and seen not in facts.setting.lower():
                facts = facts.model_copy(update={"subjects": [seen]})
            elif not facts.subjects and facts.action and (busy := doing(facts.action)):
                # "吃火锅" with no one named: travellers doing it, in frame (an empty street is no stop)
                sentence = f"{topic}: travellers {busy}" if sentence.startswith(f"{topic}:") else f"travellers {busy}"
                facts = facts.model_copy(update={"subjects": ["tourists"]})
        elif template.genre in TOPIC_GENRES and topic and not facts.subjects:
            facts = facts.model_copy(update={"subjects": [topic]})  # the product or topic is what is in frame
        if template.genre == Genre.ADVERT and not facts.setting and not someone(facts, reading.cast):
            # a feature on the product is shot in the studio; a person using it ("a hiker reaching the summit")
            # is out in the world
            facts = facts.model_copy(update={"setting": "photo studio", "prep": "in"})
        slots.append(
            Slot(
                role=template.event_role,
                from_idea=True,
                sentence=sentence,
                narration=_narrate(clause, facts, reading.language),
                facts=facts,
            )
        )
    return slots


def _sight_of(near: Facts, main: Person | None, topic: str) -> str:
    return next((n for n in near.subjects if n not in (topic, near.time, main.name if main else "")), "")


def followed(main: Person | None, near: Facts, cast: Cast, before: bool = False) -> Person | None:
    """Whom an added shot follows: the main subject, or everyone doing the nearby event with them ("A boy and
    his father go fishing": the shots of "them" show both, each with their look), or what the main subject has
    become by then ("The seed becomes a tall tree": the tree; an opening shot, `before`, still the seed)."""
    if main is not None and main.name in near.became and not before:
        now = near.became[main.name]
        return cast.people.get(now) or Person(name=now, zh=near.became_zh, kind=main.kind, plural=False)
    if main is None or main.name not in near.together:
        return main
    people = [cast.people[n] for n in near.together if n in cast.people]
    if len(people) < 2 or len(people) != len(near.together):
        return main
    zh = "和".join(p.zh for p in people) if all(p.zh for p in people) else ""
    name = " and the ".join(p.name for p in people)
    return Person(name=name, zh=zh, kind=main.kind, plural=True, members=[p.name for p in people])


def extra_slot(
    role: str, template: Template, reading: Reading, near: Facts, used: set[str], before: bool = False
) -> Slot | None:
    """A shot the idea does not narrate, built from its own subject, place, time and topic (`before` the event
    `near` tells: an opening shot)."""
    main = followed(reading.cast.main, near, reading.cast, before)
    if role in ("reaction", "follow", "profile", "approach") and (
        main is None or main.kind not in ("person", "animal")
    ):
        return None  # a thing does not look up or walk on
    if role in ("sky", "ground", "surroundings") and near.prep not in ("in", "on", "at"):
        return None  # "under the starry sky" is no ground to look down at
    if template.genre is Genre.ADVERT and role in (*template.open, *template.close) and role != "in_use":
        near = near.model_copy(  # hero shot and end card: the studio and its light, whatever the last feature's
            update={"setting": "photo studio", "prep": "in", "setting_zh": "", "time_of_day": None, "time": "",
                    "time_zh": "", "weather": None}
        )  # fmt: skip
    if template.genre is Genre.TRAVEL and role in (*template.open, *template.close):
        near = near.model_copy(update={"subjects": []})  # arriving over the first stop: the place, no "subject"
    elif template.genre is Genre.TRAVEL and role in ("locals", "walk") and _sight_of(near, main, reading.topic_en):
        role = "sight_detail"  # a stop with a sight of its own (a bamboo raft) is followed by a closer look at it
    city = re.fullmatch(r"(.+) in ([A-Z][\w' -]+)", near.setting)
    if role == "establish" and city:  # the bakery in Paris is established by Paris, then we go inside
        near = near.model_copy(update={"setting": city.group(2), "setting_zh": ""})
    names = (main.members or [main.name]) if main else []
    action = near.action if main and near.subjects[: len(names)] == names else ""
    values = role_values(main, near, reading.topic_en, reading.topic_zh, action, reading.cast)
    sentence, narration = role_texts(template.role(role), values, reading.language)
    if not sentence or not narration or narration in used:
        return None
    # the shot shows the event's action only where its sentence says it (an establishing shot does not)
    # in frame: what the sentence shows (a walk through the town shows no croissants), and whom an English line
    # names ("The boy looks at the father": both are drawn)
    shown = f"{sentence} {narration}" if reading.language == "en" else sentence
    facts = near.model_copy(
        update={
            "subjects": [
                *names,
                *(n for n in near.subjects if n not in names and re.search(rf"\bthe (?:\w+ )?{re.escape(n)}\b", shown)),
            ]
            if main and main.name in sentence
            else [n for n in near.subjects[:1] if n in sentence]
            or [t for t in (reading.topic_en,) if t and t in sentence and template.genre is not Genre.TRAVEL],
            "action": action if action and (action in sentence or doing(action) in sentence) else "",
        }
    )
    facts = handed_back(facts, values, sentence)  # the umbrella given back: the giver and the owner in frame
    return Slot(role=role, from_idea=False, sentence=sentence, narration=narration, facts=facts)


def arrange(reading: Reading, template: Template, count: int) -> list[Slot]:
    """`count` slots along the template's arc, the idea's events each in its own scene and in order."""
    events = event_slots(reading, template)
    if len(events) > count:  # merge neighbouring events, the shortest pairs first, so none is lost
        while len(events) > count:
            k = min(range(len(events) - 1), key=lambda i: len(events[i].narration) + len(events[i + 1].narration))
            a, b = events[k], events[k + 1]
            joiner = "" if reading.language == "zh" else " "
            events[k : k + 2] = [
                a.model_copy(
                    update={
                        "sentence": f"{a.sentence}, then {b.sentence}",
                        "narration": a.narration + joiner + b.narration,
                    }
                )
            ]
        return events
    first = events[0].facts if events else Facts()
    last = events[-1].facts if events else Facts()
    used = {e.narration for e in events}
    opening, closing, middle = [], [], []
    # The arc's first opening and last closing shots matter most (an advert's hero shot and end card).
    opens, closes = [("open", r) for r in template.open], [("close", r) for r in template.close]
    plan = opens[:1] + closes[-1:] + opens[1:] + closes[:-1] + [("extra", r) for r in template.extra]
    for where, role in plan:
        if len(events) + len(opening) + len(closing) + len(middle) >= count:
            break
        near = (
            first
            if where == "open"
            else last
            if where == "close"
            else events[min(len(middle), len(events) - 1)].facts
            if events
            else first
        )
        slot = extra_slot(role, template, reading, near, used, before=where == "open")
        if slot is None:
            continue
        used.add(slot.narration)
        if where == "close":  # closing shots keep the arc's order whatever order they were added in
            closing.append(slot)
            closing.sort(key=lambda x: template.close.index(x.role))
        else:
            {"open": opening, "extra": middle}[where].append(slot)
    body: list[Slot] = []
    for i, event in enumerate(events):
        body.append(event)
        if i < len(middle):
            body.append(middle[i])
    body += middle[len(events) :]
    slots = opening + body + closing
    # Still short (an idea that names no place or subject to build shots from): any role that can be built.
    present = {s.role for s in slots} | ({"establish"} if template.open else set())
    for role in ("establish", "detail", "reaction", "approach", "surroundings", "closing"):
        if len(slots) >= count:
            break
        if role in present:
            continue
        opens = role == "establish"
        slot = extra_slot(role, template, reading, first if opens else last, used, before=opens)
        if slot is not None:
            used.add(slot.narration)
            closing_roles = (
                sum(1 for s in slots[-len(template.close) :] if s.role in template.close) if template.close else 0
            )
            at = 0 if role == "establish" else len(slots) - closing_roles
            slots.insert(at, slot)
    return slots
