"""The labelled moderation set (tests/data/moderation/labelled.jsonl) stays well formed: the fields bench/moderation.py
and bench/train_moderation.py read, known values only, no text twice, the held-out test batches (17, 19) whole and in
the test split only, and the retired test batches (1 and 2's test rows, 5 to 15: read, then moved to train and dev) whole
and out of it.

Failure messages name rows by line number and split, never by text: test texts are not to be printed."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import opencc
import pytest

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


# Held-out test batches: each kept whole (exact counts) and in the test split only. Once a batch's result has been
# read and the layer changed because of it, it is retired into train and dev (RETIRED_BATCHES, README).
HELD_OUT_BATCHES = ("17", "19")
RETIRED_BATCHES = ("5", "7", "9", "11", "13", "15")


@pytest.mark.parametrize("batch_name", HELD_OUT_BATCHES + RETIRED_BATCHES)
def test_held_out_batch_is_a_whole_balanced_test_batch(batch_name: str) -> None:
    batch = [r for r in rows() if r.get("batch") == batch_name]
    assert {r["split"] for r in batch} == ({"test"} if batch_name in HELD_OUT_BATCHES else {"train", "dev"})
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


# Batches written to batch 7's plan (tests/data/moderation/README.md).
PLANNED_BATCHES = ("7", "9", "11", "13", "15", "17", "19", "20", "22")


@pytest.mark.parametrize("batch_name", PLANNED_BATCHES)
def test_planned_batch_has_the_planned_styles_and_benign_kinds(batch_name: str) -> None:
    """Batches 7 to 19 (odd) were written to a plan (tests/data/moderation/README.md): per language, 6 benign texts of
    each of the ten kinds, and the harmful styles counted there; batches 20 and 22, train batches, to two units of it
    (every count doubled). A row moved, relabelled or dropped breaks the plan."""
    batch = [r for r in rows() if r.get("batch") == batch_name]
    units = len(batch) // 240
    harmful_styles = {
        "zh": {"direct": 12, "indirect": 19, "misspelled": 8, "spaced": 7, "traditional": 7, "pinyin": 7},
        "en": {"direct": 14, "indirect": 19, "misspelled": 12, "spaced": 7, "lookalike": 8},
    }
    categories = {"minors": 9, "violence": 9, "terrorism": 9, "hate": 9, "self_harm": 8, "drugs": 8,
                  "sexual_violence": 8}  # fmt: skip
    kinds = BENIGN_STYLES - {"harm_reduction"}
    for lang in ("zh", "en"):
        harmful = [r for r in batch if r["lang"] == lang and r["label"] == "harmful"]
        benign = [r for r in batch if r["lang"] == lang and r["label"] == "benign"]
        assert Counter(r["style"] for r in harmful) == {s: n * units for s, n in harmful_styles[lang].items()}, lang
        assert Counter(r["category"] for r in harmful) == {c: n * units for c, n in categories.items()}, lang
        assert Counter(r["style"] for r in benign) == dict.fromkeys(kinds, 6 * units), lang


@pytest.mark.parametrize("batch_name", PLANNED_BATCHES)
def test_no_planned_batch_text_repeats_another_row_in_any_spelling(batch_name: str) -> None:
    """Beyond width, case and punctuation: look-alike letters and traditional characters do not make a new text
    either, so a text of a planned batch is not a respelling of any other row (which would be scored
    against itself)."""
    t2s = opencc.OpenCC("t2s")
    fold = str.maketrans("аеосрухіАЕОСРТНКМВο", "aeocpyxiAEOCPTHKMBo")

    def key(text: str) -> str:
        return normalised(t2s.convert(unicodedata.normalize("NFKC", text).translate(fold)))

    all_rows = rows()
    seen = Counter(key(r["text"]) for r in all_rows)
    twice = [
        f"batch-{batch_name} test line {n}"
        for n, r in enumerate(all_rows, 1)
        if r.get("batch") == batch_name and seen[key(r["text"])] > 1
    ]
    assert not twice, twice


def test_only_held_out_batches_are_in_the_test_split() -> None:
    """The test split is the clean measure: every row of it belongs to a held-out batch nobody has read a result of."""
    outside = Counter(
        r.get("batch", "1") for r in rows() if r["split"] == "test" and r.get("batch") not in HELD_OUT_BATCHES
    )
    assert not outside, outside
