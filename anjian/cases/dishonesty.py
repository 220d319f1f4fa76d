"""The serious-dishonesty list (安全生产严重失信主体名单, 联合惩戒): propose → decide → notify → publish → remove.

The grounds, the period and the early removal are rule data in ``anjian.law.dishonesty`` (LEGAL.md
§9). "谁处罚、谁决定、谁负责" (11号 §4): the agency that made the penalty decision proposes and its
head decides, someone other than who proposed (职责分离). A ground whose text is pending never lists
a unit: the proposal is refused with the reason the engine gives.

Facts read for the accident grounds: the agency's decided cases against a unit with source
``accident`` and a recorded ``Accident`` (its grade, 事故条例 §3), and whether such a case fined the
unit under 安全生产法 §114 for especially serious circumstances (violation P25,
``especially_serious``). Grounds the records do not show (concealment, unlicensed operation…) are
proposed by an officer naming the decided case that established them.

Notice (告知): the party is told before listing and its statement heard; LEGAL.md gives no window in
days for it, so none is computed: the statement is recorded with its review before publication.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from typing import Any

import openpyxl
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from anjian.cases import services
from anjian.cases.choices import CaseSource, PartyType
from anjian.cases.models import Case, CaseViolation
from anjian.cases.models_publication import DishonestyEntry, DishonestyStatus
from anjian.core import audit, xlsx
from anjian.core.duties import require_other_person
from anjian.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from anjian.core.scoping import require_owner, scope_for
from anjian.enterprises.models import Enterprise
from anjian.law import dishonesty as law
from anjian.law.catalogue import AccidentGrade
from anjian.org.choices import Role

PROPOSE_ROLES = (Role.OFFICER, Role.DEPT_HEAD)
ACT_ROLES = (Role.OFFICER, Role.DEPT_HEAD, Role.OFFICE)
PUBLISH_ROLES = (Role.DEPT_HEAD, Role.LEADER)
ART_4 = f"{law.RULE}第四条"

audit.ACTIONS.update(
    {
        "dishonesty.propose": "拟列入严重失信主体名单",
        "dishonesty.decide": "决定是否列入严重失信主体名单",
        "dishonesty.notify": "告知拟列入严重失信主体名单",
        "dishonesty.statement": "登记当事人陈述申辩",
        "dishonesty.publish": "公布严重失信主体名单",
        "dishonesty.remove": "移出严重失信主体名单",
        "dishonesty.export": "导出严重失信主体名单",
    }
)


# --- facts -------------------------------------------------------------------------------------------------
def _accident_cases(agency_id: int, enterprise_ids: list[int] | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(owner_agency_id=agency_id, party_type=PartyType.UNIT, source=CaseSource.ACCIDENT, accident__isnull=False, decided_on__isnull=False)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    return qs


def _facts(agency_id: int, enterprise_ids: list[int] | None, extra: dict[int, list[tuple[str, str]]] | None = None) -> list[law.UnitFacts]:
    """The facts of each unit with a decided accident case of the agency (three queries)."""
    cases = list(_accident_cases(agency_id, enterprise_ids).select_related("accident", "decision_document").order_by("id"))
    multiple = set(
        CaseViolation.objects.filter(
            case__in=[c.pk for c in cases], violation_id="P25", circumstance="especially_serious", subject="unit", proposed_amount__isnull=False
        ).values_list("case_id", flat=True)
    )
    by_unit: dict[int, list[law.AccidentFact]] = defaultdict(list)
    for c in cases:
        a = c.accident
        assert a is not None and c.enterprise_id is not None
        if a.grade not in {g.value for g in AccidentGrade}:
            continue
        ref = (c.decision_document.number if c.decision_document_id and c.decision_document else "") or f"{c.title}（{c.decided_on:%Y年%-m月%-d日}决定）"
        by_unit[c.enterprise_id].append(law.AccidentFact(occurred_on=a.occurred_on, grade=AccidentGrade(a.grade), ref=ref, fine_multiple=c.pk in multiple))
    ids = set(by_unit) | set(extra or {})
    ents = Enterprise.objects.filter(pk__in=ids).prefetch_related("sectors").order_by("id")
    out = []
    for e in ents:
        out.append(
            law.UnitFacts(
                key=str(e.pk),
                name=e.name,
                sectors=frozenset(s.pk for s in e.sectors.all()),
                accidents=tuple(by_unit.get(e.pk, ())),
                penalties=tuple((extra or {}).get(e.pk, ())),
            )  # fmt: skip
        )
    return out


def candidates(*, user: Any, on: dt.date) -> list[law.Proposal]:
    """Every ground the records of the user's agency touch, listed or not, with the reason."""
    scope = scope_for(user)
    if scope.agency_id is None:
        return []
    out: list[law.Proposal] = []
    for unit in _facts(scope.agency_id, None):
        out.extend(law.propose(unit, on=on))
    return out


