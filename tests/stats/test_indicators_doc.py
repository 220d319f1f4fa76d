"""docs/indicators.md is the registry's own text: it lists exactly the registry's indicators, each
with its definition, formula and source tables (regenerate with `anjian stats docs`)."""

from __future__ import annotations

import re
from pathlib import Path

from anjian.stats import indicators as reg
from anjian.stats import indicators_docs

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_the_document_is_generated_from_the_registry() -> None:
    assert DOC.read_text(encoding="utf-8") == indicators_docs.markdown(), "docs/indicators.md 与指标注册表不一致：请运行 anjian stats docs > docs/indicators.md"


def test_the_document_lists_exactly_the_registry_keys() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = re.findall(r"^## `(\w+)` ", text, flags=re.M)
    assert sections == [i.key for i in reg.INDICATORS]
    for ind in reg.INDICATORS:
        assert f"- 定义：{ind.definition}" in text and f"- 计算公式：{ind.formula}" in text and f"- 数据来源：{ind.tables}" in text


def test_every_indicator_is_complete() -> None:
    for ind in reg.INDICATORS:
        assert ind.name and ind.definition and ind.formula and ind.unit, ind.key
        assert ind.definition.endswith("。"), ind.key
        if ind.derived:
            assert ind.numerator in reg.REGISTRY and ind.denominator in reg.REGISTRY and not reg.REGISTRY[ind.numerator].derived
        else:
            assert ind.source is not None and (ind.rows is not None or ind.kind == "staff"), ind.key
