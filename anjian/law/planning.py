"""The annual enforcement plan: capacity, frequency by grade, caps, key units, fitting, duplicates.

Pure Python: the Django side (``anjian.planning``) reads the ledger, the memberships and the
calendar and hands the facts in; everything here is arithmetic on them, shown line by line the way
a plan document prints it.

Sources (LEGAL.md §6):

* plan yearly by classification and grading and inspect according to plan — AQSCF §62;
* capacity: total workdays = statutory working days × officers; inspection workdays = total −
  other enforcement workdays − non-enforcement workdays, split into key and general inspections,
  keeping a reserve (留有余地) — 安监总政法〔2017〕150号;
* one planned subject per unit (一企一主体) — provincial rules, the seed;
* yearly caps per unit by grade, "inspect once for all" — 国办发〔2024〕54号; the caps and grades
  are provincial configuration (CFG), the shipped values a sample (示例配置, Shanxi 2025);
* every inspection is made by at least two officers — XZCF §42, so an inspection of N days costs
  2N officer-workdays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Final, NamedTuple

from anjian.law.calendar import WorkCalendar
from anjian.law.errors import LawError

ARTICLE_PLAN: Final = "《安全生产法》第六十二条"
ARTICLE_CAPACITY: Final = "安监总政法〔2017〕150号"
ARTICLE_CAP: Final = "国办发〔2024〕54号"
ARTICLE_TWO_OFFICERS: Final = "《行政处罚法》第四十二条"
ARTICLE_ONE_SUBJECT: Final = "省级规定（一企一主体）"

MAX_DAYS: Final = Decimal("1000000")  # no bureau has a million workdays: bounds every entry


class PlanningError(LawError):
    """Planning input that cannot be accepted."""

    default_code = "planning_invalid"


# Deduction categories of 安监总政法〔2017〕150号: other enforcement work and non-enforcement work.
OTHER_ENFORCEMENT: Final = {
    "licensing": "行政许可",
    "accident_investigation": "事故调查",
    "complaint_verification": "投诉举报核查",
    "joint_enforcement": "联合执法",
    "training": "执法培训",
    "review_litigation": "行政复议与诉讼",
    "assigned_tasks": "上级交办任务",
}
NON_ENFORCEMENT: Final = {
    "duty": "值班",
    "study": "学习",
    "meetings": "会议",
    "leave": "休假",
}
CATEGORIES: Final = {**OTHER_ENFORCEMENT, **NON_ENFORCEMENT}
GROUP_NAMES: Final = {"hazchem": "危险化学品", "mine": "非煤矿山", "industry": "工贸", "other": "其他"}


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_days(value: Any, field_name: str) -> Decimal:
    """A number of workdays: a non-negative decimal with at most one place (half days)."""
    try:
        d = Decimal(str(value).strip())
    except Exception:
        raise PlanningError("请填写数字。", field=field_name) from None
    if not d.is_finite() or d < 0:
        raise PlanningError("不能为负数。", field=field_name)
    if d > MAX_DAYS:
        raise PlanningError("数值过大。", field=field_name)
    if d != d.quantize(Decimal("0.1")):
        raise PlanningError("最多保留一位小数（半天）。", field=field_name)
    return d


def to_share(value: Any, field_name: str) -> Decimal:
    """A share between 0 and 1 (e.g. 0.1 = 10%)."""
    try:
        d = Decimal(str(value).strip())
    except Exception:
        raise PlanningError("请填写0到1之间的小数。", field=field_name) from None
    if not d.is_finite() or d < 0 or d > 1:
        raise PlanningError("应在0到1之间（如0.1表示10%）。", field=field_name)
    return _q(d)


# --- capacity ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfficerSpans:
    """One officer and the periods of the year in which they count (membership ∩ certificate)."""

    name: str
    spans: tuple[tuple[date, date], ...]


@dataclass(frozen=True)
class CapacityLine:
    label: str
    formula: str
    value: Decimal


@dataclass(frozen=True)
class Capacity:
    year: int
    provisional: bool
    statutory_days: int
    officers: int
    officer_workdays: Decimal
    total: Decimal
    other_enforcement: Decimal
    non_enforcement: Decimal
    inspection_days: Decimal
    reserve: Decimal
    available: Decimal
    key_days: Decimal
    general_days: Decimal
    officers_per_inspection: int
    lines: tuple[CapacityLine, ...]
    per_officer: tuple[tuple[str, int], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "provisional": self.provisional,
            "statutory_days": self.statutory_days,
            "officers": self.officers,
            "officer_workdays": str(self.officer_workdays),
            "total": str(self.total),
            "other_enforcement": str(self.other_enforcement),
            "non_enforcement": str(self.non_enforcement),
            "inspection_days": str(self.inspection_days),
            "reserve": str(self.reserve),
            "available": str(self.available),
            "key_days": str(self.key_days),
            "general_days": str(self.general_days),
            "officers_per_inspection": self.officers_per_inspection,
            "lines": [{"label": ln.label, "formula": ln.formula, "value": str(ln.value)} for ln in self.lines],
        }


def officer_days_in_year(cal: WorkCalendar, year: int, spans: Iterable[tuple[date, date]]) -> int:
    """Working days of ``year`` covered by ``spans`` (overlaps counted once)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    clipped = sorted((max(a, first), min(b, last)) for a, b in spans if a <= last and b >= first and a <= b)
    merged: list[list[date]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return sum(cal.working_days_between(a - timedelta(days=1), b) for a, b in merged)


def capacity(
    *,
    cal: WorkCalendar,
    year: int,
    officers: Sequence[OfficerSpans],
    deductions: Mapping[str, Any],
    reserve_share: Any,
    key_share: Any,
    officers_per_inspection: int = 2,
) -> Capacity:
    """The capacity of one agency for ``year`` (安监总政法〔2017〕150号), line by line.

    Officers who count for part of the year (joined, left, certificate valid part of it) count for
    the working days they are there: the "officers × statutory days" of the rule, made exact.
    """
    if year < 2004 or year > 2199:
        raise PlanningError(f"年度{year}超出可计算范围。", field="year")
    if officers_per_inspection < 2:
        raise PlanningError("每次检查的执法人员不得少于两人。", field="officers_per_inspection", article=ARTICLE_TWO_OFFICERS)
    unknown = sorted(set(deductions) - CATEGORIES.keys())
    if unknown:
        raise PlanningError(f"未知的工作日扣除类别：{'、'.join(unknown)}", field="deductions")
    ded = {k: to_days(v, f"deductions.{k}") for k, v in deductions.items()}
    reserve_s = to_share(reserve_share, "reserve_share")
    key_s = to_share(key_share, "key_share")
    provisional = not cal.is_loaded(year)
    statutory = cal.working_days_in_year(year)
    per_officer = tuple((o.name, officer_days_in_year(cal, year, o.spans)) for o in officers)
    counted = [p for p in per_officer if p[1] > 0]
    total = Decimal(sum(d for _, d in counted))
    equivalent = _q(total / statutory) if statutory else Decimal(0)
    other = sum((ded.get(k, Decimal(0)) for k in OTHER_ENFORCEMENT), Decimal(0))
    non = sum((ded.get(k, Decimal(0)) for k in NON_ENFORCEMENT), Decimal(0))
    inspection = total - other - non
    if inspection < 0:
        raise PlanningError(f"扣除的工作日（{other + non}）超过总工作日（{total}），请核对各类扣除天数。", field="deductions", article=ARTICLE_CAPACITY)
    reserve = _q(inspection * reserve_s)
    available = inspection - reserve
    key_days = _q(available * key_s)
    general_days = available - key_days
    cal_note = "（该年度法定节假日安排尚未载入，按周末推算，属临时结果）" if provisional else ""
    lines = [
        CapacityLine("法定工作日", f"{year}年法定工作日{statutory}天{cal_note}", Decimal(statutory)),
        CapacityLine("执法人员", f"持证执法人员{len(counted)}人，按在岗期间折合{equivalent}人·年", Decimal(len(counted))),
        CapacityLine("总工作日", f"各执法人员在岗工作日之和（{len(counted)}人，折合{equivalent}人×{statutory}天）", total),
        *[CapacityLine(f"其他执法工作：{OTHER_ENFORCEMENT[k]}", "按类别填报", ded[k]) for k in OTHER_ENFORCEMENT if k in ded],
        CapacityLine("其他执法工作日合计", "行政许可、事故调查、投诉举报核查等", other),
        *[CapacityLine(f"非执法工作：{NON_ENFORCEMENT[k]}", "按类别填报", ded[k]) for k in NON_ENFORCEMENT if k in ded],
        CapacityLine("非执法工作日合计", "值班、学习、会议、休假", non),
        CapacityLine("监督检查工作日", f"{total} − {other} − {non}", inspection),
        CapacityLine("预留工作日（留有余地）", f"{inspection} × {reserve_s}", reserve),
        CapacityLine("可安排计划检查工作日", f"{inspection} − {reserve}", available),
        CapacityLine("其中：重点检查", f"{available} × {key_s}", key_days),
        CapacityLine("其中：一般检查", f"{available} − {key_days}", general_days),
    ]
    return Capacity(
        year=year, provisional=provisional, statutory_days=statutory, officers=len(counted), officer_workdays=total,
        total=total, other_enforcement=other, non_enforcement=non, inspection_days=inspection, reserve=reserve,
        available=available, key_days=key_days, general_days=general_days, officers_per_inspection=officers_per_inspection,
        lines=tuple(lines), per_officer=per_officer,
    )  # fmt: skip


# --- grading profile ----------------------------------------------------------------------------------
KEY_RULES: Final = {
    "major_hazard_source": "构成重大危险源",
    "underground_mine": "地下矿山",
    "tailings_pond": "尾矿库",
    "worst_grade": "风险等级为最高一级",
    "open_major_hazard": "存在未销号的重大事故隐患",
}
STANDARDIZATION_KEYS: Final = ("1", "2", "3", "none")


@dataclass(frozen=True)
class FrequencyRule:
    """Who it applies to (sector groups or features, empty = everyone) and the counts by grade."""

    code: str
    name: str
    groups: frozenset[str]
    features: frozenset[str]
    basis: str  # "risk_grade" or "standardization"
    frequency: Mapping[str, int]
    cap: Mapping[str, int]
    ungraded: str  # the key used when the unit has no grade

    def applies(self, groups: frozenset[str], features: frozenset[str]) -> bool:
        return bool(self.groups & groups) or bool(self.features & features)


@dataclass(frozen=True)
class Profile:
    rules: tuple[FrequencyRule, ...]
    key_rules: frozenset[str]


def profile_from_data(data: Mapping[str, Any]) -> Profile:
    """Validate a profile's stored data; any fault names the rule and the key."""
    rules = []
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise PlanningError("分级频次配置至少应有一条规则。", field="rules")
    for i, r in enumerate(raw_rules, start=1):
        where = f"第{i}条规则"
        if not isinstance(r, dict):
            raise PlanningError(f"{where}格式错误。", field="rules")
        basis = r.get("basis")
        if basis not in ("risk_grade", "standardization"):
            raise PlanningError(f"{where}的依据应为风险等级或标准化等级。", field="rules")
        freq, cap = r.get("frequency"), r.get("cap")
        if not isinstance(freq, dict) or not isinstance(cap, dict) or not freq or set(freq) != set(cap):
            raise PlanningError(f"{where}的频次与上限应列出相同的等级。", field="rules")
        if basis == "standardization" and set(freq) != set(STANDARDIZATION_KEYS):
            raise PlanningError(f"{where}应列出标准化一级、二级、三级和未达标。", field="rules")
        for k in freq:
            f, c = freq[k], cap[k]
            if not isinstance(f, int) or not isinstance(c, int) or isinstance(f, bool) or isinstance(c, bool) or f < 0 or c < 1 or c > 366 or f > c:
                raise PlanningError(f"{where}等级{k}：频次应为不超过上限的非负整数，上限为1至366。", field="rules", article=ARTICLE_CAP)
        ungraded = r.get("ungraded", "")
        if ungraded not in freq:
            raise PlanningError(f"{where}应指定未定级单位按哪一级计。", field="rules")
        rules.append(
            FrequencyRule(
                code=str(r.get("code") or f"rule{i}"), name=str(r.get("name") or where), groups=frozenset(r.get("groups") or ()),
                features=frozenset(r.get("features") or ()), basis=basis, frequency=dict(freq), cap=dict(cap), ungraded=ungraded,
            )
        )  # fmt: skip
    keys = data.get("key_rules") or []
    unknown = sorted(set(keys) - KEY_RULES.keys())
    if unknown:
        raise PlanningError(f"未知的重点单位规则：{'、'.join(unknown)}", field="key_rules")
    return Profile(rules=tuple(rules), key_rules=frozenset(keys))


GRADE_KEY_MAX: Final = 8


def check_profile(data: Mapping[str, Any]) -> Profile:
    """A profile as a province edits it (LEGAL.md §6: grades and caps are provincial, CFG).

    Beyond ``profile_from_data`` (frequency per grade and standardization level within the yearly
    cap, the ungraded key, known key-unit rules): every unit must be covered, so one rule names no
    sector group or feature (a catch-all; without it a unit matching no rule would silently drop
    out of every plan); sector groups are the plan's own (危险化学品、非煤矿山、工贸、其他); rule
    codes and names are given and distinct; grade keys are short; features are listed as text."""
    prof = profile_from_data(data)
    codes: set[str] = set()
    names: set[str] = set()
    for i, (raw, rule) in enumerate(zip(data["rules"], prof.rules, strict=True), start=1):
        where = f"第{i}条规则"
        if not str(raw.get("code") or "").strip() or not str(raw.get("name") or "").strip():
            raise PlanningError(f"{where}应有编码和名称。", field="rules")
        if rule.code in codes or rule.name in names:
            raise PlanningError(f"{where}的编码或名称与前面的规则重复。", field="rules")
        codes.add(rule.code)
        names.add(rule.name)
        if len(rule.name) > 60:
            raise PlanningError(f"{where}的名称过长（不超过60字）。", field="rules")
        unknown = sorted(rule.groups - GROUP_NAMES.keys())
        if unknown:
            raise PlanningError(f"{where}的行业“{'、'.join(unknown)}”不是计划的行业（{'、'.join(GROUP_NAMES)}）。", field="rules")
        if any(not isinstance(f, str) or not f.strip() for f in raw.get("features") or ()):
            raise PlanningError(f"{where}的企业特征应为编码文字。", field="rules")
        if any(not isinstance(k, str) or not 0 < len(k) <= GRADE_KEY_MAX for k in rule.frequency):
            raise PlanningError(f"{where}的等级名称应为1至{GRADE_KEY_MAX}个字符。", field="rules")
    if not any(not r.groups and not r.features for r in prof.rules):
        raise PlanningError("应有一条不限行业和特征的规则（兜底规则），否则不符合任何规则的单位不会列入计划。", field="rules")
    return prof


# The sample profile of LEGAL.md §6 (Shanxi 2025, 示例配置): caps by grade. The source gives caps
# only, so the sample plans each unit at its cap; a bureau lowers the frequencies to its own rules.
SAMPLE_PROFILE: Final[dict[str, Any]] = {
    "rules": [
        {
            "code": "mine", "name": "非煤矿山（按风险等级，A–D由低到高）", "groups": ["mine"], "features": [], "basis": "risk_grade",
            "frequency": {"A": 1, "B": 1, "C": 2, "D": 4}, "cap": {"A": 1, "B": 1, "C": 2, "D": 4}, "ungraded": "D",
        },
        {
            "code": "hazchem", "name": "危险化学品、金属冶炼（按标准化等级）", "groups": ["hazchem"], "features": ["metal_smelting"], "basis": "standardization",
            "frequency": {"1": 2, "2": 4, "3": 8, "none": 12}, "cap": {"1": 2, "2": 4, "3": 8, "none": 12}, "ungraded": "none",
        },
        {
            "code": "other", "name": "其他行业（按标准化等级）", "groups": [], "features": [], "basis": "standardization",
            "frequency": {"1": 1, "2": 2, "3": 4, "none": 6}, "cap": {"1": 1, "2": 2, "3": 4, "none": 6}, "ungraded": "none",
        },
    ],
    "key_rules": sorted(KEY_RULES),
}  # fmt: skip


# --- units and proposals ------------------------------------------------------------------------------
# UnitFacts and Proposal are named tuples, not dataclasses: a city's plan makes 100,000 of each, and a
# frozen dataclass's __init__ (one object.__setattr__ per field) cost a second of the generation
# (issue 13 Speed). Their fields are read by name as before.
class UnitFacts(NamedTuple):
    """What the ledger says of one unit, as the plan needs it."""

    id: int
    name: str
    groups: frozenset[str]
    sectors: frozenset[str]
    features: frozenset[str]
    risk_grade: str = ""
    worst_grade: bool = False
    risk_rank: int = 0  # 0 = lowest risk of its scheme; higher = worse
    standardization: str = "none"
    major_hazard_sources: int = 0
    open_major_hazards: int = 0


class Proposal(NamedTuple):
    unit: UnitFacts
    rule: str
    grade_label: str
    frequency: int
    cap: int
    key_reasons: tuple[str, ...]
    group: str
    cost: Decimal  # officer-workdays per inspection
    count: int  # type: ignore[assignment]  # the planned inspections (hides tuple.count, never used on a proposal)
    months: tuple[int, ...]
    cut_from: int | None = None

    @property
    def key(self) -> bool:
        return bool(self.key_reasons)

    @property
    def demand(self) -> Decimal:
        return self.cost * self.count


_new: Final = tuple.__new__
_STD_LABEL: Final = {"1": "标准化一级", "2": "标准化二级", "3": "标准化三级", "none": "标准化未达标"}


def key_reasons(unit: UnitFacts, rules: frozenset[str]) -> tuple[str, ...]:
    """The key-unit rules (LEGAL.md §6, local plans) that the ledger shows the unit meets."""
    hits = {
        "major_hazard_source": unit.major_hazard_sources > 0,
        "underground_mine": "mine.underground" in unit.sectors,
        "tailings_pond": "mine.tailings" in unit.sectors,
        "worst_grade": unit.worst_grade,
        "open_major_hazard": unit.open_major_hazards > 0,
    }
    return tuple(KEY_RULES[k] for k in KEY_RULES if k in rules and hits[k])


def _grade_key(rule: FrequencyRule, unit: UnitFacts) -> tuple[str, str]:
    if rule.basis == "risk_grade":
        if unit.risk_grade in rule.frequency:
            return unit.risk_grade, f"风险等级{unit.risk_grade}"
        return rule.ungraded, f"未定级（按{rule.ungraded}级计）"
    return unit.standardization if unit.standardization in rule.frequency else rule.ungraded, _STD_LABEL.get(unit.standardization, "标准化未达标")


def unit_group(unit: UnitFacts) -> str:
    for g in ("mine", "hazchem", "industry"):
        if g in unit.groups:
            return g
    return "other"


@lru_cache(maxsize=4096)
def _spread(count: int, offset: int) -> tuple[int, ...]:
    step = 12 / count
    return tuple(sorted({int(i * step) + offset + 1 for i in range(count)}))


_STEP: Final = {n: max(1, int(12 / n)) for n in range(1, 12)}  # months between inspections, for 1–11 a year


def spread_months(count: int, phase: int) -> tuple[int, ...]:
    """``count`` months spread evenly over the year, shifted by ``phase`` to balance the load."""
    if count <= 0:
        return ()
    if count >= 12:  # every month, some twice or more: one month per inspection
        return tuple(sorted(i * 12 // count + 1 for i in range(count)))
    # Only the phase modulo the step matters: the few distinct spreads are computed once.
    return _spread(count, phase % _STEP[count])


def _best_rule(profile: Profile, u: UnitFacts) -> tuple[int, int, FrequencyRule, str] | None:
    best: tuple[int, int, FrequencyRule, str] | None = None
    # A rule naming the unit's sectors or features wins over a catch-all rule (其他行业).
    specific = [r for r in profile.rules if (r.groups or r.features) and r.applies(u.groups, u.features)]
    for r in specific or [r for r in profile.rules if not r.groups and not r.features]:
        k, label = _grade_key(r, u)
        cand = (r.frequency[k], r.cap[k], r, label)
        if best is None or cand[:2] > best[:2]:
            best = cand
    return best


def propose(units: Iterable[UnitFacts], profile: Profile, *, workdays_per_inspection: Mapping[str, Decimal], officers_per_inspection: int = 2) -> list[Proposal]:
    """One proposal per unit: the most demanding rule that applies, its frequency (never above its
    cap, 国办发〔2024〕54号) and months spread over the year."""
    out: list[Proposal] = []
    # The rule, grade, key reasons and cost depend only on these facts of a unit, which units share
    # (a city has a few dozen combinations): each is decided once.
    decided: dict[tuple[Any, ...], tuple[str, str, int, int, tuple[str, ...], str, Decimal, int] | None] = {}
    for n, u in enumerate(units):
        sig = (u.groups, u.features, u.sectors, u.risk_grade, u.standardization, u.worst_grade, u.major_hazard_sources > 0, u.open_major_hazards > 0)
        d = decided.get(sig, False)
        if d is False:
            best = _best_rule(profile, u)
            if best is None:
                d = None
            else:
                freq, cap, rule, label = best
                group = unit_group(u)
                per = workdays_per_inspection.get(group, workdays_per_inspection.get("other", Decimal(1)))
                d = (rule.name, label, freq, cap, key_reasons(u, profile.key_rules), group, per * officers_per_inspection, min(freq, cap))
            decided[sig] = d
        if d is None:
            continue  # no rule covers the unit: the profile has no catch-all rule
        rule_name, label, freq, cap, reasons, group, cost, count = d
        # tuple.__new__ with the fields in order: what Proposal(...) does, without its Python-level call.
        out.append(_new(Proposal, (u, rule_name, label, freq, cap, reasons, group, cost, count, spread_months(count, n), None)))
    return out


class Cut(NamedTuple):
    unit_id: int
    name: str
    before: int
    after: int
    reason: str


def cut_reason(grade_label: str) -> str:
    """Why a general unit's inspections were cut (the same words on the page and in the document)."""
    return f"计划力量不足，按风险由低到高削减（{grade_label}，一般检查单位）"


@dataclass(frozen=True)
class Fit:
    proposals: tuple[Proposal, ...]
    demand_before: Decimal
    demand: Decimal
    available: Decimal
    shortfall_before: Decimal  # > 0: what the proposal lacked before cutting
    over: Decimal  # > 0: still over capacity after cutting (key units only left)
    key_demand: Decimal
    summary: str = field(default="")
    cut_units: int = 0
    cut_inspections: int = 0

    @property
    def cuts(self) -> tuple[Cut, ...]:
        """What was cut and why, unit by unit (computed on demand: up to 100,000 units)."""
        return tuple(Cut(p.unit.id, p.unit.name, p.cut_from, p.count, cut_reason(p.grade_label)) for p in self.proposals if p.cut_from is not None)


def _risk_order(p: Proposal) -> tuple[int, int, int, int]:
    # Lowest risk first: the rule's own frequency says how much its grade is watched; then the
    # unit's grade rank within its scheme; the unit id only to make the order total.
    return (p.frequency, p.unit.risk_rank, -p.count, p.unit.id)


def general_share(*, available: Decimal, key_days: Decimal | None, key_demand: Decimal) -> Decimal:
    """The workdays general inspections may use.

    安监总政法〔2017〕150号 (LEGAL.md §6) splits the inspection workdays into key and general
    inspections, and the plan document prints that split: general inspections are fitted into
    their own share, not into the total. Key units are never cut, so what they need beyond the key
    share is taken from the general share; key days they do not need are not lent to general
    inspections (the bureau sets the key share on the capacity page). Without ``key_days`` (no
    split) the general share is whatever the key units leave. Negative: the key units alone need
    more than the whole capacity."""
    reserved = key_demand if key_days is None else max(key_demand, key_days)
    return available - reserved


def share_check(*, key_demand: Decimal, general_demand: Decimal, available: Decimal, key_days: Decimal | None) -> tuple[Decimal, str]:
    """How far a plan is over its capacity, share by share, and the sentence that says so ("" when not)."""
    budget = general_share(available=available, key_days=key_days, key_demand=key_demand)
    over = max(general_demand - budget, Decimal(0))
    if over == 0:
        return over, ""
    if budget < 0:
        return over, f"重点单位需要{key_demand}个工作日、一般检查需要{general_demand}个工作日，比可安排的{available}个工作日多{over}个"
    if key_days is not None and key_demand > key_days:
        why = f"可安排{available}个工作日，重点单位需要{key_demand}个，不得削减"
    elif key_days is not None:
        why = f"可安排{available}个工作日，其中重点检查份额{key_days}个，不调剂给一般检查"
    else:
        why = f"可安排{available}个工作日，重点单位需要{key_demand}个"
    return over, f"一般检查需要{general_demand}个工作日，比一般检查可安排的{budget}个多{over}个（{why}）"


def fit(proposals: Sequence[Proposal], available: Decimal, *, key_days: Decimal | None = None) -> Fit:
    """Fit the proposals into ``available`` officer-workdays, of which ``key_days`` are the key
    inspections' share (None: no split, the total only).

    General inspections are fitted into their own share (``general_share``). When short,
    inspections are cut from the lowest-risk units first and never from a key unit: first every
    general unit is brought down to one inspection (lowest risk first), then, if still short,
    general units drop to none, lowest risk first. What was cut and why is returned.
    """
    # Integer arithmetic (a Decimal division per unit cost most of the fit at 100,000 units, issue
    # 13 Speed): every cost is a whole number of 10**-digits days, and demand <= share exactly
    # when the integer demand <= floor(share * 10**digits).
    distinct = {p.cost for p in proposals}
    digits = max((max(0, -int(c.as_tuple().exponent)) for c in distinct), default=0)
    scale = 10**digits
    cost_int = {c: int(c * scale) for c in distinct}
    costs = [cost_int[p.cost] for p in proposals]
    counts = [p.count for p in proposals]
    before_int = key_int = 0
    for p, c in zip(proposals, costs, strict=True):
        before_int += c * p.count
        if p.key_reasons:
            key_int += c * p.count
    key_demand = Decimal(key_int).scaleb(-digits)
    budget = general_share(available=available, key_days=key_days, key_demand=key_demand)
    limit = math.floor(budget * scale)
    general_int = before_int - key_int
    if general_int > limit:
        # The sort keys made once and compared as plain tuples (no key function called per unit).
        order = [k[-1] for k in sorted((*_risk_order(p), i) for i, p in enumerate(proposals) if not p.key_reasons)]
        for floor in (1, 0):
            for i in order:
                if general_int <= limit:
                    break
                c = costs[i]
                # As many inspections as close the gap, at most down to the floor (one step, not one
                # inspection at a time). A cost of 0 closes nothing.
                k = counts[i] - floor
                if c > 0:
                    need = (general_int - limit + c - 1) // c
                    k = need if need < k else k
                if k > 0:
                    counts[i] -= k
                    general_int -= k * c
    before, demand, general_before = (Decimal(n).scaleb(-digits) for n in (before_int, key_int + general_int, before_int - key_int))
    result = list(proposals)
    cut_units = cut_inspections = 0
    for i, p in enumerate(proposals):
        if counts[i] != p.count:
            cut_units += 1
            cut_inspections += p.count - counts[i]
            result[i] = _new(Proposal, (p.unit, p.rule, p.grade_label, p.frequency, p.cap, p.key_reasons, p.group, p.cost, counts[i], spread_months(counts[i], i), p.count))
    shortfall = max(general_before - budget, Decimal(0))
    over = max(demand - key_demand - budget, Decimal(0))
    split = ""
    if key_days is not None:
        split = f"（重点检查{key_demand}个、一般检查{general_before}个）"
    head = f"计划需要{before}个工作日{split}，可安排{available}个工作日"
    if key_days is not None:
        head += f"（重点检查{key_days}个、一般检查{available - key_days}个）"
        if key_demand > key_days:
            head += f"；重点单位需要的工作日超出重点检查份额{key_demand - key_days}个，重点单位不得削减，从一般检查份额中安排"
    if shortfall == 0:
        summary = f"{head}，力量充足。"
    elif over == 0:
        summary = f"{head}，缺口{shortfall}个工作日；已削减{cut_units}户一般检查单位共{cut_inspections}次检查，重点单位未削减。"
        if key_days is not None and key_demand < key_days:
            summary += f"重点检查份额中未用的{key_days - key_demand}个工作日按重点、一般检查分别测算，不调剂给一般检查。"
    else:
        summary = (
            f"{head}，缺口{shortfall}个工作日；一般检查单位已全部削减，"
            f"重点单位需要{key_demand}个工作日，仍超出{over}个工作日。重点单位不得削减，超出部分须经确认后方可保存。"
        )
    return Fit(
        proposals=tuple(result), demand_before=before, demand=demand, available=available, shortfall_before=shortfall,
        over=over, key_demand=key_demand, summary=summary, cut_units=cut_units, cut_inspections=cut_inspections,
    )  # fmt: skip


def check_item(*, count: int, months: Sequence[int], cap: int) -> None:
    """An officer's edit of one item: the count within the unit's cap, one month per inspection."""
    if count < 0 or count > 366:
        raise PlanningError("检查次数应为0至366之间的整数。", field="count")
    if count > cap:
        raise PlanningError(f"该单位年度检查次数上限为{cap}次（按风险分级公布的上限），不能安排{count}次。", field="count", article=ARTICLE_CAP)
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise PlanningError("月份应为1至12。", field="months")
    if len(months) != count:
        raise PlanningError(f"安排了{count}次检查，应填写{count}个月份（同一月份可重复）。", field="months")


# --- one subject, no duplicates ---------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedCount:
    unit_id: int
    unit_name: str
    plan_id: int
    plan_label: str  # e.g. "芝罘区应急局2026年度计划（第1版）"
    agency_id: int
    count: int
    cap: int


@dataclass(frozen=True)
class Conflict:
    unit_id: int
    unit_name: str
    kind: str  # "two_subjects" or "over_cap"
    message: str
    plan_ids: tuple[int, ...]


def conflicts(rows: Iterable[PlannedCount]) -> list[Conflict]:
    """Units planned by two agencies (一企一主体) or over their yearly cap across all plans
    (国办发〔2024〕54号). Inspections outside any plan are not rows here: they are exempt."""
    by_unit: dict[int, list[PlannedCount]] = {}
    for r in rows:
        if r.count > 0:
            by_unit.setdefault(r.unit_id, []).append(r)
    out: list[Conflict] = []
    for unit_id, rs in sorted(by_unit.items()):
        agencies = {r.agency_id for r in rs}
        labels = "、".join(r.plan_label for r in rs)
        name = rs[0].unit_name
        ids = tuple(r.plan_id for r in rs)
        if len(agencies) > 1:
            out.append(Conflict(unit_id, name, "two_subjects", f"{name}同时列入{labels}，违反一企一主体（{ARTICLE_ONE_SUBJECT}）。", ids))
        total = sum(r.count for r in rs)
        cap = min(r.cap for r in rs)
        if total > cap:
            out.append(Conflict(unit_id, name, "over_cap", f"{name}在{labels}中合计安排{total}次，超过年度上限{cap}次（{ARTICLE_CAP}）。", ids))
    return out
