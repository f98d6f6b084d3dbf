"""Benchmark (issue 7): check a 10,000-character storyboard against 5,000 rules; goal under 10 ms per check.

Run: python bench/moderation.py   (prints figures, asserts nothing; not collected by pytest)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.moderation import Moderator, Rule, default_allow, default_rules

RULE_COUNT = 5_000
TEXT_CHARS = 10_000
REPEATS = 200
GOAL_MS = 10.0

# Common characters, so generated Chinese rules share prefixes with real text (the automaton does real work).
ZH_POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
EN_SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "zen",
    "tal",
    "vor",
    "qui",
    "bex",
    "lun",
    "dra",
    "pho",
    "sti",
    "gle",
    "wan",
    "yth",
]

ZH_SENTENCES = [
    "清晨的阳光洒在小镇的石板路上，主角推着自行车走过面包店。",
    "镜头缓缓拉远，海浪拍打着礁石，远处传来汽笛声。",
    "两位老朋友在茶馆里聊起当年拍电影的趣事，笑声不断。",
    "夜幕降临，城市的霓虹灯一盏盏亮起，雨滴落在车窗上。",
    "主角打开一封旧信，信里夹着一张泛黄的全家福。",
    "孩子们在操场上放风筝，老师站在一旁微笑着看着他们。",
    "画面切换到山顶，云海翻涌，旁白讲述这座山的传说。",
    "厨房里，奶奶正在包饺子，窗外的雪越下越大。",
]
EN_SENTENCES = [
    "The camera pans across a quiet harbour as fishing boats return at dawn.",
    "Scene 4: the detective reviews old case files under a flickering desk lamp.",
    "Two knights cross swords on the castle bridge while the crowd cheers below.",
    "Narration: every summer the village gathers to celebrate the harvest festival.",
    "Close-up of a grandmother's hands kneading dough on a flour-dusted table.",
    "The heroine boards the night train, clutching a map drawn by her late father.",
    "Wide shot of the desert; a lone rider appears on the horizon at sunset.",
    "The class assistant hands out grape juice before the school play begins.",
]


def make_rules(rng: random.Random) -> list[Rule]:
    rules = default_rules()
    seen = {r.pattern for r in rules}
    while len(rules) < RULE_COUNT:
        if len(rules) % 2:
            words = ["".join(rng.choices(EN_SYLLABLES, k=rng.randint(2, 3))) for _ in range(rng.randint(1, 2))]
            pattern, lang = " ".join(words), "en"
        else:
            pattern, lang = "".join(rng.choices(ZH_POOL, k=rng.randint(3, 4))), "zh"
        if pattern not in seen:
            seen.add(pattern)
            action = "warn" if rng.random() < 0.3 else "block"
            rules.append(Rule(category="generated", pattern=pattern, action=action, language=lang))
    return rules


def make_storyboard(rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    scene = 1
    while size < TEXT_CHARS:
        line = f"[Scene {scene}] " + rng.choice(ZH_SENTENCES) + " " + rng.choice(EN_SENTENCES) + "\n"
        parts.append(line)
        size += len(line)
        scene += 1
    return "".join(parts)[:TEXT_CHARS]


def time_checks(moderator: Moderator, text: str) -> list[float]:
    moderator.check(text)  # warm-up: fills the per-character fold tables and the lazy automaton transitions
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        moderator.check(text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    rng = random.Random(7)
    rules = make_rules(rng)
    text = make_storyboard(rng)

    start = time.perf_counter()
    moderator = Moderator(rules, default_allow())
    compile_ms = (time.perf_counter() - start) * 1000
    print(f"rules: {len(rules)}   automaton states: {moderator.automaton_size}   compile: {compile_ms:.0f} ms")

    start = time.perf_counter()
    verdict = moderator.check(text)
    cold_ms = (time.perf_counter() - start) * 1000
    print(
        f"storyboard: {len(text)} chars, verdict {verdict.action} ({len(verdict.matches)} matches), "
        f"first (cold) check {cold_ms:.1f} ms"
    )
    samples = time_checks(moderator, text)
    median = statistics.median(samples)
    p95 = sorted(samples)[int(0.95 * len(samples)) - 1]
    verdict_word = "meets" if median < GOAL_MS else "MISSES"
    print(f"check: median {median:.2f} ms, p95 {p95:.2f} ms over {REPEATS} runs")
    print(f"goal < {GOAL_MS:.0f} ms: {verdict_word}")

    # Same storyboard with 20 evasive violations spliced in, to show the cost of reporting matches.
    bad = ["製造炸彈", "p i p e b o m b", "ｃｈｉｌｄ ｐｏｒｎ", "自-杀-方-法", "h0w t0 k1ll mys3lf"]
    pieces = [f"{text[i : i + 500]} {bad[(i // 500) % len(bad)]} " for i in range(0, len(text), 500)]
    dirty = "".join(pieces)[:TEXT_CHARS]
    verdict = moderator.check(dirty)
    samples = time_checks(moderator, dirty)
    print(
        f"with violations: verdict {verdict.action} ({len(verdict.matches)} matches), "
        f"median {statistics.median(samples):.2f} ms"
    )


if __name__ == "__main__":
    main()
