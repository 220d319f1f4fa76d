"""``anjian demo`` (now in the stats app, the top layer): the ledger, then the year of activity."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from anjian.inspections.models import Inspection

pytestmark = pytest.mark.django_db


def test_the_command_generates_the_year(django_db_setup: Any, django_db_blocker: Any) -> None:
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        for cmd in (("refdata", "load"), ("calendar", "seed"), ("checklists", "sync")):
            call_command(*cmd, stdout=StringIO())
        call_command("demo", "--enterprises", "60", "--seed", "3", "--no-cases", "--activity-scale", "0.1", stdout=out)
        text = out.getvalue()
        # The year's activity; the plan step then adds inspections linked to this month's plan items.
        assert "业务数据已生成" in text and f"检查{Inspection.objects.filter(plan_item__isnull=True).count()}次" in text
        assert "年度监督检查计划已生成并批准" in text
        assert Inspection.objects.exists()
        assert "演示登录账号" in text
        transaction.set_rollback(True)
