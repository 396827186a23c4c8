"""Sign-in and sign-up throttling, per account and per client address, with the ``limits`` library.

Failed sign-ins count against the e-mail tried and against the client address; once either is
spent, even the right password is refused until the window moves on (otherwise a guesser would
only need to keep going). Sign-ups count per address. Counters live in memory, or in Redis when
the queue is Redis, so that every web process shares them.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from adloom.errors import TooManyAttempts
from adloom.settings import Settings


def storage_uri(settings: Settings) -> str:
    """Redis when the queue is Redis (shared by every process), else this process's memory."""
    url = settings.queue_url
    return url if url.startswith(("redis://", "rediss://")) else "memory://"


class SignInThrottle:
    """The sign-in and sign-up limits of one app (see ``ADLOOM_LOGIN_RATE_*``)."""

    def __init__(self, settings: Settings, storage: Storage | None = None) -> None:
        self._limiter = MovingWindowRateLimiter(storage or storage_from_string(storage_uri(settings)))
        self._account = parse(settings.login_rate_account)
        self._address = parse(settings.login_rate_address)

    def _retry_after(self, item: RateLimitItem, *ids: str) -> int:
        reset_at = self._limiter.get_window_stats(item, *ids).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def _refuse_if_spent(self, item: RateLimitItem, scope: str, key: str, message: str) -> None:
        if not self._limiter.test(item, scope, key):
            raise TooManyAttempts(message, retry_after=self._retry_after(item, scope, key))

    def check_sign_in(self, *, email: str, address: str) -> None:
        """Refuse (before checking the password) when this account or address is spent."""
        self._refuse_if_spent(self._account, "signin-account", email.strip().lower(),
                              "Too many failed sign-ins for this account.")
        self._refuse_if_spent(self._address, "signin-address", address,
                              "Too many failed sign-ins from your network.")

    def record_failure(self, *, email: str, address: str) -> None:
        self._limiter.hit(self._account, "signin-account", email.strip().lower())
        self._limiter.hit(self._address, "signin-address", address)

    def hit_sign_up(self, *, address: str) -> None:
        """Count a sign-up attempt from ``address``; refuse it past the address rate."""
        if not self._limiter.hit(self._address, "signup-address", address):
            raise TooManyAttempts("Too many sign-ups from your network.",
                                  retry_after=self._retry_after(self._address, "signup-address", address))
