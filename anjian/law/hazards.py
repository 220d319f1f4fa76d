"""Major-hazard criteria catalogues as data (LEGAL.md §5; ``rules/major_hazards.yaml``).

* 工贸企业重大事故隐患判定标准 — 应急管理部令第10号, by article, sector and feature;
* 化工和危险化学品生产经营单位重大生产安全事故隐患判定标准 — 安监总管三〔2017〕121号, 20 items;
* 金属非金属矿山重大事故隐患判定标准 — 矿安〔2022〕88号, the items we have.

An item whose exact wording we do not have is ``text_pending`` and never classifies a hazard as
major (:func:`classifies_as_major`); the legal department completes it through an import
(:func:`parse_items` validates imported rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from anjian.law.errors import HazardCriteriaError, RuleDataError
from anjian.law.ruleset import RuleStatus, load_yaml, optional_date, require
from anjian.law.taxonomy import SECTORS, check_features, check_sectors


@dataclass(frozen=True, slots=True)
class CriterionItem:
    """One criterion: a matched item makes a hazard major by law (unless ``text_pending``)."""

    id: str
    catalogue: str
    text: str
    sectors: frozenset[str]
    features: frozenset[str]
    text_pending: bool
    status: RuleStatus
    source: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    article: int | None = None
    item: int | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def applies_to(self, sectors: frozenset[str], features: frozenset[str]) -> bool:
        """In one of the item's sectors (if it names any) and with one of its features (if any)."""
        if self.sectors and not self.sectors & sectors:
            return False
        return not self.features or bool(self.features & features)


@dataclass(frozen=True, slots=True)
class CriteriaCatalogue:
    code: str
    name: str
    source: str
    status: RuleStatus
    effective_from: dt.date
    effective_to: dt.date | None
    items: tuple[CriterionItem, ...]
    template: bool = False


def _expand_sectors(raw: Iterable[str], where: str) -> frozenset[str]:
    codes: set[str] = set()
    for code in raw:
        if code.endswith(".*"):
            group = [s for s in SECTORS if s.startswith(code[:-1])]
            if not group:
                raise HazardCriteriaError(f"{where}：未知的行业组{code}", field="sectors")
            codes.update(group)
        else:
            codes.add(code)
    return check_sectors(codes)


def parse_items(
    raw_items: Iterable[Any],
    *,
    catalogue: str,
    source: str,
    status: RuleStatus,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
) -> tuple[CriterionItem, ...]:
    """Validate criterion rows (from the YAML or an import by the legal department).

    A row with ``count: N`` and ``text_pending: true`` stands for N pending items numbered 1..N.
    A row without text must be pending: wording we do not hold never classifies.
    """
    items: list[CriterionItem] = []
    for index, row in enumerate(raw_items):
        where = f"{catalogue}.items[{index}]"
        if not isinstance(row, Mapping):
            raise RuleDataError(f"判定标准{where}应为映射", field=where)
        ident = require(row, "id", str, where)
        pending = bool(row.get("text_pending", False))
        text = str(row.get("text") or "")
        if not text and not pending:
            raise RuleDataError(f"判定标准{ident}没有条文，须标记为待补录（text_pending）", field=where)
        try:
            item_status = RuleStatus(str(row.get("status", status.value)))
        except ValueError as exc:
            raise RuleDataError(f"判定标准{ident}的状态无效", field=f"{where}.status") from exc
        sectors = _expand_sectors(row.get("sectors", []), where)
        features = check_features(row.get("features", []))
        count = row.get("count")
        numbers: list[int | None] = [row.get("item")]
        ids = [ident]
        if count is not None:
            if not pending or not isinstance(count, int) or count < 1:
                raise RuleDataError(f"判定标准{ident}：count 只用于待补录条目", field=where)
            numbers = list(range(1, count + 1))
            ids = [f"{ident}-{n}" for n in numbers]
        for number, item_id in zip(numbers, ids, strict=True):
            items.append(CriterionItem(
                item_id, catalogue, text or "（条文待补录）", sectors, features, pending,
                item_status, source, effective_from, effective_to, row.get("article"), number,
            ))  # fmt: skip
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise RuleDataError(f"判定标准条目{item.id}重复", field=catalogue)
        seen.add(item.id)
    return tuple(items)


@dataclass(frozen=True, slots=True)
class HazardCriteria:
    catalogues: tuple[CriteriaCatalogue, ...]

    def items(self) -> tuple[CriterionItem, ...]:
        return tuple(item for cat in self.catalogues for item in cat.items)

    def item(self, item_id: str) -> CriterionItem:
        for item in self.items():
            if item.id == item_id:
                return item
        raise HazardCriteriaError(f"未知的重大事故隐患判定条目：{item_id}", field="item")

    @classmethod
    def from_data(cls, data: Any) -> HazardCriteria:
        if not isinstance(data, Mapping):
            raise RuleDataError("判定标准数据应为映射", field="catalogues")
        catalogues: list[CriteriaCatalogue] = []
        for index, raw in enumerate(require(data, "catalogues", list, "root")):
            where = f"catalogues[{index}]"
            code = require(raw, "code", str, where)
            start = optional_date(raw, "effective_from", where)
            if start is None:
                raise RuleDataError(f"判定标准{code}缺少生效日期", field=f"{where}.effective_from")
            end = optional_date(raw, "effective_to", where)
            try:
                status = RuleStatus(str(raw.get("status")))
            except ValueError as exc:
                raise RuleDataError(f"判定标准{code}的状态无效", field=f"{where}.status") from exc
            source = require(raw, "source", str, where)
            items = parse_items(
                require(raw, "items", list, where), catalogue=code, source=source, status=status,
                effective_from=start, effective_to=end,
            )  # fmt: skip
            catalogues.append(CriteriaCatalogue(
                code, require(raw, "name", str, where), source, status, start, end, items,
                bool(raw.get("template", False)),
            ))  # fmt: skip
        return cls(tuple(catalogues))


@cache
def default_criteria() -> HazardCriteria:
    """The shipped criteria (``rules/major_hazards.yaml``), parsed once."""
    return HazardCriteria.from_data(load_yaml("major_hazards.yaml"))


def criteria_for(
    sectors: Iterable[str],
    features: Iterable[str] = (),
    *,
    on: dt.date | None = None,
    criteria: HazardCriteria | None = None,
) -> list[CriterionItem]:
    """The criterion items applicable to a unit with these sectors and features (pending items
    included, so that they are shown; use :func:`classifies_as_major` before relying on one).
    With ``on``, only items in force on that date."""
    given_sectors = check_sectors(sectors)
    given_features = check_features(features)
    source = criteria or default_criteria()
    return [
        item for item in source.items()
        if item.applies_to(given_sectors, given_features) and (on is None or item.in_force_on(on))
    ]  # fmt: skip


def classifies_as_major(item: CriterionItem, *, on: dt.date | None = None) -> bool:
    """True when matching ``item`` makes a hazard major by law: its wording is in hand (not
    ``text_pending``) and, with ``on``, it is in force on that date."""
    if item.text_pending:
        return False
    return on is None or item.in_force_on(on)
