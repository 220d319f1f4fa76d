"""Sector and feature codes shared by the whole project (GLOSSARY.md, "Enterprises").

The codes are stable identifiers stored in the database and in the rule data
(``rules/major_hazards.yaml``); the Chinese names are what users see. Other apps import these
mappings instead of repeating the lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Final

from anjian.law.errors import HazardCriteriaError

# 危险化学品 (生产/经营/使用/储存), 非煤矿山 (地下/露天/尾矿库), 工贸 (八个行业)
SECTORS: Final = MappingProxyType(
    {
        "hazchem.production": "危险化学品生产",
        "hazchem.operation": "危险化学品经营",
        "hazchem.use": "危险化学品使用",
        "hazchem.storage": "危险化学品储存",
        "mine.underground": "地下矿山",
        "mine.openpit": "露天矿山",
        "mine.tailings": "尾矿库",
        "industry.metallurgy": "冶金",
        "industry.nonferrous": "有色",
        "industry.building_materials": "建材",
        "industry.machinery": "机械",
        "industry.light": "轻工",
        "industry.textile": "纺织",
        "industry.tobacco": "烟草",
        "industry.commerce": "商贸",
    }
)

# Cross-cutting enterprise features (工贸专项领域 and 涉危化品使用)
FEATURES: Final = MappingProxyType(
    {
        "dust_explosion": "粉尘涉爆",
        "ammonia_refrigeration": "涉氨制冷",
        "confined_space": "有限空间作业",
        "deep_well_casting": "深井铸造",
        "metal_smelting": "金属冶炼",
        "hazchem_use": "涉危险化学品使用",
    }
)

SECTOR_GROUPS: Final = MappingProxyType(
    {
        "hazchem": "危险化学品",
        "mine": "非煤矿山",
        "industry": "工贸",
    }
)

INDUSTRY_SECTORS: Final = tuple(code for code in SECTORS if code.startswith("industry."))
HAZCHEM_SECTORS: Final = tuple(code for code in SECTORS if code.startswith("hazchem."))
MINE_SECTORS: Final = tuple(code for code in SECTORS if code.startswith("mine."))


def sector_group(code: str) -> str:
    """The group (``hazchem``, ``mine``, ``industry``) of a sector code."""
    check_sectors([code])
    return code.split(".", 1)[0]


def check_sectors(codes: Iterable[str]) -> frozenset[str]:
    """Validate sector codes; an unknown code raises an error naming it."""
    result = frozenset(codes)
    unknown = sorted(result - SECTORS.keys())
    if unknown:
        raise HazardCriteriaError(f"未知的行业代码：{'、'.join(unknown)}", field="sectors", code="unknown_sector")
    return result


def check_features(codes: Iterable[str]) -> frozenset[str]:
    """Validate feature codes; an unknown code raises an error naming it."""
    result = frozenset(codes)
    unknown = sorted(result - FEATURES.keys())
    if unknown:
        raise HazardCriteriaError(f"未知的企业特征代码：{'、'.join(unknown)}", field="features", code="unknown_feature")
    return result
