"""Adapters behind one interface: `Transport.send(endpoint, submission_uuid, body) -> Classified`.

The engine (sync/engine.py) only knows this interface; the JSON REST adapter is the one there is now. It turns an
endpoint's configuration into `sync.rest.deliver` calls with a bearer token from its `TokenSource` (client secret read
from the secrets backend only when a token is fetched). A refused token is an AUTH-PAUSE, an unreachable token
endpoint a RETRY that counts toward the breaker: the same table as a delivery's own answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

import requests

from kiosk.settings.endpoints import client_secret_name
from kiosk.settings.model import EndpointSettings
from sync.classify import Classified, Outcome
from sync.oauth import ClientCredentials, TokenError, TokenSource
from sync.rest import Connections, Endpoint, deliver


class Transport(Protocol):
    def send(self, endpoint: EndpointSettings, *, submission_uuid: str, body: bytes) -> Classified: ...

    def close(self) -> None: ...


class RestTransport:
    """JSON over HTTPS to the endpoints of the configuration; keep-alive connections per thread (deliveries through
    urllib3, token requests through a requests session)."""

    def __init__(self, secret: Callable[[str], str | None]) -> None:
        self._secret = secret  # name -> value from the secrets backend (SecretStore.get)
        self._local = threading.local()  # requests.Session is not thread-safe: the worker and `sync now` differ
        self._tokens: dict[str, TokenSource] = {}
        self._lock = threading.Lock()

    def send(self, endpoint: EndpointSettings, *, submission_uuid: str, body: bytes) -> Classified:
        token = None
        session = self._session()
        source = self._token_source(endpoint, session)
        if source is not None:
            try:
                token = source.token(session)  # this thread's session: the source is shared, the session is not
            except TokenError as error:
                if error.kind == "auth":
                    return Classified(Outcome.AUTH_PAUSE, str(error), False, server_message=str(error))
                return Classified(Outcome.RETRY, str(error), True)
        result = deliver(
            self._connections(),
            _rest_endpoint(endpoint),
            submission_uuid=submission_uuid,
            body=body,
            token=token,
            timeouts=(endpoint.connect_timeout_seconds, endpoint.read_timeout_seconds),
        )
        if result.outcome is Outcome.AUTH_PAUSE and source is not None:
            source.invalidate()  # the next attempt (a probe, or after staff act) fetches a fresh token
        return result

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()
        connections = getattr(self._local, "connections", None)
        if connections is not None:
            connections.close()

    def _connections(self) -> Connections:
        connections: Connections | None = getattr(self._local, "connections", None)
        if connections is None:
            connections = self._local.connections = Connections()
        return connections

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _token_source(self, endpoint: EndpointSettings, session: requests.Session) -> TokenSource | None:
        if endpoint.token_url is None or endpoint.client_id is None:
            return None
        with self._lock:
            source = self._tokens.get(endpoint.name)
            if source is None:
                credentials = ClientCredentials(
                    endpoint.token_url,
                    endpoint.client_id,
                    endpoint.scope,
                    str(endpoint.ca_bundle) if endpoint.ca_bundle else None,
                    _client_cert(endpoint),
                )
                name = client_secret_name(endpoint.name)
                source = TokenSource(credentials, lambda: self._secret(name), session)
                self._tokens[endpoint.name] = source
        return source


def _rest_endpoint(endpoint: EndpointSettings) -> Endpoint:
    return Endpoint(endpoint.name, endpoint.url, _client_cert(endpoint), str(endpoint.ca_bundle or "") or None)


def _client_cert(endpoint: EndpointSettings) -> tuple[str, str] | None:
    if endpoint.client_cert is None or endpoint.client_key is None:
        return None
    return (str(endpoint.client_cert), str(endpoint.client_key))
