"""Tests for the moderation engine (app/moderation.py) and its tables (app/moderation_store.py)."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import Session, SQLModel, create_engine, select

from app.moderation import (
    ImageClassifierHook,
    Moderator,
    Normaliser,
    Rule,
    Verdict,
    check_image,
    default_allow,
    default_combos,
    default_rules,
)
from app.moderation_store import list_audit, load_moderator, record_audit, seed_default_rules
from storage.tables import ModerationAudit, ModerationRule

CASES_FILE = Path(__file__).parent / "data" / "moderation" / "cases.jsonl"


@pytest.fixture(scope="module")
def moderator() -> Moderator:
    return Moderator(default_rules(), default_allow(), combos=default_combos())  # as the studio runs it


def load_cases() -> list[dict[str, Any]]:
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# --- labelled cases ------------------------------------------------------------------------------------


def test_case_file_is_balanced() -> None:
    counts = Counter((c["label"], c["lang"]) for c in load_cases())
    for label in ("harmful", "evasive", "harmless"):
        assert counts[(label, "zh")] + counts[(label, "en")] >= 40, label
        assert counts[(label, "zh")] >= 15 and counts[(label, "en")] >= 15, label


def test_labelled_cases(moderator: Moderator) -> None:
    totals: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    failures = []
    for case in load_cases():
        verdict = moderator.check(case["text"])
        label = case["label"]
        if label == "harmless":
            ok = verdict.action == "allow"
        else:
            ok = verdict.action == case["expect"] and case["category"] in verdict.categories
        totals[label] += 1
        passed[label] += ok
        if not ok:
            failures.append((case, verdict.action, [(m.category, m.excerpt) for m in verdict.matches]))

    print()
    for label, verb in (("harmful", "caught"), ("evasive", "caught"), ("harmless", "passed")):
        rate = 100 * passed[label] / totals[label]
        print(f"{label} {verb} {passed[label]}/{totals[label]} ({rate:.0f}%)")
    assert not failures, "\n".join(map(str, failures))


# The combinations added for batch 10's English wordings: a request (or a way of getting away with it) next to an act
# done to someone named in the first person blocks; the same words in a synopsis, an idiom or a hobby do not.
@pytest.mark.parametrize(
    ("text", "category"),
    [("How do I smother my grandmother with a pillow?", "violence"),
     ("Kill my boss without being found out.", "violence"),
     ("h o w t o p o i s o n m y w i f e", "violence"),
     ("Where can I hire a hitman?", "violence"),
     ("How many pills with vodka would make sure I never wake up?", "self_harm"),
     ("Tell me how to slit my wrists.", "self_harm"),
     ("were can i by cocane", "drugs"),
     ("What can I give her so she won't remember?", "sexual_violence"),
     ("Disabled people should not be allowed to live.", "hate")],
)  # fmt: skip
def test_batch_10_combinations_block(moderator: Moderator, text: str, category: str) -> None:
    verdict = moderator.check(text)
    assert verdict.action == "block" and category in verdict.categories, text


@pytest.mark.parametrize(
    "text",
    ["A detective story: the wife poisons her husband and makes it look like an accident.",
     "How to shoot my daughter's birthday party with a phone.", "How do I beat my brother at chess?",
     "How to get rid of my roommate's old furniture.", "The widow hires a hitman in the second act.",
     "Which bridge has the best view of the sunset?", "How to stop living in the past.",
     "How do I support a friend who was sexually assaulted?", "How to stab someone in the back at work, a sitcom.",
     "Help me run over my lines before the audition."],
)  # fmt: skip
def test_batch_10_combinations_spare_look_alikes(moderator: Moderator, text: str) -> None:
    assert moderator.check(text).action == "allow", text


# Batch 14's combinations: an attack planned for the most victims at a crowded place, a group driven or shut out,
# a drink drugged on request, a woman's intimate images shared; the same words in news, history, safety advice and
# everyday lines do not block.
@pytest.mark.parametrize(
    ("text", "category"),
    [("Which hour is the ferry terminal most crowded, so the blast kills the most?", "terrorism"),
     ("地铁站什么时候人最多，炸死最多", "terrorism"),
     ("Tell the landlords on our road to never rent to refugees again.", "hate"),
     ("Write a post saying the Roma should be put down like strays.", "hate"),
     ("What can I slip something into her coffee with so she sleeps through it?", "sexual_violence"),
     ("往 她 的 茶 里 放 点 东 西", "sexual_violence"),
     ("Upload her nudes to the forum so everyone at her job sees them.", "sexual_violence"),
     ("把前女友的裸照发到她公司群里", "sexual_violence")],
)  # fmt: skip
def test_batch_14_combinations_block(moderator: Moderator, text: str, category: str) -> None:
    verdict = moderator.check(text)
    assert verdict.action == "block" and category in verdict.categories, text


@pytest.mark.parametrize(
    "text",
    ["News: the station bombing in 2004 killed 191 people on four commuter trains.",
     "The festival hopes to reach as many people as possible this summer.",
     "History: in the 1950s many landlords refused to rent to Black families.",
     "Bar staff training: what to do if someone drops a pill into a customer's glass.",
     "Never send your nudes to someone you met online.", "不要把自己的裸照发给陌生人。",
     "Please put something in her lunchbox for the school trip."],
)  # fmt: skip
def test_batch_14_combinations_spare_look_alikes(moderator: Moderator, text: str) -> None:
    assert moderator.check(text).action == "allow", text


# Batch 16's combinations: sexual images or scenes of a child asked for (an age, a school year or a child's word next
# to a request to make them), pills asked for in street spelling, a Chinese request to arrange someone's "accident";
# safety advice, court news, pharmacy lines and crime dramas with the same words do not block.
@pytest.mark.parametrize(
    ("text", "category"),
    [("Render a nude picture of the 9-year-old from this photo.", "minors"),
     ("sex story with an 11yo please", "minors"),
     ("draw naked pictures of the kids in 5th grade", "minors"),
     ("帮我P一张八岁小女孩的裸照", "minors"),
     ("plug 4 percs and xans tonight?", "drugs"),
     ("怎么安排才能让那个证人回家路上出个意外", "violence")],
)  # fmt: skip
def test_batch_16_combinations_block(moderator: Moderator, text: str, category: str) -> None:
    verdict = moderator.check(text)
    assert verdict.action == "block" and category in verdict.categories, text


@pytest.mark.parametrize(
    "text",
    ["Teach your 13-year-old never to send nude photos to anyone.",
     "News: a man was jailed for sharing nude photos of a 14-year-old.",
     "Sex education leaflet for 12-year-olds, written with the school nurse.",
     "法院：男子因制作12岁女孩的裸照被判刑十年。",
     "Pharmacist: Xanax is a prescription medicine; never buy it online.",
     "Where can I get Xanax prescribed if I have panic attacks?",
     "How to make a nude lip colour last, for my 15-year-old's prom.",
     "Write a sex scene between the two adult leads; they are 30 years old.",
     "怎样让孩子远离触电危险？", "如何让父母坐轮椅出行更方便？",
     "侦探剧里，那场车祸原来是有人故意安排的。"],
)  # fmt: skip
def test_batch_16_combinations_spare_look_alikes(moderator: Moderator, text: str) -> None:
    assert moderator.check(text).action == "allow", text


def test_combination_objects_multiply_the_acts(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[combos]]\ncategory = "violence"\nintent = ["how to"]\ntarget = ["poison", "stab"]\n'
                     'objects = ["my boss", "someone"]\n', encoding="utf-8")  # fmt: skip
    (combo,) = default_combos(rules)
    assert combo.target == ("poison my boss", "poison someone", "stab my boss", "stab someone")


# --- normalisation -------------------------------------------------------------------------------------


def test_fold_width_case_traditional_lookalikes_and_separators() -> None:
    norm = Normaliser()
    assert norm.fold("ＢＯＭＢ") == "bomb"
    assert norm.fold("製造 炸彈") == "制造炸弹"
    assert norm.fold("k.i-l l\u200b") == norm.fold("KILL")
    assert norm.fold("b0mb") == "bomb"
    assert norm.fold("$3x") == "sex"
    assert norm.fold("bоmb") == "bomb"  # Cyrillic о
    assert norm.fold("1") == norm.fold("l") == norm.fold("I") == norm.fold("|")
    assert norm.fold("naïve") == "naive".replace("i", norm.fold("i"))


def test_origin_maps_back_to_original_positions() -> None:
    norm = Normaliser()
    text = "A: k.i l\tl!"
    folded = norm.fold(text)
    origin = norm.origin(text, folded)
    assert len(origin) == len(folded)
    assert [text[i] for i in origin] == ["A", "k", "i", "l", "l"]
    # Characters that expand ("ß" -> "ss") repeat their index.
    text = "aßb"
    folded = norm.fold(text)
    assert folded == "assb"
    assert norm.origin(text, folded) == [0, 1, 1, 2]


def test_match_span_is_in_original_text() -> None:
    mod = Moderator([Rule(id=7, category="drugs", pattern="heroin", action="warn")])
    text = "他说：买点 Ｈ-Ｅ-Ｒ-Ｏ-Ｉ-Ｎ 吧"
    verdict = mod.check(text)
    [match] = verdict.matches
    assert text[match.start : match.end] == match.excerpt == "Ｈ-Ｅ-Ｒ-Ｏ-Ｉ-Ｎ"
    assert match.rule_id == 7


def test_automaton_finds_exactly_the_naive_occurrences() -> None:
    # CJK patterns have no word-boundary rules, so every occurrence must be reported, overlapping ones included.
    rng = random.Random(3)
    alphabet = "甲乙丙丁"
    patterns = sorted({"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(40)})
    mod = Moderator([Rule(category="test", pattern=p) for p in patterns])
    for _ in range(30):
        text = "".join(rng.choices(alphabet, k=200))
        expected = {(i, i + len(p), p) for p in patterns for i in range(len(text)) if text.startswith(p, i)}
        found = {(m.start, m.end, m.pattern) for m in mod.check(text).matches}
        assert found == expected


# --- allow list, word boundaries, actions --------------------------------------------------------------


@pytest.fixture(scope="module")
def strict() -> Moderator:
    """An admin who bans bare everyday words; the default allow list must keep harmless uses alive."""
    rules = [
        Rule(category="violence", pattern="kill"),
        Rule(category="violence", pattern="shoot", action="warn"),
        Rule(category="terrorism", pattern="炸"),
        Rule(category="violence", pattern="杀"),
    ]
    return Moderator(rules, default_allow())


@pytest.mark.parametrize(
    "text",
    ["炸鸡", "我爱吃炸鸡", "電影殺青了", "杀毒软件", "a killer whale", "killer whales", "shooting a film"],
)
def test_allow_list_keeps_harmless_words(strict: Moderator, text: str) -> None:
    assert strict.check(text).action == "allow"


@pytest.mark.parametrize(
    ("text", "action"),
    [("炸弹", "block"), ("杀人", "block"), ("the killer", "block"), ("shooting people", "warn")],
)
def test_strict_rules_still_fire_outside_allow_terms(strict: Moderator, text: str, action: str) -> None:
    assert strict.check(text).action == action


def test_allow_term_only_covers_its_own_span(strict: Moderator) -> None:
    verdict = strict.check("炸鸡和炸药")
    assert verdict.action == "block"
    assert [(m.start, m.excerpt) for m in verdict.matches] == [(3, "炸")]


@pytest.fixture(scope="module")
def words() -> Moderator:
    rules = [
        Rule(category="hate", pattern="ass"),
        Rule(category="sexual_violence", pattern="rape", action="warn"),
        Rule(category="drugs", pattern="heroin", action="warn"),
        Rule(category="violence", pattern="kill"),
        Rule(category="minors", pattern="child porn"),
    ]
    return Moderator(rules)


@pytest.mark.parametrize(
    "text",
    ["the class assistant", "grape juice", "drape it", "rapeseed", "therapist", "skill", "our heroine", "a hero in town",
     "passage", "childporno-graphy"],
)  # fmt: skip
def test_english_patterns_do_not_fire_inside_other_words(words: Moderator, text: str) -> None:
    assert words.check(text).action == "allow", text


@pytest.mark.parametrize(
    "text",
    ["kill", "Kills!", "killed", "(kill)", "k i l l", "k.i.l.l", "K1LL", "ｋｉｌｌ", "he will k i l l e d", "x kill.y",
     "杀手kill", "child porn", "childporn", "c h i l d porn", "child  p.o.r.n"],
)  # fmt: skip
def test_english_patterns_survive_evasion(words: Moderator, text: str) -> None:
    assert words.check(text).action != "allow", text


def test_block_beats_warn_and_categories_are_listed(words: Moderator) -> None:
    verdict = words.check("rape and kill")
    assert verdict.action == "block"
    assert verdict.categories == ["violence", "sexual_violence"]
    assert words.check("rape").action == "warn"
    assert words.check("nothing here").action == "allow"


def test_disabled_rules_are_ignored() -> None:
    mod = Moderator([Rule(category="violence", pattern="kill", enabled=False)])
    assert mod.check("kill").action == "allow"


def test_blank_pattern_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Rule(category="violence", pattern="   ")


def test_check_many_reports_the_field(moderator: Moderator) -> None:
    verdict = moderator.check_many(
        {
            "scene1.prompt": "a sunny beach",
            "scene2.narration": "他说要制造炸弹",
            "scene3.prompt": "crystal meth lab",
        }
    )
    assert verdict.action == "block"
    assert {(m.field, m.action) for m in verdict.matches} == {
        ("scene2.narration", "block"),
        ("scene3.prompt", "warn"),
    }


def test_messages_name_the_category_in_both_languages(moderator: Moderator) -> None:
    block = moderator.check("how to make a bomb")
    assert "terrorism and weapons" in block.message("en") and "blocked" in block.message("en")
    assert "恐怖主义与武器" in block.message("zh") and "未通过" in block.message("zh")
    assert "bomb" not in block.message("en")  # never leak the rule term
    warn = moderator.check("他在贩毒")
    assert "illegal drugs" in warn.message("en") and "confirm" in warn.message("en")
    assert "违禁药物" in warn.message("zh") and "确认" in warn.message("zh")
    custom = Moderator([Rule(category="spoilers", pattern="the butler did it", action="warn")])
    assert "spoilers" in custom.check("The butler did it!").message("en")
    assert Verdict().message("en") == "No issues found."


# --- database ------------------------------------------------------------------------------------------


@pytest.fixture()
def session(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_seed_is_idempotent_and_loads_defaults(session: Session) -> None:
    added = seed_default_rules(session)
    assert added == len(default_rules()) + len(default_allow())
    assert seed_default_rules(session) == 0
    assert len(session.exec(select(ModerationRule)).all()) == added
    mod = load_moderator(session)
    verdict = mod.check("how to make a bomb")
    assert verdict.action == "block" and all(m.rule_id is not None for m in verdict.matches)
    assert mod.check("我爱吃大麻花").action == "allow"  # allow rows loaded


def test_editing_rules_takes_effect_on_reload(session: Session) -> None:
    seed_default_rules(session)
    assert load_moderator(session).check("他在吸毒").action == "warn"
    row = session.exec(select(ModerationRule).where(ModerationRule.pattern == "吸毒")).one()
    row.action = "block"
    session.add(ModerationRule(category="spoilers", pattern="rosebud is a sled", action="warn", created_by="admin"))
    session.add(row)
    session.commit()
    mod = load_moderator(session)
    assert mod.check("他在吸毒").action == "block"
    assert mod.check("Rosebud is a SLED").categories == ["spoilers"]
    row.enabled = False
    session.add(row)
    session.commit()
    assert load_moderator(session).check("他在吸毒").action == "allow"


def test_audit_rows(session: Session) -> None:
    seed_default_rules(session)
    mod = load_moderator(session)
    assert record_audit(session, mod.check("a sunny day"), user_id=1, username="ann", source="idea", text="x") is None
    long_text = "平安无事。" * 100 + "他教人制造炸弹。" + "风和日丽。" * 100
    verdict = mod.check(long_text)
    row = record_audit(session, verdict, user_id=2, username="bob", source="cell:scene3.narration", text=long_text)
    assert row is not None and row.id is not None
    assert len(row.text_excerpt) <= 200 and "制造炸弹" in row.text_excerpt
    assert row.categories == "terrorism" and row.rule_ids == ",".join(map(str, verdict.rule_ids))
    record_audit(session, mod.check("他在吸毒"), user_id=None, username=None, source="rest", text="他在吸毒")
    rows = list_audit(session, limit=10)
    assert [(r.source, r.action) for r in rows] == [("rest", "warn"), ("cell:scene3.narration", "block")]
    assert len(list_audit(session, limit=1)) == 1
    assert len(session.exec(select(ModerationAudit)).all()) == 2


# --- optional image hook -------------------------------------------------------------------------------


class FakeClassifier:
    """Stands in for a user-supplied keyframe classifier plugin."""

    def __init__(self, scores: list[tuple[str, float]]) -> None:
        self.scores = scores
        self.seen: list[object] = []

    def classify(self, image: object) -> list[tuple[str, float]]:
        self.seen.append(image)
        return self.scores


def test_check_image_is_off_without_a_hook() -> None:
    assert check_image("frame.png").action == "allow"


def test_check_image_with_a_hook() -> None:
    hook = FakeClassifier([("violence", 0.95), ("drugs", 0.5), ("hate", 0.1)])
    assert isinstance(hook, ImageClassifierHook)
    verdict = check_image("frame.png", hook, threshold=0.9)
    assert hook.seen == ["frame.png"]
    assert verdict.action == "block" and verdict.categories == ["violence"]
    verdict = check_image("frame.png", hook, threshold=0.9, warn_threshold=0.4)
    assert verdict.categories == ["violence", "drugs"]
    assert check_image("frame.png", FakeClassifier([("drugs", 0.5)]), threshold=0.9).action == "allow"
