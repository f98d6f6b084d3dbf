"""English clauses to scene facts, keeping the creator's own words: pronouns and missing subjects resolved
("reads it by lamplight" → "the lighthouse keeper reads the message by lamplight"), scene words looked up in
the lexicon (places, time, weather, people and their looks). Where and when a clause is set is read in
facts_en_scene.py, who it means in facts_en_people.py."""

from __future__ import annotations

import re

from models.storyboard import Weather
from models.writers.en_grammar import DETERMINERS, PREPOSITIONS, PRONOUNS, third_person, verb_forms
from models.writers.facts import GOING_HOME, Cast, Facts, Person, apply_weather_time, can_be_it, person_ref
from models.writers.facts_en_nouns import modifier_nouns, noun_of_noun, without_compounds
from models.writers.facts_en_people import (
    _HER_DOES,
    _HER_OBJECT,
    _ONE_OF,
    FEMALE,
    _en_person,
    _group_of,
    _he_or_she,
    _her_does,
    en_pair,
)
from models.writers.facts_en_scene import (
    _DAYS_LATER,
    _crowd_place,
    _joined_places,
    _place_choice,
    _place_name,
    activity_place,
    on_surface,
    outside_of,
    time_lead,
    to_the_water,
)
from models.writers.lexicon import Lexicon

_NUMBERS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "some", "many", "few"}


_OBJECTS = {"the", "a", "an", "it", "them", "some", "your", "its", "their", "his", "her", "up", "out", "in", "down"}


_FOLLOW_IT = re.compile(r"^(?:follow|chase|pet|stroke|feed|trail)(?:s|es|ed)?\s+it\b", re.I)


# "after a storm", "after the heavy rain": the weather said is over by now
_PAST_WEATHER = re.compile(r"\b(?:after|once)\s+(?:a|an|the|that|last night's)\s+(?:[\w-]+\s+)?$", re.I)
# The sky clears: "a calm morning", "a clear day", "the rain stopped", "the sun came out"
_CLEARED = re.compile(
    r"\b(?:calm|clear|sunny|bright|cloudless|fine)\s+(?:morning|day|afternoon|evening|night|dawn|sky|skies|sea)s?\b"
    r"|\b(?:rain|storm|snow|wind|downpour|blizzard|thunder)\s+(?:has\s+|had\s+)?(?:stops?|stopped|ends?|ended|"
    r"pass(?:es|ed)?|clears?|cleared|is over|was over|dies down|died down|eases|eased|lets up|let up)\b"
    r"|\bsun\s+(?:comes|came|has come|breaks|broke)\s+(?:out|through)\b|\bsk(?:y|ies)\s+(?:clears?|cleared)\b",
    re.I,
)


# "carries it home": where it goes, never part of the thing ("the lost puppy home")
_PARTICLES = {"down", "up", "out", "off", "back", "away", "over", "apart", "together", "open", "shut", "home"}


def object_noun(after_article: str) -> str:
    """The thing a verb acts on, up to three words ("finds a broken music box in the sand" → "broken music box"):
    the words before a preposition, a conjunction, an -ing word or a verb, or the end of a phrase."""
    words: list[str] = []
    for word in after_article.split()[:3]:
        bare = word.lower().strip(",.;:!?")
        stop = bare in PREPOSITIONS or bare in DETERMINERS or bare in ("and", "or", "but", "then", "while", "as")
        stop = stop or bare in _PARTICLES  # "fold the corners down": the corners
        stop = stop or bare in verb_forms()
        if not bare.replace("-", "").isalpha() or (words and (stop or bare.endswith("ing"))):
            break
        words.append(bare)
        if word[-1:] in ",.;:!?":
            break
    return " ".join(words)


