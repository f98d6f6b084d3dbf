"""Sets and props: the places the landscape painters cannot draw (a kitchen work table, a classroom, a temple,
an old-town or rainy street, a market, rooftops, a plant in sunlight) and the things on them, read from a
scene's facts and painted by animatic_table, animatic_town and animatic_lesson.

The vocabulary is data: SET_WORDS (setting words → set), PROP_WORDS (per set, words → prop) and PLACE_NAMES
(a city named as a subject is a place, not a person). The setting's words are read first; a set named only by
the subjects or the action ("knead the dough", "the leaf") still counts. Each painter notes its name in a trace,
so a test (or a person debugging a sheet) can see which drawer painted which part of the picture.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from models.storyboard import SceneFacts
from models.video.animatic_backdrops import backdrop_for
from models.video.animatic_carry import in_hand, thing_in
from models.video.animatic_cast import Subject
from models.video.animatic_doorway import at_a_door
from models.video.animatic_facts import KINDS_INDEX, _find, _index, spec_from_facts
from models.video.animatic_figures import PEOPLE as LOOKS
from models.video.animatic_hands import SKIN, hands_pose
from models.video.animatic_kinds import OBJECTS, PEOPLE
from models.video.animatic_mouth import in_mouth
from models.video.animatic_paint import Geometry
from models.video.animatic_table import work_spot
from models.video.animatic_venues import FRONT_KINDS, NOT_A_BUILDING, VENUE_SETS, venue
from models.video.animatic_words import SceneSpec

# fmt: off
# Setting words → set. The first set the setting names wins; longer phrases match before their words.
SET_WORDS: dict[str, tuple[str, ...]] = {
    "table": ("work table", "worktable", "kitchen", "counter", "countertop", "cutting board", "chopping board",
              "kitchen table", "workbench", "work bench", "stove", "dining table", "table", "cooking station",
              "prep table", "bakery counter", "kitchen counter"),
    "teahouse": ("tea house", "teahouse", "tea room", "tatami", "ryokan", "tea ceremony", "japanese room",
                 "japanese house", "machiya"),
    "classroom": ("classroom", "school", "blackboard", "chalkboard", "whiteboard", "lecture hall", "lecture",
                  "lesson", "class room", "lab bench"),
    "market": ("market", "bazaar", "stall", "night market", "food stall", "street food", "marketplace", "souk",
               "vendor", "fish market", "farmers market", "market street"),
    "temple": ("temple", "pagoda", "shrine", "torii", "monastery", "golden temple", "pavilion", "palace",
               "temple garden", "zen garden"),
    "street": ("street", "alley", "alleyway", "lane", "old town", "old street", "avenue", "sidewalk", "pavement",
               "crossing", "crosswalk", "hutong", "boulevard", "downtown street", "shopping street", "backstreet"),
    "bamboo": ("bamboo forest", "bamboo grove", "bamboo", "bamboo path", "bamboo woods"),
    "rooftop": ("rooftop", "rooftops", "roof", "roofs", "roof top", "tiled roofs"),
    "shop": ("shop", "tiny shop", "bakery", "bake shop", "bakeshop", "patisserie", "workshop", "woodshop", "store",
             "corner store", "cafe", "coffee shop", "coffeehouse", "boutique", "tailor shop", "carpentry shop",
             "shopfront", "storefront", "grocery", "deli", "supermarket", "convenience store", "pharmacy",
             "drugstore", "chemist", "mall", "department store", "bookshop", "bookstore"),
    # a railway station's platform, its track and train (animatic_station); "station cafe" stays a cafe
    "station": ("train station", "railway station", "railroad station", "station", "platform", "railway platform",
                "train platform", "subway station", "metro station", "station platform"),
    # a bus stop by its road: kerb, shelter and sign (animatic_busstop); "stop" alone is too many other things
    "busstop": ("bus stop", "bus shelter", "bus station", "bus stand", "tram stop", "bus terminal"),
    # A lesson's words: "the setting sun" or "a sunlit courtyard" is no plant lesson; "sunlight" as a scene's
    # subject is (the photosynthesis lesson's "Sunlight hits the leaf" and its close-up of the sunlight).
    "plant": ("plant", "leaf", "leaves", "sunlight", "photosynthesis", "seedling", "sprout", "roots", "chlorophyll",
              "greenhouse", "potted plant", "flower pot", "plant cell", "green leaf", "seed", "seeds",
              "grows into a plant"),
    **VENUE_SETS,  # a building's front, a playground, a bridge (animatic_venues)
}
# Sets read from the subjects or the action when the setting names none (a planner's lesson has no setting).
SUBJECT_SETS = ("plant", "table")
# A station that is no railway's ("fire station", "a viewing platform"), and the Chinese words for a railway's.
NOT_A_STATION = re.compile(r"\b(?:gas|petrol|filling|service|fire|space|radio|power|weather|research|"
                           r"charging|pumping|ranger|way)\s+station|\b(?:viewing|observation|oil|diving|"
                           r"loading)\s+platform", re.I)
ZH_STATION = re.compile(r"火车站|站台|月台|地铁站|高铁站")
_PLANT_VERB = re.compile(r"\bplant(?:s|ed|ing)?(?=\s+(?:a|an|the|some|his|her|their|its)\b)", re.I)
# A city named as a subject (the planner's travel scenes do this) is where the scene is: (set, props).
PLACE_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "kyoto": ("temple", ("torii", "lanterns")), "nara": ("temple", ("torii",)), "japan": ("temple", ("torii",)),
    "tokyo": ("street", ("modern",)), "osaka": ("street", ("lanterns",)), "seoul": ("street", ("modern",)),
    "beijing": ("temple", ("lanterns",)), "xi'an": ("temple", ("lanterns",)), "lhasa": ("temple", ()),
    "bangkok": ("temple", ("golden",)), "hong kong": ("street", ("modern",)), "shanghai": ("street", ("modern",)),
    "paris": ("street", ("modern",)), "london": ("street", ("modern",)), "new york": ("street", ("modern",)),
    "rome": ("street", ()), "venice": ("street", ()), "lisbon": ("street", ()), "prague": ("street", ()),
    "hangzhou": ("temple", ()), "suzhou": ("street", ("old",)), "chengdu": ("street", ("lanterns",)),
    "lijiang": ("street", ("old", "lanterns")), "marrakech": ("market", ()), "istanbul": ("market", ()),
}
# Per set, words → props it draws (a prop may be named by several words; "roll out" is a rolling pin).
PROP_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "front": FRONT_KINDS,  # which building: a hospital, a school, a hotel...
    "table": {
        "dough": ("dough", "knead", "flour", "kneads", "kneading", "dough ball"),
        "rollingpin": ("rolling pin", "roll out", "rolls out", "rolling out", "roll the", "flatten"),
        "wrappers": ("wrapper", "wrappers", "skins", "dumpling skins", "dumpling wrappers", "pastry sheet"),
        "bowl": ("bowl", "filling", "mix", "stir", "batter", "whisk", "mixing bowl", "season", "marinate"),
        # Zongzi before jiaozi: "wraps rice dumplings in bamboo leaves" is a pyramid in leaves, not a pleat
        # (粽子 reaches the facts as "rice dumplings"; see SPECIFIC_PROPS).
        "zongzi": ("zongzi", "rice dumpling", "rice dumplings", "sticky rice dumpling", "bamboo leaves",
                   "bamboo leaf", "reed leaves", "glutinous rice", "sticky rice"),
        "dumplings": ("dumpling", "dumplings", "jiaozi", "wonton", "wontons", "gold-ingot", "ingot", "wrap",
                      "fold", "pinch", "pleat", "gyoza", "bao", "buns"),
        "pot": ("pot", "boil", "boiling", "boiling water", "soup", "wok", "pan", "saucepan", "simmer", "fry"),
        "steamer": ("steamer", "steam", "steamed", "bamboo steamer", "steaming"),
        "knife": ("knife", "chop", "cut", "slice", "dice", "mince", "cleaver"),
        "vegetables": ("vegetable", "vegetables", "cabbage", "carrot", "onion", "scallion", "leek", "chives",
                       "tomato", "herbs", "greens", "mushroom", "ingredients", "ingredient", "everything needed"),
        "teapot": ("teapot", "tea ceremony", "brew", "pour tea", "matcha"),
        "plate": ("plate", "dish", "serve", "served", "platter", "finished", "ready"),
        # Not "carpenter": a carpenter in a courtyard is no bench; his workshop ("workshop") is.
        "wood": ("wood", "wooden", "plank", "chair", "saw", "carve", "carving", "whittle", "chisel", "timber",
                 "workshop", "woodshop", "woodwork", "stool"),
        "clock": ("clock", "clocks", "watch", "pocket watch", "wristwatch", "clockwork", "gear", "gears"),
    },
    "plant": {
        "sun": ("sunlight", "sun", "light", "sunshine", "sunbeam", "rays"),
        "water": ("water", "roots", "root", "drinks", "absorbs", "soil"),
        "co2": ("carbon dioxide", "co2", "breathes in", "breathe", "air"),
        "o2": ("oxygen", "o2", "sugar", "glucose", "releases", "makes sugar"),
        "leaf": ("leaf", "leaves", "chlorophyll", "texture", "surface", "cell", "cells"),
        "recap": ("all the steps", "recap", "summary", "whole process", "in one picture", "together"),
    },
    "temple": {
        "torii": ("torii", "shrine", "gate", "japanese"),
        "lanterns": ("lantern", "lanterns", "lamp", "lamps", "festival"),
        "golden": ("golden", "gold", "gilded", "kinkaku"),
        "pagoda": ("pagoda", "tower"),
    },
    "street": {
        "old": ("old", "old town", "historic", "ancient", "traditional", "cobbled", "cobblestone", "hutong", "alley"),
        "lanterns": ("lantern", "lanterns", "paper lantern"),
        "umbrella": ("umbrella", "umbrellas", "parasol"),
        "modern": ("city", "downtown", "neon", "skyscraper", "avenue", "traffic", "crosswalk"),
    },
    "market": {"lanterns": ("lantern", "lanterns", "night market", "lights"), "fruit": ("fruit", "fruits")},
    # What a shop's shelves hold, read from its setting, its people and the action.
    "shop": {"bread": ("bakery", "bake shop", "bakeshop", "patisserie", "baker", "bread", "loaf", "loaves", "bun",
                       "buns", "croissant", "pastry", "knead", "dough"),
             "tools": ("workshop", "woodshop", "carpenter", "carpentry", "woodworker", "craftsman", "tools", "saw",
                       "plane", "chisel", "carve", "hammer", "wood", "wooden", "chair"),
             "cups": ("cafe", "coffee shop", "coffeehouse", "coffee", "barista", "espresso", "latte")},
    "classroom": {"plant": ("plant", "leaf", "photosynthesis", "biology"), "maths": ("math", "maths", "equation")},
    "rooftop": {"old": ("old", "tiled", "temple", "traditional")},
    # Around a product on a studio floor: ice for a cold drink, loose leaves for a tea.
    "studio": {"ice": ("iced", "ice", "ice cubes", "chilled", "frosty", "ice-cold", "refreshing"),
               "leaves": ("oolong", "tea leaves", "green tea", "jasmine", "herbal", "matcha", "loose tea")},
}
# A dish named for what it is replaces the general props its verbs also name: zongzi are wrapped ("wrap" is a
# jiaozi word) but need no dough, wrappers or rolling pin, so the zongzi stand where the first of those would.
SPECIFIC_PROPS: dict[str, tuple[str, ...]] = {"zongzi": ("dumplings", "wrappers", "rollingpin", "dough")}
# Verbs (stems) that put hands to work on a table; a close-up of a table shows hands whatever the verb.
HAND_VERBS = ("knead", "roll", "mix", "stir", "wrap", "fold", "pinch", "cut", "chop", "slice", "pour", "shape",
              "press", "fill", "drop", "make", "prepare", "cook", "whisk", "brew", "serve", "hold", "place", "put",
              "stuff", "season", "dice", "mince", "flatten", "knit", "sew", "craft", "build", "paint", "write", "carv",
              "whittl", "hammer", "chisel", "stitch", "mend", "bak", "saws", "sawing", "repair", "fix", "assembl")
# Verb stems for work done at a bench or table in any genre: in a shop or a room they put the work table (hands
# at work) on screen. The broad ones ("make", "build") count only in a shop or workshop.
WORK_VERBS = ("knead", "saws", "sawing", "sawed", "carve", "sew", "whittle", "knit", "hammer", "chisel", "bake", "shape", "mend",
              "stitch", "baking")
SHOP_WORK_VERBS = ("make", "made", "build", "built", "craft", "repair", "fix", "assemble", "prepare", "cook")
# A close-up whose words are of someone's hands shows hands, over the setting's own colours.
HANDS_CLOSE_UP = re.compile(r"\b(close-?up of (?:the |his |her |their )?hands|hands of)\b")
# Subject words for drinks that come in a bottle, and packs, so a tea advert's hero is not a mug.
PRODUCT_PHRASES: dict[str, str] = {
    "oolong tea": "teabottle", "iced tea": "teabottle", "bottled tea": "teabottle", "milk tea": "teabottle",
    "green tea drink": "teabottle", "tea drink": "teabottle", "iced oolong": "teabottle", "juice": "teabottle",
    "soft drink": "teabottle", "lemonade": "teabottle", "tea pack": "box", "tea box": "box", "tea bag": "box",
    "tea leaves": "box", "tea tin": "can", "teacup": "teacup", "tea bowl": "teacup", "tea": "teacup",
}
# What a close-up of hands is busy with, said after them: "hands of the old man …, and the ducks", "The girl's
# hands and the baby bird".
HANDS_WITH = re.compile(r"\bhands\b[^.]*?\band the ([a-z][a-z -]*?)(?=[,.;]|$)")
# fmt: on
LANTERN_WORDS = re.compile(r"\blanterns?\b")
INDOOR_SETS = frozenset({"table", "classroom", "teahouse", "shop"})
SET_INDEX = _index(SET_WORDS)
PROP_INDEX = {key: _index(words) for key, words in PROP_WORDS.items()}
PRODUCT_INDEX = {phrase: kind for phrase, kind in PRODUCT_PHRASES.items()}
PLACE_NAME_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(PLACE_NAMES, key=len, reverse=True)) + r")\b")


class Staged(NamedTuple):
    """A scene's spec with its set and props, and the things the set itself places each frame (hands)."""

    spec: SceneSpec
    hands: bool
    skin: tuple[int, int, int] = SKIN  # the hands' colour: a robot's are its own metal
    handled: str = ""  # the kind a close-up's hands hold or feed, away from a work table (a baby bird, ducks)


