"""调度统计看板 (issue 11 item 4): trends by month, the district comparison, the hazard funnel,
major hazards open at each month end and the case pipeline, for a period.

Every figure is read from the daily rollups through the indicators' access module (the same
``parse_query`` and ``rollups.figures`` as the API, so the page's numbers equal the API's), and
every number and chart element carries the drill-down link of the list behind it. A district
bureau sees its own figures and its rank among the districts, never another district's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anjian.core.choices import JurisdictionKind
from anjian.core.errors import PermissionRefused
from anjian.core.models import Jurisdiction
from anjian.stats import rollups
from anjian.stats.api_indicators import drill_url, figure_data, group_rows
from anjian.stats.indicators import BadPeriod
from anjian.stats.indicators_access import Query, parse_query, reading_scope
from anjian.stats.rollups import Figure
from anjian.stats.views_indicators import _refused

# The headline figures of the period.
KPIS = ("inspections", "units_inspected", "hazards_found", "hazards_rectified", "rectification_rate", "hazards_overdue", "major_hazards_open", "cases_filed", "cases_decided")
# Trends by month over the period's year.
TRENDS = ("inspections", "hazards_found", "hazards_rectified")
# The district comparison: (indicator, whether a higher figure ranks first).
COMPARE = (("inspections", True), ("units_inspected", True), ("hazards_found", True), ("rectification_rate", True), ("hazards_overdue", False))
# The hazard funnel: the hazards found in the period, and how many of them reached each stage by its end.
FUNNEL = (
    ("hazards_found", "发现隐患"),
    ("hazards_found_ordered", "责令限期整改"),
    ("hazards_found_reported", "报告整改完成"),
    ("hazards_found_rectified", "复查合格销号"),
)
CASES = ("cases_filed", "cases_decided")


def _shown(fig: Figure) -> Any:
    return figure_data(fig)["value"]


def _figure(q: Query) -> tuple[Figure, dict[Any, Figure]]:
    return rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=q.jurisdictions, by=q.by)


def _by_month(q: Query) -> dict[str, Any]:
    _, groups = _figure(q)
    rows = group_rows(q, groups)
    return {
        "key": q.indicator.key,
        "name": q.indicator.name,
        "unit": q.indicator.unit,
        "labels": [r["label"] for r in rows],
        "values": [r["value"] for r in rows],
        "drills": [r["drill"] for r in rows],
        "points": [{"label": r["label"], "value": r["value"], "drill": r["drill"]} for r in rows],
    }


def _rank(values: Mapping[int, Figure], own: int, higher_first: bool) -> int:
    """Competition ranking (1, 2, 2, 4); a figure that cannot be computed (a ratio over 0) ranks last."""

    def score(fig: Figure) -> float:
        if fig.value is None:
            return float("-inf")
        return float(fig.value) if higher_first else -float(fig.value)

    mine = score(values[own])
    return 1 + sum(1 for k, f in values.items() if k != own and score(f) > mine)


def _comparison(user: Any, params: dict[str, str], today: dt.date | None, base: Query) -> dict[str, Any]:
    jurs = {j.pk: j for j in Jurisdiction.objects.filter(pk__in=base.jurisdictions)}
    single = len(base.jurisdictions) == 1
    own = jurs[base.jurisdictions[0]] if single else None
    # The peers a district ranks among: the districts and zones under the same city (a district
    # user's rank reads their figures, and shows none of them).
    if own is not None:
        peers = (
            list(Jurisdiction.objects.filter(parent_id=own.parent_id).exclude(kind=JurisdictionKind.CITY).values_list("pk", flat=True)) if own.kind != JurisdictionKind.CITY else []
        )
    else:
        peers = [pk for pk, j in jurs.items() if j.kind != JurisdictionKind.CITY]
    out: dict[str, Any] = {"single": single, "own": own.name if own else "", "peers": len(peers), "indicators": []}
    for key, higher_first in COMPARE:
        q = parse_query(user, key, {**params, "by": "" if single else "district"}, today=today)
        total, groups = _figure(q)
        item: dict[str, Any] = {"key": key, "name": q.indicator.name, "unit": q.indicator.unit, "order": "从高到低" if higher_first else "从低到高"}
        if own is not None:
            rank = None
            if own.pk in peers:
                _, peer_figs = rollups.figures(q.indicator, q.period, q.as_of, jurisdictions=peers, by="district")
                zero = Figure(None, 0, 0) if q.indicator.derived else Figure(0)
                rank = _rank({pk: peer_figs.get(pk) or zero for pk in peers}, own.pk, higher_first)
            item.update(value=_shown(total), drill=drill_url(q), rank=rank)
        else:
            rows = group_rows(q, groups)
            figs = {r["key"]: Figure(r["value"]) for r in rows}
            for r in rows:
                r["rank"] = _rank({pk: figs[pk] for pk in peers}, r["key"], higher_first) if r["key"] in peers else None
            item.update(value=_shown(total), drill=drill_url(q), rows=rows)
        out["indicators"].append(item)
    if own is None:  # the city's table: one row per jurisdiction, one cell per indicator
        first = out["indicators"][0]["rows"]
        out["table"] = [{"key": r["key"], "label": r["label"], "cells": [i["rows"][n] for i in out["indicators"]]} for n, r in enumerate(first)]
    return out


def build(user: Any, params: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the page shows; raises BadPeriod (400), PermissionRefused (403), NotFound (404)."""
    reading_scope(user)
    asked = {"period": str(params.get("period") or "ytd")}
    if params.get("district"):
        asked["district"] = str(params["district"])
    base = parse_query(user, "inspections", asked, today=today)
    rollups.refresh()
    year = {**asked, "period": str(base.period.start.year)}

    def one(key: str, **over: str) -> Query:
        return parse_query(user, key, {**asked, **over}, today=today)

    kpis = []
    for key in KPIS:
        q = one(key)
        total, _ = _figure(q)
        kpis.append({"key": key, "name": q.indicator.name, "unit": q.indicator.unit, "value": _shown(total), "drill": drill_url(q)})
    funnel = []
    for key, stage in FUNNEL:
        q = one(key)
        total, _ = _figure(q)
        funnel.append({"key": key, "stage": stage, "name": q.indicator.name, "value": _shown(total), "drill": drill_url(q)})
    year_q = [parse_query(user, key, {**year, "by": "month"}, today=today) for key in (*TRENDS, "major_hazards_open", *CASES)]
    by_month = [_by_month(q) for q in year_q]
    return {
        "period": base.period,
        "as_of": base.as_of,
        "year": base.period.start.year,
        "year_as_of": year_q[0].as_of,
        "district": base.district,
        "params": asked,
        "kpis": kpis,
        "trends": by_month[: len(TRENDS)],
        "major_open": by_month[len(TRENDS)],
        "cases": by_month[len(TRENDS) + 1 :],
        "funnel": funnel,
        "comparison": _comparison(user, asked, today, base),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        data = build(request.user, request.GET)
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    chart = {
        "trends": data["trends"],
        "major_open": data["major_open"],
        "cases": data["cases"],
        "funnel": data["funnel"],
        "comparison": data["comparison"],
    }
    return render(request, "stats/dashboard.html", {**data, "chart": chart})


@login_required
@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures as .xlsx (issue 11 item 7): one sheet per chart, the numbers of its data table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from anjian.core import xlsx

    try:
        data = build(request.user, request.GET)
    except (BadPeriod, PermissionRefused) as exc:
        return _refused(request, exc)
    bold = Font(bold=True)
    wb = Workbook(write_only=True)
    title = f"调度统计看板：{data['period'].label}（截至{data['as_of']:%Y-%m-%d}）" + (f"，{data['district'].name}" if data["district"] else "")
    ws = wb.create_sheet("主要数字")
    ws.append(xlsx.row(ws, [title], font=bold))
    ws.append(xlsx.row(ws, ["指标", "数值", "单位"], font=bold))
    for k in data["kpis"]:
        ws.append(xlsx.row(ws, [k["name"], k["value"], k["unit"]]))
    for sheet, series in (("月度趋势", data["trends"]), ("行政处罚案件", data["cases"]), ("未销号重大隐患", [data["major_open"]])):
        ws = wb.create_sheet(sheet)
        ws.append(xlsx.row(ws, [f"{sheet}（{data['year']}年）"], font=bold))
        ws.append(xlsx.row(ws, ["指标", *(series[0]["labels"] if series else [])], font=bold))
        for s in series:
            ws.append(xlsx.row(ws, [s["name"], *s["values"]]))
    ws = wb.create_sheet("隐患治理漏斗")
    ws.append(xlsx.row(ws, ["环节", "指标", "数值"], font=bold))
    for f in data["funnel"]:
        ws.append(xlsx.row(ws, [f["stage"], f["name"], f["value"]]))
    comparison = data["comparison"]
    ws = wb.create_sheet("辖区对比")
    if comparison.get("table"):
        ws.append(xlsx.row(ws, ["辖区", *(f"{i['name']}（{i['order']}排名）" for i in comparison["indicators"])], font=bold))
        for row in comparison["table"]:
            ws.append(xlsx.row(ws, [row["label"], *(f"{c['value'] if c['value'] is not None else '—'}（第{c['rank']}）" if c.get("rank") else c["value"] for c in row["cells"])]))
    else:  # a district sees its own figures and ranks only
        ws.append(xlsx.row(ws, ["指标", comparison.get("own") or "本辖区", "排名"], font=bold))
        for i in comparison["indicators"]:
            ws.append(xlsx.row(ws, [i["name"], i.get("value"), f"第{i['rank']}（共{comparison['peers']}个）" if i.get("rank") else "—"]))
    return xlsx.download(wb, f"调度统计看板-{data['period'].code}.xlsx")
