"""Where and when an English clause is set: the time, scene or weather phrase it opens with ("At midnight",
"On a rainy night in Tokyo,"), and the place it names (after a preposition, by its name, or a place said
for its crowd: "the whole square")."""

from __future__ import annotations

import re

from models.writers.compose import INDOOR
from models.writers.en_grammar import verb_forms
from models.writers.facts import Cast
from models.writers.lexicon import Lexicon

_TIMES = (
    r"(?:dawn|sunrise|first light|morning|noon|midday|afternoon|evening|dusk|sunset|night|midnight|day|week|year|weekend"
    r"|winter|summer|spring|autumn|fall|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"  # "On a windy Saturday they fly…"
)
# What a day is like, said before it ("a rainy evening", "the first calm morning")
_DAY_WORDS = (
    "rainy|snowy|stormy|cold|warm|hot|quiet|sunny|foggy|windy|dark|calm|clear|bright|grey|gray|misty|still|chilly|"
    "frosty|crisp|golden|cloudy|wet|fine|lazy|busy"
)
# A time or transition that opens a clause ("at midnight", "years later", "every evening"): when, not who.
TIME_LEAD = re.compile(
    rf"^(?:(?:at|in|by|during|before|after|on|through|until)\s+(?:the\s+)?(?:(?:early|late|next|same|following)\s+)?{_TIMES}s?"
    # "On the first calm morning he carries…", "on the last grey evening": an ordinal and a word for the day
    rf"|(?:at|in|on|during|by)\s+(?:the|a|an)\s+(?:first|second|third|last|final|very first|very last)\s+"
    rf"(?:(?:{_DAY_WORDS})\s+)?{_TIMES}s?(?![^,]*,)"
    # "On a rainy evening a young woman lends…"; with a comma ahead ("On a rainy night in Tokyo, a detective")
    # the scene lead below says where as well as when
    rf"|(?:at|in|on|during)\s+(?:the|a|an)\s+(?:{_DAY_WORDS})\s+"
    rf"{_TIMES}s?(?![^,]*,)"
    rf"|(?:the\s+)?(?:next|one|that|this|every|each|early|late|later that|some|the following)\s+"
    rf"(?:(?:winter|summer|spring|autumn|{_DAY_WORDS})\s+)?{_TIMES}s?"  # "One winter morning the snow stops"
    r"|(?:(?:a|one|two|three|four|five|ten|twenty|thirty|forty|fifty|a few|many|several|some|\d+)\s+)?"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|moments?|seasons?|decades?)\s+(?:later|after|on|pass(?:es)?)"
    r"|(?:later|soon|meanwhile|afterwards?|one day|once upon a time|long ago|at last|at first|tonight|today)"
    r"|(?:finally|suddenly|slowly|eventually)"  # the creator's adverb, said in narration; the shot is the act
    # an occasion ("On her birthday the clock chimes"): when, not a place called "birthday"
    r"|on\s+(?:(?:her|his|their|its|my|our|your|the|a)\s+)?(?:\w+\s+)?"
    r"(?:birthday|anniversary|wedding(?:\s+day)?|graduation(?:\s+day)?|first day|last day|holiday)"
    r"|on\s+(?:christmas|new year's|halloween|valentine's)(?:\s+(?:eve|day|morning|night))?"
    r"|(?:at|back)\s+home)"  # "At home her cat waits": where, said before the subject
    r"\s*,?\s+",
    re.I,
)
# "On a rainy night in Tokyo, a detective...": where and when, said before the subject and a comma
_SCENE_LEAD = re.compile(
    r"^(?:on|in|at|by|during|under|after|before|one|every|deep in|high in|when|whenever|while|as soon as|as|once)\b"
    r"[^,]{2,60},\s+",
    re.I,
)
# "During a thunderstorm it shelters…", "In the pouring rain she runs": the weather a clause opens with.
_WEATHER_LEAD = re.compile(
    r"^(?:during|in|through|amid|after)\s+(?:a|an|the)?\s*(?:[\w-]+\s+)?"
    r"(?:storm|thunderstorm|rainstorm|snowstorm|blizzard|downpour|rain|snow|snowfall|fog|mist|hailstorm|typhoon|"
    r"hurricane|gale|drizzle|heatwave)\s*,?\s+",
    re.I,
)
# The story moves on by days or more ("A week later", "The next morning"): the weather of before is over.
_DAYS_LATER = re.compile(
    r"\b(?:days?|weeks?|months?|years?|decades?|seasons?)\s+(?:later|after|pass)|\b(?:next|following)\s+"
    r"(?:day|morning|evening|night|week|month|year|spring|summer|autumn|winter)",
    re.I,
)


