"""Checklists generated from the legal engine's major-hazard criteria, and Excel import.

One template per catalogue article (工贸 by industry, 粉尘涉爆, 涉氨制冷, 有限空间) and per
catalogue (the 20 chemical items, metal and non-metal mines by part), plus general items.
Pending criteria (wording not in hand) are included as items so that officers still check them,
but they never classify a hazard as major (LEGAL.md §5).
"""

from __future__ import annotations

from collections import defaultdict
from typing import IO, Any

from django.db import transaction

from anjian.core import audit
from anjian.core.errors import DomainError, ValidationFailed
from anjian.inspections.choices import TemplateKind, TemplateStatus
from anjian.inspections.models import ChecklistItem, ChecklistTemplate
from anjian.law import hazards as law_hazards

# AQSCF §102: a hazard not eliminated is the violation a criterion item points to (catalogue P12).
HAZARD_VIOLATION = "P12"

IT10_GROUPS = {
    3: ("工贸企业通用", [], []),
    4: ("冶金企业", ["industry.metallurgy"], []),
    5: ("有色企业", ["industry.nonferrous"], []),
    6: ("建材企业", ["industry.building_materials"], []),
    7: ("机械企业", ["industry.machinery"], []),
    8: ("轻工企业", ["industry.light"], []),
    9: ("纺织企业", ["industry.textile"], []),
    10: ("烟草企业", ["industry.tobacco"], []),
    11: ("粉尘涉爆", [], ["dust_explosion"]),
    12: ("涉氨制冷", [], ["ammonia_refrigeration"]),
    13: ("有限空间作业", [], ["confined_space"]),
}

GENERAL_ITEMS = [
    ("建立健全并落实全员安全生产责任制", "《安全生产法》第四条、第二十二条"),
    ("主要负责人组织制定并实施安全生产规章制度和操作规程", "《安全生产法》第二十一条"),
    ("按规定设置安全生产管理机构或者配备安全生产管理人员", "《安全生产法》第二十四条"),
    ("从业人员经安全生产教育和培训合格，培训情况如实记录", "《安全生产法》第二十八条"),
    ("特种作业人员按照规定取得相应资格", "《安全生产法》第三十条"),
    ("建立安全风险分级管控制度，按照安全风险分级采取相应的管控措施", "《安全生产法》第四十一条"),
    ("建立事故隐患排查治理制度，如实记录事故隐患排查治理情况", "《安全生产法》第四十一条"),
    ("制定生产安全事故应急救援预案并定期组织演练", "《安全生产法》第八十一条"),
    ("为从业人员提供符合标准的劳动防护用品", "《安全生产法》第四十五条"),
    ("生产经营场所和员工宿舍出口、疏散通道畅通", "《安全生产法》第四十二条"),
    ("高危行业领域投保安全生产责任保险", "《安全生产法》第五十一条"),
]


def _basis(item: law_hazards.CriterionItem) -> str:
    where = ""
    if item.article:
        where += f"第{item.article}条"
    if item.item:
        where += f"第{item.item}项"
    return f"{item.source.split('（')[0]}{where}"


def _specs() -> list[dict[str, Any]]:
    crit = law_hazards.default_criteria()
    specs: list[dict[str, Any]] = []
    for cat in crit.catalogues:
        groups: dict[str, list[law_hazards.CriterionItem]] = defaultdict(list)
        for it in cat.items:
            if cat.code == "IT10":
                key = str(it.article) if it.article in IT10_GROUPS else "3"
            elif cat.code == "KA88":
                key = it.id.split("-")[1]  # U / O / T: underground, open pit, tailings
            else:
                key = "all"
            groups[key].append(it)
        if getattr(cat, "template", False) or not cat.items:
            continue
        for key, items in groups.items():
            if cat.code == "IT10":
                name, sectors, features = IT10_GROUPS[int(key)]
                sectors = sectors or ["industry"]
                code = f"law-IT10-{key}"
                title = f"{cat.name}·{name}"
            elif cat.code == "KA88":
                part = {"U": ("地下矿山", "mine.underground"), "O": ("露天矿山", "mine.openpit"), "T": ("尾矿库", "mine.tailings")}[key]
                code, title, sectors, features = f"law-KA88-{key}", f"{cat.name}·{part[0]}", [part[1]], []
            else:
                code, title, sectors, features = f"law-{cat.code}", cat.name, ["hazchem"], []
            specs.append({
                "code": code, "name": title, "kind": TemplateKind.CRITERIA, "sectors": sectors, "features": features, "source": cat.source,
                "items": [{"text": (it.text or f"{_basis(it)}（条文待法规科补录）")[:500], "legal_basis": _basis(it), "criterion_id": it.id, "violation_id": HAZARD_VIOLATION} for it in items],
            })  # fmt: skip
    specs.append({"code": "general", "name": "安全生产通用检查项", "kind": TemplateKind.GENERAL, "sectors": [], "features": [], "source": "《中华人民共和国安全生产法》",
                  "items": [{"text": t, "legal_basis": b} for t, b in GENERAL_ITEMS]})
    return specs


