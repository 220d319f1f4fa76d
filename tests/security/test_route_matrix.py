"""Every route × who may reach it (issue 8, "Tests": the permission matrix enumerates routes).

The routes are enumerated from the URL resolver (every page; ``admin:`` has its own matrix in
tests/legal/test_config_matrix.py and Django's own checks) and from the OpenAPI schema (every API
operation). A route or operation without an entry in ``ROUTES`` fails
``test_every_route_is_in_the_table``; an entry whose route is gone fails it too. An API URL pattern
that the schema does not document fails as well, so that the schema half cannot be bypassed.

Kinds:

* ``public``: anyone (the login page, the health check, the static assets of the API pages);
* ``login``: any signed-in user, no object id in the path (lists, forms, searches, the schema);
* ``object:<record>``: the path carries the id of a record scoped by jurisdiction; district A's
  officer asking for district B's record gets 404 (403/405 where the view refuses before looking
  the record up), never 200 or 500 and never the record's name;
* ``object-unbuilt:<record>``: as ``object``, but no district-B record is built here (the reason
  is next to the entry); the route is still requested with an id that exists nowhere (404 expected)
  and with malformed ids, and stays in the table so that the enumeration still guards it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from rest_framework.test import APIClient

from tests.inspections.conftest import calendar, checklist  # noqa: F401

ROUTES: dict[str, str] = {
    # ---- pages (resolver names) ----
    "home": "login",
    "login": "public",
    "logout": "public",  # POST only; an anonymous POST just lands on the login page
    "healthz": "public",
    "pii-reveal": "login",  # POST only; the record's id is in the body, scoped by the service (404, tests/core/test_crypto.py)
    "account": "login",  # the user's own account: no record id, nobody else's data
    "account-password": "login",
    "account-end-others": "login",
    # the second factor and the personal API tokens (issue 10, items 2 and 4)
    "login-otp": "login",  # the second step of the sign-in: the signed-in user's own device
    "account-otp": "login",
    "account-token-create": "login",
    "account-token-revoke": "object-unbuilt:api_token",
    # the separated administrators' pages (三员分立): 403 for everyone else, scoped inside
    "security": "login",
    "security-unlock": "login",
    "security-otp-reset": "login",
    "audit": "login",
    "audit-verify": "login",
    "enterprises:list": "login",
    "enterprises:create": "login",
    "enterprises:export": "login",
    "enterprises:export_status": "login",  # a per-user token, not a record id
    "enterprises:export_download": "login",
    "enterprises:import": "login",
    "enterprises:import_template": "login",
    "enterprises:import_preview": "login",
    "enterprises:import_rejected": "login",
    "enterprises:detail": "object:enterprise",
    "enterprises:edit": "object:enterprise",
    "enterprises:status": "object:enterprise",
    "enterprises:transfer": "object:enterprise",
    "enterprises:subject": "object:enterprise",
    "enterprises:subject_end": "object:enterprise",
    "enterprises:child_create": "object:enterprise",
    "enterprises:child_edit": "object:enterprise",
    "enterprises:child_delete": "object:enterprise",
    # Annual plans (issue 13, anjian/planning): the list and the capacity act on the user's own
    # bureau; a plan of another district is 404 (tests/planning/test_plans.py).
    "planning:list": "login",
    "planning:capacity": "login",
    **{f"planning:{name}": "object:plan" for name in ("detail", "item", "submit", "return", "approve", "revise", "file", "publish", "xlsx")},
    "GET /api/v1/plans/": "login",
    "POST /api/v1/plans/": "login",
    "GET /api/v1/plans/{id}/": "object:plan",
    "GET /api/v1/plans/{id}/items/": "object:plan",
    "GET /api/v1/plans/{id}/progress/": "object:plan",
    **{f"POST /api/v1/plans/{{id}}/{step}/": "object:plan" for step in ("items/{item_pk}", "submit", "return", "approve", "revise", "file", "publish")},
    "GET /api/v1/planning/capacity/": "login",
    "POST /api/v1/planning/capacity/": "login",
    "GET /api/v1/planning/profiles/": "login",
    # Grading profiles (issue 13 item 4): a province's configuration, not a district's record; who
    # may change one is the configuration matrix's (tests/legal/test_config_matrix.py) and
    # tests/planning/test_profiles.py's concern.
    "planning:profiles": "login",
    "planning:profile": "object-unbuilt:grading_profile",
    "POST /api/v1/planning/profiles/": "login",
    "GET /api/v1/planning/profiles/{id}/": "object-unbuilt:grading_profile",
    "PUT /api/v1/planning/profiles/{id}/": "object-unbuilt:grading_profile",
    # Random draws (双随机): the staff pages and API scoped like plans; the public page needs no
    # login and is addressed by the draw's random public id, not its number.
    "planning:draws": "login",
    "planning:draw": "object:draw",
    "planning:draw_perform": "object:draw",
    "draw-public": "public",
    # The bureaus' published plans (totals only) and their draws, no login (issue 13 item 6).
    "public-plans": "public",
    "public-plans-agency": "public",
    # Declared relations (利害关系申报, 回避; issue 13 item 5): one's own, and the office's and
    # leaders' reading in scope; ending another district's declaration is 404.
    "planning:relations": "login",
    "planning:relation_end": "object:relation",
    "GET /api/v1/planning/relations/": "login",
    "POST /api/v1/planning/relations/": "login",
    "POST /api/v1/planning/relations/{id}/end/": "object:relation",
    "GET /api/v1/draws/": "login",
    "POST /api/v1/draws/": "login",
    "GET /api/v1/draws/{id}/": "object:draw",
    "POST /api/v1/draws/{id}/perform/": "object:draw",
    "GET /api/v1/draws/{id}/verify/": "object:draw",
    "inspections:list": "login",
    "inspections:findings": "login",
    "inspections:keepalive": "login",
    "inspections:sw": "public",  # the offline service worker script: code only, no data
    "inspections:new": "object:enterprise",
    "inspections:detail": "object:inspection",
    "inspections:field": "object:inspection",
    "inspections:complete": "object:inspection",
    "inspections:correct_times": "object:inspection",
    "inspections:print": "object:inspection",
    "inspections:scan": "object:inspection",
    "inspections:evidence": "object:inspection",
    "cases:filing-documents": "object:case",
    "cases:filing-documents-issue": "object:case",
    "inspections:finding_add": "object:inspection",
    **{
        f"cases:{name}": "object:case"
        for name in (
            "evidence",
            "evidence-interview-notice",
            "evidence-interview",
            "evidence-survey",
            "evidence-sample",
            "evidence-preservation",
            "evidence-preservation-approve",
            "evidence-preservation-decide",
            "evidence-file",
            "evidence-recusal",
            "evidence-recusal-decide",
        )
    },
    "hazards:list": "login",
    "hazards:create": "login",
    "hazards:order": "login",
    "hazards:reinspect": "login",
    "hazards:approvals": "login",
    "hazards:transfers": "login",
    "hazards:transfer_send": "login",
    "hazards:detail": "object:hazard",
    "hazards:serve": "object:document",
    "hazards:report": "object:hazard",
    "hazards:extension": "object:hazard",
    "hazards:extension_decide": "object:hazard",
    "hazards:opinion": "object:inspection",
    "hazards:close": "object:hazard",
    "hazards:supervise": "object:hazard",
    "hazards:measure_decide": "object:hazard",
    "hazards:set_aside_decide": "object:set_aside",
    "hazards:set_aside_withdraw": "object:set_aside",
    "hazards:reinspection_decide": "object:reinspection",
    "hazards:measure": "object:measure",
    "hazards:restart_apply": "object:measure",
    "hazards:restart_review": "object:measure",
    "hazards:inspection_record": "object:inspection",
    "hazards:transfer_detail": "object:transfer",
    "hazards:transfer_accept": "object:transfer",
    "hazards:transfer_return": "object:transfer",
    "hazards:timeline": "object:enterprise",
    "hazards:two_lists": "object:enterprise",
    "hazards:two_lists_export": "object:enterprise",
    "hazards:institutional_create": "object:enterprise",
    "hazards:institutional_done": "object:institutional",
    "documents:download": "object:document",
    "cases:publication-queue": "login",
    "cases:publication-detail": "object:publication",
    "cases:publication-act": "object:publication",
    "cases:dishonesty-list": "login",
    "cases:dishonesty-export": "login",
    "cases:dishonesty-detail": "object:dishonesty",
    "cases:dishonesty-act": "object:dishonesty",
    "public-penalties": "public",
    # 一文一码 (issue 14 item 2): whether a document is genuine and current, no content, no personal
    # data, rate-limited (tests/documents/test_register.py).
    "document-verify": "public",
    "document-verify-code": "public",
    # The documents register (issue 14 item 3): scoped lists, no id in the path.
    "documents:register": "login",
    "documents:register_xlsx": "login",
    "GET /api/v1/documents/": "login",
    "GET /api/v1/documents/{id}/": "object:document",
    # One document's page, its PDF, void and erroneous service (issue 14 items 1 and 4).
    "documents:detail": "object:document",
    "documents:pdf": "object:document",
    "documents:pdf_again": "object:document",
    "documents:void": "object:document",
    "documents:reissue": "object:document",  # re-issue (issue 14 item 4): the issuing bureau's heads only (tests/documents/test_reissue.py)
    "documents:service_erroneous": "object:document",
    "POST /api/v1/documents/{id}/void/": "object:document",
    "POST /api/v1/documents/{id}/reissue/": "object:document",
    # batch printing and bundles (issue 14 items 6, 7): the ids are in the body (each checked against
    # the scope, tests/documents/test_printing.py); a job is its requester's alone.
    "documents:print_batch": "login",
    "documents:bundle": "login",  # the record's app resolves the id in the user's scope (404 otherwise)
    "documents:print_job": "object-unbuilt:print_job",
    "documents:print_job_pdf": "object-unbuilt:print_job",
    "POST /api/v1/print-jobs/batch/": "login",
    "POST /api/v1/print-jobs/bundle/": "login",
    "GET /api/v1/print-jobs/{id}/": "object-unbuilt:print_job",
    # the bureau's own templates (issue 14 item 5): its administrator, its own agency only
    # (tests/documents/test_templates.py: another bureau's administrator gets 404, others 403)
    "documents:templates": "login",
    "documents:template_kind": "login",
    "documents:template_upload": "login",
    "documents:template_reset": "login",
    "documents:template_activate": "object-unbuilt:agency_template",
    "documents:template_file": "object-unbuilt:agency_template",
    "GET /api/v1/document-templates/": "login",
    "POST /api/v1/document-templates/": "login",
    "POST /api/v1/document-templates/reset/": "login",
    "POST /api/v1/document-templates/{id}/activate/": "object-unbuilt:agency_template",
    "POST /api/v1/documents/{id}/service-records/{record_pk}/erroneous/": "object:document",  # 安全生产法 §78: released, not withdrawn decisions only (tests/cases/test_publication.py)
    "cases:list": "login",
    "cases:board": "login",
    "cases:queue": "login",
    "cases:new": "login",
    "cases:summary_new": "login",
    "cases:accident_new": "login",
    "cases:transfer_accept": "object:transfer",
    "cases:detail": "object:case",
    **{
        f"cases:step-{slug}": "object:case"
        for slug in (
            "file",
            "violation",
            "officers",
            "propose",
            "notice",
            "notice-served",
            "defence",
            "defence-review",
            "waiver",
            "hearing-request",
            "hearing-notice",
            "hearing-held",
            "legal-review",
            "collective",
            "extension",
            "extension-decide",
            "decide",
            "decision-served",
            "payment",
            "handover",
            "no-penalty",
            "refer",
            "withdraw",
            "close",
            "recusal",
            "recusal-decide",
        )
    },  # fmt: skip
    # The case file (issue 9 item 10) and the reminders (item 11).
    "cases:casefile-detail": "object:case",
    "cases:casefile-download": "object:case",
    "cases:casefile-pages": "object:case",
    "cases:casefile-reminders-read": "login",  # POST only: marks the signed-in person's own reminders read
    "law:deadlines": "login",
    "law:penalties": "login",
    "api-root": "login",
    "api-schema": "login",
    "api-docs": "login",
    "api-redoc": "login",
    "api-redoc-js": "public",  # the Redoc script bundle (a static asset served from the package)
    # ---- the workbench (issue 11 item 3: stats/urls_workbench.py, stats/api_workbench.py) ----
    "workbench": "login",
    "workbench-list": "login",  # <key> names an entry (unknown → 404), not a record: each list is the user's own scope
    "GET /api/v1/workbench/": "login",
    # ---- API operations (OpenAPI schema) ----
    "POST /api/v1/pii/reveal/": "login",  # the record's id is in the body, scoped by the service (404, tests/core/test_crypto.py)
    "GET /api/v1/agencies/": "login",
    "GET /api/v1/agencies/{id}/": "login",  # the organisation directory is shared by every bureau
    "GET /api/v1/departments/": "login",
    "GET /api/v1/departments/{id}/": "login",
    "GET /api/v1/staff/": "login",
    "GET /api/v1/staff/{id}/": "login",
    "GET /api/v1/checklists/": "login",
    "GET /api/v1/checklists/{id}/": "login",  # published checklists are shared; drafts are the admin's
    "GET /api/v1/law/calendar/{year}/": "login",
    "GET /api/v1/law/deadlines/": "login",
    "GET /api/v1/law/deadlines/{code}/": "login",
    "GET /api/v1/law/overrides/": "login",
    "POST /api/v1/law/overrides/": "login",  # who may write: tests/legal/test_config_matrix.py
    "POST /api/v1/law/penalties/check/": "login",
    "GET /api/v1/law/violations/": "login",
    "GET /api/v1/enterprises/": "login",
    "POST /api/v1/enterprises/": "login",
    "GET /api/v1/enterprises/{id}/": "object:enterprise",
    "PUT /api/v1/enterprises/{id}/": "object:enterprise",
    "PATCH /api/v1/enterprises/{id}/": "object:enterprise",
    "DELETE /api/v1/enterprises/{id}/": "object:enterprise",
    "GET /api/v1/enterprises/{id}/{child}/": "object:enterprise",
    "POST /api/v1/enterprises/{id}/{child}/": "object:enterprise",
    "PATCH /api/v1/enterprises/{id}/{child}/{child_pk}/": "object:enterprise",
    "DELETE /api/v1/enterprises/{id}/{child}/{child_pk}/": "object:enterprise",
    "GET /api/v1/enterprises/{id}/audit/": "object:enterprise",
    "POST /api/v1/enterprises/{id}/planned-subjects/": "object:enterprise",
    "POST /api/v1/enterprises/{id}/planned-subjects/{subject_pk}/end/": "object:enterprise",
    "POST /api/v1/enterprises/{id}/status/": "object:enterprise",
    "POST /api/v1/enterprises/{id}/transfer/": "object:enterprise",
    "GET /api/v1/inspections/": "login",
    # The plan items a new inspection of a unit may carry out (the unit is scope-checked: 404 outside).
    "GET /api/v1/inspections/plan-items/": "login",
    "POST /api/v1/inspections/": "login",
    "POST /api/v1/inspections/sync/": "login",
    "GET /api/v1/inspections/{id}/": "object:inspection",
    "POST /api/v1/inspections/{id}/complete/": "object:inspection",
    "POST /api/v1/inspections/{id}/correct-times/": "object:inspection",
    "POST /api/v1/inspections/{id}/evidence/": "object:inspection",
    "POST /api/v1/inspections/{id}/results/": "object:inspection",
    "POST /api/v1/inspections/{id}/uploads/": "object:inspection",
    "GET /api/v1/inspections/{id}/uploads/{upload_id}/": "object:inspection",
    "PUT /api/v1/inspections/{id}/uploads/{upload_id}/": "object:inspection",
    "POST /api/v1/inspections/{id}/uploads/{upload_id}/complete/": "object:inspection",
    "GET /api/v1/hazards/": "login",
    "POST /api/v1/hazards/": "login",
    "POST /api/v1/hazards/order/": "login",  # ids in the body: tests/hazards covers their scope
    "POST /api/v1/hazards/reinspect/": "login",
    "POST /api/v1/hazards/reinspection-result/": "login",
    "POST /api/v1/hazards/serve/": "login",
    "GET /api/v1/hazards/{id}/": "object:hazard",
    "POST /api/v1/hazards/{id}/close/": "object:hazard",
    "POST /api/v1/hazards/{id}/extension/": "object:hazard",
    "POST /api/v1/hazards/{id}/extension/{ext_pk}/decide/": "object:hazard",
    "POST /api/v1/hazards/{id}/measure/": "object:hazard",
    "POST /api/v1/hazards/{id}/report/": "object:hazard",
    "GET /api/v1/hazards/{id}/suggestion/": "object:hazard",
    "POST /api/v1/hazards/{id}/supervise/": "object:hazard",
    "GET /api/v1/measures/": "login",
    "GET /api/v1/measures/{id}/": "object:measure",
    "POST /api/v1/measures/{id}/restart/": "object:measure",
    "POST /api/v1/measures/{id}/restart-review/": "object:measure",
    "GET /api/v1/set-asides/": "login",
    "GET /api/v1/set-asides/{id}/": "object:set_aside",
    "POST /api/v1/set-asides/{id}/decide/": "object:set_aside",
    "POST /api/v1/set-asides/{id}/withdraw/": "object:set_aside",
    "GET /api/v1/transfers/": "login",
    "POST /api/v1/transfers/": "login",
    "GET /api/v1/transfers/{id}/": "object:transfer",
    "POST /api/v1/transfers/{id}/accept/": "object:transfer",
    "POST /api/v1/transfers/{id}/return/": "object:transfer",
    "GET /api/v1/cases/": "login",
    "POST /api/v1/cases/": "login",
    "POST /api/v1/cases/accident/": "login",
    "GET /api/v1/cases/awaiting/": "login",
    "GET /api/v1/cases/board/": "login",
    "POST /api/v1/cases/summary/": "login",
    "POST /api/v1/cases/transfer-accept/": "login",
    "GET /api/v1/cases/{id}/": "object:case",
    "GET /api/v1/publications/": "login",
    "GET /api/v1/publications/to-withdraw/": "login",
    "GET /api/v1/publications/{id}/": "object:publication",
    **{f"POST /api/v1/publications/{{id}}/{step}/": "object:publication" for step in ("prepare", "release", "credit", "decision-changed", "withdraw")},
    "GET /api/v1/dishonesty/": "login",
    "POST /api/v1/dishonesty/": "login",  # the enterprise id in the body is scoped (tests/cases/test_publication.py)
    "GET /api/v1/dishonesty/candidates/": "login",
    "GET /api/v1/dishonesty/export/": "login",
    "GET /api/v1/dishonesty/{id}/": "object:dishonesty",
    **{f"POST /api/v1/dishonesty/{{id}}/{step}/": "object:dishonesty" for step in ("decide", "notify", "statement", "publish", "remove")},
    "GET /api/v1/cases/{id}/case-file/": "object:case",
    "GET /api/v1/cases/{id}/case-file/download/": "object:case",
    **{
        f"POST /api/v1/cases/{{id}}/{step}/": "object:case"
        for step in (
            "close",
            "collective",
            "decide",
            "decision-served",
            "defence",
            "defence-review",
            "extension",
            "extension/{ext_pk}/decide",
            "file",
            "handover",
            "hearing-held",
            "hearing-notice",
            "hearing-request",
            "legal-review",
            "no-penalty",
            "notice",
            "notice-served",
            "officers",
            "payment",
            "propose",
            "recusal",
            "recusal/{rec_pk}/decide",
            "refer",
            "violations",
            "waiver",
            "withdraw",
        )
    },
    # Filing-stage documents (anjian/cases/api_filing.py).
    "POST /api/v1/cases/{id}/investigation-report/": "object:case",
    "POST /api/v1/cases/{id}/handling-approval/": "object:case",
    "POST /api/v1/cases/{id}/waiver-form/": "object:case",
    "POST /api/v1/cases/{id}/hearing-right-notice/": "object:case",
    "GET /api/v1/cases/{id}/documents/": "object:case",
    # Evidence of a case (anjian/cases/api_evidence.py): the case is looked up in scope first.
    **{
        f"{method} /api/v1/cases/{{id}}/{sub}/": "object:case"
        for sub in ("interviews", "interviews/notices", "surveys", "samples", "preservations", "evidence")
        for method in ("GET", "POST")
    },
    "POST /api/v1/cases/{id}/preservations/{pres_pk}/approve/": "object:case",
    "POST /api/v1/cases/{id}/preservations/{pres_pk}/decide/": "object:case",
    # discretion (issue 9 items 5, 6)
    "GET /api/v1/cases/{id}/comparables/": "object:case",
    "cases:discretion-case": "object:case",
    "cases:discretion-standards": "login",
    "cases:discretion-standard-create": "login",
    "cases:discretion-standard": "object-unbuilt:discretion_standard",
    "cases:discretion-standard-approve": "object-unbuilt:discretion_standard",
    "cases:discretion-standard-end": "object-unbuilt:discretion_standard",
    "GET /api/v1/discretion-standards/": "login",  # those covering the user's agency only (tests/cases/test_discretion_api.py)
    "POST /api/v1/discretion-standards/": "login",
    "GET /api/v1/discretion-standards/{id}/": "object-unbuilt:discretion_standard",
    "POST /api/v1/discretion-standards/{id}/approve/": "object-unbuilt:discretion_standard",
    "POST /api/v1/discretion-standards/{id}/end/": "object-unbuilt:discretion_standard",
    # execution (issue 9 item 7): the page, its action forms and the execution API
    "cases:execution": "object:case",
    "cases:execution-action": "object:case",
    "GET /api/v1/cases/execution/": "login",
    "GET /api/v1/cases/{id}/execution/": "object:case",
    "GET /api/v1/cases/{id}/execution/surcharge/": "object:case",
    **{
        f"POST /api/v1/cases/{{id}}/execution/{step}/": "object:case"
        for step in (
            "closure-request",
            "daily-penalty",
            "deferrals",
            "deferrals/{plan_pk}/decide",
            "demand",
            "enforcement",
            "payments",
            "remedies",
            "remedies/{remedy_pk}/outcome",
            "reminder",
            "reminder-served",
        )
    },
    # The bureau's own organisation (issue 10 item 1, anjian/org/views.py and api.py): the pages
    # without an id act on the user's own bureau; a person or department of another bureau is 404.
    "org:agency": "login",
    "org:agency_edit": "login",
    "org:agency_head": "login",
    "org:departments": "login",
    "org:department_create": "login",
    "org:department_edit": "object:department",
    "org:staff_list": "login",
    "org:staff_create": "login",
    "org:staff_transfer_in": "login",
    "org:staff_detail": "object:staff",
    "org:membership_add": "object:staff",
    "org:membership_end": "object:staff",
    "org:membership_roles": "object:staff",
    "org:certificate_add": "object:staff",
    "org:certificate_event": "object:staff",
    "org:legal_qualification": "object:staff",
    "org:safety_qualification": "object:staff",
    "org:staff_edit": "object:staff",
    "org:certificates": "login",
    "org:import": "login",
    "org:import_template": "login",
    "org:import_preview": "login",  # a per-user token, not a record id
    "PATCH /api/v1/agencies/{id}/": "object:agency",
    "POST /api/v1/agencies/{id}/heads/": "object:agency",
    "POST /api/v1/departments/": "login",  # always the user's own bureau
    "PATCH /api/v1/departments/{id}/": "object:department",
    "POST /api/v1/staff/": "login",  # always the user's own bureau
    "POST /api/v1/staff/transfer-in/": "login",  # always into the user's own bureau
    # The indicators (issue 11 item 2, anjian/stats/*_indicators.py): no record id in the path; the
    # district, agency and sector in the query are scoped (404 outside, 400 malformed) and an
    # administrator-only user is refused (tests/stats/test_indicators_api.py).
    "stats-indicators": "login",
    "stats-drill": "login",
    "GET /api/v1/stats/indicators/": "login",
    "GET /api/v1/stats/indicators/{key}/": "login",
    "GET /api/v1/stats/drill/{key}/": "login",
    # The dashboard (issue 11 item 4, anjian/stats/views_dashboard.py): no record id in the path; a
    # district out of scope is 404, an administrator-only user 403 (tests/stats/test_dashboard.py).
    "stats-dashboard": "login",
    # The .xlsx of the indicators, the drill-down lists and the periodic returns (issue 11 items 5
    # and 7), and the city's circular: no record id in the path; a district sees its own row only,
    # a district or an officer may not issue (tests/stats/test_returns.py).
    "stats-indicators-xlsx": "login",
    "stats-drill-xlsx": "login",
    "stats-returns": "login",
    "stats-dashboard-xlsx": "login",
    "workbench-list-xlsx": "login",
    "stats-returns-xlsx": "login",
    "stats-returns-circular": "login",
    "GET /api/v1/stats/returns/": "login",
    "POST /api/v1/stats/returns/circular/": "login",
    # Complaints and reports (issue 12, anjian/complaints): the list and the office's registration
    # have no id; a submission of another bureau, or one naming the user, is 404
    # (tests/complaints/test_access.py). The public page and status look-up need no login.
    "complaints:list": "login",
    "complaints:new": "login",
    "complaints:detail": "object:complaint",
    **{
        f"complaints:step-{slug}": "object:complaint"
        for slug in ("accept", "decline", "assign", "finding", "outcome", "draft", "approve", "verify", "extension", "extension-decide", "reply", "review-request", "review-answer", "re-review-request", "re-review-answer", "close",
                     "inquiry", "inquiry-answer", "hazard", "transfer", "reward", "reward-decide", "reward-pay")
    },
    "complaints:reward-range": "login",
    # The figures (issue 12 item 9): no id; scoped like the list (tests/complaints/test_figures.py).
    # An officer's complaint record (item 4): the office and the leaders only, 403 for other
    # roles, 404 for one's own record or an officer with nothing in scope
    # (tests/complaints/test_officer_record.py).
    "complaints-figures": "login",
    "complaints-figures-xlsx": "login",
    "complaints:officers": "login",
    "complaints:officer": "object:staff",
    "GET /api/v1/complaints/figures/": "login",
    "GET /api/v1/complaints/officers/{id}/record/": "object:staff",
    "public-report": "public",
    "public-report-status": "public",
    "GET /api/v1/complaints/": "login",
    "POST /api/v1/complaints/": "login",
    "GET /api/v1/complaints/{id}/": "object:complaint",
    "GET /api/v1/complaints/{id}/records/": "object:complaint",
    **{
        f"POST /api/v1/complaints/{{id}}/{step}/": "object:complaint"
        for step in ("accept", "decline", "assign", "findings", "outcomes", "draft", "approve", "verify", "extension", "extension/decide", "reply", "review-request", "review-answer", "re-review-request", "re-review-answer", "close",
                     "inquiry", "inquiry-answer", "hazard", "transfer", "reward", "reward/decide", "reward/paid")
    },
    "GET /api/v1/complaints/reward-range/": "login",
    "POST /api/v1/complaints/reward-range/": "login",
    **{
        f"POST /api/v1/staff/{{id}}/{sub}/": "object:staff"
        for sub in ("certificates", "certificates/{certificate_pk}/events", "details", "legal-qualification", "safety-qualification", "memberships", "memberships/{membership_pk}/end", "memberships/{membership_pk}/roles")
    },
}
# Records not built by ``b_records`` (none today): name the reason here, e.g.
# "x": "needs ... (tests/<app> covers the scope)", and give its routes the kind "object-unbuilt:x".
UNBUILT_REASONS: dict[str, str] = {
    "agency_template": "a template belongs to an agency, not to a jurisdiction's records; tests/documents/test_templates.py checks that another bureau's administrator gets 404",
    "print_job": "a print job belongs to the user who asked for it, not to a jurisdiction; tests/documents/test_printing.py checks that anyone else gets 404",
    "api_token": "a token belongs to its user, not to a jurisdiction; tests/core/test_api_tokens.py checks that another user's token is 404 and stays unrevoked",
    "discretion_standard": "a standard is legal configuration, not a district record built by b_records; tests/cases/test_discretion.py checks that district A never sees or approves district B's",
    "grading_profile": "a profile belongs to a province, not a district; tests/planning/test_profiles.py checks that another province's profile is 404 to every user here",
}
API_PREFIX = "api/v1/"
SKIP_PREFIXES = ("admin/", "static/", "media/")


# ---- enumeration ----


def _walk(patterns: list[Any], ns: str = "", route: str = "") -> list[tuple[str, str, URLPattern]]:
    out: list[tuple[str, str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out.extend(_walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns, route + str(p.pattern)))
        elif isinstance(p, URLPattern):
            out.append((ns + (p.name or ""), route + str(p.pattern), p))
    return out


def resolver_routes() -> list[tuple[str, str, URLPattern]]:
    return [(n, r, p) for n, r, p in _walk(get_resolver().url_patterns) if not n.startswith("admin:") and not r.startswith(SKIP_PREFIXES)]


@functools.cache
def schema_operations() -> list[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops if method in ("get", "post", "put", "patch", "delete")]


def _is_router_api(name: str, route: str) -> bool:
    """A DRF router or law API pattern: documented by the schema, keyed by its operations."""
    return route.startswith(API_PREFIX) and name != "api-root"


def enumerate_routes() -> set[str]:
    keys = {n for n, r, _ in resolver_routes() if not _is_router_api(n, r)}
    keys |= {f"{m} {p}" for m, p in schema_operations()}
    return keys


SAMPLE = {"child": "sites", "upload_id": str(uuid.UUID(int=1)), "public_id": str(uuid.UUID(int=1)), "year": "2026", "code": "defence_statement", "token": "x" * 32}


def fill(path: str, ident: str, **extra: str) -> str:
    """A schema path with its parameters filled: ``{id}`` the record's id, the rest samples."""

    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "id":
            return ident
        return extra.get(key, SAMPLE.get(key, "1"))

    return re.sub(r"\{(\w+)\}", one, path)


