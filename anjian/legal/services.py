"""Writes of core's legal configuration: rule overrides and calendar years (STYLE.md principle 1).

The admin, the API and the management commands call these; nothing else writes
``RuleOverride``, ``CalendarYear`` or ``WorkCalendarDay``. Every write is audited
(``rule.override``, ``calendar.load``).

Rule overrides (LEGAL.md, introduction; ARCHITECTURE.md rule 8): only a configurable (CFG) value
or an *unverified default* (a value of the repealed 2015 办法 used after 2026-01-31) may be
confirmed or replaced, and only by the legal department (role ``legal_reviewer``) or an
administrator, with the source document (文号) and the approver. Statutory values (V/S) are
refused with the engine's own message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.db import transaction

from anjian.core import audit
from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import Jurisdiction
from anjian.core.scoping import scope_for
from anjian.law import deadlines as law_deadlines
from anjian.law import ruleset
from anjian.law.calendar import EARLIEST, DayKind, check_date
from anjian.law.errors import LawError
from anjian.law.money import to_amount
from anjian.law.periods import PeriodUnit
from anjian.law.procedure import HearingConfig
from anjian.legal import lawcal
from anjian.legal.models import CalendarYear, RuleOverride, WorkCalendarDay

# Roles are org's vocabulary; core cannot import org (layers), so the two codes are spelled here.
OVERRIDE_ROLES: Final = ("legal_reviewer", "admin")
CALENDAR_ROLES: Final = ("admin",)

# Configuration keys the engine reads through ``ruleset.config_value`` (money thresholds, CFG).
CONFIG_KEYS: Final[Mapping[str, str]] = {
    HearingConfig.KEYS[0]: "听证“较大数额罚款”标准（公民）",
    HearingConfig.KEYS[1]: "听证“较大数额罚款”标准（法人或者其他组织）",
    HearingConfig.KEYS[2]: "听证“较大数额没收”标准（公民）",
    HearingConfig.KEYS[3]: "听证“较大数额没收”标准（法人或者其他组织）",
}
MONEY_UNIT: Final = "money"  # RuleOverride.unit of a config key: the value is yuan (lawcal keeps it Decimal)
# Units an override may give a deadline rule ("" keeps the rule's own unit). Hours are not offered:
# no configurable rule counts in hours.
OVERRIDE_UNITS: Final[Mapping[str, str]] = {
    "": "沿用规则的期间单位",
    PeriodUnit.WORKING_DAYS.value: PeriodUnit.WORKING_DAYS.label,
    PeriodUnit.CALENDAR_DAYS.value: PeriodUnit.CALENDAR_DAYS.label,
    PeriodUnit.MONTHS.value: PeriodUnit.MONTHS.label,
    PeriodUnit.YEARS.value: PeriodUnit.YEARS.label,
}
_SCOPE_RE: Final = re.compile(r"^(\*|\d{6})$")


def law_error(exc: LawError, *, field_names: Mapping[str, str] | None = None, default_field: str = "non_field_errors") -> ValidationFailed:
    """The engine's refusal as a 422 (``ValidationFailed``) naming the input it is about."""
    name = exc.field or default_field
    name = (field_names or {}).get(name, name)
    return ValidationFailed(exc.message, code=exc.code, article=exc.article or "", fields={name: [exc.message]})


def rule_label(code: str) -> str:
    """The Chinese name of a deadline rule or a configuration key ("" when unknown)."""
    rules = ruleset.default_ruleset().rules
    if code in rules:
        return rules[code].name
    return CONFIG_KEYS.get(code, "")


def _is_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or scope_for(actor).has_role(*CALENDAR_ROLES)


def actor_jurisdiction_code(actor: Any) -> str | None:
    scope = scope_for(actor)
    if scope.jurisdiction_id is None:
        return None
    return Jurisdiction.objects.filter(pk=scope.jurisdiction_id).values_list("code", flat=True).first()


