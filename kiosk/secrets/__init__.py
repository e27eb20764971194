"""The kiosk's secrets (the key that encrypts citizen data at rest), kept through `keyring`, failing closed.

Importing this package does not import keyring (~85 ms); the backends module and keyring load on first use, so the
composition root can open the secret store after the first frame is painted.
"""

from kiosk.secrets.keys import AUDIT_KEY, PAYLOAD_KEY, REQUIRED_SECRETS, SERVICE, InvalidSecretNameError, new_key
from kiosk.secrets.provision import KeyOutcome, ProvisionError, ProvisionResult, init_secrets
from kiosk.secrets.store import SecretsStatus, SecretStore, SecretStoreError, open_secret_store

__all__ = [
    "AUDIT_KEY",
    "PAYLOAD_KEY",
    "REQUIRED_SECRETS",
    "SERVICE",
    "InvalidSecretNameError",
    "KeyOutcome",
    "ProvisionError",
    "ProvisionResult",
    "SecretStore",
    "SecretStoreError",
    "SecretsStatus",
    "init_secrets",
    "new_key",
    "open_secret_store",
]
