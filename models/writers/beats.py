"""An idea read as a creator means it: the studio instructions in it (genre, length, audience: never
narrated), its heading ("A travel film about Kyoto: ..." → Kyoto), and its events, one clause each, in order.

Chinese splits on ，。；：、！？ and on connectives (然后, 接着, 最后, 终于, 突然, 于是, 直到...); English on
sentence and clause boundaries (commas, and/then/finally/until/when/but, "who finds..., reads..."). A clause
with no event of its own ("In a snowy village", "第二天黄昏") joins the next one.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from models.storyboard import Genre

_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {"one": 1, "a": 1, "two": 2, "three": 3, "half a": 0.5, "ten": 10, "fifteen": 15, "thirty": 30}

ZH_CONNECTIVES = (
    "然后",
    "接着",
    "最后",
    "终于",
    "突然",
    "于是",
    "直到",
    "后来",
    "随后",
    "之后",
    "从那以后",
    "有一天",
    "第二天",
    "可是",
    "但是",
    "不料",
)
_ZH_SPLIT = re.compile(r"[，。；：、！？,;!?\n]+|(?=(?:" + "|".join(ZH_CONNECTIVES) + r"))")
# A length is an instruction only when it says so ("用三十秒", "一分钟的短片"), not "刷满两分钟".
_ZH_LENGTH = re.compile(
    r"(?:用|时长|长度)([零一二两三四五六七八九十百\d]+)(秒钟|秒|分钟)|([零一二两三四五六七八九十百\d]+)(秒钟|秒|分钟)(?=的?(?:短)?(?:视频|短片|片子|广告|宣传片|动画|故事))"
)
_ZH_DAYS = r"[零一二两三四五六七八九十\d]+"
_ZH_WRAPPERS: list[tuple[re.Pattern, Genre | None, str]] = [
    # a heading that only asks for the film ("一支30秒的广告：…" once its length is read): no topic in it
    (
        re.compile(r"^(?:请)?(?:帮我)?(?:制作|做|拍|生成|创作|写)?(?:一支|一段|一个|一条|一部|一则)?的?(广告|宣传片)$"),
        Genre.ADVERT,
        "",
    ),
    (
        re.compile(r"^(?:请)?(?:帮我)?(?:制作|做|拍|生成|创作|写)?(?:一支|一段|一个|一条|一部|一则)?的?(故事)$"),
        Genre.STORY,
        "",
    ),
    # "三天两夜游成都", "周末游杭州", "玩转西安": a trip to a place
    (re.compile(rf"^(?:{_ZH_DAYS}天(?:{_ZH_DAYS}夜)?|周末|{_ZH_DAYS}日|半日)游(.+)$"), Genre.TRAVEL, ""),
    (re.compile(r"^(?:畅游|漫游|玩转|打卡)(.+)$"), Genre.TRAVEL, ""),
    (re.compile(rf"^(.+?)(?:{_ZH_DAYS}天(?:{_ZH_DAYS}夜)?|{_ZH_DAYS}日)游$"), Genre.TRAVEL, ""),
    (
        re.compile(
            r"^(?:请)?(?:帮我)?(?:制作|做|拍|生成|创作)(?:一段|一部|一个|一支|一条)?(?:关于)?(.+?)的(?:短)?(?:视频|短片|影片|动画|片子)$"
        ),
        None,
        "",
    ),
    (re.compile(r"^(?:一个|一段)?关于(.+?)的.{0,4}故事$"), Genre.STORY, ""),
    (re.compile(r"^为(?:一款|一个|我们的)?(.+?)拍(?:一支|一段|一条)?(?:广告|宣传片)$"), Genre.ADVERT, ""),
    (re.compile(r"^(.+?)(?:的)?(?:发布)?(?:预告|广告|宣传片)$"), Genre.ADVERT, ""),
    (re.compile(r"^(?:这款|这一款|一款|新款|我们的新款)(.+)$"), Genre.ADVERT, ""),
    (re.compile(r"^(给小朋友|给孩子们?|向孩子们?)?(?:讲解|解释|科普|介绍)(?:一下)?(.+)$"), Genre.EXPLAINER, "children"),
    (re.compile(r"^教(?:你|大家|我们)?(孩子们?|小朋友)?(?:怎么|如何)?(.+)$"), Genre.EXPLAINER, "children"),
    (re.compile(r"^(.+?)(?:游记|一日游|之旅|旅行记)$"), Genre.TRAVEL, ""),
    (re.compile(r"^(.+?)的(?:制作)?(?:过程|诞生|做法)$"), Genre.PROCESS, ""),
    (re.compile(r"^(.+?)是(?:怎么|如何)(?:做成|制作|做出来)的$"), Genre.PROCESS, ""),
    (re.compile(r"^(.+?)(?:为什么|是怎么|是如何)(.+)$"), Genre.EXPLAINER, ""),
    (re.compile(r"^(?:纪录片|旅行片)$"), Genre.TRAVEL, ""),
    (re.compile(r"^讲述(.+)$"), None, ""),
]
# "a 30-second video", "one minute long", not "brush for two minutes".
_EN_LENGTH = re.compile(
    r"\b(\d+|one|two|three|half a|ten|fifteen|thirty)(?:-|\s)?(seconds?|secs?|s|minutes?|mins?)\b"
    r"(?=[- ]long|\s+(?:\w+\s+)?(?:video|film|clip|ad|advert|teaser|story|spot|reel|commercial|documentary)\b)"
    r"|\b(\d+|one|two|three|half a|ten|fifteen|thirty)-(second|minute)\b",
    re.I,
)
_EN_KINDS = {
    "teaser": Genre.ADVERT, "advert": Genre.ADVERT, "ad": Genre.ADVERT, "commercial": Genre.ADVERT,
    "promo": Genre.ADVERT, "documentary": Genre.TRAVEL, "montage": Genre.MOOD, "explainer": Genre.EXPLAINER,
    "lesson": Genre.EXPLAINER, "story": Genre.STORY, "tale": Genre.STORY,
}  # fmt: skip
_EN_WRAPPER = re.compile(
    r"^(?:please\s+)?(?:make|create|produce|write|shoot|give me)?\s*(?:me\s+)?(?:a|an)?\s*(?:short|brief|little|quick)?\s*"
    r"(?:(product|launch|travel|lo-fi|animated|cinematic|nature)\s+)?"
    r"(film|video|clip|teaser|advert|ad|commercial|documentary|montage|explainer|lesson|story|tale|animation|reel|promo)"
    r"\s+(?:(?:for|to)\s+(kids|children)\s+)?(?:about|of|for|on|showing)\s+",
    re.I,
)
_EN_EXPLAIN = re.compile(r"^(?:explain|show|teach(?: kids| children)?)\s+((?:how|why|what)\s+.+)$", re.I)
# "A calm mood piece: ...": the kind of film, no topic to narrate
_EN_MOOD_HEAD = re.compile(r"^(?:a|an)?\s*(?:[\w-]+\s+){0,2}?(?:mood piece|mood film|mood reel|montage|vibe)$", re.I)
_EN_HOW_MADE = re.compile(
    r"^(?:(?:explain|show)\s+)?how\s+(.+?)\s+(?:is|are)\s+(made|built|grown|brewed|baked|folded|sewn|woven|"
    r"carved|painted|cooked|assembled|crafted|repaired|planted)$",
    re.I,
)
_EN_HOW_TO = re.compile(r"^how to\s+(?:(?:make|cook|bake|brew|build|grow|prepare|craft)\s+)?(.+)$", re.I)
_EN_AUDIENCE = re.compile(r"\s+for (kids|children)\b", re.I)
_EN_CLAUSE = re.compile(
    r"\s*[,;]\s*(?:and\s+then|and|then|but|until|when|so)?\s*|\s+(?:and then|then|but)\s+|\s+(?:and\s+)?(?=finally\s)"
    r"|\s+until\s+(?=[^\s,;]+\s+[^\s,;]+\s+[^\s,;]+)",  # "knead until smooth" is one step; "...until the crust cracks" two
    re.I,
)
# A clause that only says when the next one happens ("When a storm comes", "As the sun sets").
_EN_WHEN = re.compile(r"^(?:when|whenever|while|as soon as|as|once|after|before)\s+\w+", re.I)
# What someone has with them, said after their clause ("…, with a bunch of flowers", "…, holding her hand").
_EN_WITH = re.compile(r"^(?:with|without|holding|carrying)\s+\w+", re.I)
_EN_HOLDING = re.compile(r"^(?:holding|carrying)\s", re.I)  # a verb, yet no event of its own
# Connectives, not the creator's adverbs: "finally rides alone" keeps its "finally" (facts_en_scene reads it as when).
_EN_LEAD = re.compile(r"^(?:and|then|but|so|soon|later)\s+,?\s*", re.I)


class Ask(BaseModel):
    """What the creator asked the studio for, apart from the story itself."""

    content: str  # the story's own words, instructions removed
    topic: str = ""  # a heading before a colon, or what the instruction was about ("Kyoto", "森林探险")
    genre: Genre | None = None
    seconds: float | None = None
    audience: str = ""


def _zh_number(text: str) -> float:
    if text.isdigit():
        return float(text)
    total, current = 0, 0
    for ch in text:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = _ZH_DIGITS.get(ch, 0)
    return float(total + current)


# A parenthetical aside ("(take 3)", "（第二版）", "(a small one)") is a note beside the story, not a beat of it:
# narrated, it became a scene of its own ("（第二版）。") or a broken one ("A girl plants a seed (30 seconds.").
_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]")


def read_ask(text: str, language: str) -> Ask:
    """The instructions in an idea, taken out of the words that will be narrated (asides left out, but a
    length said in one still counts: "(30 seconds)")."""
    read = _read_zh if language == "zh" else _read_en
    bare = _ASIDE.sub("", text).strip()
    if bare == text or not any(ch.isalpha() for ch in bare):
        return read(text)
    ask = read(bare)
    return ask if ask.seconds is not None else ask.model_copy(update={"seconds": read(text).seconds})


def _read_zh(text: str) -> Ask:
    seconds = None
    m = _ZH_LENGTH.search(text)
    if m:
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        seconds = _zh_number(number) * (60 if unit == "分钟" else 1)
        text = (text[: m.start()] + text[m.end() :]).strip("，。 ")
    head, colon, rest = re.split(r"([：:])", text, maxsplit=1) if re.search("[：:]", text) else (text, "", "")
    if colon and re.fullmatch(r"(?:趣味|小)?(?:科普|知识|冷知识)(?:一下)?", head.strip()) and rest.strip():
        # "科普：蜜蜂是怎么酿蜜的？…": the heading only says it is a lesson; the question names the topic
        question, mark, after = (
            re.split(r"([？?])", rest.strip(), maxsplit=1) if re.search("[？?]", rest) else ("", "", "")
        )
        if mark and after.strip("，。 "):
            return Ask(content=after.strip("，。 "), topic=question.strip(), genre=Genre.EXPLAINER, seconds=seconds)
        inner = _read_zh(rest.strip())
        return inner.model_copy(update={"genre": Genre.EXPLAINER, "seconds": inner.seconds or seconds})
    genre, audience, topic = None, "", head
    for pattern, kind, who in _ZH_WRAPPERS:
        m = pattern.match(head.strip("，。 "))
        if m:
            groups = [g for g in m.groups() if g]
            if who and m.group(1):
                audience = who
            topic = groups[-1] if groups else ""
            genre = kind or genre
            break
    topic = re.sub(r"^(?:关于|一段|一个|一款|包含)", "", topic).strip("，。 ")
    if topic in ("广告", "宣传片", "故事"):  # the heading named only the kind of film
        topic = ""
        first, _sep, after = (
            re.split(r"([，。；])", rest.strip(), maxsplit=1) if re.search("[，。；]", rest) else (rest, "", "")
        )
        if genre is Genre.ADVERT and after.strip("，。 "):
            # "一支广告：新款保温杯，早上装满热茶…": the product is named first, then what it does
            return Ask(content=after.strip("，。 "), topic=first.strip(), genre=genre, seconds=seconds)
    if colon:
        return Ask(content=rest.strip() or topic, topic=topic, genre=genre, seconds=seconds, audience=audience)
    # The instruction wrapped the first clause ("制作一段关于森林探险的短视频，包含河流和小动物"): keep the rest.
    first, sep, after = re.split(r"([，。；])", text, maxsplit=1) if re.search("[，。；]", text) else (text, "", "")
    wrapped = ""
    for pattern, kind, who in _ZH_WRAPPERS:
        m = pattern.match(first.strip())
        if m:
            groups = [g for g in m.groups() if g]
            wrapped, genre = (groups[-1] if groups else ""), kind or genre
            wrapped = re.sub(r"^(?:关于|一段|一个|一款)", "", wrapped)
            if who and m.group(1):
                audience = who
            break
    if m is None or not wrapped:
        return Ask(content=text, genre=genre, seconds=seconds, audience=audience)
    content = (wrapped + sep + after).strip("，。 ")
    content = re.sub(r"(^|，)包含", r"\1", content)
    return Ask(content=content, topic=wrapped if after else "", genre=genre, seconds=seconds, audience=audience)


def _read_en(text: str) -> Ask:
    seconds = None
    m = _EN_LENGTH.search(text)
    if m:
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        n = float(number) if number.isdigit() else _EN_NUMBERS.get(number.lower(), 1)
        seconds = n * (60 if unit.lower().startswith("m") else 1)
        text = re.sub(r"\s+", " ", text[: m.start()] + text[m.end() :]).strip()
    genre, audience = None, ""
    m = _EN_AUDIENCE.search(text)
    if m:
        audience, text = "children", (text[: m.start()] + text[m.end() :]).strip()
    head, _, rest = text.partition(":")
    topic = head.strip()
    m = _EN_WRAPPER.match(topic)
    if m:
        genre = _EN_KINDS.get(m.group(2).lower()) or (
            Genre.ADVERT if (m.group(1) or "").lower() in ("product", "launch") else None
        )
        genre = Genre.TRAVEL if (m.group(1) or "").lower() == "travel" else genre
        genre = Genre.MOOD if (m.group(1) or "").lower() == "lo-fi" else genre
        if m.group(3):
            audience = "children"
        topic = topic[m.end() :]
    # "show how a paper plane is folded" is a process: how-it-is-made is tried before a question to explain
    for pattern, kind in ((_EN_HOW_MADE, Genre.PROCESS), (_EN_EXPLAIN, Genre.EXPLAINER), (_EN_HOW_TO, Genre.PROCESS)):
        m = pattern.match(topic.rstrip(". "))
        if m:
            genre, topic = kind, m.groups()[-2] if kind is Genre.PROCESS and pattern is _EN_HOW_MADE else m.groups()[-1]
            break
    topic = topic.strip(" .,")
    if rest.strip() and _EN_MOOD_HEAD.match(topic):
        return Ask(content=rest.strip(), topic="", genre=Genre.MOOD, seconds=seconds, audience=audience)
    if rest.strip():
        return Ask(content=rest.strip(), topic=topic, genre=genre, seconds=seconds, audience=audience)
    if genre is Genre.ADVERT and "," in topic:  # "an advert for Sunny lemonade, fresh lemons, ice, ..."
        head, _, rest = topic.partition(",")
        return Ask(content=rest.strip(), topic=head.strip(), genre=genre, seconds=seconds, audience=audience)
    return Ask(content=topic or text, topic="", genre=genre, seconds=seconds, audience=audience)


# -- clauses ------------------------------------------------------------------------------------------------
def split_zh(text: str, is_event, is_subject=lambda _c: False) -> list[str]:
    """Chinese clauses in order; `is_event(clause)` tells an event from a time or place phrase to join on.
    A phrase joined to the next keeps the comma the creator wrote after it ("第二天，王子…"). A connective
    right after a subject alone (`is_subject`: 爸爸终于来了, 小狗突然叫了) is its adverb, no new clause."""
    parts: list[str] = []
    at = 0
    for m in list(_ZH_SPLIT.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[at:end].strip()
        if m and not m.group(0) and piece and is_subject(piece):
            continue  # the subject stays with its clause: the split point moves on
        if piece:
            # a sentence joined to the next ("很多年过去了。他…") keeps a comma between them too
            comma = "，" if m and m.group(0) and re.match(r"[，、；：,;。！？!?]", m.group(0)) else ""
            parts.append(piece + "\0" + comma)
        if m:
            at = m.end()
    out = _join_fragments(parts, lambda p: is_event(p.partition("\0")[0]), "")
    return [re.sub(r"\0，?$", "", re.sub(r"\0(，?)", r"\1", c.rsplit("\0", 1)[0]) if "\0" in c else c) for c in out]


def split_en(text: str, is_event) -> tuple[list[str], str]:
    """English clauses in order, and the subject a relative clause named ("a keeper who finds..." → "a
    keeper"), so the clauses that follow without a subject can be given it."""
    relative_subject = ""
    clauses: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\s*[;:\n]\s*", text):
        sentence = sentence.strip().rstrip(".!?")
        if not sentence:
            continue
        m = re.match(r"^(.{3,60}?)\s+(?:who|which|that)\s+(.+)$", sentence, re.I)
        if m and not clauses and len(m.group(1).split()) <= 6:
            relative_subject, sentence = m.group(1), m.group(2)
        parts = [p for p in _EN_CLAUSE.split(sentence) if p and p.strip()]
        for k in range(len(parts) - 1, 0, -1):
            said = parts[k].strip()
            if _EN_WITH.match(said) and (_EN_HOLDING.match(said) or not is_event(said)) and parts[k - 1].strip():
                # "he waits at the stop, with a bunch of flowers": what he has with him, in his scene (a
                # "with" phrase of its own became a scene of its own whose subject was whoever came first)
                parts[k - 1], parts[k] = f"{parts[k - 1].strip()}, {parts[k].strip()}", ""
        for k in range(len(parts) - 1):
            if _EN_WHEN.match(parts[k].strip()):
                # "When a storm comes, the seagull guides the boats home": when it happens, one scene with it
                parts[k + 1], parts[k] = f"{parts[k].strip()}, {parts[k + 1].strip()}", ""
        for part in parts:
            part = _EN_LEAD.sub("", (part or "").strip())
            # "and" between two events ("he lets go and she rides on"), not between two nouns
            pieces: list[str] = []
            for piece in re.split(r"\s+and\s+(?=(?:he|she|they|it|we|the|his|her|their)\s)", part):
                if pieces and not is_event(pieces[-1]):
                    pieces[-1] += f" and {piece.strip()}"  # "A boy and his father go fishing": who, not two events
                elif piece.strip():
                    pieces.append(piece.strip())
            clauses += pieces
    return _join_fragments(clauses, is_event, ", "), relative_subject


def _join_fragments(parts: list[str], is_event, joiner: str) -> list[str]:
    """Each clause that is no event of its own joined to the next (or, at the end, to the one before)."""
    out: list[str] = []
    carry = ""
    for part in parts:
        text = (carry + joiner + part).strip() if carry else part
        if is_event(part) or not text:
            out.append(text)
            carry = ""
        else:
            carry = text
    if carry:
        if out and not is_event(carry) and len(carry) < 12:
            out[-1] = out[-1] + joiner + carry if joiner else out[-1] + ("" if out[-1].endswith("，") else "，") + carry
        else:
            out.append(carry)
    return out or parts
