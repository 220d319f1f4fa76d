"""Readers for anjian's project-owned reference data files.

Pure Python (no Django import), so the files can be checked by plain tests and
loaded by management commands or migrations alike.

* ``anjian/core/data/divisions.csv`` — administrative divisions
  (``code,name,level,parent_code``; see ``build_divisions.py`` for its source).
* ``anjian/enterprises/data/gbt4754_2017.csv`` — GB/T 4754-2017 门类 and 大类.
* ``anjian/enterprises/data/sectors.yaml`` — supervision sector taxonomy.

Every reader validates its input and raises ``ValueError`` naming the source and
the row (CSV line number, header = line 1) or the YAML entry at fault.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Literal, TypeAlias, cast, get_args

import yaml

__all__ = [
    "DIVISIONS_CSV",
    "GBT4754_CSV",
    "SECTORS_YAML",
    "Division",
    "DivisionLevel",
    "Feature",
    "Industry",
    "IndustryLevel",
    "Sector",
    "SectorGroup",
    "SectorTaxonomy",
    "read_divisions",
    "read_gbt4754",
    "read_sectors",
]

_PACKAGE_DIR: Final = Path(__file__).resolve().parent.parent  # …/anjian
DIVISIONS_CSV: Final = _PACKAGE_DIR / "core" / "data" / "divisions.csv"
GBT4754_CSV: Final = _PACKAGE_DIR / "enterprises" / "data" / "gbt4754_2017.csv"
SECTORS_YAML: Final = _PACKAGE_DIR / "enterprises" / "data" / "sectors.yaml"

PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[str]"

DivisionLevel = Literal["province", "city", "county"]
IndustryLevel = Literal["section", "division"]

_DIVISION_LEVELS: Final[tuple[str, ...]] = get_args(DivisionLevel)
_INDUSTRY_LEVELS: Final[tuple[str, ...]] = get_args(IndustryLevel)
_HEADER: Final = ["code", "name", "level", "parent_code"]
# Which parent levels each level may hang under (a county-level unit may be
# administered directly by its province, e.g. 济源 419001, 仙桃 429004).
_PARENT_LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "province": (),
    "city": ("province",),
    "county": ("city", "province"),
}
_SIX_DIGITS: Final = re.compile(r"\d{6}")
_SECTION: Final = re.compile(r"[A-Z]")
_DIVISION: Final = re.compile(r"\d{2}")


# --------------------------------------------------------------------------- #
# Data classes
# --------------------------------------------------------------------------- #
@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division (GB/T 2260 code)."""

    code: str
    name: str
    level: DivisionLevel
    parent_code: str | None  # None for a province


@dataclass(frozen=True, slots=True)
class Industry:
    """A GB/T 4754-2017 门类 (section, letter) or 大类 (division, 2 digits)."""

    code: str
    name: str
    level: IndustryLevel
    parent_code: str | None  # a division's section letter; None for a section


@dataclass(frozen=True, slots=True)
class Sector:
    code: str  # "<group>.<name>", e.g. "hazchem.production"
    name: str
    group_code: str
    gbt4754_divisions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectorGroup:
    code: str
    name: str
    sectors: tuple[Sector, ...]


@dataclass(frozen=True, slots=True)
class Feature:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class SectorTaxonomy:
    groups: tuple[SectorGroup, ...]
    features: tuple[Feature, ...]

    @property
    def sectors(self) -> tuple[Sector, ...]:
        return tuple(s for g in self.groups for s in g.sectors)

    def group(self, code: str) -> SectorGroup:
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)

    def sector(self, code: str) -> Sector:
        for s in self.sectors:
            if s.code == code:
                return s
        raise KeyError(code)

    def feature(self, code: str) -> Feature:
        for f in self.features:
            if f.code == code:
                return f
        raise KeyError(code)

    def sectors_for_division(self, division_code: str) -> tuple[Sector, ...]:
        """Sectors that list this GB/T 4754 大类 as typical (may be several)."""
        return tuple(s for s in self.sectors if division_code in s.gbt4754_divisions)


