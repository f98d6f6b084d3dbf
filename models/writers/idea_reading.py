"""The idea as the planner reads it (`Reading`): studio instructions out, one clause per event in order, each
with its scene facts, the main subject, and place, time and weather carried from clause to clause until the
idea names new ones."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from models.storyboard import Genre, Weather
from models.writers.beats import Ask, read_ask, split_en, split_zh
from models.writers.compose import INDOOR as _INDOOR
from models.writers.compose import JOURNEY as _JOURNEY
from models.writers.facts import Cast, Facts, Person
from models.writers.facts_en import en_facts, en_has_event, object_noun
from models.writers.facts_zh import zh_facts
from models.writers.genre_events import stops, travel_place
from models.writers.genres import detect_genre
from models.writers.lexicon import Lexicon
from models.writers.years import after_years, place_shots, standalone
from models.writers.zh_words import strip_transitions, zh_words

_ZH_TIME_ONLY = re.compile(r"^(?:每天|有一天|第二天|那天|天黑时|清晨|傍晚|夜里|晚上|早上|中午|黄昏|后来|然后|最后)$")
_EN_FRAGMENT = re.compile(r"^(?:in|on|at|by|during|after|before|from)\s+(?:\w+\s*){1,3}$", re.I)
_ZH_EVENTLESS = re.compile(
    r"^(?:在|到了|每天|有一天|第二天|那天|当|天黑时|清晨|傍晚|夜里|晚上|早上|中午|黄昏|后来)?[^，。]{0,6}(?:时|的时候|里|上|中)?$"
)
# "雨中", "在大雪中", "风雨里": the weather someone is out in, said before what they do; part of that clause,
# never a scene (nor a subject) of its own
_ZH_IN_WEATHER = re.compile(r"^在?[^，。]{0,2}[雨雪雾][中里]$")
_IN_WEATHER = re.compile(r"\b(?:in|into|through|under|out in)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
# Where a scene happens when it names only weather that falls outside (rain, snow) and no place: out in it.
_OUTDOOR_WEATHER = {
    Weather.RAIN: "rainy street",
    Weather.STORM: "rocky coast",
    Weather.SNOW: "snowy street",
    Weather.FOG: "misty street",
}
# Genres whose events are items of a list ("deep bass, 40-hour battery"): each names the topic too.
TOPIC_GENRES = (Genre.ADVERT, Genre.PROCESS, Genre.EXPLAINER, Genre.TRAVEL)


class Reading(BaseModel):
    """An idea as the planner understood it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    language: str
    ask: Ask
    clauses: list[str]
    facts: list[Facts]
    cast: Cast
    topic_en: str = ""
    topic_zh: str = ""


def _zh_is_event(clause: str, lex: Lexicon) -> bool:
    clause, _said = strip_transitions(clause)  # "一年后", "那天晚上", "不久": when the next event happens
    if not clause.strip("，。 ") or _ZH_IN_WEATHER.match(clause.strip("，。 ")):
        return False
    kinds = {e.kind for _w, e in zh_words(clause, lex)}
    if kinds & {"verb", "person", "animal", "thing", "food", "product", "weather", "place"}:
        return not (kinds <= {"time", "skip", "adv", "place"} and len(clause) <= 6 and "place" not in kinds)
    return not _ZH_EVENTLESS.match(clause)


def _zh_subject_only(clause: str, lex: Lexicon) -> bool:
    """Whether a clause is only who does it (爸爸, 那只小狗, 他): the adverb after it is still its clause's."""
    kinds = [e.kind for _w, e in zh_words(clause, lex) if e.kind not in ("skip", "adj")]
    return bool(kinds) and set(kinds) <= {"person", "animal", "pron"}


