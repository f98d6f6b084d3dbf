"""The labelled moderation set (tests/data/moderation/labelled.jsonl) stays well formed: the fields bench/moderation.py
and bench/train_moderation.py read, known values only, no text twice, and batch 5 (the held-out test batch) whole.

Failure messages name rows by line number and split, never by text: test texts are not to be printed."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data" / "moderation" / "labelled.jsonl"
CATEGORIES = {"minors", "violence", "terrorism", "hate", "self_harm", "drugs", "sexual_violence"}
HARMFUL_STYLES = {"direct", "indirect", "misspelled", "spaced", "traditional", "lookalike", "pinyin"}
BENIGN_STYLES = {"film_violence", "crime", "history", "medicine", "idiom", "feared_words", "cooking", "everyday",
                 "public_health", "harm_reduction", "news"}  # fmt: skip
REQUIRED = {"text", "lang", "label", "category", "style", "split"}
OPTIONAL = {"batch", "group"}


def rows() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_row_has_the_known_fields_and_values() -> None:
    bad = []
    for number, row in enumerate(rows(), 1):
        keys = set(row)
        harmful = row.get("label") == "harmful"
        ok = (
            REQUIRED <= keys <= REQUIRED | OPTIONAL
            and isinstance(row["text"], str)
            and row["text"].strip()
            and row["lang"] in ("zh", "en")
            and row["label"] in ("harmful", "benign")
            and row["split"] in ("train", "dev", "test")
            and (row["category"] in CATEGORIES if harmful else row["category"] == "benign")
            and row["style"] in (HARMFUL_STYLES if harmful else BENIGN_STYLES)
            and all(isinstance(row.get(k, ""), str) for k in OPTIONAL)
        )
        if not ok:
            bad.append(f"line {number} ({row.get('split')})")
    assert not bad, bad


def normalised(text: str) -> str:
    # Width, case, spacing and punctuation do not make a new text.
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def test_no_test_text_repeats_another_row() -> None:
    """A test text that is also a train or dev text (or another test text) would be scored against itself.
    (Train and dev may repeat a text in another spacing: two spaced forms of one train text do no harm.)"""
    seen: dict[str, list[int]] = {}
    all_rows = rows()
    for number, row in enumerate(all_rows, 1):
        seen.setdefault(normalised(row["text"]), []).append(number)
    twice = [
        f"test line {number} repeats lines {seen[normalised(row['text'])]}"
        for number, row in enumerate(all_rows, 1)
        if row["split"] == "test" and len(seen[normalised(row["text"])]) > 1
    ]
    assert not twice, twice


def test_batch_5_is_a_whole_balanced_test_batch() -> None:
    batch = [r for r in rows() if r.get("batch") == "5"]
    assert {r["split"] for r in batch} == {"test"}
    assert Counter((r["lang"], r["label"]) for r in batch) == {
        ("zh", "harmful"): 60,
        ("zh", "benign"): 60,
        ("en", "harmful"): 60,
        ("en", "benign"): 60,
    }
    for lang in ("zh", "en"):
        per_category = Counter(r["category"] for r in batch if r["lang"] == lang and r["label"] == "harmful")
        assert set(per_category) == CATEGORIES and min(per_category.values()) >= 8, (lang, per_category)
        styles = {r["style"] for r in batch if r["lang"] == lang and r["label"] == "harmful"}
        assert styles >= {"direct", "indirect", "misspelled", "spaced"}, (lang, styles)
    assert not any("group" in r for r in batch)  # independent texts, no translation pairs
