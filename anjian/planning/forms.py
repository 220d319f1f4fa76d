"""Forms of the planning pages: shape only; the services decide (ARCHITECTURE.md rule 2)."""

from __future__ import annotations

from typing import Any

from django import forms

from anjian.law import planning as pl
from anjian.planning.choices import RelationKind
from anjian.planning.services import YEAR_MAX, YEAR_MIN

YEAR_MESSAGES = {
    "invalid": "年度应为四位数字。",
    "min_value": f"年度应在{YEAR_MIN}年至{YEAR_MAX}年之间。",
    "max_value": f"年度应在{YEAR_MIN}年至{YEAR_MAX}年之间。",
    "required": "请填写年度。",
}
DAYS = {"required": "请填写天数。"}


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=YEAR_MIN, max_value=YEAR_MAX, error_messages=YEAR_MESSAGES)


class GenerateForm(YearForm):
    provisional = forms.BooleanField(label="按临时日历编制（该年度节假日安排尚未载入）", required=False)
    acknowledge_over_capacity = forms.BooleanField(label="确认计划超出力量（重点单位不得削减）", required=False)


class CapacityForm(YearForm):
    """One field per deduction category and per sector group (``ded_<code>``, ``per_<group>``)."""

    reserve_share = forms.CharField(label="预留比例（留有余地，如0.1）", max_length=20)
    key_share = forms.CharField(label="重点检查比例（如0.6）", max_length=20)
    officers_per_inspection = forms.IntegerField(
        label="每次检查执法人员数",
        min_value=2,
        max_value=20,
        error_messages={"invalid": "应为整数。", "min_value": "不得少于2人（行政处罚法第四十二条）。", "max_value": "不超过20人。", "required": "请填写人数。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in pl.CATEGORIES.items():
            self.fields[f"ded_{code}"] = forms.CharField(label=name, max_length=20, required=False)
        for code, name in pl.GROUP_NAMES.items():
            self.fields[f"per_{code}"] = forms.CharField(label=f"{name}（每次检查工作日）", max_length=20, error_messages=DAYS)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "year": d["year"],
            "deductions": {c: d[f"ded_{c}"] for c in pl.CATEGORIES if d.get(f"ded_{c}") not in (None, "")},
            "workdays_per_inspection": {g: d[f"per_{g}"] for g in pl.GROUP_NAMES},
            "reserve_share": d["reserve_share"],
            "key_share": d["key_share"],
            "officers_per_inspection": d["officers_per_inspection"],
        }

    def field_names(self, prefix: str) -> list[str]:
        return [n for n in self.fields if n.startswith(prefix)]


class ItemForm(forms.Form):
    department = forms.CharField(label="承担科室", max_length=20, required=False)
    count = forms.IntegerField(
        label="检查次数",
        min_value=0,
        max_value=366,
        error_messages={"invalid": "检查次数应为整数。", "min_value": "检查次数不能为负数。", "max_value": "检查次数过大。", "required": "请填写检查次数。"},
    )
    months = forms.CharField(label="月份（以顿号或逗号分隔）", max_length=800, required=False)
    note = forms.CharField(label="调整说明", max_length=200, required=False)

    def clean_months(self) -> list[str]:
        raw = self.cleaned_data.get("months") or ""
        for sep in ("、", "，", ";", "；", " "):
            raw = raw.replace(sep, ",")
        return [p for p in (x.strip() for x in raw.split(",")) if p]


class SubmitForm(forms.Form):
    acknowledge_over_capacity = forms.BooleanField(label="确认计划超出力量", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300, required=False)


class DrawCommitForm(forms.Form):
    title = forms.CharField(label="抽取事项", max_length=100, error_messages={"required": "请填写抽取事项。"})
    filters = forms.CharField(
        label="对象库（企业台账筛选条件）",
        max_length=500,
        required=False,
        help_text="在企业台账筛选后，复制地址栏“?”之后的部分，如 sector=hazchem&standardization=none；留空为本机关可见的全部单位",
    )
    share = forms.CharField(label="或抽取比例（如0.1）", max_length=10, required=False)
    count = forms.IntegerField(
        label="抽取单位数",
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={"invalid": "应为整数。", "min_value": "至少抽取1户。", "max_value": "数量过大。", "required": "请填写抽取单位数。"},
    )
    per_inspection = forms.IntegerField(
        label="每户执法人员数",
        min_value=2,
        max_value=20,
        initial=2,
        error_messages={"invalid": "应为整数。", "min_value": "每户至少两名执法人员。", "max_value": "不超过20人。", "required": "请填写人数。"},
    )
    planned_on = forms.DateField(
        label="计划检查日期", error_messages={"invalid": "日期格式应为YYYY-MM-DD。", "required": "请填写计划检查日期。"}, widget=forms.DateInput(attrs={"type": "date"})
    )
    draw_at = forms.DateTimeField(
        label="抽取时间（公示）",
        error_messages={"invalid": "时间格式应为YYYY-MM-DD HH:MM。", "required": "请填写抽取时间。"},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_filters(self) -> dict[str, str]:
        from urllib.parse import parse_qsl

        raw = (self.cleaned_data.get("filters") or "").strip().lstrip("?")
        return {k: v for k, v in parse_qsl(raw) if k != "page" and k != "sort"}


class DrawPerformForm(forms.Form):
    beacon = forms.CharField(label="公开随机数（可空）", max_length=100, required=False, help_text="抽取时公布的外部随机数，如当期彩票开奖号码；记录后任何人可据此复核")


# --- grading profiles (issue 13 item 4) ---------------------------------------------------------------
COUNT_ERRORS = {"invalid": "应为整数。", "min_value": "不能为负数。", "max_value": "不超过366次。", "required": "请填写次数。"}


class ProfileCreateForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "请填写名称。"}, help_text="如：山东省安全生产分类分级监督检查频次")
    source = forms.CharField(label="依据文件", max_length=300, error_messages={"required": "请填写依据文件。"}, help_text="本省公布频次和上限的文件名称与文号")
    reason = forms.CharField(label="说明", max_length=300, required=False)


