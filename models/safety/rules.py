"""The rule engine: sensitive terms and combinations matched in a way that survives evasion.

How a check works:
1. Normalise the text one character at a time (NFKC full/half width, case-fold, diacritics stripped,
   traditional -> simplified Chinese through OpenCC, look-alike letters and digits folded, separators such
   as spaces, punctuation, symbols, zero-width, bidi and control characters dropped). Every kept character
   remembers its index in the original text, so a match is reported on the user's own text.
2. Scan the normalised text once with an Aho-Corasick automaton (pyahocorasick) holding every rule term,
   allow-list term and combination part.
3. Filter candidates: patterns that begin or end with a Latin letter/digit must respect word boundaries
   (so "rape" does not fire in "grape"), and a match lying inside an allow-list match is dropped (so "炸鸡"
   survives a rule on "炸").
4. Combinations: an intent term ("kill all", "杀光", "how to") and a target or harm term ("gays", "自杀")
   of the same combination, in either order, with at most `window` words (Latin) or `window_zh`
   characters (Chinese) between them, make one match ("kill all of the gays").

This module is over 400 lines because the normaliser, the word-boundary view and the matcher share one
index model (folded position -> original position); splitting them would spread that invariant.
"""

from __future__ import annotations

import threading
import tomllib
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from types import MappingProxyType
from typing import Any

import ahocorasick
import opencc

from models.safety.verdict import Match, Policy, Rule, RuleAction, Verdict, combine

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA_DIR / "moderation_rules.toml"


class _OpenCCChars(dict[str, str]):
    """Per-character traditional -> simplified, asked of OpenCC on first sight and remembered."""

    def __init__(self) -> None:
        super().__init__()
        self._cc = opencc.OpenCC("t2s")

    def __missing__(self, ch: str) -> str:
        out = self._cc.convert(ch)
        self[ch] = out = out if len(out) == 1 else ch  # keep the one-char-in, one-char-out index model
        return out

    def get(self, ch: str, default: str | None = None) -> str:  # type: ignore[override]
        return self[ch]


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

# Gap kinds between two consecutive kept characters.
_NO_GAP, _SOFT_GAP, _HARD_GAP = 0, 1, 2


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
        # Traditional -> simplified per character through OpenCC (its t2s table covers every character
        # OpenCC knows; the hand-written table it replaces held about 1,000). A mapping may be given instead.
        self._t2s = _OpenCCChars() if t2s is None else dict(t2s)
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

    def chunk(self, k: int) -> str:
        """The run of word characters around folded position k that no whitespace interrupts."""
        a = k
        while self.is_word(a - 1) and self.gap(a) != _HARD_GAP:
            a -= 1
        b = k + 1
        while self.is_word(b) and self.gap(b) != _HARD_GAP:
            b += 1
        return self.folded[a:b]

    def is_fragment(self, k: int) -> bool:
        """Whether the chunk at k looks like a piece of a split word ("k", "ki", "ll"), not a word of its own
        ("in", "of"): one letter, or two that are no common short word."""
        chunk = self.chunk(k)
        return len(chunk) == 1 or (len(chunk) == 2 and chunk not in _SHORT_WORDS)

    def fits(self, s: int, e: int, entry: _Entry) -> bool:
        """Whether the candidate folded span [s, e) respects the pattern's word structure."""
        if entry.check_start and not self.starts_word(s):
            return False
        if entry.check_end and not self.ends_word(e):
            return False
        for k in range(s + 1, e):
            # A space inside the match is fine where the pattern has one too ("child porn"), or next to a
            # fragment of a split word ("k i l l", "ki ll"). Otherwise "hero in" would match "heroin".
            if (
                k - s not in entry.breaks
                and self.is_word(k - 1)
                and self.is_word(k)
                and self.gap(k) == _HARD_GAP
                and not (self.is_fragment(k - 1) or self.is_fragment(k))
            ):
                return False
        return True


# The suffixes go through the same look-alike folding as text ("ing" -> "ing", "ed" -> "ed", "l" -> "i").
_FOLDED_SUFFIXES = frozenset("".join(_LOOKALIKES.get(c, c) for c in s) for s in _SUFFIXES)
# Two-letter English words, folded the same way: a two-letter chunk among these is a word, not a fragment.
_SHORT_WORDS = frozenset(
    "".join(_LOOKALIKES.get(c, c) for c in w)
    for w in "am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ad ah ax eh ha "
    "ho id lo ma mr ms dr st tv pa ox yo ye".split()
)


