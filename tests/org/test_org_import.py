"""Import of staff and certificates from .xlsx (issue 10 item 1): template, preview with per-row
errors, confirm in one transaction, never a role."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.org import importing
from anjian.org.models import Certificate, Membership, RoleGrant, Staff

HEADER = [c.header for c in importing.COLUMNS]


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Any) -> Any:
    settings.ANJIAN_IMPORT_DIR = tmp_path / "imports"
    return settings.ANJIAN_IMPORT_DIR


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = importing.SHEET_NAME
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("人员.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


GOOD = [
    ["钱一", "在编人员", "男", "0535-1234567", "执法大队", "执法队员", "2024-01-01", "3706020001", "山东省人民政府", "2024-01-01", "2029-12-31", ""],
    ["钱二", "", "女", "", "", "科员", dt.datetime(2023, 5, 1), "", "", "", "", "A20193706020002"],
    ["钱三", "专家", "", "", "", "", "2023年5月1日", "", "", "", "", ""],
]
BAD = [
    ["", "在编人员", "", "", "", "", "2024-01-01", "", "", "", "", ""],  # row 5: no name
    ["钱四", "在编人员", "男", "", "不存在的科", "", "2024/01/01", "3706020009", "山东省人民政府", "2026-01-01", "2025-01-01", ""],  # row 6: unknown department, reversed dates
    ["钱五", "临时工", "", "", "", "", "昨天", "", "", "", "", ""],  # row 7: bad kind, bad date
    ["钱一", "", "", "", "", "", "2024-01-01", "3706020001", "山东省人民政府", "2024-01-01", "2029-12-31", ""],  # row 8: repeats row 2
    ["officer_a", "", "", "", "", "", "2024-01-01", "", "", "", "", ""],  # row 9: already serving
    ["钱六", "辅助人员", "", "", "", "", "2024-01-01", "3706020010", "山东省人民政府", "2024-01-01", "2029-12-31", ""],  # row 10: auxiliary with a certificate
    ["钱七", "", "", "", "", "", "2024-01-01", "3706020011", "", "", "", ""],  # row 11: partial certificate
]


def test_template_has_the_columns(org: Any) -> None:
    c = Client()
    c.force_login(org.user("office_a"))
    r = c.get(reverse("org:import_template"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert [c.value for c in wb[importing.SHEET_NAME][1]] == HEADER
    assert "三员分立" in "".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row)


def test_preview_lists_row_errors_and_writes_nothing(org: Any) -> None:
    staff_before = Staff.objects.count()
    other = Certificate.objects.filter(staff=org.user("officer_b").staff).first()
    # row 12: a person of another bureau, whose certificate is registered already
    moved = [["周八", "", "", "", "", "", "2024-01-01", other.number, "山东省人民政府", "2024-01-01", "2029-12-31", ""]]
    job = importing.import_start(actor=org.user("office_a"), upload=upload(xlsx(GOOD + BAD + moved)))
    assert Staff.objects.count() == staff_before
    meta = job.meta
    assert meta["counts"] == {"rows": 11, "ok": 3, "rejected": 8}
    errs = {r["row"]: " ".join(r["errors"]) for r in meta["rejected"]}
    assert "姓名：必填。" in errs[5]
    assert "本机关没有“不存在的科”" in errs[6] and "有效期止：早于有效期起" in errs[6]
    assert "人员类别" in errs[7] and "不是日期" in errs[7]
    assert "与第2行重复" in errs[8]
    assert "已有在职人员" in errs[9]
    assert "只有在编人员" in errs[10]
    assert "须同时填写" in errs[11]
    assert f"{other.number}已登记" in errs[12] and "调入" in errs[12]


def test_confirm_writes_valid_rows_in_one_go_without_roles(org: Any) -> None:
    c = Client()
    c.force_login(org.user("office_a"))
    r = c.post(reverse("org:import"), {"file": upload(xlsx(GOOD + BAD))})
    assert r.status_code == 302
    preview = c.get(r["Location"])
    body = preview.content.decode()
    assert "不能导入7行" in body and "本机关没有“不存在的科”" in body
    done = c.post(r["Location"])
    assert done.status_code == 302
    assert "已导入3人" in c.get(r["Location"]).content.decode()
    people = Staff.objects.filter(name__in=["钱一", "钱二", "钱三"])
    assert people.count() == 3
    assert not RoleGrant.objects.filter(membership__staff__in=people).exists()  # never a role
    one = Staff.objects.get(name="钱一")
    m = Membership.objects.get(staff=one)
    assert (m.agency_id, m.department.name, m.title, m.valid_from) == (org.agency_a.pk, "执法大队", "执法队员", dt.date(2024, 1, 1))
    assert Certificate.objects.get(staff=one).number == "3706020001"
    assert Staff.objects.get(name="钱二").legal_qualification_no == "A20193706020002"
    assert Membership.objects.get(staff__name="钱三").valid_from == dt.date(2023, 5, 1)
    assert AuditEvent.objects.get(action="staff.import").after["imported"] == 3
    # a second confirm is refused, and re-importing the file creates nobody twice
    again = c.post(r["Location"])
    assert again.status_code == 422
    job = importing.import_start(actor=org.user("office_a"), upload=upload(xlsx(GOOD)))
    assert job.meta["counts"]["ok"] == 0


def test_a_failure_in_the_middle_leaves_nothing_written(org: Any) -> None:
    job = importing.import_start(actor=org.user("office_a"), upload=upload(xlsx(GOOD)))
    real = importing.services.certificate_create
    with mock.patch.object(importing.services, "certificate_create", side_effect=ValidationFailed("证件编号冲突。")), pytest.raises(ValidationFailed) as exc:
        importing.import_confirm(actor=org.user("office_a"), token=job.token)
    assert "没有任何数据被导入" in exc.value.message
    assert not Staff.objects.filter(name__in=["钱一", "钱二", "钱三"]).exists()
    assert real is importing.services.certificate_create
    # after the failure the same upload can be confirmed
    importing.import_confirm(actor=org.user("office_a"), token=job.token)
    assert Staff.objects.filter(name__in=["钱一", "钱二", "钱三"]).count() == 3


def test_only_the_office_or_security_admin_imports(org: Any) -> None:
    with pytest.raises(PermissionRefused):
        importing.import_start(actor=org.user("officer_a"), upload=upload(xlsx(GOOD)))
    c = Client()
    c.force_login(org.user("officer_a"))
    assert c.get(reverse("org:import")).status_code == 403
    job = importing.import_start(actor=org.user("office_a"), upload=upload(xlsx(GOOD)))
    other = Client()
    other.force_login(org.user("security_admin_a"))
    assert other.get(reverse("org:import_preview", args=[job.token])).status_code == 404  # another user's upload


def test_not_an_xlsx_and_missing_columns(org: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        importing.import_start(actor=org.user("office_a"), upload=upload(b"name,kind\n"))
    assert ".xlsx" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        importing.import_start(actor=org.user("office_a"), upload=upload(xlsx([["x"]], header=["名字"])))
    assert "姓名" in exc.value.message