def test_every_route_is_in_the_table(db: Any) -> None:
    routes = enumerate_routes()
    missing = routes - set(ROUTES)
    assert not missing, f"routes without an entry in ROUTES (say who may reach them): {sorted(missing)}"
    stale = set(ROUTES) - routes
    assert not stale, f"ROUTES entries without a route: {sorted(stale)}"
    for key, kind in ROUTES.items():
        assert kind in ("public", "login") or kind.split(":")[0] in ("object", "object-unbuilt"), (key, kind)
        if kind.startswith("object-unbuilt:"):
            assert kind.split(":")[1] in UNBUILT_REASONS, f"{key}: an unbuilt record needs its reason"
    # Every API URL pattern is documented by an operation of the schema: an undocumented API view
    # would otherwise escape the table.
    documented: set[str] = set()
    for _method, path in schema_operations():
        try:
            documented.add(resolve(fill(path, "1")).view_name)
        except Resolver404:
            pytest.fail(f"schema path {path} resolves to no view")
    api_names = {n for n, r, _ in resolver_routes() if _is_router_api(n, r)}
    assert api_names - documented == set(), f"API patterns the schema does not document: {sorted(api_names - documented)}"


# ---- requests ----


def _page_kwargs(pattern: URLPattern, ident: str) -> dict[str, str]:
    out = {}
    for key, conv in pattern.pattern.converters.items():
        if key in ("pk", "enterprise_pk"):
            out[key] = ident
        elif key in SAMPLE:
            out[key] = SAMPLE[key]
        else:
            out[key] = "1" if type(conv).__name__ == "IntConverter" else "x"
    return out


def _page_url(name: str, ident: str) -> str:
    pattern = next(p for n, _r, p in resolver_routes() if n == name)
    return reverse(name, kwargs=_page_kwargs(pattern, ident))


def _requests(key: str, ident: str) -> list[tuple[str, str, bool]]:
    """(method, url, is_api) for one table entry with ``ident`` as the record's id."""
    if " " in key:
        method, path = key.split(" ", 1)
        return [(method, fill(path, ident), True)]
    url = _page_url(key, ident)
    return [("GET", url, False), ("POST", url, False)]  # POST: an empty form to every page


def _send(client: Any, method: str, url: str, is_api: bool) -> Any:
    call = getattr(client, method.lower())
    if is_api:
        return call(url, {}, format="json")
    return call(url, {})


def test_anonymous_never_reaches_a_signed_in_route(db: Any) -> None:
    failures = []
    login_url = reverse("login")
    for key, kind in sorted(ROUTES.items()):
        if " " in key:
            method, path = key.split(" ", 1)
            reqs = [(method, fill(path, "1"), True)]
        else:
            pattern = next(p for n, _r, p in resolver_routes() if n == key)
            url = reverse(key, kwargs=_page_kwargs(pattern, "1"))
            # The API root answers like the API; the inspection page's keep-alive ping (fetch()) is
            # refused with 403 rather than redirected: a script cannot follow a login redirect.
            api_like = url.startswith("/api/v1/") or key == "inspections:keepalive"
            reqs = [("GET", url, api_like), ("POST", url, api_like)]
        for method, url, is_api in reqs:
            client: Any = APIClient() if is_api else Client()
            r = _send(client, method, url, is_api)
            where = f"{key} ({method} {url}): HTTP {r.status_code}"
            if r.status_code >= 500:
                failures.append(where)
            elif kind == "public":
                continue
            elif is_api:
                if r.status_code not in (401, 403, 405):
                    failures.append(f"{where}, expected 401/403")
            elif r.status_code == 405:
                continue  # the method is refused before anything is looked at
            elif r.status_code != 302 or not r["Location"].startswith(login_url):
                failures.append(f"{where}, expected a redirect to the login page")
    assert not failures, "\n".join(failures)


@pytest.fixture
def b_records(world: Any, checklist: Any, calendar: None, settings: Any, tmp_path: Any) -> dict[str, Any]:  # noqa: F811
    """One record of each kind in district B (福山区), built by B's own staff."""
    from anjian.cases import services as cases
    from anjian.documents import services as documents
    from anjian.enterprises import services as enterprises
    from anjian.hazards import services as hazards
    from anjian.hazards.models import Reinspection
    from anjian.inspections import services as inspections
    from anjian.org.models import Department
    from tests.conftest import _person, make_uscc
    from tests.documents.conftest import sample_context

    settings.MEDIA_ROOT = tmp_path
    officer_b = world.user("officer_b")
    today = timezone.localdate()
    ent = enterprises.enterprise_create(
        actor=officer_b, jurisdiction=world.district_b, name=SECRET_NAME, uscc=make_uscc(77, region="370611"), sectors=["industry.machinery"], features=["dust_explosion"]
    )
    inspection = inspections.inspection_create(
        actor=officer_b,
        enterprise=ent,
        type="planned",
        inspected_on=today,
        started_at=timezone.now(),
        place="车间",
        officer_ids=[officer_b.staff.pk, world.user("depthead_b").staff.pk],
    )
    hazard = hazards.hazard_create(actor=officer_b, enterprise=ent, source="self_check", description="粉尘清扫制度未落实", location="抛光车间", severity="general", found_on=today)
    major = hazards.hazard_create(
        actor=officer_b, enterprise=ent, source="self_check", description="除尘系统未设置锁气卸灰装置", location="除尘间", severity="major", major_reason="现场确认", found_on=today
    )
    measure = hazards.measure_decide(actor=officer_b, hazard=major, measure_type="suspend", scope="unit", reason="无法保证安全", decided_on=today, issue_document=False)
    # A general hazard against a major-hazard criterion asks B's expert to set the criterion aside
    # (the criterion is taken as sourced, as in tests/hazards/test_set_aside.py).
    expert_b = _person({}, "expert_b", world.agency_b, [], kind="expert", cert=False)
    with mock.patch.object(hazards, "_criterion_is_sourced", return_value=True):
        asked = hazards.hazard_create(
            actor=officer_b, enterprise=ent, source="self_check", description="未设置紧急切断", location="罐区", severity="general", found_on=today,
            criterion_id="HC-01", set_aside_reason="经论证不属于重大隐患", set_aside_by=expert_b.staff, period_days=10,
        )  # fmt: skip
    set_aside = hazards.pending_set_aside(asked)
    assert set_aside is not None
    # A reinspection row links B's hazard to B's inspection (reinspection_start would first need an
    # order issued and served; only the record's scope matters here).
    reinspection = Reinspection.objects.create(hazard=hazard, inspection=inspection)
    institutional = hazards.institutional_create(actor=officer_b, enterprise=ent, title="粉尘清扫制度")
    supervision = Department.objects.create(agency=world.agency_b, name="监管科", kind="supervision")
    enforcement = Department.objects.get(agency=world.agency_b, kind="enforcement")
    transfer = hazards.transfer_send(
        actor=world.user("depthead_b"), enterprise=ent, from_department=supervision, to_department=enforcement, facts="检查发现违法行为，移交执法队伍", hazards=[hazard]
    )
    document = documents.document_issue(
        actor=officer_b,
        kind_code="rectification_order",
        agency_id=world.agency_b.pk,
        agency_name=world.agency_b.name,
        doc_abbr=world.agency_b.doc_abbr,
        jurisdiction=world.district_b,
        subject_type="tests.subject",
        subject_id=1,
        context={**sample_context("rectification_order"), "party": {"name": SECRET_NAME}},
        issued_on=dt.date(2026, 11, 28),
    )
    case = cases.case_open(
        actor=officer_b, source="other", source_reason="日常巡查发现", enterprise=ent, title="福山未消除事故隐患案", facts="现场发现隐患未消除", discovered_on=today
    )
    from anjian.cases.models_publication import DishonestyEntry, Publication

    publication = Publication.objects.create(
        case=case, jurisdiction=world.district_b, owner_agency=world.agency_b, enterprise=ent, party_name=SECRET_NAME, decided_on=today,
        agency_name=world.agency_b.name, district_name=world.district_b.name, text=SECRET_NAME, due_on=today, credit_due_on=today,
    )  # fmt: skip
    dishonesty = DishonestyEntry.objects.create(
        jurisdiction=world.district_b, owner_agency=world.agency_b, enterprise=ent, condition="accident_major", condition_text="发生重大生产安全事故",
        article="应急管理部令第11号", reason="示例", proposed_by=officer_b, proposed_on=today,
    )  # fmt: skip
    from anjian.complaints.models import Submission

    complaint = Submission.objects.create(
        jurisdiction=world.district_b, owner_agency=world.agency_b, kind="report", channel="letter", grounds=["hidden_hazard"], summary=SECRET_NAME,
        content=SECRET_NAME, tracking_digest="b" * 64, received_on=today, anonymous=True,
    )  # fmt: skip
    from anjian.planning import services as planning

    plan = planning.plan_generate(actor=officer_b, year=2026)
    draw = planning.draw_commit(
        actor=world.user("depthead_b"), title="福山抽查", filters={}, count=1, planned_on=today + dt.timedelta(days=3), draw_at=timezone.now() + dt.timedelta(days=1)
    )
    relation = planning.relation_declare(actor=officer_b, enterprise=str(ent.pk), kind="kinship", description=SECRET_NAME)
    return {
        "relation": relation,
        "complaint": complaint,
        "plan": plan,
        "draw": draw,
        "agency": world.agency_b,
        "department": enforcement,
        "staff": officer_b.staff,
        "publication": publication,
        "dishonesty": dishonesty,
        "world": world,
        "enterprise": ent,
        "inspection": inspection,
        "hazard": hazard,
        "transfer": transfer,
        "document": document,
        "case": case,
        "measure": measure,
        "set_aside": set_aside,
        "institutional": institutional,
        "reinspection": reinspection,
    }


