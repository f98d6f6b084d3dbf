"""The semantic layer: judges what a sentence means, so a paraphrase the rules never foresaw is still caught.

Each text is cut into sentence-sized pieces (the embedder reads at most 500 characters), each piece is
cleaned of evasions the embedder would stumble on (zero-width and bidi characters, look-alike letters,
spaced-out letters, traditional characters, Chinese typed in pinyin: models/safety/pinyin.py); a piece of
fewer than two words (a take number, a file name) is left to the rules; the others are embedded by the
chosen sentence embedder (a registered kind, `[moderation] embedder`: multilingual USE v3 by default, or
multilingual-e5-small); the piece's vector is then scored per category by the model in
`data/semantic-<embedder>.npz`, built for that embedder from the labelled train and dev splits by
`bench/train_moderation.py` (nearest neighbours over labelled examples, or a small linear model; the script
measures both and keeps the better), with per-category thresholds (one set for Latin-script pieces, one for
Chinese; the kept set may give every category of a script the same one, which held up better on unseen
texts) calibrated by cross-validation over the train and dev splits. The
default preset runs this as a cascade (models/safety/cascade.py: USE screens, e5 decides what USE flags).
Examples an admin adds work at once: a piece as close as `example_similarity` (by default the embedder's
own: USE 0.7, e5 0.9) to a block example is flagged with its category, and one that close to an allow
example is cleared.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import opencc

from models.embedder import MAX_CHARS, Embedder, USEEmbedder
from models.safety.pinyin import PinyinReader
from models.safety.verdict import Match, Policy, Verdict, combine

DATA_DIR = Path(__file__).resolve().parent / "data"
CACHE_SIZE = 8192  # piece vectors kept per check: a re-checked storyboard only embeds what changed

# Look-alike characters that stand for Latin letters inside a Latin word ("k1ll", "b0mb", "ѕеху").
# Unlike the rule engine, real letters are never folded here: the embedder must read real words.
_LATIN_LOOKALIKES = str.maketrans(
    {
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "|": "i",
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
        "у": "y", "х": "x", "ѕ": "s", "і": "i", "ӏ": "l", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip
_TOKEN = re.compile(r"[\w@$|]+")
_SPACED_LETTERS = re.compile(r"\b(?:[A-Za-z][ .\-_*·]){2,}[A-Za-z]\b")
_SPACED_CJK = re.compile(r"(?<=[\u3400-\u9fff])[ .\-_*·]+(?=[\u3400-\u9fff])")
HAS_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[^.!?。！？；;\n]*(?:[.!?。！？；;\n]+|$)")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’\-][^\W\d_]+)*")  # letters only: "user08", "scene_01", "101" are not words
MIN_WORDS = 2  # a piece with fewer words (Chinese characters count one each) is a fragment, not a sentence


def readable(text: str, t2s: opencc.OpenCC | None = None, pinyin: PinyinReader | None = None) -> str:
    """The text as a reader would understand it: invisible characters dropped, width and look-alike letters
    folded, spaced-out letters joined into words, Chinese written in pinyin turned into characters (see
    models/safety/pinyin.py), Chinese in simplified characters. Pass one `pinyin` reader for many texts: its
    tables load once."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if ch in "\n\t" or unicodedata.category(ch) not in ("Cf", "Cc")
    )
    text = (t2s or opencc.OpenCC("t2s")).convert(text)
    text = _SPACED_CJK.sub("", text)
    reader = pinyin or PinyinReader()
    text = _SPACED_LETTERS.sub(lambda m: reader.join_spaced(m.group()), text)
    text = reader.convert(text)  # before folding: tone digits ("zi4 sha1") are not look-alike letters

    return _TOKEN.sub(_fold_token, text)


def judgeable(cleaned: str) -> bool:
    """Whether a cleaned piece says enough to be judged by meaning: at least MIN_WORDS words or Chinese
    characters. A fragment ("(user08) (take 101)", "3.", "— 2 —", a file name) gave the embedder nothing to
    read, and its vector landed wherever noise lands (one was blocked as terrorism); the rules still see it."""
    count = len(HAS_CJK.findall(cleaned))
    for token in cleaned.split():
        if count >= MIN_WORDS:
            break
        if not HAS_CJK.search(token) and _WORD.fullmatch(_EDGES.sub("", token)):
            count += 1
    return count >= MIN_WORDS


