"""The case's documents page: every document of the case, and the documents made on demand, offered
only to those who may make them now (no button that can only be refused)."""

from __future__ import annotations

import pytest
from django.test import Client

from anjian.documents.models import IssuedDocument
from tests.cases.conftest import filed_case, noticed_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings_media):
    return settings_media


def _client(w, name: str) -> Client:
    c = Client()
    c.force_login(w.user(name))
    return c


def test_the_documents_page_lists_and_makes_the_on_demand_documents(cases_world, ent_a):
    w = cases_world
    c = filed_case(w, ent_a)
    officer = _client(w, "officer_a")
    page = officer.get(f"/cases/{c.pk}/documents/").content.decode()
    assert "立案审批表" in page and 'data-testid="issue-investigation-report"' in page
    assert 'data-testid="issue-waiver-form"' not in page  # no notice yet
    r = officer.post(f"/cases/{c.pk}/documents/investigation-report/", {"evidence": ""})
    assert r.status_code == 400 and "invalid-feedback" in r.content.decode()
    r = officer.post(f"/cases/{c.pk}/documents/investigation-report/", {"evidence": "1. 现场检查记录；2. 询问笔录。"}, follow=True)
    assert r.status_code == 200 and "已制作《调查报告》" in r.content.decode()
    again = officer.post(f"/cases/{c.pk}/documents/investigation-report/", {"evidence": "1. 现场检查记录。"}, follow=True)
    assert "未重复制作" in again.content.decode()
    assert IssuedDocument.objects.filter(subject_type="cases.case", subject_id=str(c.pk), kind="investigation_report").count() == 1


def test_waiver_form_after_the_notice(cases_world, ent_a):
    w = cases_world
    c = noticed_case(w, ent_a)
    officer = _client(w, "officer_a")
    assert 'data-testid="issue-waiver-form"' in officer.get(f"/cases/{c.pk}/documents/").content.decode()
    r = officer.post(f"/cases/{c.pk}/documents/waiver-form/", follow=True)
    assert "放弃陈述申辩声明" in r.content.decode()


def test_roles_and_districts(cases_world, ent_a):
    w = cases_world
    c = filed_case(w, ent_a)
    legal = _client(w, "legal_a")
    page = legal.get(f"/cases/{c.pk}/documents/")
    assert page.status_code == 200 and "issue-investigation-report" not in page.content.decode()
    assert legal.post(f"/cases/{c.pk}/documents/investigation-report/", {"evidence": "x"}).status_code == 403
    other = _client(w, "officer_b")
    assert other.get(f"/cases/{c.pk}/documents/").status_code == 404
    assert other.post(f"/cases/{c.pk}/documents/investigation-report/", {"evidence": "x"}).status_code == 404
    assert _client(w, "officer_a").post(f"/cases/{c.pk}/documents/no-such-thing/").status_code == 404
