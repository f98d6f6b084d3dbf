"""Moderation's database side: seed the shipped rules, build a Moderator from the rule table, and write
and read the audit log. Admins edit `ModerationRule` rows; call `load_moderator` again after an edit."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from app.moderation import Moderator, Rule, Verdict, default_allow, default_rules
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
