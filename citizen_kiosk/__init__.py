"""The composition root: the `citizen-kiosk` command builds the object graph and starts the kiosk or a CLI command.

This is the only package allowed to import every layer (see the import-linter contracts in pyproject.toml).
"""

__version__ = "0.1.0"  # kept equal to pyproject's version by tests/test_cli.py
