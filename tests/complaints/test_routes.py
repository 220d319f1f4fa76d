"""Every complaints route × every persona: a registered submission that names officer_a. No route
answers 5xx; the named officer, the roles that neither see every submission nor handle this one,
and other districts get 404 (or 403 where the page refuses before looking the record up); the
pages that are offered to a persona answer 200, the others 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from tests.complaints.conftest import register

OUTSIDE = ("officer_a", "supervisor_a", "legal_a", "officer_b", "depthead_b", "officer_zone")
READERS = ("office_a", "leader_a", "depthead_a", "leader_city")
NO_ID = ("complaints:list", "complaints:new", "complaints:reward-range")
# The officers' complaint records (issue 12 item 4) take a staff id, not a submission's: their
# persona matrix is in tests/complaints/test_officer_record.py.
OFFICER_PAGES = ("complaints:officers", "complaints:officer")


def _page_names() -> list[str]:
    resolver = get_resolver()
    names = []
    for p in resolver.url_patterns:
        if getattr(p, "namespace", None) == "complaints":
            names += [f"complaints:{q.name}" for q in p.url_patterns if q.name and f"complaints:{q.name}" not in OFFICER_PAGES]
    return names


def _api_paths(pk: int) -> list[tuple[str, str]]:
    steps = ("accept", "decline", "assign", "findings", "outcomes", "draft", "approve", "verify", "extension", "extension/decide", "reply", "review-request", "review-answer", "re-review-request", "re-review-answer", "close",
             "inquiry", "inquiry-answer", "hazard", "transfer", "reward", "reward/decide", "reward/paid")
    return [("get", f"/api/v1/complaints/{pk}/"), *(("post", f"/api/v1/complaints/{pk}/{s}/") for s in steps)]


@pytest.mark.parametrize("name", [*OUTSIDE, *READERS, "officer_a2", "admin_a"])
def test_every_route_for_every_persona(cw: Any, name: str) -> None:
    sub, _ = register(cw, officers=["officer_a"])
    pages = _page_names()
    assert len(pages) >= 18
    c = Client()
    c.force_login(cw.user(name))
    failures = []
    for page in pages:
        url = reverse(page) if page in NO_ID else reverse(page, kwargs={"pk": sub.pk})
        for method in ("get", "post"):
            r = getattr(c, method)(url, {})
            code = r.status_code
            if code >= 500:
                failures.append(f"{name} {method} {url}: {code}")
            elif page in NO_ID:
                continue
            elif name in OUTSIDE or name in ("officer_a2", "admin_a"):
                if code not in (403, 404):
                    failures.append(f"{name} {method} {url}: {code}, expected 404/403")
                if "反映执法人员检查时未出示执法证件" in r.content.decode():
                    failures.append(f"{name} {method} {url} shows the submission")
            elif page == "complaints:detail":
                if code != 200:
                    failures.append(f"{name} {method} {url}: {code}")
            elif name == "office_a" and page in ("complaints:step-accept", "complaints:step-decline"):
                if code != 200:
                    failures.append(f"{name} {method} {url}: {code}, expected the form")
            elif code not in (403,):
                failures.append(f"{name} {method} {url}: {code}, expected 403 (the step is not offered)")
    api = APIClient()
    api.force_authenticate(cw.user(name))
    for method, path in _api_paths(sub.pk):
        r = getattr(api, method)(path, {}, format="json")
        if r.status_code >= 500:
            failures.append(f"{name} {method} {path}: {r.status_code}")
        elif name in OUTSIDE or name in ("officer_a2", "admin_a"):
            if r.status_code != 404:
                failures.append(f"{name} {method} {path}: {r.status_code}, expected 404")
        elif method == "get" and r.status_code != 200:
            failures.append(f"{name} {method} {path}: {r.status_code}")
        elif method == "post" and r.status_code not in (400, 403, 409, 422):
            failures.append(f"{name} {method} {path}: {r.status_code}")
    assert not failures, "\n".join(failures)
