"""The registry of document kinds: apps above register their own kinds."""

from __future__ import annotations

import pytest

from anjian.core.errors import ValidationFailed
from anjian.documents import registry
from anjian.documents.registry import DocumentKind, Fact


def test_the_four_inspection_forms_are_registered():
    kinds = {k.code: k for k in registry.kinds()}
    assert {
        "inspection_record": ("现场检查记录", "检记", False),
        "rectification_order": ("责令限期整改指令书", "责改", True),
        "onsite_measure_decision": ("现场处理措施决定书", "现决", True),
        "reinspection_opinion": ("整改复查意见书", "复查", True),
    }.items() <= {c: (k.name, k.number_word, k.served) for c, k in kinds.items()}.items()


def test_a_second_kind_with_the_same_code_is_refused_unless_replacing():
    kind = registry.get("rectification_order")
    with pytest.raises(ValueError, match="already registered"):
        registry.register(kind)
    assert registry.register(kind, replace=True) is kind


def test_an_app_registers_its_own_kind():
    kind = DocumentKind(code="test_notice", name="测试告知书", number_word="测告", template="x.docx", template_version="1", facts=(Fact("party.name", "当事人"),), served=True)
    try:
        assert registry.register(kind) is registry.get("test_notice")
    finally:
        registry._KINDS.pop("test_notice")
    with pytest.raises(ValidationFailed, match="未知的文书种类"):
        registry.get("test_notice")


def test_facts_may_not_use_the_keys_the_core_fills_in():
    with pytest.raises(ValueError, match="reserved"):
        DocumentKind(code="bad", name="坏", number_word="坏", template="x.docx", template_version="1", facts=(Fact("number", "文号"),), served=False)
