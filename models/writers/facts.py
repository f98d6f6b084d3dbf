"""Scene facts from one clause of an idea, in either language: who is in frame (main subject first), what
they do (an English verb phrase), where, when and in what weather, plus the English sentence that says it.

A `Cast` carries what one clause leaves to the next: the main subject, who "he"/"it" refer to, the current
place, time and weather (a scene that moves on keeps its place and time until the idea names new ones).
Chinese goes word by word through the lexicon (subject, verb, object, place); English keeps the creator's
own words, with pronouns and missing subjects resolved and scene words looked up.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pydantic import BaseModel, Field

from models.storyboard import TimeOfDay, Weather
from models.writers.lexicon import DATA, NOUN_KINDS, Entry, Lexicon

_DETERMINERS = {"a", "an", "the", "his", "her", "their", "its", "our", "my", "your", "one", "some", "every", "each", "this", "that"}
_PRONOUNS = {"he": "s", "she": "s", "it": "t", "they": "p", "we": "p", "him": "s", "her": "s", "them": "p"}
_PREPOSITIONS = {"in", "on", "at", "by", "with", "into", "onto", "through", "across", "along", "over", "under", "from", "to", "toward", "towards", "past", "beside", "behind", "around", "before", "after", "for", "of", "near", "inside", "out"}


class Person(BaseModel):
    """Someone (or something) the story follows, and the look repeated in every scene they are in."""

    name: str  # English, as descriptions name it ("old fisherman")
    zh: str = ""  # the creator's word, for narration ("老渔夫")
    look: str = ""
    plural: bool = False
    kind: str = "person"
    place: str = ""  # where this subject is usually found (a fisherman: the open sea), for shots before any place


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


class Cast(BaseModel):
    """What a clause leaves to the next."""

    main: Person | None = None
    people: dict[str, Person] = Field(default_factory=dict)  # name → person, in order of appearance
    last_subject: str = ""  # name of the last clause's subject
    last_thing: str = ""  # the last object or non-main subject, for "it"
    setting: str = ""
    prep: str = "in"
    setting_zh: str = ""
    time_of_day: TimeOfDay | None = None
    time: str = ""
    time_zh: str = ""
    weather: Weather | None = None

    def add(self, person: Person) -> Person:
        known = self.people.get(person.name)
        if known is None:
            self.people[person.name] = known = person
        if self.main is None and person.kind in ("person", "animal"):
            self.main = known
        return known


@functools.cache
def verb_forms() -> dict[str, str]:
    """Every form of the common verbs → its base form ("finds" → "find", "found" → "find")."""
    forms: dict[str, str] = {}
    for line in Path(DATA, "en_verbs.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for item in line.split():
            base, *irregular = item.split(":")
            for form in [base, third_person(base), _ing(base), base + ("d" if base.endswith("e") else "ed"), *irregular]:
                forms.setdefault(form, base)
    return forms


def third_person(verb_phrase: str) -> str:
    """'run into' → 'runs into'; 'be' → 'is'."""
    first, _, rest = verb_phrase.partition(" ")
    if first == "be":
        first = "is"
    elif first == "have":
        first = "has"
    elif re.search(r"[^aeiou]y$", first):
        first = first[:-1] + "ies"
    elif re.search(r"(s|sh|ch|x|z|o)$", first):
        first += "es"
    else:
        first += "s"
    return f"{first} {rest}".strip()


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


def _apply_weather_time(facts: Facts, entry: Entry, words: str) -> None:
    if entry.kind == "time" and facts.time_of_day is None:
        facts.time_of_day = TimeOfDay(entry.extras.get("tod", "day"))
        facts.time = words
        if entry.zh != "-":
            facts.time_zh = entry.zh
    elif entry.kind in ("weather", "season") and "w" in entry.extras and facts.weather is None:
        facts.weather = Weather(entry.extras["w"])
    if entry.kind == "season":
        facts.season = entry.en


def _ref(person: Person | None) -> str:
    return f"the {person.name}" if person else ""


# -- Chinese ----------------------------------------------------------------------------------------------
def zh_facts(clause: str, lex: Lexicon, cast: Cast) -> Facts:
    """Facts of one Chinese clause, read word by word: [subject][time][在 place][verb][object]."""
    facts = Facts()
    words: list[tuple[str, Entry]] = []
    for word in lex.cut(clause):
        entry = lex.lookup(word)
        if entry is None:
            words += [(p, lex.zh[p]) for p in lex.split_unknown(word)]
        else:
            words.append((word, entry))
    adjectives: list[str] = []
    subject: Person | None = None
    verbs: list[tuple[Entry, list[str]]] = []  # each verb with the objects after it
    advs: list[str] = []
    things: list[str] = []
    owner = ""
    held: list[str] = []  # 把 + object: what the next verb acts on
    ba = False
    for i, (word, entry) in enumerate(words):
        kind = entry.kind
        if word == "把":
            ba = True
            continue
        if kind == "adj":
            adjectives.append(entry.en)
        elif kind == "adv":
            advs.append(entry.en)
        elif kind in ("time", "weather", "season"):
            _apply_weather_time(facts, entry, entry.en)
            if kind == "weather" and verbs:
                countable = re.search(r"storm|typhoon|gust|downpour", entry.en)
                verbs[-1][1].append(f"a {entry.en}" if countable else entry.en)
            elif kind == "weather":
                things.append(entry.en)
        elif kind == "place":
            name = " ".join([*adjectives, entry.en])
            adjectives = []
            if verbs and verbs[-1][0].extras.get("obj") == "place" and not verbs[-1][1]:
                verbs[-1][1].append(f"the {name}")
            facts.setting, facts.prep, facts.setting_zh, facts.new_place = name, entry.extras.get("prep", "in"), word, True
        elif kind in NOUN_KINDS:
            name = " ".join([*adjectives, entry.en])
            adjectives = []
            nxt = words[i + 1][0] if i + 1 < len(words) else ""
            if nxt == "的" and kind in ("person", "animal") and i + 2 < len(words) and words[i + 2][1].kind in NOUN_KINDS + ("place",):
                owner = f"the {name}'s "
                continue
            if kind in ("person", "animal") or (not verbs and subject is None and kind != "food"):
                person = cast.add(Person(name=name, zh=word, look=entry.look, plural=entry.plural, kind=kind, place=entry.extras.get("place", "")))
                if not verbs and subject is None:
                    subject = person
                    continue
                ref = _ref(person)
            else:
                ref = f"{owner}{name}" if owner else (name if entry.plural or entry.mass or kind == "food" else f"a {name}")
                owner = ""
                if kind == "thing" and "qty" not in entry.extras:
                    cast.last_thing = name
            prev = words[i - 1][1].kind if i > 0 else ""
            target = held if ba and not verbs else verbs[-1][1] if verbs else things
            if prev in ("thing", "food", "product") and target and kind in ("thing", "food", "product"):
                target[-1] = f"{target[-1]} {entry.en}"  # "音乐" + "喷泉": one compound noun, a music fountain
            else:
                target.append(ref)
            if "place" in entry.extras and not facts.setting and not cast.setting:
                facts.setting = entry.extras["place"]
        elif kind == "pron":
            if entry.en in ("he", "she"):
                person = cast.main if cast.main and cast.main.kind == "person" else cast.people.get(cast.last_subject)
            elif entry.en == "it":
                person = cast.people.get(cast.last_thing) or (Person(name=cast.last_thing, kind="thing") if cast.last_thing else None)
            else:
                person = cast.people.get(cast.last_subject) or cast.main
            if not verbs and subject is None:
                subject = person
            elif verbs and person is not None:
                verbs[-1][1].append(_ref(person))
        elif kind == "verb":
            if verbs and not verbs[-1][1] and verbs[-1][0].en in ("go to", "come to"):
                verbs.pop()  # "去看": go and look → look
            if held:  # "把情书藏在盒里": hide the letter in the box
                verb, _, prep = entry.en.rpartition(" ")
                if prep in ("in", "on", "into", "to", "at", "for") and verb:
                    entry = entry.model_copy(update={"en": f"{verb} {' and '.join(held)} {prep}"})
                else:
                    entry = entry.model_copy(update={"en": f"{entry.en} {' and '.join(held)}"})
                held, ba = [], False
            verbs.append((entry, []))
            if subject is None and "agent" in entry.extras:
                agent = lex.en.get(entry.extras["agent"])
                subject = cast.add(Person(name=entry.extras["agent"], look=agent.look if agent else "", kind="person"))
            if "place" in entry.extras and not facts.setting:
                facts.setting, facts.prep = entry.extras["place"], "on" if "sea" in entry.extras["place"] else "in"
    if subject is None and verbs and facts.time and _time_first(words):
        subject = Person(name=facts.time, kind="thing")  # "清晨终于来了": the morning itself arrives
    if subject is None and verbs:
        subject = cast.people.get(cast.last_subject) or cast.main
    if adjectives:  # "零糖零卡": qualities with no noun after them are what the shot shows
        (verbs[-1][1] if verbs else things).append(" ".join(adjectives))
    if not verbs and not things and subject is None and (facts.season or facts.time):
        things.append(" ".join(w for w in (facts.season, facts.time) if w))  # "适合夏天的午后": a summer afternoon
    return _finish(facts, cast, subject, verbs, things, advs)


def _time_first(words: list[tuple[str, Entry]]) -> bool:
    """Whether a time word comes before the clause's first verb, with no one named before it."""
    for _word, entry in words:
        if entry.kind == "time":
            return True
        if entry.kind in ("verb", "person", "animal", "pron"):
            return False
    return False


