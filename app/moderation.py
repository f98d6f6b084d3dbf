"""Content moderation engine (issue 7): sensitive-word rules matched in a way that survives evasion.

How a check works:
1. Normalise the text one character at a time (NFKC full/half width, case-fold, diacritics stripped,
   traditional -> simplified Chinese, look-alike letters and digits folded, separators such as spaces,
   punctuation, symbols, zero-width and control characters dropped). Every kept character remembers its
   index in the original text, so a match is reported on the user's own text.
2. Scan the normalised text once with an Aho-Corasick automaton holding every rule and allow-list term.
3. Filter candidates: patterns that begin or end with a Latin letter/digit must respect word boundaries
   (so "rape" does not fire in "grape"), and a rule match lying inside an allow-list match is dropped
   (so "炸鸡" survives a rule on "炸").

Everything here is pure Python (standard library + pydantic) and holds no module-level mutable state.
The UI, REST layer and pipeline call `Moderator.check` / `check_many`; storage lives in
`app/moderation_store.py` (tables in `storage/tables.py`).
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field, field_validator

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA_DIR / "moderation_rules.toml"
T2S_FILE = DATA_DIR / "zh_t2s.txt"

RuleAction = Literal["block", "warn"]
VerdictAction = Literal["allow", "warn", "block"]
Language = Literal["zh", "en", "any"]

# Shown to users; admin-defined categories fall back to their key.
CATEGORY_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "minors": MappingProxyType({"zh": "涉及未成年人的色情内容", "en": "sexual content involving minors"}),
        "violence": MappingProxyType({"zh": "血腥暴力", "en": "graphic violence"}),
        "terrorism": MappingProxyType({"zh": "恐怖主义与武器", "en": "terrorism and weapons"}),
        "hate": MappingProxyType({"zh": "仇恨言论", "en": "hate speech"}),
        "self_harm": MappingProxyType({"zh": "自杀与自残", "en": "suicide and self-harm"}),
        "drugs": MappingProxyType({"zh": "违禁药物", "en": "illegal drugs"}),
        "sexual_violence": MappingProxyType({"zh": "性暴力", "en": "sexual violence"}),
    }
)

_SEVERITY: Mapping[str, int] = MappingProxyType({"allow": 0, "warn": 1, "block": 2})

# Look-alikes, applied after NFKC + case-fold (so only lower case is listed). i, l, 1 and | are
# indistinguishable in leetspeak, so they all fold to one class character, "i", in patterns and text alike.
_LOOKALIKES: Mapping[str, str] = MappingProxyType(
    {
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
        "@": "a", "$": "s", "|": "i", "l": "i", "ł": "i", "ı": "i", "ɩ": "i",
        "ɑ": "a", "ɡ": "g", "ο": "o", "օ": "o",
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ӏ": "i", "ј": "j", "ԁ": "d", "ԛ": "q",
        "ԝ": "w", "һ": "h", "ь": "b",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    }
)  # fmt: skip

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

# Endings that may follow an English pattern inside the same word ("kills", "raped", "bombers").
_SUFFIXES = ("s", "es", "d", "ed", "ing", "ings", "er", "ers")

# Lazily memoised automaton transitions kept per non-root state.
_MEMO_PER_STATE = 32

# Gap kinds between two consecutive kept characters.
_NO_GAP, _SOFT_GAP, _HARD_GAP = 0, 1, 2


def load_t2s(path: Path = T2S_FILE) -> dict[str, str]:
    """Read the traditional -> simplified table: tokens of two characters (traditional, simplified)."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for token in line.split():
            if len(token) == 2 and token[0] != token[1]:
                table[token[0]] = token[1]
    return table


class _FoldTable(dict[int, str]):
    """`str.translate` table that folds each character on first sight and remembers the answer.

    `str.translate` looks characters up with `__getitem__`, so `__missing__` lets us fill the table lazily
    while the translation itself runs in C.
    """

    def __init__(self, normaliser: Normaliser) -> None:
        super().__init__()
        self._normaliser = normaliser

    def __missing__(self, code: int) -> str:
        folded = self._normaliser.fold_char(chr(code))
        self[code] = folded
        return folded


class _KeepTable(dict[int, str]):
    """Translate table giving one byte per original char: 1 when it keeps at least one character, else 0."""

    def __init__(self, fold: _FoldTable) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, code: int) -> str:
        keep = "\x01" if self._fold[code] else "\x00"
        self[code] = keep
        return keep


