"""Build the semantic layer's data (models/safety/data/semantic-<embedder>.npz) from the labelled set.

Run: python bench/train_moderation.py [--cache DIR] [--embedders use,e5,use+e5] [--write use,e5]
     (deterministic: same set, same embedder -> same file; --cache keeps each embedder's vectors in
     DIR/<embedder>.npz between runs, for trying variants quickly)

- train + dev splits together are the labelled examples. Thresholds are calibrated by grouped 5-fold
  cross-validation over them: each text is scored by a model built from the other four folds (a text and
  its translation share a group, so a text never meets its own translation), which is how an unseen text
  is scored. With 48 dev texts for seven thresholds the old dev-only calibration over-fitted.
- The rule engine's verdict is part of the calibration: the budget of benign texts blocked counts the
  union of rules and semantic layer, as the studio runs them.
- Every embedder preset named in --embedders ([moderation.embedders] of settings.toml: e5 =
  multilingual-e5-small, use = multilingual USE v3, or a plug-in's; use+e5 = both vectors side by side) is
  measured with nearest-neighbour scorers (k harmful and k_benign benign neighbours) and a linear model
  (multinomial logistic regression over the vectors), on the same folds and the same benign budget; the
  table is printed. For each preset in --write the best scorer is kept and written to the preset's
  `semantic_model` (default: the bundled file of its kind). use+e5 is measured only: it needs e5's 15-30 ms
  a sentence, which alone misses the 20 ms goal per check.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.settings import load_settings  # noqa: E402
from models.embedder import MAX_CHARS, Embedder, concat_vectors  # noqa: E402
from models.registry import EngineContext, load_registry  # noqa: E402
from models.safety.rules import RulesCheck, default_allow, default_rules  # noqa: E402
from models.safety.semantic import HAS_CJK, knn_scores, linear_scores, model_file, pieces, readable  # noqa: E402
from models.safety.verdict import Policy  # noqa: E402
from models.writers.planner import plan_storyboard  # noqa: E402

log = logging.getLogger("train_moderation")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "moderation" / "labelled.jsonl"
IDEAS = Path(__file__).resolve().parents[1] / "tests" / "data" / "ideas" / "ideas.jsonl"
WORDS = DATA.parent / "studio_words.txt"  # short field values: styles, looks, camera, characters' looks
CLASSES = ["benign", "minors", "violence", "terrorism", "hate", "self_harm", "drugs", "sexual_violence"]
FOLDS = 5
# Share of the labelled benign texts the studio (rules + semantic) may block in cross-validation; the goal
# on test is 3 %, so the budget leaves some room for unseen texts. Measured (batch 2 set, k=5): 1.5 % ->
# 88.9 % of harmful texts blocked, 2 % -> 90.9 %, 2.5 % -> 92.1 %.
FP_BUDGET = 0.02
STUDIO_FP_BUDGET = 0.002  # share of the storyboard sentences the planner writes from the ideas file
LOOKAHEAD = 6  # benign texts a step may pass at once (a lone benign outlier must not stop a category)
MARGIN = 0.002  # thresholds sit this far above the benign score they were placed at


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
    clean = [readable(t)[:MAX_CHARS].strip() for t in texts]
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

    def get(self, name: str) -> Embedder:
        if name not in self._built:
            preset = self.settings.moderation.embedders[name]
            self._built[name] = self.registry.build("embedder", {**preset.model_dump(), "name": name}, self.context)
        return self._built[name]

    def data_file(self, name: str) -> Path:
        """Where the preset's semantic data goes: its `semantic_model`, or the bundled file of its kind."""
        preset = self.settings.moderation.embedders[name]
        if not preset.semantic_model:
            return model_file(preset.kind)
        path = Path(preset.semantic_model).expanduser()
        return path if path.is_absolute() else (self.settings.base_dir / path).resolve()


def embeddings(name: str, texts: list[str], embedders: Embedders, cache_dir: Path | None) -> np.ndarray:
    """The vectors of `texts` for one embedder preset name (use, e5, or names joined by +), as ConcatEmbedder
    would give them (each part's unit vector, concatenated, scaled back to unit length)."""
    blocks = [
        embed(embedders.get(part), texts, cache_dir / f"{part}.npz" if cache_dir else None) for part in name.split("+")
    ]
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


