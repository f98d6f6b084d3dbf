"""Reading a scene's structured facts (SceneFacts) into what the animatic draws.

The setting's words choose the kind of place (open sea, harbour, dock, cliff, forest, field, desert, city,
a room, a clean studio backdrop for a product); time of day and weather come straight from the facts; each
subject is read to one drawable kind by its head noun ("old fisherman" → fisherman, "small fishing boat" →
fishing boat, "message in a bottle" → bottle, "family" → a man, a woman and two children); the action picks a
pose or a motion (walk, run, wave, row, sit, fly, drive, swim, turn); the shot size scales the subjects.
Words the tables do not know fall back to the word reader of animatic_words (which also reads Chinese), and a
scene without facts is read from its words alone, as before.
"""

from __future__ import annotations

import re
import unicodedata

from models.storyboard import SceneFacts
from models.video.animatic_actions import bare_ride, falls, learner
from models.video.animatic_doorway import at_a_door
from models.video.animatic_kinds import BOATS, GROUPS, OBJECTS, PEOPLE, SUBJECT_KINDS
from models.video.animatic_looks import coats, person_looks, wears
from models.video.animatic_words import SceneSpec, read_scene

# fmt: off
# Place words → elements. A place may bring others with it (a harbour is by the sea).
PLACE_WORDS: dict[str, tuple[str, ...]] = {
    "sea": ("sea", "ocean", "open sea", "high seas", "waves", "bay", "gulf", "lagoon", "open water", "strait"),
    # inland water: drawn as the sea's water with a grassy near bank and a far bank (animatic_paint)
    "lake": ("lake", "pond", "lakeside", "lake shore", "lake surface", "wide lake", "middle of the lake", "lotus pond",
             "duck pond", "millpond", "mill pond", "reservoir", "pool", "lakes"),
    "harbour": ("harbour", "harbor", "port", "marina", "quay", "quayside", "wharf", "fishing village", "waterfront"),
    "dock": ("dock", "jetty", "pier", "boardwalk", "landing stage", "boat landing"),
    "beach": ("beach", "shore", "coast", "seaside", "sand", "sandy", "cove", "seashore", "coastline"),
    "island": ("island", "islet", "atoll"),
    "cliff": ("cliff", "clifftop", "cliff top", "headland", "bluff", "cape", "promontory"),
    "lighthouse": ("lighthouse",),
    "river": ("river", "stream", "creek", "brook", "riverbank", "river bank", "waterfall", "canal", "ford", "rapids"),
    "forest": (
        "forest", "woods", "wood", "woodland", "jungle", "grove", "trees", "rainforest", "clearing", "orchard",
        "bamboo", "thicket", "undergrowth", "national park", "nature reserve",
    ),
    # a park or a garden is lawns, paths, benches and broadleaf trees (animatic_park), not a pine forest
    "park": ("park", "garden", "gardens", "city park", "public park", "small city park", "botanical garden",
             "flower garden", "rose garden", "park bench", "parkland"),
    "mountain": ("mountain", "hill", "peak", "valley", "summit", "ridge", "canyon", "volcano", "alps", "slope"),
    "field": ("field", "meadow", "farm", "grassland", "prairie", "pasture", "countryside", "savanna", "plain", "lawn",
              "burrow", "rabbit hole", "den"),  # an animal's home is in the open ground, not a kitchen
    "desert": ("desert", "dune", "sahara", "wasteland", "badlands", "oasis"),
    "city": ("city", "street", "town", "downtown", "skyline", "avenue", "plaza", "market", "alley", "crossroads",
             "car park", "parking", "parking lot", "parking garage"),
    "village": ("village", "hamlet", "cottages", "settlement"),
    "road": ("road", "highway", "motorway", "country road"),
    "interior": (
        "room", "kitchen", "living room", "bedroom", "office", "classroom", "cafe", "café", "restaurant", "shop",
        "store", "bakery", "library", "workshop", "hall", "house", "home", "inside", "indoors", "study", "cabin",
        "cottage interior", "lab", "laboratory", "gym", "bathroom", "attic", "lamp room", "lamplight",
    ),
    "studio": (
        "studio", "backdrop", "tabletop", "table top", "white background", "plain background", "seamless", "pedestal",
        "podium", "display", "showroom", "product shot", "end card", "clean background", "gradient background",
    ),
    "fire": ("campfire", "fireplace", "bonfire", "hearth", "camp"),
    "snow": ("arctic", "tundra", "glacier", "snowfield", "snowy", "ice field", "frozen"),
    # a walled yard (a siheyuan's, a farmhouse's): paved ground, a wall and a gate, roofs behind
    "courtyard": ("courtyard", "yard", "backyard", "back yard", "front yard", "farmyard", "siheyuan", "院子", "庭院",
                  "四合院", "天井"),
    "junkyard": ("junkyard", "junk yard", "scrapyard", "scrap yard", "landfill", "rubbish dump", "garbage dump",
                 "wrecking yard", "scrap heap", "废品站", "垃圾场", "废车场"),
}
PLACE_BRINGS: dict[str, frozenset[str]] = {
    "harbour": frozenset({"sea"}), "dock": frozenset({"sea"}), "island": frozenset({"sea"}),
    "lighthouse": frozenset({"sea", "cliff"}), "beach": frozenset({"sea"}), "village": frozenset({"field"}),
    "cliff": frozenset({"sea"}),  # a story's cliff looks out to sea
    "lake": frozenset({"sea"}),  # open water, boats and shore as the sea's; its banks are grass
}

