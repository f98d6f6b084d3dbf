"""English clauses to scene facts, keeping the creator's own words: pronouns and missing subjects resolved
("reads it by lamplight" → "the lighthouse keeper reads the message by lamplight"), scene words looked up in
the lexicon (places, time, weather, people and their looks)."""

from __future__ import annotations

import re

from models.writers.en_grammar import _DETERMINERS, _PREPOSITIONS, _PRONOUNS, third_person, verb_forms
from models.writers.facts import Cast, Facts, Person, _apply_weather_time, _ref, can_be_it
from models.writers.facts_en_nouns import modifier_nouns, noun_of_noun, without_compounds
from models.writers.lexicon import Lexicon

_TIMES = r"(?:dawn|sunrise|first light|morning|noon|midday|afternoon|evening|dusk|sunset|night|midnight|day|week|year|weekend|winter|summer|spring|autumn|fall)"
# A time or transition that opens a clause ("at midnight", "years later", "every evening"): when, not who.
TIME_LEAD = re.compile(
    rf"^(?:(?:at|in|by|during|before|after|on|through|until)\s+(?:the\s+)?(?:(?:early|late|next|same|following)\s+)?{_TIMES}s?"
    # "On a rainy evening a young woman lends…"; with a comma ahead ("On a rainy night in Tokyo, a detective")
    # the scene lead below says where as well as when
    rf"|(?:at|in|on|during)\s+(?:the|a|an)\s+(?:rainy|snowy|stormy|cold|warm|hot|quiet|sunny|foggy|windy|dark)\s+"
    rf"{_TIMES}s?(?![^,]*,)"
    rf"|(?:the\s+)?(?:next|one|that|this|every|each|early|late|later that|some|the following)\s+{_TIMES}s?"
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
_WHOLE = re.compile(r"^(?:the\s+)?(?:whole|entire|all the|all of the|every\w*\s+in the)\s+", re.I)
_NUMBERS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "some", "many", "few"}


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


_OBJECTS = {"the", "a", "an", "it", "them", "some", "your", "its", "their", "his", "her", "up", "out", "in", "down"}


