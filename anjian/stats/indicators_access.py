"""Who may read which figures, and the request's indicator, period and cuts (shared by the pages
and the API of the indicators).

Jurisdiction scopes reads (ARCHITECTURE.md rule 4): a district bureau reads its own jurisdiction,
the city bureau the whole city. A district, agency outside the scope is 404 like any record; an
unknown period, a future one or a malformed value is 400 with a Chinese message. A user who holds
only the separated administrator roles (三员分立) reads no business figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from anjian.core.errors import NotFound, PermissionRefused
from anjian.core.ids import parse_id
from anjian.core.models import Jurisdiction
from anjian.core.scoping import Scope, scope_for
from anjian.enterprises.models import Sector, SectorGroup
from anjian.org.models import Agency, Staff
from anjian.stats import indicators as reg
from anjian.stats.indicators import BadPeriod, Indicator, Period

BY_CHOICES = ("district", "agency", "sector", "group", "month")
BY_LABELS = {"district": "辖区", "agency": "机关", "sector": "行业", "group": "行业大类", "month": "月份"}


def reading_scope(user: Any) -> Scope:
    scope = scope_for(user)
    if scope.is_member and not scope.reads_business:  # 三员分立 (core/scoping.py)
        raise PermissionRefused("系统管理员、安全管理员和审计管理员不查阅业务统计数据（三员分立）。", code="admin_only")
    if not scope.jurisdiction_ids:
        raise NotFound()
    return scope


@dataclass
class Query:
    indicator: Indicator
    period: Period
    as_of: dt.date
    jurisdictions: list[int]
    district: Jurisdiction | None = None
    agency: Agency | None = None
    sector: Sector | None = None
    group: SectorGroup | None = None  # a sector group given as ``sector=`` (hazchem, mine, industry)
    by: str = ""

    @property
    def sector_code(self) -> str | None:
        return self.sector.code if self.sector else self.group.code if self.group else None

    @property
    def sector_label(self) -> str:
        return str(self.sector) if self.sector else self.group.name if self.group else ""

    def params(self, **override: Any) -> dict[str, str]:
        """The query string of this query (for the drill-down links), with ``override`` applied."""
        out = {"period": self.period.code}
        if self.district:
            out["district"] = str(self.district.pk)
        if self.agency:
            out["agency"] = str(self.agency.pk)
        if self.sector_code:
            out["sector"] = self.sector_code
        out.update({k: str(v) for k, v in override.items() if v is not None})
        return out


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return str(value).strip()[:64] if value is not None else ""


def parse_query(user: Any, key: str, params: Mapping[str, Any], *, today: dt.date | None = None) -> Query:
    scope = reading_scope(user)
    ind = reg.get(key)
    today = today or timezone.localdate()
    period = reg.parse_period(_text(params, "period"), today=today)
    by = _text(params, "by")
    if by and by not in BY_CHOICES:
        raise BadPeriod(f"无法按“{by}”分组：可按辖区（district）、机关（agency）、行业（sector）或月份（month）。", code="bad_by", fields={"by": "分组方式有误。"})
    if by and by not in ind.cuts:
        raise BadPeriod(f"“{ind.name}”不按{BY_LABELS[by]}分组统计。", code="bad_by", fields={"by": "该指标不支持此分组。"})
    q = Query(indicator=ind, period=period, as_of=period.end_on(today), jurisdictions=sorted(scope.jurisdiction_ids), by=by)
    if raw := _text(params, "district"):
        pk = parse_id(raw)
        if pk is None:
            raise BadPeriod("辖区编号有误。", code="bad_district", fields={"district": "应为有效的辖区编号。"})
        if pk not in scope.jurisdiction_ids:
            raise NotFound()
        q.district = Jurisdiction.objects.get(pk=pk)
        q.jurisdictions = [pk]
    if raw := _text(params, "agency"):
        pk = parse_id(raw)
        if pk is None:
            raise BadPeriod("机关编号有误。", code="bad_agency", fields={"agency": "应为有效的机关编号。"})
        agency = Agency.objects.filter(pk=pk, jurisdiction_id__in=scope.jurisdiction_ids).first()
        if agency is None:
            raise NotFound()
        q.agency = agency
    if raw := _text(params, "sector"):
        if "sector" not in ind.cuts:
            raise BadPeriod(f"“{ind.name}”不按行业统计。", code="bad_sector", fields={"sector": "该指标不按行业统计。"})
        q.sector = Sector.objects.select_related("group").filter(code=raw).first()
        q.group = None if q.sector else SectorGroup.objects.filter(code=raw).first()
        if q.sector is None and q.group is None:
            raise BadPeriod(f"没有代码为“{raw}”的监管行业或行业大类。", code="bad_sector", fields={"sector": "行业代码有误。"})
    return q


def drill_rows(q: Query) -> QuerySet[Any]:
    """The rows behind the figure of ``q``: the same definition as the figure, the same cuts."""
    ind = q.indicator
    if ind.derived:
        raise BadPeriod(
            f"“{ind.name}”是由“{reg.REGISTRY[ind.numerator].name}”和“{reg.REGISTRY[ind.denominator].name}”计算的比率，请分别查看其明细。",
            code="derived", fields={"indicator": "派生指标没有单独的明细。"},
        )  # fmt: skip
    if ind.kind == "staff":
        members: set[int] = set()
        for (jur, agency), ids in reg.staff_on([q.as_of]).members(ind.key, q.as_of).items():
            if jur in q.jurisdictions and (q.agency is None or agency == q.agency.pk):
                members |= ids
        return Staff.objects.filter(pk__in=sorted(members)).order_by("name", "id")
    src = ind.source
    assert src is not None
    qs = ind.period_rows(q.period.start, q.as_of)
    if ind.kind == "state":
        qs = reg.valid_state(ind, qs)
    qs = qs.filter(**{f"{src.jurisdiction}__in": q.jurisdictions})
    if q.agency is not None:
        qs = qs.filter(**{src.agency: q.agency.pk})
    if q.sector is not None:
        qs = qs.filter(**{src.sectors: q.sector.code})
    elif q.group is not None:
        # Through the sector link: a unit with two sectors of the group would come twice.
        qs = qs.filter(pk__in=qs.model.objects.filter(**{src.groups: q.group.code}).values("pk"))
    if ind.kind == "distinct":
        qs = ind.distinct_rows(qs)
    return qs.select_related(*src.related())


def describe_row(q: Query, obj: Any) -> dict[str, Any]:
    """One row of a drill-down list, the same on the page and in the API."""
    from django.urls import reverse

    from anjian.cases.models import Case, Payment
    from anjian.enterprises.models import Enterprise
    from anjian.hazards.models import Hazard, Measure, Transfer
    from anjian.inspections.models import Inspection

    row: dict[str, Any] = {"id": obj.pk, "date": None, "enterprise": "", "enterprise_id": None, "jurisdiction": "", "text": "", "value": None, "url": ""}
    if isinstance(obj, Staff):
        row.update(enterprise="", text=obj.name, url=reverse("org:staff_detail", args=[obj.pk]))
        return row
    if isinstance(obj, Payment):
        c = obj.case
        row.update(
            date=obj.paid_on, enterprise=c.enterprise.name if c.enterprise else c.person_name, enterprise_id=c.enterprise_id, jurisdiction=c.jurisdiction.name,
            text=f"{c.title}：缴纳罚款{obj.fine}元（凭证{obj.receipt_no}）", value=obj.fine, url=reverse("cases:detail", args=[c.pk]),
        )  # fmt: skip
        return row
    if isinstance(obj, Case):
        day = getattr(obj, q.indicator.date, None) if q.indicator.date else None
        fine = f"，罚款{obj.fine_total}元" if obj.fine_total is not None else ""
        row.update(
            date=day, enterprise=obj.enterprise.name if obj.enterprise else obj.person_name, enterprise_id=obj.enterprise_id, jurisdiction=obj.jurisdiction.name,
            text=f"{obj.title}（{obj.get_status_display()}{fine}）", url=reverse("cases:detail", args=[obj.pk]),
            value=obj.fine_total if q.indicator.kind == "sum" else None,
        )  # fmt: skip
        return row
    ent = obj if isinstance(obj, Enterprise) else obj.enterprise
    row.update(enterprise=ent.name, enterprise_id=ent.pk, jurisdiction=obj.jurisdiction.name)
    if isinstance(obj, Inspection):
        row.update(date=obj.inspected_on, text=f"{obj.get_type_display()}（{obj.get_status_display()}）", url=reverse("inspections:detail", args=[obj.pk]))
    elif isinstance(obj, Hazard):
        closed = f"，{obj.closed_on:%Y-%m-%d}销号" if obj.closed_on else ""
        overdue = f"，{obj.overdue_since:%Y-%m-%d}起逾期" if obj.overdue_since else ""
        row.update(
            date=obj.found_on,
            text=f"{obj.get_severity_display()}：{obj.description[:60]}（{obj.get_status_display()}{overdue}{closed}）",
            url=reverse("hazards:detail", args=[obj.pk]),
        )
    elif isinstance(obj, Measure):
        row.update(
            date=obj.decided_on, text=f"{obj.get_measure_type_display()}（{obj.get_scope_display()}，{obj.get_status_display()}）", url=reverse("hazards:measure", args=[obj.pk])
        )
    elif isinstance(obj, Transfer):
        sent = timezone.localtime(obj.sent_at).date()
        text = obj.get_status_display()
        if obj.decided_at is not None:
            decided = timezone.localtime(obj.decided_at).date()
            text += f"，{decided:%Y-%m-%d}处理"
            if q.indicator.kind == "sum" and q.indicator.value is not None:
                row["value"] = q.indicator.value({"sent_day": sent, "decided_day": decided})
        row.update(date=sent, text=text, url=reverse("hazards:transfer_detail", args=[obj.pk]))
    elif isinstance(obj, Enterprise):
        row.update(date=timezone.localtime(obj.created_at).date(), text=obj.get_declared_status_display(), url=reverse("enterprises:detail", args=[obj.pk]))
    return row
