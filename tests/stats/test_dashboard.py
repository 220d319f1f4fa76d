"""调度统计看板 (issue 11 item 4) over the hand-built city of tests/stats/test_indicators.py: the
page per role, its numbers against the API's, the drill links and their counts, district
isolation, bad input, the query count at two data sizes, and the administrators' refusal."""

from __future__ import annotations

import html as htmllib
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import _person
from tests.inspections.conftest import calendar  # noqa: F401
from tests.stats.test_indicators import CITY_Q3, Q3, city  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/stats/dashboard/"


def page(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _num(text: str) -> Any:
    return None if text == "—" else Decimal(text) if "." in text else int(text)


def _api_value(v: Any) -> Any:
    return Decimal(str(v)).quantize(Decimal("0.1")) if isinstance(v, float) else v


def figures(html: str, attr: str) -> dict[str, tuple[Any, str]]:
    """``{key: (number, drill url)}`` of the links marked ``attr="key"`` on the page."""
    out = {}
    for href, key, text in re.findall(rf'<a [^>]*href="([^"]+)" data-{attr}="([^"]+)">([^<]+)</a>', html):
        out[key] = (_num(text.strip()), htmllib.unescape(href))
    return out


def chart_data(html: str) -> dict[str, Any]:
    m = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def drill_count(user: Any, url: str) -> int:
    """The count of the list behind a drill link (the API's view of the same page and query)."""
    parts = urlsplit(url)
    assert parts.path.startswith("/stats/drill/")
    r = api(user).get("/api/v1" + parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
    assert r.status_code == 200, r.content
    return int(r.json()["count"])


def test_the_city_leaders_page(city: Any) -> None:  # noqa: F811
    w = city["world"]
    leader = w.user("leader_city")
    r = page(leader).get(URL, {"period": Q3})
    assert r.status_code == 200
    html = r.content.decode()
    assert "调度统计看板" in html and "2026年第三季度" in html
    assert "vendor/echarts/echarts.min.js" in html and "anjian/dashboard.js" in html and "anjian/dashboard.css" in html
    assert "<script>" not in html  # the CSP allows no inline script: the data is a json_script

    # The headline figures equal the API's and the hand-worked answers, and link to their rows.
    kpis = figures(html, "figure")
    assert len(kpis) == 9
    for key, (value, drill) in kpis.items():
        body = api(leader).get(f"/api/v1/stats/indicators/{key}/", {"period": Q3}).json()
        assert value == _api_value(body["value"]) == CITY_Q3[key], key
        assert drill == body["drill"]
    for key in ("inspections", "hazards_found", "hazards_overdue", "major_hazards_open", "cases_filed"):
        assert drill_count(leader, kpis[key][1]) == CITY_Q3[key], key
    assert drill_count(leader, kpis["rectification_rate"][1]) == CITY_Q3["hazards_found_rectified"]

    # The hazard funnel: found → ordered → reported → closed, of the hazards found in Q3.
    data = chart_data(html)
    assert [(f["key"], f["value"]) for f in data["funnel"]] == [
        ("hazards_found", 4),
        ("hazards_found_ordered", 3),
        ("hazards_found_reported", 2),
        ("hazards_found_rectified", 2),
    ]
    for f in data["funnel"]:
        assert f'href="{f["drill"].replace("&", "&amp;")}">{f["value"]}</a>' in html
        assert drill_count(leader, f["drill"]) == f["value"] == CITY_Q3[f["key"]]

    # Trends, major hazards open and cases by month over 2026: the API's month rows, each linked.
    by_month = [*data["trends"], data["major_open"], *data["cases"]]
    assert [s["key"] for s in by_month] == ["inspections", "hazards_found", "hazards_rectified", "major_hazards_open", "cases_filed", "cases_decided"]
    for s in by_month:
        rows = api(leader).get(f"/api/v1/stats/indicators/{s['key']}/", {"period": "2026", "by": "month"}).json()["rows"]
        assert s["labels"] == [row["label"] for row in rows] and s["labels"][0] == "2026年1月" and s["labels"][-1] == "2026年9月"
        assert s["values"] == [row["value"] for row in rows] and s["drills"] == [row["drill"] for row in rows]
    inspections = data["trends"][0]
    assert inspections["values"][5:9] == [1, 3, 2, 1]  # June – September
    assert drill_count(leader, inspections["drills"][6]) == 3  # July: follow one month
    assert data["major_open"]["values"][5:9] == [0, 1, 1, 1]  # h2 found on 20 July, still open

    # The district comparison: one row per jurisdiction of the city, equal to the API's.
    comp = data["comparison"]
    assert comp["single"] is False
    for item in comp["indicators"]:
        rows = api(leader).get(f"/api/v1/stats/indicators/{item['key']}/", {"period": Q3, "by": "district"}).json()["rows"]
        assert [(r["key"], r["value"], r["drill"]) for r in item["rows"]] == [(r["key"], r["value"], r["drill"]) for r in rows]
    found = next(i for i in comp["indicators"] if i["key"] == "hazards_found")
    ranks = {r["key"]: r["rank"] for r in found["rows"]}
    assert ranks == {w.city.pk: None, w.district_a.pk: 1, w.zone.pk: 3, w.district_b.pk: 2}
    for name in ("芝罘区", "福山区", "烟台经济技术开发区"):
        assert f'<td class="nowrap">{name}</td>' in html


def test_a_district_sees_its_figures_and_rank_only(city: Any) -> None:  # noqa: F811
    w = city["world"]
    officer = w.user("officer_b")
    r = page(officer).get(URL, {"period": Q3})
    assert r.status_code == 200
    html = r.content.decode()
    for other in ("芝罘", "开发区", "烟台经济技术开发区", f"district={w.district_a.pk}", f"district={w.zone.pk}"):
        assert other not in html, other
    kpis = figures(html, "figure")
    for key, (value, drill) in kpis.items():
        body = api(officer).get(f"/api/v1/stats/indicators/{key}/", {"period": Q3}).json()
        assert value == _api_value(body["value"]), key
        assert drill == body["drill"]
    assert kpis["inspections"][0] == 1 and kpis["hazards_found"][0] == 1 and kpis["hazards_overdue"][0] == 1
    assert drill_count(officer, kpis["hazards_found"][1]) == 1
    comp = chart_data(html)["comparison"]
    assert comp["single"] is True and comp["own"] == "福山区" and comp["peers"] == 3
    assert "rows" not in comp["indicators"][0] and "table" not in comp
    ranks = {i["key"]: (i["value"], i["rank"]) for i in comp["indicators"]}
    # 芝罘 5 inspections, 3 hazards, none overdue; the zone none of anything.
    assert ranks["inspections"] == (1, 2) and ranks["hazards_found"] == (1, 2) and ranks["hazards_overdue"] == (1, 3)
    assert "第2名（共3个，从高到低）" in html and "第3名（共3个，从低到高）" in html
    # The funnel of 福山's own hazards: h4 found and served, not yet reported.
    assert [f["value"] for f in chart_data(html)["funnel"]] == [1, 1, 0, 0]
    # A city user may look at one district: its figures and its rank, the same as the district's own page.
    leader = page(w.user("leader_city")).get(URL, {"period": Q3, "district": w.district_b.pk})
    assert leader.status_code == 200
    seen = chart_data(leader.content.decode())["comparison"]
    assert {i["key"]: (i["value"], i["rank"]) for i in seen["indicators"]} == ranks
    assert all(i["drill"].endswith(f"district={w.district_b.pk}") for i in seen["indicators"])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"period": "2026-Q5"}, 400),
        ({"period": "2026-Q4"}, 400),  # starts after the frozen today (20 Sept)
        ({"period": "2027"}, 400),
        ({"period": "abc"}, 400),
        ({"period": "26-Q1"}, 400),
        ({"period": "2026-13"}, 400),
        ({"period": "x" * 200}, 400),
        ({"period": Q3, "district": "abc"}, 400),
        ({"period": Q3, "district": "987654321"}, 404),
    ],
)
def test_bad_input(city: Any, params: dict[str, str], status: int) -> None:  # noqa: F811
    r = page(city["world"].user("officer_a")).get(URL, params)
    assert r.status_code == status
    if status == 400:
        m = re.search(r'<p class="text-body-secondary">([^<]+)</p>', r.content.decode())
        assert m is not None and not m.group(1).isascii() and m.group(1).endswith("。"), m


