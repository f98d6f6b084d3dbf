import pytest
from passlib.hash import bcrypt
from sqlmodel import select

from app.accounts import LOCK_SECONDS, MAX_FAILURES, Accounts
from models.errors import UserError
from storage.db import Database
from storage.tables import User


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def accounts(tmp_path):
    clock = Clock()
    acc = Accounts(Database(tmp_path / "a.db"), tmp_path / "jwt.secret", clock=clock)
    acc.clock = clock
    return acc


def test_new_hashes_are_argon2id(accounts):
    user = accounts.create_user("ann", "a long passphrase")
    assert user.password_hash.startswith("$argon2id$")
    assert accounts.authenticate("ann", "a long passphrase").id == user.id
    assert accounts.authenticate("ann", "wrong password") is None


def test_old_bcrypt_hash_verifies_and_is_upgraded(accounts):
    with accounts.db.session() as s:
        s.add(User(username="old", password_hash=bcrypt.hash("legacy-password")))
        s.commit()
    assert accounts.authenticate("old", "legacy-password") is not None
    with accounts.db.session() as s:
        upgraded = s.exec(select(User).where(User.username == "old")).one().password_hash
    assert upgraded.startswith("$argon2id$")
    assert accounts.authenticate("old", "legacy-password") is not None


def test_repeated_failures_lock_the_name_for_a_while(accounts):
    accounts.create_user("bob", "right password")
    for _ in range(MAX_FAILURES):
        assert accounts.authenticate("bob", "guess") is None
    with pytest.raises(UserError) as err:
        accounts.authenticate("bob", "right password")  # even the right password waits
    assert err.value.key == "login_throttled"
    accounts.clock.now += LOCK_SECONDS + 1
    for _ in range(MAX_FAILURES):  # the guessing goes on: the second lock lasts longer
        assert accounts.authenticate("bob", "guess") is None
    accounts.clock.now += LOCK_SECONDS + 1
    with pytest.raises(UserError):
        accounts.authenticate("bob", "right password")
    accounts.clock.now += LOCK_SECONDS + 1
    assert accounts.authenticate("bob", "right password") is not None


def test_disabled_users_cannot_log_in_or_use_tokens(accounts):
    user = accounts.create_user("cat", "cat password")
    tokens = accounts.issue_tokens(user)
    assert accounts.user_from_token(tokens["access_token"]).id == user.id
    accounts.set_active(user.id, False)
    assert accounts.authenticate("cat", "cat password") is None
    assert accounts.user_from_token(tokens["access_token"]) is None


def test_tokens_are_typed_and_signed(accounts, tmp_path):
    user = accounts.create_user("dan", "dan password")
    tokens = accounts.issue_tokens(user)
    assert accounts.user_from_token(tokens["refresh_token"]) is None  # a refresh token is no access token
    assert accounts.user_from_token(tokens["refresh_token"], kind="refresh").id == user.id
    other = Accounts(Database(tmp_path / "b.db"), tmp_path / "other.secret")
    assert other.user_from_token(tokens["access_token"]) is None  # another studio's key does not match
    assert accounts.user_from_token("not-a-token") is None


def test_password_change_and_validation(accounts):
    user = accounts.create_user("eve", "first password")
    accounts.set_password(user.id, "second password")
    assert accounts.authenticate("eve", "first password") is None
    assert accounts.authenticate("eve", "second password") is not None
    for call, key in [
        (lambda: accounts.create_user("eve", "another password"), "username_taken"),
        (lambda: accounts.create_user("bad name!", "long enough"), "username_invalid"),
        (lambda: accounts.create_user("fay", "short"), "password_short"),
        (lambda: accounts.set_role(user.id, "root"), "role_invalid"),
        (lambda: accounts.set_password(999, "long enough"), "user_missing"),
    ]:
        with pytest.raises(UserError) as err:
            call()
        assert err.value.key == key


def test_secret_file_is_private(tmp_path):
    Accounts(Database(tmp_path / "a.db"), tmp_path / "s" / "jwt.secret")
    assert (tmp_path / "s" / "jwt.secret").stat().st_mode & 0o077 == 0


def test_the_local_creator_made_by_many_first_requests_at_once_is_one_user(accounts, monkeypatch):
    """A fresh studio without login got 20 requests at once: each made the local creator, all but one failed on
    the unique name (a server error on the page). Every request now gets the one user. The requests meet
    after each found no user and before any stores one (the moment the race needs)."""
    import threading

    from sqlmodel import Session

    n = 6
    meet, found, failed = threading.Barrier(n), [], []
    add = Session.add

    def add_together(self, instance, *args, **kwargs):
        meet.wait(10)
        return add(self, instance, *args, **kwargs)

    monkeypatch.setattr(Session, "add", add_together)

    def ask() -> None:
        try:
            found.append(accounts.local("local").id)
        except Exception as exc:  # noqa: BLE001 - what the page would have shown as a server error
            failed.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failed == [] and len(found) == n and len(set(found)) == 1
    monkeypatch.undo()
    with accounts.db.session() as s:
        assert len(s.exec(select(User).where(User.username == "local")).all()) == 1