def time_lead(clause: str) -> tuple[str, str]:
    """(the time phrase a clause opens with, the rest): "At midnight the whole square sings along" →
    ("At midnight", "the whole square sings along"); ("", clause) when it opens with none."""
    m = TIME_LEAD.match(clause) or _SCENE_LEAD.match(clause) or _WEATHER_LEAD.match(clause)
    if not m or len(clause[m.end() :].split()) < 2:
        return "", clause
    return clause[: m.end()].strip(" ,"), clause[m.end() :]


def _joined_places(clause: str, found: list[tuple]) -> list[tuple]:
    """Place words said one after another ("city" + "square") as one place, the last word's entry."""
    out: list[tuple] = []
    end = -2
    for entry, written, at in sorted((f for f in found if f[0].kind == "place"), key=lambda f: f[2]):
        if out and clause[end:at].strip() == "":
            out[-1] = (entry, clause[out[-1][2] : at + len(written)], out[-1][2])
        else:
            out.append((entry, written, at))
        end = at + len(written)
    return [(e, w) for e, w, _ in out]


def _place_choice(clause: str, places: list[tuple]) -> tuple:
    """The place a clause is set in: the first one said after a preposition ("plays in a snowy city square",
    not the "street" of "street musician"), with its modifiers kept; else the first one named."""
    for entry, written in places:
        m = re.search(
            r"\b(?:in|on|at|by|into|through|across|along|over|to|from|toward|inside|near|under|behind|beside|around)\s+"
            r"((?:(?:the|a|an|his|her|their|its|your|my|our)\s+)?"
            r"(?:(?!(?:the|a|an|and|of|noon|dawn|dusk|night|midnight|morning|evening)\b)[\w-]+\s+){0,2}?"
            + re.escape(written)
            + r")\b",
            clause,
            re.I,
        )
        if m:
            return entry, m.group(1)
    # "guides the boats home", "walks home": where they are going, not where the scene is; but what is carried
    # home is seen arriving there ("She carries it home")
    if _HOME_BOUND.search(clause) and not _CARRIED_HOME.search(clause):
        places = [(e, w) for e, w in places if w.lower() != "home"]
    # "make it a bed", "builds a little house": a thing made there, not the place the scene is in
    places = [
        (e, w) for e, w in places if not re.search(rf"{_MAKE}(?:\s+\S+){{0,4}}?\s+{re.escape(w)}\b", clause, re.I)
    ]
    return places[0] if places else (None, "")


_HOME_BOUND = re.compile(r"\b(?!(?:at|in|the|a|his|her|their|my|our|your|its|to|into|from)\s)\w+\s+home\b", re.I)
_CARRIED_HOME = re.compile(
    r"\b(?:carr(?:y|ies|ied)|takes?|took|brings?|brought|leads?|led)\b(?:\s+[\w'-]+){1,4}?\s+home\b", re.I
)
_MAKE = r"\b(?:make|makes|made|making|build|builds|built|draws?|drew|paints?|knits?|sews?|bakes?|carves?|fold(?:s)?)\b"


_NAME_PLACE = re.compile(
    r"\b(?:in|at|along|across|through|around|near|from|of|to|over|on)\s+"
    r"((?:the\s+)?(?:[A-Z][\w'-]+)(?:\s+(?:[A-Z][\w'-]+|de|del|di|la|le))*)"
)


def place_name(text: str) -> str:
    """A capitalised name after a preposition ("along the Seine" → "Seine"), not the clause's first word."""
    m = _NAME_PLACE.search(text)
    return m.group(1) if m and m.start(1) > 0 else ""


def _place_name(body: str, cast: Cast) -> tuple[str, str]:
    """A place by its name, and the preposition that places a shot there ("along the Seine", "in Montmartre")."""
    m = _NAME_PLACE.search(body)
    name = m.group(1) if m and m.start(1) > 0 else ""
    if not name or name.lower() in cast.people:
        return "", "in"
    prep = m.group(0).split()[0].lower()
    return name, prep if prep in ("along", "across", "through", "over", "near", "around", "on", "at") else "in"


_WHOLE = re.compile(r"^(?:the\s+)?(?:whole|entire|all the|all of the|every\w*\s+in the)\s+", re.I)


