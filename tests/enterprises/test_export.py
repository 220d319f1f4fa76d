"""Excel export of the filtered ledger: the user's scope, the list filters, a re-importable file."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.models import AuditEvent, Division
from anjian.enterprises import exporting, importing, services
from anjian.enterprises.models import Enterprise, GradingScheme, IndustryClass, Site
from tests.conftest import PASSWORD, make_uscc

HEADER = [c.header for c in importing.COLUMNS] + list(importing.READ_ONLY_HEADERS)


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Any) -> None:
    settings.ANJIAN_IMPORT_DIR = tmp_path / "imports"
    settings.ANJIAN_EXPORT_DIR = tmp_path / "exports"


def export(client: Any, user: str, **params: str) -> list[tuple[Any, ...]]:
    assert client.login(username=user, password=PASSWORD)
    resp = client.get(reverse("enterprises:export"), params)
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    rows = list(wb["企业台账"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    return rows[1:]


@pytest.fixture
def ledger(world: Any, ent_a: Any, ent_b: Any) -> dict[str, Any]:
    """Units in district A with every importable field filled, plus ent_b in district B."""
    a = world.user("officer_a")
    county = Division.objects.get(code="370602")
    full = services.enterprise_create(
        actor=a, jurisdiction=world.district_a, name="芝罘全字段化工有限公司", uscc=make_uscc(21),
        legal_representative="赵一", principal="钱二", principal_phone="13900000002", contact_name="孙三", contact_phone="0535-6666666",
        division=county, registered_address="芝罘区注册路2号", industry=IndustryClass.objects.get(code="26"),
        sectors=["hazchem.production", "hazchem.storage"], features=["confined_space", "dust_explosion"], scale="large", employees=800,
        risk_scheme=GradingScheme.objects.get(code="hazchem"), risk_grade="A", standardization_level="1",
    )
    services.child_create(actor=a, enterprise=full, model=Site, name="主要经营场所", address="芝罘区生产路9号", street="只楚街道", division=county, is_primary=True)
    services.child_create(actor=a, enterprise=full, model=Site, name="二号仓库", address="芝罘区仓储路1号", is_primary=False)
    machinery = services.enterprise_create(actor=a, jurisdiction=world.district_a, name="芝罘机械厂", uscc=make_uscc(22), division=county, sectors=["industry.machinery"])
    unlicensed = services.enterprise_create(actor=a, jurisdiction=world.district_a, name="无照小作坊", unlicensed=True, division=county, features=["dust_explosion"])
    services.enterprise_update(actor=a, enterprise=ent_a, division=county)
    return {"full": full, "machinery": machinery, "unlicensed": unlicensed, "ent_a": ent_a, "ent_b": ent_b}


def test_export_has_exactly_the_users_scope(client, world, ledger):
    rows = export(client, "officer_a")
    assert [r[0] for r in rows] == list(Enterprise.objects.filter(jurisdiction=world.district_a).order_by("name", "id").values_list("name", flat=True))
    assert ledger["ent_b"].name not in [r[0] for r in rows]
    client.logout()
    city = export(client, "officer_city")
    assert {r[0] for r in city} == set(Enterprise.objects.values_list("name", flat=True))
    client.logout()
    assert export(client, "outsider") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "hazchem"}, {"芝罘全字段化工有限公司", "烟台示例化工有限公司"}),
        ({"sector": "industry.machinery"}, {"芝罘机械厂"}),
        ({"feature": "dust_explosion"}, {"芝罘全字段化工有限公司", "无照小作坊"}),
        ({"unlicensed": "1"}, {"无照小作坊"}),
        ({"q": "机械"}, {"芝罘机械厂"}),
        ({"grade": "A", "scale": "large"}, {"芝罘全字段化工有限公司"}),
    ],
)
def test_export_has_exactly_the_filtered_rows(client, world, ledger, params, expected):
    rows = export(client, "officer_a", **params)
    assert [r[0] for r in rows] == sorted(expected, key=lambda n: Enterprise.objects.get(name=n).name)
    assert len(rows) == len(expected)


def test_export_follows_the_list_sort(client, world, ledger):
    rows = export(client, "officer_a", sort="-employees")
    names = [r[0] for r in rows]
    assert names == list(Enterprise.objects.filter(jurisdiction=world.district_a).order_by("-employees", "id").values_list("name", flat=True))


def test_export_writes_the_template_columns_and_the_read_only_extras(client, world, ledger):
    rows = {r[0]: dict(zip(HEADER, r, strict=True)) for r in export(client, "officer_a")}
    full = rows["芝罘全字段化工有限公司"]
    assert full["统一社会信用代码"] == make_uscc(21)
    assert full["无证无照（是/否）"] == "否"
    assert full["所在区县（名称或区划代码）*"] == "芝罘区"
    assert full["国民经济行业大类代码"] == "26"
    assert full["监管行业（多个用、分隔，名称如“危险化学品·生产”或代码）"] == "危险化学品·生产、危险化学品·储存"
    assert full["行业领域特征（、分隔）"] == "粉尘涉爆、有限空间作业"
    assert (full["规模（大型/中型/小型/微型）"], full["从业人数"], full["风险等级"]) == ("大型", 800, "A")
    assert full["标准化等级（一级/二级/三级/未达标）"] == "一级"
    assert (full["主要经营场所地址"], full["街道（乡镇）"]) == ("芝罘区生产路9号", "只楚街道")
    assert (full["所属辖区"], full["管理机关"], full["监管层级"], full["经营状态"]) == ("芝罘区", "烟台市芝罘区应急管理局", "未指定", "在产")
    assert rows["无照小作坊"]["无证无照（是/否）"] == "是" and rows["无照小作坊"]["统一社会信用代码"] is None


def test_export_filename_is_dated_and_rfc5987_encoded(client, world, ledger):
    assert client.login(username="officer_a", password=PASSWORD)
    resp = client.get(reverse("enterprises:export"))
    name = f"企业台账_{timezone.localdate():%Y%m%d}.xlsx"
    assert exporting.export_filename() == name
    assert f"filename*=utf-8''{quote(name)}" in resp["Content-Disposition"]
    assert resp["Content-Disposition"].startswith("attachment")


def test_export_query_count_does_not_grow_with_the_rows(world, ledger):
    user = world.user("officer_a")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            exporting.write_export(user=user, filters={}, sort="name", fh=io.BytesIO())
        return len(ctx.captured_queries)

    few = queries()
    for i in range(30):
        services.enterprise_create(actor=user, jurisdiction=world.district_a, name=f"追加企业{i}", uscc=make_uscc(300 + i), sectors=["industry.light"], features=["dust_explosion"])
    assert queries() == few


def test_export_then_reimport_round_trips_with_zero_changes(client, world, ledger):
    assert client.login(username="officer_a", password=PASSWORD)
    data = b"".join(client.get(reverse("enterprises:export")).streaming_content)
    before = {e.pk: (e.updated_at, sorted(e.sectors.values_list("code", flat=True))) for e in Enterprise.objects.all()}
    updates_before = AuditEvent.objects.filter(action__in=["enterprise.update", "site.update", "site.create"]).count()
    job = importing.import_start(actor=world.user("officer_a"), upload=SimpleUploadedFile("export.xlsx", data))
    assert job.meta["ignored"] == []  # the read-only extras are known columns
    assert job.meta["preview"]["counts"] == {"rows": 4, "create": 0, "update": 0, "unchanged": 4, "rejected": 0}
    done = importing.import_commit(actor=world.user("officer_a"), token=job.token)
    assert done.meta["result"]["counts"] == {"rows": 4, "create": 0, "update": 0, "unchanged": 4, "rejected": 0}
    assert {e.pk: (e.updated_at, sorted(e.sectors.values_list("code", flat=True))) for e in Enterprise.objects.all()} == before
    assert AuditEvent.objects.filter(action__in=["enterprise.update", "site.update", "site.create"]).count() == updates_before
    assert Site.objects.count() == 2


def test_another_districts_export_does_not_reimport_into_mine(client, world, ledger):
    services.enterprise_update(actor=world.user("officer_b"), enterprise=ledger["ent_b"], division=Division.objects.get(code="370611"))
    assert client.login(username="officer_city", password=PASSWORD)
    data = b"".join(client.get(reverse("enterprises:export")).streaming_content)
    job = importing.import_start(actor=world.user("officer_b"), upload=SimpleUploadedFile("city.xlsx", data))
    counts = job.meta["preview"]["counts"]
    assert counts["unchanged"] == 1  # ent_b, its own
    assert counts["rejected"] == 4
    assert all("芝罘区" in ";".join(r["reasons"]) for r in job.rejected())


def test_export_needs_a_login(client):
    resp = client.get(reverse("enterprises:export"))
    assert resp.status_code == 302


def test_old_updated_at_is_written_in_local_time(client, world, ledger):
    Enterprise.objects.filter(pk=ledger["machinery"].pk).update(updated_at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC))
    rows = {r[0]: r for r in export(client, "officer_a")}
    assert rows["芝罘机械厂"][-1] == "2026-01-01 08:30"


def test_text_that_looks_like_a_formula_stays_text(client, world):
    services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name='=HYPERLINK（"http://evil","点我"）', uscc=make_uscc(777))
    assert client.login(username="officer_a", password=PASSWORD)
    data = b"".join(client.get(reverse("enterprises:export")).streaming_content)
    cell = load_workbook(io.BytesIO(data))["企业台账"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


# --- every export is recorded; a large one is written by the worker -------------------------------
def test_an_export_in_the_request_is_audited(client, world, ledger):
    rows = export(client, "officer_a", sector="hazchem")
    ev = AuditEvent.objects.get(action="enterprise.export")
    assert ev.actor == world.user("officer_a") and ev.jurisdiction_id == world.district_a.pk
    assert ev.after == {"rows": len(rows), "filters": {"sector": "hazchem"}, "sort": "name"}
    assert ev.object_id == "direct" and ev.note == f"导出{len(rows)}家企业"


def test_a_large_export_runs_as_a_task_and_is_downloaded_from_its_page(client, world, ledger, settings):
    settings.ANJIAN_EXPORT_SYNC_MAX = 2  # district A holds 4 units
    assert client.login(username="officer_a", password=PASSWORD)
    resp = client.get(reverse("enterprises:export"), {"sort": "-employees"})
    assert resp.status_code == 302
    status_url = resp["Location"]
    token = status_url.rstrip("/").split("/")[-1]
    page = client.get(status_url)  # the tests' task backend runs the task at once
    assert page.status_code == 200 and page.context["state"] == "done"
    body = page.content.decode()
    download = reverse("enterprises:export_download", args=[token])
    assert download in body and 'data-count="rows">4<' in body
    file = client.get(download)
    assert file.status_code == 200 and "attachment" in file["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(file.streaming_content)), read_only=True)
    names = [r[0] for r in list(wb["企业台账"].iter_rows(values_only=True))[1:]]
    assert names == list(Enterprise.objects.filter(jurisdiction=world.district_a).order_by("-employees", "id").values_list("name", flat=True))
    ev = AuditEvent.objects.get(action="enterprise.export")
    assert ev.object_id == token and ev.after["rows"] == 4 and ev.after["sort"] == "-employees"
    # Someone else's export: as if it did not exist.
    client.logout()
    assert client.login(username="officer_a2", password=PASSWORD)
    assert client.get(status_url).status_code == 404 and client.get(download).status_code == 404


def test_a_queued_export_page_polls_and_offers_no_file_yet(client, world, ledger, settings):
    settings.ANJIAN_EXPORT_SYNC_MAX = 2
    job = exporting.ExportJob("q" * 32)
    job.dir.mkdir(parents=True)
    job.meta = {"token": job.token, "user_id": world.user("officer_a").pk, "filters": {}, "sort": "name", "expected": 4, "filename": "x.xlsx", "status": "queued"}
    job.save()
    assert client.login(username="officer_a", password=PASSWORD)
    page = client.get(reverse("enterprises:export_status", args=[job.token]))
    body = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in body and "anjian worker" in body
    assert client.get(reverse("enterprises:export_download", args=[job.token])).status_code == 404
    # The worker then writes it.
    exporting.export_run(actor=world.user("officer_a"), token=job.token)
    assert 'data-count="rows">4<' in client.get(reverse("enterprises:export_status", args=[job.token])).content.decode()
    assert client.get(reverse("enterprises:export_download", args=[job.token])).status_code == 200


def test_a_failed_export_says_so_and_leaves_no_file(client, world, ledger, monkeypatch):
    job = exporting.ExportJob("f" * 32)
    job.dir.mkdir(parents=True)
    job.meta = {"token": job.token, "user_id": world.user("officer_a").pk, "filters": {}, "sort": "name", "expected": 4, "filename": "x.xlsx", "status": "queued"}
    job.save()

    def broken(**kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporting, "write_export", broken)
    with pytest.raises(RuntimeError):
        exporting.export_run(actor=world.user("officer_a"), token=job.token)
    assert not job.file.exists() and not AuditEvent.objects.filter(action="enterprise.export").exists()
    assert client.login(username="officer_a", password=PASSWORD)
    body = client.get(reverse("enterprises:export_status", args=[job.token])).content.decode()
    assert "导出失败" in body


def test_a_malformed_id_in_the_export_link_is_ignored_as_on_the_list(client, world, ledger):
    rows = export(client, "officer_a", jurisdiction="abc", subject="x1")
    assert len(rows) == Enterprise.objects.filter(jurisdiction=world.district_a).count()
