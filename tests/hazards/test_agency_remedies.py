"""The remedies a served hazard document names come from the agency's configuration (行政处罚法
§59 ¶1(5); 行政复议法 §24; 行政诉讼法 §18): the configured body and court are printed, and a bureau
that has not configured them is refused instead of being given an invented body."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.core.errors import ValidationFailed
from anjian.documents.models import IssuedDocument
from anjian.documents.rendering import document_text
from anjian.hazards import services
from anjian.org.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _hazard(world: Any, inspection: Any) -> Any:
    return services.hazard_create(
        actor=world.user("officer_a"), enterprise=inspection.enterprise, source="inspection", inspection=inspection,
        description="安全出口堵塞", location="一号车间东侧", severity="general", found_on=inspection.inspected_on,
    )  # fmt: skip


def test_the_order_names_the_configured_review_body_and_court(world: Any, inspection: Any) -> None:
    Agency.objects.filter(pk=world.agency_a.pk).update(review_body="烟台市芝罘区人民政府", court="烟台市中级人民法院指定的芝罘区人民法院")
    order = services.rectification_order_issue(actor=world.user("officer_a"), hazards=[_hazard(world, inspection)], issued_on=inspection.inspected_on)
    order.file.open("rb")
    text = document_text(order.file.read())
    order.file.close()
    assert "向烟台市芝罘区人民政府申请行政复议" in text
    assert "向烟台市中级人民法院指定的芝罘区人民法院提起行政诉讼" in text


@pytest.mark.parametrize(
    ("blank", "named"), [({"review_body": ""}, "行政复议机关"), ({"court": " "}, "行政诉讼管辖法院"), ({"review_body": "", "court": ""}, "行政复议机关和行政诉讼管辖法院")]
)
def test_an_agency_without_remedies_is_refused_and_nothing_is_issued(world: Any, inspection: Any, blank: dict[str, str], named: str) -> None:
    h = _hazard(world, inspection)
    Agency.objects.filter(pk=world.agency_a.pk).update(**blank)
    with pytest.raises(ValidationFailed) as exc:
        services.rectification_order_issue(actor=world.user("officer_a"), hazards=[h], issued_on=inspection.inspected_on)
    assert exc.value.code == "agency_remedies_missing"
    assert f"尚未设置{named}" in exc.value.message and "管理后台" in exc.value.message
    assert "第五十九条" in exc.value.article
    assert set(exc.value.fields) == set(blank)
    assert not IssuedDocument.objects.filter(kind="rectification_order").exists()
    h.refresh_from_db()
    assert h.order_document_id is None
