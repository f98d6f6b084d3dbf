"""The cast/person model the clause readers fill: who the story follows (`Person`), one beat's scene facts
(`Facts`), and what one clause leaves to the next (`Cast`: the main subject, who "he"/"it"/它/她 refer to,
the current place, time and weather: a scene that moves on keeps its place and time until the idea names
new ones). Chinese clauses are read in facts_zh.py, English ones in facts_en.py."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from models.storyboard import TimeOfDay, Weather
from models.writers.lexicon import Entry

# Characters the lexicon files as people (they act, they have a look) whom English and Chinese still call
# "it"/它: a robot that "repairs it" is the robot, not the music box it found.
IT_PEOPLE = ("robot", "android", "droid", "snowman", "scarecrow", "doll", "puppet", "toy", "machine")


def can_be_it(person: Person) -> bool:
    """Whether "it"/它 can mean this character: an animal or thing, or a person-like machine or toy."""
    return person.kind not in ("person", "group") or (not person.plural and person.name.split()[-1] in IT_PEOPLE)


class Person(BaseModel):
    """Someone (or something) the story follows, and the look repeated in every scene they are in."""

    name: str  # English, as descriptions name it ("old fisherman")
    zh: str = ""  # the creator's word, for narration ("老渔夫")
    look: str = ""
    plural: bool = False
    kind: str = "person"
    place: str = ""  # where this subject is usually found (a fisherman: the open sea), for shots before any place
    gender: str = ""  # "f", "m" or "" (unknown), from the creator's word: which of 她/他 can mean this person
    members: list[str] = Field(default_factory=list)  # a pair said as one ("they"): the people in it


class Facts(BaseModel):
    """One beat's facts, before they become a Scene."""

    sentence: str = ""  # English: "the old fisherman sails out to sea in a small boat"
    subjects: list[str] = Field(default_factory=list)  # names of characters and things in frame
    action: str = ""
    setting: str = ""
    prep: str = "in"
    setting_zh: str = ""
    time: str = ""  # English time words as the idea says them ("dawn")
    time_zh: str = ""
    time_of_day: TimeOfDay | None = None
    weather: Weather | None = None
    season: str = ""
    new_place: bool = False
    later: bool = False  # the story moves on by days or more ("A week later", 第二天): carried weather ends
    action_zh: str = ""  # a short Chinese verb phrase of the clause ("包粽子"), for lines the idea does not say
    thing: str = ""  # the thing the clause's action handles ("kite"), and the creator's word for it
    thing_zh: str = ""
    # a shot of the place itself (models/writers/years.py): time passing, or weather with no one doing it
    timelapse: bool = False
    weather_only: bool = False
    aged: dict[str, str] = Field(default_factory=dict)  # after years: name → who they are now ("old man")
    # the people doing the clause's action together ("A boy and his father go fishing", 他和孙子坐在树下): the
    # shots added around it show them all, not the first one alone
    together: list[str] = Field(default_factory=list)
    # what someone or something has become by this scene ({"seed": "tall tree"}), and the creator's word for it:
    # the shots added after it show and name the tree, not the seed
    became: dict[str, str] = Field(default_factory=dict)
    became_zh: str = ""


# Going home ("walks home", 回家: returns home): the scene is the way there, not already at home
GOING_HOME = re.compile(
    r"\b(?:return|walk|run|go|goes|head|hurr(?:y|ies)|rush|cycle|ride|drive|stroll|wander)\w*\s+(?:back\s+)?home\b",
    re.I,
)


