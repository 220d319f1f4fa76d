"""The penalty catalogue as data: law → article → paragraph/item → violation → penalty clauses.

Loaded from ``rules/penalties.yaml`` (LEGAL.md §4, 安全生产法 2021 chapter 6). Other laws and
regulations are added to the YAML as further laws, each with its source, status and dates; a
violation id may have several versions (editions of the law) by effective date. The functions that
use the catalogue (ranges, discretion, 行政处罚法 §37) are in :mod:`anjian.law.penalties`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any, Final

from anjian.law.errors import RuleDataError, RuleNotInForceError, UnknownViolationError
from anjian.law.money import to_amount
from anjian.law.ruleset import RuleStatus, load_yaml, optional_date, require


class Subject(StrEnum):
    UNIT = "unit"
    PRINCIPAL = "principal"
    PERSONS = "persons"
    OTHER_MANAGER = "other_manager"
    SOLE_PROPRIETOR = "sole_proprietor"

    @property
    def label(self) -> str:
        return _LABELS[self]


class Circumstance(StrEnum):
    BASE = "base"
    OVERDUE = "overdue"
    ACCIDENT = "accident"
    REFUSAL = "refusal"
    SERIOUS = "serious"
    ESPECIALLY_SERIOUS = "especially_serious"

    @property
    def label(self) -> str:
        return _LABELS[self]


class Measure(StrEnum):
    FINE = "fine"
    INCOME_SHARE = "income_share"
    GAINS_MULTIPLE = "gains_multiple"
    AMOUNT_MULTIPLE = "amount_multiple"
    DAILY_FINE = "daily_fine"
    ORDER_CORRECT = "order_correct"
    SUSPENSION = "suspension"
    BUSINESS_SUSPENSION = "business_suspension"
    STOP_BUILDING = "stop_building"
    STOP = "stop"
    ELIMINATE = "eliminate"
    CONFISCATE_GAINS = "confiscate_gains"
    DISMISSAL = "dismissal"
    BAN = "ban"
    REVOKE_QUALIFICATION = "revoke_qualification"
    SUSPEND_OR_REVOKE_QUALIFICATION = "suspend_or_revoke_qualification"
    VOID = "void"
    JOINT_LIABILITY = "joint_liability"
    DETENTION = "detention"
    CLOSE_REQUEST = "close_request"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_money(self) -> bool:
        return self in _MONEY_MEASURES


class AccidentGrade(StrEnum):
    """生产安全事故报告和调查处理条例 §3."""

    GENERAL = "general"
    LARGER = "larger"
    MAJOR = "major"
    ESPECIALLY_MAJOR = "especially_major"

    @property
    def label(self) -> str:
        return _LABELS[self]


_MONEY_MEASURES: Final = frozenset({
    Measure.FINE, Measure.INCOME_SHARE, Measure.GAINS_MULTIPLE, Measure.AMOUNT_MULTIPLE,
    Measure.DAILY_FINE,
})  # fmt: skip

_LABELS: Final[dict[StrEnum, str]] = {
    Subject.UNIT: "生产经营单位（机构）",
    Subject.PRINCIPAL: "主要负责人",
    Subject.PERSONS: "直接负责的主管人员和其他直接责任人员",
    Subject.OTHER_MANAGER: "其他负责人和安全生产管理人员",
    Subject.SOLE_PROPRIETOR: "个人经营的投资人",
    Circumstance.BASE: "一般情形",
    Circumstance.OVERDUE: "逾期未改正",
    Circumstance.ACCIDENT: "导致发生生产安全事故",
    Circumstance.REFUSAL: "拒不执行（拒不改正）",
    Circumstance.SERIOUS: "情节严重",
    Circumstance.ESPECIALLY_SERIOUS: "情节特别严重、影响特别恶劣",
    Measure.FINE: "罚款",
    Measure.INCOME_SHARE: "按上一年年收入比例罚款",
    Measure.GAINS_MULTIPLE: "按违法所得倍数罚款",
    Measure.AMOUNT_MULTIPLE: "按罚款数额倍数罚款",
    Measure.DAILY_FINE: "按日连续处罚",
    Measure.ORDER_CORRECT: "责令（限期）改正",
    Measure.SUSPENSION: "责令停产停业整顿",
    Measure.BUSINESS_SUSPENSION: "责令停业整顿",
    Measure.STOP_BUILDING: "责令停止建设或者停产停业整顿",
    Measure.STOP: "责令停止作业（停产停业）",
    Measure.ELIMINATE: "责令立即消除或者限期消除",
    Measure.CONFISCATE_GAINS: "没收违法所得",
    Measure.DISMISSAL: "撤职处分",
    Measure.BAN: "行业禁入（任职限制）",
    Measure.REVOKE_QUALIFICATION: "吊销资质和资格",
    Measure.SUSPEND_OR_REVOKE_QUALIFICATION: "暂停或者吊销资格",
    Measure.VOID: "协议无效",
    Measure.JOINT_LIABILITY: "连带赔偿责任",
    Measure.DETENTION: "拘留（公安机关）",
    Measure.CLOSE_REQUEST: "提请地方人民政府予以关闭",
    AccidentGrade.GENERAL: "一般事故",
    AccidentGrade.LARGER: "较大事故",
    AccidentGrade.MAJOR: "重大事故",
    AccidentGrade.ESPECIALLY_MAJOR: "特别重大事故",
}

_DIGITS: Final = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..9999 in Chinese numerals as used in article numbers (``112`` → ``一百一十二``)."""
    if not 0 < n < 10000:
        raise ValueError(n)
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


