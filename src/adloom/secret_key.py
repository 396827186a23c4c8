"""The key that signs dashboard sessions: the operator's ``ADLOOM_SECRET_KEY``, or one generated.

A published default key lets anyone forge a session cookie, so there is none: with the setting
empty, the first start writes 48 random bytes (hex) to ``data_dir/secret_key`` with mode 0600 and
later starts read it back. A key that is set must not be a known placeholder and must be at least
32 characters; anything else stops the app at start-up with :class:`WeakSecretKey`.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from adloom.errors import WeakSecretKey
from adloom.settings import Settings

KEY_FILE = "secret_key"
MIN_LENGTH = 32
KNOWN_WEAK = frozenset({
    "dev-insecure-change-me", "changeme", "change-me", "change_me", "changeit", "secret", "secret-key",
    "secret_key", "secretkey", "mysecret", "password", "adloom", "default", "insecure", "development",
    "test", "testing", "your-secret-key", "your-secret-key-here", "please-change-me",
})


def check_secret_key(key: str) -> None:
    """Refuse a key an attacker could guess; the message names the setting to fix."""
    problem = ""
    if key.strip().lower() in KNOWN_WEAK:
        problem = "is a published placeholder"
    elif len(key) < MIN_LENGTH:
        problem = f"is shorter than {MIN_LENGTH} characters"
    elif len(set(key)) < 8:
        problem = "repeats too few different characters"
    if problem:
        raise WeakSecretKey(
            f"ADLOOM_SECRET_KEY {problem}: anyone could forge a session cookie with it.",
            hint="Unset ADLOOM_SECRET_KEY to let Adloom generate one in the data folder, or set it to the "
                 "output of `python -c 'import secrets; print(secrets.token_hex(32))'`.",
        )


def _read_key_file(path: Path) -> str:
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)  # an older copy or a restore left it readable by others
    return path.read_text().strip()


def _create_key_file(path: Path) -> str:
    """Write a fresh key atomically; when another process won the race, read its key instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key_file(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def resolve_secret_key(settings: Settings) -> str:
    """The key to sign sessions with (validated); generated and kept in the data folder when unset."""
    if settings.secret_key:
        check_secret_key(settings.secret_key)
        return settings.secret_key
    path = settings.data_dir / KEY_FILE
    key = _read_key_file(path) if path.exists() else _create_key_file(path)
    check_secret_key(key)
    return key
