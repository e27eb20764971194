"""Every Qt widget of the kiosk.

This file deliberately imports nothing: `ui.probe` must stay importable without Qt (doctor --json uses it).
"""
