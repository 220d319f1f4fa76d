"""The public page: validation, the challenge (signed, single use), the rate limit per source,
attachments checked by content, the tracking code shown only after the commit, and the status page
that shows no internal detail."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from anjian.complaints import public, services
from anjian.complaints.models import Attachment, Submission
from tests.complaints.conftest import START, register, to_approved

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
# Real commits: the tracking code is shown only after the on_commit hook ran.
pytestmark = pytest.mark.django_db(transaction=True)
CODE_RE = re.compile(r'data-testid="tracking-code">([A-Z0-9-]+)<')


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _solve(page: str) -> tuple[str, str]:
    token = re.search(r'name="challenge_token" value="([^"]+)"', page)
    question = re.search(r"验证题：(\S+?)加(\S+?)等于多少", page)
    assert token and question
    digits = "零一二三四五六七八九十"
    return token.group(1), str(digits.index(question.group(1)) + digits.index(question.group(2)))


def _post(client: Client, world: Any, **over: Any) -> Any:
    page = client.get("/public/report/").content.decode()
    token, answer = _solve(page)
    data = {
        "agency": world.agency_a.pk, "kind": "report", "grounds": ["hidden_hazard"], "summary": "某厂仓库违规存放液化气钢瓶",
        "content": "示例路8号仓库内存放大量液化气钢瓶，无通风报警设施。", "unit_name": "烟台某某贸易有限公司", "anonymous": "on",
        "challenge_token": token, "challenge_answer": answer, **over,
    }  # fmt: skip
    return client.post("/public/report/", data)


def test_anonymous_report_gets_a_tracking_code_and_the_status_page_shows_only_status(cw: Any) -> None:
    client = Client()
    r = _post(client, cw)
    assert r.status_code == 200, r.content.decode()[:2000]
    code = CODE_RE.search(r.content.decode())
    assert code
    sub = Submission.objects.get()
    assert sub.channel == "web" and sub.anonymous and sub.registered_by is None and sub.status == "registered"
    assert services.submission_by_code(code.group(1)) == sub
    assert r["Cache-Control"].startswith("max-age=0") or "no-cache" in r["Cache-Control"]
    # the status page: the code in the body, only the status
    s = client.post("/public/report/status/", {"code": code.group(1)})
    body = s.content.decode()
    assert "已收到，等待受理" in body and "某厂仓库" not in body and "液化气" not in body


def test_status_page_shows_the_reply_and_nothing_internal(cw: Any) -> None:
    sub, code = register(cw, officers=["officer_a"])
    sub = to_approved(cw, sub)
    services.submission_reply(actor=cw.user("office_a"), submission=sub, replied_on=START.date())
    body = Client().post("/public/report/status/", {"code": code}).content.decode()
    assert "已答复" in body and "已责令其向你赔礼道歉" in body
    for internal in ("officer_a", "officer_a2", "监管一科", "调取执法记录仪视频核实", "经调查，出示证件属实", "王小明", "13812345678"):
        assert internal not in body, internal


def test_unknown_and_malformed_codes_get_the_same_answer(cw: Any) -> None:
    register(cw)
    client = Client()
    answers = set()
    for code in ("AAAA-BBBB-CCCC-DDDD", "x", "'; drop table", "A" * 40):
        r = client.post("/public/report/status/", {"code": code})
        assert r.status_code == 200
        answers.add(re.sub(r'name="code"[^>]*', "", re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())))
    assert len(answers) == 1 and "未找到该查询码" in answers.pop()


def test_the_challenge_is_required_signed_and_single_use(cw: Any) -> None:
    client = Client()
    r = _post(client, cw, challenge_answer="99")
    assert r.status_code == 422 and "验证题答案不正确" in r.content.decode()
    r = _post(client, cw, challenge_token="forged", challenge_answer="3")
    assert "验证题无效" in r.content.decode()
    page = client.get("/public/report/").content.decode()
    token, answer = _solve(page)
    ok = public.challenge_check(token, answer)
    assert ok is None
    assert public.challenge_check(token, answer) == "验证题已使用过，请重新作答。"
    assert Submission.objects.count() == 0


def test_rate_limit_per_source(cw: Any, settings: Any) -> None:
    settings.ANJIAN_PUBLIC_REPORTS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="10.0.0.9")
    assert _post(client, cw).status_code == 200
    assert _post(client, cw).status_code == 200
    r = _post(client, cw)
    assert r.status_code == 429 and "提交次数过多" in r.content.decode()
    assert Submission.objects.count() == 2
    assert _post(Client(REMOTE_ADDR="10.0.0.10"), cw).status_code == 200  # another source is not affected


def test_every_field_is_validated(cw: Any) -> None:
    client = Client()
    r = _post(client, cw, anonymous="", submitter_name="", summary="", grounds=["money"])
    body = r.content.decode()
    assert r.status_code == 422
    assert "请填写事由摘要。" in body or "这个字段是必填项" in body
    r = _post(client, cw, anonymous="", submitter_name="李四", submitter_phone="12345")
    assert r.status_code == 422 and "电话号码" in r.content.decode()
    r = _post(client, cw, kind="complaint", grounds=["hidden_hazard"])
    assert r.status_code == 422 and "无效的事项" in r.content.decode()
    r = _post(client, cw, content="长" * 5001)
    assert r.status_code == 422
    assert Submission.objects.count() == 0


def test_attachments_are_checked_by_content(cw: Any) -> None:
    client = Client()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is a windows program", content_type="image/jpeg")
    r = _post(client, cw, attachments=[fake])
    assert r.status_code == 422 and "文件内容不是附件" in r.content.decode()
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0
    good = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    r = _post(client, cw, attachments=[good])
    assert r.status_code == 200
    a = Attachment.objects.get()
    assert a.content_type == "image/png" and a.size == len(PNG)


def test_no_tracking_code_when_the_transaction_fails(cw: Any) -> None:
    """A failure inside the transaction (here: the audit write) rolls everything back and the page
    asks the user to retry, without a code."""
    client = Client()
    with mock.patch("anjian.complaints.services.audit.record", side_effect=RuntimeError("disk full")):
        r = _post(client, cw)
    body = r.content.decode()
    assert r.status_code == 422 and "提交没有成功" in body and "请稍后重新提交" in body
    assert not CODE_RE.search(body)
    assert Submission.objects.count() == 0


def test_no_code_when_the_commit_does_not_happen(cw: Any) -> None:
    """Inside an outer transaction that is rolled back the commit hook never runs: no code, retry."""
    from django.db import transaction

    client = Client()
    page = client.get("/public/report/").content.decode()
    token, answer = _solve(page)
    data = {"agency": cw.agency_a.pk, "kind": "report", "grounds": ["other"], "summary": "示例", "content": "示例内容", "anonymous": "on", "challenge_token": token, "challenge_answer": answer}
    try:
        with transaction.atomic():
            r = client.post("/public/report/", data)
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    assert not CODE_RE.search(r.content.decode()) and "请稍后重新提交" in r.content.decode()
    assert Submission.objects.count() == 0


def test_the_body_size_is_limited(cw: Any, settings: Any) -> None:
    settings.ANJIAN_MAX_ANONYMOUS_BODY_BYTES = 2000
    client = Client()
    big = SimpleUploadedFile("a.png", PNG + b"\x00" * 5000, content_type="image/png")
    r = _post(client, cw, attachments=[big])
    assert r.status_code == 413
    assert Submission.objects.count() == 0
