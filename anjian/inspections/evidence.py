"""Evidence files: the type is checked by content (magic bytes), sizes are limited, SHA-256 kept."""

from __future__ import annotations

import hashlib
from typing import IO

import filetype
from django.conf import settings

from anjian.core.errors import ValidationFailed

# kind → (allowed MIME types detected from content, size limit in bytes)
LIMITS: dict[str, tuple[frozenset[str], int]] = {
    "photo": (frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}), getattr(settings, "ANJIAN_PHOTO_MAX_BYTES", 20 * 1024 * 1024)),
    "audio": (frozenset({"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/x-wav", "audio/amr", "audio/aac", "audio/webm"}), getattr(settings, "ANJIAN_AUDIO_MAX_BYTES", 100 * 1024 * 1024)),
    "video": (frozenset({"video/mp4", "video/quicktime", "video/x-msvideo", "video/webm", "video/x-matroska", "video/3gpp"}), getattr(settings, "ANJIAN_VIDEO_MAX_BYTES", 2 * 1024 * 1024 * 1024)),
    "scan": (frozenset({"image/jpeg", "image/png", "application/pdf"}), getattr(settings, "ANJIAN_SCAN_MAX_BYTES", 30 * 1024 * 1024)),
}
LABELS = {"photo": "照片", "audio": "录音", "video": "视频", "scan": "签字扫描件"}


# Attachments outside an inspection (the unit's rectification report): photos or a scanned PDF,
# checked exactly like evidence. Not an evidence kind, so ``evidence_add`` never accepts it.
ATTACHMENT_LIMITS: dict[str, tuple[frozenset[str], int]] = {
    "rectification": (LIMITS["photo"][0] | LIMITS["scan"][0], getattr(settings, "ANJIAN_SCAN_MAX_BYTES", 30 * 1024 * 1024)),
}
LABELS["rectification"] = "整改材料（照片或PDF扫描件）"


def inspect_file(fh: IO[bytes], *, kind: str, declared_name: str = "") -> tuple[str, int, str]:
    """(content type, size, sha256) of ``fh`` or a Chinese error naming the rule broken."""
    if kind not in LIMITS:
        raise ValidationFailed("未知的证据类别。", fields={"kind": "未知的证据类别。"})
    return _inspect(fh, kind=kind, limits=LIMITS[kind], declared_name=declared_name)


def inspect_attachment(fh: IO[bytes], *, declared_name: str = "", kind: str = "rectification") -> tuple[str, int, str]:
    """The evidence checks for an attachment of another record (``ATTACHMENT_LIMITS``)."""
    return _inspect(fh, kind=kind, limits=ATTACHMENT_LIMITS[kind], declared_name=declared_name)


def _inspect(fh: IO[bytes], *, kind: str, limits: tuple[frozenset[str], int], declared_name: str) -> tuple[str, int, str]:
    allowed, limit = limits
    fh.seek(0)
    head = fh.read(8192)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime not in allowed:
        found = f"实际内容为{mime}" if mime else "无法识别文件内容"
        raise ValidationFailed(f"{declared_name or '文件'}不是有效的{LABELS[kind]}（{found}）。", fields={"file": f"文件内容不是{LABELS[kind]}格式（{found}）。"})
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := fh.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(f"{LABELS[kind]}超过大小上限{limit // (1024 * 1024)}MB。", fields={"file": f"文件超过{limit // (1024 * 1024)}MB上限。"})
        digest.update(chunk)
    if size > limit:
        raise ValidationFailed(f"{LABELS[kind]}超过大小上限{limit // (1024 * 1024)}MB。", fields={"file": f"文件超过{limit // (1024 * 1024)}MB上限。"})
    fh.seek(0)
    return mime, size, digest.hexdigest()
