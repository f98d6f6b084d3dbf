"""Reading a scene's words (English and Chinese) into what the animatic should draw.

The tables are the whole vocabulary: to teach the animatic a word, add it to one tuple. English words match
whole words (so "ice" does not fire on "office", nor "sea" on "season"; a plural "s"/"es"/"ies" is folded);
Chinese words match longest-first, so a longer word such as 火车 (train) is consumed before 火 (fire) can match.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

TimeOfDay = Literal["dawn", "day", "dusk", "night"]

# fmt: off
# Time of day: the first one the scene mentions wins; none means day.
TIME_WORDS: dict[str, tuple[str, ...]] = {
    "night": ("night", "midnight", "moonlight", "moonlit", "dark", "starry", "nighttime", "夜", "晚上", "午夜", "深夜", "黑夜"),
    "dusk": ("dusk", "sunset", "evening", "twilight", "golden hour", "黄昏", "日落", "傍晚", "夕阳", "晚霞"),
    "dawn": ("dawn", "sunrise", "morning", "daybreak", "黎明", "日出", "清晨", "早晨", "早上", "拂晓"),
    "day": ("day", "noon", "daylight", "sunny", "afternoon", "白天", "中午", "午后", "阳光", "晴"),
}

# Scenery and weather elements.
ELEMENT_WORDS: dict[str, tuple[str, ...]] = {
    "sun": ("sun", "sunshine", "太阳"),
    "moon": ("moon", "月", "月亮", "月光"),
    "stars": ("star", "stars", "starry", "galaxy", "milky way", "星", "星星", "星空", "银河"),
    "cloud": ("cloud", "cloudy", "overcast", "fog", "mist", "云", "多云", "阴天", "雾"),
    "sea": (
        "sea", "ocean", "beach", "wave", "harbor", "harbour", "lake", "pond", "coast", "shore", "bay", "海", "洋", "浪", "湖", "沙滩",
        "港", "海边", "海滩", "池塘", "荷塘"
    ),
    "lake": ("lake", "pond", "湖", "池塘", "荷塘", "湖边", "湖面"),  # with "sea": inland water, grassy banks
    "beach": ("beach", "sand", "shore", "coast", "沙滩", "海滩", "海边", "岸"),
    "river": ("river", "stream", "creek", "brook", "canal", "河", "江", "溪", "小溪", "河流", "运河"),
    "mountain": ("mountain", "hill", "peak", "cliff", "valley", "volcano", "山", "峰", "悬崖", "谷", "山谷", "火山"),
    "forest": (
        "forest", "tree", "wood", "woods", "jungle", "garden", "park", "grove", "森林", "树", "林", "树林", "花园", "公园", "竹林"
    ),
    "city": (
        "city", "street", "town", "building", "skyline", "market", "downtown", "skyscraper", "城", "城市", "街", "街道", "镇",
        "楼", "市", "大楼"
    ),
    "interior": (
        "room", "kitchen", "house", "home", "office", "inside", "indoors", "bedroom", "living room", "library", "cafe",
        "室", "室内", "房间", "厨房", "家", "屋", "屋里", "办公室", "卧室", "客厅", "咖啡馆"
    ),
    "rain": ("rain", "rainy", "storm", "drizzle", "downpour", "雨", "下雨", "暴风", "暴雨", "风暴"),
    "snow": ("snow", "snowy", "winter", "ice", "frost", "blizzard", "雪", "冬", "冬天", "冰", "下雪"),
    "fire": ("fire", "flame", "campfire", "candle", "fireplace", "bonfire", "火", "焰", "火焰", "蜡烛", "篝火", "壁炉"),
    "road": ("road", "highway", "street", "路", "公路", "马路", "街道"),
}

# Subjects drawn as a silhouette; at most two, in the order the scene names them.
SUBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "woman": (
        "woman", "lady", "mother", "grandmother", "queen", "princess", "女人", "女子", "妇女", "妈妈", "母亲", "奶奶", "姑娘", "女孩子"
    ),
    "man": (
        "man", "person", "people", "figure", "traveler", "traveller", "hero", "father", "old man", "king", "soldier",
        "knight", "stranger", "人", "男人", "男子", "爸爸", "父亲", "爷爷", "老人", "旅人", "武士", "侠客"
    ),
    "girl": ("girl", "daughter", "女孩", "小女孩", "女儿"),
    "boy": ("boy", "son", "child", "kid", "children", "男孩", "小男孩", "儿子", "孩子", "小孩"),
    "cat": ("cat", "kitten", "猫", "小猫", "猫咪"),
    "dog": ("dog", "puppy", "hound", "狗", "小狗", "犬"),
    "fox": ("fox", "狐狸", "狐"),
    "bird": ("bird", "crow", "eagle", "seagull", "gull", "swallow", "dove", "鸟", "小鸟", "鹰", "海鸥", "燕子", "鸽子"),
    "boat": ("boat", "ship", "sailboat", "ferry", "canoe", "yacht", "船", "小船", "帆船", "渡船"),
    "car": ("car", "taxi", "truck", "jeep", "bus", "vehicle", "车", "汽车", "出租车", "卡车", "公交车"),
}

# Words that contain a tabled character but mean something else; matched first and then ignored.
IGNORED_WORDS: tuple[str, ...] = ("火车", "大家", "上海", "星期", "人工", "海报", "月份", "水星", "火星", "明星", "家具", "城堡")

# fmt: on

MAX_SUBJECTS = 2


class SceneSpec(BaseModel):
    """What one scene's illustration contains."""

    model_config = ConfigDict(frozen=True)
    time: TimeOfDay = "day"
    elements: frozenset[str] = frozenset()
    subjects: tuple[str, ...] = ()
    # Read from a scene's facts only (see animatic_facts); empty for a scene read from its words.
    shot: str = ""  # the ShotSize value: how big the subjects are drawn
    action: str = ""  # the motion: walk, run, wave, row, sit, fly, swim, drive, turn
    aboard: tuple[str, ...] = ()  # people riding the first boat among the subjects
    setting: str = ""  # a set from animatic_sets (table, classroom, temple, street, market, rooftop, plant)
    props: tuple[str, ...] = ()  # what the set shows (dough, rolling pin, lanterns, a wet road...)
    backdrop: str = ""  # the wall behind a work table (kitchen, workshop, classroom, studio, office, home)
    coats: tuple[tuple[str, tuple[int, int, int]], ...] = ()  # an animal kind's coat colour its look names
    season: str = ""  # "autumn" when the words say so: leaves and grass turn gold and red
    wears: tuple[tuple[str, str], ...] = ()  # what the action puts on a drawn subject (a snowman's scarf)
    kite: str = ""  # where a kite among the subjects is: "flown" (on a string), "sky", or caught in a "tree"
    holds: tuple[tuple[str, str], ...] = ()  # (person kind, thing) in someone's hands (see animatic_carry)
    mouth: str = ""  # the thing the first subject, an animal, carries in its mouth (animatic_mouth)
    looks: tuple[tuple[str, str, str], ...] = ()  # (person kind, hair/hat/coat, value) a look names (animatic_looks)


