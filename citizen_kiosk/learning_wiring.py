"""Learning digital skills on a real kiosk: the learning screens on this kiosk's database and payload key.

`ui.screens.registry.default_registry` registers learn-home, tutorial-step, practice and self-assessment on a
`Learning` that stores nothing (pictures, the accessibility checks). Here the composition root registers them again
(`replace=True`) on a `DatabaseStore`: learners, progress and learning statements in the kiosk's database (migration
10), each call on a connection of its own, the payload key read at each use (never held); and on
`DatabaseLearnerRecords`: a learner's "Ask the trainer for help" in today's group sessions (migration 11) and a
self-assessment result kept for a learner with a code. Called after the first paint; the tutorials
themselves are parsed on the background thread right after (citizen_kiosk.gui `_preload_tutorials`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citizen_kiosk.wiring import Context

if TYPE_CHECKING:
    from kiosk.session import CitizenSession
    from ui.screens.registry import ScreenRegistry
    from ui.tutorials.learning import Learning


def kiosk_learning(context: Context) -> Learning:
    """The kiosk's `Learning`: the shipped tutorials, progress in this kiosk's database."""
    from citizen_kiosk.delivery import database_opener, payload_cipher
    from ui.tutorials.learning import DatabaseStore, Learning

    store = DatabaseStore(database_opener(context), payload_cipher(context), site=context.config.site.id)
    return Learning(store)


def register_learning(registry: ScreenRegistry, context: Context, session: CitizenSession) -> Learning:
    """Register the learning screens on this kiosk's database; the learner is forgotten when a session ends."""
    from citizen_kiosk.delivery import database_opener
    from ui.screens.registry import register_learning as register_screens
    from ui.tutorials.trainer_parts import DatabaseLearnerRecords

    learning = kiosk_learning(context)
    learning.follow(session)
    # "Ask the trainer for help" in today's group sessions, and self-assessment results kept for learners with a code.
    records = DatabaseLearnerRecords(database_opener(context), site=context.config.site.id)
    register_screens(registry, learning, replace=True, records=records)
    return learning
