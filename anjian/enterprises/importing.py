"""Excel import of the ledger: template, streamed validation (preview), commit in batches.

Flow: ``import_start`` stores the upload under ``ANJIAN_IMPORT_DIR/<token>/`` (a random token bound
to the uploading user) and runs the preview (in the request for a small file, as a task for a
large one); ``import_confirm`` queues ``import_commit_task``, which runs the very same pipeline
with writes, one short transaction per batch, re-validating every row against the data as it is
then (ARCHITECTURE.md rule 9: bulk imports run as tasks; ``import_commit`` says why batches).

Both passes read the sheet as a stream in batches of ``BATCH`` rows: openpyxl's read-only reader
with the shared-strings table kept on disk (``DiskStrings``) and parsed rows detached from the
XML tree (``_sheet_rows``); rejected rows go straight to a JSON-lines file beside the upload. So
memory does not grow with the file, except for the in-file duplicate index (one short key a row,
about 110 bytes; bench/bench_import.py measures it).

Why a bulk path and not ``services.enterprise_create`` per row: measured 51-60 s on SQLite and
109-118 s on PostgreSQL per 10,000 rows inside one transaction (about 15 queries a row), against
the 30 s budget (bench/bench_import.py --per-row-services). The bulk path applies the same checks:
those of ``services.enterprise_identity_errors`` (without its per-row uniqueness query), the
model's field validation on every row, ``anjian.core.validators`` and ``search_text_for``; it
writes with ``bulk_create`` and ``bulk_set`` (with simple-history rows), M2M through rows in bulk,
one ``enterprise.create``/``enterprise.update`` audit event per unit (so each unit's page shows it
came from the import, with the row number) and one ``enterprise.import`` event per import.

Matching: a row with a credit code updates the unit holding that code (if this agency owns it;
a code held by another agency is rejected); a row without a code (无证无照=是) updates the one
code-less unit of the same exact name in this agency's jurisdiction, else creates one. An empty
cell keeps the stored value: the import never erases data (clear a field on the unit's page).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import sqlite3
import struct
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, Any, Self

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django_tasks import task
from openpyxl import Workbook
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse
from simple_history.utils import bulk_create_with_history

from anjian.core import audit, context, crypto, db, xlsx
from anjian.core.errors import NotFound, PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent, Division, Jurisdiction
from anjian.core.scoping import Scope, scope_for
from anjian.core.validators import normalize_uscc, uscc_error
from anjian.core.worker import on_orphan, retry_locked
from anjian.enterprises import services
from anjian.enterprises.choices import Scale, StandardizationLevel
from anjian.enterprises.models import Enterprise, Feature, GradingScheme, IndustryClass, Sector, Site
from anjian.enterprises.search import search_text_for
from anjian.org.choices import LEDGER_WRITE_ROLES
from anjian.org.models import Agency

log = logging.getLogger(__name__)

BATCH = 1000  # rows validated and written together; bounds memory and the size of each bulk query
SAMPLE_ROWS = 20  # valid rows shown on the preview page
KEEP_DAYS = 3  # an upload and its rejected list are kept this long, then removed
SHEET_NAME = "企业台账"
SITE_NAME = "主要经营场所"
CHANGE_REASON = "Excel导入"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    key: str  # an Enterprise field, or sectors/features/site_address/site_street
    header: str  # as written in the template and the export
    width: int = 12
    label: str = ""  # short name used in messages

    @property
    def name(self) -> str:
        return self.label or _short(self.header)


def _norm_header(value: Any) -> str:
    s = _text(value)
    # Full-width （）＊ as typed by Chinese input methods.
    for a, b in (("\uff08", "("), ("\uff09", ")"), ("*", ""), ("\uff0a", "")):
        s = s.replace(a, b)
    return re.sub(r"\s+", "", s)


def _short(header: str) -> str:
    return _norm_header(header).split("(")[0]


COLUMNS: tuple[Column, ...] = (
    Column("name", "单位名称*", 32),
    Column("uscc", "统一社会信用代码", 22),
    Column("unlicensed", "无证无照（是/否）", 10),
    Column("division", "所在区县（名称或区划代码）*", 14),
    Column("legal_representative", "法定代表人", 10),
    Column("principal", "主要负责人", 10),
    Column("principal_phone", "主要负责人电话", 15),
    Column("contact_name", "联系人", 10),
    Column("contact_phone", "联系电话", 15),
    Column("registered_address", "注册地址", 32),
    Column("industry", "国民经济行业大类代码", 10),
    Column("sectors", "监管行业（多个用、分隔，名称如“危险化学品·生产”或代码）", 24),
    Column("features", "行业领域特征（、分隔）", 20),
    Column("scale", "规模（大型/中型/小型/微型）", 8),
    Column("employees", "从业人数", 8),
    Column("risk_scheme", "风险分级方案", 24),
    Column("risk_grade", "风险等级", 8),
    Column("standardization_level", "标准化等级（一级/二级/三级/未达标）", 10),
    Column("site_address", "主要经营场所地址", 32),
    Column("site_street", "街道（乡镇）", 12, label="街道（乡镇）"),
)
# Columns the export adds for reading; an exported file re-imports with these ignored.
READ_ONLY_HEADERS: tuple[str, ...] = ("所属辖区", "管理机关", "监管层级", "经营状态", "更新时间")
# Columns the rejected-rows file adds, so a corrected file can be uploaded as it is.
REJECT_HEADERS: tuple[str, ...] = ("行号", "原因")
_BY_FULL = {_norm_header(c.header): c for c in COLUMNS}
_BY_SHORT = {_short(c.header): c for c in COLUMNS}
_LABEL = {c.key: c.name for c in COLUMNS} | {"chemical_park": "化工园区", "jurisdiction": "所属辖区", "note": "备注"}
_ENT_FIELDS = [c.key for c in COLUMNS if c.key in services.EDITABLE_FIELDS]
# FK values come from the lookups below (they exist); full_clean would query each one per row.
_CLEAN_EXCLUDE = ["jurisdiction", "owner_agency", "division", "industry", "risk_scheme", "chemical_park", "search_text"]
_NOT_COMPARED = {"created_at", "updated_at"}
# Encrypted personal data among the columns (masked in the export).
_ENCRYPTED = {f.name: f for f in crypto.encrypted_fields(Enterprise) if f.name in _ENT_FIELDS}

_YES = {"是", "Y", "YES", "TRUE", "1", "√"}
_NO = {"否", "N", "NO", "FALSE", "0", ""}
_SCALES = {**{c.label: c.value for c in Scale}, **{c.value.upper(): c.value for c in Scale}}
_LEVELS = {**{c.label: c.value for c in StandardizationLevel}, **{c.value.upper(): c.value for c in StandardizationLevel}, "1级": "1", "2级": "2", "3级": "3"}
_SPLIT = re.compile("[\u3001,\uff0c;\uff1b\n/]+")  # 、 , ， ; ； newline /
_DOTS = str.maketrans({"•": "·", "・": "·", "·": "·", "-": "·", "—": "·"})


def _jsonable_cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _text(value)


# --- permission -----------------------------------------------------------------------------------
def _require_writer(actor: Any) -> Scope:
    scope = scope_for(actor)
    if not scope.is_member:
        raise PermissionRefused("您不属于任何执法机关，不能导入企业台账。", code="role_refused")
    if not may_import(actor):
        raise PermissionRefused("您的角色无权导入企业台账（须为执法人员、监管人员、科室负责人或系统管理员）。", code="role_refused")
    return scope


def may_import(user: Any) -> bool:
    """Who may import: the one predicate of the service's refusal and of the 批量导入 button."""
    scope = scope_for(user)
    return scope.is_member and scope.has_role(*LEDGER_WRITE_ROLES)


