"""Rule sets versioned by effective date, and rule overrides (LEGAL.md, introduction).

Procedure follows the rules in force on the day of each step. Each deadline rule has one or more
versions with ``effective_from``/``effective_to``. Values taken from the repealed 2015 办法 end on
2026-01-31 (应急管理部令第18号 in force 2026-02-01, text not in hand); for a step dated on or after
2026-02-01 they are *unverified defaults*: shown with a warning and usable only once the legal
department has confirmed or replaced them — which is a :class:`RuleOverride` (an audited database
row elsewhere, passed in here as plain data).

Statutory values (status V or S) cannot be overridden; only configurable (CFG) values and
unverified defaults can.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import yaml

from anjian.law.errors import (
    OverrideError,
    OverrideSourceMissingError,
    RuleDataError,
    RuleNotInForceError,
    UnknownRuleError,
)
from anjian.law.periods import Direction, PeriodUnit

RULES_DIR: Final = Path(__file__).resolve().parent / "rules"


class RuleStatus(StrEnum):
    """LEGAL.md status: V verified on the official text, S on a faithful copy, CFG configurable."""

    V = "V"
    S = "S"
    CFG = "CFG"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS: Final = {
    RuleStatus.V: "已核对官方文本",
    RuleStatus.S: "已核对权威转载",
    RuleStatus.CFG: "可配置（默认值）",
}


class AfterExpiry(StrEnum):
    LAPSE = "lapse"
    UNVERIFIED_DEFAULT = "unverified_default"


def load_yaml(name: str) -> Any:
    """Parse one file of ``anjian/law/rules/``."""
    with (RULES_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def require(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """``data[key]`` checked against ``kind``; a :class:`RuleDataError` naming the path otherwise."""
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RuleDataError(f"规则数据{where}.{key}缺失或类型错误", field=f"{where}.{key}")
    return value


def optional_date(data: Mapping[str, Any], key: str, where: str) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise RuleDataError(f"规则数据{where}.{key}应为日期", field=f"{where}.{key}")
    return value


@dataclass(frozen=True, slots=True)
class Law:
    code: str
    name: str
    edition: str
    in_force: dt.date
    repealed_on: dt.date | None = None
    repealed_by: str = ""


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One version of a deadline rule, in force from ``effective_from`` to ``effective_to``."""

    amount: int
    unit: PeriodUnit
    article: str
    law: str
    status: RuleStatus
    effective_from: dt.date
    effective_to: dt.date | None = None
    after_expiry: AfterExpiry = AfterExpiry.LAPSE
    roll_forward: bool = True
    excludable: bool = False
    informational: bool = False
    note: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A named statutory deadline: code, Chinese name, trigger event, direction and versions."""

    code: str
    name: str
    trigger: str
    direction: Direction
    protects_party: bool
    versions: tuple[RuleVersion, ...]

    @property
    def derived_from(self) -> str | None:
        """The rule whose due date is this rule's trigger (``payment.due`` → ``payment``)."""
        return self.trigger[: -len(".due")] if self.trigger.endswith(".due") else None

    def version_on(self, day: dt.date) -> tuple[RuleVersion, bool]:
        """The version governing a step on ``day`` and whether it is an unverified default.

        A version whose ``effective_to`` has passed is still returned, flagged, when it is marked
        ``unverified_default`` and no later version exists.
        """
        for version in self.versions:
            if version.in_force_on(day):
                return version, False
        last = self.versions[-1]
        if last.effective_to is not None and day > last.effective_to and last.after_expiry is AfterExpiry.UNVERIFIED_DEFAULT:
            return last, True
        raise RuleNotInForceError(f"{self.name}（{self.code}）在{day.isoformat()}没有有效的规则版本", field="step_date")


