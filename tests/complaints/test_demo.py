"""The demo city's complaints and reports (issue 12 item 10): one at each stage, walked through the
services, and the two the investigator's "records speak" panel is for — a complaint that the
penalty rose after the defence (the records show it fell) and one about a certificate suspended
with an effective date before the inspection but entered only later."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from anjian.cases import demo as cases_demo
from anjian.complaints import demo, records
from anjian.complaints.models import Submission
from anjian.stats import demo as activity
from tests.stats.test_demo_activity import RATES, load_city

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock() -> None:
    """The demo is dated from today: no frozen clock here (overrides the package's)."""


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        load_city()
        today = timezone.localdate()
        cases_demo.generate(today=today)
        activity.generate(seed=11, rates=RATES, today=today, first=today - dt.timedelta(days=65))  # the certificate story needs 20–60 days back
        out = demo.generate(today=today)
        yield out
        transaction.set_rollback(True)


def _facts(sub: Submission, ground: str) -> list[tuple[str, bool]]:
    return [(f.text, f.marked) for r in records.for_submission(sub) if r.code == ground for s in r.sections for f in s.facts]


def test_every_stage_is_there(city: Any) -> None:
    assert city.skipped == []
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert {"registered", "declined", "referred", "accepted", "investigating", "drafted", "approved", "replied", "review", "closed"} <= statuses
    assert Submission.objects.filter(kind="report", verification__isnull=False).exists()
    assert Submission.objects.filter(kind="report", deaths_alleged__gt=0).exists()
    assert Submission.objects.filter(jurisdiction__code=demo.OTHER_DISTRICT).exists()
    assert Submission.objects.filter(status="replied", outcomes__kind="apology").exists()
    assert Submission.objects.filter(kind="report", transfers__isnull=False, hazards__source="report").exists()
    assert Submission.objects.filter(reward__status="paid").exists()
    overdue = Submission.objects.filter(status="investigating", next_due__lt=timezone.localdate())
    assert overdue.exists()


def test_the_defence_complaint_shows_that_the_amount_did_not_rise(city: Any) -> None:
    sub = Submission.objects.get(summary="反映申辩后被加重处罚")
    facts = _facts(sub, "defence")
    text = "\n".join(t for t, _ in facts)
    assert "拟罚款合计1.2万元" in text and "收到申辩" in text and "处罚决定8000元" in text
    assert "决定的罚款合计比最后送达的告知书少4000元，没有增加。" in text
    assert [t for t, m in facts if m] == []


def test_the_certificate_complaint_shows_the_suspension_entered_later(city: Any) -> None:
    sub = Submission.objects.get(summary="反映检查人员执法证件无效")
    officer = sub.named_officers.get()
    facts = _facts(sub, "no_certificate")
    assert any(officer.name in t and "结果为“有效”" in t for t, m in facts if not m)  # the check that day
    assert any(officer.name in t and "暂扣状态" in t for t, m in facts if m)  # the records today
    assert any(officer.name in t and "执法时系统中尚无此记录" in t for t, _ in facts)
