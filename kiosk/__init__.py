"""The Qt-free core of Citizen Kiosk: configuration, storage, secrets and (later) services, sessions and the outbox.

Nothing in this package imports Qt or does network I/O; import-linter contracts in pyproject.toml enforce both.
"""
