"""Build the semantic layer's data from the labelled set: models/safety/data/semantic-<kind>.npz per embedder
and cascade-<kind>-<kind>.npz per cascade preset. (Over 400 lines: the data set, the candidates and their
table, and the writers belong to one run; the calibration maths is in bench/moderation_cv.py.)

Run: python bench/train_moderation.py [--cache DIR] [--embedders use,e5,use+e5] [--cascades use-e5]
                                      [--write use,e5,use-e5] [--misses]
     (deterministic: same set, same embedders -> same files; --cache keeps each embedder's vectors in
     DIR/<kind>.npz between runs, for trying variants quickly)

- train + dev splits together are the labelled examples, with the planner's storyboard sentences as benign
  background. Each text is scored by a model built from the other four of five folds (a text, its
  translation and its storyboard share a group, hence a fold).
- Thresholds are placed on those scores (the rules' verdict counted: the benign budget is the union's) and
  measured twice: on the same scores ("cv"), and nested (placed on four folds' scores, measured on the
  fifth), which is what an unseen text meets; see bench/moderation_cv.py. Two ways to place them: one per
  category and script (budgets 1.5 % and 2 %), or one per script (the highest category margin; 2 % and 2.5 %).
- Every embedder preset in --embedders ([moderation.embedders] of settings.toml: use, e5, a plug-in's;
  use+e5 = both vectors side by side, measured only: it needs e5 on every sentence) is measured with
  nearest-neighbour scorers (k = 3, 5, 10) and a linear model (multinomial logistic regression). Every
  cascade preset (one with `confirm`, e.g. use-e5) is measured with stage 1 = its own embedder (k = 5, 10 or --screen-ks),
  stage 2 = the confirming embedder alone (k = 5, 10) or both side by side (k = 5, 10); the table prints the
  share of storyboard sentences that reach stage 2 (what the studio's speed depends on).
- For each preset in --write the scorer kept is the one blocking the most harmful texts in nested
  cross-validation among those blocking at most NESTED_FP_CAP of benign texts there; it is written to the
  preset's `semantic_model` (or `cascade_model`; default: the bundled file of its kind(s)). A cascade reads
  its two embedders' example vectors from their data files, so they are written in the same run. The line
  "best that meets the speed goal" names the best among --fast (USE alone and the cascade: e5 alone and
  use+e5 need e5's 15-30 ms on every sentence, bench/moderation.py).
- the test split is never read here (bench/moderation.py reports on it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import opencc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.settings import EmbedderPreset, load_settings  # noqa: E402
from models.embedder import MAX_CHARS, Embedder, concat_vectors  # noqa: E402
from models.registry import EngineContext, load_registry  # noqa: E402
from models.safety.pinyin import PinyinReader  # noqa: E402
from models.safety.rules import RulesCheck, default_allow, default_rules  # noqa: E402
from models.safety.semantic import (  # noqa: E402
    HAS_CJK,
    cascade_file,
    knn_scores,
    linear_scores,
    model_file,
    pieces,
    readable,
)
from models.safety.verdict import Policy  # noqa: E402
from models.writers.planner import plan_storyboard  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from moderation_cv import (  # noqa: E402
    CLASSES,
    FOLDS,
    NESTED_FP_CAP,
    Dataset,
    Figures,
    Plan,
    apply,
    by_script,
    cross_scores,
    fit,
    nested,
)

log = logging.getLogger("train_moderation")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "moderation" / "labelled.jsonl"
IDEAS = Path(__file__).resolve().parents[1] / "tests" / "data" / "ideas" / "ideas.jsonl"
WORDS = DATA.parent / "studio_words.txt"  # short field values: styles, looks, camera, characters' looks
# An embedder preset's fields that are the semantic layer's, not options of the embedder itself.
SEMANTIC_FIELDS = ("label", "semantic_model", "example_similarity", "confirm", "cascade_model")


def load_rows() -> list[dict]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["split"] in ("train", "dev")]


def studio_texts(idea: str) -> list[str]:
    """Every sentence of the storyboard the planner writes from a benign idea (title, the default style,
    camera directions, narration): benign background, as the studio's own words must never look harmful."""
    board = plan_storyboard(idea)
    texts = [board.title, board.style] + [t for s in board.scenes for t in (s.description, s.narration)]
    return [t[a:b].strip() for t in texts for a, b in pieces(t)]


