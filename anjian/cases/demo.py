"""Penalty cases for the demo city (issue 9, item 13).

Every case is opened and walked through the same services a user calls (``cases.services``), so
each stage shows what the system really produces: the deadlines with their articles, the steps of
the timeline, the documents. Dates are counted back from today so that the open cases have live
clocks (a notice whose defence window is still running, a payment about to fall due).

The demo's legal department (芝罘区局法规科) first confirms the values that the repealed
《安全生产违法行为行政处罚办法》 gave and the current law leaves to the bureau — the defence window
and the evidence-preservation decision period — through rule overrides naming a fictitious source
document marked 示例, as a real bureau would. Without them the steps relying on those values stay
blocked (``cases.services._rely_on``); that blocking is tested in tests/cases.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from anjian.cases import services
from anjian.cases.models import Case
from anjian.enterprises.models import Enterprise
from anjian.legal import services as legal_services
from anjian.legal.models import RuleOverride
from anjian.org.models import Department, Staff

# The district whose bureau walks the cases (its logins are printed by ``anjian demo``).
DISTRICT = "370602"  # 芝罘区
OTHER_DISTRICT = "370611"  # 福山区: one case, so isolation is visible
EXAMPLE_SOURCE = "芝应急法〔2026〕1号（示例）"
# A 1 × 1 PNG standing in for the party's signed scan (content-checked like every upload).
_SCAN_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\r"
    b"IDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class DemoCases:
    counts: dict[str, int] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)


def has_cases() -> bool:
    return Case.objects.exists()


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _staff_ids(*usernames: str) -> list[int]:
    return [Staff.objects.get(user__username=u).pk for u in usernames]


def _valid_team(agency_code: str, first: dt.date, last: dt.date, prefer: tuple[str, ...]) -> list[int]:
    """Two officers of the bureau whose certificates are valid on every day the demo's cases use
    (the demo's certificates are random: some expire, some are suspended, some start late)."""
    from anjian.org.choices import Role

    days = [first + dt.timedelta(days=i) for i in range(0, (last - first).days + 1, 7)] + [last]
    staff = list(
        Staff.objects.filter(memberships__agency__jurisdiction__code=agency_code, memberships__role_grants__role=Role.OFFICER, kind="civil_servant", user__isnull=False)
        .distinct()
        .select_related("user")
        .prefetch_related("certificates__events")
    )

    def rank(s: Staff) -> tuple[int, int]:
        name = s.user.username if s.user else ""
        return (prefer.index(name) if name in prefer else len(prefer), s.pk)

    staff.sort(key=rank)

    def valid(s: Staff) -> bool:
        certs = list(s.certificates.all())
        return all(any(c.status_on(day, list(c.events.all()))[0] for c in certs) for day in days)

    team = [s.pk for s in staff if valid(s)][:2]
    if len(team) < 2:
        raise RuntimeError(f"演示数据中辖区{agency_code}持有效执法证的执法人员不足两名，无法生成演示案件。")
    return team


def _units(code: str, n: int) -> list[Enterprise]:
    rows = list(Enterprise.objects.filter(jurisdiction__code=code).order_by("pk")[:n])
    if len(rows) < n:
        raise RuntimeError(f"演示数据中辖区{code}的企业不足{n}家，无法生成演示案件。")
    return rows


def _confirm_defaults(today: dt.date) -> None:
    """The legal department confirms the values the repealed 办法 gave (示例 source)."""
    legal = _user("zhifu_legal")
    for code in ("defence_statement",):
        if RuleOverride.objects.filter(rule_code=code, scope=DISTRICT).exists():
            continue
        legal_services.rule_override_create(
            actor=legal,
            rule_code=code,
            scope=DISTRICT,
            effective_from=dt.date(2026, 2, 1),
            source_document=EXAMPLE_SOURCE,
            approver="芝罘区应急管理局法规科",
            note="演示数据：法规科确认沿用原《安全生产违法行为行政处罚办法》的期限（示例文件，非真实文号）。",
        )


def generate(*, today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> DemoCases:
    """Create the demo cases; the caller makes sure none exist (``has_cases``)."""
    today = today or timezone.localdate()
    say = progress or (lambda _msg: None)
    out = DemoCases()
    with transaction.atomic():
        _confirm_defaults(today)
    walker = _Walker(today)
    for name, fn in walker.stories():
        with transaction.atomic():
            c = fn()
        out.titles.append(f"{name}：{c.title}（{c.get_status_display()}）")
        out.counts[c.status] = out.counts.get(c.status, 0) + 1
        say(f"演示案件：{name}")
    return out


class _Walker:
    """The stories, each a case taken to one stage through the services."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.officer = _user("zhifu_officer")
        self.officer2 = _user("zhifu_officer2")
        self.depthead = _user("zhifu_depthead")
        self.leader = _user("zhifu_leader")
        self.legal = _user("zhifu_legal")
        self.supervisor = _user("zhifu_supervisor")
        self.team = _valid_team(DISTRICT, self.d(150), today, ("zhifu_officer", "zhifu_officer2", "zhifu_depthead"))
        # The case handler is the first of the team (zhifu_officer whenever their certificate allows).
        handler = Staff.objects.select_related("user").get(pk=self.team[0]).user
        if handler is not None:
            self.officer = handler
        self.units = iter(_units(DISTRICT, 15))

    def d(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def on(self, days_ago: int) -> Any:
        """The clock set to that day, 9:30 in the bureau's time zone: each step is entered on the
        day it happened, as an officer would have entered it (steps and documents are dated by it)."""
        moment = dt.datetime.combine(self.d(days_ago), dt.time(9, 30), tzinfo=ZoneInfo("Asia/Shanghai"))
        return time_machine.travel(moment, tick=False)

    def stories(self) -> list[tuple[str, Callable[[], Case]]]:
        return [
            ("结案（按期缴纳罚款）", self.closed_on_time),
            ("逾期缴纳罚款并加处罚款", self.paid_late_with_surcharge),
            ("听证后决定，逾期未缴纳", self.with_hearing),
            ("已申请听证，待举行", self.hearing_requested),
            ("立案申请，待审批", self.draft),
            ("调查取证中", self.investigating),
            ("告知书已送达，陈述申辩期内", self.notice_running),
            ("当事人已申辩，待决定", self.defended),
            ("采纳申辩意见后从轻决定", self.defended_then_decided),
            ("书面放弃陈述申辩后决定", self.waived),
            ("简易程序当场收缴", self.summary_onsite),
            ("涉嫌犯罪移送司法机关", self.referred),
            ("不予行政处罚", self.no_penalty),
            ("生产安全事故责任单位", self.accident),
            ("移交案件受理立案", self.from_transfer),
            ("福山区案件", self.other_district),
        ]

    # --- building blocks -----------------------------------------------------------------------
    def open(self, *, title: str, facts: str, violation: str, act_ago: int, found_ago: int, item: int | None = None, **kw: Any) -> Case:
        ent = kw.pop("enterprise", None) or next(self.units)
        with self.on(found_ago):
            c = services.case_open(
                actor=self.officer, source=kw.pop("source", "other"), source_reason=kw.pop("source_reason", "日常执法检查中发现"),
                enterprise=ent, title=title, facts=facts, discovered_on=self.d(found_ago), **kw,
            )  # fmt: skip
            services.case_violation_add(actor=self.officer, case=c, violation_id=violation, item=item, act_date=self.d(act_ago), circumstances=facts)
        return c

    def filed(self, c: Case, ago: int) -> Case:
        with self.on(ago):
            services.case_file(actor=self.depthead, case=c, filed_on=self.d(ago))
            services.case_assign_officers(actor=self.officer, case=c, staff_ids=self.team, on=self.d(ago))
        c.refresh_from_db()
        return c

    def propose(self, c: Case, amount: str, reasons: str, ago: int) -> Case:
        items = [{"violation": v.pk, "amount": Decimal(amount), "reasons": reasons} for v in c.violations.all()]
        with self.on(ago):
            services.case_propose(actor=self.officer, case=c, items=items, proposed_on=self.d(ago))
        c.refresh_from_db()
        return c

    def noticed(self, c: Case, ago: int, recipient: str = "王建国") -> Case:
        with self.on(ago):
            services.notice_issue(actor=self.officer, case=c, issued_on=self.d(ago))
            services.notice_served(actor=self.officer, case=c, method="direct", event_date=self.d(ago), recipient=recipient)
        c.refresh_from_db()
        return c

    def decided(self, c: Case, ago: int, served_ago: int | None = None, recipient: str = "王建国") -> Case:
        served_ago = ago if served_ago is None else served_ago
        with self.on(ago):
            services.decision_make(actor=self.leader, case=c, decided_on=self.d(ago))
        c.refresh_from_db()
        with self.on(served_ago):
            services.decision_served(actor=self.officer, case=c, method="direct", event_date=self.d(served_ago), recipient=recipient)
        c.refresh_from_db()
        return c

    def to_notice(self, title: str, facts: str, violation: str, amount: str, *, start: int, item: int | None = None, reasons: str = "情节一般，按裁量基准中档处罚") -> Case:
        c = self.open(title=title, facts=facts, violation=violation, item=item, act_ago=start + 6, found_ago=start + 2)
        c = self.filed(c, start)
        c = self.propose(c, amount, reasons, start - 3)
        return self.noticed(c, start - 5)

    # --- the stories ---------------------------------------------------------------------------
    def closed_on_time(self) -> Case:
        from anjian.cases import evidence, publication
        from anjian.cases.models_publication import Publication

        c = self.open(title="未采取措施消除事故隐患案", facts="该单位对检查发现的配电室电缆沟积水问题未采取措施消除。", violation="P12", act_ago=86, found_ago=82)
        c = self.filed(c, 80)
        with self.on(79):
            start = timezone.now() - dt.timedelta(hours=1, minutes=10)  # 8:20 that morning
            evidence.interview_record(
                actor=self.officer, case=c, started_at=start, ended_at=start + dt.timedelta(minutes=50), place="芝罘区应急管理局询问室",
                name="王建国", position="安全生产管理人员", content="问：配电室电缆沟积水的情况你是否知道？\n答：知道，检查后一直没有抽排。\n问：为什么没有采取措施？\n答：维修人员不够，拖了下来。",
                signer="王建国",
            )  # fmt: skip
        c = self.propose(c, "20000.00", "情节一般，按裁量基准中档处罚", 77)
        c = self.noticed(c, 75)
        c = self.decided(c, 60)
        pub = Publication.objects.get(case=c)
        with self.on(59):
            publication.publication_prepare(actor=self.officer, publication=pub, on=self.d(59))
        with self.on(58):
            publication.publication_release(actor=self.depthead, publication=pub, on=self.d(58))
        with self.on(55):
            services.payment_record(actor=self.officer, case=c, paid_on=self.d(55), amount=Decimal("20000.00"), receipt_no="37060226000101")
        with self.on(54):
            return services.case_close(actor=self.depthead, case=c, closed_on=self.d(54))

    def paid_late_with_surcharge(self) -> Case:
        c = self.to_notice("未与承包单位签订安全生产管理协议案", "该单位将厂房维修工程发包后，未与承包单位签订专门的安全生产管理协议。", "P14", "30000.00", start=140)
        c = self.decided(c, 120)
        with self.on(30):
            principal, extra = services.amount_due(c, self.d(30))
            services.payment_record(actor=self.officer, case=c, paid_on=self.d(30), amount=principal + extra, receipt_no="37060226000217")
        c.refresh_from_db()
        return c

    def with_hearing(self) -> Case:
        c = self.open(
            title="建设项目安全设施未经验收合格投入使用案", facts="该单位储罐区改扩建项目安全设施未经验收合格即投入使用。",
            violation="P8", item=4, act_ago=70, found_ago=66, serious_violation=True,
        )  # fmt: skip
        c = self.filed(c, 64)
        c = self.propose(c, "150000.00", "安全设施未经验收即投入使用，危险物品储存数量较大，按中档处罚", 60)
        c = self.noticed(c, 58)
        with self.on(56):
            services.hearing_request(actor=self.officer, case=c, requested_on=self.d(56))
        with self.on(53):
            # The chair is not one of the investigators (行政处罚法第六十四条第四项).
            chair = Staff.objects.filter(user__username__in=["zhifu_depthead", "zhifu_supervisor", "zhifu_office"]).exclude(pk__in=self.team).order_by("pk").first()
            assert chair is not None
            services.hearing_notice(actor=self.officer, case=c, hearing_date=self.d(40), notice_served_on=self.d(53), place="芝罘区应急管理局三楼会议室", chair=chair)
        with self.on(40):
            services.hearing_held(actor=self.officer, case=c, held_on=self.d(40), outcome="held", summary="当事人委托代理人到场，对违法事实无异议，请求从轻处罚。", opinion="违法事实清楚，证据确凿；当事人提出的从轻理由不成立，建议维持拟处罚意见。")
        with self.on(36):
            services.legal_review_record(actor=self.legal, case=c, reviewed_on=self.d(36), passed=True, opinion="事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。")
        with self.on(34):
            services.collective_discussion_record(
                actor=self.leader, case=c, held_on=self.d(34), attendee_ids=_staff_ids("zhifu_leader", "zhifu_depthead", "zhifu_legal"),
                conclusion="同意按拟处罚意见作出行政处罚决定。",
            )  # fmt: skip
        c = self.decided(c, 33, served_ago=32)
        from anjian.cases import execution

        with self.on(10):  # the payment is overdue: the demand for payment (罚款催缴通知书)
            execution.demand_issue(actor=self.officer, case=c, issued_on=self.d(10))
        return c

    def hearing_requested(self) -> Case:
        c = self.open(
            title="建设项目未按照规定进行安全评价案", facts="该单位危险化学品仓库改建项目未按照规定进行安全评价。",
            violation="P8", item=1, act_ago=30, found_ago=26,
        )  # fmt: skip
        c = self.filed(c, 24)
        c = self.propose(c, "120000.00", "未进行安全评价，尚未投入使用，按下档处罚", 20)
        c = self.noticed(c, 5)
        with self.on(3):
            services.hearing_request(actor=self.officer, case=c, requested_on=self.d(3))
        c.refresh_from_db()
        return c

    def draft(self) -> Case:
        return self.open(title="疏散通道堵塞案", facts="该单位生产车间安全出口被货物堵塞。", violation="P18", item=2, act_ago=6, found_ago=2)

    def investigating(self) -> Case:
        c = self.open(title="未如实记录安全生产教育和培训情况案", facts="该单位2026年度新员工三级安全教育记录缺失。", violation="P7", item=4, act_ago=20, found_ago=14)
        return self.filed(c, 12)

    def notice_running(self) -> Case:
        c = self.open(title="同一作业区域未签订安全生产管理协议案", facts="两家单位在同一厂区交叉作业，未签订安全生产管理协议。", violation="P17", act_ago=15, found_ago=12)
        c = self.filed(c, 10)
        c = self.propose(c, "10000.00", "首次发现，已着手整改，按下档处罚", 6)
        return self.noticed(c, 2)

    def defended(self) -> Case:
        c = self.to_notice("未采取措施消除事故隐患案", "该单位二号仓库消防通道被占用，经责令整改后逾期未消除。", "P12", "25000.00", start=24)
        with self.on(18):
            services.defence_record(actor=self.officer, case=c, received_on=self.d(18), kind="defence", form="written", content="我单位已清理仓库通道并建立巡查制度，请求从轻处罚。")
        with self.on(16):
            services.defence_review(actor=self.officer, statement=c.statements.get(), review="当事人已完成整改，申辩理由部分成立，维持拟处罚意见。")
        c.refresh_from_db()
        return c

    def defended_then_decided(self) -> Case:
        """Noticed at 12,000 yuan; the party's defence is adopted and the proposal lowered to 8,000
        before the decision (行政处罚法第四十五条). A demo complaint alleges the penalty was raised
        after the defence: the records show it was not (complaints/demo.py)."""
        c = self.to_notice("未对安全设备进行经常性维护保养和定期检测案", "该单位储罐区可燃气体报警器未按照规定定期检测维护。", "P9", "12000.00", item=3, start=52)
        with self.on(45):
            services.defence_record(actor=self.officer, case=c, received_on=self.d(45), kind="defence", form="written", content="报警器已于检查次日送检并恢复正常，请求从轻处罚。")
        c = self.propose(c, "8000.00", "当事人及时改正，采纳申辩意见，从轻处罚", 44)
        with self.on(44):
            services.defence_review(actor=self.officer, statement=c.statements.get(), review="当事人已改正，申辩理由成立，予以采纳，从轻处罚。")
        return self.decided(c, 40, served_ago=39)

    def waived(self) -> Case:
        c = self.to_notice("未按照规定制定应急预案案", "该单位未按照规定制定生产安全事故应急救援预案。", "P7", "8000.00", item=6, start=16)
        with self.on(10):
            services.waiver_record(actor=self.officer, case=c, signed_on=self.d(10), signer="王建国", fh=io.BytesIO(_SCAN_PNG), name="放弃陈述申辩声明.png")
        return self.decided(c, 10, served_ago=9)

    def summary_onsite(self) -> Case:
        ent = next(self.units)
        with self.on(4):
            c = services.case_summary_decide(
                actor=self.officer, title="未如实记录隐患排查治理情况案（简易程序）", facts="现场检查发现该单位当月隐患排查记录未填写。",
                violation_id="P7", act_date=self.d(5), decided_on=self.d(4), officer_ids=self.team, reasons="违法事实确凿，情节轻微，当场处罚",
                enterprise=ent, amount=Decimal("100.00"), onsite_statement="当事人无异议。", recipient="赵立新",
                collected_receipt_no="3706022026000031",
            )  # fmt: skip
        with self.on(3):
            services.onsite_handover_record(actor=self.officer, case=c, handed_on=self.d(3))
        c.refresh_from_db()
        return c

    def referred(self) -> Case:
        c = self.open(title="擅自生产危险化学品涉嫌犯罪案", facts="该单位未取得安全生产许可证擅自生产危险化学品，涉嫌危险作业罪。", violation="P12", act_ago=40, found_ago=35)
        c = self.filed(c, 33)
        with self.on(25):
            return services.case_refer(actor=self.leader, case=c, on=self.d(25), referred_to="烟台市公安局芝罘分局", reason="涉嫌《中华人民共和国刑法》第一百三十四条之一危险作业罪，依法移送公安机关。")

    def no_penalty(self) -> Case:
        c = self.open(title="未如实告知从业人员安全生产事项案", facts="该单位初次未如实告知新员工岗位危险因素，检查当日即改正。", violation="P7", item=3, act_ago=30, found_ago=28)
        c = self.filed(c, 26)
        with self.on(20):
            return services.case_no_penalty(actor=self.leader, case=c, on=self.d(20), ground="first_offence", reason="初次违法且危害后果轻微并及时改正。")

    def accident(self) -> Case:
        ent = next(self.units)
        with self.on(45):
            acc = services.accident_record(
                actor=self.officer, enterprise=ent, occurred_on=self.d(50), deaths=1, serious_injuries=0, direct_loss=Decimal("1350000.00"),
                narrative="该单位一名维修工在检修输送带时被卷入，经抢救无效死亡。",
            )  # fmt: skip
        with self.on(20):
            c = services.case_open(
                actor=self.officer, source="accident", accident=acc, enterprise=ent, title="一般生产安全事故责任单位案",
                facts="经事故调查，该单位未落实检修作业能量隔离措施，对事故发生负有责任。", discovered_on=self.d(20),
            )  # fmt: skip
            services.case_violation_add(actor=self.officer, case=c, violation_id="P25", act_date=self.d(50), circumstance="accident", grade=acc.grade)
        return self.filed(c, 18)

    def from_transfer(self) -> Case:
        from anjian.hazards import services as hazard_services
        from anjian.inspections import services as insp_services

        ent = next(self.units)
        agency = Staff.objects.get(user=self.officer).memberships.order_by("pk").first().agency  # type: ignore[union-attr]
        sup = Department.objects.filter(agency=agency, kind="supervision").order_by("pk").first()
        team = Department.objects.filter(agency=agency, kind="enforcement").order_by("pk").first()
        with self.on(9):
            insp = insp_services.inspection_create(
                actor=self.officer, enterprise=ent, type="planned", inspected_on=self.d(9), started_at=timezone.now(), place="生产车间、仓库",
                officer_ids=self.team,
            )  # fmt: skip
            f = insp_services.finding_add(actor=self.officer, inspection=insp, description="未如实记录安全生产教育和培训情况", violation_id="P7")
        with self.on(8):
            t = hazard_services.transfer_send(
                actor=self.supervisor, enterprise=ent, from_department=sup, to_department=team,  # type: ignore[arg-type]
                facts="检查发现该单位未如实记录安全生产教育和培训情况，移交执法大队立案查处。", findings=[f],
            )  # fmt: skip
        with self.on(7):
            return services.transfer_accept_into_case(actor=self.officer, transfer=t, title="未如实记录安全生产教育和培训情况案")

    def other_district(self) -> Case:
        ent = _units(OTHER_DISTRICT, 1)[0]
        with self.on(3):
            return services.case_open(
                actor=_user("fushan_officer"), source="other", source_reason="群众举报", enterprise=ent, title="安全出口锁闭案",
                facts="举报反映该单位夜间锁闭车间安全出口，经核查属实。", discovered_on=self.d(3),
            )  # fmt: skip
