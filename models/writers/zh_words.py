"""A Chinese clause's words as a camera reads them, before facts_zh.py builds its scene facts.

What the word splitter and the dictionaries alone get wrong, fixed here in general ways:
- time transitions (几天后, 第二天, 后来, 不久, 那天晚上, 一年后) are when the shot happens, never a subject or a
  thing (CC-CEDICT's 后 is "empress"); a time of day inside one (晚上) is kept;
- a word the curated tables lack takes its part of speech from rjieba's tagger, so a dictionary sense such as
  "dexterous" (轻巧) or "crowded" (拥挤) is a quality, "early" (先) an adverb, 一只/几 a count, never a subject;
- a verb or quality before 的 and a noun (受伤的小鸟, 被遗忘的苹果, 小时候住过的村子) describes the noun: it
  becomes the noun's adjective where the tables give one (adj=injured), else it is left out, never an action;
- 他的/她的 (a possessive) is not an object; X们 is several X; 高兴地 is an adverb (happily).
- a noun and 下 ending a clause (星空下, 树下) is a place under it; 把 + object + verb + a direction
  (把它取了下来, 把猫抱了出来) is one action moving the object that way.
"""

from __future__ import annotations

import re

from models.writers.lexicon import NOUN_KINDS, Entry, Lexicon

# The moment moves on by days or more (一个星期后, 第二天, 次日, 多年以后): the weather of before is over.
ZH_DAYS_LATER = re.compile(
    r"(?:天|日|年|个月|月|周|星期)(?:以后|之后|后|过去了|过去)|第[二三四五六七八九十\d]+(?:天|日|年|个月|周)|次日|翌日|多年以?后"
)
# A count of days or years and 后/以后/之后, or a fixed phrase: the moment moves on (not something to film).
ZH_TRANSITION = re.compile(
    r"(?:几|[一二两三四五六七八九十百半数\d]+)(?:个)?(?:天|日|年|个月|月|周|星期|小时|钟头|分钟|秒钟|秒|夜)(?:以后|之后|后|过去了|过去|以来)"
    r"|第[二三四五六七八九十\d]+(?:天|日|年|个月|周)|次日|翌日|后来|不久以?后|不久|没过多久|过了一会儿?|一会儿后|转眼间?|"
    r"(?:春|夏|秋|冬)(?:天|季)?(?:又|终于)?(?:来了|到了|来临了?|降临了?)|"  # 春天来了: a time, not someone arriving
    r"从那以后|从此以后|从此|那天|当天|那一天|有一天|这一天|多年以?后|当时|此时|这时候?|那时候?|随后|之后|以后|然后|接着|于是"
)
# A count before a person or animal that makes it several (两个朋友: two friends, 一群小鸟: a flock).
_SEVERAL = re.compile(
    r"^(?:两|三|四|五|六|七|八|九|十|几|一群|一些|很多|许多|好多|一帮|成群的)(?:个|位|只|名|群|条|头|匹)?$"
)
# One of a kind the dictionary names in the plural (一只海鸥: one seagull, not "seagulls").
_ONE = re.compile(r"^一(?:个|位|只|名|条|头|匹)$")
# A look said of a group ("a shoal of small silver fish"): what one of them looks like is the rest
_GROUP_LOOK = re.compile(r"^an? (?:shoal|school|flock|herd|pack|swarm|group|bunch|pair|family|line|troop) of ")
# A length of time (二十分钟, 十二小时): how long the action lasts ("for twenty minutes"), not a thing in frame.
_LENGTH = re.compile(r"^([零一二两三四五六七八九十百半几\d]*)(分钟|秒钟|秒|小时|个小时|钟头)$")
_UNITS = {"分钟": "minute", "秒钟": "second", "秒": "second", "小时": "hour", "个小时": "hour", "钟头": "hour"}
_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()
# Containers: 一碗热腾腾的牛肉面 is a steaming hot bowl of beef noodle soup, not a bowl and a soup.
_CONTAINERS = {"bowl", "cup", "glass", "plate", "pot", "basket", "bag", "box", "bottle", "jar", "mug", "tray", "bucket"}
_SKIP_TAGS = ("m", "q", "f", "r", "u", "p", "c", "y", "e", "o", "k", "x", "w")
_ADJ_TAGS = ("a", "ad", "an", "b", "z")
_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people", "fish": "fish", "sheep": "sheep"}


