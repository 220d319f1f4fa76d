"""The case admin is read-only and for system administrators only."""

from __future__ import annotations

from django.test import Client

from tests.cases.conftest import open_case
from tests.conftest import PASSWORD


def _client(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_admin_reads_but_never_writes_cases(cases_world, ent_a):
    w = cases_world
    case = open_case(w, ent_a)
    admin = _client(w.user("admin_a"))
    assert admin.get("/admin/cases/case/").status_code == 200
    assert admin.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    assert admin.get("/admin/cases/case/add/").status_code == 403
    assert admin.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    officer = _client(w.user("officer_a"))
    assert officer.get("/admin/cases/case/").status_code in (302, 403)
