"""The demo city behind ``anjian demo``: 烟台市, its 11 county-level districts and one functional zone.

What it builds, all fictitious except the place names and division codes:

* the jurisdictions (the city, 11 districts, 烟台经济技术开发区 as a zone) and one bureau each, with
  departments, ≈100 staff (civil servants, a few experts and auxiliary staff who never get the
  officer role), dated memberships, 负责人/主要负责人 designations, enforcement certificates with
  dated events (some expired, some suspended) and one login per role (:data:`PERSONAS`);
* the ledger: units across every sector with plausible proportions, sites, licences, key
  personnel, chemical parks, major hazard sources, planned enforcement subjects and a few
  declared status changes.

The organisation is small and goes through the org services (validated and audited). The ledger
must reach 100,000 units for benchmarks, so it is written with ``bulk_create`` in batches: the
services' per-row checks and audit events would take hours at that scale. The invariants the
services keep are kept here by construction (valid unique credit codes, ``owner_agency`` = the
agency of the jurisdiction, ``search_text`` from :func:`search_text_for`), and the copies on the
unit come from the services' own refreshes (``refresh_classification``, ``refresh_planned_subjects``). Bulk-created rows send no signals, so the units get
no django-simple-history rows; the load as a whole is recorded by ONE AuditEvent (``demo.load``).

Deterministic for a given seed and date: "today" anchors every validity period.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.zh_CN import Provider as ZhPersonProvider

from anjian.core import audit
from anjian.core.choices import JurisdictionKind
from anjian.core.models import Division, Jurisdiction
from anjian.core.validators import USCC_ALPHABET, uscc_check_char
from anjian.enterprises import refdata_loader
from anjian.enterprises.choices import DeclaredStatus, KeyPersonRole, LicenceKind, LicenceStatus, Scale, StandardizationLevel
from anjian.enterprises.models import (
    ChemicalPark,
    Enterprise,
    EnterpriseStatusEvent,
    GradingScheme,
    IndustryClass,
    KeyPerson,
    Licence,
    MajorHazardSource,
    PlannedSubject,
    Sector,
    Site,
)
from anjian.enterprises.search import search_text_for
from anjian.org import services as org_services
from anjian.org.choices import AgencyLevel, CertificateEventKind, DepartmentKind, EnforcementSetup, HeadKind, Role, StaffKind
from anjian.org.models import Agency, Department, Membership, Staff

DEMO_PASSWORD = "demo-2026!"
ADMIN_USERNAME = "admin"
DEFAULT_SEED = 20260101
DEFAULT_ENTERPRISES = 3000
BATCH = 2000
CERT_ISSUER = "山东省人民政府"
FOUNDED = dt.date(2019, 1, 1)  # the bureaus were formed in the 2019 institutional reform


# --- the places -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Area:
    """A district or the zone: its jurisdiction, its bureau, and how its units look."""

    key: str
    code: str  # Jurisdiction.code
    name: str  # 芝罘区 / 龙口市 / 烟台经济技术开发区
    kind: str
    division: str | None  # the division the jurisdiction covers (None for the zone)
    unit_division: str  # the county recorded on units and sites
    agency_name: str
    short_name: str
    doc_abbr: str
    number_prefix: str  # certificate and record numbers
    uscc_regions: tuple[str, ...]
    address_prefix: str
    name_prefixes: tuple[str, ...]
    streets: tuple[str, ...]
    center: tuple[float, float]
    weight: int  # share of the city's units
    mine_weight: int = 0
    enforcement_setup: str = EnforcementSetup.INTERNAL
    extra_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def licence_char(self) -> str:
        return self.doc_abbr.removesuffix("应急")


CITY_CODE = "370600"
CITY_NAME = "烟台市"
CITY_AGENCY = "烟台市应急管理局"

AREAS: tuple[Area, ...] = (
    Area(
        "zhifu", "370602", "芝罘区", JurisdictionKind.DISTRICT, "370602", "370602", "烟台市芝罘区应急管理局", "芝罘区应急局", "芝应急", "370602", ("370602",),
        "山东省烟台市芝罘区", ("烟台", "烟台", "烟台市芝罘区"),
        ("向阳街道", "东山街道", "毓璜顶街道", "通伸街道", "凤凰台街道", "奇山街道", "白石街道", "芝罘岛街道", "黄务街道", "只楚街道", "世回尧街道", "幸福街道"),
        (37.535, 121.385), 11,
    ),
    Area(
        "fushan", "370611", "福山区", JurisdictionKind.DISTRICT, "370611", "370611", "烟台市福山区应急管理局", "福山区应急局", "福应急", "370611", ("370611",),
        "山东省烟台市福山区", ("烟台", "烟台市福山区"),
        ("清洋街道", "福新街道", "东厅街道", "门楼街道", "回里镇", "高疃镇", "张格庄镇"),
        (37.497, 121.267), 8,
    ),
    Area(
        "muping", "370612", "牟平区", JurisdictionKind.DISTRICT, "370612", "370612", "烟台市牟平区应急管理局", "牟平区应急局", "牟应急", "370612", ("370612",),
        "山东省烟台市牟平区", ("烟台", "烟台市牟平区"),
        ("宁海街道", "文化街道", "武宁街道", "大窑街道", "姜格庄街道", "龙泉镇", "观水镇", "莒格庄镇", "高陵镇", "王格庄镇", "水道镇", "玉林店镇"),
        (37.387, 121.601), 7, mine_weight=6,
    ),
    Area(
        "laishan", "370613", "莱山区", JurisdictionKind.DISTRICT, "370613", "370613", "烟台市莱山区应急管理局", "莱山区应急局", "莱山应急", "370613", ("370613",),
        "山东省烟台市莱山区", ("烟台", "烟台市莱山区"),
        ("初家街道", "滨海路街道", "黄海路街道", "院格庄街道", "解甲庄街道", "马山街道"),
        (37.511, 121.445), 8,
    ),
    Area(
        "penglai", "370614", "蓬莱区", JurisdictionKind.DISTRICT, "370614", "370614", "烟台市蓬莱区应急管理局", "蓬莱区应急局", "蓬应急", "370614", ("370614", "370684"),
        "山东省烟台市蓬莱区", ("烟台市蓬莱区", "蓬莱"),
        ("登州街道", "紫荆山街道", "新港街道", "蓬莱阁街道", "南王街道", "刘家沟镇", "大辛店镇", "村里集镇", "北沟镇", "小门家镇", "大柳行镇", "潮水镇"),
        (37.811, 120.759), 8, mine_weight=4,
        extra_words={"industry.light": ("葡萄酒", "酒庄", "葡萄酒业")},
    ),
    Area(
        "longkou", "370681", "龙口市", JurisdictionKind.DISTRICT, "370681", "370681", "龙口市应急管理局", "龙口市应急局", "龙应急", "370681", ("370681",),
        "山东省龙口市", ("龙口市", "龙口", "烟台"),
        ("东莱街道", "龙港街道", "新嘉街道", "徐福街道", "东江街道", "黄山馆镇", "北马镇", "芦头镇", "下丁家镇", "七甲镇", "石良镇", "兰高镇", "诸由观镇"),
        (37.646, 120.478), 12, mine_weight=8, enforcement_setup=EnforcementSetup.EXTERNAL,
        extra_words={"industry.light": ("粉丝", "粉丝食品", "淀粉制品")},
    ),
    Area(
        "laiyang", "370682", "莱阳市", JurisdictionKind.DISTRICT, "370682", "370682", "莱阳市应急管理局", "莱阳市应急局", "莱阳应急", "370682", ("370682",),
        "山东省莱阳市", ("莱阳市", "莱阳", "烟台"),
        ("城厢街道", "古柳街道", "龙旺庄街道", "冯格庄街道", "柏林庄街道", "沐浴店镇", "团旺镇", "穴坊镇", "羊郡镇", "姜疃镇", "万第镇", "照旺庄镇", "河洛镇", "吕格庄镇"),
        (36.978, 120.712), 8,
        extra_words={"industry.light": ("梨业", "果蔬食品", "调味食品")},
    ),
    Area(
        "laizhou", "370683", "莱州市", JurisdictionKind.DISTRICT, "370683", "370683", "莱州市应急管理局", "莱州市应急局", "莱州应急", "370683", ("370683",),
        "山东省莱州市", ("莱州市", "莱州", "烟台"),
        ("文昌路街道", "永安路街道", "三山岛街道", "城港路街道", "文峰路街道", "沙河镇", "朱桥镇", "郭家店镇", "金城镇", "平里店镇", "驿道镇", "程郭镇", "虎头崖镇", "柞村镇", "夏邱镇", "土山镇"),
        (37.177, 119.942), 11, mine_weight=30,
        extra_words={"industry.building_materials": ("石材", "花岗岩石材", "石材工艺品")},
    ),
    Area(
        "zhaoyuan", "370685", "招远市", JurisdictionKind.DISTRICT, "370685", "370685", "招远市应急管理局", "招远市应急局", "招应急", "370685", ("370685",),
        "山东省招远市", ("招远市", "招远", "烟台"),
        ("罗峰街道", "泉山街道", "梦芝街道", "温泉街道", "大秦家街道", "辛庄镇", "蚕庄镇", "金岭镇", "毕郭镇", "玲珑镇", "张星镇", "夏甸镇", "阜山镇", "齐山镇"),
        (37.355, 120.434), 9, mine_weight=35,
        extra_words={"industry.light": ("粉丝", "食品")},
    ),
    Area(
        "qixia", "370686", "栖霞市", JurisdictionKind.DISTRICT, "370686", "370686", "栖霞市应急管理局", "栖霞市应急局", "栖应急", "370686", ("370686",),
        "山东省栖霞市", ("栖霞市", "栖霞", "烟台"),
        ("翠屏街道", "庄园街道", "松山街道", "观里镇", "蛇窝泊镇", "唐家泊镇", "桃村镇", "亭口镇", "臧家庄镇", "寺口镇", "苏家店镇", "杨础镇", "西城镇", "官道镇", "庙后镇"),
        (37.335, 120.850), 5, mine_weight=12,
        extra_words={"industry.light": ("苹果", "果品", "果汁饮品")},
    ),
    Area(
        "haiyang", "370687", "海阳市", JurisdictionKind.DISTRICT, "370687", "370687", "海阳市应急管理局", "海阳市应急局", "海应急", "370687", ("370687",),
        "山东省海阳市", ("海阳市", "海阳", "烟台"),
        ("方圆街道", "东村街道", "凤城街道", "龙山街道", "留格庄镇", "盘石店镇", "郭城镇", "徐家店镇", "发城镇", "小纪镇", "行村镇", "辛安镇", "二十里店镇", "朱吴镇"),
        (36.776, 121.159), 6, mine_weight=5,
    ),
    # The zone has its own bureau but no division of its own: its territory was carved out of
    # 福山区, so its units and sites record the county 370611; the zone's jurisdiction lists
    # 370611 among the divisions it (partly) covers, and its code is not a division code.
    # Units registered in the zone carry the city's registration region (the market-regulation
    # branch in the zone is part of the city bureau) or, for older ones, 福山区's.
    Area(
        "kfq", "370600-KFQ", "烟台经济技术开发区", JurisdictionKind.ZONE, None, "370611", "烟台经济技术开发区应急管理局", "开发区应急局", "烟开应急", "370690", ("370600", "370600", "370600", "370611"),
        "山东省烟台经济技术开发区", ("烟台", "烟台开发区", "烟台经济技术开发区"),
        ("黄河路街道", "长江路街道", "福莱山街道", "古现街道", "大季家街道", "八角街道"),
        (37.561, 121.247), 9,
    ),
)
AREA_BY_KEY = {a.key: a for a in AREAS}

# Chemical parks (graded A–D; for parks A is the highest risk), with hazchem units inside.
PARKS: tuple[tuple[str, str, str], ...] = (
    ("龙口裕龙石化产业园", "longkou", "A"),
    ("烟台化工产业园", "kfq", "B"),
    ("莱阳经济开发区化工产业园", "laiyang", "C"),
    ("海阳化工产业园", "haiyang", "D"),
)


# --- the people who log in ------------------------------------------------------------------------
@dataclass(frozen=True)
class Persona:
    username: str
    area: str  # "city" or an Area.key
    roles: tuple[str, ...]
    department: str | None  # department name within the agency (None = the leadership)
    title: str
    kind: str = StaffKind.CIVIL_SERVANT
    head: str | None = None  # HeadKind designation held


PERSONAS: tuple[Persona, ...] = (
    Persona("city_leader", "city", (Role.LEADER,), None, "局长", head=HeadKind.PRINCIPAL_HEAD),
    Persona("city_depthead", "city", (Role.DEPT_HEAD, Role.OFFICER), "危化监管科", "科长"),
    Persona("city_officer", "city", (Role.OFFICER,), "执法支队", "执法队员"),
    Persona("city_legal", "city", (Role.LEGAL_REVIEWER,), "法规科", "法制审核员"),
    # 三员分立 (issue 10, item 9): the city bureau's security and audit administrators (its system
    # administrator is the office director of the roster below; zhifu_admin is a district's).
    Persona("city_security", "city", (Role.SECURITY_ADMIN,), "办公室", "安全管理员"),
    Persona("city_audit", "city", (Role.AUDIT_ADMIN,), "办公室", "审计管理员"),
    Persona("zhifu_leader", "zhifu", (Role.LEADER,), None, "局长", head=HeadKind.PRINCIPAL_HEAD),
    Persona("zhifu_depthead", "zhifu", (Role.DEPT_HEAD, Role.OFFICER), "危化监管科", "科长"),
    Persona("zhifu_officer", "zhifu", (Role.OFFICER,), "执法大队", "执法队员"),
    Persona("zhifu_officer2", "zhifu", (Role.OFFICER,), "执法大队", "执法队员"),
    Persona("zhifu_supervisor", "zhifu", (Role.SUPERVISOR,), "工贸监管科", "科员"),
    Persona("zhifu_legal", "zhifu", (Role.LEGAL_REVIEWER,), "法规科", "法制审核员"),
    Persona("zhifu_office", "zhifu", (Role.OFFICE,), "办公室", "科员"),
    Persona("zhifu_admin", "zhifu", (Role.ADMIN,), "办公室", "信息化管理员"),
    # The district bureau administers its own people too (org pages: role grants, unlocks; the audit).
    Persona("zhifu_security", "zhifu", (Role.SECURITY_ADMIN,), "办公室", "安全管理员"),
    Persona("zhifu_audit", "zhifu", (Role.AUDIT_ADMIN,), "办公室", "审计管理员"),
    Persona("zhifu_expert", "zhifu", (), None, "安全生产专家", kind=StaffKind.EXPERT),
    Persona("fushan_officer", "fushan", (Role.OFFICER,), "执法大队", "执法队员"),
    Persona("fushan_depthead", "fushan", (Role.DEPT_HEAD, Role.OFFICER), "工贸监管科", "科长"),
    Persona("kfq_officer", "kfq", (Role.OFFICER,), "执法大队", "执法队员"),
)
# Roles that need an enforcement certificate to be of any use.
_CERT_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.DEPT_HEAD, Role.LEADER}


@dataclass(frozen=True)
class Slot:
    """A non-login post in an agency's roster."""

    department: str | None
    title: str
    roles: tuple[str, ...]
    kind: str = StaffKind.CIVIL_SERVANT
    head: str | None = None


