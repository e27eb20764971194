"""One announcer: no module but `ui/announcer.py` raises accessibility announcements, and only an explicit, commented
list of modules hands text to the speech service or an engine (a source check, like the tap rules).

The rule, read from the syntax tree of every module of the kiosk's packages:

- `QAccessibleAnnouncementEvent` (imported or used) and `QAccessible.updateAccessibility` appear in `ANNOUNCERS` only:
  every announcement reaches assistive technology and the voice the same way, and Repeat can replay it.
- A call `x.say(...)` or `x.speak(...)` is speech, unless it calls a class of the same module that builds utterances
  without speaking (`ui.speech_reader.ScriptBuilder.say`: `self.say` inside that class, or on a name the module sets
  to that class). Speech is allowed in `SPEAKERS` only. `repeat()` is not checked: it only replays what was said.
- `PySide6.QtTextToSpeech` is imported by the Qt engine only.

New code announces through `Announcer.announce` (screens: `context.announce`); the on-screen keyboard's key echo goes
through it too (`key_activated`, docs/ui.md), so it needs no entry here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("accessibility", "citizen_kiosk", "kiosk", "sync", "tutorials", "ui")
SPEAKING = frozenset({"say", "speak"})

# Raises QAccessibleAnnouncementEvent (and may call QAccessible.updateAccessibility).
ANNOUNCERS = {"ui/announcer.py": "the one announcer: the accessibility event and the voice, together"}
# May hand text to the speech service or to an engine.
SPEAKERS = {
    "ui/announcer.py": "the one announcer speaks what it announces while read aloud is on",
    "ui/speech_mode.py": "speech mode reads the screen, the focused control and the speech keys while read aloud is on",
    "accessibility/speech.py": "the speech service: Repeat says again, the worker hands each utterance to the engine",
    "ui/speech_setup.py": "the voice router hands each utterance to the engine that has a voice for its language",
    "ui/speech_qt.py": "the Qt engine hands the text to QTextToSpeech",
}
TEXT_TO_SPEECH = {"ui/speech_qt.py": "the Qt engine (its own module, loaded after the first paint)"}


def sources() -> list[tuple[str, ast.Module]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found.append((path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _builders(tree: ast.Module) -> set[str]:
    """Classes of this module with a `say` or `speak` method: they build utterances (or are the service itself)."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(isinstance(item, ast.FunctionDef) and item.name in SPEAKING for item in node.body)
    }


def _builder_names(tree: ast.Module, builders: set[str]) -> set[str]:
    """Names the module sets to an instance of one of its own builders (`builder = ScriptBuilder(...)`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id in builders:
                names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def _own_self_calls(tree: ast.Module, builders: set[str]) -> set[int]:
    """ids of `self.say(...)` calls made inside one of the module's builders."""
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in builders:
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                    receiver = call.func.value
                    if isinstance(receiver, ast.Name) and receiver.id == "self":
                        own.add(id(call))
    return own


def problems(name: str, tree: ast.Module, speakers: dict[str, str] = SPEAKERS) -> list[str]:
    """Each place in one module that breaks the rule, as "path:line: what"."""
    found = []
    builders = _builders(tree)
    own_names, own_calls = _builder_names(tree, builders), _own_self_calls(tree, builders)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if name not in ANNOUNCERS:
            mentioned = (
                (isinstance(node, ast.Name) and node.id == "QAccessibleAnnouncementEvent")
                or (isinstance(node, ast.Attribute) and node.attr == "QAccessibleAnnouncementEvent")
                or (isinstance(node, ast.alias) and node.name == "QAccessibleAnnouncementEvent")
            )
            if mentioned:
                found.append(f"{name}:{line}: QAccessibleAnnouncementEvent outside the announcer")
            if isinstance(node, ast.Attribute) and node.attr == "updateAccessibility":
                found.append(f"{name}:{line}: an accessibility event raised outside the announcer")
        if name not in TEXT_TO_SPEECH and isinstance(node, ast.ImportFrom | ast.Import):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            modules += [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if any(module.endswith("QtTextToSpeech") for module in modules):
                found.append(f"{name}:{line}: QtTextToSpeech outside the Qt engine")
        if name in speakers or not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in SPEAKING or id(node) in own_calls:
            continue
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in own_names:
            continue
        found.append(f"{name}:{line}: speaks directly ({ast.unparse(node.func)}): announce through the announcer")
    return found


def test_only_the_announcer_announces_and_only_the_listed_modules_speak() -> None:
    found = [problem for name, tree in sources() for problem in problems(name, tree)]
    assert not found, "\n".join(found)


def test_every_listed_module_exists_and_still_needs_its_entry() -> None:
    """The lists stay true: a module that no longer speaks or announces loses its entry."""
    trees = dict(sources())
    for name in ANNOUNCERS:
        assert "QAccessibleAnnouncementEvent" in ast.unparse(trees[name]), name
    for name in SPEAKERS:
        unlisted = problems(name, trees[name], speakers={})
        assert any("speaks directly" in problem for problem in unlisted), f"{name} no longer speaks: unlist it"
    for name in TEXT_TO_SPEECH:
        assert "QtTextToSpeech" in ast.unparse(trees[name]), name


SAMPLES = {
    "ui/screens/new_screen.py": (
        "from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent\n"
        "class NewScreen:\n"
        "    def done(self):\n"
        "        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, 'Sent'))\n"
        "        self.window().speech.say(Utterance('Sent', 'en'))\n"
        "        speech = self.window().deps.speech\n"
        "        speech.say(Utterance('Sent', 'en'))\n"
        "        engine.speak('Sent', 'en', 70)\n"
        "from PySide6 import QtTextToSpeech\n"
    ),
    "ui/screens/reader.py": (
        "class Builder:\n"
        "    def say(self, text):\n"
        "        self.items.append(text)\n"
        "    def walk(self):\n"
        "        self.say('x')\n"
        "def script():\n"
        "    builder = Builder()\n"
        "    builder.say('y')\n"
        "    self.context.announce(widget, 'ok')\n"
        "    self.speech.repeat()\n"
    ),
}


def test_the_rule_sees_an_announcement_or_speech_outside_the_announcer_and_allows_a_builder() -> None:
    found = problems("ui/screens/new_screen.py", ast.parse(SAMPLES["ui/screens/new_screen.py"]))
    assert sum("QAccessibleAnnouncementEvent outside" in problem for problem in found) == 2  # imported, used
    assert sum("accessibility event raised" in problem for problem in found) == 1
    assert sum("speaks directly" in problem for problem in found) == 3
    assert sum("QtTextToSpeech" in problem for problem in found) == 1
    assert problems("ui/screens/reader.py", ast.parse(SAMPLES["ui/screens/reader.py"])) == []