class Normaliser:
    """Folds text for matching and maps folded positions back to the original text.

    Owns per-instance caches (filled lazily, never shrinking; bounded by the characters seen).
    """

    def __init__(self, t2s: Mapping[str, str] | None = None) -> None:
        self._t2s = dict(t2s) if t2s is not None else load_t2s()
        self._fold = _FoldTable(self)
        self._keep = _KeepTable(self._fold)

    def fold_char(self, ch: str) -> str:
        """The folded form of one character: usually one char, '' for separators, rarely several (ß, ﬁ)."""
        out: list[str] = []
        for c in unicodedata.normalize("NFKC", ch).casefold():
            for d in unicodedata.normalize("NFKD", c):
                if unicodedata.category(d) in ("Mn", "Me"):
                    continue  # accents and combining marks (also strike-through noise)
                d = self._t2s.get(d, d)
                d = _LOOKALIKES.get(d, d)
                if unicodedata.category(d)[0] in "ZPSC":
                    continue  # space, punctuation, symbol, control, zero-width format char
                out.append(d)
        return "".join(out)

    def fold(self, text: str) -> str:
        """The normalised text (fast: `str.translate` in C once every character is known)."""
        return text.translate(self._fold)

    def origin(self, text: str, folded: str) -> list[int]:
        """For each character of `folded`, the index in `text` it came from."""
        keep = text.translate(self._keep).encode("latin-1")
        if len(folded) == keep.count(1):
            # Every char folded to at most one char: the kept indices, computed in C.
            return list(compress(range(len(text)), keep))
        origin: list[int] = []
        for i, ch in enumerate(text):
            origin.extend([i] * len(self._fold[ord(ch)]))
        return origin


class _View:
    """One text under inspection: folded form, index map and word-boundary helpers."""

    def __init__(self, text: str, folded: str, origin: list[int]) -> None:
        self.text = text
        self.folded = folded
        self.origin = origin

    def gap(self, k: int) -> int:
        """What was removed between folded chars k-1 and k: nothing, only punctuation, or whitespace."""
        a, b = self.origin[k - 1], self.origin[k]
        if b - a <= 1:
            return _NO_GAP
        return _HARD_GAP if any(c.isspace() for c in self.text[a + 1 : b]) else _SOFT_GAP

    def is_word(self, k: int) -> bool:
        return 0 <= k < len(self.folded) and self.folded[k] in _WORD_CHARS

    def starts_word(self, s: int) -> bool:
        # Punctuation counts as a boundary too ("k.i.l.l" joins, but "(kill" and "kill.bomb" split).
        return not self.is_word(s - 1) or self.gap(s) != _NO_GAP

    def ends_word(self, e: int) -> bool:
        if not self.is_word(e) or self.gap(e) != _NO_GAP:
            return True
        k = e + 1
        while self.is_word(k) and self.gap(k) == _NO_GAP and k - e <= 4:
            k += 1
        if self.is_word(k) and self.gap(k) == _NO_GAP:
            return False  # the rest of the word is longer than any suffix
        return self.folded[e:k] in _FOLDED_SUFFIXES

    def is_single_letter_word(self, k: int) -> bool:
        left = not self.is_word(k - 1) or self.gap(k) == _HARD_GAP
        right = not self.is_word(k + 1) or self.gap(k + 1) == _HARD_GAP
        return left and right

    def fits(self, s: int, e: int, entry: _Entry) -> bool:
        """Whether the candidate folded span [s, e) respects the pattern's word structure."""
        if entry.check_start and not self.starts_word(s):
            return False
        if entry.check_end and not self.ends_word(e):
            return False
        for k in range(s + 1, e):
            # A space inside the match is fine where the pattern has one too ("child porn"), or inside a run
            # of spaced-out single letters ("k i l l" is one word). Otherwise "hero in" would match "heroin".
            if (
                k - s not in entry.breaks
                and self.is_word(k - 1)
                and self.is_word(k)
                and self.gap(k) == _HARD_GAP
                and not (self.is_single_letter_word(k - 1) and self.is_single_letter_word(k))
            ):
                return False
        return True


# The suffixes go through the same look-alike folding as text ("ing" -> "ing", "ed" -> "ed", "l" -> "i").
_FOLDED_SUFFIXES = frozenset("".join(_LOOKALIKES.get(c, c) for c in s) for s in _SUFFIXES)


class Rule(BaseModel):
    """One sensitive term. Word-boundary handling follows the script of the pattern, not `language`."""

    id: int | None = None
    category: str
    pattern: str
    action: RuleAction = "block"
    language: Language = "any"
    enabled: bool = True

    @field_validator("category", "pattern")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class Match(BaseModel):
    rule_id: int | None
    pattern: str
    category: str
    action: RuleAction
    start: int  # span in the ORIGINAL text of `field`
    end: int
    excerpt: str
    field: str | None = None  # which input (storyboard cell, narration...) when checked with check_many