def strip_transitions(clause: str) -> tuple[str, str]:
    """(the clause without its time transitions, the transitions said): '几天后小鸟康复了' → ('小鸟康复了', '几天后')."""
    said = "".join(m.group(0) for m in ZH_TRANSITION.finditer(clause))
    return ZH_TRANSITION.sub("", clause), said


def plural(name: str) -> str:
    """'guest' → 'guests', 'old man' → 'old men', 'puppy' → 'puppies'."""
    head, _, last = name.rpartition(" ")
    if last in _PLURALS:
        last = _PLURALS[last]
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|sh|ch|x|z)$", last):
        last += "es"
    elif not last.endswith("s"):
        last += "s"
    return f"{head} {last}".strip()


def singular(name: str) -> str:
    """'seagulls' → 'seagull', 'puppies' → 'puppy', 'grey pigeons' → 'grey pigeon' (the inverse of plural)."""
    head, _, last = name.rpartition(" ")
    back = {v: k for k, v in _PLURALS.items()}
    if last in back:
        last = back[last]
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif re.search(r"(ss|sh|ch|x|z)es$", last):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}".strip()


def adverb(adjective: str) -> str:
    """'happy' → 'happily', 'gentle' → 'gently', 'slow' → 'slowly'."""
    if " " in adjective or adjective.endswith("ly"):
        return adjective
    if re.search(r"[^aeiou]y$", adjective):
        return adjective[:-1] + "ily"
    if adjective.endswith("le"):
        return adjective[:-1] + "y"
    return adjective + "ly"


def _how_long(number: str, unit: str) -> str:
    """'二十', 'minute' → 'for twenty minutes'; '' → 'for a minute'."""
    from models.writers.beats import _zh_number

    if not number:
        return f"for a {unit}"
    if number == "几":
        return f"for a few {unit}s"
    if number == "半":
        return f"for half {'an' if unit == 'hour' else 'a'} {unit}"
    n = int(_zh_number(number))
    said = _NUMBERS[n] if n < len(_NUMBERS) else {20: "twenty", 30: "thirty", 15: "fifteen", 40: "forty"}.get(n, str(n))
    return f"for {said} {unit}{'s' if n != 1 else ''}"


def _tags(clause: str) -> dict[str, str]:
    import rjieba

    tags: dict[str, str] = {}
    for word, tag in rjieba.tag(clause):
        tags.setdefault(word, tag)
    return tags


def _by_tag(word: str, entry: Entry | None, tag: str, lex: Lexicon) -> Entry | None:
    """A dictionary word (not in the curated tables) read by its part of speech; a dictionary noun whose last
    English word the tables know as a person or animal is one (流浪狗, "stray dog": an animal, the story's)."""
    if entry is None:
        return None
    head = lex.en.get(entry.en.rsplit(" ", 1)[-1].lower()) if entry.kind == "thing" else None
    if head is not None and head.kind in ("person", "animal") and tag.startswith("n"):
        return entry.model_copy(update={"kind": head.kind, "extras": {**head.extras, **entry.extras}})
    if tag.startswith(_SKIP_TAGS) or tag == "d" and entry.kind != "verb":
        return Entry(zh=word, kind="skip", en="")
    if tag in _ADJ_TAGS and entry.kind == "thing":
        return entry.model_copy(update={"kind": "adj"})
    if tag == "t" and entry.kind == "thing":  # a time the tables do not know: no picture of its own
        return Entry(zh=word, kind="skip", en="")
    return entry