def allowed_override_scopes(actor: Any) -> set[str] | None:
    """The scopes ``actor`` may register overrides for; ``None`` means any (superuser).

    Each bureau acts in its own name (ARCHITECTURE.md rule 4): a district or zone registers for
    its own division code; the city bureau also for the province code (it receives the
    provincial rules) and for each of its districts and zones, and for "*" (the whole deployment).
    """
    if getattr(actor, "is_superuser", False):
        return None
    scope = scope_for(actor)
    code = actor_jurisdiction_code(actor)
    if code is None:
        return set()
    own = code[:6]
    allowed = {own}
    if scope.agency_level == "city":
        allowed |= {own[:2] + "0000", "*"}
        allowed |= {c[:6] for c in Jurisdiction.objects.filter(parent_id=scope.jurisdiction_id).values_list("code", flat=True)}
    return allowed


def _override_value(rule_code: str, value: Any, unit: str) -> tuple[int | Decimal | None, PeriodUnit | None, str]:
    """Parse ``value``/``unit`` for the kind of rule: (engine value, engine unit, unit stored)."""
    if rule_code in CONFIG_KEYS:
        if unit not in ("", MONEY_UNIT):
            raise ValidationFailed("金额类配置项不能指定期间单位", code="override_invalid", fields={"unit": "金额类配置项(听证标准)的取值以元为单位,不能指定期间单位。"})
        if value is None or value == "":
            return None, None, MONEY_UNIT
        try:
            amount = to_amount(Decimal(str(value)), "value")
        except LawError as exc:  # a ValueError too: caught first
            raise law_error(exc) from None
        except (InvalidOperation, ValueError):
            raise ValidationFailed(f"取值不是有效金额:{value}", code="amount_invalid", fields={"value": f"取值不是有效金额:{value}"}) from None
        return amount, None, MONEY_UNIT
    if unit not in OVERRIDE_UNITS:
        raise ValidationFailed(f"未知的期间单位:{unit}", code="override_invalid", fields={"unit": f"未知的期间单位:{unit}(可选:{'、'.join(u for u in OVERRIDE_UNITS if u)})"})
    engine_unit = PeriodUnit(unit) if unit else None
    if value is None or value == "":
        if engine_unit is not None:
            raise ValidationFailed("变更期间单位时必须同时给出期间长度", code="override_invalid", fields={"value": "变更期间单位时必须同时给出整数期间长度。"})
        return None, None, ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"取值不是有效数字:{value}", code="override_invalid", fields={"value": f"取值不是有效数字:{value}"}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationFailed(f"期限规则的取值应为正整数(期间长度):{value}", code="override_invalid", fields={"value": f"期限规则的取值应为正整数(期间长度):{value}"})
    return int(number), engine_unit, unit


