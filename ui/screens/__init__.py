"""Screens of the stacked area; each is registered by name in `ui.screens.registry`."""