def zh_words(clause: str, lex: Lexicon) -> list[tuple[str, Entry]]:
    """The clause's words with their entries, read as described at the top of this module."""
    tags = _tags(clause)
    words: list[tuple[str, Entry]] = []
    for word in lex.cut(clause):
        if _LENGTH.match(word):  # 二十分钟: how long, read whole (the dictionary knows only 分钟)
            words.append((word, Entry(zh=word, kind="skip", en="")))
            continue
        if _SEVERAL.match(word):  # 两个, 一群: kept as a mark for the noun after it
            words.append((word, Entry(zh=word, kind="skip", en="", extras={"several": "1"})))
            continue
        if word in lex.zh:
            words.append((word, lex.zh[word]))
            continue
        tool = lex.lookup(word[1:]) if len(word) >= 2 and word[0] == "用" and word not in lex.zh else None
        if tool is not None and tool.kind in NOUN_KINDS:
            words += [("用", Entry(zh="用", kind="skip", en="")), (word[1:], tool)]  # 用水: with water
            continue
        entry = _by_tag(word, lex.lookup(word), tags.get(word, ""), lex)
        if entry is None and tags.get(word) == "nr" and re.fullmatch(r"[小阿][\u4e00-\u9fff]", word):
            entry = given_name(word, lex)  # 小明: Xiao Ming, a boy, by name in every scene
        if entry is None:
            words += [(p, lex.zh[p]) for p in lex.split_unknown(word)]
        else:
            words.append((word, entry))
    return _modifiers(words, lex)


# Characters of given names said of girls (小红, 小梅) or of boys (小明, 小刚); a name with neither is a child's.
_GIRLS = "红丽美芳花梅兰娟婷雪燕玲霞琳莉萍慧静秀英娜妮芬菊莲凤珍琴倩蕾璐薇晴欣怡悦月彤瑶媛"
_BOYS = "明刚强军伟勇杰龙虎东亮峰磊斌涛鹏宇浩辉健波超飞豪毅凯俊斌帆"


def given_name(word: str, lex: Lexicon) -> Entry:
    """小明 → Xiao Ming, a boy of about seven (小 + a given name is a child's; 阿 + one a young person's), by name
    with the look of the tables' boy or girl, as 小林 and 老陈 are named with theirs."""
    from pypinyin import lazy_pinyin

    name = f"{'Xiao ' if word[0] == '小' else 'A-'}{lazy_pinyin(word[1], v_to_u=True)[0].capitalize()}"
    gender = "f" if word[1] in _GIRLS else "m" if word[1] in _BOYS else ""
    like = {"f": "little girl", "m": "little boy"}.get(gender, "child") if word[0] == "小" else "young person"
    known = lex.en.get(like)
    extras = {"name": "1", "look": known.look if known else ""} | ({"gender": gender} if gender else {})
    return Entry(zh=word, kind="person", en=name, extras=extras)


def _bare_count(words: list[tuple[str, Entry]], i: int) -> str:
    """ "one" or "two"... where word i is a count after a verb with no noun after it (尝了一个: tastes one of
    them), else ''."""
    word = words[i][0]
    m = re.fullmatch(r"([一两二三四五六七八九十几])(?:个|只|块|颗|片|口|根|条)", word)
    if not m or not any(e.kind == "verb" for _w, e in words[:i]):
        return ""
    for _w, e in words[i + 1 :]:  # a noun before the next verb is what is counted (一个又大又红的苹果)
        if e.kind == "verb":
            break
        if e.kind in (*NOUN_KINDS, "place", "adj"):
            return ""
    n = {"一": 1, "两": 2, "二": 2, "几": 0}.get(m.group(1))
    if n is None:
        from models.writers.beats import _zh_number

        n = int(_zh_number(m.group(1)))
    return "a few" if n == 0 else _NUMBERS[n]


