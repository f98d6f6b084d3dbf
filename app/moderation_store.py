"""Moderation's database side: seed the shipped rules, build a Moderator from the rule table, and write
and read the audit log. Admins edit `ModerationRule` rows; call `load_moderator` again after an edit."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping

from sqlmodel import Session, col, func, select

from app.moderation import Moderator, Rule, Verdict, check_image, default_allow, default_rules
from models.errors import UserError
from storage.tables import ModerationAudit, ModerationRule

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


def load_moderator(session: Session) -> Moderator:
    """Compile the enabled rules and allow-list terms stored in the database."""
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
    return Moderator(rules, allow)


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


def _load_hook(spec: str):
    """Build the user's image classifier from "package.module:factory"."""
    module_name, _, factory = spec.partition(":")
    return getattr(importlib.import_module(module_name), factory)()


def refusal(key: str, verdict: Verdict) -> UserError:
    """The UserError telling the user, in either language, which categories stopped them."""
    return UserError(key, message_en=verdict.message("en"), message_zh=verdict.message("zh"))


class ContentGuard:
    """What the studio asks before it stores or renders anything: checks texts against the rules in the
    database, records warn and block decisions in the audit log, and refuses blocked content."""

    def __init__(self, db, enabled: bool = True, image_hook: str = "", image_threshold: float = 0.8) -> None:
        self.db, self.enabled = db, enabled
        self.image_threshold = image_threshold
        self.image_hook = _load_hook(image_hook) if enabled and image_hook else None
        with db.session() as s:
            seed_default_rules(s)
        self._lock = threading.Lock()
        self._moderator = self._load()

    def _load(self) -> Moderator:
        with self.db.session() as s:
            return load_moderator(s)

    def reload(self) -> None:
        """Rebuild the matcher after an admin edited the rules."""
        moderator = self._load()
        with self._lock:
            self._moderator = moderator

    def check(self, user, texts: Mapping[str, str], source: str, confirmed: bool = False) -> Verdict:
        """Allow, or raise UserError: `moderation_blocked`, or `moderation_warn` until the user confirms."""
        if not self.enabled:
            return Verdict(action="allow", matches=[])
        with self._lock:
            moderator = self._moderator
        verdict = moderator.check_many({k: v for k, v in texts.items() if v})
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
        """Run the optional image classifier on a keyframe; raise UserError when it blocks."""
        if self.image_hook is None:
            return Verdict(action="allow", matches=[])
        verdict = check_image(image, self.image_hook, self.image_threshold)
        if verdict.action == "block":
            self._audit(user, verdict, source, "(keyframe)")
            raise refusal("moderation_blocked", verdict)
        return verdict

    def _audit(self, user, verdict: Verdict, source: str, text: str) -> None:
        with self.db.session() as s:
            record_audit(s, verdict, user_id=user.id, username=user.username, source=source, text=text)

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
            if not pattern or not category or action not in ("block", "warn"):
                raise UserError("moderation_rule_invalid", row=i)
            clean.append(ModerationRule(category=category, pattern=pattern, action=action,
                                        language=str(row.get("language") or "any").strip() or "any",
                                        enabled=bool(row.get("enabled", True)), is_allow=bool(row.get("is_allow")),
                                        created_by=by))  # fmt: skip
        with self.db.session() as s:
            for old in s.exec(select(ModerationRule)).all():
                s.delete(old)
            s.add_all(clean)
            s.commit()
        self.reload()
        return len(clean)

    def audit(self, limit: int = 100) -> list[ModerationAudit]:
        with self.db.session() as s:
            return list_audit(s, limit)