def _fold_token(m: re.Match[str]) -> str:
    """Fold look-alikes inside a word that has Latin letters or Cyrillic/Greek look-alikes: symbols and
    look-alike letters always, a digit only after a letter ("k1ll", "t0", but "3D", "1945" stay)."""
    token = m.group()
    if not any((c.isascii() and c.isalpha()) or (not c.isascii() and ord(c) < 0x1000 and c.isalpha()) for c in token):
        return token
    out = []
    for i, c in enumerate(token):
        if c.isdigit() and not (i and token[i - 1].isalpha()):
            out.append(c)
        else:
            out.append(c.translate(_LATIN_LOOKALIKES))
    return "".join(out)


def pieces(text: str, limit: int = MAX_CHARS) -> list[tuple[int, int]]:
    """Spans of sentence-sized pieces of `text` (each at most `limit` characters, each with a letter)."""
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE_END.finditer(text):
        start, end = m.span()
        while start < end:
            stop = min(end, start + limit)
            if any(ch.isalpha() for ch in text[start:stop]):
                spans.append((start, stop))
            start = stop
    return spans


def knn_scores(
    queries: np.ndarray, examples: np.ndarray, labels: np.ndarray, n_classes: int, k: int, k_benign: int | None = None
) -> np.ndarray:
    """Per class c >= 1: mean similarity of the k nearest examples of c minus that of the `k_benign` (default
    k) nearest benign (class 0) examples: the margin by which the text sits closer to harm than to the
    harmless uses of the same words (a suicide-prevention line sits nearest the prevention examples).
    Returns (n, n_classes) with column 0 zero."""
    sims = queries @ examples.T
    out = np.zeros((len(queries), n_classes), np.float32)
    benign = _topk_mean(sims[:, labels == 0], k if k_benign is None else k_benign)
    for c in range(1, n_classes):
        out[:, c] = _topk_mean(sims[:, labels == c], k) - benign
    return out


def _topk_mean(sims: np.ndarray, k: int) -> np.ndarray:
    if sims.shape[1] == 0:
        return np.full(len(sims), -1.0, np.float32)
    k = min(k, sims.shape[1])
    return np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:].mean(axis=1)


def _similarities(queries: np.ndarray, examples: np.ndarray) -> np.ndarray:
    """queries @ examples.T. A few queries (a re-check's changed pieces) go through numpy's own loop: BLAS
    threads on a busy 2-core machine made one query against 5,000 examples take 13 ms instead of 0.4 ms.
    Many queries (a cold check) go to BLAS, which is faster per query there."""
    if len(queries) >= 16:
        return queries @ examples.T
    return np.einsum("qd,nd->qn", queries, examples)