def _works(action: str, stems: tuple[str, ...]) -> bool:
    """Whether the action says one of the verbs, in any of its forms ("kneads", "sewing", "carved", "made")."""
    text = action.lower()
    for v in stems:
        base, ends = (v[:-1], "(?:e|es|ed|ing)") if v.endswith("e") else (v, rf"(?:{v[-1]}?(?:s|es|ed|ing))?")
        if re.search(rf"\b{base}{ends}\b", text):
            return True
    return False


def place_name(subject: str) -> str | None:
    """The known place a subject phrase names ("Kyoto", "old Kyoto streets"), or None."""
    m = PLACE_NAME_RE.search(subject.lower())
    return m.group(1) if m else None


def _product_kinds(text: str) -> list[str]:
    return [k for _, k in _find(text, PRODUCT_INDEX)]


def _hits(text: str, index: dict[str, str]) -> list[str]:
    return [k for _, k in _find(text, index)]


def _specific(props: list[str]) -> list[str]:
    """The props with a named dish in place of the general ones it replaces (SPECIFIC_PROPS), where the first
    of them stood: "wraps rice dumplings" puts the zongzi, not the jiaozi tray, in focus."""
    for dish, general in SPECIFIC_PROPS.items():
        if dish in props:
            at = min(props.index(p) for p in (dish, *general) if p in props)
            props = [p for p in props if p not in general and p != dish]
            props.insert(at, dish)
    return props


