"""Trainer group sessions: three learners take turns on one kiosk with their codes, the trainer sees their progress,
marks attendance and help, prints completion slips and exports a CSV; audit records name no learner; nothing reaches
the outbox."""

from __future__ import annotations

import csv
import datetime as dt
import json
import stat
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from citizen_kiosk.cli import main
from kiosk.audit import list_records
from kiosk.audit_rules import canonical_detail
from kiosk.crypto import PayloadCipher
from kiosk.secrets.keys import decode_key
from kiosk.staff import AuditDetail
from kiosk.storage import MIGRATIONS, Storage, open_storage
from tests.test_tutorials_engine import complete
from tutorials.actions import Tap
from tutorials.loader import load_tutorials
from tutorials.progress import LearnerError, forget_learner, new_learner, record, resume, start_run
from tutorials.trainer import GroupSessions
from tutorials.trainer_export import CSV_COLUMNS, safe_cell
from tutorials.trainer_progress import COMPLETION_SLIP_LABEL_KEYS
from tutorials.trainer_records import TrainerError

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
CIPHER = PayloadCipher(b"k" * 32)
ALL = load_tutorials().tutorials
TUTORIALS = {i: ALL[i] for i in ("touch-tap-scroll-type", "spot-the-scam")}
TOUCH, SCAM = TUTORIALS["touch-tap-scroll-type"], TUTORIALS["spot-the-scam"]
ENGLISH = {
    "trainer.slip.title": "Record of learning",
    "trainer.slip.tutorials": "Tutorials done",
    "trainer.slip.none": "No tutorial finished yet.",
    "trainer.slip.competences": "Digital skills practised",
    "trainer.slip.not_certificate": "A record of learning, not a certificate.",
    "receipt.site": "Citizen spot",
    "receipt.kiosk": "Kiosk",
}


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path / "data") as opened:
        yield opened


class Audit(list[tuple[str, str, AuditDetail]]):
    def __call__(self, kind: str, actor: str, detail: AuditDetail) -> None:
        canonical_detail(detail, kind)  # the real audit log would accept it
        self.append((kind, actor, detail))


def desk(storage: Storage, audit: Audit | None = None) -> GroupSessions:
    return GroupSessions(
        storage.db,
        CIPHER,
        TUTORIALS,
        actor="Teresa Trainer",
        audit=Audit() if audit is None else audit,
        clock=lambda: NOW,
    )


def outbox_state(storage: Storage) -> tuple[int, int]:
    db = storage.db.conn
    return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0], db.execute(
        "SELECT COUNT(*) FROM outbox"
    ).fetchone()[0]


def turn(storage: Storage, code: str, tutorial_id: str, at: dt.datetime, *, finish: bool, right: bool = True) -> str:
    """One learner's turn at the kiosk: sign in with the code, continue the tutorial, save; the step they stop at."""
    learner = resume(storage.db, CIPHER, code, now=at)
    run = start_run(storage.db, learner, TUTORIALS[tutorial_id], today=at.date(), seed=1)
    if finish:
        complete(run, right=right)
    else:
        run.next()
        run.next()
        if run.step.id == "try-tap":
            run.act(Tap("send"))
            run.next()
    record(storage.db, learner, run, site="demo-site", now=at)
    return run.step.id


def test_migration_11_adds_the_session_tables(storage: Storage) -> None:
    assert MIGRATIONS[-1].number == 11 and MIGRATIONS[-1].name == "trainer group sessions and their enrolments"
    assert storage.db.conn.execute("PRAGMA user_version").fetchone() == (11,)
    assert {"training_sessions", "training_enrolments"} <= set(storage.db.table_names())
    assert set(storage.db["training_enrolments"].columns_dict) == {
        "session_id",
        "learner_uuid",
        "position",
        "first_name",
        "enrolled_at",
        "attended",
        "help_requested_at",
    }


