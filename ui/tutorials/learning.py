"""What the learning screens keep and where they keep it: the learner of this citizen session and their run.

`Learning` is the screens' one object: the shipped tutorials (loaded at first use, never before the first paint), the
learner of this session (a new one with a code to print, or one found again with their code) and the `TutorialRun`
they are on. It saves progress through a `LearningStore` after every step: `DatabaseStore` on a kiosk (the composition
root passes the database and the payload cipher: citizen_kiosk/learning_wiring.py), `MemoryStore` for pictures and the
accessibility checks (nothing is written anywhere). It forgets the learner when the citizen session ends, so the next
person never continues someone else's lesson.

Qt-free on purpose: the screens drive it, tests drive it without a window.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.codes import CodeError, CodeKind, new_code, parse_code
from tutorials.engine import Snapshot, TutorialRun
from tutorials.progress import Learner, LearnerError, NewLearner

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher
    from kiosk.session import CitizenSession
    from tutorials.model import Tutorial


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LearningUnavailableError(Exception):
    """Learners cannot be made or found on this kiosk now (no payload key, no database)."""


class LearningStore(Protocol):
    """Where learners, progress and learning statements live (tutorials.progress on a kiosk)."""

    def new_learner(self) -> NewLearner: ...

    def resume(self, code: str) -> Learner:
        """The learner of a typed code, or `tutorials.progress.LearnerError`."""
        ...

    def start_run(self, learner: Learner, tutorial: Tutorial) -> TutorialRun: ...

    def unfinished(self, learner: Learner) -> str | None:
        """The id of the tutorial the learner last stopped in without finishing, or None."""
        ...

    def record(self, learner: Learner, run: TutorialRun) -> None: ...

    def statements(self, learner: Learner) -> list[dict[str, Any]]: ...


class DatabaseStore:
    """The kiosk's database (migration 10): codes found by keyed hash, progress and xAPI-shaped statements."""

    def __init__(
        self,
        open_db: Callable[[], AbstractContextManager[Database]],
        cipher: Callable[[], PayloadCipher | None],
        *,
        site: str,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self._open_db, self._cipher, self.site, self.clock = open_db, cipher, site, clock

    def _key(self) -> PayloadCipher:
        cipher = self._cipher()
        if cipher is None:
            raise LearningUnavailableError("no payload key")
        return cipher

    def new_learner(self) -> NewLearner:
        from tutorials.progress import new_learner

        with self._open_db() as db:
            return new_learner(db, self._key(), now=self.clock())

    def resume(self, code: str) -> Learner:
        from tutorials.progress import resume

        with self._open_db() as db:
            return resume(db, self._key(), code, now=self.clock())

    def start_run(self, learner: Learner, tutorial: Tutorial) -> TutorialRun:
        from tutorials.progress import start_run

        with self._open_db() as db:
            return start_run(db, learner, tutorial, today=self.clock().date())

    def unfinished(self, learner: Learner) -> str | None:
        with self._open_db() as db:
            row = db.execute(
                "SELECT tutorial_id FROM learner_progress WHERE learner_uuid = ? AND finished = 0 "
                "ORDER BY updated_at DESC, tutorial_id LIMIT 1",
                [learner.uuid],
            ).fetchone()
        return str(row[0]) if row is not None else None

    def record(self, learner: Learner, run: TutorialRun) -> None:
        from tutorials.progress import record

        with self._open_db() as db:
            record(db, learner, run, site=self.site, now=self.clock())

    def statements(self, learner: Learner) -> list[dict[str, Any]]:
        from tutorials.progress import statements_for

        with self._open_db() as db:
            return statements_for(db, learner)


class MemoryStore:
    """Learners and progress in memory only (pictures, the accessibility checks, screen tests): nothing is written."""

    def __init__(self, *, site: str = "demo-site", clock: Callable[[], dt.datetime] = _now) -> None:
        self.site, self.clock = site, clock
        self._learners: dict[str, Learner] = {}  # code -> learner
        self._progress: dict[tuple[str, str], tuple[Snapshot, dt.datetime]] = {}
        self._statements: dict[str, list[dict[str, Any]]] = {}

    def new_learner(self) -> NewLearner:
        code = new_code(CodeKind.LEARNER, exists=self._learners.__contains__)
        learner = Learner(str(uuid.uuid4()))
        self._learners[code] = learner
        return NewLearner(code, learner)

    def resume(self, code: str) -> Learner:
        try:
            canonical = parse_code(code, CodeKind.LEARNER)
        except CodeError:
            raise LearnerError("malformed") from None
        found = self._learners.get(canonical)
        if found is None:
            raise LearnerError("unknown")
        return found

    def start_run(self, learner: Learner, tutorial: Tutorial) -> TutorialRun:
        saved = self._progress.get((learner.uuid, tutorial.id))
        snapshot = saved[0] if saved is not None and not saved[0].finished else None
        return TutorialRun(tutorial, today=self.clock().date(), resume_from=snapshot)

    def unfinished(self, learner: Learner) -> str | None:
        mine = [(at, snap.tutorial_id) for (who, _), (snap, at) in self._progress.items() if who == learner.uuid]
        open_ones = [item for item in mine if not self._progress[(learner.uuid, item[1])][0].finished]
        return max(open_ones)[1] if open_ones else None

    def record(self, learner: Learner, run: TutorialRun) -> None:
        from tutorials.statements import statement

        now = self.clock()
        self._progress[(learner.uuid, run.tutorial.id)] = (run.snapshot(), now)
        made = [
            statement(event, tutorial=run.tutorial, learner_uuid=learner.uuid, site=self.site, now=now)
            for event in run.drain_events()
        ]
        self._statements.setdefault(learner.uuid, []).extend(made)

    def statements(self, learner: Learner) -> list[dict[str, Any]]:
        return list(self._statements.get(learner.uuid, []))


def load_shipped(directory: Path | None = None) -> dict[str, Tutorial]:
    """The tutorials of a folder (default: the shipped ones) that load without a problem, by id."""
    from tutorials.loader import CONTENT_DIR, load_tutorials

    return dict(load_tutorials(directory or CONTENT_DIR).tutorials)


class Learning:
    """The learner of this citizen session, their current run, and the tutorials to choose from.

    `code` is the learner code to show and print; it is held only while the session lasts (the database keeps a
    keyed hash of it, never the code).
    """

    def __init__(
        self,
        store: LearningStore,
        *,
        load: Callable[[], dict[str, Tutorial]] = load_shipped,
        sample: str | None = None,
    ) -> None:
        self.store = store
        self.sample = sample  # pictures and checks: the step screens open this tutorial when nothing is open
        self._load = load
        self._tutorials: dict[str, Tutorial] | None = None
        self._loading = threading.Lock()
        self.learner: Learner | None = None
        self.code: str | None = None
        self.run: TutorialRun | None = None
        self.new_code = False  # the code was made in this session (learn-home shows it with "print")
        self._followed: set[int] = set()

    def follow(self, session: CitizenSession) -> None:
        """Forget the learner when the citizen session ends (idempotent per session)."""
        if id(session) not in self._followed:
            self._followed.add(id(session))
            session.ended.connect(lambda _reason: self.forget())

    def forget(self) -> None:
        self.learner = self.code = self.run = None
        self.new_code = False

    # Tutorials -------------------------------------------------------------------------------------------------------
    def tutorials(self) -> list[Tutorial]:
        """The tutorials in the order learners meet them: the shortest first, then by id."""
        with self._loading:  # the kiosk preloads them on its background thread; a screen asking meanwhile waits
            if self._tutorials is None:
                self._tutorials = self._load()
        return sorted(self._tutorials.values(), key=lambda t: (t.estimated_minutes, t.id))

    def tutorial(self, tutorial_id: str) -> Tutorial | None:
        self.tutorials()
        return (self._tutorials or {}).get(tutorial_id)

    # The learner -----------------------------------------------------------------------------------------------------
    def ensure_learner(self) -> str:
        """The session's learner, made now (with a new code) if there is none yet; returns the code."""
        if self.learner is None or self.code is None:
            made = self.store.new_learner()
            self.learner, self.code, self.new_code = made.learner, made.code, True
        return self.code

    def resume(self, code_text: str) -> str | None:
        """Find the learner of a typed code (LearnerError otherwise) and open the tutorial they stopped in; returns
        its id, or None when every tutorial they began is finished."""
        learner = self.store.resume(code_text)
        self.learner, self.new_code = learner, False
        self.code = parse_code(code_text, CodeKind.LEARNER)
        self.run = None
        stopped = self.store.unfinished(learner)
        tutorial = self.tutorial(stopped) if stopped is not None else None
        if tutorial is None:
            return None
        self.start(tutorial.id)
        return tutorial.id

    def start(self, tutorial_id: str) -> TutorialRun:
        """Open a tutorial for the session's learner: where they stopped, or a new attempt."""
        tutorial = self.tutorial(tutorial_id)
        if tutorial is None:
            raise KeyError(tutorial_id)
        self.ensure_learner()
        assert self.learner is not None
        self.run = self.store.start_run(self.learner, tutorial)
        self.save()
        return self.run

    def current_run(self) -> TutorialRun | None:
        """The run the step screens show (a sample learner's run of `sample` on a picture-only kiosk)."""
        if self.run is None and self.sample is not None and self.tutorial(self.sample) is not None:
            self.start(self.sample)
        return self.run

    def save(self) -> None:
        """Progress and statements since the last save (after every step, answer and finished practice)."""
        if self.learner is not None and self.run is not None:
            self.store.record(self.learner, self.run)

    def statements(self) -> Iterator[dict[str, Any]]:
        if self.learner is not None:
            yield from self.store.statements(self.learner)
