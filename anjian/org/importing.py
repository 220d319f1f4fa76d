"""Excel import of a bureau's staff and their 执法证 (issue 10 item 1), shaped like the ledger's.

Flow, as for the ledger (``anjian.enterprises.importing``, which this app may not import: org sits
below enterprises): a template to download; ``import_start`` stores the upload under
``ANJIAN_IMPORT_DIR/org-<token>/`` (a random token bound to the uploading user) and checks every
row without writing (the preview: each rejected row with its row number and reasons);
``import_confirm`` checks every row again and writes the valid ones in ONE transaction through
the services (``staff_register``, ``certificate_create``): an unexpected failure of any row leaves
nothing written. A bureau's staff file has hundreds of rows, not the ledger's hundred thousand,
so neither batches nor a background task are needed; ``MAX_ROWS`` bounds it.

Each row is a new person of the importing bureau with a first membership (科室, 职务, 任职起始
日期), optionally a certificate and a legal qualification. The import never grants roles: only the
security administrator does, one person at a time (三员分立). A person already serving in the
bureau under the same name is rejected (re-importing a file creates nobody twice); so is a
certificate number already registered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from anjian.core import audit, xlsx
from anjian.core.errors import NotFound, PermissionRefused, ValidationFailed
from anjian.core.validators import date_bounds_error
from anjian.org import services
from anjian.org.choices import StaffKind
from anjian.org.models import Agency, Certificate, Department, Membership

SHEET_NAME = "人员和执法证"
MAX_ROWS = 5000  # rows present in the sheet, blank or not
KEEP_DAYS = 3
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", 10, True),
    Column("kind", "人员类别", 10),
    Column("gender", "性别", 6),
    Column("phone", "电话", 15),
    Column("department", "科室", 14),
    Column("title", "职务", 12),
    Column("valid_from", "任职起始日期", 13, True),
    Column("cert_number", "执法证编号", 18),
    Column("cert_issuer", "发证机关", 16),
    Column("cert_from", "有效期起", 12),
    Column("cert_to", "有效期止", 12),
    Column("legal_no", "法律职业资格证书编号", 20),
)
_BY_HEADER = {c.header: c for c in COLUMNS}
_KINDS = {c.label: c.value for c in StaffKind} | {"": StaffKind.CIVIL_SERVANT}
_GENDERS = {"男": "M", "女": "F", "": ""}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LEGAL_RE = re.compile(r"^[A-Za-z0-9\-]{4,32}$")
_CERT_KEYS = ("cert_number", "cert_issuer", "cert_from", "cert_to")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _norm(header: Any) -> str:
    return re.sub(r"[\s*＊]", "", _text(header))


def _date(value: Any) -> dt.date | None:
    """A date cell: a date, or text like 2024-01-31, 2024/1/31, 2024.1.31, 2024年1月31日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE_RE.match(_text(value))
    if not m:
        raise ValueError(value)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


@dataclass
class Row:
    number: int
    values: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"row": self.number, "name": self.values.get("name", ""), "values": self.values, "errors": self.errors}