class Cast(BaseModel):
    """What a clause leaves to the next."""

    main: Person | None = None
    people: dict[str, Person] = Field(default_factory=dict)  # name → person, in order of appearance
    last_subject: str = ""  # name of the last clause's subject
    last_group: Person | None = None  # the last clause's subject when it was several (他们): who carries on
    last_thing: str = ""  # the last object or non-main subject, for "it"
    setting: str = ""
    prep: str = "in"
    setting_zh: str = ""
    time_of_day: TimeOfDay | None = None
    time: str = ""
    time_zh: str = ""
    weather: Weather | None = None
    # Everyone and everything named so far, most recent last: what 它/她/他 can point back to.
    mentions: list[Person] = Field(default_factory=list)
    said_subjects: list[str] = Field(default_factory=list)  # each clause's subject, in order
    # beings only ever looked at by a clause with no subject (看大熊猫): never the subject of the next such clause
    seen_only: list[str] = Field(default_factory=list)

    def add(self, person: Person) -> Person:
        known = self.people.get(person.name)
        if known is None:
            self.people[person.name] = known = person
        if self.main is None and person.kind in ("person", "animal"):
            self.main = known
        self.mention(known)
        return known

    def mention(self, person: Person) -> None:
        self.mentions = [p for p in self.mentions if p.name != person.name] + [person]

    def pair(self) -> Person | None:
        """The last two people (or animals) mentioned, as one plural subject ('they')."""
        two = [p for p in self.mentions if p.kind in ("person", "animal") and not p.members][-2:]
        if len(two) < 2:
            return None
        return Person(
            name=f"{two[0].name} and the {two[1].name}", kind="group", plural=True, members=[p.name for p in two]
        )

    def everyone(self, count: int = 0) -> Person | None:
        """The people and animals named so far (the last `count` of them), as one plural subject: 三个一起回家."""
        beings = [p for p in self.people.values() if p.kind in ("person", "animal") and not p.members]
        beings = beings[-count:] if count else beings
        if len(beings) < 2:
            return None
        said = [beings[0].name] + [person_ref(p) for p in beings[1:]]
        name = f"{', '.join(said[:-1])} and {said[-1]}"
        return Person(name=name, kind="group", plural=True, members=[p.name for p in beings])

    def refer(self, pronoun: str, besides: str = "", as_subject: bool = False) -> Person | None:
        """Who a Chinese pronoun means: 它 the nearest animal or thing, 她/他 the nearest person of that gender
        (or of unknown gender), 他们 the nearest group; never `besides` (a clause's own subject is not its
        object: 老人向他道谢 thanks someone else). As a subject, the last clause's subject is preferred when
        it fits (它发现了: the fox that was searching, not the food it searched for)."""
        if pronoun == "it":
            fits = can_be_it
        elif pronoun in ("he", "she"):
            want = "f" if pronoun == "she" else "m"
            fits = lambda p: p.kind == "person" and not p.plural and p.gender in ("", want)  # noqa: E731
        else:
            fits = lambda p: p.plural or p.kind == "group"  # noqa: E731
        # a person whose gender the creator's word says (母亲 for 她) before one whose gender is unknown
        exact = (lambda p: fits(p) and p.gender != "") if pronoun in ("he", "she") else fits
        if pronoun == "it" or (as_subject and pronoun in ("he", "she")):
            # an animal or thing that was itself a subject outranks one only acted on; so does a person whose word
            # says the gender (一个小女孩在等妈妈。…她把面包分给了它: the girl, not the mother she waited for)
            acted = fits if pronoun == "it" else exact
            for name in reversed(self.said_subjects[-3:]):
                known = self.people.get(name)
                if known is not None and acted(known) and name != besides:
                    return known
        for test in (exact, fits):
            if as_subject:
                last = self.people.get(self.last_subject)
                if last is not None and test(last) and last.name != besides:
                    return last
            for person in reversed(self.mentions):
                if test(person) and person.name != besides:
                    return person
        if pronoun == "it" and self.last_thing and self.last_thing != besides:
            return Person(name=self.last_thing, kind="thing")
        if pronoun in ("he", "she") and self.main is not None and self.main.kind == "person":
            return self.main if self.main.name != besides else None
        return None


def apply_weather_time(facts: Facts, entry: Entry, words: str) -> None:
    if entry.kind == "thing" and "tod" in entry.extras and facts.time_of_day is None:
        facts.time_of_day = TimeOfDay(entry.extras["tod"])  # "watch the stars": it is night, with no time said
    elif entry.kind == "time" and facts.time_of_day is None:
        facts.time_of_day = TimeOfDay(entry.extras.get("tod", "day"))
        facts.time = words
        if entry.zh != "-":
            facts.time_zh = entry.zh
    elif entry.kind in ("weather", "season") and "w" in entry.extras and facts.weather is None:
        facts.weather = Weather(entry.extras["w"])
    if entry.kind == "season":
        facts.season = entry.en


_COLOURS = r"\b(golden|gold|white|black|red|blue|green|yellow|grey|gray|brown|orange|pink|purple|silver|ginger)\b"


def coloured(look: str, name: str) -> str:
    """The look, unless the creator named a colour it contradicts (金色的鱼 is no silver fish): then the
    creator's words are the look."""
    said = set(re.findall(_COLOURS, name))
    if said and look and set(re.findall(_COLOURS, look)) - said:
        return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"
    return look


def zh_gender(word: str) -> str:
    """'f' or 'm' where the creator's word says (小女孩, 老奶奶; 小男孩, 王子), else ''."""
    if re.search(r"女|妈|母|奶奶|婆|姐|妹|姑|娘|妻|嫂|姨|公主|皇后|她", word):
        return "f"
    if re.search(r"男|爸|父|爷|公公|哥|弟|叔|伯|舅|王子|国王|夫|他", word):
        return "m"
    return ""


def person_ref(person: Person | None) -> str:
    if person is None:
        return ""
    return person.name if person.name[:1].isupper() else f"the {person.name}"  # "Old Chen", not "the Old Chen"
