"""Two people and a thing passed between them, as a creator reads the board: what someone brings along stays in
their scene, when it happens is said with what happens, and the story ends with the thing given back."""

from __future__ import annotations

import pytest

from models.writers import idea_reading
from models.writers.facts_en_scene import time_lead
from models.writers.lexicon import default_lexicon
from models.writers.planner import PlannerOptions, plan_storyboard

SCARF = (
    "On a snowy morning, a boy lends his scarf to a shivering girl at the school gate. Two days later, she "
    "comes to the same gate to return it, with a box of cookies."
)
RETURNED = (
    "On a snowy evening, a little girl gives her red scarf to a shivering old woman at the train station. A month "
    "later, the old woman waits on the same platform to return it, with a warm loaf of bread."
)
BOOK = "A librarian lends her book to a young sailor at the harbour. A month later, he returns it, with a jar of honey."


@pytest.mark.parametrize(
    ("idea", "tail"),
    [
        (SCARF, "with a box of cookies"),
        ("A fisherman walks along the beach, carrying a basket of crabs.", "carrying a basket of crabs"),
    ],
)
def test_what_someone_brings_along_stays_in_their_scene(idea: str, tail: str):
    """Before: ', with a bunch of flowers' became a scene of its own, whose subject was the story's first person
    ('The young woman and the bunch'), and the one who brought them stood empty-handed."""
    reading = idea_reading.read_idea(idea, "en", default_lexicon())
    assert not any(c.lower().startswith(("with ", "carrying ")) for c in reading.clauses), reading.clauses
    last = reading.clauses[-1]
    assert last.endswith(tail), reading.clauses
    assert tail in reading.facts[-1].action, reading.facts[-1]
    board = plan_storyboard(idea, PlannerOptions(target_seconds=30))
    assert not any(s.narration.lower().startswith(("with ", "carrying ")) for s in board.scenes)


def test_when_is_never_narrated_on_its_own_line():
    """Before: with more to say than 30 s allow, a scene kept its first clause only, so the giving was narrated
    as 'On a snowy evening.' and the return as 'A month later.'"""
    board = plan_storyboard(RETURNED, PlannerOptions(target_seconds=30))
    for scene in board.scenes:
        said = scene.narration.rstrip(".!?… ")
        assert not time_lead(said + " it happens")[0] or time_lead(said + " it happens")[0] != said, scene.narration
        assert said not in ("On a snowy evening", "A month later"), scene.narration
    lines = " ".join(s.narration for s in board.scenes)
    assert "gives her red scarf" in lines and "return it" in lines, lines


@pytest.mark.parametrize(
    ("idea", "giver", "owner", "thing"), [(SCARF, "girl", "boy", "scarf"), (BOOK, "sailor", "librarian", "book")]
)
def test_a_thing_lent_ends_given_back_with_both_in_frame(idea: str, giver: str, owner: str, thing: str):
    """Before: the last scenes showed the one who lent it alone ('The young woman and the bunch'), never the two
    of them together with the thing handed back."""
    board = plan_storyboard(idea, PlannerOptions(target_seconds=30))
    last = board.scenes[-1]
    assert f"the {thing} back to the" in last.narration.lower(), last.narration
    assert last.facts is not None
    subjects = " ".join(last.facts.subjects)
    assert giver in subjects and owner in subjects, last.facts
    assert last.facts.subjects[0].endswith(giver), "the one giving it back comes first: the doer"
    assert f"{thing} back to the" in last.facts.action, last.facts
    assert f"the {thing} back to" in last.description


def test_nothing_given_back_keeps_the_usual_closing():
    board = plan_storyboard(
        "A girl shares her umbrella with a boy at the bus stop. A week later, he waits there again.",
        PlannerOptions(target_seconds=30),
    )
    assert not any("back to the" in s.narration for s in board.scenes), [s.narration for s in board.scenes]