_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _counted_follows(words: list[tuple[str, Entry]], i: int) -> bool:
    """Whether a noun comes after the count at i before the next verb (两个朋友, 一群叽叽喳喳的小鸟)."""
    for _w, e in words[i + 1 :]:
        if e.kind == "verb":
            return False
        if e.kind in (*NOUN_KINDS, "place"):
            return True
    return False


def _complement(said: str, lex: Lexicon) -> list[tuple[str, Entry]]:
    """How an action goes, from what follows its 得 (入了迷, 很开心, 满头大汗): the tables' 得 + result (", spellbound"),
    else their adverb (开心地: happily), else the dictionary's word for the result as a state (", fascinated");
    nothing when none knows it, rather than more actions ("listen and enter and bewilder")."""
    said = said.replace("了", "").removeprefix("很").removeprefix("非常")
    known = lex.zh.get("得" + said) or lex.zh.get(said + "地")
    if known is not None and known.kind == "adv":
        return [(said, Entry(zh=said, kind="adv", en=known.en))]
    entry = lex.lookup(said)
    if entry is None or not entry.en or entry.kind in ("skip", "pron", "place", "time"):
        return []
    if entry.kind == "adj":
        return [(said, Entry(zh=said, kind="adv", en=adverb(entry.en)))]
    return [(said, Entry(zh=said, kind="adv", en=", " + re.sub(r"^(?:be|get|become) ", "", entry.en)))]


def _noun_follows(words: list[tuple[str, Entry]], i: int) -> bool:
    """Whether a noun (or place) comes right after the 的 at i, adjectives and counts allowed between."""
    for _word, entry in words[i + 1 : i + 4]:
        if entry.kind in (*NOUN_KINDS, "place", "group"):
            return True
        if entry.kind not in ("adj", "skip"):
            return False
    return False


def _de(words: list[tuple[str, Entry]], i: int) -> int:
    """Where the 的 after word i is (aspect particles passed over)."""
    return next((k for k in range(i + 1, len(words)) if words[k][0] not in ("过", "了", "着")), i + 1)