def _handled(facts: SceneFacts, words: str) -> str:
    """The kind a close-up's hands are busy with: a thing or animal the action names, else one said with the
    hands ("the hands of the old man …, and the ducks"); '' when none is drawable."""
    said = [" ".join(facts.action.split()[1:]), *HANDS_WITH.findall(words.lower())]
    drawn = next((k for text in said for k in _hits(text, KINDS_INDEX) if k not in PEOPLE), "")
    return drawn or next((t for text in said if (t := thing_in(text))), "")  # the umbrella she lends


# A verb said after the first ("carries it down and watches it swim away", "then lights the lamp"): the word
# after "and/then/to" with its object or particle behind it is what is done, not a thing in the picture.
LATER_VERB = re.compile(
    r"\b(and|then|to)\s+[a-z]+(?=\s+(?:it|them|him|her|the|his|its|their|over|out|up|down|away|back)\b)", re.I
)


def stage(facts: SceneFacts, words: str = "") -> Staged:
    """Read a shot's facts into a spec with its set and props (an empty set: the landscape painters' scene)."""
    names = [n for s in facts.subjects if (n := place_name(s))]
    kept = [s for s in facts.subjects if not place_name(s)]
    # The product a drink advert names is a bottle (or a pack, or a tea bowl), not the mug "tea" used to give.
    products = [k for s in kept for k in _product_kinds(s)[:1]]
    plain = facts.model_copy(update={"subjects": [s for s in kept if not _product_kinds(s)]})
    spec = spec_from_facts(plain, words)
    kinds = list(spec.subjects)
    if "fish" in kinds and "fish" in in_hand(facts) and spec.shot not in ("close_up", "extreme_close_up"):
        kinds.remove("fish")  # "feeds it fish": the fish in the feeder's hand, not leaping out at sea
    # A thing the action names ("finds a message in a bottle", "reads the letter") is in the picture too.
    # The verb itself is skipped: "watch the sunrise" names no wristwatch.
    things = " ".join(facts.action.split(" by ")[0].split()[1:])
    things = LATER_VERB.sub(r"\1", things)  # "… and watches it swim away": a second verb, no wristwatch
    # (a fruit tree planted or picked from stands in the yard too; the boats a gull guides home are on the sea)
    seen = OBJECTS | {"fruittree", "boat", "fishingboat"}
    held = [k for k in _hits(things, KINDS_INDEX) if k in seen and k not in kinds and k not in in_hand(facts)][:1]
    if spec.shot in ("close_up", "extreme_close_up") or "studio" in spec.elements:
        held = []
    if products:
        kinds = [products[0], *kinds]
    sets = _hits(NOT_A_STATION.sub(" ", NOT_A_BUILDING.sub(" ", facts.setting)), SET_INDEX)
    if not sets and ZH_STATION.search(facts.setting):
        sets = ["station"]
    if "interior" in spec.elements:  # the station cafe is a cafe, the waiting room a room
        sets = [s for s in sets if s != "station"]
    setting = next(iter(sets), "")
    was, setting = setting, venue(setting, facts.setting, facts.action, "interior" in spec.elements)
    if was == "front" and not setting:  # the hospital ward, in the library: a room, not the building's front
        spec = spec.model_copy(update={"elements": spec.elements | {"interior"}})
    named = None if setting else place_name(facts.setting)
    if named:  # "old tokyo"
        names.append(named)
    props: list[str] = []
    japanese = any("torii" in PLACE_NAMES[n][1] for n in names)
    tea_bowl = products[:1] == ["teacup"]
    if not setting and "interior" in spec.elements and (japanese or tea_bowl or "teahouse" in _hits(words, SET_INDEX)):
        setting = "teahouse"  # "a tea ceremony in an old house" in Kyoto is a tatami room, not a living room
    if names and not setting:
        place = PLACE_NAMES[names[0]]
        if not (spec.elements - {"rain", "cloud", "storm", "snow", "fog"}) or not facts.setting or named:
            setting = place[0]
        props += place[1] if place[0] == setting else ()
    elif names:
        props += PLACE_NAMES[names[0]][1] if PLACE_NAMES[names[0]][0] == setting else ()
    scenery = {"studio", "interior", "sea", "river", "forest", "harbour", "dock"}
    if not setting and not spec.elements & scenery and not at_a_door(facts.setting):  # a door is no work table
        around = " ".join([*facts.subjects, facts.action])
        # "plants a persimmon tree" is gardening, not the plant lesson (a seed or a leaf still names it)
        around = _PLANT_VERB.sub(" ", around)
        setting = next((s for s in _hits(around, SET_INDEX) if s in SUBJECT_SETS), "")
        if not setting:  # "knead the dough" with no setting is still a work table
            # Only the work table: the plant's props ("sun", "air") are everyday words, so a plant needs its own.
            setting = "table" if around.strip() and _hits(around, PROP_INDEX["table"]) else ""
        if setting == "table" and kinds and not any(k in PEOPLE for k in kinds):
            setting = ""  # a rabbit running home with carrots is no cook at a work table
    if "studio" in spec.elements and not kinds:  # "the crisp taste": the product named in the description
        kinds = [*_product_kinds(words)[:1]] or [k for k in _hits(words, KINDS_INDEX) if k in OBJECTS][:1]
    if setting not in ("plant", "table"):
        kinds += held
    # (a lantern someone lends or carries is one lamp, in the picture as a thing, not lanterns strung overhead)
    strung = "lamp" not in {*kinds, *in_hand(facts)} and LANTERN_WORDS.search(f"{facts.setting} {words}".lower())
    if not setting and "interior" not in spec.elements and strung:
        setting = "lanterns"  # "lanterns along the river at night": strung over whatever place it is
    if setting in ("shop", "") and _works(facts.action, WORK_VERBS) and (setting or "interior" in spec.elements):
        setting = "table"  # kneading bread in a shop, sewing in a bedroom: the work on the table, in any genre
    elif setting == "shop" and _works(facts.action, SHOP_WORK_VERBS):
        setting = "table"  # a carpenter making a chair in the workshop: the bench and the hands
    hands_close = spec.shot in ("close_up", "extreme_close_up") and bool(HANDS_CLOSE_UP.search(words.lower()))
    skin = next((LOOKS[k].skin for k in kinds if k in LOOKS and LOOKS[k].eyes is not None), SKIN)
    handled = ""
    if hands_close and setting not in ("plant", "table"):  # the hands are the picture, the place its colours
        kinds = []
        handled = _handled(facts, words)
    if not setting:
        extra = {"subjects": tuple(kinds[:6]), "mouth": in_mouth(kinds, facts.action)}
        if "studio" in spec.elements:
            around = " ".join([*facts.subjects, facts.action, words])
            extra["props"] = tuple(dict.fromkeys(_hits(around, PROP_INDEX["studio"])))
        return Staged(spec.model_copy(update=extra), hands_close, skin, handled)
    text = " ".join([facts.action, facts.setting, *facts.subjects])  # the action's prop is the focus
    if setting == "front":  # the building the setting names, before one the action passes ("walks out of the hospital")
        props += _hits(facts.setting, PROP_INDEX[setting])[:1]
    props += [p for p in _hits(text, PROP_INDEX.get(setting, {})) if p not in props]
    if setting == "temple" and words:  # "the golden temple" is often said only in the description
        props += [p for p in _hits(words, PROP_INDEX[setting]) if p not in props and p != "torii"]
    if setting == "table" and not facts.action and "plate" in _hits(words, PROP_INDEX["table"]):
        props.insert(0, "plate")  # "the finished dumplings, ready": served on a plate
    if setting in ("table", "plant", "shop") and not props and words:  # the description names what the facts do not
        props += [p for p in _hits(words, PROP_INDEX[setting]) if p not in props]
    props = _specific(props)
    elements = set(spec.elements)
    hands = hands_close and setting != "plant"
    if setting in INDOOR_SETS:
        elements = {"interior"}
    if setting == "table":
        # On a work table people are their hands at work; objects stand on the table as props.
        verbs = " ".join([facts.action, *facts.subjects]).lower()
        hands = hands_close or any(re.search(rf"\b{v}", verbs) for v in HAND_VERBS) or "hand" in verbs
        hands = hands or (spec.shot in ("close_up", "extreme_close_up") and bool(props))
        props += [k for k in kinds if k in OBJECTS and k not in props]
        people = [k for k in kinds if k in PEOPLE]
        if spec.shot in ("wide", "extreme_wide") and people:
            hands = False  # a wide shot shows the cook behind the table, a nearer one their hands
        kinds = [] if hands else people[:2]
    elif setting == "plant":
        elements -= {"forest", "field", "city", "interior", "studio"}
        kinds = [k for k in kinds if k not in PEOPLE]  # a lesson about a plant is not a man
    elif setting == "park":  # lawns and broadleaf trees (animatic_park), not a wood's pines
        elements -= {"forest"}
    elif setting == "bamboo":  # tall stalks instead of the forest's round trees
        elements = (elements - {"forest"}) | {"field"}
    elif setting in (
        "street",
        "market",
    ):  # fish at a market lie on the stalls; an old street ends in low roofs, not a skyline
        elements = elements | {"city"} if "modern" in props and "old" not in props else elements - {"city"}
        kinds = [k for k in kinds if k != "fish"]
    elif setting in ("busstop", "station", "front", "bridge"):
        # their road, platform, forecourt or deck is the ground, not a grass field; a station's train is the set's
        elements = {e for e in elements if e in ("rain", "cloud", "storm", "snow", "fog", "city")}
        kinds = [k for k in kinds if k != "train" or setting != "station"]
    if setting == "street" and "rain" in elements:
        props.append("wet")
    if setting in ("street", "market") and "rain" in elements and kinds:
        props.append("umbrella")
    spec = spec.model_copy(
        update={
            "elements": frozenset(elements),
            "subjects": tuple(kinds[:6]),
            "setting": setting,
            "props": tuple(dict.fromkeys(props)),
            "backdrop": backdrop_for(facts.setting, props) if setting == "table" else "",
        }  # fmt: skip
    )
    return Staged(spec, hands, skin, handled)


