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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from anjian.core import audit
from anjian.core.errors import DomainError, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.law import deadlines as law_deadlines
from anjian.law import ruleset
from anjian.law.calendar import EARLIEST, DayKind, check_date
from anjian.law.errors import LawError
from anjian.law.money import to_amount
from anjian.law.periods import PeriodUnit
from anjian.law.procedure import HearingConfig
from anjian.legal import authority, impact, lawcal
from anjian.legal.models import CalendarYear, CalendarYearRevision, CollectiveDiscussionConfig, LegalReviewCatalogueEntry, RuleOverride

# Roles are org's vocabulary; core cannot import org (layers), so the two codes are spelled here.
OVERRIDE_ROLES: Final = authority.CONFIG_ROLES

# Configuration keys the engine reads through ``ruleset.config_value`` (money thresholds, CFG).
CONFIG_KEYS: Final[Mapping[str, str]] = {
    HearingConfig.KEYS[0]: "听证“较大数额罚款”标准（公民）",
    HearingConfig.KEYS[1]: "听证“较大数额罚款”标准（法人或者其他组织）",
    HearingConfig.KEYS[2]: "听证“较大数额没收”标准（公民）",
    HearingConfig.KEYS[3]: "听证“较大数额没收”标准（法人或者其他组织）",
}
# The largest amount the system takes (the DecimalFields hold 14 digits, 2 after the point); a
# larger one (1e30) is refused as input, never computed (issue 8 Medium 11).
MAX_AMOUNT: Final = Decimal("999999999999.99")
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


def _override_value(rule_code: str, value: Any, unit: str) -> tuple[int | Decimal | None, PeriodUnit | None, str]:
    """Parse ``value``/``unit`` for the kind of rule: (engine value, engine unit, unit stored)."""
    if rule_code in CONFIG_KEYS:
        if unit not in ("", MONEY_UNIT):
            raise ValidationFailed("金额类配置项不能指定期间单位", code="override_invalid", fields={"unit": "金额类配置项（听证标准）的取值以元为单位，不能指定期间单位。"})
        if value is None or value == "":
            return None, None, MONEY_UNIT
        try:
            amount = to_amount(Decimal(str(value)), "value")
        except LawError as exc:  # a ValueError too: caught first
            raise law_error(exc) from None
        except (InvalidOperation, ValueError):
            raise ValidationFailed(f"取值不是有效金额：{value}", code="amount_invalid", fields={"value": f"取值不是有效金额：{value}"}) from None
        if amount > MAX_AMOUNT:
            raise ValidationFailed(f"取值过大：{value}", code="amount_too_large", fields={"value": f"金额过大，不能超过{MAX_AMOUNT:,}元。"})
        return amount, None, MONEY_UNIT
    if unit not in OVERRIDE_UNITS:
        raise ValidationFailed(f"未知的期间单位：{unit}", code="override_invalid", fields={"unit": f"未知的期间单位：{unit}（可选：{'、'.join(u for u in OVERRIDE_UNITS if u)}）"})
    engine_unit = PeriodUnit(unit) if unit else None
    if value is None or value == "":
        if engine_unit is not None:
            raise ValidationFailed("变更期间单位时必须同时给出期间长度", code="override_invalid", fields={"value": "变更期间单位时必须同时给出整数期间长度。"})
        return None, None, ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"取值不是有效数字：{value}", code="override_invalid", fields={"value": f"取值不是有效数字：{value}"}) from None
    if number.is_finite() and abs(number) > 36500:
        raise ValidationFailed(f"期间长度过大：{value}", code="override_invalid", fields={"value": f"期间长度过大：{value}（不超过36500）。"})
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationFailed(f"期限规则的取值应为正整数（期间长度）：{value}", code="override_invalid", fields={"value": f"期限规则的取值应为正整数（期间长度）：{value}"})
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
    authority.require_role(actor, roles=OVERRIDE_ROLES, message="只有法制审核人员或系统管理员可以登记规则覆盖（须经法规科确认）。")
    rule_code, scope, source_document, approver, note = (str(s or "").strip() for s in (rule_code, scope, source_document, approver, note))
    unit = str(unit or "").strip()
    rules = ruleset.default_ruleset()
    if rule_code and rule_code not in rules.rules and rule_code not in CONFIG_KEYS:
        raise ValidationFailed(f"未知的规则代码：{rule_code}", code="unknown_rule", fields={"rule_code": f"未知的规则代码：{rule_code}（应为期限规则代码或听证标准配置项）"})
    if scope and not authority.is_known_scope(scope):
        raise ValidationFailed(
            f"适用范围应为辖区编码、省级区划代码或“*”：{scope}",
            code="override_invalid",
            fields={"scope": f"适用范围应为本系统的辖区编码（如370602）、省级区划代码（如370000）或“*”（全系统）：{scope}"},
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
    authority.require_scope(actor, scope, what="规则覆盖", roles=OVERRIDE_ROLES)
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
            f"规则{rule_code}在适用范围{scope}已有{candidate.effective_from.isoformat()}生效的覆盖（{clash.source_document}）",
            code="override_conflict",
            fields={"effective_from": f"同一规则、同一适用范围已有同日生效的覆盖（{clash.source_document}），请先终止原覆盖或另选生效日期。"},
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
        note=f"登记规则覆盖：{rule_label(row.rule_code) or row.rule_code}，依据{row.source_document}，批准人{row.approver}",
        jurisdiction_id=scope_for(actor).jurisdiction_id,
    )
    return row


