"""Calibration maths of the semantic layer, used by bench/train_moderation.py: thresholds placed on
cross-validated scores, the cascade's stage-1 screen, and nested cross-validation, the measure to trust.

Why nested. Thresholds are placed on the same cross-validated scores they are then measured on. With one
threshold per category and script (14), each placed in a gap between benign scores, that measure flatters:
USE k=5 calibrated to 1.9 % of benign texts blocked blocked 5.1 % of the test split's benign texts. Nested
cross-validation places the thresholds on four folds' scores and measures them on the fifth, for each fold;
for the same USE k=5 it says 4.4 %, close to what the test split showed (measured 2026-12-01, this script).
With one threshold per script ("per script": a piece is flagged when its highest category margin reaches
it, the category reported is the highest), the nested figure stays near the calibration budget.

The cascade (stage 1 on every piece, stage 2 only on what stage 1 flags): stage 1's thresholds are lowered
until SCREEN_TARGET of the harmful texts are flagged by it (or blocked by the rules), at the least cost in
benign texts and storyboard sentences flagged; stage 2's are then calibrated as usual, over the texts stage 1
flags only (the others cannot be blocked by the semantic layer).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

CLASSES = ["benign", "minors", "violence", "terrorism", "hate", "self_harm", "drugs", "sexual_violence"]
FOLDS = 5
# Share of the labelled benign texts the studio (rules + semantic) may block in cross-validation; the goal
# on test is 3 %, so the budget leaves some room for unseen texts. Measured (batch 2 set, k=5): 1.5 % ->
# 88.9 % of harmful texts blocked, 2 % -> 90.9 %, 2.5 % -> 92.1 %.
FP_BUDGET = 0.02
STUDIO_FP_BUDGET = 0.002  # share of the storyboard sentences the planner writes from the ideas file
LOOKAHEAD = 6  # benign texts a step may pass at once (a lone benign outlier must not stop a category)
MARGIN = 0.002  # thresholds sit this far above the benign score they were placed at
SCREEN_TARGET = 0.99  # share of the harmful texts stage 1 must pass on to stage 2 (or the rules block)
# The kept scorer is the one blocking the most harmful texts in nested cross-validation among those that
# block at most this share of benign ones there (the test goal is 3 %; the rest is room for unseen texts).
NESTED_FP_CAP = 0.025
BELOW = -9.0  # a score no threshold reaches (a column of the other script; a piece stage 1 cleared)


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

    @property
    def harmful(self) -> np.ndarray:
        return self.y > 0

    def subset(self, mask: np.ndarray) -> Dataset:
        return replace(
            self,
            texts=[t for t, m in zip(self.texts, mask, strict=True) if m],
            **{f: getattr(self, f)[mask] for f in ("y", "labels", "zh", "studio", "counted", "fold", "ruled")},
        )


def by_script(scores: np.ndarray, zh: np.ndarray) -> np.ndarray:
    """Columns 1..n-1 for Latin-script texts, n..2n-2 for Chinese ones (the other half far below any
    threshold), so that calibrate() places one threshold per category and script."""
    n = scores.shape[1]
    out = np.full((len(scores), 2 * n - 1), BELOW, np.float32)
    out[~zh, :n] = scores[~zh]
    out[zh, n:] = scores[zh, 1:]
    return out


def per_script(scores: np.ndarray) -> np.ndarray:
    """by_script scores reduced to the highest category margin per script: columns (0, Latin, Chinese)."""
    n = len(CLASSES)
    out = np.full((len(scores), 3), BELOW, np.float32)
    out[:, 1] = scores[:, 1:n].max(axis=1)
    out[:, 2] = scores[:, n:].max(axis=1)
    return out


def per_script_labels(data: Dataset) -> np.ndarray:
    return np.where(data.harmful, np.where(data.zh, 2, 1), 0)


def spread(thresholds: np.ndarray) -> np.ndarray:
    """Per-script thresholds (0, Latin, Chinese) as by_script thresholds: every category of a script the same."""
    n = len(CLASSES)
    return np.concatenate([[np.inf], np.full(n - 1, thresholds[1]), np.full(n - 1, thresholds[2])]).astype(np.float32)


def flags(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return (scores[:, 1:] >= thresholds[1:]).any(axis=1)


def calibrate(scores: np.ndarray, labels: np.ndarray, data: Dataset, budget: float = FP_BUDGET) -> np.ndarray:
    """Per-column thresholds, lowered greedily. Each starts just above its highest benign score; a step
    moves one column's threshold just above its next benign score (blocking the benign text it passes),
    and the step taken is the one that gains the most harmful texts per benign text newly blocked, as long
    as the union with the rules stays within `budget` of the labelled benign texts and STUDIO_FP_BUDGET of
    the studio's own sentences. Texts not `counted` (storyboards of labelled texts) are examples only."""
    ruled, studio, counted = data.ruled, data.studio, data.counted
    benign = data.benign
    harmful = labels > 0
    n_columns = scores.shape[1]
    thresholds = np.full(n_columns, np.inf, np.float32)
    for c in range(1, n_columns):
        thresholds[c] = scores[(labels == 0) & counted, c].max() + MARGIN
    # budgets count what the rules already block (they are the studio's too)
    limit = max(int(budget * benign.sum()), int((ruled & benign).sum()))
    studio_limit = int(STUDIO_FP_BUDGET * studio.sum()) + int((ruled & studio).sum())

    def blocked(t: np.ndarray) -> np.ndarray:
        return ruled | flags(scores, t)

    while True:
        base = blocked(thresholds)
        best = None
        for c in range(1, n_columns):
            under = np.sort(scores[(labels == 0) & counted & (scores[:, c] < thresholds[c]), c])[::-1]
            for j in range(min(LOOKAHEAD, len(under))):  # pass the next j+1 benign texts
                current, following = under[j], (under[j + 1] if j + 1 < len(under) else -np.inf)
                t = thresholds.copy()
                t[c] = following + MARGIN if following + MARGIN < current else (following + current) / 2
                if not np.isfinite(t[c]):
                    t[c] = scores[harmful, c].min()
                now = blocked(t)
                fp, sfp = (now & benign).sum(), (now & studio).sum()
                if fp > limit or sfp > studio_limit:
                    break
                gain = (now & harmful).sum() - (base & harmful).sum()
                cost = fp - (base & benign).sum() + sfp - (base & studio).sum()
                if gain > 0 and (best is None or gain / (cost + 0.5) > best[0]):
                    best = (gain / (cost + 0.5), c, t[c])
        if best is None:
            return thresholds
        thresholds[best[1]] = best[2]