def rule_override_validate(
    *,
    actor: Any,
    rule_code: str,
    scope: str,
    effective_from: dt.date | None,
    source_document: str,
    approver: str,
    value: Any = None,
    unit: str = "",
    effective_to: dt.date | None = None,
    note: str = "",
) -> tuple[ruleset.RuleOverride, str]:
    """Everything ``rule_override_create`` checks before writing; returns the engine override and
    the unit to store. Raises ``PermissionRefused`` or ``ValidationFailed`` naming the input."""
    if not (getattr(actor, "is_superuser", False) or scope_for(actor).has_role(*OVERRIDE_ROLES)):
        raise PermissionRefused("只有法制审核人员或系统管理员可以登记规则覆盖(须经法规科确认)。", code="role_refused")
    rule_code, scope, source_document, approver, note = (str(s or "").strip() for s in (rule_code, scope, source_document, approver, note))
    unit = str(unit or "").strip()
    rules = ruleset.default_ruleset()
    if rule_code and rule_code not in rules.rules and rule_code not in CONFIG_KEYS:
        raise ValidationFailed(f"未知的规则代码:{rule_code}", code="unknown_rule", fields={"rule_code": f"未知的规则代码:{rule_code}(应为期限规则代码或听证标准配置项)"})
    if scope and not _SCOPE_RE.match(scope):
        raise ValidationFailed(
            f"适用范围应为6位行政区划代码或“*”:{scope}", code="override_invalid", fields={"scope": f"适用范围应为6位行政区划代码(如370600)或“*”(全系统):{scope}"}
        )
    for name, day in (("effective_from", effective_from), ("effective_to", effective_to)):
        if day is not None:
            try:
                check_date(day, name)
            except LawError as exc:
                raise law_error(exc) from None
    engine_value, engine_unit, stored_unit = _override_value(rule_code, value, unit)
    try:
        candidate = ruleset.RuleOverride(
            rule_code=rule_code,
            scope=scope,
            effective_from=effective_from,  # type: ignore[arg-type]  # the engine refuses None with its message
            source_document=source_document,
            approver=approver,
            value=engine_value,
            unit=engine_unit,
            effective_to=effective_to,
            note=note,
        )
    except LawError as exc:
        raise law_error(exc) from None
    allowed = allowed_override_scopes(actor)
    if allowed is not None and scope not in allowed:
        shown = "、".join(sorted(allowed)) or "无(未分配机关)"
        raise ValidationFailed(f"本机关不能为适用范围{scope}登记规则覆盖", code="override_scope_refused", fields={"scope": f"本机关只能为以下适用范围登记规则覆盖:{shown}"})
    if rule_code in rules.rules:
        # The engine decides what may be overridden: a statutory (V/S) version in force on the
        # override's first day is refused with its message (deadlines.evaluate). Checked on each
        # version the override's period reaches, so a later statutory version is refused too.
        rule = rules.rules[rule_code]
        start, end = candidate.effective_from, candidate.effective_to
        days = [start] + [v.effective_from for v in rule.versions if v.effective_from > start and (end is None or v.effective_from <= end)]
        cal = lawcal.work_calendar()
        for day in days:
            try:
                law_deadlines.evaluate(rule_code, day, calendar=cal, step_date=day, overrides=[candidate])
            except LawError as exc:
                raise law_error(
                    exc,
                    field_names={
                        "overrides": "rule_code",
                        "step_date": "effective_from",
                        "code": "rule_code",
                        "start": "effective_from",
                        "date": "effective_from",
                        "amount": "value",
                        "n": "value",
                    },
                ) from None
    clash = RuleOverride.objects.filter(rule_code=rule_code, scope=scope, effective_from=candidate.effective_from).first()
    if clash is not None:
        raise ValidationFailed(
            f"规则{rule_code}在适用范围{scope}已有{candidate.effective_from.isoformat()}生效的覆盖({clash.source_document})",
            code="override_conflict",
            fields={"effective_from": f"同一规则、同一适用范围已有同日生效的覆盖({clash.source_document}),请先终止原覆盖或另选生效日期。"},
        )
    return candidate, stored_unit


@transaction.atomic
def rule_override_create(
    *,
    actor: Any,
    rule_code: str,
    scope: str,
    effective_from: dt.date,
    source_document: str,
    approver: str,
    value: Any = None,
    unit: str = "",
    effective_to: dt.date | None = None,
    note: str = "",
) -> RuleOverride:
    """Register an approved confirmation or replacement of a CFG value or unverified default."""
    candidate, stored_unit = rule_override_validate(
        actor=actor, rule_code=rule_code, scope=scope, effective_from=effective_from, source_document=source_document,
        approver=approver, value=value, unit=unit, effective_to=effective_to, note=note,
    )  # fmt: skip
    row = RuleOverride(
        rule_code=candidate.rule_code,
        scope=candidate.scope,
        effective_from=candidate.effective_from,
        effective_to=candidate.effective_to,
        value=None if candidate.value is None else Decimal(candidate.value),
        unit=stored_unit,
        source_document=candidate.source_document,
        approver=candidate.approver,
        note=candidate.note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="rule.override",
        obj=row,
        after=audit.snapshot(row, ["rule_code", "scope", "effective_from", "effective_to", "value", "unit", "source_document", "approver", "note"]),
        note=f"登记规则覆盖:{rule_label(row.rule_code) or row.rule_code},依据{row.source_document},批准人{row.approver}",
        jurisdiction_id=scope_for(actor).jurisdiction_id,
    )
    return row


