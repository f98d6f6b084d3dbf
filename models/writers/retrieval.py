"""Templates and retrieval: the built-in templates and a creator's past storyboards, indexed with the local
multilingual embedder (models/embedder.py, the multilingual Universal Sentence Encoder), so the nearest in
meaning shapes a new storyboard's arc, scene count and style. Per user: only the storyboards the caller passes
are searched, so nothing crosses users. The chosen template's `source` ends up in Storyboard.sources."""

from __future__ import annotations

import hashlib
import logging
import threading

import numpy as np

from models.embedder import Embedder
from models.storyboard import Genre, Storyboard
from models.writers.genres import Template, builtin_templates, template_for, template_from_board

log = logging.getLogger(__name__)

# A creator's own storyboard wins over a built-in template that is only slightly nearer: their edits are
# the clearest statement of how they want such a film shaped.
OWN_BONUS = 0.05
# Without a genre named, a past storyboard shapes the new one only when this near in meaning. Under USE a new
# take of an idea scores 0.76-0.87 against the earlier take's storyboard, its translation 0.60-0.66, another idea
# at most 0.46; e5 (the embedder before 2026-12-02) put all of them within 0.74-0.96, a Chinese cat idea at 0.89 to
# a Chinese fox storyboard, and took 9x as long a text on the busy 2-core machine (71 ms against 8 ms).
NEAR = 0.7
MAX_CACHED = 512


def template_text(t: Template) -> str:
    return f"{t.summary} {' '.join(t.cues_en)} {' '.join(t.cues_zh)}"


def board_text(board: Storyboard) -> str:
    """What a past storyboard is about: its title and what its scenes say and show."""
    lines = " ".join(s.narration for s in board.scenes)
    return f"{board.genre.value}: {board.title}. {lines}"[:500]


class Retriever:
    """Finds the nearest arc for an idea. Template vectors are embedded once per instance; past storyboards
    are embedded once per distinct text (a small cache on the instance)."""

    def __init__(self, embedder: Embedder | None = None, max_cached: int = MAX_CACHED) -> None:
        self._embedder = embedder
        self.max_cached = max_cached
        self._templates: np.ndarray | None = None
        self._boards: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from models.embedder import USEEmbedder

            self._embedder = USEEmbedder()
        return self._embedder

    def _template_vectors(self) -> np.ndarray:
        if self._templates is None:
            self._templates = self.embedder.passages([template_text(t) for t in builtin_templates()])
        return self._templates

    def _board_vectors(self, boards: list[Storyboard]) -> np.ndarray:
        # keyed by the text embedded: a board whose durations were timed after it was shown is not embedded again
        texts = [board_text(b) for b in boards]
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts, strict=True) if k not in self._boards))
        if missing:
            vectors = self.embedder.passages([t for _, t in missing])
            fresh = {k: v for (k, _), v in zip(missing, vectors, strict=True)}
            if len(self._boards) + len(fresh) > self.max_cached:
                # keep what this call needs: clearing them too failed the 20-user load bench with a KeyError
                self._boards = {k: self._boards[k] for k in keys if k in self._boards}
            self._boards.update(fresh)
        return np.stack([self._boards[k] for k in keys]) if keys else np.zeros((0, 1), np.float32)

    def rank(self, idea: str, genre: Genre | None, past: list[Storyboard]) -> list[tuple[float, Template]]:
        """The genre's built-in template and the creator's past storyboards (of `genre` when given; of any
        genre when none was named, if very near in meaning), nearest first."""
        base = template_for(genre or Genre.STORY)
        own = [b for b in past if genre is None or b.genre == genre]
        with self._lock:
            query = self.embedder.queries([idea])[0]
            vectors = self._template_vectors()
            index = list(builtin_templates()).index(base)
            out: list[tuple[float, Template]] = [(float(vectors[index] @ query), base)]
            for b, v in zip(own, self._board_vectors(own), strict=True) if own else []:
                score = float(v @ query)
                if genre is not None or score >= NEAR:
                    out.append((score + OWN_BONUS, template_from_board(b)))
        return sorted(out, key=lambda pair: -pair[0])

    def choose(self, idea: str, genre: Genre | None, past: list[Storyboard]) -> Template:
        """The nearest arc. With no past storyboard to search, the genre's template (the embedder is not
        even loaded): measured on 2 busy cores, e5 barely tells the built-in arcs apart (similarities within
        0.02 of each other), so genre cues decide between them and the embedder ranks only what the creator
        made."""
        if not past:
            return template_for(genre or Genre.STORY)
        score, best = self.rank(idea, genre, past)[0]
        log.info("storyboard shaped by %s (similarity %.2f)", best.source, score)
        return best