@dataclass(frozen=True)
class Combo:
    """An intent term near a target/harm term of the same combination makes a match (see the module doc)."""

    category: str
    intent: tuple[str, ...]
    target: tuple[str, ...]
    action: RuleAction = "block"
    window: int = 4  # at most this many words between the two parts (Latin text)
    window_zh: int = 3  # at most this many Chinese characters between them


@dataclass(frozen=True)
class _Entry:
    """A compiled pattern: a rule, an allow-list term (`rule` and `combo` None) or a combination part."""

    key: str  # folded pattern
    rule: Rule | None
    check_start: bool  # pattern starts with a Latin letter/digit, so it must start a word
    check_end: bool
    breaks: frozenset[int]  # offsets in `key` where the pattern itself has a space/punctuation
    combo: int = -1  # index of the combination this part belongs to
    intent: bool = False  # which part of the combination


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class Moderator:
    """Compiled rule set. Build once (at start and after an admin edit), then call `check` freely."""

    def __init__(
        self,
        rules: Iterable[Rule],
        allow: Iterable[str] = (),
        *,
        combos: Iterable[Combo] = (),
        normaliser: Normaliser | None = None,
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(r for r in rules if r.enabled)
        self.allow: tuple[str, ...] = tuple(a for a in allow if a.strip())
        self.combos: tuple[Combo, ...] = tuple(combos)
        self._norm = normaliser or Normaliser()
        entries = [self._compile(r.pattern, r) for r in self.rules]
        entries += [self._compile(a, None) for a in self.allow]
        for i, combo in enumerate(self.combos):
            entries += [self._compile(t, None, combo=i, intent=True) for t in combo.intent]
            entries += [self._compile(t, None, combo=i) for t in combo.target]
        # A pattern made only of separators folds to nothing and could never match; skip it.
        self._entries = [e for e in entries if e.key]
        by_key: dict[str, list[int]] = {}
        for index, entry in enumerate(self._entries):
            by_key.setdefault(entry.key, []).append(index)
        self._automaton = ahocorasick.Automaton()
        for key, indices in by_key.items():
            self._automaton.add_word(key, tuple(indices))
        if by_key:
            self._automaton.make_automaton()

    def _compile(self, pattern: str, rule: Rule | None, *, combo: int = -1, intent: bool = False) -> _Entry:
        key = self._norm.fold(pattern)
        if not key:
            return _Entry("", rule, False, False, frozenset())
        view = _View(pattern, key, self._norm.origin(pattern, key))
        breaks = frozenset(k for k in range(1, len(key)) if view.gap(k) != _NO_GAP)
        return _Entry(key, rule, key[0] in _WORD_CHARS, key[-1] in _WORD_CHARS, breaks, combo, intent)

    def check(self, text: str, *, field: str | None = None) -> Verdict:
        if not self._entries:
            return Verdict()
        folded = self._norm.fold(text)
        hits = list(self._automaton.iter(folded))
        if not hits:
            return Verdict()
        view = _View(text, folded, self._norm.origin(text, folded))
        allowed: list[tuple[int, int]] = []
        found: list[tuple[int, int, _Entry]] = []
        for last, indices in hits:
            end = last + 1
            for index in indices:
                entry = self._entries[index]
                start = end - len(entry.key)
                if not view.fits(start, end, entry):
                    continue
                if entry.rule is None and entry.combo < 0:
                    allowed.append((start, end))
                else:
                    found.append((start, end, entry))
        found = [f for f in found if not any(a <= f[0] and f[1] <= b for a, b in allowed)]
        matches = [self._match(view, s, e, entry.rule, field) for s, e, entry in found if entry.rule is not None]
        matches += self._combo_matches(view, [f for f in found if f[2].combo >= 0], field)
        return combine(matches)

    def _match(self, view: _View, start: int, end: int, rule: Rule, field: str | None, pattern: str = "") -> Match:
        o_start, o_end = view.origin[start], view.origin[end - 1] + 1
        return Match(rule_id=rule.id, pattern=pattern or rule.pattern, category=rule.category, action=rule.action,
                     start=o_start, end=o_end, excerpt=view.text[o_start:o_end], field=field)  # fmt: skip

    def _combo_matches(self, view: _View, parts: list[tuple[int, int, _Entry]], field: str | None) -> list[Match]:
        matches: list[Match] = []
        done: set[int] = set()
        for s1, e1, a in parts:
            if not a.intent or a.combo in done:
                continue
            combo = self.combos[a.combo]
            for s2, e2, b in parts:
                if b.combo != a.combo or b.intent:
                    continue
                lo, hi = (e1, s2) if s1 <= s2 else (e2, s1)
                if hi < lo or not self._near(view, lo, hi, combo):
                    continue
                rule = Rule(category=combo.category, pattern=f"{a.key} + {b.key}", action=combo.action)
                matches.append(self._match(view, min(s1, s2), max(e1, e2), rule, field, rule.pattern))
                done.add(a.combo)
                break
        return matches

    @staticmethod
    def _near(view: _View, lo: int, hi: int, combo: Combo) -> bool:
        """Whether the folded stretch [lo, hi) between two parts is short enough: Chinese characters count
        one each, Latin words one each (a word ends at a whitespace gap)."""
        between = view.folded[lo:hi]
        cjk = sum(1 for ch in between if _is_cjk(ch))
        gaps = sum(1 for k in range(lo, min(hi + 1, len(view.folded))) if k and view.gap(k) == _HARD_GAP)
        words = max(0, gaps - 1) if cjk < len(between) else 0
        return cjk <= combo.window_zh and words <= combo.window

    def check_many(self, texts: Mapping[str, str]) -> Verdict:
        """Check several named inputs (e.g. storyboard cells); each match records its `field`."""
        matches: list[Match] = []
        for name, text in texts.items():
            matches.extend(self.check(text, field=name).matches)
        return combine(matches)

    @property
    def automaton_size(self) -> int:
        return self._automaton.get_stats()["nodes_count"] if self._entries else 1


def _load_rules_file(path: Path = RULES_FILE) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def default_rules(path: Path = RULES_FILE) -> list[Rule]:
    """The shipped rule set (see models/safety/data/moderation_rules.toml)."""
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


def default_combos(path: Path = RULES_FILE) -> list[Combo]:
    """The shipped combinations ([[combos]] in the rules file). An entry with `objects` has the target terms
    each act followed by each object ("poison" x "my husband" -> "poison my husband")."""
    combos = []
    for c in _load_rules_file(path).get("combos", []):
        target = tuple(f"{t} {o}" for t in c["target"] for o in c["objects"]) if "objects" in c else tuple(c["target"])
        combos.append(Combo(category=c["category"], intent=tuple(c["intent"]), target=target,
                            action=c.get("action", "block"), window=int(c.get("window", 4)),
                            window_zh=int(c.get("window_zh", 3))))  # fmt: skip
    return combos


class RulesCheck:
    """The ``rules`` text check: the admin's rule table and allow list, plus the shipped combinations.

    Each text's matches are remembered (by the text itself, up to `cache_size` texts, per compiled rule set):
    the studio re-checks a whole storyboard after every cell edit, and only the edited cell is new."""

    name = "rules"

    def __init__(self, combos: Sequence[Combo] | None = None, *, cache_size: int = 4096) -> None:
        self._combos = list(default_combos() if combos is None else combos)
        self._normaliser = Normaliser()  # shared by every rebuild, so its per-character tables stay warm
        self._moderator = Moderator((), combos=self._combos, normaliser=self._normaliser)
        self._cache: OrderedDict[str, tuple[Match, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def update(self, policy: Policy) -> None:
        moderator = Moderator(policy.rules, policy.allow, combos=self._combos, normaliser=self._normaliser)
        with self._lock:
            self._moderator = moderator
            self._cache.clear()

    def _matches(self, text: str) -> tuple[Match, ...]:
        with self._lock:
            moderator, known = self._moderator, self._cache.get(text)
        if known is not None:
            return known
        found = tuple(moderator.check(text).matches)
        with self._lock:
            if self._moderator is moderator:  # no admin edit meanwhile
                self._cache[text] = found
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return found

    def check_many(self, texts: Mapping[str, str]) -> Verdict:
        matches = [m.model_copy(update={"field": name}) for name, text in texts.items() for m in self._matches(text)]
        return combine(matches)
