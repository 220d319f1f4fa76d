"""The indicators (调度统计指标), each defined once (issue 11 item 2).

An indicator is one entry of ``REGISTRY``: its key, Chinese name, definition, formula, source
tables, unit, and the queryset that selects the rows it counts. Everything else reads that one
definition: the rollups (``rollups.py``) aggregate the same rows per day, the drill-down lists
them, ``anjian stats check`` recounts them, and docs/indicators.md is generated from the entries
(``indicators_docs``; tests/stats/test_indicators_doc.py keeps the file equal to them). Adding an indicator is adding
one entry; no migration, since the rollup table is long (one row per indicator, day and cut).

Kinds (how a period's figure is made from dated rows):

* ``count``: rows whose event date falls in the period (inspections, hazards found …).
* ``distinct``: distinct units among the rows dated in the period, counted per jurisdiction (a
  unit that moved to another jurisdiction within the period counts once in each).
* ``cohort``: rows that entered in the period and left by its end (hazards found in the period
  and rectified by its end).
* ``state``: rows in a state at the end of the period: entered on or before that day and not yet
  left (``start <= D`` and ``end`` empty or later than ``D``).
* ``sum``: a whole number summed over the rows dated in the period (days to acceptance).
* ``staff``: officers on a day, from dated memberships and certificates (a state, computed in
  Python because a certificate's validity follows its dated events).
* ``ratio`` / ``mean``: derived from two other indicators; no rows of their own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, Min, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from anjian.cases.choices import CaseStatus
from anjian.cases.models import Case as PenaltyCase
from anjian.cases.models import Payment
from anjian.core.errors import DomainError
from anjian.enterprises.choices import DeclaredStatus
from anjian.enterprises.models import Enterprise, EnterpriseStatusEvent
from anjian.hazards.choices import HazardStatus, MeasureKind, Severity, TransferStatus
from anjian.hazards.models import Hazard, Measure, Transfer
from anjian.inspections.choices import InspectionStatus, InspectionType
from anjian.inspections.models import Inspection
from anjian.org.choices import StaffKind
from anjian.org.models import Certificate, CertificateEvent, Membership

SHANGHAI = ZoneInfo("Asia/Shanghai")
FLOOR = dt.date(2000, 1, 1)  # no figure is asked for before this (a typo such as 0026 is a 400)


class BadPeriod(DomainError):
    """An unknown period, a future one or a malformed date: 400 with a Chinese message."""

    http_status = 400
    default_code = "bad_period"


# ---- periods ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    code: str  # as asked: 2026-Q3, 2026-09, 2026, ytd
    label: str
    start: dt.date
    end: dt.date  # the last day of the period (may be after today for the current period)
    grain: str  # "m", "q" or "y": which distinct/cohort figures the period reads

    def end_on(self, today: dt.date) -> dt.date:
        """The day the figures stand at: the period's end, or today for the current period."""
        return min(self.end, today)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def bucket(day: dt.date, grain: str) -> tuple[int, int]:
    """The month, quarter or year ``day`` falls in, as a comparable pair."""
    if grain == "m":
        return (day.year, day.month)
    if grain == "q":
        return (day.year, (day.month - 1) // 3 + 1)
    return (day.year, 0)


def bucket_start(day: dt.date, grain: str) -> dt.date:
    if grain == "m":
        return day.replace(day=1)
    if grain == "q":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every last day of a month from ``start`` to ``end`` (inclusive)."""
    out = []
    y, m = start.year, start.month
    while True:
        me = month_end(y, m)
        if me > end:
            break
        out.append(me)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>\d)|(?P<m>\d{2})))?$")
PERIOD_HELP = "统计期间应为年度（如2026）、季度（如2026-Q3）、月份（如2026-09）或ytd（本年至今）。"


def parse_period(code: str | None, *, today: dt.date | None = None) -> Period:
    """``2026-Q3``, ``2026-09``, ``2026`` or ``ytd``; a future or malformed period is a BadPeriod."""
    today = today or timezone.localdate()
    text = (code or "").strip()
    if text.lower() == "ytd":
        return Period("ytd", f"{today.year}年1月1日至{today.month}月{today.day}日", dt.date(today.year, 1, 1), today, "y")
    m = _PERIOD.match(text) if len(text) <= 16 else None
    if not text:
        raise BadPeriod("请指定统计期间。" + PERIOD_HELP, fields={"period": PERIOD_HELP})
    if m is None:
        raise BadPeriod(f"无法识别的统计期间“{text[:16]}”。" + PERIOD_HELP, fields={"period": PERIOD_HELP})
    year = int(m["y"])
    if year < FLOOR.year:
        raise BadPeriod(f"统计期间的年份{year}有误。", fields={"period": PERIOD_HELP})
    if m["q"] is not None:
        q = int(m["q"])
        if not 1 <= q <= 4:
            raise BadPeriod(f"季度应为Q1至Q4，“{text}”有误。", fields={"period": PERIOD_HELP})
        p = Period(text, f"{year}年第{'一二三四'[q - 1]}季度", dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), "q")
    elif m["m"] is not None:
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise BadPeriod(f"月份应为01至12，“{text}”有误。", fields={"period": PERIOD_HELP})
        p = Period(text, f"{year}年{month}月", dt.date(year, month, 1), month_end(year, month), "m")
    else:
        p = Period(text, f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31), "y")
    if p.start > today:
        raise BadPeriod(f"{p.label}尚未开始，没有统计数据。", fields={"period": "不能查询未来的期间。"})
    return p


# ---- the sources: how each table is cut --------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A raw table as the indicators read it: where its jurisdiction, agency and unit are."""

    family: str  # rows of one family are refreshed together (rollups.dirty_from)
    label: str  # the source tables, for the documentation
    jurisdiction: str = "jurisdiction_id"
    agency: str = "owner_agency_id"
    enterprise: str = "enterprise_id"  # "pk" for the ledger itself
    sectors: str = "enterprise__sectors"  # the sector link (empty: not cut by sector)
    # Audited object types whose events change these rows, and the lookup from a row to the
    # audited object's id: the refresh recomputes from the changed rows' earliest date.
    audited: tuple[str, ...] = ()
    audit_path: str = "pk"

    @property
    def groups(self) -> str:
        """The sector group (危险化学品, 非煤矿山, 工贸) through the sector link."""
        return f"{self.sectors}__group" if self.sectors else ""

    def related(self) -> list[str]:
        """The relations a drill-down row shows (its jurisdiction and unit)."""
        paths = [self.jurisdiction] + ([self.enterprise] if self.enterprise not in ("", "pk") else [])
        return [p.removesuffix("_id") for p in paths]


def _local_day(name: str) -> TruncDate:
    return TruncDate(name, tzinfo=SHANGHAI)


def _closed_day() -> Any:
    # A unit leaves the ledger on the effective date of its latest "关闭" declaration while it is
    # declared closed (a unit that reopened is in again).
    latest = EnterpriseStatusEvent.objects.filter(enterprise=OuterRef("pk"), status=DeclaredStatus.CLOSED).order_by("-effective_date", "-id").values("effective_date")[:1]
    return Case(When(declared_status=DeclaredStatus.CLOSED, then=Subquery(latest)), default=None)


KEY_UNIT_Q = Q(in_mine=True) | Q(hazard_sources__isnull=False)


def ledger_rows() -> QuerySet[Enterprise]:
    return Enterprise.objects.annotate(created_day=_local_day("created_at"), closed_day=_closed_day())


def key_unit_rows() -> QuerySet[Enterprise]:
    key_ids = Enterprise.objects.filter(KEY_UNIT_Q).values("pk")
    return ledger_rows().filter(pk__in=key_ids)


def completed_inspections() -> QuerySet[Inspection]:
    return Inspection.objects.filter(status=InspectionStatus.COMPLETED)


UNPLANNED_TYPES = (InspectionType.COMPLAINT, InspectionType.TRANSFER, InspectionType.SPECIAL, InspectionType.ACCIDENT, InspectionType.EXPERT)
ON_TIME_Q = Q(deadline__isnull=False, closed_on__lte=F("deadline")) | Q(deadline__isnull=True, overdue_since__isnull=True)


def reported_hazards() -> QuerySet[Hazard]:
    """Hazards whose rectification was reported; ``first_reported_on`` is the day of the first
    report (kept on the hazard by the service, so that a day's figures are read by an index)."""
    return Hazard.objects.filter(first_reported_on__isnull=False)


def transfer_rows() -> QuerySet[Transfer]:
    return Transfer.objects.annotate(sent_day=_local_day("sent_at"), decided_day=_local_day("decided_at"))


LEDGER = Source("ledger", "enterprises_enterprise, enterprises_enterprisestatusevent", enterprise="pk", sectors="sectors", audited=("enterprises.enterprise",))
KEY_LEDGER = Source(
    "ledger", "enterprises_enterprise, enterprises_majorhazardsource, enterprises_enterprisestatusevent", enterprise="pk", sectors="sectors", audited=("enterprises.enterprise",)
)
INSPECTIONS = Source("inspections", "inspections_inspection", audited=("inspections.inspection",))
KEY_INSPECTIONS = Source("inspections", "inspections_inspection, enterprises_enterprise, enterprises_majorhazardsource", audited=("inspections.inspection",))
HAZARDS = Source("hazards", "hazards_hazard", audited=("hazards.hazard",))
MEASURES = Source("measures", "hazards_measure", audited=("hazards.measure",))
TRANSFERS = Source("transfers", "hazards_transfer", audited=("hazards.transfer",))
CASES = Source("cases", "cases_case", audited=("cases.case",))
PAYMENTS = Source(
    "cases", "cases_payment, cases_case", jurisdiction="case__jurisdiction_id", agency="case__owner_agency_id", enterprise="case__enterprise_id",
    sectors="case__enterprise__sectors", audited=("cases.case",), audit_path="case_id",
)  # fmt: skip
STAFF = Source("staff", "org_staff, org_membership, org_certificate, org_certificateevent, org_agency", jurisdiction="", agency="", enterprise="", sectors="")


# ---- the indicators --------------------------------------------------------------------------------------

CUTS = ("district", "agency", "sector", "group", "month")


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    definition: str
    formula: str
    unit: str
    kind: str  # count, distinct, cohort, state, sum, staff, ratio, mean
    source: Source | None = None
    rows: Callable[[], QuerySet[Any]] | None = None  # the rows that may count
    date: str = ""  # count/distinct/sum: the event's date; cohort: the day it left
    origin: str = ""  # cohort: the day it entered
    start: str = ""  # state: the day it entered the state
    end: str = ""  # state: the day it left (empty: still in it)
    value: Callable[[dict[str, Any]], int] | None = None  # sum: the number per row
    value_fields: tuple[str, ...] = ()
    numerator: str = ""  # ratio/mean
    denominator: str = ""
    target: str = ""  # a target stated by the seed, shown beside the figure
    scale: int = 1  # a sum kept in hundredths (money in fen, shown in yuan)

    @property
    def derived(self) -> bool:
        return self.kind in ("ratio", "mean")

    @property
    def is_state(self) -> bool:
        return self.kind in ("state", "staff")

    @property
    def cuts(self) -> tuple[str, ...]:
        if self.derived:
            return tuple(c for c in CUTS if all(c in REGISTRY[k].cuts for k in (self.numerator, self.denominator)))
        if self.source is not None and not self.source.sectors:
            return ("district", "agency", "month")
        return CUTS

    @property
    def tables(self) -> str:
        if self.derived:
            return "由" + "、".join(f"`{k}`" for k in (self.numerator, self.denominator)) + "计算"
        assert self.source is not None
        return self.source.label

    @property
    def stored(self) -> tuple[str, ...]:
        """The names under which the rollups keep this indicator's daily figures."""
        if self.kind in ("distinct", "cohort"):
            return tuple(f"{self.key}@{g}" for g in ("m", "q", "y"))
        return () if self.derived else (self.key,)

    def stored_name(self, grain: str) -> str:
        return f"{self.key}@{grain}" if self.kind in ("distinct", "cohort") else self.key

    # -- the rows behind a figure (the drill-down, the check) --
    def period_rows(self, start: dt.date, end: dt.date) -> QuerySet[Any]:
        """The rows this indicator counts for the period ``start``–``end`` (``end``: the day the
        figure stands at). A distinct indicator answers all rows; ``distinct_rows`` keeps one per unit."""
        assert self.rows is not None, self.key
        qs = self.rows()
        if self.kind in ("count", "distinct", "sum"):
            return qs.filter(**{f"{self.date}__gte": start, f"{self.date}__lte": end})
        if self.kind == "cohort":
            return qs.filter(**{f"{self.origin}__gte": start, f"{self.origin}__lte": end, f"{self.date}__lte": end})
        if self.kind == "state":
            return state_rows(self, end)
        raise ValueError(self.kind)

    def distinct_rows(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """One row per unit and jurisdiction (the unit's first-numbered row in ``qs``)."""
        assert self.source is not None
        firsts = qs.order_by().values(self.source.enterprise, self.source.jurisdiction).annotate(first=Min("pk")).values("first")
        return qs.model.objects.filter(pk__in=firsts)


def state_rows(ind: Indicator, day: dt.date) -> QuerySet[Any]:
    assert ind.rows is not None
    return ind.rows().filter(**{f"{ind.start}__lte": day}).filter(Q(**{f"{ind.end}__isnull": True}) | Q(**{f"{ind.end}__gt": day}))


def valid_state(ind: Indicator, qs: QuerySet[Any]) -> QuerySet[Any]:
    """A row that left before it entered (bad data) never counts, in the raw figures or the rollups."""
    return qs.filter(Q(**{f"{ind.end}__isnull": True}) | Q(**{f"{ind.end}__gt": F(ind.start)}))


def _days_to_accept(row: dict[str, Any]) -> int:
    return int((row["decided_day"] - row["sent_day"]).days)


INDICATORS: list[Indicator] = [
    # -- the ledger --
    Indicator(
        "ledger_units",
        "在册单位数",
        "期末在单位台账中登记、未申报关闭的生产经营单位数（含停产单位）。",
        "登记日期 ≤ 期末日，且未关闭或关闭生效日期晚于期末日",
        "家",
        "state",
        LEDGER,
        ledger_rows,
        start="created_day",
        end="closed_day",
    ),
    Indicator(
        "key_units",
        "重点监管单位数",
        "期末在册单位中的重点监管单位数：有重大危险源（任一等级）或者属于非煤矿山行业的单位（“两重点一重大”中台账可判定的部分）。重点属性按台账现状判定。",
        "在册单位中，重大危险源数 ≥ 1 或 行业属非煤矿山",
        "家",
        "state",
        KEY_LEDGER,
        key_unit_rows,
        start="created_day",
        end="closed_day",
    ),
    # -- inspections --
    Indicator(
        "inspections",
        "监督检查次数",
        "检查日期在期内、已完成的监督检查（执法检查）次数，含各类检查与整改复查。",
        "COUNT（已完成检查），按检查日期",
        "次",
        "count",
        INSPECTIONS,
        completed_inspections,
        date="inspected_on",
    ),
    Indicator(
        "inspections_planned",
        "计划检查次数",
        "期内已完成的计划检查（年度监督检查计划内的检查）次数。",
        "COUNT（已完成检查，类型 = 计划检查）",
        "次",
        "count",
        INSPECTIONS,
        lambda: completed_inspections().filter(type=InspectionType.PLANNED),
        date="inspected_on",
    ),
    Indicator(
        "inspections_random",
        "双随机检查次数",
        "期内已完成的“双随机、一公开”抽查次数。",
        "COUNT（已完成检查，类型 = 双随机检查）",
        "次",
        "count",
        INSPECTIONS,
        lambda: completed_inspections().filter(type=InspectionType.RANDOM),
        date="inspected_on",
    ),
    Indicator(
        "inspections_unplanned",
        "计划外检查次数",
        "期内已完成的计划外检查次数：投诉举报核查、移交检查、专项检查、事故调查检查和专家诊断。",
        "COUNT（已完成检查，类型 ∈ {投诉举报核查、移交检查、专项检查、事故调查检查、专家诊断}）",
        "次",
        "count",
        INSPECTIONS,
        lambda: completed_inspections().filter(type__in=UNPLANNED_TYPES),
        date="inspected_on",
    ),
    Indicator(
        "inspections_in_plan",
        "按年度计划完成的检查次数",
        "期内已完成、并关联本机关已批准年度监督检查计划中该单位检查事项的检查次数（计划完成率的分子，完成率见年度计划页面）。",
        "COUNT（已完成检查，关联年度计划检查事项）",
        "次",
        "count",
        INSPECTIONS,
        lambda: completed_inspections().filter(plan_item__isnull=False),
        date="inspected_on",
    ),
    Indicator(
        "inspections_followup",
        "整改复查次数",
        "期内已完成的隐患整改复查次数。",
        "COUNT（已完成检查，类型 = 整改复查）",
        "次",
        "count",
        INSPECTIONS,
        lambda: completed_inspections().filter(type=InspectionType.REINSPECTION),
        date="inspected_on",
    ),
    Indicator(
        "units_inspected",
        "检查单位数（去重）",
        "期内至少接受过一次已完成监督检查的单位数，同一单位在期内多次检查只计一次；期内迁移辖区的单位在每个辖区各计一次。",
        "COUNT(DISTINCT 单位， 辖区），检查日期在期内的已完成检查",
        "家",
        "distinct",
        INSPECTIONS,
        completed_inspections,
        date="inspected_on",
    ),
    Indicator(
        "key_units_inspected",
        "重点监管单位检查数（去重）",
        "期内至少接受过一次已完成监督检查的重点监管单位数（重点监管单位的认定同“重点监管单位数”）。",
        "COUNT(DISTINCT 单位， 辖区），重点监管单位、检查日期在期内的已完成检查",
        "家",
        "distinct",
        KEY_INSPECTIONS,
        lambda: completed_inspections().filter(enterprise__in=Enterprise.objects.filter(KEY_UNIT_Q).values("pk")),
        date="inspected_on",
    ),
    Indicator(
        "key_unit_coverage",
        "重点监管单位检查覆盖率",
        "期内检查过的重点监管单位占期末重点监管单位数的比例。",
        "key_units_inspected ÷ key_units × 100%",
        "%",
        "ratio",
        numerator="key_units_inspected",
        denominator="key_units",
    ),
    # -- hazards --
    Indicator(
        "hazards_found",
        "发现隐患数",
        "发现日期在期内登记的事故隐患数（一般与重大），不论来源。检查发现的问题另计，不等于隐患。",
        "COUNT（隐患），按发现日期",
        "项",
        "count",
        HAZARDS,
        Hazard.objects.all,
        date="found_on",
    ),
    Indicator(
        "hazards_found_general",
        "发现一般隐患数",
        "期内发现的一般事故隐患数（按现行认定的级别）。",
        "COUNT（隐患，级别 = 一般），按发现日期",
        "项",
        "count",
        HAZARDS,
        lambda: Hazard.objects.filter(severity=Severity.GENERAL),
        date="found_on",
    ),
    Indicator(
        "hazards_found_major",
        "发现重大隐患数",
        "期内发现的重大事故隐患数（按现行认定的级别；不予认定申请批准后按一般隐患计）。",
        "COUNT（隐患，级别 = 重大），按发现日期",
        "项",
        "count",
        HAZARDS,
        lambda: Hazard.objects.filter(severity=Severity.MAJOR),
        date="found_on",
    ),
    Indicator(
        "hazards_rectified",
        "整改销号隐患数",
        "销号日期在期内的隐患数（经复查合格销号，不论何时发现）。",
        "COUNT（隐患，状态 = 已销号），按销号日期",
        "项",
        "count",
        HAZARDS,
        lambda: Hazard.objects.filter(status=HazardStatus.CLOSED),
        date="closed_on",
    ),
    Indicator(
        "hazards_rectified_on_time",
        "按期整改隐患数",
        "期内销号的隐患中，在整改期限（含经批准延期的期限）内完成整改的隐患数；尚无期限的，以从未被标记逾期为按期。",
        "COUNT（已销号隐患，销号日期 ≤ 整改期限届满日），按销号日期",
        "项",
        "count",
        HAZARDS,
        lambda: Hazard.objects.filter(status=HazardStatus.CLOSED).filter(ON_TIME_Q),
        date="closed_on",
    ),
    Indicator(
        "hazards_found_rectified",
        "期内发现且已整改隐患数",
        "期内发现、并在期末日前（含当日）销号的隐患数。",
        "COUNT（隐患，发现日期在期内，且销号日期 ≤ 期末日）",
        "项",
        "cohort",
        HAZARDS,
        lambda: Hazard.objects.filter(status=HazardStatus.CLOSED),
        date="closed_on",
        origin="found_on",
    ),
    Indicator(
        "hazards_found_ordered",
        "期内发现且已责令整改隐患数",
        "期内发现、并在期末日前（含当日）送达整改指令书（责令限期整改）的隐患数。",
        "COUNT（隐患，发现日期在期内，且指令书送达日期 ≤ 期末日）",
        "项",
        "cohort",
        HAZARDS,
        lambda: Hazard.objects.filter(served_on__isnull=False),
        date="served_on",
        origin="found_on",
    ),
    Indicator(
        "hazards_found_reported",
        "期内发现且已报整改完成隐患数",
        "期内发现、并在期末日前（含当日）报告整改完成的隐患数（以首次整改报告的日期计；复查不合格、重新整改的仍计入）。",
        "COUNT（隐患，发现日期在期内，且首次整改报告日期 ≤ 期末日）",
        "项",
        "cohort",
        HAZARDS,
        reported_hazards,
        date="first_reported_on",
        origin="found_on",
    ),
    Indicator(
        "rectification_rate",
        "隐患整改率",
        "期内发现的隐患中，到期末已整改销号的比例。",
        "hazards_found_rectified ÷ hazards_found × 100%",
        "%",
        "ratio",
        numerator="hazards_found_rectified",
        denominator="hazards_found",
    ),
    Indicator(
        "on_time_rate",
        "按期整改率",
        "期内销号的隐患中按期整改的比例。",
        "hazards_rectified_on_time ÷ hazards_rectified × 100%",
        "%",
        "ratio",
        numerator="hazards_rectified_on_time",
        denominator="hazards_rectified",
    ),
    Indicator(
        "hazards_overdue",
        "逾期未整改隐患数",
        "期末处于逾期状态的隐患数：已被每日检查标记为逾期（整改期限届满未报整改或未复查合格），且期末仍未销号。经批准延期的，不再计为逾期。",
        "逾期标记日期 ≤ 期末日，且未销号或销号日期晚于期末日",
        "项",
        "state",
        HAZARDS,
        Hazard.objects.all,
        start="overdue_since",
        end="closed_on",
    ),
    Indicator(
        "major_hazards_open",
        "未销号重大隐患数",
        "期末尚未销号的重大事故隐患数。",
        "发现日期 ≤ 期末日，级别 = 重大，且未销号或销号日期晚于期末日",
        "项",
        "state",
        HAZARDS,
        lambda: Hazard.objects.filter(severity=Severity.MAJOR),
        start="found_on",
        end="closed_on",
    ),
    Indicator(
        "major_hazards_cleared",
        "重大隐患销号数",
        "销号日期在期内的重大事故隐患数。",
        "COUNT（隐患，级别 = 重大，状态 = 已销号），按销号日期",
        "项",
        "count",
        HAZARDS,
        lambda: Hazard.objects.filter(severity=Severity.MAJOR, status=HazardStatus.CLOSED),
        date="closed_on",
    ),
    # -- measures and transfers --
    Indicator(
        "onsite_measures",
        "现场处理措施数",
        "决定日期在期内的现场处理措施数（《安全生产法》第六十五条第一款第三项：暂时停产停业、停止使用相关设施设备、从危险区域撤出作业人员）。",
        "COUNT（措施，性质 = 现场处理措施），按决定日期",
        "项",
        "count",
        MEASURES,
        lambda: Measure.objects.filter(kind=MeasureKind.ONSITE),
        date="decided_on",
    ),
    Indicator(
        "transfers_sent",
        "移交数",
        "期内监管科室移交执法队伍的案件线索数（局队合一），按移交日期。",
        "COUNT（移交），按移交日期",
        "件",
        "count",
        TRANSFERS,
        transfer_rows,
        date="sent_day",
    ),
    Indicator(
        "transfers_accepted",
        "移交接收数",
        "期内执法队伍接收的移交数，按接收日期。",
        "COUNT（移交，状态 = 已接收），按接收日期",
        "件",
        "count",
        TRANSFERS,
        lambda: transfer_rows().filter(status=TransferStatus.ACCEPTED),
        date="decided_day",
    ),
    Indicator(
        "transfer_accept_days",
        "移交接收用时合计",
        "期内接收的移交，自移交之日至接收之日的自然日数之和（同日接收计0日）。",
        "SUM（接收日期 − 移交日期），按接收日期",
        "日",
        "sum",
        TRANSFERS,
        lambda: transfer_rows().filter(status=TransferStatus.ACCEPTED),
        date="decided_day",
        value=_days_to_accept,
        value_fields=("sent_day", "decided_day"),
    ),
    Indicator(
        "transfer_days_to_accept",
        "移交平均接收用时",
        "期内接收的移交，自移交至接收平均所用的自然日数。",
        "transfer_accept_days ÷ transfers_accepted",
        "日",
        "mean",
        numerator="transfer_accept_days",
        denominator="transfers_accepted",
    ),
    # -- penalty cases --
    Indicator(
        "cases_filed",
        "立案数",
        "立案日期在期内的行政处罚案件数（简易程序当场作出决定的案件不立案，不计入）。",
        "COUNT（案件，立案日期在期内）",
        "件",
        "count",
        CASES,
        lambda: PenaltyCase.objects.filter(filed_on__isnull=False),
        date="filed_on",
    ),
    Indicator(
        "cases_decided",
        "作出处罚决定数",
        "处罚决定日期在期内的案件数（含简易程序；决定此后被撤销的仍计入作出当期）。",
        "COUNT（案件，处罚决定日期在期内）",
        "件",
        "count",
        CASES,
        lambda: PenaltyCase.objects.filter(decided_on__isnull=False),
        date="decided_on",
    ),
    Indicator(
        "cases_referred",
        "移送司法机关数",
        "期内因涉嫌犯罪移送司法机关的案件数，按移送日期。",
        "COUNT（案件，状态 = 已移送司法机关），按程序终结日期",
        "件",
        "count",
        CASES,
        lambda: PenaltyCase.objects.filter(status=CaseStatus.REFERRED, ended_on__isnull=False),
        date="ended_on",
    ),
    Indicator(
        "fines_decided",
        "决定罚款金额",
        "期内作出的处罚决定中罚款的合计金额（不含加处罚款）。",
        "SUM（罚款合计），按处罚决定日期",
        "元",
        "sum",
        CASES,
        lambda: PenaltyCase.objects.filter(decided_on__isnull=False, fine_total__isnull=False),
        date="decided_on",
        value=lambda row: int(row["fine_total"] * 100),
        value_fields=("fine_total",),
        scale=100,
    ),
    Indicator(
        "fines_collected",
        "罚款收缴金额",
        "缴纳日期在期内的罚款金额合计（不含加处罚款；罚缴分离，按缴款凭证登记）。",
        "SUM（缴纳记录中的罚款），按缴纳日期",
        "元",
        "sum",
        PAYMENTS,
        Payment.objects.all,
        date="paid_on",
        value=lambda row: int(row["fine"] * 100),
        value_fields=("fine",),
        scale=100,
    ),
    # -- officers --
    Indicator(
        "staff_in_post",
        "在职在编人员数",
        "期末在本机关有有效任职的在编人员数（不含专家、辅助人员）。",
        "COUNT（在编人员，任职起始日 ≤ 期末日 ≤ 任职截止日）",
        "人",
        "staff",
        STAFF,
    ),
    Indicator(
        "certified_officers",
        "持证执法人员数",
        "期末在职在编人员中，持有当日有效行政执法证（未到期、未暂扣、未吊销）的人数。",
        "COUNT（在职在编人员，且有执法证在期末日有效）",
        "人",
        "staff",
        STAFF,
    ),
    Indicator(
        "certified_share",
        "执法人员持证率",
        "期末持证执法人员占在职在编人员的比例。",
        "certified_officers ÷ staff_in_post × 100%",
        "%",
        "ratio",
        numerator="certified_officers",
        denominator="staff_in_post",
    ),
    Indicator(
        "safety_qualified",
        "具有安全生产相关专业学历和实践经验的人员数",
        "期末在职在编人员中，已登记具备安全生产相关专业学历和实践经验（具备之日不晚于期末日）的人数。",
        "COUNT（在职在编人员，且“具备安全生产相关专业学历和实践经验的日期” ≤ 期末日）",
        "人",
        "staff",
        STAFF,
    ),
    Indicator(
        "safety_qualified_share",
        "具有安全生产相关专业学历和实践经验的人员占比",
        "期末具有安全生产相关专业学历和实践经验的人员占在职在编人员的比例。",
        "safety_qualified ÷ staff_in_post × 100%",
        "%",
        "ratio",
        numerator="safety_qualified",
        denominator="staff_in_post",
        target="75%以上（具有安全生产相关专业学历和实践经验的执法人员数量达到在职人员75%以上）",
    ),
]

REGISTRY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
assert len(REGISTRY) == len(INDICATORS), "indicator keys must be unique"
BASE: list[Indicator] = [i for i in INDICATORS if not i.derived]


def get(key: str) -> Indicator:
    ind = REGISTRY.get(key)
    if ind is None:
        from anjian.core.errors import NotFound

        raise NotFound("没有这个统计指标。")
    return ind


# ---- officers on a day (the ``staff`` kind) ------------------------------------------------------------------


@dataclass
class StaffDay:
    """Who was in post and who was a certified officer, per (jurisdiction, agency), on each day."""

    in_post: dict[dt.date, dict[tuple[int, int], set[int]]] = field(default_factory=dict)
    certified: dict[dt.date, dict[tuple[int, int], set[int]]] = field(default_factory=dict)
    qualified: dict[dt.date, dict[tuple[int, int], set[int]]] = field(default_factory=dict)

    def members(self, key: str, day: dt.date) -> dict[tuple[int, int], set[int]]:
        return {"staff_in_post": self.in_post, "certified_officers": self.certified, "safety_qualified": self.qualified}[key].get(day, {})


def staff_on(days: Iterable[dt.date]) -> StaffDay:
    """Evaluate memberships and certificates (with their dated events) on each of ``days``.

    A person in two agencies on the same day counts in the one whose membership began last, as
    the user's scope does (org.selectors.user_scope)."""
    days = sorted(set(days))
    out = StaffDay()
    if not days:
        return out
    lo, hi = days[0], days[-1]
    memberships = list(
        Membership.objects.filter(staff__kind=StaffKind.CIVIL_SERVANT, valid_from__lte=hi)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=lo))
        .values_list("staff_id", "agency_id", "agency__jurisdiction_id", "valid_from", "valid_to", "staff__safety_qualified_on")
        .order_by("staff_id", "-valid_from", "-id")
    )
    certs: dict[int, list[Certificate]] = {}
    events: dict[int, list[CertificateEvent]] = {}
    for ev in CertificateEvent.objects.filter(certificate__staff__kind=StaffKind.CIVIL_SERVANT, date__lte=hi).order_by("date", "id"):
        events.setdefault(ev.certificate_id, []).append(ev)
    for c in Certificate.objects.filter(staff__kind=StaffKind.CIVIL_SERVANT, valid_from__lte=hi, valid_to__gte=lo):
        certs.setdefault(c.staff_id, []).append(c)
    for day in days:
        seen: set[int] = set()
        in_post: dict[tuple[int, int], set[int]] = {}
        certified: dict[tuple[int, int], set[int]] = {}
        qualified: dict[tuple[int, int], set[int]] = {}
        for staff_id, agency_id, jur_id, vfrom, vto, qualified_on in memberships:
            if staff_id in seen or vfrom > day or (vto is not None and vto < day):
                continue
            seen.add(staff_id)
            in_post.setdefault((jur_id, agency_id), set()).add(staff_id)
            if any(c.status_on(day, events.get(c.pk, []))[0] for c in certs.get(staff_id, [])):
                certified.setdefault((jur_id, agency_id), set()).add(staff_id)
            if qualified_on is not None and qualified_on <= day:
                qualified.setdefault((jur_id, agency_id), set()).add(staff_id)
        out.in_post[day] = in_post
        out.certified[day] = certified
        out.qualified[day] = qualified
    return out


