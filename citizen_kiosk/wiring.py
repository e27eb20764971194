"""Builds the Qt-free part of the object graph: configuration, data directory, logging, readiness, notices.

Each command takes what it needs from a `Context`; the GUI adds its own parts in `citizen_kiosk.gui`. Heavy imports
(sqlite-utils, keyring, the catalog loader with jsonschema) happen inside the functions that need them, so the kiosk
paints its first frame before paying for them.
"""

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kiosk.i18n import set_content_fallback
from kiosk.logs import safe_exception_summary
from kiosk.notices import NoticeBoard, StaffNotice
from kiosk.paths import ResolvedDataDir, log_dir, resolve_data_dir
from kiosk.readiness import Readiness
from kiosk.settings import Config, load_config, resolve_config_path

if TYPE_CHECKING:
    from kiosk.catalog.provider import CatalogProvider
    from kiosk.desk import SubmissionDesk

log = logging.getLogger(__name__)


class Context(NamedTuple):
    config: Config
    config_path: Path | None
    data_dir: ResolvedDataDir
    env: Mapping[str, str]


def load_context(
    *, config_option: str | None, data_dir_option: str | None, env: Mapping[str, str], missing_ok: bool = False
) -> Context:
    config_path = resolve_config_path(config_option, env)
    config = load_config(config_path, missing_ok=missing_ok)
    set_content_fallback(config.languages.content_fallback)  # what catalog texts fall back to, for every command
    data_dir = resolve_data_dir(data_dir_option, env, config.storage.data_dir)
    return Context(config=config, config_path=config_path, data_dir=data_dir, env=dict(env))


def start_logging(context: Context) -> Path:
    from kiosk.logs import setup_logging

    settings = context.config.logging
    return setup_logging(
        log_dir(context.data_dir.path), level=settings.level, max_bytes=settings.max_bytes, backups=settings.backups
    )


def catalog_directory(context: Context) -> Path:
    """The configured catalog folder, or the demo catalog shipped with the kiosk."""
    if context.config.catalog.directory is not None:
        return context.config.catalog.directory
    from kiosk.catalog.loader import DEMO_CATALOG_DIR  # the loader module: only when there is no configured folder

    return DEMO_CATALOG_DIR


def catalog_startup_task(context: Context, provider: "CatalogProvider", notices: NoticeBoard) -> Callable[[], None]:
    """Load the service catalog (first of the start-up tasks: browsing is ready soonest) and tell staff about problems.

    Files with problems are left out and the kiosk runs with the services that loaded. Staff see ONE notice with the
    number of problems (`citizen-kiosk catalog check` lists them); the log names each file and place, not the message.
    """

    def task() -> None:
        try:
            provider.load(catalog_directory(context), catalog_cache_path(context))
        except Exception as exc:  # noqa: BLE001 - the kiosk keeps running; screens say the services are unavailable
            log.error("the service catalog could not be loaded: %s", safe_exception_summary(exc))
            summary = "The service catalog could not be loaded."
            notices.post(StaffNotice("catalog", "catalog-unavailable", summary, persistent=True))
            return
        report_catalog(provider, notices)

    return task


def catalog_cache_path(context: Context) -> Path | None:
    """`<data dir>/cache/catalog.pickle` (kiosk/catalog/cache.py), or None when the data directory is unusable.

    The data directory is created here as storage creates it (mode 0700), since the catalog loads before the database.
    """
    from kiosk.storage import StorageError
    from kiosk.storage.storage import ensure_data_dir

    try:
        ensure_data_dir(context.data_dir.path)
    except StorageError:
        return None  # the storage task reports it; the catalog loads without its cache
    return context.data_dir.path / "cache" / "catalog.pickle"


def housekeeping_task(context: Context, provider: "CatalogProvider", notices: NoticeBoard) -> Callable[[], None]:
    """Every few minutes: reload the catalog if a definition file changed, delete expired drafts, and delete the
    answers of submissions delivered longer ago than their service's retention period (the receipt stays)."""

    def task() -> None:
        if provider.reload_if_changed(catalog_directory(context), catalog_cache_path(context)):
            log.info("service catalog files changed: reloaded")
            report_catalog(provider, notices)
        from kiosk.drafts import purge_expired
        from kiosk.outbox_staff import purge_delivered_payloads
        from kiosk.storage import StorageError, open_storage
        from kiosk.storage.clock import utc_now

        try:
            with open_storage(context.data_dir.path) as storage:
                purge_expired(storage.db, utc_now())
                purged = purge_delivered_payloads(storage.db, now=utc_now())
        except StorageError as error:
            log.warning("expired drafts and answers not purged: %s", safe_exception_summary(error))
            return
        if purged:
            log.info("answers of %d delivered submissions deleted after their retention period", purged)

    return task


