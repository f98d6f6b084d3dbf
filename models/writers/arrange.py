"""From an idea to the planner's shots: the idea read (instructions, heading, events in order, each with its
scene facts), then laid along a genre's arc: opening shots, one scene per event, closing shots, and the
arc's extra shots when the length asks for more scenes than the idea has events (built from the idea's
own subject and place, never from lines that could belong to any film).

A little under 500 lines: reading and arranging share the Reading/Slot types and are read together; what
each genre makes of an event in English lives in genre_events.py."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from models.storyboard import Camera, Genre, SceneFacts, ShotSize, TimeOfDay, Weather
from models.writers.beats import Ask, read_ask, split_en, split_zh
from models.writers.compose import INDOOR as _INDOOR
from models.writers.compose import JOURNEY as _JOURNEY
from models.writers.compose import describe, doing, handed_back, role_texts, role_values, the
from models.writers.en_grammar import verb_forms
from models.writers.facts import Cast, Facts, Person
from models.writers.facts_en import en_facts, en_has_event
from models.writers.facts_en_scene import time_lead
from models.writers.facts_zh import zh_facts
from models.writers.genre_events import feature, material, sight, someone, stops, travel_place
from models.writers.genres import Template, detect_genre
from models.writers.lexicon import Lexicon
from models.writers.years import after_years, aged_sentence, aged_subjects, place_shots, standalone
from models.writers.zh_words import strip_transitions, zh_words

_ZH_TIME_ONLY = re.compile(r"^(?:每天|有一天|第二天|那天|天黑时|清晨|傍晚|夜里|晚上|早上|中午|黄昏|后来|然后|最后)$")
_EN_FRAGMENT = re.compile(r"^(?:in|on|at|by|during|after|before|from)\s+(?:\w+\s*){1,3}$", re.I)
_ZH_EVENTLESS = re.compile(
    r"^(?:在|到了|每天|有一天|第二天|那天|当|天黑时|清晨|傍晚|夜里|晚上|早上|中午|黄昏|后来)?[^，。]{0,6}(?:时|的时候|里|上|中)?$"
)
# Actions that take someone to a new place: the time of day the idea named before does not carry past them.
_OUTDOOR_WEATHER = {
    Weather.RAIN: "rainy street",
    Weather.STORM: "rocky coast",
    Weather.SNOW: "snowy street",
    Weather.FOG: "misty street",
}
# Genres whose events are items of a list ("deep bass, 40-hour battery"): each names the topic too.
TOPIC_GENRES = (Genre.ADVERT, Genre.PROCESS, Genre.EXPLAINER, Genre.TRAVEL)
SHOT_ORDER = [ShotSize.EXTREME_WIDE, ShotSize.WIDE, ShotSize.MEDIUM, ShotSize.CLOSE_UP, ShotSize.EXTREME_CLOSE_UP]


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


class Slot(BaseModel):
    """One planned scene before timing."""

    role: str
    from_idea: bool
    sentence: str  # English: who does what (no place, light or shot yet)
    narration: str
    facts: Facts = Field(default_factory=Facts)


def _zh_is_event(clause: str, lex: Lexicon) -> bool:
    clause, _said = strip_transitions(clause)  # "一年后", "那天晚上", "不久": when the next event happens
    if not clause.strip("，。 "):
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
    if language == "zh":
        for word, e in zh_words(strip_transitions(ask.content)[0], lex):
            if e.kind in ("thing", "food", "product", "weather"):
                return Person(
                    name=e.en,
                    zh=word,
                    kind="weather" if e.kind == "weather" else "thing",
                    place=e.extras.get("place", ""),
                )
    else:
        for e, written, _at in lex.find_en(ask.content, ("thing", "food", "product", "weather")):
            return Person(
                name=written.lower(),
                kind="weather" if e.kind == "weather" else "thing",
                place=e.extras.get("place", ""),
            )
    if topic_en:
        return None  # the topic names it already
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", ask.content)[:4]
    if words and language == "en":
        return Person(name=" ".join(words).lower(), kind="thing")
    return None


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


def extra_slot(role: str, template: Template, reading: Reading, near: Facts, used: set[str]) -> Slot | None:
    """A shot the idea does not narrate, built from its own subject, place, time and topic."""
    main = reading.cast.main
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
    action = near.action if main and near.subjects[:1] == [main.name] else ""
    values = role_values(main, near, reading.topic_en, reading.topic_zh, action, reading.cast)
    sentence, narration = role_texts(template.role(role), values, reading.language)
    if not sentence or not narration or narration in used:
        return None
    # the shot shows the event's action only where its sentence says it (an establishing shot does not)
    facts = near.model_copy(
        update={
            # in frame: what the sentence shows (a walk through the town shows no croissants)
            "subjects": [
                main.name,
                *(
                    n
                    for n in near.subjects
                    if n != main.name and re.search(rf"\bthe (?:\w+ )?{re.escape(n)}\b", sentence)
                ),
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
        slot = extra_slot(role, template, reading, near, used)
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
        slot = extra_slot(role, template, reading, first if role == "establish" else last, used)
        if slot is not None:
            used.add(slot.narration)
            closing_roles = (
                sum(1 for s in slots[-len(template.close) :] if s.role in template.close) if template.close else 0
            )
            at = 0 if role == "establish" else len(slots) - closing_roles
            slots.insert(at, slot)
    return slots


def scene_facts(slot: Slot, shot: ShotSize) -> SceneFacts:
    f = slot.facts
    return SceneFacts(
        subjects=aged_subjects(slot.facts.subjects, f.aged)[:6],  # after the years: an old man, not a boy
        action=f.action[:200],
        setting=f.setting[:200],
        time_of_day=f.time_of_day or TimeOfDay.DAY,
        weather=f.weather or Weather.CLEAR,
        shot=shot,
    )


CLOSE_WORDS = re.compile(r"\b(hand|hands|eyes|face|coin|bolt|sip|pour|letter|key|seed|close|tears|smile|drop)", re.I)


def shots_for(slots: list[Slot], template: Template) -> list[ShotSize]:
    """Each role's shot size, varied so that consecutive scenes never share one: an event in a new place
    or weather is seen wide, one about hands, eyes or a small thing close, the others medium."""
    shots: list[ShotSize] = []
    for slot in slots:
        shot = template.role(slot.role).shot
        if slot.from_idea and slot.role == "event":
            if slot.facts.timelapse:  # the whole place, changing
                shot = ShotSize.WIDE
            elif CLOSE_WORDS.search(slot.sentence):
                shot = ShotSize.CLOSE_UP
            elif slot.facts.new_place or slot.facts.weather in (Weather.STORM, Weather.SNOW, Weather.RAIN):
                shot = ShotSize.WIDE
            elif len(slot.facts.subjects) >= 3:  # 三个一起回家: everyone in frame
                shot = ShotSize.WIDE
        elif slot.from_idea and CLOSE_WORDS.search(slot.sentence):
            shot = ShotSize.CLOSE_UP
        if shots and shot == shots[-1] and template.genre is Genre.PROCESS and slot.role == template.event_role:
            # a process's steps stay close on the hands and the material: close-up, then extreme close-up
            shot = ShotSize.EXTREME_CLOSE_UP if shot == ShotSize.CLOSE_UP else ShotSize.CLOSE_UP
        elif shots and shot == shots[-1]:
            i = SHOT_ORDER.index(shot)
            shot = SHOT_ORDER[i + 1] if i + 1 < len(SHOT_ORDER) - 1 else SHOT_ORDER[i - 1]
        shots.append(shot)
    return shots


SHOT_CAMERAS = {
    ShotSize.EXTREME_WIDE: (Camera.AERIAL, Camera.PULL_OUT),
    ShotSize.WIDE: (Camera.PAN_RIGHT, Camera.PAN_LEFT),
    ShotSize.MEDIUM: (Camera.TRACKING, Camera.STATIC),
    ShotSize.CLOSE_UP: (Camera.PUSH_IN, Camera.STATIC),
    ShotSize.EXTREME_CLOSE_UP: (Camera.STATIC, Camera.PUSH_IN),
}


def cameras_for(slots: list[Slot], shots: list[ShotSize], template: Template) -> list[Camera]:
    """A role's own camera move where the arc sets one; an event's follows its shot size, alternating so
    that two neighbouring scenes do not move the same way."""
    cameras: list[Camera] = []
    for slot, shot in zip(slots, shots, strict=True):
        if slot.role in template.roles and slot.role not in ("event",) and not slot.from_idea:
            camera = template.role(slot.role).camera
        else:
            a, b = SHOT_CAMERAS[shot]
            camera = b if cameras and cameras[-1] == a else a
        cameras.append(camera)
    return cameras


def description(slot: Slot, shot: ShotSize, reading: Reading, style: str) -> str:
    # after a passage of years, who someone is now is said at their first mention, before their old look
    return describe(shot, aged_sentence(slot.sentence, slot.facts.aged), slot.facts, reading.cast, style)


def characters(cast: Cast) -> list[Person]:
    return [p for p in cast.people.values() if p.look][:12]
