"""The periodic returns (issue 11 item 5): the quarterly summary of the small city of
test_indicators.py, read on 5 October 2026 (the third quarter has ended; nothing happened after
20 September). Worked out by hand from that story, per bureau (owner agency):

* inspections in Q3: 芝罘 4 (5 Jul, 14 Jul re-inspection, 20 Jul, 10 Aug), 福山 1 (2 Sep), the city
  bureau 1 (12 Aug, e4), the zone 0; in Q2 芝罘 1 (20 Jun) and nobody else;
* overdue at 30 Sep: h4 (福山); open major hazards: h2 (芝罘);
* a case filed by 芝罘 (28 Aug).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.inspections.conftest import calendar, officers  # noqa: F401
from tests.stats.test_indicators import CITY_Q3, SH, city  # noqa: F401

READ_ON = dt.datetime(2026, 10, 5, 10, 0, tzinfo=SH)
Q3 = "2026-Q3"


@pytest.fixture
def after_q3(city: Any) -> Any:  # noqa: F811
    city["traveller"].move_to(READ_ON)
    return city


def _build(user: Any, code: str = Q3) -> Any:
    from anjian.stats import returns

    return returns.build(user, code)


# ---- periods ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,code_word",
    [
        ("2026-Q4", "period_running"),  # the running quarter
        ("2026", "period_running"),  # the running year
        ("2026-09", "bad_return_period"),  # a month
        ("ytd", "bad_return_period"),
        ("2026-Q5", "bad_period"),
        ("abc", "bad_period"),
        ("", "bad_period"),
        ("2027-Q1", "bad_period"),  # the future
    ],
)
def test_only_completed_quarters_and_years(code: str, code_word: str) -> None:
    from anjian.stats.indicators import BadPeriod
    from anjian.stats.returns import parse_return_period

    with pytest.raises(BadPeriod) as exc:
        parse_return_period(code, today=dt.date(2026, 10, 5))
    assert exc.value.code == code_word
    assert exc.value.http_status == 400


def test_previous_period_and_same_period_last_year() -> None:
    from anjian.stats.returns import last_year_of, parse_return_period, previous_of

    today = dt.date(2026, 10, 5)
    q1 = parse_return_period("2026-Q1", today=today)
    assert (previous_of(q1).code, last_year_of(q1).code) == ("2025-Q4", "2025-Q1")  # type: ignore[union-attr]
    q3 = parse_return_period("2026-Q3", today=today)
    assert (previous_of(q3).code, last_year_of(q3).code) == ("2026-Q2", "2025-Q3")  # type: ignore[union-attr]
    y = parse_return_period("2025", today=today)
    assert previous_of(y) is None and last_year_of(y).code == "2024"


def test_changes_and_ranks() -> None:
    from anjian.stats import indicators as reg
    from anjian.stats.returns import change, ranks
    from anjian.stats.rollups import Figure

    count, ratio = reg.REGISTRY["inspections"], reg.REGISTRY["rectification_rate"]
    assert change(count, Figure(4), Figure(1)).text == "增长300.0%"  # type: ignore[union-attr]
    assert change(count, Figure(1), Figure(4)).text == "下降75.0%"  # type: ignore[union-attr]
    assert change(count, Figure(3), Figure(3)).text == "持平"  # type: ignore[union-attr]
    assert change(count, Figure(3), Figure(0)) is None  # no change against nothing
    assert change(ratio, Figure(Decimal("60.0")), Figure(Decimal("50.0"))).text == "增长10.0个百分点"  # type: ignore[union-attr]
    assert change(ratio, Figure(None), Figure(Decimal("50.0"))) is None
    figs = {1: Figure(5), 2: Figure(9), 3: Figure(9), 4: Figure(0), 5: Figure(None)}
    assert ranks(figs, "high") == {2: 1, 3: 1, 1: 3, 4: 4}  # shared ranks; no figure, no rank
    assert ranks(figs, "low") == {4: 1, 1: 2, 2: 3, 3: 3}
    assert ranks(figs, "") == {}


# ---- the return ---------------------------------------------------------------------------------------------


def test_city_return_rows_ranks_and_changes(after_q3: Any) -> None:
    w = after_q3["world"]
    ret = _build(w.user("leader_city"))
    assert ret.full and ret.ranked_count == 3
    by = {r.label: r for r in ret.rows}
    assert list(by) == [w.district_a.name, w.district_b.name, w.zone.name]  # districts in code order, then zones
    a, b, z = by[w.district_a.name], by[w.district_b.name], by[w.zone.name]
    assert [r.cell("inspections").figure.value for r in (a, b, z)] == [4, 1, 0]
    assert [r.cell("inspections").rank for r in (a, b, z)] == [1, 2, 3]
    assert [r.cell("hazards_overdue").figure.value for r in (a, b, z)] == [0, 1, 0]
    assert [r.cell("hazards_overdue").rank for r in (a, b, z)] == [1, 3, 1]  # fewer ranks higher
    assert [r.cell("major_hazards_open").figure.value for r in (a, b, z)] == [1, 0, 0]
    assert [r.cell("cases_filed").figure.value for r in (a, b, z)] == [1, 0, 0]
    assert a.cell("onsite_measures").rank is None  # not ranked
    # 环比 against Q2 (芝罘 inspected once, on 20 June); 同比 against nothing.
    assert a.cell("inspections").previous.value == 1
    assert a.cell("inspections").change_previous.text == "增长300.0%"
    assert a.cell("inspections").change_last_year is None
    # The city bureau's own work, not ranked; the total is the city's figure.
    (city_row,) = ret.city_rows
    assert city_row.label == "市本级" and city_row.cell("inspections").figure.value == 1 and city_row.cell("inspections").rank is None
    assert ret.total is not None
    for line in ret.total.cells:
        assert line.figure.value == CITY_Q3[line.line.key], line.line.key


def test_every_cell_is_the_figure_of_its_bureau_and_links_to_its_rows(after_q3: Any, client: Any) -> None:
    from anjian.stats import rollups
    from anjian.stats.indicators import parse_period

    w = after_q3["world"]
    ret = _build(w.user("leader_city"))
    p = parse_period(Q3, today=READ_ON.date())
    jurisdictions = [w.city.pk, w.district_a.pk, w.district_b.pk, w.zone.pk]
    client.force_login(w.user("leader_city"))
    for row in [*ret.rows, *ret.city_rows]:
        for c in row.cells:
            fig, _ = rollups.figures(c.indicator, p, p.end, jurisdictions=jurisdictions, agency=row.agency.pk)
            assert c.figure.value == fig.value, (row.label, c.line.key)
            if c.indicator.kind in ("count", "state") and not c.indicator.derived:
                resp = client.get(c.drill)
                assert resp.status_code == 200
                assert resp.context["page"].paginator.count == c.figure.value, (row.label, c.line.key)


def test_a_district_sees_its_own_row_and_rank_only(after_q3: Any, client: Any) -> None:
    w = after_q3["world"]
    ret = _build(w.user("officer_b"))
    assert not ret.full and ret.total is None and ret.city_rows == []
    (own,) = ret.rows
    assert own.label == w.district_b.name and own.cell("inspections").rank == 2 and ret.ranked_count == 3
    client.force_login(w.user("officer_b"))
    page = client.get("/stats/returns/", {"period": Q3})
    assert page.status_code == 200
    html = page.content.decode()
    assert "第2名（共3个）" in html and w.district_a.name not in html and "全市合计" not in html and "签发通报" not in html
    api = client.get("/api/v1/stats/returns/", {"period": Q3}).json()
    assert [r["label"] for r in api["rows"]] == [w.district_b.name] and api["total"] is None and api["city_rows"] == []
    book = load_workbook(io.BytesIO(client.get("/stats/returns/export/", {"period": Q3}).content))
    assert book.sheetnames == [w.district_b.name]
    text = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    assert w.district_a.name not in text


def test_bad_periods_and_separated_admins(after_q3: Any, client: Any) -> None:
    w = after_q3["world"]
    client.force_login(w.user("leader_city"))
    for code in ("2026-Q4", "2026-13", "x" * 40, "2026-Q0"):
        assert client.get("/stats/returns/", {"period": code}).status_code == 400
        resp = client.get("/api/v1/stats/returns/", {"period": code})
        assert resp.status_code == 400 and resp.json()["message"]
    client.force_login(w.user("admin_a"))
    assert client.get("/stats/returns/", {"period": Q3}).status_code == 403
    assert client.get("/api/v1/stats/returns/", {"period": Q3}).status_code == 403


def test_city_page_and_workbook(after_q3: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    w = after_q3["world"]
    client.force_login(w.user("leader_city"))
    client.get("/stats/returns/", {"period": Q3})  # the rollups brought up to date
    with django_assert_max_num_queries(30):
        page = client.get("/stats/returns/", {"period": Q3})
    html = page.content.decode()
    assert page.status_code == 200 and "各区市对比" in html and "全市合计" in html and "签发通报" in html
    resp = client.get("/stats/returns/export/", {"period": Q3})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(resp.content))
    assert book.sheetnames[0] == "各区市对比" and w.district_a.name in book.sheetnames and "全市合计" in book.sheetnames
    sheet = book[w.district_a.name]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["监督检查次数"][2:6] == (4, 1, 1, "增长300.0%")  # 本期, 排名, 上期, 环比


# ---- the circular ---------------------------------------------------------------------------------------------


def test_circular_issued_once_with_the_returns_figures(after_q3: Any, client: Any, settings: Any, tmp_path: Any) -> None:
    from anjian.documents.models import IssuedDocument
    from anjian.documents.rendering import document_text
    from tests.documents.text_checks import chinese_text_problems

    w = after_q3["world"]
    settings.MEDIA_ROOT = tmp_path
    client.force_login(w.user("leader_city"))
    body = {"period": Q3, "requirements": "一是加大执法检查力度。\n二是逐项督办逾期未整改隐患。"}
    resp = client.post("/api/v1/stats/returns/circular/", body, content_type="application/json")
    assert resp.status_code == 201, resp.content
    doc = IssuedDocument.objects.get(pk=resp.json()["id"])
    assert doc.number.endswith("〔2026〕1号") and "通" in doc.number and doc.jurisdiction_id == w.city.pk
    text = document_text(doc.file.read())
    assert chinese_text_problems(text) == []
    assert "关于2026年第三季度全市安全生产监管执法工作情况的通报" in text
    assert "共开展安全生产监督检查6次" in text and "发现问题隐患4项" in text and "其中重大隐患1项" in text
    assert f"{w.district_a.name}\t4（1）" in text and "全市合计\t6" in text
    assert "二是逐项督办逾期未整改隐患。" in text
    # A double submit issues nothing more; a second circular needs its reason.
    again = client.post("/api/v1/stats/returns/circular/", body, content_type="application/json")
    assert again.status_code == 409
    page = client.post("/stats/returns/circular/", body)
    assert page.status_code == 302 and IssuedDocument.objects.filter(kind="stats_circular").count() == 1
    fixed = client.post("/api/v1/stats/returns/circular/", {**body, "reissue_reason": "更正数据"}, content_type="application/json")
    assert fixed.status_code == 201 and IssuedDocument.objects.filter(kind="stats_circular").count() == 2
    # Listed on the page with its download link.
    html = client.get("/stats/returns/", {"period": Q3}).content.decode()
    assert doc.number in html and "重新签发通报" in html


def test_circular_refusals(after_q3: Any, client: Any) -> None:
    from anjian.documents.models import IssuedDocument

    w = after_q3["world"]
    body = {"period": Q3, "requirements": "加强检查。"}
    client.force_login(w.user("leader_city"))
    blank = client.post("/api/v1/stats/returns/circular/", {**body, "requirements": "  "}, content_type="application/json")
    assert blank.status_code == 400 and "requirements" in blank.json()["fields"]
    assert client.post("/api/v1/stats/returns/circular/", {**body, "period": "2026-Q4"}, content_type="application/json").status_code == 400
    page = client.post("/stats/returns/circular/", {**body, "requirements": ""})
    assert page.status_code == 400 and "通报须写明下步工作要求。" in page.content.decode()
    for name in ("leader_a", "office_a", "officer_city"):  # a district bureau; the city's officer
        client.force_login(w.user(name))
        assert client.post("/api/v1/stats/returns/circular/", body, content_type="application/json").status_code == 403, name
        assert client.post("/stats/returns/circular/", body).status_code == 403, name
    assert not IssuedDocument.objects.filter(kind="stats_circular").exists()


def test_circular_template_is_reproducible() -> None:
    from anjian.stats import circular_template as t

    assert t.build_template() == (t.TEMPLATE_DIR / t.TEMPLATE).read_bytes(), "run python -m anjian.stats.circular_template and commit the template"


# ---- the other tables' .xlsx (item 7) ------------------------------------------------------------------------


def test_indicator_table_and_drill_lists_export(after_q3: Any, client: Any, monkeypatch: Any) -> None:
    from anjian.stats import views_indicators

    w = after_q3["world"]
    client.force_login(w.user("leader_city"))
    book = load_workbook(io.BytesIO(client.get("/stats/indicators/export/", {"period": Q3}).content))
    rows = {r[0]: r for r in book.active.iter_rows(min_row=3, values_only=True)}
    assert rows["inspections"][2] == 6 and rows["hazards_overdue"][2] == 1 and len(rows) == len(CITY_Q3)
    drill = load_workbook(io.BytesIO(client.get("/stats/drill/inspections/export/", {"period": Q3, "agency": w.agency_a.pk}).content))
    assert drill.active.max_row - 2 == 4  # the title, the heads, the four inspections of 芝罘
    assert client.get("/stats/drill/rectification_rate/export/", {"period": Q3}).status_code == 400  # a ratio has no rows of its own
    monkeypatch.setattr(views_indicators, "DRILL_EXPORT_MAX", 3)
    too_big = client.get("/stats/drill/inspections/export/", {"period": Q3})
    assert too_big.status_code == 400 and "缩小范围" in too_big.content.decode()
    client.force_login(w.user("officer_b"))
    assert client.get("/stats/drill/inspections/export/", {"period": Q3, "agency": w.agency_a.pk}).status_code == 404


def test_dashboard_and_workbench_lists_export(after_q3: Any, client: Any) -> None:
    w = after_q3["world"]
    client.force_login(w.user("leader_city"))
    book = load_workbook(io.BytesIO(client.get("/stats/dashboard/export/", {"period": Q3}).content))
    assert book.sheetnames == ["主要数字", "月度趋势", "行政处罚案件", "未销号重大隐患", "隐患治理漏斗", "辖区对比"]
    kpis = {r[0]: r[1] for r in book["主要数字"].iter_rows(min_row=3, values_only=True)}
    assert kpis["监督检查次数"] == CITY_Q3["inspections"]
    assert client.get("/stats/dashboard/export/", {"period": "2027"}).status_code == 400
    from anjian.stats import workbench as wb

    client.force_login(w.user("officer_a"))
    for key in sorted(wb.OWN_LISTS):
        page = client.get(f"/workbench/{key}/")
        resp = client.get(f"/workbench/{key}/export/")
        assert resp.status_code == page.status_code == 200, key
        sheet = load_workbook(io.BytesIO(resp.content)).active
        assert sheet.max_row - 2 == page.context["page"].paginator.count, key
    assert client.get("/workbench/nonsense/export/").status_code == 404
    client.force_login(w.user("officer_b"))  # a district: its own figures and ranks, no other district
    own = load_workbook(io.BytesIO(client.get("/stats/dashboard/export/", {"period": Q3}).content))
    text = " ".join(str(c) for row in own["辖区对比"].iter_rows(values_only=True) for c in row if c is not None)
    assert w.district_a.name not in text
