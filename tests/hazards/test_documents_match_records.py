"""Issue 8 B, D, E, F: the documents say what the records say.

- B: an order states each hazard's own period, and the deadline stored on service is exactly the
  one the served document gives; the overdue sweep never flags a hazard before that date.
- D: the 现场处理措施决定书 prints the major-hazard criterion (text and source) and the scope detail.
- E: the 整改复查意见书 lists exactly the hazards re-inspected, each with its result.
- F: the 现场检查记录 names the checklists and counts, states the findings, and the place inspected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anjian.documents.rendering import document_text
from anjian.hazards import services
from anjian.hazards.models import Hazard
from anjian.inspections import services as insp_services
from anjian.law import periods
from anjian.legal import lawcal
from tests.documents.text_checks import chinese_text_problems
from tests.inspections.conftest import officers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _text(doc: Any) -> str:
    doc.file.open("rb")
    try:
        text = document_text(doc.file.read())
    finally:
        doc.file.close()
    assert chinese_text_problems(text) == [], chinese_text_problems(text)
    return text


def _hazard(world: Any, inspection: Any, description: str, location: str, **over: Any) -> Hazard:
    kw: dict[str, Any] = dict(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
        description=description, location=location, severity="general", found_on=inspection.inspected_on,
    )  # fmt: skip
    kw.update(over)
    return services.hazard_create(**kw)


def _three(world: Any, inspection: Any) -> list[Hazard]:
    """Two general hazards (15 days by default) and one major (60 days)."""
    return [
        _hazard(world, inspection, "安全出口堵塞", "一号车间东侧"),
        _hazard(world, inspection, "配电箱未上锁", "二号车间"),
        _hazard(world, inspection, "液氨储罐区未设置紧急切断装置", "液氨罐区", severity="major", major_reason="现场确认紧急切断装置缺失"),
    ]


def _due(served_on: dt.date, days: int) -> dt.date:
    return periods.add_calendar_days(lawcal.work_calendar(), served_on, days, basis="test", rule_name="整改期限").date


# --- B ------------------------------------------------------------------------------------------
def test_the_order_states_each_hazards_own_period_and_service_stores_exactly_that(world: Any, inspection: Any) -> None:
    officer = world.user("officer_a")
    general1, general2, major = _three(world, inspection)
    assert (general1.period_days, general2.period_days, major.period_days) == (15, 15, 60)
    order = services.rectification_order_issue(actor=officer, hazards=[general1, general2, major], issued_on=inspection.inspected_on)
    text = _text(order)
    assert "安全出口堵塞（一号车间东侧）\t《中华人民共和国安全生产法》\t自本指令书送达之日起15日内" in text
    assert "配电箱未上锁（二号车间）\t《中华人民共和国安全生产法》\t自本指令书送达之日起15日内" in text
    assert "液氨储罐区未设置紧急切断装置（液氨罐区）\t《中华人民共和国安全生产法》\t自本指令书送达之日起60日内" in text
    assert "分别在上表所列期限内整改完毕" in text
    assert "自本指令书送达之日起60日内整改完毕" not in text  # the old single period for all three

    served_on = inspection.inspected_on + dt.timedelta(days=1)
    served = {h.pk: h for h in services.rectification_order_served(actor=officer, document=order, method="direct", event_date=served_on, recipient="张三")}
    assert served[general1.pk].deadline == served[general2.pk].deadline == _due(served_on, 15)
    assert served[major.pk].deadline == _due(served_on, 60)
    assert services.stated_periods(order) == {general1.pk: 15, general2.pk: 15, major.pk: 60}

    # The sweep flags nobody on the date the document gave, the general ones the day after, and
    # the major one not before its own date.
    general_due = served[general1.pk].deadline
    assert services.hazards_overdue_sweep(today=general_due) == 0
    assert services.hazards_overdue_sweep(today=general_due + dt.timedelta(days=1)) == 2
    assert set(Hazard.objects.filter(overdue_since__isnull=False).values_list("pk", flat=True)) == {general1.pk, general2.pk}
    assert services.hazards_overdue_sweep(today=served[major.pk].deadline) == 0
    assert not Hazard.objects.get(pk=major.pk).case_flag


def test_the_served_document_wins_over_a_period_changed_after_it_was_issued(world: Any, inspection: Any) -> None:
    officer = world.user("officer_a")
    h = _hazard(world, inspection, "安全出口堵塞", "一号车间东侧")
    order = services.rectification_order_issue(actor=officer, hazards=[h], issued_on=inspection.inspected_on)
    Hazard.objects.filter(pk=h.pk).update(period_days=5)  # the record changes; the paper the party holds does not
    [served] = services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    assert served.deadline == _due(inspection.inspected_on, 15)


def test_an_order_issued_with_one_period_for_all_keeps_that_period(world: Any, inspection: Any) -> None:
    """Orders issued before each row carried its period said "60日内" for all: that is the party's deadline."""
    officer = world.user("officer_a")
    general, _, major = _three(world, inspection)
    order = services.rectification_order_issue(actor=officer, hazards=[general, major], issued_on=inspection.inspected_on)
    legacy = {k: v for k, v in order.context.items()}
    legacy["problems"] = [{k: v for k, v in p.items() if k not in ("hazard_id", "period_text")} for p in legacy["problems"]]
    legacy.update(period_days=60, deadline_text="自本指令书送达之日起60日内")
    type(order).objects.filter(pk=order.pk).update(context=legacy)
    order.refresh_from_db()
    served = services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")
    assert {h.deadline for h in served} == {_due(inspection.inspected_on, 60)}