def set_cast(staged: Staged, g: Geometry, subjects: list[Subject]) -> list[Subject]:
    """The cast on a set: a work table shows the hands at work (its people are those hands)."""
    if not staged.hands:
        return [] if staged.spec.setting == "table" else subjects
    if staged.spec.setting == "table" or not staged.handled:
        x, y, s = work_spot(staged.spec, g)
        return [Subject("hands", x, y, s, staged.skin, False, "work")]
    return handled_cast(staged.handled, staged.skin, g)


def handled_cast(kind: str, skin: tuple[int, int, int], g: Geometry) -> list[Subject]:
    """A close-up of hands and what they handle (layer pixels): ducks fed on the water below hands scattering
    crumbs, a small thing sitting in cupped palms (drawn first, so the palms' rim is in front of it), else the
    thing in frame below hands at work on it."""
    pose, lift = hands_pose(kind), g.hz - g.hf
    x, s = g.lw / 2, 0.5 * g.fh
    if pose == "feed":
        # the duck just left of where the crumbs land, clear of the tossing arm that reaches in from the right
        thing = Subject(kind, x - 0.04 * g.fw, lift + 0.9 * g.fh, 0.24 * g.fh, (236, 236, 228), False, "held")
        return [thing, Subject("hands", x, lift + 0.48 * g.fh, s, skin, False, "feed")]
    if pose == "hold":  # a kite gripped by its spar, held up in front of its holder
        ky, ks = lift + 0.5 * g.fh, 0.56 * g.fh
        return [
            Subject(kind, x, ky, ks, (222, 44, 40), False, "held"),
            Subject("hands", x, ky, ks, skin, False, "hold"),
        ]
    y = lift + 0.62 * g.fh
    colour = (120, 92, 66)
    if pose == "cup":
        return [Subject(kind, x, y - 0.02 * g.fh, 0.3 * g.fh, colour, False, "held"),
                Subject("hands", x, y, s, skin, False, "cup")]  # fmt: skip
    return [Subject(kind, x, lift + 0.85 * g.fh, 0.45 * g.fh, colour, False, "held"),
            Subject("hands", x, y, s, skin, False, "work")]  # fmt: skip
