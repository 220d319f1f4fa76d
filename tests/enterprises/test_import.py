"""Excel import: template, preview with row-numbered reasons, one-transaction commit, re-import.

Files are built in memory with openpyxl; the personas are those of tests/conftest.py.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.models import AuditEvent
from anjian.enterprises import importing, services
from anjian.enterprises.models import Enterprise, Site
from anjian.enterprises.selectors import enterprise_audit
from anjian.org.models import RoleGrant
from tests.conftest import PASSWORD, make_uscc
from tests.enterprises.classification_check import assert_classification_matches_links

HEADER = [c.header for c in importing.COLUMNS]


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Any) -> Any:
    settings.ANJIAN_IMPORT_DIR = tmp_path / "imports"
    return settings.ANJIAN_IMPORT_DIR


def row(**values: Any) -> list[Any]:
    """A data row in template column order; keys are the column keys of ``importing.COLUMNS``."""
    keys = [c.key for c in importing.COLUMNS]
    unknown = set(values) - set(keys)
    assert not unknown, unknown
    return [values.get(k) for k in keys]


def xlsx(rows: list[list[Any]], header: list[Any] | None = None, *, sheet: str = "企业台账") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def login(client: Any, world: Any, name: str) -> Any:
    assert client.login(username=name, password=PASSWORD)
    return client


def good(seq: int, **extra: Any) -> list[Any]:
    return row(name=f"芝罘测试企业{seq}有限公司", uscc=make_uscc(1000 + seq), division="芝罘区", **extra)


def preview(world: Any, data: bytes, user: str = "officer_a", name: str = "台账.xlsx") -> importing.Job:
    return importing.import_start(actor=world.user(user), upload=upload(data, name))


def commit(world: Any, job: importing.Job, user: str = "officer_a") -> importing.Job:
    return importing.import_commit(actor=world.user(user), token=job.token)


def reasons(job: importing.Job) -> dict[int, str]:
    return {r["row"]: ";".join(r["reasons"]) for r in job.rejected()}


# --- the template -----------------------------------------------------------------------------------
def test_template_has_the_columns_instructions_and_own_counties(client, world):
    login(client, world, "officer_a")
    resp = client.get(reverse("enterprises:import_template"))
    assert resp.status_code == 200
    assert "filename*=utf-8''" in resp["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    assert wb.sheetnames == ["企业台账", "填写说明", "代码表"]
    ws = wb["企业台账"]
    assert [c.value for c in ws[1]] == HEADER
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"芝罘区"' in lists  # the county list is the importing bureau's own
    assert '"是,否"' in lists
    codes = [c.value for c in wb["代码表"]["A"]]
    assert "危险化学品·生产" in codes


# --- a good file ------------------------------------------------------------------------------------
def test_it_imports_a_good_file_through_the_pages_and_audits(client, world):
    data = xlsx([
        good(1, sectors="危险化学品·生产、hazchem.storage", features="有限空间作业", scale="中型", employees=120,
             industry=26, risk_scheme="危险化学品企业安全风险分级（示例）", risk_grade="b", standardization_level="二级",
             site_address="芝罘区幸福路1号", site_street="幸福街道", principal="张三", principal_phone=13800000001),
        good(2),
        row(name="无照加工点", unlicensed="是", division="370602"),
    ])
    login(client, world, "officer_a")
    resp = client.post(reverse("enterprises:import"), {"file": upload(data)})
    assert resp.status_code == 302
    token = resp.url.rstrip("/").split("/")[-1]
    page = client.get(resp.url)
    assert page.status_code == 200
    assert page.context["preview"]["counts"] == {"rows": 3, "create": 3, "update": 0, "unchanged": 0, "rejected": 0}
    assert not Enterprise.objects.exists()  # the preview writes nothing

    resp = client.post(reverse("enterprises:import_preview", args=[token]))
    assert resp.status_code == 302
    page = client.get(resp.url)
    assert page.context["state"] == "done"
    assert page.context["result"]["counts"]["create"] == 3
    assert "导入完成" in page.content.decode()

    ents = {e.name: e for e in Enterprise.objects.all()}
    assert len(ents) == 3
    e1 = ents["芝罘测试企业1有限公司"]
    assert e1.owner_agency == world.agency_a and e1.jurisdiction == world.district_a
    assert sorted(e1.sectors.values_list("code", flat=True)) == ["hazchem.production", "hazchem.storage"]
    assert e1.in_hazchem and not e1.in_industry  # the group filter sees imported units
    assert_classification_matches_links()  # … and the sector and feature bits
    assert list(e1.features.values_list("code", flat=True)) == ["confined_space"]
    assert (e1.scale, e1.employees, e1.industry_id, e1.risk_grade, e1.standardization_level) == ("medium", 120, "26", "B", "2")
    assert e1.risk_scheme.code == "hazchem" and e1.division_id == "370602"
    assert e1.principal_phone == "13800000001"
    assert e1.search_text  # the search index column is filled as services do
    site = Site.objects.get(enterprise=e1)
    assert (site.address, site.street, site.is_primary) == ("芝罘区幸福路1号", "幸福街道", True)
    unl = ents["无照加工点"]
    assert unl.uscc is None and unl.unlicensed

    # Each unit's own audit trail shows it was created by this import.
    ev = enterprise_audit(e1).get(action="enterprise.create")
    assert ev.actor == world.user("officer_a") and "台账.xlsx" in ev.note and "第2行" in ev.note
    assert ev.after["uscc"] == e1.uscc and ev.after["sectors"] == ["hazchem.production", "hazchem.storage"]
    assert ev.jurisdiction == world.district_a and ev.request_id and ev.source_ip == "127.0.0.1"
    assert (ev.after["site_address"], ev.after["site_street"]) == ("芝罘区幸福路1号", "幸福街道")
    assert ev.after["id"] == e1.pk and ev.after["created_at"]
    assert enterprise_audit(e1).count() == 1  # one event per unit and import
    assert AuditEvent.objects.filter(action="enterprise.create").count() == 3
    summary = AuditEvent.objects.get(action="enterprise.import")
    assert summary.after["sha256"] == hashlib.sha256(data).hexdigest()
    assert (summary.after["create"], summary.after["rejected"], summary.after["file"]) == (3, 0, "台账.xlsx")
    # Row history (django-simple-history) is written too, with the importing user.
    h = e1.history.get()
    assert h.history_type == "+" and h.history_user == world.user("officer_a")


def test_a_second_confirm_is_refused(client, world):
    login(client, world, "officer_a")
    token = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(1)]))}).url.rstrip("/").split("/")[-1]
    client.post(reverse("enterprises:import_preview", args=[token]))
    resp = client.post(reverse("enterprises:import_preview", args=[token]))
    assert resp.status_code == 422
    assert "不能重复导入" in resp.content.decode()
    assert Enterprise.objects.count() == 1


# --- a bad file: every reason, with its Excel row number --------------------------------------------
def test_each_rejection_reason_is_reported_with_its_row_number(world, ent_b):
    bad_code = make_uscc(2000)
    bad_code = bad_code[:-1] + ("0" if bad_code[-1] != "0" else "1")
    data = xlsx([
        good(1),  # row 2: fine
        row(name="代码错误公司", uscc=bad_code, division="芝罘区"),  # 3
        row(name="区县不存在公司", uscc=make_uscc(2001), division="不存在区"),  # 4
        row(name="外区公司", uscc=make_uscc(2002), division="福山区"),  # 5: a county of another jurisdiction
        row(name="重复代码公司", uscc=make_uscc(1001).lower(), division="芝罘区"),  # 6: same code as row 2
        row(uscc=make_uscc(2003), division="芝罘区"),  # 7: no name
        row(name="行业不明公司", uscc=make_uscc(2004), division="芝罘区", sectors="危险化学品·生产、造火箭"),  # 8
        row(name="福山的企业", uscc=ent_b.uscc, division="芝罘区"),  # 9: code held by district B
        row(name="多处错误公司", uscc="123", division="牟平区", sectors="造火箭", employees="很多"),  # 10
        row(name="没有代码公司", division="芝罘区"),  # 11: no code and not flagged unlicensed
        row(name="等级无方案公司", uscc=make_uscc(2005), division="芝罘区", risk_grade="A"),  # 12
        [None] * len(HEADER),  # 13: a blank row is skipped, not reported
        row(name="规模错误公司", uscc=make_uscc(2006), division="芝罘区", scale="巨型", risk_scheme="hazchem", risk_grade="E"),  # 14
    ])
    job = preview(world, data)
    counts = job.meta["preview"]["counts"]
    assert counts == {"rows": 12, "create": 1, "update": 0, "unchanged": 0, "rejected": 11}
    r = reasons(job)
    assert sorted(r) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]
    assert "校验位" in r[3]
    assert "未知的区县“不存在区”" in r[4]
    assert "属于福山区辖区" in r[5] and "芝罘区" in r[5]
    assert "与第2行重复" in r[6]
    assert r[7].startswith("单位名称：必填")
    assert r[8] == "监管行业：不认识“造火箭”，请填写“代码表”中的监管行业名称或代码。"
    # another district's unit: refused without naming it or its bureau (issue 8: no other district's data)
    assert "其他辖区登记" in r[9] and ent_b.name not in r[9] and "福山区" not in r[9]
    # All reasons of a row, not only the first.
    assert "应为18位" in r[10] and "牟平区" in r[10] and "造火箭" in r[10] and "从业人数" in r[10]
    assert "无证无照" in r[11]
    assert "分级方案" in r[12]
    assert "规模" in r[14] and "风险等级" in r[14]
    assert [s["row"] for s in job.meta["preview"]["samples"]] == [2]


def test_file_level_problems_are_refused_in_chinese(world):
    with pytest.raises(ValidationFailed) as exc:
        preview(world, xlsx([good(1)], header=["名称", "代码"]))
    assert "单位名称" in exc.value.message and "所在区县" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        preview(world, xlsx([]))
    assert "没有数据行" in exc.value.message
    header = HEADER + ["单位名称"]
    with pytest.raises(ValidationFailed) as exc:
        preview(world, xlsx([good(1)], header=header))
    assert "同一列" in exc.value.message


def test_short_and_full_width_headers_and_unknown_columns(world):
    header = ["单位名称", "统一社会信用代码", "所在区县（名称或区划代码）", "监管行业", "备用列"]
    job = preview(world, xlsx([["甲公司", make_uscc(3001), "芝罘区", "hazchem.production", "x"]], header=header))
    assert job.meta["preview"]["counts"]["create"] == 1
    assert job.meta["ignored"] == ["备用列"]


def test_too_many_rows_are_refused(world, settings):
    settings.ANJIAN_IMPORT_MAX_ROWS = 2
    with pytest.raises(ValidationFailed) as exc:
        preview(world, xlsx([good(1), good(2), good(3)]))
    assert "超过2行" in exc.value.message


# --- mixed file: valid rows imported, rejected ones listed and downloadable ----------------------------
def test_mixed_file_imports_the_valid_rows_and_offers_the_rejected_ones(client, world):
    data = xlsx([good(1), row(name="坏公司", uscc="91370602XXXXXXXXXX", division="芝罘区", contact_name="李四"), good(3)])
    login(client, world, "officer_a")
    resp = client.post(reverse("enterprises:import"), {"file": upload(data, "混合.xlsx")})
    token = resp.url.rstrip("/").split("/")[-1]
    page = client.get(resp.url)
    body = page.content.decode()
    assert 'data-row="3"' in body and "统一社会信用代码" in body
    client.post(reverse("enterprises:import_preview", args=[token]))
    page = client.get(reverse("enterprises:import_preview", args=[token]))
    assert page.context["result"]["counts"] == {"rows": 3, "create": 2, "update": 0, "unchanged": 0, "rejected": 1}
    assert Enterprise.objects.count() == 2
    assert [r["row"] for r in page.context["rejected"]] == [3]

    resp = client.get(reverse("enterprises:import_rejected", args=[token]))
    assert resp.status_code == 200
    assert "filename*=utf-8''" in resp["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))["企业台账"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER + ["行号", "原因"]
    assert rows[1][0] == "坏公司" and rows[1][1] == "91370602XXXXXXXXXX" and rows[1][7] == "李四"
    assert rows[1][-2] == 3 and "统一社会信用代码" in rows[1][-1]
    assert len(rows) == 2


def test_a_corrected_rejected_file_can_be_uploaded_as_it_is(client, world):
    data = xlsx([good(1), row(name="坏公司", uscc="123", division="芝罘区")])
    job = commit(world, preview(world, data))
    buf = io.BytesIO()
    importing.write_rejected(job=job, fh=buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb["企业台账"]
    ws.cell(row=2, column=2).value = make_uscc(4001)
    fixed = io.BytesIO()
    wb.save(fixed)
    job2 = commit(world, preview(world, fixed.getvalue()))
    assert job2.meta["result"]["counts"]["create"] == 1 and job2.meta["result"]["counts"]["rejected"] == 0
    assert Enterprise.objects.filter(name="坏公司", uscc=make_uscc(4001)).exists()


# --- re-import ----------------------------------------------------------------------------------------
def test_reimporting_the_same_file_updates_by_code_and_creates_no_duplicates(world):
    rows = [good(1, sectors="危险化学品·生产", site_address="一号路"), good(2), row(name="无照加工点", unlicensed="是", division="芝罘区")]
    data = xlsx(rows)
    commit(world, preview(world, data))
    assert Enterprise.objects.count() == 3
    events = AuditEvent.objects.count()

    again = commit(world, preview(world, data))
    assert again.meta["result"]["counts"] == {"rows": 3, "create": 0, "update": 0, "unchanged": 3, "rejected": 0}
    assert Enterprise.objects.count() == 3 and Site.objects.count() == 1
    assert AuditEvent.objects.count() == events + 1  # only the import's own event

    stamp = Enterprise.objects.get(uscc=make_uscc(1001)).updated_at
    rows[0] = good(1, sectors="危险化学品·储存", site_address="二号路", principal="王五", employees=42, risk_scheme="general", risk_grade="C")
    rows[2] = row(name="无照加工点", unlicensed="是", division="芝罘区", contact_phone="0535-1234567")
    changed = commit(world, preview(world, xlsx(rows)))
    assert changed.meta["result"]["counts"] == {"rows": 3, "create": 0, "update": 2, "unchanged": 1, "rejected": 0}
    assert Enterprise.objects.count() == 3
    e1 = Enterprise.objects.get(uscc=make_uscc(1001))
    assert e1.principal == "王五" and list(e1.sectors.values_list("code", flat=True)) == ["hazchem.storage"]
    assert (e1.employees, e1.risk_scheme.code, e1.risk_grade) == (42, "general", "C")
    assert e1.updated_at > stamp
    assert Site.objects.get(enterprise=e1).address == "二号路"
    ev = enterprise_audit(e1).filter(action="enterprise.update").get()
    scheme = e1.risk_scheme_id
    assert ev.before == {"principal": "", "employees": None, "risk_scheme": None, "risk_grade": "", "sectors": ["hazchem.production"], "site_address": "一号路"}
    assert ev.after == {"principal": "王五", "employees": 42, "risk_scheme": scheme, "risk_grade": "C", "sectors": ["hazchem.storage"], "site_address": "二号路"}
    assert "第2行" in ev.note
    assert Enterprise.objects.get(name="无照加工点").contact_phone == "0535-1234567"
    assert e1.history.count() == 2
    assert_classification_matches_links()


def test_reimport_that_changes_only_the_features_updates_the_copied_bits(world):
    """A features-only change must reach Enterprise.class_bits: the list shows features from it."""
    commit(world, preview(world, xlsx([good(1, sectors="工贸·机械")])))
    commit(world, preview(world, xlsx([good(1, sectors="工贸·机械", features="粉尘涉爆")])))
    e1 = Enterprise.objects.get(uscc=make_uscc(1001))
    assert list(e1.features.values_list("code", flat=True)) == ["dust_explosion"]
    assert_classification_matches_links()
    api = APIClient()
    api.force_authenticate(world.user("officer_a"))
    r = api.get("/api/v1/enterprises/", {"feature": "dust_explosion"}).json()
    assert r["count"] == 1 and r["results"][0]["features"] == ["dust_explosion"]


def test_empty_cells_keep_stored_values(world, ent_a):
    job = commit(world, preview(world, xlsx([row(name=ent_a.name, uscc=ent_a.uscc, division="芝罘区")])))
    assert job.meta["result"]["counts"]["update"] == 1  # only the county was new
    ent_a.refresh_from_db()
    assert ent_a.division_id == "370602" and ent_a.employees == 120 and ent_a.scale == "medium"
    assert list(ent_a.sectors.values_list("code", flat=True)) == ["hazchem.production"]


def test_two_code_less_units_of_the_same_name_are_not_guessed(world):
    for _ in range(2):
        services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name="同名加工点", unlicensed=True)
    job = preview(world, xlsx([row(name="同名加工点", unlicensed="是", division="芝罘区")]))
    assert "2家同名" in reasons(job)[2]


# --- confirm re-validates, all or nothing ---------------------------------------------------------------
def test_confirm_revalidates_against_the_data_as_it_is_then(world):
    data = xlsx([good(1), row(name="被抢先公司", uscc=make_uscc(5001, region="370611"), division="芝罘区")])
    job = preview(world, data)
    assert job.meta["preview"]["counts"]["create"] == 2
    services.enterprise_create(actor=world.user("officer_b"), jurisdiction=world.district_b, name="福山抢先公司", uscc=make_uscc(5001, region="370611"))
    done = commit(world, job)
    assert done.meta["result"]["counts"]["create"] == 1 and done.meta["result"]["counts"]["rejected"] == 1
    assert "其他辖区登记" in reasons(done)[3]


def test_an_unexpected_error_stops_the_import_and_says_which_rows_were_written(world, monkeypatch):
    """Batches are committed one by one (issue 8 item 10): a failure part way keeps the batches
    before it, says so on the job, audits them, and uploading the same file again finishes."""
    monkeypatch.setattr(importing, "BATCH", 2)
    real = importing._apply
    calls = []

    def failing(rows, lk, *, note):  # type: ignore[no-untyped-def]
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(rows, lk, note=note)

    monkeypatch.setattr(importing, "_apply", failing)
    data = xlsx([good(i) for i in range(1, 6)])
    job = preview(world, data)
    with pytest.raises(RuntimeError):
        commit(world, job)
    # The first batch (rows 2 and 3) is committed; the failed batch (rows 4 and 5) rolled back.
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == ["芝罘测试企业1有限公司", "芝罘测试企业2有限公司"]
    meta = importing.Job(job.token).load().meta
    assert meta["status"] == "failed"
    assert meta["partial"]["through_row"] == 3 and meta["partial"]["create"] == 2
    assert "第3行之后中断" in meta["error"] and "新增2家" in meta["error"] and "重新上传同一文件即可继续" in meta["error"]
    event = AuditEvent.objects.get(action="enterprise.import")
    assert event.after["create"] == 2 and "中断" in event.note
    # The same file again: the written rows are unchanged, the rest are created.
    monkeypatch.setattr(importing, "_apply", real)
    done = commit(world, preview(world, data))
    assert done.meta["result"]["counts"] == {"rows": 5, "create": 3, "update": 0, "unchanged": 2, "rejected": 0}
    assert Enterprise.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_each_batch_is_committed_in_its_own_short_transaction(world, monkeypatch):
    """A 100,000-row import held SQLite's only write lock for 59 s in one transaction; now each
    batch commits before the next one starts (issue 8 item 10)."""
    from django.db import transaction

    monkeypatch.setattr(importing, "BATCH", 2)
    real = importing._apply
    events: list[str] = []

    def spy(rows, lk, *, note):  # type: ignore[no-untyped-def]
        n = len([e for e in events if e.startswith("apply")]) + 1
        events.append(f"apply{n}")
        real(rows, lk, note=note)
        transaction.on_commit(lambda: events.append(f"commit{n}"))

    monkeypatch.setattr(importing, "_apply", spy)
    done = commit(world, preview(world, xlsx([good(i) for i in range(1, 6)])))
    assert done.meta["status"] == "done" and done.meta["result"]["counts"]["create"] == 5
    assert events == ["apply1", "commit1", "apply2", "commit2", "apply3", "commit3"]


def test_a_batch_that_meets_a_locked_database_is_retried(world, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(importing, "BATCH", 2)
    monkeypatch.setattr("anjian.core.worker.time.sleep", lambda s: None)
    real = importing._apply
    calls = []

    def locked_once(rows, lk, *, note):  # type: ignore[no-untyped-def]
        calls.append(len(rows))
        if len(calls) == 2:
            raise OperationalError("database is locked")
        real(rows, lk, note=note)

    monkeypatch.setattr(importing, "_apply", locked_once)
    done = commit(world, preview(world, xlsx([good(i) for i in range(1, 6)])))
    assert done.meta["status"] == "done"
    assert done.meta["result"]["counts"]["create"] == 5 and Enterprise.objects.count() == 5
    assert calls == [2, 2, 2, 1]


# --- refusals ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"name,uscc\nA,B\n", b"", b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old xls"])
def test_a_non_xlsx_upload_is_refused(client, world, content):
    login(client, world, "officer_a")
    resp = client.post(reverse("enterprises:import"), {"file": upload(content, "伪装.xlsx")})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert ".xlsx" in body or "空的" in body
    assert not list(importing.import_root().iterdir())  # nothing is kept of a refused upload


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ValidationFailed) as exc:
        preview(world, buf.getvalue())
    assert ".xlsx" in exc.value.message


def test_an_oversized_upload_is_refused(world, settings):
    settings.ANJIAN_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed) as exc:
        preview(world, xlsx([good(i) for i in range(50)]))
    assert "MB" in exc.value.message


@pytest.mark.parametrize("persona", ["office_a", "legal_a", "leader_a", "expert_a", "outsider"])
def test_a_user_without_a_ledger_write_role_is_refused(client, world, persona):
    login(client, world, persona)
    assert client.get(reverse("enterprises:import")).status_code == 403
    resp = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(1)]))})
    assert resp.status_code == 403
    assert "无权导入" in resp.content.decode() or "不属于任何执法机关" in resp.content.decode()
    assert not Enterprise.objects.exists()


def test_the_role_is_checked_again_at_confirm(client, world):
    login(client, world, "officer_a")
    token = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(1)]))}).url.rstrip("/").split("/")[-1]
    RoleGrant.objects.filter(membership__staff__user=world.user("officer_a")).delete()
    resp = client.post(reverse("enterprises:import_preview", args=[token]))
    assert resp.status_code == 403
    assert not Enterprise.objects.exists()


def test_the_city_bureau_cannot_import_into_a_district(world):
    job = preview(world, xlsx([good(1)]), user="leader_city")
    assert "属于芝罘区辖区" in reasons(job)[2]
    with pytest.raises(PermissionRefused):
        preview(world, xlsx([good(1)]), user="office_a")


@pytest.mark.parametrize("other", ["officer_b", "officer_a2", "officer_city"])
def test_an_import_token_is_bound_to_its_user(client, world, other):
    login(client, world, "officer_a")
    token = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(1), row(name="坏", division="芝罘区")]))}).url.rstrip("/").split("/")[-1]
    client.logout()
    login(client, world, other)
    assert client.get(reverse("enterprises:import_preview", args=[token])).status_code == 404
    assert client.post(reverse("enterprises:import_preview", args=[token])).status_code == 404
    assert client.get(reverse("enterprises:import_rejected", args=[token])).status_code == 404
    assert client.get(reverse("enterprises:import_preview", args=[".."])).status_code == 404
    assert client.get(reverse("enterprises:import_preview", args=["x" * 32])).status_code == 404
    assert not Enterprise.objects.exists()


def test_pages_need_a_login(client):
    resp = client.get(reverse("enterprises:import"))
    assert resp.status_code == 302 and "login" in resp.url


# --- the reader -------------------------------------------------------------------------------------------
def excel_layout(rows: dict[int, list[Any]]) -> bytes:
    """A workbook as Excel and WPS write it: text in xl/sharedStrings.xml, rows addressed by number
    (so a gap is a missing <row>), one rich-text entry with a phonetic run, no <dimension>."""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    strings: dict[str, int] = {}
    sheet = []
    for r, values in sorted(rows.items()):
        cells = []
        for i, v in enumerate(values):
            ref = f"{get_column_letter(i + 1)}{r}"
            if v is None:
                continue
            if isinstance(v, int):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(v, len(strings))}</v></c>')
        sheet.append(f'<row r="{r}">{"".join(cells)}</row>')
    sst = []
    for text in strings:
        if text == "富文本有限公司":  # bold run + plain run + a phonetic guide that is not text
            sst.append('<si><r><rPr><b/></rPr><t>富文本</t></r><r><t>有限公司</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si>')
        else:
            sst.append(f'<si><t xml:space="preserve">{escape(text)}</t></si>')
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", f'<Types xmlns="{pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    f'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                    f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        zf.writestr("xl/worksheets/sheet1.xml", f'<worksheet {ns}><sheetData>{"".join(sheet)}</sheetData></worksheet>')
        zf.writestr("xl/sharedStrings.xml", f'<sst {ns} count="{len(sst)}" uniqueCount="{len(sst)}">{"".join(sst)}</sst>')
    return buf.getvalue()


def test_an_excel_layout_file_keeps_its_row_numbers_and_texts(world):
    data = excel_layout({
        1: HEADER,
        2: good(1, employees=35, industry=8),  # 8: an Excel number cell, meaning GB/T 4754 大类 "08"
        5: row(name="富文本有限公司", uscc=make_uscc(6001), division="芝罘区", sectors="危险化学品·生产"),
        9: row(name="第九行公司", uscc="bad", division="芝罘区"),
    })
    job = preview(world, data)
    assert job.meta["preview"]["counts"] == {"rows": 3, "create": 2, "update": 0, "unchanged": 0, "rejected": 1}
    assert [s["row"] for s in job.meta["preview"]["samples"]] == [2, 5]
    assert job.meta["preview"]["samples"][1]["name"] == "富文本有限公司"
    assert list(reasons(job)) == [9]
    commit(world, job)
    e = Enterprise.objects.get(uscc=make_uscc(1001))
    assert (e.employees, e.industry_id) == (35, "08")


def test_importing_a_site_for_a_unit_that_had_none(world, ent_a):
    job = commit(world, preview(world, xlsx([row(name=ent_a.name, uscc=ent_a.uscc, division="芝罘区", site_address="芝罘区新址1号", site_street="向阳街道")])))
    assert job.meta["result"]["counts"]["update"] == 1
    assert job.meta["preview"]["samples"][0]["changed"] == "所在区县、主要经营场所地址、街道（乡镇）"
    site = Site.objects.get(enterprise=ent_a)
    assert (site.address, site.street, site.is_primary, site.division_id) == ("芝罘区新址1号", "向阳街道", True, "370602")
    ev = enterprise_audit(ent_a).get(action="enterprise.update")
    assert ev.after["site_address"] == "芝罘区新址1号" and ev.before["site_address"] == ""


def test_the_page_polls_while_the_import_runs(client, world):
    login(client, world, "officer_a")
    token = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(1)]))}).url.rstrip("/").split("/")[-1]
    job = importing.Job(token).load()
    job.meta["status"] = "running"
    job.save()
    body = client.get(reverse("enterprises:import_preview", args=[token])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "正在导入" in body


def test_rejected_rows_that_look_like_formulas_stay_text(world):
    wb = load_workbook(io.BytesIO(xlsx([row(name="=1+2", uscc="bad", division="芝罘区")])))
    wb["企业台账"]["A2"].data_type = "s"  # typed as text in Excel, not as a formula
    data = io.BytesIO()
    wb.save(data)
    job = preview(world, data.getvalue())
    assert reasons(job)[2].startswith("统一社会信用代码")
    buf = io.BytesIO()
    importing.write_rejected(job=job, fh=buf)
    cell = load_workbook(io.BytesIO(buf.getvalue()))["企业台账"]["A2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")


# --- large files: blank rows count, large previews run as a task (issue 8, Low) -----------------------
def blank_rows_file(data_rows: list[list[Any]], blanks: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业台账")
    ws.append(HEADER)
    for r in data_rows:
        ws.append(r)
    for _ in range(blanks):
        ws.append([])  # written as <row r="N"/>, as a sheet with formatted empty rows is
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_blank_rows_count_against_the_row_limit_and_reading_stops_there(world, settings, monkeypatch):
    settings.ANJIAN_IMPORT_MAX_ROWS = 1000
    real = importing._sheet_rows
    read = []

    def counting(wb, ws):  # type: ignore[no-untyped-def]
        for item in real(wb, ws):
            read.append(item[0])
            yield item

    monkeypatch.setattr(importing, "_sheet_rows", counting)
    with pytest.raises(ValidationFailed) as exc:
        preview(world, blank_rows_file([good(1), good(2)], 50_000))
    assert "超过1000行（含空行）" in exc.value.message
    assert len(read) <= 1002  # the header, the limit, and the first row past it: not 50,002


def test_a_few_blank_rows_within_the_limit_are_skipped(world, settings):
    settings.ANJIAN_IMPORT_MAX_ROWS = 10
    job = preview(world, blank_rows_file([good(1), good(2)], 5))
    assert job.meta["preview"]["counts"]["rows"] == 2


def test_a_large_preview_runs_as_a_task_and_the_page_polls(client, world, settings, monkeypatch):
    settings.ANJIAN_IMPORT_SYNC_PREVIEW_BYTES = 1000  # any real workbook is larger
    queued = []
    monkeypatch.setattr(importing, "import_preview_task", type("Queued", (), {"enqueue": staticmethod(lambda **kw: queued.append(kw))}))
    login(client, world, "officer_a")
    r = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(1), good(2)]))})
    assert r.status_code == 302
    token = r.url.rstrip("/").split("/")[-1]
    assert queued and queued[0]["token"] == token  # not validated in the request
    assert importing.Job(token).load().meta["status"] == "previewing"
    page = client.get(r.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "正在由后台逐行校验" in page
    # Confirming before the check is done is refused.
    refused = client.post(r.url)
    assert refused.status_code == 422 and "尚未通过校验" in refused.content.decode()
    # The worker runs it.
    job = importing.import_preview_run(actor=world.user("officer_a"), token=token)
    assert job.meta["status"] == "previewed" and job.meta["preview"]["counts"]["create"] == 2
    page = client.get(r.url).content.decode()
    assert 'data-count="create">2<' in page and 'id="confirm-form"' in page


def test_a_large_preview_that_fails_shows_why_on_the_page(client, world, settings):
    settings.ANJIAN_IMPORT_SYNC_PREVIEW_BYTES = 1000
    settings.ANJIAN_IMPORT_MAX_ROWS = 3
    login(client, world, "officer_a")
    r = client.post(reverse("enterprises:import"), {"file": upload(xlsx([good(i) for i in range(1, 6)]))})
    assert r.status_code == 302  # the task (immediate in tests) ran after the redirect was decided
    page = client.get(r.url).content.decode()
    assert 'id="import-preview-failed"' in page and "超过3行（含空行）" in page