# --- D ------------------------------------------------------------------------------------------
def test_the_measure_decision_prints_the_criterion_and_the_scope_detail(world: Any, inspection: Any) -> None:
    officer = world.user("officer_a")
    h = _hazard(world, inspection, "叉车司机未取得特种作业操作证上岗", "成品仓库", severity="major", criterion_id="IT10-3-2")
    m = services.measure_decide(
        actor=officer,
        hazard=h,
        measure_type="stop_facility",
        scope="area",
        scope_detail="成品仓库叉车作业区",
        reason="无证人员驾驶叉车，无法保证安全",
        decided_on=inspection.inspected_on,
    )
    text = _text(m.decision_document)
    assert "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第三条第二项：特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业" in text
    assert "措施范围：区域（成品仓库叉车作业区）" in text
    assert "无法保证安全的事实：无证人员驾驶叉车，无法保证安全" in text


def test_a_major_hazard_without_a_criterion_prints_the_officers_reasons_and_the_site(world: Any, inspection: Any) -> None:
    from anjian.enterprises.models import Site

    site = Site.objects.create(enterprise=inspection.enterprise, name="北厂区", address="烟台市芝罘区示例路10号")
    h = _hazard(world, inspection, "液氨储罐区未设置紧急切断装置", "液氨罐区", severity="major", major_reason="紧急切断装置缺失，泄漏时无法切断")
    m = services.measure_decide(
        actor=world.user("officer_a"),
        hazard=h,
        measure_type="suspend",
        scope="site",
        site=site,
        scope_detail="液氨罐区及压缩机房",
        reason="罐区泄漏风险无法控制",
        decided_on=inspection.inspected_on,
    )
    text = _text(m.decision_document)
    assert "执法人员认定：紧急切断装置缺失，泄漏时无法切断" in text
    assert "措施范围：经营场所（北厂区，烟台市芝罘区示例路10号；液氨罐区及压缩机房）" in text


# --- E ------------------------------------------------------------------------------------------
def _reinspect(world: Any, hazards: list[Hazard], results: dict[int, tuple[str, int | None]]) -> Any:
    officer = world.user("officer_a")
    today = timezone.localdate()
    re_insp = services.reinspection_start(
        actor=officer, hazards=hazards, inspected_on=today, started_at=timezone.now() - dt.timedelta(minutes=30), place="厂区", officer_ids=officers(world)
    )
    for r in re_insp.reinspections.all():  # type: ignore[attr-defined]
        result, days = results[r.hazard_id]
        services.reinspection_decide(actor=officer, reinspection=r, result=result, opinion="已整改" if result == "pass" else "仍未整改", decided_on=today, new_period_days=days)
    return services.reinspection_opinion_issue(actor=officer, inspection=re_insp, issued_on=today)


def test_the_opinion_lists_exactly_the_hazards_re_inspected_and_each_result(world: Any, inspection: Any) -> None:
    officer = world.user("officer_a")
    a, b, c = _three(world, inspection)
    order = services.rectification_order_issue(actor=officer, hazards=[a, b, c], issued_on=inspection.inspected_on)
    services.rectification_order_served(actor=officer, document=order, method="direct", event_date=inspection.inspected_on, recipient="张三")

    # One of the order's three is re-inspected and passes: the opinion speaks of that one only.
    first = _text(_reinspect(world, [a], {a.pk: ("pass", None)}))
    rows = [line for line in first.splitlines() if line.startswith(("1\t", "2\t", "3\t"))]
    assert rows == ["1\t安全出口堵塞（一号车间东侧）\t合格\t已整改"]
    assert "所列隐患均已整改合格" not in first
    assert "经复查，本次复查的隐患已整改合格，予以销号。" in first
    assert "所列其余2项隐患不在本次复查范围内" in first

    # The other two: one passes, one fails with a new period that runs from this opinion's service.
    doc = _reinspect(world, [b, c], {b.pk: ("pass", None), c.pk: ("fail", 7)})
    second = _text(doc)
    assert "1\t配电箱未上锁（二号车间）\t合格\t已整改" in second
    assert "2\t液氨储罐区未设置紧急切断装置（液氨罐区）\t不合格\t仍未整改（自本意见书送达之日起7日内整改完毕）" in second
    assert "均已整改合格" not in second
    assert "上表第1项隐患已整改合格，予以销号；上表第2项隐患未整改合格" in second
    assert "不在本次复查范围内" not in second  # the first was closed by the earlier re-inspection
    served_on = timezone.localdate()
    [failed] = services.rectification_order_served(actor=officer, document=doc, method="direct", event_date=served_on, recipient="张三")
    assert failed.pk == c.pk and failed.deadline == _due(served_on, 7)


