"""Scene facts from one Chinese clause, read word by word through the lexicon: [subject][time][在 place]
[verb][object], with 它/她/他/他们 resolved against the cast. The word-level fixes it relies on live in
zh_words.py; the English sentence it ends with is said in facts_zh_sentence.py."""

from __future__ import annotations

import re

from models.writers.en_grammar import PREPOSITIONS, indefinite
from models.writers.facts import GOING_HOME, Cast, Facts, Person, apply_weather_time, coloured, person_ref, zh_gender
from models.writers.facts_zh_parts import (
    _ARRIVING,
    _after_verb,
    _counted,
    _kin,
    _owned_thing,
    _short_action,
    _time_first,
    _together,
    _with,
    at_place,
)
from models.writers.facts_zh_sentence import BODY, finish
from models.writers.lexicon import NOUN_KINDS, Entry, Lexicon
from models.writers.zh_words import (
    ZH_DAYS_LATER,
    directionals,
    locatives,
    singular,
    strip_transitions,
    zh_words,
)

# 小梅, 阿明 after a person noun: a given name (the splitter keeps it whole; no table knows it)
_GIVEN_NAME = re.compile(r"^[小阿][\u4e00-\u9fff]$")


# Verbs whose 把-object goes to someone named after them, with the word that joins that someone.
_GIVE_TO = {"give": "to", "hand": "to", "show": "to", "send": "to", "pass": "to", "throw": "to", "lend": "to",
            "sell": "to", "bring": "to", "offer": "to", "share": "with"}  # fmt: skip


_SEEING = re.compile(r"^(?:look|watch|see|gaze|stare|admire|view)\b")


