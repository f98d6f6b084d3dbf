"""Nouns said of other nouns in English: "a baby bird", "the mother duck", "a baby elephant" name one being
(the last word, its head, gives the kind and look), never a baby and a bird. The English fact reader asks here
whether a word is such a head rather than a verb, where such a pair starts, and what text is left once those
characters are taken out."""

from __future__ import annotations

import re

from models.writers.en_grammar import verb_forms
from models.writers.facts import Cast
from models.writers.lexicon import Lexicon


def _being(word: str, lex: Lexicon) -> bool:
    entry = lex.en.get(word.lower().strip(",."))
    return entry is not None and entry.kind in ("person", "animal")


def noun_of_noun(words: list[str], i: int, lex: Lexicon) -> bool:
    """Whether words[i] is a person or animal noun after another ("mother duck", "baby elephant") with a verb
    next: the head of the subject, not its verb ("the man ducks under" has no verb after "ducks")."""
    nxt = words[i + 1].lower().strip(",.") if i + 1 < len(words) else ""
    return i > 0 and _being(words[i - 1], lex) and _being(words[i], lex) and nxt in verb_forms()


def modifier_nouns(clause: str, found: list[tuple]) -> dict[int, int]:
    """{position of a person or animal word said just before another one: where the character they make
    together starts}. In "a baby bird", "the mother duck", "a baby elephant" the first noun says what kind of
    the second, so the words are one character (the last, its head, gives the kind and look), never a baby
    and a bird."""
    beings = sorted((at, at + len(written)) for entry, written, at in found if entry.kind in ("person", "animal"))
    start: dict[int, int] = {}  # each word's character start
    for (at, end), (nxt, _) in zip(beings, beings[1:], strict=False):
        if nxt > end and clause[end:nxt].strip() == "":
            start[nxt] = start.get(at, at)
    return start


def without_compounds(text: str, name: str, cast: Cast) -> str:
    """The text less the characters whose names hold `name` as a modifier ("mother duck" for "mother"), so a
    clause about the mother duck does not bring the elephant's mother in too."""
    for other in cast.people.values():
        if other.name != name and re.search(rf"\b{re.escape(name)}\b", other.name):
            text = re.sub(rf"\b{re.escape(other.name)}\b", " ", text, flags=re.I)
    return text