class ProfileEditForm(forms.Form):
    """One frequency and one cap field per rule and grade (``f_<rule>_<grade>``, ``c_<rule>_<grade>``,
    by position), the grade an ungraded unit counts as, the key-unit rules, and the reason. The rules'
    sector groups, features and grades are kept as they are (the API takes a whole new profile)."""

    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "请填写名称。"})
    source = forms.CharField(label="依据文件", max_length=300, error_messages={"required": "请填写依据文件。"})
    key_rules = forms.MultipleChoiceField(label="重点单位规则", required=False, choices=list(pl.KEY_RULES.items()), widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label="启用（停用后本省机关按示例配置编制）", required=False)
    reason = forms.CharField(label="修改理由", max_length=300, error_messages={"required": "请填写修改理由。"})

    def __init__(self, *args: Any, data_of: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = data_of
        self.rules: list[dict[str, Any]] = []
        for i, rule in enumerate(data_of.get("rules") or []):
            grades = list(rule.get("frequency") or {})
            self.fields[f"rname_{i}"] = forms.CharField(label="规则名称", max_length=60, initial=rule.get("name", ""), error_messages={"required": "请填写规则名称。"})
            self.fields[f"ungraded_{i}"] = forms.ChoiceField(label="未定级按", choices=[(g, g) for g in grades], initial=rule.get("ungraded"))
            rows = []
            for j, g in enumerate(grades):
                f_name, c_name = f"f_{i}_{j}", f"c_{i}_{j}"
                self.fields[f_name] = forms.IntegerField(label=f"{g}级频次", min_value=0, max_value=366, initial=rule["frequency"][g], error_messages=COUNT_ERRORS)
                self.fields[c_name] = forms.IntegerField(label=f"{g}级上限", min_value=0, max_value=366, initial=rule["cap"][g], error_messages=COUNT_ERRORS)
                rows.append({"grade": g, "f": f_name, "c": c_name})
            scope = "、".join([pl.GROUP_NAMES.get(g, g) for g in rule.get("groups") or []] + list(rule.get("features") or [])) or "其他行业（兜底规则）"
            self.rules.append({"index": i, "rule": rule, "grades": rows, "name": f"rname_{i}", "ungraded": f"ungraded_{i}", "scope": scope})

    def rule_rows(self) -> list[dict[str, Any]]:
        """For the template: each rule with its bound fields."""
        return [
            {
                **r,
                "name_field": self[r["name"]],
                "ungraded_field": self[r["ungraded"]],
                "grade_fields": [{"grade": g["grade"], "f": self[g["f"]], "c": self[g["c"]]} for g in r["grades"]],
            }
            for r in self.rules
        ]

    def profile_data(self) -> dict[str, Any]:
        """The edited profile: the stored rules with the new names, frequencies, caps and ungraded grades."""
        d = self.cleaned_data
        rules = []
        for r in self.rules:
            rule = dict(r["rule"])
            rule["name"] = d[r["name"]]
            rule["ungraded"] = d[r["ungraded"]]
            rule["frequency"] = {g["grade"]: d[g["f"]] for g in r["grades"]}
            rule["cap"] = {g["grade"]: d[g["c"]] for g in r["grades"]}
            rules.append(rule)
        return {"rules": rules, "key_rules": list(d.get("key_rules") or [])}


# --- declared relations (回避, issue 13 item 5) ---------------------------------------------------------
class RelationForm(forms.Form):
    enterprise = forms.CharField(label="单位（统一社会信用代码或台账编号）", max_length=30, error_messages={"required": "请填写单位的统一社会信用代码或台账编号。"})
    kind = forms.ChoiceField(label="关系", choices=[("", "请选择"), *RelationKind.choices], error_messages={"required": "请选择关系类别。", "invalid_choice": "请选择关系类别。"})
    description = forms.CharField(label="说明（“其他”须填写）", max_length=300, required=False)


class EndRelationForm(forms.Form):
    reason = forms.CharField(label="终止理由", max_length=300, error_messages={"required": "请填写终止理由。"})
