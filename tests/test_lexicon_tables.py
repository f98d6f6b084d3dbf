"""The curated visual lexicon (models/writers/data/lexicon_*.txt) as data: every line parses, every kind and
extra is one the planner reads, no Chinese word is defined twice with two senses (the loader keeps the first
file's, in sorted order, so a new file could silently override a better entry), no English phrase changes
kind between files, and the senses are the ones a camera sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.storyboard import TimeOfDay, Weather
from models.writers.en_grammar import verb_forms
from models.writers.facts import Cast
from models.writers.facts_zh import zh_facts
from models.writers.lexicon import DATA, Entry, Lexicon, _parse_line, default_lexicon

KINDS = {
    "person",
    "animal",
    "thing",
    "food",
    "product",
    "place",
    "time",
    "weather",
    "season",
    "verb",
    "adj",
    "adv",
    "skip",
    "pron",
}
BASE_TOO = {"found", "saw", "left", "lay", "fell", "ground", "wound", "rose", "felt"}  # base forms of their own
# adj: what a verb is before 的 + a noun; spot: a spot at the scene's place (树下: under the tree), never a setting
EXTRAS = {"look", "place", "prep", "tod", "w", "agent", "obj", "qty", "adj", "spot", "makes", "made"}
PREPS = {"in", "on", "at", "by", "under", "among", "along", "through", "across", "outside", "deep", "toward"}
# Chinese words with two senses on purpose: the first (the camera's) wins, the second documents the other use.
TWO_SENSES = {
    "下": "a verb (rain falls); 'under' after a noun is handled by the planner's locatives",
    "画": "to paint first; the painting as a thing second",
}
# English phrases whose kind differs between files on purpose, from the tables before the third pass: a Chinese
# locative ("床上", on the bed) is a place while the bare noun is a thing; the first file's entry wins.
EN_TWO_KINDS = {"bed", "tent", "clouds", "tree", "ice", "running shoes", "fish"}
# English nouns in the tables that are also verbs: a clause that opens with one is not read as an instruction
# ("Water the plants" reads as a noun phrase). Listed so that no new file adds another.
EN_NOUN_VERBS = {
    # listed when data/en_verbs.txt learnt these verbs (English reading, issue 12): the tables' senses predate it
    "dry",
    "hammer",
    "circle",
    "soaked",
    "sprouts",
    "waves",
    "bed",
    "warm",
    "taste",
    "clean",
    "painting",
    "notice",
    "drink",
    "fire",
    "water",
    "leaves",
    "rose",
    "seed",
    "filling",
    "paint",
    "bubbles",
}


def _rows() -> list[tuple[str, int, Entry]]:
    rows = []
    for path in sorted(DATA.glob("lexicon_*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            entry = _parse_line(line)
            assert entry is not None, f"{path.name}:{number} does not parse: {line!r}"
            rows.append((path.name, number, entry))
    return rows


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, int, Entry]]:
    return _rows()


def test_every_line_parses_with_a_kind_and_extras_the_planner_reads(rows):
    assert len(rows) >= 3000
    for name, number, e in rows:
        where = f"{name}:{number} {e.zh}"
        assert e.zh and e.kind in KINDS, where
        assert e.en or e.kind in ("skip",), where
        assert set(e.extras) <= EXTRAS, where
        assert "|" not in e.en and ";" not in e.en and "=" not in e.en, where
        if e.kind == "place":
            assert e.extras.get("prep") in PREPS, where
        if e.kind == "time":
            TimeOfDay(e.extras["tod"])  # a time word without one would silently become daytime
        if "w" in e.extras:
            Weather(e.extras["w"])
        if e.kind in ("person", "animal"):
            assert e.look, f"{where}: people and animals carry a look to repeat in every scene"
        if e.kind == "verb":
            first = e.en.split()[0]  # the planner conjugates it: "sails", "sailing"
            assert verb_forms().get(first, first) == first or first in BASE_TOO, f"{where}: not a base form"


def test_no_chinese_word_has_two_senses_unless_intended(rows):
    first: dict[str, tuple[str, Entry]] = {}
    clashes = []
    for name, _number, e in rows:
        if e.zh == "-" or name == "lexicon_zh_fixes.txt":  # read first on purpose: its readings override
            continue
        if e.zh in first and (first[e.zh][1].kind, first[e.zh][1].en) != (e.kind, e.en):
            clashes.append(
                f"{e.zh}: {first[e.zh][0]} {first[e.zh][1].kind} {first[e.zh][1].en!r} / {name} {e.kind} {e.en!r}"
            )
        first.setdefault(e.zh, (name, e))
    assert all(c.split(":")[0] in TWO_SENSES for c in clashes), clashes


def test_english_phrases_keep_one_kind_and_no_new_noun_hides_a_verb(rows):
    english_only = {e.en.lower() for _n, _k, e in rows if e.zh == "-"}  # these always win in the English map
    kinds: dict[str, str] = {}
    clashes = set()
    for _name, _number, e in rows:
        key = e.en.lower()
        if not key or e.kind == "verb" or key in english_only:
            continue
        if key in kinds and kinds[key] != e.kind:
            clashes.add(key)
        kinds.setdefault(key, e.kind)
    assert clashes <= EN_TWO_KINDS, sorted(clashes - EN_TWO_KINDS)
    hidden = {k for k, kind in kinds.items() if k in verb_forms() and kind != "skip"}
    assert hidden <= EN_NOUN_VERBS, sorted(hidden - EN_NOUN_VERBS)


def test_the_sense_a_camera_sees():
    lex = Lexicon()
    assert lex.lookup("后").kind == "skip"  # never "empress"
    hurt = lex.lookup("受伤")  # a verb (she gets hurt) that is "injured" before 的 + a noun
    assert hurt.kind == "adj" and hurt.en == "injured" or hurt.extras.get("adj") == "injured"
    assert lex.lookup("放飞").kind == "verb" and lex.lookup("放飞").en in ("release into the sky", "let {obj} fly free")
    assert lex.lookup("包饺子").en == "fold dumplings"
    for word in ("几天后", "第二天", "后来", "多年以后", "不久"):
        assert lex.lookup(word).kind == "skip", word  # moves the story on; never a subject or "at ... later"
    for word, tod in (("凌晨", "dawn"), ("傍晚时分", "dusk"), ("夜幕降临", "night"), ("正午", "day")):
        assert lex.lookup(word).extras["tod"] == tod, word
    for word in ("西湖", "黄山", "乌镇", "布达拉宫", "京都", "埃菲尔铁塔", "九寨沟"):
        assert lex.lookup(word).kind == "place", word  # a famous place, never a person
    assert lex.lookup("鸡肉").kind == "food" and lex.en["chicken"].kind == "animal"


def test_new_words_give_scene_facts():
    lex = Lexicon()
    cast = Cast()
    facts = zh_facts("几天后，受伤的小鸟飞回了森林", lex, cast)
    # the state is said of the bird, not part of its name: the story bible keeps one bird
    assert facts.subjects == ["little bird"] and facts.setting == "forest"
    assert "fly back to the forest" in facts.sentence or "flies back to the forest" in facts.sentence
    facts = zh_facts("奶奶在厨房包馄饨", lex, Cast())
    assert facts.sentence.startswith("the grandmother folds wontons") and facts.setting == "kitchen"
    facts = zh_facts("程序员坐地铁回家", lex, Cast())
    assert facts.subjects == ["programmer"] and "subway" in facts.sentence
    facts = zh_facts("叶子吸收二氧化碳，释放氧气", lex, Cast())
    assert "absorb" in facts.sentence and "carbon dioxide" in facts.sentence


def test_tables_are_what_the_loader_reads():
    lex = Lexicon()
    files = sorted(Path(DATA).glob("lexicon_*.txt"))
    assert len(files) >= 10
    assert len(lex.zh) >= 3000  # distinct Chinese words after duplicates


@pytest.mark.parametrize(
    ("clause", "verb"),
    [("它伸了个懒腰", "伸懒腰"), ("它伸了伸懒腰", "伸懒腰"), ("他洗了个澡", "洗澡"), ("她打了个哈欠", "打哈欠"),
     ("他喝了口水", "喝水"), ("孩子们游了泳", "游泳")],
)  # fmt: skip
def test_a_split_verb_is_one_action(clause, verb):
    """离合词: '它伸了个懒腰' was a verb and a thing, and the closing shot was 'the kitten and the stretch'
    (小猫和懒腰); '他喝了口水' was 'drinks saliva' (口水)."""
    lex = default_lexicon()
    words = lex.cut(clause)
    assert verb in words and lex.lookup(verb).kind == "verb", words