def test_a_session_needs_a_name_and_known_tutorials(storage: Storage) -> None:
    trainer = desk(storage)
    for name, tutorials, reason in [
        ("  ", ["spot-the-scam"], "bad-name"),
        ("x" * 81, ["spot-the-scam"], "bad-name"),
        ("Tuesday", [], "no-tutorials"),
        ("Tuesday", ["spot-the-scam", "no-such"], "unknown-tutorial"),
    ]:
        with pytest.raises(TrainerError) as raised:
            trainer.create_session(name, TODAY, tutorials, "Teresa Trainer")
        assert raised.value.reason == reason
    first = trainer.create_session(" Tuesday \n group ", TODAY, ["spot-the-scam", "spot-the-scam"], "Teresa Trainer")
    later = trainer.create_session("Friday", TODAY + dt.timedelta(days=3), ["touch-tap-scroll-type"], "Teresa Trainer")
    assert (first.name, first.tutorials, first.enrolled) == ("Tuesday group", ("spot-the-scam",), 0)
    assert [s.id for s in trainer.sessions()] == [later.id, first.id]
    with pytest.raises(TrainerError) as raised:
        trainer.session(999)
    assert raised.value.reason == "no-session"
    with pytest.raises(LearnerError):
        trainer.enrol(first.id, "A-0000-0000-0")


def test_three_learners_take_turns_and_the_trainer_sees_their_progress(storage: Storage, tmp_path: Path) -> None:
    audit = Audit()
    trainer = desk(storage, audit)
    before = outbox_state(storage)
    session = trainer.create_session("Terça de manhã", TODAY, ["touch-tap-scroll-type", "spot-the-scam"], "Teresa")
    ana = trainer.enrol_new(session.id, "Ana")
    anonymous = trainer.enrol_new(session.id)
    rui_code = new_learner(storage.db, CIPHER, now=NOW).code  # came with a code from an earlier visit
    rui = trainer.enrol(session.id, rui_code.lower().replace("-", " "), first_name="Rui")
    assert trainer.enrol(session.id, rui_code) == rui  # enrolling twice changes nothing
    assert [(e.position, e.first_name) for e in trainer.roster(session.id)] == [(1, "Ana"), (2, None), (3, "Rui")]
    assert "Ana" not in repr(trainer.roster(session.id))

    # They take turns on the one kiosk, each signing in with their code.
    minute = dt.timedelta(minutes=1)
    assert turn(storage, ana.code, "touch-tap-scroll-type", NOW + minute, finish=False) == "scroll"
    first_look = {(r.position, r.tutorial_id): r for r in trainer.progress(session.id)}
    assert first_look[1, "touch-tap-scroll-type"][4:8] == (4, 9, False, False)
    turn(storage, anonymous.code, "touch-tap-scroll-type", NOW + 2 * minute, finish=True)
    turn(storage, anonymous.code, "spot-the-scam", NOW + 3 * minute, finish=False)
    turn(storage, rui_code, "spot-the-scam", NOW + 4 * minute, finish=True, right=False)
    # Ana comes back: her code continues where she stopped.
    learner = resume(storage.db, CIPHER, ana.code, now=NOW + 5 * minute)
    assert start_run(storage.db, learner, TOUCH, today=TODAY).step.id == "scroll"
    turn(storage, ana.code, "touch-tap-scroll-type", NOW + 5 * minute, finish=True)

    trainer.mark_attendance(session.id, ana.enrolment.learner_uuid)
    trainer.mark_attendance(session.id, rui.learner_uuid)
    trainer.mark_attendance(session.id, anonymous.enrolment.learner_uuid, present=False)
    assert trainer.request_help(resume(storage.db, CIPHER, anonymous.code, now=NOW)) == 1
    assert trainer.request_help(resume(storage.db, CIPHER, rui_code, now=NOW), day=TODAY + dt.timedelta(days=1)) == 0

    rows = trainer.progress(session.id)
    assert [
        (r.position, r.first_name, r.tutorial_id, r.step_reached, r.steps, r.finished, r.passed, r.score) for r in rows
    ] == [
        (1, "Ana", "touch-tap-scroll-type", 9, 9, True, True, 1.0),
        (1, "Ana", "spot-the-scam", 0, 7, False, False, None),
        (2, None, "touch-tap-scroll-type", 9, 9, True, True, 1.0),
        (2, None, "spot-the-scam", 3, 7, False, False, None),
        (3, "Rui", "touch-tap-scroll-type", 0, 9, False, False, None),
        (3, "Rui", "spot-the-scam", 7, 7, True, False, 0.0),
    ]
    assert [(r.attended, r.help_requested) for r in rows[::2]] == [(True, False), (False, True), (True, False)]
    trainer.clear_help(session.id, anonymous.enrolment.learner_uuid)
    assert not any(r.help_requested for r in trainer.progress(session.id))
    listed = trainer.session(session.id)
    assert (listed.enrolled, listed.attended) == (3, 2)

    # The CSV: one row per learner and tutorial, no codes, names only if given.
    out = tmp_path / "session.csv"
    assert trainer.export_csv(session.id, out, lang="en", kiosk_id="kiosk-01") == 6
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8-sig", newline="") as stream:
        read = list(csv.DictReader(stream))
    assert tuple(read[0]) == CSV_COLUMNS and len(read) == 6
    assert [(r["learner"], r["first_name"], r["tutorial"]) for r in read] == [
        (str(r.position), r.first_name or "", r.tutorial_id) for r in rows
    ]
    assert read[0] == {
        "kiosk": "kiosk-01",
        "session": str(session.id),
        "date": "2026-11-28",
        "learner": "1",
        "first_name": "Ana",
        "tutorial": "touch-tap-scroll-type",
        "tutorial_title": "Touch, tap, scroll and type",
        "step_reached": "9",
        "steps": "9",
        "finished": "yes",
        "passed": "yes",
        "score_percent": "100",
        "attended": "yes",
        "help_requested": "no",
    }
    assert [r["score_percent"] for r in read] == ["100", "", "100", "", "", "0"]
    text = out.read_text(encoding="utf-8-sig")
    for secret in (ana.code, anonymous.code, rui_code, ana.enrolment.learner_uuid, rui.learner_uuid):
        assert secret not in text and secret.replace("-", "") not in text

    # Audit: what the trainer did, with the session number and machine words; never a learner.
    assert [kind for kind, _, _ in audit] == [
        "training-session-created",
        *["training-enrol"] * 3,
        *["training-attendance"] * 3,
        "training-export",
    ]
    assert {actor for _, actor, _ in audit} == {"Teresa", "Teresa Trainer"}
    assert [d.get("outcome") for k, _, d in audit if k == "training-enrol"] == ["new-code", "new-code", "existing-code"]
    assert audit[-1][2] == {"training_session": session.id, "count": 6, "via": "screen"}
    dumped = json.dumps(audit)
    for secret in ("Ana", "Rui", ana.code, rui_code, ana.enrolment.learner_uuid, rui.learner_uuid):
        assert secret not in dumped
    assert outbox_state(storage) == before == (0, 0)  # nothing a learner or the trainer did reaches the outbox