# --- the workflow ------------------------------------------------------------------------------------------
def _lock(actor: Any, entry: DishonestyEntry, roles: tuple[str, ...]) -> DishonestyEntry:
    e = DishonestyEntry.objects.select_for_update(of=("self",)).select_related("owner_agency", "enterprise").get(pk=entry.pk)
    require_owner(actor, e, roles=roles, what="该严重失信主体名单事项")
    return e


def _state(e: DishonestyEntry, allowed: tuple[str, ...], what: str) -> None:
    if e.status not in allowed:
        names = "、".join(DishonestyStatus(s).label for s in allowed)
        raise DomainError(f"该事项当前为“{DishonestyStatus(e.status).label}”，不能{what}（须处于：{names}）。", code="bad_state")


def _text(value: str, field: str, label: str) -> str:
    if not (value or "").strip():
        raise ValidationFailed(f"请填写{label}。", fields={field: f"请填写{label}。"})
    return value.strip()


@transaction.atomic
def dishonesty_propose(*, actor: Any, enterprise: Enterprise, condition: str, on: dt.date, case: Case | None = None) -> DishonestyEntry:
    """拟列入: the engine must list the unit under ``condition`` on the agency's records. A ground
    the records do not show is asserted by naming the agency's decided case that established it."""
    scope = scope_for(actor)
    if not scope.has_role(*PROPOSE_ROLES) or scope.agency_id is None:
        raise PermissionRefused("您的角色无权提出列入严重失信主体名单。", code="role_refused")
    if enterprise.jurisdiction_id not in scope.jurisdiction_ids:
        raise NotFound()
    on = services._day(on, "on", "提出日期")
    try:
        cond = law.condition(condition)
    except Exception:
        raise ValidationFailed("请选择列入情形。", fields={"condition": "请选择列入情形。"}, article=law.RULE) from None
    extra: dict[int, list[tuple[str, str]]] = {}
    if case is not None:
        if case.owner_agency_id != scope.agency_id or case.enterprise_id != enterprise.pk or case.decided_on is None:
            raise ValidationFailed("所依据的案件须为本机关对该单位作出处罚决定的案件。", fields={"case": "请选择本机关对该单位已作出决定的案件。"}, article=ART_4)
        ref = (case.decision_document.number if case.decision_document_id and case.decision_document else "") or f"{case.title}（{case.decided_on:%Y年%-m月%-d日}决定）"
        extra[enterprise.pk] = [(cond.code, ref)]
    facts = _facts(scope.agency_id, [enterprise.pk], extra)
    proposals = [p for unit in facts for p in law.propose(unit, on=on) if p.condition.code == cond.code]
    if not proposals:
        raise DomainError(
            f"本机关的处罚记录未显示该单位存在“{cond.text}”的情形（谁处罚、谁决定，{ART_4}）；须以本机关作出的处罚决定为依据。",
            code="no_ground", article=cond.article,
        )  # fmt: skip
    p = proposals[0]
    if not p.listed:
        raise DomainError(p.reason, code="not_listed", article=cond.article)
    try:
        with transaction.atomic():
            e = DishonestyEntry.objects.create(
                jurisdiction_id=scope.jurisdiction_id or enterprise.jurisdiction_id, owner_agency_id=scope.agency_id, enterprise=enterprise,
                condition=cond.code, condition_text=cond.text[:300], article=cond.article[:300], refs=list(p.refs), reason=p.reason,
                proposed_by=actor, proposed_on=on,
            )  # fmt: skip
    except IntegrityError:
        raise DomainError("该单位已因同一情形拟列入或列入名单。", code="duplicate", article=cond.article) from None
    audit.record(actor=actor, action="dishonesty.propose", obj=e, after={"condition": e.condition, "refs": e.refs})
    return e


@transaction.atomic
def dishonesty_decide(*, actor: Any, entry: DishonestyEntry, approve: bool, on: dt.date, note: str = "") -> DishonestyEntry:
    """The agency head decides (11号 §4), not the person who proposed."""
    e = _lock(actor, entry, (Role.LEADER,))
    _state(e, (DishonestyStatus.PROPOSED,), "决定")
    on = services._day(on, "on", "决定日期", not_before=e.proposed_on, before_label="提出日期")
    require_other_person(e.proposed_by, actor, what="列入严重失信主体名单的提议", article=ART_4)
    staff = services._staff_of(actor)
    if not services._is_head(e.owner_agency_id, staff.pk, on):
        raise PermissionRefused(f"是否列入严重失信主体名单由{e.owner_agency.name}负责人决定；您在{on:%Y年%-m月%-d日}不是该机关的负责人。", code="not_head", article=ART_4)
    e.status = DishonestyStatus.DECIDED if approve else DishonestyStatus.REFUSED
    e.decided_by, e.decided_on, e.decision_note = staff, on, (note or "").strip()
    e.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    audit.record(actor=actor, action="dishonesty.decide", obj=e, after={"status": e.status, "note": e.decision_note})
    return e


