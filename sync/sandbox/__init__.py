"""The reference server (`citizen-kiosk sandbox`): the submission API of docs/submission-api.yaml on loopback.

A real implementation of the contract (OAuth2 client credentials, idempotent `POST /submissions`, `GET /health`) with
its own SQLite store and fault injection, for the kiosk's tests, benchmarks and demos. See docs/sandbox.md.
`sync.sandbox.provision` (write-config) is imported separately: it needs the kiosk's secrets and settings modules.
"""

from sync.sandbox.faults import Faults
from sync.sandbox.server import Sandbox
from sync.sandbox.store import Attempt, Record, SandboxStore, read_records

__all__ = ["Attempt", "Faults", "Record", "Sandbox", "SandboxStore", "read_records"]
