"""Moderation's database side: seed the shipped rules, hand the rule table, allow list and admin examples to
the registered checks, refuse what they block, and write and read the audit log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from app.moderation import (
    Example,
    Moderator,
    Policy,
    Rule,
    Verdict,
    category_label,
    check_image,
    default_allow,
    default_rules,  # fmt: skip
)
from app.settings import ModerationSettings, SettingsError
from models.errors import UserError
from models.ffmpeg import FFmpegError
from models.registry import EngineContext, Registry, UnknownEngine, load_registry
from models.safety.semantic import SemanticModelError
from storage.tables import ModerationAudit, ModerationExample, ModerationRule

log = logging.getLogger(__name__)

EXCERPT_LIMIT = 200
ALLOW_CATEGORY = "allow"  # category stored on allow-list rows (is_allow=True)


def seed_default_rules(session: Session, *, created_by: str = "system") -> int:
    """Insert the shipped rules and allow list if the rule table is empty; returns the number of rows added."""
    if session.exec(select(func.count()).select_from(ModerationRule)).one():
        return 0
    rows = [
        ModerationRule(
            category=r.category,
            pattern=r.pattern,
            action=r.action,
            language=r.language,
            enabled=r.enabled,
            created_by=created_by,
        )
        for r in default_rules()
    ]
    rows += [
        ModerationRule(category=ALLOW_CATEGORY, pattern=term, is_allow=True, created_by=created_by)
        for term in default_allow()
    ]
    session.add_all(rows)
    session.commit()
    return len(rows)


def load_policy(session: Session) -> Policy:
    """The enabled rules, allow-list terms and examples stored in the database."""
    rows = session.exec(select(ModerationRule).where(col(ModerationRule.enabled))).all()
    rules = [
        Rule(
            id=row.id,
            category=row.category,
            pattern=row.pattern,
            action="warn" if row.action == "warn" else "block",  # anything unexpected fails safe
            language=row.language if row.language in ("zh", "en") else "any",
        )
        for row in rows
        if not row.is_allow and row.pattern.strip() and row.category.strip()  # a blank row must not break checks
    ]
    allow = [row.pattern for row in rows if row.is_allow]
    examples = [Example(id=e.id, text=e.text, category=e.category, action="allow" if e.action == "allow" else "block")
                for e in session.exec(select(ModerationExample).order_by(col(ModerationExample.id))).all()]  # fmt: skip
    return Policy(rules=rules, allow=allow, examples=examples)


def load_moderator(session: Session) -> Moderator:
    """Compile the enabled rules and allow-list terms stored in the database (the studio's RulesCheck adds
    the shipped combinations)."""
    policy = load_policy(session)
    return Moderator(policy.rules, policy.allow)


def _excerpt(text: str, verdict: Verdict) -> str:
    """Up to EXCERPT_LIMIT characters of `text`, centred on the first match so admins see the context."""
    if len(text) <= EXCERPT_LIMIT:
        return text
    centre = verdict.matches[0].start if verdict.matches else 0
    start = max(0, min(centre - EXCERPT_LIMIT // 2, len(text) - EXCERPT_LIMIT))
    return text[start : start + EXCERPT_LIMIT]


def record_audit(
    session: Session,
    verdict: Verdict,
    *,
    user_id: int | None,
    username: str | None,
    source: str,
    text: str,
) -> ModerationAudit | None:
    """Log a warn or block verdict (allowed content is not logged); returns the stored row."""
    if verdict.action == "allow":
        return None
    row = ModerationAudit(
        user_id=user_id,
        username=username,
        source=source,
        text_excerpt=_excerpt(text, verdict),
        action=verdict.action,
        categories=",".join(verdict.categories),
        rule_ids=",".join(str(i) for i in verdict.rule_ids),
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def list_audit(session: Session, limit: int = 100) -> list[ModerationAudit]:
    """The newest audit rows first, for the admin view."""
    query = select(ModerationAudit).order_by(col(ModerationAudit.created_at).desc(), col(ModerationAudit.id).desc())
    return list(session.exec(query.limit(limit)).all())


def refusal(key: str, verdict: Verdict) -> UserError:
    """The UserError telling the user, in either language, which categories stopped them."""
    return UserError(key, message_en=verdict.message("en"), message_zh=verdict.message("zh"))


def build_checks(settings: ModerationSettings, registry: Registry, context: EngineContext) -> tuple[list, Any]:
    """The text checks and the image check (None: off) that the settings name, built by the registry."""
    options = settings.model_dump()
    # The semantic check builds its embedder through the same registry (plug-in embedders included).
    context = EngineContext(context.models_dir, context.frames_dir, context.base_dir, registry=registry)
    try:
        texts = [registry.build("text_check", {**options, "kind": kind}, context) for kind in settings.text_checks]
        image = registry.build("image_check", {**options, "kind": settings.image_check}, context)
    except (UnknownEngine, SemanticModelError) as err:
        raise SettingsError(f"[moderation] {err}") from None
    return texts, image


class ContentGuard:
    """What the studio asks before it stores or renders anything: runs the registered text checks, records
    warn and block decisions in the audit log, refuses blocked content, and checks rendered clips."""

    def __init__(self, db, settings: ModerationSettings | None = None, registry: Registry | None = None,
                 context: EngineContext | None = None) -> None:  # fmt: skip
        self.db = db
        self.settings = settings or ModerationSettings()
        self.enabled = self.settings.enabled
        self.image_threshold = self.settings.image_threshold
        self.text_checks: list = []
        self.image_check = None
        if self.enabled:
            self.text_checks, self.image_check = build_checks(
                self.settings, registry or load_registry(), context or EngineContext(models_dir=None)
            )
        with db.session() as s:
            seed_default_rules(s)
        self._lock = threading.Lock()
        self.reload()

    def reload(self) -> None:
        """Hand the rules, allow list and examples in the database to every check (after an admin edit)."""
        with self.db.session() as s:
            policy = load_policy(s)
        with self._lock:
            for check in self.text_checks:
                check.update(policy)

    def verdict(self, texts: Mapping[str, str]) -> Verdict:
        """Every text check's matches on `texts`, combined (no audit, no refusal)."""
        limit = self.settings.max_text_chars
        clean = {k: v if isinstance(v, str) else str(v) for k, v in texts.items() if v}
        if any(len(v) > limit for v in clean.values()):
            raise UserError("text_too_long", limit=limit)  # before any check reads it
        matches = [m for check in self.text_checks for m in check.check_many(clean).matches]
        return Verdict(action=max((m.action for m in matches), key=_severity, default="allow"), matches=matches)

    def check(self, user, texts: Mapping[str, str], source: str, confirmed: bool = False) -> Verdict:
        """Allow, or raise UserError: `moderation_blocked`, or `moderation_warn` until the user confirms."""
        if not self.enabled:
            return Verdict(action="allow", matches=[])
        verdict = self.verdict(texts)
        if verdict.action == "allow":
            return verdict
        first_field = verdict.matches[0].field if verdict.matches else None
        self._audit(user, verdict, source, texts.get(first_field) or next(iter(texts.values()), ""))
        if verdict.action == "block":
            raise refusal("moderation_blocked", verdict)
        if not confirmed:
            raise refusal("moderation_warn", verdict)
        return verdict

    def check_keyframe(self, user, image, source: str) -> Verdict:
        """Run the image check on one frame; raise UserError when it blocks."""
        if self.image_check is None:
            return Verdict(action="allow", matches=[])
        verdict = check_image(image, self.image_check, self.image_threshold)
        if verdict.action == "block":
            self._audit(user, verdict, source, "(keyframe)")
            raise refusal("moderation_blocked", verdict)
        return verdict

    def check_clip(self, user, scene: int, clip: Path | Sequence[tuple[str, Any]]) -> Verdict:
        """Check a rendered clip's first, middle and last frame (or the (position, frame) pairs given).
        A flagged clip raises UserError('moderation_clip_blocked') naming the scene, and is audited."""
        if not self.enabled or self.image_check is None:
            return Verdict(action="allow", matches=[])
        from models.safety.image import clip_frames

        try:
            frames = clip_frames(Path(clip)) if isinstance(clip, str | Path) else list(clip)
        except FFmpegError as exc:
            log.warning("clip of scene %d could not be read for the keyframe check: %s", scene, exc)
            raise UserError("clip_unreadable", scene=scene) from exc
        for position, frame in frames:
            verdict = check_image(frame, self.image_check, self.image_threshold)
            if verdict.action != "block":
                continue
            top = verdict.matches[0]
            self._audit(user, verdict, "keyframe", f"scene {scene}, {position} frame: {top.category} {top.excerpt}")
            raise UserError("moderation_clip_blocked", scene=scene, category_en=category_label(top.category, "en"),
                            category_zh=category_label(top.category, "zh"))  # fmt: skip
        return Verdict(action="allow", matches=[])

    def _audit(self, user, verdict: Verdict, source: str, text: str) -> None:
        with self.db.session() as s:
            record_audit(s, verdict, user_id=getattr(user, "id", None), username=getattr(user, "username", None),
                         source=source, text=text)  # fmt: skip

    def _audit_edit(self, by: str, source: str, action: str, category: str, text: str) -> None:
        """An admin's change to the moderation data, in the same log as the decisions."""
        with self.db.session() as s:
            s.add(ModerationAudit(username=by, source=source, action=action, categories=category,
                                  text_excerpt=text[:EXCERPT_LIMIT]))  # fmt: skip
            s.commit()

    def rules(self) -> list[ModerationRule]:
        with self.db.session() as s:
            return list(s.exec(select(ModerationRule).order_by(ModerationRule.id)).all())

    def save_rules(self, rows: list[dict], by: str) -> int:
        """Replace the rule table with `rows` (category, pattern, action, language, enabled, is_allow), validated
        first: nothing changes when any row is bad. Returns the number of rules stored."""
        clean = []
        for i, row in enumerate(rows, 1):
            pattern, category = str(row.get("pattern") or "").strip(), str(row.get("category") or "").strip()
            if not pattern and not category:
                continue  # an empty line of the table editor
            action = str(row.get("action") or "block").strip()
            if (
                not pattern
                or not category
                or action not in ("block", "warn")
                or len(pattern) > 200
                or len(category) > 64
            ):
                raise UserError("moderation_rule_invalid", row=i)
            clean.append(ModerationRule(category=category, pattern=pattern, action=action,
                                        language=str(row.get("language") or "any").strip()[:8] or "any",
                                        enabled=bool(row.get("enabled", True)), is_allow=bool(row.get("is_allow")),
                                        created_by=by))  # fmt: skip
        with self.db.session() as s:
            for old in s.exec(select(ModerationRule)).all():
                s.delete(old)
            s.add_all(clean)
            s.commit()
        self.reload()
        return len(clean)

    def examples(self) -> list[ModerationExample]:
        with self.db.session() as s:
            return list(s.exec(select(ModerationExample).order_by(col(ModerationExample.id))).all())

    def add_example(self, text: str, category: str, action: str, by: str) -> ModerationExample:
        """Store an admin's example (block: with its category; allow: a harmless text); used from the next check."""
        text = " ".join(str(text or "").split())
        category = str(category or "").strip() or ("allow" if action == "allow" else "")
        if not text or len(text) > 500 or not category or len(category) > 64 or action not in ("block", "allow"):
            raise UserError("moderation_example_invalid")
        row = ModerationExample(text=text, category=category, action=action, created_by=by)
        with self.db.session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
        self._audit_edit(by, "example:add", action, category, text)
        self.reload()
        return row

    def remove_example(self, example_id: int, by: str) -> None:
        with self.db.session() as s:
            row = s.get(ModerationExample, example_id)
            if row is None:
                raise UserError("example_missing")
            action, category, text = row.action, row.category, row.text
            s.delete(row)
            s.commit()
        self._audit_edit(by, "example:remove", action, category, text)
        self.reload()

    def audit(self, limit: int = 100) -> list[ModerationAudit]:
        with self.db.session() as s:
            return list_audit(s, limit)


def _severity(action: str) -> int:
    return {"allow": 0, "warn": 1, "block": 2}[action]