RIDDEN = frozenset({"horse", "car", "bus", "train", "plane", "boat", "fishingboat", "bicycle"})  # what one rides
_RIDES_BIKE = re.compile(r"\b(?:rides?|riding|rode|cycles?|cycling|pedals?|pedalling|on)\s+(?:a |an |the |his |her )?"
                         r"(?:\w+\s+)?(?:bicycle|bike)\b|\bcycl(?:es|ing)\b", re.I)
# A place said as outside a town is countryside, not the town ("the countryside outside the city", "on the edge of
# town", "the outskirts", 郊外, 城外): fields and trees, no skyline.
OUT_OF_TOWN = re.compile(
    r"\b(?:just |right |far )?(?:outside(?: of)?|beyond|out of|(?:on |at )?the (?:edge|edges|outskirts|fringes?) of|"
    r"edge of|outskirts of)\s+(?:the |a |an |this |that |our |his |her |their )?(?:\w+\s+)?"
    r"(?:city|cities|town|towns|village|suburbs?)\b|\boutskirts\b|郊外|城外|城郊|郊野|野外",
    re.I,
)
# An action that puts someone up a tree or a thing in one: one tree stands in the picture ("climbs up a tree",
# "the kite hangs up in the tree", "stuck in the branches"), not a forest.
TREE_ACTION = re.compile(
    r"\b(?:climb\w*|up|in|into|from|out of|down|on|caught|stuck)\s+(?:up\s+)?(?:a|the|an|its|that)\s+(?:\w+\s+)?"
    r"(?:tree|branches|treetop)\b",
    re.I,
)
# A kite flown ("goes to the fields and flies a kite"): up in the sky on its string.
_FLIES_KITE = re.compile(r"\b(?:fl(?:y|ies|ying|ew)|launch\w*)\b[^,.;]*?\bkites?\b", re.I)
# A face turned to something: "eyes on the kitten", "looking at the puppy" (up to the next comma).
_LOOKED_AT = re.compile(r"\b(?:eyes on|looking at|looks at|gazing at|watching)\s+([^,.]+)", re.I)
# An action that takes its subject out of the picture: the scene shows where it was.
_GONE = re.compile(r"^(?:vanish|disappear|is gone|are gone|has gone|have gone)", re.I)


# Action verbs (stems) → motion.
ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "row": ("row", "paddle", "sail", "steer", "fish", "drift", "cast", "haul", "rowing", "sailing", "set sail",
            "head out", "put out", "puts out", "rows out", "battle", "struggle", "fight", "brave", "ride out", "toss"),
    "run": ("run", "race", "chase", "flee", "sprint", "dash", "hurry", "jog", "gallop", "rush", "escape", "ran"),
    "walk": ("walk", "stroll", "wander", "hike", "explore", "cross", "approach", "trek", "climb", "enter", "leave",
             "return", "arrive", "stride", "march", "follow", "search", "carry", "go", "come", "head", "journey",
             "travel", "step", "venture", "roam", "lead", "went", "came"),
    "wave": ("wave", "greet", "cheer", "celebrate", "welcome", "hug", "point", "raise", "signal", "shout", "call", "dance"),
    "sit": ("sit", "rest", "read", "eat", "write", "sleep", "study", "sew", "knit", "pray", "sat", "kneel", "think"),
    "fly": ("fly", "soar", "glide", "hover", "flutter", "flew", "take off", "circle"),
    "swim": ("swim", "dive", "leap", "jump", "splash", "surface", "swam"),
    "drive": ("drive", "ride", "speed", "cruise", "roll", "pull in", "drove", "rode"),
    "turn": ("rotate", "spin", "turn", "reveal", "shine", "sparkle", "glow", "display", "gleam", "float", "showcase",
             "pour", "open", "unbox", "light"),
}
# fmt: on