def _parse_version(data: Any, where: str) -> RuleVersion:
    if not isinstance(data, Mapping):
        raise RuleDataError(f"规则数据{where}应为映射", field=where)
    amount = require(data, "amount", int, where)
    if amount < 1:
        raise RuleDataError(f"规则数据{where}.amount必须为正整数", field=f"{where}.amount")
    try:
        unit = PeriodUnit(str(data.get("unit")))
        status = RuleStatus(str(data.get("status")))
        after = AfterExpiry(str(data.get("after_expiry", "lapse")))
    except ValueError as exc:
        raise RuleDataError(f"规则数据{where}中的取值无效：{exc}", field=where) from exc
    start = optional_date(data, "effective_from", where)
    if start is None:
        raise RuleDataError(f"规则数据{where}.effective_from缺失", field=f"{where}.effective_from")
    end = optional_date(data, "effective_to", where)
    if end is not None and end < start:
        raise RuleDataError(f"规则数据{where}的失效日早于生效日", field=f"{where}.effective_to")
    return RuleVersion(
        amount=amount,
        unit=unit,
        article=require(data, "article", str, where),
        law=require(data, "law", str, where),
        status=status,
        effective_from=start,
        effective_to=end,
        after_expiry=after,
        roll_forward=bool(data.get("roll_forward", True)),
        excludable=bool(data.get("excludable", False)),
        informational=bool(data.get("informational", False)),
        note=str(data.get("note", "")),
    )


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All deadline rules, their laws and trigger events."""

    laws: Mapping[str, Law]
    events: Mapping[str, str]
    rules: Mapping[str, DeadlineRule]

    def get(self, code: str) -> DeadlineRule:
        try:
            return self.rules[code]
        except KeyError:
            raise UnknownRuleError(f"未知的期限规则：{code}", field="code") from None

    @classmethod
    def from_data(cls, data: Any) -> RuleSet:
        """Build and validate a rule set from plain data (the parsed YAML)."""
        if not isinstance(data, Mapping):
            raise RuleDataError("规则数据应为映射", field="rules")
        laws: dict[str, Law] = {}
        for code, raw in require(data, "laws", Mapping, "root").items():
            where = f"laws.{code}"
            if not isinstance(raw, Mapping):
                raise RuleDataError(f"规则数据{where}应为映射", field=where)
            in_force = optional_date(raw, "in_force", where)
            if in_force is None:
                raise RuleDataError(f"规则数据{where}.in_force缺失", field=f"{where}.in_force")
            laws[code] = Law(
                code, require(raw, "name", str, where), str(raw.get("edition", "")), in_force,
                optional_date(raw, "repealed_on", where), str(raw.get("repealed_by", "")),
            )  # fmt: skip
        events = {str(k): str(v) for k, v in require(data, "events", Mapping, "root").items()}
        rules: dict[str, DeadlineRule] = {}
        for index, raw in enumerate(require(data, "rules", list, "root")):
            where = f"rules[{index}]"
            if not isinstance(raw, Mapping):
                raise RuleDataError(f"规则数据{where}应为映射", field=where)
            code = require(raw, "code", str, where)
            if code in rules:
                raise RuleDataError(f"期限规则{code}重复", field=f"{where}.code")
            trigger = require(raw, "trigger", str, where)
            if trigger not in events:
                raise RuleDataError(f"期限规则{code}的触发事件{trigger}未登记", field=f"{where}.trigger")
            versions = tuple(_parse_version(v, f"{where}.versions[{i}]") for i, v in enumerate(require(raw, "versions", list, where)))
            if not versions:
                raise RuleDataError(f"期限规则{code}没有版本", field=f"{where}.versions")
            for earlier, later in zip(versions, versions[1:], strict=False):
                if earlier.effective_to is None or later.effective_from <= earlier.effective_to:
                    raise RuleDataError(f"期限规则{code}的版本期间重叠", field=f"{where}.versions")
            for version in versions:
                if version.law not in laws:
                    raise RuleDataError(f"期限规则{code}引用了未登记的法规{version.law}", field=where)
            try:
                direction = Direction(str(raw.get("direction")))
            except ValueError as exc:
                raise RuleDataError(f"期限规则{code}的方向无效", field=f"{where}.direction") from exc
            rules[code] = DeadlineRule(
                code, require(raw, "name", str, where), trigger, direction,
                bool(raw.get("protects_party", False)), versions,
            )  # fmt: skip
        for rule in rules.values():
            base = rule.derived_from
            if base is not None and base not in rules:
                raise RuleDataError(f"期限规则{rule.code}依赖未知规则{base}", field="rules")
        return cls(MappingProxyType(laws), MappingProxyType(events), MappingProxyType(rules))


@cache
def default_ruleset() -> RuleSet:
    """The shipped rule set (``rules/deadlines.yaml``), parsed once."""
    return RuleSet.from_data(load_yaml("deadlines.yaml"))


# -- overrides --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleOverride:
    """An approved replacement or confirmation of a configurable value (a DB row elsewhere).

    ``value`` None confirms the shipped default as it is; otherwise it replaces the value (an
    integer period length for deadline rules, a ``Decimal`` or integer for other config keys).
    ``scope`` is the caller's scope code (e.g. an agency or division code): the caller passes only
    the overrides that apply to the acting agency.
    """

    rule_code: str
    scope: str
    effective_from: dt.date
    source_document: str
    approver: str
    value: int | Decimal | None = None
    unit: PeriodUnit | None = None
    effective_to: dt.date | None = None
    note: str = ""

    def __post_init__(self) -> None:
        for name in ("rule_code", "scope", "source_document", "approver"):
            text = getattr(self, name)
            if not isinstance(text, str) or not text.strip():
                error = OverrideSourceMissingError if name == "source_document" else OverrideError
                raise error(_OVERRIDE_FIELD_MESSAGES[name], field=name)
        if not isinstance(self.effective_from, dt.date):
            raise OverrideError("规则覆盖缺少生效日期", field="effective_from")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise OverrideError("规则覆盖的失效日期早于生效日期", field="effective_to")
        value = self.value
        if value is not None and (isinstance(value, bool) or value <= 0):
            raise OverrideError("规则覆盖的取值必须为正数", field="value")
        if self.unit is not None and not isinstance(value, int):
            raise OverrideError("变更期间单位时必须同时给出整数期间长度", field="value")

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


_OVERRIDE_FIELD_MESSAGES: Final = {
    "rule_code": "规则覆盖缺少规则代码",
    "scope": "规则覆盖缺少适用范围",
    "source_document": "规则覆盖缺少依据文件（文号），不得登记",
    "approver": "规则覆盖缺少批准人",
}


def select_override(code: str, day: dt.date, overrides: Iterable[RuleOverride]) -> RuleOverride | None:
    """The override of ``code`` in force on ``day``: the latest ``effective_from`` wins; two
    different overrides with the same ``effective_from`` are a conflict."""
    best: RuleOverride | None = None
    for item in overrides:
        if item.rule_code != code or not item.in_force_on(day):
            continue
        if best is None or item.effective_from > best.effective_from:
            best = item
        elif item.effective_from == best.effective_from and item != best:
            raise OverrideError(
                f"规则{code}在{day.isoformat()}有两条同日生效的不同覆盖（{best.source_document}、{item.source_document}），请法规科处理",
                field="overrides",
                code="override_conflict",
            )
    return best


def config_value(key: str, default: Decimal, day: dt.date, overrides: Sequence[RuleOverride] = ()) -> tuple[Decimal, RuleOverride | None]:
    """A configurable (CFG) value on ``day``: the override in force, or the shipped default."""
    chosen = select_override(key, day, overrides)
    if chosen is None or chosen.value is None:
        return default, chosen
    return Decimal(chosen.value), chosen