def _modifiers(words: list[tuple[str, Entry]], lex: Lexicon) -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    several = one = False
    container = ""
    for i, (word, entry) in enumerate(words):
        if entry.kind == "verb" and len(out) >= 2 and out[-1][0] == "了" and out[-2][0] == word:
            continue  # 捏了捏, 尝了尝: one gentle act (pinches), not the verb twice
        count = _bare_count(words, i)
        if count:  # 尝了一个, 吃了两个: one (two) of the things just named, said after the verb
            out.append((word, Entry(zh=word, kind="skip", en="", extras={"count": count})))
            continue
        if (_SEVERAL.match(word) or entry.extras.get("several")) and not _counted_follows(words, i):
            # 三个一起回家, 他们三个: a count of people with no noun is everyone named (the last three)
            n = {"两": "2", "俩": "2"}.get(word[0]) or str(_ZH_DIGITS.get(word[0], 0))
            if out and out[-1][1].kind == "pron" and out[-1][1].en in ("they", "we"):
                word = out.pop()[0] + word
            out.append((word, Entry(zh=word, kind="pron", en="they", plural=True, extras={"all": n})))
            continue
        if _SEVERAL.match(word) or entry.extras.get("several"):
            several = True
            continue
        if _ONE.match(word):
            one = True
        elif one and entry.kind == "animal" and entry.plural:
            # 一只受伤的海鸥: one injured seagull, its look said of one ("a white seagull with grey wings")
            name, look = singular(entry.en), entry.look
            if look and entry.en in look:
                look = look.replace(entry.en, name)
                look = ("an " if look[:1] in "aeiou" else "a ") + look
            elif look and _GROUP_LOOK.match(look):  # 一条小鱼: one small silver fish, not "a shoal of" them
                look = _GROUP_LOOK.sub("", look)
                look = ("an " if look[:1] in "aeiou" else "a ") + look
            extras = {**entry.extras, "look": look} if look else entry.extras
            entry = entry.model_copy(update={"en": name, "plural": False, "extras": extras})
            one = False
        elif entry.kind in NOUN_KINDS:
            one = False
        if re.fullmatch(r"[零一二两三四五六七八九十百半几\d]+", word) and i + 1 < len(words):
            m = _LENGTH.match(words[i + 1][0])
            if m and not m.group(1):  # 十二 + 小时: said with the unit
                words[i + 1] = (word + words[i + 1][0], words[i + 1][1])
                continue
        m = _LENGTH.match(word)
        if m:
            out.append((word, Entry(zh=word, kind="adv", en=_how_long(m.group(1), _UNITS[m.group(2)]))))
            continue
        if entry.en in _CONTAINERS and entry.kind == "thing" and _noun_follows(words, i):
            container = entry.en
            continue
        if container and entry.kind in ("food", "thing", "product"):
            update = {"en": f"{container} of {entry.en}", "mass": False, "plural": False, "kind": "thing"}
            entry = entry.model_copy(update=update)
            container = ""
        if several and entry.kind in ("person", "animal") and not entry.plural:
            look = entry.look
            if look and not entry.plural:  # the look is said of one of them: "each a young person in ..."
                look = "each " + look
            extras = {**entry.extras, "look": look} if look else entry.extras
            entry = entry.model_copy(update={"en": plural(entry.en), "plural": True, "extras": extras})
            several = False
        elif entry.kind not in ("adj", "skip"):
            several = False
        # the word after this one, aspect particles passed over (住过的村子: 住 is before 的)
        nxt = next((w for w, _e in words[i + 1 :] if w not in ("过", "了", "着")), "")
        if word == "们" and out and out[-1][1].kind in ("person", "animal", "thing"):
            prev_word, prev = out.pop()  # 客人们: several guests, people whatever the dictionary says
            kind = "person" if prev.kind == "thing" else prev.kind
            out.append(
                (
                    prev_word + word,
                    prev.model_copy(
                        update={"en": prev.en if prev.plural else plural(prev.en), "plural": True, "kind": kind}
                    ),
                )
            )
            continue
        if word.startswith("得") and out and out[-1][1].kind == "verb":
            # 听得入了迷, 跑得满头大汗: the rest of the clause is how the action goes, no action of its own
            out += _complement(word[1:] + "".join(w for w, _e in words[i + 1 :]), lex)
            break
        if word in ("故事", "传说") and len(out) >= 2 and out[-1][0] == "的" and out[-2][1].kind in NOUN_KINDS:
            # 嫦娥的故事: the story of Chang'e (a name takes no article), one thing told, not Chang'e herself
            out.pop()
            whose = out.pop()[1].en
            whose = whose if whose[:1].isupper() or re.match(r"(the|a|an) ", whose) else f"the {whose}"
            out.append((word, Entry(zh=word, kind="thing", en=f"the story of {whose}", mass=True)))
            continue
        if entry.kind == "adj" and out and out[-1][0] in ("得", "很") and any(w == "得" for w, _e in out[-2:]):
            # 吃得很开心: eat happily (the table's 开心地 when it has one: "beaming" makes no adverb)
            said = lex.zh.get(word.removeprefix("很") + "地")
            out.append((word, Entry(zh=word, kind="adv", en=said.en if said else adverb(entry.en))))
            continue
        if nxt == "地" and entry.kind in ("adj", "thing") and out is not None:  # 高兴地: happily
            out.append((word, Entry(zh=word, kind="adv", en=adverb(entry.en))))
            continue
        if entry.kind == "pron" and i + 1 < len(words) and words[i + 1][1].kind == "place":
            out.append((word, Entry(zh=word, kind="skip", en="")))  # 他家门口: his doorway, the doorway is seen
            continue
        if nxt == "的" and entry.kind == "pron":  # 他的小狗: his puppy, the puppy is what is seen
            # whose it is stays known (摸了摸他的头: the grandson's head, and the grandson is in frame)
            out.append((word, Entry(zh=word, kind="skip", en="", extras={"owner": entry.en})))
            continue
        if nxt == "的" and entry.kind == "verb" and _noun_follows(words, _de(words, i)):
            # 受伤的小鸟: an injured little bird, not "sustains injuries"; 住过的村子: the village, no action
            adj = entry.extras.get("adj", "")
            while out and (out[-1][1].kind == "time" or out[-1][0] == "被"):
                out.pop()  # 小时候住过的: when it was lived in describes the village too
            out.append(
                (
                    word,
                    Entry(zh=word, kind="adj", en=adj, extras={"state": "1"})
                    if adj
                    else Entry(zh=word, kind="skip", en=""),
                )
            )
            continue
        if (
            entry.kind == "adj"
            and word.endswith("的")
            and not entry.extras.get("state")
            and i + 1 < len(words)
            and words[i + 1][1].kind in ("person", "animal")
        ):
            # 孤单的小狗, 受伤的小鸟 as one table word: a state of the dog, not part of its name, so the story
            # bible keeps one dog whether or not a later clause repeats the adjective
            entry = entry.model_copy(update={"extras": {**entry.extras, "state": "1"}})
        out.append((word, entry))
    return out