SECRET_NAME = "福山保密机械制造有限公司"
NOWHERE = "987654321"
OBJECT_STATUSES = (403, 404, 405)
# A write that validates its body before it looks the record up answers an empty body with 400/422
# for every id: that tells nothing about district B's record, as long as the answer is exactly the
# one for an id that exists nowhere (checked), and it is never 200 or 500. With a valid body the
# scope check answers 404 (the apps' own tests cover each write).
BODY_FIRST_STATUSES = (400, 422)


def _officer_a(world: Any, is_api: bool) -> Any:
    client: Any = APIClient() if is_api else Client()
    client.force_login(world.user("officer_a")) if not is_api else client.force_authenticate(world.user("officer_a"))
    return client


def test_district_a_cannot_reach_district_b_records(b_records: dict[str, Any]) -> None:
    world = b_records["world"]
    failures = []
    checked = 0
    for key, kind in sorted(ROUTES.items()):
        if not kind.startswith("object"):
            continue
        record = kind.split(":")[1]
        ident = str(b_records[record].pk) if kind.startswith("object:") else NOWHERE
        for method, url, is_api in _requests(key, ident):
            r = _send(_officer_a(world, is_api), method, url, is_api)
            checked += 1
            where = f"{key} ({method} {url}): HTTP {r.status_code}"
            if r.status_code in BODY_FIRST_STATUSES and method != "GET":
                nowhere = _send(_officer_a(world, is_api), method, url.replace(f"/{ident}/", f"/{NOWHERE}/", 1), is_api)
                if (nowhere.status_code, nowhere.content) != (r.status_code, r.content):
                    failures.append(f"{where}, but HTTP {nowhere.status_code} for an id that exists nowhere (the answer tells the record exists)")
            elif r.status_code not in OBJECT_STATUSES:
                failures.append(f"{where}, expected 404 (or 403/405)")
            if SECRET_NAME in r.content.decode(errors="replace"):
                failures.append(f"{where} shows district B's enterprise name")
    assert checked > 100
    assert not failures, "\n".join(failures)
    # The control: the same ids are real, district B's own officer reaches each record.
    for key, record in CONTROLS.items():
        method, url, is_api = _requests(key, str(b_records[record].pk))[0]
        client: Any = APIClient() if is_api else Client()
        client.force_authenticate(world.user("officer_b")) if is_api else client.force_login(world.user("officer_b"))
        assert _send(client, method, url, is_api).status_code == 200, key


