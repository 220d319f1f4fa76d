"""Tamper evidence for the audit (issue 10, item 5; 等保 level 3: an audit that cannot be altered unnoticed).

Two HMACs (SHA-256, key ``settings.AUDIT_KEY``):

- ``row_mac`` — of one row's content, written with the row (``sign``, from ``AuditEvent.save`` and
  ``audit.build_event``). A changed field, or a row inserted without the key, no longer matches.
- ``chain_mac`` — of the previous link's ``chain_mac``, the row's ``chain_seq`` and its ``row_mac``,
  written once by the sealer (``seal``), which numbers the rows 1, 2, 3 … in the order they were
  written. A deleted or inserted row breaks the numbering or the next link. Sealing happens right
  after each committing transaction that wrote events (``seal_soon``) and in the worker; the
  sealer takes an advisory lock, so business transactions never wait on the chain.

The newest link is also written to ``VAR_DIR/audit-anchor.json``, outside the database, so that
deleting the newest rows is found too. The purge job (``purge``) removes only a sealed prefix
older than the retention period and leaves an ``audit.purge`` event that names the last removed
link; ``verify`` starts the chain from it.

On PostgreSQL a trigger refuses UPDATE and DELETE of audit rows (except the sealer filling the
chain columns once, and the purge job); the operator guide gives the grants for the application's
database role.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from anjian.core.models import AuditEvent

# The content a row's HMAC covers, in this order. ``chain_*`` and ``id`` are not content.
CONTENT = ("at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "jurisdiction_id", "before", "after", "note", "request_id", "source_ip")
PURGE_ACTION = "audit.purge"
LOCK_ID = 0x616E6A69  # "anji": the advisory lock of the sealer (PostgreSQL)
MIN_RETENTION_DAYS = 183  # 网络安全法第二十一条第三项：网络日志留存不少于六个月


def key() -> bytes:
    configured = getattr(settings, "AUDIT_KEY", "") or ""
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"anjian-audit-chain", hashlib.sha256).digest()


def _at(value: Any) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes an audit row's HMAC is taken over: its content as canonical JSON."""
    row = [
        _at(values["at"]),
        values["actor_id"],
        values["actor_name"] or "",
        values["action"],
        values["object_type"],
        str(values["object_id"]),
        values["object_repr"] or "",
        values["jurisdiction_id"],
        values["before"],
        values["after"],
        values["note"] or "",
        values["request_id"] or "",
        values["source_ip"] or None,
    ]
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def row_mac(values: dict[str, Any]) -> str:
    return hmac.new(key(), canonical(values), hashlib.sha256).hexdigest()


def link_mac(prev: str, seq: int, mac: str) -> str:
    return hmac.new(key(), f"{prev}|{seq}|{mac}".encode(), hashlib.sha256).hexdigest()


def sign(event: AuditEvent) -> AuditEvent:
    """Fix the event's time and write its content HMAC (before it is inserted)."""
    if event.at is None:
        event.at = timezone.now()
    # The stored form of the JSON fields: what the database gives back is what verify reads.
    values = {name: getattr(event, name) for name in CONTENT}
    values["before"] = json.loads(json.dumps(event.before, default=str)) if event.before is not None else None
    values["after"] = json.loads(json.dumps(event.after, default=str)) if event.after is not None else None
    event.row_mac = row_mac(values)
    return event


# --- sealing ---------------------------------------------------------------------------------------
def anchor_path() -> Path:
    return Path(settings.VAR_DIR) / "audit-anchor.json"


def _write_anchor(seq: int, mac: str) -> None:
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"seq": seq, "mac": mac, "at": timezone.now().isoformat()}), encoding="utf-8")
    os.replace(tmp, path)


def read_anchor() -> dict[str, Any] | None:
    try:
        return json.loads(anchor_path().read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def _lock(blocking: bool) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers already
    with connection.cursor() as cur:
        if blocking:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
            return True
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_ID])
        return bool(cur.fetchone()[0])


