"""Logging that cannot leak citizen data.

Personal data reaches code as values (answers, names, free text); it leaks into logs through exception messages and
formatted arguments. So: exceptions are logged by type and code location only (never `str(exc)`, never locals), and
uncaught exceptions in any thread go through the same summariser. Log records are for staff and developers: they
name what happened, never what a citizen typed.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

LOG_FILE_NAME = "kiosk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def safe_exception_summary(exc: BaseException) -> str:
    """`ValueError at kiosk/x.py:12 in f <- ...`: the type and where, never the message (it may hold user data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{_short(frame.filename)}:{frame.lineno} in {frame.name}" for frame in reversed(frames[-5:]))
    return f"{type(exc).__module__}.{type(exc).__qualname__}" + (f" at {where}" if where else "")


def _short(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("kiosk", "ui", "sync", "tutorials", "accessibility", "citizen_kiosk"):
        if anchor in parts:
            return "/".join(parts[len(parts) - 1 - parts[::-1].index(anchor) :])
    return Path(filename).name


def setup_logging(log_dir: Path, *, level: str = "INFO", max_bytes: int = 1_000_000, backups: int = 5) -> Path:
    """Send the root logger to a rotating file in the data directory and route uncaught exceptions through it."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / LOG_FILE_NAME
    handler = RotatingLogFile(path, max_bytes=max_bytes, backups=backups)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_citizen_kiosk", False)]:
        root.removeHandler(old)
        old.close()
    handler._citizen_kiosk = True  # type: ignore[attr-defined]  # marks our handler so a second setup replaces it
    root.addHandler(handler)
    root.setLevel(level)
    install_exception_hooks()
    return path


class RotatingLogFile(logging.FileHandler):
    """A log file rotated by size (kiosk.log -> kiosk.log.1 … .N), like logging.handlers.RotatingFileHandler.

    Our own because logging.handlers imports socket, pickle and queue, which would slow the kiosk's first frame.
    """

    def __init__(self, path: Path, *, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle() holds the handler's lock around emit(): rotation cannot interleave with a write.
        try:
            stream = self.stream
            if self.max_bytes > 0 and stream is not None and stream.tell() + len(self.format(record)) >= self.max_bytes:
                self._rotate()
        except OSError:
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
        base = self.baseFilename
        for number in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{number}"):
                os.replace(f"{base}.{number}", f"{base}.{number + 1}")
        if self.backups > 0:
            os.replace(base, f"{base}.1")
        else:
            os.truncate(base, 0)  # no backups wanted: start the file afresh
        self.stream = self._open()


def install_exception_hooks() -> None:
    log = logging.getLogger("kiosk.uncaught")

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        exc.__traceback__ = tb
        log.critical("uncaught exception: %s", safe_exception_summary(exc))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.critical(
                "uncaught exception in thread %s: %s",
                args.thread and args.thread.name,
                safe_exception_summary(args.exc_value),
            )

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
