"""The background worker's supervision: its heartbeat, its retry on a locked database, and what
``/healthz`` reads from both (issue 8 item 10).

The heartbeat is a small JSON file in ``ANJIAN_VAR_DIR``, not a database row: on SQLite a row
would need the single write lock, so a worker blocked by a long writer could not prove it is
alive. The web processes and the worker already share ``ANJIAN_VAR_DIR`` (import and export files
pass through it). A thread writes the beat every ``HEARTBEAT_SECONDS`` while the process lives, and
names the task it is running; a worker stuck in one task keeps beating, so ``/healthz`` also
reports the age of the oldest queued task.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError

logger = logging.getLogger("anjian.worker")
T = TypeVar("T")

HEARTBEAT_SECONDS = 10.0


def heartbeat_path() -> Path:
    return Path(settings.VAR_DIR) / "worker.heartbeat"


def heartbeat_max_age() -> float:
    """Seconds after which a silent worker counts as dead (three missed beats by default)."""
    return float(getattr(settings, "ANJIAN_WORKER_HEARTBEAT_MAX_AGE", 3 * HEARTBEAT_SECONDS + 5))


def queue_max_age() -> float:
    """Seconds a task may wait in the queue before the queue counts as stale."""
    return float(getattr(settings, "ANJIAN_QUEUE_MAX_AGE", 900))


def write_heartbeat(*, worker_id: str, task: str = "", task_started: float | None = None, path: Path | None = None) -> None:
    path = path or heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"at": time.time(), "pid": os.getpid(), "worker_id": worker_id, "task": task, "task_started": task_started}), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a reader never sees half a file


def read_heartbeat(path: Path | None = None) -> dict[str, Any] | None:
    try:
        data = json.loads((path or heartbeat_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class Heartbeat:
    """Beats from a daemon thread until ``stop()``; ``task`` names what the worker runs now."""

    def __init__(self, worker_id: str, interval: float = HEARTBEAT_SECONDS) -> None:
        self.worker_id = worker_id
        self.interval = interval
        self.task = ""
        self.task_started: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="anjian-heartbeat", daemon=True)

    def start(self) -> None:
        self.beat()
        self._thread.start()

    def beat(self) -> None:
        try:
            write_heartbeat(worker_id=self.worker_id, task=self.task, task_started=self.task_started)
        except OSError:
            logger.exception("cannot write the worker heartbeat %s", heartbeat_path())

    def running(self, task: str) -> None:
        self.task, self.task_started = task, (time.time() if task else None)
        self.beat()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.beat()

    def stop(self) -> None:
        self._stop.set()


def is_locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc).lower()


def retry_locked(fn: Callable[[], T], *, what: str, attempts: int = 30, delay: float = 1.0, max_delay: float = 10.0, sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``fn``; while SQLite answers "database is locked" (another writer held the lock past the
    timeout), wait and try again, up to ``attempts`` times. Any other error is raised at once.
    ``fn`` must be a whole transaction (or none): a statement inside a failed one is not retried."""
    wait = delay
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError as exc:
            if not is_locked(exc) or attempt == attempts:
                raise
            logger.warning("%s: database is locked (attempt %d of %d), retrying in %.0f s", what, attempt, attempts, wait)
            sleep(wait)
            wait = min(wait * 2, max_delay)
    raise AssertionError("unreachable")  # pragma: no cover


def uses_database_queue() -> bool:
    """True when tasks go through django-tasks-db (so a worker process must be running)."""
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.startswith("django_tasks_db.")


def health(now: float | None = None) -> dict[str, Any]:
    """What ``/healthz`` reports about the worker and the queue; ``ok`` is False when the worker is
    dead (no beat for ``heartbeat_max_age()``) or a task waited longer than ``queue_max_age()``."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    now = time.time() if now is None else now
    if not uses_database_queue():
        return {"ok": True, "worker": {"required": False}, "queue": {"required": False}}
    beat = read_heartbeat()
    beat_age = None if beat is None else max(0.0, now - float(beat.get("at", 0)))
    alive = beat_age is not None and beat_age <= heartbeat_max_age()
    worker: dict[str, Any] = {"alive": alive, "heartbeat_age_s": None if beat_age is None else round(beat_age, 1)}
    if beat and beat.get("task"):
        worker["task"] = beat["task"]
        if beat.get("task_started"):
            worker["task_running_s"] = round(now - float(beat["task_started"]), 1)
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    oldest_age = None if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
    stale = oldest_age is not None and oldest_age > queue_max_age()
    queue = {"ready": ready.count(), "oldest_age_s": None if oldest_age is None else round(oldest_age, 1), "stale": stale}
    return {"ok": alive and not stale, "worker": worker, "queue": queue}
