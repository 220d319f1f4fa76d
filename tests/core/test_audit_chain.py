"""Tamper-evident audit (issue 10, item 5): a modified, inserted or deleted row is found and the first
broken link is named; the purge keeps a verifiable mark; on PostgreSQL the rows cannot be changed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from anjian.core import audit, audit_chain
from anjian.core.models import AuditEvent, Jurisdiction

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def own_var_dir(settings: Any, tmp_path: Any) -> Any:
    settings.VAR_DIR = tmp_path  # the anchor file is this test's own
    settings.AUDIT_KEY = "test-audit-key"
    return settings


def _events(n: int, *, days_ago: int = 0) -> list[AuditEvent]:
    j = Jurisdiction.objects.first()
    out = []
    for i in range(n):
        e = audit.build_event(
            actor=None, action="enterprise.update", object_type="enterprises.enterprise", object_id=i, object_repr=f"企业{i}",
            jurisdiction_id=j.pk if j else None, before={"name": f"旧{i}", "n": i}, after={"name": f"新{i}", "amount": "1.50"}, note="测试",
        )  # fmt: skip
        e.at = timezone.now() - dt.timedelta(days=days_ago, seconds=n - i)
        audit_chain.sign(e)
        e.save(force_insert=True)
        out.append(e)
    return out


def _raw(sql: str, params: list[Any]) -> None:
    """What someone with direct database access would do (on PostgreSQL past the trigger)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")  # a superuser switching triggers off
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = origin")


def test_sealed_chain_verifies() -> None:
    _events(5)
    assert audit_chain.seal() == 5
    r = audit_chain.verify()
    assert r.ok, r.problems
    assert (r.first_seq, r.last_seq, r.checked, r.unsealed) == (1, 5, 5, 0)
    assert audit_chain.seal() == 0  # nothing new


def test_a_modified_row_is_named() -> None:
    ev = _events(5)
    audit_chain.seal()
    _raw(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["改过的说明", ev[2].pk])
    r = audit_chain.verify()
    assert not r.ok
    assert r.problems[0] == f"审计链第3号（记录{ev[2].pk}）的内容与校验码不符：该记录写入后被修改。"


def test_a_changed_json_value_is_found() -> None:
    ev = _events(3)
    audit_chain.seal()
    _raw(f"UPDATE {TABLE} SET after = %s WHERE id = %s", ['{"name": "新1", "amount": "9.50"}', ev[1].pk])
    assert "第2号" in audit_chain.verify().problems[0]


def test_a_deleted_row_breaks_the_chain_at_its_place() -> None:
    ev = _events(6)
    audit_chain.seal()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [ev[3].pk])
    r = audit_chain.verify()
    assert not r.ok
    assert r.problems[0].startswith("审计链在第4号断开：下一条是第5号")


def test_deleting_the_newest_rows_is_found_by_the_anchor() -> None:
    ev = _events(4)
    audit_chain.seal()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [ev[3].pk])
    r = audit_chain.verify()
    assert not r.ok and "最新的记录被删除" in r.problems[0]


def test_a_forged_row_is_not_chained_and_is_reported() -> None:
    _events(2)
    audit_chain.seal()
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {TABLE} (at, actor_name, action, object_type, object_id, object_repr, note, request_id, row_mac, chain_mac) "
            "VALUES (%s, '伪造', 'enterprise.delete', 'x', '1', 'x', '', '', %s, '')",
            [timezone.now(), "0" * 64],
        )
    with pytest.raises(audit_chain.ChainBroken, match="内容校验码不符"):
        audit_chain.seal()
    r = audit_chain.verify()
    assert not r.ok and r.unsealed == 1 and "不是由系统写入" in r.problems[0]


def test_a_renumbered_row_is_found() -> None:
    ev = _events(3)
    audit_chain.seal()
    # Swap the content of two links by moving one row's mac onto another: the link no longer holds.
    _raw(f"UPDATE {TABLE} SET chain_mac = %s WHERE id = %s", ["f" * 64, ev[1].pk])
    r = audit_chain.verify()
    assert not r.ok and "第2号" in r.problems[0] and "链校验码不符" in r.problems[0]


def test_purge_removes_an_old_prefix_and_leaves_a_verifiable_mark() -> None:
    _events(4, days_ago=400)
    _events(3, days_ago=10)
    audit_chain.seal()
    removed = audit_chain.purge(retention_days=365)
    assert removed == 4
    mark = AuditEvent.objects.get(action="audit.purge")
    assert mark.after["through_seq"] == 4 and mark.chain_seq is not None
    r = audit_chain.verify()
    assert r.ok, r.problems
    assert r.first_seq == 5 and r.checked == 4  # the 3 kept rows and the mark
    # Deleting the first kept row after a purge is still found.
    first = AuditEvent.objects.filter(chain_seq=5).get()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [first.pk])
    assert audit_chain.verify().problems[0].startswith("审计链在第5号断开")


def test_purge_refuses_less_than_six_months() -> None:
    _events(1, days_ago=300)
    with pytest.raises(ValueError, match="不得少于183日"):
        audit_chain.purge(retention_days=90)
    assert AuditEvent.objects.count() == 1


def test_the_command_names_the_break_and_fails() -> None:
    ev = _events(3)
    out = StringIO()
    call_command("audit", "seal", stdout=out)
    call_command("audit", "verify", stdout=out)
    assert "审计链完整" in out.getvalue()
    _raw(f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["别人", ev[0].pk])
    err = StringIO()
    with pytest.raises(CommandError, match="审计链校验未通过"):
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert "第1号" in err.getvalue()


def test_services_write_signed_events() -> None:
    j = Jurisdiction.objects.first()
    e = audit.record_about(actor=None, action="enterprise.export", object_type="enterprises.export", object_id="x", object_repr="导出", jurisdiction_id=j.pk if j else None, after={"rows": 3})
    e.refresh_from_db()
    assert e.row_mac and audit_chain.row_mac({k: getattr(e, k) for k in audit_chain.CONTENT}) == e.row_mac


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_update_and_delete_but_lets_the_sealer_fill_the_chain() -> None:
    ev = _events(2)
    for sql in (f"UPDATE {TABLE} SET note = 'x' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql, [ev[0].pk])
    assert audit_chain.seal() == 2
    # The sealer may fill the chain once, not change it afterwards.
    with pytest.raises(DatabaseError, match="不能修改"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {TABLE} SET chain_mac = 'x' WHERE id = %s", [ev[0].pk])
    assert audit_chain.verify().ok


def test_one_sealing_per_transaction_however_many_events(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            _events(50)
            j = Jurisdiction.objects.first()
            for i in range(3):
                audit.record_about(actor=None, action="enterprise.export", object_type="x", object_id=i, object_repr="导出", jurisdiction_id=j.pk if j else None)
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(chain_seq__isnull=True).count() == 0  # sealed when it committed
    assert audit_chain.verify().ok