def embed(embedder: Embedder, texts: list[str], cache: Path | None) -> np.ndarray:
    t2s, reader = opencc.OpenCC("t2s"), PinyinReader()  # one of each: their tables load once
    clean = [readable(t, t2s, reader)[:MAX_CHARS].strip() for t in texts]
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted(set(clean) - set(known))
    if missing:
        known.update(zip(missing, embedder.queries(missing), strict=True))
        if cache is not None:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[c] for c in clean]).astype(np.float32)


class Embedders:
    """The embedders by preset name, built as the studio builds them: the preset in [moderation.embedders]
    of settings.toml, its kind from the registry (plug-ins included), so a new embedder is trained with no
    edit here. Each is built once per run."""

    def __init__(self) -> None:
        self.settings = load_settings()
        self.registry = load_registry()
        self.context = EngineContext(self.settings.models_dir, base_dir=self.settings.base_dir, registry=self.registry)
        self._built: dict[str, Embedder] = {}
        self._vectors: dict[str, np.ndarray] = {}

    def preset(self, name: str) -> EmbedderPreset:
        return self.settings.moderation.embedders[name]

    def get(self, name: str) -> Embedder:
        if name not in self._built:
            self._built[name] = self.registry.build("embedder", {**self.preset(name).model_dump(), "name": name},
                                                    self.context)  # fmt: skip
        return self._built[name]

    def key(self, name: str) -> str:
        """What decides the vectors: the kind and the options its factory reads (not the semantic layer's
        fields), so presets that embed alike (use, use-e5) share one set of vectors and one cache file."""
        options = self.preset(name).model_dump(exclude=set(SEMANTIC_FIELDS))
        kind = options.pop("kind")
        return kind if not options else f"{kind}-{hashlib.sha1(repr(sorted(options.items())).encode()).hexdigest()[:8]}"

    def vectors(self, name: str, texts: list[str], cache_dir: Path | None) -> np.ndarray:
        key = self.key(name)
        if key not in self._vectors:
            self._vectors[key] = embed(self.get(name), texts, cache_dir / f"{key}.npz" if cache_dir else None)
        return self._vectors[key]

    def _path(self, value: str, default: Path) -> Path:
        if not value:
            return default
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.settings.base_dir / path).resolve()

    def data_file(self, name: str) -> Path:
        """Where the preset's semantic data goes: its `semantic_model`, or the bundled file of its kind."""
        return self._path(self.preset(name).semantic_model, model_file(self.preset(name).kind))

    def cascade_file(self, name: str) -> Path:
        """Where a cascade preset's thresholds go: its `cascade_model`, or the bundled file of its kinds."""
        preset = self.preset(name)
        return self._path(preset.cascade_model, cascade_file(preset.kind, self.preset(preset.confirm).kind))


def embeddings(name: str, texts: list[str], embedders: Embedders, cache_dir: Path | None) -> np.ndarray:
    """The vectors of `texts` for one embedder preset name (use, e5, or names joined by +), as ConcatEmbedder
    would give them (each part's unit vector, concatenated, scaled back to unit length)."""
    blocks = [embedders.vectors(part, texts, cache_dir) for part in name.split("+")]
    return concat_vectors(blocks) if len(blocks) > 1 else blocks[0]


