"""The periodic returns (issue 11 item 5): the quarterly summary (季度小结) and the annual summary
(年终总结通报) of the city's supervision and enforcement.

The seed: "对市区两级检查企业数量、发现问题隐患数量、立案处罚数量等情况定期调度统计、及时通报，每季小结、年终
总结通报，通过调度通报、横向对比和效果评估，督促各区市从严监管". A return compares the bureaus (横向对比):

* **One row per bureau.** Each district's (zone's) bureau is a row: its own work, the records it owns
  (``owner_agency``), read from the rollups at the agency grain. The city bureau's own work is the
  row 市本级, which is not ranked. The city total reads the total grain, so a unit inspected by
  both a district and the city counts once in it (the total is therefore not the sum of the rows).
* **Rankings** among the district bureaus, for the lines with a direction (more inspections rank
  higher, fewer overdue hazards rank higher); equal figures share a rank (1, 2, 2, 4). A ratio
  without a denominator has no figure and no rank.
* **Changes** against the previous quarter (环比, quarterly returns) and the same period last year
  (同比): a count as a percentage, a ratio in percentage points; no change against nothing.
* **Completed periods only.** A summary is written after its period ends; the running quarter's
  figures are on the indicators page. Every figure of a completed period stands at its last day.
* **Who sees what.** The city bureau sees every row. A district bureau sees its own row and its
  rank among the districts ("第3名，共12个"), not the other districts' figures nor the city total.

Every figure links to the rows behind it (the drill-down at the bureau's cut), and the rollups are
brought up to date before a return is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from anjian.core.models import Jurisdiction
from anjian.org.models import Agency
from anjian.stats import indicators as reg
from anjian.stats import rollups
from anjian.stats.indicators import BadPeriod, Indicator, Period
from anjian.stats.indicators_access import reading_scope
from anjian.stats.rollups import Figure

RETURN_HELP = "季度小结请选择已结束的季度（如2026-Q3），年终通报请选择已结束的年度（如2025）。"


@dataclass(frozen=True)
class Line:
    """One line of the return: an indicator, the direction that ranks higher, its short heading."""

    key: str
    better: str  # "high", "low" or "" (not ranked)
    short: str

    @property
    def indicator(self) -> Indicator:
        return reg.REGISTRY[self.key]


# What the seed names first (检查企业数量、发现问题隐患数量、立案处罚数量), then the effect (整改).
LINES: tuple[Line, ...] = (
    Line("inspections", "high", "检查次数"),
    Line("units_inspected", "high", "检查单位数"),
    Line("key_unit_coverage", "high", "重点单位覆盖率"),
    Line("hazards_found", "high", "发现隐患"),
    Line("hazards_found_major", "high", "发现重大隐患"),
    Line("rectification_rate", "high", "隐患整改率"),
    Line("on_time_rate", "high", "按期整改率"),
    Line("hazards_overdue", "low", "逾期未整改"),
    Line("major_hazards_open", "low", "重大隐患未销号"),
    Line("onsite_measures", "", "现场处理措施"),
    Line("transfers_sent", "", "移交"),
    Line("cases_filed", "high", "立案"),
    Line("cases_decided", "high", "处罚决定"),
    Line("fines_decided", "high", "罚款金额"),
    Line("cases_referred", "", "移送司法机关"),
    Line("certified_share", "high", "执法人员持证率"),
    Line("safety_qualified_share", "high", "专业人员占比"),
)
BY_KEY = {line.key: line for line in LINES}


# ---- periods ---------------------------------------------------------------------------------------------


def _period(year: int, quarter: int | None) -> Period:
    code = f"{year}-Q{quarter}" if quarter else str(year)
    return reg.parse_period(code, today=dt.date(year + 1, 1, 1))


def parse_return_period(code: str | None, *, today: dt.date | None = None) -> Period:
    """A completed quarter (``2026-Q3``) or year (``2025``); anything else is a 400 with the rule."""
    today = today or timezone.localdate()
    period = reg.parse_period(code, today=today)
    if period.grain not in ("q", "y") or period.code.lower() == "ytd":
        raise BadPeriod(f"“{period.label}”不是季度或年度。" + RETURN_HELP, code="bad_return_period", fields={"period": RETURN_HELP})
    if period.end >= today:
        what = "季度小结" if period.grain == "q" else "年终总结通报"
        raise BadPeriod(
            f"{period.label}尚未结束（{period.end.month}月{period.end.day}日结束），{what}在期末后编制；本期进度请查看统计指标。",
            code="period_running",
            fields={"period": RETURN_HELP},
        )
    return period


def previous_of(period: Period) -> Period | None:
    """The quarter before (环比); an annual return compares with last year only (同比)."""
    if period.grain != "q":
        return None
    q = (period.start.month - 1) // 3 + 1
    return _period(period.start.year - 1, 4) if q == 1 else _period(period.start.year, q - 1)


def last_year_of(period: Period) -> Period:
    q = (period.start.month - 1) // 3 + 1
    return _period(period.start.year - 1, q if period.grain == "q" else None)


# ---- changes and ranks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    value: Decimal  # percent (a count) or percentage points (a ratio)
    text: str  # "增长12.5%", "下降3.0个百分点", "持平"


def change(ind: Indicator, now: Figure, then: Figure | None) -> Change | None:
    if then is None or now.value is None or then.value is None:
        return None
    cur, base = Decimal(now.value), Decimal(then.value)
    if ind.kind == "ratio":
        diff = (cur - base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        unit = "个百分点"
    else:
        if not base:
            return None  # no change against nothing
        diff = ((cur - base) * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        unit = "%"
    if not diff:
        return Change(diff, "持平")
    return Change(diff, f"{'增长' if diff > 0 else '下降'}{abs(diff)}{unit}")


def ranks(values: dict[int, Figure], better: str) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of the rows that have a figure."""
    if not better:
        return {}
    known = [(k, Decimal(f.value)) for k, f in values.items() if f.value is not None]
    out = {}
    for k, v in known:
        out[k] = 1 + sum(1 for _, w in known if (w > v if better == "high" else w < v))
    return out