def _finish(facts: Facts, cast: Cast, subject: Person | None, verbs, things: list[str], advs: list[str]) -> Facts:
    parts = []
    # A verb that needs an object it did not get ("煮到…": boil and arrive at) says nothing: leave it out.
    verbs = [v for k, v in enumerate(verbs) if k == 0 or v[1] or not re.search(r"\b(at|to|into|for|with)$", v[0].en)]
    if verbs:
        for k, (entry, objects) in enumerate(verbs[:3]):
            phrase = entry.en if (subject is None or subject.plural) else third_person(entry.en)
            if k == 0 and subject is not None:
                phrase = f"{_ref(subject)} {phrase}"
            parts.append(" ".join([phrase, " and ".join(objects)]).strip())
        sentence = " and ".join(parts)
        if advs:
            sentence += " " + " ".join(a for a in advs if a not in ("every day", "always"))
        facts.action = " and ".join(p.removeprefix(f"{_ref(subject)} ") for p in parts)
    else:
        sentence = ", ".join(([_ref(subject)] if subject else []) + things)
    if things and verbs:
        sentence += ", " + ", ".join(things)
    facts.sentence = sentence.strip(" ,")
    facts.subjects = [p for p in ([subject.name] if subject else [])]
    for _entry, objects in verbs:
        facts.subjects += [o.removeprefix("the ") for o in objects if o.removeprefix("the ") in cast.people]
    if subject is not None:
        cast.last_subject = subject.name
    return facts


