"""Build the semantic layer's data (models/safety/data/semantic.npz) from the labelled set.

Run: python bench/train_moderation.py   (deterministic: same set, same embedder -> same file)

- train split: the labelled examples (nearest neighbours) or the training data (linear model);
- dev split: per-category thresholds, and the choice between the methods;
- the test split is never read here (bench/moderation.py reports on it).

Both methods are measured and printed; the one that blocks more harmful dev texts while keeping its dev
false positives within FP_BUDGET is kept (ties go to nearest neighbours: it takes admin examples in
directly and needs no training).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.embedder import MAX_CHARS, E5Embedder  # noqa: E402
from models.safety.semantic import MODEL_FILE, knn_scores, linear_scores, pieces, readable  # noqa: E402
from models.writers.planner import plan_storyboard  # noqa: E402

log = logging.getLogger("train_moderation")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "moderation" / "labelled.jsonl"
IDEAS = Path(__file__).resolve().parents[1] / "tests" / "data" / "ideas" / "ideas.jsonl"
CLASSES = ["benign", "minors", "violence", "terrorism", "hate", "self_harm", "drugs", "sexual_violence"]
FP_BUDGET = 0.0  # share of dev benign texts a category's threshold may block
MARGIN = {"knn": 0.005, "linear": 0.02}  # above the highest benign dev score


def load(split: str) -> tuple[list[str], np.ndarray]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["split"] == split]
    labels = np.array([CLASSES.index(r["category"]) for r in rows])
    return [r["text"] for r in rows], labels


def studio_texts(ideas: list[str]) -> list[str]:
    """Benign background: every sentence of the storyboards the planner writes from benign ideas (titles,
    the default style, camera directions, narration). The studio's own words must never look harmful."""
    out: list[str] = []
    for idea in ideas:
        board = plan_storyboard(idea)
        texts = [board.title, board.style] + [t for s in board.scenes for t in (s.description, s.narration)]
        out += [t[a:b].strip() for t in texts for a, b in pieces(t)]
    return sorted(set(out) - set(ideas))


def embed(embedder: E5Embedder, texts: list[str]) -> np.ndarray:
    return embedder.queries([readable(t)[:MAX_CHARS] for t in texts])


def train_linear(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 3000, lr: float = 2.0) -> tuple:
    """Multinomial logistic regression by full-batch gradient descent from zeros (deterministic)."""
    n, d = x.shape
    c = len(CLASSES)
    w, b = np.zeros((c, d), np.float64), np.zeros(c, np.float64)
    onehot = np.eye(c)[y]
    x64 = x.astype(np.float64)
    for _ in range(steps):
        p = linear_scores(x64, w, b)
        g = (p - onehot) / n
        w -= lr * (g.T @ x64 + l2 * w)
        b -= lr * g.sum(axis=0)
    return w.astype(np.float32), b.astype(np.float32)


def calibrate(scores: np.ndarray, labels: np.ndarray, margin: float) -> np.ndarray:
    """Per class, the lowest threshold that blocks at most FP_BUDGET of the benign dev texts."""
    thresholds = np.full(len(CLASSES), np.inf, np.float32)
    benign = scores[labels == 0]
    allowed = int(FP_BUDGET * len(benign))
    for c in range(1, len(CLASSES)):
        ordered = np.sort(benign[:, c])[::-1]
        thresholds[c] = ordered[allowed] + margin
    return thresholds


def evaluate(scores: np.ndarray, labels: np.ndarray, thresholds: np.ndarray) -> tuple[float, float]:
    blocked = (scores[:, 1:] >= thresholds[1:]).any(axis=1)
    harmful = labels > 0
    return float(blocked[harmful].mean()), float(blocked[~harmful].mean())


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    embedder = E5Embedder()
    train_texts, y_train = load("train")
    dev_texts, y_dev = load("dev")
    # The planner's storyboards of benign ideas join their split as benign texts (the ideas file, which no
    # split holds, joins train).
    idea_file = [json.loads(line)["idea"] for line in IDEAS.read_text(encoding="utf-8").splitlines() if line.strip()]
    extra_train = studio_texts(idea_file + [t for t, y in zip(train_texts, y_train, strict=True) if y == 0])
    extra_dev = studio_texts([t for t, y in zip(dev_texts, y_dev, strict=True) if y == 0])
    train_texts, y_train = train_texts + extra_train, np.concatenate([y_train, np.zeros(len(extra_train), int)])
    dev_texts, y_dev = dev_texts + extra_dev, np.concatenate([y_dev, np.zeros(len(extra_dev), int)])
    x_train, x_dev = embed(embedder, train_texts), embed(embedder, dev_texts)
    print(f"train {len(train_texts)} texts ({len(extra_train)} from storyboards), "
          f"dev {len(dev_texts)} texts ({len(extra_dev)} from storyboards)")  # fmt: skip

    candidates = []
    for k in (1, 3, 5):
        s = knn_scores(x_dev, x_train, y_train, len(CLASSES), k)
        t = calibrate(s, y_dev, MARGIN["knn"])
        recall, fp = evaluate(s, y_dev, t)
        candidates.append((recall, -fp, 1, "knn", k, t, None))
        print(f"knn k={k}: dev harmful blocked {recall:.1%}, benign blocked {fp:.1%}")
    for l2 in (1e-4, 1e-3, 1e-2):
        w, b = train_linear(x_train, y_train, l2)
        s = linear_scores(x_dev, w, b)
        t = calibrate(s, y_dev, MARGIN["linear"])
        recall, fp = evaluate(s, y_dev, t)
        candidates.append((recall, -fp, 0, "linear", l2, t, (w, b)))
        print(f"linear l2={l2:g}: dev harmful blocked {recall:.1%}, benign blocked {fp:.1%}")

    recall, neg_fp, _, method, param, thresholds, wb = max(candidates, key=lambda c: c[:3])
    print(f"kept: {method} ({param:g}), dev harmful blocked {recall:.1%}, benign blocked {-neg_fp:.1%}")
    print("thresholds: " + ", ".join(f"{c} {thresholds[i]:.3f}" for i, c in enumerate(CLASSES) if i))
    w, b = wb if wb is not None else (np.zeros((len(CLASSES), x_train.shape[1]), np.float32), np.zeros(len(CLASSES)))
    np.savez_compressed(
        MODEL_FILE,
        classes=np.array(CLASSES),
        method=np.array(method),
        k=np.array(int(param) if method == "knn" else 0),
        thresholds=thresholds,
        examples=x_train.astype(np.float16) if method == "knn" else np.zeros((0, x_train.shape[1]), np.float16),
        labels=y_train.astype(np.int8) if method == "knn" else np.zeros(0, np.int8),
        weights=w.astype(np.float32),
        bias=np.asarray(b, np.float32),
    )
    print(f"wrote {MODEL_FILE.relative_to(Path.cwd()) if MODEL_FILE.is_relative_to(Path.cwd()) else MODEL_FILE}")


if __name__ == "__main__":
    main()