_CITY_ROSTER = (
    Slot(None, "副局长", (Role.LEADER, Role.OFFICER), head=HeadKind.HEAD),
    Slot("危化监管科", "科员", (Role.SUPERVISOR, Role.OFFICER)),
    Slot("非煤矿山监管科", "科长", (Role.DEPT_HEAD, Role.OFFICER)),
    Slot("工贸监管科", "科长", (Role.DEPT_HEAD, Role.OFFICER)),
    Slot("执法支队", "支队长", (Role.DEPT_HEAD, Role.OFFICER)),
    Slot("执法支队", "执法队员", (Role.OFFICER,)),
    Slot("法规科", "科长", (Role.DEPT_HEAD, Role.LEGAL_REVIEWER)),
    Slot("办公室", "主任", (Role.OFFICE, Role.ADMIN)),
    Slot(None, "非煤矿山专家", (), kind=StaffKind.EXPERT),
    Slot(None, "危险化学品专家", (), kind=StaffKind.EXPERT),
)
_ZHIFU_ROSTER = (
    Slot(None, "副局长", (Role.LEADER,), head=HeadKind.HEAD),
    Slot("工贸监管科", "科长", (Role.DEPT_HEAD, Role.OFFICER)),
    Slot("执法大队", "大队长", (Role.DEPT_HEAD, Role.OFFICER)),
    Slot("执法大队", "执法队员", (Role.OFFICER,)),
    Slot("执法大队", "执法辅助人员", (), kind=StaffKind.AUXILIARY),
    Slot("执法大队", "执法辅助人员", (), kind=StaffKind.AUXILIARY),
)
_FUSHAN_ROSTER = (
    Slot(None, "局长", (Role.LEADER,), head=HeadKind.PRINCIPAL_HEAD),
    Slot(None, "副局长", (Role.LEADER, Role.OFFICER), head=HeadKind.HEAD),
    Slot("危化监管科", "科员", (Role.SUPERVISOR, Role.OFFICER)),
    Slot("执法大队", "执法队员", (Role.OFFICER,)),
    Slot("法规科", "法制审核员", (Role.LEGAL_REVIEWER,)),
    Slot(None, "安全生产专家", (), kind=StaffKind.EXPERT),
    Slot("执法大队", "执法辅助人员", (), kind=StaffKind.AUXILIARY),
)
_KFQ_ROSTER = (
    Slot(None, "局长", (Role.LEADER,), head=HeadKind.PRINCIPAL_HEAD),
    Slot(None, "副局长", (Role.LEADER, Role.OFFICER), head=HeadKind.HEAD),
    Slot("危化监管科", "科长", (Role.DEPT_HEAD, Role.OFFICER)),
    Slot("执法大队", "执法队员", (Role.OFFICER,)),
    Slot("法规科", "法制审核员", (Role.LEGAL_REVIEWER,)),
    Slot("办公室", "科员", (Role.OFFICE,)),
    Slot("执法大队", "执法辅助人员", (), kind=StaffKind.AUXILIARY),
)


