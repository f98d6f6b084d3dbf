"""Who an English clause means: "he"/"she"/"her" resolved against the cast, "one of them", and the person
or animal a subject phrase names, with its look ("A lighthouse keeper" → the lighthouse keeper)."""

from __future__ import annotations

import re

from models.writers.en_grammar import DETERMINERS, verb_forms
from models.writers.facts import Cast, Person
from models.writers.lexicon import Lexicon

FEMALE = re.compile(
    r"\b(woman|women|girl|lady|mother|mum|mom|grandmother|grandma|granny|sister|daughter|wife|aunt|queen|"
    r"princess|widow|bride|nun|actress|waitress|heroine|granddaughter|niece|girlfriend|schoolgirl)\b"
)
# "her" as an object (followed by an article, a preposition, an adverb or the end), not "her key"
_HER_OBJECT = re.compile(
    r"\bher\b(?=\s+(?:a|an|the|some|to|into|back|home|up|away|off|out|for|with|by)\b|\s*[,.!?;]|\s*$)"
)
# "helps her make", "lets her go", "watches her dance": she is the one helped (when a verb follows, not "her bag")
_HER_DOES = re.compile(
    r"\b((?:help(?:s|ed)?|lets?|watch(?:es|ed)?|sees?|saw|hears?|heard|teach(?:es)?|taught)\s+)her\s+(\w+)"
)
_MALE = re.compile(
    r"\b(man|men|boy|gentleman|father|dad|grandfather|grandpa|brother|son|husband|uncle|king|prince|widower|"
    r"groom|monk|fisherman|sailor|hero|grandson|nephew|boyfriend|schoolboy)\b"
)


def _her_does(m: re.Match, name: str) -> str:
    return f"{m[1]}the {name} {m[2]}" if verb_forms().get(m[2].lower()) == m[2].lower() else m[0]


def _he_or_she(pronoun: str, cast: Cast) -> Person | None:
    """Who "he" or "she" is: the last subject if a person who can be, else the nearest such person named (a
    woman for "she" before someone whose word says no sex), else the main character unless they are of the
    other sex (then None: someone not named yet). A pigeon that brought
    her a key is never "she"."""
    same, other = (FEMALE, _MALE) if pronoun == "she" else (_MALE, FEMALE)

    want = "m" if pronoun == "he" else "f"

    def fits(p: Person) -> bool:
        return p.kind == "person" and not p.plural and not other.search(p.name) and p.gender in ("", want)

    last = cast.people.get(cast.last_subject)
    if last is not None and fits(last):
        return last
    for test in (lambda p: fits(p) and (same.search(p.name) or p.gender == want), fits):
        found = next((p for p in reversed(cast.mentions) if test(p)), None)
        if found is not None:
            return found
    main = cast.main
    if main is not None and main.kind == "person" and (other.search(main.name) or main.gender not in ("", want)):
        return None  # "she" is never the brother: someone not named yet
    return main


_ONE_OF = re.compile(r"^(one|two|both|each|all|some|none)\s+of\s+(them|us|the\s+[\w\s-]+)$", re.I)


def _group_of(said: str, cast: Cast) -> Person | None:
    """The group "them" or "the astronauts" means: the last plural subject, or the plural one named."""
    said = re.sub(r"^the\s+", "", said.lower()).strip()
    if said in ("them", "us"):
        last = cast.people.get(cast.last_subject)
        return (
            last
            if last is not None and last.plural
            else next((p for p in reversed(list(cast.people.values())) if p.plural), None)
        )
    return next(
        (p for p in cast.people.values() if p.plural and (p.name.endswith(said) or said.endswith(p.name))), None
    )


_PERSON_WORD = re.compile(
    r"(?:keeper|maker|smith|seller|monger|worker|farmer|teacher|baker|driver|rider|player|singer|dancer|painter|"
    r"writer|hunter|herder|climber|diver|fighter|blower|grower|picker|weaver|carver|potter|builder|sailor|tailor|"
    r"doctor|hiker|runner|walker|skier|surfer|swimmer|camper|travell?er|visitor|explorer|shopper|customer|owner|"
    r"stranger|neighbou?r|officer|waiter|soldier|student|pilot|chef|sister|brother|mother|father|son|daughter|"
    r"aunt|uncle|wife|husband|friend|cousin|niece|nephew|grandson|granddaughter|"
    r"ist|ian|man|woman|men|women|girl|boy)s?$"
)


