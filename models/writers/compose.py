"""Scene text from scene facts: the English visual description in the shape video models were trained on
(subject with its look + action + place + light + shot + style; notes/storyboard-craft.md) and the narration
of shots the idea does not narrate itself, built from the idea's own subject, place, time and topic."""

from __future__ import annotations

import re
import unicodedata
import zlib

from models.storyboard import Scene, ShotSize, Storyboard, TimeOfDay, Weather
from models.writers.en_grammar import ing_form, verb_forms
from models.writers.facts import Cast, Facts, Person
from models.writers.genres import Role

SHOT_NAMES = {
    ShotSize.EXTREME_WIDE: "Extreme wide shot",
    ShotSize.WIDE: "Wide shot",
    ShotSize.MEDIUM: "Medium shot",
    ShotSize.CLOSE_UP: "Close-up",
    ShotSize.EXTREME_CLOSE_UP: "Extreme close-up",
}
TIME_LIGHT = {
    TimeOfDay.DAWN: "soft pink dawn light, low sun on the horizon",
    TimeOfDay.MORNING: "fresh morning light",
    TimeOfDay.DAY: "bright natural daylight",
    TimeOfDay.DUSK: "warm golden dusk light, long shadows",
    TimeOfDay.NIGHT: "night, deep blue shadows and warm lamp glow",
}
WEATHER_LIGHT = {
    Weather.RAIN: "steady rain, wet reflections",
    Weather.STORM: "dark storm clouds, driving rain and flashes of lightning",
    Weather.SNOW: "falling snow, soft white light",
    Weather.FOG: "drifting mist, diffused light",
    Weather.CLOUDY: "overcast sky, soft grey light",
}
JOURNEY = re.compile(
    r"\b(returns?|arrives?|reach(es)?|go(es)?|sails?|travels?|hurr(y|ies)|drives?|fl(y|ies)|heads?|comes? back|"
    r"walks? (to|into|home)|rides?|journeys?)\b"
)
# Indoors, the weather is seen through the windows (home after a walk in the rain is not rained on).
INDOOR = re.compile(
    r"\b(home|house|room|bedroom|kitchen|office|classroom|restaurant|shop|bookshop|cafe|café|studio|hall|library|"
    r"hospital|apartment|flat|school|store|museum|bathroom|living room|attic|basement)\b"
)
WEATHER_INDOORS = {
    Weather.RAIN: "rain streaking the windows, soft grey light",
    Weather.STORM: "a storm beating at the windows, warm lamp light",
    Weather.SNOW: "snow falling past the windows, soft white light",
}
# Someone (or something) who sails is seen in a boat unless the clause names the vessel: "sails across the sea".
_SAILS = re.compile(
    r"\b(sail(?:s|ed|ing)?)\b((?:\s+(?:across|over|through|to|into|out to|out|away|off|back to|home)"
    r"(?:\s+(?:the|a|an))?(?:\s+(?:distant|open|wide|far|stormy|calm))?(?:\s+[\w-]+)?)?)"
)
_VESSEL = re.compile(r"\b(boat|ship|yacht|raft|canoe|kayak|vessel|sailboat|ferry|dinghy|junk|sampan)s?\b", re.I)


def by_boat(sentence: str) -> str:
    """ "the robot sails across the sea to find…" → "…sails across the sea in a small boat to find…"."""
    if _VESSEL.search(sentence):
        return sentence
    return _SAILS.sub(lambda m: f"{m[1]}{m[2]} in a small boat", sentence, count=1)


# What a close-up of each kind of subject looks at (English, Chinese).
PARTS = {
    "person": ("hands", "双手"),
    "animal": ("eyes", "眼睛"),
    "thing": ("surface details", "细节"),
    "product": ("fine details", "细节"),
    "food": ("texture", "质感"),
    "group": ("hands", "双手"),
    "weather": ("texture up close", "细节"),
}
FACES = {"person": "face", "animal": "face", "thing": "silhouette"}
_PLACEHOLDER = re.compile(r"{(\w+)}")
_MAY_BE_EMPTY = ("when", "s")  # " at dawn" or nothing; the verb's "s" or nothing for a plural subject