def _small_roster(area: Area) -> tuple[Slot, ...]:
    sup = "非煤矿山监管科" if area.mine_weight >= 10 else "危化监管科"
    slots = [
        Slot(None, "局长", (Role.LEADER,), head=HeadKind.PRINCIPAL_HEAD),
        Slot(None, "副局长", (Role.LEADER, Role.OFFICER), head=HeadKind.HEAD),
        Slot(sup, "科长", (Role.DEPT_HEAD, Role.OFFICER)),
        Slot("执法大队", "执法队员", (Role.OFFICER,)),
        Slot("法规科", "法制审核员", (Role.LEGAL_REVIEWER,)),
    ]
    if area.mine_weight >= 10:
        slots.append(Slot(None, "非煤矿山专家", (), kind=StaffKind.EXPERT))
    if area.key == "zhaoyuan":
        slots.append(Slot("执法大队", "执法辅助人员", (), kind=StaffKind.AUXILIARY))
    return tuple(slots)


def _roster(key: str) -> tuple[Slot, ...]:
    if key == "city":
        return _CITY_ROSTER
    return {"zhifu": _ZHIFU_ROSTER, "fushan": _FUSHAN_ROSTER, "kfq": _KFQ_ROSTER}.get(key) or _small_roster(AREA_BY_KEY[key])


def _departments(key: str) -> list[tuple[str, str, str, str]]:
    """(name, kind, sector_group, setup) of an agency's departments."""
    enf: tuple[str, str]
    if key == "city":
        enf = ("执法支队", EnforcementSetup.EXTERNAL)
        mines = True
    else:
        area = AREA_BY_KEY[key]
        enf = ("执法大队", area.enforcement_setup)
        mines = area.mine_weight > 0
    out: list[tuple[str, str, str, str]] = [("危化监管科", DepartmentKind.SUPERVISION, "hazchem", "")]
    if mines:
        out.append(("非煤矿山监管科", DepartmentKind.SUPERVISION, "mine", ""))
    out += [
        ("工贸监管科", DepartmentKind.SUPERVISION, "industry", ""),
        (enf[0], DepartmentKind.ENFORCEMENT, "", enf[1]),
        ("办公室", DepartmentKind.OFFICE, "", ""),
        ("法规科", DepartmentKind.LEGAL, "", ""),
    ]
    return out


# --- the ledger's vocabulary ----------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    sector: str | None  # None = not yet classified
    weight: int
    words: tuple[str, ...]
    industries: tuple[str, ...]
    site: str
    scales: tuple[int, int, int, int]  # large, medium, small, micro
    standard: tuple[int, int, int, int]  # level 1, 2, 3, none
    features: tuple[tuple[str, float], ...] = ()
    specials: int = 0  # up to this many special-operation workers
    special_kinds: tuple[str, ...] = ()


_ELEC = ("低压电工作业", "熔化焊接与热切割作业", "高处安装、维护、拆除作业")
PROFILES: tuple[Profile, ...] = (
    Profile("industry.machinery", 274, ("机械", "机械制造", "重工机械", "汽车零部件", "精密机械", "机电设备", "液压机械", "锻造", "五金制品", "金属制品", "船舶配件", "轴承", "阀门", "模具"),
            ("33", "34", "35", "36", "37", "38", "43"), "厂区", (2, 10, 50, 38), (0, 4, 30, 66),
            (("dust_explosion", 0.15), ("confined_space", 0.15), ("hazchem_use", 0.08)), 2, _ELEC),
    Profile("industry.light", 240, ("食品", "水产食品", "海洋食品", "果蔬食品", "木业", "家具", "纸业", "塑料制品", "印刷", "包装制品", "饮品", "面粉", "饲料", "橡胶制品"),
            ("13", "14", "15", "20", "21", "22", "23", "29"), "厂区", (1, 8, 48, 43), (0, 3, 30, 67),
            (("dust_explosion", 0.18), ("ammonia_refrigeration", 0.10), ("confined_space", 0.30)), 2, (*_ELEC, "制冷与空调设备运行操作作业")),
    Profile("industry.commerce", 140, ("商贸", "物流", "冷链物流", "超市", "商场", "购物广场", "仓储"),
            ("51", "52", "59"), "经营场所", (1, 5, 40, 54), (0, 1, 15, 84),
            (("ammonia_refrigeration", 0.04), ("confined_space", 0.05)), 1, ("低压电工作业", "制冷与空调设备运行操作作业")),
    Profile("industry.building_materials", 100, ("建材", "水泥制品", "新型建材", "混凝土", "陶瓷", "玻璃制品", "耐火材料", "保温材料"),
            ("30",), "厂区", (2, 12, 55, 31), (0, 5, 40, 55),
            (("dust_explosion", 0.10), ("confined_space", 0.35)), 2, _ELEC),
    Profile("industry.textile", 45, ("纺织", "服饰", "针织", "家纺", "制衣"),
            ("17", "18"), "厂区", (1, 10, 55, 34), (0, 3, 30, 67),
            (("dust_explosion", 0.12), ("confined_space", 0.05)), 1, _ELEC),
    Profile("industry.nonferrous", 25, ("铝业", "铜业", "有色金属", "黄金冶炼", "合金材料"),
            ("32",), "厂区", (5, 20, 50, 25), (1, 10, 45, 44),
            (("metal_smelting", 0.6), ("deep_well_casting", 0.25), ("dust_explosion", 0.2), ("confined_space", 0.4)), 3, (*_ELEC, "煤气作业")),
    Profile("industry.metallurgy", 20, ("特钢", "钢铁", "铸造", "冶金材料"),
            ("31",), "厂区", (5, 25, 50, 20), (1, 10, 45, 44),
            (("metal_smelting", 0.7), ("deep_well_casting", 0.15), ("confined_space", 0.5)), 3, (*_ELEC, "煤气作业")),
    Profile("industry.tobacco", 1, ("烟叶复烤", "卷烟物流"), ("16",), "厂区", (10, 60, 30, 0), (5, 60, 35, 0), (("dust_explosion", 0.5),), 1, _ELEC),
    Profile("hazchem.production", 30, ("化工", "精细化工", "化学", "新材料", "石油化工", "医药化工", "化学品", "生物化工"),
            ("25", "26", "27"), "厂区", (8, 25, 55, 12), (3, 35, 45, 17),
            (("confined_space", 0.6),), 4, ("氯化工艺作业", "加氢工艺作业", "聚合工艺作业", "磺化工艺作业", "硝化工艺作业", "化工自动化控制仪表作业", "低压电工作业")),
    Profile("hazchem.operation", 60, ("化工贸易", "化工商贸", "燃气", "能源", "石油销售", "液化气供应"),
            ("51", "52"), "经营场所", (0, 2, 38, 60), (0, 2, 50, 48), (), 1, ("低压电工作业",)),
    Profile("hazchem.use", 20, ("新材料科技", "表面处理", "电镀", "药业", "涂装"),
            ("26", "27", "28", "29"), "厂区", (3, 20, 55, 22), (0, 15, 50, 35),
            (("confined_space", 0.4), ("hazchem_use", 0.9)), 2, ("低压电工作业", "化工自动化控制仪表作业")),
    Profile("hazchem.storage", 10, ("化工仓储", "石化储运", "危险品物流"),
            ("59",), "库区", (3, 25, 55, 17), (0, 30, 50, 20), (("confined_space", 0.5),), 2, ("低压电工作业",)),
    Profile("mine.underground", 7, ("矿业", "黄金矿业", "金矿"),
            ("09", "10"), "矿区", (10, 40, 45, 5), (0, 30, 55, 15), (), 4,
            ("金属非金属矿井通风作业", "金属非金属矿山提升机操作作业", "金属非金属矿山支柱作业", "金属非金属矿山排水作业", "金属非金属矿山安全检查作业", "金属非金属矿山爆破作业")),
    Profile("mine.openpit", 6, ("石材", "采石", "石料", "矿业"),
            ("10",), "矿区", (0, 20, 60, 20), (0, 20, 60, 20), (), 2, ("金属非金属矿山安全检查作业", "金属非金属矿山爆破作业", "金属非金属矿山排水作业")),
    Profile("mine.tailings", 2, ("矿业", "黄金矿业"), ("09",), "尾矿库", (5, 40, 50, 5), (0, 30, 55, 15), (), 2, ("尾矿作业", "金属非金属矿山安全检查作业")),
    Profile(None, 20, ("科技", "实业", "贸易", "工程"), ("44", "51", "72"), "经营场所", (0, 3, 40, 57), (0, 0, 5, 95), (), 0),
)