# --- reference lookups, built once per run --------------------------------------------------------
class _CellError(Exception):
    pass


class Lookups:
    """Every code and name a cell may hold, for the importing agency."""

    def __init__(self, scope: Scope, actor: Any) -> None:
        self.actor = actor
        self.scope = scope
        self.actor_name = audit.actor_name(actor)
        self.agency = Agency.objects.select_related("jurisdiction", "jurisdiction__parent").get(pk=scope.agency_id)
        self.jurisdiction: Jurisdiction = self.agency.jurisdiction
        self.own_divisions = list(self.jurisdiction.divisions.select_related("parent").order_by("code"))
        self.divisions: dict[str, Division] = {}
        for d in self.own_divisions:
            self.divisions[d.code] = d
            self.divisions[d.name] = d
            if d.parent is not None:
                self.divisions[d.parent.name + d.name] = d
        self._foreign: dict[str, str] = {}
        self.sector_labels: dict[str, str] = {}
        self.sectors: dict[str, str] = {}
        bare: dict[str, list[str]] = {}
        for s in Sector.objects.select_related("group"):
            label = f"{s.group.name}·{s.name}"
            self.sector_labels[s.code] = label
            self.sectors[s.code.upper()] = s.code
            self.sectors[label] = s.code
            bare.setdefault(s.name, []).append(s.code)
        for name, codes in bare.items():
            if len(codes) == 1:  # a bare sector name is accepted only when it is unambiguous
                self.sectors.setdefault(name, codes[0])
        self.feature_names: dict[str, str] = {}
        self.features: dict[str, str] = {}
        for f in Feature.objects.all():
            self.feature_names[f.code] = f.name
            self.features[f.code.upper()] = f.code
            self.features[f.name] = f.code
        self.industries = {i.code: i for i in IndustryClass.objects.filter(level="division")}
        self.schemes_by_id: dict[int, GradingScheme] = {}
        self.schemes: dict[str, GradingScheme] = {}
        for g in GradingScheme.objects.all():
            self.schemes_by_id[g.pk] = g
            for key in (g.code.upper(), g.name, str(g), _norm_header(g.name)):
                self.schemes[key] = g

    def division(self, text: str) -> Division:
        key = re.sub(r"\s+", "", text)
        d = self.divisions.get(key)
        if d is not None:
            return d
        if key not in self._foreign:
            self._foreign[key] = self._foreign_message(key)
        raise _CellError(self._foreign[key])

    def _foreign_message(self, key: str) -> str:
        qs = Division.objects.prefetch_related("jurisdictions")
        found = list(qs.filter(code=key)) if key.isdigit() else list(qs.filter(name=key)[:5])
        if not found:
            return f"未知的区县“{key}”，请填写区县名称或6位行政区划代码。"
        names = sorted({j.name for d in found for j in d.jurisdictions.all()})
        if names:
            return f"“{key}”属于{'、'.join(names)}辖区，本机关只能登记{self.jurisdiction.name}辖区内的企业。"
        return f"“{key}”不在{self.jurisdiction.name}辖区内，本机关只能登记本辖区的企业。"


# --- one row --------------------------------------------------------------------------------------
@dataclass
class Row:
    number: int  # as in Excel
    values: list[Any]  # the raw cells under the file's own header, for the rejected-rows file
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    error_fields: set[str] = field(default_factory=set)
    kind: str = "rejected"  # create / update / unchanged / rejected
    ent: Enterprise | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    sectors: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    sectors_changed: bool = False
    features_changed: bool = False
    new_site: Site | None = None
    site: Site | None = None  # an existing primary site that changes
    changed_fields: list[str] = field(default_factory=list)

    def fail(self, key: str, message: str) -> None:
        self.errors.append(f"{_LABEL.get(key, key)}：{message}")
        self.error_fields.add(key)


