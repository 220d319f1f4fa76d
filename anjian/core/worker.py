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


# --- tasks left running by a worker that died ------------------------------------------------------
class WorkerDied(Exception):
    """The worker that was running the task ended without finishing it (SIGKILL, power loss)."""


# task path → what to tell the task's own records when it was left running (e.g. the import job's
# page): registered by the app that owns the task (``enterprises.importing``), called with its kwargs.
ORPHAN_HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {}


def on_orphan(task_path: str) -> Callable[[Callable[[dict[str, Any]], None]], Callable[[dict[str, Any]], None]]:
    def register(fn: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        ORPHAN_HANDLERS[task_path] = fn
        return fn

    return register


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process: it exists
        return True
    return True


def recover_orphans(*, own_worker_id: str) -> list[int]:
    """Mark failed the tasks a dead worker left "running", and let their owners report it.

    db_worker claims a task by setting it RUNNING; a worker killed mid-task (SIGKILL, a crash,
    power loss) never sets it finished, and no worker picks a RUNNING task again, so the task — and
    e.g. the import page polling it — would say "running" for ever. A worker starting up reads the
    heartbeat its predecessor left: tasks last claimed by a worker that no longer beats (or whose
    process is gone) are failed with ``WorkerDied``. A task is not simply run again: not every task
    is safe to repeat; the owner's handler says what happened (the import: which rows were written,
    and that uploading the same file again completes it). Deployments run one worker per
    ``ANJIAN_VAR_DIR`` (scripts/start.sh), which is what the heartbeat describes."""
    from django.db import transaction
    from django.utils.module_loading import import_string
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    beat = read_heartbeat()
    live = None
    if beat and beat.get("worker_id") != own_worker_id and _pid_alive(int(beat.get("pid") or 0)) and time.time() - float(beat.get("at") or 0) <= heartbeat_max_age():
        live = beat.get("worker_id")
    recovered = []
    for result in DBTaskResult.objects.running().order_by("started_at"):
        if live is not None and (result.worker_ids or [None])[-1] == live:
            continue  # still being run by a live worker
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(pk=result.pk, status=TaskResultStatus.RUNNING).first()
            if locked is None:
                continue
            locked.set_failed(WorkerDied(f"后台任务进程（{(result.worker_ids or ['?'])[-1]}）在执行该任务时意外终止，任务未完成。"))
        logger.warning("task %s (%s) was left running by a dead worker: marked failed", result.pk, result.task_path)
        try:
            import_string(result.task_path)  # the task's module registers its handler
        except ImportError:
            pass
        handler = ORPHAN_HANDLERS.get(result.task_path)
        if handler is not None:
            try:
                handler(dict((result.args_kwargs or {}).get("kwargs") or {}))
            except Exception:
                logger.exception("task %s: the handler of a task left running failed", result.pk)
        recovered.append(result.pk)
    return recovered