# Neutral characters for fictitious trade names; combinations that are famous brands are refused.
_TRADE_CHARS = "瑞泓鑫恒宸禾骏昇铭朗峰润祥盛达晟弘锦源泰宏嘉信诚隆通旭辰丰益圣裕博远宁天正金宝德聚汇联华兴利永安康乐景凯杰森林川岳湾澜榕蓝翔鹏腾淼钧朔琪煜灿蔚沐麟"
FAMOUS_TRADE_NAMES = frozenset(
    "万华 张裕 杰瑞 冰轮 恒邦 招金 玲珑 南山 鲁花 龙大 道恩 泰和 睿创 东诚 荣昌 绿叶 正海 喜旺 中宠 三环 持久 丛林 中集 宝钢 华为 海尔 海信 海天 "
    "华润 华能 华电 华联 联华 新华 中华 正泰 汇源 永辉 益海 金龙 华泰 信达 宏达 远大 金宝 天正 德力 达利 旭辉 安泰 泰康 联通 兴业 天安 华信 恒信 "
    "安康 康乐 金利 利华 鑫泰 圣达 宏源 天润 德宝 金川 宝德 博华 华宝 宁德 凯盛 盛达 泰达 天华 恒瑞 华兴 金源 天宝 恒泰 隆基 通威 天合 宝丰 "
    "华天 泰禾 康泰 天康 华康 恒康 腾达 汇丰 恒丰 益丰 华源 恒源 润丰 安信 诚通 永达 永泰 永安 安盛 华安 森达 隆鑫 信诚 金正 嘉华 宏发 华丰".split()
)
_ROADS = ("工业路", "兴业路", "创业路", "振华街", "建设路", "环山路", "青年路", "开发大街", "富民路", "民生路", "迎宾路", "通达路", "金山路", "长青路", "和平路", "胜利路", "海滨路", "滨河路", "科技大道", "物流大道", "松岭路", "泰山路", "珠江路", "淮河路", "秀林路")
_VILLAGE_MID = ("家", "格", "家", "家")
_VILLAGE_END = ("庄", "疃", "沟", "夼", "泊", "洼")
_STOP_REASONS = ("季节性停产", "市场订单不足，暂时停产", "设备检修停产", "厂区搬迁改造，暂时停产", "环保治理停产", "技术改造停产", "受原料供应影响停产")
_CLOSE_REASONS = ("营业执照已注销", "企业已关闭，设备已拆除", "政策性关闭退出", "转产，原生产线已拆除")

# Major hazard substances: threshold quantity (t) per GB 18218-2018.
_SUBSTANCES: dict[str, float] = {
    "液氨": 10, "液氯": 5, "甲醇": 500, "汽油": 200, "液化石油气": 50, "苯": 50, "环氧乙烷": 10, "氢气": 5,
    "丙烯": 10, "硫化氢": 5, "甲苯": 500, "乙醇": 500, "丙酮": 500, "天然气": 50, "氯乙烯": 50,
}
_SUBSTANCES_BY_SECTOR = {
    "hazchem.production": ("甲醇", "液氨", "液氯", "苯", "丙烯", "环氧乙烷", "氢气", "甲苯", "丙酮", "氯乙烯", "硫化氢"),
    "hazchem.storage": ("汽油", "甲醇", "乙醇", "液化石油气", "甲苯", "丙酮"),
    "hazchem.operation": ("液化石油气", "汽油", "天然气"),
    "hazchem.use": ("液氯", "液氨", "甲醇", "氢气"),
    "industry.light": ("液氨",),
    "industry.commerce": ("液氨",),
}
# (share of units with sources, max sources per unit)
_HAZARD_SHARE = {"hazchem.production": (0.45, 3), "hazchem.storage": (0.6, 2), "hazchem.use": (0.12, 1), "hazchem.operation": (0.08, 1)}
_LEVEL_WEIGHTS = ((1, 8), (2, 17), (3, 35), (4, 40))
_LEVEL_RATIO = {1: (50.0, 200.0), 2: (10.0, 50.0), 3: (3.0, 10.0), 4: (1.0, 3.0)}
_GRADE_WEIGHTS = {"hazchem": (5, 15, 40, 40), "mine": (30, 40, 20, 10), "general": (3, 12, 35, 50)}
_EMPLOYEES = {Scale.LARGE: (1000, 4800), Scale.MEDIUM: (300, 999), Scale.SMALL: (20, 299), Scale.MICRO: (3, 19)}
_ID_REGIONS = ("370602", "370611", "370612", "370613", "370614", "370681", "370682", "370683", "370685", "370686", "370687", "370684", "370202", "370702", "371002", "370902", "371302")


# --- small generators -----------------------------------------------------------------------------
class _People:
    """Fast fictitious names, ID numbers and phone numbers (Faker's zh_CN name lists, own ID digits)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        lasts = ZhPersonProvider.last_names
        self.last_names = list(lasts.keys())
        self.last_cum = list(itertools.accumulate(lasts.values()))
        self.single = [n for n in ZhPersonProvider.first_names if len(n) == 1]
        self.double = [n for n in ZhPersonProvider.first_names if len(n) == 2]

    def surname(self) -> str:
        return self.rng.choices(self.last_names, cum_weights=self.last_cum)[0]

    def name(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            given = self.rng.choice(self.single)
        elif r < 0.85:
            given = self.rng.choice(self.single) + self.rng.choice(self.single)
        else:
            given = self.rng.choice(self.double)
        return self.surname() + given

    def id_number(self, today: dt.date) -> str:
        """A valid 18-digit 身份证号 (GB 11643) of an adult aged 22–62, mostly born in the region."""
        rng = self.rng
        born = today - dt.timedelta(days=rng.randrange(22 * 365 + 5, 62 * 365))
        body = f"{rng.choice(_ID_REGIONS)}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
        total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
        return body + "10X98765432"[total % 11]

    def mobile(self) -> str:
        rng = self.rng
        return f"1{rng.choice('35789')}{rng.randrange(10)}{rng.randrange(10**8):08d}"


_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714: 8 digits and its check character)."""
    body = str(rng.randrange(10**7, 10**8))
    c = 11 - sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def make_uscc(rng: random.Random, kind: str, region: str) -> str:
    """A valid 统一社会信用代码 (GB 32100): kind (91, 92, 12, N2 …) + region + subject id + check."""
    if rng.random() < 0.45:
        subject = _org_code(rng)  # a unit registered before 2015 keeps its old organisation code
    else:
        subject = "MA" + rng.choice("379CD") + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    body = kind + region + subject
    return body + uscc_check_char(body)


def _pick(rng: random.Random, options: Sequence[Any], weights: Sequence[float]) -> Any:
    return rng.choices(options, weights)[0]


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    days = (end - start).days
    return start + dt.timedelta(days=rng.randrange(days + 1)) if days > 0 else start


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Login:
    username: str
    agency: str
    roles: tuple[str, ...]
    staff_name: str = ""

    @property
    def role_labels(self) -> str:
        if self.username == ADMIN_USERNAME:
            return "Django超级用户（/admin/；仅供开发，生产模式下不能登录）"
        if not self.roles:
            return "（无角色：专家）"
        return "、".join(f"{Role(r).label}({r})" for r in self.roles)


@dataclass
class DemoResult:
    created: bool
    seed: int
    counts: dict[str, int]
    logins: list[Login]
    seconds: float = 0.0


def has_data() -> bool:
    return Agency.objects.exists()


def current_logins() -> list[Login]:
    """The demo logins as they stand in the database (used by ``--if-empty`` and after a load)."""
    User = get_user_model()
    wanted = [p.username for p in PERSONAS]
    users = {u.username: u for u in User.objects.filter(username__in=[*wanted, ADMIN_USERNAME])}
    day = timezone.localdate()
    out: list[Login] = []
    if ADMIN_USERNAME in users:
        out.append(Login(ADMIN_USERNAME, "—", ()))
    memberships = {
        m.staff.user_id: m
        for m in Membership.objects.valid_on(day).filter(staff__user__username__in=wanted).select_related("agency", "staff").prefetch_related("role_grants")
    }
    for name in wanted:
        user = users.get(name)
        if user is None:
            continue
        m = memberships.get(user.pk)
        if m is None:
            out.append(Login(name, "（无有效任职）", ()))
        else:
            out.append(Login(name, m.agency.name, tuple(sorted(m.roles)), m.staff.name))
    return out


def ensure_refdata() -> bool:
    """Load the reference data when it is missing. True when something was loaded."""
    needed = ["370600", *(a.unit_division for a in AREAS)]
    if (
        Sector.objects.exists()
        and IndustryClass.objects.exists()
        and GradingScheme.objects.filter(code__in=["mine", "hazchem", "general"]).count() == 3
        and Division.objects.filter(code__in=needed).count() == len(set(needed))
    ):
        return False
    refdata_loader.load_all()
    return True


# --- the organisation -----------------------------------------------------------------------------
@dataclass
class _Org:
    city: Jurisdiction
    agency_city: Agency
    jurisdictions: dict[str, Jurisdiction]  # Area.key → jurisdiction
    agencies: dict[str, Agency]  # "city" / Area.key → agency
    counts: Counter[str]