def _is_verb(words: list[str], i: int, lex: Lexicon) -> bool:
    w = words[i].lower().strip(",.")
    # First word, then an object ("wedge the clay", "fire it in the kiln", "steam them"): an instruction, even
    # with a verb the list lacks or a word the lexicon knows as a noun ("fire", "steam").
    instruction = (
        i == 0
        and len(words) >= 2
        and words[1].lower().strip(",.") in _OBJECTS
        and (len(words) > 2 or words[1].lower().strip(",.") in ("it", "them"))
        and w.isalpha()
        and w not in DETERMINERS
        and w not in PREPOSITIONS
        and (w not in lex.en or lex.en[w].kind not in ("time", "person", "animal", "place"))
    )
    if w not in verb_forms():
        # Right after a subject pronoun, a word in -s or -ed is its verb even when the list lacks it
        # ("it shelters", "she knitted").
        after_pronoun = i > 0 and words[i - 1].lower() in ("he", "she", "it", "they", "we", "i", "you")
        # ... and so is one right after someone the tables know ("a young woman lends", "the old man mends"):
        # without it the whole clause became a character called "the young woman lends umbrella to old man"
        before = words[i - 1].lower().strip(",.") if i > 0 else ""
        after_someone = before in lex.en and lex.en[before].kind in ("person", "animal") and w not in lex.en
        return instruction or (
            (after_pronoun or after_someone) and w.isalpha() and len(w) > 3 and w.endswith(("s", "ed"))
        )
    if i > 0 and words[i - 1].lower() in DETERMINERS:
        return False  # "the plant", "a light"
    if noun_of_noun(words, i, lex):
        return False  # "a mother duck helps": the duck, said of what kind, and "helps" its verb
    if i == 0 and w in lex.en and lex.en[w].kind != "verb" and not instruction:
        return False  # "Rain falls" (a noun first)
    return True


def en_has_event(clause: str, lex: Lexicon) -> bool:
    words = clause.split()
    if any(_is_verb(words, i, lex) for i in range(len(words))):
        return True
    # "On a rainy night in Tokyo": where and when, joined to the event it sets; a long verbless phrase
    # of its own ("a red kite over golden fields") is a shot
    return len(words) > 4 and words[0].lower() not in PREPOSITIONS and words[0].lower() not in ("one", "every")