_AGES = ("old", "young", "elderly", "little", "teenage", "middle-aged")


def _same_age(look: str, name: str) -> str:
    """The lexicon's look, told the creator's age ("two old friends": old friends, not "young friends")."""
    said = next((a for a in _AGES if re.search(rf"\b{a}\b", name)), "")
    if not said:
        return look
    return re.sub(rf"\b(?:{'|'.join(a for a in _AGES if a != said)})\b", said, look, count=1)


def _en_person(phrase: str, lex: Lexicon, cast: Cast) -> Person:
    """The subject a noun phrase names ("A lighthouse keeper" → the lighthouse keeper, with a look)."""
    phrase = phrase.strip(" ,")
    # the look as the creator said it ("in a white suit"), so a scene that repeats their words says it once
    look_m = re.search(r"\b(in|with|wearing)\s+(a|an|the|his|her)?\s*(.+)$", phrase)
    at_place = bool(look_m and look_m.group(1) == "in" and lex.find_en(look_m.group(3), ("place",)))
    own_look = look_m.group(0) if look_m and not at_place else ""  # "a robot in a junkyard": where, not a look
    said = phrase[: look_m.start()] if look_m else phrase
    words = [w for w in said.split() if w.lower() not in DETERMINERS]
    name = " ".join(words).lower()
    name = re.sub(r"\s+(on|at|by|from)\s+.*$", "", name) or phrase.lower()
    # "an old fisherman's granddaughter" is the granddaughter: the owner is said where the idea says it, and
    # every later line would otherwise repeat "the old fisherman's granddaughter's hands"
    owned = re.match(r"^.+?'s\s+(.+)$", name)
    if owned and any(e.kind in ("person", "animal") for e, _, _ in lex.find_en(owned.group(1))):
        name = owned.group(1)
    known = [e for e, w, _ in lex.find_en(name) if e.kind in ("person", "animal")]
    for person in cast.people.values():
        # whole words: "the man" is the old man, not the young postman
        if person.name == name or name.endswith(" " + person.name) or person.name.endswith(" " + name):
            return person
    last = name.split()[-1] if name else ""
    singular = re.sub(r"men$", "man", last) if last.endswith("men") else re.sub(r"(?<!s)s$", "", last)
    entry = known[-1] if known else lex.en.get(last) or lex.en.get(singular)
    look = own_look or _same_age(entry.look if entry else "", name)
    kind = entry.kind if entry and entry.kind in ("person", "animal") else ("thing" if entry is None else entry.kind)
    if entry is None and _PERSON_WORD.search(last):  # "a beekeeper", "the glassblower": someone, not a thing
        kind = "person"
    plural = bool(entry and entry.plural) or name.endswith("men") or (name.endswith("s") and not name.endswith("ss"))
    plural = plural or " and " in name  # "a fox and a crow"
    place = entry.extras.get("place", "") if entry else ""
    return cast.add(
        Person(name=name, look=look, plural=plural, kind=kind if kind in ("person", "animal") else "thing", place=place)
    )


def en_pair(phrase: str, lex: Lexicon, cast: Cast) -> Person | None:
    """ "A boy and his father", "the fox and the crow": each one someone of their own (both drawn), said
    together as a group; None unless both sides name a person or an animal."""
    sides = re.split(r"\s+and\s+", phrase.strip(" ,"), flags=re.I)
    if len(sides) != 2:
        return None
    people = []
    for side in sides:
        name = " ".join(w for w in side.split() if w.lower() not in DETERMINERS).lower()
        if not any(e.kind in ("person", "animal") for e, _w, _at in lex.find_en(name)):
            return None
        people.append(_en_person(side, lex, cast))
    if people[0] is people[1] or any(p.plural for p in people):
        return None
    return Person(
        name=" and the ".join(p.name for p in people), kind="group", plural=True, members=[p.name for p in people]
    )