def rule_override_end_check(*, actor: Any, override: RuleOverride, effective_to: dt.date | None) -> None:
    """What ``rule_override_end`` checks before writing (also used by the admin form)."""
    if not (getattr(actor, "is_superuser", False) or scope_for(actor).has_role(*OVERRIDE_ROLES)):
        raise PermissionRefused("只有法制审核人员或系统管理员可以终止规则覆盖。", code="role_refused")
    allowed = allowed_override_scopes(actor)
    if allowed is not None and override.scope not in allowed:
        raise PermissionRefused(f"本机关不能终止适用范围{override.scope}的规则覆盖。", code="override_scope_refused")
    if effective_to is None:
        raise ValidationFailed("请填写失效日期", code="override_invalid", fields={"effective_to": "终止规则覆盖须填写失效日期。"})
    if effective_to < override.effective_from:
        raise ValidationFailed("规则覆盖的失效日期早于生效日期", code="override_invalid", fields={"effective_to": "失效日期不能早于生效日期。"})
    if override.effective_to is not None and effective_to >= override.effective_to:
        raise ValidationFailed(
            "规则覆盖已定于更早的日期失效", code="override_invalid", fields={"effective_to": f"该覆盖已定于{override.effective_to.isoformat()}失效,只能提前,不能延后。"}
        )


@transaction.atomic
def rule_override_end(*, actor: Any, override: RuleOverride, effective_to: dt.date) -> RuleOverride:
    """End an override on ``effective_to`` (its only change after registration; audited).

    An override is a legal fact with a source document: it is never edited or deleted, only ended
    (or ended earlier than it was)."""
    row = RuleOverride.objects.select_for_update().get(pk=override.pk)
    rule_override_end_check(actor=actor, override=row, effective_to=effective_to)
    before = audit.snapshot(row, ["effective_to"])
    row.effective_to = effective_to
    row.save(update_fields=["effective_to"])
    audit.record(
        actor=actor,
        action="rule.override",
        obj=row,
        before=before,
        after=audit.snapshot(row, ["effective_to"]),
        note=f"终止规则覆盖:{rule_label(row.rule_code) or row.rule_code}自{effective_to.isoformat()}后不再适用",
        jurisdiction_id=scope_for(actor).jurisdiction_id,
    )
    return row


# -- the working-day calendar --------------------------------------------------------------------

# CSV kinds as officers write them (the State Council notice says 放假 / 上班).
CSV_KINDS: Final[Mapping[str, str]] = {
    "holiday": DayKind.HOLIDAY.value,
    "法定节假日": DayKind.HOLIDAY.value,
    "节假日": DayKind.HOLIDAY.value,
    "放假": DayKind.HOLIDAY.value,
    "makeup_workday": DayKind.MAKEUP_WORKDAY.value,
    "调休上班日": DayKind.MAKEUP_WORKDAY.value,
    "上班": DayKind.MAKEUP_WORKDAY.value,
}


