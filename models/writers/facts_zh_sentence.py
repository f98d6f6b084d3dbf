"""The English sentence a read Chinese clause becomes ("the grandmother wraps rice dumplings"), and who
it puts in frame: the last step of facts_zh.py."""

from __future__ import annotations

import re

from models.writers.en_grammar import third_person, with_article
from models.writers.facts import Cast, Facts, Person, person_ref

# Parts of a body: whose they are is in frame with them (摸了摸他的头: the grandson is there too).
BODY = re.compile(r"\b(head|face|hair|hands?|cheeks?|shoulders?|back|arms?|nose|ears?|eyes|forehead|feet|paws?|tail)$")


_PARTICLES = ("up", "down", "out", "off", "back", "away", "over")


def _objective(person: Person) -> str:
    """How a sentence says this person again as an object: him, her, them, it."""
    if person.plural or person.members:
        return "them"
    return {"f": "her", "m": "him"}.get(person.gender, "it" if person.kind != "person" else "them")


def finish(facts: Facts, cast: Cast, subject: Person | None, verbs, things: list[str], advs: list[str]) -> Facts:
    parts = []
    # A verb that needs an object it did not get ("煮到…": boil and arrive at) says nothing: leave it out.
    verbs = [v for k, v in enumerate(verbs) if k == 0 or v[1] or not re.search(r"\b(at|to|into|for|with)$", v[0].en)]
    if verbs:
        named = ""  # the last object said, for a later verb of the clause that needs one ("take care of" it)
        for k, (entry, objects) in enumerate(verbs[:3]):
            en = entry.en
            if "{obj}" in en and entry.extras.get("obj") == "place":  # 带回蜂巢: carry back to the hive
                en = re.sub(r"\s*{obj}", "", en)
            if "{obj}" in en:  # "let {obj} fly free": the object inside the phrase
                en = re.sub(r"\s*{obj}", f" {' and '.join(objects)}" if objects else "", en).strip()
                objects = []
            elif not objects and re.search(r"\b(of|for|with|to|at)$", en):
                en = f"{en} {'them' if named.endswith('s') else 'it'}" if named else en.rpartition(" ")[0]
            tail = f"with {with_article(entry.extras['with'])}" if entry.extras.get("with") else ""
            if entry.extras.get("for"):
                # 给它喂小鱼: feeds small fish to it; 给花浇水: waters for the flowers' sake
                to = "to" if en in ("feed", "give", "hand", "show", "send") and objects else "for"
                tail = " ".join(x for x in (tail, f"{to} {entry.extras['for']}") if x)
            if entry.extras.get("not"):
                phrase = f"{'do' if subject is None or subject.plural else 'does'} not {en}"
            else:
                phrase = en if (subject is None or subject.plural) else third_person(en)
            if entry.extras.get("pivot") and parts:
                # waits for the father to pick him up (the one waiting is him, not named twice)
                said = [_objective(subject) if subject and o == person_ref(subject) else o for o in objects]
                verb, _, particle = en.rpartition(" ")
                if said in (["him"], ["her"], ["them"], ["it"]) and particle in _PARTICLES and verb:
                    en, said = f"{verb} {said[0]} {particle}", []
                joint = " and " if verbs[k - 1][0].extras.get("pivot") else " to "
                parts[-1] += joint + " ".join(x for x in (en, " and ".join(said)) if x)
                named = objects[-1] if objects else named
                continue
            if k == 0 and subject is not None:
                phrase = f"{person_ref(subject)} {phrase}"
            parts.append(" ".join(x for x in (phrase, " and ".join(objects), tail) if x).strip())
            named = objects[-1] if objects else entry.extras.get("held", named)
        sentence = " and ".join(parts)
        if advs:
            sentence += " " + " ".join(a for a in advs if a not in ("every day", "always"))
        facts.action = " and ".join(p.removeprefix(f"{person_ref(subject)} ") for p in parts)
    else:
        sentence = ", ".join(([person_ref(subject)] if subject else []) + things)
    if things and verbs:
        sentence += ", " + ", ".join(things)
    facts.sentence = sentence.strip(" ,")
    facts.subjects = (subject.members or [subject.name]) if subject else []
    facts.together = list(subject.members) if subject else []
    for _entry, objects in verbs:
        # "the injured little bird" is the little bird (a state before the name); 把它带回家: the bird too;
        # 给它喂小鱼: the one fed is in frame
        for said in [*objects, _entry.extras.get("held", ""), _entry.extras.get("for", "")]:
            named = [
                n
                for n in cast.people
                if said == f"the {n}"
                or (said.startswith("the ") and said.endswith(f" {n}"))
                or (BODY.search(said) and re.match(rf"(?:the )?{re.escape(n)}'s ", said))
            ]
            if named:
                facts.subjects.append(max(named, key=len))
    facts.subjects = list(dict.fromkeys(facts.subjects))
    if subject is not None:
        cast.last_subject = subject.members[0] if subject.members else subject.name
        cast.last_group = subject if subject.members else None
        # a thing only shown (湖面结了冰: the ice, with no verb) does nothing: 它 later is not it before the
        # fish caught since (又把它放回了水里)
        if subject.name in cast.people and (verbs or subject.kind in ("person", "animal")):
            cast.said_subjects.append(subject.name)
    return facts
