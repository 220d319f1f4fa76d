"""Penalties that are measures (issue 9 item 6): a decision ordering suspension for rectification
(责令停产停业整顿) or suspending or revoking a licence (暂扣、吊销许可证件; 行政处罚法第九条第三项、
第五项) takes effect on the unit: a ``hazards.Measure`` of kind penalty (the ledger's operating
status follows from active measures, ARCHITECTURE.md "Measures"; nothing sets 停产整顿 by hand),
and the unit's licence records through ``enterprises.services.licence_penalty_status``.

The licences concerned: the penalties of the catalogue are those of 安全生产法 and 安全生产许可证
条例, so the unit's 安全生产许可证 (``LicenceKind.SAFETY_PRODUCTION``) that are still in force
(valid; for a revocation also suspended). A unit without one in the ledger is said so on the step.
Called by ``services.decision_make`` inside its transaction; returns the text for the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from anjian.cases.models import Case, CaseViolation
from anjian.core import audit
from anjian.enterprises import services as enterprise_services
from anjian.enterprises.choices import LicenceKind, LicenceStatus
from anjian.enterprises.models import Enterprise, Licence
from anjian.hazards.choices import MeasureKind, MeasureScope, MeasureType
from anjian.hazards.models import Measure
from anjian.law.catalogue import default_catalogue
from anjian.law.errors import LawError
from anjian.law.procedure import PenaltyKind

XZCF_9: Final = "《中华人民共和国行政处罚法》第九条"
STOPPING: Final = (PenaltyKind.ORDER_STOP, PenaltyKind.LICENCE_SUSPENSION, PenaltyKind.LICENCE_REVOCATION)

audit.ACTIONS.update({"measure.penalty": "行政处罚决定停产停业整顿或者暂扣、吊销许可证"})


def _citations(violations: Sequence[CaseViolation], on: dt.date) -> str:
    cat = default_catalogue()
    out: list[str] = []
    for v in violations:
        try:
            text = cat.violation(v.violation_id, v.act_date).citation
        except LawError:
            text = v.violation_id
        if text not in out:
            out.append(text)
    return "；".join(out)


def apply_decision_measures(*, actor: Any, case: Case, violations: Sequence[CaseViolation], decided_on: dt.date) -> str:
    """Create the penalty measure and update the licences; the text for the decision's step."""
    kinds = {PenaltyKind(k) for v in violations for k in v.other_kinds}
    stopping = [k for k in STOPPING if k in kinds]
    if not stopping or case.enterprise_id is None or case.party_type != "unit":
        return ""
    labels = "、".join(k.label for k in stopping)
    concerned = [v for v in violations if set(v.other_kinds) & {k.value for k in stopping}]
    basis = f"{_citations(concerned, decided_on)}；{XZCF_9}"[:200]
    m = Measure.objects.create(
        # The unit's jurisdiction (as an on-site measure's), decided by the case's agency.
        jurisdiction_id=Enterprise.objects.values_list("jurisdiction_id", flat=True).get(pk=case.enterprise_id), owner_agency_id=case.owner_agency_id, enterprise_id=case.enterprise_id, hazard_id=case.hazard_id,
        kind=MeasureKind.PENALTY, measure_type=MeasureType.SUSPEND, scope=MeasureScope.UNIT, scope_detail=f"行政处罚：{labels}"[:300],
        legal_basis=basis, reason=f"行政处罚决定（{case.title}，{decided_on:%Y年%-m月%-d日}）：{labels}", decided_on=decided_on, created_by=actor,
    )  # fmt: skip
    audit.record(actor=actor, action="measure.penalty", obj=m, after={"case": case.pk, "kinds": [k.value for k in stopping]}, note=labels)
    parts = [f"已登记行政处罚措施（{labels}），单位经营状态为“停产整顿（措施）”，经复产审查批准后解除"]
    licence_status = LicenceStatus.REVOKED if PenaltyKind.LICENCE_REVOCATION in kinds else LicenceStatus.SUSPENDED if PenaltyKind.LICENCE_SUSPENSION in kinds else None
    if licence_status is not None:
        current = [LicenceStatus.VALID] + ([LicenceStatus.SUSPENDED] if licence_status == LicenceStatus.REVOKED else [])
        licences = list(Licence.objects.filter(enterprise_id=case.enterprise_id, kind=LicenceKind.SAFETY_PRODUCTION, status__in=current).order_by("id"))
        for lic in licences:
            enterprise_services.licence_penalty_status(actor=actor, licence=lic, status=licence_status, effective_date=decided_on, reason=f"行政处罚决定（{case.title}）")
        if licences:
            parts.append(f"{LicenceStatus(licence_status).label}许可证：" + "、".join(f"{lic.get_kind_display()}（{lic.number}）" for lic in licences))
        else:
            parts.append(f"台账中没有可{LicenceStatus(licence_status).label}的安全生产许可证记录，请核实并在台账中登记")
    return "；".join(parts) + "。"
