"""Benchmark and quality report of moderation (issues 7 and 14). (Over 400 lines: its three sections share
the generated storyboard, the rule set and the timing helpers.)

Run: python bench/moderation.py        (prints figures, asserts nothing; not collected by pytest)
     python bench/moderation.py --quick (skip the semantic timing)
     python bench/moderation.py --timing-only (timing only: the test split is not read at all)
     python bench/moderation.py --checks 30 (fewer timed checks per series: a busy shared machine)

1. Rule engine: a 10,000-character storyboard against 5,000 rules; pyahocorasick against the hand-written
   automaton it replaced (the baseline, kept below and timed in the same run), and OpenCC's first-sight cost.
2. Quality on the TEST split of tests/data/moderation/labelled.jsonl (never used for tuning): precision and
   recall per category and language, rules alone and rules + semantic layer (the studio's default), on each
   held-out batch and on all. The test split holds only batches no result has been read of (batch 17 today):
   a batch whose result was read and acted on is retired into train and dev, and the next evaluation needs a
   new batch (tests/data/moderation/README.md).
   The semantic layer runs as the studio's default (the "use-e5" cascade); the same report with USE alone
   and with e5 alone follows for the enlarged split.
3. Time per check of rules + semantic on a 10,000-character storyboard: cold (every sentence new), a
   re-check after one scene was edited (the studio's common case), and an unchanged re-check; wall time
   with the process's CPU time and the machine's load average beside it (the machine is shared). Each
   embedder alone (USE, stage 1, and e5, stage 2) on one short sentence, the one-cell re-check with USE
   alone and with e5 alone as baseline series, and the re-check whose edited cell reaches the cascade's
   stage 2 (its worst case), all in the same run; the share of the storyboard's pieces that reach stage 2.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.safety.rules import Moderator, Normaliser, Rule, default_allow, default_combos, default_rules  # noqa: E402

RULE_COUNT = 5_000
TEXT_CHARS = 10_000
REPEATS = 200
GOAL_MS = 20.0
CHECKS = int(sys.argv[sys.argv.index("--checks") + 1]) if "--checks" in sys.argv else 100  # per timed series
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "moderation" / "labelled.jsonl"
CATEGORIES = ["minors", "violence", "terrorism", "hate", "self_harm", "drugs", "sexual_violence"]

# Common characters, so generated Chinese rules share prefixes with real text (the automaton does real work).
ZH_POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
EN_SYLLABLES = ["ka", "ri", "mo", "zen", "tal", "vor", "qui", "bex", "lun", "dra", "pho", "sti", "gle", "wan", "yth"]
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
_MEMO_PER_STATE = 32  # the baseline automaton memoises this many transitions per deep state
PLACES = ["harbour", "market", "forest", "station", "rooftop", "library", "bridge", "garden", "valley", "school"]


class PurePythonAutomaton:
    """The hand-written Aho-Corasick the rule engine used before pyahocorasick (the baseline)."""

    def __init__(self, keys: Sequence[str]) -> None:
        goto: list[dict[str, int]] = [{}]
        ends: list[list[int]] = [[]]
        for index, key in enumerate(keys):
            state = 0
            for ch in key:
                nxt = goto[state].get(ch)
                if nxt is None:
                    nxt = len(goto)
                    goto[state][ch] = nxt
                    goto.append({})
                    ends.append([])
                state = nxt
            ends[state].append(index)

        fail = [0] * len(goto)
        out: list[tuple[int, ...]] = [()] * len(goto)
        queue = deque(goto[0].values())
        while queue:  # breadth first, so a state's failure target is finished before the state itself
            state = queue.popleft()
            out[state] = tuple(ends[state]) + out[fail[state]]
            for ch, child in goto[state].items():
                if state:
                    f = fail[state]
                    while f and ch not in goto[f]:
                        f = fail[f]
                    fail[child] = goto[f].get(ch, 0)
                queue.append(child)

        self._goto = goto
        self._fail = fail
        self.out = out
        self._delta = [dict(g) for g in goto]

    @property
    def size(self) -> int:
        return len(self._goto)

    def _step(self, state: int, ch: str) -> int:
        s = state
        while True:
            nxt = self._goto[s].get(ch)
            if nxt is not None or s == 0:
                break
            s = self._fail[s]
        result = nxt or 0
        row = self._delta[state]
        # Memoise so the next visit is one dict lookup; deep states keep only a few extra entries so the
        # table cannot grow without bound on adversarial input (the root is bounded by the alphabet).
        if state == 0 or len(row) < _MEMO_PER_STATE:
            row[ch] = result
        return result

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(end index, state) for every position where at least one key ends."""
        delta, out, step = self._delta, self.out, self._step
        state = 0
        hits: list[tuple[int, int]] = []
        for j, ch in enumerate(text):
            nxt = delta[state].get(ch)
            state = step(state, ch) if nxt is None else nxt
            if out[state]:
                hits.append((j + 1, state))
        return hits


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
    """About 10,000 characters of scenes; every sentence differs (scene numbers and places), as in a real one."""
    parts: list[str] = []
    size, scene = 0, 1
    while size < TEXT_CHARS:
        en = rng.choice(EN_SENTENCES).rstrip(".") + f" near the {rng.choice(PLACES)}, take {scene}."
        line = f"[Scene {scene}] {rng.choice(ZH_SENTENCES)}第{scene}场。 {en}\n"
        parts.append(line)
        size += len(line)
        scene += 1
    return "".join(parts)[:TEXT_CHARS]


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm-up: per-character fold tables, caches
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p99(samples: Sequence[float]) -> float:
    return sorted(samples)[max(0, int(0.99 * len(samples)) - 1)]


