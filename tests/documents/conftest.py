"""Facts for the four inspection forms, as an app would hand them over, and an issuing helper."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from tests.inspections.conftest import calendar, checklist, inspection  # noqa: F401

ISSUED_ON = dt.date(2026, 11, 28)

OFFICERS = [
    {"name": "张伟", "certificate_no": "37060200123"},
    {"name": "李娜", "certificate_no": "37060200456"},
]
PARTY = {"name": "烟台示例化工有限公司", "address": "烟台市芝罘区示例路1号", "legal_representative": "王强", "phone": "0535-1234567"}
REMEDIES = {"review_body": "烟台市芝罘区人民政府", "court": "烟台市芝罘区人民法院"}


def sample_context(kind: str) -> dict[str, Any]:
    if kind == "inspection_record":
        return {
            "party": dict(PARTY),
            "place": "一号生产车间、危险化学品仓库",
            "started_at": "2026-11-28T09:05:00+08:00",
            "ended_at": "2026-11-28T11:30:00+08:00",
            "officers": [dict(o) for o in OFFICERS],
            "content": "依据《危险化学品企业通用检查表》（第1版）进行检查，共检查32项，其中符合29项、不符合2项、不适用1项。",
            "situation": "检查发现问题2项，见下表。",
            "findings": [
                {"text": "危险化学品仓库可燃气体报警器失效", "location": "二号仓库"},
                {"text": "安全出口堵塞", "location": "一号车间东侧"},
            ],
            "handling": "责令立即整改安全出口堵塞问题；另行下达责令限期整改指令书。",
            "party_signer": "王强",
        }
    if kind == "rectification_order":
        return {
            "party": {"name": PARTY["name"]},
            "inspection_date": dt.date(2026, 11, 28),
            "problems": [
                {"text": "危险化学品仓库可燃气体报警器失效", "basis": "《中华人民共和国安全生产法》第三十六条第一款"},
                {"text": "安全出口堵塞", "basis": "《中华人民共和国安全生产法》第四十二条第二款"},
            ],
            "deadline": dt.date(2026, 12, 10),
            "officers": [dict(o) for o in OFFICERS],
            **REMEDIES,
        }
    if kind == "onsite_measure_decision":
        return {
            "party": {"name": PARTY["name"]},
            "inspection_date": dt.date(2026, 11, 28),
            "hazards": [{"text": "涉氨制冷速冻间作业人员超过9人", "basis": "《工贸企业重大事故隐患判定标准》第十二条第二项"}],
            "measure": "从危险区域内撤出作业人员，责令暂时停产停业。",
            "scope": "速冻车间",
            "officers": [dict(o) for o in OFFICERS],
            **REMEDIES,
        }
    if kind == "reinspection_opinion":
        return {
            "party": {"name": PARTY["name"]},
            "order_number": "芝应急责改〔2026〕1号",
            "order_date": dt.date(2026, 11, 20),
            "reinspection_date": dt.date(2026, 11, 28),
            "results": [
                {"text": "危险化学品仓库可燃气体报警器失效", "rectified": True, "note": "已更换并检定"},
                {"text": "安全出口堵塞", "rectified": False, "note": "东侧安全出口仍堆放物料", "period_days": 7, "period_text": "自本意见书送达之日起7日内整改完毕"},
            ],
            "conclusion": "经复查，上表第1项隐患已整改合格，予以销号；上表第2项隐患未整改合格，责令你单位按照上表所列期限整改完毕。",
            "officers": [dict(o) for o in OFFICERS],
        }
    from tests.documents.samples_casefile import SAMPLES as casefile_samples

    if kind in casefile_samples:
        return casefile_samples[kind]()
    raise KeyError(kind)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


_subjects = itertools.count(1000)


@pytest.fixture
def issue(world: Any) -> Any:
    """Issue a document for agency A (芝罘区) by officer_a unless told otherwise."""
    from anjian.documents import services

    def _issue(kind: str = "rectification_order", *, actor: Any = None, agency: Any = None, context: dict[str, Any] | None = None, issued_on: dt.date = ISSUED_ON, subject_id: Any = None, reissue_reason: str = "") -> Any:
        agency = agency or world.agency_a
        if subject_id is None:
            # A new act each time (one document per act): tests of numbering issue many documents.
            subject_id = next(_subjects)
        return services.document_issue(
            actor=actor or world.user("officer_a"),
            kind_code=kind,
            agency_id=agency.pk,
            agency_name=agency.name,
            doc_abbr=agency.doc_abbr,
            jurisdiction=agency.jurisdiction,
            subject_type="tests.subject",
            subject_id=subject_id,
            context=sample_context(kind) if context is None else context,
            issued_on=issued_on,
            reissue_reason=reissue_reason,
        )

    return _issue


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    """A fixed "today" after every sample date, so that date checks (not in the future) are stable."""
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 31, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield
