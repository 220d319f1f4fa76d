"""Every write of the shared legal configuration × every persona (issue 8, "test it").

The routes are enumerated from the URL resolver (the admin pages of the legal models and of the
checklists, the law pages) and from the OpenAPI schema (the law API and the checklists API). A
route without an entry in ``MATRIX`` or ``NOT_A_WRITE`` fails ``test_every_configuration_route_is_in_the_matrix``:
a new configuration route must say who may use it.

Each scenario posts as each persona inside a rolled-back savepoint and checks the effect (an audit
record: every configuration write is audited), never a 500. "Allowed" means the write took
effect; every other persona must leave no trace.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from tests.legal.personas import add_personas

pytestmark = pytest.mark.urls("tests.legal.urls_for_law")

PERSONAS = ("admin_a", "legal_a", "officer_a", "leader_a", "admin_zone", "legal_zone", "officer_zone", "admin_city", "legal_city", "leader_city", "outsider")
ZONE = "370671"
SOURCE = "测试依据〔2026〕1号"


@dataclass(frozen=True)
class Scenario:
    what: str
    run: Callable[[Any, Any], Any]  # (client, objs) -> response
    allowed: frozenset[str]
    api: bool = False


def _admin(name: str, *args: Any) -> str:
    return reverse(f"admin:{name}", args=args)


def _override_form(scope: str) -> dict[str, str]:
    return {"rule_code": "defence_statement", "scope": scope, "effective_from": "2026-02-01", "effective_to": "", "value": "", "unit": "", "source_document": SOURCE, "approver": "审批人", "note": ""}


def _catalogue_form(scope: str, name: str = "吊销许可证") -> dict[str, str]:
    return {"scope": scope, "code": "T-1", "name": name, "kinds": "[]", "fine_individual": "", "fine_organisation": "30000", "source_document": SOURCE, "effective_from": "2026-01-01", "effective_to": ""}


def _collective_form(scope: str) -> dict[str, str]:
    return {"scope": scope, "complex_cases": "on", "serious_heavier": "on", "kinds": "[]", "fine_individual": "", "fine_organisation": "50000", "source_document": SOURCE, "effective_from": "2026-01-01", "effective_to": ""}


def _xlsx() -> io.BytesIO:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["检查内容", "依据条款"], ["有限空间作业审批", "《工贸企业有限空间作业安全规定》"]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "list.xlsx"
    return buf


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("cal.csv", text.encode("utf-8"), content_type="text/csv")


def _csv_2026_corrected() -> str:
    from anjian.legal import lawcal

    rows = [f"{d.isoformat()},{k},{n}" for d, k, n in lawcal.year_days(2026)]
    return "date,kind,name\n" + "\n".join([*rows, "2026-12-21,holiday,更正"]) + "\n"


def _standard_body(scope: str) -> dict[str, Any]:
    cut = {"violation_id": "P12", "subject": "unit", "circumstance": "base", "lenient_to": "10000", "heavy_from": "30000", "note": "逾期未消除一般隐患"}
    return {"scope": scope, "name": "行政处罚裁量基准", "source_document": SOURCE, "effective_from": "2026-01-01", "cuts": [cut]}


def _drop_province_profile() -> None:
    """Creating the province's profile needs none there yet (one per province)."""
    from anjian.planning.models import GradingProfile, GradingProfileVersion

    GradingProfileVersion.objects.filter(profile__province="370000").delete()
    GradingProfile.objects.filter(province="370000").delete()


