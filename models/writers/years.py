"""Time passing in a story, and weather with no one doing it.

A clause that only says time passes ("Years pass.", 很多年过去了。) is a time-lapse of the place, with what was
planted or built there growing or weathering: never a subject called "years". After a passage of years the
people met earlier are older (a boy is a young man; an adult, or anyone later with a grandchild, is old), so
their later scenes say so and the animatic draws an elder, not the child of the first scenes. A clause whose
weather has a dummy subject ("it snows again", 又下雪了) shows the place in that weather, with what was built
there still standing, never "the snowman snows".
"""

from __future__ import annotations

import re

from models.writers.facts import Cast, Facts
from models.writers.facts_en import object_noun
from models.writers.facts_en_people import FEMALE
from models.writers.facts_en_scene import time_lead

# A clause that says only that time passes: a time-lapse shot.
_EN_TIME_ONLY = re.compile(
    r"^(?:and\s+)?(?:(?:many|long|so many|countless|a few|some|several|the|[a-z]+ty|ten|two|three|four|five|\d+)\s+)?"
    r"(?:years?|decades?|seasons?|time|months?|summers|winters|springs|autumns)\s+"
    r"(?:pass(?:es|ed)?|go(?:es)?|went|gone|fl(?:y|ies|ew)|later|roll(?:s|ed)?|slip(?:s|ped)?|come and go|"
    r"came and went|turn(?:s|ed)?|drift(?:s|ed)?)(?:\s+(?:by|on|away))?$",
    re.I,
)
_ZH_TIME_ONLY = re.compile(
    r"^(?:(?:很|许|好)?多年|几十年|数十年|十几年|[二三四五六七八九]?十年|岁月|时光|光阴|日子)"
    r"(?:过去了|过去|以后|之后|后|飞逝|流逝|如梭|似箭|匆匆)了?$|^(?:春去秋来|斗转星移|年复一年|一年又一年)$"
)
# A passage of years (a clause that says it, or opens with it): who we met earlier is older after it.
_EN_YEARS = re.compile(
    r"^(?:and\s+)?(?:(?:many|long|so many|countless|[a-z]+ty|\d{2,})\s+)?years\s+(?:pass|passed|go|went|later|roll|fly|flew|on)\b"
    r"|^(?:(?:many|several|a few|two|three|four|five|\d+)\s+)?decades\s+",
    re.I,
)
_ZH_YEARS = re.compile(r"^(?:(?:很|许|好)?多|几十|数十|[二三四五六七八九]?十)年(?:过去|以后|之后|后)")
_GRANDCHILD = re.compile(r"\bgrand(?:son|daughter|child|children|kids?)s?\b|孙子|孙女|外孙|孙儿", re.I)
_CHILD = re.compile(r"\b(?:boy|girl|child|kid|schoolboy|schoolgirl|toddler|baby|son|daughter)\b")
_OLD = re.compile(r"\b(?:old|elderly|grand(?:father|mother|pa|ma)|granny)\b")
# What each age looks like, said after "now" in a later scene: "the boy, now an old man with white hair…"
AGED_LOOKS = {
    "young man": "a young man in his twenties with short hair in a plain shirt",
    "young woman": "a young woman in her twenties with her hair tied back in a plain dress",
    "old man": "an old man with white hair and a grey cardigan",
    "old woman": "an old woman with silver hair in a knitted shawl",
}
# What was planted or built at a place, and how it changes over the years.
_MADE = re.compile(
    r"\b(?:plant|sow|build|built|set up|put up|raise|grow|make|made|dig|carve|paint|pile|heap|sculpt)\w*\b", re.I
)
_MADE_THING = re.compile(_MADE.pattern + r"(?:\s+up)?\s+(?:a|an|the|his|her|their|its|some)\s+(.+)", re.I)
_TALL = re.compile(r"\b(?:tree|sapling|seed|seedling|vine|bamboo|hedge|oak|pine|willow|orchard)s?\b")
_GROWS = re.compile(r"\b(?:flower|rose|plant|bush|garden|tulip|lily|sunflower)s?\b")
# "it snows", "it rains": the weather, with no one doing it (the sentence says it as the weather itself)
_EN_WEATHER_IT = re.compile(
    r"^it\s+(snow|rain|pour|thunder|drizzle|hail|storm)(?:s|ed|ing)?\b(.*)$|^it\s+(?:is|was)\s+(snow|rain|pour|storm)ing\b(.*)$",
    re.I,
)
_WEATHER_SAID = {
    "snow": "snow falls",
    "rain": "rain falls",
    "pour": "rain pours down",
    "thunder": "thunder rolls",
    "drizzle": "a light rain falls",
    "hail": "hail falls",
    "storm": "a storm rages",
}
_ZH_WEATHER = re.compile(r"下(?:起了?)?(?:大|小)?(雪|雨)|(打雷|雷雨)")


def time_only(clause: str, language: str) -> bool:
    """Whether a clause says only that time passes ("Years pass", 很多年过去了)."""
    said = clause.strip().rstrip(".!?。！？，,")
    return bool((_ZH_TIME_ONLY if language == "zh" else _EN_TIME_ONLY).match(said))


def years_pass(clause: str, language: str) -> bool:
    """Whether a clause says (or opens with) a passage of years, after which people are older."""
    return bool((_ZH_YEARS if language == "zh" else _EN_YEARS).match(clause.strip()))