def light(facts_time: TimeOfDay | None, weather: Weather | None) -> str:
    if weather and weather in WEATHER_LIGHT:
        when = f", {facts_time.value}" if facts_time and facts_time not in (TimeOfDay.DAY,) else ""
        return WEATHER_LIGHT[weather] + when
    return TIME_LIGHT.get(facts_time or TimeOfDay.DAY, TIME_LIGHT[TimeOfDay.DAY])


def with_looks(sentence: str, cast: Cast) -> str:
    """The sentence with each character's look after its first mention, word for word the same in every
    scene, so the video model draws the same fisherman each time."""
    for person in cast.people.values():
        if not person.look or re.sub(r"^(a|an)\s+", "", person.look) == person.name:
            continue  # "a golden fish" says no more than its name
        # "the injured little bird": a state said before the name is still this character
        state = r"(?:[a-z]+(?:ed|en|ing)\s+|lost\s+|sick\s+)?"
        article = r"(?:(?:the|a|an)\s+)?" if person.name[:1].isupper() else r"(?:the|a|an)\s+"  # "Old Chen" has none
        # "the mother" is not in "the mother duck", a character of its own
        longer = [re.escape(p.name[len(person.name) + 1 :]) for p in cast.people.values()
                  if p.name.startswith(person.name + " ")]  # fmt: skip
        ahead = rf"(?!\s+(?:{'|'.join(longer)})\b)" if longer else ""
        owner = r"(?:[a-z]+\s+){0,2}?[a-z]+'s\s+"  # "the old fisherman's granddaughter": still her
        pattern = re.compile(rf"\b{article}(?:{owner})?{state}{re.escape(person.name)}\b(?!'){ahead}", re.I)
        m = pattern.search(sentence)
        if m and sentence[m.end() :].startswith(", now "):
            continue  # "the boy, now an old man with white hair": who they are after the years, not the boy's look
        if m and person.look not in sentence:
            look = re.sub(rf"^(a|an)\s+{re.escape(person.name)}\s+", "", person.look, flags=re.I)
            # "the girl of about eight with two braids", not "the girl, of about eight with two braids"
            joint = " " if look != person.look and re.match(r"(?:of|with|in|wearing)\b", look) else ", "
            sentence = f"{sentence[: m.end()]}{joint}{look},{sentence[m.end() :]}"
    return re.sub(r",\s*([,;:])", r"\1", sentence).strip(" ,")


def is_name(place: str) -> bool:
    """A place said by its name ("Kyoto", "Fushimi Inari"): no article before it."""
    return place[:1].isupper() or bool(re.match(r"^the [A-Z]", place))


def the(place: str) -> str:
    return "" if is_name(place) or re.match(r"^(?:the|a|an)\s", place, re.I) else "the "


def setting_phrase(facts: Facts, sentence: str) -> str:
    if not facts.setting or facts.setting.lower() in sentence.lower():
        return ""
    if (around := re.search(r"\boutside the \w+$", facts.setting)) and around[0] in sentence:
        return ""  # "camp outside the city" says where already
    if facts.setting == "home":  # "at home", never "at the home"
        return "at home"
    article = "" if re.match(r"^(the|a|an|his|her|their)\b", facts.setting, re.I) or is_name(facts.setting) else "the "
    return f"{facts.prep} {article}{facts.setting}"


def _accents(chars: str) -> bool:
    return all(unicodedata.combining(ch) for ch in chars)


# What a season looks like, said once per scene so a video model (and the animatic) shows it.
SEASON_LOOKS = {"spring": "in spring, fresh green leaves and blossom", "summer": "in summer, lush green leaves",
                "autumn": "in autumn, golden and red leaves", "winter": "in winter, bare trees and frost"}  # fmt: skip


def season_phrase(season: str, sentence: str) -> str:
    """ "in autumn, golden and red leaves" for a scene in autumn ("early autumn" too); "" when none or said."""
    kind = next((k for k in SEASON_LOOKS if k in season.lower()), "")
    return SEASON_LOOKS[kind] if kind and kind not in sentence.lower() else ""