def screen(scores: np.ndarray, labels: np.ndarray, data: Dataset, target: float = SCREEN_TARGET) -> np.ndarray:
    """Stage 1's thresholds: lowered greedily, each step to the score of a harmful text not yet flagged,
    taking the step that flags the most harmful texts per share of benign texts and storyboard sentences
    newly flagged, until `target` of the harmful texts are flagged or blocked by the rules."""
    harmful, benign, studio = labels > 0, data.benign, data.studio
    thresholds = np.full(scores.shape[1], np.inf, np.float32)
    n_benign, n_studio = max(1, benign.sum()), max(1, studio.sum())
    while True:
        base = data.ruled | flags(scores, thresholds)
        if base[harmful].mean() >= target:
            return thresholds
        best = None
        for c in range(1, scores.shape[1]):
            under = np.sort(scores[harmful & ~base & (scores[:, c] < thresholds[c]) & (scores[:, c] > BELOW), c])
            for score in under[::-1][:LOOKAHEAD]:
                t = thresholds.copy()
                t[c] = score
                now = data.ruled | flags(scores, t)
                gain = (now & harmful).sum() - (base & harmful).sum()
                cost = ((now & benign).sum() - (base & benign).sum()) / n_benign + (
                    (now & studio).sum() - (base & studio).sum()
                ) / n_studio
                if gain > 0 and (best is None or gain / (cost + 1e-3) > best[0]):
                    best = (gain / (cost + 1e-3), c, score)
        if best is None:
            return thresholds
        thresholds[best[1]] = best[2]