WEATHER_ELEMENTS: dict[str, frozenset[str]] = {
    "clear": frozenset(),
    "cloudy": frozenset({"cloud"}),
    "rain": frozenset({"rain", "cloud"}),
    "storm": frozenset({"rain", "cloud", "storm"}),
    "snow": frozenset({"snow", "cloud"}),
    "fog": frozenset({"fog"}),
}
TIMES = {"dawn": "dawn", "morning": "day", "day": "day", "dusk": "dusk", "night": "night"}
WEATHER_WORDS = frozenset({"rain", "cloud", "storm", "snow", "fog", "sun", "moon", "stars"})
MAX_DRAWN = 6
ROLE_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "ess")
_OLD = {"old", "retired", "elderly", "aged", "ageing", "aging", "grey-haired", "white-haired"}


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {w: key for key, words in table.items() for w in words}


def _stem(tok: str) -> list[str]:
    """A word and its forms without a plural or verb ending ("rows" → row, "waving" → wave, "ran" stays)."""
    forms = [tok]
    for end, add in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e")):
        if tok.endswith(end) and len(tok) > len(end) + 2:
            forms.append(tok[: -len(end)] + add)
    if len(tok) > 5 and tok[-4] == tok[-5] and tok.endswith("ing"):  # running → run
        forms.append(tok[:-4])
    return forms


def _find(text: str, index: dict[str, str]) -> list[tuple[int, str]]:
    """(position, key) for each table phrase in the text, longest phrase first, whole words only."""
    # Accents folded ("café" is "cafe", "naïve" "naive"), so borrowed words match the tables' plain spelling.
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    toks = re.findall(r"[a-z][a-z'-]*", plain)
    hits: list[tuple[int, str]] = []
    i = 0
    while i < len(toks):
        for n in (4, 3, 2, 1):
            if i + n > len(toks):
                continue
            words = toks[i : i + n]
            for form in _stem(words[-1]):
                if (phrase := " ".join([*words[:-1], form])) in index:
                    hits.append((i, index[phrase]))
                    i += n - 1
                    break
            else:
                continue
            break
        i += 1
    return hits


PLACES, GROUP_INDEX, KINDS_INDEX, ACTIONS = (
    _index(PLACE_WORDS),
    {k: k for k in GROUPS},
    _index(SUBJECT_KINDS),
    _index(ACTION_WORDS),
)


def subject_kinds(subject: str) -> tuple[str, ...]:
    """The kinds one subject phrase is drawn as: its head noun, read before any "of/in/with" ("bottle of
    water" → bottle); a group gives several; an unknown role or a name is a person; anything else nothing.
    A count said before it gives that many ("two old friends" are two, "三个孩子" three) and an age word
    ("old", "elderly", "retired", 老) makes its people old ones."""
    text = subject.strip().lower()
    if not text:
        return ()
    if (bare := re.sub(r"^(?:a|an|the)\s+", "", text)) in GROUPS:  # "a brother and sister": the pair
        return GROUPS[bare]
    if text in PHRASES_WHOLE:
        return PHRASES_WHOLE[text]
    head = re.split(r"\b(?:of|with|in|on|at|from|and|holding|wearing|carrying)\b", text)[0]
    for part in (head, text) if head.strip() != text else (text,):
        count = next((n for w, n in NUMBERS.items() if re.search(rf"\b{w}\b", part)), 0)
        old = bool(AGE_WORD.search(re.split(r"'s\b", part)[-1]))  # the old fisherman's granddaughter is young
        groups = [k for _, k in _find(part, GROUP_INDEX)]
        if groups:
            return _aged(_counted(GROUPS[groups[-1]], count), old)
        hits = _find(part, KINDS_INDEX)
        if hits:  # the head noun comes last in an English noun phrase; "two rabbits", "the girls" are two
            plural = hits[-1][1] in PEOPLE and re.search(r"[^s]s$", part.split()[-1])
            # children whose words say no sex ("two toddlers") are a boy and a girl, not two boys
            kinds = ("boy", "girl") if _UNSEXED_CHILD.search(part) else (hits[-1][1],)
            return _aged(_counted(kinds, count or (2 if plural else 1)), old)
    if (zh := _chinese_people(subject)) is not None:
        return zh
    legacy = read_scene(subject).subjects  # Chinese words, or words only the word reader knows
    if legacy:
        return _counted(legacy[:1], _zh_count(subject))
    last = re.findall(r"[a-z]+", head)
    if subject.strip()[:1].isupper() or (last and last[-1].endswith(ROLE_ENDINGS)):
        # a character's name or a role the table lacks: draw a person ("a retired clockmaker": an old one)
        # ("Old Chen" is a name, 老陈, not an age)
        return ("elder",) if set(last) & _OLD and not subject.strip()[:1].isupper() else ("man",)
    return ()