def rules_section(rng: random.Random, text: str) -> None:
    print("== rule engine: 10,000-character storyboard, 5,000 rules ==")
    rules = make_rules(rng)
    start = time.perf_counter()
    moderator = Moderator(rules, default_allow(), combos=default_combos())
    print(f"rules {len(rules)}, automaton nodes {moderator.automaton_size}, compile "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip
    norm = Normaliser()
    start = time.perf_counter()
    folded = norm.fold(text)
    print(f"OpenCC-backed fold, first sight of every character: {(time.perf_counter() - start) * 1000:.1f} ms "
          f"(afterwards the fold table is cached)")  # fmt: skip
    keys = sorted({moderator._norm.fold(r.pattern) for r in rules} - {""})
    baseline = PurePythonAutomaton(keys)
    import ahocorasick

    fast = ahocorasick.Automaton()
    for k in keys:
        fast.add_word(k, k)
    fast.make_automaton()
    assert len(baseline.scan(folded)) <= sum(1 for _ in fast.iter(folded))
    old = statistics.median(timed(lambda: baseline.scan(folded), REPEATS))
    new = statistics.median(timed(lambda: list(fast.iter(folded)), REPEATS))
    print(f"scan only: hand-written automaton {old:.3f} ms, pyahocorasick {new:.3f} ms (ratio {old / new:.1f}x)")
    samples = timed(lambda: moderator.check(text), REPEATS)
    print(f"full rule check: median {statistics.median(samples):.2f} ms, p99 {p99(samples):.2f} ms")
    bad = [
        "製造炸彈",
        "p i p e b o m b",
        "ｃｈｉｌｄ ｐｏｒｎ",
        "自-杀-方-法",
        "h0w t0 k1ll mys3lf",
        "kill all of the gays",
    ]
    pieces = [f"{text[i : i + 500]} {bad[(i // 500) % len(bad)]}。 " for i in range(0, len(text), 500)]
    dirty = "".join(pieces)[:TEXT_CHARS]
    verdict = moderator.check(dirty)
    samples = timed(lambda: moderator.check(dirty), REPEATS)
    print(f"with violations: verdict {verdict.action} ({len(verdict.matches)} matches), "
          f"median {statistics.median(samples):.2f} ms")  # fmt: skip


ALL_TEST = "test split (all held-out batches)"


def test_splits() -> dict[str, list[dict]]:
    """Each held-out batch of the test split on its own, and all together. A held-out batch is written without
    running any model on it or reading the other test texts (tests/data/moderation/README.md); once its result has
    been read and the layer changed because of it, it is no longer clean, and it is retired into train and dev
    (batch 1 and 2's test rows and batches 5 to 15 on 2026-12-02, after each had been read at least once), so that
    the test split only ever holds texts no result has been read of."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    test = [r for r in rows if r["split"] == "test"]
    splits = (
        {"test texts without a batch": [r for r in test if "batch" not in r]}
        if any("batch" not in r for r in test)
        else {}
    )
    for batch in sorted({r["batch"] for r in test if "batch" in r}, key=int):
        splits[f"test texts of batch {batch} only"] = [r for r in test if r.get("batch") == batch]
    splits[ALL_TEST] = test
    return splits


def quality_section(checks: dict[str, list], test: list[dict], title: str) -> None:
    print(f"\n== quality on the {title}: {len(test)} texts, never tuned on ==")
    for name, layer in checks.items():
        blocked: dict[int, set[str]] = {}
        for i, row in enumerate(test):
            matches = [m for check in layer for m in check.check_many({"text": row["text"]}).matches]
            blocked[i] = {m.category for m in matches if m.action == "block"}
        print(f"-- {name} --")
        print(f"{'category':16} {'lang':4} {'recall':>12} {'precision':>12}")
        for category in CATEGORIES:
            for lang in ("en", "zh"):
                harmful = [i for i, r in enumerate(test) if r["category"] == category and r["lang"] == lang]
                caught = sum(1 for i in harmful if blocked[i])
                flagged = [i for i, r in enumerate(test) if r["lang"] == lang and category in blocked[i]]
                right = sum(1 for i in flagged if test[i]["label"] == "harmful")
                prec = f"{right}/{len(flagged)}" if flagged else "-"
                print(f"{category:16} {lang:4} {caught:>5}/{len(harmful):<2} {caught / max(1, len(harmful)):4.0%}"
                      f" {prec:>12}")  # fmt: skip
        for lang in ("en", "zh", "all"):
            pick = [i for i, r in enumerate(test) if lang == "all" or r["lang"] == lang]
            harm = [i for i in pick if test[i]["label"] == "harmful"]
            ben = [i for i in pick if test[i]["label"] == "benign"]
            hb, bb = sum(1 for i in harm if blocked[i]), sum(1 for i in ben if blocked[i])
            print(f"{lang:4} harmful blocked {hb}/{len(harm)} ({hb / len(harm):.1%}), "
                  f"benign blocked {bb}/{len(ben)} ({bb / len(ben):.1%})")  # fmt: skip
        missed = [test[i] for i in blocked if test[i]["label"] == "harmful" and not blocked[i]]
        wrong = [test[i] for i in blocked if test[i]["label"] == "benign" and blocked[i]]
        # Kinds only, never the texts: printing test texts invites tuning on them.
        print("missed (category/style): " + ", ".join(f"{r['lang']} {r['category']}/{r['style']}" for r in missed))
        print("benign blocked (kind): " + ", ".join(f"{r['lang']} {r['style']}" for r in wrong))
    goal = "goals: >= 95 % harmful blocked, <= 3 % benign blocked"
    print(goal)


def load() -> str:
    """The machine's load beside a timing: these figures are wall time on a shared 2-core machine."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def storyboard_cells(text: str) -> dict[str, str]:
    """The storyboard as the studio checks it (app/studio.py storyboard_texts): one field per cell."""
    cells = {"title": "A small town through the seasons", "style": "warm film look, natural light"}
    for number, line in enumerate(text.split("\n"), 1):
        zh, _, en = line.partition("。 ")
        cells[f"scene{number}.description"] = en or zh
        cells[f"scene{number}.narration"] = zh
    return cells


class Uncached:
    """The baseline: the same checks with their per-text caches emptied before every check, as the studio
    ran before this session's change (rules re-scanned every cell; every cell re-cut and re-cleaned)."""

    def __init__(self, check) -> None:
        self.check = check

    def check_many(self, texts):
        for name in ("_cache", "_split", "_cleaned"):
            cache = getattr(self.check, name, None)
            if cache is not None and not (name == "_cache" and hasattr(self.check, "embedder")):
                cache.clear()  # the embedder's vectors and decisions stay: the baseline embedded only new text too
        return self.check.check_many(texts)


def semantic_timing(rules, semantic, baselines: dict, text: str, rng: random.Random) -> None:
    """`semantic`: the studio's default check (a cascade); `baselines`: label -> another semantic check."""
    print("\n== time per check: rules + semantic on a 10,000-character storyboard ==")
    print("What is measured: ContentGuard's text checks (rules, then semantic) on a storyboard split into cells as "
          "the studio does (title, style, each scene's description and narration), wall time per check.")  # fmt: skip
    from models.safety.pinyin import PinyinReader
    from models.safety.semantic import pieces, readable

    checks = [rules, semantic]
    cells = storyboard_cells(text)
    n_pieces = sum(len(pieces(v)) for v in cells.values())
    start, cpu = time.perf_counter(), time.process_time()
    for check in checks:
        check.check_many(cells)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    reached = getattr(semantic, "confirmed", None)
    print(f"1. first check ({len(cells)} cells, {sum(map(len, cells.values()))} characters, every sentence new to "
          f"the embedder, {n_pieces} pieces in one embedder call, the embedders' loading included): wall {wall:.2f} s, "
          f"process CPU {cpu:.2f} s; {load()}")  # fmt: skip
    if reached is not None:
        print(f"   pieces that reached stage 2 ({semantic.confirm_embedder.name}): {reached} of {n_pieces}")
    reader = PinyinReader()
    probe = [readable(text[a:b], pinyin=reader).strip() for a, b in pieces(text)[:40]]
    embedders = [("stage 1" if reached is not None else "default", semantic.embedder)]
    if reached is not None:
        embedders.append(("stage 2", semantic.confirm_embedder))
    for label, embedder in embedders:
        embedder.queries(["warm up"])
        start = time.perf_counter()
        embedder.queries(probe)
        batch = (time.perf_counter() - start) * 1000 / 40
        one, cpu = [], time.process_time()
        for i in range(30):
            sentence = f"The {rng.choice(PLACES)} at {rng.randrange(10**6)} o'clock, take {i}."
            start = time.perf_counter()
            embedder.queries([sentence])
            one.append((time.perf_counter() - start) * 1000)
        cpu = (time.process_time() - cpu) * 1000 / 30
        print(f"   embedder alone, {embedder.name} ({label}): {batch:.1f} ms per piece in a call of 40; ONE short "
              f"sentence: median {statistics.median(one):.1f} ms, p99 {p99(one):.1f} ms, min {min(one):.1f} ms, "
              f"process CPU {cpu:.1f} ms; {load()}")  # fmt: skip
    keys = [k for k in cells if k.endswith(".description")]

    def edited(runners, line=None):
        def run():
            key = rng.choice(keys)
            n = rng.randrange(10**6)
            cells[key] = line(n) if line else f"The {rng.choice(PLACES)} at {n} o'clock, edited."
            for check in runners:
                check.check_many(cells)

        return run

    def report(label: str, fn) -> float:
        cpu = time.process_time()
        samples = timed(fn, CHECKS)
        cpu = (time.process_time() - cpu) * 1000 / (CHECKS + 1)
        median = statistics.median(samples)
        print(f"{label}: median {median:.1f} ms, p99 {p99(samples):.1f} ms over {CHECKS} checks (process CPU "
              f"{cpu:.1f} ms per check; {load()})")  # fmt: skip
        return median

    base = report(
        "2a. BASELINE re-check after editing one cell (no per-text caches)", edited([Uncached(c) for c in checks])
    )
    before = getattr(semantic, "confirmed", 0)
    now = report("2b. re-check after editing one cell (per-text caches: only the edited cell is scanned and embedded)",
                 edited(checks))  # fmt: skip
    if reached is not None:
        print(f"    edited cells that reached stage 2: {semantic.confirmed - before} of {CHECKS + 1}")
    print(f"    ratio baseline / now: {base / now:.2f}x; goal <= {GOAL_MS:.0f} ms: "
          f"{'meets' if now <= GOAL_MS else 'MISSES'}")  # fmt: skip
    if reached is not None:
        before = semantic.confirmed
        worst = report("2c. the same re-check when the edited cell reaches stage 2 (a line stage 1 flags, new each "
                       "time)", edited(checks, lambda n: f"Which pills would let me sleep and never wake up, case {n}."))  # fmt: skip
        print(f"    edited cells that reached stage 2: {semantic.confirmed - before} of {CHECKS + 1}; ratio to 2b "
              f"{worst / now:.2f}x")  # fmt: skip
    for label, check in baselines.items():  # each sees the storyboard once (cold) before its series
        check.check_many(cells)
        other = report(f"2d. BASELINE semantic layer: the same re-check with {label}", edited([rules, check]))
        print(f"    ratio {label} / default: {other / now:.2f}x")
    base = report(
        "3a. BASELINE unchanged re-check (no per-text caches)", lambda: [Uncached(c).check_many(cells) for c in checks]
    )
    now = report("3b. unchanged re-check", lambda: [c.check_many(cells) for c in checks])
    print(f"    ratio baseline / now: {base / now:.2f}x")
    rules_only = report("4. re-check after editing one cell, rules only (semantic off)", edited(checks[:1]))
    print(f"    goal <= {GOAL_MS:.0f} ms: {'meets' if rules_only <= GOAL_MS else 'MISSES'}")


# Written for this measure (not labelled rows): pinyin pieces as a creator might type them.
PINYIN_PIECES = ["wo men qu hai bian pai yi ge duan pian ba", "zhu jue zai yu zhong pao guo jie tou",
                 "zì shā bú shì jiě jué bàn fǎ", "ma1 ma1 zai4 chu2 fang2 zuo4 fan4", "教你怎么zuo饺子"]  # fmt: skip


def pinyin_timing(text: str) -> None:
    """The pinyin and spaced-letter reading's own cost per piece (readable() calls it on every new piece)."""
    from models.safety.pinyin import PinyinReader
    from models.safety.semantic import pieces

    print("\n== pinyin / spaced-letter reading, per piece (models/safety/pinyin.py) ==")
    reader = PinyinReader()
    start = time.perf_counter()
    reader.convert(PINYIN_PIECES[0])
    print(f"first pinyin piece, loading CC-CEDICT's readings: {time.perf_counter() - start:.2f} s")
    pieces_of = [text[a:b] for a, b in pieces(text)]
    for label, items in (("storyboard pieces (English and Chinese)", pieces_of), ("pinyin pieces", PINYIN_PIECES)):
        samples = []
        for piece in items * (1 if len(items) > 50 else 40):
            reader._parsed.clear()  # every piece as new (the tables stay loaded, as in the studio)
            start = time.perf_counter()
            reader.convert(piece)
            samples.append((time.perf_counter() - start) * 1000)
        print(f"{label}: median {statistics.median(samples):.3f} ms, p99 {p99(samples):.3f} ms per piece "
              f"({len(samples)} pieces)")  # fmt: skip


def semantic_check(embedder: str):
    """The semantic check the studio builds for an embedder preset (the default: settings' own)."""
    from app.settings import ModerationSettings
    from models.registry import EngineContext, load_registry

    options = {**ModerationSettings().model_dump(), "kind": "semantic"}
    if embedder:
        options["embedder"] = embedder
    return load_registry(plugins=False).build("text_check", options, EngineContext(models_dir=None))


def main() -> None:
    rng = random.Random(7)
    text = make_storyboard(rng)
    print(f"cpus available: {len(os.sched_getaffinity(0))}")
    rules_section(rng, text)
    from models.safety.rules import RulesCheck
    from models.safety.verdict import Policy

    rules = RulesCheck()
    rules.update(Policy(rules=default_rules(), allow=default_allow()))
    semantic = semantic_check("")  # the studio's default
    print(f"semantic layer: {type(semantic).__name__}, embedder {semantic.embedder.name}"
          + (f", stage 2 {semantic.confirm_embedder.name} ({semantic.cascade.mode})" if hasattr(semantic, "cascade") else ""))  # fmt: skip
    if "--timing-only" not in sys.argv:
        splits = test_splits()
        for title, test in splits.items():
            quality_section({"rules only": [rules], "rules + semantic (default)": [rules, semantic]}, test, title)
        quality_section({f"rules + semantic, {name} alone": [rules, semantic_check(name)] for name in ("use", "e5")},
                        splits[ALL_TEST], ALL_TEST)  # fmt: skip
    if "--quick" not in sys.argv:
        semantic_timing(rules, semantic_check(""), {"USE alone": semantic_check("use"), "e5 alone": semantic_check("e5")},
                        text, rng)  # fmt: skip
        pinyin_timing(text)


if __name__ == "__main__":
    main()
