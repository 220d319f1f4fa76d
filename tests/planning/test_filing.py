"""Filing and publication of an approved plan (issue 13 item 6): the .docx plan document through
the documents engine (capacity line by line, key/general split, month totals), the .xlsx, the
register's link to the plan, and the steps' permissions."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from anjian.core.errors import DomainError, PermissionRefused
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import document_text
from anjian.planning import services
from anjian.planning.models import AnnualPlan
from tests.planning.conftest import Y

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world: Any, units: dict[str, Any], settings: Any, tmp_path: Any) -> AnnualPlan:
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = services.plan_generate(actor=world.user("officer_a"), year=Y)
    services.plan_submit(actor=world.user("officer_a"), plan=plan)
    return services.plan_approve(actor=world.user("leader_a"), plan=plan)


def test_filing_issues_the_plan_document_then_publication(world: Any, approved: AnnualPlan) -> None:
    with pytest.raises(PermissionRefused):
        services.plan_file(actor=world.user("officer_a"), plan=approved)
    with pytest.raises(DomainError):
        services.plan_publish(actor=world.user("leader_a"), plan=approved)  # not filed yet
    filed = services.plan_file(actor=world.user("leader_a"), plan=approved)
    assert filed.status == "filed" and filed.filed_to == "烟台市应急管理局" and filed.filed_at is not None
    doc = IssuedDocument.objects.get(kind="annual_plan")
    assert doc.subject_type == "planning.annualplan" and doc.subject_id == str(filed.pk) and "计" in doc.number
    text = document_text(doc.file.read())
    # The capacity arithmetic line by line, as stored on the plan.
    for ln in filed.capacity["lines"]:
        assert ln["label"] in text and ln["formula"] in text and ln["value"] in text
    assert "重点检查" in text and "一般检查" in text and "合计" in text
    # Each part with its own share, and what was checked against it (LEGAL.md §6).
    assert "可安排工作日" in text and str(filed.key_available) in text and str(filed.general_available) in text
    assert "经核对，重点检查需要32.0个工作日" in text and f"未超过一般检查可安排的{filed.general_available}个" in text
    assert "1月" in text and "12月" in text and "全年" in text and "58.0" in text  # the year's demand: 58 workdays
    assert "己化工" in text and "构成重大危险源" in text  # the key units by name
    assert "烟台市应急管理局：" in text and "二〇二" in text
    with pytest.raises(DomainError):
        services.plan_file(actor=world.user("leader_a"), plan=filed)  # filed once
    published = services.plan_publish(actor=world.user("depthead_a"), plan=filed)
    assert published.status == "published" and published.published_at is not None
    # Still in force: a change makes a new version; approving it supersedes the published one.
    v2 = services.plan_revise(actor=world.user("officer_a"), plan=published, reason="新增单位")
    services.plan_submit(actor=world.user("officer_a"), plan=v2)
    from tests.conftest import _person

    services.plan_approve(actor=_person({}, "leader_a2", world.agency_a, ["leader"]), plan=v2)
    published.refresh_from_db()
    assert published.status == "superseded"


def test_pages_register_and_xlsx(world: Any, approved: AnnualPlan) -> None:
    officer, leader = Client(), Client()
    officer.force_login(world.user("officer_a"))
    leader.force_login(world.user("leader_a"))
    page = officer.get(f"/planning/{approved.pk}/").content.decode()
    assert 'data-testid="file-form"' not in page and 'data-testid="xlsx"' in page  # the button only for those who may
    assert officer.post(f"/planning/{approved.pk}/file/", {}).status_code == 403
    assert 'data-testid="file-form"' in leader.get(f"/planning/{approved.pk}/").content.decode()
    assert leader.post(f"/planning/{approved.pk}/publish/", {}).status_code == 409
    assert leader.post(f"/planning/{approved.pk}/file/", {}).status_code == 302
    page = leader.get(f"/planning/{approved.pk}/").content.decode()
    assert 'data-testid="plan-document"' in page and 'data-testid="publish-form"' in page and "已报上级备案" in page
    doc = IssuedDocument.objects.get(kind="annual_plan")
    # The register links the document to its plan.
    from anjian.documents.registry import subject_link

    assert subject_link(doc.subject_type, doc.subject_id) == ("年度监督检查计划", f"/planning/{approved.pk}/")
    r = officer.get(f"/planning/{approved.pk}/xlsx/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["计划明细", "月度安排", "力量测算"]
    names = [row[1] for row in wb["计划明细"].iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(approved.items.values_list("enterprise_name", flat=True))
    b = Client()
    b.force_login(world.user("officer_b"))
    assert b.get(f"/planning/{approved.pk}/xlsx/").status_code == 404
    assert leader.post(f"/planning/{approved.pk}/publish/", {}).status_code == 302
    api = APIClient()
    api.force_authenticate(world.user("leader_a"))
    body = api.get(f"/api/v1/plans/{approved.pk}/").json()
    assert body["status"] == "published" and body["filed_to"] == "烟台市应急管理局"
    assert api.post(f"/api/v1/plans/{approved.pk}/file/", {}, format="json").status_code == 409