# ---- the return ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    line: Line
    figure: Figure
    previous: Figure | None
    last_year: Figure
    rank: int | None
    drill: str

    @property
    def indicator(self) -> Indicator:
        return self.line.indicator

    @property
    def change_previous(self) -> Change | None:
        return change(self.indicator, self.figure, self.previous)

    @property
    def change_last_year(self) -> Change | None:
        return change(self.indicator, self.figure, self.last_year)


@dataclass
class Row:
    label: str  # 芝罘区, 市本级, 全市合计
    agency: Agency | None
    ranked: bool
    cells: list[Cell] = field(default_factory=list)

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.line.key == key)


@dataclass
class Return:
    period: Period
    previous: Period | None
    last_year: Period
    ranked_count: int  # how many district bureaus are ranked
    full: bool  # the city's view: every row and the total
    rows: list[Row]  # the district bureaus the reader may see (all for the city; its own otherwise)
    city_rows: list[Row]  # the city bureau's own work (市本级), not ranked; the city's view only
    total: Row | None
    city_name: str

    @property
    def kind_label(self) -> str:
        return "季度小结" if self.period.grain == "q" else "年终总结通报"

    @property
    def title(self) -> str:
        return f"{self.city_name}{self.period.label}安全生产监管执法工作{'情况小结' if self.period.grain == 'q' else '总结通报'}"


def city_of(scope_jurisdiction: Jurisdiction) -> Jurisdiction:
    j = scope_jurisdiction
    while j.kind != "city" and j.parent_id is not None:
        j = Jurisdiction.objects.get(pk=j.parent_id)
    return j


def _drill(line: Line, period: Period, agency: Agency | None) -> str:
    ind = line.indicator
    params = {"period": period.code}
    if agency is not None:
        params["agency"] = str(agency.pk)
    return reverse("stats-drill", args=[ind.numerator if ind.derived else ind.key]) + "?" + urlencode(params)


def build(user: Any, code: str | None, *, today: dt.date | None = None) -> Return:
    """The return of ``code`` as ``user`` may read it (BadPeriod 400; outside any scope 404)."""
    scope = reading_scope(user)
    period = parse_return_period(code, today=today)
    previous, last_year = previous_of(period), last_year_of(period)
    own = Jurisdiction.objects.get(pk=scope.jurisdiction_id)
    city = city_of(own)
    jurisdictions = [city.pk, *Jurisdiction.objects.filter(parent=city).values_list("pk", flat=True)]
    full = set(jurisdictions) <= set(scope.jurisdiction_ids)
    # Districts in code order, then the functional zones, as the city lists its bureaus.
    agencies = sorted(
        Agency.objects.filter(jurisdiction_id__in=jurisdictions).select_related("jurisdiction"), key=lambda a: (a.jurisdiction.kind == "zone", a.jurisdiction.code, a.pk)
    )
    inds = [line.indicator for line in LINES]

    rollups.refresh()
    figs = {p.code: rollups.by_agency(inds, p, p.end, jurisdictions=jurisdictions) for p in (period, last_year, *([previous] if previous else []))}
    empty = {ind.key: (Figure(None, 0, 0) if ind.derived else rollups.scaled(ind, 0)) for ind in inds}

    def fig(p: Period | None, key: str, agency: Agency | None) -> Figure | None:
        if p is None:
            return None
        total, per = figs[p.code]
        if agency is None:
            return total[key]
        return per[key].get(agency.pk, empty[key])

    district_agencies = [a for a in agencies if a.jurisdiction.kind != "city"]
    rank_of = {line.key: ranks({a.pk: fig(period, line.key, a) or empty[line.key] for a in district_agencies}, line.better) for line in LINES}

    def row(label: str, agency: Agency | None, ranked: bool) -> Row:
        r = Row(label=label, agency=agency, ranked=ranked)
        for line in LINES:
            current = fig(period, line.key, agency)
            assert current is not None
            r.cells.append(
                Cell(
                    line=line,
                    figure=current,
                    previous=fig(previous, line.key, agency),
                    last_year=fig(last_year, line.key, agency) or empty[line.key],
                    rank=rank_of[line.key].get(agency.pk) if ranked and agency else None,
                    drill=_drill(line, period, agency),
                )
            )
        return r

    visible = [a for a in district_agencies if full or a.jurisdiction_id in scope.jurisdiction_ids]
    rows = [row(a.jurisdiction.name, a, True) for a in visible]
    city_rows: list[Row] = []
    total = None
    if full:
        city_agencies = [a for a in agencies if a.jurisdiction.kind == "city"]
        city_rows = [row("市本级" if len(city_agencies) == 1 else f"市本级（{a.name}）", a, False) for a in city_agencies]
        total = row("全市合计", None, False)
    return Return(
        period=period,
        previous=previous,
        last_year=last_year,
        ranked_count=len(district_agencies),
        full=full,
        rows=rows,
        city_rows=city_rows,
        total=total,
        city_name=city.name,
    )