class Checker:
    """Checks rows against the bureau's data as it is now (and against earlier rows of the file)."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        self.departments = {d.name: d for d in Department.objects.filter(agency=agency)}
        today = timezone.localdate()
        self.serving = set(Membership.objects.valid_on(today).filter(agency=agency).values_list("staff__name", flat=True))
        self.names: dict[str, int] = {}
        self.numbers: dict[str, int] = {}

    def check(self, number: int, cells: dict[str, Any]) -> Row:
        values = {c.key: _text(cells.get(c.key)) for c in COLUMNS}
        r = Row(number=number, values=values)
        err = r.errors.append
        name = values["name"]
        if not name:
            err("姓名：必填。")
        elif len(name) > 32:
            err("姓名：不能超过32个字。")
        elif name in self.serving:
            err(f"姓名：本机关已有在职人员“{name}”（重复导入？如确为同名的另一人，请在人员页面逐个登记）。")
        elif name in self.names:
            err(f"姓名：与第{self.names[name]}行重复。")
        kind = _KINDS.get(values["kind"])
        if kind is None:
            err(f"人员类别：应为{'、'.join(c.label for c in StaffKind)}之一（空白为在编人员）。")
        gender = _GENDERS.get(values["gender"])
        if gender is None:
            err("性别：应为“男”或“女”。")
        for key, label, limit in (("phone", "电话", 32), ("title", "职务", 32)):
            if len(values[key]) > limit:
                err(f"{label}：不能超过{limit}个字。")
        department = None
        if values["department"]:
            department = self.departments.get(values["department"])
            if department is None:
                err(f"科室：本机关没有“{values['department']}”（须先在科室页面新增）。")
        valid_from = self._date(cells.get("valid_from"), "任职起始日期", "start", r, required=True)
        cert = [values[k] for k in _CERT_KEYS]
        cert_data: dict[str, Any] | None = None
        if any(cert):
            if not all(cert):
                err("执法证：编号、发证机关、有效期起、有效期止须同时填写。")
            number_ = values["cert_number"]
            if number_ and len(number_) > 32:
                err("执法证编号：不能超过32位。")
            elif number_ and number_ in self.numbers:
                err(f"执法证编号：与第{self.numbers[number_]}行重复。")
            elif number_ and Certificate.objects.filter(number=number_).exists():
                err(f"执法证编号：{number_}已登记（同一人不重复登记；从其他机关调来的人员请用“人员 → 调入”办理）。")
            if len(values["cert_issuer"]) > 64:
                err("发证机关：不能超过64个字。")
            c_from = self._date(cells.get("cert_from"), "有效期起", "start", r) if values["cert_from"] else None
            c_to = self._date(cells.get("cert_to"), "有效期止", "end", r) if values["cert_to"] else None
            if c_from and c_to and c_to < c_from:
                err("有效期止：早于有效期起（日期是否填反了？）。")
            if kind is not None and kind != StaffKind.CIVIL_SERVANT:
                err("执法证：只有在编人员可以持有行政执法证。")
            cert_data = {"number": number_, "issuer": values["cert_issuer"], "valid_from": c_from, "valid_to": c_to}
        legal_no = values["legal_no"]
        if legal_no and not _LEGAL_RE.match(legal_no):
            err("法律职业资格证书编号：应为4至32位字母或数字。")
        if name and name not in self.names:
            self.names[name] = number
        if cert_data and cert_data["number"] and cert_data["number"] not in self.numbers:
            self.numbers[cert_data["number"]] = number
        r.data = {
            "name": name, "kind": kind, "gender": gender, "phone": values["phone"], "department": department,
            "title": values["title"], "valid_from": valid_from, "legal_qualification_no": legal_no, "certificate": cert_data,
        }  # fmt: skip
        return r

    @staticmethod
    def _date(value: Any, label: str, kind: str, r: Row, *, required: bool = False) -> dt.date | None:
        if value in (None, ""):
            if required:
                r.errors.append(f"{label}：必填。")
            return None
        try:
            day = _date(value)
        except ValueError:
            r.errors.append(f"{label}：“{_text(value)}”不是日期，应写作2024-01-31。")
            return None
        problem = date_bounds_error(day, kind)
        if problem:
            r.errors.append(f"{label}：{problem}")
            return None
        return day


# --- the file ----------------------------------------------------------------------------------
def import_root() -> Path:
    root = Path(getattr(settings, "ANJIAN_IMPORT_DIR", "") or Path(settings.VAR_DIR) / "imports")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


_unreadable = xlsx.unreadable


def _store(upload: Any, dest: Path) -> tuple[int, str]:
    size, sha, _ = xlsx.store_upload(upload, dest, limit=int(settings.ANJIAN_IMPORT_MAX_BYTES))
    return size, sha


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(Excel row number, {column key: cell}) of each non-blank data row."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise _unreadable() from None
    try:
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise ValidationFailed("文件是空的：第1行应为表头（请使用导入模板）。", code="import_file")
        colmap: dict[int, Column] = {}
        for i, h in enumerate(header):
            col = _BY_HEADER.get(_norm(h))
            if col is not None:
                colmap[i] = col
        missing = [c.header for c in COLUMNS if c.required and c not in colmap.values()]
        if missing:
            raise ValidationFailed(f"第1行表头中找不到“{'”“'.join(missing)}”列：请使用导入模板。", code="import_file")
        out: list[tuple[int, dict[str, Any]]] = []
        for n, cells in enumerate(it, start=2):
            if n - 1 > MAX_ROWS:
                raise ValidationFailed(f"文件超过{MAX_ROWS}行，请分成多个文件导入。", code="import_file")
            row = {col.key: cells[i] for i, col in colmap.items() if i < len(cells)}
            if any(_text(v) for v in row.values()):
                out.append((n, row))
        return out
    except ValidationFailed:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        wb.close()


class Job:
    """One upload: ``<import dir>/org-<token>/`` holding upload.xlsx and meta.json."""

    def __init__(self, token: str) -> None:
        if not _TOKEN_RE.match(token or ""):
            raise NotFound()
        self.token = token
        self.dir = import_root() / f"org-{token}"
        self.upload = self.dir / "upload.xlsx"
        self.meta: dict[str, Any] = {}

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


def import_get(*, actor: Any, token: str) -> Job:
    """The user's own upload; another user's token answers 404, as a missing one does."""
    job = Job(token).load()
    if job.meta.get("user_id") != getattr(actor, "pk", None):
        raise NotFound()
    return job


def _remove_old(root: Path) -> None:
    cutoff = time.time() - KEEP_DAYS * 86400
    for d in root.glob("org-*"):
        try:
            if d.is_dir() and d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            continue


def _check_all(job: Job, agency: Agency) -> list[Row]:
    checker = Checker(agency)
    rows = [checker.check(n, cells) for n, cells in read_rows(job.upload)]
    if not rows:
        raise ValidationFailed("文件中没有数据行：请从第2行起每行填写一名人员。", code="import_file")
    return rows


def _agency_of(actor: Any) -> Agency:
    from anjian.org.selectors import own_agency

    try:
        agency = own_agency(user=actor)
    except NotFound:
        raise PermissionRefused(services.MANAGER_REFUSED, code="role_refused") from None
    services.require_manager(actor, agency)
    return agency


def import_start(*, actor: Any, upload: Any) -> Job:
    """Store the upload and check every row (the preview). Writes nothing but the job folder."""
    agency = _agency_of(actor)
    root = import_root()
    _remove_old(root)
    job = Job(secrets.token_urlsafe(24))
    job.dir.mkdir(mode=0o700)
    try:
        size, sha = _store(upload, job.upload)
        rows = _check_all(job, agency)
        bad = [r.as_json() for r in rows if r.errors]
        job.meta = {
            "token": job.token,
            "user_id": actor.pk,
            "agency_id": agency.pk,
            "filename": re.sub(r"[\x00-\x1f\x7f]", "", Path(getattr(upload, "name", "") or "upload.xlsx").name)[:200] or "upload.xlsx",
            "size": size,
            "sha256": sha,
            "status": "previewed",
            "counts": {"rows": len(rows), "ok": len(rows) - len(bad), "rejected": len(bad)},
            "rejected": bad,
            "sample": [r.as_json() for r in rows if not r.errors][:20],
        }
        job.save()
    except BaseException:
        shutil.rmtree(job.dir, ignore_errors=True)
        raise
    return job


def import_confirm(*, actor: Any, token: str) -> Job:
    """Write every valid row in one transaction (rows are checked again against the data as it is
    now). A second confirm of the same upload is refused; a failure leaves nothing written."""
    job = import_get(actor=actor, token=token)
    agency = _agency_of(actor)
    if job.meta.get("agency_id") != agency.pk:
        raise PermissionRefused("您的所属机关已变化，请重新上传文件。", code="not_owner")
    if job.meta.get("status") != "previewed":
        raise ValidationFailed("该文件已经导入，不能重复导入；如需再次导入请重新上传。", code="import_state")
    try:
        # Atomic on every filesystem: of two confirms of the same upload only one gets through.
        os.close(os.open(job.dir / "confirm.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise ValidationFailed("该文件已经提交导入，不能重复导入；如需再次导入请重新上传。", code="import_state") from None
    try:
        with transaction.atomic():
            rows = _check_all(job, agency)
            done = 0
            for r in rows:
                if r.errors:
                    continue
                try:
                    _write(actor, agency, r)
                except ValidationFailed as exc:
                    raise ValidationFailed(f"第{r.number}行（{r.values.get('name', '')}）不能导入：{exc.message}没有任何数据被导入。", code="import_row") from None
                done += 1
            rejected = [r.as_json() for r in rows if r.errors]
            audit.record_about(
                actor=actor, action="staff.import", object_type="org.import", object_id=job.token, object_repr=job.meta["filename"],
                jurisdiction_id=agency.jurisdiction_id, after={"file": job.meta["filename"], "sha256": job.meta["sha256"], "imported": done, "rejected": len(rejected)},
            )  # fmt: skip
    except BaseException as exc:
        (job.dir / "confirm.lock").unlink(missing_ok=True)
        if isinstance(exc, ValidationFailed):
            job.meta["error"] = exc.message
            job.save()
        raise
    job.meta.update({"status": "done", "result": {"imported": done, "rejected": len(rejected)}, "rejected": rejected, "finished_at": timezone.now().isoformat()})
    job.save()
    return job


def _write(actor: Any, agency: Agency, r: Row) -> None:
    d = r.data
    staff = services.staff_register(
        actor=actor, agency=agency, name=d["name"], kind=d["kind"], valid_from=d["valid_from"], department=d["department"],
        title=d["title"], gender=d["gender"], phone=d["phone"], legal_qualification_no=d["legal_qualification_no"],
    )  # fmt: skip
    cert = d["certificate"]
    if cert:
        services.certificate_create(actor=actor, staff=staff, **cert)


# --- the template ------------------------------------------------------------------------------
def write_template(*, actor: Any, fh: IO[bytes]) -> None:
    agency = _agency_of(actor)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    ws.append(xlsx.row(ws, [c.header for c in COLUMNS]))
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE9D9" if c.required else "DDEBF7")
        ws.column_dimensions[cell.column_letter].width = c.width
        if c.key in ("phone", "cert_number", "legal_no"):
            ws.column_dimensions[cell.column_letter].number_format = "@"
    letters = {c.key: ws.cell(row=1, column=i).column_letter for i, c in enumerate(COLUMNS, start=1)}

    def listed(key: str, values: list[str]) -> None:
        formula = '"' + ",".join(values) + '"'
        if not values or len(formula) > 255:
            return
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True, errorTitle="取值不在列表中", error="请从下拉列表中选择。")
        ws.add_data_validation(dv)
        dv.add(f"{letters[key]}2:{letters[key]}{MAX_ROWS + 1}")

    listed("kind", [c.label for c in StaffKind])
    listed("gender", ["男", "女"])
    deps = list(Department.objects.filter(agency=agency).order_by("kind", "name").values_list("name", flat=True))
    listed("department", deps)
    info = wb.create_sheet("填写说明")
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 90
    lines = [
        ("人员和执法证导入模板", ""),
        ("表头", "第1行为表头，请勿修改；从第2行起每行一名人员。姓名和任职起始日期必填。"),
        ("导入的内容", f"每行登记一名{agency.name}的人员及其任职（科室、职务、起始日期），可同时登记其行政执法证和法律职业资格证书编号。"),
        ("角色", "导入不授予任何角色（执法人员、法制审核人员等）：角色由本机关安全管理员在人员页面逐个授予（三员分立）。"),
        ("人员类别", "在编人员、专家或辅助人员，空白为在编人员。只有在编人员可以持有执法证。"),
        ("科室", "填写本机关已有的科室名称：" + ("、".join(deps) or "（本机关尚未设置科室）") + "。"),
        ("日期", "写作2024-01-31（也可以是2024/1/31或2024年1月31日）。"),
        ("执法证", "执法证编号、发证机关、有效期起、有效期止须同时填写；有效期止不能早于有效期起；已登记的编号不能重复登记。"),
        ("重复导入", "本机关已有同名在职人员的行不予导入，同一文件再次导入不会重复登记人员。"),
        ("导入步骤", "上传文件 → 系统逐行校验并显示预览（不能导入的行及原因） → 确认后，合格的行在同一事务中全部导入；任何一行意外失败则全部不导入。"),
    ]
    for a, b in lines:
        info.append(xlsx.row(info, [a, b]))
    info["A1"].font = Font(bold=True, size=14)
    for row in info.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(fh)
