"""Actions the verb tables of animatic_facts cannot read by their first word: a fall ("He falls", "trips and
falls", "falls off the bike", 摔倒, 跌倒), which puts a person on the ground, not standing; a ride with nothing
named to ride ("rides again", "rides off"), which is a bicycle's; and who learns to ride ("teaches her
grandfather to ride a bicycle": the grandfather is on it, not the girl teaching him).
"""

from __future__ import annotations

import re

# A fall said as the subject's own verb (first, or after "and"): "falls", "falls over", "trips and falls",
# "slips on the ice". Not "falls asleep", "falls in love", "falls silent", nor snow or night that falls
# ("watches the snow fall" does not start with it).
FALLS = re.compile(
    r"^(?:\w+ly\s+)?(?:\w+s\s+and\s+)?(?:falls?|fell|falling|trips?|tripped|tumbles?|tumbled|stumbles?|stumbled|"
    r"slips?|slipped|topples?|toppled|crashes)\b(?!\s+(?:asleep|in love|silent|quiet|still|behind|apart|for|ill|"
    r"sick|short|into place|into line))|摔倒|跌倒|摔了|跌了|摔跤|绊倒|滑倒",
    re.I,
)
# A ride with no thing named after it ("rides again", "rides off", "rides home"): "rides the horse", "rides in
# the car" and "rides on the bus" name their own.
BARE_RIDE = re.compile(
    r"^(?:\w+ly\s+)?(?:(?:gets up|tries|starts|learns)\s+(?:and|to|again\s+and)\s+)?(?:rides?|riding|rode|ride)\b"
    r"(?!\s+(?:a|an|the|his|her|their|its|on|in|into|with)\b)",
    re.I,
)
# Who learns the ride: "teaches her grandfather to ride", "helps the boy ride", "teaches him how to ride".
LEARNER = re.compile(
    r"\b(?:teach(?:es)?|taught|help(?:s|ed)?|show(?:s|ed)?)\s+(?:her|his|their|the|a|an|my|our)?\s*([a-z]+)\s+"
    r"(?:how\s+)?(?:to\s+)?ride\b",
    re.I,
)


def falls(action: str) -> bool:
    """Whether the action puts its subject on the ground."""
    return bool(FALLS.search(action.strip()))


def bare_ride(action: str) -> bool:
    """Whether the action rides without naming what (a bicycle, where nothing else to ride is drawn)."""
    return bool(BARE_RIDE.search(action.strip()))


def learner(action: str) -> str:
    """The word for whoever the action teaches or helps to ride ('' when none)."""
    m = LEARNER.search(action)
    return m.group(1).lower() if m else ""