def test_out_of_scope_district_and_default_period(city: Any) -> None:  # noqa: F811
    w = city["world"]
    assert page(w.user("officer_b")).get(URL, {"period": Q3, "district": w.district_a.pk}).status_code == 404
    r = page(w.user("officer_a")).get(URL)
    assert r.status_code == 200 and "2026年1月1日至9月20日" in r.content.decode()


def test_administrators_and_outsiders_are_refused(city: Any) -> None:  # noqa: F811
    w = city["world"]
    auditor = _person({}, "audit_admin_a", w.agency_a, ["audit_admin"], cert=False)
    for user in (w.user("admin_a"), auditor):
        r = page(user).get(URL, {"period": Q3})
        assert r.status_code == 403 and "无权访问" in r.content.decode()
    assert page(w.user("outsider")).get(URL, {"period": Q3}).status_code == 404
    assert Client().get(URL).status_code == 302  # to the login page


def test_linked_from_the_indicators_page_and_the_leaders_workbench(city: Any) -> None:  # noqa: F811
    w = city["world"]
    assert f'href="{URL}?period=2026-Q3"' in page(w.user("leader_city")).get("/stats/indicators/", {"period": Q3}).content.decode()
    assert f'href="{URL}"' in page(w.user("leader_a")).get("/workbench/").content.decode()
    assert f'href="{URL}"' not in page(w.user("officer_a")).get("/workbench/").content.decode()


def test_query_count_does_not_grow_with_the_data(city: Any) -> None:  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.enterprises import services as ents
    from tests.conftest import make_uscc
    from tests.stats.test_indicators import A_OFFICERS, TODAY, _at, _hazard, _inspect

    w = city["world"]

    def counts() -> list[int]:
        out = []
        for name, params in (("leader_city", {"period": Q3}), ("officer_b", {"period": "2026"})):
            client = page(w.user(name))  # a new session: the clock moves below
            for _ in range(2):  # the first calls bring the rollups up to date (the login is an audited change)
                client.get(URL, params)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(URL, params).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    # The rollups' refresh re-reads audit events of the watermark's very instant: with the clock
    # frozen, move it on before each measurement so both read the steady state.
    _at(city["traveller"], TODAY, hour=17)
    before = counts()
    _at(city["traveller"], TODAY)
    for n in range(4):
        ent = ents.enterprise_create(actor=w.user("officer_a"), jurisdiction=w.district_a, name=f"看板新增单位{n}", uscc=make_uscc(60 + n), sectors=["industry.machinery"])
        insp = _inspect(w, "officer_a", ent, TODAY, "planned", A_OFFICERS)
        _hazard(w, "officer_a", insp, TODAY, f"新增隐患{n}", 10)
    _at(city["traveller"], TODAY, hour=19)
    after = counts()
    assert after == before
    html = page(w.user("leader_city")).get(URL, {"period": Q3}).content.decode()
    assert figures(html, "figure")["inspections"][0] == CITY_Q3["inspections"] + 4
