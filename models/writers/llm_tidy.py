"""Tidying what a small model wrote: the prompt's label it copied, a cut mid-word, a clause loop."""

from __future__ import annotations

import json
import re

_PROMPT_ECHO = re.compile(r"^\s*(moment|scene|shot)\s*\d*\s*:\s*", re.IGNORECASE)  # the prompt's label, copied


def description_of(raw: str, limit: int = 10**6) -> str:
    """The description in a beat's JSON answer, tidied ('' when there is none)."""
    try:
        text = str(json.loads(raw).get("description", ""))
    except (json.JSONDecodeError, AttributeError):
        return ""  # cannot happen with the token budget beats mode uses; the planner's description stands
    return without_repeats(tidy_cut(_PROMPT_ECHO.sub("", text), limit))


def without_repeats(text: str) -> str:
    """Text cut where it starts repeating itself ("a mother, a father, a home, a mother, a father, …"), the
    loop a tiny greedy model falls into; '' when little of it is more than repetition."""
    clauses = [c.strip() for c in text.split(",")]
    kept: list[str] = []
    for clause in clauses:
        if clause.lower() in (k.lower() for k in kept):
            break
        kept.append(clause)
    text = ", ".join(kept)
    words = text.lower().split()
    return text if words and len(set(words)) >= 0.5 * len(words) else ""


def tidy_cut(text: str, limit: int, shortest: int = 20) -> str:
    """Text that reached the length limit (so was likely cut mid-word), ended at its last full sentence,
    else clause, else word. Shorter text was ended by the model itself and is kept whole."""
    if len(text) < limit:
        return text.strip()
    text = text.strip()
    if text.endswith((".", "!", "?")):
        return text
    sentence = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
    if sentence >= shortest:
        return text[: sentence + 1]
    clause = max(text.rfind(", "), text.rfind("; "))
    if clause >= shortest:
        return text[:clause]
    return text.rsplit(" ", 1)[0] if " " in text else text


_FILLER_WORDS = set("a an the of in on at to and with by is are its his her their it".split())


def echoes(text: str, hint: str) -> bool:
    """Whether a description only gives back the hint it was asked about (fewer than two words of its own)."""
    own = set(re.findall(r"[a-z]+", text.lower())) - set(re.findall(r"[a-z]+", hint.lower())) - _FILLER_WORDS
    return len(own) < 2