@dataclass(frozen=True, slots=True)
class PenaltyClause:
    subject: Subject
    circumstance: Circumstance
    measure: Measure
    grade: AccidentGrade | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    pct_min: Decimal | None = None
    pct_max: Decimal | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    gains_at_least: Decimal | None = None
    gains_below: Decimal | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ViolationItem:
    item: int
    text: str


@dataclass(frozen=True, slots=True)
class Violation:
    id: str
    title: str
    text: str
    law_code: str
    law_name: str
    edition: str
    article: int
    paragraph: int | None
    items: tuple[ViolationItem, ...]
    clauses: tuple[PenaltyClause, ...]
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    status: RuleStatus

    @property
    def citation(self) -> str:
        short = self.law_name.removeprefix("中华人民共和国")
        text = f"{short}第{chinese_number(self.article)}条"
        if self.paragraph and self.paragraph > 1:
            text += f"第{chinese_number(self.paragraph)}款"
        return text

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _decimal(raw: Mapping[str, Any], key: str, where: str) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RuleDataError(f"处罚数据{where}.{key}应写成字符串形式的金额或倍数", field=f"{where}.{key}")
    try:
        return Decimal(value)
    except ArithmeticError as exc:
        raise RuleDataError(f"处罚数据{where}.{key}不是数字", field=f"{where}.{key}") from exc


def _parse_clause(raw: Any, where: str) -> PenaltyClause:
    if not isinstance(raw, Mapping):
        raise RuleDataError(f"处罚数据{where}应为映射", field=where)
    try:
        subject = Subject(str(raw.get("subject")))
        circumstance = Circumstance(str(raw.get("circumstance", "base")))
        measure = Measure(str(raw.get("measure")))
        grade = AccidentGrade(raw["grade"]) if raw.get("grade") is not None else None
    except ValueError as exc:
        raise RuleDataError(f"处罚数据{where}取值无效：{exc}", field=where) from exc
    clause = PenaltyClause(
        subject, circumstance, measure, grade,
        _decimal(raw, "min", where), _decimal(raw, "max", where),
        _decimal(raw, "pct_min", where), _decimal(raw, "pct_max", where),
        _decimal(raw, "multiple_min", where), _decimal(raw, "multiple_max", where),
        _decimal(raw, "gains_at_least", where), _decimal(raw, "gains_below", where),
        str(raw.get("note", "")),
    )  # fmt: skip
    needs = {
        Measure.FINE: (clause.maximum,),
        Measure.INCOME_SHARE: (clause.pct_min, clause.pct_max),
        Measure.GAINS_MULTIPLE: (clause.multiple_min, clause.multiple_max, clause.gains_at_least),
        Measure.AMOUNT_MULTIPLE: (clause.multiple_min, clause.multiple_max),
    }.get(measure, ())
    if any(value is None for value in needs):
        raise RuleDataError(f"处罚数据{where}缺少{measure.label}所需的数额", field=where)
    low, high = clause.minimum, clause.maximum
    if low is not None and high is not None and low > high:
        raise RuleDataError(f"处罚数据{where}下限高于上限", field=where)
    for amount in (low, high):
        if amount is not None:
            to_amount(amount, f"{where}.amount")
    return clause


