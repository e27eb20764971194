"""OAuth 2.0 client credentials (RFC 6749 §4.4): the bearer token a delivery carries, fetched and refreshed.

The client secret comes from the secrets module (never from the configuration file) through the `secret` callable,
read only when a token is needed. A token is reused until shortly before it expires (`REFRESH_MARGIN_SECONDS`), and
fetched again at once when a delivery is answered 401 (`invalidate`). Expiry uses a monotonic clock, so a kiosk whose
wall clock jumps neither keeps a dead token nor refreshes in a loop. Tokens are never logged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

import requests

from sync.rest import check_url

REFRESH_MARGIN_SECONDS = 60.0
DEFAULT_LIFETIME_SECONDS = 300.0  # when the token endpoint does not say (expires_in is RECOMMENDED, not required)


class TokenError(Exception):
    """No token: `kind` is "auth" (the credentials were refused: pause the endpoint for staff) or "network"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class ClientCredentials(NamedTuple):
    token_url: str
    client_id: str
    scope: str | None = None
    ca_bundle: str | None = None
    client_cert: tuple[str, str] | None = None


class TokenSource:
    def __init__(
        self,
        credentials: ClientCredentials,
        secret: Callable[[], str | None],
        session: requests.Session,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        timeouts: tuple[float, float] = (10.0, 30.0),
    ) -> None:
        check_url(credentials.token_url)
        self._credentials, self._secret, self._session = credentials, secret, session
        self._monotonic, self._timeouts = monotonic, timeouts
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()  # the worker and `sync now` share one source: one fetch at a time

    def token(self, session: requests.Session | None = None) -> str:
        """A valid bearer token, fetching a new one when none is held or it is about to expire. A fetch goes through
        `session` (the calling thread's own: a requests session is not thread-safe), else the one given at creation."""
        with self._lock:
            if self._token is None or self._monotonic() >= self._expires - REFRESH_MARGIN_SECONDS:
                self._token, lifetime = self._fetch(session or self._session)
                self._expires = self._monotonic() + lifetime
            return self._token

    def invalidate(self) -> None:
        """The endpoint refused the token (401): the next delivery fetches a fresh one."""
        with self._lock:
            self._token = None

    def _fetch(self, session: requests.Session) -> tuple[str, float]:
        secret = self._secret()
        if not secret:
            raise TokenError("auth", "the client secret is missing from the secrets backend")
        form = {"grant_type": "client_credentials"}
        if self._credentials.scope:
            form["scope"] = self._credentials.scope
        try:
            answer = session.post(
                self._credentials.token_url,
                data=form,
                auth=(self._credentials.client_id, secret),  # HTTP Basic, as RFC 6749 §2.3.1 prefers
                timeout=self._timeouts,
                verify=self._credentials.ca_bundle or True,
                cert=self._credentials.client_cert,
                allow_redirects=False,
            )
        except requests.exceptions.RequestException as error:
            raise TokenError("network", f"the token endpoint could not be reached ({type(error).__name__})") from None
        if answer.status_code in (400, 401, 403):
            raise TokenError("auth", f"the token endpoint refused the kiosk's credentials (HTTP {answer.status_code})")
        if answer.status_code != 200:
            raise TokenError("network", f"the token endpoint answered HTTP {answer.status_code}")
        try:
            data = answer.json()
            token = data["access_token"]
            lifetime = float(data.get("expires_in", DEFAULT_LIFETIME_SECONDS))
        except (ValueError, KeyError, TypeError):
            raise TokenError("network", "the token endpoint's answer is not a token (a network login page?)") from None
        if not isinstance(token, str) or not token:
            raise TokenError("network", "the token endpoint's answer has no access token")
        return token, max(lifetime, 0.0)