def zh_facts(clause: str, lex: Lexicon, cast: Cast) -> Facts:
    """Facts of one Chinese clause, read word by word: [subject][time][在 place][verb][object]."""
    facts = Facts()
    clause, transition = strip_transitions(clause)
    facts.later = bool(ZH_DAYS_LATER.search(transition))
    for _w, entry in zh_words(transition, lex) if transition else []:
        if entry.kind == "season":  # 春天来了，海鸥飞回了大海: the season is this scene's
            apply_weather_time(facts, entry, _w)
    words = zh_words(clause, lex)
    words = directionals(locatives(words))
    # "帐篷里亮着酥油灯": a place, then a verb with 着: what the verb names is the subject (lamps glow there)
    opening = [e.kind for _w, e in words if e.kind not in ("time", "season", "skip", "adj", "adv")][:1]
    existential = opening == ["place"] and any(w.endswith("着") for w, _ in words)
    adjectives: list[str] = []
    states: list[str] = []  # 受伤的: how someone is now (injured), said in this scene but not part of their name
    subject: Person | None = None
    verbs: list[tuple[Entry, list[str]]] = []  # each verb with the objects after it
    advs: list[str] = []
    things: list[str] = []
    owner = ""
    held: list[str] = []  # 把 + object: what the next verb acts on
    ba = False
    toward: list[str] = []  # 向他/对她/朝老人 + verb: the one the verb is done to (老人向他道谢: thanks him)
    to = False
    tool = ""  # 用水打湿: the next verb is done with water
    benefit = negate = False
    pivot = ""  # 等爸爸来接他: the one waited for (the father), who does the verbs after it
    using = at = False  # 用 + noun: a tool; 在 + a thing (not a place): where on it the action happens
    spots: list[str] = []  # "on the windowsill", said after the action
    weathers: list[str] = []
    for i, (word, entry) in enumerate(words):
        kind = entry.kind
        if i and words[i - 1][1].kind == "person" and (entry.extras.get("name") or _GIVEN_NAME.match(word)):
            continue  # 店员小林, 孙女小梅: the shop assistant, the granddaughter, by name; one person, not two
        if word == "把":
            if subject is None and not verbs and i > 0 and words[i - 1][1].kind in ("time", "weather"):
                subject = Person(name=words[i - 1][1].en, kind="thing")  # 夕阳把海面染成金色: the setting sun does it
            ba = True
            continue
        if word == "用" and i + 1 < len(words) and words[i + 1][1].kind in NOUN_KINDS:
            using = True
            continue
        if (
            word in ("在", "于", "从")
            and i + 1 < len(words)
            and words[i + 1][1].kind in ("thing", "product")
            and (i + 2 >= len(words) or words[i + 2][1].kind != "place")
        ):
            at = True
            continue
        if word in ("向", "对", "朝", "冲") and i + 1 < len(words) and words[i + 1][1].kind in ("pron", "person"):
            to = True
            continue
        if (
            word == "给"
            and i + 2 < len(words)
            and words[i + 1][1].kind in (*NOUN_KINDS, "pron")
            and any(e.kind == "verb" for _w, e in words[i + 2 :])
        ):
            # 给花浇水: waters the flowers; 给孩子缝衣服: sews clothes for the child (给 says for whom)
            to = True
            benefit = words[i + 1][1].kind in ("person", "pron")
            continue
        if (
            word in ("没有", "没", "不", "别", "未", "从不", "不再")
            and i + 1 < len(words)
            and words[i + 1][1].kind == "verb"
        ):
            negate = True  # 一直没有离开: never leaves, not "leaves"
            continue
        if entry.extras.get("owner"):  # 他的头: whose head, said with it ("the grandson's head")
            who = cast.refer(entry.extras["owner"], besides=subject.name if subject else "")
            if who is not None and (verbs or ba or to) and _owned_thing(words, i):
                owner = f"{person_ref(who)}'s "
                cast.mention(who)
            continue
        if entry.extras.get("count") and verbs and not verbs[-1][1]:  # 尝了一个: one of the dumplings
            counted = _counted(entry.extras["count"], cast)
            if counted:
                verbs[-1][1].append(counted)
            continue
        if kind == "adj":
            if entry.en:
                (states if entry.extras.get("state") else adjectives).append(entry.en)
        elif kind == "adv":
            advs.append(entry.en)
        elif kind == "time" and verbs and not verbs[-1][1] and re.search(r"sunrise|sunset|setting sun|moon", entry.en):
            apply_weather_time(facts, entry, entry.en)
            verbs[-1][1].append(f"the {entry.en}")  # 看日出: watch the sunrise
        elif kind in ("time", "weather", "season"):
            apply_weather_time(facts, entry, entry.en)
            if kind == "weather":
                weathers.append(entry.en)
            if kind == "weather" and words[i + 1 : i + 2] and words[i + 1][0] in ("中", "里"):
                spots.append(f"in the {entry.en}")  # 雨中: out in the rain, said after the action; nothing done to it
            elif kind == "weather" and verbs:
                countable = re.search(r"storm|typhoon|gust|downpour", entry.en)
                verbs[-1][1].append(f"a {entry.en}" if countable else entry.en)
            elif kind == "weather":
                things.append(entry.en)
        elif kind == "place" and entry.extras.get("spot"):
            # 坐在树下: under the tree, a spot at the place the story is in (the garden), not a setting of its own
            adjectives = []
            if verbs and not verbs[-1][1]:
                verb = verbs[-1][0]
                bare = re.sub(r"\s+(?:in|on|at|under)$", "", verb.en)  # "sit in" + "under the tree"
                verbs[-1] = (verb.model_copy(update={"en": bare}) if bare != verb.en else verb, [entry.extras["spot"]])
            else:
                spots.append(entry.extras["spot"])
        elif kind == "place" and entry.extras.get("made") and verbs and verbs[-1][0].extras.get("makes"):
            # 凿了一个洞, 挖了一个洞: a hole is a thing made there, not where anyone is (the place stays)
            adjectives = []
            made = entry.extras["made"]
            verbs[-1][1].append(indefinite(made))
            cast.mention(Person(name=made, zh=word, kind="thing"))
            spots = [re.sub(r"^on ", "in ", s) for s in spots]  # 在冰上凿洞: a hole in the ice
        elif kind == "place":
            name = " ".join([*adjectives, entry.en])
            adjectives = []
            if (
                verbs
                and not verbs[-1][1]
                and (
                    verbs[-1][0].extras.get("obj") == "place"
                    or re.search(r"\b(in|on|at|into|to|by|under|toward)$", verbs[-1][0].en)
                )
            ):
                verbs[-1] = (at_place(verbs[-1][0], entry), verbs[-1][1])  # 坐在山顶: sits on it, not "in"
                verbs[-1][1].append(f"the {name}")
            if facts.setting and verbs and _SEEING.match(verbs[-1][0].en):
                # 站在桥上看河: where they stand is the scene's place; what they look at is only seen
                if not verbs[-1][1]:
                    verbs[-1][1].append(f"the {name}")
                continue
            facts.setting, facts.prep, facts.setting_zh, facts.new_place = (
                name,
                entry.extras.get("prep", "in"),
                word,
                True,
            )
        elif kind in NOUN_KINDS and (using or at):
            name = " ".join([*adjectives, entry.en])
            adjectives = []
            if using:
                tool, using = name, False
            else:  # 在窗台上打盹: dozes on the windowsill (the room stays the scene's place)
                nxt = words[i + 1][0] if i + 1 < len(words) else ""
                prep = {"上": "on", "里": "in", "中": "in", "下": "under", "旁": "beside", "边": "beside"}.get(
                    nxt, "at"
                )
                spots.append(f"{prep} the {re.sub(r'^(the|a|an) ', '', name)}")
                at = False
        elif kind in NOUN_KINDS:
            if "tod" in entry.extras:  # 看星星: at night
                apply_weather_time(facts, entry, entry.en)
            being = kind in ("person", "animal")
            name = " ".join([*([] if being else states), *adjectives, entry.en])
            # a bare noun right after its verb that the story has named before is that one (叼着面包 after
            # 把面包放在门口: the bread, not "bread")
            known = any(p.name == name and p.kind == "thing" for p in cast.mentions)
            state = " ".join(states) if being else ""
            adjectives, states = [], []
            nxt = words[i + 1][0] if i + 1 < len(words) else ""
            if (
                nxt == "的"
                and kind in ("person", "animal")
                and i + 2 < len(words)
                and words[i + 2][1].kind in NOUN_KINDS + ("place",)
            ):
                owner = f"the {name}'s "
                # 小女孩的猫: the girl is in the story too (她 later means her), though the cat is the subject
                cast.add(Person(name=name, zh=word, gender=zh_gender(word), look=entry.look, kind=kind))
                continue
            # 狗 after 流浪狗: the stray dog again, said shorter (one look all film), unless two could be meant
            same = [p for p in cast.people.values() if p.kind == kind and p.name.endswith(" " + name)]
            one = singular(name) if entry.plural and being and not word.endswith("们") else ""
            if (
                one and not same
            ):  # 海鸥 after 一只受伤的海鸥: that one seagull, not a flock the dictionary's plural says
                same = [
                    p for p in cast.people.values() if p.kind == kind and not p.plural and p.name.split()[-1] == one
                ]
            if kind in ("person", "animal") or (not verbs and subject is None and kind != "food" and not ba and not to):
                if kind in ("person", "animal") and len(same) == 1:
                    person = cast.add(same[0])
                else:
                    person = cast.add(
                        Person(
                            name=name,
                            zh=word,
                            gender=entry.extras.get("gender") or zh_gender(word),  # 小红: a girl, by her name
                            look=coloured(entry.look, name),
                            plural=entry.plural,
                            kind=kind,
                            place=entry.extras.get("place", ""),
                        )
                    )
                if not verbs and subject is None:
                    subject = person
                    continue
                if not verbs and _with(subject, words, i):
                    subject = _together(subject, person)
                    continue
                ref = f"the {state} {person.name}" if state else person_ref(person)
            else:
                ref = (
                    f"{owner}{name}"
                    if owner
                    else (name if entry.plural or entry.mass or kind == "food" else indefinite(name))
                )
                owner = ""
                if kind == "thing" and "qty" not in entry.extras:
                    cast.last_thing = name
                if kind in ("thing", "food", "product"):
                    cast.mention(Person(name=name, zh=word, kind="thing", plural=entry.plural))
                    if verbs and not facts.thing and "'s " not in ref and not BODY.search(name):
                        facts.thing, facts.thing_zh = name, word  # 放风筝: the kite is what the scene is about
            prev = words[i - 1][1].kind if i > 0 else ""
            if ba and not owner and kind in ("thing", "food", "product") and not ref.startswith("the "):
                ref = f"the {name}"  # 把柿子: what 把 takes is known (the persimmons), not "persimmons"
            elif kind in ("thing", "food", "product") and not owner and known and _after_verb(words, i):
                ref = f"the {name}"
            # (爬上树把它取了下来: what 把 takes after a first verb is still the next verb's, not the tree's)
            target = toward if to else held if ba else verbs[-1][1] if verbs else things
            to = False
            if prev in ("thing", "food", "product") and target and kind in ("thing", "food", "product"):
                # "音乐" + "喷泉": one compound noun, a music fountain; a plural first noun is said as one
                # ("花" + "盆": a flower pot), and the article is the whole compound's
                first = re.sub(r"^(?:the|a|an) ", "", target[-1])
                said = f"{singular(first) if words[i - 1][1].plural else first} {entry.en}"
                article = re.match(r"^(?:the|a|an) ", target[-1])
                if article and article.group(0) == "the ":
                    target[-1] = f"the {said}"
                elif article or not (entry.plural or entry.mass or kind == "food"):
                    target[-1] = indefinite(said)
                else:
                    target[-1] = said
            else:
                target.append(ref)
            if "place" in entry.extras and not facts.setting and not cast.setting:
                facts.setting = entry.extras["place"]
        elif kind == "pron" and entry.en in ("he", "she", "they") and words[i + 1 : i + 2] and _kin(words[i + 1][0]):
            continue  # 他爸爸: his father, whose 他 names no one of its own
        elif kind == "pron":
            as_subject = not verbs and subject is None and not ba and not to
            if entry.extras.get("all"):
                person = cast.everyone(int(entry.extras["all"])) or cast.pair()
            elif entry.en in ("I", "we", "you"):  # 我/我们: the one telling it, filmed as a young person
                name = "young people" if entry.en == "we" else "young person"
                known = lex.en.get(name) or lex.en.get("young person")
                person = cast.people.get(name) or cast.add(
                    Person(name=name, zh=word, look=known.look if known else "", kind="person", plural=entry.en == "we")
                )
            else:
                # with no subject said yet, the clause is the last subject's (叼着它: the fox carries the apple)
                besides = pivot or (subject.name if subject else "" if as_subject else cast.last_subject)
                person = cast.refer(entry.en, besides=besides, as_subject=as_subject)
                if word in ("他们", "她们") and person is not None and person.kind not in ("person", "animal", "group"):
                    person = cast.pair() or person  # 她们躲在屋檐下: the girl and her grandmother, not the melons
            if person is None and entry.en in ("he", "she") and as_subject:
                # 她回到了村子 with no one named before: someone new, a woman (他: a man)
                name = "woman" if entry.en == "she" else "man"
                known = lex.en.get(name)
                person = cast.add(
                    Person(name=name, zh=word, look=known.look if known else "", kind="person", gender=name[0])
                )
            if person is None and entry.en == "they":
                person = cast.pair()  # 他们一起生活: the two people the story has just brought together
            if person is None and entry.en == "they" and as_subject and not cast.people:
                # 他们在城外露营 with no one named before: people, in frame (and followed by the added shots)
                known = lex.en.get("people")
                person = cast.add(Person(name="people", zh=word, look=known.look if known else "", plural=True))
            if person is None and entry.en not in ("it",):
                person = cast.people.get(cast.last_subject) or cast.main
            if as_subject:
                subject = person
            elif person is not None:
                cast.mention(person)
                (toward if to else held if ba else verbs[-1][1] if verbs else things).append(person_ref(person))
            to = False
        elif kind == "verb" and word in ("有", "有着") and verbs:
            continue  # 看见远处有一盏灯: sees a lamp in the distance (the 有 only says it is there)
        elif kind == "verb":
            if verbs and not verbs[-1][1] and verbs[-1][0].en in ("go to", "come to"):
                verbs.pop()  # "去看": go and look → look
            if not pivot and verbs and verbs[-1][0].en == "wait for" and verbs[-1][1]:
                # 等爸爸来接他: the father comes and picks him up; the one waiting does not
                pivot = next((n for n in cast.people if verbs[-1][1][-1] == person_ref(cast.people[n])), "")
            if pivot:
                entry = entry.model_copy(update={"extras": {**entry.extras, "pivot": pivot}})
            if held:  # "把情书藏在盒里": hide the letter in the box
                entry = entry.model_copy(update={"extras": {**entry.extras, "held": held[-1]}})
                verb, _, prep = entry.en.rpartition(" ")
                if "{obj}" in entry.en:  # "把它带回家": carry the bird home
                    entry = entry.model_copy(update={"en": entry.en.replace("{obj}", " and ".join(held))})
                elif prep in ("in", "on", "into", "to", "at", "for", "home", "back", "away") and verb:
                    entry = entry.model_copy(update={"en": f"{verb} {' and '.join(held)} {prep}"})
                elif entry.en in _GIVE_TO:  # 把柿子分给孩子们: shares the persimmons with the children
                    entry = entry.model_copy(update={"en": f"{entry.en} {' and '.join(held)} {_GIVE_TO[entry.en]}"})
                else:
                    entry = entry.model_copy(update={"en": f"{entry.en} {' and '.join(held)}"})
                held = []
            ba = False
            if tool:
                entry = entry.model_copy(update={"extras": {**entry.extras, "with": tool}})
                tool = ""
            if negate:
                entry = entry.model_copy(update={"extras": {**entry.extras, "not": "1"}})
                negate = False
            if verbs and not verbs[-1][1] and verbs[-1][0].en in ("begin", "start") and not held:
                entry = entry.model_copy(update={"en": f"{verbs.pop()[0].en} to {entry.en}"})  # 开始弹: begin to play
            if benefit and toward:
                entry = entry.model_copy(update={"extras": {**entry.extras, "for": toward[-1]}})
                toward, benefit = [], False
            verbs.append((entry, toward))
            toward = []
            # what a verb with its own object names, its verb word left out ("taste" is no thing tasted)
            # and only its object, right after it ("carries in its mouth" names no mouth it carries)
            said = entry.en.partition(" ")[2]
            made = lex.find_en(said, ("food", "thing")) if "{obj}" not in entry.en else []
            made = [m for m in made if not set(said[: m[2]].split()) & (PREPOSITIONS | {"its", "his", "her", "their"})]
            if made and not entry.extras.get("held"):  # 包粽子: the dumplings are named (尝了一个 is one of them)
                cast.mention(Person(name=made[0][0].en, zh=made[0][0].zh, kind="thing", plural=made[0][0].plural))
                facts.thing, facts.thing_zh = facts.thing or made[0][0].en, facts.thing_zh or made[0][0].zh
            if subject is None and "agent" in entry.extras:
                agent = lex.en.get(entry.extras["agent"])
                subject = cast.add(Person(name=entry.extras["agent"], look=agent.look if agent else "", kind="person"))
            if "place" in entry.extras and not facts.setting and GOING_HOME.search(entry.en):
                # 笑着回家: on the way, the home is where it ends
                facts.setting, facts.prep, facts.setting_zh = "road home", "on", "回家的路上"
            elif "place" in entry.extras and not facts.setting:
                known = lex.en.get(entry.extras["place"])  # 钓鱼: on the riverbank (the place's own preposition)
                facts.setting, facts.prep = entry.extras["place"], known.extras.get("prep", "in") if known else "in"
    if subject is None and existential and verbs and verbs[0][1]:
        thing = re.sub(r"^(?:a|an|the)\s+", "", verbs[0][1].pop(0))
        # 山脚下住着一个樵夫: the woodcutter lives there (a person named this way is the story's)
        subject = cast.people.get(thing) or Person(
            name=thing, kind="thing", plural=thing.endswith("s") and not thing.endswith("ss")
        )
    if (
        weathers
        and verbs
        and re.match(r"^(start|begin|fall|blow|come|rain|snow|pour)", verbs[0][0].en)
        and all(re.sub(r"^an? ", "", o) in weathers for o in verbs[0][1])
    ):
        # 突然下起了大雪: heavy snow starts falling (no one in the clause does it)
        subject = Person(name=weathers[0], kind="weather", plural=False)
        verbs[0] = (verbs[0][0], [])
    if subject is None and verbs and facts.time and _time_first(words) and _ARRIVING.match(verbs[0][0].en):
        subject = Person(name=facts.time, kind="thing")  # "清晨终于来了": the morning itself arrives
    if subject is None and verbs:
        # the last clause's subject carries on; the first being named only if it ever was a subject (看大熊猫，吃火锅:
        # the panda was looked at, so it does not go on to eat hotpot), and never the one this clause acts on
        subject = (
            cast.last_group  # 他们在冰上凿了一个洞。等了很久: both of them wait, not the first alone
            if cast.last_group is not None and all(m in cast.people for m in cast.last_group.members)
            else cast.people.get(cast.last_subject)
        ) or (cast.main if cast.main is not None and cast.main.name not in cast.seen_only else None)
        if subject is not None and person_ref(subject) in {o for _entry, objects in verbs for o in objects}:
            cast.seen_only.append(subject.name)  # 看大熊猫 (a travel stop): the panda is looked at, not looking
            subject = None
    if adjectives:  # "零糖零卡": qualities with no noun after them are what the shot shows
        (verbs[-1][1] if verbs else things).append(" ".join(adjectives))
    if not verbs and not things and subject is None and (facts.season or facts.time):
        things.append(" ".join(w for w in (facts.season, facts.time) if w))  # "适合夏天的午后": a summer afternoon
    facts.action_zh = _short_action(words)
    shade = next((s for s in spots if s.startswith("under ")), "")
    if shade and verbs and verbs[-1][0].en.endswith("in the shade"):
        # 在树下乘凉: rests in the shade of the tree (not "in the shade under the tree")
        verbs[-1] = (verbs[-1][0].model_copy(update={"en": f"{verbs[-1][0].en} of {shade[6:]}"}), verbs[-1][1])
        spots = [s for s in spots if s != shade]
    return finish(facts, cast, subject, verbs, things, advs + spots)
