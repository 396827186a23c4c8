"""Password hashing, verification and the rules a new password must meet.

Sign-in costs one argon2 verification whether or not the e-mail has an account (a dummy hash is
checked for unknown ones), so response times do not tell which e-mails are registered. A new
password needs at least 10 characters, something besides spaces, and must not be one of the
common passwords shipped in ``common_passwords.txt`` (checked lower-cased, spaces ignored).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from adloom.errors import WeakPassword

MIN_LENGTH = 10
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("adloom: no account has this password")


def burn_verification(password: str) -> None:
    """Spend the time of a real verification, for an e-mail without an account."""
    verify_password(_dummy_hash(), password)


@cache
def common_passwords() -> frozenset[str]:
    text = (resources.files("adloom.accounts") / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_new_password(password: str) -> None:
    """Refuse a password that is short, blank or common, saying which and what to do."""
    if not password.strip():
        raise WeakPassword("The password cannot be only spaces.", hint="Choose a passphrase of a few words.")
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"The password must be at least {MIN_LENGTH} characters long.",
                           hint="A few unrelated words make a long password that is easy to remember.")
    if password.strip().lower().replace(" ", "") in common_passwords():
        raise WeakPassword("That password is one of the most common ones, which attackers try first.",
                           hint="Choose something less predictable, such as a few unrelated words.")
