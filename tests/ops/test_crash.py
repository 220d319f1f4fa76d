"""Crash safety (issue 10, item 8): the real HTTP server (gunicorn on loopback) is killed with SIGKILL
— master and workers, the whole process group — in the middle of a stream of writes, and started
again; every acknowledged write is there and no unit is half-written. The same for the task worker
killed while it commits an Excel import: each batch is wholly present or wholly absent, the job is
reported failed with the rows written so far, and importing the same file again completes it.

The server and the worker run against a database of their own, a real file (SQLite) or a scratch
PostgreSQL database (when ANJIAN_DATABASE_URL is set): a copy of the test database's migrated
schema (SQLite's backup API; PostgreSQL ``CREATE DATABASE … TEMPLATE``), which is faster than
migrating again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection

from anjian.core.models import AuditEvent, IdempotencyKey
from anjian.enterprises.importing import BATCH
from anjian.enterprises.models import Enterprise
from tests.conftest import make_uscc

ENT = Enterprise._meta.db_table
HIST = Enterprise.history.model._meta.db_table
SECTORS = Enterprise.sectors.through._meta.db_table
AUDIT = AuditEvent._meta.db_table
IDEM = IdempotencyKey._meta.db_table
VENV_BIN = Path(sys.executable).parent
IMPORT_ROWS = 2 * BATCH
# Marked so that pytest-django sets up the test database, whose migrated schema the stack copies.
pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    """The subprocesses' environment and database, and a way to read it with plain SQL."""

    env: dict[str, str]
    var: Path
    pg: dict[str, Any] | None = None
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.pg is None:
            conn = sqlite3.connect(self.var / "anjian.sqlite3", timeout=30)
            try:
                return conn.execute(query.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(**self.pg) as pconn:
            return pconn.execute(query, params).fetchall()  # type: ignore[arg-type]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False)

    def start(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        out = open(self.var / log, "ab")
        proc = subprocess.Popen(list(args), env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """The whole process group: the gunicorn master and its workers, not just the master."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def gunicorn(self) -> tuple[subprocess.Popen[bytes], str]:
        port = _free_port()
        proc = self.start(
            str(VENV_BIN / "gunicorn"), "anjian.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--worker-class", "gthread", "--workers", "2", "--threads", "4", "--timeout", "60", log="gunicorn.log",
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/healthz", timeout=2)
                return proc, base
            except requests.RequestException:
                if proc.poll() is not None:
                    raise AssertionError((self.var / "gunicorn.log").read_text(errors="replace")[-3000:]) from None
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer within 60 s")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("crash")
    var = tmp / "var"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANJIAN_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "anjian.settings",
        "PYTHONPATH": os.pathsep.join(p for p in (str(settings.PROJECT_DIR), os.environ.get("PYTHONPATH", "")) if p),
        "ANJIAN_VAR_DIR": str(var),
        "ANJIAN_SECRET_KEY": "crash-test-secret-" + uuid.uuid4().hex,
        "ANJIAN_AUDIT_KEY": "crash-test-audit-key",
        "ANJIAN_IMPORT_SYNC_PREVIEW_BYTES": str(64 * 1024 * 1024),
    })  # fmt: skip
    sd = connection.settings_dict
    scratch = None
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            dest = sqlite3.connect(var / "anjian.sqlite3")
            connection.connection.backup(dest)
            dest.close()
            st = Stack(env=env, var=var)
        else:
            import psycopg

            from anjian.core import backup

            scratch = f"{sd['NAME']}_crash_{uuid.uuid4().hex[:8]}"
            admin = backup._pg_conninfo({**sd, "NAME": "postgres"})
            connection.close()  # a template must have no other session
            with psycopg.connect(**admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{sd["NAME"]}"')
            env["ANJIAN_DATABASE_URL"] = backup.database_url({**sd, "NAME": scratch})
            env["ANJIAN_CONN_MAX_AGE"] = "0"
            st = Stack(env=env, var=var, pg=backup._pg_conninfo({**sd, "NAME": scratch}))
    try:
        yield st
    finally:
        for proc in st.procs:
            if proc.poll() is None:
                st.kill(proc)
        if scratch is not None:
            import psycopg

            with psycopg.connect(**admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _setup(st: Stack, rows: int) -> dict[str, Any]:
    done = st.run("-c", "from tests.ops.crash_app import main; main()", "setup", str(rows), timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _audit_chain_verifies(st: Stack) -> None:
    """``anjian audit seal`` (events a killed process committed but did not seal) then ``anjian
    audit verify``, in one process."""
    script = "import django; django.setup(); from django.core.management import call_command; call_command('audit', 'seal'); call_command('audit', 'verify')"
    done = st.run("-c", script)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "审计链完整" in done.stdout, done.stdout


@dataclass
class Write:
    key: str
    name: str
    status: int | None = None  # None: no answer (the server died under it)
    id: int | None = None


def test_sigkill_of_the_http_server_loses_no_acknowledged_write(stack: Stack) -> None:
    token = _setup(stack, 0)["token"]
    proc, base = stack.gunicorn()
    writes: list[Write] = []
    lock = threading.Lock()
    stop = threading.Event()
    acknowledged = threading.Semaphore(0)

    def writer(tid: int) -> None:
        session = requests.Session()
        session.headers.update({"Authorization": f"Token {token}"})
        i = 0
        while not stop.is_set():
            i += 1
            w = Write(key=str(uuid.uuid4()), name=f"崩溃测试企业{tid}-{i}有限公司")
            with lock:
                writes.append(w)
            body = {"name": w.name, "uscc": make_uscc(500_000 + tid * 10_000 + i), "sectors": ["hazchem.production"]}
            try:
                r = session.post(f"{base}/api/v1/enterprises/", json=body, headers={"Idempotency-Key": w.key}, timeout=30)
            except requests.RequestException:
                time.sleep(0.05)
                continue
            w.status = r.status_code
            if 200 <= r.status_code < 300:
                w.id = int(r.json()["id"])
                acknowledged.release()

    threads = [threading.Thread(target=writer, args=(t,), daemon=True) for t in range(6)]
    for t in threads:
        t.start()
    for _ in range(40):  # mid-stream: after 40 acknowledged writes, with others in flight
        assert acknowledged.acquire(timeout=60), (stack.var / "gunicorn.log").read_text(errors="replace")[-3000:]
    stack.kill(proc)
    stop.set()  # the requests in flight meet a dead server
    for t in threads:
        t.join(timeout=40)

    acked = [w for w in writes if w.id is not None]
    refused = [w for w in writes if w.status is not None and w.id is None]
    assert not refused, [(w.name, w.status) for w in refused]  # only the crash may stop a write
    unanswered = [w for w in writes if w.status is None]

    # Started again: every acknowledged unit is served, as written.
    proc, base = stack.gunicorn()
    session = requests.Session()
    session.headers.update({"Authorization": f"Token {token}"})
    for w in acked:
        r = session.get(f"{base}/api/v1/enterprises/{w.id}/", timeout=30)
        assert r.status_code == 200 and r.json()["name"] == w.name, (w, r.status_code)

    # No unit half-written: each has its history row, its audit event, its sector link and its
    # idempotency record, in the one transaction the service wrote them in.
    units = {int(pk): name for pk, name in stack.sql(f"SELECT id, name FROM {ENT} WHERE name LIKE %s", ("崩溃测试企业%",))}
    hist = {int(r[0]) for r in stack.sql(f"SELECT id FROM {HIST} WHERE history_type = '+' AND name LIKE %s", ("崩溃测试企业%",))}
    events = {int(r[0]) for r in stack.sql(f"SELECT object_id FROM {AUDIT} WHERE action = 'enterprise.create'")}
    links = {int(r[0]) for r in stack.sql(f"SELECT enterprise_id FROM {SECTORS}")}
    keys = {k: int(o) for k, o in stack.sql(f"SELECT key, object_id FROM {IDEM} WHERE operation = 'enterprise.create'")}
    for pk in units:
        assert pk in hist and pk in events and pk in links, f"unit {pk} half-written"
    assert {w.id for w in acked} <= set(units)
    # An unanswered write is either wholly there (committed, the answer lost with the server) or wholly absent.
    committed_unanswered = 0
    by_name = {name: pk for pk, name in units.items()}
    for w in unanswered:
        if w.name in by_name:
            assert keys.get(w.key) == by_name[w.name]
            committed_unanswered += 1
        else:
            assert w.key not in keys
    assert len(units) == len(acked) + committed_unanswered
    assert set(keys.values()) >= set(units)
    stack.kill(proc, signal.SIGTERM)
    _audit_chain_verifies(stack)
    print(  # the counts for the note (pytest -s)
        f"\n[crash/http {connection.vendor}] writes sent {len(writes)}, acknowledged {len(acked)}, "
        f"found after restart {len(set(units) & {w.id for w in acked})} of the acknowledged; "
        f"unanswered {len(unanswered)} (committed {committed_unanswered}, absent {len(unanswered) - committed_unanswered})"
    )


def test_sigkill_of_the_worker_mid_import_leaves_whole_batches_and_a_failed_job(stack: Stack) -> None:
    job = _setup(stack, IMPORT_ROWS)
    token = job["import_token"]
    meta_path = stack.var / "imports" / token / "meta.json"

    def imported() -> set[int]:
        return {int(r[0]) for r in stack.sql(f"SELECT id FROM {ENT} WHERE name LIKE %s", ("芝罘测试企业%",))}

    worker = stack.start(sys.executable, "-m", "anjian.cli", "worker", log="worker.log")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill once the first batch is in and before the last one
        if imported():
            break
        assert worker.poll() is None, (stack.var / "worker.log").read_text(errors="replace")[-3000:]
        time.sleep(0.02)
    stack.kill(worker)
    written = imported()
    assert 0 < len(written) < IMPORT_ROWS, len(written)
    assert len(written) % BATCH == 0, f"{len(written)} rows: a batch was half-written"
    hist = {int(r[0]) for r in stack.sql(f"SELECT id FROM {HIST} WHERE history_type = '+' AND name LIKE %s", ("芝罘测试企业%",))}
    events = {int(r[0]) for r in stack.sql(f"SELECT object_id FROM {AUDIT} WHERE action = 'enterprise.create' AND note LIKE %s", ("%崩溃测试.xlsx%",))}
    assert written <= hist and written <= events
    assert json.loads(meta_path.read_text(encoding="utf-8"))["status"] == "running"

    # Started again, the worker finds the task its dead predecessor left running: the task is
    # marked failed and the job says which rows were written (the existing design for an import
    # stopped part way), instead of "running" for ever.
    worker = stack.start(sys.executable, "-m", "anjian.cli", "worker", log="worker.log")
    deadline = time.monotonic() + 60
    meta: dict[str, Any] = {}
    while time.monotonic() < deadline:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["status"] != "running":
            break
        time.sleep(0.1)
    assert meta["status"] == "failed", meta.get("status")
    # Row 1 is the header; what was written is read back from the batches' audit events.
    assert meta["partial"]["through_row"] == len(written) + 1
    assert meta["partial"]["create"] == len(written)
    assert "重新上传同一文件即可继续" in meta["error"]
    assert imported() == written
    statuses = [r[0] for r in stack.sql("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s", ("%import_commit_task",))]
    assert statuses == ["FAILED"]

    # Importing the same file again finishes the job: the written rows come back unchanged.
    again = _setup(stack, IMPORT_ROWS)["import_token"]
    meta_path = stack.var / "imports" / again / "meta.json"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert meta["status"] == "done", meta
    counts = meta["result"]["counts"]
    assert counts["unchanged"] == len(written) and counts["create"] == IMPORT_ROWS - len(written)
    assert len(imported()) == IMPORT_ROWS
    stack.kill(worker, signal.SIGTERM)
    _audit_chain_verifies(stack)
    print(
        f"\n[crash/worker {connection.vendor}] import of {IMPORT_ROWS} rows killed after {len(written)} rows ({len(written) // BATCH} whole batches); job reported failed; re-import created {counts['create']}, unchanged {counts['unchanged']}"
    )
