"""The sample grading profile of LEGAL.md §6 (Shanxi 2025), labelled 示例配置 until a province
configures its own. Data copied here, not imported (STYLE.md 12: no app code in RunPython);
the same data is ``anjian.law.planning.SAMPLE_PROFILE`` (tests/planning hold the two equal)."""

from typing import Any

from django.db import migrations

SAMPLE: dict[str, Any] = {
    "rules": [
        {
            "code": "mine",
            "name": "非煤矿山（按风险等级，A–D由低到高）",
            "groups": ["mine"],
            "features": [],
            "basis": "risk_grade",
            "frequency": {"A": 1, "B": 1, "C": 2, "D": 4},
            "cap": {"A": 1, "B": 1, "C": 2, "D": 4},
            "ungraded": "D",
        },
        {
            "code": "hazchem",
            "name": "危险化学品、金属冶炼（按标准化等级）",
            "groups": ["hazchem"],
            "features": ["metal_smelting"],
            "basis": "standardization",
            "frequency": {"1": 2, "2": 4, "3": 8, "none": 12},
            "cap": {"1": 2, "2": 4, "3": 8, "none": 12},
            "ungraded": "none",
        },
        {
            "code": "other",
            "name": "其他行业（按标准化等级）",
            "groups": [],
            "features": [],
            "basis": "standardization",
            "frequency": {"1": 1, "2": 2, "3": 4, "none": 6},
            "cap": {"1": 1, "2": 2, "3": 4, "none": 6},
            "ungraded": "none",
        },
    ],
    "key_rules": ["major_hazard_source", "open_major_hazard", "tailings_pond", "underground_mine", "worst_grade"],
}


def forwards(apps: Any, schema_editor: Any) -> None:
    GradingProfile = apps.get_model("planning", "GradingProfile")
    GradingProfile.objects.get_or_create(
        code="sample-shanxi-2025",
        defaults={
            "name": "分级检查频次与上限（山西2025）",
            "province": "",
            "is_sample": True,
            "source": "示例配置：山西2025分级分类检查频次上限（国办发〔2024〕54号要求各地公布）；计划频次暂取上限值，请按本省规定调整",
            "data": SAMPLE,
            "active": True,
        },
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("planning", "GradingProfile").objects.filter(code="sample-shanxi-2025").delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
