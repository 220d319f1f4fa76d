"""Reference data files and their readers (no database, no Django).

Run alone with: python -m pytest tests/core/test_refdata.py -p no:django
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from anjian.core.refdata import (
    DIVISIONS_CSV,
    GBT4754_CSV,
    SECTORS_YAML,
    Division,
    read_divisions,
    read_gbt4754,
    read_sectors,
)

HEADER = "code,name,level,parent_code\n"

YANTAI_COUNTIES = {
    "370602": "芝罘区",
    "370611": "福山区",
    "370612": "牟平区",
    "370613": "莱山区",
    "370614": "蓬莱区",
    "370681": "龙口市",
    "370682": "莱阳市",
    "370683": "莱州市",
    "370685": "招远市",
    "370686": "栖霞市",
    "370687": "海阳市",
}

SHANDONG_CITIES = {
    "370100": "济南市",
    "370200": "青岛市",
    "370300": "淄博市",
    "370400": "枣庄市",
    "370500": "东营市",
    "370600": "烟台市",
    "370700": "潍坊市",
    "370800": "济宁市",
    "370900": "泰安市",
    "371000": "威海市",
    "371100": "日照市",
    "371300": "临沂市",
    "371400": "德州市",
    "371500": "聊城市",
    "371600": "滨州市",
    "371700": "菏泽市",
}

# County-level units per Shandong city (136 in all).
SHANDONG_COUNTY_COUNTS = {
    "370100": 12, "370200": 10, "370300": 8, "370400": 6, "370500": 5, "370600": 11,
    "370700": 12, "370800": 11, "370900": 6, "371000": 4, "371100": 4, "371300": 12,
    "371400": 11, "371500": 8, "371600": 7, "371700": 9,
}  # fmt: skip


@pytest.fixture(scope="module")
def divisions() -> list[Division]:
    return list(read_divisions())


def divisions_from(text: str) -> list[Division]:
    return list(read_divisions(io.StringIO(HEADER + text)))


# --------------------------------------------------------------------------- #
# divisions.csv
# --------------------------------------------------------------------------- #
def test_default_paths_point_at_the_shipped_files() -> None:
    for path in (DIVISIONS_CSV, GBT4754_CSV, SECTORS_YAML):
        assert path.is_file(), path
    assert DIVISIONS_CSV.read_text(encoding="utf-8").startswith(HEADER)


def test_shandong_counts(divisions: list[Division]) -> None:
    shandong = [d for d in divisions if d.code.startswith("37")]
    levels = Counter(d.level for d in shandong)
    assert levels == {"province": 1, "city": 16, "county": 136}
    assert len(shandong) == 153


def test_shandong_province_and_cities(divisions: list[Division]) -> None:
    by_code = {d.code: d for d in divisions}
    assert by_code["370000"] == Division("370000", "山东省", "province", None)
    cities = {
        d.code: d.name
        for d in divisions
        if d.level == "city" and d.code.startswith("37")
    }
    assert cities == SHANDONG_CITIES
    for code in cities:
        assert by_code[code].parent_code == "370000"


def test_yantai_counties_exactly(divisions: list[Division]) -> None:
    yantai = {d.code: d.name for d in divisions if d.parent_code == "370600"}
    assert yantai == YANTAI_COUNTIES
    for d in divisions:
        if d.code in YANTAI_COUNTIES:
            assert d.level == "county"
    # 长岛县 was merged into 蓬莱区 in 2020.
    assert "370634" not in {d.code for d in divisions}
    assert "长岛县" not in {d.name for d in divisions}


def test_county_counts_per_shandong_city(divisions: list[Division]) -> None:
    counts = Counter(
        d.parent_code
        for d in divisions
        if d.level == "county" and d.code.startswith("37")
    )
    assert dict(counts) == SHANDONG_COUNTY_COUNTS


def test_parent_links(divisions: list[Division]) -> None:
    by_code = {d.code: d for d in divisions}
    assert len(by_code) == len(divisions), "duplicate codes"
    for d in divisions:
        if d.level == "province":
            assert d.parent_code is None
            continue
        assert d.parent_code is not None
        parent = by_code[d.parent_code]
        assert parent.code[:2] == d.code[:2]
        if d.level == "city":
            assert parent.level == "province"
        else:
            assert parent.level in ("city", "province")


def test_file_is_sorted_by_code(divisions: list[Division]) -> None:
    codes = [d.code for d in divisions]
    assert codes == sorted(codes)


def test_reads_from_path_string_and_path(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text(
        HEADER + "370000,山东省,province,\n370600,烟台市,city,370000\n",
        encoding="utf-8",
    )
    assert [d.code for d in read_divisions(str(p))] == ["370000", "370600"]
    assert [d.code for d in read_divisions(p)] == ["370000", "370600"]


def test_bom_and_province_level_county_accepted(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text(
        "\ufeff" + HEADER + "410000,河南省,province,\n419001,济源市,county,410000\n",
        encoding="utf-8",
    )
    assert [d.parent_code for d in read_divisions(p)] == [None, "410000"]


@pytest.mark.parametrize(
    ("body", "row", "message"),
    [
        ("37000,山东省,province,\n", 2, "6 digits"),
        ("37000A,山东省,province,\n", 2, "6 digits"),
        ("370000,山东省,state,\n", 2, "level must be one of"),
        ("370000,山东省,city,\n", 2, "does not fit the code"),
        ("370000,,province,\n", 2, "empty name"),
        ("370000,山东省,province,100000\n", 2, "has no parent"),
        ("370000,山东省,province,\n370600,烟台市,city,\n", 3, "missing parent_code"),
        (
            "370000,山东省,province,\n370600,烟台市,city,380000\n",
            3,
            "not found earlier",
        ),
        (
            "370000,山东省,province,\n370602,芝罘区,county,370600\n370600,烟台市,city,370000\n",
            3,
            "not found earlier",
        ),
        ("370000,山东省,province,\n370000,山东省,province,\n", 3, "duplicate code"),
        (
            "370000,山东省,province,\n370600,烟台市,city,370000\n370700,潍坊市,city,370600\n",
            4,
            "not a valid parent",
        ),
        (
            "370000,山东省,province,\n370600,烟台市,city,370000\n370702,潍城区,county,370600\n",
            4,
            "does not contain",
        ),
        ("370000,山东省,province\n", 2, "expected 4 fields"),
    ],
)
def test_malformed_division_row(body: str, row: int, message: str) -> None:
    with pytest.raises(ValueError, match=rf"row {row}: .*{message}"):
        divisions_from(body)


def test_bad_header_rejected() -> None:
    with pytest.raises(ValueError, match="row 1: header"):
        list(read_divisions(io.StringIO("adcode,name\n370000,山东省\n")))


def test_divisions_stream_before_a_late_error() -> None:
    it = read_divisions(
        io.StringIO(HEADER + "370000,山东省,province,\nbad,x,city,370000\n")
    )
    assert next(it).code == "370000"
    with pytest.raises(ValueError, match="row 3"):
        next(it)


# --------------------------------------------------------------------------- #
# GB/T 4754-2017
# --------------------------------------------------------------------------- #
SECTION_RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50),
    "F": (51, 52), "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69),
    "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79), "O": (80, 82),
    "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def test_gbt4754_counts_and_codes() -> None:
    industries = read_gbt4754()
    sections = [i for i in industries if i.level == "section"]
    divisions = [i for i in industries if i.level == "division"]
    assert len(sections) == 20
    assert len(divisions) == 97
    assert [s.code for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert [d.code for d in divisions] == [f"{n:02d}" for n in range(1, 98)]


def test_gbt4754_division_parents() -> None:
    industries = read_gbt4754()
    for d in industries:
        if d.level == "section":
            assert d.parent_code is None
        else:
            assert d.parent_code is not None
            low, high = SECTION_RANGES[d.parent_code]
            assert low <= int(d.code) <= high, d


def test_gbt4754_spot_names() -> None:
    names = {i.code: i.name for i in read_gbt4754()}
    assert names["C"] == "制造业"
    assert names["B"] == "采矿业"
    assert names["T"] == "国际组织"
    assert names["06"] == "煤炭开采和洗选业"
    assert names["11"] == "开采专业及辅助性活动"
    assert names["25"] == "石油、煤炭及其他燃料加工业"
    assert names["26"] == "化学原料和化学制品制造业"
    assert names["31"] == "黑色金属冶炼和压延加工业"
    assert names["59"] == "装卸搬运和仓储业"
    assert names["97"] == "国际组织"


@pytest.mark.parametrize(
    ("body", "row", "message"),
    [
        ("AA,农业,section,\n", 2, "one capital letter"),
        ("A,农、林、牧、渔业,section,\n1,农业,division,A\n", 3, "2 digits"),
        ("01,农业,division,A\n", 2, "not a section listed earlier"),
        ("A,农、林、牧、渔业,group,\n", 2, "level must be"),
        ("A,农、林、牧、渔业,section,\nA,农业,section,\n", 3, "duplicate"),
    ],
)
def test_malformed_gbt4754_row(body: str, row: int, message: str) -> None:
    with pytest.raises(ValueError, match=rf"row {row}: .*{message}"):
        read_gbt4754(io.StringIO(HEADER + body))


# --------------------------------------------------------------------------- #
# sectors.yaml
# --------------------------------------------------------------------------- #
EXPECTED_SECTORS = {
    "hazchem": ("危险化学品", {
        "hazchem.production": "生产",
        "hazchem.operation": "经营",
        "hazchem.use": "使用",
        "hazchem.storage": "储存",
    }),
    "mine": ("非煤矿山", {
        "mine.underground": "地下矿山",
        "mine.openpit": "露天矿山",
        "mine.tailings": "尾矿库",
    }),
    "industry": ("工贸", {
        "industry.metallurgy": "冶金",
        "industry.nonferrous": "有色",
        "industry.building_materials": "建材",
        "industry.machinery": "机械",
        "industry.light": "轻工",
        "industry.textile": "纺织",
        "industry.tobacco": "烟草",
        "industry.commerce": "商贸",
    }),
}  # fmt: skip

EXPECTED_FEATURES = {
    "dust_explosion": "粉尘涉爆",
    "ammonia_refrigeration": "涉氨制冷",
    "confined_space": "有限空间作业",
    "deep_well_casting": "深井铸造",
    "metal_smelting": "金属冶炼",
    "hazchem_use": "涉危化品使用",
}


def test_sector_taxonomy_codes_and_names() -> None:
    tax = read_sectors()
    got = {g.code: (g.name, {s.code: s.name for s in g.sectors}) for g in tax.groups}
    assert got == EXPECTED_SECTORS
    assert {f.code: f.name for f in tax.features} == EXPECTED_FEATURES
    assert tax.sector("industry.metallurgy").group_code == "industry"
    assert tax.group("mine").name == "非煤矿山"
    assert tax.feature("confined_space").name == "有限空间作业"
    with pytest.raises(KeyError):
        tax.sector("industry.nope")


def test_sector_divisions_exist_in_gbt4754() -> None:
    known = {i.code for i in read_gbt4754() if i.level == "division"}
    tax = read_sectors()
    for s in tax.sectors:
        assert s.gbt4754_divisions, s.code
        assert set(s.gbt4754_divisions) <= known, s.code
    assert "31" in tax.sector("industry.metallurgy").gbt4754_divisions
    assert "16" in tax.sector("industry.tobacco").gbt4754_divisions
    assert {s.code for s in tax.sectors_for_division("30")} == {
        "industry.building_materials"
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "expected a mapping"),
        ("groups: []\n", "'features' must be a list"),
        (
            "groups: [{code: g, name: G, sectors: [{code: x.y, name: Y, gbt4754_divisions: []}]}]\nfeatures: []\n",
            "must start with 'g.'",
        ),
        (
            "groups: [{code: g, name: G, sectors: [{code: g.y, name: Y, gbt4754_divisions: [31]}]}]\nfeatures: []\n",
            "not a 2-digit string",
        ),
        (
            "groups: [{code: g, name: G, sectors: []}]\nfeatures: [{code: g, name: F}]\n",
            "duplicate code",
        ),
        (
            "groups: [{code: g, sectors: []}]\nfeatures: []\n",
            "'name' must be a non-empty string",
        ),
    ],
)
def test_malformed_sectors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_sectors(io.StringIO(text))
