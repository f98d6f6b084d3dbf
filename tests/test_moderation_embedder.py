"""The semantic layer's embedder is a setting: a preset in `[moderation] embedders` names a registered
embedder kind ("use", "e5", or a plug-in's; the default preset "use-e5" runs both as a cascade) and the
semantic data trained for it. The USE embedder itself: unit vectors, meanings across languages, safe from
several threads."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from app.moderation_store import ContentGuard
from app.settings import ModerationSettings, SettingsError, load_settings
from models.embedder import E5Embedder, USEEmbedder
from models.errors import UserError
from models.registry import load_registry
from models.safety.semantic import SemanticCheck, SemanticModel, SemanticModelError, model_file
from storage.db import Database


class Admin:
    id, username = 1, "admin"


class CountingUSE(USEEmbedder):
    """A plug-in's embedder: USE underneath (so USE's semantic data fits it), counting what it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def queries(self, texts):
        self.calls.append(list(texts))
        return super().queries(texts)


def semantic_of(guard: ContentGuard) -> SemanticCheck:
    [check] = [c for c in guard.text_checks if c.name == "semantic"]
    return check


@pytest.fixture(scope="module")
def use() -> USEEmbedder:
    return USEEmbedder()


# --- the USE embedder ----------------------------------------------------------------------------------------


def test_use_gives_unit_vectors_and_meanings_across_languages(use) -> None:
    q = use.queries(["森林里的小动物在河边喝水"])[0]
    near, far = use.passages(["small animals drink at a forest river", "a quarterly earnings report"])
    assert q.shape == (512,) and abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    assert float(near @ q) > float(far @ q) + 0.1


def test_use_empty_input_gives_no_rows(use) -> None:
    assert use.queries([]).shape == (0, 512)


def test_use_is_safe_from_several_threads(use) -> None:
    texts = [f"Scene {i}: the fishermen mend their nets at dawn." for i in range(24)] + [
        "港口的渔船在黎明时分归来。"
    ] * 4
    alone = use.queries(texts)
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: use.queries([t])[0], texts))
    assert np.allclose(np.stack(together), alone, atol=1e-5)


# --- the setting --------------------------------------------------------------------------------------------


def test_the_default_embedder_is_use_and_e5_is_used_when_chosen(tmp_path) -> None:
    db = Database(tmp_path / "studio.db")
    assert semantic_of(ContentGuard(db)).embedder.name == "use"
    chosen = semantic_of(ContentGuard(db, ModerationSettings(embedder="e5", image_check="none")))
    assert isinstance(chosen.embedder, E5Embedder) and chosen.model.embedder == "e5" and chosen.model.dim == 384


def test_a_plugin_embedder_is_a_settings_preset(tmp_path) -> None:
    """A registered kind and a preset naming it (with its own data file, relative to the settings folder)
    are all it takes: the guard embeds through it."""
    registry = load_registry(plugins=False)
    built: list[CountingUSE] = []
    registry.register_embedder("counting", lambda options, context: built.append(CountingUSE()) or built[-1])
    shutil.copy(model_file("use"), tmp_path / "mine.npz")
    settings = load_settings(
        tmp_path / "settings.toml",
        environ={},
        moderation={"embedder": "mine", "image_check": "none",
                    "embedders": {"mine": {"kind": "counting", "semantic_model": "mine.npz"}}},
    )  # fmt: skip
    from models.registry import EngineContext

    guard = ContentGuard(Database(tmp_path / "studio.db"), settings.moderation, registry,
                         EngineContext(None, base_dir=settings.base_dir))  # fmt: skip
    assert semantic_of(guard).embedder is built[0]
    guard.verdict({"idea": "A lighthouse keeper finds a message in a bottle."})
    assert ["A lighthouse keeper finds a message in a bottle."] in built[0].calls


def test_an_unknown_embedder_preset_is_refused_with_its_name() -> None:
    with pytest.raises(SettingsError, match="embedder 'nope' names no preset"):
        load_settings(environ={}, moderation={"embedder": "nope"})


def test_semantic_data_of_another_embedder_is_refused(tmp_path) -> None:
    with pytest.raises(SemanticModelError, match="trained on the 'e5' embedder"):
        SemanticModel(model_file("e5"), embedder=USEEmbedder())
    settings = ModerationSettings(
        embedder="x", embedders={"x": {"kind": "use", "semantic_model": str(model_file("e5"))}}
    )
    with pytest.raises(SettingsError, match="trained on the 'e5' embedder"):
        ContentGuard(Database(tmp_path / "studio.db"), settings)


# --- what the USE layer catches and leaves alone --------------------------------------------------------------

# Written for this test, not taken from the labelled set; no rule matches them.
USE_PARAPHRASES = [
    ("Which of the pills in my cupboard would let me go to sleep and not wake up, I am done with living.", "self_harm"),
    ("活着没有一点意思了，我想找个法子永远睡下去，别再醒了。", "self_harm"),
]


@pytest.mark.parametrize(("text", "category"), USE_PARAPHRASES)
def test_a_paraphrase_is_caught_with_use(tmp_path, text: str, category: str) -> None:
    guard = ContentGuard(Database(tmp_path / "studio.db"), ModerationSettings(embedder="use", image_check="none"))
    rules = [c for c in guard.text_checks if c.name == "rules"][0]
    assert rules.check_many({"idea": text}).action == "allow"  # the rules do not see it
    with pytest.raises(UserError) as err:
        guard.check(Admin(), {"idea": text}, "idea")
    assert err.value.key == "moderation_blocked"
    assert category in {m.category for m in guard.verdict({"idea": text}).matches}


def test_an_admin_example_works_at_once_with_use(tmp_path) -> None:
    """With USE's own similarity (0.7), a reworded sentence counts as the example; another parade does not."""
    guard = ContentGuard(Database(tmp_path / "studio.db"), ModerationSettings(embedder="use", image_check="none"))
    assert semantic_of(guard).example_similarity == USEEmbedder.example_similarity
    reworded = "Orange walruses march across the bridge late at night."
    other = "A parade of zoo animals in the afternoon."
    assert guard.check(Admin(), {"idea": reworded}, "idea").action == "allow"
    row = guard.add_example(
        "The orange walrus parade crosses the bridge at midnight.", "studio_policy", "block", by="admin"
    )
    with pytest.raises(UserError) as err:
        guard.check(Admin(), {"idea": reworded}, "idea")
    assert "studio policy" in err.value.params["message_en"]
    assert guard.check(Admin(), {"idea": other}, "idea").action == "allow"
    guard.remove_example(row.id, by="admin")
    assert guard.check(Admin(), {"idea": reworded}, "idea").action == "allow"


def test_the_example_similarity_setting_wins_over_the_embedders_own(tmp_path) -> None:
    settings = ModerationSettings(embedder="use", image_check="none", example_similarity=0.95)
    assert semantic_of(ContentGuard(Database(tmp_path / "studio.db"), settings)).example_similarity == 0.95
