"""Password hashing through passlib's API (the maintained libpass fork) with argon2id.

bcrypt stays in the context only so old hashes still verify; they are flagged for an upgrade.
"""

from __future__ import annotations

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2", "bcrypt"], deprecated="auto")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, stored: str) -> tuple[bool, str | None]:
    """(matches, new hash or None). A new hash is returned when the stored one uses an old scheme."""
    if not stored:
        return False, None
    try:
        return _context.verify_and_update(password, stored)
    except ValueError:  # a malformed stored hash never matches
        return False, None
