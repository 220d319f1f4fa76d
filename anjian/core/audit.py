"""The one way to write an AuditEvent. Services call ``record`` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import Q

from anjian.core import audit_chain, context, crypto
from anjian.core.models import AuditEvent

# The catalogue of action codes (STYLE.md principle 4): code → Chinese label shown in the audit tab.
ACTIONS: dict[str, str] = {
    "enterprise.create": "新建企业",
    "enterprise.update": "修改企业信息",
    "enterprise.status": "变更申报经营状态",
    "enterprise.transfer": "辖区移交",
    "enterprise.import": "Excel导入",
    "enterprise.export": "导出台账Excel",
    "enterprise.delete": "删除企业（误录）",
    "enterprise.subject_assign": "指定年度计划执法主体",
    "enterprise.subject_end": "终止年度计划执法主体",
    "site.create": "新增经营场所",
    "site.update": "修改经营场所",
    "site.delete": "删除经营场所",
    "licence.create": "新增许可证",
    "licence.update": "修改许可证",
    "licence.delete": "删除许可证",
    "keyperson.create": "新增关键人员",
    "keyperson.update": "修改关键人员",
    "keyperson.delete": "删除关键人员",
    "hazardsource.create": "新增重大危险源",
    "hazardsource.update": "修改重大危险源",
    "hazardsource.delete": "删除重大危险源",
    "certificate.create": "登记执法证",
    "certificate.event": "执法证状态变更",
    "staff.create": "新增人员",
    "membership.create": "新增任职",
    "agency.head": "指定负责人",
    "agency.remedies": "设置行政复议机关和管辖法院",
    "audit.purge": "按保存期清理审计记录",
    "backup.create": "备份数据",
    "backup.restore": "从备份恢复数据",
    "demo.load": "生成演示数据",
    "pii.reveal": "查看完整个人信息",
    "pii.rotate": "个人信息密钥轮换",
}


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` as JSON-ready data (FKs as ids)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"search_text", "updated_at", "created_at", "version"} or isinstance(f, crypto.BlindIndexField):
            continue
        out[f.name] = jsonable(getattr(obj, f.attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    jurisdiction_id: int | None = None,
    object_type: str | None = None,
) -> AuditEvent:
    return record_about(
        actor=actor,
        action=action,
        object_type=object_type or obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj),
        jurisdiction_id=getattr(obj, "jurisdiction_id", None) if jurisdiction_id is None else jurisdiction_id,
        before=before,
        after=after,
        note=note,
    )


def record_about(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any,
    object_repr: str,
    jurisdiction_id: int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """An event about something that is not one row (an export of the ledger, say)."""
    event = build_event(
        actor=actor, action=action, object_type=object_type, object_id=object_id, object_repr=object_repr,
        jurisdiction_id=jurisdiction_id, before=before, after=after, note=note,
    )
    event.save(force_insert=True)
    audit_chain.seal_soon()
    return event


def actor_name(actor: Any) -> str:
    """The name an event shows: the staff member's, else the login name."""
    if actor is None:
        return ""
    staff = getattr(actor, "staff", None) if hasattr(actor, "staff") else None
    return getattr(staff, "name", "") or actor.get_username()


def build_event(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any,
    object_repr: str,
    jurisdiction_id: int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    name: str | None = None,
) -> AuditEvent:
    """An unsaved event with everything ``record`` writes, for callers that bulk-create many."""
    if action not in ACTIONS:
        raise KeyError(f"unknown audit action {action!r}: add it to ACTIONS")
    info = context.current()
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor_name(actor) if name is None else name,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        jurisdiction_id=jurisdiction_id,
        # Personal data encrypted at rest is not copied into the audit in the clear: masked
        # (370602********1234, 138****5678) under the names of the encrypted fields.
        before=crypto.mask_named(jsonable(before)) if before is not None else None,
        after=crypto.mask_named(jsonable(after)) if after is not None else None,
        note=note,
        request_id=info.request_id,
        source_ip=info.source_ip,
    )
    # Tamper evidence: the content HMAC now; the chain once the transaction that writes it commits.
    audit_chain.sign(event)
    if transaction.get_connection().in_atomic_block:
        audit_chain.seal_soon()
    return event


def visible(qs: models.QuerySet[AuditEvent], scope: Any) -> models.QuerySet[AuditEvent]:
    """The audit events a bureau's user may read: its own jurisdictions' trail and the system-wide
    events (calendar loads, overrides registered without an agency). Events about people (staff,
    memberships, certificates: ``org.*``) carry their agency's jurisdiction; one without it (written
    before they did) is not system-wide and is shown to no bureau but the superuser."""
    return qs.filter(Q(jurisdiction_id__in=sorted(scope.agency_jurisdiction_ids)) | (Q(jurisdiction__isnull=True) & ~Q(object_type__startswith="org.")))


