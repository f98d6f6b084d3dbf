"""English grammar the clause readers share: the closed word classes (determiners, pronouns,
prepositions), verb forms and articles."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from models.writers.lexicon import DATA

DETERMINERS = {
    "a",
    "an",
    "the",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "one",
    "some",
    "every",
    "each",
    "this",
    "that",
}
PRONOUNS = {"he": "s", "she": "s", "it": "t", "they": "p", "we": "p", "him": "s", "her": "s", "them": "p"}
PREPOSITIONS = {
    "in",
    "on",
    "at",
    "by",
    "with",
    "into",
    "onto",
    "through",
    "across",
    "along",
    "over",
    "under",
    "from",
    "to",
    "toward",
    "towards",
    "past",
    "beside",
    "behind",
    "around",
    "before",
    "after",
    "for",
    "of",
    "near",
    "inside",
    "out",
}


@functools.cache
def verb_forms() -> dict[str, str]:
    """Every form of the common verbs → its base form ("finds" → "find", "found" → "find")."""
    forms: dict[str, str] = {}
    for line in Path(DATA, "en_verbs.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for item in line.split():
            base, *irregular = item.split(":")
            for form in [
                base,
                third_person(base),
                ing_form(base),
                base + ("d" if base.endswith("e") else "ed"),
                *irregular,
            ]:
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


def ing_form(verb: str) -> str:
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", verb):  # one short syllable: "let" → "letting"
        return verb + verb[-1] + "ing"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


def with_article(name: str) -> str:
    """'water' → 'water', 'towel' → 'a towel' (a mass or plural noun takes none)."""
    if re.search(r"(water|soap|oil|flour|sugar|salt|milk|rice|sand|s)$", name):
        return name
    vowel = name[:1] in "aeiou" and not re.match(r"(one|uni|use|eu)", name)
    return f"{'an' if vowel else 'a'} {name}"


def indefinite(name: str) -> str:
    """One of a countable thing: 'an apple tree', 'a glass' (a name ending in s is still one here)."""
    return with_article(name) if name[:1] in "aeiou" else f"a {name}"
