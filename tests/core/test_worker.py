"""Issue 8 item 10: the worker survives "database is locked" and retries; /healthz reports the
worker's heartbeat and the oldest queued task, and is not 200 when either is bad."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks import task

from anjian.core import worker

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LOCKED = OperationalError("database is locked")
CALLS: list[str] = []


@task()
def record_call(tag: str) -> str:
    CALLS.append(tag)
    return tag


@pytest.fixture
def var_dir(tmp_path: Any, settings: Any) -> Any:
    settings.VAR_DIR = tmp_path
    return tmp_path


def _enqueue(tag: str) -> Any:
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        result = record_call.enqueue(tag)
    return DBTaskResult.objects.get(pk=result.id)


def _run_worker() -> None:
    with override_settings(TASKS=DB_TASKS):
        call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


# --- retry -------------------------------------------------------------------------------------
def test_retry_locked_waits_and_tries_again() -> None:
    attempts = iter([LOCKED, LOCKED, "done"])

    def flaky() -> str:
        x = next(attempts)
        if isinstance(x, Exception):
            raise x
        return x

    slept: list[float] = []
    assert worker.retry_locked(flaky, what="test", sleep=slept.append) == "done"
    assert slept == [1.0, 2.0]


def test_retry_locked_raises_other_errors_at_once() -> None:
    def broken() -> None:
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError, match="no such table"):
        worker.retry_locked(broken, what="test", sleep=lambda s: None)


@pytest.mark.django_db(transaction=True)
def test_the_worker_saves_a_result_after_a_lock_timeout(var_dir: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    CALLS.clear()
    row = _enqueue("a")
    original = DBTaskResult.set_successful
    failures = iter([True, False])

    def locked_once(self: Any, value: Any) -> None:
        if next(failures, False):
            raise LOCKED
        original(self, value)

    with mock.patch.object(DBTaskResult, "set_successful", locked_once), mock.patch("anjian.core.worker.time.sleep"):
        _run_worker()
    row.refresh_from_db()
    assert CALLS == ["a"]
    assert row.status == "SUCCESSFUL"  # before: the worker died here and the task stayed RUNNING


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_lock_while_claiming(var_dir: Any) -> None:
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    CALLS.clear()
    row = _enqueue("b")
    real = db_worker.exclusive_transaction
    failures = iter([True, False])

    def locked_once(*args: Any, **kwargs: Any) -> Any:
        if next(failures, False):
            raise LOCKED
        return real(*args, **kwargs)

    with mock.patch.object(db_worker, "exclusive_transaction", locked_once), mock.patch("anjian.core.management.commands.worker.time.sleep") as slept:
        _run_worker()
    assert slept.called
    assert DBTaskResult.objects.get(pk=row.pk).status == "SUCCESSFUL"
    assert CALLS == ["b"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_a_heartbeat(var_dir: Any) -> None:
    _run_worker()
    beat = json.loads((var_dir / "worker.heartbeat").read_text())
    assert time.time() - beat["at"] < 30 and beat["pid"]


# --- healthz -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_is_ok_without_a_database_queue(client: Any) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_the_worker_never_beat(client: Any, var_dir: Any) -> None:
    with override_settings(TASKS=DB_TASKS):
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["worker"]["alive"] is False


@pytest.mark.django_db
def test_healthz_follows_the_heartbeat(client: Any, var_dir: Any) -> None:
    worker.write_heartbeat(worker_id="w1")
    with override_settings(TASKS=DB_TASKS):
        r = client.get("/healthz")
        assert r.status_code == 200, r.json()
        body = r.json()
        assert body["worker"]["alive"] is True and body["queue"] == {"ready": 0, "oldest_age_s": None, "stale": False}
        # The worker died a minute ago: its last beat is old.
        with mock.patch("anjian.core.worker.time.time", return_value=time.time() + 60):
            r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["worker"]["alive"] is False


@pytest.mark.django_db
def test_healthz_reports_the_oldest_queued_task_and_a_stale_queue(client: Any, var_dir: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    worker.write_heartbeat(worker_id="w1")
    row = _enqueue("c")
    with override_settings(TASKS=DB_TASKS):
        r = client.get("/healthz")
        assert r.status_code == 200
        assert r.json()["queue"]["ready"] == 1
        DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - dt.timedelta(hours=1))
        r = client.get("/healthz")
    assert r.status_code == 503
    queue = r.json()["queue"]
    assert queue["stale"] is True and queue["oldest_age_s"] >= 3600


# --- start.sh's supervisor -----------------------------------------------------------------------
def test_the_supervisor_restarts_a_dead_worker_and_stops_on_term(tmp_path: Any) -> None:
    import os
    import signal
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "supervise.sh"
    runs = tmp_path / "runs"
    # A "worker" that dies at once, then (from its third start) one that stays up.
    cmd = f'echo $$ >> {runs}; [ $(wc -l < {runs}) -ge 3 ] && exec sleep 30; exit 3'
    proc = subprocess.Popen(["bash", str(script), str(tmp_path / "log"), "sh", "-c", cmd], env={**os.environ, "ANJIAN_WORKER_RESTART_DELAY": "0.1"})
    try:
        deadline = time.time() + 10
        while time.time() < deadline and (not runs.exists() or len(runs.read_text().split()) < 3):
            time.sleep(0.1)
        pids = runs.read_text().split()
        assert len(pids) == 3
        assert "进程退出（代码 3）" in (tmp_path / "log").read_text()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        # The running worker was stopped with its supervisor (gone, or a zombie not yet reaped).
        def running(pid: str) -> bool:
            try:
                return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] not in ("Z", "X")
            except OSError:
                return False

        deadline = time.time() + 10
        while time.time() < deadline and running(pids[-1]):
            time.sleep(0.1)
        assert not running(pids[-1])
    finally:
        if proc.poll() is None:
            proc.kill()