def test_completion_slips_list_finished_tutorials_and_competences_in_the_slip_language(storage: Storage) -> None:
    trainer = desk(storage)
    session = trainer.create_session("Tuesday", TODAY, ["touch-tap-scroll-type", "spot-the-scam"], "Teresa")
    maria, joao = trainer.enrol_new(session.id, "Maria"), trainer.enrol_new(session.id)
    turn(storage, maria.code, "spot-the-scam", NOW, finish=True)
    asked: list[str] = []

    def labels(key: str) -> str:
        asked.append(key)
        return ENGLISH[key]

    uuid = maria.enrolment.learner_uuid
    slip = trainer.completion_slip(session.id, uuid, "en", labels, site_name="Loja Beja", kiosk_id="k-01")
    assert set(asked) <= set(COMPLETION_SLIP_LABEL_KEYS)
    assert (slip.title, slip.first_name, slip.session_line) == ("Record of learning", "Maria", "Tuesday · 28/11/2026")
    assert slip.tutorials == ("Spot the scam",) and slip.none_note is None
    assert slip.framework == "DigComp 2.2"
    assert slip.competences == (
        "1.2 Evaluating data, information and digital content",
        "4.2 Protecting personal data and privacy",
    )
    assert slip.note == "A record of learning, not a certificate."
    assert slip.site_line == "Citizen spot: Loja Beja · Kiosk\u00a0k-01"
    pt = trainer.completion_slip(session.id, uuid, "pt-PT", labels, site_name="Loja", kiosk_id="k-01")
    assert pt.tutorials == ("Descobrir a burla",)
    assert pt.competences[1] == "4.2 Proteger dados pessoais e privacidade"
    nothing = trainer.completion_slip(
        session.id, joao.enrolment.learner_uuid, "en", labels, site_name="L", kiosk_id="k"
    )
    assert nothing.tutorials == () and nothing.competences == () and nothing.none_note == "No tutorial finished yet."
    arabic = trainer.completion_slip(session.id, uuid, "ar", labels, site_name="L", kiosk_id="k")
    assert arabic.rtl and arabic.session_line.startswith("\u2068Tuesday\u2069")
    with pytest.raises(TrainerError) as raised:
        trainer.completion_slip(session.id, "not-on-the-roster", "en", labels, site_name="L", kiosk_id="k")
    assert raised.value.reason == "not-enrolled"