# --------------------------------------------------------------------------- #
# CSV helpers
# --------------------------------------------------------------------------- #
def _source_name(path_or_file: PathOrFile) -> str:
    if isinstance(path_or_file, (str, os.PathLike)):
        return os.fspath(path_or_file)
    return str(getattr(path_or_file, "name", "<stream>"))


def _csv_rows(path_or_file: PathOrFile) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) after checking the header; streams the file."""
    source = _source_name(path_or_file)
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, encoding="utf-8-sig", newline="") as fh:
            yield from _csv_rows_from(fh, source)
    else:
        yield from _csv_rows_from(path_or_file, source)


def _csv_rows_from(
    fh: Iterable[str], source: str
) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(fh)
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError(
            f"{source}: empty file (expected header {','.join(_HEADER)})"
        ) from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if [h.strip() for h in header] != _HEADER:
        raise ValueError(
            f"{source}: row 1: header must be {','.join(_HEADER)}, got {','.join(header)}"
        )
    for fields in reader:
        line = reader.line_num
        if not fields:  # blank line
            continue
        if len(fields) != len(_HEADER):
            raise ValueError(
                f"{source}: row {line}: expected {len(_HEADER)} fields, got {len(fields)}"
            )
        yield line, {k: v.strip() for k, v in zip(_HEADER, fields, strict=True)}


def _err(where: str, msg: str) -> ValueError:
    return ValueError(f"{where}: {msg}")


# --------------------------------------------------------------------------- #
# Divisions
# --------------------------------------------------------------------------- #
def read_divisions(path_or_file: PathOrFile = DIVISIONS_CSV) -> Iterator[Division]:
    """Stream and validate ``divisions.csv``.

    Checks per row: 6-digit code, unique; non-empty name; level one of
    province/city/county matching the code's shape (``XX0000`` province,
    ``XXXX00`` city, else county); a province has no parent; any other row's
    parent appeared *earlier* in the file (GB/T 2260 parents sort before their
    children, and the file is sorted by code), sits one level up and belongs to
    the same province. Rows are yielded as they are read, so an error in a late
    row is raised only when the iteration reaches it.
    """
    source = _source_name(path_or_file)
    seen: dict[str, str] = {}  # code -> level
    for line, row in _csv_rows(path_or_file):
        code, name, level, parent = (
            row["code"],
            row["name"],
            row["level"],
            row["parent_code"],
        )
        where = f"{source}: row {line}: {code!r}"

        if not _SIX_DIGITS.fullmatch(code):
            raise _err(where, "code must be 6 digits")
        if code in seen:
            raise _err(where, "duplicate code")
        if not name:
            raise _err(where, "empty name")
        if level not in _DIVISION_LEVELS:
            raise _err(
                where,
                f"level must be one of {', '.join(_DIVISION_LEVELS)}, got {level!r}",
            )
        shape = (
            "province"
            if code.endswith("0000")
            else "city"
            if code.endswith("00")
            else "county"
        )
        if level != shape:
            raise _err(
                where, f"level {level!r} does not fit the code (expected {shape!r})"
            )
        if level == "province":
            if parent:
                raise _err(where, f"a province has no parent, got {parent!r}")
        else:
            if not parent:
                raise _err(where, "missing parent_code")
            if parent not in seen:
                raise _err(where, f"parent {parent!r} not found earlier in the file")
            if seen[parent] not in _PARENT_LEVELS[level]:
                raise _err(
                    where,
                    f"parent {parent!r} is a {seen[parent]}, not a valid parent for a {level}",
                )
            if parent[:2] != code[:2] or (
                seen[parent] == "city" and parent[:4] != code[:4]
            ):
                raise _err(where, f"parent {parent!r} does not contain this code")
        seen[code] = level
        yield Division(code, name, cast(DivisionLevel, level), parent or None)


# --------------------------------------------------------------------------- #
# GB/T 4754-2017
# --------------------------------------------------------------------------- #
def read_gbt4754(path: PathOrFile = GBT4754_CSV) -> list[Industry]:
    """Read and validate the GB/T 4754-2017 门类/大类 file.

    Sections: one capital letter, no parent. Divisions: 2 digits, parent a
    section listed earlier in the file. Codes are unique.
    """
    source = _source_name(path)
    out: list[Industry] = []
    sections: set[str] = set()
    codes: set[str] = set()
    for line, row in _csv_rows(path):
        code, name, level, parent = (
            row["code"],
            row["name"],
            row["level"],
            row["parent_code"],
        )
        where = f"{source}: row {line}: {code!r}"
        if level not in _INDUSTRY_LEVELS:
            raise ValueError(
                f"{where}: level must be section or division, got {level!r}"
            )
        if code in codes:
            raise ValueError(f"{where}: duplicate code")
        if not name:
            raise ValueError(f"{where}: empty name")
        if level == "section":
            if not _SECTION.fullmatch(code):
                raise ValueError(f"{where}: a section code is one capital letter")
            if parent:
                raise ValueError(f"{where}: a section has no parent, got {parent!r}")
            sections.add(code)
        else:
            if not _DIVISION.fullmatch(code):
                raise ValueError(f"{where}: a division code is 2 digits")
            if parent not in sections:
                raise ValueError(
                    f"{where}: parent {parent!r} is not a section listed earlier"
                )
        codes.add(code)
        out.append(Industry(code, name, cast(IndustryLevel, level), parent or None))
    return out


# --------------------------------------------------------------------------- #
# Sector taxonomy
# --------------------------------------------------------------------------- #
def _str_field(obj: Any, key: str, where: str) -> str:
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(obj).__name__}")
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _list_field(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{where}: {key!r} must be a list")
    return value


# libyaml's safe loader where PyYAML was built with it (5× faster; the same safe subset), else Python's.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_sectors(path: PathOrFile = SECTORS_YAML) -> SectorTaxonomy:
    """Read and validate ``sectors.yaml``.

    Shape: ``groups: [{code, name, sectors: [{code, name, gbt4754_divisions}]}]``
    and ``features: [{code, name}]``. Sector codes are ``<group code>.<part>``;
    all codes are unique; ``gbt4754_divisions`` holds 2-digit strings.
    """
    source = _source_name(path)
    if isinstance(path, (str, os.PathLike)):
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_YAML_LOADER)
    else:
        data = yaml.load(path, Loader=_YAML_LOADER)
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a mapping with 'groups' and 'features'")

    codes: set[str] = set()

    def claim(code: str, where: str) -> None:
        if code in codes:
            raise ValueError(f"{where}: duplicate code {code!r}")
        codes.add(code)

    groups: list[SectorGroup] = []
    for gi, g in enumerate(_list_field(data, "groups", source)):
        gwhere = f"{source}: groups[{gi}]"
        gcode, gname = _str_field(g, "code", gwhere), _str_field(g, "name", gwhere)
        claim(gcode, gwhere)
        sectors: list[Sector] = []
        for si, s in enumerate(_list_field(g, "sectors", gwhere)):
            swhere = f"{gwhere}.sectors[{si}]"
            scode, sname = _str_field(s, "code", swhere), _str_field(s, "name", swhere)
            if not scode.startswith(gcode + ".") or scode == gcode + ".":
                raise ValueError(
                    f"{swhere}: sector code {scode!r} must start with {gcode + '.'!r}"
                )
            claim(scode, swhere)
            divisions = _list_field(s, "gbt4754_divisions", swhere)
            for d in divisions:
                if not isinstance(d, str) or not _DIVISION.fullmatch(d):
                    raise ValueError(
                        f"{swhere}: gbt4754_divisions entry {d!r} is not a 2-digit string"
                    )
            if len(set(divisions)) != len(divisions):
                raise ValueError(f"{swhere}: gbt4754_divisions has duplicates")
            sectors.append(Sector(scode, sname, gcode, tuple(divisions)))
        groups.append(SectorGroup(gcode, gname, tuple(sectors)))

    features: list[Feature] = []
    for fi, f in enumerate(_list_field(data, "features", source)):
        fwhere = f"{source}: features[{fi}]"
        fcode, fname = _str_field(f, "code", fwhere), _str_field(f, "name", fwhere)
        claim(fcode, fwhere)
        features.append(Feature(fcode, fname))

    return SectorTaxonomy(tuple(groups), tuple(features))
