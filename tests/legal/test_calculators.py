"""The officers' calculator pages: 法定期限计算器 and 罚款裁量."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anjian.legal import services
from tests.legal.conftest import CSV_2027, SOURCE_2027

D = dt.date
pytestmark = pytest.mark.urls("tests.legal.urls_for_law")

DEADLINES = "/law/deadlines/"
PENALTIES = "/law/penalties/"


def _page(client: Any, url: str, **params: Any) -> str:
    r = client.get(url, params)
    assert r.status_code == 200
    return str(r.content.decode())


def _row(html: str, code: str) -> str:
    start = html.index(f'data-rule="{code}"')
    return html[start : html.index("</tr>", start)]


def test_it_needs_login(client: Any) -> None:
    for url in (DEADLINES, PENALTIES):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]


def test_it_shows_the_empty_forms(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, DEADLINES)
    assert "法定期限计算器" in html and "行政处罚告知书送达之日" in html
    html = _page(client, PENALTIES)
    assert "罚款裁量" in html and '<optgroup label="安全生产法第九十七条">' in html and "P7 安全生产管理机构" in html


def test_deadlines_of_a_notice_with_articles_and_the_unverified_default(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, DEADLINES, event="notice_served", date="2026-02-03")
    hearing = _row(html, "hearing_request")
    assert "2026-02-10" in hearing and "5个工作日" in hearing and "行政处罚法第六十四条第（一）项、第八十五条" in hearing and ">已核对官方文本<" in hearing
    defence = _row(html, "defence_statement")
    # 3 working days from the repealed 办法, for a step after 2026-01-31: shown, flagged
    assert "2026-02-06" in defence and ">可配置（默认值）<" in defence and "未经确认的默认值" in defence
    assert "须经法规科确认或者替换" in defence and "应急管理部令第18号" in defence
    assert 'data-testid="unverified-banner"' in html and 'data-testid="provisional-banner"' not in html


def test_chained_deadlines_are_listed(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, DEADLINES, event="decision_served", date="2026-09-22")
    assert "2026-10-08" in _row(html, "payment")  # the 15th day 10/7 is National Day
    surcharge = _row(html, "surcharge_start")
    assert "2026-10-09" in surcharge and "自“缴纳罚款期限”届满日起算" in surcharge
    assert "court_enforcement_application" in html  # lawsuit window → court enforcement


def test_a_2027_result_is_provisional_until_the_year_is_loaded(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, DEADLINES, event="notice_served", date="2027-09-30")
    assert 'data-testid="provisional-banner"' in html and "临时计算" in html
    assert "2027年度的法定节假日安排尚未载入" in html
    hearing = _row(html, "hearing_request")
    assert "2027-10-07" in hearing and "不得以该临时届满日为依据办理下一步" in hearing
    services.calendar_year_load(actor=None, year=2027, rows=services.parse_calendar_csv(CSV_2027, year=2027), source=SOURCE_2027)
    html = _page(client, DEADLINES, event="notice_served", date="2027-09-30")
    assert "临时计算" not in html and "2027-10-13" in _row(html, "hearing_request")


def test_an_override_is_shown_with_its_source_and_approver(calendar: None, client: Any, world: Any) -> None:
    services.rule_override_create(
        actor=world.user("legal_a"), rule_code="defence_statement", scope="370602", effective_from=D(2026, 2, 1), source_document="芝应急法〔2026〕3号", approver="王法规"
    )
    client.force_login(world.user("officer_a"))
    defence = _row(_page(client, DEADLINES, event="notice_served", date="2026-02-03"), "defence_statement")
    assert "本地覆盖" in defence and "依据芝应急法〔2026〕3号，批准人王法规" in defence and "未经确认的默认值" not in defence
    # another district's officer still sees the unverified default
    client.force_login(world.user("officer_b"))
    defence = _row(_page(client, DEADLINES, event="notice_served", date="2026-02-03"), "defence_statement")
    assert "本地覆盖" not in defence and "未经确认的默认值" in defence


@pytest.mark.parametrize(
    "params,field,message",
    [
        ({"event": "notice_served", "date": "2003-12-31"}, "date", "事件日期：日期2003-12-31早于2004年1月1日"),
        ({"event": "no_such_event", "date": "2026-02-03"}, "event", "未知的触发事件：no_such_event"),
        ({"event": "notice_served", "date": "2026-02-31"}, "date", "事件日期格式应为YYYY-MM-DD"),
        ({"event": "emergency_measure_taken", "date": "2026-02-03"}, "time", "以小时计算，请填写事件发生的时刻"),
    ],
)
def test_deadline_errors_are_shown_at_the_field(calendar: None, client: Any, world: Any, params: dict[str, str], field: str, message: str) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, DEADLINES, **params)
    assert f'id="id_{field}_error"' in html and message in html


def test_an_hour_rule_with_a_time(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, DEADLINES, event="emergency_measure_taken", date="2026-02-03", time="15:30")
    assert "2026-02-04" in _row(html, "coercive_emergency_approval") and "15:30" in _row(html, "coercive_emergency_approval")


def test_penalty_range_band_and_flags(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(
        client, PENALTIES, violation="P7", item="3", subject="unit", circumstance="base", act_date="2025-06-01", decision_date="2026-03-02", amount="50000", complex_case="on"
    )
    assert "10万元以下" in html and "安全生产法第九十七条" in html
    assert "未按照规定对从业人员" in html  # the item's text
    assert "适用违法行为发生时的规定" in html and "行政处罚法第三十七条" in html
    assert "示例（可配置）" in html and "从轻" in html and "从重" in html
    assert "合法" in html and "一般档" in html  # 50,000 of max 100,000: between 30 % and 60 % → ordinary
    hearing = html[html.index('data-testid="flag-hearing"') :]
    assert "须告知听证权利" in hearing and "较大数额罚款（法人或者其他组织50000.00元以上" in hearing
    # the hearing threshold comes from 原办法 §33, lapsed 2026-02-01: an unverified default now
    assert "未经确认的默认值" in hearing and "原《安全生产违法行为行政处罚办法》第三十三条" in hearing
    review = html[html.index('data-testid="flag-legal-review"') :]
    assert "须经法制审核" in review and "案件情况疑难复杂、涉及多个法律关系" in review
    assert "须集体讨论决定" in html[html.index('data-testid="flag-collective"') :]
    assert "不适用简易程序" in html and "对法人或者其他组织罚款超过3000.00元" in html


def test_a_confirmed_hearing_threshold_shows_its_override(calendar: None, client: Any, world: Any) -> None:
    services.rule_override_create(
        actor=world.user("legal_a"),
        rule_code="hearing.fine.organisation",
        scope="370602",
        effective_from=D(2026, 2, 1),
        value="5000",
        source_document="鲁应急规〔2026〕1号",
        approver="李处长",
    )
    client.force_login(world.user("officer_a"))
    html = _page(client, PENALTIES, violation="P9", subject="unit", circumstance="base", act_date="2026-03-01", decision_date="2026-04-01", amount="6000")
    hearing = html[html.index('data-testid="flag-hearing"') :]
    assert "须告知听证权利" in hearing and "本地覆盖" in hearing and "依据鲁应急规〔2026〕1号，批准人李处长" in hearing
    assert "法人或者其他组织5000.00元以上" in hearing


def test_a_fine_below_the_minimum_needs_a_ground_and_collective_approval(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    base = {"violation": "P4", "subject": "principal", "circumstance": "base", "act_date": "2025-06-01", "decision_date": "2025-09-01", "amount": "10000"}
    html = _page(client, PENALTIES, **base)
    assert "不合法" in html and "低于法定下限2万元" in html
    html = _page(client, PENALTIES, **base, mitigation_ground="confessed")
    assert "须经集体讨论决定" in html and "低于法定下限减轻处罚" in html
    html = _page(client, PENALTIES, **base, mitigation_ground="confessed", collectively_approved="on")
    assert "减轻处罚：主动供述行政机关尚未掌握的违法行为，已经集体讨论决定" in html


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"amount": "-100"}, "amount", "拟罚款数额（元）：金额不得为负数"),
        ({"amount": "100.555"}, "amount", "拟罚款数额（元）：金额最多保留两位小数"),
        ({"amount": "一万"}, "amount", "不是金额数字"),
        # issue 8 Medium 11: 1e30 answered 500
        ({"amount": "1e30"}, "amount", "金额过大，不能超过999,999,999,999.99元"),
        ({"amount": "1e13"}, "amount", "金额过大"),
        ({"amount": "-1e30"}, "amount", "金额不得为负数"),
        ({"amount": "nan"}, "amount", "金额不是有效数字"),
        ({"amount": "inf"}, "amount", "金额不是有效数字"),
        ({"amount": "1e-30"}, "amount", "金额最多保留两位小数"),
        ({"income": "1e30"}, "income", "金额过大"),
        ({"violation": "P99"}, "violation", "处罚目录中没有违法行为P99"),
        ({"act_date": "2003-06-01"}, "act_date", "违法行为发生日期：日期2003-06-01早于2004年1月1日"),
        ({"decision_date": "2025-01-01"}, "decision_date", "处罚决定日期不能早于违法行为发生日期"),
        ({"item": "9"}, "item", "P7（安全生产法第九十七条）没有第9项"),
        ({"act_date": "2020-06-01"}, "act_date", "违法行为P7在2020-06-01没有有效的处罚规定"),
    ],
)
def test_penalty_errors_are_shown_at_the_field(calendar: None, client: Any, world: Any, changes: dict[str, str], field: str, message: str) -> None:
    client.force_login(world.user("officer_a"))
    params = {"violation": "P7", "subject": "unit", "circumstance": "base", "act_date": "2025-06-01", "decision_date": "2026-03-02", "amount": "60000", **changes}
    html = _page(client, PENALTIES, **params)
    assert f'id="id_{field}_error"' in html and message in html, html[html.find("invalid-feedback") - 200 : html.find("invalid-feedback") + 400]
    assert 'data-testid="penalty-result"' not in html


def test_a_combination_without_a_fine_says_so(calendar: None, client: Any, world: Any) -> None:
    client.force_login(world.user("officer_a"))
    html = _page(client, PENALTIES, violation="P3", subject="unit", circumstance="overdue", act_date="2025-06-01", decision_date="2025-09-01")
    assert "没有罚款规定" in html and "责令停产停业整顿" in html


def test_the_agencys_review_catalogue_and_collective_rule_apply(calendar: None, client: Any, world: Any) -> None:
    import datetime as dt
    from decimal import Decimal

    from anjian.legal.models import CollectiveDiscussionConfig, LegalReviewCatalogueEntry

    LegalReviewCatalogueEntry.objects.create(scope="370602", code="R1", name="对单位罚款3万元以上", fine_organisation=Decimal("30000"), source_document="芝应急发〔2026〕8号", effective_from=dt.date(2026, 1, 1))
    CollectiveDiscussionConfig.objects.create(scope="370602", complex_cases=False, serious_heavier=False, fine_organisation=Decimal("40000"), source_document="芝应急发〔2026〕9号", effective_from=dt.date(2026, 1, 1))
    client.force_login(world.user("officer_a"))
    html = _page(client, PENALTIES, violation="P7", item="3", subject="unit", circumstance="base", act_date="2025-06-01", decision_date="2026-03-02", amount="35000")
    review = html[html.index('data-testid="flag-legal-review"') :]
    assert "须经法制审核" in review and "对单位罚款3万元以上" in review and "芝应急发〔2026〕8号" in review
    collective = html[html.index('data-testid="flag-collective"') :]
    assert "未列出集体讨论情形" in collective[:300]
    html = _page(client, PENALTIES, violation="P7", item="3", subject="unit", circumstance="base", act_date="2025-06-01", decision_date="2026-03-02", amount="45000")
    assert "须集体讨论决定" in html[html.index('data-testid="flag-collective"') :]
    # another district's catalogue does not apply
    client.force_login(world.user("officer_b"))
    html = _page(client, PENALTIES, violation="P7", item="3", subject="unit", circumstance="base", act_date="2025-06-01", decision_date="2026-03-02", amount="35000")
    assert "对单位罚款3万元以上" not in html


def _visible_outside_details(html: str) -> str:
    """The text an officer reads without opening the legal department's details toggle."""
    import re

    body = html[html.index("<main") :] if "<main" in html else html
    body = re.sub(r"<details.*?</details>", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)  # tags and their attributes (data-rule="…" is not read)
    return body