# -- English -------------------------------------------------------------------------------------------------
def _is_verb(words: list[str], i: int, lex: Lexicon) -> bool:
    w = words[i].lower().strip(",.")
    if w not in verb_forms():
        return False
    if i > 0 and words[i - 1].lower() in _DETERMINERS:
        return False  # "the plant", "a light"
    if i == 0 and w in lex.en and lex.en[w].kind != "verb":
        return False  # "Rain falls" (a noun first)
    return True


def en_has_event(clause: str, lex: Lexicon) -> bool:
    words = clause.split()
    return any(_is_verb(words, i, lex) for i in range(len(words))) or len(words) > 4


def en_facts(clause: str, lex: Lexicon, cast: Cast, relative_subject: str = "") -> Facts:
    """Facts of one English clause, keeping the creator's words: "reads it by lamplight" → "the lighthouse
    keeper reads the message by lamplight"."""
    facts = Facts()
    words = clause.split()
    verb_at = next((i for i in range(len(words)) if _is_verb(words, i, lex)), -1)
    head = " ".join(words[:verb_at]) if verb_at > 0 else ""
    rest = " ".join(words[verb_at:]) if verb_at >= 0 else clause
    subject: Person | None = None
    if head.lower() in _PRONOUNS:
        kind = _PRONOUNS[head.lower()]
        if kind == "t" and cast.last_thing:
            subject = cast.people.get(cast.last_thing) or Person(name=cast.last_thing, kind="thing")
        else:
            subject = cast.people.get(cast.last_subject) or cast.main
        if kind == "p" and subject is not None and not subject.plural and len(cast.people) > 1:
            named = [p for p in cast.people.values() if p.kind in ("person", "animal")][-2:]
            if cast.main is not None and cast.main not in named:
                named = [cast.main, named[-1]]
            subject = Person(name=" and the ".join(p.name for p in named), kind="group", plural=True)
    elif head:
        subject = _en_person(head, lex, cast)
    elif verb_at == 0:
        subject = _en_person(relative_subject, lex, cast) if relative_subject and not cast.people else None
        subject = subject or cast.people.get(cast.last_subject) or cast.main
        if subject is not None and subject.plural:
            pass
        elif subject is not None:
            first = words[0].lower()
            if verb_forms().get(first) == first:  # "sail to" after a singular subject reads "sails to"
                rest = third_person(first) + rest[len(first) :]
    elif verb_at < 0:
        subject = None
    # "it" after the verb: the last thing named
    if cast.last_thing:
        rest = re.sub(r"\bit\b", f"the {cast.last_thing}", rest, count=1)
    for entry, written, _at in lex.find_en(clause):
        if entry.kind == "place":
            if not facts.setting:
                m = re.search(
                    r"\b(?:in|on|at|by|into|through|across|along|over|to|from|toward|inside|near|under|behind|beside)\s+"
                    r"((?:(?:the|a|an|his|her|their|its)\s+)?(?:[\w-]+\s+){0,2}?" + re.escape(written) + r")\b",
                    clause,
                    re.I,
                )
                facts.setting = re.sub(r"^(?:the|a|an)\s+", "", (m.group(1) if m else written).lower())
                facts.prep, facts.new_place = entry.extras.get("prep", "in"), True
        elif entry.kind in ("time", "weather", "season"):
            _apply_weather_time(facts, entry, written)
        elif entry.kind in ("person", "animal") and (subject is None or entry.en not in subject.name):
            cast.add(Person(name=entry.en, look=entry.look, plural=entry.plural, kind=entry.kind))
    obj = re.match(r"^\S+\s+((?:the|a|an|his|her|its|their)\s+[\w-]+(?:\s+[\w-]+)?)", rest, re.I)
    if obj:
        noun = re.sub(r"^(the|a|an|his|her|its|their)\s+", "", obj.group(1), flags=re.I)
        noun = noun.split(" ")[0] if noun.split(" ")[-1].lower() in _PREPOSITIONS else noun
        cast.last_thing = noun
    if subject is not None and subject.kind not in ("person", "animal", "group"):
        cast.last_thing = subject.name
    if head and head.lower() not in _PRONOUNS and subject is not None and subject.kind != "group":
        # the creator's own subject phrase, qualifiers and all ("the courier on a bicycle")
        own = re.sub(r"^(?:a|an|the|one|some)\s+", "", head, flags=re.I)
        if own[:1].isupper() and own.split()[0].lower() in lex.en:  # "Morning comes": not a name
            own = own[:1].lower() + own[1:]
        sentence = f"the {own} {rest}" if subject.name in own.lower() else f"{_ref(subject)} {rest}"
    else:
        sentence = f"{_ref(subject)} {rest}" if subject else rest
    facts.sentence = sentence.strip()
    facts.action = rest if subject else ""
    facts.subjects = subject.name.split(" and the ") if subject else []
    facts.subjects += [p.name for p in cast.people.values() if p.name not in facts.subjects and re.search(rf"\b{re.escape(p.name)}", clause, re.I)]
    if subject is not None and subject.kind in ("person", "animal"):
        cast.last_subject = subject.name
    return facts


