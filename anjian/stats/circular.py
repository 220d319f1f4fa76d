"""The circular (通报) of a periodic return, issued through the documents engine (issue 11 item 5).

The city bureau circulates each quarterly summary and the annual summary to the district bureaus:
the city's figures, one table row per bureau with its ranks, who leads and who trails, and the
work required next (written by the issuer: the figures say what happened, not what to do). Every
sentence of the circular is made from the return's figures, so it cannot say something the
records do not. Numbered ``〔年〕号`` with the word 通 in the city bureau's series; one live circular
per period (a second needs the reason it is issued again, ``documents.services.document_issue``).

The template is built by ``python -m anjian.stats.circular_template`` into ``stats/templates_docx``
(reproducible byte for byte, tests/stats/test_returns.py), with the documents core's helpers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from anjian.core.errors import PermissionRefused, ValidationFailed
from anjian.core.scoping import scope_for
from anjian.documents import registry
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument
from anjian.documents.registry import DocumentKind, Fact
from anjian.org.models import Agency
from anjian.stats.circular_template import TABLE_LINES, TEMPLATE, TEMPLATE_DIR
from anjian.stats.returns import Cell, Return, Row, build

KIND_CODE = "stats_circular"
SUBJECT_TYPE = "stats.return"
# Who signs a circular for the city bureau: its leaders, or the office that drafts it for them.
ISSUE_ROLES = ("leader", "office")
REQUIREMENTS_MAX = 4000

# The lines the circular names leaders and laggards for.
HIGHLIGHTS = ("inspections", "hazards_found", "rectification_rate", "hazards_overdue", "cases_filed")

KIND = DocumentKind(
    code=KIND_CODE,
    name="通报",
    number_word="通",
    template=TEMPLATE,
    template_version="2026.1",
    served=False,  # circulated to the bureaus, not served on a party
    basis="季度小结、年终总结通报（执法工作制度：定期调度统计、及时通报）",
    template_dir=TEMPLATE_DIR,
    facts=(
        Fact("period_label", "统计期间"),
        Fact("addressee", "主送机关"),
        Fact("summary", "总体情况", type="list", item_facts=(Fact("text", "段落"),)),
        Fact("rows", "各区市情况", type="list", item_facts=(Fact("label", "区市"),)),
        Fact("highlights", "横向对比", type="list", min_items=0),
        Fact("requirements", "下步工作要求", type="list", item_facts=(Fact("text", "段落"),)),
        Fact("source_note", "数据说明"),
    ),
)


def register() -> None:
    """Called from ``StatsConfig.ready``."""
    if KIND_CODE not in {k.code for k in registry.kinds()}:
        registry.register(KIND)


# ---- the text, from the figures -------------------------------------------------------------------------


def _num(cell: Cell) -> str:
    v = cell.figure.value
    if v is None:
        return "—"
    if cell.line.key == "fines_decided":
        return f"{Decimal(v) / 10000:.2f}"  # 万元
    return str(v)


def _with_unit(cell: Cell) -> str:
    ind = cell.indicator
    if cell.figure.value is None:
        return "无可比数据"
    if cell.line.key == "fines_decided":
        return f"{_num(cell)}万元"
    return f"{cell.figure.value}{ind.unit}"


def _changes(cell: Cell) -> str:
    parts = []
    if (c := cell.change_previous) is not None:
        parts.append(f"环比{c.text}")
    if (c := cell.change_last_year) is not None:
        parts.append(f"同比{c.text}")
    return "（" + "，".join(parts) + "）" if parts else ""


def summary(ret: Return) -> list[dict[str, str]]:
    t = ret.total
    assert t is not None
    c = t.cell
    return [
        {
            "text": f"{ret.period.label}，全市应急管理部门共开展安全生产监督检查{_with_unit(c('inspections'))}{_changes(c('inspections'))}，"
            f"检查生产经营单位{_with_unit(c('units_inspected'))}，重点监管单位检查覆盖率{_with_unit(c('key_unit_coverage'))}。"
        },
        {
            "text": f"共发现问题隐患{_with_unit(c('hazards_found'))}{_changes(c('hazards_found'))}，其中重大隐患{_with_unit(c('hazards_found_major'))}；"
            f"期内发现的隐患整改率{_with_unit(c('rectification_rate'))}，按期整改率{_with_unit(c('on_time_rate'))}；"
            f"期末逾期未整改隐患{_with_unit(c('hazards_overdue'))}，未销号重大隐患{_with_unit(c('major_hazards_open'))}；"
            f"依法采取现场处理措施{_with_unit(c('onsite_measures'))}。"
        },
        {
            "text": f"共立案{_with_unit(c('cases_filed'))}{_changes(c('cases_filed'))}，作出行政处罚决定{_with_unit(c('cases_decided'))}，"
            f"决定罚款{_with_unit(c('fines_decided'))}，移送司法机关{_with_unit(c('cases_referred'))}。"
            f"期末执法人员持证率{_with_unit(c('certified_share'))}。"
        },
    ]


def _names(rows: list[Row], key: str) -> str:
    if len(rows) <= 3:
        return "、".join(f"{r.label}（{_with_unit(r.cell(key))}）" for r in rows)
    return f"{rows[0].label}等{len(rows)}个区市（均为{_with_unit(rows[0].cell(key))}）"


def highlights(ret: Return) -> list[dict[str, str]]:
    """Who leads and who trails each ranked line (the return's ranks, in the return's order)."""
    out = []
    for key in HIGHLIGHTS:
        ranked = [r for r in ret.rows if r.cell(key).rank is not None]
        if len(ranked) < 2:
            continue
        line = ranked[0].cell(key).line
        ind = line.indicator
        first = [r for r in ranked if r.cell(key).rank == 1]
        last_rank = max(r.cell(key).rank or 0 for r in ranked)
        last = [r for r in ranked if r.cell(key).rank == last_rank]
        if last_rank == 1:
            out.append({"text": f"{ind.name}：各区市均为{_with_unit(first[0].cell(key))}。"})
            continue
        more, less = ("最高", "最低") if ind.kind == "ratio" else ("最多", "最少")
        top, bottom = (more, less) if line.better == "high" else (less, more)
        out.append({"text": f"{ind.name}：{_names(first, key)}{top}，{_names(last, key)}{bottom}。"})
    return out


def _cell_text(row: Row, key: str) -> str:
    cell = row.cell(key)
    return _num(cell) + (f"（{cell.rank}）" if cell.rank is not None else "")


def table_rows(ret: Return) -> list[dict[str, Any]]:
    rows = [*ret.rows, *ret.city_rows, *([ret.total] if ret.total else [])]
    return [{"label": r.label, **{key: _cell_text(r, key) for key in TABLE_LINES}} for r in rows]


def context(ret: Return, requirements: str) -> dict[str, Any]:
    paragraphs = [{"text": line.strip()} for line in requirements.splitlines() if line.strip()]
    return {
        "period_label": ret.period.label,
        "title": f"关于{ret.period.label}全市安全生产监管执法工作情况的{'通报' if ret.period.grain == 'q' else '总结通报'}",
        "addressee": "各区市应急管理局，市局各处室：",
        "summary": summary(ret),
        "rows": table_rows(ret),
        "highlights": highlights(ret),
        "requirements": paragraphs,
        "source_note": (
            f"数据截至{ret.period.end.year}年{ret.period.end.month}月{ret.period.end.day}日，来源于本系统的监督检查、隐患排查治理、行政处罚和执法人员记录。"
            "表中括号内为该项在各区市中的排名；罚款单位为万元；“市本级”为市局直接开展的工作，不参加排名；"
            "全市合计中同一单位被市、区两级检查的只计一次。"
        ),
    }


def issue(*, actor: Any, code: str, requirements: str, reissue_reason: str = "") -> IssuedDocument:
    """Issue the circular of the return ``code`` in the city bureau's name, in one transaction."""
    scope = scope_for(actor)
    ret = build(actor, code)
    if not ret.full or scope.agency_level != "city":
        raise PermissionRefused("通报由市局签发：区（市）局只能查看本辖区的数据和排名。", code="not_city")
    if not scope.has_role(*ISSUE_ROLES):
        raise PermissionRefused("签发通报须由局领导或办公室办理。", code="role_refused")
    text = (requirements or "").strip()
    if not text:
        raise ValidationFailed("请填写下步工作要求。", code="circular_invalid", fields={"requirements": "通报须写明下步工作要求。"})
    if len(text) > REQUIREMENTS_MAX:
        raise ValidationFailed("下步工作要求过长。", code="circular_invalid", fields={"requirements": f"不超过{REQUIREMENTS_MAX}字。"})
    agency = Agency.objects.select_related("jurisdiction").get(pk=scope.agency_id)
    with transaction.atomic():
        return documents.document_issue(
            actor=actor,
            kind_code=KIND_CODE,
            agency_id=agency.pk,
            agency_name=agency.name,
            doc_abbr=agency.doc_abbr,
            jurisdiction=agency.jurisdiction,
            subject_type=SUBJECT_TYPE,
            subject_id=ret.period.code,
            context=context(ret, text),
            issued_on=timezone.localdate(),
            reissue_reason=reissue_reason,
        )


def issued(user: Any, code: str) -> list[IssuedDocument]:
    """The circulars of a period the user may read (the city bureau's register)."""
    return list(IssuedDocument.objects.for_user(user).filter(kind=KIND_CODE, subject_type=SUBJECT_TYPE, subject_id=code).order_by("-issued_at"))