def read_idea(text: str, language: str, lex: Lexicon) -> Reading:
    ask = read_ask(text, language)
    cast = Cast()
    topic_en = topic_zh = ""
    # A heading with a colon, or a genre that lists its shots, makes every item an event ("deep bass, ...").
    listing = bool(ask.topic) or ask.genre in TOPIC_GENRES or ask.genre is Genre.MOOD
    lapses = standalone(ask.content, language)  # "Years pass.": a time-lapse shot of its own
    if language == "zh":
        clauses = split_zh(
            ask.content,
            lambda c: (listing and not _ZH_TIME_ONLY.match(c)) or c in lapses or _zh_is_event(c, lex),
            lambda c: _zh_subject_only(c, lex),
        )
        clauses = _split_nouns(clauses, lex)
        if ask.topic:
            topic_en, topic_zh = zh_noun_phrase(ask.topic, lex), ask.topic
        facts = []
        if topic_en and ask.genre in (Genre.ADVERT, Genre.PROCESS):
            cast.last_thing = topic_en  # "开着它": it is the product
        for clause in clauses:
            f = Facts() if clause in lapses else zh_facts(clause, lex, cast)  # no subject called "years"
            facts.append(f)
    else:
        clauses, relative = split_en(
            ask.content, lambda c: (listing and not _EN_FRAGMENT.match(c)) or c in lapses or en_has_event(c, lex)
        )
        # a lesson keeps its article ("That is the water cycle."); other topics are named after "the"
        article = r"(?:our|my|a|an)" if ask.genre is Genre.EXPLAINER else r"(?:our|my|the|a|an)"
        topic_en = re.sub(rf"^{article}\s+(?:new\s+)?", "", ask.topic, flags=re.I) if ask.topic else ""
        if relative:
            en_facts(relative + " is here", lex, cast)
        elif (ask.genre or detect_genre(text, language)) is Genre.TRAVEL and topic_en:
            # "coffee farmers in Colombia": the people a documentary follows do its stops ("picking cherries")
            who = re.match(r"^(.+?)\s+(?:in|of|on|at|from|across|around)\s+[A-Z]", topic_en)
            if who:
                en_facts(f"the {who.group(1)} are here", lex, cast)
                cast.main = cast.main if cast.main is not None and cast.main.kind == "person" else None
        if topic_en and topic_en.endswith("s") and (ask.genre or detect_genre(text, language)) is Genre.PROCESS:
            # "fold the edges, and steam them": a process's "them" is what it makes, not the last thing handled
            said = [re.sub(r"\bthem\b", f"the {topic_en}", c) for c in clauses]
        else:
            said = clauses
        facts = [Facts() if c in lapses else en_facts(c, lex, cast, relative) for c in said]
        if ask.topic:  # "Slow morning: coffee brewing, ...": the heading's time and weather hold for every scene
            heading = en_facts(ask.topic, lex, Cast())
            for f in facts:
                if f.time_of_day is None and heading.time_of_day is not None:
                    f.time_of_day, f.time = heading.time_of_day, heading.time
                f.weather = f.weather or heading.weather
    place_shots(clauses, facts, lapses, language)
    _became(facts, cast, lex)
    genre = ask.genre or detect_genre(text, language)
    if genre is Genre.TRAVEL and (topic_en or topic_zh):
        # A travel film is about its place: each stop is seen there, and the place is never a "subject"; nor
        # is the first thing a stop names (Kyoto's tea): only someone the film follows (a herder) leads it.
        topic_en = travel_place(topic_en) if language == "en" else topic_en
        # a heading the lexicon cannot say in English (桂林山水): the film's first named place stands for it
        topic_en = topic_en or _named_place(topic_zh, lex) or next((f.setting for f in facts if f.setting), "")
        stops(facts, topic_en, topic_zh)
    elif genre is Genre.ADVERT and (topic_en or topic_zh):
        # each feature is its own shot, in the studio unless it names a place ("by your bed"): none carries on
        if cast.main is None:
            cast.main = _main_thing(ask, clauses, facts, cast, lex, language, topic_en)
    else:
        if cast.main is None:
            cast.main = _main_thing(ask, clauses, facts, cast, lex, language, topic_en)
        main = cast.main
        home = main.place if main else ""
        # A process's steps happen where its hands are, not in the oven its last step names.
        steps = genre in (Genre.PROCESS, Genre.EXPLAINER)
        weather_home = _weather_place(facts, lex) if main is None or main.kind == "weather" else ""
        _carry(facts, home or weather_home, not steps)
        _at_work(facts, home)
        after_years(clauses, facts, cast, language)  # once the places are known: the place through the years
    for f in facts:  # a place the idea only implied (出海: the open sea) is narrated in the creator's language
        if f.setting and not f.setting_zh:
            f.setting_zh = lex.place_zh.get(f.setting, "")
    return Reading(
        language=language, ask=ask, clauses=clauses, facts=facts, cast=cast, topic_en=topic_en, topic_zh=topic_zh
    )