def _counted(kinds: tuple[str, ...], count: int) -> tuple[str, ...]:
    """A group's kinds as many times as the count says (its members in turn), or as it is with no count."""
    if not count:
        return kinds
    return tuple(kinds[i % len(kinds)] for i in range(min(count, MAX_DRAWN)))


def _aged(kinds: tuple[str, ...], old: bool) -> tuple[str, ...]:
    """Old people for an age word: the men and boys elders, the women and girls old women."""
    return tuple(AGED.get(k, k) for k in kinds) if old else kinds


def _zh_count(subject: str) -> int:
    m = ZH_COUNT.search(subject)
    return (ZH_NUMBERS.get(m.group(1), 2) if m.group(1) else 2) if m else 0


def _chinese_people(subject: str) -> tuple[str, ...] | None:
    """People said in Chinese as a group ("两个老朋友": two old friends), or None."""
    for word, group in ZH_GROUPS.items():
        at = subject.find(word)
        if at >= 0 and group == "children" and not _zh_count(subject) and "们" not in subject:
            return GROUPS[group][:1]  # 一个孩子, 小朋友: one child
        if at >= 0:
            return _aged(_counted(GROUPS[group], _zh_count(subject)), subject[at - 1 : at] == "老")
    return None


PHRASES_WHOLE: dict[str, tuple[str, ...]] = {"message in a bottle": ("bottle",), "bottle message": ("bottle",)}
NUMBERS = {
    "two": 2,
    "pair": 2,
    "both": 2,
    "three": 3,
    "several": 3,
    "few": 3,
    "four": 4,
    "many": 4,
    "five": 5,
    "six": 6,
}
# Chinese counts take a measure word ("两个", "三位"; 俩 and 一对 are two); 四合院 is no four.
ZH_NUMBERS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "一对": 2}
ZH_COUNT = re.compile(r"(一对|[两二三四五六])(?:个|位|名|只|对)|俩")
ZH_GROUPS = {  # 小朋友 before 朋友: children, not friends
    **dict.fromkeys(("孩子", "小孩", "小朋友", "儿童", "孙辈"), "children"),  # 两个孩子: a boy and a girl
    "朋友": "friends",
    "夫妻": "couple",
    "两口": "couple",
    "家人": "family",
    "同学": "students",
    "孩子们": "children",
    **dict.fromkeys(("兄妹", "姐弟", "姐妹俩", "兄弟俩"), "brother and sister"),
    "双胞胎": "twins",
    "人们": "people",
    "游客": "tourists",
    "村民": "villagers",
}
_UNSEXED_CHILD = re.compile(r"\b(?:child|children|kids?|toddlers?|bab(?:y|ies)|grandchild(?:ren)?)\b")
# "old" said of the person, not of years ("a ten year old girl") nor of an owner before 's
AGE_WORD = re.compile(r"(?<!year )(?<!years )\b(?:old|retired|elderly|aged|ageing|aging|grey-haired|white-haired)\b")
AGED = {"man": "elder", "boy": "elder", "woman": "oldwoman", "girl": "oldwoman"}
# "the waves" in "battles the waves" is the sea, not a greeting.
NOUN_WAVES = re.compile(
    r"\b(the|a|an|big|huge|giant|high|rough|stormy|crashing|towering|through|over|into)\s+waves?\b"
    # "feeds the little fish to the seagull": fish the food, not fishing from a boat
    r"|\b(the|a|some|little|small|silver|raw|fresh|dried|of)\s+(?:\w+\s+)?fish(?:es)?\b"
    # "feeds the seal pup fish": the food handed over, no fishing trip
    r"|\b(?:feeds?|fed|feeding)\b[^,.;]*?\bfish(?:es)?\b"
)


