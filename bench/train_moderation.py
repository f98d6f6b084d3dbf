"""Build the semantic layer's data (models/safety/data/semantic.npz) from the labelled set.

Run: python bench/train_moderation.py [--cache FILE]   (deterministic: same set, same embedder -> same file;
     --cache keeps the embeddings in FILE between runs, for trying variants quickly)

- train + dev splits together are the labelled examples. Thresholds are calibrated by grouped 5-fold
  cross-validation over them: each text is scored by a model built from the other four folds (a text and
  its translation share a group, so a text never meets its own translation), which is how an unseen text
  is scored. With 48 dev texts for seven thresholds the old dev-only calibration over-fitted.
- The rule engine's verdict is part of the calibration: the budget of benign texts blocked counts the
  union of rules and semantic layer, as the studio runs them.
- Nearest-neighbour scorers (k harmful and k_benign benign neighbours) are measured on the
  cross-validated scores and printed; the one that blocks the most harmful texts within the benign budget
  is kept. A linear model (multinomial, or binary harmful-vs-benign by Adam) was measured on the same
  folds and blocked far fewer (57 % and 64 % at the same budget), so it is no longer a candidate;
  semantic.py still reads such a file.
- the test split is never read here (bench/moderation.py reports on it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.embedder import MAX_CHARS, E5Embedder  # noqa: E402
from models.safety.rules import RulesCheck, default_allow, default_rules  # noqa: E402
from models.safety.semantic import HAS_CJK, MODEL_FILE, knn_scores, pieces, readable  # noqa: E402
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


def embed(embedder: E5Embedder, texts: list[str], cache: Path | None) -> np.ndarray:
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


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    embedder = E5Embedder()
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
    x = embed(embedder, texts_all, args.cache)
    rules = RulesCheck()
    rules.update(Policy(rules=default_rules(), allow=default_allow()))
    ruled = np.array([rules.check_many({"t": t}).action == "block" for t in texts_all])
    for t in [t for t, r, st in zip(texts_all, ruled, studio, strict=True) if r and st]:
        print(f"  a storyboard sentence the rules block: {t}")
    print(f"{len(texts)} labelled texts (train + dev), {len(extra)} storyboard sentences; "
          f"rules alone block {ruled[y_all > 0].mean():.1%} harmful, {ruled[(y_all == 0) & ~studio & counted].mean():.1%} "
          f"benign")  # fmt: skip

    # Thresholds are calibrated per category and script: Chinese and Latin-script texts score apart
    # (measured, k=5: 90.9 % of harmful blocked with one set, 92.6 % with two, same benign budget).
    zh = np.array([bool(HAS_CJK.search(t)) for t in texts_all])
    n = len(CLASSES)
    labels = np.where((y_all > 0) & zh, y_all + n - 1, y_all)
    candidates = []
    for k in (3, 5, 10):
        for kb in (1, k):

            def knn(xt, yt, xq, k=k, kb=kb):
                return knn_scores(xq, xt, yt, len(CLASSES), k, kb)

            s = by_script(cross_scores(x, y_all, fold, knn), zh)
            t = calibrate(s, labels, ruled, studio, counted)
            recall, fp, sfp = evaluate(s, labels, ruled, studio, counted, t)
            candidates.append((recall, -fp, -sfp, "knn", (k, kb), t))
            print(f"knn k={k} k_benign={kb}: cv harmful blocked {recall:.1%}, benign {fp:.1%}, storyboard {sfp:.1%}")
    recall, neg_fp, _, method, params, thresholds = max(candidates, key=lambda c: c[:3])
    print(f"kept: {method} {params}, cv harmful blocked {recall:.1%}, benign blocked {-neg_fp:.1%}")
    thresholds = np.stack([thresholds[:n], np.concatenate([[np.inf], thresholds[n:]])])  # rows: Latin, Chinese
    for row, script in enumerate(("latin", "chinese")):
        print(
            f"thresholds ({script}): " + ", ".join(f"{c} {thresholds[row, i]:.3f}" for i, c in enumerate(CLASSES) if i)
        )
    w, b = np.zeros((len(CLASSES), x.shape[1]), np.float32), np.zeros(len(CLASSES), np.float32)
    np.savez_compressed(
        MODEL_FILE,
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
    print(f"wrote {MODEL_FILE.relative_to(Path.cwd()) if MODEL_FILE.is_relative_to(Path.cwd()) else MODEL_FILE}")


if __name__ == "__main__":
    main()