@transaction.atomic
def dishonesty_notify(*, actor: Any, entry: DishonestyEntry, on: dt.date) -> DishonestyEntry:
    """告知 the unit before listing, and hear its statement (LEGAL.md §9, procedure)."""
    e = _lock(actor, entry, ACT_ROLES)
    _state(e, (DishonestyStatus.DECIDED,), "告知")
    e.notified_on = services._day(on, "on", "告知日期", not_before=e.decided_on, before_label="决定日期")
    e.status = DishonestyStatus.NOTIFIED
    e.save(update_fields=["notified_on", "status"])
    audit.record(actor=actor, action="dishonesty.notify", obj=e, after={"notified_on": e.notified_on})
    return e


@transaction.atomic
def dishonesty_statement(*, actor: Any, entry: DishonestyEntry, objection: str, review: str) -> DishonestyEntry:
    """The unit's statement or objection and its review (复核), both required before publication."""
    e = _lock(actor, entry, ACT_ROLES)
    _state(e, (DishonestyStatus.NOTIFIED,), "登记陈述申辩")
    e.objection, e.objection_review = _text(objection, "objection", "当事人的陈述申辩"), _text(review, "review", "复核意见")
    e.save(update_fields=["objection", "objection_review"])
    audit.record(actor=actor, action="dishonesty.statement", obj=e, after={"objection": e.objection[:200], "review": e.objection_review[:200]})
    return e


@transaction.atomic
def dishonesty_publish(*, actor: Any, entry: DishonestyEntry, on: dt.date) -> DishonestyEntry:
    """公布: after the notice; the period (3 years) and the earliest early removal are computed."""
    e = _lock(actor, entry, PUBLISH_ROLES)
    _state(e, (DishonestyStatus.NOTIFIED,), "公布")
    on = services._day(on, "on", "公布日期", not_before=e.notified_on, before_label="告知日期")
    period = law.listing_period(on)
    e.status, e.published_on, e.ends_on, e.early_removal_from = DishonestyStatus.PUBLISHED, on, period.ends_on, period.early_removal_from
    e.save(update_fields=["status", "published_on", "ends_on", "early_removal_from"])
    audit.record(actor=actor, action="dishonesty.publish", obj=e, after={"published_on": on, "ends_on": period.ends_on})
    return e


@transaction.atomic
def dishonesty_remove(*, actor: Any, entry: DishonestyEntry, on: dt.date, reason: str, early: bool = False, repair_reference: str = "") -> DishonestyEntry:
    """移出: when the period has run, or earlier on application with credit repair completed."""
    e = _lock(actor, entry, PUBLISH_ROLES)
    _state(e, (DishonestyStatus.PUBLISHED,), "移出")
    assert e.published_on is not None
    on = services._day(on, "on", "移出日期", not_before=e.published_on, before_label="公布日期")
    period = law.listing_period(e.published_on)
    ok, why = law.removal_allowed(period, on, early=early, repaired=bool((repair_reference or "").strip()))
    if not ok:
        raise DomainError(why, code="removal_refused", article=period.early_article)
    e.status, e.removed_on, e.removed_by = DishonestyStatus.REMOVED, on, actor
    e.removal_reason, e.early_removal, e.repair_reference = (reason or "").strip() or why, bool(early and on <= period.ends_on), (repair_reference or "").strip()[:200]
    e.save(update_fields=["status", "removed_on", "removed_by", "removal_reason", "early_removal", "repair_reference"])
    audit.record(actor=actor, action="dishonesty.remove", obj=e, after={"removed_on": on, "early": e.early_removal})
    return e


# --- reads and export --------------------------------------------------------------------------------------
def entry_list(*, user: Any, status: str = "") -> QuerySet[DishonestyEntry]:
    qs = DishonestyEntry.objects.for_user(user).select_related("enterprise", "owner_agency", "decided_by")
    if status in DishonestyStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_on", "-id")


def current_list(*, user: Any) -> QuerySet[DishonestyEntry]:
    return entry_list(user=user, status=DishonestyStatus.PUBLISHED).order_by("-published_on", "id")


EXPORT_HEADERS = ["单位名称", "统一社会信用代码", "列入情形", "依据", "所依据的事故或处罚决定", "决定机关", "决定日期", "公布日期", "公布期限届满日", "可申请提前移出日"]


def dishonesty_export(*, user: Any) -> bytes:
    """The current list as .xlsx for other departments (联合惩戒); every text cell through
    ``core.xlsx`` so that a unit named ``=HYPERLINK(…)`` stays text."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("严重失信主体名单")
    ws.append(xlsx.row(ws, EXPORT_HEADERS))
    rows = list(current_list(user=user))
    for e in rows:
        ws.append(xlsx.row(ws, [
            e.enterprise.name, e.enterprise.uscc or "", e.condition_text, e.article, "；".join(str(r) for r in e.refs),
            e.owner_agency.name, e.decided_on, e.published_on, e.ends_on, e.early_removal_from,
        ]))  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    scope = scope_for(user)
    audit.record_about(
        actor=user,
        action="dishonesty.export",
        object_type="cases.dishonestyentry",
        object_id="export",
        object_repr="严重失信主体名单导出",
        jurisdiction_id=scope.jurisdiction_id,
        after={"rows": len(rows)},
    )
    return buf.getvalue()
