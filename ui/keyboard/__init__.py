"""The kiosk's own on-screen keyboard (not Qt Virtual Keyboard, which is GPL-only).

`panel.OnScreenKeyboard` is the docked panel of keys, `layouts` reads the layouts (`layouts/*.json`), `fields` knows
what a key can type into, `keys` is one key, and `policy` decides when the keyboard opens (`keyboard.on_screen`).
See docs/ui.md, "On-screen keyboard".
"""