def rule_override_end_check(*, actor: Any, override: RuleOverride, effective_to: dt.date | None) -> None:
    """What ``rule_override_end`` checks before writing (also used by the admin form)."""
    authority.require_role(actor, roles=OVERRIDE_ROLES, message="只有法制审核人员或系统管理员可以终止规则覆盖。")
    authority.require_scope(actor, override.scope, what="规则覆盖", roles=OVERRIDE_ROLES)
    if effective_to is None:
        raise ValidationFailed("请填写失效日期", code="override_invalid", fields={"effective_to": "终止规则覆盖须填写失效日期。"})
    if effective_to < override.effective_from:
        raise ValidationFailed("规则覆盖的失效日期早于生效日期", code="override_invalid", fields={"effective_to": "失效日期不能早于生效日期。"})
    if override.effective_to is not None and effective_to >= override.effective_to:
        raise ValidationFailed(
            "规则覆盖已定于更早的日期失效", code="override_invalid", fields={"effective_to": f"该覆盖已定于{override.effective_to.isoformat()}失效，只能提前，不能延后。"}
        )


@transaction.atomic
def rule_override_end(*, actor: Any, override: RuleOverride, effective_to: dt.date) -> RuleOverride:
    """End an override on ``effective_to`` (its only change after registration; audited).

    An override is a legal fact with a source document: it is never edited or deleted, only ended
    (or ended earlier than it was)."""
    row = RuleOverride.objects.select_for_update(of=("self",)).get(pk=override.pk)
    rule_override_end_check(actor=actor, override=row, effective_to=effective_to)
    before = audit.snapshot(row, ["effective_to"])
    row.effective_to = effective_to
    row.save(update_fields=["effective_to"])
    audit.record(
        actor=actor,
        action="rule.override",
        obj=row,
        before=before,
        after=audit.snapshot(row, ["effective_to", "scope", "source_document"]),
        note=f"终止规则覆盖：{rule_label(row.rule_code) or row.rule_code}自{effective_to.isoformat()}后不再适用",
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


def parse_calendar_csv(text: str, *, year: int | None) -> list[tuple[dt.date, str, str]]:
    """Rows ``date,kind[,name]`` of one year's schedule (``year`` None: of any years, as the
    command line loads a file of several); an error names the line at fault."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "date" not in reader.fieldnames or "kind" not in reader.fieldnames:
        raise ValidationFailed("CSV文件第一行应为列名 date,kind[,name]", code="calendar_invalid", fields={"file": "CSV文件第一行应为列名：date,kind,name（name可省略）。"})
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
                f"第{lineno}行：日期格式应为YYYY-MM-DD", code="calendar_invalid", fields={"file": f"第{lineno}行：日期“{text_date}”格式应为YYYY-MM-DD。"}
            ) from None
        if year is not None and day.year != year:
            raise ValidationFailed(f"第{lineno}行：{day.isoformat()}不属于{year}年", code="calendar_invalid", fields={"file": f"第{lineno}行：{day.isoformat()}不属于{year}年。"})
        kind = CSV_KINDS.get((raw.get("kind") or "").strip())
        if kind is None:
            raise ValidationFailed(
                f"第{lineno}行：类别应为holiday或makeup_workday",
                code="calendar_invalid",
                fields={"file": f"第{lineno}行：类别应为 holiday（法定节假日）或 makeup_workday（调休上班日）。"},
            )
        if day in seen:
            raise ValidationFailed(f"第{lineno}行：{day.isoformat()}重复", code="calendar_invalid", fields={"file": f"第{lineno}行：{day.isoformat()}重复出现。"})
        seen.add(day)
        rows.append((day, kind, (raw.get("name") or "").strip()[:32]))
    return rows


def _calendar_input(*, year: int, rows: Iterable[tuple[dt.date, str, str]], source: str, source_field: str = "source") -> tuple[list[tuple[dt.date, str, str]], str]:
    source = (source or "").strip()
    if not source:
        raise ValidationFailed(
            "请写明依据文件（国务院办公厅节假日安排通知的文号）", code="calendar_source_missing", fields={source_field: "请写明依据文件（国务院办公厅节假日安排通知的文号）。"}
        )
    if not isinstance(year, int) or year < EARLIEST.year or year > 2199:
        raise ValidationFailed(f"年度{year}超出可载入范围（2004年起）", code="date_out_of_range", fields={"year": f"年度{year}超出可载入范围（2004年至2199年）。"})
    days = list(rows)
    if not days:
        raise ValidationFailed(f"没有{year}年的节假日或调休数据", code="calendar_invalid", fields={"file": f"文件中没有{year}年的节假日或调休数据。"})
    for d, _k, _n in days:
        if d.year != year:
            raise ValidationFailed(f"{d.isoformat()}不属于{year}年", code="calendar_invalid", fields={"file": f"{d.isoformat()}不属于{year}年。"})
    try:
        lawcal.calendar_with(year, days)  # the engine checks kinds and make-up days before anything else
    except LawError as exc:
        raise law_error(exc, field_names={"exceptions": "file", "loaded_years": "year"}) from None
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="calendar_invalid", fields={"file": str(exc)}) from None
    return days, source


@transaction.atomic
def calendar_year_load(*, actor: Any, year: int, rows: Iterable[tuple[dt.date, str, str]], source: str) -> CalendarYear:
    """Load the official holiday schedule of a year not loaded yet (LEGAL.md §1), audited.

    ``actor`` None is the command line (``anjian calendar``). Before a year is loaded every
    computation reaching it is provisional; after, it is final (``lawcal.work_calendar``). The
    calendar is shared by every agency: only the top bureau's administrator loads it
    (``authority.require_top_admin``). A year already loaded is changed only by
    ``calendar_year_correct``.
    """
    authority.require_top_admin(actor, what="载入节假日安排")
    days, source = _calendar_input(year=year, rows=rows, source=source)
    previous = CalendarYear.objects.select_for_update(of=("self",)).filter(year=year).first()
    if previous is not None:
        raise DomainError(
            f"{year}年节假日安排已于{previous.loaded_at:%Y-%m-%d}依据{previous.source}载入，不能重新载入；如正式安排有误，请办理更正并写明更正依据文件。",
            code="calendar_already_loaded",
            fields={"year": f"{year}年已载入（第{previous.version}版）；如需更改，请办理更正。"},
        )
    n = lawcal.load_year(year, days, source=source)
    row = CalendarYear.objects.get(year=year)
    holidays = sum(1 for _, k, _ in days if k == DayKind.HOLIDAY.value)
    audit.record(
        actor=actor,
        action="calendar.load",
        obj=row,
        after={"source": source, "version": row.version, "days": n, "holidays": holidays, "makeup_workdays": n - holidays},
        note=f"{year}年节假日安排载入，依据{source}",
        jurisdiction_id=None,
    )
    return row


@dataclass(frozen=True)
class CalendarChange:
    """What a correction of ``year`` would change: the days, and the stored deadlines it would move."""

    year: int
    loaded: CalendarYear
    added: list[tuple[dt.date, str, str]]
    removed: list[tuple[dt.date, str, str]]
    moved: list[impact.MovedDeadline]

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.removed)


def calendar_change_preview(*, actor: Any, year: int, rows: Iterable[tuple[dt.date, str, str]], source: str) -> CalendarChange:
    """Everything ``calendar_year_correct`` would do, written nowhere (the correction page shows it)."""
    authority.require_top_admin(actor, what="更正节假日安排")
    days, source = _calendar_input(year=year, rows=rows, source=source)
    loaded = CalendarYear.objects.filter(year=year).first()
    if loaded is None:
        raise ValidationFailed(f"{year}年节假日安排尚未载入，无需更正，请直接载入", code="calendar_not_loaded", fields={"year": f"{year}年尚未载入，请直接载入。"})
    old = {(d, k, n) for d, k, n in lawcal.year_days(year)}
    new = set(days)
    old_kinds = {(d, k) for d, k, _ in old}
    new_kinds = {(d, k) for d, k, _ in new}
    added = sorted(r for r in new if (r[0], r[1]) not in old_kinds)
    removed = sorted(r for r in old if (r[0], r[1]) not in new_kinds)
    moved = impact.deadlines_moved(lawcal.calendar_with(year, days), year) if (added or removed) else []
    return CalendarChange(year=year, loaded=loaded, added=added, removed=removed, moved=moved)


@transaction.atomic
def calendar_year_correct(*, actor: Any, year: int, rows: Iterable[tuple[dt.date, str, str]], source: str) -> CalendarChange:
    """Correct an officially loaded year (issue 8 High 2), audited with its source document.

    The version replaced is kept whole (``CalendarYearRevision``). Nothing stored is recomputed:
    deadlines already computed and told to the party stay as they are; the stored deadlines
    the correction would move are returned (and written in the audit record) for the bureau to
    decide each one. Only the top bureau's administrator corrects the shared calendar.
    """
    authority.require_top_admin(actor, what="更正节假日安排")
    rows = list(rows)  # read twice (preview, then load): a generator would be empty the second time
    loaded = CalendarYear.objects.select_for_update(of=("self",)).filter(year=year).first()
    change = calendar_change_preview(actor=actor, year=year, rows=rows, source=source)
    assert loaded is not None  # the preview refused a year not loaded
    days, source = _calendar_input(year=year, rows=rows, source=source, source_field="source")
    if not change.changes_anything:
        raise ValidationFailed(f"所载数据与{year}年现行安排相同，无需更正", code="calendar_unchanged", fields={"file": f"文件与{year}年现行节假日安排相同，无需更正。"})
    old_days = lawcal.year_days(year)
    CalendarYearRevision.objects.create(
        year=year,
        version=loaded.version,
        source=loaded.source,
        loaded_at=loaded.loaded_at,
        days=[[d.isoformat(), k, n] for d, k, n in old_days],
        correction_source=source,
        corrected_by=actor if getattr(actor, "pk", None) else None,
    )
    lawcal.load_year(year, days, source=source)
    CalendarYear.objects.filter(year=year).update(version=loaded.version + 1)
    row = CalendarYear.objects.get(year=year)
    audit.record(
        actor=actor,
        action="calendar.correct",
        obj=row,
        before={"source": loaded.source, "version": loaded.version, "days": len(old_days)},
        after={
            "source": source,
            "version": row.version,
            "days": len(days),
            "added": [[d.isoformat(), k, n] for d, k, n in change.added],
            "removed": [[d.isoformat(), k, n] for d, k, n in change.removed],
            "deadlines_moved": [{"type": m.object_type, "id": m.object_id, "stored": m.stored.isoformat(), "recomputed": m.recomputed.isoformat()} for m in change.moved],
        },
        note=f"{year}年节假日安排更正为第{row.version}版，依据{source}；原第{loaded.version}版（{loaded.source}）已存档；已保存的{len(change.moved)}个期限按更正后日历计算将会变化，未自动重算。",
        jurisdiction_id=None,
    )
    return CalendarChange(year=year, loaded=row, added=change.added, removed=change.removed, moved=change.moved)


# -- the bureau's legal-review catalogue and collective-discussion rules -----------------------------

REVIEW_FIELDS: Final = ("scope", "code", "name", "kinds", "fine_individual", "fine_organisation", "source_document", "effective_from", "effective_to")
COLLECTIVE_FIELDS: Final = (
    "scope", "complex_cases", "serious_heavier", "kinds", "fine_individual", "fine_organisation", "source_document", "effective_from", "effective_to",
)  # fmt: skip
_CONFIG_WHAT: Final = {LegalReviewCatalogueEntry: "法制审核目录", CollectiveDiscussionConfig: "集体讨论规则"}
_CONFIG_ACTION: Final = {LegalReviewCatalogueEntry: "legal.review_catalogue", CollectiveDiscussionConfig: "legal.collective_rule"}
_CONFIG_FIELDS: Final = {LegalReviewCatalogueEntry: REVIEW_FIELDS, CollectiveDiscussionConfig: COLLECTIVE_FIELDS}


def config_row_check(*, actor: Any, model: type[LegalReviewCatalogueEntry] | type[CollectiveDiscussionConfig], instance: Any, values: Mapping[str, Any]) -> None:
    """What ``config_row_save`` checks before writing (the admin form calls it to show errors)."""
    what = _CONFIG_WHAT[model]
    if instance is not None and instance.pk is not None:
        # An agency changes only its own rows, and cannot move one into its scope.
        authority.require_scope(actor, instance.scope, what=what)
    scope = str(values.get("scope") or "").strip()
    if not authority.is_known_scope(scope):
        raise ValidationFailed(f"适用范围应为辖区编码、省级区划代码或“*”：{scope}", code="scope_invalid", fields={"scope": f"适用范围应为本系统的辖区编码、省级区划代码或“*”：{scope}"})
    authority.require_scope(actor, scope, what=what)
    from anjian.law.procedure import PenaltyKind

    kinds = values.get("kinds") or []
    bad = [k for k in kinds if k not in PenaltyKind.__members__.values()] if isinstance(kinds, list) else [kinds]
    if bad:
        message = "处罚种类须为：" + "、".join(k.value for k in PenaltyKind)
        raise ValidationFailed(message, code="kinds_invalid", fields={"kinds": message})
    if not str(values.get("source_document") or "").strip():
        raise ValidationFailed(f"{what}须写明依据文件（文号）", code="source_missing", fields={"source_document": f"{what}须写明依据文件（文号）。"})


@transaction.atomic
def config_row_save(
    *, actor: Any, model: type[LegalReviewCatalogueEntry] | type[CollectiveDiscussionConfig], instance: Any = None, values: Mapping[str, Any]
) -> Any:
    """Create or change a row of a bureau's review catalogue or collective-discussion rule.

    Only the agency whose jurisdiction the row's scope is may write it (``authority``); audited
    with the source document. Rows are never deleted: a row ends with its 失效日期.
    """
    fields = _CONFIG_FIELDS[model]
    before = None
    if instance is not None and instance.pk is not None:
        instance = model.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        before = audit.snapshot(instance, list(fields))
    config_row_check(actor=actor, model=model, instance=instance, values=values)
    row = instance if instance is not None else model()
    for name in fields:
        if name in values:
            value = values[name]
            setattr(row, name, value.strip() if isinstance(value, str) else value)
    try:
        row.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None
    row.save()
    audit.record(
        actor=actor,
        action=_CONFIG_ACTION[model],
        obj=row,
        before=before,
        after=audit.snapshot(row, list(fields)),
        note=f"{'变更' if before else '新增'}{_CONFIG_WHAT[model]}（适用范围{row.scope}），依据{row.source_document}",
        jurisdiction_id=scope_for(actor).jurisdiction_id,
    )
    return row