def zh_noun_phrase(text: str, lex: Lexicon) -> str:
    """The thing a Chinese heading names, in English ("新上市的冰镇乌龙茶" → "newly launched iced oolong tea")."""
    phrases, adjectives = [], []
    for word in lex.cut(text):
        entry = lex.lookup(word)
        if entry is None:
            continue
        if entry.kind == "adj":
            adjectives.append(entry.en)
        elif entry.kind in ("person", "animal", "thing", "food", "product", "place", "weather"):
            if phrases and not adjectives and phrases[-1][1]:
                phrases[-1] = (f"{phrases[-1][0]} {entry.en}", True)  # 桂林 + 山水: one name
            else:
                phrases.append((" ".join([*adjectives, entry.en]), True))
            adjectives = []
        else:
            phrases.append(("", False))
    named = [p for p, _ in phrases if p]
    if named:
        return named[-1]
    verbs = [lex.lookup(w) for w in lex.cut(text)]
    verb = next((v.en for v in verbs if v is not None and v.kind == "verb"), "")
    return f"{_gerund(verb)}" if verb else ""


def _gerund(verb_phrase: str) -> str:
    """'brush teeth' → 'brushing teeth' (a process or lesson named by what one does)."""
    first, _, rest = verb_phrase.partition(" ")
    first = first[:-1] + "ing" if first.endswith("e") and not first.endswith("ee") else first + "ing"
    return f"{first} {rest}".strip()


def _main_thing(
    ask: Ask, clauses: list[str], facts: list[Facts], cast: Cast, lex: Lexicon, language: str, topic_en: str
) -> Person | None:
    """With no person or animal in it, an idea's main subject is the first thing it names (a train, cherry
    blossoms, the rain), else its topic, else its own words (a path, a name): shots are built from it."""
    if language == "zh" and topic_en and ask.genre in (Genre.PROCESS, Genre.ADVERT):
        return None  # the heading names what every step is for (包饺子: no wrapper shape is the subject)
    in_weather = False
    if language == "zh":
        words = zh_words(strip_transitions(ask.content)[0], lex)
        for i, (word, e) in enumerate(words):
            if e.kind == "weather" and words[i + 1 : i + 2] and words[i + 1][0] in ("中", "里"):
                in_weather = True
                continue  # 雨中: what someone is out in, never who the film follows
            if e.kind in ("thing", "food", "product", "weather"):
                return Person(
                    name=e.en,
                    zh=word,
                    kind="weather" if e.kind == "weather" else "thing",
                    place=e.extras.get("place", ""),
                )
    else:
        for e, written, at in lex.find_en(ask.content, ("thing", "food", "product", "weather")):
            if e.kind == "weather" and _IN_WEATHER.search(ask.content[:at]):
                in_weather = True
                continue  # "waiting in the rain": what someone is out in, never who the film follows
            return Person(
                name=written.lower(),
                kind="weather" if e.kind == "weather" else "thing",
                place=e.extras.get("place", ""),
            )
    if topic_en or in_weather:
        return None  # the topic names it already; out in the rain, the shots are of the place (not "mara stands")
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", ask.content)[:4]
    if words and language == "en":
        return Person(name=" ".join(words).lower(), kind="thing")
    return None


# "becomes a tall tree", "turns into a butterfly", 长成了一棵大树: what the subject is from then on
_BECOMES = re.compile(
    r"^(?:becomes?|became|(?:turns?|turned|grows?|grew|changes?|changed|transforms?|transformed)\s+(?:up\s+)?into)"
    r"\s+(?:a|an|the|some)\s+(.+)$",
    re.I,
)


def _became(facts: list[Facts], cast: Cast, lex: Lexicon) -> None:
    """ "The seed becomes a tall tree": that scene and the later ones of it show the tree, not the seed, and so do
    the shots added after it (Facts.became)."""
    was, now, now_zh = "", "", ""
    for f in facts:
        m = _BECOMES.match(f.action)
        if m and f.subjects and (what := object_noun(m.group(1))):
            was, now = f.subjects[0], what
            known = lex.en.get(now)
            now_zh = f.thing_zh if f.thing == now else known.zh if known and known.zh != "-" else ""
        if was:
            f.became, f.became_zh = {was: now}, now_zh
        if was:
            said = (now if s == was else s for s in f.subjects)  # "a kind man" is the man the reader also found
            f.subjects = list(dict.fromkeys(s for s in said if s == now or not now.endswith(f" {s}")))


def _weather_place(facts: list[Facts], lex: Lexicon) -> str:
    """Where an idea that is only weather ("rain", "下雪") is seen."""
    weather = next((f.weather for f in facts if f.weather is not None), None)
    return {
        "rain": "city street",
        "storm": "rocky coast",
        "snow": "quiet village",
        "fog": "pine forest",
        "cloudy": "open field",
    }.get(weather.value if weather else "", "")