def events_for(obj: models.Model, *, object_type: str | None = None) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type or obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")

ACTIONS.update(
    {
        "calendar.load": "载入节假日安排",
        "calendar.correct": "更正节假日安排",
        "legal.review_catalogue": "变更法制审核目录",
        "legal.collective_rule": "变更集体讨论规则",
        "rule.override": "登记法定规则覆盖",
    }
)

# The documents core (anjian.documents.services).
ACTIONS.update(
    {
        "document.issue": "签发文书",
        "document.service": "登记送达",
        "document.service_error": "送达记录标记为登记有误",
        "document.void": "作废文书",
        "document.reissue": "重新签发文书",
        "document.print": "批量打印或装订文书",
        "document.template_upload": "上传机关文书模板",
        "document.template_activate": "恢复机关文书模板版本",
        "document.template_reset": "恢复系统文书模板",
    }
)

ACTIONS.update(
    {
        "checklist.create": "编制检查表",
        "checklist.publish": "发布检查表",
        "checklist.import": "导入检查表",
        "inspection.create": "开始监督检查",
        "inspection.complete": "完成现场检查记录",
        "inspection.document": "签发现场检查记录",
        "inspection.correct_times": "更正检查起止时间",
        "finding.create": "登记检查问题",
        "evidence.add": "上传证据",
        "hazard.create": "登记隐患",
        "hazard.order": "下达责令限期整改指令书",
        "hazard.served": "指令书送达，整改期限起算",
        "hazard.service_corrected": "送达登记有误，整改期限撤回待重新起算",
        "hazard.reported": "登记整改完成报告",
        "hazard.extension_request": "申请延期整改",
        "hazard.extension_decide": "审批延期整改",
        "hazard.reinspect": "开始整改复查",
        "hazard.reinspect_result": "复查结论",
        "hazard.close": "隐患销号",
        "hazard.overdue": "逾期未整改",
        "hazard.supervise": "挂牌督办",
        "hazard.set_aside_request": "申请不予认定重大隐患",
        "hazard.set_aside": "审核不予认定重大隐患",
        "hazard.set_aside_withdraw": "撤回不予认定重大隐患的申请",
        "measure.decide": "决定现场处理措施",
        "measure.restart_apply": "申请恢复生产",
        "measure.restart_review": "恢复生产审查",
        "transfer.send": "移交执法队伍",
        "transfer.accept": "接收移交",
        "transfer.return": "退回移交",
        "institutional.create": "登记制度措施",
        "institutional.done": "制度措施完成",
    }
)

# Annual plans (anjian.planning.services, issue 13).
ACTIONS.update(
    {
        "planning.capacity": "填报计划力量测算",
        "planning.profile": "建立、修改或载入分级检查频次配置",
        "planning.relation": "申报利害关系（回避）",
        "planning.relation_end": "终止利害关系申报",
        "plan.generate": "生成年度监督检查计划",
        "plan.item": "调整计划检查单位",
        "plan.submit": "提交年度计划审批",
        "plan.return": "退回年度计划",
        "plan.approve": "批准年度计划",
        "plan.revise": "修订已批准的年度计划",
        "plan.file": "年度计划报上级备案",
        "plan.publish": "公布年度计划",
        "draw.commit": "公示双随机抽取条件",
        "draw.perform": "双随机抽取",
    }
)

# Penalty cases (anjian.cases.services): one code per transition; the timeline shows the label.
ACTIONS.update(
    {
        "accident.record": "登记生产安全事故",
        "case.open": "立案申请",
        "case.violation": "登记违法行为",
        "case.file": "立案审批",
        "case.officers": "指派承办人员",
        "case.propose": "提出拟处罚意见",
        "case.notice": "制作行政处罚告知书",
        "case.notice_served": "告知书送达",
        "case.defence": "陈述申辩",
        "case.defence_review": "复核陈述申辩",
        "case.waiver": "放弃陈述申辩声明",
        "case.hearing_request": "申请听证",
        "case.hearing_notice": "听证通知",
        "case.hearing_held": "听证结果",
        "case.legal_review": "法制审核",
        "case.collective": "集体讨论",
        "case.extension_request": "申请延长办案期限",
        "case.extension_decide": "审批延长办案期限",
        "case.decide": "作出行政处罚决定",
        "case.decision_served": "决定书送达",
        "case.payment": "罚款缴纳",
        "case.no_penalty": "不予行政处罚",
        "case.withdraw": "不予立案或撤销立案",
        "case.refer": "移送司法机关",
        "case.close": "结案",
        "case.deadline_recomputed": "期限重算与已告知日期不同",
        "case.summary": "当场作出行政处罚决定（简易程序）",
        "case.onsite_handover": "当场收缴罚款交至行政机关",
        "case.recusal_request": "申请回避",
        "case.recusal_decide": "决定回避",
    }
)
