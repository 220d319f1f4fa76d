from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from anjian.core.errors import ValidationFailed
from anjian.enterprises import services as ent_services
from anjian.inspections import services
from anjian.inspections.checklists import checklist_import_xlsx, checklists_sync_from_law
from anjian.inspections.models import ChecklistTemplate
from tests.conftest import make_uscc


def test_templates_are_generated_from_the_criteria_and_idempotent(db):
    first = checklists_sync_from_law()
    assert first["created"] >= 15
    assert checklists_sync_from_law() == {"created": 0, "versioned": 0, "unchanged": first["created"]}
    chem = ChecklistTemplate.objects.get(code="law-HC121", status="published")
    assert chem.items.count() == 20 and all(i.criterion_id.startswith("HC121-") for i in chem.items.all())
    assert ChecklistTemplate.objects.get(code="IT25").items.count() == 0  # shipped empty, awaiting import


def test_picking_follows_sector_and_feature(world):
    checklists_sync_from_law()
    dusty = ent_services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="粉尘机械厂", uscc=make_uscc(301), sectors=["industry.machinery"], features=["dust_explosion"])
    plain = ent_services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="普通机械厂", uscc=make_uscc(302), sectors=["industry.machinery"])
    chem = ent_services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="化工厂", uscc=make_uscc(303), sectors=["hazchem.storage"], features=["confined_space"])
    codes = lambda e: {t.code for t in services.templates_for(e)}  # noqa: E731
    assert {"law-IT10-3", "law-IT10-7", "law-IT10-11", "general"} <= codes(dusty)
    assert "law-IT10-11" not in codes(plain)
    assert "law-HC121" in codes(chem) and "law-IT10-13" not in codes(chem)


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_bureau_list_import_reports_rows_and_writes_nothing_on_error(world):
    from tests.legal.personas import add_personas

    add_personas(world)  # IT25 is owned by no agency: the city bureau's administrator imports it (issue 8)
    checklists_sync_from_law()
    t = ChecklistTemplate.objects.get(code="IT25")
    with pytest.raises(ValidationFailed) as exc:
        checklist_import_xlsx(actor=world.user("admin_city"), template=t, fh=_xlsx([["检查内容", "依据条款", "判定标准条目"], ["", "x", ""], ["有效项", "《安全生产法》", "NOPE-1"]]))
    assert "第2行" in exc.value.message and "第3行" in exc.value.message
    assert t.items.count() == 0
    t = checklist_import_xlsx(actor=world.user("admin_city"), template=t, fh=_xlsx([["检查内容", "依据条款"], ["有限空间作业审批", "《工贸企业有限空间作业安全规定》"], ["粉尘清扫制度", ""]]))
    assert list(t.items.values_list("text", flat=True)) == ["有限空间作业审批", "粉尘清扫制度"]
    services.checklist_publish(actor=world.user("admin_city"), template=t)


def test_importing_into_a_draft_takes_the_same_role_as_editing_it(world):
    from anjian.core.errors import PermissionRefused

    checklists_sync_from_law()
    t = ChecklistTemplate.objects.get(code="IT25")
    with pytest.raises(PermissionRefused):
        checklist_import_xlsx(actor=world.user("officer_a"), template=t, fh=_xlsx([["检查内容"], ["有限空间作业审批"]]))
    assert t.items.count() == 0
