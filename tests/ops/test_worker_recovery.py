"""A worker starting up fails the tasks a dead worker left "running" (issue 10, item 8), and leaves
alone those of a worker that still beats; the owner's handler reports it (the import: test_crash)."""

from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest
from django.test import override_settings
from django_tasks import task

from anjian.core import worker
from tests.core.test_worker import DB_TASKS

pytestmark = pytest.mark.django_db
SEEN: list[dict[str, Any]] = []


@task()
def long_job(tag: str) -> str:
    return tag


@worker.on_orphan(f"{__name__}.long_job")
def _orphaned(kwargs: dict[str, Any]) -> None:
    SEEN.append(kwargs)


def _running(tag: str, worker_id: str) -> Any:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        result = long_job.enqueue(tag=tag)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    assert row.status == TaskResultStatus.RUNNING
    return row


def test_tasks_of_a_dead_worker_are_failed_and_reported(settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path
    SEEN.clear()
    # The previous worker's last beat names a process that is gone.
    worker.write_heartbeat(worker_id="dead-worker")
    beat = worker.read_heartbeat()
    assert beat is not None
    beat["pid"] = 2**22 + 12345  # above pid_max on Linux's default: no such process
    (tmp_path / "worker.heartbeat").write_text(json.dumps(beat), encoding="utf-8")
    row = _running("a", "dead-worker")
    assert worker.recover_orphans(own_worker_id="new-worker") == [row.pk]
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path.endswith("WorkerDied")
    assert SEEN == [{"tag": "a"}]
    assert worker.recover_orphans(own_worker_id="new-worker") == []  # once


def test_tasks_of_a_live_worker_are_left_alone(settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path
    SEEN.clear()
    worker.write_heartbeat(worker_id="live-worker")  # this process: alive, beat just now
    assert worker.read_heartbeat()["pid"] == os.getpid()
    live = _running("b", "live-worker")
    stale = _running("c", "older-dead-worker")
    assert worker.recover_orphans(own_worker_id="new-worker") == [stale.pk]
    live.refresh_from_db()
    assert live.status == "RUNNING"
    assert SEEN == [{"tag": "c"}]
    # The live worker stops beating: its task is an orphan for the next worker to start.
    beat = worker.read_heartbeat()
    beat["at"] = time.time() - 3600
    (tmp_path / "worker.heartbeat").write_text(json.dumps(beat), encoding="utf-8")
    assert worker.recover_orphans(own_worker_id="new-worker") == [live.pk]