def _en_person(phrase: str, lex: Lexicon, cast: Cast) -> Person:
    """The subject a noun phrase names ("A lighthouse keeper" → the lighthouse keeper, with a look)."""
    words = [w for w in phrase.strip(" ,").split() if w.lower() not in _DETERMINERS]
    look_m = re.search(r"\b(in|with|wearing)\s+(a|an|the|his|her)?\s*(.+)$", " ".join(words))
    own_look = look_m.group(0) if look_m else ""
    name = " ".join(words[: len(words) - len(look_m.group(0).split())] if look_m else words).lower()
    name = re.sub(r"\s+(on|at|by|from)\s+.*$", "", name) or phrase.lower()
    known = [e for e, w, _ in lex.find_en(name) if e.kind in ("person", "animal")]
    for person in cast.people.values():
        if person.name == name or name.endswith(person.name) or person.name.endswith(name):
            return person
    entry = known[-1] if known else lex.en.get(name.split()[-1] if name else "")
    look = own_look or (entry.look if entry else "")
    kind = entry.kind if entry and entry.kind in ("person", "animal") else ("thing" if entry is None else entry.kind)
    plural = bool(entry and entry.plural) or (name.endswith("s") and not name.endswith("ss") and kind != "person")
    place = entry.extras.get("place", "") if entry else ""
    return cast.add(Person(name=name, look=look, plural=plural, kind=kind if kind in ("person", "animal") else "thing", place=place))
