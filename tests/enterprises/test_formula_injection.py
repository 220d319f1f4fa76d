"""Formula injection (issue 8 item 8): every .xlsx the system writes keeps typed-in text as text.

Formulas are fed through every export: the ledger export, the import's rejected-rows report, the
import template and the two-lists export. No cell may come back as a formula, and the text must
come back unchanged (the ledger export is re-importable).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core import xlsx
from anjian.enterprises import services
from anjian.enterprises.models import GradingScheme
from anjian.hazards import services as hazard_services
from tests.enterprises.test_import import preview, row

pytestmark = pytest.mark.django_db

EVIL = ['=HYPERLINK("http://evil.example/","点击查看")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def cells_of(data: bytes) -> list[Any]:
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]


def assert_no_formula(data: bytes, *expected_text: str) -> None:
    cells = cells_of(data)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert not formulas
    values = {c.value for c in cells}
    for text in expected_text:
        assert text in values, text  # kept as it was typed, not altered
    for c in cells:
        if isinstance(c.value, str) and c.value.startswith(xlsx.DANGEROUS_STARTS):
            assert c.quotePrefix, (c.coordinate, c.value)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def test_the_ledger_export(client, world):
    services.enterprise_create(actor=world.user("officer_a"), jurisdiction=world.district_a, name=EVIL[0], unlicensed=True, principal=EVIL[2], registered_address=EVIL[3], note=EVIL[1])
    client.force_login(world.user("officer_a"))
    r = client.get(reverse("enterprises:export"))
    assert r.status_code == 200
    assert_no_formula(_body(r), EVIL[0], EVIL[2], EVIL[3])


def _text_xlsx(rows: list[list[Any]]) -> bytes:
    """An upload whose cells hold the formulas as text (as a user's Excel sends typed text)."""
    from openpyxl import Workbook

    from tests.enterprises.test_import import HEADER

    wb = Workbook()
    ws = wb.active
    ws.title = "企业台账"
    ws.append(HEADER)
    for r in rows:
        ws.append(xlsx.row(ws, r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_rejected_rows_report(client, world):
    job = preview(world, _text_xlsx([row(name=EVIL[0], uscc="bad", division="芝罘区", principal=EVIL[2], registered_address=EVIL[4])]))
    client.force_login(world.user("officer_a"))
    r = client.get(reverse("enterprises:import_rejected", args=[job.token]))
    assert r.status_code == 200
    assert_no_formula(_body(r), EVIL[0], EVIL[2])


def test_the_import_template(client, world):
    GradingScheme.objects.create(code="evil", name=EVIL[0], grades=["A", "B"], worse_end="first")
    client.force_login(world.user("officer_a"))
    r = client.get(reverse("enterprises:import_template"))
    assert_no_formula(_body(r), EVIL[0])


def test_the_two_lists_export(client, world, inspection):
    officer = world.user("officer_a")
    hazard_services.hazard_create(
        actor=officer, enterprise=inspection.enterprise, source="inspection", inspection=inspection, description=EVIL[0], location=EVIL[1],
        severity="general", found_on=inspection.inspected_on, period_days=10, legal_basis=EVIL[3],
    )  # fmt: skip
    hazard_services.institutional_create(actor=officer, enterprise=inspection.enterprise, title=EVIL[2], description=EVIL[5])
    client.force_login(officer)
    r = client.get(reverse("hazards:two_lists_export", args=[inspection.enterprise.pk]))
    assert r.status_code == 200
    assert_no_formula(_body(r), EVIL[0], EVIL[1], EVIL[2], EVIL[3])


def test_the_writer_keeps_numbers_and_dates_typed():
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append(xlsx.row(ws, [1, dt.date(2026, 6, 15), "正常文本", "=1+1"]))
    buf = io.BytesIO()
    wb.save(buf)
    got = [c for c in cells_of(buf.getvalue())]
    assert [c.data_type for c in got] == ["n", "d", "s", "s"] and got[3].value == "=1+1"
