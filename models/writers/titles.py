"""A storyboard's title: from a heading or the idea's first sentence, never cut mid-word, or from who a
story is about ("小女孩与小鸟", "The Shy Robot and the Lost Kitten")."""

from __future__ import annotations

import re
import unicodedata

from models.writers.en_grammar import DETERMINERS, PREPOSITIONS, verb_forms
from models.writers.lexicon import default_lexicon
from models.writers.zh_words import strip_transitions

CJK_ANY = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def make_title(text: str) -> str:
    """A short title from a heading or the idea's first sentence: never cut mid-word (a longer one keeps its
    first clause, or its first words)."""
    title = text.strip().rstrip("。.!！?？…;；,，:：")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in title):
        # An idea of punctuation and digits ("../../etc/passwd", "!!! 123") still gets a title to show.
        title = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN ").strip() or "Untitled"
    title = title[:1].upper() + title[1:]  # "how a rainbow forms", a topic read from an instruction
    if len(title) <= 40:
        return title
    if CJK_ANY.search(title):
        first = re.split(r"[，。；：、,;:]", title)[0]
        return first if len(first) <= 20 else "".join(cut_words(first, 20))
    first = re.split(r"\s*[,;:]\s*|\s+(?:who|which|that|and|then|but|when)\s+", title)[0]
    if len(first) > 40:
        first = title[:41].rsplit(" ", 1)[0]
        # never end inside the phrase that was cut ("plays in an empty", "finds a message in a"): back to
        # before its preposition when that leaves most of the title
        lead = (
            r"\s+(?:in|of|to|with|on|at|for|by|from|into|before|after|while|as|until|when|over|under|through|across)\s"
        )
        cuts = [m.start() for m in re.finditer(lead, first, flags=re.I) if m.start() >= len(first) // 2]
        first = first[: cuts[-1]] if cuts else first
        ends = r"a|an|the|and|his|her|their|its|in|of|to|with|on|at|for|by|from|into|before|after|while|as|until|when"
        first = re.sub(rf"(\s+(?:{ends}))+$", "", first, flags=re.I)
        first = _whole_phrase(first, title[len(first) :])
    return first.strip(" ,;:")


_BOUNDARY = PREPOSITIONS | {"and", "or", "but", "then", "who", "which", "that", "when", "while", "as"}


def _whole_phrase(first: str, after: str) -> str:
    """A cut title that stops inside a noun phrase ("An old lighthouse keeper finds a lost" | "seal pup on the
    rocks") goes back to before it, and before the verb that took it: "An old lighthouse keeper"."""
    following = after.split()[:1]
    if not following or following[0].lower().strip(",.;:") in _BOUNDARY or after[:1] in ",;:":
        return first  # cut where a phrase ends
    words = first.split()
    opened = [i for i, w in enumerate(words) if w.lower() in DETERMINERS and i >= len(words) - 3]
    if not opened or opened[-1] < 2:
        return first
    words = words[: opened[-1]]
    while len(words) > 2 and words[-1].lower() in verb_forms():
        words.pop()  # "… finds": the finding's object is gone, so is the verb
    return " ".join(words)


def cut_words(text: str, limit: int) -> list[str]:
    out: list[str] = []
    for word in default_lexicon().cut(text):
        if len("".join(out)) + len(word) > limit:
            break
        out.append(word)
    return out


def story_title(reading) -> str:
    """A Chinese story's title from who and what it is about, in the creator's words: its main subject and
    the next one it meets ("小女孩与小鸟"), else the thing it last deals with ("小狐狸与苹果"), else its
    place ("雪地里的小狐狸"); '' when the idea names no subject (the caller falls back to its first clause)."""
    clauses = reading.clauses
    if len(clauses) == 1 and len(clauses[0]) <= 12:  # "猫咪睡觉", "下雨了": a short idea is its own title
        return clauses[0].rstrip("。！？")
    main = reading.cast.main
    if main is None or not main.zh:
        first = re.sub(r"^[，、\s]+", "", strip_transitions(clauses[0] if clauses else "")[0])
        return first.rstrip("。！？") if 2 <= len(first) <= 16 else ""
    others = [
        p
        for p in reading.cast.people.values()
        if p.zh and p.zh not in main.zh and main.zh not in p.zh and p.zh not in ("她", "他", "它")
    ]
    beings = [p for p in others if p.kind in ("person", "animal")]
    things = [
        p for p in reading.cast.mentions if p.zh and p.kind != "person" and p.zh not in main.zh and p not in beings
    ]
    other = beings[0] if beings else things[-1] if things else None
    if other is not None:
        return f"{main.zh}与{other.zh}"  # "她与蝴蝶" reads as a title; "她" alone does not
    if main.zh in ("她", "他", "它", "我", "我们"):
        first = re.sub(r"^[，、\s]+", "", strip_transitions(clauses[0] if clauses else "")[0])
        return first.rstrip("。！？") if 2 <= len(first) <= 16 else ""
    place = next((f.setting_zh for f in reading.facts if f.setting_zh), "")
    return f"{place}的{main.zh}" if place else main.zh


def en_story_title(reading) -> str:
    """An English story's title from its main subject and the next being it meets ("The Shy Robot and the
    Lost Kitten"), as story_title does for Chinese; '' without a main subject."""
    main = reading.cast.main
    if main is None or main.kind not in ("person", "animal"):
        return ""
    others = [p for p in reading.cast.people.values() if p.kind in ("person", "animal") and p.name != main.name]
    names = [main.name] + [p.name for p in others[:1] if p.name not in main.name and main.name not in p.name]
    title = " and the ".join(names)
    return "The " + " ".join(w if w in ("and", "the", "of") else w.capitalize() for w in title.split())
