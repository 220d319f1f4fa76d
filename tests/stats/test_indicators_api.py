"""The indicators over HTTP: figures from the rollups, the rows behind each, scope and bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import _person
from tests.inspections.conftest import calendar  # noqa: F401
from tests.stats.test_indicators import CITY_Q3, Q3, city  # noqa: F401

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def page(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _value(v: Any) -> Any:
    return Decimal(str(v)).quantize(Decimal("0.1")) if isinstance(v, float) else v


def test_the_registry(city: Any) -> None:  # noqa: F811
    r = api(city["world"].user("officer_a")).get("/api/v1/stats/indicators/")
    assert r.status_code == 200
    keys = [i["key"] for i in r.json()["results"]]
    assert set(keys) == set(CITY_Q3)
    one = next(i for i in r.json()["results"] if i["key"] == "rectification_rate")
    assert one["name"] == "隐患整改率" and one["numerator"] == "hazards_found_rectified" and "公式" not in one["formula"]


def test_every_figure_its_rows_and_the_rollup_agree(city: Any) -> None:  # noqa: F811
    """The drill-down count == the indicator's value == the rollup's value, for every indicator."""
    from anjian.stats import indicators as reg
    from tests.stats.test_indicators import city_q3_figure

    leader = city["world"].user("leader_city")
    client = api(leader)
    for key, expected in CITY_Q3.items():
        r = client.get(f"/api/v1/stats/indicators/{key}/", {"period": Q3})
        assert r.status_code == 200, (key, r.content)
        body = r.json()
        assert _value(body["value"]) == expected, key
        assert body["period"]["as_of"] == "2026-09-20"
        ind = reg.REGISTRY[key]
        assert city_q3_figure(key, leader).value == expected, key
        if ind.derived:
            assert body["numerator"] == CITY_Q3[ind.numerator] and body["denominator"] == CITY_Q3[ind.denominator]
            assert client.get(f"/api/v1/stats/drill/{key}/", {"period": Q3}).status_code == 400
            continue
        drill = client.get(f"/api/v1/stats/drill/{key}/", {"period": Q3}).json()
        if ind.kind == "sum":
            assert sum(Decimal(str(row["value"])) for row in drill["results"]) == expected, key
            if key == "transfer_accept_days":
                assert drill["count"] == CITY_Q3["transfers_accepted"]
        else:
            assert drill["count"] == expected, key
        # The page behind the number shows the same count.
        html = page(leader).get(body["drill"]).content.decode()
        assert f"共 <strong>{drill['count']}</strong> 条记录" in html, key


def test_cuts_and_groups(city: Any) -> None:  # noqa: F811
    w = city["world"]
    client = api(w.user("leader_city"))

    def rows(key: str, by: str, **extra: Any) -> dict[Any, Any]:
        r = client.get(f"/api/v1/stats/indicators/{key}/", {"period": Q3, "by": by, **extra})
        assert r.status_code == 200, r.content
        # The total is the indicator's own, not the sum of the groups.
        assert r.json()["value"] == client.get(f"/api/v1/stats/indicators/{key}/", {"period": Q3, **extra}).json()["value"]
        return {row["key"]: _value(row["value"]) for row in r.json()["rows"]}

    assert rows("units_inspected", "district") == {w.city.pk: 0, w.district_a.pk: 3, w.zone.pk: 0, w.district_b.pk: 1}
    by_agency = rows("units_inspected", "agency")
    assert (by_agency[w.agency_a.pk], by_agency[w.agency_city.pk], by_agency[w.agency_b.pk]) == (2, 1, 1)
    by_sector = rows("units_inspected", "sector")
    assert by_sector["hazchem.production"] == 2 and by_sector["industry.machinery"] == 3  # e4 is in both
    assert rows("inspections", "month") == {"2026-07": 3, "2026-08": 2, "2026-09": 1}
    assert rows("units_inspected", "month") == {"2026-07": 1, "2026-08": 2, "2026-09": 1}
    assert sum(by_sector.values()) == 6 != CITY_Q3["units_inspected"]
    assert rows("hazards_overdue", "month") == {"2026-07": 0, "2026-08": 0, "2026-09": 1}
    assert rows("rectification_rate", "district")[w.district_a.pk] == Decimal("66.7")
    assert rows("certified_officers", "district")[w.district_a.pk] == 6
    # A figure for one district and one sector, and its rows.
    one = client.get("/api/v1/stats/indicators/hazards_found/", {"period": Q3, "district": w.district_a.pk, "sector": "industry.machinery"}).json()
    assert one["value"] == 1  # h3 (e2); e4 had none
    drill = client.get("/api/v1/stats/drill/hazards_found/", {"period": Q3, "district": w.district_a.pk, "sector": "industry.machinery"}).json()
    assert drill["count"] == 1 and drill["results"][0]["enterprise"] == "芝罘机械二厂"
    by_agency_sector = rows("inspections", "agency", sector="hazchem.production")
    assert by_agency_sector[w.agency_a.pk] == 3 and by_agency_sector[w.agency_city.pk] == 1


def test_a_district_sees_only_its_own(city: Any) -> None:  # noqa: F811
    w = city["world"]
    client = api(w.user("officer_b"))
    body = client.get("/api/v1/stats/indicators/inspections/", {"period": Q3, "by": "district"}).json()
    assert body["value"] == 1 and [r["key"] for r in body["rows"]] == [w.district_b.pk]
    assert client.get("/api/v1/stats/indicators/inspections/", {"period": Q3, "district": w.district_a.pk}).status_code == 404
    assert client.get("/api/v1/stats/drill/inspections/", {"period": Q3, "district": w.district_a.pk}).status_code == 404
    assert client.get("/api/v1/stats/indicators/inspections/", {"period": Q3, "agency": w.agency_a.pk}).status_code == 404
    drill = client.get("/api/v1/stats/drill/hazards_found/", {"period": Q3}).json()
    assert drill["count"] == 1 and {r["enterprise"] for r in drill["results"]} == {"福山机械三厂"}
    assert page(w.user("officer_b")).get("/stats/drill/hazards_found/", {"period": Q3, "district": w.district_a.pk}).status_code == 404
    html = page(w.user("officer_b")).get("/stats/drill/inspections/", {"period": Q3}).content.decode()
    assert "芝罘" not in html and "福山机械三厂" in html
    agencies = {r["key"] for r in client.get("/api/v1/stats/indicators/inspections/", {"period": Q3, "by": "agency"}).json()["rows"]}
    assert agencies == {w.agency_b.pk}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"period": "2026-Q5"}, 400),
        ({"period": "2026-13"}, 400),
        ({"period": "2026-00"}, 400),
        ({"period": "26-Q1"}, 400),
        ({"period": "abc"}, 400),
        ({"period": ""}, 400),
        ({}, 400),
        ({"period": "2026-Q4"}, 400),  # starts after the frozen today (20 Sept)
        ({"period": "2027"}, 400),
        ({"period": "0999"}, 400),
        ({"period": "2026-Q3", "by": "street"}, 400),
        ({"period": "2026-Q3", "district": "abc"}, 400),
        ({"period": "2026-Q3", "district": "9" * 25}, 400),
        ({"period": "2026-Q3", "district": "987654321"}, 404),
        ({"period": "2026-Q3", "sector": "nope"}, 400),
        ({"period": "2026-Q3", "agency": "-1"}, 400),
    ],
)
def test_bad_input(city: Any, params: dict[str, str], status: int) -> None:  # noqa: F811
    officer = city["world"].user("officer_a")
    for url in ("/api/v1/stats/indicators/inspections/", "/api/v1/stats/drill/inspections/"):
        r = api(officer).get(url, params)
        assert r.status_code == status, (url, params, r.content)
        if status == 400:
            message = r.json()["message"]
            assert message and not message.isascii()
    assert page(officer).get("/stats/drill/inspections/", params).status_code == status


def test_unknown_indicator_and_unsupported_cut(city: Any) -> None:  # noqa: F811
    client = api(city["world"].user("officer_a"))
    assert client.get("/api/v1/stats/indicators/nope/", {"period": Q3}).status_code == 404
    r = client.get("/api/v1/stats/indicators/certified_officers/", {"period": Q3, "sector": "industry.machinery"})
    assert r.status_code == 400 and "不按行业" in r.json()["message"]
    assert client.get("/api/v1/stats/indicators/certified_officers/", {"period": Q3, "by": "sector"}).status_code == 400


def test_administrators_read_no_business_figures(city: Any) -> None:  # noqa: F811
    w = city["world"]
    auditor = _person({}, "audit_admin_a", w.agency_a, ["audit_admin"], cert=False)
    for user in (w.user("admin_a"), auditor):
        assert api(user).get("/api/v1/stats/indicators/inspections/", {"period": Q3}).status_code == 403
        assert api(user).get("/api/v1/stats/drill/inspections/", {"period": Q3}).status_code == 403
        assert page(user).get("/stats/drill/inspections/", {"period": Q3}).status_code == 403
    assert api(w.user("outsider")).get("/api/v1/stats/indicators/inspections/", {"period": Q3}).status_code == 404


def test_the_table_page_links_every_number(city: Any) -> None:  # noqa: F811
    html = page(city["world"].user("leader_city")).get("/stats/indicators/", {"period": Q3}).content.decode()
    for key in CITY_Q3:
        assert f'data-indicator="{key}"' in html
    assert "/stats/drill/inspections/?period=2026-Q3" in html


def test_query_counts_do_not_grow_with_the_data(city: Any) -> None:  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.enterprises import services as ents
    from tests.conftest import make_uscc
    from tests.stats.test_indicators import A_OFFICERS, TODAY, _at, _inspect

    w = city["world"]
    client = api(w.user("leader_city"))
    urls = [
        ("/api/v1/stats/indicators/", {}),
        ("/api/v1/stats/indicators/inspections/", {"period": Q3, "by": "district"}),
        ("/api/v1/stats/indicators/rectification_rate/", {"period": Q3, "by": "sector"}),
        ("/api/v1/stats/drill/inspections/", {"period": Q3}),
        ("/api/v1/stats/drill/units_inspected/", {"period": Q3}),
        ("/api/v1/stats/drill/ledger_units/", {"period": Q3}),
        ("/api/v1/stats/drill/hazards_found/", {"period": Q3}),
        ("/api/v1/stats/drill/transfer_accept_days/", {"period": Q3}),
    ]

    def counts() -> list[int]:
        out = []
        for url, params in urls:
            client.get(url, params)  # the first call may refresh the rollups
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    _at(city["traveller"], TODAY)
    for n in range(3):
        ent = ents.enterprise_create(actor=w.user("officer_a"), jurisdiction=w.district_a, name=f"新增单位{n}", uscc=make_uscc(40 + n), sectors=["industry.machinery"])
        _inspect(w, "officer_a", ent, TODAY, "planned", A_OFFICERS)
    assert counts() == before


def test_sector_groups_count_a_unit_once(city: Any) -> None:  # noqa: F811
    """e4 has two 工贸 sectors: it counts once in 工贸, once in each of its sectors."""
    client = api(city["world"].user("leader_city"))

    def rows(key: str, by: str) -> dict[Any, Any]:
        r = client.get(f"/api/v1/stats/indicators/{key}/", {"period": Q3, "by": by})
        assert r.status_code == 200, r.content
        return {row["key"]: _value(row["value"]) for row in r.json()["rows"]}

    assert rows("units_inspected", "group") == {"hazchem": 2, "mine": 0, "industry": 3}
    assert rows("inspections", "group") == {"hazchem": 4, "mine": 0, "industry": 3}
    by_sector = rows("inspections", "sector")
    assert (by_sector["industry.machinery"], by_sector["industry.metallurgy"]) == (3, 1)
    assert rows("ledger_units", "group") == {"hazchem": 1, "mine": 0, "industry": 2}
    for key, value in (("inspections", 3), ("units_inspected", 3), ("hazards_found", 2)):
        figure = client.get(f"/api/v1/stats/indicators/{key}/", {"period": Q3, "sector": "industry"}).json()
        drill = client.get(f"/api/v1/stats/drill/{key}/", {"period": Q3, "sector": "industry"}).json()
        assert figure["value"] == drill["count"] == value, key
        assert figure["sector"] == {"code": "industry", "name": "工贸"}