def report_catalog(provider: "CatalogProvider", notices: NoticeBoard) -> None:
    """Tell staff about the catalog just loaded: one notice with the number of problems, or none."""
    report = provider.report
    if report is None:  # cannot happen after a successful load; keeps the type checker honest
        return
    for problem in report.problems:
        log.warning("catalog problem in %s at %s", problem.file, problem.place)
    log.info("service catalog loaded: %s", report.summary)
    if not report.problems:
        notices.withdraw("catalog")
        return
    count = len(report.problems)
    summary = f"{count} problems in the service catalog left some files out (run `citizen-kiosk catalog check`)."
    notices.post(StaffNotice("catalog", "catalog-problems", summary, {"count": str(count)}, persistent=True))


def storage_startup_task(context: Context, notices: NoticeBoard, readiness: Readiness) -> Callable[[], None]:
    """Open (migrate, recover if unreadable) and integrity-check the database; report every outcome to staff.

    Runs off the GUI thread after the first paint, on its own connection. Nothing fails silently: a recovered file,
    a newer schema or an unusable directory each become a staff notice and block submissions where needed.
    """

    def task() -> None:
        from kiosk.storage import (
            SchemaTooNewError,
            StorageError,
            StorageFullError,
            check_integrity,
            open_alerts,
            open_storage,
        )

        readiness.block("database", "The kiosk's database is still being opened.")
        try:
            with open_storage(context.data_dir.path) as storage:
                report = check_integrity(storage.path)
                if not report.ok:
                    log.error("database failed its integrity check; moving it aside and salvaging")
                    storage.recover(report.problems[0] if report.problems else "failed the integrity check")
                for alert in open_alerts(storage.db):
                    notices.post(alert_notice(alert))
        except StorageError as error:
            kind = (
                "schema-too-new"
                if isinstance(error, SchemaTooNewError)
                else "storage-full"
                if isinstance(error, StorageFullError)
                else "database-unavailable"
            )
            notices.post(StaffNotice("database", kind, str(error), {"detail": str(error)}, persistent=True))
            readiness.block("database", str(error))
            log.error("database unavailable: %s", type(error).__name__)
            return
        readiness.clear("database")

    return task


def alert_notice(alert: Any) -> StaffNotice:
    """A stored staff alert as a notice; the recovery alert's details become the text's parameters."""
    details = alert.details
    params = {key: str(value) for key, value in details.items() if isinstance(value, str | int | float | bool)}
    if "moved_aside" in details:
        params["moved_to"] = str(details["moved_aside"])
    return StaffNotice(f"alert-{alert.id}", alert.kind, alert.summary, params, persistent=True)


def secrets_startup_task(context: Context, notices: NoticeBoard, readiness: Readiness) -> Callable[[], None]:
    """Check the secrets backend and keys; without them the kiosk runs but refuses submissions (fail closed)."""

    def task() -> None:
        status = open_secrets(context).status()
        if status.ok:
            readiness.clear("secrets")
            notices.withdraw("secrets")
            return
        readiness.block("secrets", status.reason)
        notices.post(StaffNotice("secrets", "secrets-unavailable", status.reason, {"reason": status.reason}))
        log.warning("secrets unavailable (%s): submissions refused", status.backend)

    return task


def submission_desk_factory(
    context: Context, readiness: Readiness, after_submit: Callable[[], None] = lambda: None
) -> Callable[[], "SubmissionDesk"]:
    """Builds the submission desk when the first form is sent (kiosk.desk and what it imports load only then).

    The desk reads the payload key from the secret store at each submission, on the sending thread, so a key
    restored by staff works without a restart and is never held in memory between submissions.
    """

    def build() -> "SubmissionDesk":
        from kiosk.desk import SubmissionDesk

        return SubmissionDesk(
            context.data_dir.path,
            context.config.site,
            readiness,
            lambda: open_secrets(context).payload_key(),
            after_submit=after_submit,
        )

    return build


def open_secrets(context: Context):  # type: ignore[no-untyped-def]
    from kiosk.secrets import open_secret_store

    return open_secret_store(context.config.secrets, context.env)
