"""Issue 8 G: every document the system prints is Chinese text as GB/T 15834 and GB/T 9704 want it.

Every registered kind is rendered with realistic facts and its text (python-docx) checked: no
half-width ``, ; : ( )`` next to a Chinese character, no zero-padded date, every key fact present.
The templates' own wording, the kinds' fact labels and the documents core's messages are scanned too.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from anjian.documents import registry
from anjian.documents.build_templates import BUILDERS, build
from anjian.documents.rendering import cn_date, document_text, jinja_env
from anjian.documents.rendering import pdf_available as rendering_pdf_available
from tests.documents.conftest import OFFICERS, PARTY, sample_context
from tests.documents.text_checks import HAN, chinese_text_problems

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _early_june(kind: str) -> dict:
    """The sample facts moved to early June, so that a zero-padded date would show (2026年06月05日)."""
    ctx = sample_context(kind)
    dates = {
        "started_at": "2026-06-05T09:05:00+08:00",
        "ended_at": "2026-06-05T11:30:00+08:00",
        "inspection_date": dt.date(2026, 6, 5),
        "deadline": dt.date(2026, 6, 9),
        "order_date": dt.date(2026, 6, 1),
        "reinspection_date": dt.date(2026, 6, 5),
    }
    return {**ctx, **{k: v for k, v in dates.items() if k in ctx}}


# The enforcement documents of the documents package (each names its party). Kinds an app above
# registers with its own templates (the statistics circular) render and are checked in that app's
# tests (tests/stats/test_returns.py), with the same ``chinese_text_problems``.
@pytest.mark.parametrize("kind", [k.code for k in registry.kinds() if k.template_dir == registry.TEMPLATE_DIR])
def test_every_kind_renders_as_clean_chinese_with_its_key_facts(world, issue, kind):
    doc = issue(kind, issued_on=dt.date(2026, 6, 5), context=_early_june(kind))
    text = document_text(doc.file.read())
    assert chinese_text_problems(text) == []
    assert PARTY["name"] in text and doc.number in text and "烟台市芝罘区应急管理局" in text
    if any(f.key == "officers" for f in registry.get(kind).facts):  # decisions and records name no officers
        for officer in OFFICERS:
            assert officer["certificate_no"] in text
    assert "二〇二六年六月五日" in text  # the 落款 date in Chinese numerals
    expected = {
        "inspection_record": ["2026年6月5日9时05分至11时30分", "一号生产车间、危险化学品仓库", "检查情况：检查发现问题2项，见下表。"],
        "rectification_order": ["于2026年6月5日对你单位进行安全生产监督检查", "于2026年6月9日前整改完毕", "安全出口堵塞"],
        "onsite_measure_decision": ["于2026年6月5日对你单位", "措施范围：速冻车间", "《工贸企业重大事故隐患判定标准》第十二条第二项"],
        "reinspection_opinion": ["本机关于2026年6月1日作出芝应急责改〔2026〕1号", "于2026年6月5日对你单位下列隐患", "不合格"],
        "penalty_decision_unit": ["统一社会信用代码：91370602MA3C0XXXX1", "以上罚款合计人民币20000.00元（大写：人民币贰万元整）", "每日按罚款数额的百分之三加处罚款", "向烟台市芝罘区人民政府申请行政复议"],
        "penalty_decision_person": ["身份证号码：370602198001011234", "工作单位及职务：烟台示例化工有限公司　安全管理人员", "你应当自收到本决定书之日起十五日内"],
        "penalty_decision_onsite": ["经查，当事人于2026年6月1日被发现", "执法证号：37060200123", "当事人（签收）：王强"],
        "collective_discussion_record": ["讨论时间：2026年6月1日", "赵刚\t局长", "讨论结论：同意承办人员的处理意见。"],
        "case_referral": ["烟台市公安局芝罘分局：", "本机关办理的未消除事故隐患案（当事人：烟台示例化工有限公司），于2026年5月20日立案", "第二十七条第一款"],
    }
    for fact in expected.get(kind, []):
        assert fact in text, fact


def test_all_four_kinds_are_covered():
    assert {k.code for k in registry.kinds()} >= {"inspection_record", "rectification_order", "onsite_measure_decision", "reinspection_opinion"}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_templates_own_wording_uses_full_width_punctuation(name):
    import io

    text = TAG.sub("", document_text(io.BytesIO(build(name)).getvalue()))
    assert chinese_text_problems(text) == []


def _labels(facts):
    for f in facts:
        yield f.label
        yield from _labels(f.item_facts)


def test_fact_labels_and_the_documents_core_messages_use_full_width_punctuation():
    bad = re.compile(rf"{HAN}[,;:()]|[,;:()]{HAN}")
    for kind in registry.kinds():
        for label in _labels(kind.facts):
            assert not bad.search(label), label
    # Every Chinese string literal of the documents core (messages, labels), docstrings aside.
    root = Path(registry.__file__).parent
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not bad.search(node.value), f"{path.name}:{node.lineno}: {node.value}"


def test_dates_and_amounts_in_documents_read_as_people_write_them():
    assert cn_date(dt.date(2026, 6, 5)) == "2026年6月5日"
    env = jinja_env()
    assert env.from_string("{{ a|amount }}").render(a="80000.00") == "8万元"
    assert env.from_string("{{ a|amount_capitals }}").render(a="80000.00") == "捌万元整"
    assert env.from_string("{{ a|amount_capitals }}").render(a=None) == ""
    assert env.from_string("{{ lo|amount_range(hi) }}").render(lo=Decimal("80000"), hi=Decimal("80000")) == "8万元"
    assert env.from_string("{{ lo|amount_range(hi) }}").render(lo="20000", hi="50000") == "2万元至5万元"


@pytest.mark.skipif(not rendering_pdf_available() or not shutil.which("pdftotext"), reason="LibreOffice 或 poppler-utils 未安装：PDF 为可选功能（scripts/bootstrap.sh 以 root 运行时安装）")
@pytest.mark.parametrize("kind", [k.code for k in registry.kinds() if k.template_dir == registry.TEMPLATE_DIR])
def test_every_kind_prints_its_key_facts_through_libreoffice(world, issue, kind, tmp_path_factory):
    """Issue 14, Tests: what the party holds is the printed PDF. Every kind converted by LibreOffice,
    its text extracted by pdftotext: the number, the party, the 落款 date in Chinese numerals, the
    verification code, and the amounts in figures and capitals where the kind states them."""
    import subprocess

    from anjian.documents.rendering import convert_to_pdf

    doc = issue(kind, issued_on=dt.date(2026, 6, 5), context=_early_june(kind))
    profile = tmp_path_factory.getbasetemp() / "libreoffice-profile"  # one warm profile for the run
    pdf = convert_to_pdf(doc.file.read(), profile=profile)
    path = tmp_path_factory.mktemp("pdf") / f"{kind}.pdf"
    path.write_bytes(pdf)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    for fact in (doc.number, PARTY["name"], "二〇二六年六月五日", doc.verify_code[:4]):
        assert fact in text, (kind, fact)
    if kind == "penalty_decision_unit":
        assert "20000.00元" in text and "贰万元整" in text
