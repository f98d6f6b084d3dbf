"""What every safety check returns: matches and a verdict, plus the contract a check fulfils.

A text check (registry seam ``text_check``) is built once per studio and told the admin's current policy
(rules, allow-list terms, examples) with ``update``; ``check_many`` then judges named texts. An image
check (seam ``image_check``) scores one frame per category. Both are plain classes; the studio's
ContentGuard (app/moderation_store.py) turns their verdicts into refusals and audit rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field, field_validator

RuleAction = Literal["block", "warn"]
VerdictAction = Literal["allow", "warn", "block"]
Language = Literal["zh", "en", "any"]

# Shown to users; admin-defined categories fall back to their key.
CATEGORY_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "minors": MappingProxyType({"zh": "涉及未成年人的色情内容", "en": "sexual content involving minors"}),
        "violence": MappingProxyType({"zh": "血腥暴力", "en": "graphic violence"}),
        "terrorism": MappingProxyType({"zh": "恐怖主义与武器", "en": "terrorism and weapons"}),
        "hate": MappingProxyType({"zh": "仇恨言论", "en": "hate speech"}),
        "self_harm": MappingProxyType({"zh": "自杀与自残", "en": "suicide and self-harm"}),
        "drugs": MappingProxyType({"zh": "违禁药物", "en": "illegal drugs"}),
        "sexual_violence": MappingProxyType({"zh": "性暴力", "en": "sexual violence"}),
        "nudity": MappingProxyType({"zh": "色情或裸露画面", "en": "sexual or nude imagery"}),
    }
)

SEVERITY: Mapping[str, int] = MappingProxyType({"allow": 0, "warn": 1, "block": 2})


class Rule(BaseModel):
    """One sensitive term. Word-boundary handling follows the script of the pattern, not `language`."""

    id: int | None = None
    category: str
    pattern: str
    action: RuleAction = "block"
    language: Language = "any"
    enabled: bool = True

    @field_validator("category", "pattern")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class Example(BaseModel):
    """A labelled text an admin added: `block` teaches the semantic layer a category, `allow` a harmless use."""

    id: int | None = None
    text: str = Field(min_length=1, max_length=500)
    category: str = Field(min_length=1, max_length=64)  # "allow" examples carry the category they clear
    action: Literal["block", "allow"] = "block"


class Match(BaseModel):
    rule_id: int | None
    pattern: str
    category: str
    action: RuleAction
    start: int  # span in the ORIGINAL text of `field`
    end: int
    excerpt: str
    field: str | None = None  # which input (storyboard cell, narration...) when checked with check_many
    check: str = "rules"  # which check found it: rules, semantic, image


class Verdict(BaseModel):
    action: VerdictAction = "allow"
    matches: list[Match] = Field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """Distinct categories, blocking ones first, then in order of appearance."""
        ordered = sorted(self.matches, key=lambda m: -SEVERITY[m.action])
        return list(dict.fromkeys(m.category for m in ordered))

    @property
    def rule_ids(self) -> list[int]:
        return list(dict.fromkeys(m.rule_id for m in self.matches if m.rule_id is not None))

    def message(self, lang: Literal["zh", "en"] = "en") -> str:
        """A user-facing sentence naming the categories behind the verdict (never the matched rule terms)."""
        deciding = [m.category for m in self.matches if m.action == self.action]
        labels = [category_label(c, lang) for c in dict.fromkeys(deciding)]
        if lang == "zh":
            joined = "、".join(labels)
            if self.action == "block":
                return f"内容未通过审核，涉及：{joined}。请修改后重试，本次不会生成任何内容。"
            if self.action == "warn":
                return f"内容可能涉及：{joined}。请确认后再继续。"
            return "内容已通过审核。"
        joined = ", ".join(labels)
        if self.action == "block":
            return (
                f"This content was blocked because it involves: {joined}. Please revise it; nothing will be rendered."
            )
        if self.action == "warn":
            return f"This content may involve: {joined}. Please confirm to continue."
        return "No issues found."


def category_label(category: str, lang: Literal["zh", "en"] = "en") -> str:
    labels = CATEGORY_LABELS.get(category)
    return labels[lang] if labels else category.replace("_", " ")


def combine(matches: list[Match]) -> Verdict:
    action: VerdictAction = "allow"
    for m in matches:
        if SEVERITY[m.action] > SEVERITY[action]:
            action = m.action
    return Verdict(action=action, matches=matches)


@dataclass(frozen=True)
class Policy:
    """The admin's current moderation data, handed to every text check after each edit."""

    rules: Sequence[Rule] = ()
    allow: Sequence[str] = ()
    examples: Sequence[Example] = field(default_factory=tuple)


class TextCheck(Protocol):
    """The ``text_check`` seam. `update` may be called at any time (an admin edit); checks keep no
    per-request state, so `check_many` may run from several threads."""

    name: str

    def update(self, policy: Policy) -> None: ...

    def check_many(self, texts: Mapping[str, str]) -> Verdict: ...


@runtime_checkable
class ImageClassifierHook(Protocol):
    """The ``image_check`` seam: `classify` receives a frame (an RGB numpy array, a PIL image or a file path)
    and returns (category, score) pairs with scores in [0, 1]; categories use the labels above."""

    def classify(self, image: Any) -> list[tuple[str, float]]: ...


def check_image(
    image: Any, hook: ImageClassifierHook | None = None, threshold: float = 0.8, *, warn_threshold: float | None = None
) -> Verdict:
    """Block a frame whose score for any category reaches `threshold`; warn from `warn_threshold` if set.
    With no hook every image is allowed."""
    if hook is None:
        return Verdict()
    matches = []
    for category, score in hook.classify(image):
        if score >= threshold:
            action: RuleAction = "block"
        elif warn_threshold is not None and score >= warn_threshold:
            action = "warn"
        else:
            continue
        matches.append(Match(rule_id=None, pattern=f"image:{category}", category=category, action=action, start=0,
                             end=0, excerpt=f"{score:.2f}", check="image"))  # fmt: skip
    return combine(matches)