# ---- raw figures (the check and the tests recount from the definitions) --------------------------------------


def raw_figures(ind: Indicator, start: dt.date, end: dt.date, dim: str = "") -> Counter[tuple[Any, Any]]:
    """``{(jurisdiction, cut): value}`` for the period, recounted from the raw tables by the
    indicator's own definition; ``dim`` is "", "agency" or "sector" (cut is then None, the
    agency's id or the sector's code)."""
    out: Counter[tuple[Any, Any]] = Counter()
    if ind.kind == "staff":
        if dim == "sector":
            return out
        for (jur, agency), members in staff_on([end]).members(ind.key, end).items():
            out[(jur, agency if dim == "agency" else None)] += len(members)
        return out
    assert ind.source is not None
    src = ind.source
    qs = ind.period_rows(start, end)
    if ind.kind == "state":
        qs = valid_state(ind, qs)
    # The sector cut holds both the sectors and their groups (a group's code has no dot); a row
    # whose unit has two sectors of one group counts once in the group.
    cuts = {"agency": [src.agency], "sector": [src.sectors, src.groups]}.get(dim, [""])
    for cut in cuts:
        group = [src.jurisdiction] + ([cut] if cut else [])
        if ind.kind == "sum":
            assert ind.value is not None
            for row in qs.order_by().values(*group, "pk", *ind.value_fields).distinct():
                if not cut or row[cut] is not None:
                    out[(row[src.jurisdiction], row[cut] if cut else None)] += ind.value(row)
            continue
        measure = Count(src.enterprise, distinct=True) if ind.kind == "distinct" else Count("pk", distinct=True)
        for row in qs.order_by().values(*group).annotate(n=measure):
            if cut and row[cut] is None:
                continue  # a unit without a sector is in no sector's figure
            out[(row[src.jurisdiction], row[cut] if cut else None)] += row["n"]
    return out