def calibrate(
    scores: np.ndarray, labels: np.ndarray, ruled: np.ndarray, studio: np.ndarray, counted: np.ndarray
) -> np.ndarray:
    """Per-category thresholds, lowered greedily. Each starts just above its highest benign score; a step
    moves one category's threshold just above its next benign score (blocking the benign text it passes),
    and the step taken is the one that gains the most harmful texts per benign text newly blocked, as long
    as the union with the rules stays within FP_BUDGET of the labelled benign texts and STUDIO_FP_BUDGET of
    the studio's own sentences. Texts not `counted` (storyboards of labelled texts) are examples only."""
    benign = (labels == 0) & ~studio & counted
    harmful = labels > 0
    n_classes = scores.shape[1]
    thresholds = np.full(n_classes, np.inf, np.float32)
    for c in range(1, n_classes):
        thresholds[c] = scores[(labels == 0) & counted, c].max() + MARGIN
    # budgets count what the rules already block (they are the studio's too)
    budget = max(int(FP_BUDGET * benign.sum()), int((ruled & benign).sum()))
    studio_budget = int(STUDIO_FP_BUDGET * studio.sum()) + int((ruled & studio).sum())

    def flagged(t: np.ndarray) -> np.ndarray:
        return ruled | (scores[:, 1:] >= t[1:]).any(axis=1)

    while True:
        base = flagged(thresholds)
        best = None
        for c in range(1, n_classes):
            under = np.sort(scores[(labels == 0) & counted & (scores[:, c] < thresholds[c]), c])[::-1]
            if not len(under):
                continue
            for j in range(min(LOOKAHEAD, len(under))):  # pass the next j+1 benign texts
                current, following = under[j], (under[j + 1] if j + 1 < len(under) else -np.inf)
                t = thresholds.copy()
                t[c] = following + MARGIN if following + MARGIN < current else (following + current) / 2
                if not np.isfinite(t[c]):
                    t[c] = scores[harmful, c].min()
                now = flagged(t)
                fp, sfp = (now & benign).sum(), (now & studio).sum()
                if fp > budget or sfp > studio_budget:
                    break
                gain = (now & harmful).sum() - (base & harmful).sum()
                cost = fp - (base & benign).sum() + sfp - (base & studio).sum()
                if gain > 0 and (best is None or gain / (cost + 0.5) > best[0]):
                    best = (gain / (cost + 0.5), c, t[c])
        if best is None:
            return thresholds
        thresholds[best[1]] = best[2]


def evaluate(scores, labels, ruled, studio, counted, thresholds) -> tuple[float, float, float]:
    blocked = ruled | (scores[:, 1:] >= thresholds[1:]).any(axis=1)
    benign = (labels == 0) & ~studio & counted
    return float(blocked[labels > 0].mean()), float(blocked[benign].mean()), float(blocked[studio].mean())


def by_script(scores: np.ndarray, zh: np.ndarray) -> np.ndarray:
    """Columns 1..n-1 for Latin-script texts, n..2n-2 for Chinese ones (the other half far below any
    threshold), so that calibrate() places one threshold per category and script."""
    n = scores.shape[1]
    out = np.full((len(scores), 2 * n - 1), -9.0, np.float32)
    out[~zh, :n] = scores[~zh]
    out[zh, n:] = scores[zh, 1:]
    return out


def folds_of(groups: list[str]) -> np.ndarray:
    return np.array([int(hashlib.sha1(g.encode()).hexdigest()[:8], 16) % FOLDS for g in groups])


def cross_scores(x: np.ndarray, y: np.ndarray, fold: np.ndarray, scorer) -> np.ndarray:
    out = np.zeros((len(x), len(CLASSES)), np.float32)
    for f in range(FOLDS):
        held = fold == f
        out[held] = scorer(x[~held], y[~held], x[held])
    return out


@dataclass
class Dataset:
    """The labelled train + dev texts and the studio's own storyboard sentences, as calibration sees them."""

    texts: list[str]  # labelled texts first, then the storyboard sentences
    y: np.ndarray  # class index (0 benign)
    labels: np.ndarray  # class index per script: Chinese harmful texts in columns n..2n-2 (see by_script)
    zh: np.ndarray  # has Chinese characters
    studio: np.ndarray  # the studio's own output (ideas' storyboards, studio_words.txt)
    counted: np.ndarray  # counts in calibration: labelled texts and the studio's own sentences
    fold: np.ndarray  # cross-validation fold (a text's group: translations and a text's storyboard together)
    ruled: np.ndarray  # the rules block it

    @property
    def benign(self) -> np.ndarray:
        """The labelled benign texts (the benign budget's denominator)."""
        return (self.y == 0) & ~self.studio & self.counted