def describe(shot: ShotSize, sentence: str, facts: Facts, cast: Cast, style: str) -> str:
    """The English visual description: shot, subject (with look) and action, place, light, style."""
    lit = light(facts.time_of_day, facts.weather)
    if facts.weather in WEATHER_INDOORS and INDOOR.search(facts.setting) and not JOURNEY.search(sentence):
        lit = WEATHER_INDOORS[facts.weather] + lit.removeprefix(WEATHER_LIGHT[facts.weather])
    if "studio" in facts.setting and facts.time_of_day is None and facts.weather is None:
        lit = "soft even studio light"
    parts = [
        with_looks(by_boat(sentence), cast),
        setting_phrase(facts, sentence),
        season_phrase(facts.season, sentence),
        lit,
    ]
    body = ", ".join(p for p in parts if p)
    text = f"{SHOT_NAMES[shot]}: {body}. {style}".strip()
    # Video text encoders read English only: a word no source could translate is left out, never shown raw.
    text = unicodedata.normalize("NFKD", text)  # "café" → "cafe" + accent, the accent then dropped
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"[^\x00-\x7f]+", lambda m: "" if _accents(m[0]) else " ", text))
    return re.sub(r"\s+", " ", text)[:1000]


def _asks(pattern: str) -> set[str]:
    """The values a pattern asks for; a place said with its locative (桥上) or without (桥) is one value, so
    lines differing only in that stay variants of each other."""
    return {n.lower().removeprefix("in_") for n in _PLACEHOLDER.findall(pattern)}


def fill(patterns: list[str], values: dict[str, str], pick: int = 0) -> str:
    """A pattern whose placeholders all have a value ({When} capitalises {when}): of the first such pattern
    and those that ask for the same values (its variants), the `pick`-th, so films about different things
    do not all say the same line."""
    usable = [p for p in patterns if all(values.get(n.lower()) or n in _MAY_BE_EMPTY for n in _PLACEHOLDER.findall(p))]
    if not usable:
        return ""
    wanted = _asks(usable[0])
    variants = [p for p in usable if _asks(p) == wanted]
    out = variants[pick % len(variants)]
    for n in _PLACEHOLDER.findall(out):
        v = values.get(n.lower(), "")
        out = out.replace("{" + n + "}", v[:1].upper() + v[1:] if n[0].isupper() else v)
    return out


# Words that begin a verb's object or particle ("and moves on", "and looks at"): the word before them is a verb.
_OBJECT_START = frozenset(
    {"the", "a", "an", "it", "them", "his", "her", "their", "its", "up", "out", "on", "at", "home", "back"}
)


def _verb_after_and(word: str, following: str | None) -> bool:
    base = verb_forms().get(word)
    if base is None:
        return False
    nxt = (following or "").strip().lower()
    return word != base or nxt in _OBJECT_START


def doing(action: str) -> str:
    """'sails out to sea' → 'sailing out to sea' (what a subject is busy with in a shot of its own)."""
    action = re.sub(r"^(?:go|goes|went|going) (?=\w+ing\b)", "", action)  # "go fishing": fishing
    first, _, rest = action.partition(" ")
    base = verb_forms().get(first.lower(), "")
    if not base:
        return action if first.endswith("ing") and len(first) > 5 else ""  # "fishing", said already
    # "drives the yaks and moves on" → "driving the yaks and moving on"
    # ...but "mix flour and water" keeps its water: a bare base form after "and" is a verb only before an object
    rest = re.sub(
        r"\band (\w+)(?=(\s+\w+)?)",
        lambda m: f"and {ing_form(verb_forms()[m[1]])}" if _verb_after_and(m[1], m[2]) else m[0],
        rest,
    )
    return f"{ing_form(base)} {rest}".strip()


def when(time: str) -> str:
    """ " at dawn", " in the morning": the time said as a phrase after a place."""
    if not time:
        return ""
    if re.match(r"^(?:the\s+)?(?:setting|rising|morning|evening) sun$", time):  # 夕阳: "under the setting sun"
        return f" under the {time.removeprefix('the ')}"
    if re.match(r"^(?:the\s+)?(?:early |late )?(?:morning|afternoon|evening)$", time):
        return f" in the {time.removeprefix('the ')}"
    # "every morning", "one winter", "that night": a time that says itself needs no preposition
    return f" {time}" if re.match(r"^(?:at|in|by|on|during|every|each|one|that|this|all)\b", time) else f" at {time}"


