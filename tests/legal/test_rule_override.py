"""services.rule_override_create / rule_override_end, and the admin that calls them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.law.deadlines import evaluate
from anjian.legal import authority, lawcal, services
from anjian.legal.models import RuleOverride

D = dt.date
pytestmark = pytest.mark.urls("tests.legal.urls_for_law")


def _create(actor: Any, **kw: Any) -> RuleOverride:
    args: dict[str, Any] = {
        "rule_code": "defence_statement",
        "scope": "370602",
        "effective_from": D(2026, 2, 1),
        "source_document": "芝应急法〔2026〕3号",
        "approver": "王法规",
    }
    args.update(kw)
    return services.rule_override_create(actor=actor, **args)


def test_it_lets_the_legal_reviewer_confirm_an_unverified_default(calendar: None, world: Any) -> None:
    legal = world.user("legal_a")
    row = _create(legal, note="部令第18号施行后沿用3个工作日")
    assert row.created_by == legal and row.value is None and row.unit == ""
    ev = AuditEvent.objects.get(action="rule.override", object_id=str(row.pk))
    assert ev.actor == legal and ev.jurisdiction_id == world.district_a.pk
    assert ev.after["source_document"] == "芝应急法〔2026〕3号" and ev.after["approver"] == "王法规"
    # the engine now uses it for district A: confirmed, no longer an unverified default
    ovs = lawcal.overrides_for(authority.scope_codes("370602"))
    result = evaluate("defence_statement", D(2026, 2, 3), calendar=lawcal.work_calendar(), overrides=ovs)
    assert not result.unverified and result.override is not None and result.override.approver == "王法规"
    # district B is not covered
    assert lawcal.overrides_for(authority.scope_codes("370611")) == []


def test_it_replaces_a_value_with_an_integer_period(calendar: None, world: Any) -> None:
    row = _create(world.user("admin_a"), value="5", unit="working_days")
    ovs = lawcal.overrides_for(authority.scope_codes("370602"))
    result = evaluate("defence_statement", D(2026, 2, 3), calendar=lawcal.work_calendar(), overrides=ovs)
    assert row.value == 5 and result.amount == 5 and result.basis.startswith("芝应急法〔2026〕3号")


@pytest.mark.parametrize("persona", ["officer_a", "supervisor_a", "depthead_a", "leader_a", "office_a", "outsider"])
def test_other_roles_cannot_register_overrides(calendar: None, world: Any, persona: str) -> None:
    with pytest.raises(PermissionRefused):
        _create(world.user(persona))
    assert not RuleOverride.objects.exists()


@pytest.mark.parametrize(
    "changes,field,code",
    [
        ({"source_document": ""}, "source_document", "override_source_missing"),
        ({"source_document": "   "}, "source_document", "override_source_missing"),
        ({"approver": ""}, "approver", "override_invalid"),
        ({"rule_code": "no_such_rule"}, "rule_code", "unknown_rule"),
        ({"scope": "37"}, "scope", "override_invalid"),
        ({"effective_from": D(2003, 12, 31)}, "effective_from", "date_out_of_range"),
        ({"effective_to": D(2026, 1, 1)}, "effective_to", "override_invalid"),
        ({"value": "3.5"}, "value", "override_invalid"),
        ({"value": "-3"}, "value", "override_invalid"),
        ({"unit": "hours", "value": "24"}, "unit", "override_invalid"),
        ({"unit": "calendar_days"}, "value", "override_invalid"),
        ({"rule_code": "hearing.fine.organisation", "value": "-5000"}, "value", "amount_negative"),
        ({"rule_code": "hearing.fine.organisation", "value": "5000.001"}, "value", "amount_precision"),
    ],
)
def test_refusals_name_the_input(calendar: None, world: Any, changes: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _create(world.user("legal_a"), **changes)
    assert exc.value.code == code and field in exc.value.fields, exc.value.as_dict()
    assert not RuleOverride.objects.exists() and not AuditEvent.objects.filter(action="rule.override").exists()


def test_a_missing_source_gets_the_engines_message(calendar: None, world: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _create(world.user("legal_a"), source_document="")
    assert exc.value.fields == {"source_document": ["规则覆盖缺少依据文件（文号），不得登记"]}


def test_a_statutory_rule_is_refused_with_the_engines_message(calendar: None, world: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _create(world.user("legal_a"), rule_code="hearing_request", value="10")
    assert exc.value.code == "statutory_rule_not_overridable"
    assert exc.value.message == "申请听证期限是法定期限（行政处罚法第六十四条第（一）项、第八十五条），不能以规则覆盖变更"
    assert exc.value.article == "行政处罚法第六十四条第（一）项、第八十五条"
    with pytest.raises(ValidationFailed) as exc:  # an hour rule (V) too
        _create(world.user("legal_a"), rule_code="coercive_emergency_approval")
    assert exc.value.code == "statutory_rule_not_overridable"


def test_a_cfg_value_in_force_may_be_replaced(calendar: None, world: Any) -> None:
    row = _create(world.user("legal_a"), rule_code="restart_review", value="7", effective_from=D(2025, 1, 1))
    assert row.value == 7


def test_hearing_thresholds_are_config_keys_in_yuan(calendar: None, world: Any) -> None:
    row = _create(world.user("legal_a"), rule_code="hearing.fine.organisation", value="5000", source_document="鲁应急规〔2026〕1号")
    assert row.unit == "money" and str(row.value) == "5000.00"
    [engine] = lawcal.overrides_for(authority.scope_codes("370602"))
    assert engine.value == 5000 and engine.unit is None


def test_the_city_may_register_for_the_province_a_district_may_not(calendar: None, world: Any) -> None:
    from anjian.org.models import Membership, RoleGrant

    RoleGrant.objects.create(membership=Membership.objects.get(staff__user=world.user("leader_city")), role="legal_reviewer")
    city = world.user("leader_city")
    row = _create(city, scope="370000", source_document="鲁应急发〔2026〕5号")
    assert row.scope == "370000"
    assert len(lawcal.overrides_for(authority.scope_codes("370611"))) == 1  # it reaches district B
    with pytest.raises(PermissionRefused) as exc:
        _create(world.user("legal_a"), scope="370000")
    assert exc.value.code == "scope_refused" and "scope" in exc.value.fields


def test_two_overrides_on_the_same_day_conflict(calendar: None, world: Any) -> None:
    _create(world.user("legal_a"))
    with pytest.raises(ValidationFailed) as exc:
        _create(world.user("legal_a"), source_document="芝应急法〔2026〕4号")
    assert exc.value.code == "override_conflict" and "effective_from" in exc.value.fields


def test_an_override_can_only_be_ended(calendar: None, world: Any) -> None:
    legal = world.user("legal_a")
    row = _create(legal)
    services.rule_override_end(actor=legal, override=row, effective_to=D(2026, 6, 30))
    row.refresh_from_db()
    assert row.effective_to == D(2026, 6, 30)
    ev = AuditEvent.objects.filter(action="rule.override", object_id=str(row.pk)).order_by("-id").first()
    assert ev is not None and ev.before == {"effective_to": None}
    assert ev.after == {"effective_to": "2026-06-30", "scope": "370602", "source_document": "芝应急法〔2026〕3号"}
    with pytest.raises(ValidationFailed):  # never later than already decided
        services.rule_override_end(actor=legal, override=row, effective_to=D(2026, 12, 31))
    with pytest.raises(ValidationFailed):
        services.rule_override_end(actor=legal, override=row, effective_to=D(2026, 1, 1))
    with pytest.raises(PermissionRefused):
        services.rule_override_end(actor=world.user("officer_a"), override=row, effective_to=D(2026, 3, 31))


# -- the admin -------------------------------------------------------------------------------------


def test_admin_registers_through_the_service(calendar: None, client: Any, staff_admin: Any) -> None:
    client.force_login(staff_admin)
    assert client.get("/admin/legal/ruleoverride/add/").status_code == 200
    data = {"rule_code": "defence_statement", "scope": "370602", "effective_from": "2026-02-01", "value": "", "unit": "", "source_document": "", "approver": "王法规", "note": ""}
    r = client.post("/admin/legal/ruleoverride/add/", data)
    assert r.status_code == 200 and "规则覆盖缺少依据文件（文号），不得登记" in r.content.decode()
    data["source_document"] = "芝应急法〔2026〕3号"
    r = client.post("/admin/legal/ruleoverride/add/", data)
    assert r.status_code == 302, r.content.decode()
    row = RuleOverride.objects.get()
    assert row.created_by == staff_admin
    assert AuditEvent.objects.filter(action="rule.override", object_id=str(row.pk)).count() == 1
    # afterwards only the end date can change
    page = client.get(f"/admin/legal/ruleoverride/{row.pk}/change/")
    assert page.status_code == 200 and 'name="effective_to"' in page.content.decode() and 'name="source_document"' not in page.content.decode()
    r = client.post(f"/admin/legal/ruleoverride/{row.pk}/change/", {"effective_to": "2025-01-01", "source_document": "篡改"})
    assert r.status_code == 200 and "失效日期不能早于生效日期" in r.content.decode()
    r = client.post(f"/admin/legal/ruleoverride/{row.pk}/change/", {"effective_to": "2026-12-31", "source_document": "篡改"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.effective_to == D(2026, 12, 31) and row.source_document == "芝应急法〔2026〕3号"
    assert AuditEvent.objects.filter(action="rule.override", object_id=str(row.pk)).count() == 2
    assert client.post(f"/admin/legal/ruleoverride/{row.pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_audit_trail_is_read_only(calendar: None, client: Any, staff_admin: Any, world: Any, django_user_model: Any) -> None:
    _create(world.user("legal_a"))
    ev = AuditEvent.objects.get(action="rule.override")
    # 三员分立: the system administrator does not read the audit trail (the audit administrator
    # does, at /audit/); in the admin only the development superuser sees it, read-only.
    client.force_login(staff_admin)
    assert client.get("/admin/core/auditevent/").status_code == 403
    client.force_login(django_user_model.objects.create_superuser(username="root", password="Anjian-test-2026", email="r@example.invalid"))
    listing = client.get("/admin/core/auditevent/")
    assert listing.status_code == 200 and "登记法定规则覆盖" in listing.content.decode()
    assert client.get(f"/admin/core/auditevent/{ev.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/core/auditevent/{ev.pk}/change/", {"note": "x"}).status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert client.post(f"/admin/core/auditevent/{ev.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_superuser_may_use_the_admin(calendar: None, client: Any, django_user_model: Any) -> None:
    root = django_user_model.objects.create_superuser(username="admin", password="Anjian-test-2026", email="a@example.invalid")
    client.force_login(root)
    for url in ("/admin/legal/ruleoverride/", "/admin/legal/calendaryear/", "/admin/legal/workcalendarday/", "/admin/core/auditevent/", "/admin/legal/calendaryear/upload/"):
        assert client.get(url).status_code == 200, url


def test_the_rule_choices_show_chinese_status_labels_not_codes() -> None:
    from anjian.legal.forms import rule_code_choices

    choices = [(str(code), str(label)) for group in rule_code_choices()[1:] for code, label in group[1]]
    assert choices
    for code, label in choices:
        assert code not in label, label  # the code is the value, not what the officer reads
        assert not any(raw in label for raw in ("：V）", "：S）", "：CFG）", "(当前:")), label
    labels = [label for _code, label in choices]
    assert any("已核对官方文本" in lbl for lbl in labels) and any("可配置" in lbl for lbl in labels)
