from __future__ import annotations

import io
import struct
import zlib

import pytest

from anjian.core.errors import ValidationFailed
from anjian.inspections import services
from anjian.inspections.models import Evidence


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_photo_is_stored_with_its_hash(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = png_bytes()
    ev = services.evidence_add(actor=world.user("officer_a"), inspection=inspection, kind="photo", fh=io.BytesIO(data), name="现场.png")
    import hashlib

    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.content_type == "image/png" and ev.size == len(data)


def test_content_not_matching_the_declared_type_is_refused(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationFailed) as exc:
        services.evidence_add(actor=world.user("officer_a"), inspection=inspection, kind="photo", fh=io.BytesIO(b"MZ\x90\x00 not an image"), name="fake.jpg")
    assert "不是有效的照片" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.evidence_add(actor=world.user("officer_a"), inspection=inspection, kind="video", fh=io.BytesIO(png_bytes()), name="clip.mp4")
    assert not Evidence.objects.exists()


def test_size_limit(world, inspection, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    from anjian.inspections import evidence

    monkeypatch.setitem(evidence.LIMITS, "photo", (evidence.LIMITS["photo"][0], 100))
    with pytest.raises(ValidationFailed) as exc:
        services.evidence_add(actor=world.user("officer_a"), inspection=inspection, kind="photo", fh=io.BytesIO(png_bytes() + b"\x00" * 200), name="big.png")
    assert "上限" in exc.value.message
