"""Chunked upload of large evidence (body-camera video): start, append pieces, complete.

A lost connection costs at most one piece: the client asks how much arrived and continues from
there. The assembled file goes through the same content and size checks as any evidence.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.scoping import require_owner
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.evidence import LABELS, LIMITS
from anjian.inspections.models import ChunkedUpload, Evidence, Inspection, InspectionItem
from anjian.inspections.services import INSPECT_ROLES, evidence_add

CHUNK_MAX = 8 * 1024 * 1024  # one request body


def _path(upload: ChunkedUpload) -> Path:
    base = Path(getattr(settings, "ANJIAN_UPLOAD_TMP", Path(settings.MEDIA_ROOT) / "uploads-tmp"))
    base.mkdir(parents=True, exist_ok=True)
    return base / f"{upload.pk}.part"


@transaction.atomic
def upload_start(*, actor: Any, inspection: Inspection, kind: str, name: str, total_size: int, item: InspectionItem | None = None) -> ChunkedUpload:
    insp = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require_owner(actor, insp, roles=INSPECT_ROLES, what="该检查")
    if insp.status != InspectionStatus.DRAFT:
        raise DomainError("检查已完成，不能再补充现场证据。", code="inspection_completed")
    if kind not in LIMITS:
        raise ValidationFailed("未知的证据类别。", fields={"kind": "未知的证据类别。"})
    limit = LIMITS[kind][1]
    if total_size <= 0:
        raise ValidationFailed("文件大小有误。", fields={"total_size": "文件大小须大于0。"})
    if total_size > limit:
        raise ValidationFailed(f"{LABELS[kind]}超过大小上限{limit // (1024 * 1024)}MB。", fields={"file": f"文件超过{limit // (1024 * 1024)}MB上限。"})
    if item is not None and item.inspection_id != insp.pk:
        raise ValidationFailed("检查项不属于本次检查。", fields={"item": "检查项不属于本次检查。"})
    up = ChunkedUpload.objects.create(id=uuid.uuid4(), inspection=insp, item=item, kind=kind, name=name[:200], total_size=total_size, created_by=actor)
    _path(up).write_bytes(b"")
    return up


@transaction.atomic
def upload_append(*, actor: Any, upload: ChunkedUpload, offset: int, data: bytes) -> ChunkedUpload:
    up = ChunkedUpload.objects.select_for_update().get(pk=upload.pk)
    if up.created_by_id != actor.pk:
        raise DomainError("只能续传本人开始的上传。", code="not_uploader")
    if up.evidence_id:
        return up
    if len(data) > CHUNK_MAX:
        raise ValidationFailed("分块过大。", fields={"file": f"每块不超过{CHUNK_MAX // (1024 * 1024)}MB。"})
    if offset + len(data) <= up.received:
        return up  # a retried piece that already arrived
    if offset != up.received:
        raise DomainError(f"分块位置不连续：服务器已接收{up.received}字节。", code="upload_offset")
    if up.received + len(data) > up.total_size:
        raise ValidationFailed("上传内容超过声明的文件大小。", fields={"file": "上传内容超过声明的文件大小。"})
    with open(_path(up), "ab") as fh:
        fh.write(data)
    up.received += len(data)
    up.save(update_fields=["received"])
    return up


@transaction.atomic
def upload_complete(*, actor: Any, upload: ChunkedUpload) -> Evidence:
    up = ChunkedUpload.objects.select_for_update(of=("self",)).select_related("inspection", "item").get(pk=upload.pk)
    if up.created_by_id != actor.pk:
        raise DomainError("只能完成本人开始的上传。", code="not_uploader")
    if up.evidence_id:
        return Evidence.objects.get(pk=up.evidence_id)
    if up.received != up.total_size:
        raise DomainError(f"文件尚未传完：已接收{up.received}/{up.total_size}字节。", code="upload_incomplete")
    path = _path(up)
    fh: IO[bytes]
    with open(path, "rb") as fh:
        ev = evidence_add(actor=actor, inspection=up.inspection, kind=up.kind, fh=fh, name=up.name, item=up.item)
    up.evidence = ev
    up.save(update_fields=["evidence"])
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return ev
