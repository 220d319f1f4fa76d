from __future__ import annotations

import pytest

from anjian.inspections.checklists import checklists_sync_from_law
from anjian.inspections.models import ChecklistTemplate


@pytest.fixture
def admin_client(client, world):
    user = world.user("admin_a")
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def test_admin_edits_a_draft_and_publishes_it(admin_client, world):
    checklists_sync_from_law()
    t = ChecklistTemplate.objects.get(code="IT25")
    r = admin_client.post(f"/admin/inspections/checklisttemplate/{t.pk}/items/", {"items": "有限空间作业审批|《工贸企业有限空间作业安全规定》\n粉尘清扫制度"})
    assert r.status_code == 302
    assert list(t.items.values_list("text", flat=True)) == ["有限空间作业审批", "粉尘清扫制度"]
    r = admin_client.post("/admin/inspections/checklisttemplate/", {"action": "publish", "_selected_action": [t.pk]})
    t.refresh_from_db()
    assert t.status == "published"
    r = admin_client.post(f"/admin/inspections/checklisttemplate/{t.pk}/items/", {"items": "改动"})
    assert r.status_code == 200 and "不能修改" in r.content.decode()
    assert t.items.count() == 2


def test_non_admins_cannot_open_it(client, world):
    user = world.user("officer_a")
    user.is_staff = True
    user.save()
    client.force_login(user)
    checklists_sync_from_law()
    t = ChecklistTemplate.objects.get(code="IT25")
    assert client.post(f"/admin/inspections/checklisttemplate/{t.pk}/items/", {"items": "x"}).status_code == 403
    assert not t.items.exists()
