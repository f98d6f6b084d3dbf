"""English clauses to scene facts, keeping the creator's own words: pronouns and missing subjects resolved
("reads it by lamplight" → "the lighthouse keeper reads the message by lamplight"), scene words looked up in
the lexicon (places, time, weather, people and their looks)."""

from __future__ import annotations

import re

from models.writers.facts import (
    _DETERMINERS,
    _PREPOSITIONS,
    _PRONOUNS,
    Cast,
    Facts,
    Person,
    _apply_weather_time,
    _ref,
    third_person,
    verb_forms,
)
from models.writers.lexicon import Lexicon


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
            _apply_weather_time(facts, entry, written.lower())
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
    facts.action = rest if subject or verb_at == 0 else ""  # an instruction ("mix flour and water") too
    facts.subjects = subject.name.split(" and the ") if subject else []
    facts.subjects += [
        p.name
        for p in cast.people.values()
        if p.name not in facts.subjects and re.search(rf"\b{re.escape(p.name)}", clause, re.I)
    ]
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
    return cast.add(
        Person(name=name, look=look, plural=plural, kind=kind if kind in ("person", "animal") else "thing", place=place)
    )