class RowChecker:
    """Parses cells, finds the unit each row means, and applies the ledger's checks."""

    def __init__(self, lookups: Lookups, colmap: list[tuple[int, Column]]) -> None:
        self.lk = lookups
        self.colmap = colmap
        self.seen_codes: dict[str, int] = {}
        self.seen_names: dict[str, int] = {}

    # cells → values
    def parse(self, number: int, cells: tuple[Any, ...], width: int) -> Row:
        values = [_jsonable_cell(cells[i]) if i < len(cells) else None for i in range(width)]
        row = Row(number=number, values=values)
        for idx, col in self.colmap:
            text = _text(cells[idx]) if idx < len(cells) else ""
            if not text:
                continue
            try:
                row.data[col.key] = getattr(self, f"_cell_{col.key}", self._cell_text)(text)
            except _CellError as exc:
                row.fail(col.key, str(exc))
        if "name" not in row.data and "name" not in row.error_fields:
            row.fail("name", "必填。")
        code = row.data.get("uscc")
        if code:
            first = self.seen_codes.setdefault(code, number)
            if first != number:
                row.fail("uscc", f"{code}与第{first}行重复，同一文件中每个代码只能出现一次。")
        elif "uscc" not in row.error_fields and row.data.get("unlicensed") and "name" in row.data:
            first = self.seen_names.setdefault(row.data["name"], number)
            if first != number:
                row.fail("name", f"无信用代码的单位按名称匹配，“{row.data['name']}”与第{first}行重复。")
        return row

    def _cell_text(self, text: str) -> str:
        return text

    def _cell_uscc(self, text: str) -> str:
        code = normalize_uscc(text)
        msg = uscc_error(code)
        if msg:
            raise _CellError(f"“{text}”{msg.removeprefix('统一社会信用代码')}")
        return code

    def _cell_unlicensed(self, text: str) -> bool:
        t = text.upper()
        if t in _YES:
            return True
        if t in _NO:
            return False
        raise _CellError(f"应填“是”或“否”，不能为“{text}”。")

    def _cell_division(self, text: str) -> Division:
        return self.lk.division(text)

    def _cell_industry(self, text: str) -> IndustryClass:
        code = text.split()[0].upper()
        if re.fullmatch(r"[A-T]\d{2}", code):
            code = code[1:]  # "C26": the section letter before the division code
        if code.isdigit() and len(code) == 1:
            code = "0" + code  # an Excel number cell drops the leading zero of 01–09
        ind = self.lk.industries.get(code)
        if ind is None:
            raise _CellError(f"未知的国民经济行业大类代码“{text}”（应为GB/T 4754-2017的两位大类代码，如26）。")
        return ind

    def _split(self, text: str, table: dict[str, str], label: str) -> list[str]:
        codes: set[str] = set()
        unknown: list[str] = []
        for token in _SPLIT.split(text):
            token = token.strip()
            if not token:
                continue
            code = table.get(token) or table.get(token.upper()) or table.get(re.sub(r"\s+", "", token).translate(_DOTS))
            if code is None:
                unknown.append(token)
            else:
                codes.add(code)
        if unknown:
            raise _CellError(f"不认识“{'”“'.join(unknown)}”，请填写“代码表”中的{label}名称或代码。")
        return sorted(codes)

    def _cell_sectors(self, text: str) -> list[str]:
        return self._split(text, self.lk.sectors, "监管行业")

    def _cell_features(self, text: str) -> list[str]:
        return self._split(text, self.lk.features, "行业领域特征")

    def _cell_scale(self, text: str) -> str:
        v = _SCALES.get(text) or _SCALES.get(text.upper()) or _SCALES.get(text.rstrip("企业"))
        if v is None:
            raise _CellError(f"应为大型、中型、小型或微型，不能为“{text}”。")
        return v

    def _cell_employees(self, text: str) -> int:
        t = text.replace(",", "").replace("\uff0c", "")
        if t.endswith("人"):
            t = t[:-1]
        try:
            n = int(float(t)) if re.fullmatch(r"\d+(\.0+)?", t) else -1
        except ValueError:
            n = -1
        if n < 0:
            raise _CellError(f"应为不小于0的整数，不能为“{text}”。")
        return n

    def _cell_risk_scheme(self, text: str) -> GradingScheme:
        g = self.lk.schemes.get(text) or self.lk.schemes.get(text.upper()) or self.lk.schemes.get(_norm_header(text))
        if g is None:
            names = "、".join(sorted({s.name for s in self.lk.schemes_by_id.values()}))
            raise _CellError(f"未知的风险分级方案“{text}”，可选：{names}。")
        return g

    def _cell_risk_grade(self, text: str) -> str:
        return text.upper()

    def _cell_standardization_level(self, text: str) -> str:
        v = _LEVELS.get(text) or _LEVELS.get(text.upper())
        if v is None:
            raise _CellError(f"应为一级、二级、三级或未达标，不能为“{text}”。")
        return v

    # rows → plans
    def plan(self, rows: list[Row], *, lock: bool) -> None:
        """Decide create / update / unchanged / rejected for each row of a batch (no writes)."""
        lk = self.lk
        codes = {r.data["uscc"] for r in rows if r.data.get("uscc") and "uscc" not in r.error_fields}
        names = {r.data["name"] for r in rows if not r.data.get("uscc") and r.data.get("unlicensed") and "name" in r.data and "uscc" not in r.error_fields}
        qs = Enterprise.objects.select_related("owner_agency", "risk_scheme", "jurisdiction", "chemical_park").prefetch_related(
            "sectors", "features", Prefetch("sites", queryset=Site.objects.filter(is_primary=True).order_by("id"), to_attr="primary_sites")
        )
        if lock:
            # Units being updated stay as validated until the import commits.
            qs = qs.select_for_update(of=("self",))
        by_code: dict[str, Enterprise] = {e.uscc: e for e in qs.filter(uscc__in=sorted(codes)) if e.uscc} if codes else {}
        by_name: dict[str, list[Enterprise]] = {}
        if names:
            for e in qs.filter(owner_agency=lk.agency, jurisdiction=lk.jurisdiction, uscc__isnull=True, name__in=sorted(names)):
                by_name.setdefault(e.name, []).append(e)
        for row in rows:
            self._plan_row(row, by_code, by_name)

    def _plan_row(self, row: Row, by_code: dict[str, Enterprise], by_name: dict[str, list[Enterprise]]) -> None:
        lk = self.lk
        data = row.data
        existing: Enterprise | None = None
        if data.get("uscc") and "uscc" not in row.error_fields:
            existing = by_code.get(data["uscc"])
        elif not data.get("uscc") and data.get("unlicensed") and "name" in data and "uscc" not in row.error_fields:
            same = by_name.get(data["name"], [])
            if len(same) > 1:
                row.fail("name", f"本辖区有{len(same)}家同名且无信用代码的单位“{data['name']}”，无法确定更新哪一家，请在系统中逐一修改。")
            elif same:
                existing = same[0]
        if existing is not None and existing.owner_agency_id != lk.agency.pk:
            # Named only when the importing bureau may read that unit (issue 8: no other district's data).
            row.fail("uscc", services.uscc_taken_message(existing, lk.scope) + "本机关不能导入或修改该单位。")
            existing = None
        if "division" not in data and "division" not in row.error_fields and (existing is None or existing.division_id is None):
            row.fail("division", "必填。")

        primary = existing.primary_sites[0] if existing is not None and existing.primary_sites else None  # type: ignore[attr-defined]
        if existing is not None:
            ent = existing
            row.before = self._state(ent, primary)
        else:
            ent = Enterprise(jurisdiction=lk.jurisdiction, owner_agency=lk.agency)
        for key in _ENT_FIELDS:
            if key in data:
                if key in _ENCRYPTED and isinstance(data[key], str) and "*" in data[key]:
                    # The export masks telephones (core/pii.py): a masked value that matches the
                    # stored number means "unchanged", so an exported file re-imports as it was.
                    if existing is None or _ENCRYPTED[key].mask(getattr(existing, key)) != data[key]:
                        row.fail(key, "号码已脱敏（含*），不能导入；请填写完整号码或留空。")
                    continue
                setattr(ent, key, data[key])
        if ent.risk_scheme_id is not None and ent.risk_scheme_id in lk.schemes_by_id:
            ent.risk_scheme = lk.schemes_by_id[ent.risk_scheme_id]
        if not ent.uscc and not ent.unlicensed and "uscc" not in row.error_fields and "unlicensed" not in row.error_fields:
            row.fail("uscc", "必填；确无登记的，请在“无证无照”列填“是”。")
        for key, message in services.enterprise_identity_errors(ent, check_unique=False).items():
            if key not in row.error_fields:
                row.fail(key, message)
        try:
            ent.full_clean(exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                if key not in row.error_fields:
                    for m in messages:
                        row.fail(key, m)
        row.ent = ent
        row.sectors = data["sectors"] if "sectors" in data else (row.before["sectors"] if row.before else [])
        row.features = data["features"] if "features" in data else (row.before["features"] if row.before else [])
        self._plan_site(row, primary)
        if row.errors:
            row.kind = "rejected"
            return
        after = {**audit.snapshot(ent), "sectors": row.sectors, "features": row.features}
        site = row.new_site or row.site or primary
        if site is not None:
            after["site_address"], after["site_street"] = site.address, site.street
        if existing is None:
            row.kind = "create"
            row.after = after
            return
        assert row.before is not None
        after.setdefault("site_address", "")
        after.setdefault("site_street", "")
        old, new = audit.diff({k: v for k, v in row.before.items() if k not in _NOT_COMPARED}, {k: v for k, v in after.items() if k not in _NOT_COMPARED})
        row.before, row.after = old, new
        row.changed_fields = [k for k in new if k in _ENT_FIELDS]
        row.sectors_changed = "sectors" in new
        row.features_changed = "features" in new
        row.kind = "update" if new else "unchanged"

    def _plan_site(self, row: Row, primary: Site | None) -> None:
        address = row.data.get("site_address")
        street = row.data.get("site_street")
        assert row.ent is not None
        if primary is None:
            if address:
                site = Site(name=SITE_NAME, address=address, street=street or "", division=row.ent.division, is_primary=True)
                self._clean_site(row, site)
                row.new_site = site
            elif street:
                row.fail("site_address", "填写街道（乡镇）时须同时填写主要经营场所地址。")
            return
        before = (primary.address, primary.street, primary.division_id)
        if address and address != primary.address:
            primary.address = address
            primary.division = row.ent.division  # the county follows a new address
        if street:
            primary.street = street
        if (primary.address, primary.street, primary.division_id) != before:
            self._clean_site(row, primary)
            row.site = primary

    def _clean_site(self, row: Row, site: Site) -> None:
        try:
            site.full_clean(exclude=["enterprise", "division"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            names = {"address": "site_address", "street": "site_street"}
            for key, messages in exc.message_dict.items():
                for m in messages:
                    row.fail(names.get(key, key), m)

    @staticmethod
    def _state(ent: Enterprise, primary: Site | None) -> dict[str, Any]:
        return {
            **audit.snapshot(ent),
            "sectors": sorted(s.code for s in ent.sectors.all()),
            "features": sorted(f.code for f in ent.features.all()),
            "site_address": primary.address if primary is not None else "",
            "site_street": primary.street if primary is not None else "",
        }


# --- writes ---------------------------------------------------------------------------------------
def _event(lk: Lookups, *, action: str, object_type: str, object_id: Any, object_repr: str, before: Any = None, after: Any = None, note: str = "") -> AuditEvent:
    """An unsaved AuditEvent (bulk-created below) by the importing officer."""
    return audit.build_event(
        actor=lk.actor, name=lk.actor_name, action=action, object_type=object_type, object_id=object_id, object_repr=object_repr,
        jurisdiction_id=lk.jurisdiction.pk, before=before, after=after, note=note,
    )


def bulk_set(objs: list[Any], fields: list[str]) -> None:
    """Save ``fields`` of many rows of one model with ``WITH v AS (VALUES …) UPDATE … FROM v``.

    Django's ``bulk_update`` writes a ``CASE WHEN id=…`` per field and row: measured at 0.5 ms a
    row on PostgreSQL, so 10,000 updated units plus their sites took 10 s of the 30 s budget.
    PostgreSQL and SQLite ≥ 3.33 take the VALUES form; other backends get ``bulk_update``.
    """
    if not objs:
        return
    model = type(objs[0])
    # Encrypted personal data (core/crypto.py): the blind index travels with its field, since this
    # write does not go through the fields' pre_save.
    for f in crypto.encrypted_fields(model):
        if f.name in fields and f.blind_index_field and f.blind_index_field not in fields:
            fields = [*fields, f.blind_index_field]
            for o in objs:
                setattr(o, f.blind_index_field, crypto.blind_index(getattr(o, f.attname) or "", f.kind))
    pg = connection.vendor == "postgresql"
    if not pg and not (connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)):
        model.objects.bulk_update(objs, fields, batch_size=500)
        return
    qn = connection.ops.quote_name
    pk = model._meta.pk
    cols: list[models.Field[Any, Any]] = [pk, *(model._meta.get_field(f) for f in fields)]  # type: ignore[list-item]
    # PostgreSQL: a cast on every value, since VALUES takes a column's type from its first row,
    # which may be NULL. SQLite needs none, but limits the parameters of one statement.
    row_sql = "(" + ", ".join(f"%s::{c.db_type(connection)}" if pg else "%s" for c in cols) + ")"
    per = BATCH if pg else max(1, (connection.features.max_query_params or 999) // len(cols))
    names = ", ".join(qn(c.column) for c in cols)
    assign = ", ".join(f"{qn(c.column)} = v.{qn(c.column)}" for c in cols[1:])
    table = qn(model._meta.db_table)
    with connection.cursor() as cur:
        for start in range(0, len(objs), per):
            chunk = objs[start : start + per]
            params = [c.get_db_prep_save(getattr(o, c.attname), connection) for o in chunk for c in cols]
            # Only quoted identifiers from the model's meta and %s placeholders are interpolated.
            cur.execute(
                f"WITH v({names}) AS (VALUES {', '.join([row_sql] * len(chunk))}) UPDATE {table} SET {assign} FROM v WHERE {table}.{qn(pk.column)} = v.{qn(pk.column)}",  # noqa: S608
                params,
            )


def _before(r: Row) -> Enterprise:
    """A copy of the unit as it was before the row's changes (``r.before`` holds the old values)."""
    old = copy.copy(r.ent)
    assert old is not None
    for key, value in (r.before or {}).items():
        if key in _ENT_FIELDS:
            setattr(old, Enterprise._meta.get_field(key).attname, value)  # type: ignore[union-attr]
    return old


def _apply(rows: list[Row], lk: Lookups, *, note: str) -> None:
    """Write one validated batch. Runs inside the import's transaction."""
    ent_type = Enterprise._meta.label_lower
    creates = [r for r in rows if r.kind == "create"]
    updates = [r for r in rows if r.kind == "update"]
    now = timezone.now()
    for r in creates + updates:
        assert r.ent is not None
        r.ent.search_text = search_text_for(name=r.ent.name, uscc=r.ent.uscc)
    if creates:
        bulk_create_with_history([r.ent for r in creates], Enterprise, batch_size=BATCH, default_user=lk.actor, default_change_reason=CHANGE_REASON)
    if updates:
        fields = sorted({f for r in updates for f in r.changed_fields} | {"search_text", "updated_at", "version"})
        # Row history of the units whose own fields change (sectors, features and the site are in
        # the audit event): units loaded without history first get their state before the change,
        # so 修改历史 lists the changed fields as the audit does (services.history_baseline).
        services.history_baseline([_before(r) for r in updates if r.changed_fields])
        for r in updates:
            r.ent.updated_at = now  # type: ignore[union-attr]
            r.ent.version += 1  # type: ignore[union-attr]  # an edit page opened before the import is now stale
        ents = [r.ent for r in updates]
        bulk_set(ents, fields)
        Enterprise.history.bulk_history_create([r.ent for r in updates if r.changed_fields], batch_size=BATCH, update=True, default_user=lk.actor, default_change_reason=CHANGE_REASON)

    s_through = Enterprise.sectors.through
    f_through = Enterprise.features.through
    stale_s = [r.ent.pk for r in updates if r.sectors_changed]  # type: ignore[union-attr]
    stale_f = [r.ent.pk for r in updates if r.features_changed]  # type: ignore[union-attr]
    if stale_s:
        s_through.objects.filter(enterprise_id__in=stale_s).delete()
    if stale_f:
        f_through.objects.filter(enterprise_id__in=stale_f).delete()
    s_links = [s_through(enterprise_id=r.ent.pk, sector_id=c) for r in creates + updates if r.kind == "create" or r.sectors_changed for c in r.sectors]  # type: ignore[union-attr]
    f_links = [f_through(enterprise_id=r.ent.pk, feature_id=c) for r in creates + updates if r.kind == "create" or r.features_changed for c in r.features]  # type: ignore[union-attr]
    s_through.objects.bulk_create(s_links, batch_size=BATCH)
    f_through.objects.bulk_create(f_links, batch_size=BATCH)
    reclassified = [r.ent.pk for r in creates + updates if r.kind == "create" or r.sectors_changed or r.features_changed]  # type: ignore[union-attr]
    if reclassified:
        services.refresh_classification(reclassified)

    new_sites = []
    for r in creates + updates:
        if r.new_site is not None:
            r.new_site.enterprise = r.ent  # type: ignore[assignment]
            new_sites.append(r.new_site)
    Site.objects.bulk_create(new_sites, batch_size=BATCH)
    changed_sites = [r.site for r in updates if r.site is not None]
    if changed_sites:
        bulk_set(changed_sites, ["address", "street", "division"])

    # One event per unit, on the unit (its page shows it came from the import); the primary site's
    # address is part of the same event rather than a separate site.create/site.update.
    events: list[AuditEvent] = []
    for r in creates + updates:
        ent = r.ent
        assert ent is not None
        where = f"{note} 第{r.number}行"
        if r.kind == "create":
            after = {**(r.after or {}), "id": ent.pk, "created_at": ent.created_at, "updated_at": ent.updated_at}
            events.append(_event(lk, action="enterprise.create", object_type=ent_type, object_id=ent.pk, object_repr=str(ent), after=after, note=where))
        else:
            events.append(_event(lk, action="enterprise.update", object_type=ent_type, object_id=ent.pk, object_repr=str(ent), before=r.before, after=r.after, note=where))
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


# --- the file -------------------------------------------------------------------------------------
def job_root(setting: str, subdir: str) -> Path:
    """The folder of one kind of job (``setting`` if configured, else ``var/<subdir>``)."""
    root = Path(getattr(settings, setting, "") or Path(settings.VAR_DIR) / subdir)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def import_root() -> Path:
    return job_root("ANJIAN_IMPORT_DIR", "imports")


def max_rows() -> int:
    return int(getattr(settings, "ANJIAN_IMPORT_MAX_ROWS", 100_000))


@dataclass
class Sheet:
    header: list[str]
    colmap: list[tuple[int, Column]]
    ignored: list[str]
    rows: Iterator[tuple[int, tuple[Any, ...]]]


_unreadable = xlsx.unreadable


_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_ENTRY = struct.Struct("<QI")  # offset and length of one string in the data file


class DiskStrings:
    """A workbook's shared-strings table kept in temporary files, not in a list.

    Excel and WPS store every distinct text of a workbook once, in xl/sharedStrings.xml, and cells
    refer to it by index; openpyxl's read-only mode still loads that whole table into a list, so
    its memory grows with the file (measured: 15 MB at 10,000 rows, 60 MB at 40,000). Here the
    table is streamed to disk and read back by index, with a small cache for repeated values
    (county, 是/否, scale …). The text is what openpyxl gives: plain and rich-text runs, no phonetic
    runs (``openpyxl.reader.strings.read_string_table``).
    """

    def __init__(self, src: IO[bytes]) -> None:
        self._data = tempfile.TemporaryFile()
        self._index = tempfile.TemporaryFile()
        self._len = 0
        offset = 0
        root = None
        for event, node in iterparse(src, events=("start", "end")):
            if root is None:
                root = node
            if event != "end" or node.tag != _SI:
                continue
            parts: list[str] = []
            for child in node:
                if child.tag == _T:
                    parts.append(child.text or "")
                elif child.tag == _R:
                    parts.extend(t.text or "" for t in child.iter(_T))
            data = "".join(parts).replace("x005F_", "").encode("utf-8")
            self._index.write(_ENTRY.pack(offset, len(data)))
            self._data.write(data)
            offset += len(data)
            self._len += 1
            root.clear()  # drop parsed entries: the tree never holds more than one
        self._get = lru_cache(maxsize=4096)(self._read)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < self._len:
            raise IndexError(index)
        return self._get(index)

    def _read(self, index: int) -> str:
        self._index.seek(index * _ENTRY.size)
        offset, length = _ENTRY.unpack(self._index.read(_ENTRY.size))
        self._data.seek(offset)
        return self._data.read(length).decode("utf-8")

    def close(self) -> None:
        self._data.close()
        self._index.close()


class _LazyWorksheet(ReadOnlyWorksheet):  # type: ignore[misc]
    def _get_size(self) -> None:
        # openpyxl parses the WHOLE sheet here looking for <dimension> (and keeps the tree while
        # doing so); the sheet is read once, by ``_sheet_rows``, which needs no dimensions.
        return None


class _StreamingReader(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader, read-only, with the shared strings on disk and sheets parsed lazily."""

    def read_strings(self) -> None:
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            with self.archive.open(ct.PartName[1:]) as src:
                self.shared_strings = DiskStrings(src)

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _LazyWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


_ROW = f"{{{SHEET_MAIN_NS}}}row"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"


def _sheet_rows(wb: Any, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, values) of each row present in the sheet's XML.

    openpyxl's read-only iterator clears each parsed <row> but leaves it attached to <sheetData>,
    so the tree still grows by one empty element per row; here parsed rows are detached. Cells
    are parsed by openpyxl's own ``WorkSheetParser.parse_row`` (types, dates, shared strings).
    """
    with wb._archive.open(ws._worksheet_path) as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch, date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        sheet_data = None
        for event, node in iterparse(src, events=("start", "end")):
            if event == "start":
                if node.tag == _SHEET_DATA:
                    sheet_data = node
                continue
            if node.tag != _ROW:
                continue
            number, cells = parser.parse_row(node)
            if sheet_data is not None:
                sheet_data.clear()
            width = max((c["column"] for c in cells), default=0)
            values: list[Any] = [None] * width
            for c in cells:
                values[c["column"] - 1] = c["value"]
            yield number, tuple(values)


@contextmanager
def open_sheet(path: Path) -> Iterator[Sheet]:
    """The ledger sheet of an .xlsx file, read as a stream of (Excel row number, cells)."""
    reader: _StreamingReader | None = None
    try:
        reader = _StreamingReader(path, read_only=True, data_only=True, keep_links=False)
        reader.read()
        wb = reader.wb
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        if reader is not None and isinstance(reader.shared_strings, DiskStrings):
            reader.shared_strings.close()
        raise _unreadable() from None
    try:
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        if not isinstance(ws, _LazyWorksheet):
            raise ValidationFailed("找不到数据工作表，请使用导入模板。", code="import_file")
        it = _sheet_rows(wb, ws)
        try:
            number, first = next(it)
        except StopIteration:
            raise ValidationFailed("文件是空的：第1行应为表头（请使用导入模板）。", code="import_file") from None
        except Exception:
            raise _unreadable() from None
        if number != 1:
            first = ()
        header = [_text(v) for v in first]
        colmap: list[tuple[int, Column]] = []
        ignored: list[str] = []
        seen: dict[str, str] = {}
        for idx, h in enumerate(header):
            n = _norm_header(h)
            if not n:
                continue
            col = _BY_FULL.get(n) or _BY_SHORT.get(n.split("(")[0])
            if col is None:
                if n.split("(")[0] not in READ_ONLY_HEADERS + REJECT_HEADERS:
                    ignored.append(h)
                continue
            if col.key in seen:
                raise ValidationFailed(f"表头“{seen[col.key]}”与“{h}”是同一列，请删除其中一列。", code="import_file")
            seen[col.key] = h
            colmap.append((idx, col))
        missing = [c.name for c in COLUMNS if c.key in ("name", "division") and c.key not in seen]
        if missing:
            raise ValidationFailed(f"第1行表头中找不到“{'”“'.join(missing)}”列：请使用导入模板，表头须在第1行。", code="import_file")
        keys = [i for i, _ in colmap]
        limit = max_rows()

        def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
            # Every row present in the sheet counts against the limit, blank or not: a file of
            # 2,000,000 blank rows kept a request busy for 30 s before (issue 8). The reading
            # stops at the first row past the limit.
            n = 0
            try:
                for number, cells in it:
                    n += 1
                    if n > limit:
                        raise ValidationFailed(f"文件超过{limit}行（含空行），请删除多余的空行或分成多个文件导入。", code="import_file")
                    if not any(_text(cells[i]) for i in keys if i < len(cells)):
                        continue  # a blank row
                    yield number, cells
            except ValidationFailed:
                raise
            except Exception:
                raise _unreadable() from None

        yield Sheet(header=header, colmap=colmap, ignored=ignored, rows=rows())
    finally:
        wb.close()
        if isinstance(reader.shared_strings, DiskStrings):
            reader.shared_strings.close()


def _batches(it: Iterator[tuple[int, tuple[Any, ...]]], size: int) -> Iterator[list[tuple[int, tuple[Any, ...]]]]:
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


def _write_batch(checker: RowChecker, chunk: list[tuple[int, tuple[Any, ...]]], width: int, lk: Lookups, note: str) -> list[Row]:
    """Re-validate one batch against the data as it is now and write it, in its own transaction.

    The rows are parsed outside the transaction, so SQLite's only write lock is held just for
    the batch's reads and writes (well under a second for ``BATCH`` rows). Parsing again on a
    retry is harmless: the in-file duplicate index maps a row to itself."""
    rows = [checker.parse(number, cells, width) for number, cells in chunk]
    with transaction.atomic():
        checker.plan(rows, lock=True)
        _apply(rows, lk, note=note)
    return rows


def _run(job: Job, lk: Lookups, *, write: bool, progress: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate (and, with ``write``, apply) every row; rejected rows go to a file, not memory.

    With ``write`` each batch of ``BATCH`` rows is committed on its own (``_write_batch``; a lock
    timeout retries the batch) and ``progress`` records what is committed so far."""
    counts = {"rows": 0, "create": 0, "update": 0, "unchanged": 0, "rejected": 0}
    samples: list[dict[str, Any]] = []
    tmp = job.dir / "rejected.jsonl.tmp"
    note = f"{CHANGE_REASON}：{job.meta['filename']}"
    with open(tmp, "w", encoding="utf-8") as rejected, open_sheet(job.upload) as sheet:
        job.meta["header"] = sheet.header
        job.meta["ignored"] = sheet.ignored
        checker = RowChecker(lk, sheet.colmap)
        width = len(sheet.header)
        for chunk in _batches(sheet.rows, BATCH):
            if write:
                rows = retry_locked(lambda chunk=chunk: _write_batch(checker, chunk, width, lk, note), what=f"import {job.token}: rows {chunk[0][0]}-{chunk[-1][0]}")  # type: ignore[misc]
            else:
                rows = [checker.parse(number, cells, width) for number, cells in chunk]
                checker.plan(rows, lock=False)
            for r in rows:
                counts["rows"] += 1
                counts[r.kind] += 1
                if r.kind == "rejected":
                    name = r.data.get("name", "")
                    rejected.write(json.dumps({"row": r.number, "name": name, "values": r.values, "reasons": r.errors}, ensure_ascii=False) + "\n")
                elif len(samples) < SAMPLE_ROWS:
                    samples.append(_sample(r, lk))
            if write and progress is not None:
                progress.update({"through_row": rows[-1].number, "counts": dict(counts)})
                job.save()
    if counts["rows"] == 0:
        tmp.unlink(missing_ok=True)
        raise ValidationFailed("文件中没有数据行：请从第2行起填写企业信息。", code="import_file")
    tmp.replace(job.dir / "rejected.jsonl")
    return {"counts": counts, "samples": samples}


def _sample(r: Row, lk: Lookups) -> dict[str, Any]:
    ent = r.ent
    assert ent is not None
    changed = [_LABEL.get(k, k) for k in (r.after or {})] if r.kind == "update" else []
    return {
        "row": r.number,
        "kind": r.kind,
        "name": ent.name,
        "uscc": ent.uscc or "",
        "unlicensed": ent.unlicensed,
        "division": ent.division.name if ent.division_id and ent.division else "",
        "sectors": "、".join(lk.sector_labels.get(c, c) for c in r.sectors),
        "changed": "、".join(changed),
    }


# --- jobs: an upload and what was done with it ------------------------------------------------------
class Job:
    """One upload: ``<import dir>/<token>/`` holding upload.xlsx, meta.json and rejected.jsonl."""

    def __init__(self, token: str, *, root: Path | None = None) -> None:
        if not _TOKEN_RE.match(token or ""):
            raise NotFound()
        self.token = token
        self.dir = (root or import_root()) / token
        self.upload = self.dir / "upload.xlsx"
        self.meta: dict[str, Any] = {}

    @classmethod
    def of_user(cls, actor: Any, token: str) -> Self:
        """The user's own job. Another user's token answers 404, as a missing one does."""
        job = cls(token)
        job.load()
        if job.meta.get("user_id") != getattr(actor, "pk", None):
            raise NotFound()
        return job

    def load(self) -> Job:
        try:
            self.meta = json.loads((self.dir / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise NotFound() from None
        return self

    def save(self) -> None:
        tmp = self.dir / "meta.json.tmp"
        tmp.write_text(json.dumps(self.meta, ensure_ascii=False, default=str), encoding="utf-8")
        tmp.replace(self.dir / "meta.json")

    def rejected(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        path = self.dir / "rejected.jsonl"
        if not path.exists():
            return
        with open(path, encoding="utf-8") as fh:
            for line in islice(fh, limit):
                yield json.loads(line)


def import_get(*, actor: Any, token: str) -> Job:
    """The user's own upload. Another user's token answers 404, as a missing one does."""
    return Job.of_user(actor, token)


def remove_old_jobs(root: Path) -> None:
    """Remove the job folders older than KEEP_DAYS (imports and exports alike)."""
    cutoff = time.time() - KEEP_DAYS * 86400
    for d in root.iterdir():
        try:
            if d.is_dir() and d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            continue


def _store(upload: Any, dest: Path) -> tuple[int, str, int]:
    return xlsx.store_upload(upload, dest, limit=int(settings.ANJIAN_IMPORT_MAX_BYTES))


def sync_preview_max() -> int:
    """Unpacked bytes up to which the preview runs in the request; a larger file is checked by
    the task worker while the page polls (about 8,000 ledger rows, a few seconds of work)."""
    return int(getattr(settings, "ANJIAN_IMPORT_SYNC_PREVIEW_BYTES", 4 * 1024 * 1024))


def import_start(*, actor: Any, upload: Any) -> Job:
    """Store an uploaded .xlsx and validate every row (the preview). Writes nothing to the ledger.

    A file larger than ``sync_preview_max()`` (unpacked) is validated by ``import_preview_task``
    instead: the job is returned with status "previewing" and the page polls for the result."""
    scope = _require_writer(actor)
    root = import_root()
    remove_old_jobs(root)
    token = secrets.token_urlsafe(24)
    job = Job(token)
    job.dir.mkdir(mode=0o700)
    try:
        size, sha, unpacked = _store(upload, job.upload)
        job.meta = {
            "token": token,
            "user_id": actor.pk,
            "agency_id": scope.agency_id,
            "filename": re.sub(r"[\x00-\x1f\x7f]", "", Path(getattr(upload, "name", "") or "upload.xlsx").name)[:200] or "upload.xlsx",
            "size": size,
            "unpacked": unpacked,
            "sha256": sha,
            "uploaded_at": timezone.now().isoformat(),
            "status": "previewing",
        }
        if unpacked > sync_preview_max():
            job.save()
            info = context.current()
            import_preview_task.enqueue(token=token, user_id=actor.pk, request_id=info.request_id, source_ip=info.source_ip)
            return Job(token).load()
        _preview(job, Lookups(scope, actor))
    except BaseException:
        shutil.rmtree(job.dir, ignore_errors=True)
        raise
    return job


def _preview(job: Job, lk: Lookups) -> None:
    started = time.perf_counter()
    job.meta["preview"] = _run(job, lk, write=False)
    job.meta["preview"]["seconds"] = round(time.perf_counter() - started, 2)
    job.meta["status"] = "previewed"
    job.save()


def import_preview_run(*, actor: Any, token: str) -> Job:
    """The preview of a large upload, run by the task worker. A file the preview refuses (too many
    rows, unreadable) is marked "preview_failed" with the reason, which the page shows."""
    job = import_get(actor=actor, token=token)
    if job.meta.get("status") != "previewing":
        return job
    try:
        scope = _require_writer(actor)
        _preview(job, Lookups(scope, actor))
    except (ValidationFailed, PermissionRefused) as exc:
        (job.dir / "rejected.jsonl.tmp").unlink(missing_ok=True)
        job.meta.update({"status": "preview_failed", "error": exc.message})
        job.save()
    except Exception:
        log.exception("import %s: preview failed", token)
        (job.dir / "rejected.jsonl.tmp").unlink(missing_ok=True)
        job.meta.update({"status": "preview_failed", "error": "校验文件时发生意外错误，请稍后重新上传或联系系统管理员。"})
        job.save()
    return job


@task()
def import_preview_task(*, token: str, user_id: int, request_id: str = "", source_ip: str | None = None) -> str:
    """The preview of a large upload (``import_start``), run by the task worker."""
    actor = get_user_model().objects.get(pk=user_id)
    with context.of_request(request_id, source_ip):
        return str(import_preview_run(actor=actor, token=token).meta.get("status"))


def import_confirm(*, actor: Any, token: str) -> Job:
    """Queue the commit of a previewed upload (the task re-validates every row)."""
    job = import_get(actor=actor, token=token)
    scope = _require_writer(actor)
    if job.meta.get("status") in ("previewing", "preview_failed"):
        raise ValidationFailed("该文件尚未通过校验，不能导入。", code="import_state")
    if job.meta.get("agency_id") != scope.agency_id:
        raise PermissionRefused("您的所属机关已变化，请重新上传文件。", code="not_owner")
    try:
        # Atomic on every filesystem: of two confirms of the same upload only one gets through.
        os.close(os.open(job.dir / "confirm.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise ValidationFailed("该文件已经提交导入，不能重复导入；如需再次导入请重新上传。", code="import_state") from None
    job.meta["status"] = "queued"
    job.meta["queued_at"] = timezone.now().isoformat()
    job.save()
    info = context.current()
    import_commit_task.enqueue(token=token, user_id=actor.pk, request_id=info.request_id, source_ip=info.source_ip)
    return import_get(actor=actor, token=token)


def import_commit(*, actor: Any, token: str) -> Job:
    """Re-validate and import every valid row of a previewed upload, committing batch by batch.

    Why batches and not one transaction: on SQLite a transaction holds the database's only write
    lock, and one 100,000-row transaction held it for about a minute, so every other user's save
    and login timed out (issue 8 item 10). Each batch of ``BATCH`` rows is now its own short
    transaction. The import stays predictable for the user because content cannot make a batch
    fail: every row was validated in the preview and is validated again in its batch, and a row
    that fails is *rejected* (listed and downloadable), never an error. Only an unexpected error
    (the database gone, a full disk) can stop the import part way; then the page says exactly
    which rows were written (``meta["progress"]``), an ``enterprise.import`` audit event records
    them, and uploading the same file again finishes the job (written rows come back unchanged).
    """
    job = import_get(actor=actor, token=token)
    if job.meta.get("status") not in ("previewed", "queued"):
        raise ValidationFailed("该文件已经导入，不能重复导入。", code="import_state")
    job.meta["status"] = "running"
    job.meta["started_at"] = timezone.now().isoformat()
    progress: dict[str, Any] = {"through_row": None, "counts": {}}
    job.meta["progress"] = progress
    job.save()
    started = time.perf_counter()
    lk: Lookups | None = None
    try:
        scope = _require_writer(actor)  # re-checked: the role may have been withdrawn since the preview
        if job.meta.get("agency_id") != scope.agency_id:
            raise PermissionRefused("您的所属机关已变化，请重新上传文件。", code="not_owner")
        lk = Lookups(scope, actor)
        result = _run(job, lk, write=True, progress=progress)
        counts = result["counts"]
        if counts["create"] or counts["update"]:
            # PostgreSQL: statistics of the tables the import filled (core.db says why).
            db.analyze(Enterprise, Enterprise.history.model, Enterprise.sectors.through, Enterprise.features.through, Site, AuditEvent)
        _record_import(lk, job, counts, note=f"新增{counts['create']}家，更新{counts['update']}家，无变化{counts['unchanged']}家，未导入{counts['rejected']}行")
    except (ValidationFailed, PermissionRefused, NotFound) as exc:
        _import_failed(job, lk, exc.message)
        raise
    except Exception:
        log.exception("import %s failed", token)
        _import_failed(job, lk, "导入过程中发生意外错误。请稍后重试或联系系统管理员。")
        raise
    result["seconds"] = round(time.perf_counter() - started, 2)
    job.meta["result"] = result
    job.meta["status"] = "done"
    job.meta["finished_at"] = timezone.now().isoformat()
    job.save()
    return job


def _record_import(lk: Lookups, job: Job, counts: dict[str, int], *, note: str) -> None:
    def write() -> None:
        AuditEvent.objects.bulk_create([
            _event(
                lk,
                action="enterprise.import",
                object_type="enterprises.import",
                object_id=job.token,
                object_repr=job.meta["filename"],
                after={"file": job.meta["filename"], "sha256": job.meta["sha256"], "size": job.meta["size"], **counts},
                note=note,
            )
        ])

    retry_locked(write, what=f"import {job.token}: audit")


def _import_failed(job: Job, lk: Lookups | None, reason: str) -> None:
    """Mark the job failed, saying which rows were written before the failure (and audit them)."""
    (job.dir / "rejected.jsonl.tmp").unlink(missing_ok=True)
    progress = job.meta.get("progress") or {}
    counts = progress.get("counts") or {}
    written = counts.get("create", 0) + counts.get("update", 0)
    job.meta["status"] = "failed"
    if progress.get("through_row"):
        job.meta["partial"] = {"through_row": progress["through_row"], **counts}
        job.meta["error"] = (
            f"{reason}导入在第{progress['through_row']}行之后中断：此前的行已导入（新增{counts.get('create', 0)}家，更新{counts.get('update', 0)}家），"
            "其后的行没有导入。重新上传同一文件即可继续，已导入的行将显示为“无变化”。"
        )
        if lk is not None and written:
            try:
                _record_import(lk, job, counts, note=f"导入中断于第{progress['through_row']}行之后：新增{counts.get('create', 0)}家，更新{counts.get('update', 0)}家")
            except Exception:
                log.exception("import %s: could not audit the partial import", job.token)
    else:
        job.meta["error"] = f"{reason}没有任何数据被导入。"
    job.save()


@task()
def import_commit_task(*, token: str, user_id: int, request_id: str = "", source_ip: str | None = None) -> dict[str, Any]:
    """The commit, run by the task worker (``anjian worker``) with the request's audit context."""
    actor = get_user_model().objects.get(pk=user_id)
    with context.of_request(request_id, source_ip):
        job = import_commit(actor=actor, token=token)
    return dict(job.meta["result"]["counts"])


@on_orphan(f"{__name__}.import_commit_task")
def import_commit_orphaned(kwargs: dict[str, Any]) -> None:
    """The worker died while committing (``core.worker.recover_orphans``): the job is failed and
    says which rows were written — the batches committed before the crash, each whole — exactly as
    for an import stopped by an error; uploading the same file again completes it."""
    try:
        job = Job(str(kwargs.get("token", ""))).load()
    except NotFound:
        return
    if job.meta.get("status") not in ("running", "queued"):
        return
    actor = get_user_model().objects.filter(pk=kwargs.get("user_id")).first()
    lk: Lookups | None = None
    with context.of_request(kwargs.get("request_id", ""), kwargs.get("source_ip")):
        if actor is not None:
            try:
                lk = Lookups(_require_writer(actor), actor)
            except (PermissionRefused, ValidationFailed, NotFound):
                lk = None
        if actor is not None:
            _progress_from_audit(job, actor)
        _import_failed(job, lk, "后台任务进程在导入过程中意外终止（如断电或被强制结束）。")


def _progress_from_audit(job: Job, actor: Any) -> None:
    """What the dead worker committed, from the audit events its batches wrote (one per created or
    updated unit, in the batch's own transaction): the job's own note of progress is written just
    after each commit, so a kill between the two would under-report the last batch."""
    started = job.meta.get("started_at")
    if not started:
        return
    prefix = f"{CHANGE_REASON}：{job.meta['filename']} 第"
    qs = AuditEvent.objects.filter(actor=actor, action__in=("enterprise.create", "enterprise.update"), at__gte=dt.datetime.fromisoformat(started), note__startswith=prefix)
    counts = {"create": 0, "update": 0}
    last = 0
    for action, note in qs.values_list("action", "note").iterator():
        counts["create" if action == "enterprise.create" else "update"] += 1
        tail = note[len(prefix) :].removesuffix("行")
        if tail.isdigit():
            last = max(last, int(tail))
    progress = job.meta.get("progress") or {}
    if last and last >= int(progress.get("through_row") or 0):
        job.meta["progress"] = {"through_row": last, "counts": {**(progress.get("counts") or {}), **counts}}


# --- workbooks ------------------------------------------------------------------------------------
_HEAD_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_template(*, actor: Any, fh: IO[bytes]) -> None:
    """The import template: header row, validation lists, instructions and code tables."""
    scope = scope_for(actor)
    lk = Lookups(scope, actor) if scope.is_member else None
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    ws.append(xlsx.row(ws, [c.header for c in COLUMNS]))
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = _HEAD_FONT
        cell.fill = _REQUIRED_FILL if c.header.endswith("*") else _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = c.width
        if c.key in ("uscc", "principal_phone", "contact_phone", "industry"):
            ws.column_dimensions[letter].number_format = "@"  # keep codes and phone numbers as text
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "B2"
    letters = {c.key: ws.cell(row=1, column=i).column_letter for i, c in enumerate(COLUMNS, start=1)}

    def listed(key: str, values: list[str]) -> None:
        formula = '"' + ",".join(values) + '"'
        if len(formula) > 255:  # Excel's limit for an inline list
            return
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True, errorTitle="取值不在列表中", error="请从下拉列表中选择。")
        ws.add_data_validation(dv)
        dv.add(f"{letters[key]}2:{letters[key]}10001")

    listed("unlicensed", ["是", "否"])
    listed("scale", [c.label for c in Scale])
    listed("standardization_level", [c.label for c in StandardizationLevel])
    if lk is not None and lk.own_divisions:
        listed("division", [d.name for d in lk.own_divisions])
    schemes = list(GradingScheme.objects.order_by("code"))
    listed("risk_scheme", [g.name for g in schemes])

    info = wb.create_sheet("填写说明")
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 90
    own = lk.jurisdiction.name if lk is not None else "本机关"
    counties = "、".join(d.name for d in lk.own_divisions) if lk is not None and lk.own_divisions else "（本辖区未配置区县，请联系系统管理员）"
    lines: list[tuple[str, str]] = [
        ("企业台账导入模板", ""),
        ("表头", "第1行为表头，请勿修改或删除；从第2行起每行一家企业。带*的列必填。不认识的列会被忽略。"),
        ("匹配规则", "有统一社会信用代码的，按代码匹配：系统中已有该代码且由本机关管理的更新该企业，没有的新增；代码由其他机关管理的不予导入。"),
        ("", "无证无照且无代码的，按单位名称在本辖区无代码的企业中精确匹配：找到一家则更新，没有则新增。"),
        ("空白单元格", "更新已有企业时，空白单元格保留系统中原有的值，导入不会清空任何数据；如需清空，请在企业页面修改。"),
        ("所在区县*", f"填写区县名称或6位行政区划代码。本机关（{own}）只能登记本辖区企业，可填：{counties}。"),
        ("统一社会信用代码", "18位，按GB 32100校验；无证无照的单位可不填，但须在“无证无照”列填“是”。同一文件中同一代码只能出现一次。"),
        ("国民经济行业大类代码", "GB/T 4754-2017的两位大类代码，如26（化学原料和化学制品制造业），见“代码表”。"),
        ("监管行业", "可填多个，用“、”分隔；填名称（如“危险化学品·生产”）或代码（如hazchem.production），见“代码表”。"),
        ("行业领域特征", "可填多个，用“、”分隔，填名称或代码，见“代码表”。"),
        ("风险分级方案/风险等级", "填写风险等级时须同时有分级方案；等级须为该方案中的一级（见“代码表”）。"),
        ("主要经营场所", "填写地址后，系统为企业登记或更新“主要经营场所”；街道（乡镇）须与地址一同填写。"),
        ("导入步骤", "上传文件 → 系统逐行校验并显示预览（新增、更新、不能导入的行及原因） → 确认后，合格的行分批导入（如意外中断，页面说明已导入到第几行，重新上传同一文件即可继续） → 可下载未导入的行，修改后再次上传。"),
        ("重复导入", "同一文件再次导入只会更新，不会产生重复企业；内容未变的企业不产生修改记录。"),
    ]
    for a, b in lines:
        info.append(xlsx.row(info, [a, b]))
    info["A1"].font = Font(bold=True, size=14)
    for row in info.iter_rows(min_row=2):
        row[0].font = _HEAD_FONT
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    codes = wb.create_sheet("代码表")
    codes.append(xlsx.row(codes, ["监管行业（名称）", "代码", "", "行业领域特征", "代码", "", "风险分级方案", "等级", "", "行业大类代码", "名称"]))
    sectors = [(f"{s.group.name}·{s.name}", s.code) for s in Sector.objects.select_related("group")]
    features = [(f.name, f.code) for f in Feature.objects.all()]
    scheme_rows = [(g.name, "、".join(g.grades)) for g in schemes]
    industries = [(i.code, i.name) for i in IndustryClass.objects.filter(level="division").order_by("code")]
    for i in range(max(len(sectors), len(features), len(scheme_rows), len(industries))):
        cells: list[Any] = []
        for table in (sectors, features, scheme_rows, industries):
            cells.extend(table[i] if i < len(table) else ("", ""))
            cells.append("")
        codes.append(xlsx.row(codes, cells[:-1]))
    for i, w in enumerate([20, 26, 2, 14, 24, 2, 30, 10, 2, 10, 36], start=1):
        codes.column_dimensions[codes.cell(row=1, column=i).column_letter].width = w
        codes.cell(row=1, column=i).font = _HEAD_FONT
    wb.save(fh)


def as_text_cells(ws: Any, values: list[Any]) -> list[Any]:
    """Values for a row; text that could run as a formula stays text (``anjian.core.xlsx``)."""
    return xlsx.row(ws, values)


def write_rejected(*, job: Job, fh: IO[bytes]) -> int:
    """The rejected rows with their original columns, then 行号 and 原因 (streamed, write-only)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    header = [h for h in job.meta.get("header", []) if _norm_header(h).split("(")[0] not in REJECT_HEADERS]
    keep = [i for i, h in enumerate(job.meta.get("header", [])) if _norm_header(h).split("(")[0] not in REJECT_HEADERS]
    ws.append(xlsx.row(ws, [*header, *REJECT_HEADERS]))
    n = 0
    for item in job.rejected():
        values = item["values"]
        ws.append(as_text_cells(ws, [*(values[i] if i < len(values) else None for i in keep), item["row"], ";".join(item["reasons"])]))
        n += 1
    wb.save(fh)
    return n