def _profile_form(p: Any, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": p.name, "source": SOURCE, "reason": "按本省规定调整", "key_rules": p.data["key_rules"], "active": "on"}
    for i, rule in enumerate(p.data["rules"]):
        body[f"rname_{i}"], body[f"ungraded_{i}"] = rule["name"], rule["ungraded"]
        for j, g in enumerate(rule["frequency"]):
            body[f"f_{i}_{j}"], body[f"c_{i}_{j}"] = rule["frequency"][g], rule["cap"][g]
    return {**body, **changes}


def _profile_body(p: Any) -> dict[str, Any]:
    import copy

    data = copy.deepcopy(p.data)
    data["rules"][-1]["frequency"]["3"] = 2
    return {"name": p.name, "source": SOURCE, "reason": "按本省规定调整", "data": data}


A, Z, C = frozenset({"admin_a"}), frozenset({"admin_zone"}), frozenset({"admin_city"})
# The grading profile of the province (issue 13 item 4): the top (city) bureau's leaders and administrator.
PROVINCE = frozenset({"admin_city", "leader_city"})
NOBODY: frozenset[str] = frozenset()
READ_ONLY_MODELS = ("calendaryearrevision", "workcalendarday")

MATRIX: dict[str, list[Scenario]] = {
    # rule overrides (admin: system administrators; the API: legal reviewers and administrators)
    "admin:legal_ruleoverride_add": [
        Scenario("district scope", lambda c, o: c.post(_admin("legal_ruleoverride_add"), _override_form("370602")), A),
        Scenario("zone scope", lambda c, o: c.post(_admin("legal_ruleoverride_add"), _override_form(ZONE)), Z),
        Scenario("city scope", lambda c, o: c.post(_admin("legal_ruleoverride_add"), _override_form("370600")), C),
    ],
    "admin:legal_ruleoverride_change": [
        Scenario("end district A's override", lambda c, o: c.post(_admin("legal_ruleoverride_change", o["override"].pk), {"effective_to": "2026-12-31"}), A),
    ],
    "POST /api/v1/law/overrides/": [
        Scenario("district scope", lambda c, o: c.post("/api/v1/law/overrides/", _override_form("370602"), format="json"), frozenset({"admin_a", "legal_a"}), api=True),
        Scenario("zone scope", lambda c, o: c.post("/api/v1/law/overrides/", _override_form(ZONE), format="json"), frozenset({"admin_zone", "legal_zone"}), api=True),
        Scenario("city scope", lambda c, o: c.post("/api/v1/law/overrides/", _override_form("370600"), format="json"), frozenset({"admin_city", "legal_city"}), api=True),
        Scenario("whole deployment", lambda c, o: c.post("/api/v1/law/overrides/", _override_form("*"), format="json"), frozenset({"admin_city", "legal_city"}), api=True),
    ],
    # local discretion standards (裁量基准) over the API: legal reviewers and administrators of the scope;
    # approval by someone other than the one who entered it
    "POST /api/v1/discretion-standards/": [
        Scenario("district scope", lambda c, o: c.post("/api/v1/discretion-standards/", _standard_body("370602"), format="json"), frozenset({"admin_a", "legal_a"}), api=True),
        Scenario("city scope", lambda c, o: c.post("/api/v1/discretion-standards/", _standard_body("370600"), format="json"), frozenset({"admin_city", "legal_city"}), api=True),
    ],
    "POST /api/v1/discretion-standards/{id}/approve/": [
        Scenario("district A's pending standard", lambda c, o: c.post(f"/api/v1/discretion-standards/{o['standard'].pk}/approve/", {"opinion": "同意"}, format="json"), frozenset({"admin_a"}), api=True),
    ],
    "POST /api/v1/discretion-standards/{id}/end/": [
        Scenario("district A's approved standard", lambda c, o: c.post(f"/api/v1/discretion-standards/{o['approved_standard'].pk}/end/", {"effective_to": "2026-12-31"}, format="json"), frozenset({"admin_a", "legal_a"}), api=True),
    ],
    # the shared calendar: the city's administrator only
    "admin:legal_calendaryear_upload": [
        Scenario("load 2027", lambda c, o: c.post(_admin("legal_calendaryear_upload"), {"year": "2027", "source": SOURCE, "file": _csv("date,kind,name\n2027-01-01,holiday,元旦\n")}), C),
        Scenario(
            "correct 2026 (confirmed)",
            lambda c, o: c.post(_admin("legal_calendaryear_upload"), {"year": "2026", "source": SOURCE, "content": _csv_2026_corrected(), "confirm": "True"}),
            C,
        ),
        Scenario("reload 2026 without confirming", lambda c, o: c.post(_admin("legal_calendaryear_upload"), {"year": "2026", "source": SOURCE, "file": _csv(_csv_2026_corrected())}), NOBODY),
    ],
    "admin:legal_calendaryear_add": [Scenario("add", lambda c, o: c.post(_admin("legal_calendaryear_add"), {"year": "2027", "source": SOURCE}), NOBODY)],
    "admin:legal_calendaryear_change": [Scenario("change", lambda c, o: c.post(_admin("legal_calendaryear_change", 2026), {"source": "篡改"}), NOBODY)],
    # the review catalogue and the collective-discussion rules: each agency its own jurisdiction
    "admin:legal_legalreviewcatalogueentry_add": [
        Scenario("district scope", lambda c, o: c.post(_admin("legal_legalreviewcatalogueentry_add"), _catalogue_form("370602")), A),
        Scenario("zone scope", lambda c, o: c.post(_admin("legal_legalreviewcatalogueentry_add"), _catalogue_form(ZONE)), Z),
        Scenario("city scope", lambda c, o: c.post(_admin("legal_legalreviewcatalogueentry_add"), _catalogue_form("370600")), C),
    ],
    "admin:legal_legalreviewcatalogueentry_change": [
        Scenario("district A's row", lambda c, o: c.post(_admin("legal_legalreviewcatalogueentry_change", o["catalogue"].pk), _catalogue_form("370602", "改名")), A),
        Scenario("move district A's row to the city", lambda c, o: c.post(_admin("legal_legalreviewcatalogueentry_change", o["catalogue"].pk), _catalogue_form("370600")), NOBODY),
    ],
    "admin:legal_collectivediscussionconfig_add": [
        Scenario("district scope", lambda c, o: c.post(_admin("legal_collectivediscussionconfig_add"), _collective_form("370602")), A),
        Scenario("zone scope", lambda c, o: c.post(_admin("legal_collectivediscussionconfig_add"), _collective_form(ZONE)), Z),
        Scenario("city scope", lambda c, o: c.post(_admin("legal_collectivediscussionconfig_add"), _collective_form("370600")), C),
    ],
    "admin:legal_collectivediscussionconfig_change": [
        Scenario("district A's rule", lambda c, o: c.post(_admin("legal_collectivediscussionconfig_change", o["collective"].pk), _collective_form("370602")), A),
    ],
    # checklists: a statutory list (owned by no agency) is the city's; an agency's own list its own
    "admin:inspections_checklisttemplate_changelist": [
        Scenario("new version of a statutory list", lambda c, o: c.post(_admin("inspections_checklisttemplate_changelist"), {"action": "new_version", "_selected_action": [o["statutory"].pk]}), C),
        Scenario("publish a statutory draft", lambda c, o: c.post(_admin("inspections_checklisttemplate_changelist"), {"action": "publish", "_selected_action": [o["statutory_draft"].pk]}), C),
        Scenario("publish district A's draft", lambda c, o: c.post(_admin("inspections_checklisttemplate_changelist"), {"action": "publish", "_selected_action": [o["own_draft"].pk]}), A),
    ],
    "admin:inspections_checklist_items": [
        Scenario("items of a statutory draft", lambda c, o: c.post(_admin("inspections_checklist_items", o["statutory_draft"].pk), {"items": "改写"}), C),
        Scenario("items of district A's draft", lambda c, o: c.post(_admin("inspections_checklist_items", o["own_draft"].pk), {"items": "改写"}), A),
    ],
    "admin:inspections_checklist_import": [
        Scenario("import into a statutory draft", lambda c, o: c.post(_admin("inspections_checklist_import", o["statutory_draft"].pk), {"file": _xlsx()}), C),
        Scenario("import into district A's draft", lambda c, o: c.post(_admin("inspections_checklist_import", o["own_draft"].pk), {"file": _xlsx()}), A),
    ],
    # grading profiles (frequencies and caps by grade): the province's, so the city bureau's leaders
    # and administrator only; the sample (示例配置) by nobody
    "planning:profiles": [
        Scenario("create the province's", lambda c, o: (_drop_province_profile(), c.post(reverse("planning:profiles"), {"name": "山东省分级检查频次", "source": SOURCE}))[1], PROVINCE),
    ],
    "planning:profile": [
        Scenario("edit the province's", lambda c, o: c.post(reverse("planning:profile", args=[o["profile"].pk]), _profile_form(o["profile"], f_2_2="2")), PROVINCE),
        Scenario("edit the sample", lambda c, o: c.post(reverse("planning:profile", args=[o["sample_profile"].pk]), _profile_form(o["sample_profile"], f_2_2="2")), NOBODY),
    ],
    "POST /api/v1/planning/profiles/": [
        Scenario("create the province's", lambda c, o: (_drop_province_profile(), c.post("/api/v1/planning/profiles/", {"name": "山东省", "source": SOURCE}, format="json"))[1], PROVINCE, api=True),
    ],
    "PUT /api/v1/planning/profiles/{id}/": [
        Scenario("edit the province's", lambda c, o: c.put(f"/api/v1/planning/profiles/{o['profile'].pk}/", _profile_body(o["profile"]), format="json"), PROVINCE, api=True),
        Scenario("edit the sample", lambda c, o: c.put(f"/api/v1/planning/profiles/{o['sample_profile'].pk}/", _profile_body(o["sample_profile"]), format="json"), NOBODY, api=True),
    ],
    "admin:inspections_checklisttemplate_add": [Scenario("add", lambda c, o: c.post(_admin("inspections_checklisttemplate_add"), {"code": "X", "name": "X"}), NOBODY)],
    "admin:inspections_checklisttemplate_change": [Scenario("change", lambda c, o: c.post(_admin("inspections_checklisttemplate_change", o["statutory"].pk), {"name": "篡改"}), NOBODY)],
    "admin:inspections_checklisttemplate_delete": [Scenario("delete", lambda c, o: c.post(_admin("inspections_checklisttemplate_delete", o["statutory"].pk), {"post": "yes"}), NOBODY)],
}
# Deleting configuration is never possible (a row ends with its 失效日期; history stays), and the
# read-only models take no add or change either.
for _model, _obj in (("calendaryear", "year"), ("ruleoverride", "override"), ("legalreviewcatalogueentry", "catalogue"), ("collectivediscussionconfig", "collective"), ("calendaryearrevision", "revision"), ("workcalendarday", "day")):
    MATRIX[f"admin:legal_{_model}_delete"] = [Scenario("delete", lambda c, o, m=_model, k=_obj: c.post(_admin(f"legal_{m}_delete", o[k].pk), {"post": "yes"}), NOBODY)]
    MATRIX[f"admin:legal_{_model}_changelist"] = [
        Scenario("bulk delete", lambda c, o, m=_model, k=_obj: c.post(_admin(f"legal_{m}_changelist"), {"action": "delete_selected", "_selected_action": [o[k].pk], "post": "yes"}), NOBODY)
    ]
for _model, _obj in (("calendaryearrevision", "revision"), ("workcalendarday", "day")):
    MATRIX[f"admin:legal_{_model}_add"] = [Scenario("add", lambda c, o, m=_model: c.post(_admin(f"legal_{m}_add"), {"year": "2026"}), NOBODY)]
    MATRIX[f"admin:legal_{_model}_change"] = [Scenario("change", lambda c, o, m=_model, k=_obj: c.post(_admin(f"legal_{m}_change", o[k].pk), {"name": "篡改"}), NOBODY)]

# Routes that read only (GET) or compute without writing; each is named so that a new route has
# to be placed in one list or the other.
NOT_A_WRITE = {
    "POST /api/v1/law/penalties/check/",  # a computation: nothing is written
    "POST /api/v1/cases/{id}/collective/",  # a case step (集体讨论记录), not the collective-discussion rule; tests/cases covers it
    "admin:inspections_checklisttemplate_history",
    *(f"admin:legal_{m}_history" for m in ("calendaryear", "ruleoverride", "legalreviewcatalogueentry", "collectivediscussionconfig", "calendaryearrevision", "workcalendarday")),
    "law:deadlines",
    "law:penalties",
    "law_api:deadlines",
    "law_api:deadline",
    "law_api:violations",
    "law_api:calendar-year",
    "law_api:overrides",  # GET lists; its POST is the schema's "POST /api/v1/law/overrides/"
    "law_api:penalty-check",  # the schema's POST …/penalties/check/
}
CONFIG_PATH = re.compile(r"^/api/v1/(law|checklists)/")
CONFIG_WORDS = re.compile(r"calendar|override|catalogue|collective|checklist|rule|discretion|grading|profile", re.I)


def _names(patterns: list[Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            out.extend(_names(p.url_patterns, ns))
        elif isinstance(p, URLPattern) and p.name:
            out.append(prefix + p.name)
    return out


def enumerate_config_routes() -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    names = set(_names(get_resolver().url_patterns))
    routes = {n for n in names if re.match(r"^admin:(legal_|inspections_checklist)", n)}
    routes |= {n for n in names if n.startswith(("law:", "law_api:"))}
    routes |= {n for n in names if n.startswith("planning:profile")}  # the grading profiles (issue 13 item 4)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, ops in schema["paths"].items():
        for method in ops:
            if method in ("post", "put", "patch", "delete") and (CONFIG_PATH.match(path) or CONFIG_WORDS.search(path)):
                routes.add(f"{method.upper()} {path}")
    return routes


def test_every_configuration_route_is_in_the_matrix(db: Any) -> None:
    routes = enumerate_config_routes()
    missing = routes - set(MATRIX) - NOT_A_WRITE
    assert not missing, f"configuration routes without an entry in the matrix: {sorted(missing)}"
    stale = (set(MATRIX) | NOT_A_WRITE) - routes
    assert not stale, f"matrix entries without a route: {sorted(stale)}"


@pytest.fixture
def objs(calendar: None, world: Any) -> dict[str, Any]:
    from anjian.inspections import services as insp
    from anjian.inspections.checklists import checklists_sync_from_law
    from anjian.inspections.models import ChecklistTemplate
    from anjian.legal.models import CalendarYearRevision, CollectiveDiscussionConfig, LegalReviewCatalogueEntry, RuleOverride, WorkCalendarDay

    add_personas(world)
    checklists_sync_from_law()
    statutory = ChecklistTemplate.objects.filter(owner_agency__isnull=True, status="published").order_by("code").first()
    statutory_draft = ChecklistTemplate.objects.get(code="IT25")
    assert statutory is not None and statutory_draft.owner_agency_id is None and statutory_draft.status == "draft"
    own_draft = insp.checklist_create(actor=world.user("admin_a"), code="ZF-1", name="芝罘区自定检查表", kind="bureau", items=[{"text": "一"}])
    day = dt.date(2026, 1, 1)
    from anjian.legal import discretion as legal_discretion

    body = _standard_body("370602")
    pending = legal_discretion.standard_create(actor=world.user("legal_a"), scope="370602", name="芝罘区裁量基准（待批）", source_document=SOURCE, effective_from=day, cuts=body["cuts"])
    approved = legal_discretion.standard_create(actor=world.user("legal_a"), scope="370602", name="芝罘区裁量基准", source_document=SOURCE, effective_from=dt.date(2025, 1, 1), cuts=[{**body["cuts"][0], "violation_id": "P14"}])
    approved = legal_discretion.standard_approve(actor=world.user("admin_a"), standard=approved, opinion="同意")
    from anjian.law import planning as pl
    from anjian.planning import services as planning

    return {
        "sample_profile": planning.sample_profile_sync(),
        "profile": planning.profile_load(actor=None, code="sd", name="山东省分级检查频次", province="370000", data=pl.SAMPLE_PROFILE, source=SOURCE),
        "standard": pending,
        "approved_standard": approved,
        "world": world,
        "override": RuleOverride.objects.create(rule_code="restart_review", scope="370602", effective_from=dt.date(2025, 1, 1), source_document=SOURCE, approver="区局"),
        "catalogue": LegalReviewCatalogueEntry.objects.create(scope="370602", code="R1", name="对单位罚款3万元以上", fine_organisation=30000, source_document=SOURCE, effective_from=day),
        "collective": CollectiveDiscussionConfig.objects.create(scope="370602", fine_organisation=50000, source_document=SOURCE, effective_from=day),
        "revision": CalendarYearRevision.objects.create(year=2025, version=0, source="旧", loaded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), days=[], correction_source=SOURCE),
        "day": WorkCalendarDay.objects.get(date=day),
        "year": type("Y", (), {"pk": 2026})(),
        "statutory": statutory,
        "statutory_draft": statutory_draft,
        "own_draft": own_draft,
    }


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_configuration_matrix(objs: dict[str, Any], route: str) -> None:
    world = objs["world"]
    failures: list[str] = []
    for scenario in MATRIX[route]:
        for persona in PERSONAS:
            user = world.user(persona)
            client: Any
            if scenario.api:
                client = APIClient()
                client.force_authenticate(user)
            else:
                client = Client()
                client.force_login(user)
            try:
                with transaction.atomic():
                    before = AuditEvent.objects.count()
                    r = scenario.run(client, objs)
                    took_effect = AuditEvent.objects.count() > before
                    raise _Rollback((r.status_code, took_effect))
            except _Rollback as done:
                status, took_effect = done.args[0]
            if status >= 500:
                failures.append(f"{scenario.what} / {persona}: HTTP {status}")
            expected = persona in scenario.allowed
            if took_effect != expected:
                failures.append(f"{scenario.what} / {persona}: {'allowed' if took_effect else 'refused'} (HTTP {status}), expected {'allowed' if expected else 'refused'}")
    assert not failures, "\n".join(failures)
