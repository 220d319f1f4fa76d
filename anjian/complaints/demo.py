"""Complaints and reports for the demo city (issue 12 item 10).

Every submission is registered and walked through ``complaints.services`` on the day each step
happened (the clock set back, as in cases/demo.py), so the lists, the clocks, the workbench panel
and the documents show what the procedure really produces: one at each stage, one overdue, one
report verified on site, one alleging deaths, and one in 福山区 so that isolation is visible.

Two are there for the investigator's "records speak" panel (complaints/records.py):
- a complaint that the penalty was raised after the defence, naming the demo case in which the
  defence was adopted and the amount lowered from 12,000 to 8,000 yuan (cases/demo.py);
- a complaint that an officer had no valid certificate, naming an inspection whose officer's
  certificate was suspended with an effective date before the inspection, the suspension entered
  only now (the records show both what the check said that day and what is known today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from anjian.cases import demo as cases_demo
from anjian.cases.models import Case
from anjian.complaints import reports, services
from anjian.complaints.models import Submission
from anjian.core.scoping import scope_for
from anjian.enterprises import demo as ledger_demo
from anjian.enterprises.models import Enterprise
from anjian.inspections.choices import InspectionStatus
from anjian.inspections.models import Inspection, InspectionOfficer
from anjian.org import services as org
from anjian.org.choices import CertificateEventKind
from anjian.org.models import Agency, Certificate, Department

DISTRICT = "370602"  # 芝罘区, whose office logs in as zhifu_office
OTHER_DISTRICT = "370611"  # 福山区
SH = ZoneInfo("Asia/Shanghai")


@dataclass
class DemoComplaints:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def has_complaints() -> bool:
    return Submission.objects.exists()


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


class _Walker:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.office = _user("zhifu_office")
        self.leader = _user("zhifu_leader")
        self.handler = _user("zhifu_depthead")
        agency_id = scope_for(self.office).agency_id if self.office is not None else None
        self.agency = Agency.objects.filter(pk=agency_id).first()
        self.dept = Department.objects.filter(agency_id=agency_id).order_by("pk").first()
        self.units = iter(Enterprise.objects.filter(jurisdiction__code=DISTRICT).order_by("-pk")[:12])
        self.n = 0

    def d(self, ago: int) -> dt.date:
        return self.today - dt.timedelta(days=ago)

    @contextmanager
    def on(self, ago: int) -> Iterator[None]:
        with time_machine.travel(dt.datetime.combine(self.d(ago), dt.time(10, 0), tzinfo=SH), tick=False):
            yield

    def person(self) -> dict[str, str]:
        self.n += 1
        names = ["张立新", "刘海燕", "陈志强", "赵丽华", "孙明", "周建国", "吴小梅", "郑伟", "冯玉兰", "何大勇"]
        return {
            "submitter_name": names[self.n % len(names)],
            "submitter_phone": f"1380535{self.n:04d}",
            "submitter_address": f"烟台市芝罘区示范路{self.n}号",
        }

    # --- steps -----------------------------------------------------------------------------------
    def register(self, ago: int, *, kind: str, channel: str, grounds: list[str], summary: str, content: str, **kw: Any) -> Submission:
        who: dict[str, Any] = {} if kw.get("anonymous") else self.person()
        with self.on(ago):
            sub, _code = services.submission_register(
                actor=self.office, kind=kind, channel=channel, grounds=grounds, summary=summary, content=content, received_on=self.d(ago), **who, **kw
            )
        return sub

    def accept(self, sub: Submission, ago: int) -> Submission:
        with self.on(ago):
            return services.submission_accept(actor=self.office, submission=sub, accepted_on=self.d(ago))

    def assign(self, sub: Submission, ago: int) -> Submission:
        with self.on(ago):
            return services.submission_assign(
                actor=self.office, submission=sub, handler_id=self.handler.staff.pk, department_ids=[self.dept.pk] if self.dept else [], assigned_on=self.d(ago)
            )

    def investigate(self, sub: Submission, ago: int, findings: dict[str, tuple[bool, str]]) -> Submission:
        with self.on(ago):
            for ground, (yes, note) in findings.items():
                services.finding_record(actor=self.handler, submission=sub, ground=ground, substantiated=yes, note=note, recorded_on=self.d(ago))
        sub.refresh_from_db()
        return sub

    def draft(self, sub: Submission, ago: int, result: str, reply: str, measures: str = "") -> Submission:
        with self.on(ago):
            return services.result_draft(actor=self.handler, submission=sub, result_text=result, public_reply=reply, measures_text=measures, drafted_on=self.d(ago))

    def approve(self, sub: Submission, ago: int) -> Submission:
        with self.on(ago):
            return services.result_approve(actor=self.leader, submission=sub, approved=True, decided_on=self.d(ago))

    def reply(self, sub: Submission, ago: int) -> Submission:
        with self.on(ago):
            return services.submission_reply(actor=self.office, submission=sub, replied_on=self.d(ago))

    # --- the stories -----------------------------------------------------------------------------
    def stories(self) -> list[tuple[str, Callable[[], Submission | None]]]:
        return [
            ("网上匿名举报，待受理", self.web_anonymous),
            ("来电投诉，受理期限将届满", self.acceptance_due),
            ("重复投诉，不予受理", self.duplicate),
            ("不属于本机关职责，转送", self.referred),
            ("已受理，待交办", self.accepted),
            ("投诉申辩后加重处罚，调查中", self.defence_complaint),
            ("投诉未出示有效执法证件，调查中", self.certificate_complaint),
            ("处理意见待局领导审批", self.drafted),
            ("处理意见已批准，待答复", self.approved),
            ("已答复，复查期内", self.replied),
            ("复查中", self.in_review),
            ("已办结", self.closed),
            ("超过办理期限未答复", self.overdue),
            ("举报隐患，转现场核查", self.report_verified),
            ("举报经书面函询核实，登记隐患并移交执法队伍", self.report_inquiry_transfer),
            ("实名举报属实，奖励已发放", self.report_rewarded),
            ("举报瞒报死亡事故，报请县级以上人民政府", self.deaths_report),
            ("福山区网上举报", self.other_district),
        ]

    def web_anonymous(self) -> Submission:
        with self.on(1):
            sub, _ = services.submission_submit_public(
                agency=self.agency or Agency.objects.get(jurisdiction__code=DISTRICT), kind="report", grounds=["hidden_hazard"], summary="反映某加油站夜间违规卸油", anonymous=True,
                content="某加油站经常在夜间卸油时不设警戒区，油罐车旁有人吸烟，存在火灾隐患。", unit_name="芝罘区某加油站",
            )  # fmt: skip
        return sub

    def acceptance_due(self) -> Submission:
        return self.register(
            12, kind="complaint", channel="phone", grounds=["uncivil"], summary="反映执法人员检查时态度生硬",
            content="来电反映：执法人员到店检查时语气生硬，当众训斥店员。", officer_names="两名执法人员（姓名不详）",
        )  # fmt: skip

    def duplicate(self) -> Submission:
        sub = self.register(
            30, kind="complaint", channel="letter", grounds=["uncivil"], summary="再次反映执法人员检查时态度生硬", content="来信再次反映同一次检查中执法人员态度生硬的问题。"
        )
        with self.on(27):
            return services.submission_decline(
                actor=self.office, submission=sub, reason="duplicate", note="同一事项已于本月受理，正在办理中，不再重复受理。", decided_on=self.d(27)
            )

    def referred(self) -> Submission:
        ent = next(self.units)
        sub = self.register(
            25, kind="report", channel="visit", grounds=["other"], summary="反映某商场消防通道堵塞", enterprise_id=ent.pk,
            content="来访反映：某商场消防通道长期堆放杂物，疏散指示标志损坏。",
        )  # fmt: skip
        with self.on(22):
            return services.submission_decline(
                actor=self.office, submission=sub, reason="outside_remit", note="消防安全由消防救援机构监管，依法转送。", decided_on=self.d(22), referred_to="烟台市芝罘区消防救援大队",
            )  # fmt: skip

    def accepted(self) -> Submission:
        sub = self.register(
            6, kind="complaint", channel="letter", grounds=["money"], summary="反映执法人员暗示购买指定产品", content="来信反映：检查人员暗示我公司向指定厂家购买消防器材。"
        )
        return self.accept(sub, 4)

    def defence_complaint(self) -> Submission | None:
        case = Case.objects.filter(jurisdiction__code=DISTRICT, statements__kind="defence", decided_on__isnull=False).order_by("pk").first()
        if case is None:
            return None
        officer_ids = list(case.officer_rows.filter(active=True).values_list("staff_id", flat=True)[:1])
        days = (self.today - (case.decision_served_on or case.decided_on or self.today)).days
        ago = max(days - 5, 1)
        sub = self.register(
            ago, kind="complaint", channel="letter", grounds=["defence"], summary="反映申辩后被加重处罚", case_id=case.pk, enterprise_id=case.enterprise_id, officer_ids=officer_ids,
            content=f"我单位对“{case.title}”提出申辩后，执法人员加重了处罚，请求调查。",
        )  # fmt: skip
        sub = self.accept(sub, ago - 1 if ago > 1 else ago)
        return self.assign(sub, ago - 1 if ago > 1 else ago)

    def _suspended_inspection(self) -> tuple[Inspection, InspectionOfficer] | None:
        """A completed inspection 20–60 days ago with an officer who is not one of the printed demo
        logins (so those keep valid certificates), whose certificate gets a suspension entered now
        with an effective date three days before the inspection, reinstated a week after it."""
        personas = [p.username for p in ledger_demo.PERSONAS]
        rows = (
            InspectionOfficer.objects.filter(
                inspection__jurisdiction__code=DISTRICT, inspection__status=InspectionStatus.COMPLETED, inspection__inspected_on__range=(self.d(60), self.d(20)),
            )
            .exclude(staff__user__username__in=personas)
            .select_related("inspection", "certificate", "staff")
            .order_by("-inspection__inspected_on", "pk")
        )  # fmt: skip
        for row in rows[:50]:
            cert = row.certificate
            start = row.inspection.inspected_on - dt.timedelta(days=3)
            if start >= cert.valid_from and not cert.events.filter(date__gte=start, kind__in=[CertificateEventKind.SUSPENDED, CertificateEventKind.REVOKED]).exists():
                return row.inspection, row
        return None

    def certificate_complaint(self) -> Submission | None:
        found = self._suspended_inspection()
        if found is None:
            return None
        insp, row = found
        cert: Certificate = row.certificate
        day = insp.inspected_on
        with transaction.atomic():
            org.certificate_event_add(actor=self.office, certificate=cert, kind=CertificateEventKind.SUSPENDED, date=day - dt.timedelta(days=3), note="年度审验不合格（事后补录）")
            org.certificate_event_add(actor=self.office, certificate=cert, kind=CertificateEventKind.REINSTATED, date=day + dt.timedelta(days=7), note="重新审验合格")
        ago = max((self.today - day).days - 10, 2)
        sub = self.register(
            ago, kind="complaint", channel="letter", grounds=["no_certificate", "procedure"], summary="反映检查人员执法证件无效", inspection_id=insp.pk,
            enterprise_id=insp.enterprise_id, officer_ids=[row.staff_id],
            content=f"{day.year}年{day.month}月{day.day}日到我单位检查的执法人员{row.staff.name}，其执法证当时已被暂扣，请求核查。",
        )  # fmt: skip
        sub = self.accept(sub, ago - 1)
        return self.assign(sub, ago - 1)

    def _investigated(self, ago: int, grounds: dict[str, tuple[bool, str]], summary: str, content: str, officer_ids: list[int] | None = None) -> Submission:
        sub = self.register(ago, kind="complaint", channel="letter", grounds=list(grounds), summary=summary, content=content, officer_ids=officer_ids or [])
        sub = self.accept(sub, ago - 2)
        sub = self.assign(sub, ago - 2)
        return self.investigate(sub, ago - 6, grounds)

    def drafted(self) -> Submission:
        sub = self._investigated(
            20, {"uncivil": (False, "调取执法记录仪视频，执法人员用语规范，未发现不文明执法。")}, "反映执法人员检查时辱骂员工", "来信反映执法人员检查时辱骂员工。"
        )
        return self.draft(sub, 12, "经调取执法记录仪视频核实，执法人员用语规范，反映的问题不属实。", "经调查核实，检查过程中执法人员用语规范，未发现你反映的辱骂情形。")

    def approved(self) -> Submission:
        sub = self._investigated(
            28, {"procedure": (False, "核查检查记录，检查人员两名，均出示了执法证件，程序符合规定。")}, "反映检查程序不合法", "来信反映检查时只来了一名执法人员。"
        )
        sub = self.draft(sub, 18, "经核查，检查人员两名，程序合法，反映问题不属实。", "经调查核实，该次检查由两名执法人员共同进行，均出示了执法证件，程序符合规定。")
        return self.approve(sub, 16)

    def _replied(self, ago: int, summary: str) -> Submission:
        officer = _user("zhifu_officer2")
        ids = [officer.staff.pk] if officer is not None and getattr(officer, "staff", None) else []
        sub = self._investigated(ago, {"uncivil": (True, "执法记录仪视频显示，执法人员语气生硬，存在不文明用语。")}, summary, "来信反映执法人员检查时态度恶劣。", ids)
        named = sub.named_officers.first()
        if named is not None:
            with self.on(ago - 8):
                services.outcome_record(
                    actor=self.handler,
                    submission=sub,
                    kind="apology",
                    ground="uncivil",
                    officer_id=named.pk,
                    note="执法人员已当面向投诉人解释并赔礼道歉。",
                    done_on=self.d(ago - 8),
                )
        sub = self.draft(
            sub,
            ago - 10,
            "反映执法人员态度生硬属实，已责令其赔礼道歉并进行批评教育。",
            "经调查核实，执法人员态度生硬属实，我局已对其批评教育，并责令其向你赔礼道歉。",
            "执法人员已当面解释并赔礼道歉。",
        )
        sub = self.approve(sub, ago - 12)
        return self.reply(sub, ago - 14)

    def replied(self) -> Submission:
        return self._replied(30, "反映执法人员检查时态度恶劣")

    def in_review(self) -> Submission:
        sub = self._replied(50, "反映执法人员检查时大声呵斥")
        with self.on(20):
            return services.review_request(actor=self.office, submission=sub, requested_on=self.d(20))

    def closed(self) -> Submission:
        sub = self._replied(90, "反映执法人员检查时未戴执法记录仪")
        with self.on(30):
            return services.submission_close(actor=self.office, submission=sub, closed_on=self.d(30))

    def overdue(self) -> Submission:
        sub = self.register(
            75, kind="complaint", channel="visit", grounds=["other_harm"], summary="反映查封扣押财物未及时返还", content="来访反映：被扣押的设备在解除扣押后仍未返还。"
        )
        sub = self.accept(sub, 70)
        return self.assign(sub, 70)

    def report_verified(self) -> Submission:
        ent = next(self.units)
        sub = self.register(
            8, kind="report", channel="phone", grounds=["hidden_hazard"], summary="反映某企业危化品仓库超量储存", enterprise_id=ent.pk,
            content="来电反映：该企业危险化学品仓库超量储存，且未设置可燃气体报警装置。",
        )  # fmt: skip
        sub = self.accept(sub, 7)
        sub = self.assign(sub, 7)
        # Two officers whose (random) demo certificates are valid that day.
        officers = cases_demo._valid_team(DISTRICT, self.d(6), self.d(6), ("zhifu_officer", "zhifu_officer2"))
        with self.on(6):
            services.report_verify(actor=self.handler, submission=sub, officer_ids=officers, inspected_on=self.d(6), place=f"{ent.name}危险化学品仓库")
        sub.refresh_from_db()
        return sub

    def _inquired(self, ago: int, summary: str, content: str, answer: str) -> Submission:
        ent = next(self.units)
        sub = self.register(ago, kind="report", channel="letter", grounds=["hidden_hazard"], summary=summary, enterprise_id=ent.pk, content=content)
        sub = self.accept(sub, ago - 1)
        sub = self.assign(sub, ago - 1)
        with self.on(ago - 2):
            reports.inquiry_send(actor=self.handler, submission=sub, sent_on=self.d(ago - 2), text="请于收到本函之日起五日内书面说明举报反映的情况及整改措施。")
        with self.on(ago - 6):
            reports.inquiry_answer(actor=self.handler, submission=sub, answered_on=self.d(ago - 6), answer=answer)
        sub.refresh_from_db()
        return self.investigate(sub, ago - 6, {"hidden_hazard": (True, "单位书面回复承认存在所反映的隐患。")})

    def report_inquiry_transfer(self) -> Submission:
        sub = self._inquired(
            24, "反映某企业动火作业未办理审批", "来信反映：该企业维修车间多次动火作业未办理动火审批，现场无监护人。", "维修车间确有两次动火作业未办理审批，已停止作业并完善制度。",
        )  # fmt: skip
        with self.on(18):
            reports.hazard_register(
                actor=self.handler, submission=sub, description="维修车间动火作业未办理动火审批、无现场监护", location="维修车间", severity="general", found_on=self.d(18)
            )
        supervision = reports.supervision_departments(sub.owner_agency_id)
        enforcement = reports.enforcement_departments(sub.owner_agency_id)
        own = [d for d in supervision if self.handler.staff.memberships.filter(department=d).exists()] or supervision
        if own and enforcement:
            with self.on(17):
                reports.transfer_to_enforcement(
                    actor=self.handler, submission=sub, from_department_id=own[0].pk, to_department_id=enforcement[0].pk,
                    facts="该单位维修车间动火作业未履行审批手续、未安排专人现场监护，经举报核实。", suggested_basis="《中华人民共和国安全生产法》第一百零一条第四项",
                )  # fmt: skip
        sub.refresh_from_db()
        return sub

    def report_rewarded(self) -> Submission:
        sub = self._inquired(
            60, "反映某企业特种作业人员无证上岗", "来信反映：该企业叉车司机无特种作业操作证上岗。", "两名叉车司机未取得操作证，已停止其作业并安排培训取证。",
        )  # fmt: skip
        sub = self.draft(sub, 50, "举报属实，已责令该单位停止无证人员作业，限期取证。", "经核查，你反映的问题属实，我局已责令该单位整改。感谢你对安全生产工作的支持。")
        sub = self.approve(sub, 49)
        sub = self.reply(sub, 48)
        leader = self.leader
        with self.on(48):
            if reports.range_on(sub.owner_agency_id, self.d(48)) is None:
                reports.reward_range_set(
                    actor=leader, min_amount="500", max_amount="30000", basis="芝罘区安全生产举报奖励办法（演示配置）", effective_from=dt.date(self.today.year, 1, 1)
                )
            reports.reward_propose(actor=self.office, submission=sub, amount="1000", reason="实名举报特种作业人员无证上岗，经核查属实，单位已整改。", proposed_on=self.d(48))
        with self.on(45):
            reports.reward_decide(actor=leader, submission=sub, approved=True, decided_on=self.d(45))
        with self.on(40):
            reports.reward_paid(actor=self.office, submission=sub, paid_on=self.d(40), payment_ref="芝应急奖〔2026〕3号")
        sub.refresh_from_db()
        return sub

    def deaths_report(self) -> Submission:
        ent = next(self.units)
        sub = self.register(
            3, kind="report", channel="letter", grounds=["concealed_accident"], summary="举报某企业瞒报一起死亡事故", enterprise_id=ent.pk, deaths_alleged=1,
            content="来信举报：该企业上月发生一起高处坠落事故，造成一人死亡，企业私下赔偿后未上报。",
        )  # fmt: skip
        return self.accept(sub, 2)

    def other_district(self) -> Submission | None:
        agency = Agency.objects.filter(jurisdiction__code=OTHER_DISTRICT).order_by("pk").first()
        if agency is None:
            return None
        with self.on(5):
            sub, _ = services.submission_submit_public(
                agency=agency, kind="report", grounds=["unlicensed"], summary="反映某小作坊无证生产烟花爆竹", anonymous=False,
                content="某村民自建房内有人无证生产烟花爆竹。", submitter_name="李国庆", submitter_phone="13905351234", unit_name="福山区某村民自建房",
            )  # fmt: skip
        return sub


def generate(*, today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> DemoComplaints:
    """Create the demo submissions; the caller makes sure none exist (``has_complaints``)."""
    today = today or timezone.localdate()
    say = progress or (lambda _msg: None)
    out = DemoComplaints()
    walker = _Walker(today)
    if walker.office is None or walker.leader is None or walker.handler is None or walker.dept is None:
        out.skipped.append("演示数据中没有芝罘区局办公室、局领导或科室，未生成投诉举报。")
        return out
    for name, fn in walker.stories():
        with transaction.atomic():
            sub = fn()
        if sub is None:
            out.skipped.append(name)
            continue
        out.counts[sub.status] = out.counts.get(sub.status, 0) + 1
        say(f"演示投诉举报：{name}")
    return out
