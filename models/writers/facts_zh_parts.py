"""The small word-level judgements the Chinese clause reader (facts_zh.py) makes: whether a person named
after 和 acts with the subject, what a possessive owns, the short verb phrase a line can reuse (包粽子), and
which preposition puts a verb at a place (坐在山顶: sits on the mountain top)."""

from __future__ import annotations

import re

from models.writers.en_grammar import indefinite
from models.writers.facts import Cast, Person
from models.writers.lexicon import NOUN_KINDS, Entry
from models.writers.zh_words import plural

# A verb's own preposition of place ("sit in", "stand at"), which the place it is put at overrides.
_AT_PLACE = re.compile(r"^(.+) (?:in|on|at)$")


def at_place(verb: Entry, place: Entry) -> Entry:
    """The verb with the preposition its place takes: 坐在山顶 sits on the mountain top, 坐在湖边 by the lake,
    住在城里 in the city (a verb of motion, "walk into", "go to", keeps its own)."""
    m = _AT_PLACE.match(verb.en)
    prep = place.extras.get("prep", "")
    if m is None or prep not in ("in", "on", "at", "by") or verb.en.endswith(f" {prep}"):
        return verb
    return verb.model_copy(update={"en": f"{m.group(1)} {prep}"})


def _short_action(words: list[tuple[str, Entry]]) -> str:
    """The clause's words from its first verb on ("包粽子", "放风筝") when they are a short verb phrase that
    reads before 的 ("奶奶包粽子的双手"); '' for a longer or particle-bound one (捡到一只受伤的小鸟, 尝了一个)."""
    first = next((k for k, (_w, e) in enumerate(words) if e.kind == "verb"), None)
    if first is None:
        return ""
    said = "".join(w for w, _e in words[first:])
    kinds = {e.kind for _w, e in words[first:]}
    # hands (eyes) busy with a thing: 放风筝, 包粽子 (its own object); not 出海 (no thing in hand)
    handled = kinds & {"thing", "food", "product"} or (len(words) == first + 1 and len(said) >= 3)
    short = len(said) <= 4 and not re.search(r"[了的着过]", said) and "pron" not in kinds
    return said if short and handled else ""


def _owned_thing(words: list[tuple[str, Entry]], i: int) -> bool:
    """Whether a thing (not a being) is what the possessive at i owns: 他的头, not 他的小狗."""
    for _w, e in words[i + 1 : i + 4]:
        if e.kind in NOUN_KINDS:
            return e.kind in ("thing", "food", "product")
    return False


def _counted(count: str, cast: Cast) -> str:
    """ "one of the rice dumplings" for 一个 after a verb with no noun: of the thing last named."""
    thing = next((p for p in reversed(cast.mentions) if p.kind == "thing"), None)
    if thing is None:
        return ""
    if thing.plural:
        return f"{count} of the {thing.name}"
    return indefinite(thing.name) if count == "one" else f"{count} {plural(thing.name)}"


_ARRIVING = re.compile(r"^(come|arrive|fall|pass|end|begin|start|break|approach|return|descend|rise)\b")


def _after_verb(words: list[tuple[str, Entry]], i: int) -> bool:
    """Whether word i follows its verb with nothing between but an aspect particle (叼着面包, 吃了面包), so no
    count (吃了一个面包: one more) or owner stands before it."""
    j = i - 1
    while j >= 0 and words[j][0] in ("了", "着", "过"):
        j -= 1
    return j >= 0 and words[j][1].kind == "verb"


def _time_first(words: list[tuple[str, Entry]]) -> bool:
    """Whether a time word comes before the clause's first verb, with no one named before it."""
    for _word, entry in words:
        if entry.kind == "time":
            return True
        if entry.kind in ("verb", "person", "animal", "pron"):
            return False
    return False


def _with(subject: Person | None, words: list[tuple[str, Entry]], i: int) -> bool:
    """Whether a person named after the subject and 和/跟/与 (他和孙子坐在树下) does the verb with them."""
    j = i - 2 if i > 1 and words[i - 1][1].kind == "pron" else i - 1  # 和他爸爸: with his father
    return subject is not None and not subject.members and j >= 0 and words[j][0] in ("和", "跟", "与", "同")


def _kin(word: str) -> bool:
    """Whether a word names family, which a pronoun right before it owns (他爸爸, 她奶奶)."""
    return bool(
        re.fullmatch(
            r"[\u4e00-\u9fff]{0,2}(?:爸|妈|爷|奶|哥|姐|弟|妹|儿|女|孙|父|母|叔|姑|舅|姨|婆|公)[\u4e00-\u9fff]{0,2}",
            word,
        )
    )


def _together(subject: Person, other: Person) -> Person:
    """The two said as one subject: both in frame, both doing the verb ("the boy and the grandson sit")."""
    return Person(
        name=f"{subject.name} and the {other.name}", kind="group", plural=True, members=[subject.name, other.name]
    )
