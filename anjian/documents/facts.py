"""Checking the facts an app hands over before anything is written or numbered.

A document with missing facts is refused with a Chinese message naming each missing fact by its
label and the rule that requires it; the check runs before the number is allocated, so a refusal
consumes no number and saves nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from anjian.core.errors import ValidationFailed
from anjian.documents.registry import COMMON_KEYS, DocumentKind, Fact

_MISSING = object()


def normalise(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as stored: JSON data (dates and datetimes as ISO strings, Decimals as strings).

    The document is rendered from exactly this, so re-rendering the stored context reproduces it.
    """
    return json.loads(json.dumps(dict(context), cls=DjangoJSONEncoder, ensure_ascii=False))  # type: ignore[no-any-return]


def lookup(context: Any, dotted: str) -> Any:
    value = context
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def is_blank(value: Any) -> bool:
    if value is _MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def _type_error(fact: Fact, value: Any) -> str | None:
    if fact.type == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"{fact.label}须为日期（如2026-11-28）。"
    elif fact.type == "datetime":
        if isinstance(value, dt.datetime):
            return None
        try:
            dt.datetime.fromisoformat(str(value))
        except ValueError:
            return f"{fact.label}须为日期时间（如2026-11-28 09:30）。"
    elif fact.type == "bool" and not isinstance(value, bool):
        return f"{fact.label}须为“是”或“否”。"
    elif fact.type == "text" and not isinstance(value, (str, int)):
        return f"{fact.label}须为文字。"
    return None


def _check_value(fact: Fact, value: Any, where: str, missing: dict[str, str], invalid: dict[str, str], articles: list[str]) -> None:
    key = f"{where}{fact.key}"
    if fact.type == "list":
        if value is _MISSING or value is None:
            missing[key] = fact.label
        elif not isinstance(value, (list, tuple)):
            invalid[key] = f"{fact.label}须为列表。"
        elif len(value) < fact.min_items:
            missing[key] = fact.label if fact.min_items <= 1 else f"{fact.label.split('（')[0]}（现有{len(value)}项，至少须{fact.min_items}项）"
        else:
            for i, item in enumerate(value):
                for sub in fact.item_facts:
                    sub_value = lookup(item, sub.key)
                    sub_key = f"{key}.{i}."
                    if sub.type != "bool" and is_blank(sub_value):
                        missing[f"{sub_key}{sub.key}"] = f"{fact.label.split('（')[0]}第{i + 1}项的{sub.label}"
                    elif sub.type == "bool" and (sub_value is _MISSING or sub_value is None):
                        missing[f"{sub_key}{sub.key}"] = f"{fact.label.split('（')[0]}第{i + 1}项的{sub.label}"
                    else:
                        err = _type_error(sub, sub_value)
                        if err:
                            invalid[f"{sub_key}{sub.key}"] = f"第{i + 1}项：{err}"
        if (key in missing or any(k.startswith(f"{key}.") for k in missing)) and fact.article:
            articles.append(fact.article)
        return
    if fact.type == "bool":
        if value is _MISSING or value is None:
            missing[key] = fact.label
        else:
            err = _type_error(fact, value)
            if err:
                invalid[key] = err
        return
    if is_blank(value):
        missing[key] = fact.label
        if fact.article:
            articles.append(fact.article)
        return
    err = _type_error(fact, value)
    if err:
        invalid[key] = err


def _present(context: Mapping[str, Any], key: str) -> bool:
    """An alternative is given: ``a.b`` is not blank; ``items[].key`` is given on every item of a
    non-empty list (each problem of an order states its own period)."""
    if "[]." in key:
        head, _, tail = key.partition("[].")
        items = lookup(context, head)
        return isinstance(items, (list, tuple)) and bool(items) and all(not is_blank(lookup(i, tail)) for i in items)
    return not is_blank(lookup(context, key))


def validate(kind: DocumentKind, context: Mapping[str, Any], *, issued_on: dt.date) -> None:
    """Raise ``ValidationFailed`` unless every required fact of ``kind`` is present and well-formed.

    Code ``document_facts_missing`` when facts are missing (the message lists their Chinese
    labels and the rules), ``document_facts_invalid`` when they are present but malformed or
    contradict each other.
    """
    reserved = sorted(set(context) & COMMON_KEYS)
    if reserved:
        raise ValidationFailed(
            f"文书事实不能使用系统保留的名称：{'、'.join(reserved)}（机关名称、文号和签发日期由系统填写）。",
            code="document_facts_invalid",
            fields={k: "系统保留的名称。" for k in reserved},
        )
    missing: dict[str, str] = {}
    invalid: dict[str, str] = {}
    articles: list[str] = []
    for fact in kind.facts:
        value = lookup(context, fact.key)
        if fact.alternatives and is_blank(value) and any(_present(context, alt) for alt in fact.alternatives):
            continue
        _check_value(fact, value, "", missing, invalid, articles)
    if missing:
        rules = list(dict.fromkeys([kind.basis, *articles] if kind.basis else articles))
        basis = f"（依据{'；'.join(rules)}）" if rules else ""
        raise ValidationFailed(
            f"不能签发《{kind.name}》：缺少必备事项——{'、'.join(missing.values())}{basis}。文书未签发，未占用文号。",
            code="document_facts_missing",
            article="；".join(rules),
            fields={**{k: f"请填写{label}。" for k, label in missing.items()}, **invalid},
        )
    if invalid:
        raise ValidationFailed(
            f"《{kind.name}》的事项有误：{'；'.join(invalid.values())}文书未签发，未占用文号。",
            code="document_facts_invalid",
            article=kind.basis,
            fields=invalid,
        )
    problems: dict[str, str] = {}
    for check in kind.checks:
        problems.update(check(context, issued_on))
    if problems:
        raise ValidationFailed(
            f"《{kind.name}》的事项有误：{''.join(problems.values())}文书未签发，未占用文号。",
            code="document_facts_invalid",
            article=kind.basis,
            fields=problems,
        )
