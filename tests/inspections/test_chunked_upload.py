"""Body-camera video in pieces over the API: resumable, checked by content, size-limited."""

from __future__ import annotations

import hashlib

from rest_framework.test import APIClient

from anjian.inspections.models import Evidence


def mp4_bytes(size: int) -> bytes:
    # ftyp box of an ISO MP4 followed by padding: what `filetype` recognises as video/mp4.
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return head + b"\x00" * (size - len(head))


def test_video_in_pieces_with_a_retried_piece(world, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    data = mp4_bytes(300_000)
    r = c.post(f"/api/v1/inspections/{inspection.pk}/uploads/", {"kind": "video", "name": "记录仪.mp4", "total_size": len(data)}, format="json")
    assert r.status_code == 201, r.content
    uid = r.json()["id"]
    url = f"/api/v1/inspections/{inspection.pk}/uploads/{uid}/"
    step = 100_000
    for off in range(0, len(data), step):
        r = c.put(f"{url}?offset={off}", data[off : off + step], content_type="application/octet-stream")
        assert r.status_code == 200 and r.json()["received"] == min(off + step, len(data))
    # the connection dropped after the server stored the last piece: the retry changes nothing
    r = c.put(f"{url}?offset={len(data) - step}", data[-step:], content_type="application/octet-stream")
    assert r.json()["received"] == len(data)
    r = c.post(f"{url}complete/")
    assert r.status_code == 201, r.content
    ev = Evidence.objects.get()
    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.content_type == "video/mp4" and ev.size == len(data)


def test_gaps_sizes_and_content_are_refused(world, inspection, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    c = APIClient()
    c.force_authenticate(world.user("officer_a"))
    from anjian.inspections import evidence

    monkeypatch.setitem(evidence.LIMITS, "video", (evidence.LIMITS["video"][0], 1000))
    r = c.post(f"/api/v1/inspections/{inspection.pk}/uploads/", {"kind": "video", "name": "big.mp4", "total_size": 5000}, format="json")
    assert r.status_code == 422 and "上限" in r.json()["message"]
    r = c.post(f"/api/v1/inspections/{inspection.pk}/uploads/", {"kind": "video", "name": "fake.mp4", "total_size": 600}, format="json")
    url = f"/api/v1/inspections/{inspection.pk}/uploads/{r.json()['id']}/"
    assert c.put(f"{url}?offset=100", b"x" * 100, content_type="application/octet-stream").status_code == 409
    assert c.put(f"{url}?offset=0", b"MZ" + b"x" * 598, content_type="application/octet-stream").status_code == 200
    r = c.post(f"{url}complete/")
    assert r.status_code == 422 and "不是有效的视频" in r.json()["message"]
    assert not Evidence.objects.exists()
    other = APIClient()
    other.force_authenticate(world.user("officer_b"))
    assert other.get(url).status_code == 404