def test_internal_codes_are_behind_the_details_toggle(calendar: None, client: Any, world: Any) -> None:
    """Issue 8 item N: rule codes, provisional, V/S/CFG and calendar hashes were shown to officers."""
    import re

    from anjian.legal import lawcal

    client.force_login(world.user("officer_a"))
    version = lawcal.work_calendar().version
    for params in ({"event": "decision_served", "date": "2026-02-03"}, {"event": "notice_served", "date": "2027-09-30"}):
        html = _page(client, DEADLINES, **params)
        assert 'data-testid="deadline-result"' in html and 'data-testid="technical-details"' in html
        text = _visible_outside_details(html)
        for code in ("payment", "lawsuit_direct", "defence_statement", "provisional", version):
            assert code not in text, code
        assert not re.search(r"\b(V|S|CFG)\b", text), re.findall(r".{20}\b(?:V|S|CFG)\b.{20}", text)
        details = html[html.index('data-testid="technical-details"') :]
        assert version in details and ("payment" in details or "defence_statement" in details)
    html = _page(client, PENALTIES, violation="P7", subject="unit", circumstance="base", act_date="2025-06-01", decision_date="2026-03-02", amount="60000")
    text = _visible_outside_details(html)
    assert not re.search(r"\b(V|S|CFG)\b", text) and "hearing.fine" not in text
