"""``anjian demo`` gives every bureau with logins this year's approved plan (approved by a leader
other than the submitter), this month's items partly done by linked inspections, and one random
draw that ``anjian draw verify`` confirms (issue 13 item 8)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from anjian.inspections.models import Inspection
from anjian.planning import selectors
from anjian.planning.models import AnnualPlan, Draw

pytestmark = pytest.mark.django_db


def test_the_demo_has_approved_plans_linked_inspections_and_a_verifiable_draw(django_db_setup: Any, django_db_blocker: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # 芝罘区 files its plan: the plan document is written there
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        for cmd in (("refdata", "load"), ("calendar", "seed"), ("checklists", "sync")):
            call_command(*cmd, stdout=StringIO())
        call_command("demo", "--enterprises", "120", "--seed", "3", "--no-cases", "--no-activity", stdout=out)
        text = out.getvalue()
        assert "年度监督检查计划已生成并批准" in text, text[-2000:]
        today = timezone.localdate()
        plans = list(AnnualPlan.objects.filter(year=today.year))
        assert plans and all(p.status in ("approved", "published") and p.approved_by_id != p.submitted_by_id for p in plans)
        # 芝罘区 filed and published its plan: the public page shows its totals.
        published = [p for p in plans if p.status == "published"]
        assert [p.owner_agency.jurisdiction.code for p in published] == ["370602"] and published[0].public_summary["units"] > 0
        from django.test import Client

        page = Client().get("/public/plans/370602/").content.decode()
        assert f"{today.year}年度安全生产监督检查计划（第1版）" in page and "按期公示" in page and "已备案并公布" in text
        # The persona bureaus (the city, 芝罘区) at least: the others have no logins without the activity.
        assert {p.owner_agency.jurisdiction.code for p in plans} >= {"370600", "370602"}
        linked = Inspection.objects.filter(plan_item__isnull=False, status="completed")
        assert linked.exists() and all(i.inspected_on.month == today.month or today.day == 1 for i in linked)
        zhifu = next(p for p in plans if p.owner_agency.jurisdiction.code == "370602")
        progress = selectors.plan_progress(zhifu)
        due = sum(1 for i in progress.items.values() if i.due_this_month)
        done_now = sum(1 for i in progress.items.values() if i.due_this_month and i.done)
        assert 0 < done_now < due  # partly done
        d = Draw.objects.get()
        assert d.status == "drawn" and f"anjian draw verify {d.pk}" in text
        # One officer's declared relation, excluded by the draw and recorded with it.
        from anjian.planning.models import DeclaredRelation

        r = DeclaredRelation.objects.get()
        assert r.owner_agency.jurisdiction.code == "370602" and "利害关系申报1项" in text
        assert d.exclusion_sources["declared"] == {str(r.enterprise_id): [r.staff_id]} and r.staff_id in d.exclusions[str(r.enterprise_id)]
        verify = StringIO()
        call_command("draw", "verify", str(d.pk), stdout=verify)
        assert "核验通过" in verify.getvalue()
        transaction.set_rollback(True)