def locatives(words: list[tuple[str, Entry]]) -> list[tuple[str, Entry]]:
    """ "星空下", "树下": a noun followed by 下 at the end of a clause is a place under it, not a verb."""
    out: list[tuple[str, Entry]] = []
    for i, (word, entry) in enumerate(words):
        last = i + 1 == len(words) or words[i + 1][1].kind in ("skip",) and i + 2 == len(words)
        if word in ("下", "底下") and out and out[-1][1].kind in (*NOUN_KINDS, "place") and last:
            noun_word, noun = out.pop()
            out.append(
                (noun_word + word, Entry(zh=noun_word + word, kind="place", en=noun.en, extras={"prep": "under"}))
            )
            continue
        out.append((word, entry))
    return out


# A direction said after a verb (取了下来, 放了上去, 抱了出来) and the English particle it becomes.
_DIRECTIONS = {"下来": "down", "下去": "down", "上来": "up", "上去": "up", "出来": "out", "出去": "out", "进来": "in",
               "进去": "in", "回来": "back", "回去": "back", "过来": "over", "过去": "over", "起来": "up"}  # fmt: skip
# Verbs whose direction makes them carrying: 抱了出来 carries the cat out (not "hugs and comes out").
_CARRY = {"抱", "搬", "背", "扛", "抬", "端", "提", "拖", "领", "带"}


def directionals(words: list[tuple[str, Entry]]) -> list[tuple[str, Entry]]:
    """把 + object + verb + (了) + a direction is one action on the object, moved that way: 把它取了下来 "takes
    the kite down", 把书放了上去 "puts the book up", 把猫抱了出来 "carries the cat out" (before, the direction
    was a second verb with no object: "takes and comes down")."""
    out: list[tuple[str, Entry]] = []
    ba = False
    for word, entry in words:
        if word == "把":
            ba = True
        elif ba and word in _DIRECTIONS and out:
            k = len(out) - 1 - (out[-1][0] == "了")
            verb_word, verb = out[k]
            if k >= 0 and verb.kind == "verb" and "{obj}" not in verb.en:
                base = "carry" if verb_word in _CARRY else verb.en.split()[0]  # "put down" + 上去: put … up
                base = "bring" if word == "回来" and verb_word in ("拿", "带", "取") else base  # 拿了回来: brings back
                merged = verb.model_copy(update={"en": f"{base} {{obj}} {_DIRECTIONS[word]}", "zh": verb_word + word})
                out[k:] = [(verb_word + word, merged)]
                ba = False
                continue
        out.append((word, entry))
    return out