@dataclass(frozen=True, slots=True)
class PenaltyCatalogue:
    """Violations by id, each a tuple of versions ordered by ``effective_from``."""

    violations: Mapping[str, tuple[Violation, ...]]

    def ids(self) -> list[str]:
        return sorted(self.violations, key=lambda v: (len(v), v))

    def violation(self, violation_id: str, on: dt.date | None = None) -> Violation:
        """The version of ``violation_id`` in force ``on`` (default: the latest)."""
        versions = self.violations.get(violation_id)
        if versions is None:
            raise UnknownViolationError(f"处罚目录中没有违法行为{violation_id}", field="violation")
        if on is None:
            return versions[-1]
        for version in versions:
            if version.in_force_on(on):
                return version
        raise RuleNotInForceError(f"违法行为{violation_id}在{on.isoformat()}没有有效的处罚规定", field="violation")

    @classmethod
    def from_data(cls, data: Any) -> PenaltyCatalogue:
        """Build and validate a catalogue from plain data (the parsed YAML)."""
        if not isinstance(data, Mapping):
            raise RuleDataError("处罚数据应为映射", field="laws")
        found: dict[str, list[Violation]] = {}
        for li, law in enumerate(require(data, "laws", list, "root")):
            lw = f"laws[{li}]"
            if not isinstance(law, Mapping):
                raise RuleDataError(f"处罚数据{lw}应为映射", field=lw)
            start = optional_date(law, "effective_from", lw)
            if start is None:
                raise RuleDataError(f"处罚数据{lw}.effective_from缺失", field=f"{lw}.effective_from")
            try:
                status = RuleStatus(str(law.get("status")))
            except ValueError as exc:
                raise RuleDataError(f"处罚数据{lw}.status无效", field=f"{lw}.status") from exc
            for ai, article in enumerate(require(law, "articles", list, lw)):
                aw = f"{lw}.articles[{ai}]"
                number = require(article, "number", int, aw)
                for pi, prov in enumerate(require(article, "provisions", list, aw)):
                    pw = f"{aw}.provisions[{pi}]"
                    for vi, raw in enumerate(require(prov, "violations", list, pw)):
                        vw = f"{pw}.violations[{vi}]"
                        items = tuple(ViolationItem(require(i, "item", int, vw), require(i, "text", str, vw)) for i in raw.get("items", []))
                        violation = Violation(
                            id=require(raw, "id", str, vw),
                            title=require(raw, "title", str, vw),
                            text=require(raw, "text", str, vw),
                            law_code=require(law, "code", str, lw),
                            law_name=require(law, "name", str, lw),
                            edition=str(law.get("edition", "")),
                            article=number,
                            paragraph=prov.get("paragraph"),
                            items=items,
                            clauses=tuple(_parse_clause(c, f"{vw}.clauses[{ci}]") for ci, c in enumerate(require(raw, "clauses", list, vw))),
                            effective_from=start,
                            effective_to=optional_date(law, "effective_to", lw),
                            source=require(law, "source", str, lw),
                            status=status,
                        )
                        found.setdefault(violation.id, []).append(violation)
        result: dict[str, tuple[Violation, ...]] = {}
        for vid, versions in found.items():
            versions.sort(key=lambda v: v.effective_from)
            for earlier, later in zip(versions, versions[1:], strict=False):
                if earlier.effective_to is None or later.effective_from <= earlier.effective_to:
                    raise RuleDataError(f"违法行为{vid}的版本期间重叠", field="laws")
            result[vid] = tuple(versions)
        return cls(MappingProxyType(result))


@cache
def default_catalogue() -> PenaltyCatalogue:
    """The shipped catalogue (``rules/penalties.yaml``), parsed once."""
    return PenaltyCatalogue.from_data(load_yaml("penalties.yaml"))
