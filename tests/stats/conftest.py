"""Workbench fixtures: a frozen clock in a loaded calendar year (the cases fixtures), and a builder
that lays down, in one district, one of every thing the workbench counts — each waiting approval
once requested by another person and once by the approver itself (which must never be listed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.cases.conftest import START, cases_world, clock, defence_confirmed, open_case  # noqa: F401
from tests.conftest import make_uscc
from tests.inspections.conftest import calendar, checklist, inspection, officers  # noqa: F401

TODAY = START.date()


class Builder:
    """Rows of the read side, laid down directly: the workbench only reads them."""

    def __init__(self, world: Any) -> None:
        from anjian.org.models import Department

        self.w = world
        self.n = 0
        self.sup_a = Department.objects.create(agency=world.agency_a, name="危化监管科", kind="supervision", sector_group="hazchem")
        self.team_a = Department.objects.get(agency=world.agency_a, kind="enforcement")
        self.sup_b = Department.objects.create(agency=world.agency_b, name="工贸监管科", kind="supervision", sector_group="industry")
        self.team_b = Department.objects.get(agency=world.agency_b, kind="enforcement")

    def seq(self) -> int:
        self.n += 1
        return self.n

    def enterprise(self, district: str = "a") -> Any:
        from anjian.enterprises import services

        i = self.seq()
        if district == "a":
            return services.enterprise_create(
                actor=self.w.user("officer_a"), jurisdiction=self.w.district_a, name=f"芝罘工作台测试企业{i}", uscc=make_uscc(100 + i), sectors=["hazchem.production"]
            )
        return services.enterprise_create(
            actor=self.w.user("officer_b"), jurisdiction=self.w.district_b, name=f"福山工作台测试企业{i}", uscc=make_uscc(100 + i, region="370611"), sectors=["industry.machinery"]
        )

    def hazard(self, ent: Any, *, deadline: dt.date | None, overdue: bool = False, status: str = "rectifying", by: str = "officer_a") -> Any:
        from anjian.hazards.models import Hazard

        return Hazard.objects.create(
            jurisdiction_id=ent.jurisdiction_id, owner_agency_id=ent.owner_agency_id, enterprise=ent, source="inspection", description=f"隐患{self.seq()}：消防通道堵塞",
            location="仓库", severity="general", status=status, found_on=TODAY - dt.timedelta(days=40), period_days=15, served_on=TODAY - dt.timedelta(days=30),
            deadline=deadline, deadline_rule="《中华人民共和国安全生产法》第一百零二条（整改期限自送达之日起15日）", overdue_since=(deadline + dt.timedelta(days=1)) if overdue and deadline else None,
            created_by=self.w.user(by),
        )  # fmt: skip

    def extension(self, hazard: Any, *, by: str) -> Any:
        from anjian.hazards.models import DeadlineExtension

        return DeadlineExtension.objects.create(
            hazard=hazard,
            requested_on=TODAY,
            requested_until=TODAY + dt.timedelta(days=20),
            reason="设备采购周期长",
            previous_deadline=hazard.deadline or TODAY,
            requested_by=self.w.user(by),
        )

    def restart(self, hazard: Any, *, by: str) -> Any:
        from anjian.hazards.models import Measure, RestartReview

        m = Measure.objects.create(
            jurisdiction_id=hazard.jurisdiction_id, owner_agency_id=hazard.owner_agency_id, enterprise=hazard.enterprise, hazard=hazard, measure_type="suspend", scope="unit",
            legal_basis="《中华人民共和国安全生产法》第六十五条第一款第三项", reason="无法保证安全", decided_on=TODAY - dt.timedelta(days=10), created_by=self.w.user("officer_a"),
        )  # fmt: skip
        return RestartReview.objects.create(measure=m, applied_on=TODAY - dt.timedelta(days=2), application="已整改完毕，申请恢复生产", recorded_by=self.w.user(by))

    def transfer(self, ent: Any, *, by: str, district: str = "a") -> Any:
        from anjian.hazards.models import Transfer

        sup, team = (self.sup_a, self.team_a) if district == "a" else (self.sup_b, self.team_b)
        return Transfer.objects.create(
            jurisdiction_id=ent.jurisdiction_id,
            owner_agency_id=ent.owner_agency_id,
            enterprise=ent,
            from_department=sup,
            to_department=team,
            facts="未按规定开展隐患排查",
            sent_by=self.w.user(by),
        )

    def case(self, ent: Any, *, by: str = "officer_a", status: str = "draft", proposed_by: str | None = None) -> Any:
        from anjian.cases import services
        from anjian.cases.models import Case

        c = services.case_open(
            actor=self.w.user(by),
            source="other",
            source_reason="日常巡查发现",
            enterprise=ent,
            title=f"未消除事故隐患案{self.seq()}",
            facts="现场发现隐患未消除",
            discovered_on=TODAY - dt.timedelta(days=5),
        )
        if status != "draft" or proposed_by:
            Case.objects.filter(pk=c.pk).update(
                status=status, proposed_by=self.w.user(proposed_by) if proposed_by else None, proposed_on=TODAY if proposed_by else None, filed_on=TODAY - dt.timedelta(days=3)
            )
            c.refresh_from_db()
        return c

    def document(self, ent: Any, *, served: bool = False) -> Any:
        from django.utils import timezone

        from anjian.documents.models import IssuedDocument, ServiceRecord

        i = self.seq()
        d = IssuedDocument.objects.create(
            kind="rectification_order", title="责令限期整改指令书", year=2026, seq=i, number=f"芝应急责改〔2026〕{i}号", agency_id=ent.owner_agency_id, agency_name="烟台市芝罘区应急管理局",
            doc_abbr="芝应急", jurisdiction_id=ent.jurisdiction_id, subject_type="hazards.hazard", subject_id="1", context={}, file="documents/2026/x.docx", sha256="0" * 64, size=1,
            template_version="1", issued_on=TODAY, issued_at=timezone.now(), issued_by=self.w.user("officer_a"),
        )  # fmt: skip
        if served:
            ServiceRecord.objects.create(
                document=d, method="direct", event_date=TODAY, served_on=TODAY, basis="直接送达", recipient="李四", recorded_by=self.w.user("officer_a"), recorded_at=timezone.now()
            )
        return d

    def fill(self, size: int = 1) -> None:
        """``size`` of each thing in district A (half requested by others, and the approvers' own), and district B's."""
        for _ in range(size):
            ent = self.enterprise()
            self.hazard(ent, deadline=TODAY - dt.timedelta(days=5), overdue=True)
            self.hazard(ent, deadline=TODAY + dt.timedelta(days=3))
            h = self.hazard(ent, deadline=TODAY + dt.timedelta(days=20))
            self.extension(h, by="officer_a")
            self.extension(self.hazard(ent, deadline=TODAY + dt.timedelta(days=25)), by="depthead_a")  # the dept head's own
            self.restart(h, by="officer_a")
            self.restart(self.hazard(ent, deadline=TODAY + dt.timedelta(days=25)), by="leader_a")  # the leader's own
            self.transfer(ent, by="supervisor_a")
            self.transfer(ent, by="leader_a")  # the leader's own
            self.case(ent, by="officer_a")  # awaiting filing approval
            self.case(ent, by="depthead_a")  # the dept head's own request
            self.case(ent, by="officer_a", status="notice_served", proposed_by="officer_a")  # legal review, decision
            self.case(ent, by="officer_a", status="notice_served", proposed_by="legal_a")  # the reviewer proposed it
            self.document(ent)
            self.document(ent, served=True)
            ent_b = self.enterprise("b")
            self.hazard(ent_b, deadline=TODAY - dt.timedelta(days=4), overdue=True, by="officer_b")
            self.hazard(ent_b, deadline=TODAY + dt.timedelta(days=2), by="officer_b")
            self.transfer(ent_b, by="officer_b", district="b")
            self.case(ent_b, by="officer_b")


@pytest.fixture
def bench_world(cases_world: Any, time_machine: Any) -> Any:  # noqa: F811
    from anjian.org.models import Membership

    b = Builder(cases_world)
    # officer_a works in district A's enforcement team, supervisor_a in its supervision department.
    Membership.objects.filter(staff__user=cases_world.user("officer_a")).update(department=b.team_a)
    Membership.objects.filter(staff__user=cases_world.user("supervisor_a")).update(department=b.sup_a)
    return b