CONTROLS = {
    "enterprises:detail": "enterprise",
    "inspections:detail": "inspection",
    "hazards:detail": "hazard",
    "hazards:transfer_detail": "transfer",
    "documents:download": "document",
    "GET /api/v1/cases/{id}/": "case",
    "cases:detail": "case",
    "cases:casefile-detail": "case",
    "hazards:measure": "measure",
    "GET /api/v1/set-asides/{id}/": "set_aside",
    "hazards:two_lists": "enterprise",
    "planning:detail": "plan",
    "planning:draw": "draw",
    "GET /api/v1/plans/{id}/": "plan",
}


@pytest.mark.parametrize("bad", ["abc", "9" * 20, "-1"])
def test_malformed_ids_are_not_found(world: Any, bad: str) -> None:
    failures = []
    for key, kind in sorted(ROUTES.items()):
        if not kind.startswith("object"):
            continue
        if " " in key:
            method, path = key.split(" ", 1)
            reqs = [(method, fill(path, bad), True)]
        else:
            # A page's <int:pk> does not match "abc" or "-1": the resolver answers 404 itself.
            try:
                reqs = [(m, u, False) for m, u, _ in _requests(key, bad)]
            except Exception:  # NoReverseMatch: the path cannot even be built
                continue
        for method, url, is_api in reqs:
            r = _send(_officer_a(world, is_api), method, url, is_api)
            if r.status_code not in (400, 404, 405) and not (r.status_code == 422 and method != "GET"):
                failures.append(f"{key} ({method} {url}): HTTP {r.status_code}, expected 404/400")
    assert not failures, "\n".join(failures)