class Verdict(BaseModel):
    action: VerdictAction = "allow"
    matches: list[Match] = Field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """Distinct categories, blocking ones first, then in order of appearance."""
        ordered = sorted(self.matches, key=lambda m: -_SEVERITY[m.action])
        return list(dict.fromkeys(m.category for m in ordered))

    @property
    def rule_ids(self) -> list[int]:
        return list(dict.fromkeys(m.rule_id for m in self.matches if m.rule_id is not None))

    def message(self, lang: Literal["zh", "en"] = "en") -> str:
        """A user-facing sentence naming the categories behind the verdict (never the matched rule terms)."""
        deciding = [m.category for m in self.matches if m.action == self.action]
        labels = [category_label(c, lang) for c in dict.fromkeys(deciding)]
        if lang == "zh":
            joined = "、".join(labels)
            if self.action == "block":
                return f"内容未通过审核，涉及：{joined}。请修改后重试，本次不会生成任何内容。"
            if self.action == "warn":
                return f"内容可能涉及：{joined}。请确认后再继续。"
            return "内容已通过审核。"
        joined = ", ".join(labels)
        if self.action == "block":
            return (
                f"This content was blocked because it involves: {joined}. Please revise it; nothing will be rendered."
            )
        if self.action == "warn":
            return f"This content may involve: {joined}. Please confirm to continue."
        return "No issues found."


def category_label(category: str, lang: Literal["zh", "en"] = "en") -> str:
    labels = CATEGORY_LABELS.get(category)
    return labels[lang] if labels else category.replace("_", " ")


def _combine(matches: list[Match]) -> Verdict:
    action: VerdictAction = "allow"
    for m in matches:
        if _SEVERITY[m.action] > _SEVERITY[action]:
            action = m.action
    return Verdict(action=action, matches=matches)


@dataclass(frozen=True)
class _Entry:
    """A compiled pattern: a rule, or an allow-list term when `rule` is None."""

    key: str  # folded pattern
    rule: Rule | None
    check_start: bool  # pattern starts with a Latin letter/digit, so it must start a word
    check_end: bool
    breaks: frozenset[int]  # offsets in `key` where the pattern itself has a space/punctuation