@transaction.atomic
def checklists_sync_from_law() -> dict[str, int]:
    """Create or version the law-derived templates. A changed list becomes a new published
    version; inspections keep the items they copied (published changes apply to new inspections)."""
    created = versioned = unchanged = 0
    for spec in _specs():
        current = ChecklistTemplate.objects.filter(code=spec["code"], status=TemplateStatus.PUBLISHED).first()
        wanted = [(i["text"], i.get("legal_basis", ""), i.get("criterion_id", ""), i.get("violation_id", "")) for i in spec["items"]]
        if current is not None:
            have = list(current.items.order_by("order").values_list("text", "legal_basis", "criterion_id", "violation_id"))
            if have == wanted:
                unchanged += 1
                continue
            current.status = TemplateStatus.RETIRED
            current.save(update_fields=["status"])
            version = current.version + 1
            versioned += 1
        else:
            last = ChecklistTemplate.objects.filter(code=spec["code"]).order_by("-version").first()
            version = (last.version + 1) if last else 1
            created += 1
        from django.utils import timezone

        t = ChecklistTemplate.objects.create(code=spec["code"], version=version, name=spec["name"], kind=spec["kind"], sectors=spec["sectors"], features=spec["features"], source=spec["source"], status=TemplateStatus.PUBLISHED, published_at=timezone.now())
        ChecklistItem.objects.bulk_create([ChecklistItem(template=t, order=n, text=w[0], legal_basis=w[1], criterion_id=w[2], violation_id=w[3]) for n, w in enumerate(wanted, start=1)])
    # The seed's 工贸行业25项检查重点事项: the list is not in hand; an empty template awaits the import.
    if not ChecklistTemplate.objects.filter(code="IT25").exists():
        ChecklistTemplate.objects.create(code="IT25", name="工贸行业25项检查重点事项", kind=TemplateKind.BUREAU, sectors=["industry"], source="清单文本尚未取得，由本局导入", status=TemplateStatus.DRAFT)
    return {"created": created, "versioned": versioned, "unchanged": unchanged}


def checklist_import_xlsx(*, actor: Any, template: ChecklistTemplate, fh: IO[bytes]) -> ChecklistTemplate:
    """Import a bureau's own list (columns: 检查内容, 依据条款[, 判定标准条目]) into a draft.

    Each row is checked; any bad row rejects the file with a row-by-row report, nothing written.
    A published template gets a new draft version; a draft gets its items replaced.
    """
    from openpyxl import load_workbook

    from anjian.inspections import services

    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception:
        raise ValidationFailed("文件不是有效的Excel（.xlsx）文件。", fields={"file": "请上传.xlsx文件。"}) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    try:
        ti = header.index("检查内容")
    except ValueError:
        raise ValidationFailed("第1行须有“检查内容”列。", fields={"file": "缺少“检查内容”列。"}) from None
    bi = header.index("依据条款") if "依据条款" in header else None
    ci = header.index("判定标准条目") if "判定标准条目" in header else None
    known = {i.id for i in law_hazards.default_criteria().items()}
    items, problems = [], []
    for n, row in enumerate(rows, start=2):
        text = str(row[ti] or "").strip() if ti < len(row) else ""
        if not any(row):
            continue
        crit = str(row[ci] or "").strip() if ci is not None and ci < len(row) else ""
        if not text:
            problems.append(f"第{n}行：检查内容为空")
        elif len(text) > 500:
            problems.append(f"第{n}行：检查内容超过500字")
        if crit and crit not in known:
            problems.append(f"第{n}行：未知的判定标准条目{crit}")
        items.append({"text": text, "legal_basis": str(row[bi] or "").strip()[:300] if bi is not None and bi < len(row) else "", "criterion_id": crit})
    wb.close()
    if problems:
        raise ValidationFailed("导入失败，请修改后重新上传：" + ";".join(problems[:50]), fields={"file": problems})
    if not items:
        raise ValidationFailed("文件中没有检查项。", fields={"file": "没有数据行。"})
    with transaction.atomic():
        if template.status == TemplateStatus.DRAFT:
            t = services.checklist_set_items(actor=actor, template=template, items=items)
        else:
            t = services.checklist_new_version(actor=actor, template=template, items=items)
        audit.record(actor=actor, action="checklist.import", obj=t, after={"items": len(items)})
    return t


__all__ = ["DomainError", "checklists_sync_from_law", "checklist_import_xlsx"]