@dataclass(frozen=True)
class Plan:
    """How thresholds are placed: one per category and script, or one per script; the benign budget."""

    one_per_script: bool = False
    budget: float = FP_BUDGET

    @property
    def label(self) -> str:
        return f"{'per script' if self.one_per_script else 'per category'} {self.budget:.1%}"


def fit(
    plan: Plan, data: Dataset, second: np.ndarray, first: np.ndarray | None = None
) -> tuple[np.ndarray | None, np.ndarray]:
    """(stage-1 thresholds or None, stage-2 thresholds), both over by_script columns. `second` alone: one
    stage. With `first`: stage 1 screens on `first`, stage 2 decides on `second` what stage 1 flags."""
    reached = np.ones(len(second), bool)
    t1 = None
    if first is not None:
        # Stage 1 screens with one threshold per script whatever stage 2 uses: it only has to pass on SCREEN_TARGET
        # of the harmful texts, and a greedy screen over 14 columns took minutes a fold with ~6,000 labelled texts.
        t1 = spread(screen(per_script(first), per_script_labels(data), data))
        reached = flags(first, t1)
    scores = np.where(reached[:, None], second, BELOW)
    if plan.one_per_script:
        return t1, spread(calibrate(per_script(scores), per_script_labels(data), data, plan.budget))
    return t1, calibrate(scores, data.labels, data, plan.budget)


def apply(
    ruled: np.ndarray, second: np.ndarray, t2: np.ndarray, first: np.ndarray | None = None, t1: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(blocked by the studio, reached stage 2) per text."""
    reached = flags(first, t1) if first is not None else np.ones(len(second), bool)
    return ruled | (reached & flags(second, t2)), reached


def nested(
    plan: Plan, data: Dataset, second: np.ndarray, first: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(blocked, reached stage 2) per text, each fold's texts judged by thresholds fitted on the others."""
    blocked = np.zeros(len(second), bool)
    reached = np.zeros(len(second), bool)
    for f in np.unique(data.fold):
        held = data.fold == f
        t1, t2 = fit(plan, data.subset(~held), second[~held], None if first is None else first[~held])
        blocked[held], reached[held] = apply(
            data.ruled[held], second[held], t2, None if first is None else first[held], t1
        )
    return blocked, reached


@dataclass
class Figures:
    """Shares blocked (and reaching stage 2) over the harmful, benign and storyboard texts."""

    harmful: float
    harmful_en: float
    harmful_zh: float
    benign: float
    benign_en: float
    benign_zh: float
    storyboard: float
    reach_storyboard: float
    reach_benign: float
    reach_harmful: float

    @classmethod
    def of(cls, data: Dataset, blocked: np.ndarray, reached: np.ndarray) -> Figures:
        h, b, zh = data.harmful, data.benign, data.zh
        return cls(
            float(blocked[h].mean()), float(blocked[h & ~zh].mean()), float(blocked[h & zh].mean()),
            float(blocked[b].mean()), float(blocked[b & ~zh].mean()), float(blocked[b & zh].mean()),
            float(blocked[data.studio].mean()), float(reached[data.studio].mean()), float(reached[b].mean()),
            float(reached[h].mean()),
        )  # fmt: skip


def cross_scores(x: np.ndarray, y: np.ndarray, fold: np.ndarray, scorer) -> np.ndarray:
    """Each text scored by `scorer` built from the other folds' texts."""
    out = np.zeros((len(x), len(CLASSES)), np.float32)
    for f in np.unique(fold):
        held = fold == f
        out[held] = scorer(x[~held], y[~held], x[held])
    return out
