"""Moderation's engines, as the studio names them. The checks themselves live in models/safety/ (the rule
engine, the semantic layer, the keyframe classifier) so that the registry's built-ins can build them;
the database side, refusals and the audit log are in app/moderation_store.py."""

from __future__ import annotations

from models.safety.rules import (
    Combo,
    Moderator,
    Normaliser,
    RulesCheck,
    default_allow,
    default_combos,
    default_rules,
)
from models.safety.verdict import (
    CATEGORY_LABELS,
    Example,
    ImageClassifierHook,
    Match,
    Policy,
    Rule,
    TextCheck,
    Verdict,
    category_label,
    check_image,
)

__all__ = [
    "CATEGORY_LABELS",
    "Combo",
    "Example",
    "ImageClassifierHook",
    "Match",
    "Moderator",
    "Normaliser",
    "Policy",
    "Rule",
    "RulesCheck",
    "TextCheck",
    "Verdict",
    "category_label",
    "check_image",
    "default_allow",
    "default_combos",
    "default_rules",
]