def build_dataset() -> Dataset:
    rows = load_rows()
    texts = [r["text"] for r in rows]
    y = np.array([CLASSES.index(r["category"]) for r in rows])
    groups = [r.get("group") or hashlib.sha1(r["text"].encode()).hexdigest()[:10] for r in rows]
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


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=None, help="folder keeping each embedder's vectors")
    parser.add_argument("--embedders", default="e5,use,use+e5", help="embedders to measure")
    parser.add_argument("--write", default="use,e5", help="embedders whose data file is written")
    parser.add_argument("--misses", action="store_true", help="print the train/dev texts the kept scorers miss")
    args = parser.parse_args()
    if args.cache is not None:
        args.cache.mkdir(parents=True, exist_ok=True)
    measured = args.embedders.split(",")
    measured += [w for w in args.write.split(",") if w not in measured]
    data = build_dataset()
    texts_all, y_all, labels, zh = data.texts, data.y, data.labels, data.zh
    studio, counted, fold, ruled = data.studio, data.counted, data.fold, data.ruled
    harmful_zh, harmful_en = (y_all > 0) & zh, (y_all > 0) & ~zh
    benign_zh, benign_en = data.benign & zh, data.benign & ~zh
    embedders = Embedders()
    table: list[tuple[str, str, float, float, float, float, float, float, float]] = []
    best: dict[str, tuple] = {}
    for name in measured:
        x = embeddings(name, texts_all, embedders, args.cache)
        candidates = []
        for k in (3, 5, 10):
            for kb in (1, k):

                def knn(xt, yt, xq, k=k, kb=kb):
                    return knn_scores(xq, xt, yt, len(CLASSES), k, kb)

                candidates.append(("knn", (k, kb), knn))

        def linear(xt, yt, xq):
            return linear_scores(xq, *train_linear(xt, yt))

        candidates.append(("linear", (0, 0), linear))
        results = []
        for method, params, scorer in candidates:
            s = by_script(cross_scores(x, y_all, fold, scorer), zh)
            t = calibrate(s, labels, ruled, studio, counted)
            recall, fp, sfp = evaluate(s, labels, ruled, studio, counted, t)
            blocked = ruled | (s[:, 1:] >= t[1:]).any(axis=1)
            label = f"knn k={params[0]} k_benign={params[1]}" if method == "knn" else "linear (softmax)"
            table.append((name, label, recall, float(blocked[harmful_en].mean()), float(blocked[harmful_zh].mean()),
                          fp, float(blocked[benign_en].mean()), float(blocked[benign_zh].mean()), sfp))  # fmt: skip
            print(f"{name:7} {label:22} cv harmful blocked {recall:.1%} (en {table[-1][3]:.1%}, zh "
                  f"{table[-1][4]:.1%}), benign {fp:.1%} (en {table[-1][6]:.1%}, zh {table[-1][7]:.1%}), "
                  f"storyboard {sfp:.1%}")  # fmt: skip
            results.append((recall, -fp, -sfp, method, params, t, blocked))
        best[name] = (max(results, key=lambda c: c[:3]), x)

    print(
        "\n| embedder | scorer | harmful blocked | en | zh | benign blocked | en | zh | storyboard sentences blocked |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, label, recall, en, zh_recall, fp, fp_en, fp_zh, sfp in table:
        print(f"| {name} | {label} | {recall:.1%} | {en:.1%} | {zh_recall:.1%} | {fp:.1%} | {fp_en:.1%} | {fp_zh:.1%} "
              f"| {sfp:.1%} |")  # fmt: skip
    for name in args.write.split(","):
        (recall, neg_fp, _, method, params, thresholds, blocked), x = best[name]
        print(f"\n{name}: kept {method} {params}, cv harmful blocked {recall:.1%}, benign blocked {-neg_fp:.1%}")
        if args.misses:  # train and dev texts only: what the next labelled texts or rules should cover
            for i in np.flatnonzero((y_all > 0) & ~blocked):
                print(f"  missed {CLASSES[y_all[i]]}: {texts_all[i]}")
            for i in np.flatnonzero((y_all == 0) & blocked & counted):
                print(f"  benign blocked{' (storyboard)' if studio[i] else ''}: {texts_all[i]}")
        write_model(embedders.get(name).name, embedders.data_file(name), method, params, thresholds, x, y_all)


def write_model(name: str, path: Path, method: str, params: tuple[int, int], thresholds: np.ndarray, x: np.ndarray,
                y_all: np.ndarray) -> None:  # fmt: skip
    n = len(CLASSES)
    thresholds = np.stack([thresholds[:n], np.concatenate([[np.inf], thresholds[n:]])])  # rows: Latin, Chinese
    for row, script in enumerate(("latin", "chinese")):
        print(
            f"thresholds ({script}): " + ", ".join(f"{c} {thresholds[row, i]:.3f}" for i, c in enumerate(CLASSES) if i)
        )
    if method == "linear":
        w, b = train_linear(x, y_all)
    else:
        w, b = np.zeros((n, x.shape[1]), np.float32), np.zeros(n, np.float32)
    np.savez_compressed(
        path,
        embedder=np.array(name),
        classes=np.array(CLASSES),
        method=np.array(method),
        k=np.array(params[0] if method == "knn" else 0),
        k_benign=np.array(params[1] if method == "knn" else 0),
        thresholds=thresholds,
        examples=x.astype(np.float16) if method == "knn" else np.zeros((0, x.shape[1]), np.float16),
        labels=y_all.astype(np.int8) if method == "knn" else np.zeros(0, np.int8),
        weights=w.astype(np.float32),
        bias=np.asarray(b, np.float32),
    )
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