# An event after which someone or something has gone (放飞了它, "waves goodbye"): it is not seen with them again.
_PARTING = re.compile(r"\b(?:free|away|leaves?|goodbye|off)\b")
# Hands that meet rather than work: people meeting or embracing hold each other's hands; someone crying, laughing,
# waiting or looking has no work in their hands.
_CLASPING = re.compile(r"\b(?:meet|meets|meeting|hug|hugs|hugging|embrace|embraces|reunite|reunites|greet|greets|"
                       r"hold hands|holding hands|shake hands)\b")  # fmt: skip
_IDLE_HANDS = re.compile(r"^(?:cr(?:y|ies|ying)|laugh|smil|wait|sleep|sit|sat|stand|look|watch|listen|walk|run|"
                         r"wander|stroll|dream|rest|think|wonder|hear|see|notice)")  # fmt: skip
_ZH_AT = {"in": "里", "on": "上", "under": "下", "beside": "边", "by": "边"}


def zh_place_noun(place_zh: str) -> str:
    """The place as a noun ("回家的路上" → "回家的路", "海上" → "海"), for "四周是…" and "…上空": its locative
    is added back only where the line needs one (role_values' in_setting_zh)."""
    return place_zh[:-1] if len(place_zh) >= 2 and place_zh[-1] in "上里中" else place_zh


def zh_at_place(place_zh: str, facts: Facts) -> str:
    """The place with the locative Chinese needs after 在 or before a comma: 桥上, 厨房里, 湖边 (a place by its
    name, 京都, or one that is a spot already, 营地, takes none)."""
    noun = zh_place_noun(place_zh)
    if not noun or is_name(facts.setting) or re.search(r"[里上下中边外前后旁]$", noun):
        return noun
    return noun + _ZH_AT.get(facts.prep, "")


def other_in(facts: Facts, main: Person | None, cast: Cast | None) -> Person | None:
    """The one the scene's event brings to the main subject (the puppy she found, the grandson whose head is
    stroked), for added shots that say who they are with; None when the event parts them."""
    if cast is None or main is None or _PARTING.search(facts.action):
        return None
    # the one met earliest in the story (the puppy she found, before the father who helps)
    besides = (main.name, facts.time, *main.members)  # "the boy and the father" look at no father of their own
    return next((p for n, p in cast.people.items() if n in facts.subjects and n not in besides), None)


# "waits at the stop to return the umbrella", "brings back the book": something given back, and what
_OWN = r"(?:the|her|his|their|its)\s+"
_WHAT = r"([a-z]+(?:\s+(?!(?:to|with|at|in|on|for|and|from|by|back)\b)[a-z]+)?)"
_GIVE = r"(?:give|gives|giving|bring|brings|bringing|hand|hands|handing)"
_GIVES_BACK = re.compile(
    rf"\b(?:return(?:s|ing)?\s+{_OWN}{_WHAT}|{_GIVE}\s+back\s+{_OWN}{_WHAT}|{_GIVE}\s+{_OWN}{_WHAT}\s+back)"
    r"(?:\s+to\s+(?:the\s+)?([a-z]+(?:\s+[a-z]+)?))?",
    re.I,
)
_WITH_THEM = re.compile(r",\s*(with\s+(?:a|an|the|his|her|their|some)\s+[^,.;]+?)\s*$", re.I)


def given_back(facts: Facts, main: Person | None) -> tuple[str, str]:
    """(the thing someone other than the main subject gives back to them, what else they bring: "with a bunch
    of flowers"), for a closing shot of the giving back; ('', '') when the last event gives nothing back to them."""
    if main is None or main.kind != "person" or not facts.subjects or facts.subjects[0] == main.name:
        return "", ""
    m = _GIVES_BACK.search(facts.action)
    to = (m.group(4) or "").lower() if m else ""
    others = [n for n in facts.subjects[1:] if n != main.name]
    if m is None or any(n in to or to in n.split() for n in others):  # given back to someone else in the scene
        return "", ""
    carrying = _WITH_THEM.search(facts.action)
    return next(g for g in m.groups() if g).lower(), carrying.group(1) if carrying else ""