def linear_scores(queries: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Softmax probabilities (n, n_classes) of a linear model over the embeddings."""
    logits = queries @ weights.T + bias
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def flagged_categories(
    classes: Sequence[str], scores: np.ndarray, thresholds: Sequence[np.ndarray]
) -> list[tuple[str, ...]]:
    """Per row of `scores`, the classes at or above that row's thresholds, highest score first."""
    out = []
    for row, t in zip(scores, thresholds, strict=True):
        flagged = [c for c in range(1, len(classes)) if row[c] >= t[c]]
        out.append(tuple(classes[c] for c in sorted(flagged, key=lambda c: -row[c])))
    return out


def model_file(embedder: str) -> Path:
    """The bundled semantic data trained for a built-in embedder kind ("use", "e5")."""
    return DATA_DIR / f"semantic-{embedder}.npz"


def cascade_file(first: str, second: str) -> Path:
    """The bundled cascade thresholds for two built-in embedder kinds (stage 1 "use", stage 2 "e5")."""
    return DATA_DIR / f"cascade-{first}-{second}.npz"


class SemanticModelError(ValueError):
    """Semantic data that cannot serve the chosen embedder: missing, or trained on another embedder."""


class SemanticModel:
    """The trained data: class names (0 = benign), the method and its arrays, per-class thresholds, and the
    embedder it was trained on (its vectors mean nothing to another embedder)."""

    def __init__(self, path: Path | None = None, embedder: Embedder | None = None) -> None:
        path = Path(path) if path is not None else model_file(getattr(embedder, "name", "use"))
        if not path.is_file():
            raise SemanticModelError(f"no semantic data at {path}: train it with bench/train_moderation.py")
        with np.load(path, allow_pickle=False) as data:
            self.embedder = str(data["embedder"]) if "embedder" in data else "e5"
            self.classes: list[str] = [str(c) for c in data["classes"]]
            self.method = str(data["method"])
            self.thresholds = data["thresholds"].astype(np.float32)
            self.k = int(data["k"])
            self.k_benign = int(data["k_benign"]) if "k_benign" in data else self.k
            self.examples = data["examples"].astype(np.float32)
            self.labels = data["labels"].astype(np.int64)
            self.weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
            # names the labelled rows the examples come from: a cascade reads two files' examples by row
            self.rows = str(data["rows"]) if "rows" in data else ""
        self.dim = (self.examples if self.method == "knn" else self.weights).shape[1]
        if embedder is not None and (
            embedder.dim != self.dim or getattr(embedder, "name", self.embedder) != self.embedder
        ):
            raise SemanticModelError(
                f"{path.name} was trained on the {self.embedder!r} embedder, not {getattr(embedder, 'name', '?')!r}: "
                f"train it with bench/train_moderation.py --embedder {getattr(embedder, 'name', '?')}"
            )
        # The examples of each class in one contiguous block: a piece is compared with each block once,
        # with no per-check masking of thousands of examples (a re-check's scoring went from 17 to ~1 ms).
        self._blocks = [self.examples[self.labels == c] for c in range(len(self.classes))]

    def thresholds_for(self, cleaned: str) -> np.ndarray:
        """The per-class thresholds for a piece: a file may hold one row, or one for Latin-script pieces and
        one for pieces with Chinese characters (Chinese scores spread differently; calibrated apart)."""
        if self.thresholds.ndim == 1:
            return self.thresholds
        return self.thresholds[1 if HAS_CJK.search(cleaned) else 0]

    def similarities(self, queries: np.ndarray) -> list[np.ndarray]:
        """Per class, the cosines of the queries with that class's labelled examples."""
        return [_similarities(queries, block) for block in self._blocks]

    def scores(self, queries: np.ndarray) -> np.ndarray:
        if self.method == "knn":
            return knn_margins(self.similarities(queries), self.k, self.k_benign)
        return linear_scores(queries, self.weights, self.bias)


def knn_margins(similarities: Sequence[np.ndarray], k: int, k_benign: int | None = None) -> np.ndarray:
    """knn_scores from per-class similarity blocks (class 0 benign): (n, n_classes), column 0 zero."""
    out = np.zeros((len(similarities[0]), len(similarities)), np.float32)
    benign = _topk_mean(similarities[0], k if k_benign is None else k_benign)
    for c in range(1, len(similarities)):
        out[:, c] = _topk_mean(similarities[c], k) - benign
    return out


class SemanticCheck:
    """The ``semantic`` text check (see the module doc). Thread-safe: the cache and examples are guarded."""

    name = "semantic"

    def __init__(
        self,
        embedder: Embedder | None = None,
        model: SemanticModel | None = None,
        *,
        example_similarity: float | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.embedder = embedder or USEEmbedder()
        self.model = model or SemanticModel(embedder=self.embedder)
        # None: the embedder's own measure of "says the same thing" (cosines spread differently per embedder)
        self.example_similarity = example_similarity or float(getattr(self.embedder, "example_similarity", 0.9))
        self._t2s = opencc.OpenCC("t2s")
        self._pinyin = PinyinReader()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cleaned: OrderedDict[str, str] = OrderedDict()
        self._split: OrderedDict[str, tuple[tuple[int, int, str], ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._block: tuple[np.ndarray, list[str]] = (np.zeros((0, self.embedder.dim), np.float32), [])
        self._allow = np.zeros((0, self.embedder.dim), np.float32)
        # Each cleaned piece's decision (the categories it is flagged for), so a re-check neither embeds nor
        # scores an unchanged piece. Cleared whenever the admin's examples change.
        self._decided: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def update(self, policy: Policy) -> None:
        """Take the admin's examples (embedded now, so the next check uses them)."""
        block = [e for e in policy.examples if e.action == "block"]
        allow = [e for e in policy.examples if e.action == "allow"]
        block_vectors = self.vectors([readable(e.text, self._t2s, self._pinyin) for e in block])
        allow_vectors = self.vectors([readable(e.text, self._t2s, self._pinyin) for e in allow])
        with self._lock:
            self._block = (block_vectors, [e.category for e in block])
            self._allow = allow_vectors
            self._decided.clear()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, embedding only those not seen recently."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            fresh = self.embedder.queries(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            out = [self._cache.get(t) for t in texts]
        # A text evicted between the two steps (another thread filled the cache) is embedded again.
        return np.stack([v if v is not None else self.embedder.queries([t])[0] for v, t in zip(out, texts, strict=True)]) \
            if texts else np.zeros((0, self.embedder.dim), np.float32)  # fmt: skip

    def _readable(self, piece: str) -> str:
        """`readable(piece)`, remembered: a re-checked storyboard repeats most of its pieces."""
        with self._lock:
            cleaned = self._cleaned.get(piece)
        if cleaned is None:
            cleaned = readable(piece, self._t2s, self._pinyin).strip()
            with self._lock:
                self._cleaned[piece] = cleaned
                while len(self._cleaned) > self._cache_size:
                    self._cleaned.popitem(last=False)
        return cleaned

    def score_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Per-class scores of whole short texts (each read as one piece): what the training script measures."""
        return self.model.scores(self.vectors([readable(t, self._t2s, self._pinyin)[:MAX_CHARS] for t in texts]))

    def decide(self, cleaned: Sequence[str]) -> list[tuple[str, ...]]:
        """The categories each cleaned piece is flagged for (most certain first); pieces not decided recently
        are embedded together in one embedder call and scored together."""
        with self._lock:
            known = {c: self._decided[c] for c in dict.fromkeys(cleaned) if c in self._decided}
            block_vectors, block_categories = self._block
            allow_vectors = self._allow
        missing = [c for c in dict.fromkeys(cleaned) if c not in known]
        if missing:
            vectors = self.vectors(missing)
            near_allow = (vectors @ allow_vectors.T).max(axis=1) >= self.example_similarity \
                if len(allow_vectors) else np.zeros(len(missing), bool)  # fmt: skip
            near_block = vectors @ block_vectors.T if len(block_vectors) else None
            judged = iter(self.judge([p for i, p in enumerate(missing) if not near_allow[i]], vectors[~near_allow]))
            fresh: dict[str, tuple[str, ...]] = {}
            for i, piece in enumerate(missing):
                if near_allow[i]:  # an admin's allow example: not scored at all (a cascade's stage 2 never runs)
                    fresh[piece] = ()
                    continue
                categories = list(next(judged))
                if near_block is not None:
                    categories += [
                        block_categories[j] for j in np.flatnonzero(near_block[i] >= self.example_similarity)
                    ]
                fresh[piece] = tuple(dict.fromkeys(categories))
            known.update(fresh)
            with self._lock:
                if self._block[0] is block_vectors and self._allow is allow_vectors:  # no admin edit meanwhile
                    self._decided.update(fresh)
                    while len(self._decided) > self._cache_size:
                        self._decided.popitem(last=False)
        return [known[c] for c in cleaned]

    def judge(self, cleaned: Sequence[str], vectors: np.ndarray) -> list[tuple[str, ...]]:
        """The categories the trained model flags each piece for (most certain first)."""
        return flagged_categories(
            self.model.classes, self.model.scores(vectors), [self.model.thresholds_for(c) for c in cleaned]
        )

    def _pieces(self, text: str) -> tuple[tuple[int, int, str], ...]:
        """The (start, end, cleaned) pieces of one text, remembered: an unchanged storyboard cell is neither
        cut nor cleaned again."""
        with self._lock:
            known = self._split.get(text)
        if known is None:
            known = tuple((a, b, c) for a, b in pieces(text) if (c := self._readable(text[a:b])) and judgeable(c))
            with self._lock:
                self._split[text] = known
                while len(self._split) > self._cache_size:
                    self._split.popitem(last=False)
        return known

    def check_many(self, texts: Mapping[str, str]) -> Verdict:
        located = [(name, a, b, c) for name, text in texts.items() for a, b, c in self._pieces(text)]
        if not located:
            return Verdict()
        decisions = self.decide([p[3] for p in located])
        matches: list[Match] = []
        for (name, start, end, _), categories in zip(located, decisions, strict=True):
            for category in categories:
                text = texts[name]
                matches.append(Match(rule_id=None, pattern="semantic", category=category, action="block", start=start,
                                     end=end, excerpt=text[start:end].strip(), field=name, check="semantic"))  # fmt: skip
        return combine(matches)