def parse_calendar_csv(text: str, *, year: int) -> list[tuple[dt.date, str, str]]:
    """Rows ``date,kind[,name]`` of one year's schedule; an error names the line at fault."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "date" not in reader.fieldnames or "kind" not in reader.fieldnames:
        raise ValidationFailed("CSV文件第一行应为列名 date,kind[,name]", code="calendar_invalid", fields={"file": "CSV文件第一行应为列名:date,kind,name(name可省略)。"})
    rows: list[tuple[dt.date, str, str]] = []
    seen: set[dt.date] = set()
    for lineno, raw in enumerate(reader, start=2):
        text_date = (raw.get("date") or "").strip()
        if not text_date and not (raw.get("kind") or "").strip():
            continue
        try:
            day = dt.date.fromisoformat(text_date)
        except ValueError:
            raise ValidationFailed(
                f"第{lineno}行:日期格式应为YYYY-MM-DD", code="calendar_invalid", fields={"file": f"第{lineno}行:日期“{text_date}”格式应为YYYY-MM-DD。"}
            ) from None
        if day.year != year:
            raise ValidationFailed(f"第{lineno}行:{day.isoformat()}不属于{year}年", code="calendar_invalid", fields={"file": f"第{lineno}行:{day.isoformat()}不属于{year}年。"})
        kind = CSV_KINDS.get((raw.get("kind") or "").strip())
        if kind is None:
            raise ValidationFailed(
                f"第{lineno}行:类别应为holiday或makeup_workday",
                code="calendar_invalid",
                fields={"file": f"第{lineno}行:类别应为 holiday(法定节假日)或 makeup_workday(调休上班日)。"},
            )
        if day in seen:
            raise ValidationFailed(f"第{lineno}行:{day.isoformat()}重复", code="calendar_invalid", fields={"file": f"第{lineno}行:{day.isoformat()}重复出现。"})
        seen.add(day)
        rows.append((day, kind, (raw.get("name") or "").strip()[:32]))
    return rows


@transaction.atomic
def calendar_year_load(*, actor: Any, year: int, rows: Iterable[tuple[dt.date, str, str]], source: str) -> CalendarYear:
    """Load (or replace) the official holiday schedule of ``year`` (LEGAL.md §1), audited.

    ``actor`` None is the command line (``anjian calendar``). Before a year is loaded every
    computation reaching it is provisional; after, it is final (``lawcal.work_calendar``).
    """
    if actor is not None and not _is_admin(actor):
        raise PermissionRefused("只有系统管理员可以载入节假日安排。", code="role_refused")
    source = (source or "").strip()
    if not source:
        raise ValidationFailed(
            "请写明依据文件(国务院办公厅节假日安排通知的文号)", code="calendar_source_missing", fields={"source": "请写明依据文件(国务院办公厅节假日安排通知的文号)。"}
        )
    if not isinstance(year, int) or year < EARLIEST.year or year > 2199:
        raise ValidationFailed(f"年度{year}超出可载入范围(2004年起)", code="date_out_of_range", fields={"year": f"年度{year}超出可载入范围(2004年至2199年)。"})
    days = list(rows)
    if not days:
        raise ValidationFailed(f"没有{year}年的节假日或调休数据", code="calendar_invalid", fields={"file": f"文件中没有{year}年的节假日或调休数据。"})
    previous = CalendarYear.objects.filter(year=year).first()
    before = None
    if previous is not None:
        before = {"source": previous.source, "days": WorkCalendarDay.objects.filter(date__year=year).count()}
    try:
        n = lawcal.load_year(year, days, source=source)
    except LawError as exc:
        raise law_error(exc, field_names={"exceptions": "file", "loaded_years": "year"}) from None
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="calendar_invalid", fields={"file": str(exc)}) from None
    row = CalendarYear.objects.get(year=year)
    holidays = sum(1 for _, k, _ in days if k == DayKind.HOLIDAY.value)
    audit.record(
        actor=actor,
        action="calendar.load",
        obj=row,
        before=before,
        after={"source": source, "days": n, "holidays": holidays, "makeup_workdays": n - holidays},
        note=f"{year}年节假日安排{'重新' if previous else ''}载入,依据{source}",
        jurisdiction_id=None,
    )
    return row
