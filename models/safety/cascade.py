"""The semantic layer as a two-stage cascade: a fast embedder screens every piece, a slower, more precise one
decides only the pieces the first flags.

Why: USE alone is fast (~2 ms a sentence) but blocks more benign texts; e5 (and both side by side) block
fewer at the same share of harmful texts caught, but cost 15-30 ms a sentence, too slow to run on every
re-checked storyboard cell. Stage 1 runs USE with thresholds lowered until nearly every harmful text of the
labelled train/dev set reaches stage 2 (bench/train_moderation.py: 99 % in cross-validation), which still
clears ~99 % of the studio's own storyboard sentences; stage 2 decides those it flags with the confirming
embedder (alone, or side by side with stage 1's vector, whichever cross-validation kept), with its own
thresholds. Stage 2's embedder loads at the first piece that reaches it; an unchanged piece is decided once
and remembered (SemanticCheck's per-piece cache), so a re-check after a one-cell edit embeds that cell only,
and with USE only unless it reaches stage 2. Admin examples act on stage 1's vectors: an allow example clears
a piece before any stage runs, a block example blocks whatever stage 2 says.

The cascade's data (`cascade-<first>-<second>.npz`) holds thresholds and neighbour counts only; the
labelled example vectors are those of the two embedders' own data files, trained in the same run (each file
names the labelled rows it holds; a mismatch stops start-up).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.embedder import Embedder
from models.safety.semantic import (
    CACHE_SIZE,
    HAS_CJK,
    SemanticCheck,
    SemanticModel,
    SemanticModelError,
    flagged_categories,
    knn_margins,
)


class CascadeModel:
    """Stage 1's neighbour count and thresholds over `first`'s examples; stage 2's mode ("alone": the
    confirming embedder's vectors against `second`'s examples; "concat": both vectors, the cosine being the
    mean of the two), neighbour count and thresholds. Thresholds: one row for Latin-script pieces, one for
    pieces with Chinese characters."""

    def __init__(self, path: Path, first: SemanticModel, second: SemanticModel) -> None:
        path = Path(path)
        retrain = "train it with bench/train_moderation.py (--write with both embedders and the cascade preset)"
        if not path.is_file():
            raise SemanticModelError(f"no cascade data at {path}: {retrain}")
        with np.load(path, allow_pickle=False) as data:
            names = (str(data["first"]), str(data["second"]))
            classes = [str(c) for c in data["classes"]]
            self.screen_k = int(data["screen_k"])
            self.screen_thresholds = data["screen_thresholds"].astype(np.float32)
            self.mode = str(data["mode"])
            self.k = int(data["k"])
            self.thresholds = data["thresholds"].astype(np.float32)
            rows = str(data["rows"])
        if names != (first.embedder, second.embedder):
            raise SemanticModelError(
                f"{path.name} is a cascade of {names[0]!r} then {names[1]!r}, not {first.embedder!r} then "
                f"{second.embedder!r}: {retrain}"
            )
        if not (classes == first.classes == second.classes and rows == first.rows == second.rows):
            raise SemanticModelError(f"{path.name} and the two embedders' data were trained apart: {retrain}")
        if not (len(first.examples) and len(second.examples)) or self.mode not in ("alone", "concat"):
            raise SemanticModelError(f"{path.name}: the embedders' data hold no examples to compare with: {retrain}")
        self.first, self.second = first, second
        self.classes = classes

    def _row(self, thresholds: np.ndarray, cleaned: str) -> np.ndarray:
        return thresholds[1 if HAS_CJK.search(cleaned) else 0]

    def screen_thresholds_for(self, cleaned: str) -> np.ndarray:
        return self._row(self.screen_thresholds, cleaned)

    def thresholds_for(self, cleaned: str) -> np.ndarray:
        return self._row(self.thresholds, cleaned)

    def screen(self, first_vectors: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Stage 1's scores, and the similarities they came from (stage 2 "concat" reuses them)."""
        sims = self.first.similarities(first_vectors)
        return knn_margins(sims, self.screen_k), sims

    def confirm(self, second_vectors: np.ndarray, first_similarities: list[np.ndarray]) -> np.ndarray:
        sims = self.second.similarities(second_vectors)
        if self.mode == "concat":  # unit vectors side by side, rescaled: the cosine is the mean of the parts'
            sims = [(a + b) / 2 for a, b in zip(first_similarities, sims, strict=True)]
        return knn_margins(sims, self.k)


class CascadeCheck(SemanticCheck):
    """The ``semantic`` text check as a cascade (see the module doc); everything else as SemanticCheck."""

    def __init__(
        self,
        embedder: Embedder,
        model: SemanticModel,
        confirm_embedder: Embedder,
        cascade: CascadeModel,
        *,
        example_similarity: float | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        super().__init__(embedder, model, example_similarity=example_similarity, cache_size=cache_size)
        self.confirm_embedder = confirm_embedder
        self.cascade = cascade
        self._confirm_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._confirm_lock = threading.Lock()
        self.confirmed = 0  # pieces stage 2 has embedded (what bench/moderation.py reports)

    def _confirm_vectors(self, cleaned: Sequence[str]) -> np.ndarray:
        """Stage 2's vectors, embedding only pieces not seen recently (after an admin edit clears the
        decisions, the pieces that reach stage 2 again are not re-embedded)."""
        with self._confirm_lock:
            missing = list(dict.fromkeys(c for c in cleaned if c not in self._confirm_cache))
        fresh = dict(zip(missing, self.confirm_embedder.queries(missing), strict=True)) if missing else {}
        with self._confirm_lock:
            self.confirmed += len(missing)
            known = {c: fresh.get(c, self._confirm_cache.get(c)) for c in cleaned}
            self._confirm_cache.update(fresh)
            while len(self._confirm_cache) > self._cache_size:
                self._confirm_cache.popitem(last=False)
        lost = [c for c, v in known.items() if v is None]  # evicted meanwhile by another thread
        if lost:
            known.update(zip(lost, self.confirm_embedder.queries(lost), strict=True))
        return np.stack([known[c] for c in cleaned])

    def judge(self, cleaned: Sequence[str], vectors: np.ndarray) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = [()] * len(cleaned)
        if not len(cleaned):
            return out
        scores, sims = self.cascade.screen(vectors)
        reached = [
            i for i, piece in enumerate(cleaned)
            if (scores[i, 1:] >= self.cascade.screen_thresholds_for(piece)[1:]).any()
        ]  # fmt: skip
        if not reached:
            return out
        confirmed = self.cascade.confirm(
            self._confirm_vectors([cleaned[i] for i in reached]), [s[reached] for s in sims]
        )
        decided = flagged_categories(
            self.cascade.classes, confirmed, [self.cascade.thresholds_for(cleaned[i]) for i in reached]
        )
        for i, categories in zip(reached, decided, strict=True):
            out[i] = categories
        return out