def weather_clause(clause: str, language: str) -> str:
    """The English words of a clause whose weather has no one doing it ("it snows again" → "snow falls
    again", 又下雪了 → "snow falls again"); '' for any other clause."""
    if language == "zh":
        m = _ZH_WEATHER.search(clause)
        if not m or re.search(r"[他她它们]|人", clause.split(m.group(0))[0][-4:]):
            return ""
        said = _WEATHER_SAID["snow" if m.group(1) == "雪" else "rain" if m.group(1) else "thunder"]
        return said + (" again" if re.search(r"又|再", clause) else "")
    lead, body = time_lead(clause.strip())  # "At night it snows again": the time stays in the narration
    m = _EN_WEATHER_IT.match(body.strip())
    if not m:
        return ""
    verb, rest = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return (_WEATHER_SAID[verb.lower()] + rest).strip(" ,.")


def _made_here(before: list[Facts], setting: str) -> str:
    """The last thing planted or built at this place (the tree in the garden, the snowman in the yard)."""
    for f in reversed(before):
        if f.setting != setting or not _MADE.search(f.action):
            continue
        said = _MADE_THING.search(f.action)  # "builds a cabin by the lake": a cabin, though the lexicon says place
        if f.thing or said:
            return f.thing or object_noun(said.group(1))
    return ""


def _changing(made: str) -> str:
    """How a thing made at a place changes over the years."""
    return "growing tall" if _TALL.search(made) else "growing and blooming" if _GROWS.search(made) else "weathering"


def _aged(name: str, gender: str, grandchild: bool) -> str:
    """Who someone is after the years: a child a young adult, an adult (or a grandparent) old."""
    female = gender == "f" or bool(FEMALE.search(name))
    if _OLD.search(name):
        return ""  # the old stay old, said as the creator said them
    if _CHILD.search(name) and not grandchild or _GRANDCHILD.search(name):
        return "young woman" if female else "young man"
    return "old woman" if female else "old man"


def place_shots(clauses: list[str], facts: list[Facts], lapses: set[str], language: str) -> None:
    """Marks the clauses that are shots of the place: time passing (`lapses`, sentences of their own), or
    weather with no one doing it. Their facts are filled in by `after_years` once the places are known."""
    for clause, f in zip(clauses, facts, strict=True):
        if clause in lapses:
            f.timelapse, f.subjects, f.action, f.sentence, f.thing = True, [], "", "", ""
        elif said := weather_clause(clause, language):
            people = [s for s in f.subjects if s in f.sentence and f.sentence.startswith(f"the {s} ")]
            if not people or language == "en":
                f.weather_only, f.subjects, f.action, f.sentence, f.thing = True, [], "", said, ""


def after_years(clauses: list[str], facts: list[Facts], cast: Cast, language: str) -> None:
    """Time-lapse and weather shots of the place (with what was made there), and everyone met before a
    passage of years aged in every later scene (`Facts.aged`: name → who they are now)."""
    met: list[str] = []
    aged: dict[str, str] = {}
    passed = False
    # whoever is with a grandchild after the years is old from the passage on, not a young man first
    grand = {n for c, f in _after_passage(clauses, facts, language) if _with_grandchild(c, f) for n in f.subjects}
    for i, (clause, f) in enumerate(zip(clauses, facts, strict=True)):
        made = _made_here(facts[:i], f.setting)
        if f.timelapse:
            place = f"the {f.setting}" if f.setting else "the place"
            change = "" if not made else f", the {made} {_changing(made)}"
            f.sentence = f"a time-lapse of {place} through the years{change}, seasons turning"
            f.subjects = [made] if made else []
        elif f.weather_only:
            f.sentence = f"{f.sentence}, the {made} still there" if made else f.sentence
            f.subjects = [made] if made else []
        if years_pass(clause, language):
            if not passed:
                for name in met:
                    person = cast.people.get(name)
                    now = _aged(name, person.gender if person else "", name in grand)
                    if now:
                        aged[name] = now
            passed = True
        if passed:
            f.aged = dict(aged)
        else:
            met += [s for s in f.subjects if s not in met and (p := cast.people.get(s)) and p.kind == "person"]


def _after_passage(clauses: list[str], facts: list[Facts], language: str) -> list[tuple[str, Facts]]:
    at = next((i for i, c in enumerate(clauses) if years_pass(c, language)), len(clauses))
    return list(zip(clauses[at:], facts[at:], strict=True))


def _with_grandchild(clause: str, f: Facts) -> bool:
    return bool(_GRANDCHILD.search(clause)) or any(_GRANDCHILD.search(s) for s in f.subjects)


def aged_sentence(sentence: str, aged: dict[str, str]) -> str:
    """The sentence with who someone is now after their first mention ("the boy, now an old man with white
    hair and a grey cardigan, sits…"); a possessive says who they are now ("the old man's hands")."""
    for name, now in aged.items():
        m = re.search(rf"\bthe {re.escape(name)}\b('s)?", sentence)
        if m is None:
            continue
        if m.group(1):
            sentence = f"{sentence[: m.start()]}the {now}'s{sentence[m.end() :]}"
        else:
            sentence = f"{sentence[: m.end()]}, now {AGED_LOOKS[now]},{sentence[m.end() :]}"
    return re.sub(r",\s*,", ",", sentence)


def aged_subjects(subjects: list[str], aged: dict[str, str]) -> list[str]:
    """The scene's subjects as the animatic must draw them now ("boy" → "old man")."""
    return list(dict.fromkeys(aged.get(s, s) for s in subjects))


def standalone(text: str, language: str) -> set[str]:
    """The idea's sentences that only say time passes ("Years pass.", 很多年过去了。): each is a shot of its
    own, never joined to the next event as its time ("Years later, he…" stays one event)."""
    ends = r"[。！？!?]+" if language == "zh" else r"(?<=[.!?])\s+|[.!?]$"
    return {s.strip().rstrip(".!?。！？") for s in re.split(ends, text) if time_only(s, language)}