def test_roster_names_are_sealed_and_leave_with_a_forgotten_learner(storage: Storage) -> None:
    trainer = desk(storage)
    session = trainer.create_session("Tuesday", TODAY, ["spot-the-scam"], "Teresa")
    canary = trainer.enrol_new(session.id, "Canarinho")
    other = trainer.enrol_new(session.id)
    dump = "\n".join(storage.db.conn.iterdump())
    assert "Canarinho" not in dump and canary.code not in dump
    learner = resume(storage.db, CIPHER, canary.code, now=NOW)
    forget_learner(storage.db, learner)
    assert [(e.position, e.learner_uuid) for e in trainer.roster(session.id)] == [(2, other.enrolment.learner_uuid)]
    without_key = GroupSessions(storage.db, None, TUTORIALS, actor="cli")
    assert without_key.sessions()[0].enrolled == 1  # listing needs no key
    with pytest.raises(TrainerError) as raised:
        without_key.enrol_new(session.id)
    assert raised.value.reason == "no-key"
    with pytest.raises(TrainerError) as raised:
        trainer.mark_attendance(session.id, learner.uuid)
    assert raised.value.reason == "not-enrolled"


def test_typed_names_cannot_become_spreadsheet_formulas(storage: Storage, tmp_path: Path) -> None:
    assert [safe_cell(t) for t in ("=1+1", "+351", "-2", "@SUM(A1)", "\tx", "Ana", "")] == [
        "'=1+1",
        "'+351",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "Ana",
        "",
    ]
    trainer = desk(storage)
    session = trainer.create_session("Tuesday", TODAY, ["spot-the-scam"], "Teresa")
    trainer.enrol_new(session.id, '=HYPERLINK("http://x","y")')
    out = tmp_path / "s.csv"
    trainer.export_csv(session.id, out)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["first_name"] == '\'=HYPERLINK("http://x","y")' and row["tutorial_title"] == "Descobrir a burla"
    with pytest.raises(FileNotFoundError):
        trainer.export_csv(session.id, tmp_path / "no-such-folder" / "s.csv")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_the_commands_list_sessions_and_export_one_with_an_audit_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--config", str(tmp_path / "kiosk.toml"), "--data-dir", str(tmp_path / "data")]
    assert main(["secrets", "init", "--credentials-dir", str(tmp_path / "credentials"), *options]) == 0
    assert main(["tutorials", "sessions", *options]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "no group sessions on this kiosk"
    key = decode_key((tmp_path / "credentials" / "payload-key").read_text().strip())
    with open_storage(tmp_path / "data") as storage:
        trainer = GroupSessions(storage.db, PayloadCipher(key), ALL, actor="Teresa", clock=lambda: NOW)
        session = trainer.create_session("Tuesday", TODAY, ["spot-the-scam", "touch-tap-scroll-type"], "Teresa")
        trainer.enrol_new(session.id, "Ana")
    assert main(["tutorials", "sessions", "--json", *options]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed == {
        "id": session.id,
        "name": "Tuesday",
        "day": "2026-11-28",
        "trainer": "Teresa",
        "tutorials": ["spot-the-scam", "touch-tap-scroll-type"],
        "enrolled": 1,
        "attended": 0,
    }
    out = tmp_path / "export.csv"
    assert main(["tutorials", "export", str(session.id), "--out", str(out), "--lang", "en", *options]) == 0
    assert capsys.readouterr().out.strip() == f"2 rows written to {out}"
    assert "Ana" in out.read_text(encoding="utf-8-sig")
    assert main(["tutorials", "export", "99", "--out", str(tmp_path / "none.csv"), *options]) == 1
    assert "no group session 99" in capsys.readouterr().err and not (tmp_path / "none.csv").exists()
    with open_storage(tmp_path / "data") as storage:
        exports = [r for r in list_records(storage.db) if r.kind == "training-export"]
    assert len(exports) == 1 and exports[0].actor.startswith("cli")
    assert exports[0].detail == {"training_session": session.id, "count": 2, "via": "cli"}