class _Automaton:
    """Aho-Corasick over folded keys; transitions are memoised lazily into a DFA for a fast scan loop."""

    def __init__(self, keys: Sequence[str]) -> None:
        goto: list[dict[str, int]] = [{}]
        ends: list[list[int]] = [[]]
        for index, key in enumerate(keys):
            state = 0
            for ch in key:
                nxt = goto[state].get(ch)
                if nxt is None:
                    nxt = len(goto)
                    goto[state][ch] = nxt
                    goto.append({})
                    ends.append([])
                state = nxt
            ends[state].append(index)

        fail = [0] * len(goto)
        out: list[tuple[int, ...]] = [()] * len(goto)
        queue = deque(goto[0].values())
        while queue:  # breadth first, so a state's failure target is finished before the state itself
            state = queue.popleft()
            out[state] = tuple(ends[state]) + out[fail[state]]
            for ch, child in goto[state].items():
                if state:
                    f = fail[state]
                    while f and ch not in goto[f]:
                        f = fail[f]
                    fail[child] = goto[f].get(ch, 0)
                queue.append(child)

        self._goto = goto
        self._fail = fail
        self.out = out
        self._delta = [dict(g) for g in goto]

    @property
    def size(self) -> int:
        return len(self._goto)

    def _step(self, state: int, ch: str) -> int:
        s = state
        while True:
            nxt = self._goto[s].get(ch)
            if nxt is not None or s == 0:
                break
            s = self._fail[s]
        result = nxt or 0
        row = self._delta[state]
        # Memoise so the next visit is one dict lookup; deep states keep only a few extra entries so the
        # table cannot grow without bound on adversarial input (the root is bounded by the alphabet).
        if state == 0 or len(row) < _MEMO_PER_STATE:
            row[ch] = result
        return result

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(end index, state) for every position where at least one key ends."""
        delta, out, step = self._delta, self.out, self._step
        state = 0
        hits: list[tuple[int, int]] = []
        for j, ch in enumerate(text):
            nxt = delta[state].get(ch)
            state = step(state, ch) if nxt is None else nxt
            if out[state]:
                hits.append((j + 1, state))
        return hits


class Moderator:
    """Compiled rule set. Build once (e.g. at start and after an admin edit), then call `check` freely."""

    def __init__(
        self, rules: Iterable[Rule], allow: Iterable[str] = (), *, normaliser: Normaliser | None = None
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(r for r in rules if r.enabled)
        self.allow: tuple[str, ...] = tuple(a for a in allow if a.strip())
        self._norm = normaliser or Normaliser()
        entries = [self._compile(r.pattern, r) for r in self.rules]
        entries += [self._compile(a, None) for a in self.allow]
        # A pattern made only of separators folds to nothing and could never match; skip it.
        self._entries = [e for e in entries if e.key]
        self._automaton = _Automaton([e.key for e in self._entries])

    def _compile(self, pattern: str, rule: Rule | None) -> _Entry:
        key = self._norm.fold(pattern)
        if not key:
            return _Entry("", rule, False, False, frozenset())
        view = _View(pattern, key, self._norm.origin(pattern, key))
        breaks = frozenset(k for k in range(1, len(key)) if view.gap(k) != _NO_GAP)
        return _Entry(key, rule, key[0] in _WORD_CHARS, key[-1] in _WORD_CHARS, breaks)

    def check(self, text: str, *, field: str | None = None) -> Verdict:
        folded = self._norm.fold(text)
        hits = self._automaton.scan(folded)
        if not hits:
            return Verdict()
        view = _View(text, folded, self._norm.origin(text, folded))
        allowed: list[tuple[int, int]] = []
        found: list[tuple[int, int, _Entry]] = []
        for end, state in hits:
            for index in self._automaton.out[state]:
                entry = self._entries[index]
                start = end - len(entry.key)
                if not view.fits(start, end, entry):
                    continue
                if entry.rule is None:
                    allowed.append((start, end))
                else:
                    found.append((start, end, entry))
        matches = []
        for start, end, entry in found:
            if any(a <= start and end <= b for a, b in allowed):
                continue
            rule = entry.rule
            assert rule is not None
            o_start, o_end = view.origin[start], view.origin[end - 1] + 1
            matches.append(
                Match(
                    rule_id=rule.id,
                    pattern=rule.pattern,
                    category=rule.category,
                    action=rule.action,
                    start=o_start,
                    end=o_end,
                    excerpt=text[o_start:o_end],
                    field=field,
                )
            )
        return _combine(matches)

    def check_many(self, texts: Mapping[str, str]) -> Verdict:
        """Check several named inputs (e.g. storyboard cells); each match records its `field`."""
        matches: list[Match] = []
        for name, text in texts.items():
            matches.extend(self.check(text, field=name).matches)
        return _combine(matches)

    @property
    def automaton_size(self) -> int:
        return self._automaton.size


def _load_rules_file(path: Path = RULES_FILE) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def default_rules(path: Path = RULES_FILE) -> list[Rule]:
    """The shipped rule set (see app/data/moderation_rules.toml)."""
    data = _load_rules_file(path)
    rules: list[Rule] = []
    for category, by_action in data.get("rules", {}).items():
        for action, by_lang in by_action.items():
            for lang, terms in by_lang.items():
                rules.extend(Rule(category=category, pattern=t, action=action, language=lang) for t in terms)
    return rules


def default_allow(path: Path = RULES_FILE) -> list[str]:
    """The shipped allow list: harmless words that contain a banned piece."""
    data = _load_rules_file(path)
    return [term for terms in data.get("allow", {}).values() for term in terms]


# --- Optional image check (off by default) -------------------------------------------------------------


@runtime_checkable
class ImageClassifierHook(Protocol):
    """A user-supplied keyframe classifier. Storyreel ships none; nothing is checked unless one is configured.

    `classify` receives whatever image object the pipeline holds (e.g. a PIL image or a file path) and returns
    (category, score) pairs with scores in [0, 1]; categories should use the rule category keys
    ("minors", "violence", ...) so the user sees the same labels as for text.
    """

    def classify(self, image: Any) -> list[tuple[str, float]]: ...


def check_image(
    image: Any,
    hook: ImageClassifierHook | None = None,
    threshold: float = 0.8,
    *,
    warn_threshold: float | None = None,
) -> Verdict:
    """Block a keyframe whose score for any category reaches `threshold`; warn from `warn_threshold` if set.

    With no hook (the default) every image is allowed.
    """
    if hook is None:
        return Verdict()
    matches = []
    for category, score in hook.classify(image):
        if score >= threshold:
            action: RuleAction = "block"
        elif warn_threshold is not None and score >= warn_threshold:
            action = "warn"
        else:
            continue
        matches.append(
            Match(
                rule_id=None,
                pattern=f"image:{category}",
                category=category,
                action=action,
                start=0,
                end=0,
                excerpt=f"{score:.2f}",
            )
        )
    return _combine(matches)
