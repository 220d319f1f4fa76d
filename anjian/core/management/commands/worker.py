"""``anjian worker``: django-tasks-db's ``db_worker`` that survives a locked database and beats.

``db_worker`` itself already skips a locked database while it *claims* a task, but not when it
opens its exclusive transaction or saves a task's result: there "database is locked" (a long
writer held SQLite's only write lock past the timeout) ended the process, and with it every
queued import and export. Here each of those steps is retried (``core.worker.retry_locked``),
the loop is restarted after a lock timeout anywhere else, and a heartbeat file tells
``/healthz`` the worker lives. ``scripts/start.sh`` restarts a worker that exits all the same.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from anjian.core.worker import Heartbeat, is_locked, recover_orphans, retry_locked

logger = logging.getLogger("anjian.worker")


class Worker(db_worker.Worker):
    """db_worker's loop, with a heartbeat and retries on a locked database."""

    heartbeat: Heartbeat | None = None
    restart_delay = 2.0

    def run(self) -> None:
        # Before the first beat: the heartbeat file still names the previous worker.
        recovered = retry_locked(lambda: recover_orphans(own_worker_id=self.worker_id), what="recovering tasks left running")
        if recovered:
            logger.warning("worker %s: %d task(s) left running by a dead worker marked failed: %s", self.worker_id, len(recovered), recovered)
        self.heartbeat = Heartbeat(self.worker_id)
        self.heartbeat.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except OperationalError as exc:
                    if not is_locked(exc):
                        raise
                    # The lock was lost outside the steps retried below (e.g. opening the
                    # exclusive transaction to claim a task): start the loop again.
                    logger.warning("worker %s: database is locked; resuming in %.0f s", self.worker_id, self.restart_delay)
                    close_old_connections()
                    time.sleep(self.restart_delay)
                    if not self.running:
                        return
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        if self.heartbeat is not None:
            self.heartbeat.running(f"{db_task_result.task_path} {db_task_result.pk}")
        # A finished task's result must be saved, or the task stays "running" for ever: retry
        # the two writes db_worker makes after running it.
        set_successful, set_failed = db_task_result.set_successful, db_task_result.set_failed

        def successful(value: Any) -> None:
            retry_locked(lambda: set_successful(value), what=f"task {db_task_result.pk}: saving its result")

        def failed(exc: BaseException) -> None:
            retry_locked(lambda: set_failed(exc), what=f"task {db_task_result.pk}: saving its failure")

        db_task_result.set_successful = successful  # type: ignore[method-assign]
        db_task_result.set_failed = failed  # type: ignore[method-assign]
        try:
            super().run_task(db_task_result)
        finally:
            if self.heartbeat is not None:
                self.heartbeat.running("")


class Command(db_worker.Command):
    help = "运行后台任务进程（确认导入、大批量导出等）；数据库被锁时等待重试，并写入心跳供 /healthz 检查。"

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