def action_motion(action: str) -> str:
    """The motion an action phrase asks for, or "" for standing still."""
    for _, key in _find(NOUN_WAVES.sub(" ", action.lower()), ACTIONS):
        return key
    return ""


def spec_from_facts(facts: SceneFacts, words: str = "") -> SceneSpec:
    """What to draw for a scene with facts; `words` (prompt and caption) fill in a place the facts lack."""
    setting = OUT_OF_TOWN.sub(" countryside ", facts.setting)
    places = {key for _, key in _find(setting, PLACES)}
    if setting and not places:  # words only the word reader knows (Chinese, say)
        places |= set(read_scene(setting).elements) - WEATHER_WORDS
    for key in list(places):
        places |= PLACE_BRINGS.get(key, frozenset())
    if at_a_door(setting):  # someone's door ("the house eaves" too): the house front behind them, in a village
        places = (places - {"interior", "studio"}) | {"village", "field"}
    if "interior" in places:
        places = {p for p in places if p in ("interior", "fire")}
    elif "studio" in places:
        places = {"studio"}
    kinds: list[str] = []
    for subject in facts.subjects:
        kinds += subject_kinds(subject)
    if _GONE.search(facts.action) and facts.subjects:  # "the dog vanishes": the place without it
        gone = set(subject_kinds(facts.subjects[0]))
        kinds = [k for k in kinds if k not in gone]  # "the ducks, a white duck, are gone": every duck
    if "lighthouse" in kinds and "interior" not in places:  # a lighthouse is scenery, drawn on its cliff
        kinds.remove("lighthouse")
        places |= {"lighthouse", "cliff", "sea"}
    if at_a_door(setting) and "interior" not in places and "studio" not in places and "house" not in kinds:
        kinds.append("house")
    if "campfire" in kinds:
        kinds.remove("campfire")
        places.add("fire")
    outdoors = not places & {"interior", "studio"}
    up_a_tree = bool(TREE_ACTION.search(facts.action)) and outdoors
    if up_a_tree and "tree" not in kinds:
        kinds.append("tree")  # the tree someone climbs or something is caught in stands there, with them
    if "tree" in kinds and outdoors and not up_a_tree:
        kinds.remove("tree")
        places.add("forest")
    if up_a_tree and not places:
        places.add("field")
    kite = ""
    flown = _FLIES_KITE.search(facts.action)
    if flown and outdoors and "kite" not in kinds:
        kinds.append("kite")  # the kite the action flies is in the picture, not only said
    if "kite" in kinds and outdoors:
        kite = "tree" if "tree" in kinds else "flown" if flown and any(k in PEOPLE for k in kinds) else "sky"
    if not places:
        if kinds and kinds[0] in OBJECTS:
            places = {"studio"}  # a product with no place: a clean backdrop, not a landscape
        else:
            places = set(read_scene(words).elements) - WEATHER_WORDS if words else set()
    motion = "fall" if falls(facts.action) else action_motion(facts.action)  # "He falls": on the ground
    if kite == "flown" and motion in ("walk", "fly"):
        motion = ""  # "goes to the fields and flies a kite": they stand flying it, the kite up in the wind
    weather = WEATHER_ELEMENTS[facts.weather.value]
    if "interior" in places or "studio" in places:
        weather = weather - {"fog"}
    aboard: list[str] = []
    if frozen_lake(places, words):  # no boat on ice: people stand on it and fish through a hole, rod in hand
        kinds = [k for k in kinds if k not in BOATS]
        motion = "" if motion == "row" else motion
    boat = next((k for k in kinds if k in BOATS), None)
    # people on a lake or pond stand on its bank; only the open sea puts them in a boat
    open_water = "sea" in places and not places & {"beach", "dock", "harbour", "cliff", "island", "lake"}
    people = [k for k in kinds if k in PEOPLE]
    if people and "interior" not in places and "studio" not in places:
        if boat is None and (open_water or motion == "row" and "sea" in places):
            boat, kinds = "fishingboat", [*kinds, "fishingboat"]  # nobody stands on open water; sailing needs a boat
        if boat is not None and (open_water or motion == "row" or "river" in places and motion != "walk"):
            aboard = people[:2]
            for p in aboard:
                kinds.remove(p)
            if motion == "":
                motion = "row"
    # ("rides again" after the story named the bicycle: nothing else to ride is drawn, so it is the bicycle)
    bare = bare_ride(facts.action) and not RIDDEN & {*kinds}
    cycling = _RIDES_BIKE.search(facts.action) or "bicycle" in kinds or bare
    if people and not aboard and cycling and "interior" not in places and "studio" not in places:
        # "rides a bicycle through the village": the rider on the bicycle, not standing beside it; the one taught
        # to ride ("teaches her grandfather to ride a bicycle") is on it, not the teacher
        kinds = [k for k in kinds if k != "bicycle"]
        taught = [k for k in subject_kinds(learner(facts.action)) if k in people]
        aboard = taught[:1] or people[:1]
        kinds.remove(aboard[0])
        kinds.insert(0, "bicycle")
    shot = facts.shot.value
    if up_a_tree and shot in ("close_up", "extreme_close_up") and any(k in PEOPLE for k in kinds):
        shot = "medium"  # someone climbing a tree: the tree with them on it, not a face
    if shot in ("close_up", "extreme_close_up") and kinds:
        # A close-up shows one subject, and a second one only where the action names it ("gives the loaf to a dog").
        named = {k for _, k in _find(facts.action, KINDS_INDEX)}
        # ... or where the face is turned to it ("the face of the girl, eyes on the kitten"): what she looks at
        looked_at = _LOOKED_AT.search(words)
        named |= {k for _, k in _find(looked_at.group(1), KINDS_INDEX)} if looked_at else set()
        kinds = kinds[:1] + [k for k in kinds[1:2] if k in named and k != kinds[0]]
    return SceneSpec(
        time=TIMES[facts.time_of_day.value],
        elements=frozenset(places | weather),
        subjects=tuple(kinds[:MAX_DRAWN]),
        shot=shot,
        action=motion,
        aboard=tuple(aboard),
        coats=coats(kinds[:MAX_DRAWN], words),
        wears=wears(kinds[:MAX_DRAWN], facts.action),
        looks=person_looks(kinds[:MAX_DRAWN] + list(aboard), words),
        season=season_of(words, places | weather),
        kite=kite,
    )