def _remedies(area: Area | None) -> dict[str, str]:
    """The reconsideration body and the court the bureau's decisions name (行政处罚法 §59 ¶1(5)).

    A bureau is a working department of its government: the government at its level handles the
    reconsideration (行政复议法 2023 §24 ¶1(1)); the lawsuit goes to the basic court where the bureau
    sits (行政诉讼法 §14, §18 ¶1). The city bureau sits in 莱山区 (its demo address). The zone's
    bureau works under the management committee, a body sent by the city government: the demo names
    烟台市人民政府 and the zone's own basic court. Demo values; each bureau confirms its own in the admin.
    """
    if area is None:
        return {"review_body": "烟台市人民政府", "court": "烟台市莱山区人民法院", "payment_place": PAYMENT_PLACE}
    if area.kind == JurisdictionKind.ZONE:
        return {"review_body": "烟台市人民政府", "court": f"{area.name}人民法院", "payment_place": PAYMENT_PLACE}
    place = f"{CITY_NAME}{area.name}" if area.name.endswith("区") else area.name  # 烟台市芝罘区 / 龙口市
    return {"review_body": f"{place}人民政府", "court": f"{place}人民法院", "payment_place": PAYMENT_PLACE}


# 罚缴分离 (行政处罚法 §67): the party pays at a collecting bank or electronically, never to the bureau.
PAYMENT_PLACE = "山东省非税收入电子缴款平台或者代收银行营业网点（凭缴款码缴纳）"


def _build_org(*, rng: random.Random, fake: Faker, today: dt.date, admin: Any) -> _Org:
    counts: Counter[str] = Counter()
    divisions = Division.objects.in_bulk([CITY_CODE, *(a.division or a.unit_division for a in AREAS)])
    city = Jurisdiction.objects.create(code=CITY_CODE, name=CITY_NAME, kind=JurisdictionKind.CITY, valid_from=FOUNDED)
    city.divisions.add(divisions[CITY_CODE])
    agency_city = Agency.objects.create(
        name=CITY_AGENCY, short_name="市应急局", doc_abbr="烟应急", level=AgencyLevel.CITY, jurisdiction=city, **_remedies(None),
        address=f"山东省烟台市莱山区{rng.choice(_ROADS)}{rng.randrange(1, 300)}号", phone=f"0535-6{rng.randrange(10**6):06d}",
    )
    jurisdictions: dict[str, Jurisdiction] = {}
    agencies: dict[str, Agency] = {"city": agency_city}
    for area in AREAS:
        j = Jurisdiction.objects.create(code=area.code, name=area.name, kind=area.kind, parent=city, valid_from=FOUNDED)
        # A zone covers part of the county it was carved from: listing that county lets the
        # zone's bureau register (and import) the units on its territory.
        j.divisions.add(divisions[area.division or area.unit_division])
        jurisdictions[area.key] = j
        agencies[area.key] = Agency.objects.create(
            name=area.agency_name, short_name=area.short_name, doc_abbr=area.doc_abbr,
            level=AgencyLevel.ZONE if area.kind == JurisdictionKind.ZONE else AgencyLevel.DISTRICT,
            jurisdiction=j, parent=agency_city, **_remedies(area),
            address=f"{area.address_prefix}{rng.choice(area.streets)}{rng.choice(_ROADS)}{rng.randrange(1, 300)}号", phone=f"0535-{rng.randrange(2, 9)}{rng.randrange(10**6):06d}",
        )
    counts["jurisdictions"] = 1 + len(AREAS)
    counts["agencies"] = len(agencies)

    departments: dict[tuple[str, str], Department] = {}
    for key, agency in agencies.items():
        for name, kind, group, setup in _departments(key):
            departments[(key, name)] = Department.objects.create(agency=agency, name=name, kind=kind, sector_group=group, setup=setup)
    counts["departments"] = len(departments)

    User = get_user_model()
    cert_seq = Counter[str]()
    legal_seq = [0]
    holders: list[tuple[Staff, str, bool]] = []  # (staff, agency key, is a login persona)

    def prefix_of(key: str) -> str:
        return CITY_CODE if key == "city" else AREA_BY_KEY[key].number_prefix

    def add_person(key: str, *, roles: Sequence[str], department: str | None, title: str, kind: str, head: str | None, username: str | None, since: dt.date) -> Staff:
        gender = rng.choice("MF")
        name = fake.name_male() if gender == "M" else fake.name_female()
        user = None
        if username:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=name)
        legal_no = ""
        if Role.LEGAL_REVIEWER in roles and key != "laiyang":  # 莱阳's reviewer has not qualified yet
            legal_seq[0] += 1
            legal_no = f"A{rng.randrange(2008, 2020)}{prefix_of(key)}{legal_seq[0]:04d}"
        staff = org_services.staff_create(actor=admin, name=name, kind=kind, user=user, gender=gender, phone=f"0535-{rng.randrange(2, 9)}{rng.randrange(10**6):06d}", legal_qualification_no=legal_no, agency=agencies[key])
        dept = departments[(key, department)] if department else None
        roles = list(roles) if kind == StaffKind.CIVIL_SERVANT else []  # experts and auxiliary staff never act as officers
        org_services.membership_create(actor=admin, staff=staff, agency=agencies[key], roles=roles, valid_from=since, department=dept, title=title)
        if head:
            org_services.agency_head_designate(actor=admin, agency=agencies[key], staff=staff, kind=head, valid_from=since)
            counts["agency_heads"] += 1
        if kind == StaffKind.CIVIL_SERVANT and _CERT_ROLES.intersection(roles):
            holders.append((staff, key, bool(username)))
        counts[f"staff_{kind}"] += 1
        return staff

    # The city's former principal head, succeeded by city_leader on 2024-04-01.
    former = org_services.staff_create(actor=admin, name=fake.name_male(), kind=StaffKind.CIVIL_SERVANT, gender="M", agency=agency_city)
    org_services.membership_create(actor=admin, staff=former, agency=agency_city, roles=[Role.LEADER], valid_from=FOUNDED, valid_to=dt.date(2024, 3, 31), title="局长（已离任）")
    org_services.agency_head_designate(actor=admin, agency=agency_city, staff=former, kind=HeadKind.PRINCIPAL_HEAD, valid_from=FOUNDED)
    counts["staff_civil_servant"] += 1
    counts["agency_heads"] += 1

    for p in PERSONAS:
        since = dt.date(2024, 4, 1) if p.username == "city_leader" else _between(rng, FOUNDED, dt.date(2023, 12, 31))
        add_person(p.area, roles=p.roles, department=p.department, title=p.title, kind=p.kind, head=p.head, username=p.username, since=since)
    for key in ["city", *(a.key for a in AREAS)]:
        for slot in _roster(key):
            since = _between(rng, FOUNDED, dt.date(2024, 12, 31))
            add_person(key, roles=slot.roles, department=slot.department, title=slot.title, kind=slot.kind, head=slot.head, username=None, since=since)

    # Two officers moved between bureaus: a closed membership, then the current one.
    for from_key, to_key in (("fushan", "zhifu"), ("muping", "laishan")):
        staff = org_services.staff_create(actor=admin, name=fake.name(), kind=StaffKind.CIVIL_SERVANT, gender=rng.choice("MF"), agency=agencies[from_key])
        moved = _between(rng, dt.date(2022, 1, 1), dt.date(2025, 6, 30))
        org_services.membership_create(actor=admin, staff=staff, agency=agencies[from_key], roles=[Role.OFFICER], valid_from=_between(rng, FOUNDED, dt.date(2021, 6, 30)), valid_to=moved - dt.timedelta(days=1), department=departments[(from_key, "执法大队")], title="执法队员")
        org_services.membership_create(actor=admin, staff=staff, agency=agencies[to_key], roles=[Role.OFFICER], valid_from=moved, department=departments[(to_key, "执法大队")], title="执法队员")
        holders.append((staff, to_key, False))
        counts["staff_civil_servant"] += 1
    counts["memberships"] = Membership.objects.count()
    # The seed's 75 % target (安全生产相关专业学历和实践经验): about seven in ten civil servants, so that
    # some bureaus reach it and some do not. Drawn from its own generator: the main one's sequence
    # (names, dates) stays as it was.
    qualify = random.Random("safety-qualification")
    backgrounds = ("安全工程专业本科", "化学工程与工艺专业本科", "采矿工程专业本科", "安全技术及工程专业硕士", "机械工程专业本科")
    for staff in Staff.objects.filter(kind=StaffKind.CIVIL_SERVANT).order_by("pk"):
        if qualify.random() < 0.7:
            since = _between(qualify, FOUNDED, dt.date(2025, 12, 31))
            years = qualify.randint(2, 12)
            Staff.objects.filter(pk=staff.pk).update(safety_qualified_on=since, safety_qualification=f"{qualify.choice(backgrounds)}，从事安全生产监管执法{years}年")
            counts["safety_qualified"] += 1

    # Certificates: valid for login personas; a few expired, suspended or about to expire otherwise.
    others = [h for h in holders if not h[2]]
    rng.shuffle(others)
    expired = {id(h[0]) for h in others[:5]}
    suspended = {id(h[0]) for h in others[5:8]}
    expiring = {id(h[0]) for h in others[8:10]}
    reinstated = id(others[5][0])  # one of the suspended was reinstated after the inquiry
    for staff, key, _persona in holders:
        if id(staff) in expired:
            valid_from = _between(rng, dt.date(2019, 3, 1), _add_years(today, -5) - dt.timedelta(days=30))
        elif id(staff) in expiring:
            valid_from = _add_years(today + dt.timedelta(days=rng.randrange(15, 60)), -5) + dt.timedelta(days=1)
        else:
            valid_from = _between(rng, _add_years(today, -4), today - dt.timedelta(days=60))
        valid_to = _add_years(valid_from, 5) - dt.timedelta(days=1)
        cert_seq[key] += 1
        number = f"{prefix_of(key)}{valid_from.year}{cert_seq[key]:04d}"
        cert = org_services.certificate_create(actor=admin, staff=staff, number=number, issuer=CERT_ISSUER, valid_from=valid_from, valid_to=valid_to)
        counts["certificates"] += 1
        counts["certificate_events"] += 1
        for year in range(valid_from.year + 1, min(valid_to.year, today.year) + 1):
            review = dt.date(year, 3, rng.randrange(1, 29))
            if review <= today and review <= valid_to and rng.random() < 0.85:
                org_services.certificate_event_add(actor=admin, certificate=cert, kind=CertificateEventKind.ANNUAL_REVIEW, date=review, note=f"{year}年度审验合格")
                counts["certificate_events"] += 1
        if id(staff) in expired:
            counts["certificates_expired"] += 1
            if rng.random() < 0.5:
                org_services.certificate_event_add(actor=admin, certificate=cert, kind=CertificateEventKind.EXPIRED, date=valid_to + dt.timedelta(days=1), note="有效期届满，未办理换证")
                counts["certificate_events"] += 1
        if id(staff) in suspended:
            on = _between(rng, max(valid_from + dt.timedelta(days=30), today - dt.timedelta(days=300)), today - dt.timedelta(days=20))
            org_services.certificate_event_add(actor=admin, certificate=cert, kind=CertificateEventKind.SUSPENDED, date=on, note="执法过程中未出示执法证件被投诉，暂扣执法证件接受调查")
            counts["certificate_events"] += 1
            counts["certificates_suspended"] += 1
            if id(staff) == reinstated:
                org_services.certificate_event_add(actor=admin, certificate=cert, kind=CertificateEventKind.REINSTATED, date=on + dt.timedelta(days=rng.randrange(10, 19)), note="调查结束，恢复执法资格")
                counts["certificate_events"] += 1
                counts["certificates_suspended"] -= 1
    return _Org(city=city, agency_city=agency_city, jurisdictions=jurisdictions, agencies=agencies, counts=counts)


