"""The organisation pages (issue 10 item 1), per role: the office and the security administrator
of a bureau manage its own organisation; an officer is refused; another bureau's records are 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.org import services
from anjian.org.models import Agency, Certificate, CertificateEvent, Department, Membership, RoleGrant, Staff


def login(world: Any, name: str) -> Client:
    c = Client()
    c.force_login(world.user(name))
    return c


def page(name: str, *args: Any) -> str:
    return reverse(f"org:{name}", args=args)


LIST_PAGES = ["agency", "agency_edit", "agency_head", "departments", "department_create", "staff_list", "staff_create", "certificates", "import"]


@pytest.mark.parametrize("user", ["office_a", "security_admin_a"])
def test_office_and_security_admin_reach_every_page(org: Any, user: str) -> None:
    c = login(org, user)
    for name in LIST_PAGES:
        assert c.get(page(name)).status_code == 200, name
    s = org.user("officer_a").staff
    for name in ("staff_detail", "membership_add", "certificate_add", "legal_qualification"):
        assert c.get(page(name, s.pk)).status_code == 200, name
    home = c.get(reverse("enterprises:list")).content.decode()
    assert 'data-testid="nav-org"' in home


@pytest.mark.parametrize("user", ["officer_a", "leader_a", "admin_a"])
def test_other_roles_are_refused_and_see_no_menu(org: Any, user: str) -> None:
    c = login(org, user)
    for name in LIST_PAGES:
        r = c.get(page(name))
        assert r.status_code == 403, name
        assert "办公室和安全管理员" in r.content.decode()
    assert c.get(page("staff_detail", org.user("officer_a").staff.pk)).status_code == 403
    assert 'data-testid="nav-org"' not in c.get(reverse("enterprises:list")).content.decode()
    # and a POST changes nothing
    before = Department.objects.count()
    assert c.post(page("department_create"), {"name": "安全科", "kind": "supervision"}).status_code == 403
    assert Department.objects.count() == before


def test_another_bureaus_people_and_departments_are_not_found(org: Any) -> None:
    c = login(org, "office_b")
    s = org.user("officer_a").staff
    m = Membership.objects.get(staff=s)
    cert = Certificate.objects.get(staff=s)
    dep = Department.objects.get(agency=org.agency_a)
    for url in (
        page("staff_detail", s.pk), page("membership_add", s.pk), page("membership_end", s.pk, m.pk), page("membership_roles", s.pk, m.pk),
        page("certificate_add", s.pk), page("certificate_event", s.pk, cert.pk), page("legal_qualification", s.pk), page("department_edit", dep.pk),
    ):  # fmt: skip
        assert c.get(url).status_code == 404, url
        if url != page("staff_detail", s.pk):  # the staff page itself is GET only
            assert c.post(url, {"valid_to": "2026-01-01", "name": "x", "kind": "other"}).status_code == 404, url
    # The city's office reads the districts but manages the city bureau only.
    city = login(org, "office_city")
    assert city.get(page("staff_detail", s.pk)).status_code == 404
    assert "officer_a" not in city.get(page("staff_list")).content.decode()
    assert "officer_city" in city.get(page("staff_list")).content.decode()


def test_agency_page_edits_through_the_service_and_audits(org: Any) -> None:
    c = login(org, "office_a")
    data = {
        "name": "烟台市芝罘区应急管理局", "short_name": "芝罘区应急局", "doc_abbr": "芝应急罚", "review_body": "烟台市芝罘区人民政府",
        "court": "烟台市芝罘区人民法院", "payment_place": "工商银行", "address": "芝罘区南大街1号", "phone": "0535-6000000",
    }  # fmt: skip
    r = c.post(page("agency_edit"), data)
    assert r.status_code == 302
    a = Agency.objects.get(pk=org.agency_a.pk)
    assert (a.doc_abbr, a.address, a.phone) == ("芝应急罚", "芝罘区南大街1号", "0535-6000000")
    ev = AuditEvent.objects.get(action="agency.update")
    assert ev.before["doc_abbr"] == "芝应急" and ev.after["doc_abbr"] == "芝应急罚"
    # a blank court is refused, with the field named
    r = c.post(page("agency_edit"), {**data, "court": ""})
    assert r.status_code == 200
    assert "请填写行政诉讼管辖法院" in r.content.decode()
    assert Agency.objects.get(pk=a.pk).court == "烟台市芝罘区人民法院"


def test_head_designation_keeps_history(org: Any) -> None:
    c = login(org, "office_a")
    leader = org.user("leader_a").staff
    dep = org.user("depthead_a").staff
    assert c.post(page("agency_head"), {"kind": "principal_head", "staff": leader.pk, "valid_from": "2024-01-01"}).status_code == 302
    assert c.post(page("agency_head"), {"kind": "principal_head", "staff": dep.pk, "valid_from": "2025-01-01"}).status_code == 302
    body = c.get(page("agency")).content.decode()
    assert "leader_a" in body and "2024-12-31" in body and "现任" in body
    # a person of another bureau cannot be chosen
    r = c.post(page("agency_head"), {"kind": "head", "staff": org.user("officer_b").staff.pk, "valid_from": "2025-02-01"})
    assert r.status_code == 200 and "不是本机关现职人员" in r.content.decode()


def test_departments_create_and_edit(org: Any) -> None:
    c = login(org, "office_a")
    assert c.post(page("department_create"), {"name": "危化科", "kind": "supervision", "sector_group": "hazchem"}).status_code == 302
    d = Department.objects.get(agency=org.agency_a, name="危化科")
    assert c.post(page("department_edit", d.pk), {"name": "危险化学品安全监督管理科", "kind": "supervision", "sector_group": "hazchem"}).status_code == 302
    assert Department.objects.get(pk=d.pk).name == "危险化学品安全监督管理科"
    # setup only for enforcement; duplicate names refused
    r = c.post(page("department_create"), {"name": "法规科", "kind": "legal", "setup": "internal"})
    assert "只有执法队伍才区分内设或外设" in r.content.decode()
    r = c.post(page("department_create"), {"name": "执法大队", "kind": "enforcement", "setup": "internal"})
    assert "同名科室" in r.content.decode()
    assert set(AuditEvent.objects.filter(action__startswith="department.").values_list("action", flat=True)) == {"department.create", "department.update"}


def test_staff_create_registers_person_and_membership_without_roles_once(org: Any) -> None:
    c = login(org, "office_a")
    dep = Department.objects.get(agency=org.agency_a)
    form = c.get(page("staff_create")).content.decode()
    key = form.split('name="form_key" value="')[1].split('"')[0]
    data = {"name": "王五", "kind": "civil_servant", "gender": "M", "department": dep.pk, "title": "执法队员", "valid_from": "2026-01-01", "form_key": key}
    r1 = c.post(page("staff_create"), data)
    r2 = c.post(page("staff_create"), data)  # a double submit
    assert r1.status_code == r2.status_code == 302
    staff = Staff.objects.get(name="王五")
    m = Membership.objects.get(staff=staff)
    assert (m.agency_id, m.department_id, m.title, m.roles) == (org.agency_a.pk, dep.pk, "执法队员", [])
    assert AuditEvent.objects.filter(action="staff.create", object_id=str(staff.pk)).count() == 1


def test_overlapping_membership_refused_and_nothing_changed(org: Any) -> None:
    c = login(org, "office_a")
    s = org.user("officer_a").staff
    before = Membership.objects.filter(staff=s).count()
    r = c.post(page("membership_add", s.pk), {"title": "科员", "valid_from": "2025-06-01"})
    assert r.status_code == 200
    assert "该人员在此期间已有任职，请先结束原任职。" in r.content.decode() or "与已有任职期间重叠" in r.content.decode()
    assert Membership.objects.filter(staff=s).count() == before
    assert not AuditEvent.objects.filter(action="membership.create", object_repr__startswith="officer_a").exists()


def test_membership_end_then_new_membership(org: Any) -> None:
    c = login(org, "office_a")
    s = org.user("officer_a").staff
    m = Membership.objects.get(staff=s)
    r = c.post(page("membership_end", s.pk, m.pk), {"valid_to": "2025-12-31"})
    assert r.status_code == 302
    assert Membership.objects.get(pk=m.pk).valid_to == dt.date(2025, 12, 31)
    ev = AuditEvent.objects.get(action="membership.end")
    assert ev.after == {"valid_to": "2025-12-31"} and ev.before == {"valid_to": None}
    assert c.post(page("membership_add", s.pk), {"title": "科员", "valid_from": "2026-01-01"}).status_code == 302
    assert Membership.objects.filter(staff=s).count() == 2  # never deleted
    # an end before the start is refused
    m2 = Membership.objects.get(staff=s, valid_from=dt.date(2026, 1, 1))
    r = c.post(page("membership_end", s.pk, m2.pk), {"valid_to": "2025-06-01"})
    assert "截止日期不能早于" in r.content.decode()
    assert Membership.objects.get(pk=m2.pk).valid_to is None


def test_role_grant_only_by_the_security_administrator(org: Any) -> None:
    s = org.user("expert_a").staff
    new = services.staff_register(actor=org.user("office_a"), agency=org.agency_a, name="赵六", kind="civil_servant", valid_from=dt.date(2024, 1, 1))
    m = Membership.objects.get(staff=new)
    # the office: refused on the page (GET and POST), with the rule named; nothing changed
    office = login(org, "office_a")
    r = office.get(page("membership_roles", new.pk, m.pk))
    assert r.status_code == 403 and "三员分立" in r.content.decode()
    r = office.post(page("membership_roles", new.pk, m.pk), {"roles": ["officer"], "on": "2026-01-01"})
    assert r.status_code == 403 and "三员分立" in r.content.decode()
    assert not RoleGrant.objects.filter(membership__staff=new).exists()
    assert 'data-testid="roles-link"' not in office.get(page("staff_detail", new.pk)).content.decode()
    # the service refuses the office too, not only the page
    with pytest.raises(services.PermissionRefused) as exc:
        services.membership_roles_set(actor=org.user("office_a"), membership=m, roles=["officer"])
    assert "三员分立" in exc.value.message
    with pytest.raises(services.PermissionRefused):
        services.membership_create(actor=org.user("office_a"), staff=new, agency=org.agency_a, roles=["officer"], valid_from=dt.date(2026, 1, 1))
    # the security administrator grants, dated: the old membership ends the day before
    sec = login(org, "security_admin_a")
    assert 'data-testid="roles-link"' in sec.get(page("staff_detail", new.pk)).content.decode()
    r = sec.post(page("membership_roles", new.pk, m.pk), {"roles": ["officer", "legal_reviewer"], "on": "2026-01-01"})
    assert r.status_code == 302
    old = Membership.objects.get(pk=m.pk)
    cur = Membership.objects.get(staff=new, valid_from=dt.date(2026, 1, 1))
    assert old.valid_to == dt.date(2025, 12, 31) and old.roles == []
    assert sorted(cur.roles) == ["legal_reviewer", "officer"]
    assert Membership.objects.valid_on(dt.date(2025, 6, 1)).get(staff=new).roles == []  # history kept
    ev = AuditEvent.objects.get(action="membership.roles")
    assert ev.before["roles"] == [] and ev.after["roles"] == ["legal_reviewer", "officer"]
    # experts are never officers
    em = Membership.objects.get(staff=s)
    r = sec.post(page("membership_roles", s.pk, em.pk), {"roles": ["officer"], "on": "2026-01-01"})
    assert "不能担任执法人员" in r.content.decode()


def test_admin_roles_exclusive_and_no_self_grant(org: Any) -> None:
    sec = org.user("security_admin_a")
    m = Membership.objects.get(staff=org.user("admin_a").staff)
    with pytest.raises(services.ValidationFailed) as exc:
        services.membership_roles_set(actor=sec, membership=m, roles=["admin", "audit_admin"])
    assert "三员分立" in exc.value.message
    own = Membership.objects.get(staff=sec.staff)
    c = login(org, "security_admin_a")
    r = c.post(page("membership_roles", sec.staff.pk, own.pk), {"roles": ["security_admin", "leader"], "on": "2026-01-01"})
    assert r.status_code == 403 and "不能为自己" in r.content.decode()
    assert Membership.objects.get(pk=own.pk).roles == ["security_admin"]
    # another bureau's security administrator cannot grant here
    with pytest.raises(services.NotFound):
        services.membership_roles_set(actor=org.user("office_b"), membership=m, roles=["leader"])


def test_certificate_with_reversed_dates_refused_and_nothing_changed(org: Any) -> None:
    c = login(org, "office_a")
    s = org.user("officer_a2").staff
    before = Certificate.objects.count()
    r = c.post(page("certificate_add", s.pk), {"number": "37020000X9", "issuer": "山东省人民政府", "valid_from": "2026-01-01", "valid_to": "2025-01-01"})
    assert r.status_code == 200
    assert "有效期止不能早于有效期起" in r.content.decode()
    assert Certificate.objects.count() == before
    assert not AuditEvent.objects.filter(action="certificate.create").exists()


def test_certificate_events_and_status_on_a_past_date(org: Any) -> None:
    c = login(org, "office_a")
    s = org.user("officer_a2").staff
    cert = Certificate.objects.get(staff=s)
    assert c.post(page("certificate_event", s.pk, cert.pk), {"kind": "suspended", "date": "2025-03-01", "note": "接受调查"}).status_code == 302
    assert c.post(page("certificate_event", s.pk, cert.pk), {"kind": "reinstated", "date": "2025-04-01"}).status_code == 302
    # a suspension without a reason is refused
    r = c.post(page("certificate_event", s.pk, cert.pk), {"kind": "suspended", "date": "2025-05-01"})
    assert "须写明原因" in r.content.decode()
    assert CertificateEvent.objects.filter(certificate=cert).count() == 3
    today = c.get(page("staff_detail", s.pk)).content.decode()
    assert "有效" in today.split('data-testid="status-today"')[1][:200]
    past = c.get(page("staff_detail", s.pk) + "?on=2025-03-15").content.decode()
    assert "处于暂扣状态" in past.split('data-testid="status-on"')[1][:300]
    later = c.get(page("staff_detail", s.pk) + "?on=2025-04-15").content.decode()
    assert "有效" in later.split('data-testid="status-on"')[1][:200]
    before_issue = c.get(page("staff_detail", s.pk) + "?on=2021-06-01").content.decode()
    assert "起才有效" in before_issue.split('data-testid="status-on"')[1][:300]


@pytest.mark.parametrize("bad", ["2025-13-01", "abc", "2025-1-1", "99999-01-01", "2025-02-30"])
def test_malformed_date_is_a_400_in_chinese(org: Any, bad: str) -> None:
    c = login(org, "office_a")
    r = c.get(page("staff_detail", org.user("officer_a").staff.pk), {"on": bad})
    assert r.status_code == 400
    assert "不是有效的日期" in r.content.decode()


def test_legal_qualification_set_and_audited(org: Any) -> None:
    c = login(org, "security_admin_a")
    s = org.user("legal_a").staff
    assert c.post(page("legal_qualification", s.pk), {"legal_qualification_no": "A20183706020001"}).status_code == 302
    assert Staff.objects.get(pk=s.pk).legal_qualification_no == "A20183706020001"
    ev = AuditEvent.objects.get(action="staff.legal_qualification")
    assert ev.after == {"legal_qualification_no": "A20183706020001"}
    r = c.post(page("legal_qualification", s.pk), {"legal_qualification_no": "编号有误"})
    assert "编号格式不正确" in r.content.decode()


def test_staff_list_filters(org: Any) -> None:
    c = login(org, "office_a")
    body = c.get(page("staff_list"), {"q": "officer"}).content.decode()
    assert "officer_a2" in body and "leader_a" not in body
    body = c.get(page("staff_list"), {"role": "legal_reviewer"}).content.decode()
    assert "legal_a" in body and "officer_a2" not in body
    body = c.get(page("staff_list"), {"cert": "none"}).content.decode()
    assert "office_a" in body and "officer_a2" not in body
    dep = Department.objects.get(agency=org.agency_a)
    services.staff_register(actor=org.user("office_a"), agency=org.agency_a, name="队员甲", kind="civil_servant", valid_from=dt.date(2024, 1, 1), department=dep)
    body = c.get(page("staff_list"), {"department": dep.pk}).content.decode()
    assert "队员甲" in body and "officer_a2" not in body
    # a tampered filter is ignored, not a 500
    assert c.get(page("staff_list"), {"department": "9" * 30, "role": "root"}).status_code == 200


def _more_people(world: Any, first: int, last: int) -> None:
    office = world.user("office_a")
    for i in range(first, last):
        s = services.staff_register(actor=office, agency=world.agency_a, name=f"人员{i:03d}", kind="civil_servant", valid_from=dt.date(2023, 1, 1))
        cert = services.certificate_register(actor=office, staff=s, number=f"Q{i:06d}", issuer="山东省人民政府", valid_from=dt.date(2023, 1, 1), valid_to=timezone.localdate() + dt.timedelta(days=30))
        services.certificate_event_record(actor=office, certificate=cert, kind="annual_review", date=dt.date(2024, 1, 5))


def test_list_query_counts_do_not_grow_with_rows(org: Any, django_assert_max_num_queries: Any) -> None:
    c = login(org, "office_a")
    _more_people(org, 0, 2)
    c.get(page("staff_list"))  # warm the session and the content types
    counts = []
    for url in (page("staff_list"), page("certificates")):
        with django_assert_max_num_queries(20) as q:
            assert c.get(url).status_code == 200
        counts.append(len(q.captured_queries))
    _more_people(org, 2, 22)
    for url, n in zip((page("staff_list"), page("certificates")), counts, strict=True):
        with django_assert_max_num_queries(n):
            r = c.get(url)
        assert r.content.decode().count("人员0") >= 20


def test_certificate_list_expiring_and_review_due(org: Any) -> None:
    office = org.user("office_a")
    today = timezone.localdate()
    s1 = services.staff_register(actor=office, agency=org.agency_a, name="将到期", kind="civil_servant", valid_from=dt.date(2023, 1, 1))
    services.certificate_register(actor=office, staff=s1, number="E1", issuer="山东省人民政府", valid_from=today - dt.timedelta(days=100), valid_to=today + dt.timedelta(days=59))
    s2 = services.staff_register(actor=office, agency=org.agency_a, name="待年审", kind="civil_servant", valid_from=dt.date(2023, 1, 1))
    c2 = services.certificate_register(actor=office, staff=s2, number="R1", issuer="山东省人民政府", valid_from=today - dt.timedelta(days=800), valid_to=today + dt.timedelta(days=900))
    s3 = services.staff_register(actor=office, agency=org.agency_a, name="已年审", kind="civil_servant", valid_from=dt.date(2023, 1, 1))
    c3 = services.certificate_register(actor=office, staff=s3, number="R2", issuer="山东省人民政府", valid_from=today - dt.timedelta(days=800), valid_to=today + dt.timedelta(days=900))
    services.certificate_event_record(actor=office, certificate=c3, kind="annual_review", date=today - dt.timedelta(days=10))
    s4 = services.staff_register(actor=office, agency=org.agency_a, name="已暂扣", kind="civil_servant", valid_from=dt.date(2023, 1, 1))
    c4 = services.certificate_register(actor=office, staff=s4, number="R3", issuer="山东省人民政府", valid_from=today - dt.timedelta(days=800), valid_to=today + dt.timedelta(days=30))
    services.certificate_event_record(actor=office, certificate=c4, kind="suspended", date=today - dt.timedelta(days=5), note="调查")
    body = login(org, "office_a").get(page("certificates")).content.decode()
    expiring = body.split('data-testid="expiring"')[1].split("</table>")[0]
    due = body.split('data-testid="review-due"')[1].split("</table>")[0]
    assert "E1" in expiring and "R3" not in expiring and "R1" not in expiring
    assert "R1" in due and "R2" not in due and "R3" not in due and "E1" not in due
    assert "12个月内" in body  # the definition is on the page
    assert c2.pk


def test_demo_bootstrap_superuser_may_create_memberships_with_roles(org: Any) -> None:
    """The demo builds the organisation as the superuser, outside any bureau (a command)."""
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser(username="root", password="x-Anjian-2026")
    s = services.staff_create(actor=root, name="演示人员", kind="civil_servant", agency=org.agency_a)
    m = services.membership_create(actor=root, staff=s, agency=org.agency_a, roles=["officer"], valid_from=dt.date(2024, 1, 1))
    assert m.roles == ["officer"]


def test_staff_details_corrected_and_audited(org: Any) -> None:
    c = login(org, "office_a")
    s = org.user("officer_a").staff
    assert 'data-testid="staff-edit"' in c.get(page("staff_detail", s.pk)).content.decode()
    r = c.post(page("staff_edit", s.pk), {"name": "张晓明", "gender": "M", "phone": "0535-6611234", "note": "2026年更名"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.name, s.gender, s.phone, s.note) == ("张晓明", "M", "0535-6611234", "2026年更名")
    ev = AuditEvent.objects.get(action="staff.update", object_id=str(s.pk))
    assert ev.after["name"] == "张晓明" and ev.before["name"] != "张晓明"
    # an empty name: a field error in Chinese, nothing changed
    r = c.post(page("staff_edit", s.pk), {"name": "", "gender": "M"})
    body = r.content.decode()
    assert r.status_code == 200 and ("必填" in body or "请填写姓名" in body)
    assert Staff.objects.get(pk=s.pk).name == "张晓明"
    # another bureau's office: 404; an officer of the bureau: refused
    assert login(org, "office_b").get(page("staff_edit", s.pk)).status_code == 404
    assert login(org, "officer_a").post(page("staff_edit", s.pk), {"name": "改名"}).status_code == 403
    assert Staff.objects.get(pk=s.pk).name == "张晓明"