# --- F ------------------------------------------------------------------------------------------
def test_the_record_names_what_was_checked_what_was_found_and_where(world: Any, inspection: Any) -> None:
    officer = world.user("officer_a")
    items = list(inspection.items.all())
    insp_services.inspection_record_results(actor=officer, inspection=inspection, results=[
        {"item": items[0].pk, "result": "noncompliant", "note": "安全管理人员未经考核"},
        {"item": items[1].pk, "result": "compliant"},
        {"item": items[2].pk, "result": "na"},
    ])  # fmt: skip
    insp_services.inspection_complete(
        actor=officer,
        inspection=inspection,
        ended_at=inspection.started_at + dt.timedelta(hours=1),
        party_representative="张三",
        party_signature="signed",
        onsite_handling="责令立即组织考核",
    )
    finding = inspection.findings.get()
    _hazard(world, inspection, "安全管理人员未经考核", "安全管理部门", findings=[finding])
    text = _text(services.inspection_record_issue(actor=officer, inspection=inspection))
    assert "检查地点：厂区" in text
    assert "地　　址：烟台市芝罘区示例路8号" in text
    assert "检查内容：依据《危险化学品企业通用检查表》（第1版）进行检查，共检查3项，其中符合1项、不符合1项、不适用1项。" in text
    assert "检查情况：检查发现问题1项，见下表。" in text
    assert "1\t安全管理人员未经考核\t安全管理部门" in text  # the place of the problem, not the unit's address
    cert = world.user("officer_a").staff.certificates.get().number
    assert f"执法人员：officer_a　执法证号：{cert}" in text.splitlines()


def test_a_record_without_findings_says_so_under_its_own_heading(world: Any, inspection: Any) -> None:
    officer = world.user("officer_a")
    insp_services.inspection_record_results(actor=officer, inspection=inspection, results=[{"item": i.pk, "result": "compliant"} for i in inspection.items.all()])
    insp_services.inspection_complete(
        actor=officer,
        inspection=inspection,
        ended_at=inspection.started_at + dt.timedelta(hours=1),
        party_representative="张三",
        party_signature="signed",
        summary="重点检查了安全管理制度和有限空间作业",
    )
    text = _text(services.inspection_record_issue(actor=officer, inspection=inspection))
    lines = text.splitlines()
    assert "检查内容：依据《危险化学品企业通用检查表》（第1版）进行检查，共检查3项，其中符合3项、不符合0项、不适用0项。" in lines
    assert "检查情况：重点检查了安全管理制度和有限空间作业" in lines
    assert "本次检查未发现安全生产违法行为和事故隐患。" in lines


def test_the_sheet_printed_for_paper_signature_says_what_the_record_says(client: Any, world: Any, inspection: Any) -> None:
    from django.urls import reverse

    officer = world.user("officer_a")
    items = list(inspection.items.all())
    insp_services.inspection_record_results(
        actor=officer,
        inspection=inspection,
        results=[{"item": items[0].pk, "result": "noncompliant", "note": "安全管理人员未经考核"}, *({"item": i.pk, "result": "compliant"} for i in items[1:])],
    )
    insp_services.inspection_complete(
        actor=officer, inspection=inspection, ended_at=inspection.started_at + dt.timedelta(hours=1), party_representative="张三", party_signature="paper"
    )
    _hazard(world, inspection, "安全管理人员未经考核", "安全管理部门", findings=[inspection.findings.get()])
    record = _text(services.inspection_record_issue(actor=officer, inspection=inspection))
    client.force_login(officer)
    sheet = client.get(reverse("inspections:print", args=[inspection.pk])).content.decode()
    content = "依据《危险化学品企业通用检查表》（第1版）进行检查，共检查3项，其中符合2项、不符合1项、不适用0项。"
    assert f"检查内容：{content}" in record and f'<td colspan="3">{content}</td>' in sheet
    assert "检查情况：检查发现问题1项，见下表。" in record and "检查发现问题1项，见下表。" in sheet
    assert "所在部位：安全管理部门" in sheet and "1\t安全管理人员未经考核\t安全管理部门" in record