# --- the ledger -----------------------------------------------------------------------------------
class _Ledger:
    """Generates units and their child rows, batch by batch, with ``bulk_create``."""

    def __init__(self, *, rng: random.Random, org: _Org, today: dt.date) -> None:
        self.rng = rng
        self.org = org
        self.today = today
        self.people = _People(rng)
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.seq: Counter[str] = Counter()
        self.schemes = {s.code: s for s in GradingScheme.objects.filter(code__in=["mine", "hazchem", "general"])}
        self.industries = set(IndustryClass.objects.filter(level="division").values_list("code", flat=True))
        self.parks: dict[str, ChemicalPark] = {}
        for name, key, grade in PARKS:
            self.parks[key] = ChemicalPark.objects.create(name=name, jurisdiction=org.jurisdictions[key], grade=grade)
        self.profile_weights = [p.weight for p in PROFILES]
        self.area_weights = [a.weight for a in AREAS]
        self.mine_weights = [a.mine_weight for a in AREAS]
        self.park_weights = [a.weight * (3 if a.key in self.parks else 1) for a in AREAS]
        self.year_start = dt.date(today.year, 1, 1)
        self.year_end = dt.date(today.year, 12, 31)
        self.last_year = (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
        self.sector_through = Enterprise.sectors.through
        self.feature_through = Enterprise.features.through

    # names and codes
    def trade_name(self) -> str:
        rng = self.rng
        while True:
            a, b = rng.sample(_TRADE_CHARS, 2)
            if a + b not in FAMOUS_TRADE_NAMES:
                return a + b

    def unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(30):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name
        base = make()
        n = 2
        while f"{base}（第{n}分厂）" in self.names:
            n += 1
        name = f"{base}（第{n}分厂）"
        self.names.add(name)
        return name

    def unique_code(self, kind: str, region: str) -> str:
        while True:
            code = make_uscc(self.rng, kind, region)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def village(self) -> str:
        rng = self.rng
        return f"{self.people.surname()}{rng.choice(_VILLAGE_MID)}{rng.choice(_VILLAGE_END)}村"

    def address(self, area: Area) -> tuple[str, str]:
        rng = self.rng
        street = rng.choice(area.streets)
        if street.endswith("镇") and rng.random() < 0.5:
            return street, f"{area.address_prefix}{street}{self.village()}"
        return street, f"{area.address_prefix}{street}{rng.choice(_ROADS)}{rng.randrange(1, 400)}号"

    def coords(self, area: Area) -> tuple[Decimal, Decimal]:
        rng = self.rng
        lat = area.center[0] + rng.uniform(-0.07, 0.07)
        lng = area.center[1] + rng.uniform(-0.09, 0.09)
        return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")

    def pick_area(self, profile: Profile) -> Area:
        rng = self.rng
        if profile.sector and profile.sector.startswith("mine."):
            return _pick(rng, AREAS, self.mine_weights)  # type: ignore[no-any-return]
        if profile.sector == "hazchem.production":
            return _pick(rng, AREAS, self.park_weights)  # type: ignore[no-any-return]
        return _pick(rng, AREAS, self.area_weights)  # type: ignore[no-any-return]

    def unlicensed_name(self, profile: Profile, area: Area, street: str) -> str:
        rng = self.rng
        return f"{area.name}{street}{self.village()}{self.people.surname()}某{rng.choice(profile.words)}{rng.choice(('加工点', '小作坊', '经营点'))}（无证无照）"

    def unit_name(self, profile: Profile, area: Area, kind: str, scale: str) -> str:
        rng = self.rng
        words = profile.words + area.extra_words.get(profile.sector or "", ())
        word = rng.choice(words)
        prefix = "山东" if scale == Scale.LARGE and rng.random() < 0.3 else rng.choice(area.name_prefixes)
        if kind == "92":
            return f"{area.name}{self.trade_name()}{word}{rng.choice(('加工厂', '经营部', '加工部', '商店'))}"
        if kind == "93":
            return f"{rng.choice(area.name_prefixes)}{self.trade_name()}果蔬专业合作社"
        if kind == "N2":
            return f"{area.name}{rng.choice(area.streets)}{self.village()}股份经济合作社石料厂"
        if kind == "12":
            return f"{rng.choice(area.name_prefixes)}{self.trade_name()}供水服务中心"
        if kind == "52":
            return f"烟台{self.trade_name()}化学技术研究院"
        if profile.sector == "hazchem.operation" and word == "石油销售":
            return f"{prefix}{self.trade_name()}石油销售有限公司{rng.choice(area.streets).removesuffix('街道').removesuffix('镇')}加油站"
        if profile.sector == "mine.underground" and word == "金矿":
            return f"{prefix}{self.trade_name()}金矿"
        if profile.sector == "mine.openpit" and word in ("采石", "石料"):
            return f"{prefix}{self.trade_name()}{word}厂"
        r = rng.random()
        suffix = "股份有限公司" if scale == Scale.LARGE and r < 0.3 else ("有限责任公司" if r < 0.1 else ("厂" if r > 0.96 else "有限公司"))
        return f"{prefix}{self.trade_name()}{word}{suffix}"

    # one batch
    def batch(self, n: int) -> None:
        rng = self.rng
        people = self.people
        today = self.today
        org = self.org
        ents: list[Enterprise] = []
        plans: list[dict[str, Any]] = []
        for _ in range(n):
            profile: Profile = _pick(rng, PROFILES, self.profile_weights)
            area = self.pick_area(profile)
            sector = profile.sector
            group = sector.split(".")[0] if sector else None
            unlicensed = sector not in ("hazchem.production", "mine.underground", "mine.tailings") and rng.random() < 0.005
            scale = _pick(rng, (Scale.LARGE, Scale.MEDIUM, Scale.SMALL, Scale.MICRO), profile.scales)
            kind = "91"
            r = rng.random()
            if scale == Scale.MICRO and sector in ("industry.machinery", "industry.light", "industry.commerce") and r < 0.15:
                kind = "92"
            elif sector == "industry.light" and r < 0.02:
                kind = "93"
            elif sector == "mine.openpit" and r < 0.10:
                kind = "N2"
            elif sector == "hazchem.use" and r < 0.05:
                kind = "12"
            elif sector == "hazchem.use" and r < 0.08:
                kind = "52"
            if unlicensed:
                name = self.unique_name(functools.partial(self.unlicensed_name, profile, area, rng.choice(area.streets)))
                code = None
                scale = Scale.MICRO
            else:
                name = self.unique_name(functools.partial(self.unit_name, profile, area, kind, scale))
                code = self.unique_code(kind, rng.choice(area.uscc_regions))
            lo, hi = _EMPLOYEES[scale]
            employees = rng.randint(lo, hi)
            scheme = None
            grade = ""
            std = StandardizationLevel.NONE
            if sector and not unlicensed:
                scheme_code = group if group in ("mine", "hazchem") else "general"
                scheme = self.schemes[scheme_code]
                if rng.random() > 0.08:  # some units are not graded yet
                    grade = _pick(rng, ("A", "B", "C", "D"), _GRADE_WEIGHTS[scheme_code])
                std = _pick(rng, (StandardizationLevel.LEVEL1, StandardizationLevel.LEVEL2, StandardizationLevel.LEVEL3, StandardizationLevel.NONE), profile.standard)
            park = None
            if area.key in self.parks and not unlicensed:
                chance = {"hazchem.production": 0.75, "hazchem.storage": 0.4, "hazchem.use": 0.4}.get(sector or "", 0.0)
                if rng.random() < chance:
                    park = self.parks[area.key]
            sectors = [sector] if sector else []
            if sector == "mine.underground" and rng.random() < 0.35:
                sectors.append("mine.tailings")
            if sector == "hazchem.production" and rng.random() < 0.3:
                sectors.append("hazchem.storage")
            if sector == "hazchem.operation" and rng.random() < 0.15:
                sectors.append("hazchem.storage")
            if sector == "industry.commerce" and rng.random() < 0.02:
                sectors.append("hazchem.operation")
            features = [f for f, p in profile.features if rng.random() < p]
            # declared status
            status = DeclaredStatus.OPERATING
            status_event = None
            r = rng.random()
            if r < 0.007:
                status = DeclaredStatus.CLOSED
                status_event = (status, _between(rng, today - dt.timedelta(days=700), today - dt.timedelta(days=5)), rng.choice(_CLOSE_REASONS))
            elif r < 0.032:
                status = DeclaredStatus.SUSPENDED
                status_event = (status, _between(rng, today - dt.timedelta(days=400), today - dt.timedelta(days=3)), rng.choice(_STOP_REASONS))
            # hazard sources decide the planned subject, so they are drawn first
            hazards: list[tuple[int, str]] = []
            share = _HAZARD_SHARE.get(sector or "")
            if "ammonia_refrigeration" in features and sector in ("industry.light", "industry.commerce"):
                share = (0.15, 1)
            if share and not unlicensed and rng.random() < share[0]:
                for _ in range(rng.randint(1, share[1])):
                    level = _pick(rng, [w[0] for w in _LEVEL_WEIGHTS], [w[1] for w in _LEVEL_WEIGHTS])
                    hazards.append((level, rng.choice(_SUBSTANCES_BY_SECTOR[sector or ""])))
            key_unit = group == "mine" or any(level <= 2 for level, _ in hazards)
            if unlicensed or status == DeclaredStatus.CLOSED or rng.random() < 0.03:
                subject = None
            else:
                subject = org.agency_city if key_unit else org.agencies[area.key]
            legal = people.name()
            principal = legal if rng.random() < 0.7 else people.name()
            street, address = self.address(area)
            ent = Enterprise(
                name=name, uscc=code, unlicensed=unlicensed, legal_representative="" if unlicensed else legal, principal=principal,
                principal_phone=people.mobile(), contact_name=people.name(), contact_phone=people.mobile(),
                jurisdiction=org.jurisdictions[area.key], owner_agency=org.agencies[area.key], division_id=area.unit_division,
                registered_address="" if unlicensed else (address if rng.random() < 0.9 else self.address(area)[1]),
                industry_id=self.industry(profile), scale=scale, employees=employees, risk_scheme=scheme, risk_grade=grade,
                standardization_level=std, chemical_park=park, declared_status=status,
                note="群众举报发现，无营业执照，已移交市场监管部门" if unlicensed else "",
                search_text=search_text_for(name=name, uscc=code),
            )
            ents.append(ent)
            plans.append({
                "area": area, "profile": profile, "sectors": sectors, "features": features, "status_event": status_event, "hazards": hazards,
                "subject": subject, "key_unit": key_unit, "street": street, "address": address, "scale": scale, "principal": principal,
            })
        Enterprise.objects.bulk_create(ents, batch_size=BATCH)
        self.counts["enterprises"] += len(ents)
        self.counts["unlicensed"] += sum(1 for e in ents if e.unlicensed)
        self.children(ents, plans)

    def industry(self, profile: Profile) -> str | None:
        code = self.rng.choice(profile.industries)
        return code if code in self.industries else None

    def children(self, ents: list[Enterprise], plans: list[dict[str, Any]]) -> None:
        rng = self.rng
        people = self.people
        today = self.today
        sites: list[Site] = []
        sector_rows: list[Any] = []
        feature_rows: list[Any] = []
        subjects: list[PlannedSubject] = []
        status_rows: list[EnterpriseStatusEvent] = []
        licences: list[Licence] = []
        keypeople: list[KeyPerson] = []
        primary: list[Site] = []
        for ent, plan in zip(ents, plans, strict=True):
            area: Area = plan["area"]
            profile: Profile = plan["profile"]
            sector = profile.sector or ""
            group = sector.split(".")[0]
            lat, lng = self.coords(area)
            first = Site(enterprise_id=ent.pk, name=f"{profile.site}" if not ent.unlicensed else "经营点", address=plan["address"], street=plan["street"], division_id=area.unit_division, latitude=lat, longitude=lng, is_primary=True)
            sites.append(first)
            primary.append(first)
            extra = 0 if ent.unlicensed else _pick(rng, (0, 1, 2), (75, 20, 5))
            for i in range(extra):
                street, address = self.address(area)
                lat, lng = self.coords(area)
                sites.append(Site(enterprise_id=ent.pk, name=rng.choice(("二厂区", "仓库", "分厂", "生产车间")) + ("" if i == 0 else str(i + 1)), address=address, street=street, division_id=area.unit_division, latitude=lat, longitude=lng))
            sector_rows += [self.sector_through(enterprise_id=ent.pk, sector_id=s) for s in plan["sectors"]]
            feature_rows += [self.feature_through(enterprise_id=ent.pk, feature_id=f) for f in plan["features"]]
            subject: Agency | None = plan["subject"]
            if subject is not None:
                subjects.append(PlannedSubject(enterprise_id=ent.pk, agency=subject, valid_from=self.year_start, valid_to=self.year_end, note=f"{today.year}年度监督检查计划" + ("（重点企业，市局直接监管）" if subject.level == AgencyLevel.CITY else "")))
                if rng.random() < 0.1:
                    prev = self.org.agencies[area.key] if subject.level == AgencyLevel.CITY and rng.random() < 0.5 else subject
                    subjects.append(PlannedSubject(enterprise_id=ent.pk, agency=prev, valid_from=self.last_year[0], valid_to=self.last_year[1], note=f"{today.year - 1}年度监督检查计划"))
            if plan["status_event"]:
                st, on, reason = plan["status_event"]
                status_rows.append(EnterpriseStatusEvent(enterprise_id=ent.pk, status=st, effective_date=on, reason=reason))
            if not ent.unlicensed:
                licences += self.licences(ent, plan, area, sector)
            # key personnel
            certified = group in ("hazchem", "mine") and not ent.unlicensed
            keypeople.append(self.person(ent, KeyPersonRole.PRINCIPAL, plan["principal"], "主要负责人安全生产知识和管理能力考核合格证" if certified else "", 3))
            if not ent.unlicensed:
                managers = 1 + (1 if plan["scale"] in (Scale.LARGE, Scale.MEDIUM) else 0) + (1 if plan["scale"] == Scale.LARGE else 0)
                for _ in range(managers):
                    keypeople.append(self.person(ent, KeyPersonRole.SAFETY_MANAGER, people.name(), "安全生产管理人员安全生产知识和管理能力考核合格证" if certified else "", 3))
                if profile.specials:
                    for _ in range(rng.randint(0 if group == "industry" or not group else 1, profile.specials)):
                        keypeople.append(self.person(ent, KeyPersonRole.SPECIAL_OPERATOR, people.name(), rng.choice(profile.special_kinds), 6, special=True))
                if plan["scale"] in (Scale.LARGE, Scale.MEDIUM) and rng.random() < 0.3:
                    kp = self.person(ent, KeyPersonRole.REGISTERED_ENGINEER, people.name(), "中级注册安全工程师", 5)
                    self.seq["engineer"] += 1
                    kp.certificate_no = f"{rng.randrange(2016, 2025)}3706{self.seq['engineer']:06d}"
                    keypeople.append(kp)
        Site.objects.bulk_create(sites, batch_size=BATCH)
        hazards: list[MajorHazardSource] = []
        for ent, plan, site in zip(ents, plans, primary, strict=True):
            for level, substance in plan["hazards"]:
                lo, hi = _LEVEL_RATIO[level]
                qty = Decimal(f"{_SUBSTANCES[substance] * rng.uniform(lo, hi):.3f}")
                self.seq["hazard"] += 1
                kind = "储罐区" if substance not in ("液氨",) or plan["profile"].sector == "hazchem.production" else "制冷机房"
                if plan["profile"].sector == "hazchem.production" and rng.random() < 0.4:
                    kind = "生产装置区"
                hazards.append(MajorHazardSource(
                    enterprise_id=ent.pk, site_id=site.pk, name=f"{substance}{kind}", level=level, substance=substance, quantity_t=qty,
                    record_no=f"BA{plan['area'].number_prefix}{rng.randrange(2019, self.today.year + 1)}{self.seq['hazard']:05d}",
                ))
        self.sector_through.objects.bulk_create(sector_rows, batch_size=BATCH)
        self.feature_through.objects.bulk_create(feature_rows, batch_size=BATCH)
        from anjian.enterprises.services import refresh_classification, refresh_planned_subjects

        refresh_classification([e.pk for e in ents])
        PlannedSubject.objects.bulk_create(subjects, batch_size=BATCH)
        refresh_planned_subjects([e.pk for e in ents])
        EnterpriseStatusEvent.objects.bulk_create(status_rows, batch_size=BATCH)
        Licence.objects.bulk_create(licences, batch_size=BATCH)
        KeyPerson.objects.bulk_create(keypeople, batch_size=BATCH)
        MajorHazardSource.objects.bulk_create(hazards, batch_size=BATCH)
        c = self.counts
        c["sites"] += len(sites)
        c["planned_subjects"] += len(subjects)
        c["status_events"] += len(status_rows)
        c["licences"] += len(licences)
        c["licences_expired"] += sum(1 for x in licences if x.valid_to < today)
        c["key_people"] += len(keypeople)
        c["key_people_cert_expired"] += sum(1 for x in keypeople if x.certificate_expiry and x.certificate_expiry < today)
        c["hazard_sources"] += len(hazards)
        c["sector_links"] += len(sector_rows)
        c["feature_links"] += len(feature_rows)

    def person(self, ent: Enterprise, role: str, name: str, cert_kind: str, years: int, *, special: bool = False) -> KeyPerson:
        rng = self.rng
        idn = self.people.id_number(self.today)
        expiry = None
        number = ""
        if cert_kind:
            # Issued some time in the last `years` years; about one in ten has lapsed.
            issued = self.today - dt.timedelta(days=rng.randrange(30, int(years * 365 * 1.1)))
            expiry = _add_years(issued, years)
            number = ("T" + idn) if special else idn
        return KeyPerson(enterprise_id=ent.pk, role=role, name=name, id_number=idn, phone=self.people.mobile(), certificate_kind=cert_kind, certificate_no=number, certificate_expiry=expiry)

    def licences(self, ent: Enterprise, plan: dict[str, Any], area: Area, sector: str) -> list[Licence]:
        rng = self.rng
        today = self.today
        out: list[Licence] = []
        closed = plan["status_event"] is not None and plan["status_event"][0] == DeclaredStatus.CLOSED

        def make(kind: str, number: str, issuer: str, scope: str) -> Licence:
            valid_from = today - dt.timedelta(days=rng.randrange(20, int(3 * 365 * 1.1)))
            status = LicenceStatus.CANCELLED if closed else (LicenceStatus.SUSPENDED if rng.random() < 0.02 else LicenceStatus.VALID)
            return Licence(enterprise_id=ent.pk, kind=kind, number=number, issuer=issuer, scope=scope, valid_from=valid_from, valid_to=_add_years(valid_from, 3) - dt.timedelta(days=1), status=status)

        def seq(kind: str) -> int:
            self.seq[kind] += 1
            return self.seq[kind]

        y = rng.randrange(today.year - 3, today.year + 1)
        substances = _SUBSTANCES_BY_SECTOR.get(sector, ())
        if sector == "hazchem.production":
            products = "、".join(f"{s}{rng.randrange(1, 50) * 1000}吨/年" for s in rng.sample(substances, 2))
            out.append(make(LicenceKind.SAFETY_PRODUCTION, f"（鲁）WH安许证字〔{y}〕06{seq('wh'):04d}号", "山东省应急管理厅", f"危险化学品生产：{products}"))
            if rng.random() < 0.4:
                out.append(make(LicenceKind.HAZCHEM_REGISTRATION, f"37{seq('reg'):07d}", "应急管理部化学品登记中心", "危险化学品登记"))
        elif sector.startswith("mine."):
            scope = {"mine.underground": "金矿地下开采", "mine.openpit": "建筑用花岗岩露天开采", "mine.tailings": "尾矿库运行"}[sector]
            out.append(make(LicenceKind.SAFETY_PRODUCTION, f"（鲁）FM安许证字〔{y}〕06{seq('fm'):04d}号", CITY_AGENCY, scope))
        elif sector in ("hazchem.operation", "hazchem.storage") or "hazchem.operation" in plan["sectors"]:
            storage = sector == "hazchem.storage" or "hazchem.storage" in plan["sectors"]
            issuer = CITY_AGENCY if storage else area.agency_name
            goods = "汽油、柴油[闭杯闪点≤60℃]" if "加油站" in ent.name else "、".join(rng.sample(("甲醇", "乙醇[无水]", "盐酸", "硫酸", "氢氧化钠", "丙酮", "液化石油气", "甲苯", "乙酸乙酯"), 3))
            mode = "带有储存设施经营" if storage else rng.choice(("批发（无仓储）", "零售"))
            out.append(make(LicenceKind.HAZCHEM_OPERATION, f"鲁烟{area.licence_char}安经〔{y}〕{seq('jy'):05d}号", issuer, f"{mode}：{goods}"))
        elif sector == "hazchem.use" and rng.random() < 0.3:
            out.append(make(LicenceKind.HAZCHEM_USE, f"鲁烟安使证字〔{y}〕{seq('sy'):04d}号", CITY_AGENCY, "、".join(rng.sample(substances, 2))))
        elif sector == "industry.commerce" and rng.random() < 0.03:
            out.append(make(LicenceKind.FIREWORKS, f"（鲁）烟花零售〔{y}〕{seq('yh'):05d}号", area.agency_name, "烟花爆竹零售"))
        return out


# --- the whole load -------------------------------------------------------------------------------
def generate(*, enterprises: int = DEFAULT_ENTERPRISES, seed: int = DEFAULT_SEED, progress: Callable[[str], None] | None = None) -> DemoResult:
    """Build the demo city into an empty database (callers check :func:`has_data` first)."""
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    if ensure_refdata():
        say("已加载参考数据（行政区划、行业分类、监管行业、示例分级方案）。")
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    today = timezone.localdate()
    with transaction.atomic():
        User = get_user_model()
        admin = User.objects.create_superuser(username=ADMIN_USERNAME, email="admin@example.invalid", password=DEMO_PASSWORD)
        org = _build_org(rng=rng, fake=fake, today=today, admin=admin)
        say(f"机关与人员已生成：{org.counts['agencies']}个机关，{sum(v for k, v in org.counts.items() if k.startswith('staff_'))}名人员。")
        ledger = _Ledger(rng=rng, org=org, today=today)
        done = 0
        while done < enterprises:
            n = min(BATCH, enterprises - done)
            ledger.batch(n)
            done += n
            if done % 10000 == 0 or done == enterprises:
                say(f"企业 {done}/{enterprises}（{time.monotonic() - started:.0f}秒）")
        counts: dict[str, int] = {**org.counts, **ledger.counts, "chemical_parks": len(ledger.parks)}
        audit.record(
            actor=admin, action="demo.load", obj=org.agency_city, jurisdiction_id=org.city.pk,
            after={"seed": seed, "enterprises": enterprises, "counts": counts},
            note=f"生成演示数据：烟台市，企业{enterprises}家，随机种子{seed}。企业台账为批量写入，不逐条记录审计与历史。",
        )
    return DemoResult(created=True, seed=seed, counts=counts, logins=current_logins(), seconds=time.monotonic() - started)


# --- printing ------------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def separated_admins_note(logins: Sequence[Login]) -> str:
    """Which login is which of the three separated administrators, and the list for the crawler."""
    by_role: dict[str, list[str]] = {Role.ADMIN: [], Role.SECURITY_ADMIN: [], Role.AUDIT_ADMIN: []}
    for lg in logins:
        for r in lg.roles:
            if r in by_role:
                by_role[r].append(f"{lg.username}（{lg.agency}）")
    parts = [f"{Role(r).label}：{'、'.join(names) or '无'}" for r, names in by_role.items()]
    crawl = ",".join(lg.username for lg in logins)
    return (
        "三员分立：" + "；".join(parts) + "。安全管理员解锁账号、重置动态口令（/security/），审计管理员查阅和校验审计日志（/audit/）；"
        f"{ADMIN_USERNAME}仅供开发，生产模式（ANJIAN_PRODUCTION=1）下不能登录。\n"
        f"全部登录名（可用于 crawl.py --users）：{crawl}"
    )


def logins_table(logins: Sequence[Login], password: str = DEMO_PASSWORD) -> str:
    rows = [("用户名", "密码", "机关", "姓名", "角色")]
    rows += [(lg.username, password, lg.agency, lg.staff_name, lg.role_labels) for lg in logins]
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join([*(_pad(r[c], widths[c]) for c in range(4)), r[4]]).rstrip())
        if i == 0:
            lines.append("  ".join(["-" * w for w in widths] + ["-" * 20]))
    return "\n".join(lines)
