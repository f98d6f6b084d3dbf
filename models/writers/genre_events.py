"""What each genre makes of an idea's events, in English: a travel film's place and the sight each stop
shows, a process step's material, an advert's feature on its product. Used by idea_reading.py (a travel
film's stops) and arrange.py, which lays the events along the genre's arc."""

from __future__ import annotations

import re

from models.writers.compose import is_name
from models.writers.en_grammar import PREPOSITIONS, verb_forms
from models.writers.facts import Cast, Facts
from models.writers.facts_en_scene import place_name

_TRAVEL_SPAN = re.compile(
    r"^(?:(?:a|one|two|three|an?)\s+(?:day|days|weekend|week|morning|evening|night|afternoon)|24 hours)\s+(?:in|on|at)\s+",
    re.I,
)


def travel_place(topic: str) -> str:
    """The place a travel film's heading names: "A day in Lisbon" → "Lisbon", "street food in Bangkok" →
    "Bangkok", "Kyoto" → "Kyoto"."""
    topic = _TRAVEL_SPAN.sub("", topic.strip())
    return place_name(f"in {topic}") or topic


def stops(facts: list[Facts], place: str, place_zh: str) -> None:
    """A travel film's stops: each one where it names (the bamboo forest), else in the film's place (Kyoto);
    its own time and weather, never the previous stop's dawn."""
    for f in facts:
        if not f.setting:
            f.setting, f.prep, f.setting_zh = place, "in", place_zh


def material(step: str) -> str:
    """What a step's hands work on ("fold the edges of the dough" → "edges"; "mix flour and water" → "flour and
    water"), for a close-up that keeps it in focus."""
    words = []
    said = step.split()[1:]
    for k, word in enumerate(said):
        w = word.lower().strip(",.")
        if w in PREPOSITIONS or w in ("until", "overnight", "together", "slowly", "gently", "then"):
            break
        nxt, then = (said[k + 1 : k + 3] + ["", ""])[:2]
        if w == "and" and nxt.lower() in verb_forms() and then.lower() in ("the", "a", "an", "it", "them", "its"):
            break  # "open the corners up and shape the hull": the corners (but "flour and water" both)
        if w not in ("the", "a", "an", "some", "it", "them", "up", "out", "down"):
            words.append(w)
    while words and words[-1] in ("thin", "flat", "smooth", "well", "tight", "round", "evenly"):
        words.pop()  # "roll the sheet thin": the sheet; "roll thin wrappers": thin wrappers
    return " ".join(words[-3:])


_NOT_SIGHTS = {"walk", "view", "visit", "trip", "ride", "stroll", "tour", "look", "day", "night", "morning", "evening"}


def sight(clause: str) -> str:
    """What a travel stop shows, from its own words: "red gates of Fushimi Inari" → "red gates", "lanterns
    along the river at night" → "lanterns"; "" for "a walk along the Seine" (a way of seeing, not a thing)."""
    words = []
    for word in re.sub(r"^(?:the|a|an|some|our|my)\s+", "", clause.strip(), flags=re.I).split():
        w = word.lower().strip(",.")
        if w in PREPOSITIONS or w.endswith("ing") or w in ("and", "with", "where", "that", "who"):
            break
        words.append(w)
    sight = " ".join(words[:3])
    return "" if not words or words[-1] in _NOT_SIGHTS else sight


def someone(facts: Facts, cast: Cast) -> bool:
    return any((p := cast.people.get(n)) is not None and p.kind in ("person", "animal") for n in facts.subjects)


def feature(clause: str, sentence: str, facts: Facts, cast: Cast, topic: str) -> tuple[str, Facts]:
    """An advert's feature as the creator wrote it ("warm light for reading", "sweat-proof for morning runs"),
    shown on the product; a feature said as what it does ("glows softly by your bed") is the product doing it."""
    who = cast.people.get(facts.subjects[0]) if facts.subjects else None
    bare = sentence.removeprefix(f"{topic}: ")
    if facts.action and bare.lower().startswith(facts.action.lower()[:20]):
        return f"the {topic} {bare}", facts.model_copy(update={"subjects": [topic]})
    if facts.subjects and (who is None or who.kind not in ("person", "animal", "group")):
        said = clause[:1].lower() + clause[1:] if not is_name(clause.split()[0]) else clause
        said = said if topic.lower() in said.lower() else f"{topic}: {said}"  # on the product, in frame
        return said, facts.model_copy(update={"subjects": [topic], "action": ""})
    return sentence, facts