def en_facts(clause: str, lex: Lexicon, cast: Cast, relative_subject: str = "") -> Facts:
    """Facts of one English clause, keeping the creator's words: "reads it by lamplight" → "the lighthouse
    keeper reads the message by lamplight"."""
    facts = Facts()
    _lead, body = time_lead(clause)
    facts.later = bool(_DAYS_LATER.search(_lead))
    words = body.split()
    verb_at = next((i for i in range(len(words)) if _is_verb(words, i, lex)), -1)
    head = " ".join(words[:verb_at]) if verb_at > 0 else ""
    rest = " ".join(words[verb_at:]) if verb_at >= 0 else body
    subject: Person | None = None
    said_as = ""  # the subject as the sentence must say it, when that is not its name ("one of the astronauts")
    crowd_place = _crowd_place(head, lex)
    if crowd_place:  # "the whole square sings along": the people filling the square, a crowd
        subject = cast.add(Person(name="crowd", kind="group", plural=False))
        head = f"the crowd filling the {crowd_place}"
        facts.setting, facts.prep, facts.new_place = crowd_place, "in", True
    elif (
        head
        and not re.search(r"\b(?:in|at|on|by|near|from|of|with|inside)\b", head, re.I)  # "a robot in a junkyard"
        and _crowd_place("the whole " + re.sub(r"^(?:the|a|an)\s+", "", head, flags=re.I), lex)
    ):
        # "the market is full of fish": a place said as the subject is where it happens, not who
        subject = None
        facts.setting, facts.prep, facts.new_place = re.sub(r"^(?:the|a|an)\s+", "", head.lower()), "in", True
        rest = f"{head[:1].lower()}{head[1:]} {rest}"
    elif head.lower() in ("we", "you", "i", "they") and not any(p.kind == "person" for p in cast.people.values()):
        # "we see a blue sky", "They camp outside the city" with no one named: people, in frame (and the ones the
        # added shots follow, never a "subject" made of the idea's first words)
        # (the viewers, "we", are no characters with a look of their own)
        look = known.look if head.lower() == "they" and (known := lex.en.get("people")) else ""
        subject = cast.add(Person(name="people", zh="人们", look=look, kind="person", plural=True))
    elif (part := _ONE_OF.match(head)) and (group := _group_of(part.group(2), cast)) is not None:
        # "One of them catches it": one of the astronauts, drawn as the pair or group they belong to
        subject, head, said_as = group, "", f"{part.group(1).lower()} of the {group.name}"
    elif head.lower() in PRONOUNS:
        kind = PRONOUNS[head.lower()]
        last = cast.people.get(cast.last_subject)
        if kind == "t" and last is not None and can_be_it(last):
            subject = last  # "A robot finds a music box. It repairs it": the robot repairs, as before it found
        elif kind == "t" and cast.last_thing:
            subject = cast.people.get(cast.last_thing) or Person(name=cast.last_thing, kind="thing")
        elif head.lower() in ("he", "she"):
            # "She lands at the airport in the rain", no one named before: a woman, never the rain
            subject = _he_or_she(head.lower(), cast) or _en_person(
                "woman" if head.lower() == "she" else "man", lex, cast
            )
        else:
            subject = cast.people.get(cast.last_subject) or cast.main
        if kind == "p" and subject is not None and not subject.plural and len(cast.people) > 1:
            named = [p for p in cast.people.values() if p.kind in ("person", "animal")][-2:]
            if cast.main is not None and cast.main not in named:
                named = [cast.main, named[-1]]
            subject = Person(
                name=" and the ".join(p.name for p in named), kind="group", plural=True, members=[p.name for p in named]
            )
    elif head:
        subject = en_pair(head, lex, cast) or _en_person(head, lex, cast)
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
    if cast.main is not None and subject is not None and subject.name != cast.main.name:
        rest = re.sub(r"\bhim\b", f"the {cast.main.name}", rest, count=1)  # "his sister hugs him": the sailor
        if FEMALE.search(cast.main.name):  # "a pigeon brings her a key": the old woman, in frame
            said = _HER_OBJECT.sub(f"the {cast.main.name}", rest, count=1)
            rest = said if said != rest else _HER_DOES.sub(lambda m: _her_does(m, cast.main.name), rest, count=1)
    animal = next((p for p in reversed(cast.mentions) if p.kind == "animal" and p is not subject), None)
    if animal is not None and _FOLLOW_IT.match(rest):  # "follows it": the pigeon that came, not the key it brought
        rest = re.sub(r"\bit\b", f"the {animal.name}", rest, count=1)
    elif cast.last_thing:
        rest = re.sub(r"\bit\b", f"the {cast.last_thing}", rest, count=1)
        if cast.last_thing.endswith("s") and cast.last_thing not in cast.people:  # "roasting them": the beans
            rest = re.sub(r"\bthem\b", f"the {cast.last_thing}", rest, count=1)
    other = re.search(r"\b(while|as|and|when)\s+(he|she)\s+(?=\w)", rest)
    if other and subject is not None:  # "rides alone while he cheers": the grandfather cheering is in frame too
        who = _he_or_she(other[2], cast)
        if who is not None and who.name != subject.name:
            rest = rest.replace(other[0], f"{other[1]} {person_ref(who)} ", 1)
    found = lex.find_en(clause)
    place, written_place = _place_choice(clause, _joined_places(clause, found))
    if place is not None and not facts.setting:
        said = re.sub(r"^(?:the|a|an|his|her|their|its|your|my|our)\s+", "", written_place, flags=re.I)
        said = re.sub(r"^(?:very\s+)?same\s+", "", said, flags=re.I)  # "the same harbour": the harbour, again
        facts.setting = said if said[:1].isupper() and not clause.startswith(said) else said.lower()  # "Tokyo"
        facts.prep, facts.new_place = place.extras.get("prep", "in"), True
        rest = on_surface(rest, written_place)  # "sits in the mountain top": on it
        if (outside := outside_of(clause, facts.setting))[0]:
            facts.setting, facts.prep = outside
    if not facts.setting and GOING_HOME.search(clause):
        facts.setting, facts.prep, facts.new_place = "road home", "on", True  # "walks home laughing": on the way
    named, prep = _place_name(clause, cast)
    if named and not facts.setting:  # "along the Seine", "the view from Montmartre": a place by its name
        facts.setting, facts.prep, facts.new_place = named, prep, True
    if not facts.setting and verb_at >= 0 and (shore := to_the_water(rest))[0]:
        facts.setting, facts.prep, facts.new_place = *shore, True  # "carries it down to the water": on the shore
    if not facts.setting and verb_at >= 0 and (done := activity_place(rest, lex))[0]:
        facts.setting, facts.prep, facts.new_place = *done, True  # "go fishing": by the water
    joined = modifier_nouns(clause, found)
    if _CLEARED.search(clause):  # "on the first calm morning", "the rain stops": the bad weather is over
        facts.weather = Weather.CLEAR
    for entry, written, _at in found:
        if any(s <= _at < h for h, s in joined.items()):
            continue  # "baby" in "a baby bird": said of the bird, nobody of its own
        if _at in joined:  # the head noun: one character named as said, "baby bird"
            entry = entry.model_copy(update={"en": clause[joined[_at] : _at + len(written)].lower()})
        if entry.kind == "thing" and "tod" in entry.extras:  # "watch the stars from it": at night
            apply_weather_time(facts, entry, written.lower())
        if entry.kind == "place":
            continue
        elif entry.kind == "weather" and _PAST_WEATHER.search(clause[:_at]) and entry.extras.get("w") != "clear":
            facts.weather = facts.weather or Weather.CLOUDY  # "after a storm": it has passed, grey sky and wet rocks
        elif entry.kind in ("time", "weather", "season"):
            apply_weather_time(facts, entry, written.lower())
        elif entry.kind in ("person", "animal") and _said_as_verb(clause, written, _at):
            continue  # "and nurses it back to health": a verb, nobody new
        elif entry.kind in ("person", "animal") and (
            subject is None or not re.search(rf"\b{re.escape(entry.en)}\b", subject.name)  # "fish" is no "fisherman"
        ):
            cast.add(Person(name=entry.en, look=entry.look, plural=entry.plural, kind=entry.kind))
    obj = re.match(r"^\S+\s+(?:the|a|an|his|her|its|their)\s+(.+)", rest, re.I)
    before = cast.last_thing
    while obj:
        noun = object_noun(obj.group(1))
        # "feeds the seal pup fish": the pup fed, then what it is fed; "it" later is the pup, not a "seal pup fish"
        noun = next((n for n in cast.people if noun.startswith(n + " ")), noun)
        named = cast.people.get(noun)
        if noun and (named is None or can_be_it(named)):
            cast.last_thing = noun
            break
        # "brings the old woman a shiny key": she is not an "it", the key is
        obj = (
            re.match(rf"^{re.escape(noun)}\s+(?:the|a|an|his|her|its|their)\s+(.+)", obj.group(1), re.I)
            if noun
            else None
        )
    known = lex.en.get(cast.last_thing)
    if cast.last_thing != before and cast.last_thing not in cast.people and (known is None or known.kind != "place"):
        facts.thing = cast.last_thing  # "finds a flower": what the scene is about (not "cleans the beach": a place)
    if subject is not None and subject.kind not in ("person", "animal", "group") and cast.last_thing == before:
        cast.last_thing = subject.name  # "A bolt drifts away. … catches it": the thing that was the subject
    if head and head.lower() not in PRONOUNS and subject is not None and subject.kind != "group":
        # the creator's own subject phrase, qualifiers and all ("the courier on a bicycle")
        own = re.sub(r"^(?:a|an|the|one|some|his|her|their|its|our|my|your)\s+", "", head, flags=re.I)
        first = own.split()[0].lower()
        if own[:1].isupper() and (first in lex.en or first in _NUMBERS):  # "Morning comes", "Two friends": no name
            own = own[:1].lower() + own[1:]
        sentence = f"the {own} {rest}" if subject.name in own.lower() else f"{person_ref(subject)} {rest}"
    elif crowd_place:
        sentence = f"{head} {rest}"
    elif said_as:
        sentence = f"{said_as} {rest}"
    else:
        sentence = f"{person_ref(subject)} {rest}" if subject else rest
    facts.sentence = sentence.strip()
    facts.action = rest if subject or verb_at == 0 else ""  # an instruction ("mix flour and water") too
    facts.subjects = subject.name.split(" and the ") if subject else []
    facts.together = list(subject.members) if subject else []
    facts.subjects += [
        p.name
        for p in cast.people.values()
        if p.name not in facts.subjects
        and re.search(rf"\b{re.escape(p.name)}", without_compounds(f"{clause} {rest}", p.name, cast), re.I)
    ]
    if subject is not None and subject.kind in ("person", "animal"):
        cast.last_subject = subject.name
        if subject.kind == "person" and not subject.plural and not subject.gender:
            # "a clockmaker repairs a clock for his granddaughter": he, so "she laughs" later is not him
            his, her = re.search(r"\bhis\b", rest, re.I), re.search(r"\bhers?\b", _HER_OBJECT.sub("", rest), re.I)
            subject.gender = "m" if his and not her else "f" if her and not his else ""
    return facts


def _said_as_verb(clause: str, written: str, at: int) -> bool:
    after = clause[at + len(written) :].split()
    return bool(after) and after[0].lower().strip(",.") in ("it", "them", "him", "her", "me", "us")
