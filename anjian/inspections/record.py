"""What the 现场检查记录 says about an inspection, written once for the issued record (``hazards``
issues it) and the printed sheet signed on paper (``views.inspection_print``), so the two agree.

AQSCF §68: the record states the time, the place, what was checked, the problems found and how
they were handled. Reads only.
"""

from __future__ import annotations

from typing import Any

from anjian.inspections.choices import InspectionType, ItemResult
from anjian.inspections.models import Inspection


def record_place(insp: Inspection) -> str:
    """检查地点: the place inspected as the officer entered it, with the site's name."""
    place = insp.place.strip()
    if insp.site is not None and insp.site.name and insp.site.name not in place:
        return f"{insp.site.name}（{place}）" if place else insp.site.name
    return place


def record_content(insp: Inspection) -> str:
    """检查内容: what was checked — the checklists and how many items, with their results."""
    counts = {r: 0 for r in ItemResult.values}
    for result in insp.items.values_list("result", flat=True):
        counts[result] += 1
    compliant, noncompliant, na = counts[ItemResult.COMPLIANT], counts[ItemResult.NONCOMPLIANT], counts[ItemResult.NOT_APPLICABLE]
    lists = "、".join(f"《{t.name}》（第{t.version}版）" for t in insp.templates.order_by("kind", "code"))
    if insp.type == InspectionType.REINSPECTION:
        what = "对责令限期整改隐患的整改情况进行复查"
    elif lists:
        what = f"依据{lists}进行检查"
    else:
        what = "进行检查"
    return f"{what}，共检查{compliant + noncompliant + na}项，其中符合{compliant}项、不符合{noncompliant}项、不适用{na}项。"


def record_findings(insp: Inspection) -> list[dict[str, Any]]:
    """检查发现的问题 with 所在部位: the location of the hazard registered from the problem, else
    the place inspected (never the unit's address)."""
    place = record_place(insp)
    out = []
    for f in insp.findings.prefetch_related("hazards").order_by("id"):
        locations = dict.fromkeys(h.location for h in f.hazards.all() if h.location)  # type: ignore[attr-defined]
        out.append({"text": f.description, "basis": f.legal_basis, "location": "、".join(locations) or place})
    return out


def record_situation(insp: Inspection, findings: list[dict[str, Any]]) -> str:
    """检查情况: what the officer wrote, else the count of problems found (listed below it)."""
    if insp.summary.strip():
        return insp.summary.strip()
    if findings:
        return f"检查发现问题{len(findings)}项，见下表。"
    return "未发现安全生产违法行为和事故隐患。"
