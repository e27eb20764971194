"""The kiosk's own on-screen keyboard (not Qt Virtual Keyboard, which is GPL-only).

`panel.OnScreenKeyboard` is the docked panel of keys, `key_page` the keys of one layout (one Tab stop, arrows move),
`typing_state` what the keys type and say (Shift, Caps lock, accents, letters or symbols), `sizes` its physical maths,
`layouts` reads the layouts (`layouts/*.json`), `fields` knows what a key can type into, `keys` is one key, and
`policy` decides when the keyboard opens (`keyboard.on_screen`).
See docs/ui.md, "On-screen keyboard".
"""