def _split_nouns(clauses: list[str], lex: Lexicon) -> list[str]:
    """A clause with no verb that joins things ("河流和小动物") is one shot per thing."""
    out = []
    for clause in clauses:
        parts = re.split(r"和|与|及|以及", clause)
        if len(parts) > 1 and all(p.strip() for p in parts):
            kinds = {e.kind for w in lex.cut(clause) if (e := lex.lookup(w)) is not None}
            if "verb" not in kinds:
                out += [p.strip() for p in parts]
                continue
        out.append(clause)
    return out


def _named_place(heading: str, lex: Lexicon) -> str:
    """The place a Chinese heading names by its name ("桂林山水" → "Guilin"), from its known pieces."""
    for word in [w for piece in lex.cut(heading) for w in ([piece] if lex.lookup(piece) else lex.split_unknown(piece))]:
        entry = lex.lookup(word)
        if entry is not None and entry.kind == "place" and entry.en[:1].isupper():
            return entry.en
    return ""


def _carry(facts: list[Facts], home: str = "", backfill: bool = True) -> None:
    """Place and time carry on until the idea names new ones; weather only while the place and the season stay. Before
    the idea names a place, its main subject's usual one (`home`: a fisherman's open sea) is used."""
    setting, prep, setting_zh, time, time_zh, tod, weather = "", "in", "", "", "", None, None
    season = ""
    for f in facts:
        if (f.later or f.season and f.season != season) and f.weather is None:
            # "One winter the pond freezes … In spring they come back", "A week later he returns it": that
            # snow or rain is over
            weather = None
        if f.later and f.time_of_day is None:
            tod, time, time_zh = None, "", ""  # a week later is not still that evening
        season = f.season = f.season or season  # 秋天柿子熟了，她把柿子分给…: still autumn
        if f.setting and setting.endswith(" " + f.setting):
            f.setting = setting  # "the square" after "a snowy city square": the same place, said shorter
        if f.setting == setting:
            f.prep = prep  # "feeds the ducks by a pond … the pond freezes": still by the pond, not in it
        if f.setting:
            if f.setting != setting and f.weather is None and (f.new_place or not _JOURNEY.search(f.action)):
                weather = None  # a new place has its own sky; the way home (回家) is still under this one
            if setting and f.setting != setting and f.time_of_day is None and _JOURNEY.search(f.action):
                tod, time, time_zh = None, "", ""  # a journey to a new place takes time: dawn is over
            setting, prep, setting_zh = f.setting, f.prep, f.setting_zh or setting_zh
            if setting == "road home":  # the way home ends there: the next scene that names no place is at home
                setting, prep, setting_zh = "home", "in", "家"
        else:
            f.setting, f.prep, f.setting_zh = setting, prep, setting_zh
        if f.time_of_day is not None:
            tod, time, time_zh = f.time_of_day, f.time, f.time_zh
        else:
            f.time_of_day, f.time, f.time_zh = tod, time, time_zh
        if f.weather is not None:
            weather = f.weather
        else:
            f.weather = weather
    first = next((f for f in facts if f.setting), None) if backfill else None
    for f in facts:  # the opening shots take the subject's own place, else the first place the idea names
        if not f.setting and home:
            f.setting, f.prep = home, "in"
        elif not f.setting and f.weather in _OUTDOOR_WEATHER and (first is None or _INDOOR.search(first.setting)):
            # 在雨天捡到: out in the rain, not in the home the story goes to later
            f.setting, f.prep, f.setting_zh = _OUTDOOR_WEATHER[f.weather], "on", ""
        elif not f.setting and first is not None:
            f.setting, f.prep, f.setting_zh = first.setting, first.prep, first.setting_zh


# Where someone works indoors: a story about them in a city happens there, not in the middle of a street.
_WORKPLACE = re.compile(r"\b(workshop|classroom|hospital|shop|studio|laboratory|kitchen|bakery|tailor|forge)\b")
_OUT_AND_ABOUT = re.compile(r"\b(walks?|runs?|wanders?|strolls?|hurries|rushes|cycles|drives?|leaves?|goes out)\b")


def _at_work(facts: list[Facts], home: str) -> None:
    """ "A young baker in Paris burns her first cake": in her bakery in Paris. A city alone (its name, or "the
    city") is no place to film a baker at work; unless the scene takes them out and about."""
    if not _WORKPLACE.search(home):
        return
    for f in facts:
        citywide = f.setting in ("city", "town") or (f.setting[:1].isupper() and " " not in f.setting)
        if citywide and not _JOURNEY.search(f.action) and not _OUT_AND_ABOUT.search(f.action):
            f.setting = home if f.setting in ("city", "town") else f"{home} in {f.setting}"
            f.prep, f.setting_zh = "in", ""


def characters(cast: Cast) -> list[Person]:
    return [p for p in cast.people.values() if p.look][:12]
