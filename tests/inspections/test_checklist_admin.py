from __future__ import annotations

import pytest

from anjian.inspections.checklists import checklists_sync_from_law
from anjian.inspections.models import ChecklistTemplate


@pytest.fixture
def people(world):
    from tests.legal.personas import add_personas

    return add_personas(world)


@pytest.fixture
def admin_client(client, people):
    """The city bureau's administrator: a list owned by no agency is the city's to edit (issue 8)."""
    client.force_login(people.user("admin_city"))
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


def _statutory():
    checklists_sync_from_law()
    return ChecklistTemplate.objects.filter(owner_agency__isnull=True, status="published").order_by("code").first()


@pytest.mark.parametrize("persona", ["admin_a", "admin_zone", "depthead_a"])
def test_a_district_cannot_rewrite_a_statutory_checklist(client, people, persona):
    """Issue 8 High 1: a district's administrator made a new version of law-IT10-3, rewrote its
    items and published it, and every district's next inspection used them."""
    from anjian.core.errors import PermissionRefused
    from anjian.inspections import services

    t = _statutory()
    assert t is not None
    user = people.user(persona)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    r = client.post("/admin/inspections/checklisttemplate/", {"action": "new_version", "_selected_action": [t.pk]}, follow=True)
    if persona.startswith("admin"):
        assert r.status_code == 200 and "法定检查表" in r.content.decode()
    else:
        assert r.status_code == 403  # not a system administrator: no admin at all
    assert ChecklistTemplate.objects.filter(code=t.code).count() == 1
    # the service refuses each step, whatever the page
    with pytest.raises(PermissionRefused):
        services.checklist_new_version(actor=user, template=t, items=[{"text": "改写"}])
    draft = services.checklist_new_version(actor=people.user("admin_city"), template=t, items=[{"text": "市局修订"}])
    for step in (
        lambda: services.checklist_set_items(actor=user, template=draft, items=[{"text": "改写"}]),
        lambda: services.checklist_publish(actor=user, template=draft),
    ):
        with pytest.raises(PermissionRefused):
            step()
    r = client.post(f"/admin/inspections/checklisttemplate/{draft.pk}/items/", {"items": "改写"})
    assert list(draft.items.values_list("text", flat=True)) == ["市局修订"]
    client.post("/admin/inspections/checklisttemplate/", {"action": "publish", "_selected_action": [draft.pk]})
    t.refresh_from_db()
    draft.refresh_from_db()
    assert t.status == "published" and draft.status == "draft"


def test_the_city_administrator_revises_and_publishes_a_statutory_checklist(admin_client, people):
    from anjian.core.models import AuditEvent

    t = _statutory()
    admin_client.post("/admin/inspections/checklisttemplate/", {"action": "new_version", "_selected_action": [t.pk]})
    draft = ChecklistTemplate.objects.get(code=t.code, version=t.version + 1)
    admin_client.post("/admin/inspections/checklisttemplate/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    t.refresh_from_db()
    assert draft.status == "published" and t.status == "retired"
    ev = AuditEvent.objects.filter(action="checklist.publish", object_id=str(draft.pk)).get()
    assert ev.actor == people.user("admin_city") and "source" in ev.after


def test_an_agencys_own_checklist_is_changed_only_by_that_agency(people):
    from anjian.core.errors import PermissionRefused
    from anjian.inspections import services

    own = services.checklist_create(actor=people.user("admin_a"), code="ZF-1", name="芝罘区自定检查表", kind="bureau", items=[{"text": "一"}])
    assert own.owner_agency_id == people.agency_a.pk
    for persona in ("admin_b", "admin_city", "admin_zone"):
        with pytest.raises(PermissionRefused):
            services.checklist_set_items(actor=people.user(persona), template=own, items=[{"text": "改写"}])
        with pytest.raises(PermissionRefused):
            services.checklist_publish(actor=people.user(persona), template=own)
    services.checklist_set_items(actor=people.user("depthead_a"), template=own, items=[{"text": "二"}])
    services.checklist_publish(actor=people.user("admin_a"), template=own)
    own.refresh_from_db()
    assert own.status == "published" and list(own.items.values_list("text", flat=True)) == ["二"]


def test_an_agencys_own_list_is_used_by_that_agency_only(people, ent_a, ent_b):
    """Issue 8: one agency's configuration never changes another's inspections. A district's own
    list that names no sector applied to every unit of every district."""
    from anjian.inspections import services

    own = services.checklist_create(actor=people.user("admin_a"), code="ZF-ALL", name="芝罘区全行业自查表", kind="sector", items=[{"text": "芝罘区自定项目"}])
    services.checklist_publish(actor=people.user("admin_a"), template=own)
    assert own.pk in {t.pk for t in services.templates_for(ent_a, agency_id=people.agency_a.pk)}
    assert own.pk not in {t.pk for t in services.templates_for(ent_b, agency_id=people.agency_b.pk)}
    assert not services.usable_templates(people.agency_b.pk).filter(pk=own.pk).exists()
    assert services.usable_templates(people.agency_b.pk).filter(owner_agency__isnull=True).exists() or not ChecklistTemplate.objects.filter(owner_agency__isnull=True, status="published").exists()
