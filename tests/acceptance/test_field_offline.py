"""The field form offline, on a phone (ARCHITECTURE.md rule 10).

An officer fills an inspection, loses the network, keeps filling, reloads the page (the draft comes
back from IndexedDB), gets the network back and sees the sync: the inspection exists once with
every result. A second journey creates the inspection entirely offline and loses the server's
answer to the first sync: the idempotency key keeps it to one inspection.

Waits use selectors, not ``wait_for_function``: Playwright evaluates those strings in the page,
which the site's Content-Security-Policy (no 'unsafe-eval') refuses, as it should.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.acceptance.conftest import shot
from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str = "officer_a") -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/workbench/$"))  # every user lands on the workbench (issue 11)


def _ready(page: Any) -> None:
    page.wait_for_selector("html[data-field-ready='1']", state="attached")


def _tap(page: Any, order: int, result: str) -> None:
    suffix = {"compliant": "ok", "noncompliant": "bad", "na": "na"}[result]
    page.locator(f"label[for='r{order}-{suffix}']").tap()


def _until(page: Any, check: Any, seconds: float = 15) -> None:
    for _ in range(int(seconds * 10)):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def _status(page: Any) -> str:
    return str(page.locator("[data-testid=sync-status]").inner_text())


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


def test_fill_go_offline_reload_and_sync(world: Any, ent_a: Any, field_checklist: Any, browser_context: Any, live_server: Any, settings: Any, tmp_path: Any) -> None:
    from anjian.inspections.models import Evidence, Finding, Inspection

    settings.MEDIA_ROOT = tmp_path

    context = browser_context
    page = context.new_page()
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/inspections/new/{ent_a.pk}/")
    _ready(page)
    page.wait_for_selector("html[data-offline-ready='1']", state="attached")
    assert page.locator("[data-testid=item-card]").count() == 6
    page.locator("label", has_text="officer_a2（").tap()  # the second officer (the user is preselected)
    shot(page, "field-new-phone")

    # online: the first answers create the inspection on the server (sync, idempotency key)
    _tap(page, 1, "noncompliant")
    page.fill("#n1", "主要负责人未经安全生产知识和管理能力考核")
    _tap(page, 2, "compliant")
    page.wait_for_selector("#sync-bar[data-state='synced']", state="attached")
    assert "已同步" in _status(page)
    page.wait_for_url(re.compile(r".*/inspections/\d+/field/$"))
    insp = Inspection.objects.get()
    _until(page, lambda: insp.items.filter(order=2, result="compliant").exists())
    assert dict(insp.items.filter(result__in=["compliant", "noncompliant"]).values_list("order", "result")) == {1: "noncompliant", 2: "compliant"}

    # offline: more answers and a note stay in the browser
    context.set_offline(True)
    _tap(page, 3, "na")
    _tap(page, 4, "noncompliant")
    page.fill("#n4", "罐区缺少安全警示标志")
    _tap(page, 5, "compliant")
    # a photo taken offline is queued in IndexedDB as a Blob
    page.set_input_files("input[data-evidence='photo'][data-order='4']", files=[{"name": "罐区.png", "mimeType": "image/png", "buffer": PNG}])
    page.wait_for_selector("[data-evidence-state='4']:has-text('待上传1个')", state="attached")
    page.wait_for_selector("#sync-bar[data-state='offline']", state="attached")
    assert "离线保存，联网后自动同步" in _status(page)
    page.wait_for_timeout(500)  # the note is saved 300 ms after the last keystroke
    shot(page, "field-offline-phone")

    # reload without a network: the page opens from the service worker's cache, the draft from IndexedDB
    page.reload()
    _ready(page)
    assert page.locator("#r3-na").is_checked()
    assert page.locator("#r4-bad").is_checked()
    assert page.locator("#r5-ok").is_checked()
    assert page.locator("#n4").input_value() == "罐区缺少安全警示标志"
    assert page.locator("#r1-bad").is_checked()  # what the server already had is there too
    assert "待上传1个" in page.locator("[data-evidence-state='4']").inner_text()
    assert "离线保存" in _status(page)
    assert not insp.items.filter(order__in=[3, 4, 5]).exclude(result="unchecked").exists()  # nothing reached the server yet
    shot(page, "field-reloaded-offline-phone")

    # back online: the draft is sent, the server state is shown, the local copy removed
    context.set_offline(False)
    page.wait_for_selector("#sync-bar[data-state='synced']", state="attached")
    assert "已同步" in _status(page) and "6 项" in _status(page)
    shot(page, "field-synced-phone")
    assert Inspection.objects.count() == 1
    got = {i.order: (i.result, i.note) for i in Inspection.objects.get().items.all()}
    assert got == {
        1: ("noncompliant", "主要负责人未经安全生产知识和管理能力考核"),
        2: ("compliant", ""),
        3: ("na", ""),
        4: ("noncompliant", "罐区缺少安全警示标志"),
        5: ("compliant", ""),
        6: ("unchecked", ""),
    }
    ev = Evidence.objects.get()
    assert ev.kind == "photo" and ev.item.order == 4 and ev.original_name == "罐区.png"
    assert "已上传1个证据" in page.locator("[data-evidence-state='4']").inner_text()
    assert sorted(Finding.objects.values_list("description", flat=True)) == sorted(["主要负责人未经安全生产知识和管理能力考核", "罐区缺少安全警示标志"])
    drafts = page.evaluate(
        """() => new Promise((resolve) => {
             const r = indexedDB.open("anjian-field", 1);
             r.onsuccess = () => { const t = r.result.transaction("drafts").objectStore("drafts").getAll(); t.onsuccess = () => resolve(t.result.length); };
           })"""
    )
    assert drafts == 0  # the local copy was cleared after the successful sync


def test_created_offline_and_the_lost_answer_is_not_a_second_inspection(world: Any, ent_a: Any, field_checklist: Any, browser_context: Any, live_server: Any) -> None:
    from anjian.inspections.models import Inspection

    context = browser_context
    page = context.new_page()
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/inspections/new/{ent_a.pk}/")
    _ready(page)
    page.wait_for_selector("html[data-offline-ready='1']", state="attached")

    context.set_offline(True)
    page.locator("label", has_text="officer_a2（").tap()
    page.fill("#id_place", "二号仓库")
    for order in range(1, 7):
        _tap(page, order, "compliant" if order != 6 else "noncompliant")
    page.fill("#n6", "隐患排查记录不全")
    page.wait_for_timeout(500)
    assert "离线保存" in _status(page)
    key = re.search(r"#draft=([0-9a-f-]+)", page.url).group(1)

    page.reload()
    _ready(page)
    assert page.url.endswith(f"#draft={key}")  # the same draft, the same idempotency key
    assert page.locator("#id_place").input_value() == "二号仓库"
    assert page.locator("#r6-bad").is_checked() and page.locator("#n6").input_value() == "隐患排查记录不全"
    assert page.locator("input[name=idempotency_key]").input_value() == key
    assert not Inspection.objects.exists()

    # the first sync reaches the server but its answer is lost on the way back
    lost: list[int] = []

    def drop_first_answer(route: Any) -> None:
        if not lost:
            route.fetch()  # the server handles it …
            lost.append(1)
            route.abort("failed")  # … and the phone never hears back
        else:
            route.continue_()

    page.route("**/api/v1/inspections/sync/", drop_first_answer)
    context.set_offline(False)
    for _ in range(150):
        if lost:
            break
        page.wait_for_timeout(100)
    page.wait_for_selector("#sync-bar[data-state='offline']", state="attached")
    assert lost == [1] and Inspection.objects.count() == 1
    page.locator("#sync-now").tap()  # the officer retries (the page also retries by itself)
    page.wait_for_selector("#sync-bar[data-state='synced']", state="attached")
    assert Inspection.objects.count() == 1
    insp = Inspection.objects.get()
    assert insp.idempotency_key == key and insp.place == "二号仓库"
    assert dict(insp.items.values_list("order", "result")) == {1: "compliant", 2: "compliant", 3: "compliant", 4: "compliant", 5: "compliant", 6: "noncompliant"}
    assert insp.findings.get().description == "隐患排查记录不全"

    # completion from the phone: the party refuses to sign, and the refusal is recorded
    page.fill("#id_c-party_representative", "张三")
    page.locator("label[for='id_c-party_signature_1']").tap()
    page.fill("#id_c-refusal_note", "张三拒绝在记录上签字，两名执法人员在场见证")
    page.locator("#complete-submit").tap()
    page.wait_for_url(re.compile(rf".*/inspections/{insp.pk}/$"))
    insp.refresh_from_db()
    assert insp.status == "completed" and insp.party_signature == "refused" and "拒绝" in insp.refusal_note
    # The end time was left blank: it is the moment 完成检查 was tapped (issue 8 A), not the page load.
    assert insp.ended_at is not None and insp.ended_at > insp.started_at
    assert abs((timezone.now() - insp.ended_at).total_seconds()) < 120


def test_a_body_camera_video_goes_up_in_pieces(world: Any, ent_a: Any, field_checklist: Any, browser_context: Any, live_server: Any, settings: Any, tmp_path: Any) -> None:
    import hashlib

    from anjian.inspections.models import ChunkedUpload, Evidence

    settings.MEDIA_ROOT = tmp_path
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(9 * 1024 * 1024)  # 9 MB: three pieces
    page = browser_context.new_page()
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/inspections/new/{ent_a.pk}/")
    _ready(page)
    page.locator("label", has_text="officer_a2（").tap()
    _tap(page, 1, "compliant")
    page.wait_for_selector("#sync-bar[data-state='synced']", state="attached")
    page.set_input_files("input[data-evidence='media'][data-order='1']", files=[{"name": "记录仪.mp4", "mimeType": "video/mp4", "buffer": video}])
    _until(page, lambda: Evidence.objects.exists(), seconds=30)
    ev = Evidence.objects.get()
    assert ev.kind == "video" and ev.size == len(video) and ev.sha256 == hashlib.sha256(video).hexdigest()
    up = ChunkedUpload.objects.get()
    assert up.received == len(video) and up.evidence_id == ev.pk
