"""The seed's 75 % target (具有安全生产相关专业学历和实践经验的执法人员数量达到在职人员75%以上): each person's
safety-related education and practice, dated, recorded by the bureau's office, audited, and counted
by the statistics at each period's end (tests/stats/test_indicators.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from anjian.core.models import AuditEvent


def _url(staff: Any) -> str:
    return f"/api/v1/staff/{staff.pk}/safety-qualification/"


def test_recorded_by_the_office_and_audited(world: Any, client: Any) -> None:
    staff = world.user("officer_a").staff
    client.force_login(world.user("office_a"))
    resp = client.post(_url(staff), {"qualified_on": "2021-03-01", "description": "安全工程专业本科，从事危险化学品安全监管3年"}, content_type="application/json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["safety_qualified_on"] == "2021-03-01" and body["safety_qualification"].startswith("安全工程")
    assert AuditEvent.objects.filter(action="staff.safety_qualification").count() == 1
    page = client.get(f"/org/staff/{staff.pk}/")
    assert "自2021-03-01起具备：安全工程专业本科" in page.content.decode()
    # Cleared: the description goes with the date.
    resp = client.post(_url(staff), {"qualified_on": None, "description": "x"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["safety_qualified_on"] is None and resp.json()["safety_qualification"] == ""


def test_bad_input_and_other_bureaus(world: Any, client: Any) -> None:
    staff = world.user("officer_a").staff
    client.force_login(world.user("office_a"))
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    for data, field in (({"qualified_on": "2021-03-01", "description": ""}, "description"), ({"qualified_on": future, "description": "安全工程"}, "qualified_on"), ({"qualified_on": "20x1-01-01"}, "qualified_on")):
        resp = client.post(_url(staff), data, content_type="application/json")
        assert resp.status_code in (400, 422) and field in resp.json()["fields"], data  # 400 malformed, 422 refused by the service
    client.force_login(world.user("officer_a"))  # not the office
    assert client.post(_url(staff), {"qualified_on": "2021-03-01", "description": "安全工程"}, content_type="application/json").status_code == 403
    client.force_login(world.user("officer_b"))  # another district's bureau
    assert client.post(_url(staff), {"qualified_on": "2021-03-01", "description": "安全工程"}, content_type="application/json").status_code == 404
    assert not AuditEvent.objects.filter(action="staff.safety_qualification").exists()


def test_the_page_form(world: Any, client: Any) -> None:
    staff = world.user("officer_a").staff
    client.force_login(world.user("office_a"))
    url = f"/org/staff/{staff.pk}/safety-qualification/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"qualified_on": "2021-03-01", "description": ""})
    assert bad.status_code == 200 and "请写明专业学历和实践经验" in bad.content.decode()
    ok = client.post(url, {"qualified_on": "2021-03-01", "description": "安全工程专业本科"})
    assert ok.status_code == 302
    staff.refresh_from_db()
    assert staff.safety_qualified_on == dt.date(2021, 3, 1)