def handed_back(facts: Facts, values: dict[str, str], sentence: str) -> Facts:
    """An added shot's facts when its sentence gives a thing back (role_values' "returned"): the giver first and
    the one it goes back to, the action passing it (so the picture puts it in the owner's hands)."""
    back, owner = values.get("returned"), values.get("name")
    if not back or not owner or f"the {back} back to" not in sentence:
        return facts
    carrying = f", {values['carrying']}" if values.get("carrying") else ""
    return facts.model_copy(
        update={"subjects": [values["other"], owner], "action": f"hands the {back} back to the {owner}{carrying}"}
    )


def _handled(other: Person | None, facts: Facts, zh: bool = False) -> str:
    """An animal the action handles ("finds a baby bird and cares for it"): in the hands, as a thing would be."""
    if other is None or other.kind != "animal" or other.name not in facts.action:
        return ""
    return other.zh if zh else other.name


def hands_doing(kind: str, main: Person | None, action: str) -> str:
    """What a close-up of someone's hands shows them doing during their event: "at work" (the clockmaker),
    "clasped together" (two old friends meeting), or nothing ("the girl cries": no work in her hands)."""
    if kind != "person" or not action:
        return ""
    if main is not None and main.plural and _CLASPING.search(action):
        return "clasped together"
    return "" if _IDLE_HANDS.match(action) else "at work"


def role_values(
    main: Person | None, facts: Facts, topic_en: str, topic_zh: str, action: str, cast: Cast | None = None
) -> dict[str, str]:
    kind = main.kind if main else "thing"
    part, part_zh = PARTS.get(kind, PARTS["thing"])
    other = other_in(facts, main, cast)
    names = (main.members or [main.name]) if main else []
    leads = bool(names) and facts.subjects[: len(names)] == names  # the event is theirs: its verb and what it handles
    returned, carrying = given_back(facts, main) if other is not None else ("", "")
    return {
        "subject": f"the {main.name}" if main else "",
        "name": main.name if main else "",
        "name_zh": main.zh if main else "",
        # the idea's own people and actions, so an added line reads as part of this story
        # (someone the event brings to them, else the thing it handles: "the flower" the robot found)
        "other": other.name if other else "" if _PARTING.search(facts.action) else facts.thing,
        "other_zh": other.zh if other else "" if _PARTING.search(facts.action) else facts.thing_zh,
        # what someone's hands are busy with ("奶奶包粽子的双手", "the clockmaker's hands and the music box")
        "action_zh": facts.action_zh if kind == "person" and leads else "",
        "held": (facts.thing or _handled(other, facts)) if kind == "person" and leads else "",
        "held_zh": (facts.thing_zh or _handled(other, facts, zh=True)) if kind == "person" and leads else "",
        "returned": returned,  # the umbrella the old man brings back to the young woman
        "carrying": carrying,
        "in_setting_zh": zh_at_place(facts.setting_zh, facts),
        "setting": facts.setting,
        "where": ("at home" if facts.setting == "home" else f"{facts.prep} {the(facts.setting)}{facts.setting}")
        if facts.setting
        else "",
        "setting_zh": zh_place_noun(facts.setting_zh),
        "when": when(facts.time),
        "time": facts.time,
        "time_zh": facts.time_zh,
        "topic": topic_en or topic_zh,
        "how": topic_en if re.match(r"^(?:how|why|what|where|when)\b", topic_en, re.I) else "",  # a question
        "sight": next((n for n in facts.subjects if n not in (topic_en, facts.time, main.name if main else "")), ""),
        "topic_zh": topic_zh,
        "part": part,
        "part_zh": part_zh,
        "face": FACES.get(kind, "silhouette") + ("s" if main is not None and main.plural else ""),
        "action": action,
        "doing": doing(action),
        # a close-up of someone's hands during their event: "the clockmaker's hands at work", not a repeat of it
        "at_work": hands_doing(kind, main, action),
        "at_work_zh": {"at work": "忙碌的", "clasped together": "紧握在一起的"}.get(
            hands_doing(kind, main, action), ""
        ),
        # what happens at a travel stop with no one named doing it ("登上古城墙"), done by the people there
        "stop_doing": doing(facts.action) if not facts.subjects else "",
        "s": "" if main is not None and main.plural else "s",
        "is": "are" if main is not None and main.plural else "is",
        # several people with no one else in the scene look at each other, not "pause and look" each alone
        "each_other": "each other" if main is not None and main.plural and kind in ("person", "group") else "",
        "each_other_zh": "彼此" if main is not None and main.plural and kind in ("person", "group") else "",
    }