def train_linear(x: np.ndarray, y: np.ndarray, steps: int = 300, l2: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression over the vectors, classes weighted to balance (benign outnumbers each
    harmful class ~10:1), full-batch Adam. Deterministic (zero start)."""
    n_classes = len(CLASSES)
    weights = np.zeros((n_classes, x.shape[1]), np.float32)
    bias = np.zeros(n_classes, np.float32)
    counts = np.bincount(y, minlength=n_classes).astype(np.float32)
    sample_w = (len(y) / (n_classes * np.maximum(counts, 1)))[y]
    sample_w /= sample_w.sum()
    onehot = np.eye(n_classes, dtype=np.float32)[y]
    scale = 10.0  # unit vectors: logits need room (a cosine-sized dot product is too flat for softmax)
    m = [np.zeros_like(weights), np.zeros_like(bias)]
    v = [np.zeros_like(weights), np.zeros_like(bias)]
    lr, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        p = linear_scores(x, weights * scale, bias)
        err = (p - onehot) * sample_w[:, None]
        grads = [scale * err.T @ x + l2 * weights, err.sum(axis=0)]
        for i, (param, g) in enumerate(zip((weights, bias), grads, strict=True)):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            param -= lr * (m[i] / (1 - b1**step)) / (np.sqrt(v[i] / (1 - b2**step)) + 1e-8)
    return weights * scale, bias


def folds_of(groups: list[str], folds: int = FOLDS) -> np.ndarray:
    return np.array([int(hashlib.sha1(g.encode()).hexdigest()[:8], 16) % folds for g in groups])


def build_dataset(by_batch: bool = False) -> Dataset:
    """The labelled train/dev texts and the storyboard background. by_batch: one fold per batch of the labelled set
    (leave one batch out), the folds a text's storyboard sentences share; the others by hash among them."""
    rows = load_rows()
    texts = [r["text"] for r in rows]
    y = np.array([CLASSES.index(r["category"]) for r in rows])
    groups = [r.get("group") or hashlib.sha1(r["text"].encode()).hexdigest()[:10] for r in rows]
    batches = sorted({r.get("batch", "1") for r in rows}, key=int)
    # The planner's storyboards join as benign examples. Those of the benign labelled texts stay in their
    # source text's group (they repeat its words) and count for nothing in calibration; those of the
    # ideas file (tests/data/ideas, which no split holds) are the studio's own output, and so are the short
    # field values in studio_words.txt: calibration may block at most STUDIO_FP_BUDGET of them.
    ideas = [json.loads(line)["idea"] for line in IDEAS.read_text(encoding="utf-8").splitlines() if line.strip()]
    seen = set(texts)
    extra, extra_groups, extra_studio = [], [], []
    for idea in ideas:
        for sentence in studio_texts(idea):
            if sentence not in seen:
                seen.add(sentence)
                extra += [sentence]
                extra_groups += [hashlib.sha1(idea.encode()).hexdigest()[:10]]
                extra_studio += [True]
    words = [w.strip() for w in WORDS.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
    for word in words:
        if word not in seen:
            seen.add(word)
            extra += [word]
            extra_groups += [hashlib.sha1(word.encode()).hexdigest()[:10]]
            extra_studio += [True]
    for text, group, c in zip(texts, groups, y, strict=True):
        for sentence in studio_texts(text) if c == 0 else []:
            if sentence not in seen:
                seen.add(sentence)
                extra += [sentence]
                extra_groups += [group]
                extra_studio += [False]
    texts_all = texts + extra
    y_all = np.concatenate([y, np.zeros(len(extra), int)])
    studio = np.array([False] * len(texts) + extra_studio)
    counted = np.array([True] * len(texts) + extra_studio)  # labelled texts and the ideas' storyboards
    fold = folds_of(groups + extra_groups)
    if by_batch:
        # A batch was written by one author at one time, in its own wording: leaving it out is what a held-out test
        # batch meets (grouped folds mix every batch's wording into training and flatter the figures).
        batch_of = {g: batches.index(r.get("batch", "1")) for g, r in zip(groups, rows, strict=True)}
        fold = np.array([batch_of[g] if g in batch_of else f for g, f in
                         zip(groups + extra_groups, folds_of(groups + extra_groups, len(batches)), strict=True)])  # fmt: skip
    rules = RulesCheck()
    rules.update(Policy(rules=default_rules(), allow=default_allow()))
    ruled = np.array([rules.check_many({"t": t}).action == "block" for t in texts_all])
    for t in [t for t, r, st in zip(texts_all, ruled, studio, strict=True) if r and st]:
        print(f"  a storyboard sentence the rules block: {t}")
    print(f"{len(texts)} labelled texts (train + dev), {len(extra)} storyboard sentences; "
          f"rules alone block {ruled[y_all > 0].mean():.1%} harmful, {ruled[(y_all == 0) & ~studio & counted].mean():.1%} "
          f"benign")  # fmt: skip

    # Thresholds are calibrated per category and script: Chinese and Latin-script texts score apart
    # (measured, e5 k=5: 90.9 % of harmful blocked with one set, 92.6 % with two, same benign budget).
    zh = np.array([bool(HAS_CJK.search(t)) for t in texts_all])
    n = len(CLASSES)
    labels = np.where((y_all > 0) & zh, y_all + n - 1, y_all)
    return Dataset(texts_all, y_all, labels, zh, studio, counted, fold, ruled)


@dataclass
class Row:
    """One measured candidate: where it came from, how it scores, its thresholds and figures."""

    name: str  # embedder preset (or names joined by +), or a cascade preset
    scorer: str  # what the table prints
    plan: Plan
    figures: Figures  # thresholds placed on all cross-validated scores, measured on the same
    nested: Figures  # thresholds placed on four folds, measured on the fifth
    nested_blocked: np.ndarray
    keep: dict  # what write_model / write_cascade need

    @property
    def rank(self) -> tuple:
        n = self.nested
        return (n.benign <= NESTED_FP_CAP, n.harmful, -n.benign, self.figures.harmful)


def measure(name: str, scorer: str, plan: Plan, data: Dataset, second: np.ndarray, first: np.ndarray | None = None,
            **keep) -> Row:  # fmt: skip
    t1, t2 = fit(plan, data, second, first)
    blocked, reached = apply(data.ruled, second, t2, first, t1)
    nested_blocked, nested_reached = nested(plan, data, second, first)
    row = Row(name, scorer, plan, Figures.of(data, blocked, reached), Figures.of(data, nested_blocked, nested_reached),
              nested_blocked, {**keep, "thresholds": t2, "screen_thresholds": t1})  # fmt: skip
    f, n = row.figures, row.nested
    print(f"{name:8} {scorer:32} {plan.label:17} cv harmful {f.harmful:.1%} benign {f.benign:.1%} | nested harmful "
          f"{n.harmful:.1%} (en {n.harmful_en:.1%}, zh {n.harmful_zh:.1%}) benign {n.benign:.1%} (en "
          f"{n.benign_en:.1%}, zh {n.benign_zh:.1%})" + (f" | stage 2 reached by {f.reach_storyboard:.1%} of storyboard "
          f"sentences, {f.reach_benign:.1%} benign, {f.reach_harmful:.1%} harmful" if first is not None else ""))  # fmt: skip
    return row


def knn_cv(x: np.ndarray, data: Dataset, k: int) -> np.ndarray:
    return by_script(cross_scores(x, data.y, data.fold, lambda xt, yt, xq: knn_scores(xq, xt, yt, len(CLASSES), k, k)),
                     data.zh)  # fmt: skip


PLANS = (Plan(False, 0.015), Plan(False, 0.02), Plan(True, 0.02), Plan(True, 0.025))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=None, help="folder keeping each embedder's vectors")
    parser.add_argument("--embedders", default="e5,use,use+e5", help="embedders to measure")
    parser.add_argument("--cascades", default=None, help="cascade presets to measure (default: every preset "
                        "with a `confirm`)")  # fmt: skip
    parser.add_argument("--write", default="use,e5,use-e5", help="presets whose data file is written")
    parser.add_argument("--fast", default="use,use-e5", help="presets that meet the speed goal per check "
                        "(bench/moderation.py measures it)")  # fmt: skip
    parser.add_argument("--folds", choices=("group", "batch"), default="group",
                        help="cross-validation folds: by hash of each text's group (5), or one per labelled batch "
                        "(leave one batch out: what a new held-out batch meets)")  # fmt: skip
    parser.add_argument("--screen-ks", default="5,10", help="stage 1's neighbour counts measured for each cascade "
                        "(each cascade row costs a minute on 2 cores with ~6,000 labelled texts)")  # fmt: skip
    parser.add_argument("--misses", action="store_true",
                        help="print the train/dev texts the kept scorers miss in nested cross-validation")  # fmt: skip
    args = parser.parse_args()
    if args.cache is not None:
        args.cache.mkdir(parents=True, exist_ok=True)
    embedders = Embedders()
    presets = embedders.settings.moderation.embedders
    cascades = args.cascades.split(",") if args.cascades else [p for p in presets if presets[p].confirm]
    write = [w for w in args.write.split(",") if w]
    cascades += [w for w in write if presets[w].confirm and w not in cascades]
    measured = args.embedders.split(",")
    measured += [w for w in write if not presets[w].confirm and w not in measured]
    for name in cascades:  # a cascade reads its two parts' data files: they are written in the same run
        parts = {embedders.data_file(name), embedders.data_file(presets[name].confirm)}
        if name in write and not parts <= {embedders.data_file(w) for w in write if not presets[w].confirm}:
            parser.error(f"writing {name} needs its parts' data files written in the same run: add the presets of "
                         f"{', '.join(sorted(str(p) for p in parts))} to --write")  # fmt: skip
    data = build_dataset(by_batch=args.folds == "batch")
    rows: list[Row] = []
    scores: dict[tuple[str, int], np.ndarray] = {}
    for name in measured:
        x = embeddings(name, data.texts, embedders, args.cache)
        for k in (3, 5, 10):
            s = scores[embedders.key(name) if "+" not in name else name, k] = knn_cv(x, data, k)
            for plan in PLANS:
                rows.append(measure(name, f"knn k={k}", plan, data, s, method="knn", k=k, x=x))
        s = by_script(cross_scores(x, data.y, data.fold, lambda xt, yt, xq: linear_scores(xq, *train_linear(xt, yt))),
                      data.zh)  # fmt: skip
        rows.append(measure(name, "linear (softmax)", PLANS[0], data, s, method="linear", k=0, x=x))
    for name in cascades:
        confirm = presets[name].confirm
        x1 = embeddings(name, data.texts, embedders, args.cache)
        x2 = embeddings(confirm, data.texts, embedders, args.cache)
        both = concat_vectors([x1, x2])
        for k1 in (int(k) for k in args.screen_ks.split(",")):
            key = (embedders.key(name), k1)
            s1 = scores[key] if key in scores else knn_cv(x1, data, k1)
            for mode, x, ks in (("alone", x2, (5, 10)), ("concat", both, (5, 10))):
                for k in ks:
                    s2 = knn_cv(x, data, k)
                    for plan in PLANS:
                        label = f"k={k1} -> {confirm if mode == 'alone' else 'both'} k={k}"
                        rows.append(measure(name, label, plan, data, s2, s1, mode=mode, k=k, screen_k=k1))

    print(f"\nharmful / benign: share blocked (rules + semantic); nested: thresholds placed on four folds' scores, "
          f"measured on the fifth. Kept: the most harmful blocked in nested cross-validation among scorers blocking "
          f"at most {NESTED_FP_CAP:.1%} of benign texts there.\n")  # fmt: skip
    print("| embedder | scorer | thresholds | harmful | en | zh | benign | en | zh | storyboard | nested harmful | en "
          "| zh | nested benign | en | zh | storyboard reaching stage 2 |")  # fmt: skip
    print("|" + "---|" * 17)
    for r in rows:
        f, n = r.figures, r.nested
        reach = f"{f.reach_storyboard:.1%}" if "screen_k" in r.keep else ""
        print(f"| {r.name} | {r.scorer} | {r.plan.label} | {f.harmful:.1%} | {f.harmful_en:.1%} | {f.harmful_zh:.1%} "
              f"| {f.benign:.1%} | {f.benign_en:.1%} | {f.benign_zh:.1%} | {f.storyboard:.1%} | {n.harmful:.1%} "
              f"| {n.harmful_en:.1%} | {n.harmful_zh:.1%} | {n.benign:.1%} | {n.benign_en:.1%} | {n.benign_zh:.1%} "
              f"| {reach} |")  # fmt: skip
    best_fast = max((r for r in rows if r.name in args.fast.split(",")), key=lambda r: r.rank)
    print(f"\nbest that meets the speed goal (USE alone or a cascade): {best_fast.name} {best_fast.scorer} "
          f"{best_fast.plan.label}")  # fmt: skip
    if args.misses:
        print_misses(data, best_fast)
    rows_sha = fingerprint(data)
    for name in write:
        best = max((r for r in rows if r.name == name), key=lambda r: r.rank)
        n = best.nested
        print(f"\n{name}: kept {best.scorer}, {best.plan.label}: nested harmful {n.harmful:.1%}, benign {n.benign:.1%}")
        if args.misses:
            print_misses(data, best)
        if presets[name].confirm:
            write_cascade(embedders, name, best, rows_sha)
        else:
            write_model(embedders.get(name).name, embedders.data_file(name), best, data.y, rows_sha)


def print_misses(data: Dataset, row: Row) -> None:
    """Train and dev texts only, judged as unseen (nested): what the next labelled texts or rules should cover."""
    print(f"nested misses of {row.name} {row.scorer} {row.plan.label}:")
    for i in np.flatnonzero(data.harmful & ~row.nested_blocked):
        print(f"  missed {CLASSES[data.y[i]]}: {data.texts[i]}")
    for i in np.flatnonzero((data.y == 0) & row.nested_blocked & data.counted):
        print(f"  benign blocked{' (storyboard)' if data.studio[i] else ''}: {data.texts[i]}")


def fingerprint(data: Dataset) -> str:
    """Names the rows the data files hold: a cascade reads its two parts' examples by row."""
    return hashlib.sha1("\n".join(f"{t}\t{y}" for t, y in zip(data.texts, data.y, strict=True)).encode()).hexdigest()


def by_row(thresholds: np.ndarray) -> np.ndarray:
    """by_script thresholds as rows (Latin, Chinese) of per-class thresholds."""
    n = len(CLASSES)
    return np.stack([thresholds[:n], np.concatenate([[np.inf], thresholds[n:]])]).astype(np.float32)


def print_thresholds(label: str, thresholds: np.ndarray) -> None:
    for row, script in enumerate(("latin", "chinese")):
        print(f"{label} ({script}): " + ", ".join(f"{c} {thresholds[row, i]:.3f}" for i, c in enumerate(CLASSES) if i))


def write_model(name: str, path: Path, row: Row, y_all: np.ndarray, rows_sha: str) -> None:
    """The embedder's data: its labelled vectors (always: a cascade reads them), the kept scorer and its
    thresholds."""
    n, x, method, k = len(CLASSES), row.keep["x"], row.keep["method"], row.keep["k"]
    thresholds = by_row(row.keep["thresholds"])
    print_thresholds("thresholds", thresholds)
    if method == "linear":
        w, b = train_linear(x, y_all)
    else:
        w, b = np.zeros((n, x.shape[1]), np.float32), np.zeros(n, np.float32)
    np.savez_compressed(
        path,
        embedder=np.array(name),
        classes=np.array(CLASSES),
        method=np.array(method),
        k=np.array(k),
        k_benign=np.array(k),
        thresholds=thresholds,
        examples=x.astype(np.float16),
        labels=y_all.astype(np.int8),
        weights=w.astype(np.float32),
        bias=np.asarray(b, np.float32),
        rows=np.array(rows_sha),
    )
    print(f"wrote {shown(path)}")


def write_cascade(embedders: Embedders, name: str, row: Row, rows_sha: str) -> None:
    """A cascade's own data: stage 1's k and thresholds (over its part's examples), and stage 2's mode
    (the confirming embedder alone, or both side by side), k and thresholds."""
    preset = embedders.preset(name)
    thresholds, screen = by_row(row.keep["thresholds"]), by_row(row.keep["screen_thresholds"])
    print_thresholds("stage 1 thresholds", screen)
    print_thresholds("stage 2 thresholds", thresholds)
    path = embedders.cascade_file(name)
    np.savez_compressed(
        path,
        first=np.array(embedders.get(name).name),
        second=np.array(embedders.get(preset.confirm).name),
        classes=np.array(CLASSES),
        screen_k=np.array(row.keep["screen_k"]),
        screen_thresholds=screen,
        mode=np.array(row.keep["mode"]),
        k=np.array(row.keep["k"]),
        thresholds=thresholds,
        rows=np.array(rows_sha),
    )
    print(f"wrote {shown(path)}")


def shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


if __name__ == "__main__":
    main()