_FEMALE = re.compile(
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
    woman for "she" before someone whose word says no sex), else the main character. A pigeon that brought
    her a key is never "she"."""
    same, other = (_FEMALE, _MALE) if pronoun == "she" else (_MALE, _FEMALE)

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
    return cast.main


_FOLLOW_IT = re.compile(r"^(?:follow|chase|pet|stroke|feed|trail)(?:s|es|ed)?\s+it\b", re.I)
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


# "carries it home": where it goes, never part of the thing ("the lost puppy home")
_PARTICLES = {"down", "up", "out", "off", "back", "away", "over", "apart", "together", "open", "shut", "home"}


def _object_noun(after_article: str) -> str:
    """The thing a verb acts on, up to three words ("finds a broken music box in the sand" → "broken music box"):
    the words before a preposition, a conjunction, an -ing word or a verb, or the end of a phrase."""
    words: list[str] = []
    for word in after_article.split()[:3]:
        bare = word.lower().strip(",.;:!?")
        stop = bare in _PREPOSITIONS or bare in _DETERMINERS or bare in ("and", "or", "but", "then", "while", "as")
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
        and w not in _DETERMINERS
        and w not in _PREPOSITIONS
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
    if i > 0 and words[i - 1].lower() in _DETERMINERS:
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
    return len(words) > 4 and words[0].lower() not in _PREPOSITIONS and words[0].lower() not in ("one", "every")


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
    elif head.lower() in ("we", "you", "i") and not any(p.kind == "person" for p in cast.people.values()):
        subject = Person(name="people", kind="group", plural=True)  # "we see a blue sky": the viewers, in frame
    elif (part := _ONE_OF.match(head)) and (group := _group_of(part.group(2), cast)) is not None:
        # "One of them catches it": one of the astronauts, drawn as the pair or group they belong to
        subject, head, said_as = group, "", f"{part.group(1).lower()} of the {group.name}"
    elif head.lower() in _PRONOUNS:
        kind = _PRONOUNS[head.lower()]
        last = cast.people.get(cast.last_subject)
        if kind == "t" and last is not None and can_be_it(last):
            subject = last  # "A robot finds a music box. It repairs it": the robot repairs, as before it found
        elif kind == "t" and cast.last_thing:
            subject = cast.people.get(cast.last_thing) or Person(name=cast.last_thing, kind="thing")
        elif head.lower() in ("he", "she"):
            subject = _he_or_she(head.lower(), cast)
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
    if cast.main is not None and subject is not None and subject.name != cast.main.name:
        rest = re.sub(r"\bhim\b", f"the {cast.main.name}", rest, count=1)  # "his sister hugs him": the sailor
        if _FEMALE.search(cast.main.name):  # "a pigeon brings her a key": the old woman, in frame
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
            rest = rest.replace(other[0], f"{other[1]} {_ref(who)} ", 1)
    found = lex.find_en(clause)
    place, written_place = _place_choice(clause, _joined_places(clause, found))
    if place is not None and not facts.setting:
        said = re.sub(r"^(?:the|a|an|his|her|their|its|your|my|our)\s+", "", written_place, flags=re.I)
        said = re.sub(r"^(?:very\s+)?same\s+", "", said, flags=re.I)  # "the same harbour": the harbour, again
        facts.setting = said if said[:1].isupper() and not clause.startswith(said) else said.lower()  # "Tokyo"
        facts.prep, facts.new_place = place.extras.get("prep", "in"), True
    named, prep = _place_name(clause, cast)
    if named and not facts.setting:  # "along the Seine", "the view from Montmartre": a place by its name
        facts.setting, facts.prep, facts.new_place = named, prep, True
    joined = modifier_nouns(clause, found)
    for entry, written, _at in found:
        if any(s <= _at < h for h, s in joined.items()):
            continue  # "baby" in "a baby bird": said of the bird, nobody of its own
        if _at in joined:  # the head noun: one character named as said, "baby bird"
            entry = entry.model_copy(update={"en": clause[joined[_at] : _at + len(written)].lower()})
        if entry.kind == "thing" and "tod" in entry.extras:  # "watch the stars from it": at night
            _apply_weather_time(facts, entry, written.lower())
        if entry.kind == "place":
            continue
        elif entry.kind in ("time", "weather", "season"):
            _apply_weather_time(facts, entry, written.lower())
        elif entry.kind in ("person", "animal") and _said_as_verb(clause, written, _at):
            continue  # "and nurses it back to health": a verb, nobody new
        elif entry.kind in ("person", "animal") and (subject is None or entry.en not in subject.name):
            cast.add(Person(name=entry.en, look=entry.look, plural=entry.plural, kind=entry.kind))
    obj = re.match(r"^\S+\s+(?:the|a|an|his|her|its|their)\s+(.+)", rest, re.I)
    before = cast.last_thing
    while obj:
        noun = _object_noun(obj.group(1))
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
    if head and head.lower() not in _PRONOUNS and subject is not None and subject.kind != "group":
        # the creator's own subject phrase, qualifiers and all ("the courier on a bicycle")
        own = re.sub(r"^(?:a|an|the|one|some|his|her|their|its|our|my|your)\s+", "", head, flags=re.I)
        first = own.split()[0].lower()
        if own[:1].isupper() and (first in lex.en or first in _NUMBERS):  # "Morning comes", "Two friends": no name
            own = own[:1].lower() + own[1:]
        sentence = f"the {own} {rest}" if subject.name in own.lower() else f"{_ref(subject)} {rest}"
    elif crowd_place:
        sentence = f"{head} {rest}"
    elif said_as:
        sentence = f"{said_as} {rest}"
    else:
        sentence = f"{_ref(subject)} {rest}" if subject else rest
    facts.sentence = sentence.strip()
    facts.action = rest if subject or verb_at == 0 else ""  # an instruction ("mix flour and water") too
    facts.subjects = subject.name.split(" and the ") if subject else []
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


def _said_as_verb(clause: str, written: str, at: int) -> bool:
    after = clause[at + len(written) :].split()
    return bool(after) and after[0].lower().strip(",.") in ("it", "them", "him", "her", "me", "us")


def _crowd_place(head: str, lex: Lexicon) -> str:
    """The place a subject phrase names when a place stands for its people ("the whole square", "the entire
    village"): they are a crowd there, never a person called "whole square"."""
    m = _WHOLE.match(head.strip())
    if not m:
        return ""
    rest = head.strip()[m.end() :].lower()
    places = [w for e, w, _ in lex.find_en(rest, ("place",))]
    return rest if places and rest.endswith(places[-1].lower()) else ""


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
    words = [w for w in said.split() if w.lower() not in _DETERMINERS]
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
