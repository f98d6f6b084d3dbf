"""User accounts: creating users, logging in (with throttling after repeated failures), roles, disabling,
changing passwords, and the JWT tokens of the REST API."""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.errors import UserError
from storage.db import Database
from storage.passwords import hash_password, verify_password
from storage.tables import User, now

USERNAME = re.compile(r"^[\w.@+-]{1,100}$")
MIN_PASSWORD = 8
MAX_FAILURES = 5  # failed logins within WINDOW before a user name is locked
WINDOW_SECONDS = 300.0
LOCK_SECONDS = 60.0  # doubles with each further lock, up to an hour
ACCESS_TTL = timedelta(hours=1)
REFRESH_TTL = timedelta(days=14)


class Throttle:
    """Counts failed logins per user name; locks a name after too many, for longer each time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._locks: dict[str, int] = {}
        self._guard = threading.Lock()

    def retry_after(self, name: str) -> float:
        """Seconds until this name may try again (0 when it may try now)."""
        with self._guard:
            return max(0.0, self._locked_until.get(name.lower(), 0.0) - self._clock())

    def failed(self, name: str) -> None:
        key, stamp = name.lower(), self._clock()
        with self._guard:
            recent = self._failures.setdefault(key, deque())
            recent.append(stamp)
            while recent and stamp - recent[0] > WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= MAX_FAILURES:
                self._locks[key] = self._locks.get(key, 0) + 1
                self._locked_until[key] = stamp + min(3600.0, LOCK_SECONDS * 2 ** (self._locks[key] - 1))
                recent.clear()

    def succeeded(self, name: str) -> None:
        with self._guard:
            self._failures.pop(name.lower(), None)
            self._locks.pop(name.lower(), None)


class Accounts:
    def __init__(self, db: Database, secret_file: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.throttle = Throttle(clock)
        self._secret = self._load_secret(secret_file)

    @staticmethod
    def _load_secret(path: Path) -> str:
        """The JWT signing key: made once, kept beside the database, readable by this user only."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(secrets.token_urlsafe(48))
            os.chmod(tmp, 0o600)
            tmp.replace(path)
        return path.read_text().strip()

    # -- users ----------------------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: str = "user", email: str = "",
                    created_by: int | None = None) -> User:  # fmt: skip
        username = (username or "").strip()
        if not USERNAME.match(username):
            raise UserError("username_invalid")
        if len(password or "") < MIN_PASSWORD:
            raise UserError("password_short", n=MIN_PASSWORD)
        if role not in ("admin", "user"):
            raise UserError("role_invalid")
        with self.db.session() as s:
            if s.exec(select(User).where(User.username == username)).first() is not None:
                raise UserError("username_taken")
            user = User(username=username, password_hash=hash_password(password), role=role, email=email.strip(),
                        created_by=created_by)  # fmt: skip
            s.add(user)
            s.commit()
            s.refresh(user)
            return user

    def get(self, user_id: int) -> User | None:
        with self.db.session() as s:
            return s.get(User, user_id)

    def by_name(self, username: str | None) -> User | None:
        """The user with this name, active or not."""
        if not username:
            return None
        with self.db.session() as s:
            return s.exec(select(User).where(User.username == username.strip())).first()

    def local(self, username: str) -> User:
        """The creator who works without login on localhost: an admin with no password, made on first use."""
        with self.db.session() as s:
            user = s.exec(select(User).where(User.username == username)).first()
            if user is not None:
                return user
            s.add(User(username=username, role="admin"))
            try:
                s.commit()
            except IntegrityError:  # made by a request at the same moment (20 clients of a fresh studio did)
                s.rollback()
            return s.exec(select(User).where(User.username == username)).one()

    def any_password_account(self) -> bool:
        """Whether anyone can log in with a password (login mode needs at least one such account)."""
        with self.db.session() as s:
            return s.exec(select(User).where(User.password_hash != "")).first() is not None

    def save(self, name: str, password: str, role: str, active: bool, by: int | None = None) -> User:
        """Create the user, or update an existing one's role, active flag and (when given) password."""
        existing = self.by_name(name)
        if existing is None:
            return self.create_user(name, password, role=role, created_by=by)
        if password:
            self.set_password(existing.id, password, by=by)
        self.set_role(existing.id, role, by=by)
        return self.set_active(existing.id, active, by=by)

    def users(self) -> list[User]:
        with self.db.session() as s:
            return list(s.exec(select(User).order_by(User.id)).all())

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this name and password, or None. Raises UserError while throttled."""
        username = (username or "").strip()
        wait = self.throttle.retry_after(username)
        if wait > 0:
            raise UserError("login_throttled", seconds=int(wait) + 1)
        with self.db.session() as s:
            user = s.exec(select(User).where(User.username == username)).first()
            ok, new_hash = verify_password(password or "", user.password_hash) if user else (False, None)
            if not ok or not user.active:
                self.throttle.failed(username)
                return None
            if new_hash:  # an old scheme (bcrypt): store argon2id now that the password is known
                user.password_hash = new_hash
                s.add(user)
                s.commit()
                s.refresh(user)
        self.throttle.succeeded(username)
        return user

    def _update(self, user_id: int, by: int | None, **changes) -> User:
        with self.db.session() as s:
            user = s.get(User, user_id)
            if user is None:
                raise UserError("user_missing")
            for key, value in changes.items():
                setattr(user, key, value)
            user.last_modified_at, user.last_modified_by = now(), by
            s.add(user)
            s.commit()
            s.refresh(user)
            return user

    def set_password(self, user_id: int, password: str, by: int | None = None) -> User:
        if len(password or "") < MIN_PASSWORD:
            raise UserError("password_short", n=MIN_PASSWORD)
        return self._update(user_id, by, password_hash=hash_password(password))

    def set_active(self, user_id: int, active: bool, by: int | None = None) -> User:
        return self._update(user_id, by, active=bool(active))

    def set_role(self, user_id: int, role: str, by: int | None = None) -> User:
        if role not in ("admin", "user"):
            raise UserError("role_invalid")
        return self._update(user_id, by, role=role)

    # -- tokens ---------------------------------------------------------------------------------------
    def issue_tokens(self, user: User) -> dict[str, str]:
        stamp = datetime.now(UTC)

        def token(kind: str, ttl: timedelta) -> str:
            claims = {"sub": str(user.id), "kind": kind, "iat": stamp, "exp": stamp + ttl}
            return jwt.encode(claims, self._secret, algorithm="HS256")

        return {"access_token": token("access", ACCESS_TTL), "refresh_token": token("refresh", REFRESH_TTL),
                "token_type": "bearer"}  # fmt: skip

    def user_from_token(self, token: str, kind: str = "access") -> User | None:
        """The active user a valid token of this kind names, or None."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"])
        except jwt.PyJWTError:
            return None
        if claims.get("kind") != kind:
            return None
        user = self.get(int(claims["sub"]))
        return user if user is not None and user.active else None