def role_texts(role: Role, values: dict[str, str], language: str) -> tuple[str, str]:
    """(English sentence, narration) of a shot the idea does not narrate itself; ('', '') when the idea gives
    too little to build one (the caller then uses another role)."""
    pick = zlib.crc32(f"{values.get('name')}|{values.get('setting')}|{values.get('topic')}".encode())
    sentence = fill(role.description, values, pick)
    zh_values = {**values, "topic": values.get("topic_zh") or values.get("topic", "")}
    if language == "zh":
        narration = fill(role.narration_zh, zh_values, pick)
    else:
        narration = fill(role.narration_en, values, pick)
    if language != "zh":
        narration = re.sub(r"(?<=s)'s\b", "'", narration)  # "the farmers' hands", not "farmers's"
        # a pair named with the place or a thing: "The boy, the father and the riverbank", not "… and … and …"
        narration = re.sub(r"\b([Tt]he [\w' -]+?) and (the [\w' -]+?) and (?=the )", r"\1, \2 and ", narration)
        narration = re.sub(r", and (?=the [\w' -]+? and the )", ", ", narration)  # "The kitchen, the girl and the …"
    else:
        narration = re.sub(r"([^，。、和]+)和([^，。、和]+)和", r"\1、\2和", narration)  # 河边、男孩和爸爸
    where = values.get("where", "")
    if where and sentence.lower().count(values.get("setting", "").lower()) > 1:
        # "playing violin in a snowy city square, in the snowy city square": the place is said once
        sentence = re.sub(rf",\s*{re.escape(where)}(?=,|$)", "", sentence, count=1)
    place = values.get("setting", "")
    if place and is_name(place):  # "the {setting}" of a pattern, for a place said by its name: "Kyoto"
        sentence = re.sub(rf"\b[Tt]he {re.escape(place)}\b", place, sentence)
        narration = re.sub(rf"\b[Tt]he {re.escape(place)}\b", place, narration) if language != "zh" else narration
    return sentence, narration


def describe_facts(board: Storyboard, scene: Scene) -> str:
    """A scene's description composed from its facts alone (subjects with their story-bible looks, action,
    place, light, shot, style): what a scene says after its facts or a look were changed."""
    f = scene.facts
    looks = {c.name.lower(): c.look for c in board.characters}
    people = []
    for name in f.subjects:
        look = looks.get(name.lower(), "")
        the = "" if name[:1].isupper() else "the "  # "Xiao Ming", "Old Chen": a name takes no article
        people.append(f"{the}{name}, {look}," if look else f"{the}{name}")
    who = " and ".join(people).rstrip(",")
    sentence = " ".join(p for p in (who, f.action) if p).replace(",,", ",")
    facts = Facts(setting=f.setting, prep="in", time_of_day=f.time_of_day, weather=f.weather)
    return describe(f.shot, sentence or f.setting or board.title, facts, Cast(), board.style)


def refreshed(board: Storyboard) -> Storyboard:
    """The board with every description recomposed from its facts, except those a person edited (kept as
    written) and those with no facts to compose from."""
    scenes = [
        s
        if s.description_edited or not (s.facts.subjects or s.facts.setting or s.facts.action)
        else s.model_copy(update={"description": describe_facts(board, s)})
        for s in board.scenes
    ]
    return board.model_copy(update={"scenes": scenes})