def _head() -> tuple[int, str]:
    row = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("-chain_seq").values_list("chain_seq", "chain_mac").first()
    if row is not None and row[0] is not None:
        return int(row[0]), row[1]
    mark = _last_purge_mark()
    return (int(mark["through_seq"]), mark["through_mac"]) if mark else (0, "")


def _last_purge_mark() -> dict[str, Any] | None:
    after = AuditEvent.objects.filter(action=PURGE_ACTION).order_by("-id").values_list("after", flat=True).first()
    return after if isinstance(after, dict) else None


class ChainBroken(Exception):
    pass


def seal(*, blocking: bool = True, batch: int = 5000) -> int:
    """Chain every unsealed row in the order written; returns how many. A row whose content HMAC
    does not match is not chained: sealing stops there and ``ChainBroken`` names it."""
    done = 0
    while True:
        with transaction.atomic():
            if not _lock(blocking):
                return done
            seq, prev = _head()
            rows = list(AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id").values("id", "row_mac", *CONTENT)[:batch])
            if not rows:
                return done
            updates = []
            for r in rows:
                if not r["row_mac"] or not hmac.compare_digest(r["row_mac"], row_mac(r)):
                    if updates:
                        _apply(updates)
                        _write_anchor(seq, prev)
                    raise ChainBroken(f"审计记录{r['id']}的内容校验码不符（记录在写入后被修改，或不是由系统写入），未加入审计链。")
                seq += 1
                prev = link_mac(prev, seq, r["row_mac"])
                updates.append((seq, prev, r["id"]))
            _apply(updates)
            _write_anchor(seq, prev)
            done += len(updates)
        if len(rows) < batch:
            return done


def _apply(updates: list[tuple[int, str, int]]) -> None:
    table = AuditEvent._meta.db_table
    with connection.cursor() as cur:
        cur.executemany(f"UPDATE {table} SET chain_seq = %s, chain_mac = %s WHERE id = %s AND chain_seq IS NULL", updates)  # noqa: S608 — the table name is ours


def _seal_after_commit() -> None:
    try:
        seal(blocking=False)
    except ChainBroken:
        pass  # verify reports it; the business action that wrote the event has committed already


def seal_soon() -> None:
    """Seal once the current transaction commits — one sealing per transaction however many events
    it wrote (a no-op when another process is sealing). Outside a transaction: seal now."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _seal_after_commit()
        return
    if any(entry[1] is _seal_after_commit for entry in conn.run_on_commit):
        return
    transaction.on_commit(_seal_after_commit)


# --- verification ----------------------------------------------------------------------------------
@dataclass
class Verification:
    ok: bool = True
    checked: int = 0
    unsealed: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def fail(self, text: str) -> None:
        self.ok = False
        if len(self.problems) < 20:
            self.problems.append(text)


def _rows(chunk: int) -> Iterator[dict[str, Any]]:
    last = None
    while True:
        qs = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
        if last is not None:
            qs = qs.filter(chain_seq__gt=last)
        rows = list(qs.values("id", "row_mac", "chain_seq", "chain_mac", *CONTENT)[:chunk])
        if not rows:
            return
        yield from rows
        last = rows[-1]["chain_seq"]


def verify(*, chunk: int = 10000, progress: Callable[[int], None] | None = None) -> Verification:
    """Walk the chain from the start (or the last purge mark) to the anchor; the first broken link
    is named first in ``problems``."""
    import time

    t0 = time.perf_counter()
    out = Verification()
    mark = _last_purge_mark()
    expected_seq = (int(mark["through_seq"]) if mark else 0) + 1
    prev = mark["through_mac"] if mark else ""
    for r in _rows(chunk):
        seq = int(r["chain_seq"])
        if out.first_seq is None:
            out.first_seq = seq
        if seq != expected_seq:
            out.fail(f"审计链在第{expected_seq}号断开：下一条是第{seq}号（记录{r['id']}），其间{seq - expected_seq}条记录被删除。" if seq > expected_seq else f"审计链第{seq}号重复。")
            prev = r["chain_mac"]  # go on from here, to report later breaks too
            expected_seq = seq + 1
            out.checked += 1
            continue
        if not hmac.compare_digest(r["row_mac"] or "", row_mac(r)):
            out.fail(f"审计链第{seq}号（记录{r['id']}）的内容与校验码不符：该记录写入后被修改。")
        elif not hmac.compare_digest(r["chain_mac"] or "", link_mac(prev, seq, r["row_mac"])):
            out.fail(f"审计链第{seq}号（记录{r['id']}）的链校验码不符：该处有记录被插入、替换或重新编号。")
        prev = r["chain_mac"]
        expected_seq = seq + 1
        out.checked += 1
        out.last_seq = seq
        if progress and out.checked % 100000 == 0:
            progress(out.checked)
    anchor = read_anchor()
    if anchor is not None and out.ok:
        if out.last_seq is None or out.last_seq < int(anchor["seq"]):
            out.fail(f"审计链止于第{out.last_seq or 0}号，但已封存至第{anchor['seq']}号：最新的记录被删除。")
        elif not hmac.compare_digest(AuditEvent.objects.filter(chain_seq=anchor["seq"]).values_list("chain_mac", flat=True).first() or "", anchor["mac"]):
            out.fail(f"审计链第{anchor['seq']}号与封存锚点不符。")
    for r in AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id").values("id", "row_mac", *CONTENT).iterator(chunk_size=chunk):
        out.unsealed += 1
        if not hmac.compare_digest(r["row_mac"] or "", row_mac(r)):
            out.fail(f"未封存的审计记录{r['id']}的内容与校验码不符：该记录写入后被修改，或不是由系统写入。")
    out.seconds = time.perf_counter() - t0
    return out


# --- purge -----------------------------------------------------------------------------------------
def purge(*, actor: Any = None, today: dt.date | None = None, retention_days: int | None = None) -> int:
    """Delete the sealed rows older than the retention period (a prefix of the chain) and leave an
    ``audit.purge`` event naming the last removed link. Returns how many were removed."""
    from anjian.core import audit

    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", 365) if retention_days is None else retention_days)
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"审计记录保存期不得少于{MIN_RETENTION_DAYS}日（网络安全法第二十一条第三项：网络日志留存不少于六个月），现设为{days}日。")
    seal()
    cutoff = timezone.make_aware(dt.datetime.combine((today or timezone.localdate()) - dt.timedelta(days=days), dt.time.min))
    with transaction.atomic():
        _lock(True)
        # The prefix: every sealed row up to the first one that is still inside the period.
        keep_from = AuditEvent.objects.filter(chain_seq__isnull=False, at__gte=cutoff).order_by("chain_seq").values_list("chain_seq", flat=True).first()
        head = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("-chain_seq").values_list("chain_seq", flat=True).first()
        if head is None:
            return 0
        through = (keep_from - 1) if keep_from is not None else head
        row = AuditEvent.objects.filter(chain_seq=through).values_list("chain_mac", flat=True).first()
        if row is None:
            return 0
        table = AuditEvent._meta.db_table
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL anjian.audit_purge = 'on'")
            cur.execute(f"DELETE FROM {table} WHERE chain_seq IS NOT NULL AND chain_seq <= %s", [through])  # noqa: S608
            removed = cur.rowcount
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL anjian.audit_purge = 'off'")
        audit.record_about(
            actor=actor, action=PURGE_ACTION, object_type="core.auditevent", object_id=through, object_repr=f"清理审计记录至第{through}号",
            jurisdiction_id=None, after={"through_seq": through, "through_mac": row, "removed": removed, "cutoff": cutoff.isoformat(), "retention_days": days},
            note=f"按保存期{days}日清理{cutoff:%Y年%-m月%-d日}以前的审计记录{removed}条。",
        )  # fmt: skip
    seal()
    return removed