def _is_cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


@cache
def _lexicons() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(English, Chinese) word → tags such as "time:night", "el:sea", "sub:cat"; an empty tuple means ignore."""
    en: dict[str, list[str]] = {}
    zh: dict[str, list[str]] = {}
    for prefix, table in (("time", TIME_WORDS), ("el", ELEMENT_WORDS), ("sub", SUBJECT_WORDS)):
        for key, words in table.items():
            for word in words:
                (zh if _is_cjk(word) else en).setdefault(word.lower(), []).append(f"{prefix}:{key}")
    for word in IGNORED_WORDS:
        zh.setdefault(word, [])
    return {k: tuple(v) for k, v in en.items()}, {k: tuple(v) for k, v in zh.items()}


def _english_hits(text: str, lexicon: dict[str, tuple[str, ...]]) -> list[tuple[int, str]]:
    tokens = [(m.start(), m.group()) for m in re.finditer(r"[a-z]+", text)]
    hits: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens):
        pos, tok = tokens[i]
        if i + 1 < len(tokens) and (pair := f"{tok} {tokens[i + 1][1]}") in lexicon:
            hits += [(pos, tag) for tag in lexicon[pair]]
            i += 2
            continue
        forms = [tok]
        if tok.endswith("ies"):
            forms.append(tok[:-3] + "y")
        if tok.endswith("es"):
            forms.append(tok[:-2])
        if tok.endswith("s"):
            forms.append(tok[:-1])
        for form in forms:
            if form in lexicon:
                hits += [(pos, tag) for tag in lexicon[form]]
                break
        i += 1
    return hits


def _chinese_hits(text: str, lexicon: dict[str, tuple[str, ...]]) -> list[tuple[int, str]]:
    longest = max(map(len, lexicon), default=1)
    hits: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            if (word := text[i : i + size]) in lexicon:
                hits += [(i, tag) for tag in lexicon[word]]
                i += size
                break
        else:
            i += 1
    return hits


def read_scene(text: str) -> SceneSpec:
    """The time of day, elements and subjects that a scene's words ask for."""
    en, zh = _lexicons()
    lowered = text.lower()
    hits = sorted(_english_hits(lowered, en) + _chinese_hits(lowered, zh))
    times = [tag.split(":", 1)[1] for _, tag in hits if tag.startswith("time:")]
    elements = {tag.split(":", 1)[1] for _, tag in hits if tag.startswith("el:")}
    subjects: list[str] = []
    for _, tag in hits:
        if tag.startswith("sub:") and (kind := tag.split(":", 1)[1]) not in subjects:
            subjects.append(kind)
    time = times[0] if times else ("night" if elements & {"moon", "stars"} else "day")
    return SceneSpec(time=time, elements=frozenset(elements), subjects=tuple(subjects[:MAX_SUBJECTS]))


def scene_elements(text: str) -> set[str]:
    """Every element name the scene asks for, time of day included (e.g. 雪夜 森林 → snow, night, forest)."""
    spec = read_scene(text)
    return set(spec.elements) | {spec.time} | set(spec.subjects)