# The seasons a scene's words say ("in spring, fresh green leaves and blossom"); not "fall" alone (a verb) nor
# "hot spring" (water).
SEASON_WORDS = {
    "spring": r"(?<!hot )spring(?:time)?\b(?!s)|blossom(?:s|ing)?\b",
    "summer": r"summer(?:time)?\b",
    "autumn": r"autumn\b|fall leaves\b|in the fall\b",
    "winter": r"winter(?:time)?\b|wintry\b",
}


_ICE = re.compile(r"\b(?:ice|icy|frozen|freezes|froze)\b", re.I)


def frozen_lake(places: set[str], words: str) -> bool:
    """A lake (not the sea's shore) in a winter scene, or one whose words say ice: frozen over."""
    lake = "lake" in places and not places & {"harbour", "dock", "beach", "island", "cliff", "lighthouse"}
    return lake and (season_of(words, places) == "winter" or bool(_ICE.search(words)))


def season_of(words: str, elements: set[str] | frozenset[str]) -> str:
    """The season the words name first ('' when none), and winter wherever it snows (a story's snow is
    winter, even where a scene's words still carry the autumn before it)."""
    if "snow" in elements:
        return "winter"
    text = words.lower()
    found = [(m.start(), name) for name, pat in SEASON_WORDS.items() if (m := re.search(rf"\b(?:{pat})", text))]
    return min(found)[1] if found else ""


def has_facts(facts: SceneFacts | None) -> bool:
    """Whether a shot's facts say anything beyond their defaults (empty facts fall back to the words)."""
    return facts is not None and bool(facts.subjects or facts.setting or facts.action)