def _crowd_place(head: str, lex: Lexicon) -> str:
    """The place a subject phrase names when a place stands for its people ("the whole square", "the entire
    village"): they are a crowd there, never a person called "whole square"."""
    m = _WHOLE.match(head.strip())
    if not m:
        return ""
    rest = head.strip()[m.end() :].lower()
    places = [w for e, w, _ in lex.find_en(rest, ("place",))]
    return rest if places and rest.endswith(places[-1].lower()) else ""


# "waits outside the library", "in front of the museum", "at the gate of the school": at the building, outside it
_OUTSIDE = re.compile(
    r"\b(?:outside(?:\s+of)?|in\s+front\s+of|at\s+the\s+(?:doors?|gates?|entrance|steps)\s+(?:of|to))\s+"
    r"(?:(?:the|a|an|his|her|their|its|my|our|your)\s+)?(?:[\w-]+\s+){0,2}?$",
    re.I,
)
_DWELLING = re.compile(r"\b(?:home|house|flat|apartment)$")


# Outside a settlement is the open land around it (城外, "camp outside the city"), not its streets.
_SETTLEMENT = {"city": "countryside outside the city", "town": "countryside outside the town",
               "village": "countryside outside the village"}  # fmt: skip


def outside_of(clause: str, setting: str) -> tuple[str, str]:
    """(setting, preposition) of a clause that puts someone outside a place: a building's front ("waits outside
    the library": the library entrance, not a room inside), a settlement's open land ("camp outside the city":
    the countryside around it, not its streets); ("", "") when it does not."""
    at = clause.lower().find(setting.lower())
    if at < 0 or not _OUTSIDE.search(clause[:at]):
        return "", ""
    if setting.lower() in _SETTLEMENT and re.search(r"\boutside\s+(?:of\s+)?(?:the\s+)?$", clause[:at], re.I):
        return _SETTLEMENT[setting.lower()], "in"
    if not INDOOR.search(setting.lower()):
        return "", ""
    return ("doorstep" if _DWELLING.search(setting.lower()) else f"{setting} entrance"), "at"


# Places that are surfaces one is on, never in: "sits in the mountain top" is on it (a street, a sea or a
# square, also "on" in the tables, can be "in" as well, so they keep the creator's word).
_SURFACE = re.compile(
    r"\b(?:top|roof|rooftop|hill|hilltop|hillside|beach|bridge|stage|balcony|terrace|deck|pier|dock|cliff|summit|"
    r"peak|lawn|shore|riverbank|island|platform)$"
)


def on_surface(rest: str, written_place: str) -> str:
    """The clause's action with "in the mountain top" said "on the mountain top": a surface is stood, sat or
    lain on (the video model reads the description's preposition literally)."""
    if not _SURFACE.search(written_place.lower()):
        return rest
    return re.sub(rf"\bin(?=\s+{re.escape(written_place)}\b)", "on", rest, count=1, flags=re.I)


def activity_place(rest: str, lex: Lexicon) -> tuple[str, str]:
    """(where, preposition) an activity with no place said is done: "go fishing" on the riverbank, "camp" at a
    campsite (the lexicon's verbs that imply a place); ("", "") when the clause's verb implies none."""
    words = [w.lower().strip(",.") for w in rest.split()[:2]]
    said = (
        words[1] if words[:1] and verb_forms().get(words[0]) == "go" and len(words) > 1 else words[0] if words else ""
    )
    said = said.removesuffix("ing") if said.endswith("ing") and len(said) > 5 else said
    for verb in (verb_forms().get(said, said), said, said + "e", said[:-1]):  # camping, hiking, swimming
        place = lex.verb_places.get(verb)
        if place:
            known = lex.en.get(place)
            return place, known.extras.get("prep", "in") if known else "in"
    return "", ""


# "carries it down to the water", "wades into the sea", "walks to the water's edge": at the edge of the water,
# wherever the story was before (a lighthouse keeper's lighthouse is no place to set a seal free)
_TO_WATER = re.compile(
    r"\b(?:down\s+to|to|into|towards?|reach(?:es)?)\s+the\s+(?:(?:water|sea|ocean|waves)(?:'s|s')?\s+(?:edge|line)|"
    r"water|sea|ocean|waves|surf|tide|shoreline|waterline)\b",
    re.I,
)


def to_the_water(rest: str) -> tuple[str, str]:
    """(where, preposition) a clause that goes to the water's edge is set: ("shore", "on"); ("", "") otherwise."""
    return ("shore", "on") if _TO_WATER.search(rest) else ("", "")