# ---- the workbook ---------------------------------------------------------------------------------------------


def _value(fig: Figure | None) -> Any:
    return None if fig is None or fig.value is None else fig.value


def workbook(ret: Return) -> bytes:
    """The return as .xlsx: the comparison of every bureau (the city's view) and one sheet per
    bureau with its figures, ranks and changes. Text goes through ``core.xlsx`` (no formulas)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from anjian.core import xlsx

    bold = Font(bold=True)
    wb = Workbook()
    wb.remove(wb.active)
    note = f"统计期间：{ret.period.label}（{ret.period.start:%Y-%m-%d}至{ret.period.end:%Y-%m-%d}）；排名为在{ret.ranked_count}个区市中的名次，市本级不参加排名。"
    if ret.full:
        ws = wb.create_sheet("各区市对比")
        ws.append(xlsx.row(ws, [ret.title], font=bold))
        ws.append(xlsx.row(ws, [note]))
        heads = ["区市"]
        for line in LINES:
            heads += [f"{line.indicator.name}（{line.indicator.unit}）", "排名"]
        ws.append(xlsx.row(ws, heads, font=bold))
        for r in [*ret.rows, *ret.city_rows, *([ret.total] if ret.total else [])]:
            values: list[Any] = [r.label]
            for c in r.cells:
                values += [_value(c.figure), c.rank]
            ws.append(xlsx.row(ws, values))
        ws.freeze_panes = "B4"
        ws.column_dimensions["A"].width = 20
    for r in ret.rows + (ret.city_rows + [ret.total] if ret.full and ret.total else []):
        ws = wb.create_sheet(r.label[:31])
        ws.append(xlsx.row(ws, [f"{ret.title}：{r.label}"], font=bold))
        ws.append(xlsx.row(ws, [note]))
        prev = f"上期（{ret.previous.label}）" if ret.previous else ""
        heads = ["指标", "单位", "本期", "排名", *([prev, "环比"] if ret.previous else []), f"去年同期（{ret.last_year.label}）", "同比"]
        ws.append(xlsx.row(ws, heads, font=bold))
        for c in r.cells:
            cp, cy = c.change_previous, c.change_last_year
            values = [c.indicator.name, c.indicator.unit, _value(c.figure), c.rank]
            if ret.previous:
                values += [_value(c.previous), cp.text if cp else "—"]
            values += [_value(c.last_year), cy.text if cy else "—"]
            ws.append(xlsx.row(ws, values))
        ws.column_dimensions["A"].width = 26
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def default_period(today: dt.date | None = None) -> str:
    """The last completed quarter."""
    today = today or timezone.localdate()
    q = (today.month - 1) // 3 + 1
    return f"{today.year - 1}-Q4" if q == 1 else f"{today.year}-Q{q - 1}"


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The last eight completed quarters and the last three completed years."""
    today = today or timezone.localdate()
    out = []
    y, q = today.year, (today.month - 1) // 3 + 1
    for _ in range(8):
        y, q = (y - 1, 4) if q == 1 else (y, q - 1)
        out.append((f"{y}-Q{q}", f"{y}年第{'一二三四'[q - 1]}季度（季度小结）"))
    out += [(str(today.year - i), f"{today.year - i}年（年终总结通报）") for i in (1, 2, 3)]
    return out
